package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// holdQuestions makes every question wait until its context ends, and
// reports each context's end on the returned channel.
func holdQuestions(ts *testServer) <-chan error {
	ended := make(chan error, 16)
	ts.s.hold = func(ctx context.Context) {
		<-ctx.Done()
		ended <- context.Cause(ctx)
	}
	return ended
}

// A question has a deadline: it is cancelled when the deadline passes,
// and the answer says so with its id.
func TestQuestionDeadline(t *testing.T) {
	ts := startServer(t, Config{Deadline: 100 * time.Millisecond})
	ended := holdQuestions(ts)
	c := ts.client()
	send(t, c, askMsg("slow", alice, "s3:GetObject", "arn:aws:s3:::b/k"))
	if o := recv(t, c); o.ID != "slow" || o.Type != outCancelled || !strings.Contains(o.Error, "deadline") {
		t.Errorf("got %+v, want a cancelled answer for the deadline", o)
	}
	if err := <-ended; !strings.Contains(err.Error(), "deadline") {
		t.Errorf("the question's context ended with %v", err)
	}
}

// Questions in flight are bounded per connection; the client's cancel
// ends one (its answer: cancelled), and the place is free again.
func TestInFlightAndCancel(t *testing.T) {
	ts := startServer(t, Config{MaxInFlight: 2})
	ended := holdQuestions(ts)
	c := ts.client()
	send(t, c, askMsg("q1", alice, "s3:GetObject", "arn:aws:s3:::b/k"))
	send(t, c, askMsg("q2", alice, "s3:GetObject", "arn:aws:s3:::b/k"))
	send(t, c, askMsg("q3", alice, "s3:GetObject", "arn:aws:s3:::b/k"))
	if o := recv(t, c); o.ID != "q3" || !strings.Contains(o.Error, "too many questions in flight") {
		t.Errorf("got %+v, want q3 refused", o)
	}
	send(t, c, askMsg("q1", alice, "s3:GetObject", "arn:aws:s3:::b/k"))
	if o := recv(t, c); o.ID != "q1" || !strings.Contains(o.Error, "already being answered") {
		t.Errorf("got %+v, want the duplicate id refused", o)
	}
	send(t, c, `{"type":"cancel","id":"q1"}`)
	if o := recv(t, c); o.ID != "q1" || o.Type != outCancelled || !strings.Contains(o.Error, "cancelled by the client") {
		t.Errorf("got %+v, want q1 cancelled", o)
	}
	if err := <-ended; !strings.Contains(err.Error(), "cancelled by the client") {
		t.Errorf("q1's context ended with %v", err)
	}
}

// A client that leaves cancels its questions: their contexts end, so the
// evaluation (OPA's cancel) and the chain walk stop.
func TestDisconnectCancels(t *testing.T) {
	ts := startServer(t, Config{})
	ended := holdQuestions(ts)
	c := ts.client()
	send(t, c, askMsg("a", alice, "s3:GetObject", "arn:aws:s3:::b/k"))
	send(t, c, `{"type":"who_can","id":"w","action":"s3:GetObject","resource":"*"}`)
	time.Sleep(50 * time.Millisecond)
	c.Close()
	for range 2 {
		select {
		case err := <-ended:
			if !strings.Contains(err.Error(), "connection closed") {
				t.Errorf("ended with %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a question outlived its client")
		}
	}
}

// The send queue is bounded: when it is full the client is cut off
// (closed, its context ended) rather than buffered without end.
func TestSlowReaderCutOff(t *testing.T) {
	ts := startServer(t, Config{SendQueue: 2})
	got := make(chan *conn, 1)
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		got <- newConn(ts.s, ws) // no writer runs: nothing drains the queue
	}))
	defer srv.Close()
	cl, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	c := <-got
	for i, want := range []bool{true, true, false} {
		if ok := c.reply(Out{Type: outProgress, ID: "p"}); ok != want {
			t.Fatalf("reply %d: %v, want %v", i, ok, want)
		}
	}
	if context.Cause(c.ctx) != errSlowReader {
		t.Errorf("cause %v, want errSlowReader", context.Cause(c.ctx))
	}
	cl.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, _, err := cl.ReadMessage(); !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
		t.Errorf("client read %v, want a policy-violation close", err)
	}
}

// Shutdown tells every client it is going away, cancels its questions,
// and returns once the connections are closed.
func TestShutdown(t *testing.T) {
	ts := startServer(t, Config{})
	ended := holdQuestions(ts)
	c := ts.client()
	send(t, c, askMsg("a", alice, "s3:GetObject", "arn:aws:s3:::b/k"))
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ts.s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	<-ended
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
				t.Errorf("got %v, want going away", err)
			}
			break
		}
	}
	if ts.s.Conns() != 0 {
		t.Errorf("%d connections after shutdown", ts.s.Conns())
	}
	if _, resp, err := ts.dial(nil); err == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a connection after shutdown: %v", err)
	}
}
