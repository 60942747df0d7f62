package engine

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/clearance-dev/clearance/engine/bundle"
	policies "github.com/clearance-dev/clearance/rego"
)

// TestRegoUnitTests runs every _test.rego test of the embedded bundle, with
// the iam.* built-ins registered.
func TestRegoUnitTests(t *testing.T) {
	mods, err := bundle.Modules(true)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := tester.NewRunner().SetModules(mods).RaiseBuiltinErrors(true).Run(context.Background(), mods)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r := range ch {
		n++
		if r.Fail || r.Error != nil {
			t.Errorf("%s.%s (%s): fail=%v err=%v", r.Package, r.Name, r.Location, r.Fail, r.Error)
		}
	}
	if n == 0 {
		t.Fatal("no Rego test ran")
	}
	t.Logf("%d Rego tests", n)
}

// TestRegoStrictCompile compiles the bundle (tests included) in strict mode.
func TestRegoStrictCompile(t *testing.T) {
	if _, err := bundle.Compile(true); err != nil {
		t.Fatal(err)
	}
}

// TestRegoFormatted fails when a .rego file is not as `opa fmt` writes it.
// With CLEARANCE_REGO_FMT=1 (make fmt) it rewrites the files instead.
func TestRegoFormatted(t *testing.T) {
	rewrite := os.Getenv("CLEARANCE_REGO_FMT") == "1"
	err := fs.WalkDir(policies.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") {
			return err
		}
		src, err := fs.ReadFile(policies.FS, path)
		if err != nil {
			return err
		}
		got, err := format.Source(path, src)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		if !bytes.Equal(got, src) && rewrite {
			if err := os.WriteFile(filepath.Join("..", "rego", path), got, 0o644); err != nil {
				t.Errorf("%s: %v", path, err)
			}
			return nil
		}
		if !bytes.Equal(got, src) {
			t.Errorf("%s is not opa-fmt formatted (run: make fmt)", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
