package query

import (
	"context"
	"slices"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/enginetest"
)

// Object-key patterns that overlap without nesting. "The asterisk (*)
// character can expand to replace everything within a segment, including
// characters like a forward slash (/)" (reference_policies_elements_resource,
// "Using wildcards in resource ARNs"), so arn:aws:s3:::b/*.txt matches
// b/private/x.txt, which b/private/* matches too; "an explicit deny in any
// of these policies overrides the allow" (reference_policies_evaluation-logic,
// "Determining whether a request is allowed or denied within an account"):
// alice may read b/x.txt and b/public/y.txt but not b/private/x.txt
// (and not b/private/x.bin, which no Allow names): b/*.txt except
// b/private/*.txt. Where the Deny is conditioned, the exception holds
// only under the Deny's condition, and where an Allow names the
// intersection itself it is the permission.
func TestCanOverlappingPatterns(t *testing.T) {
	e := New(enginetest.Open(t, `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: alice
          policies:
            - name: p
              document:
                Version: "2012-10-17"
                Statement:
                  - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*.txt"}
                  - {Effect: Deny, Action: s3:GetObject, Resource: "arn:aws:s3:::b/private/*"}
                  - {Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::b/private/*"}
                  - {Effect: Deny, Action: s3:PutObject, Resource: "arn:aws:s3:::b/*.exe"}
                  - {Effect: Allow, Action: s3:DeleteObject, Resource: ["arn:aws:s3:::b/tmp-*", "arn:aws:s3:::b/*-old"]}
      resources:
        - arn: arn:aws:s3:::b
`))
	eff := canOf(t, e, &engine.Request{Principal: "arn:aws:iam::111122223333:user/alice"})
	for _, c := range []struct {
		action string
		want   []string
	}{
		{"s3:GetObject", []string{"arn:aws:s3:::b/*.txt except arn:aws:s3:::b/private/*.txt"}},
		{"s3:PutObject", []string{"arn:aws:s3:::b/private/* except arn:aws:s3:::b/private/*.exe"}},
		// Two Allows overlapping: each holds, nothing is taken away.
		{"s3:DeleteObject", []string{"arn:aws:s3:::b/*-old except ", "arn:aws:s3:::b/tmp-* except "}},
	} {
		if got := permsOf(eff, c.action); !slices.Equal(got, c.want) {
			t.Errorf("alice %s on %q, want %q", c.action, got, c.want)
		}
	}
	// why agrees on concrete objects of each pattern and of both.
	for _, c := range []struct {
		action, resource string
		allowed          bool
	}{
		{"s3:GetObject", "arn:aws:s3:::b/x.txt", true},
		{"s3:GetObject", "arn:aws:s3:::b/public/y.txt", true},
		{"s3:GetObject", "arn:aws:s3:::b/private/x.txt", false},
		{"s3:GetObject", "arn:aws:s3:::b/private/x.bin", false},
		{"s3:PutObject", "arn:aws:s3:::b/private/a/x.exe", false},
		{"s3:PutObject", "arn:aws:s3:::b/private/x.txt", true},
		{"s3:DeleteObject", "arn:aws:s3:::b/tmp-1-old", true},
	} {
		d, err := e.Decide(context.Background(), &engine.Request{Principal: "arn:aws:iam::111122223333:user/alice",
			Action: c.action, Resource: c.resource, Time: enginetest.T0})
		if err != nil {
			t.Fatal(err)
		}
		covered := false
		for _, p := range eff.Permissions {
			if p.Action == c.action && matchesAny([]string{p.Resource}, c.resource) && !matchesAny(p.Except, c.resource) {
				covered = true
			}
		}
		if (d.Decision == engine.Allow) != c.allowed || covered != c.allowed {
			t.Errorf("%s on %s: why says %s, can covers it %v; want allowed %v", c.action, c.resource, d.Decision, covered, c.allowed)
		}
	}
}
