package world

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/pattern"
)

// The ARN format (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html):
// arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE. "The partition ... aws,
// aws-cn, aws-us-gov", the isolated ones (aws-iso, aws-iso-b, ...) and the
// European Sovereign Cloud (aws-eusc); the service is a service prefix;
// whether the region and the account are present depends on the service
// ("The ARNs for some resources omit the Region, the account ID, or both").

var (
	regionPattern  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d{1,2}$`)
	arnShape       = "arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE"
	regional       = map[string]bool{"kms": true, "sqs": true, "sns": true, "lambda": true, "secretsmanager": true, "ecr": true, "dynamodb": true}
	s3NonBucket    = []string{"accesspoint/", "job/", "storage-lens/", "storage-lens-group/", "access-grants/", "async-request/"}
	partitionNames = map[string]bool{"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-eusc": true}
)

// CheckARN checks s against the ARN format and its service's: a known
// partition and service prefix, a region and account where the service
// has them and none where it has not, and a resource part. Wildcards are
// allowed (CheckConcreteARN refuses them).
func CheckARN(s string) error {
	a, err := checkShape(s)
	if err != nil {
		return err
	}
	if !catalog.KnownService(a.Service) {
		return fmt.Errorf("ARN %s: %q is not an AWS service prefix", s, a.Service)
	}
	if a.Region != "" && !regionPattern.MatchString(a.Region) && !pattern.GlobHasWildcard(a.Region) {
		return fmt.Errorf("ARN %s: %q is not a region (such as us-east-1)", s, a.Region)
	}
	if a.Account != "" && a.Account != AWSAccount && !AccountIDPattern.MatchString(a.Account) && !pattern.GlobHasWildcard(a.Account) {
		return fmt.Errorf("ARN %s: the account %q is not 12 digits", s, a.Account)
	}
	if msg := serviceForm(a); msg != "" {
		return fmt.Errorf("ARN %s: %s", s, msg)
	}
	return nil
}

// checkShape checks what every ARN has: no spaces, six parts, a known
// partition, a resource part. A context key of type ARN (aws:SourceArn)
// is held to this: its service may be any, even one the catalog lacks.
func checkShape(s string) (pattern.ARN, error) {
	if i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }); i >= 0 {
		return pattern.ARN{}, fmt.Errorf("%q is not an ARN: it holds a space or control character at byte %d", s, i)
	}
	a, ok := pattern.SplitARN(s)
	if !ok {
		if !strings.HasPrefix(s, "arn:") {
			return a, fmt.Errorf("%q is not an ARN: expected %s", s, arnShape)
		}
		return a, fmt.Errorf("%q is not an ARN: it has %d of the 6 colon-separated parts of %s", s, strings.Count(s, ":")+1, arnShape)
	}
	if !partitionNames[a.Partition] && !strings.HasPrefix(a.Partition, "aws-iso") {
		return a, fmt.Errorf("ARN %s: unknown partition %q (expected aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc)", s, a.Partition)
	}
	if a.Service == "" {
		return a, fmt.Errorf("ARN %s: the service is empty", s)
	}
	if a.Resource == "" {
		return a, fmt.Errorf("ARN %s: the resource part after the account is empty", s)
	}
	return a, nil
}

// serviceForm checks the region and account of the services whose ARNs
// the engine reads, "" when the form fits.
func serviceForm(a pattern.ARN) string {
	switch {
	case a.Service == "s3":
		return s3Form(a)
	case a.Service == "iam" || a.Service == "sts":
		switch {
		case a.Region != "":
			return fmt.Sprintf("%s ARNs have no region (arn:aws:%s::ACCOUNT:...)", strings.ToUpper(a.Service), a.Service)
		case a.Account == "":
			return fmt.Sprintf("%s ARNs name an account (arn:aws:%s::ACCOUNT:...)", strings.ToUpper(a.Service), a.Service)
		case a.Account == AWSAccount && (a.Service != "iam" || !strings.HasPrefix(a.Resource, "policy/")):
			return `only AWS managed policies (arn:aws:iam::aws:policy/NAME) have the account "aws"`
		}
	case regional[a.Service] && (a.Region == "" || a.Account == ""):
		return fmt.Sprintf("%s ARNs name a region and an account (arn:aws:%s:REGION:ACCOUNT:...)", a.Service, a.Service)
	case a.Service == "sqs" && strings.ContainsAny(a.Resource, "/:"):
		return "an SQS queue ARN ends with the queue's name"
	}
	return ""
}

// s3Form: a bucket or object ARN has neither region nor account
// (arn:aws:s3:::BUCKET, arn:aws:s3:::BUCKET/KEY); access points, jobs and
// the like name an account.
func s3Form(a pattern.ARN) string {
	if a.Region == "" && a.Account == "" {
		if strings.HasPrefix(a.Resource, "/") {
			return "the bucket name is empty (arn:aws:s3:::BUCKET/KEY)"
		}
		return ""
	}
	for _, p := range s3NonBucket {
		if strings.HasPrefix(a.Resource, p) && a.Account != "" {
			return ""
		}
	}
	return "an S3 bucket or object ARN has no region or account (arn:aws:s3:::BUCKET or arn:aws:s3:::BUCKET/KEY)"
}

// CheckConcreteARN is CheckARN for an ARN that names one resource (a
// resource the world declares, a request's resource, an entity a world
// refers to): no wildcard.
func CheckConcreteARN(s string) error {
	if err := CheckARN(s); err != nil {
		return err
	}
	if strings.ContainsAny(s, "*?") {
		return fmt.Errorf("ARN %s holds a wildcard: it must name one resource (wildcards belong in policies)", s)
	}
	return nil
}
