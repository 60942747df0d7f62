package server

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/clearance-dev/clearance/engine"
)

const reader = "arn:aws:iam::111122223333:role/reader"

// Every verb driven through a real server, every message sent and
// received validated against its schema (docs/protocol/*.schema.json),
// and every message type of both directions seen at least once. The
// decisions are those TestAsk and TestOverlayEditAndSubscribe source
// (reference_policies_evaluation-logic_policy-eval-denyallow.html).
func TestSchemasEveryVerb(t *testing.T) {
	sch := schemas(t)
	sent, got := map[string]bool{}, map[string]bool{}
	ts := startServer(t, Config{})
	c := newChecked(t, ts, sch, sent, got)
	c.send(`{"type":"hello","version":1,"token":"` + token + `"}`)
	if o := c.recv(); o.Type != outWelcome {
		t.Fatalf("hello: %+v", o)
	}
	questions(t, c)
	overlays(t, c)
	errorsOfMessages(t, c)
	refusedHellos(t, ts, sch, sent, got)
	cancels(t, sch, sent, got)
	for _, typ := range messageTypes() {
		if !sent[typ] {
			t.Errorf("no %s message was sent: the test does not cover it", typ)
		}
	}
	for _, typ := range serverTypes {
		if !got[typ] {
			t.Errorf("no %s message was received: the test does not cover it", typ)
		}
	}
}

// questions: ask (a principal, a chain), who_can (partial, progress,
// done), can, reach, audit, complete and policy.
func questions(t *testing.T, c *checked) {
	c.send(askMsg("a1", alice, "s3:GetObject", "arn:aws:s3:::b/k"))
	if o := c.last("a1", outAnswer); o.Verdict != engine.Allow || o.Decision == nil {
		t.Errorf("ask: %+v", o)
	}
	c.send(`{"type":"ask","id":"a2","chain":{"as":"` + alice + `","steps":[{"AssumeRole":{"role":"` + reader +
		`","session":"s1"}}]},"action":"s3:ListBucket","resource":"arn:aws:s3:::b","resource_account":"111122223333","context":{"aws:SecureTransport":true},"time":"2026-01-02T03:04:05Z"}`)
	if o := c.last("a2", outAnswer); o.Verdict != engine.Allow || o.Chain == nil {
		t.Errorf("ask with a chain: %+v", o)
	}
	c.send(`{"type":"who_can","id":"w1","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","resource_account":"111122223333","reach":true}`)
	if ms := c.until("w1", outDone); !slices.Contains(types(ms), outPartial) || !slices.Contains(types(ms), outProgress) {
		t.Errorf("who_can sent %v, want partial and progress before done", types(ms))
	}
	c.send(`{"type":"can","id":"k1","principal":"` + alice + `"}`)
	if o := c.last("k1", outDone); o.Can == nil || len(o.Can.Permissions) == 0 {
		t.Errorf("can: %+v", o)
	}
	c.send(`{"type":"reach","id":"r1","as":"` + alice + `","depth":3}`)
	if o := c.last("r1", outDone); len(o.Reached) != 1 || o.Reached[0].Role != reader {
		t.Errorf("reach: %+v, want the reader role", o)
	}
	c.send(`{"type":"audit","id":"u1"}`)
	if o := c.last("u1", outDone); o.Audit == nil {
		t.Errorf("audit: %+v", o)
	}
	for i, kind := range []string{"action", "principal", "resource"} {
		id := []string{"c1", "c2", "c3"}[i]
		c.send(`{"type":"complete","id":"` + id + `","kind":"` + kind + `","prefix":"` + []string{"s3:GetObj", "arn:aws:iam::111122223333:user/a", "zzz"}[i] + `"}`)
		o := c.last(id, outCompletions)
		if want := []int{1, 1, 0}[i]; (len(o.Items) > 0) != (want > 0) {
			t.Errorf("complete %s: %v", kind, o.Items)
		}
	}
	c.send(`{"type":"policy","id":"p1","kind":"inline","target":"` + alice + `","name":"read"}`)
	if o := c.last("p1", outDocument); !strings.Contains(o.Document, "s3:GetObject") {
		t.Errorf("policy: %+v", o)
	}
	c.send(`{"type":"policy","id":"p2","named":"` + reader + ` (trust policy)"}`)
	if o := c.last("p2", outDocument); o.Ref == nil || o.Ref.Kind != refTrust || len(o.Statements) != 1 {
		t.Errorf("policy by name: %+v", o)
	}
}

// overlays: open, a subscribed ask, an edit that changes it (update,
// before), a broken document (a positioned error), discard.
func overlays(t *testing.T, c *checked) {
	c.send(`{"type":"edit","id":"e0","op":"attach","target":"` + alice + `","policy_arn":"x"}`)
	if o := c.recv(); o.Type != outError || o.ID != "e0" {
		t.Errorf("edit without an overlay: %+v", o)
	}
	c.send(`{"type":"open","id":"o1"}`)
	c.last("o1", outOverlay)
	sub := strings.Replace(askMsg("s1", alice, "s3:GetObject", "arn:aws:s3:::b/k"), `"type":"ask",`, `"type":"ask","subscribe":true,`, 1)
	c.send(sub)
	c.last("s1", outAnswer)
	c.send(editMsg("e1", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}}`))
	c.last("e1", outOverlay)
	if o := c.last("s1", outAnswer); !o.Update || o.Before == nil || *o.Before != engine.Allow || o.Verdict != engine.ExplicitDeny {
		t.Errorf("subscription update: %+v", o)
	}
	c.send(editMsg("e2", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Perhaps\"}\n}"))
	if o := c.recv(); o.Type != outError || o.ID != "e2" || o.Line != 3 || o.Path == "" {
		t.Errorf("broken document: %+v, want an error at line 3 with its path", o)
	}
	c.send(`{"type":"edit","id":"e3","op":"boundary","target":"` + alice + `","policy_arn":""}`)
	c.last("e3", outOverlay)
	c.send(`{"type":"discard","id":"d1"}`)
	c.last("d1", outOverlay)
	if o := c.last("s1", outAnswer); !o.Update || o.Verdict != engine.Allow {
		t.Errorf("after discard: %+v", o)
	}
}

// errorsOfMessages: every malformed message and every refused question
// gets an error (with its id where it has one) that its schema accepts,
// and the connection stays open.
func errorsOfMessages(t *testing.T, c *checked) {
	for _, tc := range strictCases {
		c.raw(tc.msg)
		if o := c.recv(); o.Type != outError || o.ID != tc.id {
			t.Errorf("%s: got %+v, want an error for id %q", tc.msg, o, tc.id)
		}
	}
	c.send(askMsg("n1", "arn:aws:iam::111122223333:user/nobody", "s3:GetObject", "*"))
	if o := c.recv(); o.Type != outError || o.ID != "n1" {
		t.Errorf("unknown principal: %+v", o)
	}
	c.send(`{"type":"policy","id":"n3","kind":"inline","target":"` + alice + `","name":"none"}`)
	if o := c.recv(); o.Type != outError || o.ID != "n3" {
		t.Errorf("no such policy: %+v", o)
	}
	c.send(`{"type":"cancel","id":"n2"}`)
	if o := c.recv(); o.Type != outError || o.ID != "n2" {
		t.Errorf("cancel of nothing: %+v", o)
	}
}

// refusedHellos: a wrong token, a wrong version, or a first message that
// is not a hello is told in an error, then the connection is closed.
func refusedHellos(t *testing.T, ts *testServer, sch map[string]*jsonschema.Schema, sent, got map[string]bool) {
	for _, msg := range []string{
		`{"type":"hello","version":1,"token":"wrong"}`,
		`{"type":"hello","version":2,"token":"` + token + `"}`,
		`{"type":"audit","id":"u"}`,
	} {
		c := newChecked(t, ts, sch, sent, got)
		if strings.Contains(msg, `"version":2`) {
			c.raw(msg) // version 2 is not in the v1 schema
		} else {
			c.send(msg)
		}
		if o := c.recv(); o.Type != outError {
			t.Errorf("%s: got %+v, want an error", msg, o)
		}
		if _, _, err := c.ws.ReadMessage(); err == nil {
			t.Errorf("%s: the connection stayed open", msg)
		}
	}
}

// cancels: questions held in flight; one more than the limit is refused,
// the client's cancel ends one (cancelled), the deadline the other.
func cancels(t *testing.T, sch map[string]*jsonschema.Schema, sent, got map[string]bool) {
	ts := startServer(t, Config{MaxInFlight: 2, Deadline: 300 * time.Millisecond})
	holdQuestions(ts)
	c := newChecked(t, ts, sch, sent, got)
	c.send(`{"type":"hello","version":1,"token":"` + token + `"}`)
	c.recv()
	c.send(`{"type":"who_can","id":"h1","action":"s3:GetObject","resource":"*"}`)
	c.send(askMsg("h2", alice, "s3:GetObject", "arn:aws:s3:::b/k"))
	c.send(askMsg("h3", alice, "s3:GetObject", "arn:aws:s3:::b/k"))
	if o := c.recv(); o.ID != "h3" || o.Type != outError {
		t.Errorf("the third question: %+v, want refused", o)
	}
	c.send(`{"type":"cancel","id":"h1"}`)
	want := map[string]string{"h1": "cancelled by the client", "h2": "deadline"}
	for range 2 {
		o := c.recv()
		if o.Type != outCancelled || !strings.Contains(o.Error, want[o.ID]) || want[o.ID] == "" {
			t.Errorf("got %+v, want a cancelled answer (%v)", o, want)
		}
		delete(want, o.ID)
	}
}
