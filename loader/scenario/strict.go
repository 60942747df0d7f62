package scenario

import (
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// The world's strict checks, each at the line that breaks it: ARNs by
// their service's format (world.CheckARN), IAM names and paths by IAM's
// rules, names unique per account regardless of case, and where each
// reference is written, so that one the store cannot resolve is reported
// there.

// strNodes returns the string nodes of a member written as one string or
// a list of strings (o.Strs has checked the types).
func strNodes(n *tree.Node) []*tree.Node {
	switch {
	case n == nil:
		return nil
	case n.Kind == tree.Array:
		return n.Items
	case n.Kind == tree.Null:
		return nil
	}
	return []*tree.Node{n}
}

// checkARNs checks the ARNs under each key: every one must name one
// resource in its service's format. With onlyARNs, a value that does not
// start with "arn:" is left alone (a principal may be "anonymous" or a
// service, a provider an OIDC host).
func checkARNs(o *tree.ObjReader, onlyARNs bool, keys ...string) error {
	for _, k := range keys {
		for _, n := range strNodes(o.Get(k)) {
			if n.Kind != tree.String && n.Kind != tree.Number || onlyARNs && !strings.HasPrefix(n.Str, "arn:") {
				continue
			}
			if err := world.CheckConcreteARN(n.Str); err != nil {
				return tree.NodeError(n, tree.CodeInvalidARN, "%s: %v", k, err)
			}
		}
	}
	return nil
}

// recordRefs notes where each reference under key is written.
func recordRefs(o *tree.ObjReader, key, kind string, refs *world.Refs) {
	for _, n := range strNodes(o.Get(key)) {
		refs.Add(kind, n.Str, n.Loc())
	}
}

// iamName reads the required name of an IAM entity of a kind and checks
// it by IAM's rules; it returns where the name is written.
func iamName(o *tree.ObjReader, kind string) (string, tree.Loc, error) {
	name, err := o.Str("name", true)
	if err != nil {
		return "", tree.Loc{}, err
	}
	if err := world.CheckName(kind, name); err != nil {
		return "", tree.Loc{}, o.Errorf("name", tree.CodeInvalidName, "name: %v", err)
	}
	return name, o.Get("name").Loc(), nil
}

// iamPath reads an IAM path: / when absent, else / or /.../.
func iamPath(o *tree.ObjReader) (string, error) {
	path, err := o.Str("path", false)
	if err != nil || path == "" {
		return "/", err
	}
	if err := world.CheckPath(path); err != nil {
		return "", o.Errorf("path", tree.CodeInvalidName, "%v", err)
	}
	return path, nil
}

// entityRefs reads the managed policies and boundary an IAM entity
// names (ARNs, checked) and notes where each is written.
func entityRefs(o *tree.ObjReader, refs *world.Refs) (managed []string, boundary string, err error) {
	if err = checkARNs(o, false, "managed_policies", "boundary"); err != nil {
		return nil, "", err
	}
	if managed, err = o.Strs("managed_policies"); err != nil {
		return nil, "", err
	}
	if boundary, err = o.Str("boundary", false); err != nil {
		return nil, "", err
	}
	recordRefs(o, "managed_policies", world.RefManaged, refs)
	recordRefs(o, "boundary", world.RefBoundary, refs)
	return managed, boundary, nil
}

// policyARN checks a managed policy's arn: an IAM policy ARN of the
// account, or an AWS managed one (arn:aws:iam::aws:policy/...), whose
// name is the ARN's last segment.
func policyARN(o *tree.ObjReader, account string, mp *world.ManagedPolicy) error {
	if err := checkARNs(o, false, "arn"); err != nil {
		return err
	}
	a, _ := pattern.SplitARN(mp.ARN)
	switch {
	case a.Service != "iam" || !strings.HasPrefix(a.Resource, "policy/"):
		return o.Errorf("arn", tree.CodeInvalidARN, "arn: %s is not a managed policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)", mp.ARN)
	case a.Account != account && a.Account != world.AWSAccount:
		return o.Errorf("arn", tree.CodeInvalidARN, "arn: %s is in account %s, not %s, which declares it", mp.ARN, a.Account, account)
	case !strings.HasSuffix(a.Resource, "/"+mp.Name):
		return o.Errorf("arn", tree.CodeInvalidARN, "arn: %s does not end with the policy's name %q", mp.ARN, mp.Name)
	}
	if a.Account == world.AWSAccount {
		mp.Account = world.AWSAccount
	}
	return nil
}

// checkRequest checks what a check's request names: ARNs in their
// service's format, one concrete resource for its action (world.
// RequestResource, CheckStar), context values that fit their keys' types.
func checkRequest(o *tree.ObjReader, c *Check) error {
	if err := checkARNs(o, true, "principal"); err != nil {
		return err
	}
	if err := checkARNs(o, false, "federated_by"); err != nil {
		return err
	}
	if rn := o.Get("resource"); rn != nil && c.Action != "" {
		_, err := world.RequestResource(c.Resource)
		if err == nil && c.Resource == "*" {
			err = world.CheckStar(c.Action)
		}
		if err != nil {
			return tree.NodeError(rn, tree.CodeInvalidResource, "resource: %v", err)
		}
	}
	return checkContext(o.Get("context"))
}

// checkContext checks each context value against its key's type, at the
// value (a list's element) that does not fit.
func checkContext(n *tree.Node) error {
	if n == nil || n.Kind != tree.Object {
		return nil
	}
	for i, k := range n.Keys {
		for _, v := range strNodes(n.Vals[i]) {
			if err := world.CheckContextValue(k, v.Interface()); err != nil {
				return tree.NodeError(v, tree.CodeInvalidValue, "%v", err)
			}
		}
	}
	return nil
}

// uniqueIDs refuses a resource ARN or a VPC endpoint id that the world's
// accounts declare twice: the store would keep one of them.
func uniqueIDs(accounts []*tree.Node) error {
	seen := map[string]*tree.Node{}
	for _, an := range accounts {
		for _, f := range []struct{ list, key, what string }{{"resources", "arn", "resource"}, {"vpc_endpoints", "id", "VPC endpoint"}} {
			for _, it := range strNodes(an.Get(f.list)) {
				v := it.Get(f.key)
				if v == nil {
					continue
				}
				if prev, dup := seen[f.list+"\x00"+v.Str]; dup {
					return tree.NodeError(v, tree.CodeDuplicate, "%s %s is declared twice (first at %s)", f.what, v.Str, prev.Loc())
				}
				seen[f.list+"\x00"+v.Str] = v
			}
		}
	}
	return nil
}

// uniqueName refuses a second policy of one name in a list (inline
// policies of an entity, SCPs and RCPs of the organization).
func uniqueName(seen map[string]*tree.Node, key string, at *tree.Node, what, name string) error {
	if prev, dup := seen[key]; dup {
		return tree.NodeError(at, tree.CodeDuplicate, "a second %s named %q (first at %s)", what, name, prev.Loc())
	}
	seen[key] = at
	return nil
}
