package server

import (
	"errors"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/tree"
)

// The server message types.
const (
	outWelcome     = "welcome"
	outAnswer      = "answer"
	outProgress    = "progress"
	outPartial     = "partial"
	outDone        = "done"
	outError       = "error"
	outCancelled   = "cancelled"
	outCompletions = "completions"
	outDocument    = "document"
	outOverlay     = "overlay"
)

// Out is every message the server sends; Type says which members it has
// (docs/protocol/*.schema.json has one schema per type). Every message
// but welcome carries the id of the question (or edit) it answers.
type Out struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
	// welcome
	Version int      `json:"version,omitempty"`
	World   *Summary `json:"world,omitempty"`
	// answer (ask), done (who_can, can, reach, audit)
	Decision *engine.Decision `json:"decision,omitempty"`
	Chain    *sts.ChainResult `json:"chain,omitempty"`
	Grants   []query.Grant    `json:"grants,omitempty"`
	Can      *query.Effective `json:"can,omitempty"`
	Reached  []sts.Reached    `json:"reached,omitempty"`
	Audit    *audit.Report    `json:"audit,omitempty"`
	Text     string           `json:"text,omitempty"`
	// Verdict is the answer in one line (what a subscription compares);
	// Overlay is the overlay version it was decided on (0: the loaded
	// world); Before is, in a re-sent answer, the verdict it had.
	Verdict string  `json:"verdict,omitempty"`
	Overlay uint64  `json:"overlay,omitempty"`
	Update  bool    `json:"update,omitempty"`
	Before  *string `json:"before,omitempty"`
	// progress (who_can, can, audit), partial (who_can)
	Stage string       `json:"stage,omitempty"`
	Done  int          `json:"done,omitempty"`
	Total int          `json:"total,omitempty"`
	Grant *query.Grant `json:"grant,omitempty"`
	// error: the message, and where a positioned error is (a policy
	// document's line and column, its JSON path).
	Error string `json:"error,omitempty"`
	Line  int    `json:"line,omitempty"`
	Col   int    `json:"col,omitempty"`
	Path  string `json:"path,omitempty"`
	// completions
	Items []string `json:"items,omitempty"`
	// document (policy): its text, the document it is, and where each
	// statement is in the text.
	Document   string      `json:"document,omitempty"`
	Ref        *PolicyRef  `json:"ref,omitempty"`
	Statements []Statement `json:"statements,omitempty"`
	// overlay: open, edited or discarded, and its version.
	State string `json:"state,omitempty"`
}

// errorOut is the error answer to question id: positioned when err is a
// *tree.Error with a line.
func errorOut(id string, err error) Out {
	o := Out{Type: outError, ID: id, Error: err.Error()}
	var te *tree.Error
	if errors.As(err, &te) && te.Line > 0 {
		o.Line, o.Col, o.Path = te.Line, te.Col, te.Path
	}
	return o
}
