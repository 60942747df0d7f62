package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/tree"
)

var errHelp = errors.New("help shown")

// newFlags makes a flag set that prints its usage to stdout on --help.
func newFlags(name, synopsis string, stdout io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: clearance %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parseFlags(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return errHelp
		}
		return usageError{err}
	}
	return nil
}

func runWhy(args []string, stdout, _ io.Writer) error {
	fs := newFlags("why", "why --world FILE --principal ARN --action A --resource R [flags]", stdout)
	world := fs.String("world", "", "scenario file whose world to load (YAML or JSON)")
	req := &engine.Request{}
	fs.StringVar(&req.Principal, "principal", "", "requester: user, root, role session or federated user ARN, a service principal, or anonymous")
	fs.StringVar(&req.Action, "action", "", "action, e.g. s3:GetObject")
	fs.StringVar(&req.Resource, "resource", "", "resource ARN, or * for actions without a resource")
	fs.StringVar(&req.ResourceAccount, "resource-account", "", "account owning the resource when the ARN does not say (S3)")
	fs.StringVar(&req.FederatedBy, "federated-by", "", "IAM user ARN that created a federated-user session")
	sessionPolicy := fs.String("session-policy", "", "file with the session policy of a role or federated session")
	ctxPairs := fs.StringArray("context", nil, "context key=value (repeat a key, or write key=[a,b], for a multivalued key)")
	at := fs.String("time", "", "request time (RFC 3339) for aws:CurrentTime and aws:EpochTime; default now")
	output := fs.String("output", "text", "output format: text or json")
	chainOfFlags := chainFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	chain, err := chainOfFlags()
	if err != nil {
		return usageError{err}
	}
	if chain != nil && req.Principal != "" {
		return usageError{fmt.Errorf("give either --principal or a chain (--as/--step, --chain), not both")}
	}
	needRequest := chain == nil || req.Action != ""
	if *world == "" || (req.Principal == "" && chain == nil) || needRequest && (req.Action == "" || req.Resource == "") {
		fs.Usage()
		return usageError{fmt.Errorf("--world, --principal (or a chain), --action and --resource are required")}
	}
	if *output != "text" && *output != "json" {
		return usageError{fmt.Errorf("--output: expected text or json, got %q", *output)}
	}
	if req.Context, err = parseContext(*ctxPairs); err != nil {
		return usageError{err}
	}
	if *at != "" {
		if req.Time, err = time.Parse(time.RFC3339, *at); err != nil {
			return usageError{fmt.Errorf("--time: expected RFC 3339 such as 2026-01-02T15:04:05Z: %w", err)}
		}
	}
	if *sessionPolicy != "" {
		data, err := os.ReadFile(*sessionPolicy)
		if err != nil {
			return usageError{err}
		}
		if req.SessionPolicy, err = policy.ParsePolicyBytes(*sessionPolicy, data, policy.KindSession, *sessionPolicy); err != nil {
			return usageError{err}
		}
	}
	ctx := context.Background()
	_, e, err := openWorld(ctx, *world)
	if err != nil {
		return err
	}
	if chain != nil {
		return whyChain(ctx, e, chain, req, *output, stdout)
	}
	d, err := e.Decide(ctx, req)
	if err != nil {
		return usageError{err}
	}
	if *output == "json" {
		return writeJSON(stdout, d)
	}
	engine.WriteText(stdout, d)
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// whyChain walks the chain, then makes the request (if one was given) with
// its final session.
func whyChain(ctx context.Context, e *engine.Engine, chain *scenario.Chain, req *engine.Request, output string, w io.Writer) error {
	if chain.Time.IsZero() {
		chain.Time = req.Time // --time fixes the clock of the whole walk
	}
	res, err := e.Walk(ctx, chain)
	if err != nil {
		return usageError{err}
	}
	var d *engine.Decision
	if res.Final != nil && req.Action != "" {
		req.Session = res.Final
		if req.Time.IsZero() {
			req.Time = res.Final.Issued
		}
		if d, err = e.Decide(ctx, req); err != nil {
			return usageError{err}
		}
	}
	if output == "json" {
		return writeJSON(w, struct {
			Chain    *engine.ChainResult `json:"chain"`
			Decision *engine.Decision    `json:"decision,omitempty"`
		}{res, d})
	}
	engine.WriteChain(w, res)
	if d != nil {
		fmt.Fprintln(w, "final request:")
		engine.WriteText(w, d)
	}
	return nil
}

// chainOf builds the chain of --as/--step or --chain, or nil without one.
func chainOf(as string, steps []string, file string) (*scenario.Chain, error) {
	if file != "" {
		if as != "" || len(steps) > 0 {
			return nil, fmt.Errorf("give either --chain or --as/--step, not both")
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		n, err := tree.Decode(file, data)
		if err != nil {
			return nil, err
		}
		return scenario.DecodeChain(n)
	}
	if len(steps) == 0 {
		if as != "" {
			return nil, fmt.Errorf("--as needs at least one --step")
		}
		return nil, nil
	}
	c := &scenario.Chain{As: as}
	for i, s := range steps {
		st, err := parseStep(i+1, s)
		if err != nil {
			return nil, err
		}
		c.Steps = append(c.Steps, st)
	}
	return c, nil
}
