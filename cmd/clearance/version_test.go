package main

import (
	"regexp"
	"strings"
	"testing"
)

// `clearance version` names itself, the Go toolchain and the OPA version the
// binary was built with (from the build information, not a constant).
func TestVersion(t *testing.T) {
	var stdout, stderr strings.Builder
	if code := run([]string{"version"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !regexp.MustCompile(`^clearance \S+.*, go1\.\d+\S*/\w+, OPA v1\.\d+\.\d+\n$`).MatchString(stdout.String()) {
		t.Errorf("version line %q", stdout.String())
	}
	if code := run([]string{"version", "extra"}, &stdout, &stderr); code != 2 {
		t.Errorf("version with an argument: exit %d, want 2", code)
	}
}
