package main

import (
	"strings"
	"testing"
	"time"
)

// fakeClock advances by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newFakeClock() *fakeClock               { return &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }
func lines(s string) []string                { return strings.Split(strings.TrimRight(s, "\n"), "\n") }
func labelsOf(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// When stderr is not a terminal, progress is a line every interval with
// the stage, done/total, the time elapsed and an estimate of the time
// left, and a last line when a stage that was reported ends; a stage that
// ends within the interval says nothing.
func TestProgressLines(t *testing.T) {
	clock := newFakeClock()
	var w strings.Builder
	p := newProgress(&w, "audit", labelsOf("principals", "auditing principals"), false, 5*time.Second, clock.now)
	for i := 1; i <= 10; i++ {
		clock.advance(time.Second)
		p.report("principals", i, 10)
	}
	clock.advance(time.Second)
	p.report("reach", 1, 2) // quick: nothing
	p.report("reach", 2, 2)
	want := []string{
		"clearance audit: auditing principals 5/10 (50%), 5s elapsed, about 5s left",
		"clearance audit: auditing principals 10/10 (100%), 10s elapsed",
	}
	if got := lines(w.String()); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", w.String(), strings.Join(want, "\n"))
	}
}

// Reports arriving late (from concurrent workers) are dropped; a stage
// counting from 1 again (the audit's reach search, level by level)
// starts over, its elapsed time counted from the last report taken.
func TestProgressOrderAndRestart(t *testing.T) {
	clock := newFakeClock()
	var w strings.Builder
	p := newProgress(&w, "who-can", nil, false, time.Second, clock.now)
	clock.advance(2 * time.Second)
	p.report("reach", 3, 4)
	p.report("reach", 2, 4) // late: dropped
	clock.advance(2 * time.Second)
	p.report("reach", 1, 8) // a new level
	clock.advance(2 * time.Second)
	p.report("reach", 2, 8)
	want := "clearance who-can: reach 3/4 (75%), 2s elapsed, about 700ms left\n" +
		"clearance who-can: reach 1/8 (12%), 2s elapsed, about 14s left\n" +
		"clearance who-can: reach 2/8 (25%), 4s elapsed, about 12s left\n"
	if w.String() != want {
		t.Errorf("got\n%swant\n%s", w.String(), want)
	}
}

// On a terminal the stage is a bar redrawn in place, ended by a newline
// when the stage is done; clear takes it off the screen before other
// output.
func TestProgressBar(t *testing.T) {
	clock := newFakeClock()
	var w strings.Builder
	p := newProgress(&w, "audit", labelsOf("principals", "auditing principals"), true, 5*time.Second, clock.now)
	clock.advance(time.Second)
	p.report("principals", 1, 2)
	p.clear()
	clock.advance(time.Second)
	p.report("principals", 2, 2)
	want := "\r\033[K  auditing principals                [###############               ] 1/2 (50%), 1s elapsed, about 1s left" +
		"\r\033[K" +
		"\r\033[K  auditing principals                [##############################] 2/2 (100%), 2s elapsed\n"
	if w.String() != want {
		t.Errorf("got  %q\nwant %q", w.String(), want)
	}
}

// Progress goes to stderr, never stdout, and --quiet turns it off: a
// who-can with a line after every decision.
func TestProgressOnStderr(t *testing.T) {
	old := progressEvery
	progressEvery = 0
	t.Cleanup(func() { progressEvery = old })
	args := []string{"who-can", example, "s3:PutObject", "arn:aws:s3:::productionapp/releases/a", "--format", "json"}
	code, out, errOut := runCLI(args...)
	if code != 0 || !strings.Contains(errOut, "clearance who-can: deciding principals and sessions 1/") ||
		!strings.Contains(errOut, " elapsed") || strings.Contains(out, "clearance who-can:") {
		t.Errorf("exit %d\nstdout: %.300s\nstderr: %.600s", code, out, errOut)
	}
	_, quiet, errOut := runCLI(append(args, "--quiet")...)
	if errOut != "" || quiet != out {
		t.Errorf("--quiet: stderr %q, stdout differs: %v", errOut, quiet != out)
	}
	for _, args := range [][]string{
		{"audit", example},
		{"can", example, bob},
		{"reach", example, "--as", ciUser},
		{"test", example, "testdata/world.yaml"},
		{"review", "--cfn", "../../examples/review/cloudformation/template.yaml"},
	} {
		_, _, errOut := runCLI(args...)
		if !strings.Contains(errOut, "clearance "+args[0]+": ") || !strings.Contains(errOut, "elapsed") {
			t.Errorf("%s: no progress on stderr: %.400s", args[0], errOut)
		}
	}
}
