package policy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/clearance-dev/clearance/internal/sharedtest"
	"github.com/clearance-dev/clearance/loader/tree"
)

// The iam-rs test policies (../shared/conformance/iam-rs/tests): every
// policy parses, as an identity policy unless it names a Principal (then as
// a resource policy), and so do the policies of the request cases.

func iamrsKind(n *tree.Node) PolicyKind {
	for _, st := range statementNodes(n) {
		if st.Get("Principal") != nil || st.Get("NotPrincipal") != nil {
			return KindResource
		}
	}
	return KindIdentity
}

func statementNodes(n *tree.Node) []*tree.Node {
	st := n.Get("Statement")
	switch {
	case st == nil:
		return nil
	case st.Kind == tree.Array:
		return st.Items
	}
	return []*tree.Node{st}
}

func TestIAMRSPolicies(t *testing.T) {
	dir := sharedtest.Path(t, "conformance/iam-rs/tests/policies")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no iam-rs policies in %s: %v", dir, err)
	}
	if len(files) != 64 {
		t.Errorf("%d iam-rs policies, want 64", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			n, err := tree.DecodeJSON(f, data)
			if err != nil {
				t.Fatal(err)
			}
			p, err := ParsePolicyBytes(f, data, iamrsKind(n), filepath.Base(f))
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Statements) == 0 || string(p.Source) != string(data) {
				t.Errorf("parsed %d statements; Source kept: %v", len(p.Statements), string(p.Source) == string(data))
			}
		})
	}
}

func TestIAMRSRequestPolicies(t *testing.T) {
	dir := sharedtest.Path(t, "conformance/iam-rs/tests/requests")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skipf("no iam-rs request cases in %s", dir)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			root, err := tree.DecodeJSON(f, data)
			if err != nil {
				t.Fatal(err)
			}
			pn := root.Get("policy")
			if pn == nil {
				t.Fatalf("%s has no policy", f)
			}
			p, err := ParsePolicy(f, pn, iamrsKind(pn), filepath.Base(f))
			if err != nil {
				t.Fatal(err)
			}
			// The policy's Source is its canonical JSON, equal in value to
			// the document's policy.
			var orig struct {
				Policy any `json:"policy"`
			}
			var got any
			if err := json.Unmarshal(data, &orig); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(p.Source, &got); err != nil {
				t.Fatalf("Source is not JSON: %v\n%s", err, p.Source)
			}
			if !reflect.DeepEqual(got, orig.Policy) {
				t.Errorf("Source %s differs from the policy", p.Source)
			}
		})
	}
}
