package temporal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"go.temporal.io/sdk/activity"
	sdktemporal "go.temporal.io/sdk/temporal"

	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/shard"
	"github.com/clearance-dev/clearance/engine/shard/storage"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// ShardInput names one shard's work: where the exports and the store
// are, which shard, and the audit's time and context (every shard of one
// audit decides at the same time).
type ShardInput struct {
	Exports []string       // file:// URLs of export files or folders
	Store   string         // the store's URL (storage.Open)
	Shard   int            // I
	Shards  int            // N
	Time    time.Time      // the audit's time
	Context map[string]any // every probe's request context
	Label   string         // what the report calls the world
	// Run names the audit in the store: its files are prefixed with it,
	// so that audits sharing a store do not take each other's files.
	Run string
}

func (in ShardInput) spec() shard.Spec { return shard.Spec{Index: in.Shard, Count: in.Shards} }

// Names under which the activities write (deterministic: idempotent).
func TrustsName(run string, i, n int) string {
	return fmt.Sprintf("%s.trusts-%d-of-%d.json", run, i, n)
}
func PartialName(run string, i, n int) string {
	return fmt.Sprintf("%s.partial-%d-of-%d.json", run, i, n)
}

// ReportName is the merged report (the audit report's JSON).
func ReportName(run string) string { return run + ".report.json" }

// Activities are the activities a worker runs.
type Activities struct{}

// Trusts writes the shard's trusts file (the first pass).
func (*Activities) Trusts(ctx context.Context, in ShardInput) (string, error) {
	name := TrustsName(in.Run, in.Shard, in.Shards)
	return name, once(ctx, in.Store, name, func(st storage.Store) ([]byte, error) {
		sc, err := loadShard(in)
		if err != nil {
			return nil, err
		}
		return encode(shard.Trusts(sc.World, in.spec()))
	})
}

// Audit writes the shard's partial, reading every shard's trusts file.
func (*Activities) Audit(ctx context.Context, in ShardInput) (string, error) {
	name := PartialName(in.Run, in.Shard, in.Shards)
	return name, once(ctx, in.Store, name, func(st storage.Store) ([]byte, error) {
		trusts := make([]*shard.File, in.Shards)
		for i := range in.Shards {
			f, err := read(ctx, st, TrustsName(in.Run, i, in.Shards))
			if err != nil {
				return nil, err
			}
			trusts[i] = f
		}
		sc, err := loadShard(in)
		if err != nil {
			return nil, err
		}
		f, err := shard.AuditShard(ctx, sc.World, in.spec(), trusts,
			audit.AuditOptions{Time: in.Time, Context: in.Context, World: in.Label})
		if err != nil {
			return nil, err
		}
		return encode(f)
	})
}

// Merge joins every partial and writes the report.
func (*Activities) Merge(ctx context.Context, in ShardInput) (string, error) {
	return ReportName(in.Run), once(ctx, in.Store, ReportName(in.Run), func(st storage.Store) ([]byte, error) {
		parts := make([]*shard.File, in.Shards)
		for i := range in.Shards {
			f, err := read(ctx, st, PartialName(in.Run, i, in.Shards))
			if err != nil {
				return nil, err
			}
			parts[i] = f
		}
		rep, err := shard.Merge(parts, in.Label)
		if err != nil {
			return nil, err
		}
		return json.Marshal(rep)
	})
}

// once runs make unless the store already holds the name, heartbeating
// meanwhile (a worker that dies stops heartbeating, and the activity is
// retried on another), and writes what it makes atomically. An error the
// input causes is not retried.
func once(ctx context.Context, storeURL, name string, make func(storage.Store) ([]byte, error)) error {
	st, err := storage.Open(storeURL)
	if err != nil {
		return final(err)
	}
	if ok, err := st.Exists(ctx, name); err != nil || ok {
		return err
	}
	stop := heartbeat(ctx)
	data, err := make(st)
	stop()
	if err != nil {
		return final(err)
	}
	return st.Put(ctx, name, data)
}

func heartbeat(ctx context.Context) func() {
	if !activity.IsActivity(ctx) {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			activity.RecordHeartbeat(ctx)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done) }
}

// final marks bad input as not retryable: trying again gives the same.
func final(err error) error {
	if fault.IsBadInput(err) {
		return sdktemporal.NewNonRetryableApplicationError(err.Error(), "bad-input", err)
	}
	return err
}

func encode(f *shard.File) ([]byte, error) {
	var b bytes.Buffer
	err := shard.Encode(&b, f)
	return b.Bytes(), err
}

func read(ctx context.Context, st storage.Store, name string) (*shard.File, error) {
	data, err := st.Get(ctx, name)
	if err != nil {
		return nil, err // not there yet: retried
	}
	return shard.Decode(name, data)
}

var accountID = regexp.MustCompile(`\d{12}`)

// loadShard reads the exports the shard needs: a named file or a folder's
// entry is read when its name holds no 12-digit account id (the
// organization's export, resource bundles) or holds one of the shard's
// (an account's get-account-authorization-details, named after it).
func loadShard(in ShardInput) (*scenario.Scenario, error) {
	var paths []string
	for _, raw := range in.Exports {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "file" || u.Path == "" {
			return nil, fault.Errorf(fault.CodeBadRequest, "exports %q: expected a file:// URL", raw)
		}
		st, err := os.Stat(u.Path)
		if err != nil {
			return nil, fault.Wrap(fault.CodeBadRequest, err, "exports")
		}
		if !st.IsDir() {
			paths = append(paths, u.Path)
			continue
		}
		entries, err := os.ReadDir(u.Path)
		if err != nil {
			return nil, fault.Wrap(fault.CodeBadRequest, err, "exports")
		}
		for _, e := range entries {
			if wanted(e.Name(), in.spec()) {
				paths = append(paths, filepath.Join(u.Path, e.Name()))
			}
		}
	}
	sc, err := scenario.LoadInputs(paths, scenario.Options{})
	if err != nil {
		return nil, fault.Wrap(fault.CodeBadRequest, err, "shard %s", in.spec())
	}
	return sc, nil
}

func wanted(name string, s shard.Spec) bool {
	ids := accountID.FindAllString(name, -1)
	if len(ids) == 0 {
		return true
	}
	for _, id := range ids {
		if s.Owns(id) {
			return true
		}
	}
	return false
}
