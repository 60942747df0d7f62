package scenario

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/loader/tree"
)

// endpointWorld declares one S3 endpoint (lines 1-8 of a scenario).
const endpointWorld = `world:
  accounts:
    - id: "111122223333"
      vpc_endpoints:
        - id: vpce-0a1b2c3d4e5f67890
          vpc: vpc-1a2b3c4d
          service: com.amazonaws.us-east-1.s3
          policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "*"}]}
`

func TestScenarioErrorsNamePosition(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"unknown key", "checks:\n  - name: x\n    principle: y\n", `w.yaml:3:16`},
		{"bad expect", "checks:\n  - {name: x, principal: anonymous, action: s3:GetObject, resource: '*', expect: maybe, source: s}\n", "expect: expected allow"},
		{"missing source", "checks:\n  - {name: x, principal: anonymous, action: s3:GetObject, resource: '*', expect: allow}\n", `missing required key "source"`},
		{"bad account id", "world:\n  accounts:\n    - id: '12'\n", "12 digits"},
		{"bad policy", "world:\n  accounts:\n    - id: '111122223333'\n      users:\n        - name: a\n          policies:\n            - name: p\n              document: {Version: '2012-10-17', Statement: {Effect: Maybe, Action: 's3:*', Resource: '*'}}\n", "Effect"},
		{"duplicate key", "checks: []\nchecks: []\n", "duplicate"},
		{"bad duration", "world:\n  accounts:\n    - id: '111122223333'\n      roles:\n        - {name: r, trust: {Version: '2012-10-17', Statement: {Effect: Allow, Action: 'sts:AssumeRole', Principal: {AWS: '111122223333'}}}, max_session_duration: 60}\n", "3600 to 43200"},
		{"bad SessionNotOnOrAfter", "checks:\n  - name: x\n    chain: {steps: [{AssumeRoleWithSAML: {role: r, provider: p, session_not_on_or_after: soon}}]}\n    expect: chain-refused\n    source: s\n", "session_not_on_or_after: expected an RFC 3339 time"},
		{"bad region", "checks:\n  - name: x\n    chain: {steps: [{AssumeRole: {role: r, session: s, region: US East}}]}\n    expect: chain-refused\n    source: s\n", "w.yaml:3:64: $.checks[0].chain.steps[0].AssumeRole.region: region: expected an AWS Region code"},
		// id_roles_providers_create_oidc.html: "An IAM OIDC identity provider must have at least one ... audiences".
		// "The effect of Allow is only supported for the RCPFullAWSAccess policy"
		// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
		{"RCP that allows", "world:\n  organization:\n    id: o-aaaabbbbcc\n    management_account: '111122223333'\n    policies:\n      - name: Open\n        type: rcp\n" +
			"        document: {Version: '2012-10-17', Statement: {Effect: Allow, Principal: '*', Action: '*', Resource: '*'}}\n",
			"w.yaml:8:63: $.world.organization.policies[0].document.Statement.Effect: an RCP statement must Deny"},
		{"RCP that allows, as JSON text", "world:\n  organization:\n    id: o-aaaabbbbcc\n    management_account: '111122223333'\n    policies:\n      - name: Open\n        type: rcp\n" +
			"        document: '{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}}'\n",
			"w.yaml:8:19: $.world.organization.policies[0].document: w.yaml $.world.organization.policies[0].document:1:51: $.Statement.Effect: an RCP statement must Deny"},
		{"oidc without audience", "world:\n  accounts:\n    - id: '111122223333'\n      oidc_providers:\n        - url: https://idp.example.com\n", "w.yaml:5:11: $.world.accounts[0].oidc_providers[0]: audiences: an IAM OIDC provider has 1 to 100 client IDs"},
		{"bad time", "checks:\n  - {name: x, principal: anonymous, action: s3:GetObject, resource: '*', time: tomorrow, expect: allow, source: s}\n",
			"w.yaml:2:80: $.checks[0].time: time: expected an RFC 3339 time"},
		{"time before the chain", "checks:\n  - name: x\n    chain: {time: '2026-01-01T10:00:00Z', steps: [{AssumeRole: {role: 'arn:aws:iam::111122223333:role/r', session: s}}]}\n    time: '2026-01-01T09:00:00Z'\n    expect: chain-refused\n    source: s\n",
			"w.yaml:4:11: $.checks[0].time: time: the request (2026-01-01T09:00:00Z) cannot precede its chain"},
		{"unknown endpoint", endpointWorld + "checks:\n  - {name: x, principal: anonymous, action: s3:GetObject, resource: '*', vpc_endpoint: vpce-0000000000000000f, expect: allow, source: s}\n",
			"w.yaml:10:88: $.checks[0].vpc_endpoint: vpc_endpoint: no VPC endpoint \"vpce-0000000000000000f\" in the world"},
		{"endpoint of another service", endpointWorld + "checks:\n  - {name: x, principal: anonymous, action: sqs:SendMessage, resource: '*', vpc_endpoint: vpce-0a1b2c3d4e5f67890, expect: allow, source: s}\n",
			"vpc_endpoint: vpce-0a1b2c3d4e5f67890 is for com.amazonaws.us-east-1.s3 (s3 actions); a request for sqs:SendMessage cannot go through it"},
		{"bad endpoint id", "world:\n  accounts:\n    - id: '111122223333'\n      vpc_endpoints: [{id: vpc-1, vpc: vpc-1a2b3c4d, service: s3}]\n", "id: expected a VPC endpoint id"},
		{"endpoint policy without Principal", "world:\n  accounts:\n    - id: '111122223333'\n      vpc_endpoints: [{id: vpce-1a2b3c4d, vpc: vpc-1a2b3c4d, service: s3, policy: {Statement: {Effect: Allow, Action: '*', Resource: '*'}}}]\n", "Principal"},
		{"blocked_by with expired-token", "checks:\n  - {name: x, principal: anonymous, action: s3:GetObject, resource: '*', expect: expired-token, blocked_by: identity, source: s}\n", "no blocked_by with expect: expired-token"},
		// A resource's ARN says its type: a type written must agree (world.TypeOf).
		{"type contradicts ARN", "world:\n  accounts:\n    - id: '111122223333'\n      resources:\n        - {arn: 'arn:aws:kms:us-east-1:111122223333:key/k', type: s3-bucket}\n",
			`w.yaml:5:67: $.world.accounts[0].resources[0].type: type: "s3-bucket" contradicts the ARN arn:aws:kms:us-east-1:111122223333:key/k, which names a kms-key`},
		{"alias is no key", "world:\n  accounts:\n    - id: '111122223333'\n      resources:\n        - {arn: 'arn:aws:kms:us-east-1:111122223333:alias/a', type: kms-key}\n",
			`which names a kms-alias`},
		{"unknown type", "world:\n  accounts:\n    - id: '111122223333'\n      resources:\n        - {arn: 'arn:aws:dynamodb:us-east-1:111122223333:table/t', type: dynamo-table}\n",
			`w.yaml:5:74: $.world.accounts[0].resources[0].type: type: expected one of ecr-repository, iam-role, kms-alias, kms-key`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseScenario("w.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatal("expected an error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestScenarioCheckFields(t *testing.T) {
	sc, err := ParseScenario("w.yaml", []byte(`
checks:
  - name: typed context
    principal: anonymous
    action: s3:GetObject
    resource: "arn:aws:s3:::b/k"
    resource_account: 111122223333
    context: {aws:SecureTransport: true, s3:max-keys: 10, aws:TagKeys: [a, b], aws:SourceIp: 10.0.0.1}
    session_policy: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "s3:*", Resource: "*"}}
    expect: implicit-deny
    blocked_by: resource
    source: test
`))
	if err != nil {
		t.Fatal(err)
	}
	c := sc.Checks[0]
	if c.ResourceAccount != "111122223333" || c.Context["aws:SecureTransport"] != true ||
		c.Context["s3:max-keys"] != int64(10) || len(c.Context["aws:TagKeys"].([]any)) != 2 ||
		c.SessionPolicy == nil || c.Line != 3 {
		t.Errorf("check decoded as %+v", c)
	}
	var perr *tree.Error
	if _, err := ParseScenario("w.yaml", []byte("checks: 3")); !errors.As(err, &perr) {
		t.Errorf("errors are *loader.Error: %T %v", err, err)
	}
}

// A check's time and VPC endpoint, and the endpoint the world declares.
func TestScenarioClockAndEndpoint(t *testing.T) {
	sc, err := ParseScenario("w.yaml", []byte(endpointWorld+`
checks:
  - {name: x, principal: anonymous, action: s3:GetObject, resource: "arn:aws:s3:::b/k", time: "2026-03-02T10:00:00+01:00",
     vpc_endpoint: vpce-0a1b2c3d4e5f67890, expect: expired-token, source: s}
`))
	if err != nil {
		t.Fatal(err)
	}
	c := sc.Checks[0]
	if !c.Time.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) || c.VPCEndpoint != "vpce-0a1b2c3d4e5f67890" || c.Expect != ExpiredToken {
		t.Errorf("check decoded as %+v", c)
	}
	ep := sc.World.Accounts[0].VPCEndpoints[0]
	if ep.Account != "111122223333" || ep.VPC != "vpc-1a2b3c4d" || ep.Prefix != "s3" || ep.Policy == nil || ep.Policy.Kind != "endpoint" {
		t.Errorf("endpoint decoded as %+v", ep)
	}
}

// An endpoint's service name (com.amazonaws.REGION.NAME, PrivateLink
// guide) serves the actions of one IAM service prefix.
func TestEndpointPrefix(t *testing.T) {
	for name, want := range map[string]string{
		"s3": "s3", "com.amazonaws.us-east-1.s3": "s3", "com.amazonaws.eu-west-2.ecr.api": "ecr",
		"com.amazonaws.iam": "iam", "com.amazonaws.us-gov-west-1.kms-fips": "kms",
		"com.amazonaws.us-east-1.monitoring": "cloudwatch", "com.amazonaws.ap-southeast-4.git-codecommit": "codecommit",
		"com.amazonaws.us-east-1.iot.data": "iot", "sqs": "sqs",
	} {
		if got := endpointPrefix(name); got != want {
			t.Errorf("endpointPrefix(%q) = %q, want %q", name, got, want)
		}
	}
}

// A resource declared without a type gets the one its ARN says; a type
// written that the ARN does not contradict is kept.
func TestResourceTypeFromARN(t *testing.T) {
	sc, err := ParseScenario("w.yaml", []byte(`
world:
  accounts:
    - id: "111122223333"
      resources:
        - {arn: "arn:aws:kms:us-east-1:111122223333:key/k"}
        - {arn: "arn:aws:s3:::b"}
        - {arn: "arn:aws:dynamodb:us-east-1:111122223333:table/t"}
        - {arn: "arn:aws:dynamodb:us-east-1:111122223333:table/u", type: sqs-queue}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"kms-key", "s3-bucket", "", "sqs-queue"}
	for i, r := range sc.World.Accounts[0].Resources {
		if r.Type != want[i] {
			t.Errorf("%s: type %q, want %q", r.ARN, r.Type, want[i])
		}
	}
	if !sc.World.Accounts[0].Resources[0].PolicyRequired() {
		t.Error("a KMS key declared without a type must need its key policy to allow")
	}
}
