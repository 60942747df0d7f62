package loader

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLoadCloudsplaining reads cloudsplaining's example export
// (824 KB: 44 users, 78 roles, 84 managed policies) and loads it into a
// new store, as `clearance` does for export: worlds. The project's target
// is under one second.
func BenchmarkLoadCloudsplaining(b *testing.B) {
	dir := sharedDir(b)
	if dir == "" {
		b.Skip("no ../shared directory beside the project: the cloudsplaining example is not available")
	}
	data, err := os.ReadFile(filepath.Join(dir, "conformance", "cloudsplaining", "examples", "files", "example.json"))
	if err != nil {
		b.Skipf("cloudsplaining example: %v", err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		x, err := ParseIAMExport("example.json", data)
		if err != nil {
			b.Fatal(err)
		}
		s, err := NewStore()
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Load(&World{Accounts: x.Accounts}); err != nil {
			b.Fatal(err)
		}
	}
}
