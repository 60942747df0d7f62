// Package sharedtest finds the project's shared conformance data
// (../shared beside the repository) for tests. CI always has it; in a
// user's clone it is absent, and the tests that need it skip and say why.
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Root returns the shared directory beside the repository, or "" when
// there is none.
func Root() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for ; filepath.Dir(dir) != dir; dir = filepath.Dir(dir) {
		cand := filepath.Join(filepath.Dir(dir), "shared")
		if st, err := os.Stat(filepath.Join(cand, "conformance")); err == nil && st.IsDir() {
			return cand
		}
	}
	return ""
}

// Path returns shared/rel, or skips the test, naming what is missing.
func Path(t testing.TB, rel string) string {
	t.Helper()
	root := Root()
	if root == "" {
		t.Skipf("shared/%s not found beside the repository: conformance data is only in CI and developer checkouts", rel)
	}
	p := filepath.Join(root, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Skipf("conformance data shared/%s is not available: %v", rel, err)
	}
	return p
}
