package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/files"
)

// copyTree copies the testdata folder src into dst.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// FuzzOrgDir: an organizations export folder whose files say anything is
// loaded or refused with an error, never a panic: the fuzzer picks one of
// the folder's files and writes its bytes there.
func FuzzOrgDir(f *testing.F) {
	var names []string
	filepath.WalkDir("testdata/org", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel("testdata/org", p)
			names = append(names, rel)
		}
		return nil
	})
	for i, n := range names {
		data, _ := os.ReadFile(filepath.Join("testdata/org", n))
		f.Add(uint8(i), data)
		f.Add(uint8(i), []byte(`{"Roots": [{"Id": "r-1", "PolicyTypes": 7}]}`))
	}
	dir := f.TempDir() // one copy per fuzzing process; each run changes one file and puts it back
	copyTree(f, "testdata/org", dir)
	rd := files.Confined(0, dir)
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		name := filepath.Join(dir, names[int(which)%len(names)])
		orig, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		defer os.WriteFile(name, orig, 0o644)
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		x, err := LoadOrgExport(rd, dir)
		if err == nil && x.Organization == nil {
			t.Fatal("no error and no organization")
		}
	})
}

// FuzzCollectDir: a collected resource-policy folder (REGION/COMMAND/NAME
// plus the caller identity) whose file names and contents say anything is
// loaded or refused, never a panic.
func FuzzCollectDir(f *testing.F) {
	f.Add("s3-get-bucket-policy", "public-site", []byte(`{"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}`), []byte(`{"Account": "111111111111"}`))
	f.Add("sqs-get-queue-attributes", "https%3A%2F%2Fqueue.amazonaws.com%2F111111111111%2Fq", []byte(`{"Attributes": {"Policy": "{}"}}`), []byte(`{"Account": 1}`))
	f.Add("kms-get-key-policy", "%zz", []byte(`null`), []byte(`{}`))
	dir := f.TempDir() // one folder per fuzzing process, emptied after each run
	region := filepath.Join(dir, "us-east-1")
	rd := files.Confined(0, dir)
	f.Fuzz(func(t *testing.T, cmd, name string, data, caller []byte) {
		if name == "" || strings.ContainsAny(name, "/\x00") || name == "." || name == ".." ||
			strings.ContainsAny(cmd, "/\x00") || cmd == "" || cmd == "." || cmd == ".." || len(name) > 200 || len(cmd) > 200 {
			return // not a file name
		}
		defer os.RemoveAll(region)
		if err := os.MkdirAll(filepath.Join(region, cmd), 0o755); err != nil {
			return
		}
		os.WriteFile(filepath.Join(region, "sts-get-caller-identity.json"), caller, 0o644)
		os.WriteFile(filepath.Join(region, cmd, name), data, 0o644)
		_, _ = LoadResourcePolicies(rd, dir)
	})
}
