# Tests of the Condition element. Expected results come from the IAM User
# Guide condition operator reference (OPERATORS) and the single- vs
# multivalued context keys page (MULTIVALUE):
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
package clearance.condition_test

import data.clearance.condition

_c(op, base, q, neg, pos, ifx, key, values) := {
	"op": op, "base": base, "qualifier": q, "negated": neg, "positive": pos,
	"if_exists": ifx, "key": key, "values": values, "has_vars": false,
}

_eq(key, values) := _c("StringEquals", "StringEquals", "", false, "StringEquals", false, key, values)

_neq(key, values) := _c("StringNotEquals", "StringNotEquals", "", true, "StringEquals", false, key, values)

# OPERATORS: several values for one key are OR-ed.
test_string_equals_any_value if {
	condition.all_true([_eq("aws:principaltag/team", ["red", "blue"])]) with input.context as {"aws:principaltag/team": ["blue"]}
}

test_string_equals_no_value if {
	not condition.all_true([_eq("aws:principaltag/team", ["red"])]) with input.context as {"aws:principaltag/team": ["blue"]}
}

# OPERATORS: key absent -> a positive operator is false.
test_missing_key_positive_false if {
	not condition.all_true([_eq("aws:principaltag/team", ["red"])]) with input.context as {}
}

# OPERATORS: key absent -> a negated operator is true.
test_missing_key_negated_true if {
	condition.all_true([_neq("aws:principaltag/team", ["red"])]) with input.context as {}
}

# OPERATORS: negated operators behave as NOR over the values.
test_negated_nor if {
	not condition.all_true([_neq("k", ["a", "b"])]) with input.context as {"k": ["b"]}
	condition.all_true([_neq("k", ["a", "b"])]) with input.context as {"k": ["c"]}
}

# OPERATORS, IfExists: key absent -> true; present -> as the base operator.
test_if_exists if {
	c := _c("StringEqualsIfExists", "StringEquals", "", false, "StringEquals", true, "ec2:instancetype", ["t2.micro"])
	condition.all_true([c]) with input.context as {}
	condition.all_true([c]) with input.context as {"ec2:instancetype": ["t2.micro"]}
	not condition.all_true([c]) with input.context as {"ec2:instancetype": ["m5.large"]}
}

# OPERATORS, Null: true = the key is absent.
test_null if {
	c := _c("Null", "Null", "", false, "Null", false, "aws:tokenissuetime", [true])
	condition.all_true([c]) with input.context as {}
	not condition.all_true([c]) with input.context as {"aws:tokenissuetime": ["2026-01-01T00:00:00Z"]}
	d := _c("Null", "Null", "", false, "Null", false, "aws:tokenissuetime", [false])
	condition.all_true([d]) with input.context as {"aws:tokenissuetime": ["2026-01-01T00:00:00Z"]}
}

# Several keys and operators are AND-ed (CONDITION element page).
test_and_over_conditions if {
	conds := [_eq("a", ["1"]), _eq("b", ["2"])]
	condition.all_true(conds) with input.context as {"a": ["1"], "b": ["2"]}
	not condition.all_true(conds) with input.context as {"a": ["1"], "b": ["3"]}
}

# MULTIVALUE: ForAllValues:StringEquals dynamodb:Attributes [ID, Message, Tags].
test_for_all_values if {
	c := _c("ForAllValues:StringEquals", "StringEquals", "ForAllValues", false, "StringEquals", false, "dynamodb:attributes", ["ID", "Message", "Tags"])
	condition.all_true([c]) with input.context as {"dynamodb:attributes": ["Message", "Tags"]}
	not condition.all_true([c]) with input.context as {"dynamodb:attributes": ["Message", "UserName"]}

	# an absent or empty key makes ForAllValues true
	condition.all_true([c]) with input.context as {}
	condition.all_true([c]) with input.context as {"dynamodb:attributes": []}
}

# MULTIVALUE: ForAnyValue:StringEquals dynamodb:Attributes [ID, PostDateTime].
test_for_any_value if {
	c := _c("ForAnyValue:StringEquals", "StringEquals", "ForAnyValue", false, "StringEquals", false, "dynamodb:attributes", ["ID", "PostDateTime"])
	condition.all_true([c]) with input.context as {"dynamodb:attributes": ["UserName", "Message", "PostDateTime"]}
	not condition.all_true([c]) with input.context as {"dynamodb:attributes": ["UserName"]}
	not condition.all_true([c]) with input.context as {}
}

# MULTIVALUE-EX: ForAllValues:StringNotLike aws:TagKeys "key1*".
test_for_all_values_not_like if {
	c := _c("ForAllValues:StringNotLike", "StringNotLike", "ForAllValues", true, "StringLike", false, "aws:tagkeys", ["key1*"])
	not condition.all_true([c]) with input.context as {"aws:tagkeys": ["key1"]}
	condition.all_true([c]) with input.context as {"aws:tagkeys": ["key2"]}
	condition.all_true([c]) with input.context as {}
}

# VARIABLES: an unresolvable variable matches nothing: a positive operator
# does not match and a negated one does.
test_unresolved_variable if {
	tmpl := {"tmpl": [{"var": "aws:principaltag/team"}]}
	pos := object.union(_eq("s3:prefix", [tmpl]), {"has_vars": true})
	neg := object.union(_neq("s3:prefix", [tmpl]), {"has_vars": true})
	not condition.all_true([pos]) with input.context as {"s3:prefix": ["x"]}
	condition.all_true([neg]) with input.context as {"s3:prefix": ["x"]}
	condition.all_true([pos]) with input.context as {"s3:prefix": ["x"], "aws:principaltag/team": ["x"]}
}

test_missing_keys_reported if {
	condition.missing([_eq("a", ["1"]), _eq("b", ["2"])]) == {"b"} with input.context as {"a": ["1"]}
}

# MULTIVALUE: "Multivalued context keys require a condition set operator":
# without one, a condition on a multivalued key the request carries never
# matches, negated or not (peer evidence in
# corpus/evaluation/multivalued_without_set_operator.yaml).
_multi(c) := object.union(c, {"multivalued": true})

test_bare_operator_on_multivalued_key_never_matches if {
	not condition.all_true([_multi(_eq("aws:tagkeys", ["a"]))]) with input.context as {"aws:tagkeys": ["a"]}
	not condition.all_true([_multi(_neq("aws:tagkeys", ["a"]))]) with input.context as {"aws:tagkeys": ["b"]}
}

test_bare_operator_on_absent_multivalued_key_follows_missing_key_rules if {
	condition.all_true([_multi(_neq("aws:tagkeys", ["a"]))]) with input.context as {}
	not condition.all_true([_multi(_eq("aws:tagkeys", ["a"]))]) with input.context as {}
}

test_set_operator_on_multivalued_key_matches if {
	c := _multi(_c("ForAnyValue:StringEquals", "StringEquals", "ForAnyValue", false, "StringEquals", false, "aws:tagkeys", ["a"]))
	condition.all_true([c]) with input.context as {"aws:tagkeys": ["b", "a"]}
}
