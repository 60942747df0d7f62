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

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/scenario"
)

func runTest(args []string, stdout, stderr io.Writer) error {
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
	go catalog.Load() // decoded while the first world loads, for the typo warnings
	r := &testRun{stdout: stdout, typos: &typoWarner{w: stderr}, verbose: *verbose, opts: opts}
	for _, f := range files {
		r.file(context.Background(), f)
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", r.passed, r.failed)
	if r.fault != nil {
		return r.fault // a check the engine could not answer did not fail: exit 3
	}
	if r.unloaded != nil {
		// Every file ran that could; a file that does not load is bad input.
		return usageError{fmt.Errorf("%d of %d files did not load; the first: %w", r.unloadedN, len(files), r.unloaded)}
	}
	if r.failed > 0 {
		return errChecksFailed
	}
	return nil
}

// testRun is one `clearance test`: its tally, and the first fault of the
// engine.
type testRun struct {
	stdout         io.Writer
	typos          *typoWarner
	verbose        bool
	opts           scenario.Options // what a world may read
	passed, failed int
	fault          error
	unloaded       error // the first file that did not load (bad input: exit 2)
	unloadedN      int
}

// file runs a scenario file's checks. A file that does not load is one
// failure, reported with the loader's positioned error; the other files
// still run, and the run exits 2 (bad input) at the end.
func (r *testRun) file(ctx context.Context, f string) {
	sc, err := scenario.LoadFile(f, r.opts)
	var e *engine.Engine
	if err == nil {
		e, err = checks.OpenScenario(ctx, sc)
	}
	if err == nil {
		err = r.typos.world(e) // once per file
	}
	if err != nil {
		r.failed++
		render.LoadFailure(r.stdout, f, err)
		if r.fault == nil && exitCode(err) == exitInternal {
			r.fault = fmt.Errorf("%s: %w", f, err)
		}
		if r.unloadedN++; r.unloaded == nil {
			r.unloaded = err
		}
		return
	}
	for _, c := range sc.Checks {
		err := r.typos.question(checks.QuestionOf(c), func(key string) string {
			at := c.ActionAt
			if key != "" {
				at = c.ContextAt[key]
			}
			return fmt.Sprintf("%s:%d:%d: check %q", c.File, at.Line, at.Col, c.Name)
		})
		if err != nil && r.fault == nil {
			r.fault = err
		}
		r.result(checks.New(e).RunCheck(ctx, c))
	}
}

func (r *testRun) result(res checks.CheckResult) {
	if res.Err != nil && r.fault == nil && exitCode(res.Err) == exitInternal {
		r.fault = fmt.Errorf("%s:%d %s: %w", res.Check.File, res.Check.Line, res.Check.Name, res.Err)
	}
	if res.Passed() {
		r.passed++
		if r.verbose {
			fmt.Fprintf(r.stdout, "ok   %s:%d %s\n", res.Check.File, res.Check.Line, res.Check.Name)
		}
		return
	}
	r.failed++
	render.Failure(r.stdout, res)
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
