package loader

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestZZSweep(t *testing.T) {
	root := sharedDir(t) + "/conformance/"
	ok, bad := 0, 0
	try := func(name string, doc []byte, kind PolicyKind) {
		p, err := ParsePolicyBytes(name, doc, kind, name)
		if err != nil {
			bad++
			fmt.Println("ERR", kind, err)
			return
		}
		ok++
		for _, w := range p.Warnings {
			fmt.Println("WARN", w)
		}
	}
	var mp struct{ Policies []struct{ Arn string; Document json.RawMessage } }
	data, _ := os.ReadFile(root + "iam-dataset/derived/aws-managed-policies.json")
	json.Unmarshal(data, &mp)
	for _, p := range mp.Policies {
		try(p.Arn, p.Document, KindIdentity)
	}
	var cs struct {
		RoleDetailList []struct{ RoleName string; AssumeRolePolicyDocument json.RawMessage; RolePolicyList []struct{ PolicyDocument json.RawMessage } }
		UserDetailList []struct{ UserPolicyList []struct{ PolicyDocument json.RawMessage } }
		Policies []struct{ Arn string; PolicyVersionList []struct{ Document json.RawMessage } }
	}
	data, _ = os.ReadFile(root + "cloudsplaining/examples/files/example.json")
	json.Unmarshal(data, &cs)
	for _, r := range cs.RoleDetailList {
		try("trust "+r.RoleName, r.AssumeRolePolicyDocument, KindTrust)
		for _, p := range r.RolePolicyList {
			try("inline "+r.RoleName, p.PolicyDocument, KindIdentity)
		}
	}
	for _, u := range cs.UserDetailList {
		for _, p := range u.UserPolicyList {
			try("user inline", p.PolicyDocument, KindIdentity)
		}
	}
	for _, p := range cs.Policies {
		for _, v := range p.PolicyVersionList {
			try(p.Arn, v.Document, KindIdentity)
		}
	}
	filepath.Walk(root, func(path string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || !strings.HasSuffix(path, ".json") {
			return nil
		}
		var kind PolicyKind
		switch {
		case strings.Contains(path, "scp") || strings.Contains(path, "service_control"):
			kind = KindSCP
		case strings.Contains(path, "rcp") || strings.Contains(path, "resource_control"):
			kind = KindRCP
		case strings.Contains(path, "vpc_endpoint"):
			kind = KindResource
		case strings.Contains(path, "cloudgoat") || strings.Contains(path, "iam-vulnerable"):
			kind = KindIdentity
		default:
			return nil
		}
		data, _ := os.ReadFile(path)
		if strings.Contains(string(data), `"Principal"`) && kind == KindIdentity {
			kind = KindResource
		}
		try(path, data, kind)
		return nil
	})
	fmt.Println("ok", ok, "bad", bad)
}
