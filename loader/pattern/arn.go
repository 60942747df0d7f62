package pattern

import "strings"

// ResourceMatch reports whether an ARN pattern from a Resource or
// NotResource element matches a resource ARN.
//
// Rules (IAM User Guide, "IAM JSON policy elements: Resource"):
//   - "*" matches every resource, including "*" for actions without one.
//   - Otherwise both are split into six components on the first five
//     colons and compared component by component with Glob; the sixth
//     (resource) component is everything after the fifth colon.
//   - "If the * wildcard is the last character of a resource ARN segment,
//     it can expand to match beyond the colon boundaries": once a component
//     pattern ends with *, the rest of the pattern is matched against the
//     rest of the value as one string.
//     (Applied from the region component on: the partition and service
//     never hold wildcards in valid policies.)
//   - The service component may not hold a wildcard: such a pattern
//     matches nothing. A pattern that is not a six-component ARN matches
//     only the identical string.
func ResourceMatch(pattern, arn string) bool {
	if pattern == "*" {
		return true
	}
	p, v := pattern, arn
	for i := 0; i < 5; i++ {
		pc, prest, okp := strings.Cut(p, ":")
		vc, vrest, okv := strings.Cut(v, ":")
		if i == 2 && strings.ContainsAny(pc, "*?") {
			return false
		}
		if i >= 3 && strings.HasSuffix(pc, "*") && !strings.HasSuffix(pc, `\*`) {
			return Glob(p, v)
		}
		if !okp {
			return pattern == arn
		}
		if !okv {
			return false
		}
		if !Glob(pc, vc) {
			return false
		}
		p, v = prest, vrest
	}
	return Glob(p, v)
}

// ArnLike implements the ArnLike and ArnEquals condition operators: "Each
// of the six colon-delimited components of the ARN is checked separately
// and each can include a multi-character match wildcard (*) or a
// single-character match wildcard (?)". The sixth component is everything
// after the fifth colon. A value that is not a six-component ARN does not
// match.
func ArnLike(pattern, arn string) bool {
	p, v := pattern, arn
	for i := 0; i < 5; i++ {
		pc, prest, okp := strings.Cut(p, ":")
		vc, vrest, okv := strings.Cut(v, ":")
		if !okp || !okv || !Glob(pc, vc) {
			return false
		}
		p, v = prest, vrest
	}
	return Glob(p, v)
}

// ARN is an ARN split into its six components: arn:Partition:Service:
// Region:Account:Resource. The resource part is everything after the
// fifth colon.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// SplitARN splits s into its components; ok is false when s does not
// start with "arn:" or has fewer than six components. It checks nothing
// else (loader/world's CheckARN applies each service's format).
func SplitARN(s string) (ARN, bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return ARN{}, false
	}
	return ARN{parts[1], parts[2], parts[3], parts[4], parts[5]}, true
}
