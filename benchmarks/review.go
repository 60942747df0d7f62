package benchmarks

import (
	"fmt"
	"strings"
)

// ReviewWorlds generates the worlds of the review benchmark: before, an
// account of roles roles (each trusting EC2, with a five-statement
// policy; every 50th trusting the account instead, and role0 an
// administrator the account may assume) and ten users; after, the same
// account with what a 200-resource template adds (ReviewChange lists it):
// 60 new roles with an inline policy each, 50 customer managed policies
// each attached to one of them, 50 bucket policies each granting one of
// them, and 40 inline policies added to existing roles.
func ReviewWorlds(roles int) (before, after string) {
	return reviewWorld(roles, false), reviewWorld(roles, true)
}

// The shape of the change ReviewWorlds' after world holds.
const (
	ReviewNewRoles       = 60
	ReviewManaged        = 50
	ReviewBuckets        = 50
	ReviewExistingInline = 40
)

func reviewWorld(roles int, changed bool) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "world:\n  accounts:\n    - id: \"%s\"\n      users:\n", Account)
	for u := 0; u < 10; u++ {
		fmt.Fprintf(&sb, "        - name: dev%d\n          policies:\n            - name: p\n              document: %s\n", u,
			policyDoc(5000+u*5, 4, `{Effect: Allow, Action: "sts:AssumeRole", Resource: "arn:aws:iam::`+Account+`:role/*"}`))
	}
	sb.WriteString("      managed_policies:\n")
	for m := 0; changed && m < ReviewManaged; m++ {
		fmt.Fprintf(&sb, "        - name: svc-managed-%d\n          document: {Version: \"2012-10-17\", Statement: [%s, %s]}\n", m,
			fmt.Sprintf(`{Effect: Allow, Action: ["sqs:SendMessage", "sqs:ReceiveMessage"], Resource: "arn:aws:sqs:us-east-1:%s:svc-queue-%d"}`, Account, m),
			fmt.Sprintf(`{Effect: Allow, Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:%s:table/svc-%d"}`, Account, m))
	}
	sb.WriteString("      roles:\n")
	for i := 0; i < roles; i++ {
		existingRole(&sb, i, changed && i%(roles/ReviewExistingInline) == 0)
	}
	for i := 0; changed && i < ReviewNewRoles; i++ {
		newRole(&sb, i)
	}
	sb.WriteString("      resources:\n")
	for b := 0; b < ReviewBuckets; b++ {
		fmt.Fprintf(&sb, "        - arn: arn:aws:s3:::svc-bucket-%d\n", b)
		if changed {
			fmt.Fprintf(&sb, "          policy: {Version: \"2012-10-17\", Statement: [{Sid: Read, Effect: Allow, Principal: {AWS: \"arn:aws:iam::%s:role/svc-%d\"}, Action: [\"s3:GetObject\", \"s3:ListBucket\"], Resource: [\"arn:aws:s3:::svc-bucket-%d\", \"arn:aws:s3:::svc-bucket-%d/*\"]}]}\n", Account, b, b, b)
		}
	}
	return sb.String()
}

func existingRole(sb *strings.Builder, i int, extra bool) {
	trust := `{Service: ec2.amazonaws.com}`
	if i%50 == 0 {
		trust = `{AWS: "arn:aws:iam::` + Account + `:root"}`
	}
	fmt.Fprintf(sb, "        - name: role%d\n          trust: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: %s, Action: sts:AssumeRole}]}\n", i, trust)
	doc := policyDoc(i*5%4000, 5)
	if i == 0 {
		doc = `{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}`
	}
	fmt.Fprintf(sb, "          policies:\n            - name: base\n              document: %s\n", doc)
	if extra {
		fmt.Fprintf(sb, "            - name: added\n              document: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: [\"logs:PutLogEvents\", \"logs:CreateLogStream\"], Resource: \"arn:aws:logs:us-east-1:%s:log-group:role%d:*\"}]}\n", Account, i)
	}
}

func newRole(sb *strings.Builder, i int) {
	fmt.Fprintf(sb, "        - name: svc-%d\n          trust: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n", i)
	if i < ReviewManaged {
		fmt.Fprintf(sb, "          managed_policies: [arn:aws:iam::%s:policy/svc-managed-%d]\n", Account, i)
	}
	fmt.Fprintf(sb, "          policies:\n            - name: svc\n              document: {Version: \"2012-10-17\", Statement: [%s, %s, %s]}\n",
		fmt.Sprintf(`{Effect: Allow, Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::svc-bucket-%d/*"}`, i%ReviewBuckets),
		fmt.Sprintf(`{Effect: Allow, Action: "logs:*", Resource: "arn:aws:logs:us-east-1:%s:log-group:svc-%d:*"}`, Account, i),
		`{Effect: Allow, Action: "iam:PassRole", Resource: "arn:aws:iam::`+Account+`:role/svc-*", Condition: {StringEquals: {"iam:PassedToService": "lambda.amazonaws.com"}}}`)
}
