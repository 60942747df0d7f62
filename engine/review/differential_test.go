package review

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/world"
)

// genWorld is a small world the differential test changes at random:
// users u0..u2, roles r0..r2, the group g, the managed policy m, the
// bucket data.
type genWorld struct {
	inline  map[string]string // "user/u0" or "role/r0" -> document ("" none)
	trust   map[string]string // role -> trust document
	members []string          // users of g
	managed string            // m's document
	attach  []string          // "user/u0", "role/r1", "group/g" holding m
	bucket  string            // data's policy ("" none)
}

var (
	genActions   = []string{"s3:GetObject", "s3:PutObject", "s3:*", "sqs:SendMessage", "iam:PassRole", "sts:AssumeRole"}
	genResources = []string{"arn:aws:s3:::data/*", "*", "arn:aws:sqs:us-east-1:111122223333:q", "arn:aws:iam::111122223333:role/r0"}
	genPrincipal = []string{`"*"`, `{AWS: "arn:aws:iam::111122223333:root"}`, `{AWS: "arn:aws:iam::111122223333:role/r1"}`,
		`{AWS: "arn:aws:iam::111122223333:user/u2"}`, `{AWS: "arn:aws:iam::444455556666:root"}`}
)

func genStatement(rng *rand.Rand, principal bool) string {
	effect := "Allow"
	if rng.Intn(4) == 0 {
		effect = "Deny"
	}
	p := ""
	if principal {
		p = "Principal: " + genPrincipal[rng.Intn(len(genPrincipal))] + ", "
	}
	return fmt.Sprintf(`{Effect: %s, %sAction: %q, Resource: %q}`, effect, p, genActions[rng.Intn(len(genActions))], genResources[rng.Intn(len(genResources))])
}

func genDoc(rng *rand.Rand, principal bool) string {
	var sts []string
	for i := 0; i <= rng.Intn(2); i++ {
		sts = append(sts, genStatement(rng, principal))
	}
	return `{Version: "2012-10-17", Statement: [` + strings.Join(sts, ", ") + `]}`
}

func genTrust(rng *rand.Rand) string {
	p := []string{`{Service: ec2.amazonaws.com}`, `{AWS: "arn:aws:iam::111122223333:root"}`, `{AWS: "arn:aws:iam::111122223333:user/u0"}`, `{AWS: "arn:aws:iam::444455556666:root"}`}[rng.Intn(4)]
	return `{Version: "2012-10-17", Statement: [{Effect: Allow, Principal: ` + p + `, Action: sts:AssumeRole}]}`
}

func newGenWorld(rng *rand.Rand) *genWorld {
	g := &genWorld{inline: map[string]string{}, trust: map[string]string{}, managed: genDoc(rng, false),
		members: []string{"u1"}, attach: []string{"role/r1", "group/g"}, bucket: genDoc(rng, true)}
	for i := 0; i < 3; i++ {
		g.inline[fmt.Sprintf("user/u%d", i)] = genDoc(rng, false)
		g.inline[fmt.Sprintf("role/r%d", i)] = genDoc(rng, false)
		g.trust[fmt.Sprintf("r%d", i)] = genTrust(rng)
	}
	return g
}

func (g *genWorld) clone() *genWorld {
	c := *g
	c.inline, c.trust = map[string]string{}, map[string]string{}
	for k, v := range g.inline {
		c.inline[k] = v
	}
	for k, v := range g.trust {
		c.trust[k] = v
	}
	c.members, c.attach = append([]string(nil), g.members...), append([]string(nil), g.attach...)
	return &c
}

func (g *genWorld) yaml() string {
	var sb strings.Builder
	held := func(who string) string {
		for _, a := range g.attach {
			if a == who {
				return "    managed_policies: [arn:aws:iam::111122223333:policy/m]\n"
			}
		}
		return ""
	}
	inline := func(who string) string {
		if d := g.inline[who]; d != "" {
			return "    policies:\n      - name: p\n        document: " + d + "\n"
		}
		return ""
	}
	sb.WriteString("users:\n")
	for i := 0; i < 3; i++ {
		u := fmt.Sprintf("u%d", i)
		sb.WriteString("  - name: " + u + "\n" + held("user/"+u) + inline("user/"+u))
		for _, m := range g.members {
			if m == u {
				sb.WriteString("    groups: [g]\n")
			}
		}
	}
	sb.WriteString("groups:\n  - name: g\n" + held("group/g"))
	sb.WriteString("managed_policies:\n  - name: m\n    document: " + g.managed + "\n")
	sb.WriteString("roles:\n")
	for i := 0; i < 3; i++ {
		r := fmt.Sprintf("r%d", i)
		sb.WriteString("  - name: " + r + "\n    trust: " + g.trust[r] + "\n" + held("role/"+r) + inline("role/"+r))
	}
	sb.WriteString("resources:\n  - arn: arn:aws:s3:::data\n")
	if g.bucket != "" {
		sb.WriteString("    policy: " + g.bucket + "\n")
	}
	return sb.String()
}

// mutate changes the world at random and returns the builders of the
// Edits that say so (run on the world after).
func (g *genWorld) mutate(rng *rand.Rand) []func(*testing.T, *world.World) change.Edit {
	var out []func(*testing.T, *world.World) change.Edit
	for n := 0; n <= rng.Intn(3); n++ {
		switch rng.Intn(6) {
		case 0, 1:
			who := []string{"user/u0", "user/u1", "user/u2", "role/r0", "role/r1", "role/r2"}[rng.Intn(6)]
			kind, name, _ := strings.Cut(who, "/")
			if rng.Intn(4) == 0 {
				g.inline[who] = ""
				out = append(out, func(*testing.T, *world.World) change.Edit {
					return change.Edit{Op: change.Delete, Kind: change.InlinePolicy, Owner: &change.Owner{Kind: change.Kind(kind), Name: name}, Name: "p", At: src(who)}
				})
				continue
			}
			g.inline[who] = genDoc(rng, false)
			out = append(out, func(t *testing.T, w *world.World) change.Edit { return putInline(t, w, change.Kind(kind), name, "p") })
		case 2:
			g.managed = genDoc(rng, false)
			out = append(out, func(t *testing.T, w *world.World) change.Edit {
				m := account(w, acct).ManagedPolicies[0]
				return change.Edit{Op: change.Put, Kind: change.ManagedPolicy, Name: "m", Policy: m.Policy, At: src("m")}
			})
		case 3:
			g.bucket = genDoc(rng, true)
			out = append(out, func(t *testing.T, w *world.World) change.Edit { return putResource(t, w, "arn:aws:s3:::data") })
		case 4:
			r := fmt.Sprintf("r%d", rng.Intn(3))
			g.trust[r] = genTrust(rng)
			out = append(out, func(t *testing.T, w *world.World) change.Edit { return putRole(t, w, r) })
		case 5:
			g.members = append(g.members, "u2")
			g.attach = append(g.attach, "user/u0")
			out = append(out,
				func(*testing.T, *world.World) change.Edit {
					return change.Edit{Op: change.Put, Kind: change.Membership, Owner: &change.Owner{Kind: change.User, Name: "u2"}, Group: "g", At: src("u2.g")}
				},
				func(*testing.T, *world.World) change.Edit {
					return change.Edit{Op: change.Put, Kind: change.Attachment, Owner: &change.Owner{Kind: change.User, Name: "u0"},
						PolicyARN: "arn:aws:iam::111122223333:policy/m", At: src("u0.m")}
				})
		}
	}
	return out
}

// TestDifferential reviews random changes of small worlds twice, scoped
// (what Run does) and unscoped (every principal asked every question),
// and requires the same findings of added and removed access, the
// audits' among them; and decides every added and
// removed finding's request directly on both worlds: allowed after and
// not before for added access, the reverse for removed.
func TestDifferential(t *testing.T) {
	rounds := 16
	if testing.Short() {
		rounds = 5
	}
	other := "    - id: \"444455556666\"\n      users:\n        - name: ext\n          policies:\n            - name: p\n              document: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: [\"s3:*\", \"sts:AssumeRole\"], Resource: \"*\"}]}\n"
	checked := 0
	for seed := int64(1); seed <= int64(rounds); seed++ {
		rng := rand.New(rand.NewSource(seed))
		g := newGenWorld(rng)
		h := g.clone()
		builders := h.mutate(rng)
		before := load(t, "before.yaml", worldYAML(g.yaml())+other)
		after := load(t, "after.yaml", worldYAML(h.yaml())+other)
		var edits []change.Edit
		for _, b := range builders {
			edits = append(edits, b(t, after))
		}
		set := setOf(edits...)
		scoped := runReview(t, before, after, set, Options{}, false)
		full := runReview(t, before, after, set, Options{}, true)
		if s, f := accessKeys(scoped), accessKeys(full); s != f {
			t.Errorf("seed %d: scoped and unscoped differ:\nscoped:\n%s\nunscoped:\n%s\nbefore:\n%s\nafter:\n%s", seed, s, f, g.yaml(), h.yaml())
		}
		checked += decideFindings(t, seed, before, after, scoped)
	}
	if checked == 0 {
		t.Fatal("no added or removed access in any round: the test checks nothing")
	}
	t.Logf("%d access findings decided directly", checked)
}

func accessKeys(rep *Report) string {
	var keys []string
	for _, f := range rep.Findings {
		if f.Change == Added || f.Change == Removed { // the audits' findings too
			keys = append(keys, f.Change+" "+f.Rule+" "+f.Principal+" "+f.Action+" "+f.Resource)
		}
	}
	sort.Strings(keys)
	return strings.Join(keys, "\n")
}

// decideFindings decides each access finding's probe on both worlds.
func decideFindings(t *testing.T, seed int64, before, after *world.World, rep *Report) int {
	ctx := context.Background()
	b, err := open(ctx, before, "before")
	if err != nil {
		t.Fatal(err)
	}
	a, err := open(ctx, after, "after")
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Time: T0(), Context: testContext}
	n := 0
	for _, f := range rep.Findings {
		if f.Probe == nil || f.Change != Added && f.Change != Removed {
			continue
		}
		was, now := allowed(ctx, b.e, f.Probe.request(opts)), allowed(ctx, a.e, f.Probe.request(opts))
		if want := f.Change == Added; now != want || was == want {
			t.Errorf("seed %d: %s %s %s %s: decided directly, allowed before %v and after %v", seed, f.Change, f.Principal, f.Action, f.Resource, was, now)
		}
		n++
	}
	return n
}

func allowed(ctx context.Context, e *engine.Engine, req *engine.Request) bool {
	d, err := e.Decide(ctx, req)
	return err == nil && d.Decision == engine.Allow
}
