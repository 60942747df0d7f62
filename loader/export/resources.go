package export

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// Resource policies from AWS CLI outputs, in these layouts:
//
//   - a JSON (or YAML) bundle file: {"ARN": <CLI output or policy
//     document>, ...}; an S3 ARN names no account, so its entry carries
//     "Account": "123456789012" beside the CLI output's members;
//   - a directory in CloudMapper's collect layout (`cloudmapper collect`):
//     REGION/<service>-<command>/<URL-encoded identifier>, with
//     REGION/sts-get-caller-identity.json naming the account. Known
//     commands: s3-get-bucket-policy (identifier: bucket name),
//     sqs-get-queue-attributes (queue URL), sns-get-topic-attributes
//     (topic ARN), lambda-get-policy (function name),
//     secretsmanager-get-resource-policy (secret name; the output's ARN
//     wins), ecr-get-repository-policy (repository name),
//     kms-get-key-policy (key id). Other collected commands are not
//     resource policies and are not read;
//   - in the same directory, top-level files named by the URL-encoded
//     resource ARN, with or without .json
//     (arn%3Aaws%3Asqs%3Aus-east-1%3A111122223333%3Aq.json), each holding
//     one CLI output (S3 ARNs again need "Account").
//
// A directory that yields no resource at all is reported as a warning.
//
// CLI output shapes: {"Policy": "..."} (get-bucket-policy, get-key-policy,
// lambda get-policy, ecr get-repository-policy as "policyText"),
// {"Attributes": {"Policy": "..."}} (get-queue-attributes,
// get-topic-attributes), {"ResourcePolicy": "..."} (secretsmanager), or a
// policy document itself.

// resourceCommands maps a collect directory to the resource type and how
// to build the ARN from (region, account, identifier).
var resourceCommands = map[string]struct {
	typ string
	arn func(region, account, id string) string
}{
	"s3-get-bucket-policy":               {world.TypeS3Bucket, func(_, _, id string) string { return "arn:aws:s3:::" + id }},
	"sqs-get-queue-attributes":           {world.TypeSQSQueue, sqsARN},
	"sns-get-topic-attributes":           {world.TypeSNSTopic, func(_, _, id string) string { return id }},
	"lambda-get-policy":                  {world.TypeLambdaFunction, func(r, a, id string) string { return "arn:aws:lambda:" + r + ":" + a + ":function:" + id }},
	"secretsmanager-get-resource-policy": {world.TypeSecret, func(r, a, id string) string { return "arn:aws:secretsmanager:" + r + ":" + a + ":secret:" + id }},
	"ecr-get-repository-policy":          {world.TypeECRRepository, func(r, a, id string) string { return "arn:aws:ecr:" + r + ":" + a + ":repository/" + id }},
	"kms-get-key-policy":                 {world.TypeKMSKey, func(r, a, id string) string { return "arn:aws:kms:" + r + ":" + a + ":key/" + id }},
}

// sqsARN turns a queue URL (https://queue.amazonaws.com/ACCOUNT/NAME) into
// its ARN.
func sqsARN(region, account, id string) string {
	if strings.HasPrefix(id, "arn:") {
		return id
	}
	parts := strings.Split(strings.TrimSuffix(id, "/"), "/")
	if len(parts) >= 2 {
		account = parts[len(parts)-2]
	}
	return "arn:aws:sqs:" + region + ":" + account + ":" + parts[len(parts)-1]
}

// ResourceExport is what a resource-policy export holds; Warnings name
// the resources it describes but that could not be placed.
type ResourceExport struct {
	Resources []*world.Resource
	Warnings  []string
	rd        *files.Reader
}

// add keeps a resource, or records why it was skipped; other errors stop.
func (x *ResourceExport) add(r *world.Resource, err error) error {
	var sk *skipped
	switch {
	case errors.As(err, &sk):
		x.Warnings = append(x.Warnings, sk.msg)
	case err != nil:
		return err
	case r != nil:
		x.Resources = append(x.Resources, r)
	}
	return nil
}

// LoadResourcePolicies reads a bundle file or a collect directory.
func LoadResourcePolicies(rd *files.Reader, path string) (*ResourceExport, error) {
	info, err := rd.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("resource policies: %w", err)
	}
	x := &ResourceExport{rd: rd}
	if info.IsDir() {
		return x, x.collectDir(path)
	}
	data, err := rd.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("resource policies: %w", err)
	}
	return ParseResourceBundle(path, data)
}

// ParseResourceBundle decodes {"ARN": <CLI output or policy>}.
func ParseResourceBundle(file string, data []byte) (*ResourceExport, error) {
	root, err := tree.Decode(file, data)
	if err != nil {
		return nil, err
	}
	if root.Kind != tree.Object {
		return nil, tree.NodeError(root, "wrong_type", "expected a mapping of resource ARN to its policy or CLI output")
	}
	x := &ResourceExport{}
	for i, arn := range root.Keys {
		if err := x.add(resourceFrom(root.Vals[i], arn, "", "")); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// resourceFrom builds the resource from a CLI output node; a resource
// whose output holds no policy (a queue without one, a secret without a
// resource policy) is kept without a policy. S3 ARNs carry no account: it
// comes from account (the collect layout's caller) or an "Account" member
// beside the output in a bundle.
func resourceFrom(n *tree.Node, arn, typ, account string) (*world.Resource, error) {
	a, ok := pattern.SplitARN(arn)
	if err := world.CheckConcreteARN(arn); err != nil && (!ok || world.AccountIDPattern.MatchString(a.Account) || a.Account == "") {
		return nil, tree.NodeError(n, tree.CodeInvalidARN, "%v", err) // a bad account is skipped below
	}
	if a.Account != "" {
		account = a.Account
	} else if v := n.Get("Account"); v != nil {
		account = v.Str
	}
	if account == "" {
		return nil, tree.NodeError(n, "missing_element", "%s: the ARN names no account; add \"Account\": \"123456789012\" beside the policy", arn)
	}
	if !world.AccountIDPattern.MatchString(account) {
		return nil, &skipped{fmt.Sprintf("%s (%s): account %q is not 12 digits; resource skipped", arn, n.File, account)}
	}
	if typ == "" {
		typ = world.TypeOf(arn)
	}
	r := &world.Resource{ARN: arn, Account: account, Type: typ}
	doc, err := policyNode(n)
	if err != nil || doc == nil {
		return r, err
	}
	if r.Policy, err = document(doc, policy.KindResource, arn+"#policy"); err != nil {
		return nil, fmt.Errorf("%s: %w", arn, err)
	}
	return r, nil
}

// policyNode finds the policy in a CLI output shape: nil when the output
// is one that holds no policy; an error when it is no known shape.
func policyNode(n *tree.Node) (*tree.Node, error) {
	switch {
	case n.Kind == tree.Null:
		return nil, nil
	case n.Kind != tree.Object:
		return n, nil // a document as a (URL-encoded) string
	case n.Get("Statement") != nil:
		return n, nil
	}
	for _, k := range []string{"Policy", "policyText", "ResourcePolicy"} {
		if v := n.Get(k); v != nil {
			return v, nil
		}
	}
	if attrs := n.Get("Attributes"); attrs != nil && attrs.Kind == tree.Object {
		return attrs.Get("Policy"), nil // get-queue-attributes, get-topic-attributes
	}
	if n.Get("ARN") != nil && n.Get("Name") != nil {
		return nil, nil // secretsmanager get-resource-policy of a secret without one
	}
	return nil, tree.NodeError(n, "missing_element", "expected a policy document (Statement) or a CLI output holding one "+
		"(Policy, policyText, ResourcePolicy, Attributes.Policy)")
}

func (x *ResourceExport) collectDir(dir string) error {
	entries, err := x.rd.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("resource policies: %w", err)
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() {
			err = x.region(p, e.Name())
		} else {
			err = x.arnFile(p, e.Name())
		}
		if err != nil {
			return err
		}
	}
	sort.Slice(x.Resources, func(i, j int) bool { return x.Resources[i].ARN < x.Resources[j].ARN })
	for i := 1; i < len(x.Resources); i++ {
		if x.Resources[i].ARN == x.Resources[i-1].ARN {
			return fmt.Errorf("%s: %s is there twice (a collected output and a file named by its ARN?)", dir, x.Resources[i].ARN)
		}
	}
	sort.Strings(x.Warnings)
	if len(x.Resources)+len(x.Warnings) == 0 {
		x.Warnings = append(x.Warnings, dir+": no resource policy found (expected REGION/<service>-<command>/ directories or files named by URL-encoded ARN)")
	}
	return nil
}

// arnFile reads a top-level file named by its resource's URL-encoded
// ARN; other files (CloudMapper's describe-regions.json) are not resource
// policies.
func (x *ResourceExport) arnFile(path, name string) error {
	arn, err := url.PathUnescape(strings.TrimSuffix(name, ".json"))
	if err != nil || !strings.HasPrefix(arn, "arn:") {
		return nil
	}
	data, err := x.rd.ReadFile(path)
	if err != nil {
		return fmt.Errorf("resource policies: %w", err)
	}
	n, err := tree.Decode(path, data)
	if err != nil {
		return err
	}
	if own := outputARN(n); own != "" && own != arn {
		return tree.NodeError(n, "conflicting_elements", "the file is named for %s but the output is that of %s", arn, own)
	}
	return x.add(resourceFrom(n, arn, "", ""))
}

// skipped is a resource the export describes but that cannot be placed:
// reported as a warning, the rest still loads.
type skipped struct{ msg string }

func (s *skipped) Error() string { return s.msg }

func (x *ResourceExport) region(dir, region string) error {
	account, err := callerAccount(x.rd, filepath.Join(dir, "sts-get-caller-identity.json"))
	if err != nil {
		return err
	}
	for cmd, how := range resourceCommands {
		entries, err := x.rd.ReadDir(filepath.Join(dir, cmd))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return err
		}
		for _, e := range entries {
			if err := x.add(loadCollected(x.rd, filepath.Join(dir, cmd, e.Name()), e.Name(), region, account, how.typ, how.arn)); err != nil {
				return err
			}
		}
	}
	return nil
}

func loadCollected(rd *files.Reader, path, name, region, account, typ string, arnOf func(string, string, string) string) (*world.Resource, error) {
	id, err := url.PathUnescape(name)
	if err != nil {
		return nil, fmt.Errorf("%s: file name is not URL-encoded: %w", path, err)
	}
	data, err := rd.ReadFile(path)
	if err != nil {
		return nil, err
	}
	n, err := tree.Decode(path, data)
	if err != nil {
		return nil, err
	}
	arn := arnOf(region, account, id)
	if v := outputARN(n); v != "" {
		arn = v // the output's own ARN (a secret's carries its suffix)
	}
	return resourceFrom(n, arn, typ, account)
}

func callerAccount(rd *files.Reader, path string) (string, error) {
	data, err := rd.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: the collect layout needs the account (sts get-caller-identity): %w", filepath.Dir(path), err)
	}
	var id struct{ Account string }
	if err := json.Unmarshal(data, &id); err != nil || id.Account == "" {
		return "", fmt.Errorf("%s: expected {\"Account\": ...}: %v", path, err)
	}
	return id.Account, nil
}

// outputARN is the ARN a CLI output names for its resource, or "".
func outputARN(n *tree.Node) string {
	for _, at := range []*tree.Node{n, n.Get("Attributes")} {
		for _, k := range []string{"ARN", "QueueArn", "TopicArn"} {
			if v := at.Get(k); v != nil && v.Kind == tree.String && strings.HasPrefix(v.Str, "arn:") {
				return v.Str
			}
		}
	}
	return ""
}
