package audit

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/parallel"
	"github.com/clearance-dev/clearance/engine/privesc"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/store"
)

// Severities, most severe first.
const (
	Critical = "critical"
	High     = "high"
	Medium   = "medium"
	Low      = "low"
)

// Finding is one audit result, with the decisions that prove it.
type Finding struct {
	Rule      string `json:"rule"`
	Severity  string `json:"severity"`
	Principal string `json:"principal"`
	Title     string `json:"title"`
	// Subject is what the finding is about besides its principal, so that
	// two audits' findings can be compared: the escalation method's id, the
	// administrator role reached, the principal or identity provider a
	// trust or resource policy names ("" when the rule and principal say
	// it all).
	Subject  string     `json:"subject"`
	Detail   string     `json:"detail"`
	Evidence []Evidence `json:"evidence"`
	// Policy and Statement locate the policy statement the finding is
	// about (SARIF locations), when there is one: for a principal's
	// finding the first statement that grants it (Grants has them all).
	// Statement is the index from 0; it is meaningful only with a Policy.
	Policy    string `json:"policy"`
	Statement int    `json:"statement"`
	// Grants are the identity-policy statements that allow what the
	// finding rests on, each with the group it comes through.
	Grants []Grant `json:"grants"`
	// Methods name the escalation method in every catalogue that knows
	// it (privilege-escalation findings).
	Methods []MethodRef `json:"methods"`
	// Fingerprint identifies the finding across audits (Fingerprint:
	// rule, principal, subject, policy), for baselines and exclusions.
	Fingerprint string `json:"fingerprint"`
	// Excluded, on a finding of Report.Excluded, is why: the reason of
	// the exclusion that matched it, or "baseline".
	Excluded string `json:"excluded"`
	// Folded are the principal's lesser findings that Fold joined to
	// this one (its disuse, its sensitive permissions without MFA): one
	// problem, one finding. Empty otherwise.
	Folded []Folded `json:"folded"`
}

// Evidence is one decision a finding rests on, with the command that
// replays it.
type Evidence struct {
	Action   string         `json:"action"`
	Resource string         `json:"resource"`
	Decision string         `json:"decision"`
	Summary  string         `json:"summary"`
	Matched  []engine.Match `json:"matched"`
	Why      string         `json:"why"`
	// Grants are the identity-policy Allow statements that applied.
	Grants []Grant `json:"grants"`
	// probe is who made a probe on "*" (replay.go makes it concrete).
	probe *probeRef
}

// Report is an audit's result.
type Report struct {
	Findings   []Finding `json:"findings"`
	Principals int       `json:"principals"` // users and roles audited
	Decisions  int       `json:"decisions"`
	// Shared counts the decisions among Decisions that reused an earlier
	// evaluation of the logic (the decision memo, memo.go).
	Shared int `json:"shared"`
	// Indexed counts the probes the allow index answered without a
	// decision (no Allow statement could match them) and the reach hops a
	// refused hop class spared (audit_hopclass.go).
	Indexed int      `json:"indexed"`
	Catalog []string `json:"privesc_sources"`
	// ExcludedAWSManaged counts the service-linked and AWS-reserved roles
	// left out (AuditOptions.IncludeAWSManaged).
	ExcludedAWSManaged int `json:"excluded_aws_managed"`
	// Organization says whether the world has an organization: without
	// one, trusts and shares name "another account", not "outside the
	// organization".
	Organization bool `json:"organization"`
	// Excluded are the findings an exclusion or the baseline accepts
	// (Exclude, ApplyBaseline), each with why: counted and listed, not
	// counted among Findings.
	Excluded []Finding `json:"excluded"`
	// ExpiredExclusions are the exclusions whose expiry has passed: they
	// exclude nothing, and fail the audit under --fail-on.
	ExpiredExclusions []ExpiredExclusion `json:"expired_exclusions"`
}

// AuditOptions tune an audit.
type AuditOptions struct {
	Time time.Time
	// Context is what every probe request carries (aws:RequestedRegion,
	// aws:SecureTransport, ...).
	Context map[string]any
	// World names the scenario file for the replay commands.
	World string
	// Scope, if set, limits the findings to the users, roles and resources
	// whose ARN it accepts (a pipeline review audits what a change can
	// affect): the others are only checked for administrator access, which
	// the search for reach into administrator roles needs. Reach findings
	// are not limited: a path may change through any role on it.
	Scope func(arn string) bool
	// Inputs, when set, are the files the world was read from (a scenario
	// file or raw AWS exports); the replay commands name each with
	// --world, and World is only a label.
	Inputs []string
	// Progress, if set, is told how far each stage of the audit is: after
	// each principal (StagePrincipals), after each caller tried in each
	// level of the administrator reach search (StageReach), and after each
	// path found is checked as a chain (StageChains).
	Progress func(stage string, done, total int)
	// IncludeAWSManaged audits service-linked roles (path
	// /aws-service-role/) and AWS-reserved roles (/aws-reserved/) too;
	// by default they are left out: AWS defines and maintains them.
	IncludeAWSManaged bool
	// UnusedDays, if positive, flags the roles the export says were last
	// used (or, never used, created) more than this many days before Time
	// (rule unused-access); 0 leaves the rule out.
	UnusedDays int
	// SkipReach leaves out the search for reach into administrator roles
	// (a shard of an organization's audit: engine/shard joins the reach
	// across shards instead).
	SkipReach bool
}

// Audit runs every check over every user and role of the world.
func (e *Auditor) Audit(ctx context.Context, opts AuditOptions) (*Report, error) {
	if opts.Time.IsZero() {
		opts.Time = time.Now().UTC().Truncate(time.Second)
	}
	cat, err := privesc.Load()
	if err != nil {
		return nil, fault.Internal(err) // embedded data
	}
	a := &auditor{e: e.Walker, opts: opts, snap: e.Store().Snapshot(), report: &Report{Catalog: cat.Sources}, admins: map[string]bool{},
		methods: map[string][]method{"user": methodsFor(cat.Paths, "user"), "role": methodsFor(cat.Paths, "role")}}
	_, _, a.report.Organization = a.snap.ManagementAccount()
	a.excluded = a.awsManagedRoles()
	a.report.ExcludedAWSManaged = len(a.excluded)
	shared := e.Shared() // (queries running beside the audit count too)
	actors := a.actors()
	a.report.Principals = len(actors)
	if err := a.auditActors(ctx, actors); err != nil {
		return nil, err
	}
	if err := a.auditRoles(ctx); err != nil {
		return nil, err
	}
	if err := a.auditResources(ctx); err != nil {
		return nil, err
	}
	a.auditUnused()
	if !opts.SkipReach {
		a.report.Findings = Fold(a.report.Findings)
	}
	for i := range a.report.Findings {
		if err := a.concretizeAll(ctx, &a.report.Findings[i]); err != nil {
			return nil, err
		}
	}
	sortFindings(a.report.Findings)
	for i := range a.report.Findings {
		a.report.Findings[i].Fingerprint = Fingerprint(&a.report.Findings[i])
	}
	a.report.Excluded, a.report.ExpiredExclusions = []Finding{}, []ExpiredExclusion{}
	a.report.Decisions = int(a.decisions.Load())
	a.report.Indexed = int(a.indexed.Load())
	a.report.Shared = int(e.Shared() - shared)
	return a.report, nil
}

// The audit's stages, as Progress names them.
const (
	StagePrincipals = "principals"
	StageReach      = "reach"
	StageChains     = "chains"
)

// restart lets a stage's progress count from zero again (the reach stage
// reports level by level).
func (a *auditor) restart(stage string) {
	a.mu.Lock()
	delete(a.told, stage)
	a.mu.Unlock()
}

// progress reports one step of a stage; it is safe for concurrent use.
// Workers count their steps before they take the lock, so a report may
// arrive after a later one: only reports that move forward are passed
// on, and the last one told is always done == total.
func (a *auditor) progress(stage string, done, total int) {
	if a.opts.Progress == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.told == nil {
		a.told = map[string]int{}
	}
	if done > a.told[stage] {
		a.told[stage] = done
		a.opts.Progress(stage, done, total)
	}
}

var severityRank = map[string]int{Critical: 0, High: 1, Medium: 2, Low: 3}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if severityRank[fs[i].Severity] != severityRank[fs[j].Severity] {
			return severityRank[fs[i].Severity] < severityRank[fs[j].Severity]
		}
		if fs[i].Rule != fs[j].Rule {
			return fs[i].Rule < fs[j].Rule
		}
		return fs[i].Principal < fs[j].Principal
	})
}

type auditor struct {
	e         *sts.Walker
	opts      AuditOptions
	snap      *store.Snapshot
	methods   map[string][]method // escalation methods by principal kind
	excluded  map[string]bool     // AWS-managed roles left out
	report    *Report
	mu        sync.Mutex      // guards report.Findings and admins
	told      map[string]int  // the last progress told per stage (progress)
	admins    map[string]bool // user or role ARN -> administrator
	decisions atomic.Int64
	indexed   atomic.Int64
	entities  sync.Map // account -> the ARNs of its users, groups, roles and policies
	walks     sync.Map // session state + steps -> whether the chain holds (chainHolds)
}

// inScope reports whether the audit reports about the ARN.
func (a *auditor) inScope(arn string) bool { return a.opts.Scope == nil || a.opts.Scope(arn) }

func (a *auditor) add(f Finding) {
	if a.excluded[f.Principal] {
		return
	}
	a.mu.Lock()
	a.report.Findings = append(a.report.Findings, f)
	a.mu.Unlock()
}

func (a *auditor) setAdmin(arn string) {
	a.mu.Lock()
	a.admins[arn] = true
	a.mu.Unlock()
}

// auditActors audits every actor on all CPUs, reporting progress, one
// account at a time: what the engine derived for one account's sessions
// is dropped before the next (an organization's audit would otherwise
// keep every session's inputs until the end).
func (a *auditor) auditActors(ctx context.Context, actors []*actor) error {
	var done atomic.Int64
	for start := 0; start < len(actors); {
		end := start + 1
		for end < len(actors) && actors[end].account == actors[start].account {
			end++
		}
		chunk := actors[start:end]
		err := parallel.ForEach(len(chunk), func(i int) error {
			if err := a.auditActor(ctx, chunk[i]); err != nil {
				return fmt.Errorf("audit %s: %w", chunk[i].arn, err) // coded by auditActor
			}
			a.progress(StagePrincipals, int(done.Add(1)), len(actors))
			return nil
		})
		if err != nil {
			return err
		}
		a.e.DropDerived(a.snap)
		start = end
	}
	return nil
}

// quote makes a shell word.
func quote(s string) string {
	if s != "" && !strings.ContainsAny(s, " '\"*?$`\\!&;|<>(){}[]#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// worldFlags names the world in a replay command.
func (o AuditOptions) worldFlags() string {
	if len(o.Inputs) == 0 {
		return "--world " + quote(o.World)
	}
	out := make([]string, len(o.Inputs))
	for i, in := range o.Inputs {
		out[i] = "--world " + quote(in)
	}
	return strings.Join(out, " ")
}

func contextFlags(c map[string]any) string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var sb strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&sb, " --context %s", quote(fmt.Sprintf("%s=%v", k, c[k])))
	}
	return sb.String()
}
