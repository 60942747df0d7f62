package engine

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader"
)

// TestCorpus runs every check of every scenario file under corpus/. Each
// check cites the AWS page or observed data its expectation comes from.
func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	total := 0
	for _, f := range files {
		t.Run(strings.TrimPrefix(f, "../corpus/"), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := loader.ParseScenario(f, data)
			if err != nil {
				t.Fatal(err)
			}
			results, err := RunScenario(context.Background(), sc)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range results {
				total++
				if !r.Passed() {
					var sb strings.Builder
					if r.Decision != nil {
						WriteText(&sb, r.Decision)
					}
					t.Errorf("%s:%d %s: %s (source: %s)\n%s", r.Check.File, r.Check.Line, r.Check.Name, r.Problem(), r.Check.Source, sb.String())
				}
			}
		})
	}
	t.Logf("%d checks in %d files", total, len(files))
}

// A world whose organization comes from an aws organizations export
// (loader/testdata/org) decides like an inline one.
func TestOrgExportWorld(t *testing.T) {
	sc, err := loader.LoadScenarioFile("../loader/testdata/org_world.yaml")
	if err != nil {
		t.Fatal(err)
	}
	results, err := RunScenario(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !r.Passed() {
			t.Errorf("%s: %s", r.Check.Name, r.Problem())
		}
	}
}
