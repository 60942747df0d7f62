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
	fs := newFlags("lint", "lint [--strict] [flags] WORLD", stdout)
	output := fs.String("output", "text", "output format: text or json")
	strict := fs.Bool("strict", false, "exit 1 when there is any warning (for CI); without it lint exits 0 whatever it finds")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{fmt.Errorf("give one scenario file")}
	}
	if *output != "text" && *output != "json" {
		return usageError{fmt.Errorf("--output: expected text or json, got %q", *output)}
	}
	ctx := context.Background()
	sc, e, err := openWorld(ctx, fs, fs.Arg(0))
	if err != nil {
		return err
	}
	warnWorld(stderr, sc)
	ws, err := query.New(e).Lint()
	if err != nil {
		return err
	}
	if *output == "json" {
		writeJSON(stdout, ws)
	} else {
		for _, w := range ws {
			render.Warning(stdout, w)
		}
		fmt.Fprintf(stdout, "%d warnings\n", len(ws))
	}
	if *strict && len(ws) > 0 {
		return errStrictWarnings
	}
	return nil
}
