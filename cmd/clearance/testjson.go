package main

import (
	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/engine/render"
)

// testJSON is `clearance test --format json`: the tally, every check with
// its answer, and the files that did not load.
type testJSON struct {
	Passed   int             `json:"passed"`
	Failed   int             `json:"failed"`
	Checks   []testCheckJSON `json:"checks"`
	Unloaded []testLoadJSON  `json:"unloaded"`
}

// testCheckJSON is one check: where it is written, what it expected, what
// the engine answered, and what went wrong when it failed.
type testCheckJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Name    string `json:"name"`
	Source  string `json:"source"`
	Expect  string `json:"expect"`
	Answer  string `json:"answer"`
	Passed  bool   `json:"passed"`
	Problem string `json:"problem,omitempty"`
}

// testLoadJSON is a file that did not load, with the loader's error.
type testLoadJSON struct {
	File  string `json:"file"`
	Error string `json:"error"`
}

func (j *testJSON) add(res checks.CheckResult) {
	if j == nil {
		return
	}
	c := testCheckJSON{File: res.Check.File, Line: res.Check.Line, Name: res.Check.Name, Source: res.Check.Source,
		Expect: res.Check.Expect, Answer: res.Answer(), Passed: res.Passed()}
	if !c.Passed {
		c.Problem = res.Problem()
	}
	j.Checks = append(j.Checks, c)
}

// loadFailure reports a file that did not load: in the text report, or
// in the JSON one.
func (r *testRun) loadFailure(file string, err error) {
	if r.json == nil {
		render.LoadFailure(r.stdout, file, err)
		return
	}
	r.json.Unloaded = append(r.json.Unloaded, testLoadJSON{File: file, Error: err.Error()})
}
