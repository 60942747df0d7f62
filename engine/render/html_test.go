package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

const (
	devARN   = "arn:aws:iam::111122223333:user/dev"
	snapARN  = "arn:aws:iam::aws:policy/IAMFullAccess"
	inline   = devARN + "#build"
	buildDoc = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
  ]
}`
)

// sourcesWorld: dev holds an inline policy (two statements, in a file)
// and an AWS managed policy filled in from a snapshot, attached at line 9
// of the world's file.
func sourcesWorld(t *testing.T) *world.World {
	t.Helper()
	p, err := policy.ParsePolicyBytes("iam.json", []byte(buildDoc), policy.KindIdentity, inline)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := policy.ParsePolicyBytes("", []byte(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:*", "Resource": "*"}}`),
		policy.KindIdentity, snapARN)
	if err != nil {
		t.Fatal(err)
	}
	n, err := tree.Decode("iam.json", []byte("{\n\n\n\n\n\n\n\n  \"a\": 1}"))
	if err != nil {
		t.Fatal(err)
	}
	var refs world.Refs
	refs.Add(world.RefManaged, snapARN, n.Get("a").Loc())
	u := &world.User{ARN: devARN, Account: "111122223333", Name: "dev", Inline: []*policy.Policy{p}, Managed: []string{snapARN},
		At: n.Loc(), Refs: refs}
	return &world.World{Accounts: []*world.Account{{ID: "111122223333", Users: []*world.User{u},
		ManagedPolicies: []*world.ManagedPolicy{{ARN: snapARN, Account: "aws", Name: "IAMFullAccess", Policy: snap, Source: "a snapshot"}}}}}
}

// A statement's text is the document's statement as written, indented;
// its place is its line in the file; a finding granted only by a policy
// the files do not hold is placed where the principal attaches it.
func TestSources(t *testing.T) {
	s := NewSources(sourcesWorld(t))
	text := s.StatementText(inline, 1)
	if !strings.Contains(text, `"Sid": "Pass"`) || !strings.Contains(text, "\n  \"Action\": \"iam:PassRole\"") || strings.Contains(text, "Read") {
		t.Errorf("statement 1 is %q", text)
	}
	if s.StatementText(inline, 2) != "" || s.StatementText("nothing", 0) != "" {
		t.Error("a statement that is not there has text")
	}
	if got := s.StatementText(snapARN, 0); !strings.Contains(got, `"iam:*"`) {
		t.Errorf("a single statement object: %q", got)
	}
	for _, c := range []struct {
		name string
		f    audit.Finding
		want Place
	}{
		{"own statement", audit.Finding{Principal: devARN, Policy: inline, Statement: 1}, Place{"iam.json", 5, 5}},
		{"first grant", audit.Finding{Principal: devARN, Grants: []audit.Grant{{Policy: inline, Statement: 0}}}, Place{"iam.json", 4, 5}},
		{"snapshot policy: the attachment", audit.Finding{Principal: devARN, Policy: snapARN, Grants: []audit.Grant{{Policy: snapARN}}}, Place{"iam.json", 9, 8}},
		{"no policy: the principal", audit.Finding{Principal: devARN}, Place{"iam.json", 1, 1}},
	} {
		got, ok := s.FindingPlace(c.f)
		if !ok || got != c.want {
			t.Errorf("%s: %+v %v, want %+v", c.name, got, ok, c.want)
		}
	}
	if _, ok := (*Sources)(nil).FindingPlace(audit.Finding{Principal: devARN}); ok {
		t.Error("nil sources place a finding")
	}
}

// The page's data holds each finding with its granting statement's text
// and the remediation of its rule, and one reach tree per target role.
func TestHTMLData(t *testing.T) {
	admin := "arn:aws:iam::111122223333:role/Admin"
	rep := &audit.Report{Findings: []audit.Finding{
		{Rule: "administrator", Severity: audit.Critical, Principal: admin, Title: "role Admin is administrator-equivalent"},
		{Rule: "privilege-escalation", Severity: audit.High, Principal: devARN, Title: "dev escalates", Detail: "d",
			Grants: []audit.Grant{{Policy: inline, Statement: 1, Sid: "Pass"}}, Methods: []audit.MethodRef{{Catalogue: "Pacu", ID: "p"}}},
		{Rule: "reaches-administrator", Severity: audit.High, Principal: devARN, Subject: admin, Title: "dev reaches Admin",
			Detail: "Path: " + devARN + " -> arn:aws:iam::111122223333:role/Hop -> " + admin},
	}}
	var buf bytes.Buffer
	if err := HTML(&buf, rep, AuditOptions{World: "w <1>.yaml", Sources: NewSources(sourcesWorld(t))}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if !strings.Contains(page, "<title>Clearance audit: w &lt;1&gt;.yaml</title>") {
		t.Error("the title is not escaped")
	}
	start := strings.Index(page, `id="data">`) + len(`id="data">`)
	var d htmlData
	if err := json.Unmarshal([]byte(page[start:start+strings.Index(page[start:], "</script>")]), &d); err != nil {
		t.Fatal(err)
	}
	esc := d.Findings[1]
	if len(esc.Statements) != 1 || !strings.Contains(d.Statements[esc.Statements[0]].Text, `"Sid": "Pass"`) ||
		d.Statements[esc.Statements[0]].Place != "iam.json:5" || d.Texts[esc.Detail] != "d" || d.Methods[esc.Methods[0]].ID != "p" {
		t.Errorf("the escalation finding's data: %+v", esc)
	}
	if esc.Account != "111122223333" || esc.Policies[0] != inline {
		t.Errorf("account %q, policies %v", esc.Account, esc.Policies)
	}
	if r := d.Rules["privilege-escalation"]; r.Fix != remedies["privilege-escalation"].Fix || len(r.Refs) == 0 {
		t.Errorf("remediation %+v", r)
	}
	if len(d.Targets) != 1 || d.Targets[0].Role != admin || !d.Targets[0].Admin || len(d.Targets[0].Reached) != 1 ||
		len(d.Targets[0].Reached[0].Path) != 3 || d.Targets[0].Reached[0].Finding != 2 {
		t.Errorf("targets %+v", d.Targets)
	}
}

// Every rule the audit reports has its own remediation, citing AWS.
func TestRemediesCiteAWS(t *testing.T) {
	for id, r := range remedies {
		if r.Title == "" || len(r.Fix) < 80 || len(r.Refs) == 0 {
			t.Errorf("%s: remediation %+v", id, r)
		}
		for _, ref := range r.Refs {
			if !strings.HasPrefix(ref.URL, "https://docs.aws.amazon.com/") {
				t.Errorf("%s cites %s", id, ref.URL)
			}
		}
	}
}
