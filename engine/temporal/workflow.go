package temporal

import (
	"fmt"
	"time"

	sdktemporal "go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Input is a sharded audit: ShardInput's fields for every shard, how
// many shards, and how many shards a child workflow runs.
type Input struct {
	ShardInput        // Shard is ignored
	Batch      int    // shards per child workflow (default 8)
	Retries    int32  // attempts per activity (default 5)
	Timeout    string // each activity's start-to-close timeout (default 2h)
}

// Progress is what the progress query answers.
type Progress struct {
	Phase string `json:"phase"` // trusts, audit, merge, done
	Done  int    `json:"done"`  // shards done in the phase
	Total int    `json:"total"`
}

// The query's name, and the phases.
const (
	QueryProgress = "progress"
	PhaseTrusts   = "trusts"
	PhaseAudit    = "audit"
	PhaseMerge    = "merge"
	PhaseDone     = "done"
)

// acts names the activities in ExecuteActivity (never called).
var acts *Activities

// BatchInput is a child workflow's work: one phase for some shards.
type BatchInput struct {
	Input  Input
	Phase  string
	Shards []int
}

// Audit is the sharded audit's workflow: the trusts of every shard, then
// every shard's audit, each phase fanned out to child workflows by batch;
// then the merge. It returns the report's name in the store.
func Audit(ctx workflow.Context, in Input) (string, error) {
	if in.Shards < 1 {
		return "", sdktemporal.NewNonRetryableApplicationError("no shard", "bad-input", nil)
	}
	p := Progress{Phase: PhaseTrusts, Total: in.Shards}
	if err := workflow.SetQueryHandler(ctx, QueryProgress, func() (Progress, error) { return p, nil }); err != nil {
		return "", err
	}
	for _, phase := range []string{PhaseTrusts, PhaseAudit} {
		p = Progress{Phase: phase, Total: in.Shards}
		if err := fanOut(ctx, in, phase, &p); err != nil {
			return "", err
		}
	}
	p = Progress{Phase: PhaseMerge, Total: 1}
	var name string
	if err := workflow.ExecuteActivity(activityCtx(ctx, in), acts.Merge, in.ShardInput).Get(ctx, &name); err != nil {
		return "", err
	}
	p = Progress{Phase: PhaseDone, Done: 1, Total: 1}
	return name, nil
}

// fanOut starts one child workflow per batch of shards and counts the
// shards of each batch that completes.
func fanOut(ctx workflow.Context, in Input, phase string, p *Progress) error {
	batch := in.Batch
	if batch < 1 {
		batch = 8
	}
	sel := workflow.NewSelector(ctx)
	var failed error
	pending := 0
	for start := 0; start < in.Shards; start += batch {
		var shards []int
		for i := start; i < min(start+batch, in.Shards); i++ {
			shards = append(shards, i)
		}
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID: fmt.Sprintf("%s-%s-%d", workflow.GetInfo(ctx).WorkflowExecution.ID, phase, start/batch)})
		f := workflow.ExecuteChildWorkflow(cctx, Batch, BatchInput{Input: in, Phase: phase, Shards: shards})
		pending++
		sel.AddFuture(f, func(f workflow.Future) {
			if err := f.Get(ctx, nil); err != nil && failed == nil {
				failed = err
				return
			}
			p.Done += len(shards)
		})
	}
	for ; pending > 0; pending-- {
		sel.Select(ctx)
	}
	return failed
}

// Batch is the child workflow: one phase's activity for each of its
// shards, in parallel.
func Batch(ctx workflow.Context, b BatchInput) error {
	actx := activityCtx(ctx, b.Input)
	var futures []workflow.Future
	for _, i := range b.Shards {
		in := b.Input.ShardInput
		in.Shard = i
		act := acts.Trusts
		if b.Phase == PhaseAudit {
			act = acts.Audit
		}
		futures = append(futures, workflow.ExecuteActivity(actx, act, in))
	}
	for _, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			return err
		}
	}
	return nil
}

// activityCtx: a shard's activity is retried (on another worker when its
// worker stops heartbeating) up to Retries times.
func activityCtx(ctx workflow.Context, in Input) workflow.Context {
	timeout := 2 * time.Hour
	if d, err := time.ParseDuration(in.Timeout); err == nil && d > 0 {
		timeout = d
	}
	retries := in.Retries
	if retries < 1 {
		retries = 5
	}
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: timeout,
		HeartbeatTimeout:    10 * time.Second,
		RetryPolicy: &sdktemporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2,
			MaximumInterval: time.Minute, MaximumAttempts: retries, NonRetryableErrorTypes: []string{"bad-input"}},
	})
}
