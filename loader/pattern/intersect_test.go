package pattern

import (
	"slices"
	"testing"
)

// Resource wildcards (IAM User Guide, reference_policies_elements_resource,
// "Including wildcard characters in the resource ARN": "*" matches any
// combination of characters, "?" any single character) make two patterns
// over the same ARN meet where a string matches both.
func TestResourceIntersect(t *testing.T) {
	for _, c := range []struct {
		p, q string
		want []string
		ok   bool
	}{
		{"arn:aws:s3:::b/*.txt", "arn:aws:s3:::b/private/*", []string{"arn:aws:s3:::b/private/*.txt"}, true},
		{"arn:aws:s3:::b/private/*", "arn:aws:s3:::b/*.txt", []string{"arn:aws:s3:::b/private/*.txt"}, true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/private/*", []string{"arn:aws:s3:::b/private/*"}, true},
		{"arn:aws:s3:::b/*.txt", "arn:aws:s3:::b/*.bin", nil, true},
		{"arn:aws:s3:::b/a*", "arn:aws:s3:::c/*", nil, true},
		{"arn:aws:s3:::gen-*/x", "arn:aws:s3:::*-1/*", []string{"arn:aws:s3:::gen-*-1/*/x", "arn:aws:s3:::gen-*-1/x", "arn:aws:s3:::gen-1/*/x", "arn:aws:s3:::gen-1/x"}, true},
		{"arn:aws:s3:::b/?.txt", "arn:aws:s3:::b/a*", []string{"arn:aws:s3:::b/a.txt"}, true},
		{"*", "arn:aws:s3:::b/*", []string{"arn:aws:s3:::b/*"}, true},
		{"arn:aws:sqs:*:1:*", "arn:aws:sqs:us-east-1:1:q*", nil, false},
		{"arn:aws:sqs:us-east-1:1:q*", "arn:aws:sqs:us-east-1:2:*", nil, true},
		{`arn:aws:s3:::b/\*`, "arn:aws:s3:::b/*", []string{`arn:aws:s3:::b/\*`}, true},
		{`arn:aws:s3:::b/\**`, "arn:aws:s3:::b/*x", []string{`arn:aws:s3:::b/\**x`}, true},
	} {
		got, ok := ResourceIntersect(c.p, c.q)
		slices.Sort(got)
		slices.Sort(c.want)
		if ok != c.ok || !slices.Equal(got, c.want) {
			t.Errorf("ResourceIntersect(%q, %q) = %q, %v; want %q, %v", c.p, c.q, got, ok, c.want, c.ok)
		}
	}
}

// Every intersection is exact: on every string of up to five characters
// over the patterns' alphabet, a piece matches exactly when both do.
func TestGlobIntersectExact(t *testing.T) {
	globs := []string{"", "*", "?", "a", "a*", "*a", "*a*", "*b*", "a*b", "?*", "*?", "a?", "?b*", "*a*b*",
		"ab*", "*ba", "a/*", "*/b", "a*/*b", "?/?", `\*`, `a\*`, `*\?*`}
	var values []string
	var grow func(s string)
	grow = func(s string) {
		values = append(values, s)
		if len(s) < 5 {
			for _, c := range []string{"a", "b", "/", "*", "?"} {
				grow(s + c)
			}
		}
	}
	grow("")
	for _, p := range globs {
		for _, q := range globs {
			pieces, ok := GlobIntersect(p, q)
			if !ok {
				t.Fatalf("GlobIntersect(%q, %q) not computed", p, q)
			}
			for _, v := range values {
				if slices.ContainsFunc(pieces, func(g string) bool { return Glob(g, v) }) != (Glob(p, v) && Glob(q, v)) {
					t.Fatalf("GlobIntersect(%q, %q) = %q, wrong on %q", p, q, pieces, v)
				}
			}
		}
	}
}

// GlobHolds never claims a pattern holds one it does not.
func TestGlobHolds(t *testing.T) {
	for _, c := range []struct {
		p, q string
		want bool
	}{
		{"*", "a*b", true},
		{"a*", "a?*", true},
		{"b/*.txt", "b/private/*.txt", true},
		{"b/private/*", "b/*.txt", false},
		{"?", "*", false},
		{"a?", "ab", true},
		{"ab", "a?", false},
		{`a\*`, "a*", false},
		{"a*", `a\*`, true},
	} {
		if got := GlobHolds(c.p, c.q); got != c.want {
			t.Errorf("GlobHolds(%q, %q) = %v", c.p, c.q, got)
		}
	}
}

// Fuzzed patterns never hang or panic, and each piece is held by both.
func FuzzGlobIntersect(f *testing.F) {
	f.Add("b/*.txt", "b/private/*")
	f.Add("*a*b*", "*b*a*")
	f.Add(`\**?`, "?*\\")
	f.Fuzz(func(t *testing.T, p, q string) {
		if len(p) > 24 || len(q) > 24 {
			return
		}
		pieces, ok := GlobIntersect(p, q)
		for _, g := range pieces {
			if !ok || !GlobHolds(p, g) || !GlobHolds(q, g) {
				t.Fatalf("GlobIntersect(%q, %q): piece %q not held by both (ok %v)", p, q, g, ok)
			}
		}
	})
}
