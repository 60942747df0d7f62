package query

import (
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/enginetest"
)

// Lint reports an action and a condition key AWS does not have
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html),
// and a multivalued key tested without a set operator ("Multivalued
// context keys require a condition set operator",
// reference_policies_condition-single-vs-multi-valued-context-keys.html).
func TestLint(t *testing.T) {
	e := enginetest.Open(t, `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: u
          policies:
            - name: p
              document:
                Version: "2012-10-17"
                Statement:
                  - {Effect: Allow, Action: ["s3:GetObjekt", "s3:Get*", "nosuch:Thing"], Resource: "*"}
                  - {Effect: Allow, Action: "s3:ListBucket", Resource: "*", Condition: {StringLike: {"s3:prefixx": "a/*", "s3:prefix": "a/*"}}}
                  - {Effect: Allow, Action: "ec2:CreateTags", Resource: "*", Condition: {StringEquals: {"aws:TagKeys": "a"}, ForAnyValue:StringEquals: {"aws:TagKeys": "b"}, "Null": {"aws:TagKeys": "false"}}}
`)
	ws, err := New(e).Lint()
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, w := range ws {
		msgs = append(msgs, w.Message)
	}
	if len(ws) != 4 || !strings.Contains(msgs[0], "s3:getobjekt") || !strings.Contains(msgs[1], "nosuch") || !strings.Contains(msgs[2], "s3:prefixx") ||
		!strings.Contains(msgs[3], `StringEquals on the multivalued key "aws:tagkeys"`) {
		t.Errorf("warnings %q", msgs)
	}
}
