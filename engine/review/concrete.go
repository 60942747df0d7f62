package review

import (
	"strings"

	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// concreteCap bounds the world resources an action on "*" is also asked
// on.
const concreteCap = 25

// catalogTypes maps the Service Authorization Reference's resource type
// names (the catalog's, without the "*" that marks a required one) to the
// world's resource types.
var catalogTypes = map[string]string{
	"s3:bucket": world.TypeS3Bucket, "s3:object": world.TypeS3Object, "sqs:queue": world.TypeSQSQueue,
	"sns:topic": world.TypeSNSTopic, "kms:key": world.TypeKMSKey, "secretsmanager:secret": world.TypeSecret,
	"ecr:repository": world.TypeECRRepository, "lambda:function": world.TypeLambdaFunction,
}

// concretize adds, for every action asked on "*" that takes a resource of
// a type the world holds, the world's resources of that type (up to
// concreteCap): "*" is no resource a request names, and a grant or a
// denial on the world's buckets, queues or keys (an identity policy scoped
// to one bucket, an SCP that now denies writes) shows only on them. An
// object action is asked on an object of each bucket.
func (ps *pairSet) concretize(snaps ...*store.Snapshot) {
	byType := map[string][]string{}
	for _, s := range snaps {
		for _, acct := range s.Accounts() {
			for _, r := range acct.Resources {
				byType[r.Type] = appendNew(byType[r.Type], r.ARN)
				if r.Type == world.TypeS3Bucket {
					byType[world.TypeS3Object] = appendNew(byType[world.TypeS3Object], r.ARN+"/clearance-probe")
				}
			}
		}
	}
	for _, p := range append([]pair(nil), ps.list...) {
		if p.resource != "*" {
			continue
		}
		a, ok := ps.cat.Lookup(p.action)
		if !ok {
			continue
		}
		n := 0
		for _, rt := range a.ResourceTypes {
			typ := catalogTypes[strings.ToLower(a.Service+":"+strings.TrimPrefix(rt, "*"))]
			for _, arn := range byType[typ] {
				if n == concreteCap {
					break
				}
				ps.add(p.action, arn)
				n++
			}
		}
	}
}
