// Package review compares the effective access of a world before and
// after a proposed change (loader/change) and reports what the change adds
// and removes, as findings with a severity, a rule and the place in the
// change that causes them: the pipeline review of `clearance review`.
package review

// Severities, most severe first, as --fail-on names them.
const (
	Critical = "critical"
	High     = "high"
	Medium   = "medium"
	Low      = "low"
)

// Changes a finding reports.
const (
	Added     = "added"     // access allowed after the change and not before
	Removed   = "removed"   // access allowed before the change and not after
	Assertion = "assertion" // an assertion of the --assert file failed
	Error     = "error"     // a policy problem the change writes (unknown action or key)
)

// Finding is one result of a review.
type Finding struct {
	// Rule is the rule's stable id (Rules lists them); Severity one of
	// the severities above.
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Change   string `json:"change"`
	// Principal is who gains or loses ("*" for anyone); Action the
	// deciding action; Resource what it is on. Admin and escalation
	// findings name their method in Message.
	Principal string `json:"principal"`
	Action    string `json:"action"`
	Resource  string `json:"resource"`
	Message   string `json:"message"`
	// Location is where the change causes it: the statement that grants,
	// or the resource when no statement applies.
	Location Location `json:"location"`
	// Why is the explanation of the decision after the change (before it,
	// for removed access), and the command that replays it.
	Why    string `json:"why"`
	Replay string `json:"replay"`
	// Symbols are the values unknown until deployment the finding
	// involves, as written in the change (!GetAtt Role.Arn).
	Symbols []string `json:"symbols"`
	// Fingerprint identifies the finding across runs (baselines, SARIF's
	// partialFingerprints): it depends on the rule, the principal, the
	// action, the resource and the change's file and address, not on line
	// numbers or message wording.
	Fingerprint string `json:"fingerprint"`
	// Accepted is set when an acceptance of the assertion file or the
	// baseline covers the finding; it is then reported but fails nothing.
	Accepted string `json:"accepted"`
	// Probe is the request the finding's decisions were made for, when
	// it rests on one (added and removed access): who-can's answers are
	// checked against it, and Replay asks it again.
	Probe *Probe `json:"probe"`
}

// Probe is a request of the comparison: the principal decided (a
// pattern's representative member: one session of the role for "any
// session of it"), the maker of a federated user, the action, the
// resource and, for a resource without an account in its ARN, the account
// it is decided in.
type Probe struct {
	Principal       string `json:"principal"`
	FederatedBy     string `json:"federated_by,omitempty"`
	Action          string `json:"action"`
	Resource        string `json:"resource"`
	ResourceAccount string `json:"resource_account,omitempty"`
}

// Location is a place in a change's file: a template's line and column, or
// a plan's resource address with the .tf file and line where known.
type Location struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Address string `json:"address"`
}

// Summary counts a review's findings.
type Summary struct {
	Findings   int            `json:"findings"`
	BySeverity map[string]int `json:"by_severity"`
	Added      int            `json:"added"`
	Removed    int            `json:"removed"`
	Assertions struct {
		Passed int `json:"passed"`
		Failed int `json:"failed"`
	} `json:"assertions"`
	Accepted int `json:"accepted"`
	// Principals and Decisions say how much was compared.
	Principals int `json:"principals"`
	Decisions  int `json:"decisions"`
	// FailOn is the --fail-on threshold and Failed whether a finding
	// at or above it (not accepted) fails the review.
	FailOn string `json:"fail_on"`
	Failed bool   `json:"failed"`
}

// Report is a review's result.
type Report struct {
	Findings []Finding `json:"findings"`
	Summary  Summary   `json:"summary"`
	// Checks are the assertion file's checks with their results (JUnit
	// writes one test case each).
	Checks []CheckResult `json:"checks"`
}

// CheckResult is one assertion: a check (expect: allow | implicit-deny |
// explicit-deny) or a must_not_gain entry.
type CheckResult struct {
	Name     string   `json:"name"`
	Passed   bool     `json:"passed"`
	Expected string   `json:"expected"`
	Got      string   `json:"got"`
	Message  string   `json:"message"`
	Location Location `json:"location"`

	// Principal, Action and Resource are the request the check asks
	// about (patterns, for a must_not_gain entry).
	Principal string `json:"principal"`
	Action    string `json:"action"`
	Resource  string `json:"resource"`
}

// Rank orders severities: Critical 4 … Low 1, "none" and unknown 0.
func Rank(severity string) int {
	switch severity {
	case Critical:
		return 4
	case High:
		return 3
	case Medium:
		return 2
	case Low:
		return 1
	}
	return 0
}
