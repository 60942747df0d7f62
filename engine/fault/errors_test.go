package fault

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/clearance-dev/clearance/loader/tree"
)

func TestErrorMessage(t *testing.T) {
	cause := errors.New("boom")
	for _, tc := range []struct {
		err  *Error
		want string
	}{
		{Errorf(CodeBadRequest, "action %q: expected service:Action", "x"), `action "x": expected service:Action`},
		{Wrap(CodeInternal, cause, "evaluate %s on %s", "s3:GetObject", "*"), "evaluate s3:GetObject on *: boom"},
		{&Error{Code: CodeInternal, Err: cause}, "boom"},
		{&Error{Code: CodeInternal}, ""},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	if err := Internal(cause); err.Error() != "boom" {
		t.Errorf("Internal keeps the cause's text: got %q", err)
	}
	if Internal(nil) != nil {
		t.Error("Internal(nil) is not nil")
	}
}

func TestErrorIsByCode(t *testing.T) {
	err := fmt.Errorf("chain step 1 (AssumeRole): %w", Errorf(CodeChainInput, "role r: not in the world"))
	if !errors.Is(err, &Error{Code: CodeChainInput}) {
		t.Error("errors.Is by the same code: false")
	}
	if !errors.Is(err, &Error{}) {
		t.Error("errors.Is with an empty code matches any *Error: false")
	}
	if errors.Is(err, &Error{Code: CodeInternal}) {
		t.Error("errors.Is by another code: true")
	}
	if errors.Is(err, &tree.Error{Code: CodeChainInput}) {
		t.Error("errors.Is matched a *tree.Error target")
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeChainInput {
		t.Errorf("errors.As: %v", e)
	}
}

func TestErrorUnwrap(t *testing.T) {
	err := Wrap(CodeInternal, fs.ErrNotExist, "read %s", "x.rego")
	if !errors.Is(err, fs.ErrNotExist) || err.Unwrap() != fs.ErrNotExist {
		t.Error("the cause is not unwrapped")
	}
	if Errorf(CodeBadRequest, "no resource given").Unwrap() != nil {
		t.Error("an error without a cause unwraps to something")
	}
}

// IsInternal and IsBadInput see through wrapping; an internal fault
// anywhere in the chain wins; an uncoded error is neither.
func TestClassify(t *testing.T) {
	internal := Wrap(CodeInternal, errors.New("eval"), "evaluate")
	loader := &tree.Error{File: "w.yaml", Line: 3, Col: 5, Code: tree.CodeDuplicateKey, Msg: "duplicate key"}
	for _, tc := range []struct {
		name          string
		err           error
		internal, bad bool
	}{
		{"nil", nil, false, false},
		{"internal", internal, true, false},
		{"wrapped internal", fmt.Errorf("audit x: %w", internal), true, false},
		{"bad input over internal", Wrap(CodeChainInput, internal, "step"), true, false},
		{"bad request", Errorf(CodeBadRequest, "no principal given"), false, true},
		{"wrapped unknown principal", fmt.Errorf("chain: as: %w", Errorf(CodeUnknownPrincipal, "no such user")), false, true},
		{"expired", Errorf(CodeExpired, "expired"), false, true},
		{"bad world", Wrap(CodeBadWorld, errors.New("group g is not defined"), "w.yaml"), false, true},
		{"loader error", loader, false, true},
		{"wrapped loader error", fmt.Errorf("--step 1: %w", loader), false, true},
		{"uncoded", errors.New("something else"), false, false},
	} {
		if got := IsInternal(tc.err); got != tc.internal {
			t.Errorf("%s: IsInternal = %v", tc.name, got)
		}
		if got := IsBadInput(tc.err); got != tc.bad {
			t.Errorf("%s: IsBadInput = %v", tc.name, got)
		}
	}
}
