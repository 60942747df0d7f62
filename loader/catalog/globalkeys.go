package catalog

import "strings"

// globalKeys are AWS's global condition context keys, as the IAM User
// Guide spells them ("AWS global condition context keys",
// reference_policies_condition-keys.html), and those added after the
// guide's snapshot in this repository: aws:SourceOrgID and
// aws:SourceOrgPaths (2023), aws:VpceAccount, aws:VpceOrgID,
// aws:VpceOrgPaths and aws:SourceVpcArn (2025), aws:AssumedRoot (root
// sessions, 2024), aws:ChatbotSourceArn, and aws:SourceOwner (the older
// form of aws:SourceAccount that Amazon SNS documents). The tag keys are
// prefixes (aws:PrincipalTag/KEY).
var globalKeys = []string{
	"aws:AssumedRoot", "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:ChatbotSourceArn",
	"aws:CurrentTime", "aws:Ec2InstanceSourcePrivateIPv4", "aws:Ec2InstanceSourceVpc", "aws:EpochTime",
	"aws:FederatedProvider", "aws:MultiFactorAuthAge", "aws:MultiFactorAuthPresent", "aws:PrincipalAccount",
	"aws:PrincipalArn", "aws:PrincipalIsAWSService", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
	"aws:PrincipalServiceName", "aws:PrincipalServiceNamesList", "aws:PrincipalType", "aws:RequestedRegion",
	"aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths", "aws:SecureTransport",
	"aws:SourceAccount", "aws:SourceArn", "aws:SourceIdentity", "aws:SourceIp", "aws:SourceOrgID",
	"aws:SourceOrgPaths", "aws:SourceOwner", "aws:SourceVpc", "aws:SourceVpcArn", "aws:SourceVpce",
	"aws:TagKeys", "aws:TokenIssueTime", "aws:UserAgent", "aws:ViaAWSService", "aws:VpcSourceIp",
	"aws:VpceAccount", "aws:VpceOrgID", "aws:VpceOrgPaths", "aws:referer", "aws:userid", "aws:username",
}

// globalTagKeys are the global keys that take a tag key after a slash.
var globalTagKeys = []string{"aws:PrincipalTag/", "aws:RequestTag/", "aws:ResourceTag/"}

// KnownGlobalKey reports whether key (any case) is a global condition key
// (aws:...), a tag key's form included.
func KnownGlobalKey(key string) bool {
	for _, p := range globalTagKeys {
		if len(key) > len(p) && strings.EqualFold(key[:len(p)], p) {
			return true
		}
	}
	for _, k := range globalKeys {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// SuggestGlobalKey returns the global key nearest to key, as AWS spells
// it (a tag key keeps what is written after its slash), or "".
func SuggestGlobalKey(key string) string {
	lk := strings.ToLower(key)
	if head, tail, ok := strings.Cut(key, "/"); ok {
		if tail == "" {
			return "" // a tag key without its tag: nothing nearer to say
		}
		for _, p := range globalTagKeys {
			if d := distanceWithin(strings.ToLower(head+"/"), strings.ToLower(p), 3); d < maxEdits(len(p)) && !strings.EqualFold(p+tail, key) {
				return p + tail
			}
		}
	}
	best, bestD := "", maxEdits(len(lk))+1
	for _, k := range globalKeys {
		if d := distanceWithin(lk, strings.ToLower(k), bestD); d < bestD {
			best, bestD = k, d
		}
	}
	if bestD > maxEdits(len(lk)) {
		return ""
	}
	return best
}
