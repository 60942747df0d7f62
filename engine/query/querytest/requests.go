package querytest

import (
	"testing"

	"github.com/clearance-dev/clearance/engine"
)

// Requests lists the brute force's requests on the world: every
// principal for every (action, resource) pair, and each federated user's
// GetFederationToken by its maker.
func (w *World) Requests(t testing.TB) []*engine.Request {
	pairs := w.pairs(t, w.actions(t))
	var out []*engine.Request
	for _, p := range w.principals() {
		for _, pr := range pairs {
			out = append(out, w.request(p, pr))
		}
		if p.federatedBy != "" {
			out = append(out, w.makeRequest(p.federatedBy, p.arn))
		}
	}
	return out
}
