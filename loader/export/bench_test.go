package export

import (
	"os"
	"testing"

	"github.com/clearance-dev/clearance/internal/sharedtest"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// BenchmarkLoadCloudsplaining reads cloudsplaining's example export
// (824 KB: 44 users, 78 roles, 84 managed policies) and loads it into a
// new store, as `clearance` does for export: worlds. The project's target
// is under one second.
func BenchmarkLoadCloudsplaining(b *testing.B) {
	data, err := os.ReadFile(sharedtest.Path(b, "conformance/cloudsplaining/examples/files/example.json"))
	if err != nil {
		b.Skipf("cloudsplaining example: %v", err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		x, err := ParseIAMExport("example.json", data)
		if err != nil {
			b.Fatal(err)
		}
		s, err := store.NewStore()
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Load(&world.World{Accounts: x.Accounts}); err != nil {
			b.Fatal(err)
		}
	}
}
