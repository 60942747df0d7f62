package engine

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/internal/sharedtest"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// TestIAMRSRequests runs the request/decision cases of the iam-rs test
// suite (shared/conformance/iam-rs/tests/requests): a policy attached to
// the requesting user; "Allow" is allow, "NotApplicable" (no statement
// applies) is an implicit deny.
func TestIAMRSRequests(t *testing.T) {
	dir := sharedtest.Path(t, "conformance/iam-rs/tests/requests")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no request cases in %s: %v", dir, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			runIAMRSCase(t, f)
		})
	}
}

func runIAMRSCase(t *testing.T, file string) {
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Result  string `json:"result"`
		Request struct {
			Principal struct{ AWS string } `json:"Principal"`
			Action    string               `json:"Action"`
			Resource  string               `json:"Resource"`
			Context   map[string]any       `json:"Context"`
		} `json:"request"`
		Policy json.RawMessage `json:"policy"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	user := c.Request.Principal.AWS
	account := strings.Split(user, ":")[4]
	pol, err := policy.ParsePolicyBytes(file, c.Policy, policy.KindIdentity, user+"#policy")
	if err != nil {
		t.Fatal(err)
	}
	name := user[strings.LastIndex(user, "/")+1:]
	w := &world.World{Accounts: []*world.Account{{ID: account, Users: []*world.User{{
		ARN: user, Account: account, Name: name, Path: "/", ID: "AIDAIAMRS", Inline: []*policy.Policy{pol},
	}}}}}
	store, _ := store.NewStore()
	if err := store.Load(w); err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), store)
	if err != nil {
		t.Fatal(err)
	}
	req := &Request{Principal: user, Action: c.Request.Action,
		Resource: c.Request.Resource, ResourceAccount: account, Context: c.Request.Context}
	d, err := e.Decide(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	sameVerdict(t, e, req, d)
	want := map[string]string{"Allow": Allow, "NotApplicable": ImplicitDeny, "Deny": ExplicitDeny}[c.Result]
	if d.Decision != want {
		t.Errorf("got %s, iam-rs expects %s", d.Decision, c.Result)
	}
}
