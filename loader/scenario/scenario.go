package scenario

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
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
	Line, Col       int
	Path            string // the check's JSON path, e.g. $.checks[3]
	Name            string
	Principal       string
	FederatedBy     string
	Action          string
	Resource        string
	ResourceAccount string
	Context         map[string]any
	SessionPolicy   *policy.Policy
	// Time is when the request is made (zero: the context's aws:CurrentTime
	// or aws:EpochTime, else the chain's time, else now).
	Time time.Time
	// VPCEndpoint is the id of the VPC endpoint the request goes through.
	VPCEndpoint string
	Expect      string
	BlockedBy   string
	// Chain, when given, replaces Principal: the final request is made with
	// the session its last step produces.
	Chain *Chain
	// RefusedHop is the 1-based step a chain-refused expectation names.
	RefusedHop int
	Source     string
	// ActionAt and ContextAt are where the action and each context key
	// are written, for warnings about names AWS does not have.
	ActionAt  tree.Pos
	ContextAt map[string]tree.Pos
}

// Options say what a scenario's world may read.
type Options struct {
	// AllowPaths are folders besides the scenario file's own whose files
	// the world may name (--allow-path).
	AllowPaths []string
	// MaxInputSize caps each file read, the scenario's included
	// (0: files.DefaultMaxSize; --max-input-size).
	MaxInputSize int64
}

// reader is the confined reader of a scenario named file.
func (o Options) reader(file string) *files.Reader {
	return files.Confined(o.MaxInputSize, append([]string{filepath.Dir(file)}, o.AllowPaths...)...)
}

// LoadScenarioFile reads and decodes a scenario file; the files its world
// names must be inside the file's folder.
func LoadScenarioFile(path string) (*Scenario, error) {
	return LoadFile(path, Options{})
}

// LoadFile reads and decodes a scenario file with options.
func LoadFile(path string, opts Options) (*Scenario, error) {
	rd := opts.reader(path)
	defer rd.Close()
	data, err := rd.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read scenario: %w", err)
	}
	return parse(path, data, rd)
}

// ParseScenario decodes a scenario from YAML or JSON; file names it in
// errors and its folder holds the files the world may name.
func ParseScenario(file string, data []byte) (*Scenario, error) {
	return Parse(file, data, Options{})
}

// Parse is ParseScenario with options.
func Parse(file string, data []byte, opts Options) (*Scenario, error) {
	rd := opts.reader(file)
	defer rd.Close()
	return parse(file, data, rd)
}

func parse(file string, data []byte, rd *files.Reader) (*Scenario, error) {
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
		if sc.World, err = decodeWorld(n, rd); err != nil {
			return nil, err
		}
	} else {
		sc.World = &world.World{}
	}
	sc.World.Sources = append([]string{file}, sc.World.Sources...)
	if n := o.Get("checks"); n != nil {
		if sc.Checks, err = DecodeChecks(n, sc.World, CheckOptions{}); err != nil {
			return nil, err
		}
	}
	return sc, nil
}

// ExpiredToken is the expectation of a request made with expired
// credentials, which AWS refuses with ExpiredTokenException before any
// policy is evaluated.
const ExpiredToken = "expired-token"

// expectations a check may state.
var expectations = map[string]bool{"allow": true, "explicit-deny": true, "implicit-deny": true, "chain-refused": true, ExpiredToken: true}

// guardrails a check's blocked_by may name.
var guardrails = map[string]bool{"scp": true, "rcp": true, "boundary": true, "session": true, "identity": true, "resource": true,
	"credential": true, "endpoint": true, "protected": true}

// CheckOptions say how DecodeChecks reads checks written outside a
// scenario file.
type CheckOptions struct {
	// SourceOptional lets a check omit source: a scenario's checks cite
	// the AWS page they come from; a review's assertions state a policy.
	SourceOptional bool
}

// DecodeChecks reads a list of checks in the scenario format (the
// scenario file's checks:, a review's assertions). w is the world whose
// VPC endpoints a check's vpc_endpoint must name; with nil it is not
// checked here (the caller checks it against the world it runs the checks
// in).
func DecodeChecks(n *tree.Node, w *world.World, opts CheckOptions) ([]*Check, error) {
	items, err := tree.List(n)
	if err != nil {
		return nil, err
	}
	out := make([]*Check, 0, len(items))
	var x *worldIndex // with no world (a review's assertions), references are checked by the caller's run
	if w != nil {
		x = indexWorld(w)
	}
	for _, item := range items {
		c, err := decodeCheck(item, w, x, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func decodeCheck(n *tree.Node, w *world.World, x *worldIndex, opts CheckOptions) (*Check, error) {
	o, err := tree.OpenObject(n, "name", "principal", "federated_by", "action", "resource", "resource_account",
		"context", "session_policy", "expect", "blocked_by", "source", "chain", "refused_hop", "time", "vpc_endpoint")
	if err != nil {
		return nil, err
	}
	c := &Check{File: n.File, Line: n.Line, Col: n.Col, Path: n.Path()}
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
		{"blocked_by", &c.BlockedBy, false}, {"source", &c.Source, !opts.SourceOptional}, {"vpc_endpoint", &c.VPCEndpoint, false},
	} {
		if *f.dst, err = o.Str(f.key, f.required); err != nil {
			return nil, err
		}
	}
	if err := decodeCheckChain(o, c); err != nil {
		return nil, err
	}
	if !expectations[c.Expect] {
		return nil, o.Errorf("expect", "invalid_value", "expect: expected allow, explicit-deny, implicit-deny, chain-refused or %s, got %q", ExpiredToken, c.Expect)
	}
	if c.BlockedBy != "" && (!guardrails[c.BlockedBy] || c.Expect == ExpiredToken) {
		return nil, o.Errorf("blocked_by", "invalid_value", "blocked_by: expected scp, rcp, boundary, session, identity, resource, credential, endpoint or protected (and no blocked_by with expect: %s), got %q", ExpiredToken, c.BlockedBy)
	}
	if err := checkTime(o, c); err != nil {
		return nil, err
	}
	if err := checkEndpoint(w, c, o); err != nil {
		return nil, err
	}
	if c.Context, err = decodeContext(o.Get("context")); err != nil {
		return nil, err
	}
	if an := o.Get("action"); an != nil {
		c.ActionAt = tree.Pos{Line: an.Line, Col: an.Col}
	}
	if cn := o.Get("context"); cn != nil && len(c.Context) > 0 {
		c.ContextAt = make(map[string]tree.Pos, len(cn.Keys))
		for i, k := range cn.Keys {
			kn := cn.KeyNode(i)
			c.ContextAt[k] = tree.Pos{Line: kn.Line, Col: kn.Col}
		}
	}
	if err := checkRequest(o, c); err != nil {
		return nil, err
	}
	if x != nil {
		if err := x.checkRefs(o); err != nil {
			return nil, err
		}
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

// checkTime reads a check's time (RFC 3339): when its request is made,
// which cannot precede its chain's time (the sessions the chain makes are
// issued then).
func checkTime(o *tree.ObjReader, c *Check) error {
	ts, err := o.Str("time", false)
	if err != nil || ts == "" {
		return err
	}
	if c.Time, err = time.Parse(time.RFC3339, ts); err != nil {
		return o.Errorf("time", "invalid_value", "time: expected an RFC 3339 time such as 2026-01-01T10:00:00Z, got %q", ts)
	}
	if c.Chain != nil && !c.Chain.Time.IsZero() && c.Time.Before(c.Chain.Time) {
		return o.Errorf("time", "invalid_value", "time: the request (%s) cannot precede its chain (%s), whose sessions are issued then",
			ts, c.Chain.Time.UTC().Format(time.RFC3339))
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
