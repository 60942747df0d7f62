package temporal

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	sdktemporal "go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
)

// calls records the mocked activities' calls.
type calls struct {
	mu    sync.Mutex
	log   []string
	count map[string]int
}

func (c *calls) add(s string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.count == nil {
		c.count = map[string]int{}
	}
	c.log = append(c.log, s)
	c.count[s]++
	return c.count[s]
}

// env is a test workflow environment whose activities are mocked: trusts
// and audit record the shard, fail as fail says, and take delay.
func env(t *testing.T, c *calls, delay time.Duration, fail func(phase string, shard, attempt int) error) *testsuite.TestWorkflowEnvironment {
	var s testsuite.WorkflowTestSuite
	s.SetLogger(quiet{})
	e := s.NewTestWorkflowEnvironment()
	// The machine's other work may hold a workflow goroutine past the
	// default second of the deadlock detector.
	e.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: time.Minute})
	e.RegisterWorkflow(Batch)
	e.RegisterActivity(&Activities{})
	mocked := func(phase string) func(context.Context, ShardInput) (string, error) {
		return func(_ context.Context, in ShardInput) (string, error) {
			n := c.add(fmt.Sprintf("%s %d", phase, in.Shard))
			if err := fail(phase, in.Shard, n); err != nil {
				return "", err
			}
			return fmt.Sprintf("%s-%d", phase, in.Shard), nil
		}
	}
	e.OnActivity(acts.Trusts, mock.Anything, mock.Anything).After(delay).Return(mocked(PhaseTrusts))
	e.OnActivity(acts.Audit, mock.Anything, mock.Anything).After(delay).Return(mocked(PhaseAudit))
	e.OnActivity(acts.Merge, mock.Anything, mock.Anything).Return(func(_ context.Context, in ShardInput) (string, error) {
		c.add(PhaseMerge)
		return ReportName(in.Run), nil
	})
	return e
}

func never(string, int, int) error { return nil }

func TestWorkflowFansOutAndMerges(t *testing.T) {
	for _, tc := range []struct{ shards, batch int }{{1, 8}, {5, 2}, {9, 3}} {
		t.Run(fmt.Sprintf("%d/%d", tc.shards, tc.batch), func(t *testing.T) {
			c := &calls{}
			e := env(t, c, 0, never)
			e.ExecuteWorkflow(Audit, Input{ShardInput: ShardInput{Shards: tc.shards}, Batch: tc.batch})
			if !e.IsWorkflowCompleted() || e.GetWorkflowError() != nil {
				t.Fatalf("completed %v, error %v", e.IsWorkflowCompleted(), e.GetWorkflowError())
			}
			var name string
			if err := e.GetWorkflowResult(&name); err != nil || name != ReportName("") {
				t.Errorf("result %q, %v", name, err)
			}
			// Every shard once per phase; every trusts before any audit;
			// the merge last.
			for i := range tc.shards {
				for _, p := range []string{PhaseTrusts, PhaseAudit} {
					if n := c.count[fmt.Sprintf("%s %d", p, i)]; n != 1 {
						t.Errorf("%s %d ran %d times", p, i, n)
					}
				}
			}
			for i, s := range c.log {
				if s[:5] == "trust" && i >= tc.shards {
					t.Errorf("a trusts activity after an audit one: %v", c.log)
				}
			}
			if c.log[len(c.log)-1] != PhaseMerge || c.count[PhaseMerge] != 1 {
				t.Errorf("merge not last, once: %v", c.log)
			}
		})
	}
}

func TestWorkflowRetriesAFailedShard(t *testing.T) {
	c := &calls{}
	e := env(t, c, 0, func(phase string, shard, attempt int) error {
		if phase == PhaseAudit && shard == 3 && attempt < 3 {
			return errors.New("worker lost its disk")
		}
		return nil
	})
	e.ExecuteWorkflow(Audit, Input{ShardInput: ShardInput{Shards: 4}, Batch: 2})
	if err := e.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if n := c.count["audit 3"]; n != 3 {
		t.Errorf("audit 3 ran %d times, want 3 (two failures, then success)", n)
	}
}

func TestWorkflowDoesNotRetryBadInput(t *testing.T) {
	c := &calls{}
	e := env(t, c, 0, func(phase string, shard, _ int) error {
		if phase == PhaseTrusts && shard == 1 {
			return sdktemporal.NewNonRetryableApplicationError("exports: not JSON", "bad-input", nil)
		}
		return nil
	})
	e.ExecuteWorkflow(Audit, Input{ShardInput: ShardInput{Shards: 2}})
	if e.GetWorkflowError() == nil {
		t.Fatal("the workflow succeeded on bad input")
	}
	if n := c.count["trusts 1"]; n != 1 {
		t.Errorf("bad input tried %d times", n)
	}
	if c.count[PhaseMerge] != 0 || c.count["audit 0"] != 0 {
		t.Errorf("went on after a failed phase: %v", c.log)
	}
}

func TestWorkflowProgressQuery(t *testing.T) {
	c := &calls{}
	e := env(t, c, time.Minute, never)
	var seen []Progress
	ask := func() {
		v, err := e.QueryWorkflow(QueryProgress)
		if err != nil {
			t.Error(err)
			return
		}
		var p Progress
		if err := v.Get(&p); err != nil {
			t.Error(err)
		}
		seen = append(seen, p)
	}
	// Shards 0-3 in batches of 2: each phase takes one simulated minute.
	e.RegisterDelayedCallback(ask, 30*time.Second)
	e.RegisterDelayedCallback(ask, 90*time.Second)
	e.ExecuteWorkflow(Audit, Input{ShardInput: ShardInput{Shards: 4}, Batch: 2})
	if err := e.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	ask()
	want := []Progress{{PhaseTrusts, 0, 4}, {PhaseAudit, 0, 4}, {PhaseDone, 1, 1}}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("progress %v, want %v", seen, want)
	}
}
