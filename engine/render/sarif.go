package render

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/clearance-dev/clearance/engine/audit"
)

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html)
// for the audit (SARIF) and the review (ReviewSARIF), written from these
// structs rather than with github.com/owenrumney/go-sarif: the two reports
// use a small subset of the format (tool, rules, results with one location,
// fingerprints, suppressions, property bags), the structs keep the JSON's
// field order and presence under our control (GitHub code scanning wants
// region.startLine, partialFingerprints and help present, which the test
// checks together with the OASIS schema), and the module gains no runtime
// dependency for ~60 lines of types. The schema test
// (sarif_schema_test.go) guards what a library would have guaranteed.
type SARIFLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

// sarifSchemaURI is the OASIS schema's own id (errata 01).
const sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

type sarifRun struct {
	Tool       sarifTool      `json:"tool"`
	Results    []sarifResult  `json:"results"`
	Properties map[string]any `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     sarifMessage   `json:"shortDescription"`
	FullDescription      sarifMessage   `json:"fullDescription"`
	Help                 sarifHelp      `json:"help"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          map[string]any     `json:"properties,omitempty"`
}

// sarifSuppression marks an accepted finding: "external" because the
// acceptance lives in a baseline or assertion file, not in the template.
type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status,omitempty"`
	Justification string `json:"justification,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical  `json:"physicalLocation"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// sarifLevel maps a severity (the audit's and the review's are the same
// words) to a SARIF level; securitySeverity to GitHub's
// properties.security-severity score (over 9.0 critical, 7.0-8.9 high,
// 4.0-6.9 medium, 0.1-3.9 low: GitHub's "SARIF support for code scanning",
// reportingDescriptor object).
var (
	sarifLevel       = map[string]string{audit.Critical: "error", audit.High: "error", audit.Medium: "warning", audit.Low: "note"}
	securitySeverity = map[string]string{audit.Critical: "9.5", audit.High: "8.0", audit.Medium: "5.5", audit.Low: "3.0"}
)

// fingerprintKey names Clearance's partial fingerprint. GitHub matches
// alerts across runs on primaryLocationLineHash only (its SARIF support
// page, result object), so results carry the same stable value under that
// key too: a statement that moves keeps its alert.
const fingerprintKey = "clearance/v1"

func partialFingerprints(fp string) map[string]string {
	return map[string]string{fingerprintKey: fp, "primaryLocationLineHash": fp}
}

// ruleProperties is a rule's property bag: GitHub treats a rule with
// security-severity and the security tag as a security rule.
func ruleProperties(severity string) map[string]any {
	p := map[string]any{"tags": []string{"security", "iam"}, "precision": "high"}
	if s, ok := securitySeverity[severity]; ok {
		p["security-severity"] = s
	}
	return p
}

func writeSARIF(w io.Writer, run sarifRun) error {
	if run.Results == nil {
		run.Results = []sarifResult{}
	}
	if run.Tool.Driver.Rules == nil {
		run.Tool.Driver.Rules = []sarifRule{}
	}
	run.Tool.Driver.Name = "clearance"
	run.Tool.Driver.InformationURI = "https://github.com/clearance-dev/clearance"
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(SARIFLog{Version: "2.1.0", Schema: sarifSchemaURI, Runs: []sarifRun{run}}); err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	return nil
}

var ruleText = map[string]string{
	"administrator":                 "Principal is administrator-equivalent",
	"privilege-escalation":          "Principal can escalate its privileges",
	"reaches-administrator":         "Principal reaches an administrator role through AssumeRole",
	"sensitive-without-mfa":         "User holds sensitive permissions without MFA",
	"role-open-to-anyone":           "Role can be assumed by any AWS principal",
	"role-trusts-outside-account":   "Role trusts an account outside the organization",
	"federation-entry-point":        "Federated identities can assume the role",
	"resource-open-to-world":        "Resource policy allows anyone",
	"resource-shared-outside":       "Resource policy shares with an account outside the organization",
	"resource-shared-other-account": "Resource policy shares with another account (no organization loaded)",
	"role-trusts-other-account":     "Role trusts another account (no organization loaded)",
}

// SARIF writes an audit's report: one result per finding, located at the
// world file (line 1: the audit knows policies, not their lines) and,
// logically, at the policy and statement the finding is about.
func SARIF(w io.Writer, world string, rep *audit.Report) error {
	var run sarifRun
	index := auditRules(&run, rep)
	for _, f := range rep.Findings {
		loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(world, "")},
			Region: sarifRegion{StartLine: 1, StartColumn: 1}}}
		name, fqn, kind := f.Principal, f.Principal, "member"
		if f.Policy != "" {
			name, fqn, kind = f.Policy, fmt.Sprintf("%s/Statement[%d]", f.Policy, f.Statement), "resource"
		}
		loc.LogicalLocations = []sarifLogical{{Name: name, FullyQualifiedName: fqn, Kind: kind}}
		res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel[f.Severity], Message: sarifMessage{Text: f.Title},
			Locations:           []sarifLocation{loc},
			PartialFingerprints: partialFingerprints(auditFingerprint(f)),
			Properties:          map[string]any{"severity": f.Severity, "principal": f.Principal}}
		if len(f.Evidence) > 0 {
			res.Properties["replay"] = f.Evidence[0].Why
		}
		run.Results = append(run.Results, res)
	}
	return writeSARIF(w, run)
}

// auditRules lists the rules the findings use, sorted, and returns their
// indexes.
func auditRules(run *sarifRun, rep *audit.Report) map[string]int {
	sev := map[string]string{}
	for _, f := range rep.Findings {
		sev[f.Rule] = f.Severity
	}
	ids := make([]string, 0, len(sev))
	for id := range sev {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
		text := ruleText[id]
		if text == "" {
			text = id
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: id, ShortDescription: sarifMessage{Text: text},
			FullDescription: sarifMessage{Text: text + "."},
			Help: sarifHelp{Text: text + ". Each result's properties.replay is the clearance command that replays the " +
				"decision and shows the statements behind it; `clearance audit --format html` shows the evidence."},
			DefaultConfiguration: sarifConfig{Level: sarifLevel[sev[id]]}, Properties: ruleProperties(sev[id])})
	}
	return index
}

// auditFingerprint identifies an audit finding across runs by what it is
// about, not by its wording.
func auditFingerprint(f audit.Finding) string {
	sum := sha256.Sum256([]byte(f.Rule + "\x00" + f.Principal + "\x00" + f.Policy + "\x00" + strconv.Itoa(f.Statement)))
	return hex.EncodeToString(sum[:16])
}
