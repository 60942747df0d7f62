# METADATA
# title: Condition evaluation
# description: |
#   The Condition element: AND over operators and keys, OR over a key's
#   values (NOR for negated operators), the missing-key rules, ...IfExists,
#   Null, the ForAllValues/ForAnyValue set qualifiers and policy variables.
#   Comparing one request value with a list of policy values under a base
#   operator is the primitive iam.cond_any built-in; everything else is here.
#   Sources:
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
package clearance.condition

# all_true holds when every condition of a statement is true.
all_true(conds) if {
	every c in conds {
		_true(c)
	}
}

# missing lists the keys of conds that the request does not carry.
missing(conds) := {c.key |
	some c in conds
	not _present(c.key)
}

_present(key) if {
	v := input.context[key]
	not _empty_list(v)
}

_empty_list(v) if {
	is_array(v)
	count(v) == 0
}

# Null: "true" tests that the key is absent, "false" that it is present.
_true(c) if {
	c.base == "Null"
	some want in c.values
	want == _absent(c.key)
}

_true(c) if {
	c.base != "Null"
	_keyed(c)
}

_absent(key) := false if _present(key)

else := true

# Key absent: ...IfExists is true; ForAllValues is true (vacuously);
# ForAnyValue is false; a negated operator is true ("not equal to null");
# any other operator is false.
_keyed(c) if {
	not _present(c.key)
	_absent_result(c)
}

_keyed(c) if {
	_present(c.key)
	_present_result(c, _request_values(c.key))
}

_absent_result(c) if c.if_exists

_absent_result(c) if c.qualifier == "ForAllValues"

_absent_result(c) if {
	c.qualifier == ""
	c.negated
}

# A single-valued key is a one-element set of request values.
_request_values(key) := v if {
	v := input.context[key]
	is_array(v)
} else := [input.context[key]]

# ForAllValues: every request value must satisfy the operator.
_present_result(c, rs) if {
	c.qualifier == "ForAllValues"
	every r in rs {
		_value_ok(c, r)
	}
}

# ForAnyValue, and a plain operator: at least one request value satisfies it
# (a positive operator: some value matches some policy value). A plain
# negated operator holds when no request value matches any policy value.
_present_result(c, rs) if {
	c.qualifier != "ForAllValues"
	not _plain_negated(c)
	some r in rs
	_value_ok(c, r)
}

_present_result(c, rs) if {
	_plain_negated(c)
	every r in rs {
		_value_ok(c, r)
	}
}

_plain_negated(c) if {
	c.qualifier == ""
	c.negated
}

# One request value against the policy values: OR for positive operators,
# NOR for negated ones.
_value_ok(c, r) if {
	not c.negated
	iam.cond_any(c.positive, r, _policy_values(c))
}

_value_ok(c, r) if {
	c.negated
	not iam.cond_any(c.positive, r, _policy_values(c))
}

_policy_values(c) := c.values if not c.has_vars

# A value whose variable cannot be resolved matches nothing, so a positive
# operator does not match it and a negated operator does.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
_policy_values(c) := [x |
	some v in c.values
	x := _expand(v, _glob_form(c.positive))
] if c.has_vars

_expand(v, _) := v if not is_object(v)

_expand(v, glob) := iam.expand(v.tmpl, input.context, glob) if is_object(v)

_glob_form(op) if {
	op in {"StringLike", "ArnLike", "ArnEquals"}
}

_glob_form(op) := false if {
	not op in {"StringLike", "ArnLike", "ArnEquals"}
}
