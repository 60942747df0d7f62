package server

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/loader/scenario"
)

const world = `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: alice
          policies:
            - name: read
              document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}}
`

func startServer(t *testing.T) *websocket.Conn {
	t.Helper()
	sc, err := scenario.ParseScenario("w.yaml", []byte(world))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := checks.OpenScenario(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(New(eng).Handler()) // loopback only
	t.Cleanup(ts.Close)
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/v1/why", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	return conn
}

// Decisions follow the identity policy: same-account union, implicit deny
// otherwise (reference_policies_evaluation-logic_policy-eval-denyallow.html).
func TestWhyOverWebsocket(t *testing.T) {
	conn := startServer(t)
	cases := []struct {
		q    Question
		want string
	}{
		{Question{ID: "1", Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: "111122223333"}, engine.Allow},
		{Question{ID: "2", Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:PutObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: "111122223333"}, engine.ImplicitDeny},
	}
	for _, c := range cases {
		if err := conn.WriteJSON(c.q); err != nil {
			t.Fatal(err)
		}
		var a Answer
		if err := conn.ReadJSON(&a); err != nil {
			t.Fatal(err)
		}
		if a.ID != c.q.ID || a.Error != "" || a.Decision == nil || a.Decision.Decision != c.want {
			t.Errorf("question %s: got %+v, want %s", c.q.ID, a, c.want)
		}
	}
}

// A malformed message gets an error answer, with its id where it has one,
// and the connection stays open for the next question; questions are read
// as strictly as the loader reads files.
func TestBadQuestions(t *testing.T) {
	conn := startServer(t)
	var a Answer
	for _, c := range []struct{ msg, id, want string }{
		{"{not json", "", "invalid JSON"},
		{"", "", "invalid JSON"},
		{`{"id": "t1", "principal": "arn:aws:iam::111122223333:user/alice"`, "", "invalid JSON"},
		{`["id"]`, "", "expected a mapping"},
		{`{"id": "t2", "principal": 7}`, "t2", "cannot unmarshal number"},
		{`{"id": "t3", "id": "t4"}`, "", "duplicate key"},
		{`{"id": "t5", "principle": "x"}`, "t5", `unknown key "principle"`},
		{`{"id": "t6", "PRINCIPAL": "x"}`, "t6", `unknown key "PRINCIPAL"`},
		{`{"id": "t7"} {"id": "t8"}`, "", "after the end of the JSON document"},
	} {
		if err := conn.WriteMessage(websocket.TextMessage, []byte(c.msg)); err != nil {
			t.Fatal(err)
		}
		if err := conn.ReadJSON(&a); err != nil {
			t.Fatalf("%q: the connection closed: %v", c.msg, err)
		}
		if a.ID != c.id || !strings.Contains(a.Error, c.want) {
			t.Errorf("%q: got %+v, want id %q and %q", c.msg, a, c.id, c.want)
		}
	}
	for _, c := range []struct {
		q    Question
		want string
	}{
		{Question{ID: "x", Principal: "arn:aws:iam::111122223333:user/nobody", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"},
			"no such IAM user"},
		// "*" is the resource of actions that act on no resource type
		// (the Service Authorization Reference lists s3:GetObject's).
		{Question{ID: "y", Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "*"},
			`resource "*": s3:GetObject acts on a resource (accesspointobject, object)`},
	} {
		conn.WriteJSON(c.q)
		if err := conn.ReadJSON(&a); err != nil {
			t.Fatal(err)
		}
		if a.ID != c.q.ID || !strings.Contains(a.Error, c.want) {
			t.Errorf("got %+v, want %q", a, c.want)
		}
	}
}

// A question may carry a chain. GetSessionToken keeps the user's
// permissions; GetFederationToken needs sts:GetFederationToken, which
// alice lacks (id_credentials_temp_control-access_getsessiontoken.html,
// id_credentials_temp_control-access_getfederationtoken.html).
func TestChainOverWebsocket(t *testing.T) {
	conn := startServer(t)
	as := `"as": "arn:aws:iam::111122223333:user/alice"`
	for _, c := range []struct {
		chain, want string
		refused     int
	}{
		{`{` + as + `, "steps": [{"GetSessionToken": {"mfa": true}}]}`, engine.Allow, 0},
		{`{` + as + `, "steps": [{"GetFederationToken": {"name": "Carol"}}]}`, "", 1},
	} {
		q := Question{ID: "c", Chain: []byte(c.chain), Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: "111122223333"}
		if err := conn.WriteJSON(q); err != nil {
			t.Fatal(err)
		}
		var a Answer
		if err := conn.ReadJSON(&a); err != nil {
			t.Fatal(err)
		}
		if a.Error != "" || a.Chain == nil || a.Chain.RefusedHop != c.refused {
			t.Fatalf("chain %s: got %+v", c.chain, a)
		}
		if c.want != "" && (a.Decision == nil || a.Decision.Decision != c.want) {
			t.Errorf("chain %s: decision %+v, want %s", c.chain, a.Decision, c.want)
		}
	}
}
