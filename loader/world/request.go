package world

import (
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"strings"

	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
)

// What a request may carry. A request names one concrete resource, and
// each context value must fit its key's type. A request (a scenario
// check, `why`, `who-can`, the websocket's questions) may name "*" only
// for an action the Service Authorization Reference lists without
// resource types (CheckStar: "you must specify all resources ("*") in the
// Resource element of your policy statement"); the engine's own probes
// (can, the audit) decide "*" as the pattern of every resource.

// RequestResource checks the resource of a request and
// returns it as the resource is named: a literal * or ? in it (an S3 key
// may hold one) is written ${*} or ${?}, as in policies
// (reference_policies_variables.html#policy-vars-specialchars), so that a
// wildcard is never taken for a resource.
func RequestResource(resource string) (string, error) {
	if resource == "*" {
		return resource, nil
	}
	if strings.ContainsAny(escapes.Replace(resource), "*?") {
		return "", fmt.Errorf("resource %q holds a wildcard: a request names one concrete resource "+
			"(to ask about many, use who-can for each resource, or can for a principal's permissions; "+
			"a literal * or ? in a name is written ${*} or ${?})", resource)
	}
	literal := unescape.Replace(resource)
	return literal, CheckARN(literal)
}

var (
	unescape = strings.NewReplacer("${*}", "*", "${?}", "?", "${$}", "$")
	escapes  = strings.NewReplacer("${*}", "", "${?}", "", "${$}", "")
)

// CheckStar allows "*" as the resource of an action the catalog lists
// without resource types (an action the catalog does not know is lint's
// to report).
func CheckStar(action string) error {
	c, err := catalog.Load()
	if err != nil {
		return err
	}
	a, ok := c.Lookup(action)
	if !ok || len(a.ResourceTypes) == 0 {
		return nil
	}
	types := make([]string, len(a.ResourceTypes))
	for i, t := range a.ResourceTypes {
		types[i] = strings.TrimPrefix(t, "*")
	}
	if len(types) > 3 {
		types = append(types[:3], "...")
	}
	return fmt.Errorf("resource \"*\": %s acts on a resource (%s): name it by its ARN; \"*\" is for actions that have no resource type",
		a, strings.Join(types, ", "))
}

// CheckContextValue checks a context value against its key's type
// (catalog.KeyType): Bool true or false, an IP address, a date (ISO 8601
// or epoch seconds, as Date conditions read it), a number, an ARN. A list
// (a multivalued key) is checked element by element.
func CheckContextValue(key string, v any) error {
	typ := catalog.KeyType(key)
	if typ == "" {
		return nil
	}
	if list, ok := v.([]any); ok {
		for _, e := range list {
			if err := CheckContextValue(key, e); err != nil {
				return err
			}
		}
		return nil
	}
	if fits(typ, v) {
		return nil
	}
	return fmt.Errorf("context key %s: %v is not %s", key, show(v), typeHint[typ])
}

var typeHint = map[string]string{
	catalog.TypeBool:    "a Bool (true or false)",
	catalog.TypeIP:      "an IP address (such as 203.0.113.7 or 2001:db8::1)",
	catalog.TypeDate:    "a Date (ISO 8601 such as 2026-01-02T15:04:05Z, or epoch seconds)",
	catalog.TypeNumeric: "a Numeric value (a number)",
	catalog.TypeARN:     "an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)",
}

func fits(typ string, v any) bool {
	s, isStr := v.(string)
	switch typ {
	case catalog.TypeBool:
		_, isBool := v.(bool)
		return isBool || isStr && (strings.EqualFold(s, "true") || strings.EqualFold(s, "false"))
	case catalog.TypeIP:
		_, err := netip.ParseAddr(s)
		return isStr && err == nil
	case catalog.TypeDate:
		if isStr {
			_, err := policy.ParseDate(s)
			return err == nil
		}
		f, ok := number(v)
		return ok && f == math.Trunc(f)
	case catalog.TypeNumeric:
		if isStr {
			_, ok := pattern.ParseNumber(s)
			return ok
		}
		_, ok := number(v)
		return ok
	case catalog.TypeARN:
		_, err := checkShape(s)
		return isStr && err == nil
	}
	return true
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func show(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%v", v)
}
