package checks_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// TestCorpus runs every check of every scenario file under corpus/. Each
// check cites the AWS page or observed data its expectation comes from.
func TestCorpus(t *testing.T) {
	files := enginetest.CorpusFiles(t)
	total := 0
	for _, f := range files {
		t.Run(strings.TrimPrefix(f, "../../corpus/"), func(t *testing.T) {
			total += runScenarioFile(t, f)
		})
	}
	t.Logf("%d checks in %d files", total, len(files))
}

// A world whose organization comes from an aws organizations export
// (loader/export/testdata/org) decides like an inline one.
func TestOrgExportWorld(t *testing.T) {
	runScenarioFile(t, "../../loader/export/testdata/org_world.yaml")
}

// runScenarioFile runs every check of a scenario file, reports each
// failing one with its explanation, and returns how many ran.
func runScenarioFile(t *testing.T, path string) int {
	t.Helper()
	sc, err := scenario.LoadScenarioFile(path)
	if err != nil {
		t.Fatal(err)
	}
	results, err := checks.RunScenario(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !r.Passed() {
			var sb strings.Builder
			if r.Decision != nil {
				render.Decision(&sb, r.Decision)
			}
			t.Errorf("%s:%d %s: %s (source: %s)\n%s", r.Check.File, r.Check.Line, r.Check.Name, r.Problem(), r.Check.Source, sb.String())
		}
	}
	return len(results)
}
