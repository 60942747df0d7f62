# Tests of the generated list of services RCPs cover (rcp_services.rego).
# Source:
# RCP https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
package clearance.authz_test

import data.clearance.authz

# RCP page, "List of AWS services that support RCPs": the five services of
# the launch (S3, STS, KMS, SQS, Secrets Manager) and those added since
# (among them DynamoDB, ECR, CloudWatch Logs) are covered; EC2, Lambda and
# IAM are not.
test_rcp_services if {
	every s in {"s3", "sts", "kms", "sqs", "secretsmanager", "dynamodb", "ecr", "logs"} {
		s in authz.rcp_services
	}
	every s in {"ec2", "lambda", "iam"} {
		not s in authz.rcp_services
	}
}
