package audit

import (
	"context"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/internal/sharedtest"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// knownPaths maps each iam-vulnerable scenario of the cloudsplaining
// example export (shared/conformance/cloudsplaining, an account running
// BishopFox's iam-vulnerable; names say the path) to an action of the
// method it must be flagged with ("administrator" and "reaches" for the
// other two rules). The fp* principals must not be flagged; the fn*
// principals (which other tools miss) must be.
var knownPaths = map[string]string{
	"privesc1-CreateNewPolicyVersion":                       "iam:createpolicyversion",
	"privesc2-SetExistingDefaultPolicyVersion":              "iam:setdefaultpolicyversion",
	"privesc3-CreateEC2WithExistingInstanceProfile":         "ec2:runinstances",
	"privesc4-CreateAccessKey":                              "iam:createaccesskey",
	"privesc5-CreateLoginProfile":                           "iam:createloginprofile",
	"privesc6-UpdateLoginProfile":                           "iam:updateloginprofile",
	"privesc7-AttachUserPolicy":                             "iam:attachuserpolicy",
	"privesc8-AttachGroupPolicy":                            "iam:attachgrouppolicy",
	"privesc9-AttachRolePolicy":                             "iam:attachrolepolicy",
	"privesc10-PutUserPolicy":                               "iam:putuserpolicy",
	"privesc11-PutGroupPolicy":                              "iam:putgrouppolicy",
	"privesc12-PutRolePolicy":                               "iam:putrolepolicy",
	"privesc13-AddUserToGroup":                              "iam:addusertogroup",
	"privesc14-UpdatingAssumeRolePolicy":                    "iam:updateassumerolepolicy",
	"privesc15-PassExistingRoleToNewLambdaThenInvoke":       "lambda:createfunction",
	"privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo": "lambda:createfunction",
	"privesc17-EditExistingLambdaFunctionWithRole":          "lambda:updatefunctioncode",
	"privesc18-PassExistingRoleToNewGlueDevEndpoint":        "glue:createdevendpoint",
	"privesc19-UpdateExistingGlueDevEndpoint":               "glue:updatedevendpoint",
	"privesc20-PassExistingRoleToCloudFormation":            "cloudformation:createstack",
	"privesc21-PassExistingRoleToNewDataPipeline":           "datapipeline:createpipeline",
	"privesc-CloudFormationUpdateStack":                     "cloudformation:updatestack",
	"privesc-codeBuildCreateProjectPassRole":                "codebuild:createproject",
	"privesc-ec2InstanceConnect":                            "ec2-instance-connect:sendsshpublickey",
	"privesc-sageMakerCreateNotebookPassRole":               "sagemaker:createnotebookinstance",
	"privesc-sageMakerCreatePresignedNotebookURL":           "sagemaker:createpresignednotebookinstanceurl",
	"privesc-sageMakerCreateProcessingJobPassRole":          "sagemaker:createprocessingjob",
	"privesc-sageMakerCreateTrainingJobPassRole":            "sagemaker:createtrainingjob",
	"privesc-ssmSendCommand":                                "ssm:sendcommand",
	"privesc-ssmStartSession":                               "ssm:startsession",
	"privesc-sre":                                           "iam:",
	"fn1-privesc3-partial":                                  "ec2:runinstances",
	"fn2-exploitableResourceConstraint":                     "iam:createpolicyversion",
	"fn3-exploitableConditionConstraint":                    "iam:createpolicyversion",
	"fn4-exploitableNotAction":                              "iam:putuserpolicy",
}

// Roles only: the ending role is an administrator, the two others reach it.
var knownRoles = map[string]string{
	"privesc-AssumeRole-ending-role":       "administrator",
	"privesc-AssumeRole-intermediate-role": "reaches",
	"privesc-AssumeRole-starting-role":     "reaches",
	"privesc-high-priv-service-role":       "administrator",
}

// Not flagged, though named privesc: in this export the start user has no
// policy and the starting role trusts an SSO session, not the user; the
// permissive-trust role trusts the account but holds no permission.
var knownUnflagged = []string{"privesc-AssumeRole-start-user", "privesc-permissive-role-trust",
	"fp1-allow-and-deny-user", "fp1-allow-and-deny-role", "fp2-allow-and-deny-multiple-policies-user",
	"fp2-allow-and-deny-multiple-policies-role", "fp3-deny-iam-user", "fp3-deny-iam-role",
	"fp4-nonExploitableResourceConstraint-user", "fp4-nonExploitableResourceConstraint-role",
	"fp5-nonExploitableConditionConstraint-user", "fp5-nonExploitableConditionConstraint-role"}

func TestAuditKnownAnswers(t *testing.T) {
	sharedtest.Path(t, "conformance/cloudsplaining/examples/files/example.json") // skips without shared/
	data, err := os.ReadFile("../testdata/cloudsplaining.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Parse("../testdata/cloudsplaining.yaml", data, scenario.Options{AllowPaths: []string{sharedtest.Root()}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := checks.OpenScenario(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := New(e).Audit(context.Background(), AuditOptions{Time: enginetest.T0, World: "engine/testdata/cloudsplaining.yaml",
		Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}, UnusedDays: 90})
	if err != nil {
		t.Fatal(err)
	}
	flagged := map[string][]string{} // principal name -> rule: detail
	for _, f := range rep.Findings {
		if f.Rule == "privilege-escalation" || f.Rule == "administrator" || f.Rule == "reaches-administrator" {
			name := f.Principal[strings.LastIndex(f.Principal, "/")+1:]
			flagged[name] = append(flagged[name], f.Rule+": "+f.Detail)
		}
	}
	want := map[string]string{}
	for base, action := range knownPaths {
		want[base+"-user"], want[base+"-role"] = action, action
	}
	for role, rule := range knownRoles {
		want[role] = rule
	}
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !anyContains(flagged[n], want[n]) {
			t.Errorf("%s: not flagged with %q; findings %q", n, want[n], flagged[n])
		}
	}
	for _, n := range knownUnflagged {
		if len(flagged[n]) > 0 {
			t.Errorf("%s: flagged %q, want not flagged", n, flagged[n])
		}
	}
	// Unused access, as the CLI's default --unused-days 90 rates it: the
	// export dates from 2022-2023 (the last role created 2023-03-09, the
	// last used 2022-08-07), so at T0 (2026) each of its 68 roles that
	// are not AWS-managed is unused. Fold keeps a finding of its own
	// for the roles with no other finding and notes disuse on the others'.
	unusedRoles := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Rule == RuleUnusedAccess || slices.ContainsFunc(f.Folded, func(x Folded) bool { return x.Rule == RuleUnusedAccess }) {
			unusedRoles[f.Principal] = true
		}
	}
	if len(unusedRoles) != 68 {
		t.Errorf("%d roles rated unused, want the 68 roles not AWS-managed", len(unusedRoles))
	}
	checkNoise(t, rep)
	counts := map[string]int{}
	for _, f := range rep.Findings {
		counts[f.Rule]++
	}
	t.Logf("%d findings: %v", len(rep.Findings), counts)
}

// checkNoise: each principal is flagged once per escalation method (a
// catalogue entry in one finding only), Pacu's user methods only on users
// and its role methods only on roles, no service-linked or AWS-reserved
// role, and the export's findings are at least a third fewer than the 459
// issue 16 counted (122 principals, every catalogue entry its own finding),
// the wide-access rules (data access, resource and credentials exposure)
// included.
func checkNoise(t *testing.T, rep *Report) {
	t.Helper()
	seen := map[string]string{}
	for _, f := range rep.Findings {
		if strings.Contains(f.Principal, ":role/aws-service-role/") || strings.Contains(f.Principal, ":role/aws-reserved/") {
			t.Errorf("AWS-managed role flagged: %s", f.Title)
		}
		for _, m := range f.Methods {
			key := f.Principal + " " + m.ID
			if prev, ok := seen[key]; ok {
				t.Errorf("%s: method %s in two findings: %q and %q", f.Principal, m.ID, prev, f.Title)
			}
			seen[key] = f.Title
			kind := "user"
			if strings.Contains(f.Principal, ":role/") {
				kind = "role"
			}
			if strings.HasPrefix(m.ID, "pacu-") && !strings.HasPrefix(m.ID, "pacu-"+kind+"-") {
				t.Errorf("%s: Pacu method %s of another principal kind", f.Principal, m.ID)
			}
		}
	}
	if len(rep.Findings) > 459*2/3 {
		t.Errorf("%d findings, want at most %d (a third fewer than 459)", len(rep.Findings), 459*2/3)
	}
}

func anyContains(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
