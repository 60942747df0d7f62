package privesc

import (
	"slices"
	"testing"
)

// The catalog holds both sources, and a few well-known methods with
// the permissions Rhino Security Labs documented
// (https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/).
func TestCatalog(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Path{}
	for _, p := range c.Paths {
		if len(p.Required) == 0 {
			t.Errorf("%s has no required permission", p.ID)
		}
		byID[p.ID] = p
	}
	for id, want := range map[string][]string{
		"iam-001":                          {"iam:createpolicyversion"},
		"ec2-001":                          {"iam:passrole", "ec2:runinstances"},
		"pacu-user-CreateNewPolicyVersion": {"iam:createpolicyversion"},
	} {
		got, ok := byID[id]
		if !ok || len(got.Required) != len(want) {
			t.Errorf("%s: %+v, want required %v", id, got, want)
			continue
		}
		for i := range want {
			if got.Required[i] != want[i] {
				t.Errorf("%s: required %v, want %v", id, got.Required, want)
			}
		}
	}
}

// policy_sentry's lists are embedded whole: its credentials-exposure list
// holds iam:CreateAccessKey and sts:GetFederationToken-like token actions,
// its resource-exposure list s3:PutBucketPolicy (policy_sentry
// shared/data/audit/*.txt).
func TestSensitiveLists(t *testing.T) {
	s, err := Sensitive()
	if err != nil {
		t.Fatal(err)
	}
	for list, want := range map[string]string{CredentialsExposure: "iam:createaccesskey", ResourceExposure: "s3:putbucketpolicy", PrivilegeEscalation: "iam:passrole"} {
		if !slices.Contains(s.Lists[list], want) {
			t.Errorf("%s: %d actions, without %s", list, len(s.Lists[list]), want)
		}
	}
}
