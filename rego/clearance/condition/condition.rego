# METADATA
# title: Condition evaluation
# description: |
#   The Condition element: AND over operators and keys, OR over a key's
#   values (NOR for negated operators), the missing-key rules, ...IfExists,
#   Null, the ForAllValues/ForAnyValue set qualifiers and policy variables.
#   The only primitive is iam.cond_count: how many of the request's values
#   match at least one policy value under the positive base operator.
#   Every rule about what that count means is here.
#   Sources:
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
#
#   The engine gives every context value as a list: one element for a
#   single-valued key, any number for a multivalued key.
package clearance.condition

# all_true holds when every condition of a statement is true.
all_true(conds) if {
	every c in conds {
		holds(c)
	}
}

# missing lists the keys of conds that the request does not carry.
missing(conds) := {c.key |
	some c in conds
	not _present(c.key)
}

_present(key) if input.context[key] != []

# holds decides one condition. Null: "true" tests that the key is absent,
# "false" that it is present. A multivalued key the request carries,
# tested without ForAllValues/ForAnyValue: false (below). A present key:
# compare its values, then apply the qualifier. An absent key (or an empty
# list): see _absent_ok.
# (One else-chain, its most common case first: each rule evaluation costs
# microseconds in OPA's interpreter.)
holds(c) if {
	c.base == "Null"
	some want in c.values
	want == _absent(c.key)
} else := false if {
	# "Multivalued context keys require a condition set operator"
	# (reference_policies_condition-single-vs-multi-valued-context-keys.html):
	# an operator without one never matches a multivalued key present in
	# the request, whatever the operator, its negation or IfExists (the
	# peer evaluator iam-simulate: "Set operator is required for a
	# multi-value key. Confirmed this at re:Inforce 2025 IAM431").
	c.multivalued
	c.qualifier == ""
	_present(c.key)
} else if {
	c.base != "Null"
	rs := input.context[c.key]
	rs != []
	n := iam.cond_count(c.positive, rs, _policy_values(c))
	_counts_ok(c.qualifier, c.negated, n, count(rs))
} else if {
	c.base != "Null"
	not _present(c.key)
	_absent_ok(c.if_exists, c.qualifier, c.negated)
}

_absent(key) := false if _present(key)

else := true

# Key absent: ...IfExists is true; ForAllValues is true (vacuously);
# ForAnyValue is false; a plain negated operator is true ("not equal to
# null"); any other operator is false.
_absent_ok(true, _, _)

_absent_ok(false, "ForAllValues", _)

_absent_ok(false, "", true)

# _counts_ok(qualifier, negated, n, total): n of the total request values
# match some policy value. Plain and ForAnyValue: some value matches
# (positive) / no value matches (plain negated: NOR over values) / some
# value matches none (ForAnyValue negated). ForAllValues: every value
# matches (positive) / every value matches none (negated).
_counts_ok("", false, n, _) if n > 0

_counts_ok("ForAnyValue", false, n, _) if n > 0

_counts_ok("", true, 0, _)

_counts_ok("ForAnyValue", true, n, total) if n < total

_counts_ok("ForAllValues", false, n, total) if n == total

_counts_ok("ForAllValues", true, 0, _)

# A value whose variable cannot be resolved matches nothing, so a positive
# operator does not match it and a negated operator does.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
_policy_values(c) := c.values if not c.has_vars

else := [x |
	some v in c.values
	x := _expand(v, _glob_form(c.positive))
]

_expand(v, _) := v if not is_object(v)

_expand(v, glob) := iam.expand(v.tmpl, input.context, glob) if is_object(v)

_glob_form(op) if {
	op in {"StringLike", "ArnLike", "ArnEquals"}
}

_glob_form(op) := false if {
	not op in {"StringLike", "ArnLike", "ArnEquals"}
}
