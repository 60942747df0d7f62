package benchmarks

import (
	"context"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// TestWorldsDecide checks that every generated world loads and gives the
// answer its benchmark measures, so the benchmarks time the right thing.
func TestWorldsDecide(t *testing.T) {
	cases := []struct {
		name  string
		world string
		req   *engine.Request
	}{
		{"small", SmallWorld(26), smallRequest()},
		{"grown", SmallWorld(2000), smallRequest()},
		{"large", LargeWorld(), largeRequest()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := scenario.ParseScenario("bench.yaml", []byte(tc.world))
			if err != nil {
				t.Fatal(err)
			}
			e, err := checks.OpenScenario(context.Background(), sc)
			if err != nil {
				t.Fatal(err)
			}
			d, err := e.Decide(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if d.Decision != engine.Allow {
				t.Errorf("got %s, want allow", d.Decision)
			}
		})
	}
}
