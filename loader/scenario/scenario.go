package scenario

import (
	"fmt"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
	"os"
)

// Scenario is a scenario file: a world and checks against it. The format
// is described in corpus/README.md.
type Scenario struct {
	File        string
	Description string
	World       *world.World
	Checks      []*Check
}

// Check is one request with the decision AWS would give.
type Check struct {
	File            string
	Line            int
	Name            string
	Principal       string
	FederatedBy     string
	Action          string
	Resource        string
	ResourceAccount string
	Context         map[string]any
	SessionPolicy   *policy.Policy
	Expect          string
	BlockedBy       string
	// Chain, when given, replaces Principal: the final request is made with
	// the session its last step produces.
	Chain *Chain
	// RefusedHop is the 1-based step a chain-refused expectation names.
	RefusedHop int
	Source     string
}

// LoadScenarioFile reads and decodes a scenario file.
func LoadScenarioFile(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read scenario: %w", err)
	}
	return ParseScenario(path, data)
}

// ParseScenario decodes a scenario from YAML or JSON.
func ParseScenario(file string, data []byte) (*Scenario, error) {
	root, err := tree.Decode(file, data)
	if err != nil {
		return nil, err
	}
	o, err := tree.OpenObject(root, "description", "world", "checks")
	if err != nil {
		return nil, err
	}
	sc := &Scenario{File: file}
	if sc.Description, err = o.Str("description", false); err != nil {
		return nil, err
	}
	if n := o.Get("world"); n != nil {
		if sc.World, err = decodeWorld(n); err != nil {
			return nil, err
		}
	} else {
		sc.World = &world.World{}
	}
	if n := o.Get("checks"); n != nil {
		if sc.Checks, err = decodeChecks(n); err != nil {
			return nil, err
		}
	}
	return sc, nil
}

// expectations a check may state.
var expectations = map[string]bool{"allow": true, "explicit-deny": true, "implicit-deny": true, "chain-refused": true}

// guardrails a check's blocked_by may name.
var guardrails = map[string]bool{"scp": true, "rcp": true, "boundary": true, "session": true, "identity": true, "resource": true, "credential": true, "protected": true}

func decodeChecks(n *tree.Node) ([]*Check, error) {
	items, err := tree.List(n)
	if err != nil {
		return nil, err
	}
	out := make([]*Check, 0, len(items))
	for _, item := range items {
		c, err := decodeCheck(item)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func decodeCheck(n *tree.Node) (*Check, error) {
	o, err := tree.OpenObject(n, "name", "principal", "federated_by", "action", "resource", "resource_account",
		"context", "session_policy", "expect", "blocked_by", "source", "chain", "refused_hop")
	if err != nil {
		return nil, err
	}
	c := &Check{File: n.File, Line: n.Line}
	chainOnly := o.Get("chain") != nil && o.Get("action") == nil
	for _, f := range []struct {
		key      string
		dst      *string
		required bool
	}{
		{"name", &c.Name, true}, {"principal", &c.Principal, o.Get("chain") == nil},
		{"federated_by", &c.FederatedBy, false},
		{"action", &c.Action, !chainOnly}, {"resource", &c.Resource, !chainOnly},
		{"resource_account", &c.ResourceAccount, false}, {"expect", &c.Expect, true},
		{"blocked_by", &c.BlockedBy, false}, {"source", &c.Source, true},
	} {
		if *f.dst, err = o.Str(f.key, f.required); err != nil {
			return nil, err
		}
	}
	if err := decodeCheckChain(o, c); err != nil {
		return nil, err
	}
	if !expectations[c.Expect] {
		return nil, o.Errorf("expect", "invalid_value", "expect: expected allow, explicit-deny, implicit-deny or chain-refused, got %q", c.Expect)
	}
	if c.BlockedBy != "" && !guardrails[c.BlockedBy] {
		return nil, o.Errorf("blocked_by", "invalid_value", "blocked_by: expected scp, rcp, boundary, session, identity, resource, credential or protected, got %q", c.BlockedBy)
	}
	if c.Context, err = decodeContext(o.Get("context")); err != nil {
		return nil, err
	}
	if sp := o.Get("session_policy"); sp != nil {
		if c.SessionPolicy, err = policy.ParsePolicy(sp.File, sp, policy.KindSession, "session policy of "+c.Principal); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func decodeCheckChain(o *tree.ObjReader, c *Check) error {
	var err error
	if c.RefusedHop, err = o.Integer("refused_hop"); err != nil {
		return err
	}
	cn := o.Get("chain")
	if cn == nil {
		if c.Expect == "chain-refused" || c.RefusedHop != 0 {
			return o.Errorf("expect", "invalid_value", "chain-refused and refused_hop need a chain:")
		}
		return nil
	}
	if c.Principal != "" || c.FederatedBy != "" || o.Get("session_policy") != nil {
		return o.Errorf("chain", "invalid_value", "chain: give either principal (with federated_by, session_policy) or chain, not both")
	}
	if c.Chain, err = DecodeChain(cn); err != nil {
		return err
	}
	if c.RefusedHop != 0 && c.Expect != "chain-refused" {
		return o.Errorf("refused_hop", "invalid_value", "refused_hop: only with expect: chain-refused")
	}
	if c.RefusedHop < 0 || c.RefusedHop > len(c.Chain.Steps) {
		return o.Errorf("refused_hop", "invalid_value", "refused_hop: expected 1 to %d (the chain's steps), got %d", len(c.Chain.Steps), c.RefusedHop)
	}
	if c.Expect != "chain-refused" && c.Expect != "allow" && c.Action == "" {
		return o.Errorf("expect", "missing_element", "a chain check without action expects allow (the chain completes) or chain-refused")
	}
	return nil
}

// decodeContext reads typed context keys; a list is a multivalued key.
func decodeContext(n *tree.Node) (map[string]any, error) {
	if n == nil {
		return nil, nil
	}
	if n.Kind != tree.Object {
		return nil, tree.NodeError(n, "wrong_type", "context: expected a mapping of key to value")
	}
	out := make(map[string]any, len(n.Keys))
	for i, k := range n.Keys {
		v, err := contextValue(n.Vals[i])
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

func contextValue(n *tree.Node) (any, error) {
	switch n.Kind {
	case tree.String:
		return n.Str, nil
	case tree.Bool:
		return n.Bool, nil
	case tree.Number:
		return tree.NumberValue(n)
	case tree.Array:
		out := make([]any, 0, len(n.Items))
		for _, it := range n.Items {
			if it.Kind == tree.Array || it.Kind == tree.Object {
				return nil, tree.NodeError(it, "wrong_type", "a multivalued context key holds scalars")
			}
			v, err := contextValue(it)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	return nil, tree.NodeError(n, "wrong_type", "expected a string, number, boolean or list")
}
