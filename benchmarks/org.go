package benchmarks

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// OrgWorld generates a synthetic organization: accounts × roles, three OU
// levels with SCPs at each, in every account 20 customer managed policies
// (service-wide, resource-scoped, conditioned, NotAction and a few IAM
// write policies), each role with two of them, a small inline policy and
// a trust policy naming a service, its own account, or a role of another
// account (with an external id one time in three); in every member account
// the OrganizationAccountAccessRole administrator role trusting the
// management account, and in every account a data bucket whose policy
// requires TLS (one in ten also shares it with the organization). The seed
// makes it reproducible.
func OrgWorld(accounts, roles int, seed uint64) (*world.World, error) {
	r := rand.New(rand.NewPCG(seed, 7))
	w := &world.World{Organization: &world.Organization{ID: "o-synthetic", ManagementAccount: accountID(0)}}
	if err := orgTree(w.Organization); err != nil {
		return nil, err
	}
	for i := 0; i < accounts; i++ {
		a, err := syntheticAccount(r, i, accounts, roles)
		if err != nil {
			return nil, err
		}
		w.Accounts = append(w.Accounts, a)
	}
	return w, nil
}

func accountID(i int) string { return fmt.Sprintf("%012d", 100000000000+i) }

func orgTree(o *world.Organization) error {
	scps := map[string]string{
		"DenyLeaveOrg":    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}`,
		"DenyRegions":     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":["iam:*","sts:*","organizations:*","support:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}]}`,
		"ProtectSecurity": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":["guardduty:Delete*","cloudtrail:StopLogging","config:Delete*"],"Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/SecurityAdmin"}}}]}`,
	}
	for name, doc := range scps {
		p, err := policy.ParsePolicyBytes("synthetic-scp", []byte(doc), policy.KindSCP, world.OrgPolicyName(policy.KindSCP, name))
		if err != nil {
			return err
		}
		o.Policies = append(o.Policies, &world.OrgPolicy{Name: name, Kind: policy.KindSCP, Policy: p})
	}
	o.Root = &world.OrgUnit{ID: "r-synth", Name: "Root", SCPs: []string{"DenyLeaveOrg"}, Children: []*world.OrgUnit{{
		ID: "ou-synth-workloads", Name: "Workloads", SCPs: []string{"DenyRegions"}, Children: []*world.OrgUnit{{
			ID: "ou-synth-prod", Name: "Prod", SCPs: []string{"ProtectSecurity"}}}}}}
	return nil
}

// managedDocs are the policy shapes each account holds (20 policies).
var managedDocs = []string{
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::data-%[1]s","arn:aws:s3:::data-%[1]s/*"]}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:PutItem"],"Resource":"arn:aws:dynamodb:*:%[1]s:table/app-*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"},{"Effect":"Allow","Action":["ec2:StartInstances","ec2:StopInstances"],"Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:%[1]s:log-group:/app/*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage","sqs:DeleteMessage"],"Resource":"arn:aws:sqs:us-east-1:%[1]s:queue-*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:InvokeFunction","lambda:GetFunction"],"Resource":"arn:aws:lambda:*:%[1]s:function:svc-*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":"arn:aws:secretsmanager:*:%[1]s:secret:app/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole"],"Resource":"arn:aws:iam::%[1]s:role/svc-*"},{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cloudwatch:PutMetricData","cloudwatch:GetMetricData"],"Resource":"*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sns:Publish"],"Resource":"arn:aws:sns:*:%[1]s:topic-*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/cross-*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchGetImage"],"Resource":"*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreatePolicyVersion","iam:SetDefaultPolicyVersion"],"Resource":"arn:aws:iam::%[1]s:policy/app-*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"},{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["glue:GetJob","glue:StartJobRun"],"Resource":"*"}]}`,
}

func syntheticAccount(r *rand.Rand, i, accounts, roles int) (*world.Account, error) {
	id := accountID(i)
	a := &world.Account{ID: id, Name: fmt.Sprintf("acct-%d", i), OrgPath: "Workloads/Prod"}
	if i == 0 {
		a.OrgPath = ""
	}
	for k, doc := range managedDocs {
		arn := fmt.Sprintf("arn:aws:iam::%s:policy/app-%02d", id, k)
		p, err := policy.ParsePolicyBytes("synthetic", []byte(strings.ReplaceAll(doc, "%[1]s", id)), policy.KindIdentity, arn)
		if err != nil {
			return nil, fmt.Errorf("managed %d: %w", k, err)
		}
		a.ManagedPolicies = append(a.ManagedPolicies, &world.ManagedPolicy{ARN: arn, Account: id, Name: fmt.Sprintf("app-%02d", k), Policy: p})
	}
	for j := 0; j < roles; j++ {
		role, err := syntheticRole(r, id, j, accounts)
		if err != nil {
			return nil, err
		}
		a.Roles = append(a.Roles, role)
	}
	if i > 0 {
		admin, err := orgAccessRole(id)
		if err != nil {
			return nil, err
		}
		a.Roles = append(a.Roles, admin)
	}
	bucket, err := dataBucket(id, i)
	if err != nil {
		return nil, err
	}
	a.Resources = append(a.Resources, bucket)
	return a, nil
}

// orgAccessRole is the administrator role AWS Organizations creates in
// every member account it makes, trusting the management account
// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html).
func orgAccessRole(id string) (*world.Role, error) {
	arn := "arn:aws:iam::" + id + ":role/OrganizationAccountAccessRole"
	trust, err := policy.ParsePolicyBytes("synthetic", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+accountID(0)+`:root"},"Action":"sts:AssumeRole"}]}`), policy.KindTrust, world.TrustPolicyName(arn))
	if err != nil {
		return nil, err
	}
	admin, err := policy.ParsePolicyBytes("synthetic", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`),
		policy.KindIdentity, world.InlinePolicyName(arn, "AdministratorAccess"))
	if err != nil {
		return nil, err
	}
	return &world.Role{ARN: arn, Account: id, Name: "OrganizationAccountAccessRole", Path: "/", ID: "AROA" + id + "ORGA",
		Trust: trust, Inline: []*policy.Policy{admin}, MaxSessionDuration: 3600}, nil
}

// dataBucket is the account's data-ID bucket. Its policy denies requests
// without TLS; one account in ten shares its bucket for reading with the
// whole organization (aws:PrincipalOrgID).
func dataBucket(id string, i int) (*world.Resource, error) {
	arn := "arn:aws:s3:::data-" + id
	stmts := `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["` + arn + `","` + arn + `/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`
	if i%10 == 5 {
		stmts += `,{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":["` + arn + `","` + arn + `/*"],"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-synthetic"}}}`
	}
	p, err := policy.ParsePolicyBytes("synthetic", []byte(`{"Version":"2012-10-17","Statement":[`+stmts+`]}`), policy.KindResource, arn)
	if err != nil {
		return nil, err
	}
	return &world.Resource{ARN: arn, Account: id, Type: "s3-bucket", Policy: p}, nil
}

func syntheticRole(r *rand.Rand, id string, j, accounts int) (*world.Role, error) {
	name := fmt.Sprintf("svc-%04d", j)
	if j%10 == 0 {
		name = fmt.Sprintf("cross-%04d", j)
	}
	arn := "arn:aws:iam::" + id + ":role/" + name
	trust, err := policy.ParsePolicyBytes("synthetic", []byte(trustDoc(r, id, j, accounts)), policy.KindTrust, world.TrustPolicyName(arn))
	if err != nil {
		return nil, err
	}
	inline, err := policy.ParsePolicyBytes("synthetic", []byte(fmt.Sprintf(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject"],"Resource":"arn:aws:s3:::data-%s/%s/*"}]}`, id, name)),
		policy.KindIdentity, world.InlinePolicyName(arn, "own-prefix"))
	if err != nil {
		return nil, err
	}
	m1, m2 := r.IntN(len(managedDocs)), r.IntN(len(managedDocs))
	return &world.Role{ARN: arn, Account: id, Name: name, Path: "/", ID: fmt.Sprintf("AROA%s%04d", id, j),
		Trust: trust, Inline: []*policy.Policy{inline}, MaxSessionDuration: 3600,
		Managed: []string{fmt.Sprintf("arn:aws:iam::%s:policy/app-%02d", id, m1), fmt.Sprintf("arn:aws:iam::%s:policy/app-%02d", id, m2)},
		Tags:    map[string]string{"team": fmt.Sprintf("t%d", j%7)}}, nil
}

func trustDoc(r *rand.Rand, id string, j, accounts int) string {
	switch {
	case j%10 == 0: // cross-account, sometimes with an external id
		other := accountID(r.IntN(accounts))
		cond := ""
		if r.IntN(3) == 0 {
			cond = `,"Condition":{"StringEquals":{"sts:ExternalId":"ext-` + id + `"}}`
		}
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + other + `:root"},"Action":"sts:AssumeRole"` + cond + `}]}`
	case j%3 == 0:
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + id + `:root"},"Action":"sts:AssumeRole"}]}`
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
}
