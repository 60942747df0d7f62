package tfplan

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/tree"
)

// Options say where the plan deploys: they resolve the account, region
// and partition of the ARNs the reader builds.
type Options struct {
	// Account is the target account ID (default DefaultAccount, the
	// review's account when it has no world).
	Account string
	// Region defaults to us-east-1, Partition to aws.
	Region, Partition string
}

// DefaultAccount is the account a plan deploys to when Options name none.
const DefaultAccount = "111111111111"

func (o Options) withDefaults() Options {
	if o.Account == "" {
		o.Account = DefaultAccount
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.Partition == "" {
		o.Partition = "aws"
	}
	return o
}

// Read reads the plan at path (through rd, so only allowed files) into a
// change.Set.
func Read(rd *files.Reader, path string, opts Options) (*change.Set, error) {
	data, err := rd.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read terraform plan: %w", err)
	}
	return Parse(path, data, opts)
}

// Parse reads a plan's bytes; file names it in positions and in the Set.
func Parse(file string, data []byte, opts Options) (*change.Set, error) {
	opts = opts.withDefaults()
	root, err := tree.DecodeJSON(file, data)
	if err != nil {
		return nil, err
	}
	if err := checkShape(root); err != nil {
		return nil, err
	}
	var plan tfjson.Plan
	plan.UseJSONNumber(true)
	if err := json.Unmarshal(data, &plan); err != nil {
		return nil, libraryError(root, data, err)
	}
	r := newReader(file, opts, root, &plan)
	if err := r.index(); err != nil {
		return nil, err
	}
	if err := r.edits(); err != nil {
		return nil, err
	}
	return r.finish(), nil
}

// checkShape refuses what is not a plan before the library reads it, so
// the errors say where and what: a state file, another JSON document, a
// format version the reader does not know, members of the wrong type.
func checkShape(root *tree.Node) error {
	if root.Kind != tree.Object {
		return tree.ErrAt(root, "", tree.CodeWrongType, "not a Terraform plan: expected the JSON object `terraform show -json PLANFILE` writes; got %s", root.Kind)
	}
	fv := root.Get("format_version")
	if fv == nil {
		what := "expected the output of `terraform show -json PLANFILE`"
		if root.Get("values") != nil {
			what = "this looks like a Terraform state (`terraform show -json` without a plan file)"
		}
		return tree.ErrAt(root, "", tree.CodeMissingElement, "not a Terraform plan: no format_version; %s", what)
	}
	if fv.Kind != tree.String {
		return tree.ErrAt(fv, "", tree.CodeWrongType, "format_version must be a string; got %s", fv.Kind)
	}
	if !supportedVersion(fv.Str) {
		return tree.ErrAt(fv, "", tree.CodeInvalidVersion, "unsupported plan format_version %q: expected 1.x (Terraform 1.x, `terraform show -json`)", fv.Str)
	}
	if root.Get("resource_changes") == nil && root.Get("planned_values") == nil {
		return tree.ErrAt(root, "", tree.CodeMissingElement, "not a Terraform plan: neither resource_changes nor planned_values")
	}
	if err := arrayOfObjects(root.Get("resource_changes"), "resource_changes"); err != nil {
		return err
	}
	for _, key := range []string{"planned_values", "prior_state", "configuration"} {
		if n := root.Get(key); n != nil && n.Kind != tree.Object && n.Kind != tree.Null {
			return tree.ErrAt(n, "", tree.CodeWrongType, "%s must be an object; got %s", key, n.Kind)
		}
	}
	for _, rc := range items(root.Get("resource_changes")) {
		if err := checkResourceChange(rc); err != nil {
			return err
		}
	}
	return nil
}

func checkResourceChange(rc *tree.Node) error {
	for _, key := range []string{"address", "type", "mode"} {
		if v := rc.Get(key); v == nil || v.Kind != tree.String || v.Str == "" {
			return tree.ErrAt(orNode(v, rc), "", tree.CodeMissingElement, "resource change: %q must be a non-empty string", key)
		}
	}
	ch := rc.Get("change")
	if ch == nil || ch.Kind != tree.Object {
		return tree.ErrAt(orNode(ch, rc), "", tree.CodeMissingElement, "resource change %s: expected a change object", rc.Get("address").Str)
	}
	acts := ch.Get("actions")
	if acts == nil || acts.Kind != tree.Array || len(acts.Items) == 0 || len(acts.Items) > 2 {
		return tree.ErrAt(orNode(acts, ch), "", tree.CodeMissingElement, "resource change %s: expected change.actions, a list of one or two actions", rc.Get("address").Str)
	}
	for _, a := range acts.Items {
		switch tfjson.Action(a.Str) {
		case tfjson.ActionNoop, tfjson.ActionCreate, tfjson.ActionRead, tfjson.ActionUpdate, tfjson.ActionDelete, tfjson.ActionForget:
			if a.Kind == tree.String {
				continue
			}
		}
		return tree.ErrAt(a, "", tree.CodeInvalidValue, "unknown action %s: expected no-op, create, read, update, delete or forget", describe(a))
	}
	for _, key := range []string{"before", "after"} {
		if v := ch.Get(key); v != nil && v.Kind != tree.Object && v.Kind != tree.Null {
			return tree.ErrAt(v, "", tree.CodeWrongType, "resource change %s: change.%s must be an object or null; got %s", rc.Get("address").Str, key, v.Kind)
		}
	}
	return nil
}

func arrayOfObjects(n *tree.Node, what string) error {
	if n == nil || n.Kind == tree.Null {
		return nil
	}
	if n.Kind != tree.Array {
		return tree.ErrAt(n, "", tree.CodeWrongType, "%s must be a list; got %s", what, n.Kind)
	}
	for _, it := range n.Items {
		if it.Kind != tree.Object {
			return tree.ErrAt(it, "", tree.CodeWrongType, "%s: expected an object; got %s", what, it.Kind)
		}
	}
	return nil
}

func items(n *tree.Node) []*tree.Node {
	if n == nil || n.Kind != tree.Array {
		return nil
	}
	return n.Items
}

func orNode(n, fallback *tree.Node) *tree.Node {
	if n != nil {
		return n
	}
	return fallback
}

func describe(n *tree.Node) string {
	if n.Kind == tree.String {
		return strconv.Quote(n.Str)
	}
	return n.Kind.String()
}

// libraryError places an error of terraform-json. A type error names the
// member path (Field) and the byte offset where decoding stopped: the
// tree node on that path that starts last before the offset is the one.
// Other errors (a format version it refuses) are placed at the root.
func libraryError(root *tree.Node, data []byte, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		n := locateField(root, strings.Split(te.Field, "."), offsetPos(data, te.Offset))
		return &tree.Error{File: root.File, Path: n.Path(), Line: n.Line, Col: n.Col, Code: tree.CodeWrongType, Err: err,
			Msg: fmt.Sprintf("terraform plan: %s must be %s; got %s", te.Field, te.Type, te.Value)}
	}
	code := tree.CodeInvalidValue
	if strings.Contains(err.Error(), "format version") {
		code = tree.CodeInvalidVersion
	}
	return &tree.Error{File: root.File, Path: root.Path(), Line: root.Line, Col: root.Col, Code: code, Err: err,
		Msg: "terraform plan: " + err.Error()}
}

// supportedVersion reports whether a plan's format_version is one
// terraform-json reads (>= 0.1, < 2.0).
func supportedVersion(v string) bool {
	major, minor, _ := strings.Cut(v, ".")
	ma, err := strconv.Atoi(major)
	if err != nil {
		return false
	}
	mi, err := strconv.Atoi(strings.SplitN(minor, ".", 2)[0])
	if err != nil {
		return false
	}
	return ma == 1 && mi >= 0 || ma == 0 && mi >= 1
}

// offsetPos is the line and column of a byte offset of data.
func offsetPos(data []byte, off int64) tree.Pos {
	off = max(0, min(off, int64(len(data))))
	line, start := 1, 0
	for i := 0; i < int(off); i++ {
		if data[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return tree.Pos{Line: line, Col: utf8.RuneCount(data[start:off]) + 1}
}

// locateField follows a member path (as encoding/json names it, without
// array indexes) from root; in an array it takes the last item starting
// before pos.
func locateField(root *tree.Node, fields []string, pos tree.Pos) *tree.Node {
	n := root
	for _, f := range fields {
		for n.Kind == tree.Array && len(n.Items) > 0 {
			n = lastBefore(n.Items, pos)
		}
		next := n.Get(f)
		if next == nil {
			break
		}
		n = next
	}
	for n.Kind == tree.Array && len(n.Items) > 0 {
		n = lastBefore(n.Items, pos)
	}
	return n
}

func lastBefore(nodes []*tree.Node, pos tree.Pos) *tree.Node {
	best := nodes[0]
	for _, it := range nodes[1:] {
		if it.Line < pos.Line || it.Line == pos.Line && it.Col <= pos.Col {
			best = it
		}
	}
	return best
}
