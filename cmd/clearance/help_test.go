package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// Every command's --help shows a synopsis, what the command does, an
// Examples section and the exit codes; `clearance --help` lists every
// command, version among them.
func TestHelpSections(t *testing.T) {
	for _, c := range commands() {
		code, out, _ := runCLI(c.name, "--help")
		for _, want := range []string{"Usage: clearance " + c.name, "Flags:", "\nExamples:\n  clearance " + c.name, "Exit codes:", "3  internal fault"} {
			if code != 0 || !strings.Contains(out, want) {
				t.Errorf("clearance %s --help: exit %d, no %q:\n%s", c.name, code, want, out)
			}
		}
		if strings.Contains(out, "--output") {
			t.Errorf("clearance %s --help shows the deprecated --output", c.name)
		}
	}
	_, out, _ := runCLI("--help")
	if !strings.Contains(out, "  version  print Clearance's version") {
		t.Errorf("clearance --help does not list version:\n%s", out)
	}
	code, v1, _ := runCLI("version")
	_, v2, _ := runCLI("--version")
	if code != 0 || v1 == "" || v1 != v2 {
		t.Errorf("version %q, --version %q", v1, v2)
	}
}

// Every example command line every --help prints runs from the
// repository's root and answers: exit 0, or 1 (a review's findings), never
// 2 (usage, bad input) or 3. Reports an example writes with --out go to a
// temporary folder; serve's examples listen on a free port and stop at
// once.
func TestHelpExamples(t *testing.T) {
	var lines [][]string
	for _, c := range commands() {
		_, out, _ := runCLI(c.name, "--help")
		for _, ex := range helpExamples(out) {
			lines = append(lines, shellWords(t, ex))
		}
	}
	if len(lines) < 2*len(commands())-1 {
		t.Fatalf("%d examples for %d commands", len(lines), len(commands()))
	}
	tmp := t.TempDir()
	t.Chdir("../..")
	stop := serveContext
	t.Cleanup(func() { serveContext = stop })
	serveContext = func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // stop as soon as the console is up
		return ctx, cancel
	}
	for _, words := range lines {
		// A worker needs a Temporal server, and merge the partials of a
		// sharded run (engine/shard's and engine/temporal's tests run
		// both): their examples are shown, not run here.
		if words[1] == "worker" || words[1] == "merge" {
			continue
		}
		args := exampleArgs(t, words[1:], tmp)
		code, out, errOut := runCLI(args...)
		if code != 0 && code != 1 {
			t.Errorf("%s: exit %d\nstderr: %s", strings.Join(words, " "), code, errOut)
		}
		if args[0] == "serve" && !strings.Contains(out, "the what-if console is at http://127.0.0.1:") {
			t.Errorf("%s: %s", strings.Join(words, " "), out)
		}
	}
}

// helpExamples are the command lines of a help text's Examples section,
// continuation lines (ending in " \") joined.
func helpExamples(help string) []string {
	_, sect, ok := strings.Cut(help, "\nExamples:\n")
	if !ok {
		return nil
	}
	sect, _, _ = strings.Cut(sect, "\n\n")
	var out []string
	cont := false
	for _, l := range strings.Split(sect, "\n") {
		l = strings.TrimSpace(l)
		if cont {
			out[len(out)-1] += " " + strings.TrimSuffix(l, `\`)
		} else if strings.HasPrefix(l, "clearance ") {
			out = append(out, strings.TrimSuffix(l, `\`))
		}
		cont = strings.HasSuffix(l, `\`)
	}
	return out
}

// exampleArgs expands an example's globs as a shell would, sends --out to
// dir, and gives serve a free port.
func exampleArgs(t *testing.T, words []string, dir string) []string {
	var args []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "--out" && i+1 < len(words):
			i++
			args = append(args, w, filepath.Join(dir, filepath.Base(words[i])))
		case strings.HasSuffix(w, "/*"):
			m, err := filepath.Glob(w)
			if err != nil || len(m) == 0 {
				t.Fatalf("glob %s: %v %v", w, m, err)
			}
			args = append(args, m...)
		default:
			args = append(args, w)
		}
	}
	if args[0] == "serve" {
		args = append(args, "--addr", "127.0.0.1:0")
	}
	return args
}
