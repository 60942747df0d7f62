// Command gen derives the privilege-escalation catalog embedded by
// engine/privesc from two public catalogs: pathfinding.cloud's paths
// (Apache-2.0; data/paths/*/*.yaml: id, name, category, required
// permissions) and Pacu's iam__privesc_scan methods (BSD-3-Clause; the
// user and role methods with their required permissions). Facts only; the
// licences are copied beside the output.
//
//	go run ./engine/privesc/gen -pathfinding DIR -pacu DIR -out engine/privesc
//
// It also writes sensitive.json, policy_sentry's audit lists of sensitive
// actions (MIT), with its licence.
//
// `make privesc` runs it on ../shared/conformance.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine/privesc"
	"go.yaml.in/yaml/v3"
)

// Path is the catalog's escalation method, as the engine reads it.
type Path = privesc.Path

func main() {
	pf := flag.String("pathfinding", "../shared/conformance/pathfinding.cloud", "pathfinding.cloud checkout (data/paths, LICENSE)")
	pacu := flag.String("pacu", "../shared/conformance/pacu", "pacu extract (derived/privesc-methods.json, LICENSE)")
	sentry := flag.String("sentry", "../shared/conformance/policy_sentry", "policy_sentry extract (policy_sentry/shared/data/audit/*.txt, LICENSE)")
	dst := flag.String("out", "engine/privesc", "output directory")
	flag.Parse()
	if err := run(*pf, *pacu, *dst); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := sensitive(*sentry, *dst); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(pf, pacu, dst string) error {
	paths, err := pathfinding(pf)
	if err != nil {
		return err
	}
	methods, err := pacuMethods(pacu)
	if err != nil {
		return err
	}
	all := append(paths, methods...)
	b, err := json.MarshalIndent(privesc.Catalog{Sources: []string{
		"pathfinding.cloud data/paths (Apache-2.0, see LICENSE.pathfinding)",
		"Pacu iam__privesc_scan escalation methods (BSD-3-Clause, see LICENSE.pacu)",
	}, Paths: all}, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dst, "paths.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	for src, name := range map[string]string{filepath.Join(pf, "LICENSE"): "LICENSE.pathfinding", filepath.Join(pacu, "LICENSE"): "LICENSE.pacu"} {
		lic, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, name), lic, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func pathfinding(dir string) ([]Path, error) {
	files, err := filepath.Glob(filepath.Join(dir, "data", "paths", "*", "*.yaml"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no path files under %s/data/paths: %v", dir, err)
	}
	sort.Strings(files)
	var out []Path
	for _, f := range files {
		var doc struct {
			ID          string `yaml:"id"`
			Name        string `yaml:"name"`
			Category    string `yaml:"category"`
			Permissions struct {
				Required []struct {
					Permission string `yaml:"permission"`
				} `yaml:"required"`
			} `yaml:"permissions"`
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if err := decodeLenient(b, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		p := Path{ID: doc.ID, Name: doc.Name, Category: doc.Category, Source: "pathfinding.cloud",
			Link: "https://pathfinding.cloud/paths/" + doc.ID}
		for _, r := range doc.Permissions.Required {
			p.Required = append(p.Required, strings.ToLower(r.Permission))
		}
		if len(p.Required) == 0 {
			return nil, fmt.Errorf("%s: no required permissions", f)
		}
		out = append(out, p)
	}
	return out, nil
}

// decodeLenient decodes the fields v names, tolerating duplicate keys
// elsewhere in the document (some path files repeat a key the catalog
// does not use): only the first occurrence of each top-level key is kept.
func decodeLenient(b []byte, v any) error {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return err
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return fmt.Errorf("expected a mapping")
	}
	m := root.Content[0]
	seen := map[string]bool{}
	kept := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i].Value; !seen[k] {
			seen[k] = true
			kept.Content = append(kept.Content, m.Content[i], m.Content[i+1])
		}
	}
	return kept.Decode(v)
}

func pacuMethods(dir string) ([]Path, error) {
	var doc struct {
		User map[string]map[string]bool `json:"user_escalation_methods"`
		Role map[string]map[string]bool `json:"role_escalation_methods"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "derived", "privesc-methods.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	var out []Path
	for kind, methods := range map[string]map[string]map[string]bool{"user": doc.User, "role": doc.Role} {
		for name, perms := range methods {
			// Pacu scans a user with its user methods and a role with its
			// role methods (iam__privesc_scan: user_/role_escalation_methods).
			p := Path{ID: "pacu-" + kind + "-" + name, Name: name, Category: kind, Source: "pacu iam__privesc_scan",
				Principals: []string{kind}}
			for perm, required := range perms {
				if required {
					p.Required = append(p.Required, perm)
				}
			}
			sort.Strings(p.Required)
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// sensitive writes policy_sentry's audit lists (one action a line) as
// sensitive.json, and its licence beside it.
func sensitive(dir, dst string) error {
	out := privesc.SensitiveActions{Source: "policy_sentry shared/data/audit (MIT, see LICENSE.policy_sentry)", Lists: map[string][]string{}}
	for _, name := range []string{privesc.CredentialsExposure, privesc.PrivilegeEscalation, privesc.ResourceExposure} {
		b, err := os.ReadFile(filepath.Join(dir, "policy_sentry", "shared", "data", "audit", name+".txt"))
		if err != nil {
			return err
		}
		var list []string
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.ToLower(strings.TrimSpace(l)); l != "" && !strings.HasPrefix(l, "#") {
				list = append(list, l)
			}
		}
		sort.Strings(list)
		out.Lists[name] = slices.Compact(list)
	}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dst, "sensitive.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	lic, err := os.ReadFile(filepath.Join(dir, "LICENSE"))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dst, "LICENSE.policy_sentry"), lic, 0o644)
}
