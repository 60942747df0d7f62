package cfn

import (
	"fmt"
	"sort"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/tree"
)

// Options says where the stack deploys.
type Options struct {
	// Account resolves AWS::AccountId (a symbol when empty); Region
	// AWS::Region (default us-east-1); Partition AWS::Partition (default
	// aws); StackName AWS::StackName (default stack).
	Account, Region, Partition, StackName string
	// Params are the parameters' values, overriding their defaults.
	// Values for parameters the template does not declare are ignored (one
	// parameters file may serve several templates).
	Params map[string]string
}

func (o Options) withDefaults() Options {
	if o.Partition == "" {
		o.Partition = "aws"
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.StackName == "" {
		o.StackName = "stack"
	}
	return o
}

// Read reads the template at path through rd and evaluates it (see Parse).
func Read(rd *files.Reader, path string, opts Options) (*change.Set, error) {
	data, err := rd.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("CloudFormation template: %w", err)
	}
	return Parse(path, data, opts)
}

// Parse evaluates a template read from file into the change it makes.
func Parse(file string, data []byte, opts Options) (*change.Set, error) {
	root, err := decode(file, data)
	if err != nil {
		return nil, err
	}
	t := newTemplate(file, root, opts.withDefaults())
	if err := t.sections(); err != nil {
		return nil, err
	}
	if err := t.checkCycles(); err != nil {
		return nil, err
	}
	for _, id := range t.order {
		if err := t.build(t.resources[id]); err != nil {
			return nil, err
		}
	}
	return t.set, nil
}

// The top-level sections of a template
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html).
var sectionNames = map[string]bool{
	"AWSTemplateFormatVersion": true, "Description": true, "Metadata": true, "Parameters": true,
	"Rules": true, "Mappings": true, "Conditions": true, "Transform": true, "Resources": true,
	"Outputs": true, "Hooks": true,
}

// sections checks the template's shape and reads its parameters and
// resources.
func (t *template) sections() error {
	r := t.root
	if r.kind != tree.Object {
		return t.errAt(r, tree.CodeWrongType, "a template is a mapping of sections (Resources, Parameters, ...); got %s", r.kind)
	}
	for i, k := range r.keys {
		if !sectionNames[k] {
			return t.keyErr(r, i, tree.CodeUnknownElement, "unknown template section %q (CloudFormation rejects it)", k)
		}
	}
	if tr := r.get("Transform"); tr != nil {
		return t.errAt(tr, tree.CodeForbiddenElement,
			"the template declares a Transform (a macro such as AWS::Serverless or AWS::LanguageExtensions rewrites it at deployment); review the processed template (sam build, aws cloudformation package, or the stack's processed template)")
	}
	for _, s := range []string{"Parameters", "Mappings", "Conditions"} {
		if n := r.get(s); n != nil && n.kind != tree.Object {
			return t.errAt(n, tree.CodeWrongType, "%s is a mapping; got %s", s, n.kind)
		}
	}
	t.mappings, t.conditions = r.get("Mappings"), r.get("Conditions")
	if err := t.readParams(); err != nil {
		return err
	}
	return t.readResources()
}

// readResources reads each resource's type and condition.
func (t *template) readResources() error {
	res := t.root.get("Resources")
	if res == nil {
		return &tree.Error{File: t.file, Line: t.root.line, Col: t.root.col, Path: "$", Code: tree.CodeMissingElement,
			Msg: "the template has no Resources section; CloudFormation requires one"}
	}
	if res.kind != tree.Object || len(res.keys) == 0 {
		return t.errAt(res, tree.CodeWrongType, "Resources is a mapping of logical IDs to resources, at least one")
	}
	for i, id := range res.keys {
		n := res.vals[i]
		if !alnum(id) {
			return t.keyErr(res, i, tree.CodeInvalidName, "logical ID %q: CloudFormation allows letters and digits only", id)
		}
		if n.kind != tree.Object {
			return t.errAt(n, tree.CodeWrongType, "a resource is a mapping with Type and Properties; got %s", n.kind)
		}
		typ := n.get("Type")
		if typ == nil || typ.kind != tree.String || typ.tag != "" {
			at := n
			if typ != nil {
				at = typ
			}
			return t.errAt(at, tree.CodeMissingElement, "resource %s needs a Type, a string such as AWS::IAM::Role", id)
		}
		r := &resource{id: id, typ: typ.str, node: n, props: n.get("Properties"), key: res.keyPos[i],
			memo: map[string]*tree.Node{}, busy: map[string]bool{}}
		if r.props != nil && r.props.kind != tree.Object && r.props.kind != tree.Null {
			return t.errAt(r.props, tree.CodeWrongType, "Properties is a mapping; got %s", r.props.kind)
		}
		if c := n.get("Condition"); c != nil {
			if c.kind != tree.String || c.tag != "" {
				return t.errAt(c, tree.CodeWrongType, "a resource's Condition names a condition of the Conditions section")
			}
			r.cond = c
		}
		t.resources[id] = r
		t.order = append(t.order, id)
	}
	return nil
}

func alnum(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// sortedKeys returns a map's keys in order (for messages).
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
