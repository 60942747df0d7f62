package change

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
)

// policyFile writes a policy file in a temporary folder and reads it as
// the review would.
func policyFile(t *testing.T, name, text, attach, resource string) (*Set, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	rd := files.Confined(0, dir)
	defer rd.Close()
	return PolicyFile(rd, path, attach, resource, acct)
}

func TestPolicyFileEdits(t *testing.T) {
	text := "\n  " + allowGet
	cases := []struct {
		name, file, text, attach, resource string
		want                               Edit
	}{
		{"inline policy of a user", "allow get.json", text, "arn:aws:iam::123456789012:user/alice", "",
			Edit{Op: Put, Kind: InlinePolicy, Name: "allow-get", Owner: &Owner{Kind: User, Name: "alice"}}},
		{"inline policy of a group", "p.yaml", text, "arn:aws:iam::123456789012:group/devs", "",
			Edit{Op: Put, Kind: InlinePolicy, Name: "p", Owner: &Owner{Kind: Group, Name: "devs"}}},
		{"inline policy of a role with a path", "..json", text, "arn:aws:iam::123456789012:role/svc/app", "",
			Edit{Op: Put, Kind: InlinePolicy, Name: "policy", Owner: &Owner{Kind: Role, Name: "app"}}},
		{"a managed policy's document", "base.json", text, baseARN, "",
			Edit{Op: Put, Kind: ManagedPolicy, Name: "Base", Path: "/team/"}},
		{"a role's trust policy", "trust.json", "\n  " + trustEC2, "", "arn:aws:iam::123456789012:role/app",
			Edit{Op: Put, Kind: TrustPolicy, Name: "app"}},
		{"a bucket policy", "bucket.json", "\n  " + publicGet, "", bucketARN,
			Edit{Op: Put, Kind: ResourcePolicy, Resource: bucketARN}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := policyFile(t, c.file, c.text, c.attach, c.resource)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Edits) != 1 || s.Account != acct || len(s.Files) != 1 {
				t.Fatalf("set %+v", s)
			}
			e := s.Edits[0]
			if e.Op != c.want.Op || e.Kind != c.want.Kind || e.Name != c.want.Name || e.Path != c.want.Path || e.Resource != c.want.Resource ||
				(c.want.Owner != nil && (e.Owner == nil || *e.Owner != *c.want.Owner)) {
				t.Fatalf("edit %+v, want %+v", e, c.want)
			}
			if e.At.File != s.Files[0] || e.At.Line != 2 || e.At.Col != 3 {
				t.Fatalf("source %+v: want the document's start, line 2 column 3", e.At)
			}
			if (e.Policy == nil) == (e.Trust == nil) {
				t.Fatal("want exactly one of Policy and Trust")
			}
			if after, err := Apply(base(t), s); err != nil {
				t.Fatal(err)
			} else {
				loads(t, after)
			}
		})
	}
}

func TestPolicyFileErrors(t *testing.T) {
	cases := []struct {
		name, text, attach, resource, code string
		line                               int
	}{
		{"neither flag", allowGet, "", "", tree.CodeConflict, 0},
		{"both flags", allowGet, "arn:aws:iam::123456789012:user/alice", bucketARN, tree.CodeConflict, 0},
		{"grammar error", "{\"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": \"Allow\", \"Actions\": \"s3:*\", \"Resource\": \"*\"}]}", "arn:aws:iam::123456789012:user/alice", "", tree.CodeUnknownElement, 2},
		{"not JSON", "{\"Version\": ", "arn:aws:iam::123456789012:user/alice", "", tree.CodeInvalidJSON, 1},
		{"identity document as a bucket policy", allowGet, "", bucketARN, tree.CodeMissingElement, 1},
		{"attach to another account", allowGet, "arn:aws:iam::210987654321:user/x", "", tree.CodeInvalidARN, 1},
		{"attach to an AWS managed policy", allowGet, readOnly, "", tree.CodeInvalidARN, 1},
		{"attach to a bucket", allowGet, bucketARN, "", tree.CodeInvalidARN, 1},
		{"attach to an account root", allowGet, "arn:aws:iam::123456789012:root", "", tree.CodeInvalidARN, 1},
		{"resource policy on a user", publicGet, "", "arn:aws:iam::123456789012:user/alice", tree.CodeInvalidARN, 1},
		{"not an ARN", allowGet, "alice", "", tree.CodeInvalidARN, 1},
		{"wildcard ARN", publicGet, "", "arn:aws:s3:::data-*", tree.CodeInvalidARN, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := policyFile(t, "p.json", c.text, c.attach, c.resource)
			var te *tree.Error
			if !errors.As(err, &te) || te.Code != c.code || te.File == "" || te.Line != c.line {
				t.Fatalf("got %v (%#v), want %s at line %d", err, te, c.code, c.line)
			}
		})
	}
}

func TestPolicyFileConfined(t *testing.T) {
	rd := files.Confined(0, t.TempDir())
	defer rd.Close()
	_, err := PolicyFile(rd, "/etc/passwd", "arn:aws:iam::123456789012:user/alice", "", acct)
	if !errors.Is(err, files.ErrOutside) || !errors.Is(err, &tree.Error{}) {
		t.Fatalf("outside the folder: %v", err)
	}
	if _, err := PolicyFile(rd, "x.json", "arn:aws:iam::123456789012:user/alice", "", "acct"); !errors.Is(err, &tree.Error{Code: tree.CodeInvalidValue}) {
		t.Fatalf("bad account: %v", err)
	}
}

func TestPolicyNameOf(t *testing.T) {
	for in, want := range map[string]string{"dir/allow get.json": "allow-get", "a.b.yaml": "a.b", ".json": ".json", "é.json": "policy",
		"x/" + string(make([]byte, 200)) + ".json": "policy", "ok+=,@_-": "ok+=,@_-", "v1.2.json": "v1.2"} {
		if got := policyNameOf(in); got != want {
			t.Errorf("policyNameOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzPolicyFile(f *testing.F) {
	f.Add([]byte(allowGet), "arn:aws:iam::123456789012:user/alice", false)
	f.Add([]byte(trustEC2), "arn:aws:iam::123456789012:role/x/app", true)
	f.Add([]byte(publicGet), "arn:aws:s3:::b", true)
	f.Add([]byte("Version: '2012-10-17'\nStatement: []\n"), "arn:aws:iam::123456789012:policy/p", false)
	f.Fuzz(func(t *testing.T, data []byte, arn string, asResource bool) {
		attach, resource := arn, ""
		if asResource {
			attach, resource = "", arn
		}
		s, err := policyData("fuzz.json", data, attach, resource, acct)
		if err != nil {
			var te *tree.Error
			if !errors.As(err, &te) || te.File == "" {
				t.Fatalf("not a positioned error: %v", err)
			}
			return
		}
		e := s.Edits[0]
		if e.Policy == nil && e.Trust == nil {
			t.Fatal("an edit without a document")
		}
		if e.Kind == TrustPolicy && e.Trust.Kind != policy.KindTrust {
			t.Fatalf("trust parsed as %s", e.Trust.Kind)
		}
		if _, err := Apply(nil, s); err != nil && !errors.Is(err, &tree.Error{}) {
			t.Fatalf("Apply: uncoded error %v", err)
		}
	})
}
