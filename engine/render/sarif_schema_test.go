package render

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/review"
)

// sarifSchema compiles the OASIS SARIF 2.1.0 schema of testdata (see
// testdata/README.md), with format assertions on (uri, uri-reference,
// date-time).
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(sarifSchemaURI, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(sarifSchemaURI)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateSARIF(t *testing.T, sch *jsonschema.Schema, name string, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("%s: not JSON: %v", name, err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s does not validate against the SARIF 2.1.0 schema: %v", name, err)
	}
	checkGitHubSARIF(t, name, out)
}

// checkGitHubSARIF checks what GitHub code scanning requires beyond the
// schema (GitHub Docs, "SARIF support for code scanning", supported
// properties): rules with shortDescription, fullDescription and help
// text, a security-severity in (0, 10] with the security tag; results with
// a message, a physical location with a relative URI and region.startLine
// and startColumn, and partialFingerprints; ruleIndex pointing at the
// rule of ruleId.
func checkGitHubSARIF(t *testing.T, name string, out []byte) {
	t.Helper()
	var log SARIFLog
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || log.Schema == "" || len(log.Runs) != 1 {
		t.Fatalf("%s: version %q schema %q runs %d", name, log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	for _, r := range run.Tool.Driver.Rules {
		sev, _ := r.Properties["security-severity"].(string)
		score, err := strconv.ParseFloat(sev, 64)
		tags, _ := r.Properties["tags"].([]any)
		if r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" ||
			err != nil || score <= 0 || score > 10 || len(tags) == 0 || tags[0] != "security" {
			t.Errorf("%s: rule %s lacks what GitHub needs: %+v", name, r.ID, r)
		}
	}
	for i, res := range run.Results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("%s: result %d: ruleIndex %d does not name rule %s", name, i, res.RuleIndex, res.RuleID)
		}
		if res.Message.Text == "" || len(res.Locations) == 0 || res.PartialFingerprints[fingerprintKey] == "" {
			t.Errorf("%s: result %d: message, location or fingerprint missing: %+v", name, i, res)
			continue
		}
		p := res.Locations[0].PhysicalLocation
		if p.ArtifactLocation.URI == "" || strings.HasPrefix(p.ArtifactLocation.URI, "/") || strings.Contains(p.ArtifactLocation.URI, `\`) ||
			p.Region.StartLine < 1 || p.Region.StartColumn < 1 {
			t.Errorf("%s: result %d: physical location %+v", name, i, p)
		}
	}
}

func TestReviewSARIFValidates(t *testing.T) {
	sch := sarifSchema(t)
	var buf bytes.Buffer
	if err := ReviewSARIF(&buf, sampleReview(), SARIFOptions{ToolVersion: "v0.14.0"}); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, sch, "review SARIF", buf.Bytes())
	buf.Reset()
	if err := ReviewSARIF(&buf, sampleReview(), SARIFOptions{IncludeAccepted: true, BaseDir: "."}); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, sch, "review SARIF with accepted findings", buf.Bytes())
	buf.Reset()
	if err := ReviewSARIF(&buf, &review.Report{}, SARIFOptions{}); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, sch, "empty review SARIF", buf.Bytes())
}

func TestAuditSARIFValidates(t *testing.T) {
	rep := &audit.Report{Findings: []audit.Finding{
		{Rule: "administrator", Severity: audit.Critical, Principal: "arn:aws:iam::111122223333:user/admin", Title: "user admin is administrator-equivalent",
			Evidence: []audit.Evidence{{Action: "iam:*", Resource: "*", Decision: "allow", Why: "clearance why --world w.yaml ..."}}},
		{Rule: "resource-open-to-world", Severity: audit.High, Principal: "*", Title: "bucket b allows anyone",
			Policy: "arn:aws:s3:::b", Statement: 1},
		{Rule: "sensitive-without-mfa", Severity: audit.Medium, Principal: "arn:aws:iam::111122223333:user/dev", Title: "dev has no MFA"},
		{Rule: "federation-entry-point", Severity: audit.Low, Principal: "arn:aws:iam::111122223333:role/ci", Title: "ci is federated"},
	}}
	sch := sarifSchema(t)
	for _, world := range []string{"examples/world.yaml", "my world/world v2.yaml"} {
		var buf bytes.Buffer
		if err := SARIF(&buf, rep, AuditOptions{World: world}); err != nil {
			t.Fatal(err)
		}
		validateSARIF(t, sch, "audit SARIF of "+world, buf.Bytes())
	}
	var buf bytes.Buffer
	if err := SARIF(&buf, &audit.Report{}, AuditOptions{World: "w.yaml"}); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, sch, "empty audit SARIF", buf.Bytes())
}

// The schema test can fail: a result without a message and a region with
// line 0 are refused.
func TestSARIFSchemaRefuses(t *testing.T) {
	sch := sarifSchema(t)
	for name, doc := range map[string]string{
		"no message": `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"r"}]}]}`,
		"line 0":     `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"},"region":{"startLine":0}}}]}]}]}`,
		"level":      `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"critical"}]}]}`,
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}
