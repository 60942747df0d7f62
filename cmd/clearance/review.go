package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/engine/review"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/world"
	"github.com/spf13/pflag"
)

// errReviewFailed means the review found something at or above --fail-on,
// or an assertion failed: exit code 1.
var errReviewFailed = errors.New("the review found access at or above --fail-on")

// defaultReviewAccount is the account of the empty world a review starts
// from when --world is not given.
const defaultReviewAccount = "111111111111"

// reviewFlags are the review command's flags, parsed.
type reviewFlags struct {
	worlds                         []string
	cfnParams, assert              string
	cfn, plans                     []string
	policies                       *policyPairs
	failOn                         string
	baseline, writeBaseline        string
	account, region, at, stackName string
	report                         *reportFlags
	ctxPairs                       []string
	progress                       *progress
}

func runReview(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("review", "review [--world FILE... | FILE...] (--cfn T | --terraform-plan P | --policy F (--attach ARN | --resource ARN))... [flags]", stdout)
	fs.Usage = reviewUsage(fs, stdout)
	f := reviewFlags{policies: &policyPairs{}}
	fs.StringArrayVar(&f.worlds, "world", nil, "the deployment as it stands: a scenario world, or the AWS CLI exports of one (repeatable; the same as naming them as arguments; default: an empty account 111111111111 in no organization)")
	fs.StringArrayVar(&f.cfn, "cfn", nil, "a CloudFormation template, YAML or JSON (repeatable)")
	fs.StringVar(&f.cfnParams, "cfn-params", "", "parameter values for the templates, in create-stack's form [{\"ParameterKey\": ..., \"ParameterValue\": ...}]")
	fs.StringArrayVar(&f.plans, "terraform-plan", nil, "a Terraform plan as 'terraform show -json' writes it (repeatable)")
	fs.Var(policyFlag{f.policies, "policy"}, "policy", "a bare policy document (repeatable); each is followed by exactly one --attach or --resource")
	fs.Var(policyFlag{f.policies, "attach"}, "attach", "attach the preceding --policy to this user, group or role ARN (inline), or replace this managed policy ARN's document")
	fs.Var(policyFlag{f.policies, "resource"}, "resource", "make the preceding --policy this resource's policy (a role ARN: its trust policy)")
	fs.StringVar(&f.assert, "assert", "", "assertions: {checks: [...], must_not_gain: [...], accept: [...]}")
	f.report = addReportFlags(fs, "text", "json", "sarif", "junit")
	fs.StringVar(&f.failOn, "fail-on", review.High, "exit 1 when a finding is at or above this severity: critical, high, medium, low or none")
	fs.StringVar(&f.baseline, "baseline", "", "a baseline written by --write-baseline: the findings it records are reported as accepted")
	fs.StringVar(&f.writeBaseline, "write-baseline", "", "record this review's findings as accepted, by fingerprint, in this file")
	fs.StringVar(&f.account, "account", "", "the account the change deploys to (default: the world's only account)")
	fs.StringVar(&f.region, "region", "us-east-1", "the region the change deploys to (AWS::Region)")
	fs.StringVar(&f.stackName, "stack-name", "stack", "the stack name templates see (AWS::StackName)")
	fs.StringVar(&f.at, "time", "", "time of the review (RFC 3339): probes' aws:CurrentTime and acceptances' expiry; default now")
	fs.StringArrayVar(&f.ctxPairs, "context", []string{"aws:RequestedRegion=us-east-1", "aws:SecureTransport=true"}, "context key=value every probe request carries")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(f.worlds) > 0 && fs.NArg() > 0 {
		fs.Usage()
		return usageError{fmt.Errorf("the world is given twice: name it with --world or as the arguments, not both; name the change with --cfn, --terraform-plan or --policy")}
	}
	f.worlds = append(f.worlds, fs.Args()...)
	if err := f.report.check(stderr); err != nil {
		return err
	}
	f.progress = progressFor(fs, stderr)
	if err := f.check(); err != nil {
		return usageError{err}
	}
	opts, err := inputOptions(fs)
	if err != nil {
		return usageError{err}
	}
	return reviewRun(context.Background(), &f, opts, stdout, stderr)
}

func reviewUsage(fs *pflag.FlagSet, stdout io.Writer) func() {
	return func() {
		helpText(stdout, fs, "review", "review [--world FILE... | FILE...] CHANGE... [flags]", reviewExitCodes)
	}
}

const reviewExitCodes = `Exit codes:
  0  nothing at or above --fail-on
  1  findings or failed assertions at or above --fail-on
  2  bad input or usage (a template, plan or policy that cannot be read as written, a flag)
  3  internal fault (a bug in Clearance: please report it)
`

// check validates the flags that need no file.
func (f *reviewFlags) check() error {
	if len(f.cfn)+len(f.plans)+len(f.policies.items) == 0 {
		return fmt.Errorf("give the change to review: --cfn, --terraform-plan or --policy")
	}
	if f.cfnParams != "" && len(f.cfn) == 0 {
		return fmt.Errorf("--cfn-params needs a --cfn template")
	}
	if err := f.policies.complete(); err != nil {
		return err
	}
	if f.failOn != "none" && review.Rank(f.failOn) == 0 {
		return fmt.Errorf("--fail-on: expected critical, high, medium, low or none, got %q", f.failOn)
	}
	if f.account != "" && !world.AccountIDPattern.MatchString(f.account) {
		return fmt.Errorf("--account: expected a 12-digit account ID, got %q", f.account)
	}
	return nil
}

// reviewTime is --time, or now.
func (f *reviewFlags) reviewTime() (time.Time, error) {
	if f.at == "" {
		return time.Now().UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, f.at)
	if err != nil {
		return t, usageError{fmt.Errorf("--time: expected RFC 3339: %w", err)}
	}
	return t, nil
}

// reviewRun loads the world and the change, reviews, and writes the report.
func reviewRun(ctx context.Context, f *reviewFlags, opts scenario.Options, stdout, stderr io.Writer) error {
	now, err := f.reviewTime()
	if err != nil {
		return err
	}
	before, sources, err := reviewWorld(f.worlds, opts)
	if err != nil {
		return err
	}
	account, err := deployAccount(before, f.account)
	if err != nil {
		return usageError{err}
	}
	set, inputs, err := readChange(f, opts, account)
	if err != nil {
		return err
	}
	inputs = append(inputs, sources...)
	if err := f.report.checkOut(inputs); err != nil {
		return err
	}
	rep, err := reviewReport(ctx, f, opts, before, set, now)
	if err != nil {
		return err
	}
	if f.writeBaseline != "" {
		if err := writeOut(f.writeBaseline, inputs, f.report.force, func(w io.Writer) error { return review.WriteBaseline(w, rep) }); err != nil {
			return err
		}
	}
	if err := f.report.write(stdout, inputs, func(w io.Writer) error { return writeReview(w, f.report.format, rep) }); err != nil {
		return err
	}
	if f.report.format != "text" || f.report.out != "" {
		fmt.Fprintln(stderr, reviewSummaryLine(rep))
	}
	if rep.Summary.Failed {
		return errReviewFailed
	}
	return nil
}

func writeReview(w io.Writer, format string, rep *review.Report) error {
	switch format {
	case "json":
		return render.ReviewJSON(w, rep)
	case "sarif":
		wd, _ := os.Getwd()
		return render.ReviewSARIF(w, rep, render.SARIFOptions{ToolVersion: versionLine(), BaseDir: wd})
	case "junit":
		return render.ReviewJUnit(w, rep)
	}
	return render.ReviewText(w, rep)
}

func reviewSummaryLine(rep *review.Report) string {
	s := rep.Summary
	verdict := "passed"
	if s.Failed {
		verdict = "FAILED"
	}
	return fmt.Sprintf("review %s: %d findings (%d critical, %d high, %d medium, %d low; %d accepted), %d of %d assertions failed, --fail-on %s",
		verdict, s.Findings, s.BySeverity[review.Critical], s.BySeverity[review.High], s.BySeverity[review.Medium],
		s.BySeverity[review.Low], s.Accepted, s.Assertions.Failed, s.Assertions.Passed+s.Assertions.Failed, s.FailOn)
}
