package scenario

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
)

// What an input holds, told from its content (LoadInputs).
type inputKind int

const (
	kindUnknown inputKind = iota
	kindScenario
	kindIAM
	kindResources
	kindOrg
	kindAWSManaged
)

var (
	iamKeys      = []string{"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"}
	scenarioKeys = []string{"world", "checks", "description"}
	orgKeys      = []string{"describe-organization", "list-roots", "list-organizational-units-for-parent",
		"list-accounts-for-parent", "list-policies", "describe-policy", "list-targets-for-policy"}
)

// fileKind tells a file's kind from its top-level keys (kindUnknown:
// none; an error: not JSON or YAML).
func fileKind(file string, data []byte) (inputKind, error) {
	root, err := tree.Decode(file, data)
	if err != nil {
		return kindUnknown, err
	}
	n := root
	if n.Kind == tree.Array && len(n.Items) > 0 {
		n = n.Items[0] // get-account-authorization-details pages
		if hasAny(n, iamKeys) {
			return kindIAM, nil
		}
	}
	if n.Kind == tree.Object {
		switch {
		case hasAny(n, iamKeys):
			return kindIAM, nil
		case hasAny(n, scenarioKeys):
			return kindScenario, nil
		case hasAny(n, orgKeys):
			return kindOrg, nil
		case len(n.Keys) > 0 && allARNs(n.Keys):
			return kindResources, nil
		case n.Get("policies") != nil && n.Get("source") != nil:
			return kindAWSManaged, nil // iam-dataset's aws-managed-policies.json
		}
	}
	return kindUnknown, nil
}

// unrecognised is the error for a file of no known kind: the scenario
// parser's (where it went wrong, read as a world file), then what else
// was looked for.
func unrecognised(file string, data []byte, opts Options) error {
	_, err := Parse(file, data, opts)
	if err == nil {
		return nil // a scenario after all ({}: an empty world)
	}
	var te *tree.Error
	if errors.As(err, &te) {
		e := *te
		e.Msg += "; " + notRecognised("file")
		return &e
	}
	return fmt.Errorf("%w; %s", err, notRecognised("file"))
}

func hasAny(n *tree.Node, keys []string) bool {
	if n.Kind != tree.Object {
		return false
	}
	for _, k := range keys {
		if n.Get(k) != nil {
			return true
		}
	}
	return false
}

func allARNs(keys []string) bool {
	for _, k := range keys {
		if !strings.HasPrefix(k, "arn:") {
			return false
		}
	}
	return true
}

// folderKind tells an organizations export (list-roots.json) from a
// resource-policy collect layout (region folders, files named by
// URL-encoded ARNs); anything else is kindUnknown.
func folderKind(entries []fs.DirEntry) inputKind {
	for _, e := range entries {
		if !e.IsDir() && strings.TrimSuffix(e.Name(), ".json") == "list-roots" {
			return kindOrg
		}
	}
	for _, e := range entries {
		name := strings.ToLower(e.Name())
		if (e.IsDir() && regionName.MatchString(name)) || (!e.IsDir() && strings.HasPrefix(name, "arn%3a")) {
			return kindResources
		}
	}
	return kindUnknown
}

// notRecognised says what LoadInputs looks for.
func notRecognised(what string) string {
	return "not a " + what + " Clearance recognises: expected the output of " +
		"`aws iam get-account-authorization-details --output json` (UserDetailList, GroupDetailList, RoleDetailList, Policies), " +
		"a resource-policy bundle ({\"arn:...\": the output of get-bucket-policy, get-key-policy, ...}) or a collect folder (REGION/sts-get-caller-identity.json, REGION/s3-get-bucket-policy/...), " +
		"an organizations export (a folder with list-roots.json, or a bundle with the same keys), " +
		"or a scenario world file (world: with accounts or export:, see corpus/README.md)"
}
