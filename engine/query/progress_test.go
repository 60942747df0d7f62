package query

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/enginetest"
)

// Who-can streams what it finds: every single principal Found names is in
// the final answer (the example organization's, TestWhoCanExampleOrganization
// for the sources), the named federated user Carol among them, and the
// last progress of each stage is done == total.
func TestWhoCanFoundAndProgress(t *testing.T) {
	e := openExample(t, "../../corpus/example/company.yaml")
	var mu sync.Mutex
	var found []string
	last := map[string][2]int{}
	q := WhoCanRequest{Action: "s3:PutObject", Resource: "arn:aws:s3:::productionapp/releases/v2.tgz", Time: enginetest.T0,
		Context: map[string]any{"aws:SecureTransport": true, "aws:RequestedRegion": "us-east-1"},
		Progress: func(stage string, done, total int) {
			mu.Lock()
			defer mu.Unlock()
			if done > last[stage][0] {
				last[stage] = [2]int{done, total}
			}
		},
		Found: func(g Grant) {
			mu.Lock()
			defer mu.Unlock()
			found = append(found, strings.TrimSpace(g.Principal+" "+g.FederatedBy))
		}}
	grants, err := e.WhoCan(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, g := range grants {
		all = append(all, strings.TrimSpace(g.Principal+" "+g.FederatedBy))
	}
	slices.Sort(found)
	want := []string{"arn:aws:iam::111122223333:root",
		"arn:aws:sts::111122223333:federated-user/Carol arn:aws:iam::111122223333:root",
		"arn:aws:sts::111122223333:federated-user/Carol arn:aws:iam::111122223333:user/token-app"}
	if !slices.Equal(found, want) {
		t.Errorf("found %v, want %v (of %v)", found, want, all)
	}
	for _, stage := range []string{StagePrincipals, StageFederated} {
		if p := last[stage]; p[0] == 0 || p[0] != p[1] {
			t.Errorf("stage %s: last progress %v, want done == total > 0", stage, p)
		}
	}
}

// A cancelled question stops: who-can, can and a chain walk return the
// context's error instead of an answer.
func TestQueriesHonourContext(t *testing.T) {
	e := openExample(t, "../../corpus/example/company.yaml")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.WhoCan(ctx, WhoCanRequest{Action: "s3:PutObject", Resource: "arn:aws:s3:::productionapp/x"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("who-can: %v, want context.Canceled", err)
	}
	_, err = e.Can(ctx, &engine.Request{Principal: "arn:aws:iam::111122223333:user/bob"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("can: %v, want context.Canceled", err)
	}
}
