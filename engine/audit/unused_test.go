package audit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// unusedExport is a get-account-authorization-details export whose roles
// have each kind of RoleLastUsed. "If RoleLastUsed is present but does
// not contain a value, then the role has not been used within the
// tracking period" (id_roles_manage_delete.html, View role access).
func unusedExport(t *testing.T) string {
	roles := []struct{ name, created, lastUsed string }{
		{"old", "2020-01-01T00:00:00Z", `{"LastUsedDate": "2025-09-01 10:00:00+00:00", "Region": "us-east-1"}`}, // 122 days before T0
		{"recent", "2020-01-01T00:00:00Z", `{"LastUsedDate": "2025-12-01T00:00:00Z", "Region": "us-east-1"}`},   // 31 days
		{"never", "2024-01-01T00:00:00Z", `{}`},
		{"new", "2025-12-15T00:00:00Z", `{}`}, // created 17 days before T0: too new
		{"untracked", "2020-01-01T00:00:00Z", ""},
		{"unreadable", "2020-01-01T00:00:00Z", `{"LastUsedDate": "last tuesday"}`},
		{"svc", "2020-01-01T00:00:00Z", `{}`}, // service-linked: left out
	}
	var list []string
	for _, r := range roles {
		path := "/"
		if r.name == "svc" {
			path = "/aws-service-role/"
		}
		used := ""
		if r.lastUsed != "" {
			used = `, "RoleLastUsed": ` + r.lastUsed
		}
		list = append(list, fmt.Sprintf(`{"Path": %q, "RoleName": %q, "RoleId": "AROA%s", "Arn": "arn:aws:iam::111122223333:role%s%s",
 "CreateDate": %q, "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
 "RolePolicyList": [], "AttachedManagedPolicies": []%s}`, path, r.name, strings.ToUpper(r.name), path, r.name, r.created, used))
	}
	file := filepath.Join(t.TempDir(), "auth.json")
	doc := `{"UserDetailList": [], "GroupDetailList": [], "Policies": [], "RoleDetailList": [` + strings.Join(list, ",\n") + `]}`
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestUnusedRoles(t *testing.T) {
	ctx := context.Background()
	sc, err := scenario.LoadInputs([]string{unusedExport(t)}, scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e, err := checks.OpenScenario(ctx, sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		days int
		want []string
	}{
		{0, nil}, // off
		{90, []string{"never", "old"}},
		{10, []string{"never", "new", "old", "recent"}},
		{200, []string{"never"}}, // created 2024-01-01, never used
		{1000, nil},              // created within the window
	} {
		rep, err := New(e).Audit(ctx, AuditOptions{Time: enginetest.T0, UnusedDays: c.days})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range findingsOf(rep, RuleUnusedAccess) {
			got = append(got, f.Principal[strings.LastIndex(f.Principal, "/")+1:])
			if f.Severity != Low || f.Fingerprint == "" {
				t.Errorf("%s: severity %s, fingerprint %q", f.Title, f.Severity, f.Fingerprint)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("--unused-days %d: %q, want %q", c.days, got, c.want)
		}
	}
}

// A scenario file has no usage data: no role is rated.
func TestUnusedScenarioWorld(t *testing.T) {
	rep := audited(t, wideWorld+`
      roles:
        - {name: r, trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}}
`, AuditOptions{UnusedDays: 1})
	if got := findingsOf(rep, RuleUnusedAccess); len(got) != 0 {
		t.Errorf("%+v", got)
	}
}
