package cfn

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/change"
)

// summary writes an Edit on one line: kind, names, where it is, and where
// each statement of its documents is.
func summary(e change.Edit) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", e.Kind, e.Name)
	if e.Path != "" && e.Path != "/" {
		b.WriteString(" path=" + e.Path)
	}
	if e.Owner != nil {
		fmt.Fprintf(&b, " owner=%s/%s", e.Owner.Kind, e.Owner.Name)
	}
	for _, f := range [][2]string{{"arn", e.PolicyARN}, {"group", e.Group}, {"resource", e.Resource}, {"target", e.Target},
		{"kind", string(e.PolicyKind)}, {"boundary", e.Boundary}} {
		if f[1] != "" {
			b.WriteString(" " + f[0] + "=" + f[1])
		}
	}
	if e.MaxSessionDuration != 0 {
		fmt.Fprintf(&b, " max=%d", e.MaxSessionDuration)
	}
	if len(e.Tags) > 0 {
		fmt.Fprintf(&b, " tags=%v", e.Tags)
	}
	fmt.Fprintf(&b, " @%d:%d %s", e.At.Line, e.At.Col, e.At.Address)
	if e.Trust != nil {
		b.WriteString(" trust")
		for _, s := range e.Trust.Statements {
			fmt.Fprintf(&b, " %d:%d", s.At.Line, s.At.Col)
		}
	}
	if e.Policy != nil {
		b.WriteString(" statements")
		for _, s := range e.Policy.Statements {
			fmt.Fprintf(&b, " %d:%d", s.At.Line, s.At.Col)
		}
	}
	if len(e.Assumes) > 0 {
		fmt.Fprintf(&b, " assumes=%v", e.Assumes)
	}
	return b.String()
}

func parseFile(t *testing.T, name string, opts Options) *change.Set {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse("testdata/"+name, data, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The Edits of every resource type, from the "Properties" and "Return
// values" sections of each type's page in the CloudFormation template
// reference (see iam.go, respol.go, lambda.go).
func TestResourceTypes(t *testing.T) {
	s := parseFile(t, "resources.yaml", Options{Account: "123456789012", Region: "us-east-1"})
	want := []string{
		"role app path=/svc/ boundary=arn:aws:iam::123456789012:policy/boundary max=7200 tags=map[team:core] @8:3 AppRole trust 19:13",
		// a JSON document in a literal block (through !Sub) keeps its lines
		"inline-policy read owner=role/app @8:3 AppRole statements 26:28",
		"attachment  owner=role/app arn=arn:aws:iam::123456789012:policy/boundary @8:3 AppRole",
		"managed-policy boundary @29:3 Boundary statements 35:21",
		"attachment  owner=group/UNKNOWN-.Ref.Devs arn=arn:aws:iam::123456789012:policy/boundary @29:3 Boundary",
		"group UNKNOWN-.Ref.Devs @37:3 Devs",
		// a JSON document in a quoted string: its statements at the string
		"inline-policy g owner=group/UNKNOWN-.Ref.Devs @37:3 Devs statements 42:27",
		"user alice @43:3 Alice",
		"membership  owner=user/alice group=UNKNOWN-.Ref.Devs @43:3 Alice",
		"inline-policy extra owner=role/app @49:3 Extra statements 53:59",
		"inline-policy extra owner=user/alice @49:3 Extra statements 53:59",
		"inline-policy ri owner=role/app @56:3 RoleInline statements 61:59",
		"inline-policy ui owner=user/alice @62:3 UserInline statements 64:80",
		"inline-policy gi owner=group/ops @65:3 GroupInline statements 67:79",
		"membership  owner=user/alice group=ops @68:3 Add",
		"membership  owner=user/bob group=ops @68:3 Add",
		"resource-policy  resource=arn:aws:sqs:us-east-1:123456789012:UNKNOWN-.GetAtt.Jobs.QueueName @73:3 JobsPolicy statements 78:21",
		"resource-policy  resource=arn:aws:sqs:eu-west-1:222222222222:other @73:3 JobsPolicy statements 78:21",
		"resource-policy  resource=arn:aws:sns:us-east-1:123456789012:alerts @82:3 TopicPolicy statements 87:21",
		"resource-policy  resource=arn:aws:kms:us-east-1:123456789012:key/UNKNOWN-.Ref.Key @88:3 Key statements 94:21",
		// no KeyPolicy: KMS's default key policy, at the resource
		"resource-policy  resource=arn:aws:kms:us-east-1:123456789012:key/UNKNOWN-.Ref.DefaultKey @95:3 DefaultKey statements 95:3",
		"resource-statement  resource=arn:aws:lambda:us-east-1:123456789012:function:worker @97:3 Invoke statements 97:3",
		"resource-statement  resource=arn:aws:lambda:us-east-1:123456789012:function:web:live @105:3 PublicUrl statements 105:3",
		"resource-policy  resource=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-UNKNOWN-.Ref.Secret @112:3 SecretPolicy statements 116:59",
		"org-policy deny-leave kind=scp @120:3 Scp statements 125:16",
		"org-attachment deny-leave target=r-abcd @120:3 Scp",
		"org-attachment deny-leave target=ou-abcd-11111111 @120:3 Scp",
		"org-policy rcp kind=rcp @127:3 Rcp statements 132:52",
	}
	var got []string
	for _, e := range s.Edits {
		got = append(got, summary(e))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("edits:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var syms []string
	for _, sym := range s.Symbols {
		syms = append(syms, fmt.Sprintf("%s=%s @%d:%d %s", sym.Expr, sym.Text, sym.At.Line, sym.At.Col, sym.At.Address))
	}
	wantSyms := []string{
		"!Ref Devs=UNKNOWN-.Ref.Devs @37:3 Boundary",
		"!GetAtt Jobs.QueueName=UNKNOWN-.GetAtt.Jobs.QueueName @71:3 Extra",
		"!Ref Key=UNKNOWN-.Ref.Key @88:3 Key",
		"!Ref DefaultKey=UNKNOWN-.Ref.DefaultKey @95:3 DefaultKey",
		"!Ref Secret=UNKNOWN-.Ref.Secret @115:17 SecretPolicy",
	}
	if strings.Join(syms, "\n") != strings.Join(wantSyms, "\n") {
		t.Errorf("symbols:\n%s\nwant:\n%s", strings.Join(syms, "\n"), strings.Join(wantSyms, "\n"))
	}
}
