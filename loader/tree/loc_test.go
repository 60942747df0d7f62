package tree

import (
	"strings"
	"testing"
)

// yaml.v3 says neither line nor column for bytes that are not UTF-8,
// characters YAML does not allow and aliases to unknown anchors; the
// error is placed at the byte it is about.
func TestYAMLErrorsArePlaced(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"a: 1\nb: \"x\xffy\"\n", "w.yaml:2:6: $: invalid YAML: invalid leading UTF-8 octet"},
		{"a: 1\nb: x\x00\n", "w.yaml:2:5: $: invalid YAML: control characters are not allowed"},
		{"a: &x 1\nb: [*x, *nope]\n", "w.yaml:2:9: $: invalid YAML: unknown anchor 'nope' referenced"},
		{"a:\n  - b\n c: d\n", "w.yaml:2:3: $: invalid YAML: did not find expected key"}, // the line yaml.v3 names, at its first character
	} {
		_, err := DecodeYAML("w.yaml", []byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("DecodeYAML(%q) = %v, want %q", tc.doc, err, tc.want)
		}
	}
}

// A Loc keeps a node's place after the tree is gone.
func TestLoc(t *testing.T) {
	n, err := DecodeYAML("w.yaml", []byte("a:\n  b: [x, y]\n"))
	if err != nil {
		t.Fatal(err)
	}
	l := n.Get("a").Get("b").Items[1].Loc()
	e := LocError(l, CodeUnknownReference, "y is not defined")
	if got := e.Error(); got != "w.yaml:2:10: $.a.b[1]: y is not defined" || l.String() != "w.yaml:2:10 $.a.b[1]" {
		t.Errorf("got %q / %q", got, l.String())
	}
	if (Loc{}).Known() || LocError(Loc{}, CodeDuplicate, "m").Error() != "m" {
		t.Errorf("the zero Loc is unknown")
	}
}
