package server

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine"
)

func editMsg(id, doc string) string {
	return `{"type":"edit","id":"` + id + `","op":"put","kind":"inline","target":"` + alice +
		`","name":"read","document":` + strconv.Quote(doc) + `}`
}

// An overlay is a private copy of the world: an edit re-decides the
// subscribed answers and re-sends those that changed (before -> after);
// another connection, on the loaded world, is not affected; a broken
// document is refused with its line and column; discarding restores the
// world. An explicit Deny overrides the Allow
// (reference_policies_evaluation-logic_policy-eval-denyallow.html).
func TestOverlayEditAndSubscribe(t *testing.T) {
	ts := startServer(t, Config{})
	c, other := ts.client(), ts.client()
	send(t, c, `{"type":"open","id":"o"}`)
	if o := recv(t, c); o.Type != outOverlay || o.State != "open" {
		t.Fatalf("open: %+v", o)
	}
	sub := askMsg("s", alice, "s3:GetObject", "arn:aws:s3:::b/k")
	sub = strings.Replace(sub, `"type":"ask",`, `"type":"ask","subscribe":true,`, 1)
	send(t, c, sub)
	if o := recv(t, c); o.Verdict != engine.Allow {
		t.Fatalf("before the edit: %+v", o)
	}
	send(t, c, `{"type":"policy","id":"p","kind":"inline","target":"`+alice+`","name":"read"}`)
	if o := recv(t, c); o.Type != outDocument || !strings.Contains(o.Document, `"s3:GetObject"`) {
		t.Fatalf("policy: %+v", o)
	}
	send(t, c, editMsg("e1", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Deny\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n    {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]\n}"))
	if o := until(t, c, "e1", outOverlay); o.State != "edited" || o.Overlay != 2 {
		t.Fatalf("edit: %+v", o)
	}
	o := until(t, c, "s", outAnswer)
	if !o.Update || o.Before == nil || *o.Before != engine.Allow || o.Verdict != engine.ExplicitDeny || o.Overlay != 2 {
		t.Errorf("re-sent answer: %+v", o)
	}
	send(t, other, askMsg("x", alice, "s3:GetObject", "arn:aws:s3:::b/k"))
	if o := recv(t, other); o.Verdict != engine.Allow {
		t.Errorf("another connection sees %s: the loaded world changed", o.Verdict)
	}
	send(t, c, editMsg("e2", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Maybe\"}]\n}"))
	if o := recv(t, c); o.Type != outError || o.ID != "e2" || o.Line != 3 || o.Col == 0 || !strings.Contains(o.Path, "Effect") {
		t.Errorf("broken document: %+v, want an error at line 3 on Effect", o)
	}
	send(t, c, `{"type":"discard","id":"d"}`)
	if o := until(t, c, "d", outOverlay); o.State != "discarded" {
		t.Fatalf("discard: %+v", o)
	}
	if o := until(t, c, "s", outAnswer); !o.Update || *o.Before != engine.ExplicitDeny || o.Verdict != engine.Allow {
		t.Errorf("after discard: %+v", o)
	}
}

// Every kind of edit: detach and attach a managed policy, a boundary, a
// trust policy. Refused edits leave the overlay as it was.
func TestOverlayEditKinds(t *testing.T) {
	c := startServer(t, Config{}).client()
	send(t, c, `{"type":"open","id":"o"}`)
	recv(t, c)
	for _, tc := range []struct{ msg, want string }{
		{`{"type":"edit","id":"1","op":"attach","target":"` + alice + `","policy_arn":"arn:aws:iam::111122223333:policy/none"}`, "none"},
		{`{"type":"edit","id":"2","op":"detach","target":"` + alice + `","policy_arn":"arn:aws:iam::111122223333:policy/none"}`, "not attached"},
		{`{"type":"edit","id":"3","op":"put","kind":"trust","target":"` + alice + `","document":"{}"}`, "not a role"},
		{`{"type":"edit","id":"4","op":"put","kind":"scp","target":"x","document":"{}"}`, "no organization"},
		{`{"type":"edit","id":"5","op":"fly"}`, "unknown op"},
	} {
		send(t, c, tc.msg)
		if o := recv(t, c); o.Type != outError || !strings.Contains(o.Error, tc.want) {
			t.Errorf("%s: got %+v, want %q", tc.msg, o, tc.want)
		}
	}
	// The role's trust policy no longer names alice: her AssumeRole is
	// refused (id_roles_terms-and-concepts.html, "trust policy").
	send(t, c, `{"type":"edit","id":"6","op":"put","kind":"trust","target":"arn:aws:iam::111122223333:role/reader","document":"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:user/bob\"},\"Action\":\"sts:AssumeRole\"}}"}`)
	if o := recv(t, c); o.State != "edited" {
		t.Fatalf("trust edit: %+v", o)
	}
	send(t, c, `{"type":"ask","id":"7","chain":{"as":"`+alice+`","steps":[{"AssumeRole":{"role":"arn:aws:iam::111122223333:role/reader","session":"s1"}}]},"action":"s3:ListBucket","resource":"arn:aws:s3:::b"}`)
	if o := recv(t, c); o.Verdict != "chain refused at hop 1" {
		t.Errorf("after the trust edit: %+v", o)
	}
}

// An edit and a discard sent back to back: the subscription's
// re-decision for the edit is still in flight when the discard comes, so
// it is decided again when it ends; the last answer is the loaded
// world's (a subscription never stays on a view no longer current).
func TestSubscriptionCatchesUp(t *testing.T) {
	c := startServer(t, Config{}).client()
	send(t, c, `{"type":"open","id":"o"}`)
	until(t, c, "o", outOverlay)
	send(t, c, strings.Replace(askMsg("s", alice, "s3:GetObject", "arn:aws:s3:::b/k"), `"type":"ask",`, `"type":"ask","subscribe":true,`, 1))
	until(t, c, "s", outAnswer)
	for i := range 3 {
		send(t, c, editMsg("e"+strconv.Itoa(i), `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}}`))
		send(t, c, `{"type":"discard","id":"d`+strconv.Itoa(i)+`"}`)
		send(t, c, `{"type":"open","id":"o`+strconv.Itoa(i)+`"}`)
	}
	send(t, c, `{"type":"discard","id":"last"}`)
	// The client's view of s: its first answer (allow), then each update;
	// after the last discard and a quiet second it must be allow again.
	verdict, sawLast, updates := engine.Allow, false, 0
	for {
		c.SetReadDeadline(time.Now().Add(time.Second))
		_, data, err := c.ReadMessage()
		if err != nil {
			if !sawLast {
				t.Fatalf("read: %v before the last discard's answer", err)
			}
			break
		}
		var o Out
		if err := json.Unmarshal(data, &o); err != nil {
			t.Fatal(err)
		}
		switch {
		case o.ID == "s" && o.Type == outAnswer:
			if o.Before == nil || *o.Before != verdict {
				t.Errorf("update %+v: before should be %q", o, verdict)
			}
			verdict = o.Verdict
			updates++
		case o.ID == "last":
			sawLast = true
		}
	}
	if verdict != engine.Allow {
		t.Errorf("the subscription ended on %q after %d updates, want allow (the loaded world)", verdict, updates)
	}
}
