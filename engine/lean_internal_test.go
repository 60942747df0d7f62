package engine

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// sameVerdict fails t unless the lean verdict of req (Verdict) answers what
// the explained decision d does: the decision, blocked_by, and for an
// allow the request's conditions. The conformance tests call it on every
// request they decide.
func sameVerdict(t testing.TB, e *Engine, req *Request, d *Decision) {
	t.Helper()
	v, err := e.Verdict(context.Background(), req)
	if err != nil {
		t.Errorf("%s on %s: the explained decision answers %s, the lean verdict fails: %v", req.Action, req.Resource, d.Decision, err)
		return
	}
	var conds []string
	if d.Decision == Allow {
		conds = d.RequestConditions()
	}
	if v.Decision != d.Decision || v.BlockedBy != d.BlockedBy || !slices.Equal(v.Conditions, conds) {
		t.Errorf("%s on %s: lean verdict %s/%s %v, explained decision %s/%s %v", req.Action, req.Resource,
			v.Decision, v.BlockedBy, v.Conditions, d.Decision, d.BlockedBy, conds)
	}
}

// The resource index world: alice's policy has statements for s3:GetObject
// on three buckets, each conditioned on its own key; only one bucket is
// the request's. The identity-based policy page: "The Resource element
// specifies the object or objects that the statement covers"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html),
// so a statement whose Resource does not match plays no part.
const resourceIndexWorld = `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: alice
          policies:
            - name: buckets
              document:
                Version: "2012-10-17"
                Statement:
                  - {Sid: Mine, Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::mine/*",
                     Condition: {StringEquals: {"aws:SourceVpce": "vpce-1"}}}
                  - {Sid: Other, Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::other/*",
                     Condition: {StringEquals: {"aws:SourceIp": "203.0.113.7"}}}
                  - {Sid: Deny, Effect: Deny, Action: "s3:*", Resource: "arn:aws:s3:::third/*",
                     Condition: {StringEquals: {"aws:CalledVia": "athena.amazonaws.com"}}}
                  - {Sid: Not, Effect: Allow, Action: "s3:GetObject", NotResource: "arn:aws:s3:::other/*"}
`

// TestResourceIndex: the index sends the logic only the statements whose
// Resource may match, the answer is the one without the index, and the
// report of context keys still names the keys of the dropped statements'
// conditions (the explanation lists every key the candidate statements'
// conditions test, used and missing).
func TestResourceIndex(t *testing.T) {
	req := &Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject",
		Resource: "arn:aws:s3:::mine/a.txt", ResourceAccount: "111122223333"}
	for _, noIndex := range []bool{false, true} {
		t.Run(fmt.Sprint("noIndex=", noIndex), func(t *testing.T) {
			e, err := NewWithOptions(context.Background(), openTestEngine(t, resourceIndexWorld).store, Options{NoIndex: noIndex})
			if err != nil {
				t.Fatal(err)
			}
			in, err := e.current().prepare(req)
			if err != nil {
				t.Fatal(err)
			}
			var sids []string
			for _, c := range in.sets[0] {
				sids = append(sids, c.st.Sid)
			}
			want := []string{"Mine", "Not"}
			if noIndex {
				want = []string{"Mine", "Other", "Deny", "Not"}
			}
			if !slices.Equal(sids, want) {
				t.Errorf("the logic sees %v, want %v", sids, want)
			}
			d, err := e.Decide(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			// The NotResource statement allows; aws:SourceVpce is absent.
			missing := []string{"aws:calledvia", "aws:sourceip", "aws:sourcevpce"}
			if d.Decision != Allow || len(d.Matched["identity"]) != 1 || d.Matched["identity"][0].Sid != "Not" ||
				!slices.Equal(d.MissingKeys, missing) || len(d.Context) != 3 {
				t.Errorf("decision %s, matched %v, missing %v (want %v), context %v", d.Decision, d.Matched["identity"],
					d.MissingKeys, missing, d.Context)
			}
			sameVerdict(t, e, req, d)
		})
	}
}
