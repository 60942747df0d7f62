package shard

import (
	"time"

	"github.com/clearance-dev/clearance/engine/audit"
)

// Version is the partial file format's version (docs/partial-format.md).
// A reader refuses any other.
const Version = 1

// The kinds of file the format holds.
const (
	KindTrusts  = "trusts"  // the first pass: roles other shards' principals may assume
	KindPartial = "partial" // a shard's audit
)

// File is one file of the format: a shard's trusts or its partial audit.
type File struct {
	Version int    `json:"version"`
	Kind    string `json:"kind"`
	Shard   int    `json:"shard"`
	Shards  int    `json:"shards"`
	// Accounts are the shard's accounts (whose ids hash to it), sorted.
	Accounts []string `json:"accounts"`
	// Trusts (kind trusts) are the shard's roles whose trust policy may
	// admit a principal of another account.
	Trusts []TrustedRole `json:"trusts,omitempty"`
	// Audit (kind partial) is the shard's audit.
	Audit *Audit `json:"audit,omitempty"`
}

// TrustedRole is a role as a hop into it is decided: everything of the
// role the decision reads (engine.HopClass), and its trust policy as
// written.
type TrustedRole struct {
	ARN                string            `json:"arn"`
	Account            string            `json:"account"`
	Name               string            `json:"name"`
	Path               string            `json:"path"`
	ID                 string            `json:"id"`
	Tags               map[string]string `json:"tags,omitempty"`
	MaxSessionDuration int               `json:"max_session_duration"`
	Trust              string            `json:"trust"` // the trust policy document
}

// Audit is a shard's audit: the findings the single-machine audit would
// report about its accounts' principals and resources (all but reach into
// administrator roles), and what Merge needs to search that reach.
type Audit struct {
	Time         time.Time       `json:"time"`
	Context      map[string]any  `json:"context,omitempty"`
	Organization bool            `json:"organization"`
	Catalog      []string        `json:"privesc_sources"`
	Principals   int             `json:"principals"`
	Decisions    int             `json:"decisions"`
	Excluded     int             `json:"excluded_aws_managed"`
	Findings     []audit.Finding `json:"findings"`
	// Callers are the shard's users and roles in world order (by account
	// id, users before roles, as the store lists them).
	Callers []Caller `json:"callers"`
	// Edges are the AssumeRole hops from the shard's callers into roles
	// whose trust may name them (the shard's roles and other shards'
	// trusted roles) that the engine allows.
	Edges []Edge `json:"edges"`
}

// Caller is a user or role as the start of a chain.
type Caller struct {
	ARN     string `json:"arn"`
	Account string `json:"account"`
	Start   string `json:"start"` // the user, or the role's audit session
	Kind    string `json:"kind"`  // user or role
	// Names are the names a trust policy may give it: its ARN, unique id,
	// account root and account id.
	Names []string `json:"names"`
	Admin bool     `json:"admin,omitempty"`
	// Excluded marks an AWS-managed role: no finding names it.
	Excluded bool `json:"excluded,omitempty"`
	// Trust (roles) lists the AWS principals the role's trust policy
	// names for sts:AssumeRole (engine.TrustNames); Open: it may name
	// anyone; NoTrust: the role has no trust policy.
	Trust   []string `json:"trust,omitempty"`
	Open    bool     `json:"open,omitempty"`
	NoTrust bool     `json:"no_trust,omitempty"`
}

// Edge is an AssumeRole hop the engine allows, with the step that works.
type Edge struct {
	From       string   `json:"from"`
	To         string   `json:"to"`
	Session    string   `json:"session"`
	ExternalID string   `json:"external_id,omitempty"`
	MFA        bool     `json:"mfa,omitempty"`
	Needs      []string `json:"needs,omitempty"`
}
