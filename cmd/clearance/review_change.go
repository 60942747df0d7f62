package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/engine/review"
	"github.com/clearance-dev/clearance/loader/assertion"
	"github.com/clearance-dev/clearance/loader/cfn"
	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/tfplan"
	"github.com/clearance-dev/clearance/loader/world"
)

// reviewWorld is --world's world (a scenario file, or the AWS CLI exports
// of one), or an empty account 111111111111 in no organization, with the
// files it was read from.
func reviewWorld(paths []string, opts scenario.Options) (*world.World, []string, error) {
	if len(paths) == 0 {
		return &world.World{Accounts: []*world.Account{{ID: defaultReviewAccount, OutsideOrg: false}}}, nil, nil
	}
	sc, err := scenario.LoadInputs(paths, opts)
	if err != nil {
		return nil, nil, usageError{err}
	}
	return sc.World, append(append([]string(nil), paths...), sc.World.Sources...), nil
}

// deployAccount is --account, or the world's only account.
func deployAccount(w *world.World, account string) (string, error) {
	if account != "" {
		return account, nil
	}
	var own []string
	for _, a := range w.Accounts {
		if !a.OutsideOrg {
			own = append(own, a.ID)
		}
	}
	if len(own) != 1 {
		return "", fmt.Errorf("the world has %d accounts (%s): say which one the change deploys to with --account", len(own), strings.Join(own, ", "))
	}
	return own[0], nil
}

// reader confines a change's file to its own folder and --allow-path: a
// pull request's template names no other file, and reads none.
func reader(path string, opts scenario.Options) *files.Reader {
	max := opts.MaxInputSize
	if max == 0 {
		max = files.DefaultMaxSize
	}
	return files.Confined(max, append([]string{filepath.Dir(path)}, opts.AllowPaths...)...)
}

// readChange reads every template, plan and policy file into one Set, with
// the files read.
func readChange(f *reviewFlags, opts scenario.Options, account string) (*change.Set, []string, error) {
	var sets []*change.Set
	var inputs []string
	var params map[string]string
	if f.cfnParams != "" {
		rd := reader(f.cfnParams, opts)
		defer rd.Close()
		p, err := cfn.ReadParams(rd, f.cfnParams)
		if err != nil {
			return nil, nil, usageError{err}
		}
		params, inputs = p, append(inputs, f.cfnParams)
	}
	read := func(path string, fn func(*files.Reader) (*change.Set, error)) error {
		rd := reader(path, opts)
		defer rd.Close()
		s, err := fn(rd)
		if err != nil {
			return usageError{err}
		}
		sets, inputs = append(sets, s), append(inputs, path)
		return nil
	}
	for _, t := range f.cfn {
		o := cfn.Options{Account: account, Region: f.region, StackName: f.stackName, Params: params}
		if err := read(t, func(rd *files.Reader) (*change.Set, error) { return cfn.Read(rd, t, o) }); err != nil {
			return nil, nil, err
		}
	}
	for _, p := range f.plans {
		o := tfplan.Options{Account: account, Region: f.region}
		if err := read(p, func(rd *files.Reader) (*change.Set, error) { return tfplan.Read(rd, p, o) }); err != nil {
			return nil, nil, err
		}
	}
	for _, it := range f.policies.items {
		err := read(it.file, func(rd *files.Reader) (*change.Set, error) {
			return change.PolicyFile(rd, it.file, it.attach, it.resource, account)
		})
		if err != nil {
			return nil, nil, err
		}
	}
	set, err := change.Merge(sets...)
	if err != nil {
		return nil, nil, usageError{err}
	}
	set.Account, set.Region = account, f.region
	return set, inputs, nil
}

// reviewReport applies the change, reviews it, and applies the
// acceptances and the baseline.
func reviewReport(ctx context.Context, f *reviewFlags, opts scenario.Options, before *world.World, set *change.Set, now time.Time) (*review.Report, error) {
	after, applied, err := change.ApplyReport(before, set, change.Options{AWSManaged: before.AWSManaged})
	if err != nil {
		return nil, usageError{err}
	}
	ro := review.Options{Time: now, World: worldName(f.worlds), Progress: f.progress.fn(), UnknownManaged: unknownManaged(applied), UnknownDocuments: applied.UnknownDocuments}
	if ro.Context, err = parseContext(f.ctxPairs); err != nil {
		return nil, usageError{err}
	}
	var asserts *assertion.File
	if f.assert != "" {
		rd := reader(f.assert, opts)
		defer rd.Close()
		if asserts, err = assertion.Load(rd, f.assert); err != nil {
			return nil, usageError{err}
		}
		if err := review.CheckAccepts(asserts.Accept); err != nil {
			return nil, err
		}
		ro.Checks, ro.MustNotGain = asserts.Checks, gains(asserts.MustNotGain)
	}
	rep, err := review.Run(ctx, before, after, set, ro)
	if err != nil {
		return nil, err
	}
	if asserts != nil {
		review.Accept(rep, asserts.Accept, now)
	}
	if f.baseline != "" {
		b, err := loadBaseline(f.baseline, opts)
		if err != nil {
			return nil, err
		}
		review.ApplyBaseline(b, rep)
	}
	review.Finalize(rep, f.failOn)
	return rep, nil
}

func loadBaseline(path string, opts scenario.Options) (*review.Baseline, error) {
	rd := reader(path, opts)
	defer rd.Close()
	data, err := rd.ReadFile(path)
	if err != nil {
		return nil, usageError{fmt.Errorf("--baseline: %w", err)}
	}
	b, err := review.ReadBaseline(path, data)
	if err != nil {
		return nil, usageError{err}
	}
	return b, nil
}

// unknownManaged lists the managed policies the change attaches whose
// documents neither the world nor its aws_managed source hold.
func unknownManaged(a *change.Applied) []review.UnknownPolicy {
	var out []review.UnknownPolicy
	for _, u := range a.UnknownManaged {
		out = append(out, review.UnknownPolicy{ARN: u.ARN, At: u.At})
	}
	return out
}

// gains are the must_not_gain entries, placed in the assertion file.
func gains(gs []assertion.Gain) []review.Gain {
	out := make([]review.Gain, len(gs))
	for i, g := range gs {
		out[i] = review.Gain{Principal: g.Principal, Action: g.Action, Resource: g.Resource,
			At: change.Source{File: g.At.File, Line: g.At.Line, Col: g.At.Col}}
	}
	return out
}
