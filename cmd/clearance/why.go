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
	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/catalog"
)

var errHelp = errors.New("help shown")

// newFlags makes a flag set that prints its usage to stdout on --help.
func newFlags(name, synopsis string, stdout io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stdout)
	if readsWorlds[name] {
		inputFlags(fs)
	}
	if evaluatorCommands[name] {
		evaluatorFlag(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: clearance %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
		fmt.Fprint(stdout, "\n"+exitCodes)
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

func runWhy(args []string, stdout, stderr io.Writer) error {
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
	at := fs.String("time", "", "when the request is made (RFC 3339): aws:CurrentTime, aws:EpochTime, credential expiry and aws:MultiFactorAuthAge; default the context's aws:CurrentTime, else the chain's time, else now")
	fs.StringVar(&req.VPCEndpoint, "vpc-endpoint", "", "id of the VPC endpoint the request goes through (vpce-...): its endpoint policy applies, and it sets aws:SourceVpce and aws:SourceVpc")
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
	if req.Time, err = parseTime("time", *at); err != nil {
		return usageError{err}
	}
	if *sessionPolicy != "" {
		data, err := os.ReadFile(*sessionPolicy)
		if err != nil {
			return usageError{err}
		}
		if req.SessionPolicy, err = sts.ParseSessionPolicy(*sessionPolicy, data); err != nil {
			return usageError{err}
		}
	}
	go catalog.Load() // decoded while the world loads, for the typo warnings
	ctx := context.Background()
	_, e, err := openWorld(ctx, fs, *world)
	if err != nil {
		return err
	}
	q := &sts.Question{Request: *req, Chain: chain}
	if err := warnTypos(stderr, e, q); err != nil {
		return err
	}
	ans, err := sts.New(e).Ask(ctx, q)
	if err != nil {
		return err
	}
	writeAnswer(stdout, ans, *output)
	return nil
}

// parseTime reads a time flag (RFC 3339); "" is no time.
func parseTime(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--%s: expected RFC 3339 such as 2026-01-02T15:04:05Z: %w", flag, err)
	}
	return t, nil
}

// warnTypos warns on stderr about the names AWS does not have in the
// world's policies and in a why question (its flags: --action, --context,
// --session-policy, the chain's policies).
func warnTypos(stderr io.Writer, e *engine.Engine, q *sts.Question) error {
	tw := &typoWarner{w: stderr}
	if err := tw.world(e); err != nil {
		return err
	}
	return tw.question(q, func(key string) string {
		if key == "" {
			return "--action"
		}
		return "--context"
	})
}

// writeAnswer prints an answer: the decision alone, or the chain and the
// final request's decision.
func writeAnswer(w io.Writer, ans *sts.Answer, output string) {
	switch {
	case output == "json" && ans.Chain == nil:
		writeJSON(w, ans.Decision)
	case output == "json":
		writeJSON(w, ans)
	case ans.Chain == nil:
		render.Decision(w, ans.Decision)
	default:
		render.Chain(w, ans.Chain)
		if ans.Decision != nil {
			fmt.Fprintln(w, "final request:")
			render.Decision(w, ans.Decision)
		}
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// chainOf builds the chain of --as/--step or --chain, or nil without one.
func chainOf(as string, steps []string, file string) (*sts.Chain, error) {
	if file != "" {
		if as != "" || len(steps) > 0 {
			return nil, fmt.Errorf("give either --chain or --as/--step, not both")
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		return sts.DecodeChain(file, data)
	}
	if len(steps) == 0 {
		if as != "" {
			return nil, fmt.Errorf("--as needs at least one --step")
		}
		return nil, nil
	}
	c := &sts.Chain{As: as}
	for i, s := range steps {
		st, err := parseStep(i+1, s)
		if err != nil {
			return nil, err
		}
		c.Steps = append(c.Steps, st)
	}
	return c, nil
}
