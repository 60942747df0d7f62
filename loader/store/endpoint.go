package store

import (
	"fmt"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// endpoint stores a VPC endpoint and its policy: the default endpoint
// policy when it was declared without one, as AWS attaches it ("If you
// don't attach an endpoint policy, we attach the default endpoint policy",
// vpc-endpoints-access.html).
func (w *writer) endpoint(ep *world.VPCEndpoint) error {
	if w.endpoints == nil {
		w.endpoints = map[string]bool{}
	}
	if w.endpoints[ep.ID] {
		return fmt.Errorf("VPC endpoint %s is declared twice; every endpoint has its own id", ep.ID)
	}
	w.endpoints[ep.ID] = true
	if ep.Policy == nil {
		p, err := policy.ParsePolicyBytes("default endpoint policy", []byte(world.DefaultEndpointPolicy),
			policy.KindEndpoint, world.EndpointPolicyName(ep.ID))
		if err != nil {
			return fmt.Errorf("VPC endpoint %s: %w", ep.ID, err)
		}
		ep.Policy = p
	}
	if err := w.insert(tableEndpoints, ep); err != nil {
		return err
	}
	return w.policy(ep.Policy)
}

// VPCEndpoint returns the VPC endpoint with this id.
func (s *Snapshot) VPCEndpoint(id string) (*world.VPCEndpoint, bool) {
	return first[*world.VPCEndpoint](s, tableEndpoints, "id", id)
}

// EndpointFor returns the VPC endpoint a request for an action of the
// service (an IAM service prefix) is made through. An endpoint the world
// does not declare, or one for another service, is an error: a request
// reaches only the service the endpoint is for.
func (s *Snapshot) EndpointFor(id, service string) (*world.VPCEndpoint, error) {
	ep, ok := s.VPCEndpoint(id)
	if !ok {
		return nil, fmt.Errorf("VPC endpoint %q: no such endpoint in the world (declare it under an account's vpc_endpoints)", id)
	}
	if ep.Prefix != service {
		return nil, fmt.Errorf("VPC endpoint %s is for %s (%s actions): a request for a %s action cannot go through it",
			id, ep.Service, ep.Prefix, service)
	}
	return ep, nil
}
