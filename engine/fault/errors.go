// Package fault is the engine's coded error: a stable Code saying whether
// the question or the world is wrong (bad input, exit 2) or the engine
// failed (CodeInternal, exit 3), a message, and the cause. Like the
// loader's *tree.Error, it matches by code with errors.Is.
package fault

import (
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/clearance-dev/clearance/loader/tree"
)

// Error codes. They are stable: tests and callers may match on them. Every
// code but CodeInternal says the question or the world is wrong (bad
// input); CodeInternal says the engine failed (a bug).
const (
	// CodeBadRequest: the request is malformed: an action that is not
	// service:Action, no resource or principal, a principal that is not a
	// requester's ARN, a resource without an account, a context value of
	// the wrong type, a federated user without federated_by.
	CodeBadRequest = "bad_request"
	// CodeUnknownPrincipal: the principal is well formed but not in the
	// world: no such IAM user, no such role for a role session, a
	// federated_by that is not an IAM user of the world.
	CodeUnknownPrincipal = "unknown_principal"
	// CodeExpired: the credentials are not valid at the request's time:
	// they expired before it, or the session was issued after it.
	CodeExpired = "expired"
	// CodeChainInput: a chain the world cannot resolve: a start that is not
	// an IAM user, root or role session, a step's role or identity pool
	// that is not in the world, a signed call without a starting identity,
	// an unknown STS operation, a starting chain that is refused.
	CodeChainInput = "chain_input"
	// CodeBadWorld: the world does not load into a store (a reference that
	// does not resolve, a policy name given twice).
	CodeBadWorld = "bad_world"
	// CodeInternal: the engine failed: the decision logic did not compile
	// or evaluate, the decision is undefined or of an unexpected type,
	// embedded data does not decode, the store is inconsistent, a worker
	// panicked. Never the caller's fault.
	CodeInternal = "internal"
)

// Error is an engine error with a stable code.
//
// Error() reads "message: cause" (the message alone without a cause, the
// cause alone without a message). Match on Code with errors.As, or with
// errors.Is against an *Error carrying only a Code:
// errors.Is(err, &Error{Code: CodeUnknownPrincipal}).
//
// The rule at error sites: a leaf (the engine finds the question or the
// world wrong, or itself failing) returns an *Error with its code; a site
// that adds context to a cause already coded (an *Error, a loader
// *tree.Error) wraps it with fmt.Errorf("...: %w") and keeps its code; a
// site whose cause comes uncoded from elsewhere (OPA, encoding/json,
// embedded data) codes it with Wrap.
type Error struct {
	Code string // one of the Code* constants
	Msg  string // what is wrong
	Err  error  // the underlying cause, if any
}

func (e *Error) Error() string {
	switch {
	case e.Err == nil:
		return e.Msg
	case e.Msg == "":
		return e.Err.Error()
	}
	return e.Msg + ": " + e.Err.Error()
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

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with the code whose cause is err; the formatted
// message, if any, comes before the cause's.
func Wrap(code string, err error, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...), Err: err}
}

// Internal codes err, which came uncoded from elsewhere, as an internal
// fault; its text is unchanged. Internal(nil) is nil.
func Internal(err error) error {
	if err == nil {
		return nil
	}
	return &Error{Code: CodeInternal, Err: err}
}

// IsInternal reports whether err is, or wraps, an *Error with
// CodeInternal.
func IsInternal(err error) bool {
	return errors.Is(err, &Error{Code: CodeInternal})
}

// IsBadInput reports whether err says the question or the world is wrong:
// it wraps an *Error with a code other than CodeInternal, or a loader
// *tree.Error, and no internal fault. An error that is neither internal
// nor bad input carries no code at all; nobody classified it, and callers
// should treat it as internal (the CLI exits 3).
func IsBadInput(err error) bool {
	if err == nil || IsInternal(err) {
		return false
	}
	var e *Error
	var t *tree.Error
	return errors.As(err, &e) || errors.As(err, &t)
}

// recovered turns a panic's value into an internal fault, with the stack.
func Recovered(v any) error {
	return Errorf(CodeInternal, "panic: %v\n%s", v, debug.Stack())
}
