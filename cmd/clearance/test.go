package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/loader/scenario"
)

func runTest(args []string, stdout, _ io.Writer) error {
	fset := newFlags("test", "test [--verbose] FILE|DIR...", stdout)
	verbose := fset.BoolP("verbose", "v", false, "print every check, not only failures")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() == 0 {
		fset.Usage()
		return usageError{fmt.Errorf("give at least one scenario file or directory")}
	}
	files, err := scenarioFiles(fset.Args())
	if err != nil {
		return usageError{err}
	}
	opts, err := inputOptions(fset)
	if err != nil {
		return usageError{err}
	}
	ctx := context.Background()
	passed, failed := 0, 0
	var fault error // the first check the engine failed to answer
	for _, f := range files {
		sc, err := scenario.LoadFile(f, opts)
		if err != nil {
			return usageError{err}
		}
		results, err := checks.RunScenario(ctx, sc)
		if err != nil {
			return err
		}
		for _, r := range results {
			if r.Err != nil && fault == nil && exitCode(r.Err) == exitInternal {
				fault = fmt.Errorf("%s:%d %s: %w", r.Check.File, r.Check.Line, r.Check.Name, r.Err)
			}
			if r.Passed() {
				passed++
				if *verbose {
					fmt.Fprintf(stdout, "ok   %s:%d %s\n", r.Check.File, r.Check.Line, r.Check.Name)
				}
				continue
			}
			failed++
			render.Failure(stdout, r)
		}
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	if fault != nil {
		return fault // a check the engine could not answer did not fail: exit 3
	}
	if failed > 0 {
		return errChecksFailed
	}
	return nil
}

// scenarioFiles expands directories into their .yaml, .yml and .json
// files, sorted.
func scenarioFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && isScenarioFile(p) {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

func isScenarioFile(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}
