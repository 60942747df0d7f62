package pattern

import (
	"regexp"
	"strings"
	"testing"
)

// RESOURCE = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// OPERATORS = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
func TestGlob(t *testing.T) {
	cases := []struct {
		pattern, value string
		want           bool
	}{
		{"s3:get*", "s3:getobject", true},
		{"s3:get*", "s3:putobject", false},
		{"*", "", true},
		{"", "", true},
		{"", "a", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"a?c", "abbc", false},
		{"a?c", "aéc", true}, // ? is one character, not one byte
		{"*x", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaay", false},
		{"*********x", strings.Repeat("a", 200), false},
		{`a\*b`, "a*b", true}, // an escaped star is literal
		{`a\*b`, "axb", false},
		{`a\?`, "a?", true},
		{`a\\b`, `a\b`, true},
		{`a\`, `a\`, true},
		{"home/*/doc", "home/a/b/doc", true}, // * crosses '/'
		{"Case", "case", false},
	}
	for _, c := range cases {
		if got := Glob(c.pattern, c.value); got != c.want {
			t.Errorf("Glob(%q, %q) = %v, want %v", c.pattern, c.value, got, c.want)
		}
	}
}

func TestResourceMatch(t *testing.T) {
	cases := []struct {
		pattern, arn string
		want         bool
	}{
		// RESOURCE: "bucket/*/test/*" examples.
		{"arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/1///test///x.jpg", true},
		{"arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket//test/object.jpg", true},
		{"arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/1/test/", true},
		{"arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/1-test/object.jpg", false},
		{"arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/test/object.jpg", false},
		{"arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/1/2/test.jpg", false},
		{"*", "*", true},
		{"*", "arn:aws:s3:::b", true},
		{"arn:aws:s3:::*", "*", false},
		{"arn:aws:s3:::*", "arn:aws:s3:::b/k", true},
		{"arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", true},
		{"arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:111122223333:volume/v-1", false},
		{"arn:aws:ec2:us-*-1:111122223333:instance/*", "arn:aws:ec2:us-east-1:111122223333:instance/i", true},
		{"arn:aws:ec2:us-*-1:111122223333:instance/*", "arn:aws:ec2:eu-west-1:111122223333:instance/i", false},
		{"arn:aws:logs:us-east-1:111122223333:log-group:my-group:*", "arn:aws:logs:us-east-1:111122223333:log-group:my-group:log-stream:s", true},
		// A trailing * of a component may cross colons (RESOURCE).
		{"arn:aws:logs:us-east-1:*", "arn:aws:logs:us-east-1:111122223333:log-group:g", true},
		// No wildcard in the service component.
		{"arn:aws:s3*:::b", "arn:aws:s3:::b", false},
		// Case-sensitive.
		{"arn:aws:iam::111122223333:user/Bob", "arn:aws:iam::111122223333:user/bob", false},
		// Not a six-component pattern: only the same string.
		{"arn:aws:fdsasf", "arn:aws:fdsasf", true},
		{"arn:aws:fdsasf", "arn:aws:fdsasf:x:y:z", false},
	}
	for _, c := range cases {
		if got := ResourceMatch(c.pattern, c.arn); got != c.want {
			t.Errorf("ResourceMatch(%q, %q) = %v, want %v", c.pattern, c.arn, got, c.want)
		}
	}
}

func TestArnLike(t *testing.T) {
	cases := []struct {
		pattern, arn string
		want         bool
	}{
		// OPERATORS, ARN condition operators: the example that StringLike matches and ArnLike does not.
		{"arn:aws:someservice:*:111122223333:finance/*", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", false},
		{"arn:aws:someservice:*:111122223333:finance/*", "arn:aws:someservice:us-east-2:111122223333:finance/document.txt", true},
		{"arn:aws:sns:*:*:topic", "arn:aws:sns:us-east-1:111122223333:topic", true},
		{"arn:aws:sns:*:*:topic", "not-an-arn", false},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/k:with:colons", true},
	}
	for _, c := range cases {
		if got := ArnLike(c.pattern, c.arn); got != c.want {
			t.Errorf("ArnLike(%q, %q) = %v, want %v", c.pattern, c.arn, got, c.want)
		}
	}
	if !Glob("arn:aws:someservice:*:111122223333:finance/*", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt") {
		t.Error("StringLike (Glob) matches the operators page's example")
	}
}

func TestScalars(t *testing.T) {
	ip := []struct {
		ip, cidr string
		want     bool
	}{
		{"203.0.113.7", "203.0.113.0/24", true},
		{"203.0.114.7", "203.0.113.0/24", false},
		{"203.0.113.7", "203.0.113.7", true},
		{"2001:db8::1", "2001:db8::/32", true},
		{"2001:db9::1", "2001:db8::/32", false},
		{"::ffff:203.0.113.7", "203.0.113.0/24", true},
		{"not-an-ip", "0.0.0.0/0", false},
		{"10.0.0.1", "bad", false},
	}
	for _, c := range ip {
		if got := IPInCIDR(c.ip, c.cidr); got != c.want {
			t.Errorf("IPInCIDR(%q, %q) = %v", c.ip, c.cidr, got)
		}
	}
	if n, ok := ParseNumber("2.50"); !ok || n != 2.5 {
		t.Error("ParseNumber decimal")
	}
	if _, ok := ParseNumber("NaN"); ok {
		t.Error("NaN is not a number")
	}
	if !BoolEquals("TRUE", true) || BoolEquals("yes", true) || BoolEquals("false", true) || !BoolEquals("false", false) {
		t.Error("BoolEquals")
	}
	if !BinaryEquals("QUJD", "QUJD") || BinaryEquals("QUJD", "QUJE") || BinaryEquals("!!", "!!") {
		t.Error("BinaryEquals")
	}
	if ServiceOf("s3:GetObject") != "s3" || ServiceOf("nocolon") != "" {
		t.Error("ServiceOf")
	}
}

func TestNoAllocations(t *testing.T) {
	checks := map[string]func(){
		"Glob":          func() { Glob("arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/1/2/test/x") },
		"ResourceMatch": func() { ResourceMatch("arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:1:instance/i") },
		"ArnLike":       func() { ArnLike("arn:aws:sns:*:*:topic", "arn:aws:sns:us-east-1:1:topic") },
		"IPInCIDR":      func() { IPInCIDR("2001:db8::1", "2001:db8::/32") },
	}
	for name, f := range checks {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v times", name, n)
		}
	}
}

// globOracle is a regexp translation of the glob form, for the fuzz test.
func globOracle(pattern, value string) bool {
	var sb strings.Builder
	sb.WriteString(`^(?s)`)
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; {
		case c == '*':
			sb.WriteString(`.*`)
		case c == '?':
			sb.WriteString(`.`)
		case c == '\\' && i+1 < len(pattern):
			i++
			sb.WriteString(regexp.QuoteMeta(pattern[i : i+1]))
		default:
			sb.WriteString(regexp.QuoteMeta(pattern[i : i+1]))
		}
	}
	sb.WriteString(`$`)
	return regexp.MustCompile(sb.String()).MatchString(value)
}

func FuzzGlob(f *testing.F) {
	f.Add("s3:get*", "s3:getobject")
	f.Add("a?c*", "abcdef")
	f.Add(`a\*b`, "a*b")
	f.Fuzz(func(t *testing.T, pattern, value string) {
		if !isASCII(pattern) || !isASCII(value) {
			return // the oracle's '.' is per rune; keep the comparison exact on ASCII
		}
		if got, want := Glob(pattern, value), globOracle(pattern, value); got != want {
			t.Errorf("Glob(%q, %q) = %v, oracle %v", pattern, value, got, want)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func FuzzResourceMatch(f *testing.F) {
	f.Add("arn:aws:s3:::b/*", "arn:aws:s3:::b/k")
	f.Add("arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:1:instance/i")
	f.Fuzz(func(t *testing.T, pattern, value string) {
		ResourceMatch(pattern, value)
		ArnLike(pattern, value)
		if !strings.ContainsAny(value, `*?\`) && !ResourceMatch(value, value) {
			t.Errorf("an ARN without wildcards must match itself: %q", value)
		}
	})
}

func FuzzIPInCIDR(f *testing.F) {
	f.Add("203.0.113.7", "203.0.113.0/24")
	f.Add("2001:db8::1", "2001:db8::/32")
	f.Fuzz(func(t *testing.T, ip, cidr string) { IPInCIDR(ip, cidr) })
}

func BenchmarkGlob(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Glob("arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/1/2/test/x.jpg")
	}
}

func BenchmarkResourceMatch(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ResourceMatch("arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc")
	}
}

func BenchmarkArnLike(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ArnLike("arn:aws:someservice:*:111122223333:finance/*", "arn:aws:someservice:us-east-2:111122223333:finance/doc.txt")
	}
}

func BenchmarkIPInCIDR(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		IPInCIDR("2001:db8:1234::1", "2001:db8::/32")
	}
}
