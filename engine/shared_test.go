package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/clearance-dev/clearance/loader"
)

// openTestEngine loads a scenario's world from YAML text.
func openTestEngine(t testing.TB, yaml string) *Engine {
	t.Helper()
	sc, err := loader.ParseScenario("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	e, err := OpenScenario(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// sharedDir finds ../shared beside the repository (CI always has it). When
// it is absent the calling test skips and says why.
func sharedDir(t testing.TB, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "..", "shared", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skipf("shared/%s not found beside the repository: conformance data is only in CI and developer checkouts", rel)
		}
		dir = parent
	}
}
