package world

import (
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
)

// The resource types a world may name, each with the ARN form that says it
// (TypeOf). A resource's type is read from its ARN when the world does not
// write it, and a type written that contradicts the ARN is an error.
const (
	TypeS3Bucket       = "s3-bucket"       // arn:P:s3:::BUCKET
	TypeS3Object       = "s3-object"       // arn:P:s3:::BUCKET/KEY
	TypeKMSKey         = "kms-key"         // arn:P:kms:REGION:ACCOUNT:key/ID
	TypeKMSAlias       = "kms-alias"       // arn:P:kms:REGION:ACCOUNT:alias/NAME
	TypeSQSQueue       = "sqs-queue"       // arn:P:sqs:REGION:ACCOUNT:NAME
	TypeSNSTopic       = "sns-topic"       // arn:P:sns:REGION:ACCOUNT:NAME
	TypeSecret         = "secret"          // arn:P:secretsmanager:REGION:ACCOUNT:secret:NAME
	TypeECRRepository  = "ecr-repository"  // arn:P:ecr:REGION:ACCOUNT:repository/NAME
	TypeLambdaFunction = "lambda-function" // arn:P:lambda:REGION:ACCOUNT:function:NAME
	TypeLambdaLayer    = "lambda-layer"    // arn:P:lambda:REGION:ACCOUNT:layer:NAME
	TypeIAMRole        = "iam-role"        // arn:P:iam::ACCOUNT:role/PATH/NAME
)

var resourceTypes = map[string]bool{
	TypeS3Bucket: true, TypeS3Object: true, TypeKMSKey: true, TypeKMSAlias: true,
	TypeSQSQueue: true, TypeSNSTopic: true, TypeSecret: true, TypeECRRepository: true,
	TypeLambdaFunction: true, TypeLambdaLayer: true, TypeIAMRole: true,
}

// KnownType reports whether typ is one of the resource types above.
func KnownType(typ string) bool { return resourceTypes[typ] }

// ResourceTypes lists the resource types, sorted, for error messages.
func ResourceTypes() []string {
	out := make([]string, 0, len(resourceTypes))
	for t := range resourceTypes {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// TypeOf names the resource type an ARN's form says, in any partition, or
// "" when the form is none of the types above (the ARN says nothing the
// engine decides by).
func TypeOf(arn string) string {
	a, ok := pattern.SplitARN(arn)
	if !ok {
		return ""
	}
	service, region, account, res := a.Service, a.Region, a.Account, a.Resource
	switch service {
	case "s3":
		return s3Type(region, account, res)
	case "kms":
		return prefixType(res, "key/", TypeKMSKey, "alias/", TypeKMSAlias)
	case "sqs":
		return plainType(res, TypeSQSQueue)
	case "sns":
		return plainType(res, TypeSNSTopic)
	case "secretsmanager":
		return prefixType(res, "secret:", TypeSecret)
	case "ecr":
		return prefixType(res, "repository/", TypeECRRepository)
	case "lambda":
		return prefixType(res, "function:", TypeLambdaFunction, "layer:", TypeLambdaLayer)
	case "iam":
		return prefixType(res, "role/", TypeIAMRole)
	}
	return ""
}

// s3Type: buckets and objects have neither Region nor account in their ARN
// (access points and jobs do, and are other types).
func s3Type(region, account, res string) string {
	switch {
	case region != "" || account != "" || res == "":
		return ""
	case strings.Contains(res, "/"):
		return TypeS3Object
	}
	return TypeS3Bucket
}

// prefixType returns the type paired with the first prefix res has, given
// as prefix, type, prefix, type...
func prefixType(res string, pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.HasPrefix(res, pairs[i]) && len(res) > len(pairs[i]) {
			return pairs[i+1]
		}
	}
	return ""
}

// plainType is typ for a resource part that is a bare name (an SQS queue,
// an SNS topic; an SNS subscription, TOPIC:ID, is not a topic).
func plainType(res, typ string) string {
	if res == "" || strings.ContainsAny(res, ":/") {
		return ""
	}
	return typ
}

// PolicyRequired reports whether a resource of type typ needs its
// resource-based policy to allow every request explicitly: a KMS key, whose
// key policy must allow ("Unless the key policy explicitly allows it, you
// cannot use IAM policies to allow access to a KMS key",
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html).
// A role's trust policy must allow the trust actions only; the engine
// applies it.
func PolicyRequired(typ string) bool { return typ == TypeKMSKey }
