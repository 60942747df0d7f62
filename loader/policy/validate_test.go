// Tests of ValidateCreatePolicy beyond moto's vectors (those are in
// conformance_moto_test.go).

package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/tree"
)

func TestValidateCreatePolicyExtra(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{stmt(allowAll + `, "Principal": "*"`), "Policy document should not specify a principal."},
		{stmt(allowAll + `, "Condition": {"NumericEquals": {"k": "ten"}}`), "Syntax errors in policy. (NumericEquals takes a number"},
		{stmt(allowAll + `, "Condition": {"NullIfExists": {"k": "true"}}`), "Syntax errors in policy. (unknown condition operator"},
		{`{"Version": "2012-10-17", "Statement": {` + allowAll + `, "Effect": "Deny"}}`, "Syntax errors in policy. (duplicate key"},
		{stmt(`"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:us-west-2:111122223333:bucket/x"`), "can not contain region information"},
		{stmt(`"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::111122223333:thing/x"`), "IAM resource path must either be"},
	} {
		err := ValidateCreatePolicy("v.json", []byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, &tree.Error{Code: tree.CodeMalformedPolicy}) {
			t.Errorf("ValidateCreatePolicy(%s) = %v, want %q", c.doc, err, c.want)
		}
	}
	for _, doc := range []string{
		stmt(`"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:us-west-2:111122223333:accesspoint/ap"`),
		stmt(`"Effect": "Allow", "Action": "iam:*", "Resource": ["arn:aws:iam::111122223333:root", "arn:aws-cn:iam::*:role/*"]`),
		stmt(`"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00-05:00"}}`),
	} {
		if err := ValidateCreatePolicy("v.json", []byte(doc)); err != nil {
			t.Errorf("ValidateCreatePolicy(%s) = %v", doc, err)
		}
	}
	big := stmt(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::` + strings.Repeat("b", 6100) + `"`)
	if err := ValidateCreatePolicy("v.json", []byte(big)); !errors.Is(err, &tree.Error{Code: tree.CodeLimitExceeded}) ||
		!strings.Contains(err.Error(), "Cannot exceed quota for PolicySize: 6144") {
		t.Errorf("oversized policy: %v", err)
	}
	fits := strings.Repeat(" \t\r\n", 100) + strings.Replace(big, strings.Repeat("b", 6100), strings.Repeat("b", 5900), 1)
	if err := ValidateCreatePolicy("v.json", []byte(fits)); err != nil || len(fits) < 6144 {
		t.Errorf("white space counted (%d bytes): %v", len(fits), err)
	}
	var e *tree.Error
	err := ValidateCreatePolicy("v.json", []byte(stmt(allowAll+`, "Condition": {"NumericEquals": {"k": "ten"}}`)))
	if !errors.As(err, &e) || e.Unwrap() == nil || !errors.Is(err, &tree.Error{Code: tree.CodeInvalidValue}) {
		t.Errorf("the grammar error is not wrapped: %v", err)
	}
}
