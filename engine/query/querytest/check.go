package querytest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// Result counts what a check compared.
type Result struct {
	Principals, Pairs, Decisions int
	// Grants are who-can's grants compared (Patterns and Federated among
	// them); Allowed the brute force's allowed (principal, pair)s.
	Grants, Patterns, Federated, Allowed int
	// NamePatterns are the federated-user name patterns (app-*) among the
	// Patterns; UserIDs the grants to sessions named through aws:userid
	// (uid-*, app-*, app-blocked, home-*: querytest's userids.go).
	NamePatterns, UserIDs int
	// Permissions are can's permissions re-decided, Excepts their
	// exceptions re-decided.
	Permissions, Excepts int
	// Intersections are the exceptions that are the intersection of two
	// patterns overlapping without nesting (gen-*/*.txt and
	// gen-*/private/* meet in private/*.txt), re-decided like the others.
	Intersections int
	// Brute, WhoCan and Can are the time each part took.
	Brute, WhoCan, Can time.Duration
}

// maxErrors bounds the differences reported per question.
const maxErrors = 5

// Check opens an engine over the world, decides every pair for every
// principal by brute force and compares who-can (every pair) and can
// (every principal) with it; differences fail t. A failing world is
// written to a file named in the log.
func Check(t testing.TB, w *World) Result {
	t.Helper()
	sc, err := scenario.ParseScenario(fmt.Sprintf("generated-%d.json", w.Seed), w.Scenario)
	e := enginetest.OpenParsed(t, sc, err)
	start := time.Now()
	m := bruteForce(t, e, w, w.pairs(t, w.actions(t)))
	res := Result{Principals: len(m.principals), Pairs: len(m.pairs), Decisions: len(m.principals) * len(m.pairs)}
	res.Brute, start = time.Since(start), time.Now()
	checkWhoCan(t, e, w, m, &res)
	res.WhoCan, start = time.Since(start), time.Now()
	checkCan(t, e, w, m, &res)
	res.Can = time.Since(start)
	if t.Failed() {
		path := filepath.Join(os.TempDir(), fmt.Sprintf("clearance-generated-%d.json", w.Seed))
		if err := os.WriteFile(path, w.Scenario, 0o644); err == nil {
			t.Logf("the world of seed %d is in %s", w.Seed, path)
		}
	}
	return res
}

// grantKey names a grant: its principal, pattern, maker and exceptions.
func grantKey(shown, pattern, by string, except []string) string {
	return fmt.Sprintf("%s [%s] by %s except %v", shown, pattern, by, except)
}

// expected is what who-can must answer for the j-th pair: grant keys with
// the brute force's decision. A federated-user name pattern of a maker
// stands in only when the maker may not make the unnamed member of "*".
func (m *matrix) expected(w *World, j int) map[string]*engine.Decision {
	out := map[string]*engine.Decision{}
	for i, p := range m.principals {
		if m.dec[i][j].Decision != engine.Allow || p.federatedBy != "" && !m.makes[i] || !m.listed(i, j) {
			continue
		}
		if p.federatedBy != "" && p.pattern != "" && !strings.HasSuffix(p.shown, "/*") && m.makesGeneric(p) {
			continue
		}
		out[grantKey(p.shown, p.pattern, p.federatedBy, m.except(i, j))] = m.dec[i][j]
	}
	return out
}

// except lists, for the i-th principal when it stands for a pattern, the
// named members of its set the j-th pair is refused for (federated users
// only those its maker may make).
func (m *matrix) except(i, j int) []string {
	p := m.principals[i]
	if p.pattern == "" {
		return nil
	}
	var out []string
	for k, n := range m.principals {
		// A session-name pattern is a member of its role's any-session
		// pattern.
		namePattern := n.pattern != "" && n.role != "" && n.role == p.role && n.shown != p.shown && strings.HasSuffix(p.shown, "/*")
		if n.pattern != "" && !namePattern || n.federatedBy != p.federatedBy || n.role != p.role || !sameKind(n, p) ||
			accountOf(n.arn) != accountOf(p.arn) || !pattern.Glob(p.shown, n.shown) || !m.listed(k, j) {
			continue
		}
		if m.dec[k][j].Decision != engine.Allow && (n.federatedBy == "" || m.makes[k]) {
			out = append(out, n.shown)
		}
	}
	sort.Strings(out)
	return out
}

// listed reports whether who-can lists the i-th principal for the j-th
// pair: a session only a ${aws:userid} resource names, for that resource.
func (m *matrix) listed(i, j int) bool {
	return m.principals[i].onlyFor == "" || m.principals[i].onlyFor == m.pairs[j].resource
}

// makesGeneric reports whether the maker of a federated principal may
// make the unnamed member of "*".
func (m *matrix) makesGeneric(p principal) bool {
	for k, n := range m.principals {
		if n.federatedBy == p.federatedBy && strings.HasSuffix(n.arn, "/"+unnamedFederated) && accountOf(n.arn) == accountOf(p.arn) {
			return m.makes[k]
		}
	}
	return false
}

// sameKind reports whether two principals are both sessions or both
// federated users (or neither).
func sameKind(a, b principal) bool {
	return strings.Contains(a.arn, ":assumed-role/") == strings.Contains(b.arn, ":assumed-role/") &&
		strings.Contains(a.arn, ":federated-user/") == strings.Contains(b.arn, ":federated-user/")
}

// explained renders what a decision says; for a pattern, without the
// context (which holds the member's name).
func explained(d *engine.Decision, pattern bool) string {
	s := fmt.Sprintf("%s/%s/%s %v %v", d.Decision, d.Stage, d.BlockedBy, d.Matched, d.MissingKeys)
	if !pattern {
		s += fmt.Sprintf(" %v %s", d.Context, d.Principal.ARN)
	}
	return s
}

func checkWhoCan(t testing.TB, e *engine.Engine, w *World, m *matrix, res *Result) {
	named := map[string]bool{}
	for _, list := range [](map[string][]string){w.Sessions, w.Federated} {
		for _, arns := range list {
			for _, a := range arns {
				named[a] = true
			}
		}
	}
	q := query.New(e)
	for j, pr := range m.pairs {
		grants, err := q.WhoCan(context.Background(), query.WhoCanRequest{Action: pr.action, Resource: pr.resource,
			ResourceAccount: w.accountOf(pr.resource, ""), Context: w.Context, Time: enginetest.T0})
		if err != nil {
			t.Fatalf("who-can %s %s: %v", pr.action, pr.resource, err)
		}
		want := m.expected(w, j)
		res.Allowed += len(want)
		compareGrants(t, pr, grants, want, named, res)
	}
}

// compareGrants compares who-can's grants for a pair with the brute
// force's (want, by grant key; what is left of it was missed).
func compareGrants(t testing.TB, pr pair, grants []query.Grant, want map[string]*engine.Decision, named map[string]bool, res *Result) {
	errs := 0
	for _, g := range grants {
		key := grantKey(g.Principal, g.Pattern, g.FederatedBy, g.Except)
		res.count(g)
		if g.Pattern != "" && named[g.Decision.Principal.ARN] {
			t.Errorf("who-can %s %s: the pattern %s was decided for %s, a name a policy names", pr.action, pr.resource, key, g.Decision.Principal.ARN)
		}
		d, ok := want[key]
		delete(want, key)
		switch {
		case !ok && errs < maxErrors:
			errs++
			t.Errorf("who-can %s %s: grants %s, which the brute force does not allow (%s)", pr.action, pr.resource, key, explained(g.Decision, false))
		case ok && explained(d, g.Pattern != "") != explained(g.Decision, g.Pattern != ""):
			t.Errorf("who-can %s %s: %s decided\n  %s\nwhy says\n  %s", pr.action, pr.resource, key,
				explained(g.Decision, g.Pattern != ""), explained(d, g.Pattern != ""))
		}
	}
	for key, d := range want {
		if errs < maxErrors {
			errs++
			t.Errorf("who-can %s %s: misses %s, which why allows (%s)", pr.action, pr.resource, key, explained(d, true))
		}
	}
}

// count adds a grant to the counts.
func (res *Result) count(g query.Grant) {
	res.Grants++
	if g.Pattern != "" {
		res.Patterns++
		if g.FederatedBy != "" && !strings.HasSuffix(g.Principal, "/*") {
			res.NamePatterns++
		}
	}
	if g.FederatedBy != "" {
		res.Federated++
	}
	for _, named := range []string{"/uid-", "/app-", "/home-"} {
		if strings.Contains(g.Principal, named) || slices.ContainsFunc(g.Except, func(e string) bool { return strings.Contains(e, named) }) {
			res.UserIDs++
			break
		}
	}
}

func checkCan(t testing.TB, e *engine.Engine, w *World, m *matrix, res *Result) {
	q := query.New(e)
	for i, p := range m.principals {
		eff, err := q.Can(context.Background(), &engine.Request{Principal: p.arn, FederatedBy: p.federatedBy,
			Context: w.Context, Time: enginetest.T0})
		if err != nil {
			t.Fatalf("can %s (by %s): %v", p.arn, p.federatedBy, err)
		}
		errs := 0
		for j, pr := range m.pairs {
			want := m.dec[i][j].Decision == engine.Allow
			got := Covered(eff, pr.action, pr.resource, w.accountOf(pr.resource, accountOf(p.arn)))
			if got != want && errs < maxErrors {
				errs++
				t.Errorf("can %s (by %s): %s on %s: covered %v, why says %s (%s)\n  permissions for it: %v",
					p.arn, p.federatedBy, pr.action, pr.resource, got, m.dec[i][j].Decision, explained(m.dec[i][j], false),
					relevant(eff, pr.action))
			}
		}
		redecide(t, e, w, p, eff, res)
	}
}

// redecide asks why about every permission of a concrete action on its
// own resource (allowed) and on each of its exceptions (refused).
func redecide(t testing.TB, e *engine.Engine, w *World, p principal, eff *query.Effective, res *Result) {
	for _, perm := range eff.Permissions {
		if strings.Contains(perm.Action, "*") {
			continue
		}
		res.Permissions++
		for k, r := range append([]string{perm.Resource}, perm.Except...) {
			req := &engine.Request{Principal: p.arn, FederatedBy: p.federatedBy, Action: perm.Action, Resource: r,
				ResourceAccount: perm.Account, Context: w.Context, Time: enginetest.T0}
			d, err := e.Decide(context.Background(), req)
			if err != nil {
				t.Fatalf("why %s %s %s: %v", p.arn, perm.Action, r, err)
			}
			if (d.Decision == engine.Allow) != (k == 0) {
				t.Errorf("can %s (by %s): %s on %s (except %v): why says %s on %s", p.arn, p.federatedBy, perm.Action,
					perm.Resource, perm.Except, d.Decision, r)
			}
		}
		res.Excepts += len(perm.Except)
		for _, e := range perm.Except {
			if strings.HasSuffix(e, "/private/*.txt") {
				res.Intersections++
			}
		}
	}
}

// relevant lists the permissions that name the action or a wildcard.
func relevant(eff *query.Effective, action string) []query.Permission {
	var out []query.Permission
	for _, p := range eff.Permissions {
		if strings.EqualFold(p.Action, action) || strings.Contains(p.Action, "*") && !slices.Contains(p.ExceptActions, action) {
			out = append(out, p)
		}
	}
	return out
}
