// Package privesc is the catalog of privilege-escalation methods the
// audit matches principals against: pathfinding.cloud's paths
// (Apache-2.0) and Pacu's iam__privesc_scan methods (BSD-3-Clause),
// derived by ./gen (`make privesc`) into paths.json, facts only, with the
// licences beside it.
package privesc

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

//go:embed paths.json
var raw []byte

// Path is one escalation method: a principal allowed every Required
// action can escalate.
type Path struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Category string   `json:"category,omitempty"`
	Source   string   `json:"source"`
	Required []string `json:"required"` // lower-cased actions
	Link     string   `json:"link,omitempty"`
	// Principals are the kinds of principal the method describes ("user",
	// "role"); empty: both. Pacu scans a user with its user methods and a
	// role with its role methods. pathfinding.cloud's paths apply to both:
	// a prerequisite such as iam-005's "Principal must be a role" is that
	// of self-escalation, while the path's description adds that "a
	// principal can also leverage this to escalate the permissions of
	// another principal they can access" (iam-vulnerable's
	// privesc12-PutRolePolicy-user is such a user).
	Principals []string `json:"principals,omitempty"`
}

// AppliesTo reports whether the method describes a principal of the kind
// ("user" or "role").
func (p Path) AppliesTo(kind string) bool {
	return len(p.Principals) == 0 || slices.Contains(p.Principals, kind)
}

// Catalogue names the catalogue a method comes from, as a reader knows it.
func (p Path) Catalogue() string {
	if strings.HasPrefix(p.Source, "pacu") {
		return "Pacu"
	}
	return p.Source
}

// Catalog is the loaded catalog.
type Catalog struct {
	Sources []string `json:"sources"`
	Paths   []Path   `json:"paths"`
}

// Load returns the embedded catalog, decoded once.
var Load = sync.OnceValues(func() (*Catalog, error) {
	var c Catalog
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("privesc catalog: %w", err)
	}
	return &c, nil
})
