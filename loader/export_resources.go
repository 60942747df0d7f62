package loader

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Resource policies from AWS CLI outputs, in two layouts:
//
//   - a JSON bundle: {"ARN": <CLI output or policy document>, ...};
//   - a directory in CloudMapper's collect layout:
//     REGION/<service>-<command>/<URL-encoded identifier>, with
//     REGION/sts-get-caller-identity.json naming the account. Known
//     commands: s3-get-bucket-policy, sqs-get-queue-attributes,
//     sns-get-topic-attributes, lambda-get-policy,
//     secretsmanager-get-resource-policy, ecr-get-repository-policy,
//     kms-get-key-policy.
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
	"s3-get-bucket-policy":               {"s3-bucket", func(_, _, id string) string { return "arn:aws:s3:::" + id }},
	"sqs-get-queue-attributes":           {"sqs-queue", sqsARN},
	"sns-get-topic-attributes":           {"sns-topic", func(_, _, id string) string { return id }},
	"lambda-get-policy":                  {"lambda-function", func(r, a, id string) string { return "arn:aws:lambda:" + r + ":" + a + ":function:" + id }},
	"secretsmanager-get-resource-policy": {"secret", func(r, a, id string) string { return "arn:aws:secretsmanager:" + r + ":" + a + ":secret:" + id }},
	"ecr-get-repository-policy":          {"ecr-repository", func(r, a, id string) string { return "arn:aws:ecr:" + r + ":" + a + ":repository/" + id }},
	"kms-get-key-policy":                 {"kms-key", func(r, a, id string) string { return "arn:aws:kms:" + r + ":" + a + ":key/" + id }},
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
	Resources []*Resource
	Warnings  []string
}

// add keeps a resource, or records why it was skipped; other errors stop.
func (x *ResourceExport) add(r *Resource, err error) error {
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
func LoadResourcePolicies(path string) (*ResourceExport, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("resource policies: %w", err)
	}
	x := &ResourceExport{}
	if info.IsDir() {
		return x, x.collectDir(path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("resource policies: %w", err)
	}
	return ParseResourceBundle(path, data)
}

// ParseResourceBundle decodes {"ARN": <CLI output or policy>}.
func ParseResourceBundle(file string, data []byte) (*ResourceExport, error) {
	root, err := Decode(file, data)
	if err != nil {
		return nil, err
	}
	if root.Kind != Object {
		return nil, nodeError(root, "wrong_type", "expected a mapping of resource ARN to its policy or CLI output")
	}
	x := &ResourceExport{}
	for i, arn := range root.Keys {
		if err := x.add(resourceFrom(root.Vals[i], arn, "", "")); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// resourceFrom extracts the policy from a CLI output node (nil when the
// output holds no policy: a queue without one). S3 ARNs carry no account:
// it comes from account (the collect layout's caller) or an "Account"
// member beside the output in a bundle.
func resourceFrom(n *Node, arn, typ, account string) (*Resource, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return nil, nodeError(n, "invalid_value", "%q: expected a resource ARN", arn)
	}
	if parts[4] != "" {
		account = parts[4]
	} else if v := n.Get("Account"); n.Kind == Object && v != nil {
		account = v.Str
	}
	if account == "" {
		return nil, nodeError(n, "missing_element", "%s: the ARN names no account; add \"Account\": \"123456789012\" beside the policy", arn)
	}
	if !accountIDPattern.MatchString(account) {
		return nil, &skipped{fmt.Sprintf("%s (%s): account %q is not 12 digits; resource skipped", arn, n.File, account)}
	}
	doc := policyNode(n)
	if doc == nil {
		return nil, nil
	}
	p, err := document(doc, KindResource, arn+"#policy")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", arn, err)
	}
	if typ == "" {
		typ = typeOf(parts[2])
	}
	return &Resource{ARN: arn, Account: account, Type: typ, Policy: p}, nil
}

// policyNode finds the policy in a CLI output shape.
func policyNode(n *Node) *Node {
	if n.Kind != Object {
		return n
	}
	if n.Get("Statement") != nil {
		return n
	}
	for _, k := range []string{"Policy", "policyText", "ResourcePolicy"} {
		if v := n.Get(k); v != nil {
			return v
		}
	}
	if attrs := n.Get("Attributes"); attrs != nil && attrs.Kind == Object {
		return attrs.Get("Policy")
	}
	return nil
}

func typeOf(service string) string {
	switch service {
	case "s3":
		return "s3-bucket"
	case "kms":
		return "kms-key"
	case "sqs":
		return "sqs-queue"
	case "sns":
		return "sns-topic"
	}
	return ""
}

func (x *ResourceExport) collectDir(dir string) error {
	regions, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, reg := range regions {
		if !reg.IsDir() {
			continue
		}
		if err := x.region(filepath.Join(dir, reg.Name()), reg.Name()); err != nil {
			return err
		}
	}
	sort.Slice(x.Resources, func(i, j int) bool { return x.Resources[i].ARN < x.Resources[j].ARN })
	sort.Strings(x.Warnings)
	return nil
}

// skipped is a resource the export describes but that cannot be placed:
// reported as a warning, the rest still loads.
type skipped struct{ msg string }

func (s *skipped) Error() string { return s.msg }

func (x *ResourceExport) region(dir, region string) error {
	account, err := callerAccount(filepath.Join(dir, "sts-get-caller-identity.json"))
	if err != nil {
		return err
	}
	for cmd, how := range resourceCommands {
		entries, err := os.ReadDir(filepath.Join(dir, cmd))
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			return err
		}
		for _, e := range entries {
			if err := x.add(loadCollected(filepath.Join(dir, cmd, e.Name()), e.Name(), region, account, how.typ, how.arn)); err != nil {
				return err
			}
		}
	}
	return nil
}

func loadCollected(path, name, region, account, typ string, arnOf func(string, string, string) string) (*Resource, error) {
	id, err := url.PathUnescape(name)
	if err != nil {
		return nil, fmt.Errorf("%s: file name is not URL-encoded: %w", path, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	n, err := Decode(path, data)
	if err != nil {
		return nil, err
	}
	arn := arnOf(region, account, id)
	if v := n.Get("ARN"); v != nil && v.Kind == String && strings.HasPrefix(v.Str, "arn:") {
		arn = v.Str // secretsmanager carries the full ARN (with its suffix)
	}
	return resourceFrom(n, arn, typ, account)
}

func callerAccount(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: the collect layout needs the account (sts get-caller-identity): %w", filepath.Dir(path), err)
	}
	var id struct{ Account string }
	if err := json.Unmarshal(data, &id); err != nil || id.Account == "" {
		return "", fmt.Errorf("%s: expected {\"Account\": ...}: %v", path, err)
	}
	return id.Account, nil
}
