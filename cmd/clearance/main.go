// Command clearance answers who can do what in AWS: it loads IAM policies
// as data, evaluates them with AWS's decision logic and explains each
// answer.
//
// Exit codes (exitCodes, printed by every --help):
//
//	0 answered (a deny is an answer)
//	1 checks or assertions failed, or lint --strict found warnings
//	2 bad input or usage: a flag, a file that cannot be read or written, a
//	  world or question the loader or the engine rejects
//	3 internal fault: the engine failed, or an error nobody classified
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/world"
	"github.com/spf13/pflag"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

// usageError is bad usage or bad input the command itself finds (a flag,
// a file it cannot read or write): exit code 2. Errors of the loader and
// the engine carry their own codes and are not wrapped in it.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// errChecksFailed means checks ran and some failed: exit code 1.
var errChecksFailed = errors.New("some checks failed")

// Exit codes.
const (
	exitAnswered = 0
	exitFailed   = 1
	exitBadInput = 2
	exitInternal = 3
)

// exitCodes documents the exit codes in every --help.
const exitCodes = `Exit codes:
  0  answered (a deny is an answer)
  1  checks or assertions failed (test), or warnings under lint --strict
  2  bad input or usage (a flag, an unreadable file, a world or question Clearance rejects)
  3  internal fault (a bug in Clearance: please report it)
`

// exitCode classifies a command's error. Bad input must always be
// recognised as such: an error that is neither a usageError nor coded by
// the loader or the engine is an internal fault.
func exitCode(err error) int {
	var u usageError
	switch {
	case err == nil || errors.Is(err, errHelp):
		return exitAnswered
	case errors.Is(err, errChecksFailed) || errors.Is(err, errStrictWarnings) || errors.Is(err, errReviewFailed) || errors.Is(err, errAuditFailed):
		return exitFailed
	case fault.IsInternal(err):
		return exitInternal
	case errors.As(err, &u) || fault.IsBadInput(err):
		return exitBadInput
	}
	return exitInternal
}

func commands() []command {
	return []command{
		{"why", "explain one decision: may PRINCIPAL do ACTION on RESOURCE?", runWhy},
		{"reach", "list every session a starting identity can reach through STS, with paths", runReach},
		{"audit", "audit a world: administrators, privilege escalation, outside access, open resources (text, json, sarif, html)", runAudit},
		{"lint", "warn about actions, services and condition keys AWS does not have (with the nearest name), multivalued keys " +
			"without a set operator, and customer managed policies IAM's CreatePolicy would refuse; --strict exits 1 on any", runLint},
		{"can", "list what a principal or a chain's session can do, by service and access level, with the resources taken away", runCan},
		{"who-can", "list every principal, role session and federated user allowed ACTION on RESOURCE, and who reaches those roles", runWhoCan},
		{"review", "review a change (CloudFormation, Terraform plan, policy files): the access it adds and removes, for CI (text, json, sarif, junit)", runReview},
		{"worker", "run a sharded audit's activities for Temporal (clearance audit --temporal HOST:PORT starts one)", runWorker},
		{"merge", "join the partials of an audit run in shards (audit --shard I/N) into its report (text, json, sarif, html)", runMerge},
		{"test", "run scenario files' checks and report N passed, N failed", runTest},
		{"version", "print Clearance's version, its Go toolchain and its OPA version", runVersion},
		{"serve", "the what-if console: a web page and its websocket (http://ADDR/)", runServe},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	return runCommands(commands(), args, stdout, stderr)
}

// runCommands runs the command args name and returns its exit code.
func runCommands(cmds []command, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout, cmds)
		if len(args) == 0 {
			return exitBadInput
		}
		return exitAnswered
	}
	if args[0] == "--version" {
		args = append([]string{"version"}, args[1:]...)
	}
	for _, c := range cmds {
		if c.name != args[0] {
			continue
		}
		out := &errWriter{w: stdout}
		err := runCommand(c, args[1:], out, stderr)
		if out.err != nil && !fault.IsInternal(err) {
			err = usageError{fmt.Errorf("write output: %w", out.err)}
		}
		code := exitCode(err)
		switch {
		case code == exitInternal:
			fmt.Fprintf(stderr, "clearance %s: internal error: %v\n", c.name, err)
		case code == exitBadInput:
			fmt.Fprintf(stderr, "clearance %s: %v\n", c.name, err)
		}
		return code
	}
	fmt.Fprintf(stderr, "clearance: unknown command %q\n\n", args[0])
	usage(stderr, cmds)
	return exitBadInput
}

// runCommand runs c, turning a panic into an internal fault.
func runCommand(c command, args []string, stdout, stderr io.Writer) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fault.Errorf(fault.CodeInternal, "panic: %v\n%s", v, debug.Stack())
		}
	}()
	return c.run(args, stdout, stderr)
}

// errWriter keeps the first error writing to w: output that cannot be
// written (a full disk) is an error even where the command ignores it.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func usage(w io.Writer, cmds []command) {
	fmt.Fprintln(w, "Clearance: who can do what in AWS, explained.")
	fmt.Fprintln(w, "\nUsage: clearance COMMAND [flags]\n\nCommands:")
	cs := append([]command(nil), cmds...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'clearance COMMAND --help' for a command's flags.")
	fmt.Fprint(w, "\n"+exitCodes)
}

// parseContext turns repeated key=value flags into context keys. A key
// given twice, or a value written [a,b], is multivalued; [] is an empty
// multivalued key. Each value must fit its key's type
// (world.CheckContextValue).
func parseContext(pairs []string) (map[string]any, error) {
	out, err := contextPairs(pairs)
	if err != nil {
		return nil, err
	}
	for k, v := range out {
		if err := world.CheckContextValue(k, v); err != nil {
			return nil, fmt.Errorf("--context: %w", err)
		}
	}
	return out, nil
}

func contextPairs(pairs []string) (map[string]any, error) {
	out := map[string]any{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--context %q: expected key=value", p)
		}
		if strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
			list := []any{}
			if inner := strings.TrimSpace(v[1 : len(v)-1]); inner != "" {
				for _, e := range strings.Split(inner, ",") {
					list = append(list, strings.TrimSpace(e))
				}
			}
			out[k] = list
			continue
		}
		switch prev := out[k].(type) {
		case nil:
			out[k] = v
		case string:
			out[k] = []any{prev, v}
		case []any:
			out[k] = append(prev, v)
		}
	}
	return out, nil
}

// openInputs loads a world from a scenario file or the raw AWS CLI
// outputs (scenario.LoadInputs) and opens an engine on it.
func openInputs(ctx context.Context, fs *pflag.FlagSet, paths []string) (*scenario.Scenario, *engine.Engine, error) {
	opts, err := inputOptions(fs)
	if err != nil {
		return nil, nil, usageError{err}
	}
	sc, err := scenario.LoadInputs(paths, opts)
	if err != nil {
		return nil, nil, usageError{err}
	}
	e, err := checks.OpenScenario(ctx, sc)
	if err == nil {
		e, err = withEvaluator(ctx, fs, e)
	}
	if err != nil {
		return nil, nil, err
	}
	return sc, e, nil
}
