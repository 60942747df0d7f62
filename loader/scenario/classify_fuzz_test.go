package scenario

import "testing"

// fileKind never panics; an input it cannot decode has no kind.
func FuzzFileKind(f *testing.F) {
	for _, s := range []string{`{"UserDetailList": []}`, `[{"RoleDetailList": []}]`, "world:\n  accounts: []\n",
		`{"list-roots": {}}`, `{"arn:aws:s3:::b": {"Policy": "{}"}}`, `{"policies": [], "source": {}}`, `{"Buckets": []}`, `[]`, `x: [`} {
		f.Add("in.json", []byte(s))
		f.Add("in.yaml", []byte(s))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		kind, err := fileKind(name, data)
		if err != nil && kind != kindUnknown {
			t.Fatalf("kind %d, err %v", kind, err)
		}
	})
}
