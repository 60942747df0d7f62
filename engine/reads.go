package engine

// What the logic reads, in one place.
//
// Five shortcuts in Go restate parts of the Rego logic so that bulk
// questions skip work. Each is right only while the logic reads no more
// than it states here; a change to rego/clearance/ that reads another
// field of the input must update this list and the code it names. Each is
// held equal to the logic alone by a with/without differential test in
// this directory (allowindex_test.go opens a twin engine with
// Options.NoIndex over the same store and compares who-can, reach and the
// audit on every corpus world; memo_test.go checks the memo key names).
//
// The resource index (view.go, narrow; index.ResourceMayMatch) relies on
// statement.rego's _resource_ok alone deciding a statement's Resource.
// The allow index (allowindex.go, MayAllow) relies on:
//   - policies.identity[*]: effect, action/not_action, resource/not_resource
//     (statement.rego's _action_ok and _resource_ok), conditions aside;
//   - policies.resource[*]: effect, action/not_action, principal and
//     not_principal (statement.principal_match, not_principal_applies);
//   - request.action against authz's policy_free_actions, principal.kind
//     (root, anonymous, service, outside) and federated_by_root, and the
//     principal's and resource's accounts (combine.rego: a cross-account
//     request needs the resource's side too).
//
// The trust index (trustindex.go, RoleCandidates) relies on a role's
// trust policy statements: effect, action (sts:AssumeRole), principal and
// not_principal, matched against the caller's names (principal.arn,
// account_arn, entity_arn, unique_id, entity_unique_id, enclosing).
//
// The decision memo (memo.go, DecideShared) keys an evaluation by:
//   - request.action and request.resource, resource.account, whether a
//     resource policy exists and is required, in_management_account;
//   - the principal object without its names, and with them when a
//     candidate has a Principal or NotPrincipal (identityFields);
//   - the candidate statements of each policy type, by policy name and
//     index (a statement's content is fixed within a store generation);
//   - the SCP and RCP levels (by the principal's and resource's accounts),
//     and the VPC endpoint (its policy's candidates by its id and the action);
//   - the value of every context key a candidate's conditions test.
//     It declines (no key) for session policies and policy variables.
//
// The hop class (hopclass.go, HopClass) names what an AssumeRole hop's
// answer depends on for the role: its account, tags, maximum session
// duration, trust policy text, and which candidate statements' Resource
// patterns match its ARN (statement.rego's _resource_ok reads the ARN;
// protected.rego too, for iam: and kms: actions only, never a hop's); it
// declines for Resource policy variables, a source identity, and a role
// ARN declared as a resource too.
//
// Can (engine/query) picks what to decide from the same reading: the
// statements' Resource patterns, the resource's tags (aws:ResourceTag/),
// the policy KMS keys and roles (TrustAction) require; and for the actions
// no pattern names it decides one per service, as the logic reads an
// action only through the statements, its service (rcp_services, the IAM
// endpoint, credentials.rego) and, in STS, its name. engine/query's
// TestGeneratedWorlds holds can equal to Decide.
