// Stage 6 of ValidateCreatePolicy: the format of Resource values (ARN
// form, partition, region, IAM resource path), with IAM's messages.

package policy

import (
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
)

func (v *createValidator) resourceFormat() *tree.Error {
	return v.resErr
}

// partitions IAM knows ("*" is accepted too).
var partitions = map[string]bool{
	"*": true, "aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true,
	"aws-iso-b": true, "aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true,
}

// iamPathStarts are the resource types an IAM resource ARN may name.
var iamPathStarts = []string{"user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/",
	"server-certificate/", "policy/", "sms-mfa/", "saml-provider/", "oidc-provider/", "report/", "access-report/"}

// resourceFormatMessage returns IAM's message for a malformed Resource
// value, or "". The first field is not checked to be "arn" (IAM does not).
func resourceFormatMessage(r string) string {
	if r == "*" {
		return ""
	}
	_, rest, found := strings.Cut(r, ":")
	if !found {
		return `Resource ` + r + ` must be in ARN format or "*".`
	}
	partition, rest, found := strings.Cut(rest, ":")
	if !partitions[partition] {
		return partitionMessage(partition, rest)
	}
	if !found {
		return msgVendorFQ
	}
	service, afterService, _ := strings.Cut(rest, ":")
	_, afterRegion, _ := strings.Cut(afterService, ":")
	_, resourceID, _ := strings.Cut(afterRegion, ":")
	if !strings.HasPrefix(afterService, ":") { // a region is given
		switch {
		case service == "iam":
			return "IAM resource " + r + " cannot contain region information."
		case service == "s3" && !strings.HasPrefix(resourceID, "accesspoint/"):
			return "Resource " + r + " can not contain region information."
		}
	}
	if service == "iam" && !validIAMPath(resourceID) {
		return msgIAMPathStart
	}
	return ""
}

func validIAMPath(id string) bool {
	if id == "*" || id == "root" {
		return true
	}
	for _, p := range iamPathStarts {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// partitionMessage rebuilds the ARN IAM shows for an unknown partition:
// the fields after the partition, "*" for those missing.
func partitionMessage(partition, rest string) string {
	f := strings.Split(rest, ":")
	field := func(i int) string {
		if i < len(f) && (i > 0 || f[0] != "" || len(f) > 1) {
			return f[i]
		}
		return "*"
	}
	last := "*"
	if len(f) > 3 {
		last = strings.Join(f[3:], ":")
	}
	return `Partition "` + partition + `" is not valid for resource "arn:` + partition + ":" +
		field(0) + ":" + field(1) + ":" + field(2) + ":" + last + `".`
}
