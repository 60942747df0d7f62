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

func runWhoCan(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("who-can", "who-can (--world FILE... | FILE) ACTION RESOURCE [flags]", stdout)
	worlds := worldFlag(fs)
	account := fs.String("resource-account", "", "account owning the resource when the ARN does not say (S3)")
	ctxPairs := fs.StringArray("context", nil, "context key=value the requests carry")
	at := fs.String("time", "", "request time (RFC 3339); default now")
	noReach := fs.Bool("no-reach", false, "do not work out who can reach each allowed role")
	report := addReportFlags(fs, "text", "json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	inputs, rest, err := oneWorld(fs, *worlds, 2)
	if err != nil {
		fs.Usage()
		return err
	}
	if len(rest) != 2 {
		fs.Usage()
		return usageError{fmt.Errorf("ACTION and RESOURCE are required")}
	}
	if err := report.check(stderr); err != nil {
		return err
	}
	q := query.WhoCanRequest{Action: rest[0], Resource: rest[1], ResourceAccount: *account, Reach: !*noReach}
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
	sc, e, err := openInputs(ctx, fs, inputs)
	if err != nil {
		return err
	}
	read := append(inputs, sc.World.Sources...)
	if err := report.checkOut(read); err != nil {
		return err
	}
	q.Progress = progressFor(fs, stderr).fn()
	grants, err := query.New(e).WhoCan(ctx, q)
	if err != nil {
		return err
	}
	return report.write(stdout, read, func(w io.Writer) error {
		if report.format == "json" {
			return writeJSON(w, grants)
		}
		render.Grants(w, q, grants)
		return nil
	})
}
