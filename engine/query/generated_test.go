package query_test

import (
	"testing"

	"github.com/clearance-dev/clearance/engine/query/querytest"
)

// who-can and can equal the brute force over Decide (what `why` answers)
// on small generated worlds: every principal the world defines or a policy
// names (with an unnamed member of each open set), every declared resource
// (and the objects of its buckets), every action a policy mentions and a
// few none does (querytest documents the worlds). Seed 3 has no
// organization; the others have SCPs, an allow-list and an RCP. The
// benchmark-sized check is benchmarks' TestGeneratedWorldsLarge.
func TestGeneratedWorlds(t *testing.T) {
	seeds := []uint64{4, 1, 2, 3}
	if raceDetector {
		seeds = seeds[:1]
	}
	intersections, userIDs := 0, 0
	for _, seed := range seeds {
		w := querytest.Generate(seed, querytest.Size{Accounts: 3, Users: 1, Roles: 1, Buckets: 1})
		res := querytest.Check(t, w)
		if res.Grants == 0 || res.Patterns == 0 || res.Federated == 0 || res.Permissions == 0 || res.Excepts == 0 {
			t.Errorf("seed %d exercised too little: %+v", seed, res)
		}
		t.Logf("seed %d: %+v", seed, res)
		intersections += res.Intersections
		userIDs += res.UserIDs
	}
	if intersections == 0 || userIDs == 0 {
		t.Errorf("%d exceptions were the intersection of overlapping patterns, %d grants named sessions through aws:userid",
			intersections, userIDs)
	}
}
