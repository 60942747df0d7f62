package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine"
)

// Decisions follow the identity policy: same-account union, implicit deny
// otherwise (reference_policies_evaluation-logic_policy-eval-denyallow.html).
// A chain's hops are decided too: alice may assume reader, whose trust
// policy names her (id_roles_terms-and-concepts.html, "trust policy"),
// and the role's session may list buckets.
func TestAsk(t *testing.T) {
	c := startServer(t, Config{}).client()
	for _, tc := range []struct{ msg, want string }{
		{askMsg("1", alice, "s3:GetObject", "arn:aws:s3:::b/k"), engine.Allow},
		{askMsg("2", alice, "s3:PutObject", "arn:aws:s3:::b/k"), engine.ImplicitDeny},
		{`{"type":"ask","id":"3","chain":{"as":"` + alice + `","steps":[{"AssumeRole":{"role":"arn:aws:iam::111122223333:role/reader","session":"s1"}}]},"action":"s3:ListBucket","resource":"arn:aws:s3:::b","resource_account":"111122223333"}`, engine.Allow},
	} {
		send(t, c, tc.msg)
		o := recv(t, c)
		if o.Type != outAnswer || o.Decision == nil || o.Decision.Decision != tc.want || o.Verdict != tc.want || o.Text == "" {
			t.Errorf("%s: got %+v, want %s", tc.msg, o, tc.want)
		}
	}
}

// A malformed message gets an error answer, with its id where it has one,
// and the connection stays open; messages are read as strictly as the
// loader reads files.
func TestBadMessages(t *testing.T) {
	c := startServer(t, Config{}).client()
	for _, tc := range []struct{ msg, id, want string }{
		{"{not json", "", "invalid JSON"},
		{"", "", "invalid JSON"},
		{`{"type":"ask","id":"t1","principal":"x"`, "", "invalid JSON"},
		{`["id"]`, "", "expected a mapping"},
		{`{"id":"t0"}`, "t0", `"type" is required`},
		{`{"type":"fly","id":"t9"}`, "t9", `unknown type "fly"`},
		{`{"type":"ask","id":"t2","principal":7}`, "t2", "cannot unmarshal number"},
		{`{"type":"ask","id":"t3","id":"t4"}`, "", "duplicate key"},
		{`{"type":"ask","id":"t5","principle":"x"}`, "t5", `unknown key "principle"`},
		{`{"type":"ask","id":"t6","PRINCIPAL":"x"}`, "t6", `unknown key "PRINCIPAL"`},
		{`{"type":"ask","id":"t7"} {"id":"t8"}`, "", "after the end of the JSON document"},
		{`{"type":"ask"}`, "", `"id" is required`},
		{`{"type":"edit","id":"t10","op":"put","kind":"inline","target":"x","Document":"{}"}`, "t10", `unknown key "Document"`},
		{`{"type":"hello","id":"t11","version":1,"token":"` + token + `"}`, "t11", "already authenticated"},
		{`{"type":"cancel","id":"t12"}`, "t12", "no question"},
	} {
		send(t, c, tc.msg)
		o := recv(t, c)
		if o.Type != outError || o.ID != tc.id || !strings.Contains(o.Error, tc.want) {
			t.Errorf("%q: got %+v, want id %q and %q", tc.msg, o, tc.id, tc.want)
		}
	}
	send(t, c, askMsg("x", "arn:aws:iam::111122223333:user/nobody", "s3:GetObject", "arn:aws:s3:::b/k"))
	if o := recv(t, c); o.ID != "x" || !strings.Contains(o.Error, "no such IAM user") {
		t.Errorf("got %+v", o)
	}
	// "*" is the resource of actions that act on no resource type only
	// (the Service Authorization Reference lists s3:GetObject's).
	send(t, c, askMsg("y", "arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*"))
	if o := recv(t, c); o.ID != "y" || !strings.Contains(o.Error, `resource "*": s3:GetObject acts on a resource`) {
		t.Errorf("got %+v", o)
	}
}

// Nothing on the wire names a file the server reads: a chain step's or a
// session policy's "@file" is a document that does not parse, and the
// file's content never appears in the answer.
func TestNoFileReads(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(secret, []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"SECRETSID","Effect":"Allow","Action":"*","Resource":"*"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	c := startServer(t, Config{}).client()
	for i, msg := range []string{
		`{"type":"ask","id":"f0","principal":"` + alice + `","action":"s3:GetObject","resource":"*","session_policy":"@` + secret + `"}`,
		`{"type":"ask","id":"f1","chain":{"as":"` + alice + `","steps":[{"AssumeRole":{"role":"arn:aws:iam::111122223333:role/reader","session":"s","policy":"@` + secret + `"}}]},"action":"s3:GetObject","resource":"*"}`,
	} {
		send(t, c, msg)
		o := recv(t, c)
		if o.Type != outError || strings.Contains(o.Error, "SECRETSID") || o.ID != []string{"f0", "f1"}[i] {
			t.Errorf("%s: got %+v, want an error without the file's content", msg, o)
		}
	}
}

// Who-can streams: partial answers (each allowed principal as found),
// progress, then done with every grant. alice's identity policy allows
// s3:GetObject on b/* (same-account identity Allow,
// reference_policies_evaluation-logic_policy-eval-denyallow.html); so
// does the account's root user, which no policy restricts.
func TestWhoCanStreams(t *testing.T) {
	c := startServer(t, Config{}).client()
	send(t, c, `{"type":"who_can","id":"w","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","resource_account":"111122223333"}`)
	partial, progress := map[string]bool{}, 0
	for {
		o := recv(t, c)
		if o.ID != "w" {
			t.Fatalf("message for another question: %+v", o)
		}
		switch o.Type {
		case outPartial:
			partial[o.Grant.Principal] = true
			continue
		case outProgress:
			progress++
			continue
		}
		if o.Type != outDone {
			t.Fatalf("got %+v", o)
		}
		var got []string
		for _, g := range o.Grants {
			got = append(got, g.Principal)
		}
		want := "arn:aws:iam::111122223333:root " + alice
		if strings.Join(got, " ") != want || !partial[alice] || !partial["arn:aws:iam::111122223333:root"] || progress == 0 {
			t.Errorf("done %v (partial %v, %d progress), want %s", got, partial, progress, want)
		}
		return
	}
}
