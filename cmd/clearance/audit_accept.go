package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/baseline"
	"github.com/clearance-dev/clearance/loader/exclusion"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// errAuditFailed means the audit found something at or above --fail-on,
// or an exclusion expired (exit 1).
var errAuditFailed = errors.New("the audit found findings at or above --fail-on")

// auditAccept holds the audit's acceptance flags: exclusions, the
// baseline, --fail-on and the unused-access window.
type auditAccept struct {
	exclusions, baseline, writeBaseline, failOn string
	unusedDays                                  int
}

func acceptFlags(fs *pflag.FlagSet) *auditAccept {
	a := &auditAccept{}
	fs.StringVar(&a.exclusions, "exclusions", "", "a YAML or JSON file of exclusions (principal, rule, policy or fingerprint, each with a reason and optional expiry): the findings they match are listed as excluded")
	fs.StringVar(&a.baseline, "baseline", "", "a baseline written by --write-baseline (audit's or review's format): the findings it records are listed as excluded (baseline)")
	fs.StringVar(&a.writeBaseline, "write-baseline", "", "record this audit's findings, by fingerprint, in this file")
	fs.StringVar(&a.failOn, "fail-on", "none", "exit 1 when a finding not excluded is at or above this severity, or an exclusion expired: critical, high, medium, low or none")
	fs.IntVar(&a.unusedDays, "unused-days", 90, "flag roles the export says were last used (or, never used, created) more than this many days before --time (0: off)")
	return a
}

// check validates the flags before the audit runs.
func (a *auditAccept) check() error {
	if _, err := audit.FailsAt(&audit.Report{}, a.failOn); err != nil {
		return usageError{fmt.Errorf("--fail-on: %w", err)}
	}
	if a.unusedDays < 0 {
		return usageError{fmt.Errorf("--unused-days: expected 0 (off) or more days, got %d", a.unusedDays)}
	}
	return nil
}

// apply excludes, applies the baseline and writes the new one; it returns
// the reason the audit fails ("" when it does not).
func (a *auditAccept) apply(rep *audit.Report, opts audit.AuditOptions, sc *scenario.Scenario, fs *pflag.FlagSet, force bool) (string, error) {
	sopts, err := inputOptions(fs)
	if err != nil {
		return "", usageError{err}
	}
	if a.exclusions != "" {
		data, err := readConfined(a.exclusions, sopts)
		if err != nil {
			return "", usageError{fmt.Errorf("--exclusions: %w", err)}
		}
		entries, err := exclusion.Parse(a.exclusions, data, exclusion.Options{Rules: audit.Rules()})
		if err != nil {
			return "", usageError{err} // a positioned *tree.Error
		}
		audit.Exclude(rep, entries, opts.Time)
	}
	if a.baseline != "" {
		data, err := readConfined(a.baseline, sopts)
		if err != nil {
			return "", usageError{fmt.Errorf("--baseline: %w", err)}
		}
		b, err := baseline.Read(a.baseline, data)
		if err != nil {
			return "", usageError{err}
		}
		audit.ApplyBaseline(rep, b)
	}
	if a.writeBaseline != "" {
		err := writeOut(a.writeBaseline, sc.World.Sources, force, func(w io.Writer) error { return audit.NewBaseline(rep).Write(w) })
		if err != nil {
			return "", err
		}
	}
	return audit.FailsAt(rep, a.failOn)
}

// readConfined reads a file the way review reads its own (files.Reader,
// confined to its folder and the allowed paths, size-capped).
func readConfined(path string, opts scenario.Options) ([]byte, error) {
	rd := reader(path, opts)
	defer rd.Close()
	return rd.ReadFile(path)
}

// auditSummary tells stderr what was excluded and why the audit fails.
func auditSummary(w io.Writer, rep *audit.Report, failure string) {
	if n := len(rep.Excluded); n > 0 {
		fmt.Fprintf(w, "audit: %d findings excluded:\n", n)
		for _, f := range rep.Excluded {
			fmt.Fprintf(w, "  [%s] %s %s (%s): %s\n", f.Severity, f.Rule, f.Principal, f.Fingerprint, f.Excluded)
		}
	}
	for _, e := range rep.ExpiredExclusions {
		fmt.Fprintf(w, "audit: %s:%d:%d: the exclusion of %s expired on %s (reason given: %s): renew it, or fix what it excluded\n",
			e.File, e.Line, e.Column, e.Name, e.Expires.Format("2006-01-02T15:04:05Z07:00"), e.Reason)
	}
	if failure != "" {
		fmt.Fprintf(w, "audit: %s: exit 1 (--fail-on)\n", failure)
	}
}
