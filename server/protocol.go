package server

import (
	"encoding/json"
	"sort"
	"time"
)

// ProtocolVersion is the version of the message protocol (docs/protocol.md)
// a client names in its hello.
const ProtocolVersion = 1

// The client message types.
const (
	typeHello    = "hello"
	typeAsk      = "ask"
	typeWhoCan   = "who_can"
	typeCan      = "can"
	typeReach    = "reach"
	typeAudit    = "audit"
	typeComplete = "complete"
	typePolicy   = "policy"
	typeCancel   = "cancel"
	typeOpen     = "open"
	typeEdit     = "edit"
	typeDiscard  = "discard"
)

// clientMessages makes the struct each client message type decodes into.
var clientMessages = map[string]func() any{
	typeHello:    func() any { return new(Hello) },
	typeAsk:      func() any { return new(Ask) },
	typeWhoCan:   func() any { return new(WhoCan) },
	typeCan:      func() any { return new(Can) },
	typeReach:    func() any { return new(Reach) },
	typeAudit:    func() any { return new(Audit) },
	typeComplete: func() any { return new(Complete) },
	typePolicy:   func() any { return new(PolicyGet) },
	typeCancel:   func() any { return new(Cancel) },
	typeOpen:     func() any { return new(OverlayOp) },
	typeEdit:     func() any { return new(Edit) },
	typeDiscard:  func() any { return new(OverlayOp) },
}

func messageTypes() []string {
	var out []string
	for t := range clientMessages {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Hello opens a session: the protocol version and the server's token.
type Hello struct {
	Type    string `json:"type"`
	ID      string `json:"id,omitempty"`
	Version int    `json:"version"`
	Token   string `json:"token"`
}

// Request is what ask, who_can and can share: the request (a principal or
// a chain for ask and can; neither for who_can).
type Request struct {
	Principal       string          `json:"principal,omitempty"`
	FederatedBy     string          `json:"federated_by,omitempty"`
	Action          string          `json:"action,omitempty"`
	Resource        string          `json:"resource,omitempty"`
	ResourceAccount string          `json:"resource_account,omitempty"`
	Context         map[string]any  `json:"context,omitempty"`
	SessionPolicy   json.RawMessage `json:"session_policy,omitempty"`
	// Time is when the request is made (RFC 3339).
	Time        time.Time `json:"time,omitzero"`
	VPCEndpoint string    `json:"vpc_endpoint,omitempty"`
	// Chain, instead of Principal, is an STS chain in the scenario format
	// ({"as": ..., "steps": [...]}).
	Chain json.RawMessage `json:"chain,omitempty"`
}

// Ask asks why: may the principal (or the chain's final session) do the
// action on the resource. Subscribe re-sends the answer when an overlay
// edit changes it.
type Ask struct {
	Type      string `json:"type"`
	ID        string `json:"id"`
	Subscribe bool   `json:"subscribe,omitempty"`
	Request
}

// WhoCan asks who may do the action on the resource.
type WhoCan struct {
	Type            string         `json:"type"`
	ID              string         `json:"id"`
	Subscribe       bool           `json:"subscribe,omitempty"`
	Action          string         `json:"action"`
	Resource        string         `json:"resource"`
	ResourceAccount string         `json:"resource_account,omitempty"`
	Context         map[string]any `json:"context,omitempty"`
	Time            time.Time      `json:"time,omitzero"`
	Reach           bool           `json:"reach,omitempty"`
}

// Can asks what a principal or a chain's final session may do.
type Can struct {
	Type      string          `json:"type"`
	ID        string          `json:"id"`
	Subscribe bool            `json:"subscribe,omitempty"`
	Principal string          `json:"principal,omitempty"`
	Chain     json.RawMessage `json:"chain,omitempty"`
	Context   map[string]any  `json:"context,omitempty"`
	Time      time.Time       `json:"time,omitzero"`
}

// Reach asks which role sessions an identity (As, or a chain's start and
// first steps) reaches.
type Reach struct {
	Type  string          `json:"type"`
	ID    string          `json:"id"`
	As    string          `json:"as,omitempty"`
	Chain json.RawMessage `json:"chain,omitempty"`
	Depth int             `json:"depth,omitempty"`
}

// Audit asks for the world's audit.
type Audit struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// Complete asks for names matching Prefix: kind principal, action,
// resource or key (context keys: the global ones and Action's own).
type Complete struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Prefix string `json:"prefix"`
	Action string `json:"action,omitempty"`
}

// PolicyGet asks for a policy document's text (to edit it, or to show
// the statements an answer matched): by its PolicyRef, or by Named, the
// name explanations give it (a matched statement's policy).
type PolicyGet struct {
	Type  string `json:"type"`
	ID    string `json:"id"`
	Named string `json:"named,omitempty"`
	PolicyRef
}

// PolicyRef names an editable policy document (Policies lists them). A
// document answer's ref may also be of kind endpoint (a VPC endpoint's
// policy, Target its id), which no edit changes.
type PolicyRef struct {
	// Kind is inline, managed, trust, resource, scp or rcp.
	Kind string `json:"kind,omitempty"`
	// Target is the user, group or role ARN (inline, trust), the managed
	// policy ARN, the resource ARN, or the SCP or RCP name.
	Target string `json:"target,omitempty"`
	// Name is an inline policy's name.
	Name string `json:"name,omitempty"`
}

// Cancel stops the question of id Question... its id is the message's.
type Cancel struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// OverlayOp opens or discards the connection's overlay.
type OverlayOp struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// Edit changes the overlay: Op put replaces (or adds) the policy document
// Ref names with Document (JSON text; errors are positioned in it);
// attach and detach a managed policy (PolicyARN) on a user, group or role
// (Ref.Target); boundary sets (or with PolicyARN "" removes) a user's or
// role's permissions boundary. A new SCP or RCP is attached to AttachTo:
// the organization's root, an OU (by id) or a member account (by id).
type Edit struct {
	Type      string `json:"type"`
	ID        string `json:"id"`
	Op        string `json:"op"`
	PolicyRef        // kind, target, name
	Document  string `json:"document,omitempty"`
	PolicyARN string `json:"policy_arn,omitempty"`
	AttachTo  string `json:"attach_to,omitempty"`
}
