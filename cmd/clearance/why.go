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
	"github.com/clearance-dev/clearance/loader"
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
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *world == "" || req.Principal == "" || req.Action == "" || req.Resource == "" {
		fs.Usage()
		return usageError{fmt.Errorf("--world, --principal, --action and --resource are required")}
	}
	if *output != "text" && *output != "json" {
		return usageError{fmt.Errorf("--output: expected text or json, got %q", *output)}
	}
	var err error
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
		if req.SessionPolicy, err = loader.ParsePolicyBytes(*sessionPolicy, data, loader.KindSession, *sessionPolicy); err != nil {
			return usageError{err}
		}
	}
	ctx := context.Background()
	sc, err := loader.LoadScenarioFile(*world)
	if err != nil {
		return usageError{err}
	}
	e, err := engine.OpenScenario(ctx, sc)
	if err != nil {
		return usageError{err}
	}
	d, err := e.Decide(ctx, req)
	if err != nil {
		return usageError{err}
	}
	if *output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	engine.WriteText(stdout, d)
	return nil
}
