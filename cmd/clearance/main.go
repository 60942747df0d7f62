// Command clearance answers who can do what in AWS: it loads IAM policies
// as data, evaluates them with AWS's decision logic and explains each
// answer.
//
// Exit codes: 0 success (a denied answer is a success), 1 a check failed,
// 2 bad usage or bad input.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

// usageError is bad usage or bad input: exit code 2.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// failedError means checks ran and some failed: exit code 1.
var errChecksFailed = errors.New("some checks failed")

func commands() []command {
	return []command{
		{"why", "explain one decision: may PRINCIPAL do ACTION on RESOURCE?", runWhy},
		{"reach", "list every session a starting identity can reach through STS, with paths", runReach},
		{"audit", "audit a world: administrators, privilege escalation, outside access, open resources (text, json, sarif, html)", runAudit},
		{"lint", "warn about actions and condition keys AWS does not have, multivalued keys without a set operator, " +
			"and customer managed policies IAM's CreatePolicy would refuse", runLint},
		{"can", "list what a principal or a chain's session can do, by service and access level", runCan},
		{"who-can", "list every principal and role session allowed ACTION on RESOURCE, and who reaches those roles", runWhoCan},
		{"test", "run scenario files' checks and report N passed, N failed", runTest},
		{"serve", "answer what-if questions over a websocket (ws://ADDR/v1/why)", runServe},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(args[1:], stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, errChecksFailed):
			return 1
		case errors.Is(err, errHelp):
			return 0
		}
		fmt.Fprintf(stderr, "clearance %s: %v\n", c.name, err)
		return 2
	}
	fmt.Fprintf(stderr, "clearance: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Clearance: who can do what in AWS, explained.")
	fmt.Fprintln(w, "\nUsage: clearance COMMAND [flags]\n\nCommands:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'clearance COMMAND --help' for a command's flags.")
}

// parseContext turns repeated key=value flags into context keys. A key
// given twice, or a value written [a,b], is multivalued; [] is an empty
// multivalued key.
func parseContext(pairs []string) (map[string]any, error) {
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

// openWorld loads a scenario file's world into a new engine; a bad file is
// a usage error (exit 2).
func openWorld(ctx context.Context, path string) (*scenario.Scenario, *engine.Engine, error) {
	sc, err := scenario.LoadScenarioFile(path)
	if err != nil {
		return nil, nil, usageError{err}
	}
	e, err := checks.OpenScenario(ctx, sc)
	if err != nil {
		return nil, nil, usageError{err}
	}
	return sc, e, nil
}
