package main

import (
	"fmt"
	"io"
	"sort"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/policy"
)

// typoWarner writes on stderr the warnings of why and test about names AWS
// does not have (query.Typos): in the world's policies, and in what a
// question carries (its action, its context keys, its session and chain
// policies). The answer does not change: AWS accepts such policies, and
// such an entry just never matches.
type typoWarner struct {
	w io.Writer
	t *query.Typos // made on first use: the catalog may still be decoding
}

// typos returns the typo finder, once the catalog is loaded.
func (tw *typoWarner) typos() (*query.Typos, error) {
	if tw.t == nil {
		cat, err := catalog.Load()
		if err != nil {
			return nil, fault.Internal(err) // embedded data
		}
		tw.t = query.NewTypos(cat)
	}
	return tw.t, nil
}

// world warns about the typos of the world's policies.
func (tw *typoWarner) world(e *engine.Engine) error {
	ws, err := query.New(e).Typos()
	if err != nil {
		return err
	}
	tw.warnings(ws)
	return nil
}

func (tw *typoWarner) warnings(ws []query.Warning) {
	for _, w := range ws {
		fmt.Fprintf(tw.w, "warning: %s\n", render.WarningText(w))
	}
}

// question warns about what a question carries. at says where its action
// and each context key are written (a flag, or a position in a scenario
// file).
func (tw *typoWarner) question(q *sts.Question, at func(key string) string) error {
	t, err := tw.typos()
	if err != nil {
		return err
	}
	if q.Request.Action != "" {
		if _, msg := t.Action(q.Request.Action); msg != "" {
			fmt.Fprintf(tw.w, "warning: %s: %s\n", at(""), msg)
		}
	}
	keys := make([]string, 0, len(q.Request.Context))
	for k := range q.Request.Context {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, msg := t.ContextKey(k); msg != "" {
			fmt.Fprintf(tw.w, "warning: %s: %s\n", at(k), msg)
		}
	}
	policies := []*policy.Policy{q.Request.SessionPolicy}
	if q.Chain != nil {
		for _, st := range q.Chain.Steps {
			policies = append(policies, st.Policy)
		}
	}
	for _, p := range policies {
		if p != nil {
			tw.warnings(t.Policy(p))
		}
	}
	return nil
}
