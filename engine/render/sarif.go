package render

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/clearance-dev/clearance/engine/audit"
)

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html):
// one result per finding, located at the world file and, logically, at
// the policy and statement the finding is about.
type SARIFLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID     string          `json:"ruleId"`
	Level      string          `json:"level"`
	Message    sarifMessage    `json:"message"`
	Locations  []sarifLocation `json:"locations"`
	Properties map[string]any  `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical  `json:"physicalLocation"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation struct {
		URI string `json:"uri"`
	} `json:"artifactLocation"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

var ruleText = map[string]string{
	"administrator":               "Principal is administrator-equivalent",
	"privilege-escalation":        "Principal can escalate its privileges",
	"reaches-administrator":       "Principal reaches an administrator role through AssumeRole",
	"sensitive-without-mfa":       "User holds sensitive permissions without MFA",
	"role-open-to-anyone":         "Role can be assumed by any AWS principal",
	"role-trusts-outside-account": "Role trusts an account outside the organization",
	"federation-entry-point":      "Federated identities can assume the role",
	"resource-open-to-world":      "Resource policy allows anyone",
	"resource-shared-outside":     "Resource policy shares with an account outside the organization",
}

var sarifLevel = map[string]string{audit.Critical: "error", audit.High: "error", audit.Medium: "warning", audit.Low: "note"}

func SARIF(w io.Writer, world string, rep *audit.Report) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "clearance", InformationURI: "https://github.com/clearance-dev/clearance"}}}
	rules := map[string]bool{}
	for _, f := range rep.Findings {
		rules[f.Rule] = true
		loc := sarifLocation{}
		loc.PhysicalLocation.ArtifactLocation.URI = world
		name := f.Principal
		if f.Policy != "" {
			name = f.Policy
			loc.LogicalLocations = []sarifLogical{{Name: f.Policy, Kind: "resource",
				FullyQualifiedName: fmt.Sprintf("%s/Statement[%d]", f.Policy, f.Statement)}}
		} else {
			loc.LogicalLocations = []sarifLogical{{Name: name, FullyQualifiedName: name, Kind: "member"}}
		}
		res := sarifResult{RuleID: f.Rule, Level: sarifLevel[f.Severity], Message: sarifMessage{Text: f.Title},
			Locations: []sarifLocation{loc}, Properties: map[string]any{"severity": f.Severity, "principal": f.Principal}}
		if len(f.Evidence) > 0 {
			res.Properties["replay"] = f.Evidence[0].Why
		}
		run.Results = append(run.Results, res)
	}
	ids := make([]string, 0, len(rules))
	for id := range rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: id, ShortDescription: sarifMessage{Text: ruleText[id]}})
	}
	if run.Results == nil {
		run.Results = []sarifResult{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(SARIFLog{Version: "2.1.0", Schema: "https://json.schemastore.org/sarif-2.1.0.json", Runs: []sarifRun{run}})
}
