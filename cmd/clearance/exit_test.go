package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/tree"
)

// The exit codes of the house rules: 0 answered (a deny is an answer), 1
// checks failed (or lint --strict found warnings), 2 bad input or usage, 3
// internal fault.
func TestExitCodes(t *testing.T) {
	w := "testdata/world.yaml"
	alice := "arn:aws:iam::111122223333:user/alice"
	ex := "../../corpus/example/company.yaml"
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string // substring expected on stderr
	}{
		{"allow", []string{"why", "--world", w, "--principal", alice, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k"}, 0, ""},
		{"deny is an answer", []string{"why", "--world", w, "--principal", alice, "--action", "s3:PutObject", "--resource", "arn:aws:s3:::b/k"}, 0, ""},
		{"refused chain is an answer", []string{"why", "--world", ex, "--as", "arn:aws:iam::444455556666:user/ci", "--step", "AssumeRole role=arn:aws:iam::111122223333:role/deploy session=ci-1"}, 0, ""},
		{"help", []string{"who-can", "--help"}, 0, ""},
		{"checks pass", []string{"test", w}, 0, ""},
		{"a check fails", []string{"test", "testdata/failing.yaml"}, 1, ""},
		{"a scenario does not load (the others still run)", []string{"test", "testdata/suite"}, 2, "did not load"},
		{"lint --strict finds warnings", []string{"lint", "--strict", "testdata/typos.yaml"}, 1, ""},
		{"an RCP that allows", []string{"lint", "testdata/suite/b_rcp_allow.yaml"}, 2, "b_rcp_allow.yaml:13:63"},
		{"no command", nil, 2, ""},
		{"unknown flag", []string{"why", "--bogus"}, 2, "unknown flag"},
		{"bad flag value", []string{"audit", "--format", "pdf", w}, 2, "--format"},
		{"bad context flag", []string{"why", "--world", w, "--principal", alice, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k", "--context", "k"}, 2, "key=value"},
		{"missing world file", []string{"lint", "testdata/nope.yaml"}, 2, "nope.yaml"},
		{"missing scenario dir", []string{"test", "testdata/nope"}, 2, "nope"},
		{"malformed world", []string{"can", "--world", "testdata/malformed.yaml", alice}, 2, "duplicate key"},
		{"world that does not load", []string{"audit", "testdata/badworld.yaml"}, 2, "not defined"},
		{"unknown principal", []string{"why", "--world", w, "--principal", "arn:aws:iam::111122223333:user/bob", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k"}, 2, "no such IAM user"},
		{"unknown principal of can", []string{"can", "--world", w, "arn:aws:iam::111122223333:user/bob"}, 2, "no such IAM user"},
		{"bad action", []string{"who-can", "--world", w, "GetObject", "*"}, 2, "expected service:Action"},
		{"unknown start of reach", []string{"reach", "--world", w, "--as", "arn:aws:iam::111122223333:user/bob"}, 2, "no such IAM user"},
		{"unknown role in a chain", []string{"why", "--world", w, "--as", alice, "--step", "AssumeRole role=arn:aws:iam::111122223333:role/nope session=s"}, 2, "not in the world"},
		{"missing chain file", []string{"reach", "--world", w, "--chain", "testdata/nope.yaml"}, 2, "nope.yaml"},
		{"bad listen address", []string{"serve", "--world", w, "--addr", "bad:addr:1"}, 2, "address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("exit %d (want %d)\nstdout: %.400s\nstderr: %s", code, tc.code, out, errOut)
			}
			if strings.Contains(errOut, "internal error") {
				t.Errorf("bad input reported as an internal error: %s", errOut)
			}
		})
	}
}

// An internal fault exits 3 and says so; so does an error nobody coded
// and a panic. The commands are fakes: the real ones have no fault to
// show.
func TestExitInternal(t *testing.T) {
	internal := fault.Wrap(fault.CodeInternal, errors.New("rego_type_error"), "evaluate s3:GetObject on *")
	for _, tc := range []struct {
		name   string
		run    func(args []string, stdout, stderr io.Writer) error
		code   int
		stderr string
	}{
		{"engine internal", func([]string, io.Writer, io.Writer) error { return internal }, 3, "clearance fake: internal error: evaluate s3:GetObject on *: rego_type_error"},
		{"wrapped internal", func([]string, io.Writer, io.Writer) error { return fmt.Errorf("audit x: %w", internal) }, 3, "internal error: audit x: evaluate"},
		{"uncoded error", func([]string, io.Writer, io.Writer) error { return errors.New("something unforeseen") }, 3, "internal error: something unforeseen"},
		{"panic", func([]string, io.Writer, io.Writer) error { panic("oops") }, 3, "internal error: panic: oops"},
		{"engine bad input", func([]string, io.Writer, io.Writer) error {
			return fault.Errorf(fault.CodeUnknownPrincipal, "principal %q: no such IAM user in the world", "bob")
		}, 2, `clearance fake: principal "bob": no such IAM user`},
		{"write failure", func(_ []string, stdout, _ io.Writer) error {
			fmt.Fprintln(stdout, "ALLOW")
			return nil
		}, 2, "write output: disk full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var errb bytes.Buffer
			cmds := []command{{name: "fake", summary: "a fake", run: tc.run}}
			code := runCommands(cmds, []string{"fake"}, failingWriter{}, &errb)
			if code != tc.code || !strings.Contains(errb.String(), tc.stderr) {
				t.Errorf("exit %d (want %d)\nstderr: %s", code, tc.code, errb.String())
			}
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// exitCode classifies every kind of error a command returns.
func TestExitCodeClassifier(t *testing.T) {
	internal := fault.Errorf(fault.CodeInternal, "decision: unexpected value %q", "maybe")
	loader := &tree.Error{File: "w.yaml", Line: 2, Col: 3, Code: tree.CodeInvalidJSON, Msg: "not JSON"}
	for _, tc := range []struct {
		name string
		err  error
		code int
	}{
		{"nil", nil, 0},
		{"help", errHelp, 0},
		{"checks failed", errChecksFailed, 1},
		{"strict warnings", errStrictWarnings, 1},
		{"usage", usageError{errors.New("--world is required")}, 2},
		{"unreadable file", usageError{fmt.Errorf("read scenario: %w", fs.ErrNotExist)}, 2},
		{"loader error", loader, 2},
		{"wrapped loader error", fmt.Errorf("--step 1: %w", loader), 2},
		{"bad request", fault.Errorf(fault.CodeBadRequest, "no resource given"), 2},
		{"expired", fmt.Errorf("chain step 2 (AssumeRole): %w", fault.Errorf(fault.CodeExpired, "expired")), 2},
		{"chain input", fault.Errorf(fault.CodeChainInput, "role r: not in the world"), 2},
		{"bad world", fault.Wrap(fault.CodeBadWorld, errors.New("group g is not defined"), "w.yaml"), 2},
		{"internal", internal, 3},
		{"wrapped internal", fmt.Errorf("s3:GetObject on *: %w", internal), 3},
		{"internal under a usage error", usageError{internal}, 3},
		{"uncoded", errors.New("unforeseen"), 3},
	} {
		if got := exitCode(tc.err); got != tc.code {
			t.Errorf("%s: exitCode(%v) = %d, want %d", tc.name, tc.err, got, tc.code)
		}
	}
}

// Every command's --help documents the exit codes.
func TestHelpShowsExitCodes(t *testing.T) {
	for _, c := range commands() {
		code, out, _ := runCLI(c.name, "--help")
		if code != 0 || !strings.Contains(out, "Exit codes:") || !strings.Contains(out, "3  internal fault") {
			t.Errorf("clearance %s --help: exit %d\n%s", c.name, code, out)
		}
	}
	if _, out, _ := runCLI("--help"); !strings.Contains(out, "Exit codes:") {
		t.Errorf("clearance --help:\n%s", out)
	}
}
