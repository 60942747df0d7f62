package main

import (
	"encoding/json"
	"math"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/render"
)

const example = "../../corpus/example/company.yaml"

// Every finding's replay command gives the decision the finding states.
func TestAuditReplays(t *testing.T) {
	code, out, errOut := runCLI("audit", "--format", "json", "--time", "2026-01-01T00:00:00Z", example)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep audit.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	replayed := 0
	for _, f := range rep.Findings {
		for _, ev := range f.Evidence {
			args := shellWords(t, ev.Why)
			if len(args) < 2 || args[0] != "clearance" {
				t.Fatalf("%s: replay %q", f.Title, ev.Why)
			}
			code, out, errOut := runCLI(append(args[1:], "--output", "json")...)
			if code != 0 {
				t.Fatalf("replay %q: exit %d: %s", ev.Why, code, errOut)
			}
			if !strings.Contains(out, `"decision": "`+ev.Decision+`"`) {
				t.Errorf("replay %q does not give %s:\n%.400s", ev.Why, ev.Decision, out)
			}
			replayed++
		}
	}
	if replayed == 0 {
		t.Fatal("no evidence replayed")
	}
}

// shellWords splits a command line with single-quoted words.
func shellWords(t *testing.T, s string) []string {
	var out []string
	var cur strings.Builder
	inQuote, have := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'':
			inQuote, have = !inQuote, true
		case c == ' ' && !inQuote:
			if have {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	if inQuote {
		t.Fatalf("unbalanced quote in %q", s)
	}
	if have {
		out = append(out, cur.String())
	}
	return out
}

// The SARIF report has the 2.1.0 shape (one result per finding, each with
// a rule id, a level and a location); the HTML report holds every finding
// and loads nothing from elsewhere.
func TestAuditFormats(t *testing.T) {
	_, js, _ := runCLI("audit", "--format", "json", example)
	var rep audit.Report
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI("audit", "--format", "sarif", example)
	if code != 0 {
		t.Fatalf("sarif: exit %d: %s", code, errOut)
	}
	var log render.SARIFLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != len(rep.Findings) {
		t.Fatalf("sarif: version %s, %d runs", log.Version, len(log.Runs))
	}
	for _, r := range log.Runs[0].Results {
		if r.RuleID == "" || r.Level == "" || len(r.Locations) == 0 || r.Message.Text == "" {
			t.Errorf("sarif result %+v", r)
		}
	}
	code, out, errOut = runCLI("audit", "--format", "html", example)
	if code != 0 {
		t.Fatalf("html: exit %d: %s", code, errOut)
	}
	start := strings.Index(out, `<script type="application/json" id="data">`)
	end := strings.Index(out[max(start, 0):], "</script>")
	if start < 0 || end < 0 {
		t.Fatal("html: no data")
	}
	var data struct {
		Findings []struct{ Rule, Principal string }
	}
	if err := json.Unmarshal([]byte(out[start+len(`<script type="application/json" id="data">`):start+end]), &data); err != nil {
		t.Fatalf("html: the data is not JSON: %v", err)
	}
	if len(data.Findings) != len(rep.Findings) {
		t.Errorf("html: %d findings for %d", len(data.Findings), len(rep.Findings))
	}
	for _, external := range []string{"<script src", "<link", "url(", "@import"} {
		if strings.Contains(out, external) {
			t.Errorf("html: not self-contained: %s", external)
		}
	}
}

// --memory-limit sets the runtime's soft memory limit; its default gives
// way to GOMEMLIMIT, an explicit flag does not.
func TestAuditMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })
	cases := []struct {
		size, env string
		given     bool
		want      int64 // -1: an error
	}{
		{"7GiB", "", false, 7 << 30},
		{"8GB", "", true, 8_000_000_000},
		{"0", "", true, math.MaxInt64},
		{"lots", "", true, -1},
		{"7GiB", "3GiB", false, 123}, // left as it was
		{"1GiB", "3GiB", true, 1 << 30},
	}
	for _, tc := range cases {
		t.Run(tc.size+"/"+tc.env, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", tc.env)
			debug.SetMemoryLimit(123)
			err := setMemoryLimit(tc.size, tc.given)
			if tc.want == -1 {
				if err == nil || !strings.Contains(err.Error(), "--memory-limit") {
					t.Errorf("error %v, want one naming --memory-limit", err)
				}
				return
			}
			if got := debug.SetMemoryLimit(-1); err != nil || got != tc.want {
				t.Errorf("limit %d (error %v), want %d", got, err, tc.want)
			}
		})
	}
}
