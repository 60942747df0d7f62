package sts

import (
	"context"
	"errors"
	"testing"

	"github.com/clearance-dev/clearance/loader/scenario"
)

// A chain walk and a reach search stop when their question's context ends
// (the client left, or the deadline passed): no further hop is decided.
func TestWalkHonoursContext(t *testing.T) {
	e := chainEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	chain := &scenario.Chain{As: alice, Steps: []*scenario.Step{{Op: scenario.OpGetSessionToken}}}
	if _, err := e.Walk(ctx, chain); !errors.Is(err, context.Canceled) {
		t.Errorf("walk: %v, want context.Canceled", err)
	}
	if _, err := e.Reach(ctx, &scenario.Chain{As: alice}, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("reach: %v, want context.Canceled", err)
	}
	if _, err := e.Walk(context.Background(), chain); err != nil {
		t.Errorf("walk with a live context: %v", err)
	}
}
