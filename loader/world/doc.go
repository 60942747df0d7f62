// Package world is the model a world is made of: accounts with their users,
// groups, roles, managed policies, identity providers and resources, and
// the organization with its OUs, SCPs and RCPs. Scenario files and AWS
// exports both decode into a World; package store indexes it. The naming
// helpers (InlinePolicyName, TrustPolicyName, OrgPolicyName) give every
// policy document the one name the store and the explanations use.
package world
