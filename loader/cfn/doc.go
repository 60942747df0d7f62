// Package cfn reads a CloudFormation template (YAML with the intrinsic
// functions' short-form tags, or JSON) into a change.Set: the IAM users,
// groups, roles, policies, attachments and memberships, and the resource
// policies (S3, SQS, SNS, KMS, Lambda, Secrets Manager) and organization
// policies (SCPs, RCPs) it creates, each at the line and column of the
// resource's logical ID, with the statements of every policy document at
// their lines in the template.
//
// The template is evaluated as CloudFormation would for one stack: the
// parameters (defaults, overrides, allowed values), the pseudo parameters
// (the account, region, partition and stack name come from Options),
// mappings, conditions and the intrinsic functions. A value that cannot be
// known before deployment becomes a change.Symbol whose Text stands in for
// the value:
//
//   - a parameter with neither value nor default, or of an SSM parameter
//     type: the symbol of "!Ref NAME";
//   - a name CloudFormation generates (a role, user, group, managed
//     policy, bucket, queue, topic or function declared without its name
//     property): the symbol of "!Ref ID" for the types whose Ref returns
//     the name, else "!GetAtt ID.NameAttribute" (QueueName, TopicName) or
//     "ID.ManagedPolicyName"; ARNs are built around it
//     (arn:aws:iam::ACCOUNT:role/UNKNOWN-.Ref.ID);
//   - an attribute known only once the resource exists (RoleId, a KMS
//     key's ID, an organization policy's ID, any attribute of a resource
//     type this package does not model): the symbol of "!GetAtt ID.Attr"
//     or "!Ref ID";
//   - !ImportValue NAME, !GetAZs REGION, AWS::StackId,
//     AWS::NotificationARNs, and a selection or join over an unknown list:
//     the symbol of the expression, as written in short form.
//
// Each symbol is listed once in Set.Symbols with where it was first met.
//
// A condition whose value depends on a symbol is assumed true: the
// resource it guards is created and Fn::If takes its true branch, and the
// Edit lists the condition in Assumes so a finding can say so.
//
// Everything a template cannot mean (YAML or JSON syntax, an intrinsic
// that cannot resolve, a circular reference, a missing required property,
// a property AWS rejects, a policy document IAM's grammar refuses) is a
// *tree.Error at the file, line, column and JSON path
// ($.Resources.ID.Properties...).
package cfn
