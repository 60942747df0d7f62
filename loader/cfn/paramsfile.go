package cfn

import (
	"fmt"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/tree"
)

// ReadParams reads a parameters file in the form aws cloudformation
// create-stack --parameters takes: [{"ParameterKey": K, "ParameterValue":
// V}, ...] (https://docs.aws.amazon.com/cli/latest/reference/cloudformation/create-stack.html,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Parameter.html).
// An entry may say "UsePreviousValue": false; true (keep the deployed
// stack's value) is refused, as the value cannot be known here.
func ReadParams(rd *files.Reader, path string) (map[string]string, error) {
	data, err := rd.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("CloudFormation parameters: %w", err)
	}
	return parseParams(path, data)
}

func parseParams(file string, data []byte) (map[string]string, error) {
	n, err := tree.DecodeJSON(file, data)
	if err != nil {
		return nil, err
	}
	if n.Kind != tree.Array {
		return nil, tree.ErrAt(n, file, tree.CodeWrongType,
			`a parameters file is a list of {"ParameterKey": ..., "ParameterValue": ...}; got %s`, n.Kind)
	}
	out := map[string]string{}
	for _, it := range n.Items {
		if it.Kind != tree.Object {
			return nil, tree.ErrAt(it, file, tree.CodeWrongType, `a parameter is {"ParameterKey": ..., "ParameterValue": ...}; got %s`, it.Kind)
		}
		for i, k := range it.Keys {
			if k != "ParameterKey" && k != "ParameterValue" && k != "UsePreviousValue" && k != "ResolvedValue" {
				return nil, tree.ErrAt(it.KeyNode(i), file, tree.CodeUnknownElement,
					"unknown key %q; a parameter has ParameterKey, ParameterValue and UsePreviousValue", k)
			}
		}
		key, val, prev := it.Get("ParameterKey"), it.Get("ParameterValue"), it.Get("UsePreviousValue")
		switch {
		case key == nil || key.Kind != tree.String || key.Str == "":
			return nil, tree.ErrAt(it, file, tree.CodeMissingElement, "a parameter needs ParameterKey, a string")
		case prev != nil && (prev.Kind != tree.Bool || prev.Bool):
			return nil, tree.ErrAt(prev, file, tree.CodeInvalidValue,
				"UsePreviousValue keeps the deployed stack's value, which a review cannot know; give ParameterValue")
		case val == nil || val.Kind != tree.String:
			at := it
			if val != nil {
				at = val
			}
			return nil, tree.ErrAt(at, file, tree.CodeWrongType, "parameter %s needs ParameterValue, a string", key.Str)
		}
		if _, dup := out[key.Str]; dup {
			return nil, tree.ErrAt(key, file, tree.CodeDuplicate, "parameter %s is given twice", key.Str)
		}
		out[key.Str] = val.Str
	}
	return out, nil
}
