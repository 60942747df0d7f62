package scenario

import (
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// A world from exports beside an inline account: three IAM exports (one
// of two pages), an AWS managed policy filled in from the catalog,
// resource policies in both layouts and the organization bundle; it loads
// into a store.
func TestScenarioExportWorld(t *testing.T) {
	sc, err := LoadScenarioFile("../export/testdata/export_world.yaml")
	if err != nil {
		t.Fatal(err)
	}
	w := sc.World
	accounts := map[string]*world.Account{}
	for _, a := range w.Accounts {
		accounts[a.ID] = a
	}
	if len(w.Accounts) != 4 || !accounts["444444444444"].OutsideOrg || accounts["333333333333"].OrgPath != "Sandbox" ||
		accounts["222222222222"].Name != "audit" || len(accounts["111111111111"].Resources) != 6 || len(accounts["222222222222"].Resources) != 1 {
		t.Errorf("accounts %+v", w.Accounts)
	}
	if w.Organization == nil || w.Organization.ID != "o-ex1234567" {
		t.Fatalf("organization %+v", w.Organization)
	}
	warn := strings.Join(w.Warnings, "\n")
	if len(w.Warnings) != 2 || !strings.Contains(warn, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess: not in the export; filled in from ../export/testdata/export/aws-managed.json") ||
		!strings.Contains(warn, "account 444444444444 is not in the organization export") {
		t.Errorf("warnings %q", w.Warnings)
	}
	s, err := store.NewStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(w); err != nil {
		t.Fatal(err)
	}
	if r, ok := s.Snapshot().Role("arn:aws:iam::333333333333:role/reader"); !ok || r.Managed[0] != "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" {
		t.Errorf("reader %+v", r)
	}
}

func TestScenarioExportErrors(t *testing.T) {
	const inline = "  accounts: [{id: \"111111111111\"}]\n"
	for _, tc := range []struct{ name, world, want string }{
		{"empty", "  export: {}\n", "export: expected iam"},
		{"unknown key", "  export: {iam: [export/auth-a.json], org: x}\n", `unknown key "org"`},
		{"not a path", "  export: {iam: [{a: b}]}\n", "iam: expected a path"},
		{"missing file", "  export: {iam: [export/nope.json]}\n", "../export/testdata/s.yaml:2:18: $.world.export.iam[0]: export iam export/nope.json: read IAM export"},
		{"partial", "  export: {iam: [export/auth-c.json]}\n", "partial export: 1 managed policies are attached but not in the export's Policies: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess (export.aws_managed"},
		{"aws_managed alone", "  export: {aws_managed: export/aws-managed.json, organization: export/org.json}\n", "aws_managed fills in IAM exports"},
		{"inline and exported", inline + "  export: {iam: [export/auth-a.json]}\n", "export: account 111111111111 is also declared inline"},
		{"two organizations", "  organization: {id: o-1, management_account: \"111111111111\", root: {id: r-1}}\n  export: {organization: export/org.json}\n", "the world also declares an organization inline"},
		{"org path conflict", "  accounts: [{id: \"222222222222\", org_path: Other}]\n  export: {organization: export/org.json}\n", `org_path "Other", but the organization places it at "Prod"`},
		{"outside conflict", "  accounts: [{id: \"222222222222\", outside_org: true}]\n  export: {organization: export/org.json}\n", "declared outside_org but the organization lists it"},
		{"resource twice", "  export: {resources: [export/resources.json, export/resources.json]}\n", "is already in the world"},
		{"bad organization", "  export: {organization: export/auth-b.json}\n", `unknown key "UserDetailList"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseScenario("../export/testdata/s.yaml", []byte("world:\n"+tc.world))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want %q", err, tc.want)
			}
		})
	}
}

// Inline accounts the organization lists receive their place in it, and
// facts the world states that agree are kept.
func TestScenarioExportOrgMerge(t *testing.T) {
	sc, err := ParseScenario("../export/testdata/s.yaml", []byte("world:\n  accounts: [{id: \"333333333333\", name: mine, org_path: Sandbox}]\n  export: {organization: export/org.json}\n"))
	if err != nil {
		t.Fatal(err)
	}
	a := sc.World.Accounts[0]
	if a.Name != "mine" || a.OrgPath != "Sandbox" || strings.Join(a.SCPs, ",") != "FullAWSAccess" || len(sc.World.Accounts) != 3 {
		t.Errorf("account %+v of %d", a, len(sc.World.Accounts))
	}
}
