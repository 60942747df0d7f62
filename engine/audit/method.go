package audit

import (
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/engine/privesc"
)

// An escalation method as the audit reports it: the catalogue entries
// (pathfinding.cloud paths, Pacu methods) that need the same permissions
// and describe the principal's kind. Two catalogues describing one method
// make one finding that names both.

// method is the entries of both catalogues that need Required.
type method struct {
	Required []string
	Paths    []privesc.Path
}

// MethodRef names a catalogue entry a finding's method is known by.
type MethodRef struct {
	Catalogue string `json:"catalogue"` // "pathfinding.cloud" or "Pacu"
	ID        string `json:"id"`        // iam-001, pacu-user-CreateNewPolicyVersion
	Name      string `json:"name"`
	Link      string `json:"link"`
}

// methodsFor groups the catalogue's entries that apply to a principal of
// the kind ("user" or "role") by their required permissions, in catalogue
// order. Entries that only assume a role are left to the reach check.
func methodsFor(paths []privesc.Path, kind string) []method {
	var out []method
	at := map[string]int{}
	for _, p := range paths {
		if !p.AppliesTo(kind) || onlyAssumeRole(p) {
			continue
		}
		req := slices.Clone(p.Required)
		slices.Sort(req)
		req = slices.Compact(req)
		key := strings.Join(req, ",")
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			out = append(out, method{Required: p.Required})
		}
		out[i].Paths = append(out[i].Paths, p)
	}
	return out
}

// refs names the method in every catalogue that knows it.
func (m method) refs() []MethodRef {
	out := make([]MethodRef, len(m.Paths))
	for i, p := range m.Paths {
		out[i] = MethodRef{Catalogue: p.Catalogue(), ID: p.ID, Name: p.Name, Link: p.Link}
	}
	return out
}

// label is how a title names the method: the first entry's name, then
// every entry's id, by catalogue.
func (m method) label() string {
	ids := make([]string, len(m.Paths))
	for i, p := range m.Paths {
		if p.Catalogue() == "Pacu" {
			ids[i] = "Pacu " + p.Name
		} else {
			ids[i] = p.Catalogue() + " " + p.ID
		}
	}
	return m.Paths[0].Name + " (" + strings.Join(ids, ", ") + ")"
}

// sources lists each entry's source and link for the finding's detail.
func (m method) sources() string {
	out := make([]string, len(m.Paths))
	for i, p := range m.Paths {
		out[i] = strings.TrimSpace(p.Source + " " + p.ID + " " + p.Link)
	}
	return strings.Join(out, "; ")
}
