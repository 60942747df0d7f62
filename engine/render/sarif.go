package render

import (
	"encoding/json"
	"fmt"
	"io"

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
