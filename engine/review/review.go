package review

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/privesc"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// Options say what a review asks and how.
type Options struct {
	// Time and Context are what every request of the comparison carries
	// (aws:RequestedRegion, aws:SecureTransport...), as the audit's
	// AuditOptions.
	Time    time.Time
	Context map[string]any
	// Checks are the assertion file's checks, judged on the world after
	// the change; MustNotGain its must_not_gain entries.
	Checks      []*scenario.Check
	MustNotGain []Gain
	// UnknownManaged are the managed policies the change attaches whose
	// contents are unknown (a medium finding each).
	UnknownManaged []UnknownPolicy
	// UnknownDocuments are the documents the change writes that are known
	// only after deployment (a medium finding each).
	UnknownDocuments []change.UnknownDocument
	// World names the world for the replay commands, and ChangeFlags are
	// the flags that make `clearance why` decide on the world after the
	// change (--cfn FILE ...).
	World, ChangeFlags string
	// Progress, if set, is told how far each stage is (StageAuditBefore,
	// StageAuditAfter, StageAccess, StageAssertions).
	Progress func(stage string, done, total int)
}

// Gain is a must_not_gain entry: IAM-style globs (* and ?) on the
// principal (its ARN, or the ARN of one of its sessions), the action and
// the resource.
type Gain struct {
	Principal, Action, Resource string
	At                          change.Source
}

// UnknownPolicy is a managed policy the change attaches whose document is
// unknown, and where the change attaches it.
type UnknownPolicy struct {
	ARN string
	At  change.Source
}

// run is one review in progress.
type run struct {
	opts          Options
	set           *change.Set
	before, after side
	afterSnap     *store.Snapshot
	impact        *impact
	loc           *locator
	// unscoped asks every principal every question (the differential
	// test's reference).
	unscoped   bool
	findings   []Finding
	gains      []gain
	checks     []CheckResult
	principals int
	decisions  int
}

// gain is access the change adds, for the must_not_gain entries.
type gain struct {
	p       pair
	g       query.Grant
	finding int
}

// Run reviews the change: before is the world as it stands, after the
// world with the change applied (change.Apply), set the change itself.
func Run(ctx context.Context, before, after *world.World, set *change.Set, opts Options) (*Report, error) {
	return review(ctx, before, after, set, opts, false)
}

func review(ctx context.Context, before, after *world.World, set *change.Set, opts Options, unscoped bool) (*Report, error) {
	if opts.Time.IsZero() {
		opts.Time = time.Now().UTC().Truncate(time.Second)
	}
	r := &run{opts: opts, set: set, unscoped: unscoped}
	var err error
	if r.before, err = open(ctx, before, "before"); err != nil {
		return nil, err
	}
	if r.after, err = open(ctx, after, "after"); err != nil {
		return nil, err
	}
	bs, as := r.before.e.Store().Snapshot(), r.after.e.Store().Snapshot()
	r.afterSnap = as
	r.impact = newImpact(set, bs, as, r.after.e.PolicyFree)
	r.loc = newLocator(set, r.impact, as, bs)
	cat, err := catalog.Load()
	if err != nil {
		return nil, fault.Internal(err) // embedded data
	}
	pc, err := privesc.Load()
	if err != nil {
		return nil, fault.Internal(err)
	}
	if err := r.compareAudits(ctx); err != nil {
		return nil, err
	}
	sentry, err := privesc.Sensitive()
	if err != nil {
		return nil, fault.Internal(err)
	}
	ps := newPairSet(cat, pc.Paths, sentry, set.Account)
	ps.edits(set, bs, as)
	ps.addSensitive()
	ps.gains(opts.MustNotGain)
	ps.concretize(bs, as)
	if err := r.compareAccess(ctx, ps.sorted()); err != nil {
		return nil, err
	}
	r.lint(cat)
	r.unknownManaged()
	r.unknownPrincipals()
	r.unknownDocuments()
	if err := r.assertions(ctx); err != nil {
		return nil, err
	}
	return r.report(), nil
}

// open loads a world into a store and an engine.
func open(ctx context.Context, w *world.World, which string) (side, error) {
	if w == nil {
		return side{}, fault.Errorf(fault.CodeInternal, "review: no world %s the change", which)
	}
	s, err := store.NewStore()
	if err != nil {
		return side{}, fault.Internal(err)
	}
	if err := s.Load(w); err != nil {
		return side{}, fault.Wrap(fault.CodeBadWorld, err, "the world %s the change", which)
	}
	e, err := engine.New(ctx, s)
	if err != nil {
		return side{}, err
	}
	return side{e: e, q: query.New(e)}, nil
}

func (r *run) add(f Finding) {
	if rule, ok := RuleByID(f.Rule); ok && f.Severity == "" {
		f.Severity = rule.Severity
	}
	symbols(r.set, &f)
	f.Fingerprint = Fingerprint(&f)
	r.findings = append(r.findings, f)
}

func (r *run) progress(stage string, done, total int) {
	if r.opts.Progress != nil {
		r.opts.Progress(stage, done, total)
	}
}

// replay is the why command that asks the probe on the world after the
// change; "" when no command can name that world (ChangeFlags unset:
// `why` does not read changes), rather than a command that would answer
// on the world before it.
func (r *run) replay(p *Probe) string {
	if r.opts.ChangeFlags == "" {
		return ""
	}
	cmd := "clearance why --world " + shellQuote(r.opts.World)
	if r.opts.ChangeFlags != "" {
		cmd += " " + r.opts.ChangeFlags
	}
	cmd += " --principal " + shellQuote(p.Principal)
	if p.FederatedBy != "" {
		cmd += " --federated-by " + shellQuote(p.FederatedBy)
	}
	cmd += " --action " + p.Action + " --resource " + shellQuote(p.Resource)
	if p.ResourceAccount != "" {
		cmd += " --resource-account " + p.ResourceAccount
	}
	keys := make([]string, 0, len(r.opts.Context))
	for k := range r.opts.Context {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cmd += " --context " + shellQuote(fmt.Sprintf("%s=%v", k, r.opts.Context[k]))
	}
	return cmd + " --time " + r.opts.Time.UTC().Format(time.RFC3339)
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " '\"*?$`\\!&;|<>(){}[]#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// report sorts the findings (most severe first, then by rule, principal,
// action, resource), drops repeated fingerprints and counts them.
func (r *run) report() *Report {
	r.findings = subsumeAdministrators(r.findings)
	sort.SliceStable(r.findings, func(i, j int) bool {
		a, b := r.findings[i], r.findings[j]
		if Rank(a.Severity) != Rank(b.Severity) {
			return Rank(a.Severity) > Rank(b.Severity)
		}
		for _, c := range [][2]string{{a.Rule, b.Rule}, {a.Principal, b.Principal}, {a.Action, b.Action}, {a.Resource, b.Resource}} {
			if c[0] != c[1] {
				return c[0] < c[1]
			}
		}
		return false
	})
	rep := &Report{Findings: []Finding{}, Checks: r.checks}
	seen := map[string]bool{}
	for _, f := range r.findings {
		if !seen[f.Fingerprint] {
			seen[f.Fingerprint] = true
			rep.Findings = append(rep.Findings, f)
		}
	}
	Summarize(rep)
	rep.Summary.Principals, rep.Summary.Decisions = len(r.impact.principals), r.decisions
	if r.impact.all || r.unscoped {
		rep.Summary.Principals = r.principals
	}
	return rep
}
