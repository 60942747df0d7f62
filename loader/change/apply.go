package change

import (
	"errors"
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// Applied says what applying a Set found besides the world after it.
type Applied struct {
	// UnknownManaged lists the AWS managed policies the change attaches
	// (or sets as a boundary) whose documents neither the world nor
	// Options.AWSManaged holds, once each, where first attached. The world
	// after the change keeps the reference to a ManagedPolicy with no
	// document (Source says so); a review reports each one, since what it
	// grants is unknown, not nothing.
	UnknownManaged []UnknownPolicy
	// UnknownDocuments lists the documents the change writes that are
	// known only after deployment (Edit.Unknown), in order.
	UnknownDocuments []UnknownDocument
	// Warnings name edits that changed nothing (deleting what the world
	// does not have) and guesses Apply had to make (an account created in
	// the organization).
	Warnings []Warning
	// Statements maps every policy document the change wrote, by its name
	// in the world (an inline policy's world.InlinePolicyName, a managed
	// policy's ARN, world.TrustPolicyName, a resource's ARN+"#policy",
	// world.OrgPolicyName), to where each of its statements is written,
	// by statement index: findings about a statement point there.
	Statements map[string][]Source
}

// UnknownPolicy is an AWS managed policy whose document is unknown, and
// where the change first attaches it.
type UnknownPolicy struct {
	ARN string
	At  Source
}

// Warning is something a review should show about an Edit.
type Warning struct {
	Msg string
	At  Source
}

// Options say where Apply finds what the world lacks.
type Options struct {
	// AWSManaged returns the AWS managed policy arn, or nil when it does
	// not know it: (*export.AWSManagedPolicies).Policy, for a world with an
	// aws_managed source. Consulted when the world holds no copy.
	AWSManaged func(arn string) (*world.ManagedPolicy, error)
}

// Apply returns the world after the change s: a new world, w untouched.
// See ApplyReport.
func Apply(w *world.World, s *Set) (*world.World, error) {
	out, _, err := ApplyReport(w, s, Options{})
	return out, err
}

// ApplyReport applies every Edit of s, in order, to a copy of w: to the
// account s.Account (created, empty, when w lacks it), to the owners of
// the resources it names, and to the organization (a minimal one, root
// r-root, when w has none and the change edits SCPs or RCPs). An Edit
// that names something the world does not have after the whole change (an
// inline policy of a role nobody creates, a group nobody declares) is a
// *tree.Error at the Edit's Source, as AWS would fail the deployment;
// Edits are applied in order, and one whose reference a later Edit
// creates is applied after the others.
func ApplyReport(w *world.World, s *Set, opts Options) (*world.World, *Applied, error) {
	if w == nil {
		w = &world.World{}
	}
	ap := &applier{s: s, w: cloneWorld(w), opts: opts, out: &Applied{Statements: map[string][]Source{}},
		partition: s.Partition}
	if ap.partition == "" {
		ap.partition = "aws"
	}
	if err := ap.target(); err != nil {
		return nil, nil, err
	}
	var deferred []int
	for i := range s.Edits {
		err := ap.edit(&s.Edits[i])
		var m *missing
		switch {
		case errors.As(err, &m):
			deferred = append(deferred, i)
		case err != nil:
			return nil, nil, err
		}
	}
	for _, i := range deferred {
		if err := ap.edit(&s.Edits[i]); err != nil {
			var m *missing
			if errors.As(err, &m) {
				err = m.err
			}
			return nil, nil, err
		}
	}
	return ap.w, ap.out, nil
}

// applier applies one Set to one copy of a world.
type applier struct {
	s         *Set
	w         *world.World
	acct      *world.Account // the target account
	partition string
	opts      Options
	out       *Applied
}

// target finds (or creates) the account the change deploys to.
func (ap *applier) target() error {
	id := ap.s.Account
	if id == "" && len(ap.w.Accounts) == 1 {
		id = ap.w.Accounts[0].ID
	}
	if !world.AccountIDPattern.MatchString(id) {
		return &tree.Error{File: firstFile(ap.s), Code: tree.CodeInvalidValue,
			Msg: fmt.Sprintf("the change's target account %q is not 12 digits (--account)", id)}
	}
	ap.acct = ap.account(id, Source{File: firstFile(ap.s)})
	return nil
}

func firstFile(s *Set) string {
	if len(s.Files) > 0 {
		return s.Files[0]
	}
	return ""
}

// account returns the world's account id, adding an empty one when the
// world lacks it. In a world with an organization it is placed under the
// root, and a warning says so.
func (ap *applier) account(id string, at Source) *world.Account {
	for _, a := range ap.w.Accounts {
		if a.ID == id {
			return a
		}
	}
	a := &world.Account{ID: id, At: loc(at)}
	ap.w.Accounts = append(ap.w.Accounts, a)
	if ap.w.Organization != nil {
		ap.warn(at, "account %s is not in the world; it is added under the organization's root", id)
	}
	return a
}

func (ap *applier) warn(at Source, format string, args ...any) {
	ap.out.Warnings = append(ap.out.Warnings, Warning{Msg: fmt.Sprintf(format, args...), At: at})
}

// edit applies one Edit.
func (ap *applier) edit(e *Edit) error {
	if e.Op != Put && e.Op != Delete {
		return errAt(e.At, tree.CodeInvalidValue, "edit of %s %q: unknown operation %q (put or delete)", e.Kind, e.Name, e.Op)
	}
	f, ok := map[Kind]func(*Edit) error{
		User: ap.user, Group: ap.group, Role: ap.role, ManagedPolicy: ap.managed,
		InlinePolicy: ap.inline, Attachment: ap.attachment, Membership: ap.membership, TrustPolicy: ap.trust,
		ResourcePolicy: ap.resourcePolicy, ResourceStatement: ap.resourceStatement,
		OrgPolicy: ap.orgPolicy, OrgAttachment: ap.orgAttachment,
	}[e.Kind]
	if !ok {
		return errAt(e.At, tree.CodeInvalidValue, "edit of %q: unknown kind %q", e.Name, e.Kind)
	}
	if done, err := ap.unknownDocument(e); done {
		return err
	}
	return f(e)
}

// errAt is a coded error at a change's Source: the file, line and column,
// and the resource's address in place of a JSON path.
func errAt(at Source, code, format string, args ...any) *tree.Error {
	return &tree.Error{File: at.File, Line: at.Line, Col: at.Col, Path: at.Address, Code: code, Msg: fmt.Sprintf(format, args...)}
}

// missing is a reference to something the world does not have (yet): the
// Edit is tried again once every other Edit is applied.
type missing struct{ err *tree.Error }

func (m *missing) Error() string { return m.err.Error() }
func (m *missing) Unwrap() error { return m.err }

func missingAt(at Source, format string, args ...any) error {
	return &missing{errAt(at, tree.CodeUnknownReference, format, args...)}
}

// loc is a Source as a tree.Loc, for the world's At and Refs.
func loc(at Source) tree.Loc { return tree.Loc{File: at.File, Line: at.Line, Col: at.Col} }

// iamARN is the ARN of an IAM entity of the target account.
func (ap *applier) iamARN(kind, path, name string) string {
	return "arn:" + ap.partition + ":iam::" + ap.acct.ID + ":" + kind + path + name
}

// checkName refuses a name IAM refuses. A symbol (a value known only
// after deployment) may be longer than IAM allows: the real name will fit.
func checkName(kind, name string, at Source) error {
	check := name
	if strings.HasPrefix(name, "UNKNOWN-") && len(check) > 64 {
		check = check[:64]
	}
	if err := world.CheckName(kind, check); err != nil {
		return errAt(at, tree.CodeInvalidName, "%v", err)
	}
	return nil
}

// index returns the position of the first element whose name equals name
// regardless of case (IAM names are unique regardless of case), or -1.
func index[T any](list []*T, name string, nameOf func(*T) string) int {
	for i, v := range list {
		if strings.EqualFold(nameOf(v), name) {
			return i
		}
	}
	return -1
}

func userName(u *world.User) string            { return u.Name }
func groupName(g *world.Group) string          { return g.Name }
func roleName(r *world.Role) string            { return r.Name }
func policyName(p *world.ManagedPolicy) string { return p.Name }

// remove returns list without its element i.
func remove[T any](list []T, i int) []T {
	return append(list[:i:i], list[i+1:]...)
}
