package audit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/explain"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// actor is a user or role the audit probes, through one or more sessions:
// a user with its long-term credentials, then with MFA (GetSessionToken);
// a role through a session of its own.
type actor struct {
	arn      string // the user or role ARN
	kind     string // "user" or "role"
	account  string
	variants []variant
	// resources the actor's own escalation may target: itself, its
	// groups, its attached customer managed policies.
	own []string
	// targets caches, per action, the resources probes aim it at (an
	// actor is audited by one goroutine).
	targets map[string][]string
	allows  *[]*policy.Statement // its identity policies' Allow statements
	// via maps the policies a user holds through a group to the group.
	via map[string]string
}

type variant struct {
	session *engine.Session
	mfa     bool
	replay  string // the why flags that make the same principal
}

// through is the same actor probed through one of its sessions only.
func (ac *actor) through(v variant) *actor {
	one := *ac
	one.variants = []variant{v}
	return &one
}

// auditSession is the RoleSessionName the audit gives role sessions.
const auditSession = "clearance-audit"

func (a *auditor) actors() []*actor {
	var out []*actor
	for _, acct := range a.snap.Accounts() {
		for _, u := range acct.Users {
			out = append(out, a.userActor(u))
		}
		for _, r := range acct.Roles {
			if !a.excluded[r.ARN] {
				out = append(out, a.roleActor(r))
			}
		}
	}
	return out
}

// awsManagedRoles lists the service-linked roles (path /aws-service-role/)
// and AWS-reserved roles (/aws-reserved/, IAM Identity Center's
// permission-set roles) the audit leaves out, unless told to include
// them: AWS defines them, their trust, and (for service-linked roles)
// their permissions; IAM refuses to change them
// (id_roles.html#iam-term-service-linked-role; Identity Center manages
// AWSReservedSSO_ roles from its permission sets).
func (a *auditor) awsManagedRoles() map[string]bool {
	out := map[string]bool{}
	if a.opts.IncludeAWSManaged {
		return out
	}
	for _, acct := range a.snap.Accounts() {
		for _, r := range acct.Roles {
			if AWSManagedRole(r) {
				out[r.ARN] = true
			}
		}
	}
	return out
}

// AWSManagedRole reports whether a role is service-linked or
// AWS-reserved, by its path.
func AWSManagedRole(r *world.Role) bool {
	return r.ServiceLinked() || strings.HasPrefix(r.Path, "/aws-reserved/")
}

func (a *auditor) userActor(u *world.User) *actor {
	ac := &actor{arn: u.ARN, kind: "user", account: u.Account, own: []string{u.ARN}}
	managed, inline := map[string][]string{}, map[string][]string{}
	for _, g := range u.Groups {
		ac.own = append(ac.own, "arn:aws:iam::"+u.Account+":group/"+g)
		if grp, ok := a.snap.Group(u.Account, g); ok {
			ac.own = append(ac.own, customer(grp.Managed)...)
			managed[grp.ARN] = grp.Managed
			for _, p := range grp.Inline {
				inline[grp.ARN] = append(inline[grp.ARN], p.Name)
			}
		}
	}
	ac.via = viaGroups(u.Managed, managed, inline)
	ac.own = append(ac.own, customer(u.Managed)...)
	long := engine.NewSession()
	long.Kind, long.ARN, long.Account, long.EntityARN, long.UserID, long.Type = engine.KindUser, u.ARN, u.Account, u.ARN, u.ID, "User"
	mfa := long.Clone()
	mfa.Credential, mfa.MFA = engine.CredSession, true
	mfa.Keys = map[string]any{"aws:MultiFactorAuthPresent": true, "aws:MultiFactorAuthAge": 0,
		"aws:TokenIssueTime": a.opts.Time.UTC().Format(time.RFC3339)}
	ac.variants = []variant{
		{session: long, replay: "--principal " + quote(u.ARN)},
		{session: mfa, mfa: true, replay: "--as " + quote(u.ARN) + " --step 'GetSessionToken mfa=true'"},
	}
	return ac
}

func (a *auditor) roleActor(r *world.Role) *actor {
	ac := &actor{arn: r.ARN, kind: "role", account: r.Account, own: append([]string{r.ARN}, customer(r.Managed)...)}
	s := engine.NewSession()
	s.Kind, s.Type, s.Credential = engine.KindSession, "AssumedRole", engine.CredRole
	s.ARN = "arn:aws:sts::" + r.Account + ":assumed-role/" + r.Name + "/" + auditSession
	s.EntityARN, s.Account, s.UserID = r.ARN, r.Account, r.ID+":"+auditSession
	issued := a.opts.Time.UTC().Format(time.RFC3339)
	s.Keys = map[string]any{"aws:MultiFactorAuthPresent": false, "aws:TokenIssueTime": issued}
	ac.variants = []variant{{session: s, replay: "--principal " + quote(s.ARN) +
		" --context aws:MultiFactorAuthPresent=false --context aws:TokenIssueTime=" + issued}}
	return ac
}

// customer keeps the customer managed policy ARNs (AWS managed ones
// cannot be changed by anyone).
func customer(arns []string) []string {
	var out []string
	for _, p := range arns {
		if !strings.HasPrefix(p, "arn:aws:iam::aws:") {
			out = append(out, p)
		}
	}
	return out
}

func (v variant) request(ac *actor, action, resource string, o AuditOptions) *engine.Request {
	r := &engine.Request{Session: v.session, Action: action, Resource: resource, Context: o.Context, Time: o.Time}
	if p, ok := pattern.SplitARN(resource); !ok || p.Account == "" || strings.ContainsAny(p.Account, "*?") {
		r.ResourceAccount = ac.account
	}
	return r
}

func (v variant) why(ac *actor, action, resource string, o AuditOptions) string {
	cmd := fmt.Sprintf("clearance why %s %s --action %s --resource %s", o.worldFlags(), v.replay, action, quote(resource))
	if p, ok := pattern.SplitARN(resource); !ok || p.Account == "" || strings.ContainsAny(p.Account, "*?") {
		cmd += " --resource-account " + ac.account
	}
	return cmd + contextFlags(o.Context) + " --time " + o.Time.UTC().Format(time.RFC3339)
}

// allowed tries the actor's variants in order and returns the first that
// is allowed (ok false: none), with its evidence.
func (a *auditor) allowed(ctx context.Context, ac *actor, action, resource string) (bool, bool, Evidence, error) {
	var last Evidence
	for _, v := range ac.variants {
		req := v.request(ac, action, resource, a.opts)
		if may, err := a.e.MayAllow(req); err != nil || !may {
			a.indexed.Add(1)
			if err != nil {
				return false, false, Evidence{}, err
			}
			continue
		}
		// An allowed probe is reported with its explained decision, and
		// the allow index has left few to deny: the lean verdict first
		// would make most of them twice (benchmarks/README.md).
		d, err := a.e.DecideShared(ctx, req)
		a.decisions.Add(1)
		if err != nil {
			return false, false, Evidence{}, err
		}
		last = evidence(d, action, resource, v.why(ac, action, resource, a.opts))
		last.probe = &probeRef{ac: ac, v: v}
		if d.Decision == engine.Allow {
			last.Grants = grantsOf(d, action, ac)
			return true, v.mfa, last, nil
		}
	}
	return false, false, last, nil
}

func evidence(d *engine.Decision, action, resource, why string) Evidence {
	ev := Evidence{Action: action, Resource: resource, Decision: d.Decision, Summary: explain.Summary(d), Why: why}
	for _, t := range engine.PolicyTypes {
		ev.Matched = append(ev.Matched, d.Matched[t]...)
	}
	return ev
}
