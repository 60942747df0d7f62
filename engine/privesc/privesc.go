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
