package sts

import (
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/world"
)

// checkRequest refuses a request that names what no request can: a
// malformed ARN, a resource with a wildcard (world.RequestResource), "*"
// for an action the catalog lists resource types for (world.CheckStar:
// "*" is the resource of actions that act on none), a context value that
// does not fit its key's type
// (world.CheckContextValue). It returns the request with the resource as
// named (${*} in it is a literal *). A scenario check was checked where it
// is written; the CLI's and the websocket's questions are checked here.
func checkRequest(req engine.Request) (engine.Request, error) {
	for _, p := range []struct{ what, arn string }{{"principal", req.Principal}, {"federated_by", req.FederatedBy}} {
		if strings.HasPrefix(p.arn, "arn:") {
			if err := world.CheckConcreteARN(p.arn); err != nil {
				return req, fault.Wrap(fault.CodeBadRequest, err, "%s", p.what)
			}
		}
	}
	if req.Action != "" && req.Resource != "" {
		res, err := world.RequestResource(req.Resource)
		if err == nil && res == "*" {
			err = world.CheckStar(req.Action)
		}
		if err != nil {
			return req, fault.Wrap(fault.CodeBadRequest, err, "")
		}
		req.Resource = res
	}
	for k, v := range req.Context {
		if err := world.CheckContextValue(k, v); err != nil {
			return req, fault.Wrap(fault.CodeBadRequest, err, "")
		}
	}
	return req, nil
}
