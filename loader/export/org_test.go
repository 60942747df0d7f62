package export

import (
	"os"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// The organization export fixture (testdata/org, the aws organizations
// CLI outputs): the tree, the accounts' OU paths, the policies and where
// they are attached.
func TestOrgExport(t *testing.T) {
	x, err := LoadOrgExport(testdata, "testdata/org")
	if err != nil {
		t.Fatal(err)
	}
	o := x.Organization
	if o.ID != "o-abc123" || o.ManagementAccount != "111111111111" || len(o.Policies) != 2 || len(x.Warnings) != 0 {
		t.Fatalf("organization %+v, warnings %q", o, x.Warnings)
	}
	if len(o.Root.Children) != 1 || o.Root.Children[0].Name != "Prod" || strings.Join(o.Root.Children[0].SCPs, ",") != "FullAWSAccess,DenyS3Delete" {
		t.Errorf("tree %+v", o.Root.Children)
	}
	if len(x.Accounts) != 2 || x.Accounts[1].OrgPath != "Prod" || strings.Join(x.Accounts[1].SCPs, ",") != "FullAWSAccess" {
		t.Errorf("accounts %+v %+v", x.Accounts[0], x.Accounts[1])
	}
	if _, err := LoadOrgExport(testdata, "testdata/nope"); err == nil || !strings.Contains(err.Error(), "list-roots.json") {
		t.Errorf("missing export: %v", err)
	}
}

// The bundle layout: the management account and the organization id come
// from the root's ARN, list-policies selects the SCPs and RCPs (the tag
// policy is not read), paged outputs are joined, and the result loads.
func TestOrgExportBundle(t *testing.T) {
	x, err := LoadOrgExport(testdata, "testdata/export/org.json")
	if err != nil {
		t.Fatal(err)
	}
	o := x.Organization
	if o.ID != "o-ex1234567" || o.ManagementAccount != "111111111111" || len(x.Warnings) != 0 {
		t.Fatalf("organization %s / %s, warnings %q", o.ID, o.ManagementAccount, x.Warnings)
	}
	var names []string
	for _, p := range o.Policies {
		names = append(names, string(p.Kind)+"/"+p.Name)
	}
	if strings.Join(names, ",") != "scp/FullAWSAccess,scp/DenyIAMWrites,rcp/S3OrgOnly" {
		t.Errorf("policies %q", names)
	}
	if got := orgTree(o.Root); got != "r-ex12[FullAWSAccess|S3OrgOnly](Prod[FullAWSAccess|](Web[FullAWSAccess|]) Sandbox[FullAWSAccess,DenyIAMWrites|])" {
		t.Errorf("tree %s", got)
	}
	paths := map[string]string{}
	for _, a := range x.Accounts {
		paths[a.ID] = a.Name + ":" + a.OrgPath + ":" + strings.Join(a.SCPs, ",")
	}
	if paths["111111111111"] != "management::FullAWSAccess" || paths["222222222222"] != "audit:Prod:FullAWSAccess" || paths["333333333333"] != "sandbox:Sandbox:FullAWSAccess" {
		t.Errorf("accounts %v", paths)
	}
	s, err := store.NewStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(&world.World{Organization: o, Accounts: x.Accounts}); err != nil {
		t.Fatal(err)
	}
}

func orgTree(u *world.OrgUnit) string {
	s := u.ID
	if u.Name != "Root" {
		s = u.Name
	}
	s += "[" + strings.Join(u.SCPs, ",") + "|" + strings.Join(u.RCPs, ",") + "]"
	var kids []string
	for _, c := range u.Children {
		kids = append(kids, orgTree(c))
	}
	if len(kids) > 0 {
		s += "(" + strings.Join(kids, " ") + ")"
	}
	return s
}

const (
	orgRoot   = `"list-roots": {"Roots": [{"Id": "r-ab12", "Name": "Root"}]}`
	orgFull   = `{"Policy": {"PolicySummary": {"Id": "p-1", "Name": "Deny", "Type": "SERVICE_CONTROL_POLICY"}, "Content": "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}}"}}`
	orgOU     = `{"OrganizationalUnits": [{"Id": "ou-ab12-a", "Name": "A"}]}`
	orgAcct   = `{"Accounts": [{"Id": "222222222222", "Name": "a"}]}`
	orgTarget = `{"Targets": [{"TargetId": "ou-nope", "Type": "ORGANIZATIONAL_UNIT"}]}`
)

func TestOrgExportErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"not a mapping", `[]`, "expected a mapping"},
		{"unknown command", `{"list-children": {}}`, `unknown key "list-children"`},
		{"no roots", `{}`, `missing "list-roots"`},
		{"two roots", `{"list-roots": {"Roots": [{"Id": "r-1"}, {"Id": "r-2"}]}}`, "o.json: $.list-roots: expected one root"},
		{"root id", `{"list-roots": {"Roots": [{"Id": "x"}]}}`, `$.list-roots.Roots[0]: root Id: expected r-..., got "x"`},
		{"roots shape", `{"list-roots": {"Root": []}}`, `expected {"Roots": [...]} (the output of aws organizations list-roots)`},
		{"OU cycle", `{` + orgRoot + `, "list-organizational-units-for-parent": {"r-ab12": ` + orgOU + `, "ou-ab12-a": ` + orgOU + `}}`, "ou-ab12-a is listed twice"},
		{"OU name with slash", `{` + orgRoot + `, "list-organizational-units-for-parent": {"r-ab12": {"OrganizationalUnits": [{"Id": "ou-1", "Name": "a/b"}]}}}`, "ambiguous"},
		{"account twice", `{` + orgRoot + `, "list-organizational-units-for-parent": {"r-ab12": ` + orgOU + `}, "list-accounts-for-parent": {"r-ab12": ` + orgAcct + `, "ou-ab12-a": ` + orgAcct + `}}`, "account 222222222222 is listed twice (first at o.json:1:"},
		{"account id", `{` + orgRoot + `, "list-accounts-for-parent": {"r-ab12": {"Accounts": [{"Id": "12"}]}}}`, `account Id "12": expected 12 digits`},
		{"unknown target", `{` + orgRoot + `, "describe-policy": {"p-1": ` + orgFull + `}, "list-targets-for-policy": {"p-1": ` + orgTarget + `}}`, `policy Deny targets "ou-nope"`},
		{"partial", `{` + orgRoot + `, "list-policies": {"SERVICE_CONTROL_POLICY": {"Policies": [{"Id": "p-1"}, {"Id": "p-2"}]}}, "describe-policy": {"p-1": ` + orgFull + `}}`, "partial organization export: list-policies names p-2"},
		{"same name", `{` + orgRoot + `, "describe-policy": {"p-1": ` + orgFull + `, "p-2": ` + strings.Replace(orgFull, "p-1", "p-2", 1) + `}}`, `scp "Deny" has the name of policy p-1`},
		{"bad content", `{` + orgRoot + `, "describe-policy": {"p-1": {"Policy": {"PolicySummary": {"Name": "X", "Type": "SERVICE_CONTROL_POLICY"}, "Content": "{\"Statement\": 1}"}}}}`, `scp X: o.json:1:179: $.describe-policy.p-1.Policy.Content: in the policy document this string holds, at 1:1 $: SCP policies must have "Version"`},
		// "The effect of Allow is only supported for the RCPFullAWSAccess policy"
		// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html):
		// AWS's own RCPFullAWSAccess loads (TestOrgExportRCPFullAWSAccess), another RCP that allows does not.
		{"RCP that allows", `{` + orgRoot + `, "describe-policy": {"p-1": {"Policy": {"PolicySummary": {"Name": "Open", "Type": "RESOURCE_CONTROL_POLICY"}, ` +
			`"Content": "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}}"}}}}`,
			`rcp Open: o.json:1:183: $.describe-policy.p-1.Policy.Content: in the policy document this string holds, at 1:51 $.Statement.Effect: an RCP statement must Deny`},
		{"describe shape", `{` + orgRoot + `, "describe-policy": {"p-1": {"PolicySummary": {}}}}`, `expected {"Policy": {"PolicySummary"`},
		{"per-parent shape", `{` + orgRoot + `, "list-accounts-for-parent": []}`, "list-accounts-for-parent: expected a mapping of id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseOrgBundle("o.json", []byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want %q", err, tc.want)
			}
		})
	}
}

// AWS's RCPFullAWSAccess, as describe-policy gives it, is the one RCP that
// may Allow: "The effect of Allow is only supported for the
// RCPFullAWSAccess policy"
// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
func TestOrgExportRCPFullAWSAccess(t *testing.T) {
	doc := `{` + orgRoot + `, "describe-policy": {"p-RCPFullAWSAccess": {"Policy": {"PolicySummary": {"Id": "p-RCPFullAWSAccess", ` +
		`"Name": "RCPFullAWSAccess", "Type": "RESOURCE_CONTROL_POLICY", "AwsManaged": true}, ` +
		`"Content": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}]}"}}}}`
	x, err := ParseOrgBundle("o.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if ps := x.Organization.Policies; len(ps) != 1 || ps[0].Name != "RCPFullAWSAccess" || ps[0].Policy.Statements[0].Effect != "Allow" {
		t.Errorf("policies %+v", ps)
	}
}

// Without describe-organization or ARNs the export still loads, and says
// what it could not know.
func TestOrgExportUnknownManagement(t *testing.T) {
	x, err := ParseOrgBundle("o.json", []byte(`{`+orgRoot+`, "list-accounts-for-parent": {"r-ab12": `+orgAcct+`}}`))
	if err != nil {
		t.Fatal(err)
	}
	w := strings.Join(x.Warnings, "\n")
	if x.Organization.ID != "o-unknown" || !strings.Contains(w, "organization id unknown") || !strings.Contains(w, "management account is unknown") {
		t.Errorf("organization %+v, warnings %q", x.Organization, x.Warnings)
	}
}

func FuzzParseOrgBundle(f *testing.F) {
	f.Add([]byte(`{` + orgRoot + `, "list-organizational-units-for-parent": {"r-ab12": ` + orgOU + `}, "list-accounts-for-parent": {"ou-ab12-a": ` + orgAcct + `},
	  "describe-policy": {"p-1": ` + orgFull + `}, "list-targets-for-policy": {"p-1": {"Targets": [{"TargetId": "ou-ab12-a"}, {"TargetId": "222222222222"}]}}}`))
	f.Add([]byte(`{"describe-organization": {"Organization": {"Id": "o-1", "MasterAccountId": "111111111111"}}, "list-roots": [{"Roots": [{"Id": "r-1", "Arn": "arn:aws:organizations::111111111111:root/o-1/r-1"}]}],
	  "list-policies": {"RESOURCE_CONTROL_POLICY": {"Policies": []}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := ParseOrgBundle("fuzz.json", data)
		if err != nil {
			return
		}
		s, err := store.NewStore()
		if err != nil {
			t.Fatal(err)
		}
		_ = s.Load(&world.World{Organization: x.Organization, Accounts: x.Accounts})
	})
}

// A policy type the root does not show ENABLED, or an organization
// without all features, applies no policy of that type
// (orgs_manage_policies_enable-disable.html: disabling a policy type
// detaches its policies; orgs_getting-started_concepts.html: consolidated
// billing has no authorization policies). The export says so in Warnings.
func TestOrgExportPolicyTypes(t *testing.T) {
	data, err := os.ReadFile("testdata/export/org.json")
	if err != nil {
		t.Fatal(err)
	}
	enabled := "\"RESOURCE_CONTROL_POLICY\",\n      \"Status\": \"ENABLED\""
	if !strings.Contains(string(data), enabled) {
		t.Fatal("fixture changed: RESOURCE_CONTROL_POLICY ENABLED not found")
	}
	cases := []struct{ name, from, to, want, warn string }{
		{"rcp pending", enabled, strings.Replace(enabled, "ENABLED", "PENDING_ENABLE", 1),
			"scp/FullAWSAccess,scp/DenyIAMWrites", "RESOURCE_CONTROL_POLICY is PENDING_ENABLE"},
		{"consolidated billing", "\"list-roots\": {", "\"describe-organization\": {\"Organization\": {\"Id\": \"o-ex1234567\", \"MasterAccountId\": \"111111111111\", \"FeatureSet\": \"CONSOLIDATED_BILLING\"}},\n \"list-roots\": {",
			"", "FeatureSet is CONSOLIDATED_BILLING"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x, err := ParseOrgBundle("org.json", []byte(strings.Replace(string(data), tc.from, tc.to, 1)))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range x.Organization.Policies {
				names = append(names, string(p.Kind)+"/"+p.Name)
			}
			if got := strings.Join(names, ","); got != tc.want {
				t.Errorf("policies %q, want %q", got, tc.want)
			}
			if w := strings.Join(x.Warnings, "\n"); !strings.Contains(w, tc.warn) {
				t.Errorf("warnings %q lack %q", w, tc.warn)
			}
		})
	}
}
