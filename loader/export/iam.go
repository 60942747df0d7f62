package export

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// IAM account exports: the output of
// `aws iam get-account-authorization-details` (UserDetailList,
// GroupDetailList, RoleDetailList, Policies), one page or a JSON array of
// pages; several files may be read together (pages saved one per file, or
// the exports of several accounts). Policy documents may be objects or
// URL-encoded JSON strings. The account of each entity comes from its ARN.
//
// A managed policy that an entity references but that no file holds makes
// the export partial: the parse returns everything it read together with a
// *MissingPoliciesError listing them, so that a caller may fill in AWS
// managed policies (FillAWSManaged) or give up; nothing is dropped
// silently.

// IAMExport is what an export file describes, per account.
type IAMExport struct {
	Accounts []*world.Account
	// Versions keeps every version of each managed policy (the default
	// one is the policy in force), by policy ARN.
	Versions map[string][]PolicyVersion
	// Missing lists the managed policies (and boundaries) that entities
	// reference but the export does not hold, sorted.
	Missing []string
}

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	ID      string
	Default bool
	Policy  *policy.Policy
}

// checkPolicyName checks a managed policy's name and path by IAM's rules.
func checkPolicyName(o *tree.ObjReader, mp *world.ManagedPolicy) error {
	mp.At = o.Get("PolicyName").Loc()
	if err := world.CheckName(world.NamePolicy, mp.Name); err != nil {
		return o.Errorf("PolicyName", tree.CodeInvalidName, "PolicyName: %v", err)
	}
	if o.Get("Path") != nil {
		if err := world.CheckPath(mp.Path); err != nil {
			return o.Errorf("Path", tree.CodeInvalidName, "Path: %v", err)
		}
	}
	return nil
}

// LoadIAMExportFile reads an authorization-details export.
func LoadIAMExportFile(rd *files.Reader, path string) (*IAMExport, error) {
	return LoadIAMExportFiles(rd, path)
}

// LoadIAMExportFiles reads several authorization-details exports as one
// (pages saved in separate files, or several accounts).
func LoadIAMExportFiles(rd *files.Reader, paths ...string) (*IAMExport, error) {
	x := newExportReader()
	for _, p := range paths {
		data, err := rd.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read IAM export: %w", err)
		}
		if err := x.file(p, data); err != nil {
			return nil, err
		}
	}
	return x.finish(paths)
}

// ParseIAMExport decodes an authorization-details export.
func ParseIAMExport(file string, data []byte) (*IAMExport, error) {
	x := newExportReader()
	if err := x.file(file, data); err != nil {
		return nil, err
	}
	return x.finish([]string{file})
}

type exportReader struct {
	accounts map[string]*world.Account
	out      *IAMExport
	aws      map[string]*world.ManagedPolicy // AWS managed policies, added to every account that uses them
	seen     map[string]*tree.Node           // entity and policy ARNs, for duplicates
}

func newExportReader() *exportReader {
	return &exportReader{accounts: map[string]*world.Account{}, aws: map[string]*world.ManagedPolicy{},
		seen: map[string]*tree.Node{}, out: &IAMExport{Versions: map[string][]PolicyVersion{}}}
}

func (x *exportReader) file(file string, data []byte) error {
	root, err := tree.Decode(file, data)
	if err != nil {
		return err
	}
	pages := []*tree.Node{root}
	if root.Kind == tree.Array {
		pages = root.Items
	}
	for _, page := range pages {
		if err := x.page(page); err != nil {
			return err
		}
	}
	return nil
}

func (x *exportReader) finish(files []string) (*IAMExport, error) {
	for _, id := range sortedAccountIDs(x.accounts) {
		x.out.Accounts = append(x.out.Accounts, x.accounts[id])
	}
	x.out.Missing = x.attachAWS()
	if len(x.out.Missing) > 0 {
		return x.out, &MissingPoliciesError{Files: files, ARNs: x.out.Missing, At: missingAt(x.out.Accounts, x.out.Missing)}
	}
	return x.out, nil
}

var exportSections = []struct {
	key  string
	read func(*exportReader, *tree.Node) error
}{
	{"Policies", (*exportReader).policy}, {"GroupDetailList", (*exportReader).group},
	{"UserDetailList", (*exportReader).user}, {"RoleDetailList", (*exportReader).role},
}

func (x *exportReader) page(n *tree.Node) error {
	if _, err := tree.OpenObject(n, "UserDetailList", "GroupDetailList", "RoleDetailList", "Policies", "Marker", "IsTruncated"); err != nil {
		return err
	}
	for _, s := range exportSections {
		ln := n.Get(s.key)
		if ln == nil {
			continue
		}
		items, err := tree.List(ln)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := s.read(x, it); err != nil {
				return err
			}
		}
	}
	return nil
}

// claim records an ARN; a second entity or policy with the same ARN is an
// error (the store would otherwise keep only one of them).
func (x *exportReader) claim(n *tree.Node, arn string) error {
	if prev, ok := x.seen[arn]; ok {
		return tree.NodeError(n, "duplicate", "%s is described twice (first at %s:%d:%d %s)", arn, prev.File, prev.Line, prev.Col, prev.Path())
	}
	x.seen[arn] = n
	return nil
}

// account returns the account an ARN belongs to, creating it.
func (x *exportReader) account(n *tree.Node, arn string) (*world.Account, error) {
	at := n
	if v := n.Get("Arn"); v != nil {
		at = v
	}
	if err := world.CheckConcreteARN(arn); err != nil {
		return nil, tree.NodeError(at, tree.CodeInvalidARN, "Arn: %v", err)
	}
	p, _ := pattern.SplitARN(arn)
	if p.Service != "iam" || !world.AccountIDPattern.MatchString(p.Account) {
		return nil, tree.NodeError(at, tree.CodeInvalidARN, "Arn: expected arn:aws:iam::ACCOUNT:... with a 12-digit account, got %q", arn)
	}
	a, ok := x.accounts[p.Account]
	if !ok {
		a = &world.Account{ID: p.Account}
		x.accounts[p.Account] = a
	}
	return a, x.claim(n, arn)
}

func sortedAccountIDs(m map[string]*world.Account) []string {
	out := make([]string, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// document parses a policy document given as an object or as a
// (URL-encoded) JSON string.
func document(n *tree.Node, kind policy.PolicyKind, name string) (*policy.Policy, error) {
	if n == nil {
		return nil, errors.New("missing policy document")
	}
	if n.Kind != tree.String {
		return policy.ParsePolicy(n.File, n, kind, name)
	}
	text := n.Str
	if !strings.HasPrefix(strings.TrimSpace(text), "{") {
		// RFC 3986 encoding, as IAM returns it: "+" is a plus sign.
		dec, err := url.PathUnescape(text)
		if err != nil {
			return nil, tree.NodeError(n, "invalid_value", "policy document: expected a JSON object or URL-encoded JSON: %v", err)
		}
		text = dec
	}
	p, err := policy.ParsePolicyBytes(n.File, []byte(text), kind, name)
	if err != nil {
		return nil, embeddedError(n, err)
	}
	p.HeldIn = &policy.Place{File: n.File, Path: n.Path(), Line: n.Line, Col: n.Col}
	return p, nil
}

// embeddedError places an error in a document held in a string at the
// string, saying where in the document it is.
func embeddedError(n *tree.Node, err error) error {
	var pe *tree.Error
	if !errors.As(err, &pe) {
		return fmt.Errorf("%s:%d:%d: %s: %w", n.File, n.Line, n.Col, n.Path(), err)
	}
	return &tree.Error{File: n.File, Line: n.Line, Col: n.Col, Path: n.Path(), Code: pe.Code, Err: err,
		Msg: fmt.Sprintf("in the policy document this string holds, at %d:%d %s: %s", pe.Line, pe.Col, pe.Path, pe.Msg)}
}

// IsAWSManaged reports whether arn names an AWS managed policy
// (arn:aws:iam::aws:policy/..., in any partition).
func IsAWSManaged(arn string) bool {
	return strings.HasPrefix(arn, "arn:") && strings.Contains(arn, ":iam::aws:policy/")
}

func (x *exportReader) policy(n *tree.Node) error {
	o, err := tree.OpenObject(n, "PolicyName", "PolicyId", "Arn", "Path", "DefaultVersionId", "AttachmentCount",
		"PermissionsBoundaryUsageCount", "IsAttachable", "CreateDate", "UpdateDate", "PolicyVersionList", "Description")
	if err != nil {
		return err
	}
	mp := &world.ManagedPolicy{}
	if err := tree.Strs(o, map[string]*string{"Arn": &mp.ARN, "PolicyName": &mp.Name, "Path": &mp.Path}, "Arn", "PolicyName"); err != nil {
		return err
	}
	if err := checkPolicyName(o, mp); err != nil {
		return err
	}
	mp.Path = world.NormPath(mp.Path)
	versions, err := x.versions(o, mp.ARN)
	if err != nil {
		return err
	}
	for _, v := range versions {
		if v.Default {
			mp.Policy = v.Policy
		}
	}
	if mp.Policy == nil {
		return tree.NodeError(n, "missing_element", "policy %s: no version in PolicyVersionList has IsDefaultVersion true", mp.ARN)
	}
	x.out.Versions[mp.ARN] = versions
	if IsAWSManaged(mp.ARN) {
		if err := world.CheckConcreteARN(mp.ARN); err != nil {
			return o.Errorf("Arn", tree.CodeInvalidARN, "Arn: %v", err)
		}
		mp.Account = "aws"
		x.aws[mp.ARN] = mp
		return x.claim(n, mp.ARN)
	}
	a, err := x.account(n, mp.ARN)
	if err != nil {
		return err
	}
	mp.Account = a.ID
	a.ManagedPolicies = append(a.ManagedPolicies, mp)
	return nil
}

func (x *exportReader) versions(o *tree.ObjReader, arn string) ([]PolicyVersion, error) {
	n := o.Get("PolicyVersionList")
	if n == nil {
		return nil, tree.NodeError(o.N, "missing_element", "policy %s: missing PolicyVersionList (export with --filter including the policy documents)", arn)
	}
	items, err := tree.List(n)
	if err != nil {
		return nil, err
	}
	var out []PolicyVersion
	for _, it := range items {
		v, err := policyVersion(it, arn)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func policyVersion(n *tree.Node, arn string) (PolicyVersion, error) {
	vo, err := tree.OpenObject(n, "Document", "VersionId", "IsDefaultVersion", "CreateDate")
	if err != nil {
		return PolicyVersion{}, err
	}
	v := PolicyVersion{}
	if v.ID, err = vo.Str("VersionId", false); err != nil {
		return v, err
	}
	if v.Default, err = vo.Boolean("IsDefaultVersion"); err != nil {
		return v, err
	}
	name := arn
	if !v.Default {
		name = arn + "?version=" + v.ID // a non-default version is not in force
	}
	doc := vo.Get("Document")
	if doc == nil {
		return v, tree.NodeError(n, "missing_element", "policy %s version %s: missing Document", arn, v.ID)
	}
	if v.Policy, err = document(doc, policy.KindIdentity, name); err != nil {
		return v, fmt.Errorf("policy %s version %s: %w", arn, v.ID, err)
	}
	return v, nil
}
