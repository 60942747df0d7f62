package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/internal/sharedtest"
)

// The VPC endpoint policy examples of aws-samples/data-perimeter-policy-examples
// (shared/conformance/aws-samples-data-perimeter/vpc_endpoint_policies).
// Their README (vpc_endpoint_policies/README.md, "Included data access
// patterns") says what each statement is for; the expected decisions below
// follow it, one Sid at a time (README below):
//
//	AllowRequestsByOrgsIdentitiesToOrgsResources: "identities from your AWS
//	  Organizations organization ... to resources that belong to your
//	  organization";
//	AllowRequestsByAWSServicePrincipals: "AWS service principals to send
//	  requests ... through a VPC endpoint";
//	AllowRequestsByOrgsIdentitiesToAWSResources: "identities from your
//	  Organizations organization ... to AWS owned resources" (listed in the
//	  statement's Resource, or by aws:ResourceAccount);
//	AllowRequestsToAWSOwnedResources: "access to specific AWS owned
//	  resources" (any principal);
//	AllowRequestsByThirdPartyIdentitiesToThirdPartyResources and
//	  AllowRequestsByOrgsIdentitiesToThirdPartyResources: trusted third-party
//	  identities, or the organization's, to trusted third-party resources;
//	AllowRequestsByOrgsIdentitiesToAnyResources: "identities from your
//	  Organizations organization that are tagged with the dp:exclude:resource
//	  tag set to true to access any resource".
//
// and its Introduction, on what they stop: "developers bringing their
// personal credentials into your network and uploading corporate data to
// their personal accounts". The endpoint policies "do not grant any
// permissions; instead, they establish a boundary that is the maximum
// access allowed through the endpoint" (README, Description).

// vpcePlaceholders fills in the examples' placeholders with one consistent
// world: the organization o-perimeter1, Region us-east-1, the AWS service
// accounts the README names (EKS's ECR registry 602401143452, a Lambda
// layer publisher 580247275435, a Glue Studio account 555566667777), and
// the trusted third party 777788889999 with its bucket.
var vpcePlaceholders = map[string]string{
	"<my-org-id>": "o-perimeter1", "<region>": "us-east-1", "<RegionWithoutDashes>": "useast1",
	"<ecr-account-id>": "602401143452", "<service-account-id>": "580247275435", "<glue-account-id>": "555566667777",
	"<third-party-account-a>": "777788889999", "<third-party-account-b>": "777788880000",
	"<action>": "s3:GetObject", "<third-party-resource-arn>": "arn:aws:s3:::partner-bucket/*",
	"<CodeArtifact-Region-Account>": "123456789012", "<string>": "a1b2c3",
}

const vpceWorld = `
world:
  organization: {id: o-perimeter1, management_account: "999999999999", root: {id: r-pmtr}}
  accounts:
    - id: "999999999999"
    - id: "111122223333"
      users:
        - {name: dev, policies: [{name: all, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "*", Resource: "*"}}}]}
        - name: exempt
          tags: {"dp:exclude:resource": "true"}
          policies: [{name: all, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "*", Resource: "*"}}}]
      vpc_endpoints:
        - {id: vpce-0a00000000000000a, vpc: vpc-0a1b2c3d, service: %s, policy: %s}
    - id: "444455556666"
      outside_org: true
      users: [{name: me, policies: [{name: all, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "*", Resource: "*"}}}]}]
    - id: "777788889999"
      outside_org: true
      users: [{name: partner, policies: [{name: all, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "*", Resource: "*"}}}]}]
`

// vpceService is each example's service: an action, and a resource of it
// in an account (%s).
var vpceService = map[string]struct{ endpoint, action, resource string }{
	"default":        {"com.amazonaws.us-east-1.sqs", "sqs:SendMessage", "arn:aws:sqs:us-east-1:%s:jobs"},
	"cloudformation": {"com.amazonaws.us-east-1.cloudformation", "cloudformation:DescribeStacks", "arn:aws:cloudformation:us-east-1:%s:stack/app/1"},
	"ec2":            {"com.amazonaws.us-east-1.ec2", "ec2:StartInstances", "arn:aws:ec2:us-east-1:%s:instance/i-0123456789abcdef0"},
	"ecr.api":        {"com.amazonaws.us-east-1.ecr.api", "ecr:BatchGetImage", "arn:aws:ecr:us-east-1:%s:repository/app"},
	"iam":            {"com.amazonaws.iam", "iam:GetRole", "arn:aws:iam::%s:role/app"},
	"imagebuilder":   {"com.amazonaws.us-east-1.imagebuilder", "imagebuilder:GetImage", "arn:aws:imagebuilder:us-east-1:%s:image/app/1.0.0/1"},
	"iot":            {"com.amazonaws.us-east-1.iot.data", "iot:Publish", "arn:aws:iot:us-east-1:%s:topic/app"},
	"lambda":         {"com.amazonaws.us-east-1.lambda", "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:%s:function:app"},
	"s3":             {"com.amazonaws.us-east-1.s3", "s3:PutObject", "arn:aws:s3:::bucket-%s/key"},
	"ssm":            {"com.amazonaws.us-east-1.ssm", "ssm:GetParameter", "arn:aws:ssm:us-east-1:%s:parameter/app"},
}

// vpceCase is one request through the example's endpoint: the decision
// (or, with "", any but a denial by the endpoint) and the endpoint
// statement that must allow it ("": none).
type vpceCase struct {
	name, principal, action, resource, account string
	decision, blockedBy, sid                   string
}

// vpceAWSResources are the examples' own exceptions for AWS owned and
// third-party resources (README, the Sids above). 999988887777 stands for
// the AWS account owning a resource whose ARN names none.
var vpceAWSResources = map[string][]vpceCase{
	"cloudformation": {{action: "cloudformation:CreateChangeSet", resource: "arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31", sid: "AllowRequestsByOrgsIdentitiesToAWSResources"}},
	"ec2":            {{action: "ec2:RunInstances", resource: "arn:aws:ec2:us-east-1::image/ami-0abcdef1234567890", account: "999988887777", sid: "AllowRequestsByOrgsIdentitiesToAWSResources"}},
	"ecr.api":        {{action: "ecr:BatchGetImage", resource: "arn:aws:ecr:us-east-1:602401143452:repository/eks/coredns", sid: "AllowRequestsByOrgsIdentitiesToAWSResources"}},
	"iam":            {{action: "iam:GetPolicy", resource: "arn:aws:iam::aws:policy/ReadOnlyAccess", sid: "AllowRequestsByOrgsIdentitiesToAWSResources"}},
	"imagebuilder":   {{action: "imagebuilder:GetComponent", resource: "arn:aws:imagebuilder:us-east-1:aws:component/amazon-cloudwatch-agent-linux/1.0.1/1", sid: "AllowRequestsByOrgsIdentitiesToAWSResources"}},
	"iot":            {{action: "iot:DescribeJobTemplate", resource: "arn:aws:iot:us-east-1:aws:jobtemplate/AWS-Run-Command--1.0", sid: "AllowRequestsByOrgsIdentitiesToAWSResources"}},
	"lambda":         {{action: "lambda:GetLayerVersion", resource: "arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension:38", sid: "AllowRequestsByOrgsIdentitiesToAWSResources"}},
	"ssm":            {{action: "ssm:GetParameter", resource: "arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", account: "999988887777", sid: "AllowRequestsByOrgsIdentitiesToAWSResources"}},
	"s3": {
		{action: "s3:GetObject", resource: "arn:aws:s3:::aws-glue-studio-transforms-555566667777-prod-us-east-1/t.py", account: "555566667777", sid: "AllowRequestsByOrgsIdentitiesToAWSResources"},
		{principal: "arn:aws:iam::444455556666:user/me", action: "s3:GetObject", resource: "arn:aws:s3:::amazonlinux-2-repos-us-east-1/repo.xml", account: "999988887777", sid: "AllowRequestsToAWSOwnedResources"},
		{principal: "arn:aws:iam::777788889999:user/partner", action: "s3:GetObject", resource: "arn:aws:s3:::partner-bucket/feed.csv", account: "777788889999", decision: Allow, sid: "AllowRequestsByThirdPartyIdentitiesToThirdPartyResources"},
		{action: "s3:GetObject", resource: "arn:aws:s3:::partner-bucket/feed.csv", account: "777788889999", sid: "AllowRequestsByOrgsIdentitiesToThirdPartyResources"},
		{action: "s3:PutObject", resource: "arn:aws:s3:::partner-bucket/feed.csv", account: "777788889999", decision: ImplicitDeny, blockedBy: "endpoint"},
	},
}

const (
	vpceDev    = "arn:aws:iam::111122223333:user/dev"
	vpceExempt = "arn:aws:iam::111122223333:user/exempt"
	vpcePerson = "arn:aws:iam::444455556666:user/me"
)

// vpceCases are the requests made through each example's endpoint.
func vpceCases(name string) []vpceCase {
	out := []vpceCase{
		{name: "the organization's identity to its own resource", principal: vpceDev, account: "111122223333",
			decision: Allow, sid: "AllowRequestsByOrgsIdentitiesToOrgsResources"},
		{name: "personal credentials to their own resource", principal: vpcePerson, account: "444455556666",
			decision: ImplicitDeny, blockedBy: "endpoint"},
		{name: "the organization's identity to a resource outside it", principal: vpceDev, account: "444455556666",
			decision: ImplicitDeny, blockedBy: "endpoint"},
		{name: "a dp:exclude:resource identity to a resource outside the organization", principal: vpceExempt,
			account: "444455556666", sid: "AllowRequestsByOrgsIdentitiesToAnyResources"},
		{name: "an AWS service principal", principal: "cloudformation.amazonaws.com", account: "111122223333",
			sid: "AllowRequestsByAWSServicePrincipals"},
	}
	for i, c := range vpceAWSResources[name] {
		c.name = fmt.Sprintf("exception %d: %s on %s", i+1, c.action, c.resource)
		if c.principal == "" {
			c.principal = vpceDev
		}
		out = append(out, c)
	}
	return out
}

// TestDataPerimeterEndpointPolicies loads every example as the policy of
// an endpoint of its service and decides requests through it.
func TestDataPerimeterEndpointPolicies(t *testing.T) {
	dir := sharedtest.Path(t, "conformance/aws-samples-data-perimeter/vpc_endpoint_policies")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) < 10 {
		t.Fatalf("the examples: %v (%d found)", err, len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), "_endpoint_policy.json")
		t.Run(name, func(t *testing.T) {
			svc, ok := vpceService[name]
			if !ok {
				t.Fatalf("no service for the example %s: add it to vpceService", name)
			}
			e := openTestEngine(t, fmt.Sprintf(vpceWorld, svc.endpoint, strconv.Quote(vpceDocument(t, f))))
			for _, c := range vpceCases(name) {
				if c.action == "" {
					c.action, c.resource = svc.action, fmt.Sprintf(svc.resource, c.account)
				}
				checkVPCECase(t, e, c)
			}
		})
	}
}

// vpceDocument reads an example with its placeholders filled in.
func vpceDocument(t *testing.T, path string) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	for k, v := range vpcePlaceholders {
		doc = strings.ReplaceAll(doc, k, v)
	}
	if left := regexp.MustCompile(`<[A-Za-z-]+>`).FindString(doc); left != "" {
		t.Fatalf("placeholder %s has no value in vpcePlaceholders", left)
	}
	return doc
}

func checkVPCECase(t *testing.T, e *Engine, c vpceCase) {
	t.Helper()
	req := &Request{Principal: c.principal, Action: c.action, Resource: c.resource, ResourceAccount: c.account,
		VPCEndpoint: "vpce-0a00000000000000a"}
	d, err := e.Decide(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	sameVerdict(t, e, req, d)
	var sids []string
	for _, m := range d.Matched["endpoint"] {
		if m.Effect == "Allow" {
			sids = append(sids, m.Sid)
		}
	}
	switch {
	case c.decision != "" && (d.Decision != c.decision || d.BlockedBy != c.blockedBy):
		t.Errorf("%s: %s (blocked by %q), want %s (blocked by %q); endpoint allows: %v", c.name, d.Decision, d.BlockedBy, c.decision, c.blockedBy, sids)
	case c.decision == "" && d.BlockedBy == "endpoint":
		t.Errorf("%s: denied by the endpoint, want %s to allow it", c.name, c.sid)
	case c.sid != "" && !slices.Contains(sids, c.sid):
		t.Errorf("%s: the endpoint statements that allow are %v, want %s among them", c.name, sids, c.sid)
	case c.sid == "" && len(sids) > 0:
		t.Errorf("%s: the endpoint statements %v allow, want none", c.name, sids)
	}
	if c.blockedBy != "endpoint" {
		return
	}
	req.VPCEndpoint = "" // made elsewhere, the endpoint policy plays no part
	if d, err := e.Decide(context.Background(), req); err != nil || d.BlockedBy == "endpoint" || len(d.Matched["endpoint"]) > 0 {
		t.Errorf("%s without the endpoint: %+v %v", c.name, d, err)
	}
}
