package change

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// PolicyFile reads a bare policy document (JSON or YAML), given to the
// review with --policy FILE and exactly one of --attach ARN or --resource
// ARN, as a change to account:
//
//   - --attach a user, group or role ARN of the account: an inline policy
//     of that owner, named after the file (world.CheckName's characters;
//     "policy" when none is left);
//   - --attach a managed policy ARN of the account
//     (arn:aws:iam::ACCOUNT:policy/PATH/NAME): that policy's document,
//     replaced (or created);
//   - --resource a role ARN of the account: the role's trust policy (the
//     role must exist in the world);
//   - --resource any other ARN: the resource's resource-based policy.
//
// A document the IAM grammar refuses is the *tree.Error of
// policy.ParsePolicyBytes, at its line and column; every other refusal is
// a *tree.Error in the file too.
func PolicyFile(rd *files.Reader, path, attach, resource, account string) (*Set, error) {
	if (attach == "") == (resource == "") {
		return nil, &tree.Error{File: path, Code: tree.CodeConflict,
			Msg: "a --policy file is followed by exactly one --attach ARN or --resource ARN"}
	}
	if !world.AccountIDPattern.MatchString(account) {
		return nil, &tree.Error{File: path, Code: tree.CodeInvalidValue,
			Msg: fmt.Sprintf("the change's target account %q is not 12 digits (--account)", account)}
	}
	data, err := rd.ReadFile(path)
	if err != nil {
		return nil, &tree.Error{File: path, Code: tree.CodeInvalidValue, Msg: fmt.Sprintf("read policy file: %v", err), Err: err}
	}
	return policyData(path, data, attach, resource, account)
}

// policyData is PolicyFile on the file's contents.
func policyData(path string, data []byte, attach, resource, account string) (*Set, error) {
	at := docStart(path, data)
	var err error
	var e Edit
	if attach != "" {
		e, err = attachEdit(attach, account, path, at)
	} else {
		e, err = resourceEdit(resource, account, at)
	}
	if err != nil {
		return nil, err
	}
	kind := map[Kind]policy.PolicyKind{InlinePolicy: policy.KindIdentity, ManagedPolicy: policy.KindIdentity,
		TrustPolicy: policy.KindTrust, ResourcePolicy: policy.KindResource}[e.Kind]
	p, err := policy.ParsePolicyBytes(path, data, kind, path)
	if err != nil {
		return nil, err
	}
	if e.Kind == TrustPolicy {
		e.Trust = p
	} else {
		e.Policy = p
	}
	partition := "aws"
	if a, ok := pattern.SplitARN(attach + resource); ok {
		partition = a.Partition
	}
	return &Set{Account: account, Partition: partition, Edits: []Edit{e}, Files: []string{path}}, nil
}

// iamEntity splits an IAM ARN of the account into its kind (user, group,
// role, policy), path and name.
func iamEntity(arn, account, flag string, at Source) (kind, path, name string, err error) {
	if err := world.CheckConcreteARN(arn); err != nil {
		return "", "", "", errAt(at, tree.CodeInvalidARN, "%s: %v", flag, err)
	}
	a, _ := pattern.SplitARN(arn)
	if a.Service != "iam" {
		return "", "", "", nil
	}
	kind, rest, _ := strings.Cut(a.Resource, "/")
	if a.Account != account {
		return "", "", "", errAt(at, tree.CodeInvalidARN, "%s %s is in account %s; the change deploys to %s", flag, arn, a.Account, account)
	}
	i := strings.LastIndex(rest, "/")
	path, name = "/"+rest[:i+1], rest[i+1:]
	if err := world.CheckPath(path); err != nil {
		return "", "", "", errAt(at, tree.CodeInvalidARN, "%s %s: %v", flag, arn, err)
	}
	return kind, path, name, nil
}

func attachEdit(arn, account, file string, at Source) (Edit, error) {
	kind, path, name, err := iamEntity(arn, account, "--attach", at)
	if err != nil {
		return Edit{}, err
	}
	switch kind {
	case "user", "group", "role":
		owner := &Owner{Kind: Kind(kind), Name: name}
		return Edit{Op: Put, Kind: InlinePolicy, Name: policyNameOf(file), Owner: owner, At: at}, nil
	case "policy":
		return Edit{Op: Put, Kind: ManagedPolicy, Name: name, Path: path, At: at}, nil
	}
	return Edit{}, errAt(at, tree.CodeInvalidARN,
		"--attach %s: expected a user, group or role ARN (an inline policy) or a managed policy ARN (arn:aws:iam::%s:policy/NAME)", arn, account)
}

func resourceEdit(arn, account string, at Source) (Edit, error) {
	kind, _, name, err := iamEntity(arn, account, "--resource", at)
	switch {
	case err != nil:
		return Edit{}, err
	case kind == "role":
		return Edit{Op: Put, Kind: TrustPolicy, Name: name, At: at}, nil
	case kind != "":
		return Edit{}, errAt(at, tree.CodeInvalidARN,
			"--resource %s: an IAM %s has no resource-based policy (a role's trust policy is given with --resource ROLE-ARN; identity policies with --attach)", arn, kind)
	}
	return Edit{Op: Put, Kind: ResourcePolicy, Resource: arn, At: at}, nil
}

// policyNameOf names an inline policy after its file: the base name
// without extension, every character IAM names cannot hold replaced by
// '-', at most 128 characters.
func policyNameOf(file string) string {
	base := filepath.Base(file)
	if ext := filepath.Ext(base); ext != "" && ext != base {
		base = strings.TrimSuffix(base, ext)
	}
	b := []byte(base)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("+=,.@_-", c) >= 0) {
			b[i] = '-'
		}
	}
	name := string(b)
	if len(name) > 128 {
		name = name[:128]
	}
	if strings.Trim(name, "-.") == "" {
		return "policy"
	}
	return name
}

// docStart is where a document's first character is (line 1, column 1
// for an empty one).
func docStart(file string, data []byte) Source {
	at := Source{File: file, Line: 1, Col: 1}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for _, c := range data {
		switch c {
		case '\n':
			at.Line, at.Col = at.Line+1, 1
		case ' ', '\t', '\r':
			at.Col++
		default:
			return at
		}
	}
	return Source{File: file, Line: 1, Col: 1}
}
