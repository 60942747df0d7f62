package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/query"
)

func runWhoCan(args []string, stdout, _ io.Writer) error {
	fs := newFlags("who-can", "who-can --world FILE ACTION RESOURCE [flags]", stdout)
	world := fs.String("world", "", "scenario file whose world to load (YAML or JSON)")
	account := fs.String("resource-account", "", "account owning the resource when the ARN does not say (S3)")
	ctxPairs := fs.StringArray("context", nil, "context key=value the requests carry")
	at := fs.String("time", "", "request time (RFC 3339); default now")
	noReach := fs.Bool("no-reach", false, "do not work out who can reach each allowed role")
	output := fs.String("output", "text", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *world == "" || fs.NArg() != 2 {
		fs.Usage()
		return usageError{fmt.Errorf("--world, ACTION and RESOURCE are required")}
	}
	q := query.WhoCanRequest{Action: fs.Arg(0), Resource: fs.Arg(1), ResourceAccount: *account, Reach: !*noReach}
	var err error
	if q.Context, err = parseContext(*ctxPairs); err != nil {
		return usageError{err}
	}
	if *at != "" {
		if q.Time, err = time.Parse(time.RFC3339, *at); err != nil {
			return usageError{fmt.Errorf("--time: expected RFC 3339: %w", err)}
		}
	}
	ctx := context.Background()
	_, e, err := openWorld(ctx, *world)
	if err != nil {
		return err
	}
	grants, err := query.New(e).WhoCan(ctx, q)
	if err != nil {
		return err
	}
	if *output == "json" {
		return writeJSON(stdout, grants)
	}
	writeGrants(stdout, q, grants)
	return nil
}

func writeGrants(w io.Writer, q query.WhoCanRequest, grants []query.Grant) {
	fmt.Fprintf(w, "who can %s on %s:\n", q.Action, q.Resource)
	for _, g := range grants {
		fmt.Fprintf(w, "  %s (%s)\n", g.Principal, g.Kind)
		fmt.Fprintf(w, "      why: %s\n", engine.Summary(g.Decision))
		if len(g.Conditions) > 0 {
			fmt.Fprintf(w, "      provided these hold as given: %s\n", strings.Join(g.Conditions, ", "))
		}
		for _, p := range g.EntryPoints {
			fmt.Fprintf(w, "      entered from %s (when the trust policy's conditions hold)\n", p)
		}
		for _, r := range g.ReachedBy {
			via := strings.Join(r.Path, " -> ")
			if len(r.Needs) > 0 {
				via += " (with " + strings.Join(r.Needs, ", ") + ")"
			}
			fmt.Fprintf(w, "      reached by %s\n", via)
		}
	}
	fmt.Fprintf(w, "%d principals and sessions allowed\n", len(grants))
}
