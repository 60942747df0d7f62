package change

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

const acct = "123456789012"

// base reads the test world (a fresh copy each time).
func base(t *testing.T) *world.World {
	t.Helper()
	sc, err := scenario.LoadScenarioFile("testdata/world.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return sc.World
}

// doc parses a policy document of a kind, as a reader would, written at
// line 10 of change.yaml.
func doc(t *testing.T, kind policy.PolicyKind, text string) *policy.Policy {
	t.Helper()
	p, err := policy.ParsePolicyBytes("change.json", []byte(text), kind, "change")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// at is a Source in the change.
func at(line int) Source { return Source{File: "change.yaml", Line: line, Col: 3, Address: "Res"} }

// loads checks the world loads into a store, as the engine would load it.
func loads(t *testing.T, w *world.World) {
	t.Helper()
	s, err := store.NewStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(w); err != nil {
		t.Fatalf("the world after the change does not load: %v", err)
	}
}

// snapshot is the world as JSON, to show that Apply left it untouched.
func snapshot(t *testing.T, w *world.World) string {
	t.Helper()
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func account(w *world.World, id string) *world.Account {
	for _, a := range w.Accounts {
		if a.ID == id {
			return a
		}
	}
	return nil
}

func user(w *world.World, name string) *world.User {
	a := account(w, acct)
	if i := index(a.Users, name, userName); i >= 0 {
		return a.Users[i]
	}
	return nil
}

func group(w *world.World, name string) *world.Group {
	a := account(w, acct)
	if i := index(a.Groups, name, groupName); i >= 0 {
		return a.Groups[i]
	}
	return nil
}

func role(w *world.World, name string) *world.Role {
	a := account(w, acct)
	if i := index(a.Roles, name, roleName); i >= 0 {
		return a.Roles[i]
	}
	return nil
}

func managedPolicy(w *world.World, arn string) *world.ManagedPolicy {
	for _, a := range w.Accounts {
		for _, p := range a.ManagedPolicies {
			if p.ARN == arn {
				return p
			}
		}
	}
	return nil
}

func resource(w *world.World, arn string) *world.Resource {
	for _, a := range w.Accounts {
		for _, r := range a.Resources {
			if r.ARN == arn {
				return r
			}
		}
	}
	return nil
}

func inlineNames(ps []*policy.Policy) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func actionsOf(p *policy.Policy) []string {
	var out []string
	for _, st := range p.Statements {
		out = append(out, st.Actions...)
	}
	return out
}

func sids(p *policy.Policy) []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, st := range p.Statements {
		out = append(out, st.Sid)
	}
	return out
}

func orgPolicy(w *world.World, kind policy.PolicyKind, name string) *world.OrgPolicy {
	if w.Organization == nil {
		return nil
	}
	i := slices.IndexFunc(w.Organization.Policies, func(p *world.OrgPolicy) bool { return p.Kind == kind && p.Name == name })
	if i < 0 {
		return nil
	}
	return w.Organization.Policies[i]
}
