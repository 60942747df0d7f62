// Package benchmarks generates synthetic worlds for Clearance's benchmarks
// (decision_test.go). The figures and how to reproduce them are in
// README.md beside this file.
package benchmarks

import (
	"fmt"
	"strconv"
	"strings"
)

// Account is the account every generated world uses.
const Account = "111122223333"

// services are the prefixes generated statements spread over.
var services = []string{
	"s3", "ec2", "iam", "sqs", "sns", "dynamodb", "lambda", "kms", "logs", "cloudwatch",
	"rds", "ecr", "ecs", "eks", "sts", "secretsmanager", "ssm", "kinesis", "glue", "athena",
}

var verbs = []string{"Get", "Put", "List", "Describe", "Delete", "Create", "Update", "Tag"}

// statement renders one generated Allow statement; i picks its service,
// actions and resource so that statements differ.
func statement(i int) string {
	svc := services[i%len(services)]
	verb := verbs[(i/len(services))%len(verbs)]
	return fmt.Sprintf(`{Sid: S%d, Effect: Allow, Action: ["%s:%s*", "%s:%sThing%d"], Resource: "arn:aws:%s:us-east-1:%s:thing/%d/*",
                 Condition: {StringEquals: {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}`,
		i, svc, verb, svc, verb, i, svc, Account, i)
}

// policyDoc renders a policy document of n generated statements starting at
// index from.
func policyDoc(from, n int, extra ...string) string {
	var sb strings.Builder
	sb.WriteString("{Version: \"2012-10-17\", Statement: [\n")
	for i := from; i < from+n; i++ {
		sb.WriteString("                 " + statement(i) + ",\n")
	}
	for _, e := range extra {
		sb.WriteString("                 " + e + ",\n")
	}
	sb.WriteString("               ]}")
	return sb.String()
}

// SmallWorld is a user with five policies (about 25 statements) that
// allow s3:GetObject on the data bucket, plus filler principals so the
// account holds about total statements in all.
func SmallWorld(total int) string {
	var sb strings.Builder
	sb.WriteString("world:\n  accounts:\n    - id: \"" + Account + "\"\n      users:\n")
	sb.WriteString("        - name: alice\n          tags: {team: data}\n          policies:\n")
	for p := 0; p < 5; p++ {
		extra := []string{}
		if p == 4 {
			extra = append(extra, `{Sid: ReadData, Effect: Allow, Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"], Condition: {StringEquals: {"aws:PrincipalTag/team": "data"}}}`)
		}
		fmt.Fprintf(&sb, "            - name: p%d\n              document: %s\n", p, policyDoc(p*5, 5, extra...))
	}
	filler(&sb, total-26)
	return sb.String()
}

// filler adds users with 10-statement policies until about n statements
// exist, so the account grows without concerning the measured request.
func filler(sb *strings.Builder, n int) {
	for u := 0; n > 0; u++ {
		k := min(10, n)
		fmt.Fprintf(sb, "        - name: filler%d\n          policies:\n            - name: f\n              document: %s\n", u, policyDoc(1000+u*10, k))
		n -= k
	}
}

// LargeWorld is an organization with three SCP levels, and a role with 200
// statements, a permissions boundary, and a bucket with a resource policy.
func LargeWorld() string {
	scp := `{Version: "2012-10-17", Statement: [
                 {Sid: DenyRegions, Effect: Deny, NotAction: ["iam:*", "sts:*", "organizations:*"], Resource: "*",
                  Condition: {StringNotEquals: {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}},
                 {Sid: DenyLeave, Effect: Deny, Action: "organizations:LeaveOrganization", Resource: "*"},
                 {Sid: ProtectTrail, Effect: Deny, Action: ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"], Resource: "*"}]}`
	return fmt.Sprintf(`world:
  organization:
    id: o-bench00001
    management_account: "999999999999"
    policies:
      - {name: Guardrails, type: scp, document: %s}
    root:
      id: r-bench
      scps: [FullAWSAccess]
      children:
        - name: Prod
          id: ou-bench-prod0001
          scps: [FullAWSAccess, Guardrails]
  accounts:
    - id: "%s"
      org_path: Prod
      scps: [FullAWSAccess]
      managed_policies:
        - name: Boundary
          document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: ["s3:*", "sqs:*", "dynamodb:*", "logs:*"], Resource: "*"}]}
      roles:
        - name: app
          trust: {Version: "2012-10-17", Statement: {Effect: Allow, Action: sts:AssumeRole, Principal: {Service: ec2.amazonaws.com}}}
          boundary: arn:aws:iam::%s:policy/Boundary
          tags: {team: data}
          policies:
            - name: big
              document: %s
      resources:
        - arn: arn:aws:s3:::data-bucket
          policy: {Version: "2012-10-17", Statement: [
            {Sid: DenyInsecure, Effect: Deny, Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"], Condition: {Bool: {"aws:SecureTransport": "false"}}},
            {Sid: AppRead, Effect: Allow, Principal: {AWS: "arn:aws:iam::%s:role/app"}, Action: ["s3:GetObject"], Resource: "arn:aws:s3:::data-bucket/*"}]}
`, scp, Account, Account, policyDoc(0, 199,
		`{Sid: ReadData, Effect: Allow, Action: ["s3:GetObject"], Resource: "arn:aws:s3:::data-bucket/*", Condition: {StringEquals: {"aws:PrincipalTag/team": "data"}}}`),
		Account)
}

// ChainWorld is the small world plus three roles forming a chain:
// alice → hop1 → hop2 → hop3, each trusting the previous one, each with a
// 25-statement policy and the data-reading statement, hop3 limited by a
// permissions boundary.
func ChainWorld() string {
	var sb strings.Builder
	sb.WriteString(SmallWorld(26))
	sb.WriteString("      managed_policies:\n        - name: hop-boundary\n          document: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: [\"s3:*\", \"sts:*\"], Resource: \"*\"}]}\n")
	sb.WriteString("      roles:\n")
	prev := "arn:aws:iam::" + Account + ":user/alice"
	for i := 1; i <= 3; i++ {
		fmt.Fprintf(&sb, "        - name: hop%d\n", i)
		fmt.Fprintf(&sb, "          trust: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {AWS: %q}, Action: [\"sts:AssumeRole\", \"sts:TagSession\"]}]}\n", prev)
		if i == 3 {
			fmt.Fprintf(&sb, "          boundary: arn:aws:iam::%s:policy/hop-boundary\n", Account)
		}
		extra := []string{
			`{Effect: Allow, Action: ["sts:AssumeRole", "sts:TagSession"], Resource: "*"}`,
			`{Sid: ReadData, Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::data-bucket/*", Condition: {StringEquals: {"aws:PrincipalTag/team": "data"}}}`,
		}
		fmt.Fprintf(&sb, "          policies:\n            - name: hop%d-policy\n              document: %s\n", i, policyDoc(i*25, 25, extra...))
		prev = "arn:aws:iam::" + Account + ":role/hop" + strconv.Itoa(i)
	}
	return sb.String()
}
