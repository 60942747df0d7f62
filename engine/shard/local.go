package shard

import (
	"context"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// Open loads a world into a new store and engine.
func Open(ctx context.Context, w *world.World) (*engine.Engine, error) {
	st, err := store.NewStore()
	if err != nil {
		return nil, fault.Internal(err)
	}
	if err := st.Load(w); err != nil {
		return nil, fault.Wrap(fault.CodeBadWorld, err, "load the shard's world")
	}
	return engine.New(ctx, st)
}

// AuditShard is the second pass for one shard: its world restricted
// (Restrict, with every shard's trusts), opened and audited.
func AuditShard(ctx context.Context, w *world.World, s Spec, trusts []*File, opts audit.AuditOptions) (*File, error) {
	sw, err := Restrict(w, s, trusts)
	if err != nil {
		return nil, err
	}
	e, err := Open(ctx, sw)
	if err != nil {
		return nil, err
	}
	return Run(ctx, e, s, opts)
}

// AuditLocal runs every shard of a world in turn on this machine (both
// passes) and returns the partials: what a distributed run computes,
// for tests and benchmarks.
func AuditLocal(ctx context.Context, w *world.World, n int, opts audit.AuditOptions) ([]*File, error) {
	trusts := make([]*File, n)
	for i := range n {
		trusts[i] = Trusts(w, Spec{Index: i, Count: n})
	}
	out := make([]*File, n)
	for i := range n {
		f, err := AuditShard(ctx, w, Spec{Index: i, Count: n}, trusts, opts)
		if err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}
