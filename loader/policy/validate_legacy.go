// Stage 3 of ValidateCreatePolicy, IAM's "legacy parsing": Effect case,
// Date values and ARN colons; it also records the resource format errors
// stage 6 reports.

package policy

import (
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
)

// legacy runs IAM's "legacy parsing": Effect case and Date values of every
// statement, then the resource formats (which also record resErr).
func (v *createValidator) legacy() *tree.Error {
	for _, s := range v.stmts {
		if eff := s.Get("Effect"); eff.Str != "Allow" && eff.Str != "Deny" {
			return v.fail(eff, msgLegacy)
		}
		if e := v.legacyDates(s.Get("Condition")); e != nil {
			return e
		}
	}
	for _, key := range []string{"Resource", "NotResource"} {
		for _, s := range v.stmts {
			if e := v.legacyResources(s, key); e != nil {
				return e
			}
		}
	}
	return nil
}

func (v *createValidator) legacyDates(c *tree.Node) *tree.Error {
	if c == nil {
		return nil
	}
	for i, op := range c.Keys {
		if !strings.HasPrefix(stripOperator(op), "Date") {
			continue
		}
		for _, val := range c.Vals[i].Vals {
			items := []*tree.Node{val}
			if val.Kind == tree.Array {
				items = val.Items
			}
			for _, it := range items {
				if it.Kind != tree.String && it.Kind != tree.Number {
					return v.fail(it, msgLegacy)
				}
				if _, err := ParseDate(it.Str); err != nil {
					return malformed(it, v.file, msgLegacy, err)
				}
			}
		}
	}
	return nil
}

// legacyResources checks the formats of one statement's Resource (or
// NotResource) list, then, while no format error has been found, IAM's
// legacy ARN parse.
func (v *createValidator) legacyResources(s *tree.Node, key string) *tree.Error {
	n := s.Get(key)
	if n == nil {
		return nil
	}
	items := listItems(n)
	if n.Kind == tree.Array {
		items = sortedDesc(items)
	}
	for _, it := range items {
		if msg := resourceFormatMessage(it.Str); msg != "" {
			v.resErr = v.fail(it, msg)
		}
	}
	if v.resErr != nil {
		return nil
	}
	for _, it := range items {
		if !legacyARN(it.Str, n.Kind == tree.String) {
			return v.fail(it, msgLegacy)
		}
	}
	return nil
}

// legacyARN: an ARN with "::" needs all five colons, and (for a lone
// string; IAM's check on list items is vacuous) a non-empty service.
func legacyARN(r string, single bool) bool {
	if r == "*" {
		return true
	}
	if strings.Count(r, ":") < 5 && strings.Contains(r, "::") {
		return false
	}
	if single {
		f := strings.Split(r, ":")
		return len(f) > 2 && f[2] != ""
	}
	return true
}

// sortedDesc returns the list's strings in descending order (IAM checks a
// Resource list in that order).
func sortedDesc(items []*tree.Node) []*tree.Node {
	out := append([]*tree.Node(nil), items...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Str > out[j].Str })
	return out
}
