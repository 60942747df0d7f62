// Package enginetest opens engines over scenario worlds for the tests of
// the engine's packages. Only tests import it.
package enginetest

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
)

// T0 is the fixed clock of the tests' requests and chains.
var T0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Open loads a scenario's world from YAML text.
func Open(t testing.TB, yaml string) *engine.Engine {
	t.Helper()
	sc, err := scenario.ParseScenario("test.yaml", []byte(yaml))
	return OpenParsed(t, sc, err)
}

// OpenFile opens an engine over a scenario file's world.
func OpenFile(t testing.TB, path string) *engine.Engine {
	t.Helper()
	return OpenFileWith(t, path, scenario.Options{})
}

// OpenFileWith opens an engine over a scenario file's world, read with
// options (folders besides its own that it may read).
func OpenFileWith(t testing.TB, path string, opts scenario.Options) *engine.Engine {
	t.Helper()
	sc, err := scenario.LoadFile(path, opts)
	return OpenParsed(t, sc, err)
}

// OpenParsed opens an engine over a scenario just parsed (err: the
// parse's error, which fails the test).
func OpenParsed(t testing.TB, sc *scenario.Scenario, err error) *engine.Engine {
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
	e, err := engine.New(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// Root is the repository's root directory (where go.mod is).
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; filepath.Dir(dir) != dir; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
	}
	t.Fatal("go.mod not found above the test's directory")
	return ""
}

// CorpusFiles lists the scenario files under corpus/, but for
// corpus/review, whose fixtures are changes a review reads (its runner is
// cmd/clearance's TestReviewCorpus).
func CorpusFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join(Root(t), "corpus"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == "review" && filepath.Base(filepath.Dir(p)) == "corpus" {
			return filepath.SkipDir
		}
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
