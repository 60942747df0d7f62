package scenario

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/clearance-dev/clearance/loader/export"
	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// A scenario world may come from exports, alone or beside inline accounts:
//
//	world:
//	  export:
//	    iam: [auth-a.json, auth-b.json]   # aws iam get-account-authorization-details, read as one
//	    aws_managed: aws-managed-policies.json  # optional: iam-dataset, fills in AWS managed policies
//	    resources: [bundle.json, collect-dir]   # resource policies (see export_resources.go)
//	    organization: org-dir               # or a bundle file (see export_org.go)
//
// Paths are relative to the scenario file. An account an IAM export
// describes must not also be declared inline; resources and the
// organization's facts (OU path, SCPs, RCPs) are added to the accounts of
// the world, inline or exported, and a fact the export contradicts is an
// error. Accounts of the world that the organization export does not list
// are outside the organization (reported in World.Warnings).

type exportSpec struct {
	iam, resources  []*tree.Node
	org, awsManaged *tree.Node
	rd              *files.Reader // what the world may read
}

// decodeExport loads the exports a world names into it.
func decodeExport(n *tree.Node, w *world.World, rd *files.Reader) error {
	spec, err := readExportSpec(n)
	if err != nil {
		return err
	}
	spec.rd = rd
	for _, p := range append(append(spec.iam, spec.resources...), spec.org, spec.awsManaged) {
		if p != nil {
			w.Sources = append(w.Sources, relative(p))
		}
	}
	if err := addExportedIAM(w, spec); err != nil {
		return err
	}
	if err := addExportedResources(w, spec); err != nil {
		return err
	}
	if spec.org == nil {
		return nil
	}
	if w.Organization != nil {
		return tree.NodeError(spec.org, "duplicate", "export: organization: the world also declares an organization inline; keep one")
	}
	return addExportedOrg(w, spec)
}

func readExportSpec(n *tree.Node) (*exportSpec, error) {
	o, err := tree.OpenObject(n, "iam", "resources", "organization", "aws_managed")
	if err != nil {
		return nil, err
	}
	s := &exportSpec{org: o.Get("organization"), awsManaged: o.Get("aws_managed")}
	if s.iam, err = pathNodes(o, "iam"); err != nil {
		return nil, err
	}
	if s.resources, err = pathNodes(o, "resources"); err != nil {
		return nil, err
	}
	for _, p := range []*tree.Node{s.org, s.awsManaged} {
		if p != nil && p.Kind != tree.String {
			return nil, tree.NodeError(p, "wrong_type", "expected a path (relative to the scenario file)")
		}
	}
	if len(s.iam)+len(s.resources) == 0 && s.org == nil {
		return nil, tree.NodeError(n, "missing_element", "export: expected iam (aws iam get-account-authorization-details files), "+
			"resources (bundles or collect directories) and/or organization (an aws organizations export)")
	}
	if s.awsManaged != nil && len(s.iam) == 0 {
		return nil, tree.NodeError(s.awsManaged, "missing_element", "aws_managed fills in IAM exports; give iam too")
	}
	return s, nil
}

// pathNodes reads a path or a list of paths.
func pathNodes(o *tree.ObjReader, key string) ([]*tree.Node, error) {
	v := o.Get(key)
	switch {
	case v == nil || v.Kind == tree.Null:
		return nil, nil
	case v.Kind == tree.String:
		return []*tree.Node{v}, nil
	case v.Kind != tree.Array:
		return nil, tree.NodeError(v, "wrong_type", "%s: expected a list of paths", key)
	}
	for _, it := range v.Items {
		if it.Kind != tree.String {
			return nil, tree.NodeError(it, "wrong_type", "%s: expected a path", key)
		}
	}
	return v.Items, nil
}

// relative resolves a path node against the scenario file's directory.
func relative(n *tree.Node) string {
	if filepath.IsAbs(n.Str) {
		return n.Str
	}
	return filepath.Join(filepath.Dir(n.File), n.Str)
}

// exportError places an export's error at the path naming it (a path
// named on the command line has no place but itself).
func exportError(n *tree.Node, what string, err error) error {
	if n.File == "" {
		return fmt.Errorf("%s export %s: %w", what, n.Str, err)
	}
	return fmt.Errorf("%s:%d:%d: %s: export %s %s: %w", n.File, n.Line, n.Col, n.Path(), what, n.Str, err)
}

// addExportedIAM reads the IAM exports as one and adds their accounts.
func addExportedIAM(w *world.World, s *exportSpec) error {
	if len(s.iam) == 0 {
		return nil
	}
	paths := make([]string, len(s.iam))
	for i, p := range s.iam {
		paths[i] = relative(p)
	}
	x, err := export.LoadIAMExportFiles(s.rd, paths...)
	var missing *export.MissingPoliciesError
	if s.awsManaged != nil {
		c, lerr := export.LoadAWSManagedPolicies(s.rd, relative(s.awsManaged))
		if lerr != nil {
			return exportError(s.awsManaged, "aws_managed", lerr)
		}
		w.AWSManaged = c.Policy // what a change attaches later is read from it too
		if errors.As(err, &missing) {
			var filled []string
			filled, err = x.FillAWSManaged(c)
			w.Warnings = append(w.Warnings, filled...)
		}
	}
	if err != nil {
		if errors.As(err, &missing) && s.awsManaged == nil {
			hint := "export.aws_managed: iam-dataset's aws-managed-policies.json fills in AWS managed ones"
			if s.iam[0].File == "" {
				hint = "name iam-dataset's aws-managed-policies.json as an input too: it fills in AWS managed ones"
			}
			err = fmt.Errorf("%w (%s)", err, hint)
		}
		return exportError(s.iam[0], "iam", err)
	}
	return addAccounts(w, x.Accounts, s.iam[0])
}

// addAccounts adds exported accounts; one the world already has is an
// error.
func addAccounts(w *world.World, accounts []*world.Account, at *tree.Node) error {
	seen := map[string]bool{}
	for _, a := range w.Accounts {
		seen[a.ID] = true
	}
	for _, a := range accounts {
		if seen[a.ID] {
			return tree.NodeError(at, "duplicate", "export: account %s is also declared inline", a.ID)
		}
		w.Accounts = append(w.Accounts, a)
	}
	return nil
}

// addExportedResources puts each exported resource in its account,
// declaring accounts the world does not have yet. A resource the world
// already has (inline or from another export) is an error.
func addExportedResources(w *world.World, s *exportSpec) error {
	byID, have := map[string]*world.Account{}, map[string]bool{}
	for _, a := range w.Accounts {
		byID[a.ID] = a
		for _, r := range a.Resources {
			have[r.ARN] = true
		}
	}
	for _, p := range s.resources {
		x, err := export.LoadResourcePolicies(s.rd, relative(p))
		if err != nil {
			return exportError(p, "resources", err)
		}
		w.Warnings = append(w.Warnings, x.Warnings...)
		for _, r := range x.Resources {
			if have[r.ARN] {
				return tree.NodeError(p, "duplicate", "export resources %s: %s is already in the world", p.Str, r.ARN)
			}
			have[r.ARN] = true
			a, ok := byID[r.Account]
			if !ok {
				a = &world.Account{ID: r.Account}
				byID[r.Account] = a
				w.Accounts = append(w.Accounts, a)
			}
			a.Resources = append(a.Resources, r)
		}
	}
	return nil
}

// addExportedOrg sets the organization and places the world's accounts in
// it; accounts it does not list are outside the organization.
func addExportedOrg(w *world.World, s *exportSpec) error {
	at := s.org
	x, err := export.LoadOrgExport(s.rd, relative(at))
	if err != nil {
		return exportError(at, "organization", err)
	}
	w.Organization = x.Organization
	w.Warnings = append(w.Warnings, x.Warnings...)
	listed := map[string]*world.Account{}
	for _, a := range x.Accounts {
		listed[a.ID] = a
	}
	for _, a := range w.Accounts {
		la, ok := listed[a.ID]
		if !ok {
			outside(w, a)
			continue
		}
		delete(listed, a.ID)
		if err := mergeOrgFacts(a, la); err != nil {
			return tree.NodeError(at, "conflicting_elements", "export organization %s: %v", at.Str, err)
		}
	}
	for _, a := range x.Accounts {
		if _, ok := listed[a.ID]; ok {
			w.Accounts = append(w.Accounts, a)
		}
	}
	return nil
}

func outside(w *world.World, a *world.Account) {
	if !a.OutsideOrg {
		a.OutsideOrg = true
		w.Warnings = append(w.Warnings, fmt.Sprintf("account %s is not in the organization export: treated as outside the organization", a.ID))
	}
}

// mergeOrgFacts gives an account of the world what the organization
// export says of it; what the world already says must agree.
func mergeOrgFacts(a, la *world.Account) error {
	switch {
	case a.OutsideOrg:
		return fmt.Errorf("account %s is declared outside_org but the organization lists it", a.ID)
	case a.OrgPath != "" && a.OrgPath != la.OrgPath:
		return fmt.Errorf("account %s: org_path %q, but the organization places it at %q", a.ID, a.OrgPath, la.OrgPath)
	case len(a.SCPs) > 0 && !slices.Equal(a.SCPs, la.SCPs):
		return fmt.Errorf("account %s: scps %v, but the organization attaches %v", a.ID, a.SCPs, la.SCPs)
	case len(a.RCPs) > 0 && !slices.Equal(a.RCPs, la.RCPs):
		return fmt.Errorf("account %s: rcps %v, but the organization attaches %v", a.ID, a.RCPs, la.RCPs)
	}
	if a.Name == "" {
		a.Name = la.Name
	}
	a.OrgPath, a.SCPs, a.RCPs = la.OrgPath, la.SCPs, la.RCPs
	return nil
}
