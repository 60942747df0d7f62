package scenario

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

const exportData = "../export/testdata/export/"

// copyTo writes files (name -> content, or "@path" to copy a file) into a
// new folder.
func copyTo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if src, ok := strings.CutPrefix(content, "@"); ok {
			b, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			content = string(b)
		}
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func worldSummary(w *world.World) (accounts, principals, resources []string) {
	for _, a := range w.Accounts {
		accounts = append(accounts, a.ID)
		for _, u := range a.Users {
			principals = append(principals, u.ARN)
		}
		for _, r := range a.Roles {
			principals = append(principals, r.ARN)
		}
		for _, r := range a.Resources {
			resources = append(resources, r.ARN)
		}
	}
	slices.Sort(accounts)
	slices.Sort(principals)
	slices.Sort(resources)
	return
}

// Inputs are told apart by content (the formats of loader/export: the
// AWS CLI's get-account-authorization-details, resource policies,
// organizations), alone or together.
func TestLoadInputsByContent(t *testing.T) {
	// get-account-authorization-details pages of account 333333333333
	// (--max-items 1 saves one page per call: a JSON array of them).
	twoPages := copyTo(t, map[string]string{"auth-d.json": `[
 {"UserDetailList": [{"Path": "/", "UserName": "dana", "UserId": "AIDAEXAMPLEDANA00001", "Arn": "arn:aws:iam::333333333333:user/dana",
   "CreateDate": "2024-03-01T09:00:00+00:00", "GroupList": [], "AttachedManagedPolicies": [{"PolicyName": "Read", "PolicyArn": "arn:aws:iam::333333333333:policy/Read"}]}],
  "GroupDetailList": [], "RoleDetailList": [], "Policies": [], "IsTruncated": true, "Marker": "m1"},
 {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [],
  "Policies": [{"PolicyName": "Read", "PolicyId": "ANPAEXAMPLEREAD00001", "Arn": "arn:aws:iam::333333333333:policy/Read", "Path": "/",
   "DefaultVersionId": "v1", "AttachmentCount": 1, "IsAttachable": true,
   "PolicyVersionList": [{"Document": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D",
    "VersionId": "v1", "IsDefaultVersion": true}]}], "IsTruncated": false}
]`})
	for _, tc := range []struct {
		name       string
		paths      []string
		principals int
		resources  int
		org        bool
	}{
		{"one GAAD export", []string{exportData + "auth-a.json"}, 2, 0, false},
		{"two accounts' GAAD exports", []string{exportData + "auth-a.json", twoPages + "/auth-d.json"}, 3, 0, false},
		{"GAAD pages (a JSON array)", []string{twoPages + "/auth-d.json"}, 1, 0, false},
		{"a resource bundle", []string{exportData + "resources.json"}, 0, 4, false},
		{"a folder of files named by ARN", []string{exportData + "resources"}, 0, 3, false},
		{"an organizations bundle", []string{exportData + "org.json"}, 0, 0, true},
		{"an organizations folder", []string{"../export/testdata/org"}, 0, 0, true},
		{"a partial export and iam-dataset's AWS managed policies", []string{exportData + "auth-c.json", exportData + "aws-managed.json"}, 1, 0, false},
		{"GAAD, resources and organization", []string{exportData + "auth-a.json", exportData + "resources.json", exportData + "org.json"}, 2, 4, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := LoadInputs(tc.paths, Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, principals, resources := worldSummary(sc.World)
			if len(principals) != tc.principals || len(resources) != tc.resources || (sc.World.Organization != nil) != tc.org {
				t.Errorf("principals %v, resources %v, organization %v; want %d, %d, %v", principals, resources, sc.World.Organization != nil, tc.principals, tc.resources, tc.org)
			}
			if len(sc.World.Sources) != len(tc.paths) {
				t.Errorf("sources %v, want %v", sc.World.Sources, tc.paths)
			}
		})
	}
}

// A scenario file is read as before; a folder named directly is read
// entry by entry; the errors say what was looked for.
func TestLoadInputsErrors(t *testing.T) {
	mixed := copyTo(t, map[string]string{"auth.json": "@" + exportData + "auth-a.json", "notes.md": "not read",
		"w.yaml": "world:\n  accounts: [{id: \"111111111111\"}]\n"})
	for _, tc := range []struct {
		name  string
		paths []string
		want  string
	}{
		{"an unrecognised JSON file", []string{copyTo(t, map[string]string{"x.json": `{"Buckets": []}`}) + "/x.json"},
			`x.json:1:13: $.Buckets: unknown key "Buckets"`},
		{"says what else it looked for", []string{copyTo(t, map[string]string{"x.json": `{"Buckets": []}`}) + "/x.json"},
			"; not a file Clearance recognises: expected the output of `aws iam get-account-authorization-details"},
		{"names the scenario alternative", []string{copyTo(t, map[string]string{"x.json": `{"Buckets": []}`}) + "/x.json"},
			"or a scenario world file (world: with accounts or export:"},
		{"a scenario beside an export", []string{mixed + "/w.yaml", mixed + "/auth.json"}, "a scenario file is read alone"},
		{"an unrecognised subfolder", []string{copyTo(t, map[string]string{"sub/x.json": `{}`})}, "sub: not a folder Clearance recognises"},
		{"two organizations", []string{exportData + "org.json", "../export/testdata/org"}, "two organizations exports"},
		{"nothing", nil, "no input"},
		{"a partial export", []string{exportData + "auth-c.json"}, "name iam-dataset's aws-managed-policies.json as an input too"},
		{"a folder's README is skipped, not read as a scenario", []string{mixed + "/notes.md", mixed + "/w.yaml", mixed + "/auth.json"}, "a scenario file is read alone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadInputs(tc.paths, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	// An unrecognised file's error is positioned (tree.Error: the CLI
	// exits 2).
	_, err := LoadInputs([]string{copyTo(t, map[string]string{"x.json": "\n{\"a\": 1}"}) + "/x.json"}, Options{})
	var te *tree.Error
	if !errors.As(err, &te) || te.Line != 2 {
		t.Errorf("err = %#v, want a tree.Error at line 2", err)
	}
	sc, err := LoadInputs([]string{mixed + "/w.yaml"}, Options{})
	if err != nil || len(sc.World.Accounts) != 1 || sc.File != mixed+"/w.yaml" {
		t.Errorf("scenario: %v, %+v", err, sc)
	}
}

// Only the named files and folders (and --allow-path) are read: a link
// in a named folder to a file outside it is refused.
func TestLoadInputsConfined(t *testing.T) {
	outside := copyTo(t, map[string]string{"auth.json": "@" + exportData + "auth-a.json"})
	dir := copyTo(t, map[string]string{"resources.json": "@" + exportData + "resources.json"})
	if err := os.Symlink(filepath.Join(outside, "auth.json"), filepath.Join(dir, "linked.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadInputs([]string{dir}, Options{}); err == nil || !strings.Contains(err.Error(), "outside the folders Clearance may read") {
		t.Errorf("err = %v, want the link refused", err)
	}
	if _, err := LoadInputs([]string{dir}, Options{AllowPaths: []string{outside}}); err != nil {
		t.Errorf("with --allow-path: %v", err)
	}
}

// InputsName names a shell's folder/* expansion by the folder.
func TestInputsName(t *testing.T) {
	dir := copyTo(t, map[string]string{"a.json": "{}", "b.json": "{}", "README.md": "", "org/list-roots.json": "{}"})
	for _, tc := range []struct {
		paths []string
		want  string
	}{
		{[]string{dir + "/a.json"}, dir + "/a.json"},
		{[]string{dir + "/a.json", dir + "/b.json", dir + "/org"}, dir},
		{[]string{dir + "/a.json", dir + "/org"}, dir + "/a.json " + dir + "/org"},
	} {
		if got := InputsName(tc.paths); got != tc.want {
			t.Errorf("InputsName(%v) = %q, want %q", tc.paths, got, tc.want)
		}
	}
}
