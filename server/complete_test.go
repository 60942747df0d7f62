package server

import (
	"slices"
	"strings"
	"testing"
)

// Completion: context keys are the IAM global keys
// (reference_policies_condition-keys.html) and the action's own keys from
// the catalog (s3:GetObject has s3:ExistingObjectTag/<key>, Service
// Authorization Reference, Amazon S3); resources are every ARN of the
// world, found by a part of their name; those starting with the prefix
// come first.
func TestCompleteKeysAndARNs(t *testing.T) {
	c := startServer(t, Config{}).client()
	for _, tc := range []struct {
		msg        string
		want, not  []string
		firstMatch string
	}{
		{`{"type":"complete","id":"k1","kind":"key","prefix":"aws:sour"}`, []string{"aws:SourceIp", "aws:SourceVpce"}, []string{"s3:ExistingObjectTag/<key>"}, "aws:SourceAccount"},
		{`{"type":"complete","id":"k2","kind":"key","prefix":"s3:","action":"s3:GetObject"}`, []string{"s3:ExistingObjectTag/<key>"}, []string{"aws:SourceIp"}, ""},
		{`{"type":"complete","id":"k3","kind":"resource","prefix":"reader"}`, []string{"arn:aws:iam::111122223333:role/reader"}, nil, ""},
		{`{"type":"complete","id":"k4","kind":"principal","prefix":"alice"}`, []string{alice}, []string{"arn:aws:iam::111122223333:user/bob"}, ""},
		{`{"type":"complete","id":"k5","kind":"action","prefix":"s3:GetObjectT"}`, []string{"s3:GetObjectTagging"}, []string{"s3:PutObject"}, "s3:GetObjectTagging"},
	} {
		send(t, c, tc.msg)
		o := recv(t, c)
		if o.Type != outCompletions {
			t.Fatalf("%s: %+v", tc.msg, o)
		}
		for _, w := range tc.want {
			if !slices.Contains(o.Items, w) {
				t.Errorf("%s: %v lacks %s", tc.msg, o.Items, w)
			}
		}
		for _, n := range tc.not {
			if slices.Contains(o.Items, n) {
				t.Errorf("%s: %v has %s", tc.msg, o.Items, n)
			}
		}
		if tc.firstMatch != "" && (len(o.Items) == 0 || !strings.EqualFold(o.Items[0], tc.firstMatch)) {
			t.Errorf("%s: first %v, want %s", tc.msg, o.Items, tc.firstMatch)
		}
	}
}
