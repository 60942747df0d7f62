package shard

import (
	"slices"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/fault"
)

// graph is the joined hops of every shard: the callers in world order,
// the names their roles' trusts give, the allowed hops.
type graph struct {
	all    []*Caller
	byARN  map[string]*Caller
	byName map[string][]int
	edges  map[[2]string]*Edge
}

func newGraph() *graph {
	return &graph{byARN: map[string]*Caller{}, byName: map[string][]int{}, edges: map[[2]string]*Edge{}}
}

func (g *graph) add(a *Audit) {
	for i := range a.Callers {
		g.all = append(g.all, &a.Callers[i])
	}
	for i := range a.Edges {
		e := &a.Edges[i]
		g.edges[[2]string{e.From, e.To}] = e
	}
}

// order sorts the callers into world order (by account id; within an
// account, as its shard listed them) and indexes them.
func (g *graph) order() {
	slices.SortStableFunc(g.all, func(x, y *Caller) int { return strings.Compare(x.Account, y.Account) })
	for i, c := range g.all {
		g.byARN[c.ARN] = c
		for _, n := range c.Names {
			g.byName[n] = append(g.byName[n], i)
		}
	}
}

// search is engine/audit's reverse search for reach into administrator
// roles (reach.go: reverseReach, levelTries, firstAssumable) over the
// joined hops: from the administrator roles, level by level, the callers a
// role's trust may name, each linked to the first role of the level it may
// assume; then one finding per caller linked, naming the administrator
// role its path ends at.
func (g *graph) search(world string, a *Audit) ([]audit.Finding, error) {
	links := map[string]*Edge{}
	var found []*Caller
	var level []string
	for _, c := range g.all {
		if c.Kind == "role" && c.Admin {
			level = append(level, c.ARN)
		}
	}
	for depth := 1; len(level) > 0 && depth <= maxDepth; depth++ {
		tries, order := g.levelTries(level, links)
		level = nil
		for _, c := range order {
			for _, t := range tries[c.ARN] {
				if e, ok := g.edges[[2]string{c.ARN, t}]; ok {
					links[c.ARN] = e
					found = append(found, c)
					if c.Kind == "role" {
						level = append(level, c.ARN)
					}
					break
				}
			}
		}
	}
	var out []audit.Finding
	at := a.Time.UTC().Format(time.RFC3339)
	for _, c := range found {
		var path []Edge
		admin := ""
		for cur := c.ARN; admin == ""; {
			e, ok := links[cur]
			if !ok || len(path) > maxDepth {
				return nil, fault.Errorf(fault.CodeInternal, "merge: reach %s: no link from %s", c.ARN, cur)
			}
			path = append(path, *e)
			if t := g.byARN[e.To]; t != nil && t.Admin {
				admin = e.To
			}
			cur = e.To
		}
		if !c.Excluded {
			out = append(out, reachFinding(c, path, admin, world, at))
		}
	}
	return out, nil
}

// levelTries lists, for each caller not yet linked that a target's trust
// may name, the targets to try in order, and the callers in order of
// first appearance.
func (g *graph) levelTries(targets []string, links map[string]*Edge) (map[string][]string, []*Caller) {
	tries := map[string][]string{}
	var order []*Caller
	for _, t := range targets {
		for _, c := range g.trusted(t) {
			if _, linked := links[c.ARN]; linked || c.Admin || c.ARN == t {
				continue
			}
			if _, ok := tries[c.ARN]; !ok {
				order = append(order, c)
			}
			tries[c.ARN] = append(tries[c.ARN], t)
		}
	}
	return tries, order
}

// trusted lists, in world order, the callers the role's trust may name.
func (g *graph) trusted(role string) []*Caller {
	r := g.byARN[role]
	if r == nil || r.NoTrust {
		return nil
	}
	if r.Open {
		return g.all
	}
	var idx []int
	for _, n := range r.Trust {
		idx = append(idx, g.byName[n]...)
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	out := make([]*Caller, len(idx))
	for i, j := range idx {
		out[i] = g.all[j]
	}
	return out
}
