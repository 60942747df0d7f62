package render

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/audit"
)

// sampleAudit has a finding with every field set, and one with none of
// its lists.
func sampleAudit() *audit.Report {
	grant := audit.Grant{Action: "iam:CreatePolicyVersion", Policy: "arn:aws:iam::111122223333:group/ops#ops", Statement: 0, Sid: "Ops",
		Group: "arn:aws:iam::111122223333:group/ops"}
	return &audit.Report{Principals: 2, Decisions: 10, Shared: 3, Indexed: 4, Catalog: []string{"pathfinding.cloud"},
		ExcludedAWSManaged: 1, Organization: true,
		Findings: []audit.Finding{{Rule: "privilege-escalation", Severity: audit.High, Principal: "arn:aws:iam::111122223333:user/dev",
			Title: "user dev can escalate privileges", Subject: "iam:createpolicyversion", Detail: "Every permission is allowed.",
			Policy: grant.Policy, Statement: 0, Grants: []audit.Grant{grant},
			Methods: []audit.MethodRef{{Catalogue: "pathfinding.cloud", ID: "iam-001", Name: "iam:CreatePolicyVersion", Link: "https://pathfinding.cloud/paths/iam-001"}},
			Evidence: []audit.Evidence{{Action: "iam:CreatePolicyVersion", Resource: "*", Decision: "allow", Summary: "allowed",
				Why: "clearance why ...", Grants: []audit.Grant{grant},
				Matched: []engine.Match{{Policy: "scp/FullAWSAccess", Sid: "All", Index: 0, Effect: "Allow", Principal: "direct", Level: "root r-1"}}}}},
			{Rule: "sensitive-without-mfa", Severity: audit.Medium, Principal: "arn:aws:iam::111122223333:user/ci", Title: "user ci has no MFA",
				Evidence: []audit.Evidence{{Action: "iam:PassRole", Resource: "*", Decision: "allow"}}}}}
}

// docs/audit-output.md documents every field of the audit's JSON, and
// the JSON has every field it documents; a finding without grants,
// methods, subject or policy still has each of them (empty, not left out
// and not null).
func TestAuditJSONDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "audit-output.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	start, end := strings.Index(text, "<!-- json-fields"), strings.Index(text, "<!-- /json-fields -->")
	if start < 0 || end < start {
		t.Fatal("docs/audit-output.md: the json-fields table markers are missing")
	}
	documented := map[string]bool{}
	for _, line := range strings.Split(text[start:end], "\n") {
		if strings.HasPrefix(line, "| `") {
			documented[strings.SplitN(line[3:], "`", 2)[0]] = true
		}
	}
	full := sampleAudit()
	full.Findings = full.Findings[:1] // the one with every list filled
	written := map[string]bool{}
	jsonPaths(jsonOf(t, full), "", written)
	for p := range written {
		if !documented[p] {
			t.Errorf("JSON field %s is not documented in docs/audit-output.md", p)
		}
	}
	for p := range documented {
		if !written[p] {
			t.Errorf("documented field %s is not in the JSON output", p)
		}
	}
	bare := jsonOf(t, sampleAudit())["findings"].([]any)[1].(map[string]any)
	for _, k := range []string{"subject", "detail", "policy", "statement", "grants", "methods", "evidence"} {
		if val, ok := bare[k]; !ok || val == nil {
			t.Errorf("a finding without %s leaves it out or null: %v", k, val)
		}
	}
	ev := bare["evidence"].([]any)[0].(map[string]any)
	for _, k := range []string{"matched", "grants", "summary", "why"} {
		if val, ok := ev[k]; !ok || val == nil {
			t.Errorf("evidence without %s leaves it out or null: %v", k, val)
		}
	}
	empty, _ := json.Marshal(&audit.Report{})
	if !strings.Contains(string(empty), `"findings":[]`) || !strings.Contains(string(empty), `"privesc_sources":[]`) {
		t.Errorf("an empty report: %s", empty)
	}
}

func jsonOf(t *testing.T, rep *audit.Report) map[string]any {
	t.Helper()
	out, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	return v
}
