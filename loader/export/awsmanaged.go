package export

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// AWS managed policies from a snapshot of iam-dataset
// (github.com/iann0036/iam-dataset): the derived file
// aws-managed-policies.json, {"source": {repo, commit, path, license,
// note}, "policies": [{arn, name, version, document, ...}]}, which holds
// the default version of each AWS managed policy. It fills in the AWS
// managed policies an export references but does not hold; every policy
// taken from it says so in ManagedPolicy.Source, since the snapshot may be
// older or newer than the account's export.

// AWSManagedPolicies is a catalog of AWS managed policies.
type AWSManagedPolicies struct {
	// Source names where the catalog comes from (file, repository,
	// commit, license).
	Source string
	byARN  map[string]*tree.Node
	byName map[string]*tree.Node
}

// LoadAWSManagedPolicies reads an iam-dataset aws-managed-policies.json.
func LoadAWSManagedPolicies(rd *files.Reader, file string) (*AWSManagedPolicies, error) {
	data, err := rd.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read AWS managed policies: %w", err)
	}
	return ParseAWSManagedPolicies(file, data)
}

// ParseAWSManagedPolicies decodes an iam-dataset aws-managed-policies.json.
// Documents are parsed when a policy is asked for.
func ParseAWSManagedPolicies(file string, data []byte) (*AWSManagedPolicies, error) {
	root, err := tree.Decode(file, data)
	if err != nil {
		return nil, err
	}
	o, err := tree.OpenObject(root, "source", "count", "policies")
	if err != nil {
		return nil, err
	}
	c := &AWSManagedPolicies{Source: datasetSource(file, o.Get("source")), byARN: map[string]*tree.Node{}, byName: map[string]*tree.Node{}}
	pn := o.Get("policies")
	if pn == nil {
		return nil, tree.NodeError(root, "missing_element", "expected \"policies\": [{name, arn, document, ...}] (iam-dataset aws-managed-policies.json)")
	}
	items, err := tree.List(pn)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if err := c.add(it); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func datasetSource(file string, n *tree.Node) string {
	if n == nil || n.Kind != tree.Object {
		return file
	}
	repo, commit := strMember(n, "repo"), strMember(n, "commit")
	if len(commit) > 12 {
		commit = commit[:12]
	}
	return fmt.Sprintf("%s (%s@%s %s, %s)", file, repo, commit, strMember(n, "path"), strMember(n, "license"))
}

func (c *AWSManagedPolicies) add(n *tree.Node) error {
	if n.Kind != tree.Object {
		return tree.NodeError(n, "wrong_type", "expected a policy {name, arn, document, ...}")
	}
	name := strMember(n, "name")
	if name == "" || n.Get("document") == nil {
		return tree.NodeError(n, "missing_element", "a policy needs name and document")
	}
	if arn := strMember(n, "arn"); arn != "" {
		c.byARN[arn] = n
	}
	c.byName[name] = n
	return nil
}

// Len is the number of policies in the catalog.
func (c *AWSManagedPolicies) Len() int { return len(c.byName) }

// Policy returns the AWS managed policy arn from the catalog (nil, nil
// when it does not hold it). Entries without an ARN are matched by name:
// policy names are unique among AWS managed policies whatever their path.
func (c *AWSManagedPolicies) Policy(arn string) (*world.ManagedPolicy, error) {
	mp, _, err := c.policy(arn)
	return mp, err
}

// policy returns the policy and its version id.
func (c *AWSManagedPolicies) policy(arn string) (*world.ManagedPolicy, string, error) {
	n, how := c.byARN[arn], "arn"
	if n == nil {
		n, how = c.byName[path.Base(arn)], "name"
	}
	if n == nil || !IsAWSManaged(arn) {
		return nil, "", nil
	}
	doc, err := document(n.Get("document"), policy.KindIdentity, arn)
	if err != nil {
		return nil, "", fmt.Errorf("AWS managed policy %s: %w", arn, err)
	}
	version := strMember(n, "version")
	return &world.ManagedPolicy{ARN: arn, Account: "aws", Name: path.Base(arn), Path: awsPolicyPath(arn), Policy: doc,
		Source: fmt.Sprintf("%s, version %s, matched by %s", c.Source, version, how)}, version, nil
}

// awsPolicyPath is the path of a managed policy ARN
// (arn:aws:iam::aws:policy/service-role/X -> /service-role/).
func awsPolicyPath(arn string) string {
	_, rest, _ := strings.Cut(arn, ":policy")
	return world.NormPath(path.Dir(rest))
}

// FillAWSManaged adds the AWS managed policies the export is missing from
// the catalog, to every account that references them. It returns what
// it filled in (one line each, with the catalog's provenance) and, if
// policies are still missing (customer managed ones, or AWS managed ones
// the catalog lacks), a *MissingPoliciesError listing those.
func (x *IAMExport) FillAWSManaged(c *AWSManagedPolicies) ([]string, error) {
	var filled, still []string
	found := map[string]*world.ManagedPolicy{}
	for _, arn := range x.Missing {
		mp, version, err := c.policy(arn)
		if err != nil {
			return nil, err
		}
		if mp == nil {
			still = append(still, arn)
			continue
		}
		found[arn] = mp
		x.Versions[arn] = []PolicyVersion{{ID: version, Default: true, Policy: mp.Policy}}
		filled = append(filled, fmt.Sprintf("%s: not in the export; filled in from %s", arn, mp.Source))
	}
	for _, a := range x.Accounts {
		addFound(a, found)
	}
	x.Missing = still
	if len(still) > 0 {
		return filled, &MissingPoliciesError{ARNs: still, At: missingAt(x.Accounts, still)}
	}
	return filled, nil
}

// addFound adds to an account the filled-in policies its entities use.
func addFound(a *world.Account, found map[string]*world.ManagedPolicy) {
	used := map[string]bool{}
	for _, ref := range references(a) {
		used[ref] = true
	}
	var arns []string
	for arn := range found {
		if used[arn] {
			arns = append(arns, arn)
		}
	}
	sort.Strings(arns)
	for _, arn := range arns {
		a.ManagedPolicies = append(a.ManagedPolicies, found[arn])
	}
}
