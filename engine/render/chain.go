package render

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/explain"
	"github.com/clearance-dev/clearance/engine/sts"
)

// Chain writes a walked chain hop by hop for a person: who called
// what, why it was allowed or refused, and the session it produced.
func Chain(w io.Writer, c *sts.ChainResult) {
	for _, h := range c.Hops {
		fmt.Fprintf(w, "hop %d: %s calls %s", h.Index, h.Caller, h.Op)
		if h.Target != "" {
			fmt.Fprintf(w, " for %s", h.Target)
		}
		fmt.Fprintln(w)
		for _, d := range h.Checks {
			verdict := map[string]string{engine.Allow: "allowed", engine.ExplicitDeny: "explicitly denied", engine.ImplicitDeny: "implicitly denied"}[d.Decision]
			fmt.Fprintf(w, "  %s %s: %s\n", d.Request.Action, verdict, explain.Summary(d))
			for _, t := range engine.PolicyTypes {
				for _, m := range d.Matched[t] {
					fmt.Fprintf(w, "    %-9s %-5s %s\n", t, m.Effect, m)
				}
			}
			if len(d.MissingKeys) > 0 {
				fmt.Fprintf(w, "    conditions needed keys the call lacks: %s\n", strings.Join(d.MissingKeys, ", "))
			}
		}
		for _, n := range h.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
		if h.Refused {
			fmt.Fprintf(w, "  REFUSED: %s\n", h.Reason)
			fmt.Fprintf(w, "chain-refused at hop %d\n", h.Index)
			return
		}
		writeSession(w, h.Session)
	}
}

func writeSession(w io.Writer, s *engine.Session) {
	fmt.Fprintf(w, "  -> session %s (%s, aws:userid %s, %s credentials, expires %s)\n",
		s.ARN, s.Type, s.UserID, credentialName(s.Credential), s.Expires.Format("2006-01-02T15:04:05Z"))
	if len(s.PolicyNames) > 0 {
		fmt.Fprintf(w, "     session policies: %s\n", strings.Join(s.PolicyNames, ", "))
	} else if s.Kind == engine.KindFederated {
		fmt.Fprintln(w, "     no session policy: no permissions except what resource policies grant this federated user")
	}
	if len(s.Tags) > 0 {
		fmt.Fprintf(w, "     session tags: %s\n", pairs(s.Tags))
	}
	if len(s.Transitive) > 0 {
		fmt.Fprintf(w, "     transitive tags: %s\n", pairs(s.Transitive))
	}
	keys := make([]string, 0, len(s.Keys))
	for k := range s.Keys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "     carries %s = %v\n", k, s.Keys[k])
	}
}

func credentialName(c string) string {
	switch c {
	case engine.CredRole:
		return "role session"
	case engine.CredFederation:
		return "GetFederationToken"
	case engine.CredSession:
		return "GetSessionToken"
	}
	return "long-term"
}

func pairs(m map[string]string) string {
	keys := sts.SortedKeys(m)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + m[k]
	}
	return strings.Join(out, ", ")
}
