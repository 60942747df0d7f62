// Package tfplan reads a Terraform plan, the output of
// `terraform show -json PLANFILE`, into a change.Set: the IAM users,
// groups, roles, policies and attachments, the bucket, queue, topic, key
// and secret policies, the Lambda permissions and the Organizations
// policies the plan creates, updates, replaces and deletes, in the root
// module and in child modules.
//
// The plan is read twice from the same bytes: with
// github.com/hashicorp/terraform-json (tfjson.Plan: the format version,
// the resource changes and their actions, the configuration's modules),
// and with loader/tree, which keeps the line and column of every value,
// so each resource change ($.resource_changes[i]) has a position in the
// plan file and every malformed value gets a positioned *tree.Error.
//
// # Values known only after apply
//
// A value the plan marks in after_unknown becomes a change.Symbol, never
// an empty value: its Expr is the configuration's reference when the
// resource's configuration has one (module.x.aws_iam_role.deploy.arn),
// else the resource's own address and attribute. A reference to a
// resource of the plan whose value can be built from what is known is
// resolved instead: a role's, user's, group's or policy's ARN from its
// name and path, a bucket's ARN from its name, a queue's or topic's ARN
// from its name, the account and the region. A policy document unknown
// until apply is built from the aws_iam_policy_document data source the
// configuration references: its rendered json (prior_state or
// planned_values) when the plan does not read it again at apply, else its
// planned statement blocks (the data source's resource change), else its
// configured statement blocks; a document that cannot be built is left
// nil with Edit.Unknown set to its symbol.
//
// # Locations
//
// Every Edit's At is the plan file with the line and column of its
// resource change object, and the resource's address. `terraform show
// -json` does not write source ranges in its configuration (Terraform
// 1.x's JSON output format has no file or line for a resource), so the
// .tf file and line cannot be given; the address is always there.
// Statements of a policy document held in a string carry positions in
// that string's text, with Policy.HeldIn pointing at the string in the
// plan.
//
// # Ordering
//
// Deletes come before Puts in the Set. A delete wins over stale values
// of other resources: when the plan deletes a user, group, role or
// managed policy and does not create another of the same name, the
// inline policies, attachments and memberships other resources write for
// it are dropped (AWS removes them with it).
package tfplan
