package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/engine/render"
	model "github.com/clearance-dev/clearance/loader/world"
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
	if q.Resource, err = model.RequestResource(q.Resource); err == nil && q.Resource == "*" {
		err = model.CheckStar(q.Action)
	}
	if err != nil {
		return usageError{err}
	}
	if q.Context, err = parseContext(*ctxPairs); err != nil {
		return usageError{err}
	}
	if *at != "" {
		if q.Time, err = time.Parse(time.RFC3339, *at); err != nil {
			return usageError{fmt.Errorf("--time: expected RFC 3339: %w", err)}
		}
	}
	ctx := context.Background()
	_, e, err := openWorld(ctx, fs, *world)
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
	render.Grants(stdout, q, grants)
	return nil
}
