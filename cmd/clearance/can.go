package main

import (
	"context"
	"fmt"
	"io"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/engine/sts"
)

func runCan(args []string, stdout, _ io.Writer) error {
	fs := newFlags("can", "can --world FILE (PRINCIPAL | --as ARN --step ... | --chain FILE) [flags]", stdout)
	world := fs.String("world", "", "scenario file whose world to load (YAML or JSON)")
	chainOfFlags := chainFlags(fs)
	ctxPairs := fs.StringArray("context", nil, "context key=value every request carries")
	at := fs.String("time", "", "when the requests are made (RFC 3339); default the context's aws:CurrentTime, else the chain's time, else now")
	output := fs.String("output", "text", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	chain, err := chainOfFlags()
	if err != nil {
		return usageError{err}
	}
	if *world == "" || (chain == nil) == (fs.NArg() != 1) {
		fs.Usage()
		return usageError{fmt.Errorf("--world and either PRINCIPAL or a chain are required")}
	}
	req := &engine.Request{}
	if req.Context, err = parseContext(*ctxPairs); err != nil {
		return usageError{err}
	}
	if req.Time, err = parseTime("time", *at); err != nil {
		return usageError{err}
	}
	ctx := context.Background()
	_, e, err := openWorld(ctx, fs, *world)
	if err != nil {
		return err
	}
	if chain != nil {
		ans, err := sts.New(e).Ask(ctx, &sts.Question{Chain: chain, Request: *req})
		if err != nil {
			return err
		}
		res := ans.Chain
		if res.Final == nil {
			render.Chain(stdout, res)
			return nil
		}
		req.Session, req.Time = res.Final, ans.At
	} else {
		req.Principal = fs.Arg(0)
	}
	eff, err := query.New(e).Can(ctx, req)
	if err != nil {
		return err
	}
	if *output == "json" {
		return writeJSON(stdout, eff)
	}
	render.Effective(stdout, eff)
	return nil
}
