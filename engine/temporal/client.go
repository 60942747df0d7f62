package temporal

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
)

// TaskQueue is the queue workers poll by default.
const TaskQueue = "clearance-audit"

// Dial connects to a Temporal frontend (HOST:PORT) in a namespace.
func Dial(hostPort, namespace string) (client.Client, error) {
	return client.Dial(client.Options{HostPort: hostPort, Namespace: namespace, Logger: quiet{}})
}

// NewWorker registers the workflows and activities on a worker of the
// queue.
func NewWorker(c client.Client, queue string) worker.Worker {
	w := worker.New(c, queue, worker.Options{})
	w.RegisterWorkflow(Audit)
	w.RegisterWorkflow(Batch)
	w.RegisterActivity(&Activities{})
	return w
}

// Run starts the audit workflow under id (a run already under way with
// that id is joined: the CLI can be started again), polls its progress
// every interval and tells show, and returns the report's name.
func Run(ctx context.Context, c client.Client, queue, id string, in Input, every time.Duration, show func(Progress)) (string, error) {
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue,
		WorkflowExecutionErrorWhenAlreadyStarted: false}, Audit, in)
	if err != nil {
		return "", fmt.Errorf("start the audit workflow: %w", err)
	}
	done := make(chan struct{})
	var name string
	var runErr error
	go func() {
		runErr = run.Get(ctx, &name)
		close(done)
	}()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-done:
			return name, runErr
		case <-t.C:
			if v, err := c.QueryWorkflow(ctx, id, run.GetRunID(), QueryProgress); err == nil && show != nil {
				var p Progress
				if v.Get(&p) == nil {
					show(p)
				}
			}
		}
	}
}

// quiet drops the SDK's log lines (the CLI shows progress itself).
type quiet struct{}

func (quiet) Debug(string, ...any) {}
func (quiet) Info(string, ...any)  {}
func (quiet) Warn(string, ...any)  {}
func (quiet) Error(string, ...any) {}

// Serve runs a worker on the queue until ctx is done.
func Serve(ctx context.Context, hostPort, namespace, queue string) error {
	c, err := Dial(hostPort, namespace)
	if err != nil {
		return fmt.Errorf("connect to Temporal at %s: %w", hostPort, err)
	}
	defer c.Close()
	w := NewWorker(c, queue)
	stop := make(chan any)
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	return w.Run(stop)
}

// RunAudit connects, runs the audit workflow (Run) and closes.
func RunAudit(ctx context.Context, hostPort, namespace, queue, id string, in Input, every time.Duration, show func(Progress)) (string, error) {
	c, err := Dial(hostPort, namespace)
	if err != nil {
		return "", fmt.Errorf("connect to Temporal at %s: %w", hostPort, err)
	}
	defer c.Close()
	return Run(ctx, c, queue, id, in, every, show)
}
