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

func runCan(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("can", "can (--world FILE... | FILE) (PRINCIPAL | --as ARN --step ... | --chain FILE) [flags]", stdout)
	worlds := worldFlag(fs)
	chainOfFlags := chainFlags(fs)
	ctxPairs := fs.StringArray("context", nil, "context key=value every request carries")
	at := fs.String("time", "", "when the requests are made (RFC 3339); default the context's aws:CurrentTime, else the chain's time, else now")
	report := addReportFlags(fs, "text", "json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	inputs, rest, err := oneWorld(fs, *worlds, 1)
	if err != nil {
		fs.Usage()
		return err
	}
	if err := report.check(stderr); err != nil {
		return err
	}
	chain, err := chainOfFlags()
	if err != nil {
		return usageError{err}
	}
	if (chain == nil) == (len(rest) != 1) {
		fs.Usage()
		return usageError{fmt.Errorf("give either PRINCIPAL or a chain (--as/--step, --chain)")}
	}
	req := &engine.Request{}
	if req.Context, err = parseContext(*ctxPairs); err != nil {
		return usageError{err}
	}
	if req.Time, err = parseTime("time", *at); err != nil {
		return usageError{err}
	}
	ctx := context.Background()
	sc, e, err := openInputs(ctx, fs, inputs)
	if err != nil {
		return err
	}
	read := append(append(inputs, sc.World.Sources...), flagFiles(fs, "chain")...)
	if err := report.checkOut(read); err != nil {
		return err
	}
	if chain != nil {
		ans, err := sts.New(e).Ask(ctx, &sts.Question{Chain: chain, Request: *req})
		if err != nil {
			return err
		}
		res := ans.Chain
		if res.Final == nil {
			return report.write(stdout, read, func(w io.Writer) error { return writeAnswer(w, ans, report.format) })
		}
		req.Session, req.Time = res.Final, ans.At
	} else {
		req.Principal = rest[0]
	}
	eff, err := query.New(e).CanProgress(ctx, req, progressFor(fs, stderr).fn())
	if err != nil {
		return err
	}
	return report.write(stdout, read, func(w io.Writer) error {
		if report.format == "json" {
			return writeJSON(w, eff)
		}
		render.Effective(w, eff)
		return nil
	})
}
