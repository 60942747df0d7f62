package scenario

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// LoadInputs reads a world from the files and folders a user names: one
// scenario file (a world, inline or export:), or the raw outputs of the
// AWS CLI, told apart by their content:
//
//   - aws iam get-account-authorization-details (a JSON object, or a list
//     of pages, with UserDetailList, GroupDetailList, RoleDetailList or
//     Policies); several files are read as one (pages, or accounts: each
//     entity's account comes from its ARN);
//   - a resource-policy bundle ({"arn:...": CLI output}) or a folder in
//     CloudMapper's collect layout (REGION/sts-get-caller-identity.json,
//     or files named by URL-encoded ARNs);
//   - an organizations export: a folder holding list-roots.json, or a
//     bundle keyed by the commands (list-roots, describe-policy, ...);
//   - a folder holding any of these (named directly, not nested).
//
// It reads only the named files and folders and opts.AllowPaths (a file's
// own folder for a scenario, whose world may name files beside it).
func LoadInputs(paths []string, opts Options) (*Scenario, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("no input: give a scenario file or the AWS CLI outputs to read")
	}
	roots := append([]string(nil), opts.AllowPaths...)
	for _, p := range paths {
		roots = append(roots, containing(p))
	}
	rd := files.Confined(opts.MaxInputSize, roots...)
	defer rd.Close()
	in := &inputs{rd: rd, opts: opts}
	for _, p := range paths {
		if len(paths) > 1 && !isDir(p) && !readsFile(p) {
			in.skipped = append(in.skipped, p) // a folder's README.md, named by the shell's folder/*
			continue
		}
		if err := in.classify(p, true); err != nil {
			return nil, err
		}
	}
	if len(in.scenarios) > 0 {
		if len(paths) > 1 || len(in.scenarios) > 1 {
			return nil, fmt.Errorf("%s: a scenario file is read alone; name the raw exports in its world (export: {iam: [...], resources: [...], organization: ...}) or give only the raw exports", in.scenarios[0])
		}
		return Parse(in.scenarios[0], in.scenarioData, opts)
	}
	return in.world(paths)
}

// containing is the folder a named input may be read from: a folder
// itself, a file's own folder.
func containing(p string) string {
	if isDir(p) {
		return p
	}
	return filepath.Dir(p)
}

// inputs sorts the named paths by what they hold.
type inputs struct {
	rd                   *files.Reader
	scenarios            []string
	scenarioData         []byte
	iam, resources, orgs []string
	awsManaged           []string // iam-dataset's AWS managed policies
	skipped              []string // named files that are not JSON or YAML
	opts                 Options
}

// classify places one path; top says it was named by the user (a folder
// named directly may hold exports of every kind).
func (in *inputs) classify(p string, top bool) error {
	info, err := in.rd.Stat(p)
	if err != nil {
		return fmt.Errorf("read %s: %w", p, err)
	}
	if info.IsDir() {
		return in.folder(p, top)
	}
	data, err := in.rd.ReadFile(p)
	if err != nil {
		return fmt.Errorf("read %s: %w", p, err)
	}
	kind, err := fileKind(p, data)
	if err != nil {
		return err
	}
	if kind == kindUnknown {
		if err := unrecognised(p, data, in.opts); err != nil {
			return err
		}
		kind = kindScenario
	}
	switch kind {
	case kindScenario:
		in.scenarios, in.scenarioData = append(in.scenarios, p), data
	case kindIAM:
		in.iam = append(in.iam, p)
	case kindResources:
		in.resources = append(in.resources, p)
	case kindOrg:
		in.orgs = append(in.orgs, p)
	case kindAWSManaged:
		in.awsManaged = append(in.awsManaged, p)
	}
	return nil
}

// folder places a folder: an organizations export, a collect layout, or
// (named directly) a folder of exports.
func (in *inputs) folder(p string, top bool) error {
	entries, err := in.rd.ReadDir(p)
	if err != nil {
		return fmt.Errorf("read %s: %w", p, err)
	}
	switch folderKind(entries) {
	case kindOrg:
		in.orgs = append(in.orgs, p)
		return nil
	case kindResources:
		in.resources = append(in.resources, p)
		return nil
	}
	if !top {
		return fmt.Errorf("%s: %s", p, notRecognised("folder"))
	}
	for _, e := range entries {
		if !readsEntry(e) {
			continue // README.md and the like: not an export
		}
		if err := in.classify(filepath.Join(p, e.Name()), false); err != nil {
			return err
		}
	}
	return nil
}

// world builds the world of the raw exports, as a scenario world's
// export: section would (decodeExport).
func (in *inputs) world(paths []string) (*Scenario, error) {
	if len(in.orgs) > 1 {
		return nil, fmt.Errorf("%s and %s: two organizations exports; give one", in.orgs[0], in.orgs[1])
	}
	if len(in.awsManaged) > 1 || (len(in.awsManaged) == 1 && len(in.iam) == 0) {
		return nil, fmt.Errorf("%s: AWS managed policies fill in get-account-authorization-details exports: give one such file, with the exports", strings.Join(in.awsManaged, ", "))
	}
	if len(in.iam)+len(in.resources)+len(in.orgs) == 0 {
		return nil, fmt.Errorf("%s: no export found: %s", strings.Join(paths, ", "), notRecognised("folder"))
	}
	spec := &exportSpec{rd: in.rd, iam: pathNodesOf(in.iam), resources: pathNodesOf(in.resources)}
	if len(in.orgs) == 1 {
		spec.org = pathNodesOf(in.orgs)[0]
	}
	if len(in.awsManaged) == 1 {
		spec.awsManaged = pathNodesOf(in.awsManaged)[0]
	}
	w := &world.World{}
	if err := addExportedIAM(w, spec); err != nil {
		return nil, err
	}
	if err := addExportedResources(w, spec); err != nil {
		return nil, err
	}
	if spec.org != nil {
		if err := addExportedOrg(w, spec); err != nil {
			return nil, err
		}
	}
	for _, p := range in.skipped {
		w.Warnings = append(w.Warnings, p+": not read (not a .json, .yaml or .yml file)")
	}
	w.Sources = append(append(append(append([]string(nil), in.iam...), in.resources...), in.orgs...), in.awsManaged...)
	sort.Strings(w.Sources)
	return &Scenario{File: InputsName(paths), World: w}, nil
}

// InputsName is how reports and replay commands name the inputs: the one
// path, or the folder they are every export of (the shell's expansion of
// folder/*), or else the paths joined by spaces.
func InputsName(paths []string) string {
	if len(paths) == 1 {
		return paths[0]
	}
	if dir, ok := wholeFolder(paths); ok {
		return dir
	}
	return strings.Join(paths, " ")
}

// wholeFolder reports whether the paths are exactly the entries of one
// folder that LoadInputs reads when named that folder.
func wholeFolder(paths []string) (string, bool) {
	dir := filepath.Dir(paths[0])
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", false
	}
	want := map[string]bool{}
	for _, e := range entries {
		if readsEntry(e) {
			want[filepath.Join(dir, e.Name())] = true
		}
	}
	for _, p := range paths {
		if !isDir(p) && !readsFile(p) {
			continue // skipped by LoadInputs too
		}
		if !want[filepath.Clean(p)] {
			return "", false
		}
		delete(want, filepath.Clean(p))
	}
	return dir, len(want) == 0
}

// readsFile says whether a file is JSON or YAML by its name.
func readsFile(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".json" || ext == ".yaml" || ext == ".yml"
}

// readsEntry says whether a folder of exports' entry is read: folders,
// and JSON or YAML files, not hidden.
func readsEntry(e fs.DirEntry) bool {
	return !strings.HasPrefix(e.Name(), ".") && (e.IsDir() || readsFile(e.Name()))
}

// pathNodesOf makes command-line paths into the path nodes an export:
// section holds (no file: a path is taken as given).
func pathNodesOf(paths []string) []*tree.Node {
	out := make([]*tree.Node, len(paths))
	for i, p := range paths {
		out[i] = &tree.Node{Kind: tree.String, Str: p}
	}
	return out
}

// isDir says whether a named path is a folder (the reader is not open
// yet: this only chooses the folders it is confined to).
func isDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}
