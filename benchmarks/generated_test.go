package benchmarks

import (
	"flag"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine/query/querytest"
)

var generatedSeeds = flag.Int("generated-seeds", 0,
	"run TestGeneratedWorldsLarge on this many seeds (it takes minutes; 0: skip)")

// TestGeneratedWorldsLarge is the benchmark-sized differential check of
// who-can and can (engine/query's TestGeneratedWorlds runs small worlds in
// make test): four accounts of three users, three roles and two buckets,
// with whole-service action patterns (s3:*, kms:*, sqs:*), on as many
// seeds as -generated-seeds says:
//
//	go test -run TestGeneratedWorldsLarge -generated-seeds=20 -timeout 2h ./benchmarks/
func TestGeneratedWorldsLarge(t *testing.T) {
	if *generatedSeeds == 0 {
		t.Skip("benchmark-sized: give -generated-seeds N to run it on N worlds")
	}
	for seed := uint64(1); seed <= uint64(*generatedSeeds); seed++ {
		start := time.Now()
		w := querytest.Generate(seed, querytest.Size{Accounts: 4, Users: 3, Roles: 3, Buckets: 2, Wide: true})
		res := querytest.Check(t, w)
		t.Logf("seed %d in %v: %+v", seed, time.Since(start).Round(time.Millisecond), res)
		if t.Failed() {
			return
		}
	}
}
