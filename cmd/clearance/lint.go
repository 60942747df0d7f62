package main

import (
	"context"
	"fmt"
	"io"

	"github.com/clearance-dev/clearance/engine/query"
)

func runLint(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("lint", "lint [flags] WORLD", stdout)
	output := fs.String("output", "text", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{fmt.Errorf("give one scenario file")}
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
		return writeJSON(stdout, ws)
	}
	for _, w := range ws {
		if w.Statement < 0 { // about the whole document
			fmt.Fprintf(stdout, "%s: %s\n", w.Policy, w.Message)
			continue
		}
		fmt.Fprintf(stdout, "%s, statement %d: %s\n", w.Policy, w.Statement, w.Message)
	}
	fmt.Fprintf(stdout, "%d warnings\n", len(ws))
	return nil
}
