package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/engine/shard/storage"
	"github.com/clearance-dev/clearance/engine/temporal"
)

// temporalFlags are the audit's flags for a run on Temporal
// (deploy/README.md).
type temporalFlags struct {
	hostPort, namespace, queue, store, id *string
	exports                               *[]string
	shards, batch                         *int
}

func (s *shardFlags) addTemporal() {
	fs := s.fs
	s.t = &temporalFlags{
		hostPort:  fs.String("temporal", "", "run the audit on Temporal at HOST:PORT, in shards, on the workers of the queue (clearance worker)"),
		namespace: fs.String("namespace", "default", "with --temporal: the Temporal namespace"),
		queue:     fs.String("task-queue", temporal.TaskQueue, "with --temporal: the task queue the workers poll"),
		store:     fs.String("store", "", "with --temporal: where the shards' files and the report go, every worker reads: a folder (file:///path) or a bucket (s3://bucket/prefix?region=R, or &endpoint=URL for an S3-compatible service)"),
		id:        fs.String("id", "", "with --temporal: the audit's workflow id (default from the time); give it again to follow a run under way"),
		exports:   fs.StringArray("exports", nil, "with --temporal: a file:// URL of export files or a folder of them (the organization's, one per account; repeatable)"),
		shards:    fs.Int("shards", 0, "with --temporal: the number of shards (deploy/README.md: what to size)"),
		batch:     fs.Int("batch", 8, "with --temporal: shards per child workflow"),
	}
}

var runID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// runTemporal is `clearance audit --temporal HOST:PORT`.
func runTemporal(s *shardFlags, opts audit.AuditOptions, format, out string, force bool, stdout, stderr io.Writer) error {
	t := s.t
	switch {
	case len(*t.exports) == 0:
		return usageError{fmt.Errorf("--temporal: give --exports file:///... (the exports every worker reads)")}
	case *t.store == "":
		return usageError{fmt.Errorf("--temporal: give --store file:///folder or s3://bucket/prefix (where every worker reads and writes)")}
	case *t.shards < 1:
		return usageError{fmt.Errorf("--temporal: give --shards N (N >= 1)")}
	}
	st, err := storage.Open(*t.store)
	if err != nil {
		return err
	}
	if opts.Time.IsZero() {
		opts.Time = time.Now().UTC().Truncate(time.Second)
	}
	id := *t.id
	if id == "" {
		id = "clearance-audit-" + opts.Time.Format("20060102T150405Z")
	}
	if !runID.MatchString(id) {
		return usageError{fmt.Errorf("--id %q: expected letters, digits, '.', '_' or '-'", id)}
	}
	in := temporal.Input{ShardInput: temporal.ShardInput{Exports: *t.exports, Store: *t.store, Shards: *t.shards,
		Time: opts.Time, Context: opts.Context, Label: opts.World, Run: id}, Batch: *t.batch}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	fmt.Fprintf(stderr, "audit %s: %d shards on %s (queue %s)\n", id, *t.shards, *t.hostPort, *t.queue)
	last := ""
	name, err := temporal.RunAudit(ctx, *t.hostPort, *t.namespace, *t.queue, id, in, time.Second, func(p temporal.Progress) {
		if line := fmt.Sprintf("  %-6s %d/%d", p.Phase, p.Done, p.Total); line != last {
			fmt.Fprintln(stderr, line)
			last = line
		}
	})
	if err != nil {
		return err
	}
	data, err := st.Get(ctx, name)
	if err != nil {
		return fmt.Errorf("read the report %s: %w", name, err)
	}
	var rep audit.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return fmt.Errorf("read the report %s: %w", name, err)
	}
	if out == "" {
		return writeReport(stdout, format, &rep, render.AuditOptions{World: opts.World, ToolVersion: versionLine()})
	}
	return writeOut(out, nil, force, func(w io.Writer) error {
		return writeReport(w, format, &rep, render.AuditOptions{World: opts.World, ToolVersion: versionLine()})
	})
}

// runWorker is `clearance worker --temporal HOST:PORT`.
func runWorker(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("worker", "worker --temporal HOST:PORT (runs a sharded audit's activities: load a shard's exports, audit it, write its partial; merge)", stdout)
	hostPort := fs.String("temporal", "", "the Temporal frontend, HOST:PORT")
	namespace := fs.String("namespace", "default", "the Temporal namespace")
	queue := fs.String("task-queue", temporal.TaskQueue, "the task queue to poll")
	memLimit := fs.String("memory-limit", "1800MiB", "soft limit on the worker's heap (a shard of 20 large accounts fits; deploy/README.md)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*hostPort) == "" {
		return usageError{fmt.Errorf("give --temporal HOST:PORT")}
	}
	if err := setMemoryLimit(*memLimit, fs.Changed("memory-limit")); err != nil {
		return usageError{err}
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	fmt.Fprintf(stderr, "worker: polling %s on %s\n", *queue, *hostPort)
	return temporal.Serve(ctx, *hostPort, *namespace, *queue)
}
