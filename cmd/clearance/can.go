package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/engine/sts"
)

func runCan(args []string, stdout, _ io.Writer) error {
	fs := newFlags("can", "can --world FILE (PRINCIPAL | --as ARN --step ... | --chain FILE) [flags]", stdout)
	world := fs.String("world", "", "scenario file whose world to load (YAML or JSON)")
	chainOfFlags := chainFlags(fs)
	ctxPairs := fs.StringArray("context", nil, "context key=value every request carries")
	output := fs.String("output", "text", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	chain, err := chainOfFlags()
	if err != nil {
		return usageError{err}
	}
	if *world == "" || (chain == nil) == (fs.NArg() != 1) {
		fs.Usage()
		return usageError{fmt.Errorf("--world and either PRINCIPAL or a chain are required")}
	}
	req := &engine.Request{}
	if req.Context, err = parseContext(*ctxPairs); err != nil {
		return usageError{err}
	}
	ctx := context.Background()
	_, e, err := openWorld(ctx, *world)
	if err != nil {
		return err
	}
	if chain != nil {
		ans, err := sts.New(e).Ask(ctx, &sts.Question{Chain: chain})
		if err != nil {
			return err
		}
		res := ans.Chain
		if res.Final == nil {
			render.WriteChain(stdout, res)
			return nil
		}
		req.Session, req.Time = res.Final, res.Final.Issued
	} else {
		req.Principal = fs.Arg(0)
	}
	eff, err := query.New(e).Can(ctx, req)
	if err != nil {
		return err
	}
	if *output == "json" {
		return writeJSON(stdout, eff)
	}
	writeEffective(stdout, eff)
	return nil
}

// writeEffective summarizes by service and access level, with the
// resources and the condition keys that bound the grants.
func writeEffective(w io.Writer, eff *query.Effective) {
	type group struct {
		actions          map[string]bool
		resources, conds map[string]bool
	}
	groups := map[string]*group{}
	for _, p := range eff.Permissions {
		k := p.Service + "\x00" + p.Access
		g := groups[k]
		if g == nil {
			g = &group{map[string]bool{}, map[string]bool{}, map[string]bool{}}
			groups[k] = g
		}
		g.actions[p.Action], g.resources[p.Resource] = true, true
		for _, c := range p.Conditions {
			g.conds[c] = true
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(w, "%s can:\n", eff.Principal)
	for _, k := range keys {
		svc, access, _ := strings.Cut(k, "\x00")
		g := groups[k]
		fmt.Fprintf(w, "  %-20s %-24s %4d actions on %s\n", svc, access, len(g.actions), list(g.resources, 3))
		if len(g.conds) > 0 {
			fmt.Fprintf(w, "  %-20s %-24s      only when: %s\n", "", "", list(g.conds, 6))
		}
	}
	if len(eff.Unknown) > 0 {
		fmt.Fprintf(w, "  actions the catalog does not know: %s\n", strings.Join(eff.Unknown, ", "))
	}
	fmt.Fprintf(w, "%d permissions from %d (action, resource) pairs decided\n", len(eff.Permissions), eff.Checked)
}

func list(set map[string]bool, max int) string {
	items := make([]string, 0, len(set))
	for k := range set {
		items = append(items, k)
	}
	sort.Strings(items)
	if len(items) > max {
		return strings.Join(items[:max], ", ") + fmt.Sprintf(" and %d more", len(items)-max)
	}
	return strings.Join(items, ", ")
}
