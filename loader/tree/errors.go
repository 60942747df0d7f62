package tree

import (
	"fmt"
	"strings"
)

// Error codes. They are stable: tests and callers may match on them.
const (
	CodeInvalidJSON      = "invalid_json"         // the bytes are not JSON
	CodeInvalidYAML      = "invalid_yaml"         // the bytes are not YAML
	CodeDuplicateKey     = "duplicate_key"        // a key is repeated in one object
	CodeTrailingData     = "trailing_data"        // something follows the document
	CodeTooDeep          = "too_deep"             // nesting beyond maxDepth
	CodeWrongType        = "wrong_type"           // e.g. an object where a string belongs
	CodeUnknownElement   = "unknown_element"      // a key the grammar does not know
	CodeMissingElement   = "missing_element"      // a required element is absent or empty
	CodeConflict         = "conflicting_elements" // Action with NotAction, and so on
	CodeForbiddenElement = "forbidden_element"    // allowed by the grammar, not for this kind
	CodeInvalidVersion   = "invalid_version"      // Version not 2012-10-17 / 2008-10-17, or absent where required
	CodeInvalidEffect    = "invalid_effect"       // Effect not exactly Allow or Deny
	CodeInvalidAction    = "invalid_action"       // not "*" or "service:action"
	CodeInvalidResource  = "invalid_resource"     // not "*" or an ARN
	CodeInvalidPrincipal = "invalid_principal"    // not a principal value
	CodeUnknownOperator  = "unknown_operator"     // a condition operator IAM does not have
	CodeInvalidValue     = "invalid_value"        // a condition value of the wrong form
	CodeDuplicateSid     = "duplicate_sid"        // two statements with one Sid
	CodeInvalidKind      = "invalid_kind"         // ParsePolicy called with an unknown PolicyKind
	CodeMalformedPolicy  = "malformed_policy"     // ValidateCreatePolicy: AWS's MalformedPolicyDocument
	CodeLimitExceeded    = "limit_exceeded"       // ValidateCreatePolicy: the document is over IAM's size quota
	CodeDuplicate        = "duplicate"            // two entities with one name or ARN
	CodeUnknownReference = "unknown_reference"    // a reference to a group, policy, OU or SCP nobody declares
	CodeInvalidARN       = "invalid_arn"          // an ARN that its service's format refuses
	CodeInvalidName      = "invalid_name"         // an IAM name or path IAM's rules refuse
)

// Error is a decoding, grammar or validation error at a place in a document.
//
// Error() reads "file:line:col: $.Statement[1].Effect: message". Match on
// Code with errors.As, or with errors.Is against an *Error carrying only a
// Code: errors.Is(err, &Error{Code: CodeDuplicateKey}).
type Error struct {
	File string
	Path string // JSON path, e.g. $.Statement[1].Effect
	Line int    // 1-based; 0 when unknown
	Col  int    // 1-based; 0 when unknown
	Code string // one of the Code* constants
	Msg  string // what is wrong and what was expected
	Err  error  // the underlying cause, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, "%d:", e.Col)
		}
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Code (an empty
// target Code matches any *Error).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Code == "" || t.Code == e.Code
}

// ErrAt builds an *Error located at n. file is used when n carries none.
func ErrAt(n *Node, file, code, format string, args ...any) *Error {
	e := &Error{File: file, Code: code, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		if n.File != "" {
			e.File = n.File
		}
		e.Path, e.Line, e.Col = n.Path(), n.Line, n.Col
	}
	return e
}
