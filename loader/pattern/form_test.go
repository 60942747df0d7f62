package pattern

import "testing"

func TestGlobHelpers(t *testing.T) {
	for _, c := range []struct{ in, esc, prefix string }{
		{"plain", "plain", "plain"},
		{"a*b?c", `a\*b\?c`, "a*b?c"},
		{`back\slash`, `back\\slash`, `back\slash`},
	} {
		if got := GlobEscape(c.in); got != c.esc {
			t.Errorf("GlobEscape(%q) = %q, want %q", c.in, got, c.esc)
		}
		if got := GlobLiteralPrefix(GlobEscape(c.in)); got != c.prefix {
			t.Errorf("GlobLiteralPrefix(GlobEscape(%q)) = %q, want %q", c.in, got, c.prefix)
		}
		if !Glob(GlobEscape(c.in), c.in) {
			t.Errorf("GlobEscape(%q) does not match itself", c.in)
		}
	}
	for _, c := range []struct{ p, prefix string }{
		{"s3:get*", "s3:get"}, {`arn:aws:s3:::b/\*x*`, "arn:aws:s3:::b/*x"}, {"?", ""}, {`trailing\`, `trailing\`},
	} {
		if got := GlobLiteralPrefix(c.p); got != c.prefix {
			t.Errorf("GlobLiteralPrefix(%q) = %q, want %q", c.p, got, c.prefix)
		}
	}
	for _, c := range []struct {
		p, s string
		ok   bool
	}{
		{"a*c", "abbbc", true}, {"a*c", "ab", false}, {"a?c", "abc", true}, {"a?c", "ac", false},
		{`a\*c`, "a*c", true}, {`a\*c`, "abc", false}, {"*", "", true}, {"é?", "éü", true},
		{"bucket/*/test/*", "bucket/1///test///x.jpg", true}, {"bucket/*/test/*", "bucket/test/object.jpg", false},
	} {
		if got := Glob(c.p, c.s); got != c.ok {
			t.Errorf("Glob(%q, %q) = %v, want %v", c.p, c.s, got, c.ok)
		}
	}
}
