package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/loader/scenario"
)

func runAudit(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("audit", "audit [flags] FILE... (a scenario file, or the AWS CLI exports: get-account-authorization-details JSON, resource policies, organizations folder)", stdout)
	worlds := fs.StringArray("world", nil, "a scenario file or an AWS CLI export to read (repeatable; the same as naming it after the flags)")
	rf := addReportFlags(fs, auditFormats...)
	ctxPairs := fs.StringArray("context", []string{"aws:RequestedRegion=us-east-1", "aws:SecureTransport=true"}, "context key=value every probe request carries")
	at := fs.String("time", "", "time of the audit (RFC 3339); default now")
	awsManaged := fs.Bool("include-aws-managed", false, "audit service-linked (/aws-service-role/) and AWS-reserved (/aws-reserved/) roles too; left out by default")
	memLimit := fs.String("memory-limit", defaultAuditMemory, "soft limit on the memory the audit's heap may use (e.g. 7GiB, 8GB; 0: none); GOMEMLIMIT in the environment wins over the default")
	accept := acceptFlags(fs)
	sharded := addShardFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := accept.check(); err != nil {
		return err
	}
	if err := rf.check(stderr); err != nil {
		return err
	}
	if err := setMemoryLimit(*memLimit, fs.Changed("memory-limit")); err != nil {
		return usageError{err}
	}
	inputs := append(append([]string(nil), *worlds...), fs.Args()...)
	if len(inputs) == 0 && !sharded.onTemporal() {
		fs.Usage()
		return usageError{fmt.Errorf("give a scenario file, or the AWS CLI exports to audit (see README, Audit your account)")}
	}
	opts := audit.AuditOptions{World: scenario.InputsName(inputs), IncludeAWSManaged: *awsManaged, UnusedDays: accept.unusedDays}
	if opts.World == strings.Join(inputs, " ") && len(inputs) > 1 {
		opts.Inputs = inputs // replayed with one --world each
	}
	var err error
	if opts.Context, err = parseContext(*ctxPairs); err != nil {
		return usageError{err}
	}
	if *at != "" {
		if opts.Time, err = time.Parse(time.RFC3339, *at); err != nil {
			return usageError{fmt.Errorf("--time: expected RFC 3339: %w", err)}
		}
	}
	if sharded.active() {
		return runShard(sharded, inputs, opts, rf.format, rf.out, rf.force, stdout, stderr)
	}
	ctx := context.Background()
	sc, e, err := openInputs(ctx, fs, inputs)
	if err != nil {
		return err
	}
	if err := rf.checkOut(sc.World.Sources); err != nil {
		return err // before the audit, not after it
	}
	warnWorld(stderr, sc)
	opts.Progress = progressFor(fs, stderr).fn()
	rep, err := audit.New(e).Audit(ctx, opts)
	if err != nil {
		return err
	}
	failure, err := accept.apply(rep, opts, sc, fs, rf.force)
	if err != nil {
		return err
	}
	wd, _ := os.Getwd()
	ro := render.AuditOptions{World: opts.World, Sources: render.NewSources(sc.World), BaseDir: wd, ToolVersion: versionLine()}
	err = rf.write(stdout, sc.World.Sources, func(w io.Writer) error { return writeReport(w, rf.format, rep, ro) })
	auditSummary(stderr, rep, failure)
	if err == nil && failure != "" {
		err = errAuditFailed
	}
	return err
}

// defaultAuditMemory keeps the audit of a 100 × 1,000-role organization
// under 8 GB (benchmarks/README.md): past it the collector runs more often
// instead of letting the heap grow to twice what is live.
const defaultAuditMemory = "7GiB"

// setMemoryLimit sets the runtime's soft memory limit (debug.SetMemoryLimit,
// as GOMEMLIMIT does), unless the limit is the default and GOMEMLIMIT
// already set one.
func setMemoryLimit(size string, given bool) error {
	if !given && os.Getenv("GOMEMLIMIT") != "" {
		return nil
	}
	if size == "0" {
		debug.SetMemoryLimit(math.MaxInt64)
		return nil
	}
	n, err := humanize.ParseBytes(size)
	if err != nil || n == 0 || n > math.MaxInt64 {
		return fmt.Errorf("--memory-limit: expected a size such as 7GiB or 8GB, or 0, got %q", size)
	}
	debug.SetMemoryLimit(int64(n))
	return nil
}

// auditFormats are the audit report's formats (audit and merge).
var auditFormats = []string{"text", "json", "sarif", "html"}

func writeReport(w io.Writer, format string, rep *audit.Report, o render.AuditOptions) error {
	switch format {
	case "json":
		return writeJSON(w, rep)
	case "sarif":
		return render.SARIF(w, rep, o)
	case "html":
		return render.HTML(w, rep, o)
	}
	render.Audit(w, rep)
	return nil
}

// warnWorld reports what the world's exports described but could not load.
func warnWorld(w io.Writer, sc *scenario.Scenario) {
	for _, msg := range sc.World.Warnings {
		fmt.Fprintf(w, "warning: %s: %s\n", sc.File, msg)
	}
}
