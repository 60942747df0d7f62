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
	fset := newFlags("test", "test [--verbose] [flags] (FILE|DIR)... (or --world FILE, repeatable)", stdout)
	worlds := worldFlag(fset)
	verbose := fset.BoolP("verbose", "v", false, "print every check, not only failures")
	report := addReportFlags(fset, "text", "json")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	inputs := append(append([]string(nil), *worlds...), fset.Args()...)
	if len(inputs) == 0 {
		fset.Usage()
		return usageError{fmt.Errorf("give at least one scenario file or directory")}
	}
	if err := report.check(stderr); err != nil {
		return err
	}
	files, err := scenarioFiles(inputs)
	if err != nil {
		return usageError{err}
	}
	opts, err := inputOptions(fset)
	if err != nil {
		return usageError{err}
	}
	if err := report.checkOut(inputs); err != nil {
		return err
	}
	go catalog.Load() // decoded while the first world loads, for the typo warnings
	p := progressFor(fset, stderr)
	r := &testRun{typos: &typoWarner{w: clearingWriter{stderr, p}}, verbose: *verbose, opts: opts}
	if report.format == "json" {
		r.json = &testJSON{Checks: []testCheckJSON{}, Unloaded: []testLoadJSON{}}
	}
	err = report.write(stdout, inputs, func(w io.Writer) error {
		r.stdout = clearingWriter{w, p}
		for i, f := range files {
			r.file(context.Background(), f)
			if p != nil {
				p.report(stageFiles, i+1, len(files))
			}
		}
		if r.json != nil {
			r.json.Passed, r.json.Failed = r.passed, r.failed
			return writeJSON(w, r.json)
		}
		_, err := fmt.Fprintf(w, "%d passed, %d failed\n", r.passed, r.failed)
		return err
	})
	if err != nil {
		return err
	}
	return r.outcome(len(files))
}

// outcome is the run's error: an engine fault (exit 3), a file that did
// not load (exit 2), a failed check (exit 1), or nil.
func (r *testRun) outcome(files int) error {
	if r.fault != nil {
		return r.fault // a check the engine could not answer did not fail: exit 3
	}
	if r.unloaded != nil {
		// Every file ran that could; a file that does not load is bad input.
		return usageError{fmt.Errorf("%d of %d files did not load; the first: %w", r.unloadedN, files, r.unloaded)}
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
	json           *testJSON // with --format json: the results, written at the end
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
		r.loadFailure(f, err)
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
	r.json.add(res)
	if res.Err != nil && r.fault == nil && exitCode(res.Err) == exitInternal {
		r.fault = fmt.Errorf("%s:%d %s: %w", res.Check.File, res.Check.Line, res.Check.Name, res.Err)
	}
	if res.Passed() {
		r.passed++
		if r.verbose && r.json == nil {
			fmt.Fprintf(r.stdout, "ok   %s:%d %s\n", res.Check.File, res.Check.Line, res.Check.Name)
		}
		return
	}
	r.failed++
	if r.json == nil {
		render.Failure(r.stdout, res)
	}
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
