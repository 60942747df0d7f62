package world

import "testing"

// TypeOf reads each type from the ARN form the service's Actions, resources
// and condition keys page gives it (Service Authorization Reference), in any
// partition, and names nothing it does not know.
func TestTypeOf(t *testing.T) {
	cases := []struct{ arn, want string }{
		{"arn:aws:s3:::bucket", TypeS3Bucket},
		{"arn:aws:s3:::bucket/key/with/slashes", TypeS3Object},
		{"arn:aws:s3:us-east-1:111122223333:accesspoint/ap", ""},
		{"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", TypeKMSKey},
		{"arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab", TypeKMSKey},
		{"arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/k", TypeKMSKey},
		{"arn:aws:kms:us-east-1:111122223333:alias/aws/s3", TypeKMSAlias},
		{"arn:aws:kms:us-east-1:111122223333:key/", ""},
		{"arn:aws:sqs:us-east-1:111122223333:queue", TypeSQSQueue},
		{"arn:aws:sns:us-east-1:111122223333:topic", TypeSNSTopic},
		{"arn:aws:sns:us-east-1:111122223333:topic:0f1e2d3c-subscription", ""},
		{"arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf", TypeSecret},
		{"arn:aws:ecr:us-east-1:111122223333:repository/app", TypeECRRepository},
		{"arn:aws:lambda:us-east-1:111122223333:function:f", TypeLambdaFunction},
		{"arn:aws:lambda:us-east-1:111122223333:function:f:live", TypeLambdaFunction},
		{"arn:aws:lambda:us-east-1:111122223333:layer:l:3", TypeLambdaLayer},
		{"arn:aws:iam::111122223333:role/path/app", TypeIAMRole},
		{"arn:aws:iam::111122223333:user/alice", ""},
		{"arn:aws:dynamodb:us-east-1:111122223333:table/t", ""},
		{"*", ""},
		{"arn:aws:kms", ""},
	}
	for _, c := range cases {
		if got := TypeOf(c.arn); got != c.want {
			t.Errorf("TypeOf(%q) = %q, want %q", c.arn, got, c.want)
		}
		if c.want != "" && !KnownType(c.want) {
			t.Errorf("%q is not a known type", c.want)
		}
	}
}

// Only a KMS key's policy must allow every request (key-policies.html).
func TestPolicyRequired(t *testing.T) {
	for _, typ := range ResourceTypes() {
		if got := PolicyRequired(typ); got != (typ == TypeKMSKey) {
			t.Errorf("PolicyRequired(%q) = %v", typ, got)
		}
	}
}
