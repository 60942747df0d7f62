package benchmarks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/shard"
)

// TestShardScale runs the sharded audit of a generated organization
// (OrgWorldFor) as separate worker processes, 1, 2 and 4 at a time, each
// taking its share of the shards; then the merge in a process of its
// own; and logs each process's time and peak RSS (benchmarks/README.md,
// "Sharded audit"). It runs only when asked:
//
//	CLEARANCE_SHARD_ACCOUNTS=2000 go test -run TestShardScale -v -timeout 120m ./benchmarks/
func TestShardScale(t *testing.T) {
	accounts := envInt("CLEARANCE_SHARD_ACCOUNTS", 0)
	if accounts == 0 {
		t.Skip("a measurement, not a check: set CLEARANCE_SHARD_ACCOUNTS (benchmarks/README.md)")
	}
	roles, shards := envInt("CLEARANCE_SHARD_ROLES", 10), envInt("CLEARANCE_SHARD_COUNT", 16)
	for _, workers := range []int{1, 2, 4} {
		dir := t.TempDir()
		start := time.Now()
		trusts := phase(t, dir, "trusts", workers, shards, accounts, roles)
		mid := time.Now()
		audits := phase(t, dir, "audit", workers, shards, accounts, roles)
		end := time.Now()
		merge := phase(t, dir, "merge", 1, shards, accounts, roles)
		for w, s := range audits {
			t.Logf("%d workers: worker %d: trusts %.1fs %d MiB; audit %.1fs, %d accounts, %d decisions, peak RSS %d MiB",
				workers, w, trusts[w].Seconds, trusts[w].PeakMiB, s.Seconds, s.Accounts, s.Decisions, s.PeakMiB)
		}
		t.Logf("%d workers: trusts pass %.1fs, audit pass %.1fs (%.1f accounts/s in all); merge %.1fs, peak RSS %d MiB, %d findings (%d reach), %d edges",
			workers, mid.Sub(start).Seconds(), end.Sub(mid).Seconds(), float64(accounts)/end.Sub(start).Seconds(),
			merge[0].Seconds, merge[0].PeakMiB, merge[0].Findings, merge[0].Reach, merge[0].Edges)
	}
}

// stats is what a worker process reports.
type stats struct {
	Seconds                              float64
	PeakMiB                              int
	Accounts, Decisions, Findings, Reach int
	Edges                                int
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

// phase runs the phase's shards on workers processes (shard i on worker
// i mod workers), in parallel, and returns each one's stats.
func phase(t *testing.T, dir, name string, workers, shards, accounts, roles int) []stats {
	t.Helper()
	cmds := make([]*exec.Cmd, workers)
	outs := make([]*bytes.Buffer, workers)
	for w := range workers {
		var list []string
		for i := w; i < shards; i += workers {
			list = append(list, strconv.Itoa(i))
		}
		cmds[w] = exec.Command(os.Args[0], "-test.run=^$")
		cmds[w].Env = append(os.Environ(), "CLEARANCE_SHARD_WORKER="+name, "CLEARANCE_SHARD_LIST="+strings.Join(list, ","),
			"CLEARANCE_SHARD_DIR="+dir, fmt.Sprintf("CLEARANCE_SHARD_N=%d", shards),
			fmt.Sprintf("CLEARANCE_SHARD_ACCOUNTS=%d", accounts), fmt.Sprintf("CLEARANCE_SHARD_ROLES=%d", roles))
		outs[w] = &bytes.Buffer{}
		cmds[w].Stdout, cmds[w].Stderr = outs[w], outs[w]
		if err := cmds[w].Start(); err != nil {
			t.Fatal(err)
		}
	}
	out := make([]stats, workers)
	for w, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("%s worker %d: %v\n%s", name, w, err, outs[w])
		}
		line := outs[w].String()
		i := strings.LastIndex(line, "STATS ")
		if i < 0 || json.Unmarshal([]byte(strings.TrimSpace(line[i+6:])), &out[w]) != nil {
			t.Fatalf("%s worker %d said: %s", name, w, line)
		}
	}
	return out
}

// TestMain runs a worker process's phase when TestShardScale starts one.
func TestMain(m *testing.M) {
	if p := os.Getenv("CLEARANCE_SHARD_WORKER"); p != "" {
		start := time.Now()
		s, err := work(p)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		s.Seconds = time.Since(start).Seconds()
		s.PeakMiB = peakMiB()
		b, _ := json.Marshal(s)
		fmt.Println("STATS " + string(b))
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var scaleTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func work(name string) (stats, error) {
	debug.SetMemoryLimit(1800 << 20) // clearance worker's default
	ctx := context.Background()
	dir, n := os.Getenv("CLEARANCE_SHARD_DIR"), envInt("CLEARANCE_SHARD_N", 1)
	accounts, roles := envInt("CLEARANCE_SHARD_ACCOUNTS", 0), envInt("CLEARANCE_SHARD_ROLES", 10)
	file := func(kind string, i int) string { return filepath.Join(dir, fmt.Sprintf("%s-%d.json", kind, i)) }
	var s stats
	if name == "merge" {
		parts, err := readAll(file, "partial", n)
		if err != nil {
			return s, err
		}
		for _, p := range parts {
			s.Edges += len(p.Audit.Edges)
		}
		rep, err := shard.Merge(parts, "org")
		if err != nil {
			return s, err
		}
		for _, f := range rep.Findings {
			if f.Rule == "reaches-administrator" {
				s.Reach++
			}
		}
		s.Findings = len(rep.Findings)
		return s, nil
	}
	var trusts []*shard.File
	if name == "audit" {
		var err error
		if trusts, err = readAll(file, "trusts", n); err != nil {
			return s, err
		}
	}
	for _, x := range strings.Split(os.Getenv("CLEARANCE_SHARD_LIST"), ",") {
		i, _ := strconv.Atoi(x)
		spec := shard.Spec{Index: i, Count: n}
		w, err := OrgWorldFor(accounts, roles, 1, spec.Owns)
		if err != nil {
			return s, err
		}
		f := shard.Trusts(w, spec)
		if name == "audit" {
			opts := audit.AuditOptions{Time: scaleTime, World: "org",
				Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}}
			if f, err = shard.AuditShard(ctx, w, spec, trusts, opts); err != nil {
				return s, err
			}
			s.Decisions += f.Audit.Decisions
		}
		s.Accounts += len(f.Accounts)
		var b bytes.Buffer
		if err := shard.Encode(&b, f); err != nil {
			return s, err
		}
		if err := os.WriteFile(file(map[string]string{"trusts": "trusts", "audit": "partial"}[name], i), b.Bytes(), 0o644); err != nil {
			return s, err
		}
	}
	return s, nil
}

func readAll(file func(string, int) string, kind string, n int) ([]*shard.File, error) {
	out := make([]*shard.File, n)
	for i := range n {
		data, err := os.ReadFile(file(kind, i))
		if err != nil {
			return nil, err
		}
		if out[i], err = shard.Decode(file(kind, i), data); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// peakMiB is the process's peak resident set (VmHWM).
func peakMiB() int {
	data, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.Atoi(f[1])
			return kb / 1024
		}
	}
	return 0
}
