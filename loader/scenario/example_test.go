package scenario

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// The example company ships twice: as a scenario world
// (corpus/example/company.yaml) and as the AWS CLI's outputs
// (examples/aws-export: get-account-authorization-details per account,
// the resource policies in the collect layout, the organizations calls).
// Both must describe the same principals and policies.
func TestExampleExportIsTheExampleWorld(t *testing.T) {
	sc, err := LoadFile("../../corpus/example/company.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := LoadInputs([]string{"../../examples/aws-export"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, got := describe(sc.World), describe(raw.World)
	for _, k := range union(want, got) {
		if want[k] != got[k] {
			t.Errorf("%s:\n  company.yaml: %s\n  aws-export:   %s", k, want[k], got[k])
		}
	}
	if len(want) < 30 {
		t.Errorf("only %d facts compared", len(want))
	}
}

func union(a, b map[string]string) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// describe lists a world's facts that decide answers, by a key naming
// each: principals with their policies, managed and resource policies,
// the organization's tree and policies. Names and ids AWS assigns
// (UserId, account names) are not compared, nor resource tags (the
// resource-policy outputs do not hold them); FullAWSAccess and
// RCPFullAWSAccess are AWS's defaults (loader/store/org.go), as attached
// or left implicit.
func describe(w *world.World) map[string]string {
	out := map[string]string{}
	for _, a := range w.Accounts {
		out["account "+a.ID] = fmt.Sprintf("outside_org=%v org_path=%q scps=%v rcps=%v", a.OutsideOrg, a.OrgPath, scps(a.SCPs), rcps(a.RCPs))
		for _, u := range a.Users {
			out["user "+u.ARN] = fmt.Sprintf("path=%s groups=%v managed=%v boundary=%s tags=%v inline=%s", u.Path, sorted(u.Groups),
				sorted(u.Managed), u.Boundary, u.Tags, docs(u.Inline))
		}
		for _, g := range a.Groups {
			out["group "+g.ARN] = fmt.Sprintf("managed=%v inline=%s", sorted(g.Managed), docs(g.Inline))
		}
		for _, r := range a.Roles {
			out["role "+r.ARN] = fmt.Sprintf("path=%s managed=%v boundary=%s tags=%v trust=%s inline=%s", r.Path, sorted(r.Managed),
				r.Boundary, r.Tags, docs([]*policy.Policy{r.Trust}), docs(r.Inline))
		}
		for _, m := range a.ManagedPolicies {
			out["managed policy "+m.ARN] = docs([]*policy.Policy{m.Policy})
		}
		for _, r := range a.Resources {
			out["resource "+r.ARN] = fmt.Sprintf("type=%s account=%s policy=%s", r.Type, r.Account, docs([]*policy.Policy{r.Policy}))
		}
	}
	if o := w.Organization; o != nil {
		out["organization"] = o.ID + " management " + o.ManagementAccount
		for _, p := range o.Policies {
			if p.Name != "FullAWSAccess" && p.Name != policy.RCPFullAWSAccess {
				out[string(p.Kind)+" "+p.Name] = docs([]*policy.Policy{p.Policy})
			}
		}
		var walk func(*world.OrgUnit, string)
		walk = func(u *world.OrgUnit, path string) {
			out["org unit "+path] = fmt.Sprintf("id=%s scps=%v rcps=%v", u.ID, scps(u.SCPs), rcps(u.RCPs))
			for _, c := range u.Children {
				walk(c, path+"/"+c.Name)
			}
		}
		walk(o.Root, "")
	}
	return out
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// scps: a level without one has FullAWSAccess.
func scps(names []string) []string {
	if len(names) == 0 {
		return []string{"FullAWSAccess"}
	}
	return sorted(names)
}

// rcps: RCPFullAWSAccess is at every level.
func rcps(names []string) []string {
	return sorted(slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == policy.RCPFullAWSAccess }))
}

// docs renders policies' statements as the decision logic reads them.
func docs(ps []*policy.Policy) string {
	var parts []string
	for _, p := range ps {
		if p == nil {
			parts = append(parts, "none")
			continue
		}
		b, err := json.Marshal(p.Statements)
		if err != nil {
			return err.Error()
		}
		parts = append(parts, p.Name+" "+string(b))
	}
	slices.Sort(parts)
	return strings.Join(parts, " | ")
}
