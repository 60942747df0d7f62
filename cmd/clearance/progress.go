package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/engine/review"
	"github.com/clearance-dev/clearance/engine/sts"
)

// progressStages are the long commands, each with the labels of the stages
// its engine reports.
var progressStages = map[string]map[string]string{
	"audit": auditStages,
	"who-can": {
		query.StagePrincipals: "deciding principals and sessions",
		query.StageFederated:  "deciding federated users",
	},
	"can": {
		query.StageFirst:  "deciding the statements' resources",
		query.StageSecond: "deciding the resources taken away",
	},
	"reach": {sts.StageReach: "walking the roles reached"},
	"review": {
		review.StageAuditBefore: "auditing the world before the change",
		review.StageAuditAfter:  "auditing the world after the change",
		review.StageAccess:      "comparing effective access",
		review.StageAssertions:  "judging the assertions",
	},
	"test": {stageFiles: "running scenario files"},
}

var auditStages = map[string]string{
	audit.StagePrincipals: "auditing principals",
	audit.StageReach:      "searching reach to administrators",
	audit.StageChains:     "checking reach paths as chains",
}

// stageFiles is the stage of `clearance test`: one step per file.
const stageFiles = "files"

// progressEvery is how often a line is written when stderr is not a
// terminal (a test shortens it); progressRedraw how often a terminal's
// bar is redrawn at most.
var progressEvery = 5 * time.Second

const progressRedraw = 100 * time.Millisecond

// progress reports a long command's stages on stderr: a bar on a
// terminal, elsewhere (a CI log) a line every progressEvery with the
// stage, done/total, the time elapsed and an estimate of the time left.
// Its report is safe for concurrent use; reports that go backwards in a
// stage are dropped, and one below the stage's last starts it again (the
// audit's reach search counts each level from zero).
type progress struct {
	mu     sync.Mutex
	w      io.Writer
	name   string
	labels map[string]string
	tty    bool
	every  time.Duration
	now    func() time.Time

	stage      string
	done       int
	stageStart time.Time
	reported   time.Time // the last report taken: when the next stage began, near enough
	last       time.Time // the last line or bar written
	drawn      bool      // a bar is on screen, not yet ended by a newline
	told       bool      // a line was written for this stage (not a terminal)
}

// progressFor is the progress function a long command gives its engine:
// nil under --quiet.
func progressFor(fs *pflag.FlagSet, stderr io.Writer) *progress {
	if q, err := fs.GetBool("quiet"); err == nil && q {
		return nil
	}
	return newProgress(stderr, fs.Name(), progressStages[fs.Name()], isTerminal(stderr), progressEvery, time.Now)
}

func newProgress(w io.Writer, name string, labels map[string]string, tty bool, every time.Duration, now func() time.Time) *progress {
	t := now()
	return &progress{w: w, name: name, labels: labels, tty: tty, every: every, now: now, last: t, reported: t}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// fn is the report function for an engine's Progress option (nil when p is).
func (p *progress) fn() func(stage string, done, total int) {
	if p == nil {
		return nil
	}
	return p.report
}

func (p *progress) report(stage string, done, total int) {
	if total <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.now()
	if stage != p.stage || done < p.done && done <= 1 {
		p.endBar()
		p.stage, p.done, p.stageStart, p.told = stage, 0, p.reported, false
	}
	if done <= p.done {
		return // an earlier report arriving late
	}
	p.done, p.reported = done, t
	last := done >= total
	if p.tty {
		if last || t.Sub(p.last) >= progressRedraw {
			p.bar(done, total, t)
			p.last = t
		}
		if last {
			p.endBar()
		}
		return
	}
	if t.Sub(p.last) >= p.every || last && p.told {
		fmt.Fprintf(p.w, "clearance %s: %s\n", p.name, p.line(done, total, t))
		p.last, p.told = t, true
	}
}

// line is "LABEL D/T (P%), Xs elapsed, about Ys left".
func (p *progress) line(done, total int, t time.Time) string {
	elapsed := t.Sub(p.stageStart)
	s := fmt.Sprintf("%s %d/%d (%d%%), %s elapsed", p.label(), done, total, done*100/total, round(elapsed))
	if done < total {
		left := time.Duration(float64(elapsed) / float64(done) * float64(total-done))
		s += ", about " + round(left).String() + " left"
	}
	return s
}

func (p *progress) label() string {
	if l, ok := p.labels[p.stage]; ok {
		return l
	}
	return p.stage
}

func (p *progress) bar(done, total int, t time.Time) {
	const width = 30
	n := done * width / total
	fmt.Fprintf(p.w, "\r\033[K  %-34s [%s%s] %s", p.label(), strings.Repeat("#", n), strings.Repeat(" ", width-n),
		strings.TrimPrefix(p.line(done, total, t), p.label()+" "))
	p.drawn = true
}

// endBar ends a bar left on screen with a newline.
func (p *progress) endBar() {
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

// clear takes a bar off the screen before other output (a failed check
// of `clearance test`) is written; it is drawn again at the next report.
func (p *progress) clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
		p.last = time.Time{}
	}
}

// round rounds a duration to the second (to 0.1 s under 10 s).
func round(d time.Duration) time.Duration {
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}

// clearingWriter clears the progress bar before each write.
type clearingWriter struct {
	w io.Writer
	p *progress
}

func (c clearingWriter) Write(b []byte) (int, error) {
	c.p.clear() // nil-safe
	return c.w.Write(b)
}
