package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/internal/sharedtest"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// The world of benkehoe/permissions-boundary-test (template.yaml): a role
// with a permissions boundary and a role policy, and a bucket policy whose
// statements name the role (R-), one of its sessions (S-), the account with
// aws:PrincipalArn (C1-) and "*" with aws:PrincipalArn (C2-). An object key
// ends with BA/PA/RA when the boundary / role policy / bucket policy allows
// it.
const pbWorld = `
world:
  accounts:
    - id: "111122223333"
      managed_policies:
        - name: Boundary
          document:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: s3:PutObject, Resource: [%[1]s]}
      resources:
        - arn: arn:aws:s3:::pb-bucket
          policy:
            Version: "2012-10-17"
            Statement:
              - {Sid: Role, Effect: Allow, Action: s3:PutObject, Principal: {AWS: "arn:aws:iam::111122223333:role/Role"}, Resource: [%[3]s]}
              - {Sid: Session, Effect: Allow, Action: s3:PutObject, Principal: {AWS: "arn:aws:sts::111122223333:assumed-role/Role/test-session"}, Resource: [%[4]s]}
              - {Sid: ConditionTest1, Effect: Allow, Action: s3:PutObject, Principal: {AWS: "111122223333"}, Resource: [%[5]s],
                 Condition: {StringEquals: {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Role"}}}
              - {Sid: ConditionTest2, Effect: Allow, Action: s3:PutObject, Principal: "*", Resource: [%[6]s],
                 Condition: {StringEquals: {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Role"}}}
      roles:
        - name: Role
          trust: {Version: "2012-10-17", Statement: {Effect: Allow, Action: sts:AssumeRole, Principal: {AWS: "111122223333"}}}
          boundary: arn:aws:iam::111122223333:policy/Boundary
          policies:
            - name: Policy
              document:
                Version: "2012-10-17"
                Statement:
                  - {Effect: Allow, Action: s3:PutObject, Resource: [%[2]s]}
`

// pbKeys lists the object keys of the given prefixes whose suffix
// contains tag (BA, PA or RA), as template.yaml lists them.
func pbKeys(tag string, prefixes ...string) string {
	var out []string
	for _, prefix := range prefixes {
		for _, suffix := range []string{"BA-PA-RA", "BA-PA", "BA-RA", "BA", "PA-RA", "PA", "RA"} {
			if strings.Contains(suffix, tag) {
				out = append(out, fmt.Sprintf(`"arn:aws:s3:::pb-bucket/%s-%s"`, prefix, suffix))
			}
		}
	}
	return strings.Join(out, ", ")
}

type pbTables struct {
	Tables []struct {
		Scenario string `json:"scenario"`
		Rows     []struct {
			Boundary bool   `json:"permissionsBoundary"`
			Role     bool   `json:"rolePolicy"`
			Resource bool   `json:"resourcePolicy"`
			Result   string `json:"result"`
		} `json:"rows"`
	} `json:"tables"`
}

var pbPrefix = map[string]string{
	"Role as resource policy principal":                                               "R",
	"Assumed role session as resource policy principal":                               "S",
	"Account as resource policy principal, with role in `aws:PrincipalArn` condition": "C1",
	"\"*\" as resource policy principal, with role in `aws:PrincipalArn` condition":   "C2",
}

// TestPermissionsBoundaryTruthTables reproduces the 28 decisions observed
// on AWS in shared/conformance/permissions-boundary-test.
func TestPermissionsBoundaryTruthTables(t *testing.T) {
	path := sharedtest.Path(t, "conformance/permissions-boundary-test/derived/truth-tables.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tables pbTables
	if err := json.Unmarshal(raw, &tables); err != nil {
		t.Fatal(err)
	}
	// Each bucket-policy statement only covers the keys of its own prefix.
	all := []string{"R", "S", "C1", "C2"}
	world := fmt.Sprintf(pbWorld, pbKeys("BA", all...), pbKeys("PA", all...),
		pbKeys("RA", "R"), pbKeys("RA", "S"), pbKeys("RA", "C1"), pbKeys("RA", "C2"))
	sc, err := scenario.ParseScenario("pb-world.yaml", []byte(world))
	e := openParsed(t, sc, err)
	ctx := context.Background()
	rows := 0
	for _, table := range tables.Tables {
		prefix, ok := pbPrefix[table.Scenario]
		if !ok {
			t.Fatalf("unknown scenario %q", table.Scenario)
		}
		for _, row := range table.Rows {
			rows++
			key := pbKey(prefix, row.Boundary, row.Role, row.Resource)
			req := &Request{
				Principal: "arn:aws:sts::111122223333:assumed-role/Role/test-session",
				Action:    "s3:PutObject",
				Resource:  "arn:aws:s3:::pb-bucket/" + key,
			}
			d, err := e.Decide(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			sameVerdict(t, e, req, d)
			want := map[string]string{"Allow": Allow, "Deny": ImplicitDeny}[row.Result]
			if d.Decision != want {
				t.Errorf("%s: key %s: got %s, AWS observed %s", table.Scenario, key, d.Decision, row.Result)
			}
		}
	}
	if rows != 28 {
		t.Errorf("expected the 28 observed rows, read %d", rows)
	}
}

func pbKey(prefix string, b, p, r bool) string {
	var parts []string
	for _, x := range []struct {
		on  bool
		tag string
	}{{b, "BA"}, {p, "PA"}, {r, "RA"}} {
		if x.on {
			parts = append(parts, x.tag)
		}
	}
	return prefix + "-" + strings.Join(parts, "-")
}
