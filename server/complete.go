package server

import (
	"fmt"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/world"
)

// maxCompletions bounds a completions answer.
const maxCompletions = 50

// globalKeys are the global condition keys the IAM User Guide documents
// (reference_policies_condition-keys.html, one section per key), offered
// when a context key is completed; tag keys end with their placeholder.
var globalKeys = []string{
	"aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:CurrentTime", "aws:Ec2InstanceSourceVpc",
	"aws:Ec2InstanceSourcePrivateIPv4", "aws:EpochTime", "aws:FederatedProvider", "aws:MultiFactorAuthAge",
	"aws:MultiFactorAuthPresent", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalIsAWSService",
	"aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList",
	"aws:PrincipalTag/", "aws:PrincipalType", "aws:referer", "aws:RequestedRegion", "aws:RequestTag/",
	"aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths", "aws:ResourceTag/", "aws:SecureTransport",
	"aws:SourceAccount", "aws:SourceArn", "aws:SourceIdentity", "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce",
	"aws:TagKeys", "aws:TokenIssueTime", "aws:UserAgent", "aws:userid", "aws:username", "aws:ViaAWSService",
	"aws:VpcSourceIp",
}

// complete lists up to maxCompletions names of a kind matching the
// prefix: those starting with it first, then those containing it (an
// ARN is found by its last part). Principals and resources come from the
// world, actions from the catalog (service prefixes until the prefix has
// a colon), context keys from globalKeys and the action's own keys.
func complete(v *view, m *Complete) Out {
	pool, err := completionPool(v, m)
	if err != nil {
		return errorOut(m.ID, err)
	}
	lower := strings.ToLower(m.Prefix)
	var starts, contains []string
	for _, n := range pool {
		ln := strings.ToLower(n)
		switch {
		case strings.HasPrefix(ln, lower):
			starts = append(starts, n)
		case strings.Contains(ln, lower):
			contains = append(contains, n)
		}
	}
	sort.Strings(starts)
	sort.Strings(contains)
	items := append(starts, contains...)
	if len(items) > maxCompletions {
		items = items[:maxCompletions]
	}
	if items == nil {
		items = []string{}
	}
	return Out{Type: outCompletions, ID: m.ID, Items: items}
}

func completionPool(v *view, m *Complete) ([]string, error) {
	switch m.Kind {
	case "principal":
		return principalNames(v.world), nil
	case "resource":
		return worldARNs(v.world), nil
	case "action":
		cat, err := catalog.Load()
		if err != nil {
			return nil, err
		}
		var pool []string
		if strings.Contains(m.Prefix, ":") {
			svc, _, _ := strings.Cut(m.Prefix, ":")
			for _, a := range cat.Expand(svc+":*", false) {
				pool = append(pool, a.String())
			}
			return pool, nil
		}
		for _, svc := range cat.Services() {
			pool = append(pool, svc+":")
		}
		return pool, nil
	case "key":
		pool := append([]string(nil), globalKeys...)
		if m.Action != "" {
			cat, err := catalog.Load()
			if err != nil {
				return nil, err
			}
			if a, ok := cat.Lookup(m.Action); ok {
				pool = append(pool, a.ConditionKeys...)
			}
		}
		return pool, nil
	}
	return nil, fmt.Errorf("complete: unknown kind %q (principal, action, resource or key)", m.Kind)
}

// worldARNs are what a request's resource can name in the world: its
// resources, and its users, groups, roles and managed policies (the
// resources of IAM and STS actions).
func worldARNs(w *world.World) []string {
	var out []string
	for _, a := range w.Accounts {
		for _, r := range a.Resources {
			out = append(out, r.ARN)
		}
		for _, u := range a.Users {
			out = append(out, u.ARN)
		}
		for _, g := range a.Groups {
			out = append(out, g.ARN)
		}
		for _, r := range a.Roles {
			out = append(out, r.ARN)
		}
		for _, p := range a.ManagedPolicies {
			out = append(out, p.ARN)
		}
	}
	return out
}
