package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --out never loses what the user gave: it writes atomically, refuses the
// run's inputs and folders holding them, and follows a symbolic link only
// with --force.
func TestWriteOut(t *testing.T) {
	dir := t.TempDir()
	world := filepath.Join(dir, "world.yaml")
	exports := filepath.Join(dir, "exports")
	must(t, os.WriteFile(world, []byte("world: {}\n"), 0o644))
	must(t, os.Mkdir(exports, 0o755))
	old := filepath.Join(dir, "old.txt")
	must(t, os.WriteFile(old, []byte("keep me"), 0o644))
	target := filepath.Join(dir, "target.txt")
	must(t, os.WriteFile(target, []byte("target"), 0o644))
	link := filepath.Join(dir, "link.txt")
	must(t, os.Symlink(target, link))
	inputs := []string{world, exports}
	report := func(w io.Writer) error { _, err := io.WriteString(w, "report"); return err }
	for _, c := range []struct {
		name, path string
		force      bool
		write      func(io.Writer) error
		err        string
		want       string // the file's content after (path, or target for a link)
	}{
		{"new file", filepath.Join(dir, "new.txt"), false, report, "", "report"},
		{"replaces an old report whole", old, false, report, "", "report"},
		{"the world file", world, false, report, "would overwrite an input", "world: {}\n"},
		{"inside an export folder", filepath.Join(exports, "r.json"), false, report, "would overwrite an input", ""},
		{"a symlink", link, false, report, "symbolic link", "target"},
		{"a symlink with --force", link, true, report, "", "report"},
		{"a folder", exports, false, report, "not a regular file", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := writeOut(c.path, inputs, c.force, c.write)
			if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
				t.Fatalf("err = %v, want %q", err, c.err)
			}
			if c.want != "" {
				if got, _ := os.ReadFile(c.path); string(got) != c.want {
					t.Errorf("content %q, want %q", got, c.want)
				}
			}
		})
	}
	// A report that fails half-way leaves the old file as it was and no
	// temporary file behind.
	must(t, os.WriteFile(old, []byte("keep me"), 0o644))
	err := writeOut(old, inputs, false, func(w io.Writer) error {
		io.WriteString(w, "half")
		return errors.New("boom")
	})
	if err == nil {
		t.Fatal("a failing report was written")
	}
	if got, _ := os.ReadFile(old); string(got) != "keep me" {
		t.Errorf("old file now %q", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// `audit --out` naming the world it audits is refused before the audit
// runs, with exit 2, and the world is untouched.
func TestAuditOutRefusesItsInput(t *testing.T) {
	data, err := os.ReadFile("../../corpus/example/company.yaml")
	must(t, err)
	world := filepath.Join(t.TempDir(), "company.yaml")
	must(t, os.WriteFile(world, data, 0o644))
	var stdout, stderr strings.Builder
	if code := run([]string{"audit", "--out", world, world}, &stdout, &stderr); code != 2 {
		t.Fatalf("exit %d, want 2; stderr: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "would overwrite an input") {
		t.Errorf("stderr: %s", stderr.String())
	}
	if got, _ := os.ReadFile(world); string(got) != string(data) {
		t.Error("the world file was changed")
	}
}

// What a world may read is set by --allow-path and --max-input-size; a
// malformed size is a usage error, and a world over the cap is refused.
func TestInputFlags(t *testing.T) {
	var stdout, stderr strings.Builder
	world := "../../corpus/example/company.yaml"
	if code := run([]string{"lint", "--max-input-size", "lots", world}, &stdout, &stderr); code != 2 ||
		!strings.Contains(stderr.String(), "--max-input-size") {
		t.Errorf("bad size: exit %d, %s", code, stderr.String())
	}
	stderr.Reset()
	if code := run([]string{"lint", "--max-input-size", "1KiB", world}, &stdout, &stderr); code != 2 ||
		!strings.Contains(stderr.String(), "larger than the input size cap") {
		t.Errorf("world over the cap: exit %d, %s", code, stderr.String())
	}
}
