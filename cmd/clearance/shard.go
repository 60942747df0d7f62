package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/engine/shard"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// shardFlags are the audit's flags for a sharded run (README, "Audit an
// organization in shards").
type shardFlags struct {
	fs         *pflag.FlagSet
	spec       *string
	trusts     *[]string
	trustsOnly *bool
	t          *temporalFlags
}

func addShardFlags(fs *pflag.FlagSet) *shardFlags {
	s := &shardFlags{fs: fs,
		spec:       fs.String("shard", "", "audit only the accounts whose id hashes to shard I of N (I/N) and write its partial (docs/partial-format.md) for clearance merge; needs --time"),
		trusts:     fs.StringArray("trusts", nil, "with --shard: every shard's trusts file (from --trusts-only), to decide hops into other shards' roles (repeatable)"),
		trustsOnly: fs.Bool("trusts-only", false, "with --shard: write the shard's trusts file (the first pass: its roles other accounts may assume) instead of its audit"),
	}
	s.addTemporal()
	return s
}

func (s *shardFlags) active() bool { return s.fs.Changed("shard") || s.onTemporal() }

func (s *shardFlags) onTemporal() bool { return s.fs.Changed("temporal") }

// runShard is `clearance audit --shard I/N`: either pass of a sharded
// audit, written to out (standard output if "").
func runShard(s *shardFlags, inputs []string, opts audit.AuditOptions, format, out string, force bool, stdout, stderr io.Writer) error {
	if s.onTemporal() {
		return runTemporal(s, opts, format, out, force, stdout, stderr)
	}
	spec, err := shard.ParseSpec(*s.spec)
	if err != nil {
		return err
	}
	if !s.fs.Changed("time") && !*s.trustsOnly {
		return usageError{fmt.Errorf("--shard: give --time: every shard of one audit decides at the same time")}
	}
	lo, err := inputOptions(s.fs)
	if err != nil {
		return usageError{err}
	}
	sc, err := scenario.LoadInputs(inputs, lo)
	if err != nil {
		return usageError{err}
	}
	var f *shard.File
	if *s.trustsOnly {
		if sc.World.Organization == nil {
			return fault.Errorf(fault.CodeBadRequest, "--shard: a sharded audit needs the organization's export (its accounts tell the organization's accounts from outside ones)")
		}
		f = shard.Trusts(sc.World, spec)
	} else {
		trusts, err := readShardFiles(*s.trusts, shard.KindTrusts)
		if err != nil {
			return err
		}
		if f, err = shard.AuditShard(context.Background(), sc.World, spec, trusts, opts); err != nil {
			return err
		}
	}
	if out == "" {
		return shard.Encode(stdout, f)
	}
	return writeOut(out, sc.World.Sources, force, func(w io.Writer) error { return shard.Encode(w, f) })
}

// readShardFiles reads trusts or partial files.
func readShardFiles(paths []string, kind string) ([]*shard.File, error) {
	var out []*shard.File
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, usageError{err}
		}
		if st.Size() > shard.MaxFileSize {
			return nil, usageError{fmt.Errorf("%s: over %d bytes", p, shard.MaxFileSize)}
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, usageError{err}
		}
		f, err := shard.Decode(p, data)
		if err != nil {
			return nil, err
		}
		if f.Kind != kind {
			return nil, usageError{fmt.Errorf("%s: a %s file, expected a %s file", p, f.Kind, kind)}
		}
		out = append(out, f)
	}
	return out, nil
}

// runMerge is `clearance merge PARTIAL...`.
func runMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge", "merge [flags] PARTIAL... (every shard's partial of one sharded audit: clearance audit --shard I/N)", stdout)
	rf := addReportFlags(fs, auditFormats...)
	label := fs.String("world", "organization", "what the report and its replay commands call the audited world")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{fmt.Errorf("give every shard's partial")}
	}
	if err := rf.check(stderr); err != nil {
		return err
	}
	if err := rf.checkOut(fs.Args()); err != nil {
		return err
	}
	parts, err := readShardFiles(fs.Args(), shard.KindPartial)
	if err != nil {
		return err
	}
	rep, err := shard.Merge(parts, *label)
	if err != nil {
		return err
	}
	ro := render.AuditOptions{World: *label, ToolVersion: versionLine()}
	return rf.write(stdout, fs.Args(), func(w io.Writer) error { return writeReport(w, rf.format, rep, ro) })
}
