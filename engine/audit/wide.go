package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/clearance-dev/clearance/engine/privesc"
	"github.com/clearance-dev/clearance/loader/catalog"
)

// Wide access: the finding kinds Cloudsplaining and IAM Access Analyzer
// users expect besides escalation. A principal is flagged when an action
// of a kind's list is allowed on every resource ("*") or on a resource of
// the action's type whose name no policy names (the probe ARN of
// replay.go): only a wildcard grant covers such a name, so the finding is
// about access "without resource constraints", as Cloudsplaining defines
// data exfiltration. One finding per principal and kind, its evidence one
// decision per action allowed (docs/audit-severity.md).

// Rule ids of the wide-access kinds and of unused access.
const (
	RuleDataAccess          = "data-access"
	RuleResourceExposure    = "resource-exposure"
	RuleCredentialsExposure = "credentials-exposure"
	RuleUnusedAccess        = "unused-access"
)

// dataActions read the data a service holds: Cloudsplaining's default
// data-exfiltration actions (cloudsplaining/shared/default-exclusions.yml,
// include-actions: s3:GetObject, ssm:GetParameter, ssm:GetParameters,
// ssm:GetParametersByPath, secretsmanager:GetSecretValue,
// rds:CopyDBSnapshot, rds:CreateDBSnapshot), plus the Read-level actions
// that return an object version or a table's items (s3:GetObjectVersion;
// dynamodb:GetItem, BatchGetItem, Query, Scan) and kms:Decrypt, which the
// Service Authorization Reference files under Write but which returns the
// plaintext of whatever a key encrypted. TestDataActionsInCatalog checks
// each against the catalog.
var dataActions = []string{
	"s3:GetObject", "s3:GetObjectVersion", "secretsmanager:GetSecretValue",
	"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "kms:Decrypt",
	"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
	"rds:CopyDBSnapshot", "rds:CreateDBSnapshot",
}

// wideKind is one kind of wide access.
type wideKind struct {
	rule    string
	actions []string // as the catalog spells them
	what    string   // for the title: "can read data", ...
	detail  string
}

// wideKinds lists the kinds in the order they are checked. The exposure
// lists are policy_sentry's (privesc.Sensitive, MIT): resource exposure
// without the actions its credentials-exposure list holds (so that the
// kinds do not overlap), credentials exposure without sts:AssumeRole*
// (assuming a role is decided by its trust too: the reaches-administrator
// rule follows it). Actions the catalog does not know (AWS retired them)
// are left out.
var wideKinds = sync.OnceValues(func() ([]wideKind, error) {
	s, err := privesc.Sensitive()
	if err != nil {
		return nil, err
	}
	c, err := catalog.Load()
	if err != nil {
		return nil, err
	}
	creds := known(c, s.Lists[privesc.CredentialsExposure], func(a string) bool {
		return !strings.HasPrefix(a, "sts:assumerole") && a != "sts:getsessiontoken"
	})
	inCreds := map[string]bool{}
	for _, a := range creds {
		inCreds[strings.ToLower(a)] = true
	}
	exposure := known(c, s.Lists[privesc.ResourceExposure], func(a string) bool { return !inCreds[a] })
	return []wideKind{
		{RuleDataAccess, known(c, dataActions, nil), "can read data across every resource of",
			"Allowed on a resource no policy names, so on every resource of its type (Cloudsplaining's data exfiltration: read actions without resource constraints)."},
		{RuleResourceExposure, exposure, "can change who may use every resource of",
			"Allowed on a resource no policy names: the principal can rewrite resource policies or permissions (policy_sentry's resource-exposure list) for every resource of the type."},
		{RuleCredentialsExposure, creds, "can obtain credentials or tokens for every resource of",
			"Allowed on a resource no policy names: the principal can create or fetch credentials (policy_sentry's credentials-exposure list) for every resource of the type."},
	}, nil
})

// known keeps the actions the catalog knows, spelled as it spells them,
// that keep accepts (nil: all).
func known(c *catalog.Catalog, actions []string, keep func(lower string) bool) []string {
	var out []string
	for _, a := range actions {
		ca, ok := c.Lookup(a)
		if !ok || keep != nil && !keep(strings.ToLower(a)) {
			continue
		}
		out = append(out, ca.Service+":"+ca.Name)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// wideAccess adds the actor's wide-access findings. An administrator has
// them all (its finding says so); actions an escalation finding of the
// actor already rests on are not repeated.
func (a *auditor) wideAccess(ctx context.Context, ac *actor, escalated map[string]bool) error {
	kinds, err := wideKinds()
	if err != nil {
		return err
	}
	for _, k := range kinds {
		var evs []Evidence
		every, needMFA := false, false
		for _, act := range k.actions {
			if escalated[strings.ToLower(act)] {
				continue
			}
			ok, all, mfa, ev, err := a.wideProbe(ctx, ac, act)
			if err != nil {
				return err
			}
			if !ok {
				if ok, mfa, ev, err = a.probeOn(ctx, ac, act); err != nil {
					return err
				}
			}
			if ok {
				evs = append(evs, ev)
				every, needMFA = every || all, needMFA || mfa
			}
		}
		if len(evs) > 0 {
			a.add(a.wideFinding(ac, k, evs, every, needMFA))
		}
	}
	return nil
}

// wideProbe decides the action on "*" and, when that is allowed, again
// on each concrete ARN replay.go lists (a request names one resource), or
// else on the probe ARN alone: ok when one is allowed. every says it was
// "*" for an action that acts on a resource type (every resource of the
// type; an action without resource types acts on "*" only).
func (a *auditor) wideProbe(ctx context.Context, ac *actor, action string) (ok, every, mfa bool, ev Evidence, err error) {
	concrete := a.concreteARNs(ac, action)
	if may, err := a.mayAllowAny(ac, action, "*"); err != nil || !may {
		return false, false, false, Evidence{}, err
	}
	if ok, mfa, ev, err := a.allowed(ctx, ac, action, "*"); err != nil || !ok || len(concrete) == 0 {
		return ok, false, mfa, ev, err
	}
	for _, arn := range concrete {
		if ok, mfa, ev, err := a.allowed(ctx, ac, action, arn); err != nil || ok {
			return ok, true, mfa, ev, err
		}
	}
	return false, false, false, Evidence{}, nil
}

// mayAllowAny asks the allow index whether some variant may be allowed.
func (a *auditor) mayAllowAny(ac *actor, action, res string) (bool, error) {
	for _, v := range ac.variants {
		may, err := a.e.MayAllow(v.request(ac, action, res, a.opts))
		if err != nil || may {
			return may, err
		}
	}
	a.indexed.Add(1)
	return false, nil
}

// probeOn decides the action on its probe ARN (a grant on a wildcard
// pattern of the type, when "*" is not granted).
func (a *auditor) probeOn(ctx context.Context, ac *actor, action string) (bool, bool, Evidence, error) {
	arn := a.probeARN(ac, action)
	if arn == "" {
		return false, false, Evidence{}, nil
	}
	if may, err := a.mayAllowAny(ac, action, arn); err != nil || !may {
		return false, false, Evidence{}, err
	}
	return a.allowed(ctx, ac, action, arn)
}

// probeARN is the ARN of the action's first resource type with a name no
// policy names ("" for an action without resource types).
func (a *auditor) probeARN(ac *actor, action string) string {
	for _, arn := range a.concreteARNs(ac, action) {
		if strings.HasSuffix(arn, probeName) || strings.HasSuffix(arn, probeName+"/"+probeName) {
			return arn
		}
	}
	return ""
}

func (a *auditor) wideFinding(ac *actor, k wideKind, evs []Evidence, every, mfa bool) Finding {
	sev, scope := Medium, "a wildcard pattern, or on \"*\" for actions that act on no resource type"
	if every {
		scope = `"*"`
		if k.rule != RuleDataAccess {
			sev = High
		}
	}
	acts := make([]string, len(evs))
	services := []string{}
	for i, ev := range evs {
		acts[i] = ev.Action
		svc, _, _ := strings.Cut(ev.Action, ":")
		if !slices.Contains(services, svc) {
			services = append(services, svc)
		}
	}
	return Finding{Rule: k.rule, Severity: sev, Principal: ac.arn,
		Title: fmt.Sprintf("%s %s %s %s: %s%s", ac.kind, ac.arn, k.what, strings.Join(services, ", "),
			listSome(acts, 6), mfaNoteFor(mfa)),
		Detail:   fmt.Sprintf("%s Granted on %s.", k.detail, scope),
		Evidence: evs}.located()
}

// listSome joins the first n items and counts the rest.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
