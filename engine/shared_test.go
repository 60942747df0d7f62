package engine

import (
	"os"
	"path/filepath"
	"testing"
)

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
