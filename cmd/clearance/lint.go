package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/engine/render"
)

// errStrictWarnings means lint --strict found warnings: exit code 1.
var errStrictWarnings = errors.New("warnings under --strict")

func runLint(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("lint", "lint [--strict] [flags] (--world FILE... | FILE...)", stdout)
	worlds := worldFlag(fs)
	report := addReportFlags(fs, "text", "json")
	strict := fs.Bool("strict", false, "exit 1 when there is any warning (for CI); without it lint exits 0 whatever it finds")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	inputs, _, err := oneWorld(fs, *worlds, 0)
	if err != nil {
		fs.Usage()
		return err
	}
	if err := report.check(stderr); err != nil {
		return err
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
	warnWorld(stderr, sc)
	ws, err := query.New(e).Lint()
	if err != nil {
		return err
	}
	err = report.write(stdout, read, func(w io.Writer) error {
		if report.format == "json" {
			return writeJSON(w, ws)
		}
		for _, x := range ws {
			render.Warning(w, x)
		}
		_, err := fmt.Fprintf(w, "%d warnings\n", len(ws))
		return err
	})
	if err != nil {
		return err
	}
	if *strict && len(ws) > 0 {
		return errStrictWarnings
	}
	return nil
}
