package scenario

import (
	"regexp"
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// The shapes of VPC and VPC endpoint ids (vpc-1a2b3c4d, vpce-0a1b2c3d4e5f67890).
var (
	endpointID = regexp.MustCompile(`^vpce-[0-9a-f]{8,17}$`)
	vpcID      = regexp.MustCompile(`^vpc-[0-9a-f]{8,17}$`)
	// serviceName is an endpoint's service name: com.amazonaws.REGION.NAME
	// (com.amazonaws.iam has no Region), or the NAME alone.
	serviceName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)
)

// endpointPrefixes are the endpoint service names whose actions have
// another IAM service prefix than the name's first part (the PrivateLink
// guide's "AWS services that integrate with AWS PrivateLink" table, and the
// Service Authorization Reference's prefixes).
var endpointPrefixes = map[string]string{
	"monitoring":     "cloudwatch",
	"git-codecommit": "codecommit",
	"ecs-agent":      "ecs",
	"ecs-telemetry":  "ecs",
	"email-smtp":     "ses",
}

// decodeEndpoint reads one of an account's vpc_endpoints: {id, vpc,
// service, policy}.
func decodeEndpoint(a *world.Account, n *tree.Node) error {
	o, err := tree.OpenObject(n, "id", "vpc", "service", "policy", "description")
	if err != nil {
		return err
	}
	ep := &world.VPCEndpoint{Account: a.ID}
	for _, f := range []struct {
		key   string
		dst   *string
		shape *regexp.Regexp
		want  string
	}{
		{"id", &ep.ID, endpointID, "a VPC endpoint id such as vpce-0a1b2c3d4e5f67890"},
		{"vpc", &ep.VPC, vpcID, "a VPC id such as vpc-1a2b3c4d"},
		{"service", &ep.Service, serviceName, "a service name such as com.amazonaws.us-east-1.s3, or s3"},
	} {
		if *f.dst, err = o.Str(f.key, true); err != nil {
			return err
		}
		if !f.shape.MatchString(*f.dst) {
			return o.Errorf(f.key, "invalid_value", "%s: expected %s, got %q", f.key, f.want, *f.dst)
		}
	}
	ep.Prefix = endpointPrefix(ep.Service)
	if ep.Policy, err = policyDoc(o, "policy", policy.KindEndpoint, world.EndpointPolicyName(ep.ID), false); err != nil {
		return err
	}
	a.VPCEndpoints = append(a.VPCEndpoints, ep)
	return nil
}

// endpointPrefix is the IAM service prefix of the actions an endpoint's
// service serves: com.amazonaws.us-east-1.ecr.api serves ecr actions.
func endpointPrefix(service string) string {
	name, ok := strings.CutPrefix(service, "com.amazonaws.")
	if ok {
		if region, rest, found := strings.Cut(name, "."); found && regionName.MatchString(region) {
			name = rest
		}
	}
	name, _, _ = strings.Cut(name, ".")
	name = strings.TrimSuffix(name, "-fips")
	if p, ok := endpointPrefixes[name]; ok {
		return p
	}
	return name
}

// checkEndpoint makes sure a check's vpc_endpoint is an endpoint of the
// world for its action's service (with no world, the caller checks it).
func checkEndpoint(w *world.World, c *Check, o *tree.ObjReader) error {
	if c.VPCEndpoint == "" || w == nil {
		return nil
	}
	for _, a := range w.Accounts {
		for _, ep := range a.VPCEndpoints {
			if ep.ID != c.VPCEndpoint {
				continue
			}
			if svc := pattern.ServiceOf(strings.ToLower(c.Action)); svc != ep.Prefix {
				return o.Errorf("vpc_endpoint", "invalid_value", "vpc_endpoint: %s is for %s (%s actions); a request for %s cannot go through it",
					ep.ID, ep.Service, ep.Prefix, c.Action)
			}
			return nil
		}
	}
	return o.Errorf("vpc_endpoint", "invalid_value", "vpc_endpoint: no VPC endpoint %q in the world (declare it under an account's vpc_endpoints)", c.VPCEndpoint)
}
