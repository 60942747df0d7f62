package server

import (
	"strings"
	"testing"
)

// docWorld: carol's inline policy is YAML in the scenario (its statements
// are positioned in the scenario file), dave's is JSON text held in a
// YAML string (HeldIn: positioned in that string), and the organization
// has one SCP of its own; FullAWSAccess is AWS's default, which the store
// adds (orgs_manage_policies_scps.html).
const docWorld = `
world:
  organization:
    id: o-1
    management_account: "999999999999"
    policies:
      - name: NoLeave
        type: scp
        document: {Version: "2012-10-17", Statement: {Sid: Stay, Effect: Deny, Action: "organizations:LeaveOrganization", Resource: "*"}}
    root:
      id: r-1
      scps: [FullAWSAccess, NoLeave]
      children:
        - {name: Prod, id: ou-1}
  accounts:
    - id: "999999999999"
    - id: "111122223333"
      org_path: Prod
      users:
        - name: carol
          policies:
            - name: two
              document:
                Version: "2012-10-17"
                Statement:
                  - {Sid: First, Effect: Allow, Action: s3:GetObject, Resource: "*"}
                  - Sid: Second
                    Effect: Deny
                    Action: s3:PutObject
                    Resource: "*"
        - name: dave
          policies:
            - name: held
              document: '{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}, {"Sid": "B", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}'
`

// A document fetched by the name explanations give it comes with its ref
// and each statement's lines in the served text, whether the loader
// positioned it in the scenario file or in a string held in it; AWS's
// default SCP is found too. A statement's lines hold its Sid.
func TestPolicyStatementsPlaced(t *testing.T) {
	c := startWorld(t, docWorld, Config{}).client()
	for _, tc := range []struct {
		named, kind string
		sids        []string
	}{
		{"arn:aws:iam::111122223333:user/carol#two", refInline, []string{"First", "Second"}},
		{"arn:aws:iam::111122223333:user/dave#held", refInline, []string{"A", "B"}},
		{"scp/NoLeave", refSCP, []string{"Stay"}},
		{"scp/FullAWSAccess", refSCP, []string{""}},
	} {
		send(t, c, `{"type":"policy","id":"p","named":"`+tc.named+`"}`)
		o := recv(t, c)
		if o.Type != outDocument || o.Ref == nil || o.Ref.Kind != tc.kind || len(o.Statements) != len(tc.sids) {
			t.Fatalf("%s: %+v", tc.named, o)
		}
		lines := strings.Split(o.Document, "\n")
		for i, st := range o.Statements {
			if st.Index != i || st.Sid != tc.sids[i] || st.Line > st.EndLine || st.EndLine > len(lines) {
				t.Errorf("%s statement %d: %+v", tc.named, i, st)
				continue
			}
			span := strings.Join(lines[st.Line-1:st.EndLine], "\n")
			if st.Col < 1 || !strings.HasPrefix(lines[st.Line-1][st.Col-1:], "{") || !strings.HasSuffix(strings.TrimRight(span, ", "), "}") ||
				!strings.Contains(span, `"Sid": "`+tc.sids[i]+`"`) && tc.sids[i] != "" {
				t.Errorf("%s statement %d spans %d-%d:\n%s", tc.named, i, st.Line, st.EndLine, span)
			}
		}
	}
	for _, tc := range []struct{ msg, want string }{
		{`{"type":"policy","id":"n1","named":"nothing"}`, "no document named"},
		{`{"type":"policy","id":"n2","named":"scp/NoLeave","kind":"scp","target":"NoLeave"}`, "not both"},
		{`{"type":"policy","id":"n3"}`, "required"},
	} {
		send(t, c, tc.msg)
		if o := recv(t, c); o.Type != outError || !strings.Contains(o.Error, tc.want) {
			t.Errorf("%s: %+v, want %q", tc.msg, o, tc.want)
		}
	}
}

// closing skips brackets inside strings, escaped quotes included.
func TestClosing(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{
		{`{"a": "}"}`, 9},
		{`{"a": "\"}"} x`, 11},
		{`{"a": [1, {"b": 2}]}`, 19},
		{`{"a": `, 5},
	} {
		if got := closing(tc.text, 0); got != tc.want {
			t.Errorf("closing(%q) = %d, want %d", tc.text, got, tc.want)
		}
	}
}
