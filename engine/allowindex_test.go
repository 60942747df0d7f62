package engine

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader"
)

// The allow index (mayAllow) only spares decisions: who-can over every
// principal of every corpus world, for every check's request, and the
// audits of the example worlds give the same answers with and without it.
func TestAllowIndexAgrees(t *testing.T) {
	files := corpusFiles(t)
	pruned := 0
	for _, f := range files {
		sc, err := loader.LoadScenarioFile(f)
		if err != nil {
			t.Fatal(err)
		}
		e, err := OpenScenario(context.Background(), sc)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range sc.Checks {
			if c.Action == "" {
				continue
			}
			req := RequestOf(c)
			q := WhoCanRequest{Action: req.Action, Resource: req.Resource, ResourceAccount: req.ResourceAccount,
				Context: req.Context, Time: req.Time}
			with, without := whoCanBoth(t, e, q)
			if !slices.Equal(with, without) {
				t.Errorf("%s:%d %s: who-can with the index %q, without %q", c.File, c.Line, c.Name, with, without)
			}
			pruned += len(principalsOf(e.store.Snapshot())) - len(with)
		}
	}
	if pruned == 0 {
		t.Error("the corpus never exercised the index (no principal denied)")
	}
	for _, f := range []string{"../corpus/example/company.yaml", "testdata/chain_world.yaml"} {
		sc, err := loader.LoadScenarioFile(f)
		if err != nil {
			t.Fatal(err)
		}
		e, err := OpenScenario(context.Background(), sc)
		if err != nil {
			t.Fatal(err)
		}
		with, without := auditBoth(t, e)
		if !slices.Equal(with, without) {
			t.Errorf("%s: audit with the index\n%q\nwithout\n%q", f, with, without)
		}
	}
}

func corpusFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir("../corpus", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".json")) {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("corpus files: %v (%d)", err, len(files))
	}
	return files
}

func whoCanBoth(t *testing.T, e *Engine, q WhoCanRequest) (with, without []string) {
	t.Helper()
	for _, off := range []bool{false, true} {
		e.noIndex = off
		grants, err := e.WhoCan(context.Background(), q)
		if err != nil {
			t.Fatalf("who-can %s %s: %v", q.Action, q.Resource, err)
		}
		var got []string
		for _, g := range grants {
			got = append(got, g.Principal+" "+strings.Join(g.Conditions, ","))
		}
		if off {
			without = got
		} else {
			with = got
		}
	}
	e.noIndex = false
	return with, without
}

func auditBoth(t *testing.T, e *Engine) (with, without []string) {
	t.Helper()
	for _, off := range []bool{false, true} {
		e.noIndex = off
		rep, err := e.Audit(context.Background(), AuditOptions{Time: t0,
			Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Findings {
			got = append(got, fmt.Sprintf("%s %s %s %d", f.Severity, f.Title, f.Principal, len(f.Evidence)))
		}
		if off {
			without = got
		} else {
			with = got
		}
	}
	e.noIndex = false
	return with, without
}
