package store_test

import (
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

const storeWorld = `
world:
  organization:
    id: o-test000001
    management_account: "999999999999"
    policies:
      - name: DenyS3Delete
        type: scp
        document: {Version: "2012-10-17", Statement: [{Effect: Deny, Action: "s3:Delete*", Resource: "*"}]}
    root:
      id: r-test
      children:
        - name: Prod
          id: ou-test-prod0001
          scps: [FullAWSAccess, DenyS3Delete]
  accounts:
    - id: "111122223333"
      org_path: Prod
      managed_policies:
        - name: Common
          document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: ["s3:Get*", "sqs:*"], Resource: "*"}, {Effect: Allow, NotAction: "iam:*", Resource: "*"}]}
      groups:
        - name: devs
          managed_policies: [arn:aws:iam::111122223333:policy/Common]
      users:
        - name: alice
          groups: [devs]
          tags: {team: blue}
          policies:
            - name: own
              document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "ec2:Describe*", Resource: "*"}}
    - id: "444455556666"
      outside_org: true
`

func loadStore(t *testing.T, yaml string) *store.Snapshot {
	t.Helper()
	sc, err := scenario.ParseScenario("w.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.NewStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(sc.World); err != nil {
		t.Fatal(err)
	}
	return s.Snapshot()
}

func TestStoreIndexesStatementsByService(t *testing.T) {
	snap := loadStore(t, storeWorld)
	common := "arn:aws:iam::111122223333:policy/Common"
	tests := []struct {
		service string
		want    int // statements naming the service, plus the NotAction one ("*")
	}{{"s3", 2}, {"sqs", 2}, {"ec2", 1}}
	for _, tc := range tests {
		if got := len(snap.Statements(common, tc.service)); got != tc.want {
			t.Errorf("Statements(%s): got %d, want %d", tc.service, got, tc.want)
		}
	}
	if got := len(snap.AllStatements(common)); got != 2 {
		t.Errorf("AllStatements: got %d, want 2", got)
	}
}

func TestStoreOrgPath(t *testing.T) {
	snap := loadStore(t, storeWorld)
	path := snap.OrgPath("111122223333")
	var ids []string
	for _, n := range path {
		ids = append(ids, n.ID)
	}
	if strings.Join(ids, ",") != "r-test,ou-test-prod0001,111122223333" {
		t.Fatalf("path %v", ids)
	}
	// a level with no SCP listed gets FullAWSAccess; RCPFullAWSAccess is everywhere
	if path[0].SCPs[0] != store.FullAWSAccess || path[0].RCPs[0] != store.RCPFullAWSAccess {
		t.Errorf("root defaults: %v %v", path[0].SCPs, path[0].RCPs)
	}
	if snap.OrgPath("444455556666") != nil {
		t.Error("an outside_org account has no org path")
	}
	if _, ok := snap.OrgPolicy(policy.KindSCP, "DenyS3Delete"); !ok {
		t.Error("SCP not stored")
	}
}

func TestStoreSnapshotIsolation(t *testing.T) {
	sc, err := scenario.ParseScenario("w.yaml", []byte(storeWorld))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := store.NewStore()
	before := s.Snapshot()
	if err := s.Load(sc.World); err != nil {
		t.Fatal(err)
	}
	if _, ok := before.UserByName("111122223333", "alice"); ok {
		t.Error("a snapshot taken before a write must not see it")
	}
	if before.Generation() != 0 || s.Snapshot().Generation() != 1 || s.Generation() != 1 {
		t.Errorf("generations %d %d %d", before.Generation(), s.Snapshot().Generation(), s.Generation())
	}
	if _, ok := s.Snapshot().UserByName("111122223333", "ALICE"); !ok {
		t.Error("IAM names are unique case-insensitively")
	}
}

func TestStoreRejectsDanglingReferences(t *testing.T) {
	cases := map[string]string{
		"managed policy": strings.Replace(storeWorld, "policy/Common]", "policy/Missing]", 1),
		"group":          strings.Replace(storeWorld, "groups: [devs]", "groups: [ops]", 1),
		"OU path":        strings.Replace(storeWorld, "org_path: Prod", "org_path: Nope", 1),
		"SCP name":       strings.Replace(storeWorld, "[FullAWSAccess, DenyS3Delete]", "[Unknown]", 1),
	}
	for name, yaml := range cases {
		t.Run(name, func(t *testing.T) {
			sc, err := scenario.ParseScenario("w.yaml", []byte(yaml))
			if err != nil {
				t.Fatal(err)
			}
			s, _ := store.NewStore()
			if err := s.Load(sc.World); err == nil {
				t.Fatal("expected an error")
			}
			if _, ok := s.Snapshot().UserByName("111122223333", "alice"); ok {
				t.Error("a failed load must write nothing")
			}
		})
	}
}

func TestStoreAttachments(t *testing.T) {
	snap := loadStore(t, storeWorld)
	common := "arn:aws:iam::111122223333:policy/Common"
	if got := snap.AttachedTo(common); len(got) != 1 || got[0].Target != "arn:aws:iam::111122223333:group/devs" {
		t.Errorf("AttachedTo(Common) = %+v", got)
	}
	if got := snap.AttachmentsOf("arn:aws:iam::111122223333:user/alice"); len(got) != 1 || got[0].Kind != "group" {
		t.Errorf("AttachmentsOf(alice) = %+v", got)
	}
	if got := snap.AttachedTo("DenyS3Delete"); len(got) != 1 || got[0].Target != "ou-test-prod0001" || got[0].Kind != "scp" {
		t.Errorf("AttachedTo(DenyS3Delete) = %+v", got)
	}
}

// An organization policy whose document is named otherwise than the store
// indexes it would leave its level without statements (every request
// denied by "no Allow"): the store refuses it instead.
func TestStoreRejectsMisnamedOrgPolicy(t *testing.T) {
	p, err := policy.ParsePolicyBytes("scp.json", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`), policy.KindSCP, "AllowAll")
	if err != nil {
		t.Fatal(err)
	}
	w := &world.World{Organization: &world.Organization{ID: "o-x", ManagementAccount: "111122223333",
		Policies: []*world.OrgPolicy{{Name: "AllowAll", Kind: policy.KindSCP, Policy: p}},
		Root:     &world.OrgUnit{ID: "r-x", SCPs: []string{"AllowAll"}}},
		Accounts: []*world.Account{{ID: "111122223333"}}}
	s, err := store.NewStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(w); err == nil || !strings.Contains(err.Error(), "must be named") {
		t.Errorf("load: %v", err)
	}
}

// A role's inline policy named "trust" is its own document, beside the
// trust policy (IAM inline policy names are [\w+=,.@-]+: "trust" is one),
// and two different documents under one name are an error, not one
// silently replacing the other.
func TestStorePolicyNames(t *testing.T) {
	const doc = `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: alice
          policies:
            - {name: p, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "s3:GetObject", Resource: "*"}}}
            - {name: p, document: {Version: "2012-10-17", Statement: {Effect: Deny, Action: "s3:GetObject", Resource: "*"}}}
      roles:
        - name: app
          trust: {Version: "2012-10-17", Statement: {Effect: Allow, Principal: {AWS: "111122223333"}, Action: "sts:AssumeRole"}}
          policies:
            - {name: trust, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "s3:*", Resource: "*"}}}
`
	snap := loadStore(t, strings.Replace(doc, "            - {name: p, document: {Version: \"2012-10-17\", Statement: {Effect: Deny", "            - {name: q, document: {Version: \"2012-10-17\", Statement: {Effect: Deny", 1))
	role, _ := snap.Role("arn:aws:iam::111122223333:role/app")
	if len(snap.Statements(role.Trust.Name, "sts")) != 1 || len(snap.Statements(world.InlinePolicyName(role.ARN, "trust"), "s3")) != 1 {
		t.Errorf("trust %q: %d statements, inline trust: %d", role.Trust.Name,
			len(snap.Statements(role.Trust.Name, "sts")), len(snap.Statements(world.InlinePolicyName(role.ARN, "trust"), "s3")))
	}
	// The scenario loader refuses two inline policies named p where the
	// second is written; the store refuses a world built in code that
	// holds them.
	if _, err := scenario.ParseScenario("w.yaml", []byte(doc)); err == nil || !strings.Contains(err.Error(), `w.yaml:9:22: $.world.accounts[0].users[0].policies[1].name: a second inline policy named "p"`) {
		t.Errorf("parse: %v", err)
	}
	sc, err := scenario.ParseScenario("w.yaml", []byte(strings.Replace(doc, "- {name: p, document: {Version: \"2012-10-17\", Statement: {Effect: Deny", "- {name: q, document: {Version: \"2012-10-17\", Statement: {Effect: Deny", 1)))
	if err != nil {
		t.Fatal(err)
	}
	sc.World.Accounts[0].Users[0].Inline[1].Name = sc.World.Accounts[0].Users[0].Inline[0].Name
	s, _ := store.NewStore()
	if err := s.Load(sc.World); err == nil || !strings.Contains(err.Error(), `"arn:aws:iam::111122223333:user/alice#p" is given to two different documents`) {
		t.Errorf("two documents named p: %v", err)
	}
}
