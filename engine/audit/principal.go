package audit

import (
	"context"
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/privesc"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
)

// adminProbes are requests only an administrator is allowed all of: IAM
// permissions management and data and compute across services, on "*".
var adminProbes = []string{
	"iam:CreateUser", "iam:AttachRolePolicy", "iam:PutUserPolicy", "iam:CreateAccessKey",
	"ec2:RunInstances", "s3:GetObject", "s3:PutBucketPolicy", "kms:Decrypt",
	"lambda:UpdateFunctionCode", "dynamodb:Scan", "secretsmanager:GetSecretValue",
}

// sensitiveProbes are permissions that let a holder change who can do
// what; holding one without MFA is a finding.
var sensitiveProbes = []string{"iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:CreateAccessKey",
	"iam:CreatePolicyVersion", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:PassRole"}

func (a *auditor) auditActor(ctx context.Context, ac *actor) error {
	admin, mfa, evs, err := a.isAdmin(ctx, ac)
	if err != nil {
		return err
	}
	if admin {
		a.setAdmin(ac.arn) // roles: their sessions are admins; users: reach adds nothing
	}
	if !a.inScope(ac.arn) {
		return nil
	}
	if admin {
		a.add(Finding{Rule: RuleAdministrator, Severity: Critical, Principal: ac.arn,
			Title:    fmt.Sprintf("%s %s is administrator-equivalent%s", ac.kind, ac.arn, mfaNoteFor(mfa)),
			Detail:   "Every administrator probe (IAM permissions management and data and compute across services, on every resource) is allowed.",
			Evidence: evs}.located())
	} else {
		escalated, err := a.privesc(ctx, ac)
		if err != nil {
			return err
		}
		if err := a.wideAccess(ctx, ac, escalated); err != nil {
			return err
		}
	}
	if ac.kind == "user" {
		if err := a.sensitiveWithoutMFA(ctx, ac); err != nil {
			return err
		}
	}
	return nil
}

func mfaNoteFor(mfa bool) string {
	if mfa {
		return " (with MFA)"
	}
	return ""
}

// isAdmin reports whether one of the actor's variants is allowed every
// administrator probe.
func (a *auditor) isAdmin(ctx context.Context, ac *actor) (bool, bool, []Evidence, error) {
	for _, v := range ac.variants {
		one := ac.through(v)
		var evs []Evidence
		all := true
		for _, act := range adminProbes {
			ok, _, ev, err := a.allowed(ctx, one, act, "*")
			if err != nil {
				return false, false, nil, err
			}
			if !ok {
				all = false
				break
			}
			evs = append(evs, ev)
		}
		if all {
			return true, v.mfa, evs, nil
		}
	}
	return false, false, nil, nil
}

// privesc matches the actor against every escalation method of its kind
// (methodsFor): each required action must be allowed on some resource the
// actor could aim it at. A method both catalogues know is one finding.
// It returns the actions (lower case) of the methods found.
func (a *auditor) privesc(ctx context.Context, ac *actor) (map[string]bool, error) {
	cache := map[string]*probeResult{}
	escalated := map[string]bool{}
	for _, m := range a.methods[ac.kind] {
		f, err := a.matchMethod(ctx, ac, m, cache)
		if err != nil {
			return nil, err
		}
		if f != nil {
			a.add(*f)
			for _, r := range m.Required {
				escalated[strings.ToLower(r)] = true
			}
		}
	}
	return escalated, nil
}

type probeResult struct {
	ok  bool
	mfa bool
	ev  Evidence
}

func (a *auditor) matchMethod(ctx context.Context, ac *actor, m method, cache map[string]*probeResult) (*Finding, error) {
	for _, act := range m.Required {
		if r, ok := cache[act]; ok && !r.ok {
			return nil, nil
		}
		if may, err := a.mayProbe(ac, act); err != nil || !may {
			cache[act] = &probeResult{}
			return nil, err
		}
	}
	var evs []Evidence
	needMFA := false
	for _, act := range m.Required {
		r, ok := cache[act]
		if !ok {
			var err error
			if r, err = a.probeAction(ctx, ac, act); err != nil {
				return nil, err
			}
			cache[act] = r
		}
		if !r.ok {
			return nil, nil
		}
		needMFA = needMFA || r.mfa
		evs = append(evs, r.ev)
	}
	f := Finding{Rule: RulePrivilegeEscalation, Severity: High, Principal: ac.arn, Subject: strings.Join(m.Required, "+"),
		Title:    fmt.Sprintf("%s %s can escalate privileges: %s%s", ac.kind, ac.arn, m.label(), mfaNoteFor(needMFA)),
		Detail:   fmt.Sprintf("Every permission the method needs is allowed (%s). Sources: %s", strings.Join(m.Required, ", "), m.sources()),
		Evidence: evs, Methods: m.refs()}.located()
	return &f, nil
}

// mayProbe asks the allow index whether some variant of the actor may be
// allowed the action on some target (false: no decision can allow it).
func (a *auditor) mayProbe(ac *actor, action string) (bool, error) {
	for _, res := range a.targets(ac, action) {
		for _, v := range ac.variants {
			may, err := a.e.MayAllow(v.request(ac, action, res, a.opts))
			if err != nil || may {
				return may, err
			}
		}
	}
	a.indexed.Add(1)
	return false, nil
}

// probeAction decides an action on "*" and, failing that, on each of the
// account's IAM entities and the actor's own resources that one of the
// actor's Allow statements could cover.
func (a *auditor) probeAction(ctx context.Context, ac *actor, action string) (*probeResult, error) {
	var last Evidence
	for _, res := range a.targets(ac, action) {
		ok, mfa, ev, err := a.allowed(ctx, ac, action, res)
		if err != nil {
			return nil, err
		}
		if ok {
			return &probeResult{ok: true, mfa: mfa, ev: ev}, nil
		}
		last = ev
	}
	return &probeResult{ev: last}, nil
}

// targets lists "*", then the actor's own resources and the account's
// users, groups, roles and customer managed policies whose ARN a Resource
// pattern of the actor's identity policies matches (an index: the probe
// itself decides).
func (a *auditor) targets(ac *actor, action string) []string {
	if t, ok := ac.targets[action]; ok {
		return t
	}
	t := a.findTargets(ac, action)
	if ac.targets == nil {
		ac.targets = map[string][]string{}
	}
	ac.targets[action] = t
	return t
}

func (a *auditor) findTargets(ac *actor, action string) []string {
	out := []string{"*"}
	patterns := a.resourcePatterns(ac, action)
	if len(patterns) == 0 {
		return out
	}
	seen := map[string]bool{"*": true}
	for _, list := range [][]string{ac.own, a.accountEntities(ac.account)} {
		for _, arn := range list {
			if !seen[arn] && anyPattern(patterns, arn) {
				seen[arn] = true
				out = append(out, arn)
			}
		}
	}
	return out
}

func anyPattern(patterns []string, arn string) bool {
	for _, pat := range patterns {
		if pat == "\x00any" || pattern.Glob(pat, arn) {
			return true
		}
	}
	return false
}

// resourcePatterns lists the Resource patterns of the actor's identity
// Allow statements that can concern the action ("\x00any" for NotResource
// or patterns with policy variables).
func (a *auditor) resourcePatterns(ac *actor, action string) []string {
	action = strings.ToLower(action)
	var out []string
	for _, st := range a.allowStatements(ac) {
		if !engine.StatementMentions(st, action) {
			continue
		}
		if st.NotResource || st.ResVars || st.NoResource {
			out = append(out, "\x00any")
			continue
		}
		for _, r := range st.Resources {
			if s, ok := r.(string); ok && s != "*" {
				out = append(out, s)
			}
		}
	}
	return out
}

// allowStatements returns the Allow statements of the actor's identity
// policies, read once per actor.
func (a *auditor) allowStatements(ac *actor) []*policy.Statement {
	if ac.allows != nil {
		return *ac.allows
	}
	var out []*policy.Statement
	if p, err := a.e.Identify(a.snap, ac.variants[0].request(ac, "sts:GetCallerIdentity", "*", a.opts)); err == nil {
		for _, name := range p.Policies {
			for _, st := range a.snap.AllStatements(name) {
				if st.Effect == "Allow" {
					out = append(out, st)
				}
			}
		}
	}
	ac.allows = &out
	return out
}

func (a *auditor) accountEntities(account string) []string {
	if e, ok := a.entities.Load(account); ok {
		return e.([]string)
	}
	e := a.listEntities(account)
	a.entities.Store(account, e)
	return e
}

func (a *auditor) listEntities(account string) []string {
	acct, ok := a.snap.Account(account)
	if !ok {
		return nil
	}
	var out []string
	for _, u := range acct.Users {
		out = append(out, u.ARN)
	}
	for _, g := range acct.Groups {
		out = append(out, g.ARN)
	}
	for _, r := range acct.Roles {
		out = append(out, r.ARN)
	}
	for _, m := range acct.ManagedPolicies {
		out = append(out, m.ARN)
	}
	return out
}

// sensitiveWithoutMFA flags a user whose long-term credentials alone are
// allowed a permission that changes who can do what.
func (a *auditor) sensitiveWithoutMFA(ctx context.Context, ac *actor) error {
	long := ac.through(ac.variants[0])
	var evs []Evidence
	for _, act := range sensitiveProbes {
		r, err := a.probeAction(ctx, long, act)
		if err != nil {
			return err
		}
		if r.ok {
			evs = append(evs, r.ev)
		}
	}
	if len(evs) > 0 {
		acts := make([]string, len(evs))
		for i, ev := range evs {
			acts[i] = ev.Action
		}
		a.add(Finding{Rule: RuleSensitiveWithoutMFA, Severity: Medium, Principal: ac.arn,
			Title:    fmt.Sprintf("user %s holds sensitive permissions without MFA: %s", ac.arn, strings.Join(acts, ", ")),
			Detail:   "The user's long-term credentials alone (no MFA in the request) are allowed these actions; conditioning them on aws:MultiFactorAuthPresent limits stolen access keys.",
			Evidence: evs}.located())
	}
	return nil
}

// onlyAssumeRole is a method that only assumes another role: it escalates
// only if that role is more privileged, which reachAdmins decides with
// real reachability instead of flagging every sts:AssumeRole permission.
func onlyAssumeRole(p privesc.Path) bool {
	for _, r := range p.Required {
		if !strings.HasPrefix(r, "sts:assumerole") {
			return false
		}
	}
	return true
}
