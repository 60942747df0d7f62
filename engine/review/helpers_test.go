package review

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/world"
)

const acct = "111122223333"

// load parses a scenario's world; file names it (findings point there).
func load(t testing.TB, file, yaml string) *world.World {
	t.Helper()
	sc, err := scenario.ParseScenario(file, []byte(yaml))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return sc.World
}

// worldYAML wraps account content (users:, roles:, resources: ...) in a
// one-account world; extra accounts follow it.
func worldYAML(content string, more ...string) string {
	var sb strings.Builder
	sb.WriteString("world:\n  accounts:\n    - id: \"" + acct + "\"\n")
	sb.WriteString(indent(content, "      "))
	for _, m := range more {
		sb.WriteString(indent(m, "    "))
	}
	return sb.String()
}

func indent(s, by string) string {
	var sb strings.Builder
	for _, l := range strings.Split(strings.Trim(s, "\n"), "\n") {
		sb.WriteString(by + l + "\n")
	}
	return sb.String()
}

func account(w *world.World, id string) *world.Account {
	for _, a := range w.Accounts {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// inlineDoc finds an inline policy of a user, group or role.
func inlineDoc(t testing.TB, w *world.World, kind change.Kind, owner, name string) *policy.Policy {
	t.Helper()
	a := account(w, acct)
	var list []*policy.Policy
	switch kind {
	case change.User:
		for _, u := range a.Users {
			if u.Name == owner {
				list = u.Inline
			}
		}
	case change.Group:
		for _, g := range a.Groups {
			if g.Name == owner {
				list = g.Inline
			}
		}
	case change.Role:
		for _, r := range a.Roles {
			if r.Name == owner {
				list = r.Inline
			}
		}
	}
	for _, p := range list {
		if strings.HasSuffix(p.Name, "#"+name) {
			return p
		}
	}
	t.Fatalf("no inline policy %s of %s %s", name, kind, owner)
	return nil
}

func roleOf(t testing.TB, w *world.World, name string) *world.Role {
	t.Helper()
	for _, r := range account(w, acct).Roles {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no role %s", name)
	return nil
}

func resourceDoc(t testing.TB, w *world.World, arn string) *policy.Policy {
	t.Helper()
	for _, a := range w.Accounts {
		for _, r := range a.Resources {
			if r.ARN == arn {
				return r.Policy
			}
		}
	}
	t.Fatalf("no resource %s", arn)
	return nil
}

func src(addr string) change.Source {
	return change.Source{File: "change.yaml", Line: 1, Col: 1, Address: addr}
}

// putInline is the Edit that puts the after world's inline policy.
func putInline(t testing.TB, after *world.World, kind change.Kind, owner, name string) change.Edit {
	return change.Edit{Op: change.Put, Kind: change.InlinePolicy, Owner: &change.Owner{Kind: kind, Name: owner}, Name: name,
		Policy: inlineDoc(t, after, kind, owner, name), At: src(owner + "." + name)}
}

// putRole is the Edit that puts the after world's role with its trust.
func putRole(t testing.TB, after *world.World, name string) change.Edit {
	r := roleOf(t, after, name)
	return change.Edit{Op: change.Put, Kind: change.Role, Name: name, Path: r.Path, Trust: r.Trust, At: src(name)}
}

// putResource is the Edit that puts the after world's resource policy.
func putResource(t testing.TB, after *world.World, arn string) change.Edit {
	return change.Edit{Op: change.Put, Kind: change.ResourcePolicy, Resource: arn, Policy: resourceDoc(t, after, arn), At: src(arn)}
}

func setOf(edits ...change.Edit) *change.Set {
	return &change.Set{Account: acct, Region: "us-east-1", Partition: "aws", Edits: edits, Files: []string{"change.yaml"}}
}

var testContext = map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}

func runReview(t testing.TB, before, after *world.World, set *change.Set, opts Options, unscoped bool) *Report {
	t.Helper()
	if opts.Time.IsZero() {
		opts.Time = enginetest.T0
	}
	if opts.Context == nil {
		opts.Context = testContext
	}
	opts.World = "world.yaml"
	rep, err := review(context.Background(), before, after, set, opts, unscoped)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// T0 is the tests' clock.
func T0() time.Time { return enginetest.T0 }
