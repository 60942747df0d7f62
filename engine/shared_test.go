package engine

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
)

// openTestEngine loads a scenario's world from YAML text.
func openTestEngine(t testing.TB, yaml string) *Engine {
	t.Helper()
	sc, err := scenario.ParseScenario("test.yaml", []byte(yaml))
	return openParsed(t, sc, err)
}

// openParsed opens an engine over a scenario just parsed (err: the parse's).
func openParsed(t testing.TB, sc *scenario.Scenario, err error) *Engine {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.NewStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(sc.World); err != nil {
		t.Fatalf("%s: %v", sc.File, err)
	}
	e, err := NewWithOptions(context.Background(), s, Options{Evaluator: testEvaluator})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// testEvaluator decides every request of the engine's tests both ways
// (topdown and plan): a decision on which they differ fails its test.
const testEvaluator = EvaluatorBoth

// corpusFiles lists the scenario files under corpus/.
func corpusFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir("../corpus", func(p string, d fs.DirEntry, err error) error {
		ext := strings.ToLower(filepath.Ext(p))
		if err == nil && !d.IsDir() && (ext == ".yaml" || ext == ".yml" || ext == ".json") {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("scenario files under corpus/: %v (%d found)", err, len(files))
	}
	return files
}

// openScenarioFile opens an engine over a scenario file's world.
func openScenarioFile(t testing.TB, path string) *Engine {
	t.Helper()
	sc, err := scenario.LoadScenarioFile(path)
	return openParsed(t, sc, err)
}

// t0 is the fixed clock of the core's tests (enginetest.T0 for the rest).
var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
