package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/loader/scenario"
)

const testWorld = `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: alice
          policies:
            - name: read
              document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}}
        - name: bob
      roles:
        - name: reader
          trust: {Version: "2012-10-17", Statement: {Effect: Allow, Principal: {AWS: "arn:aws:iam::111122223333:user/alice"}, Action: sts:AssumeRole}}
          policies:
            - name: r
              document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: s3:ListBucket, Resource: "*"}}
`

const (
	alice = "arn:aws:iam::111122223333:user/alice"
	token = "test-token"
)

// testServer serves the world on loopback (httptest) with cfg's limits.
type testServer struct {
	t   *testing.T
	s   *Server
	ts  *httptest.Server
	url string // ws://127.0.0.1:PORT/v1/ws
	// welcome is the last welcome a client got.
	welcome Out
}

func startServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	return startWorld(t, testWorld, cfg)
}

// startWorld serves the world of a scenario's YAML text.
func startWorld(t *testing.T, yaml string, cfg Config) *testServer {
	t.Helper()
	sc, err := scenario.ParseScenario("w.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := checks.OpenScenario(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	cfg.Token = token
	cfg.Hosts = LoopbackHosts(ts.Listener.Addr().String())
	s, err := New(sc.World, eng, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = s.Handler()
	ts.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
		ts.Close()
	})
	return &testServer{t: t, s: s, ts: ts, url: "ws" + strings.TrimPrefix(ts.URL, "http") + "/v1/ws"}
}

// dial opens a websocket without saying hello.
func (ts *testServer) dial(h http.Header) (*websocket.Conn, *http.Response, error) {
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	c, resp, err := d.Dial(ts.url, h)
	if err == nil {
		ts.t.Cleanup(func() { c.Close() })
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
	}
	return c, resp, err
}

// client dials and says hello, returning the connection after welcome.
func (ts *testServer) client() *websocket.Conn {
	ts.t.Helper()
	c, _, err := ts.dial(nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	send(ts.t, c, `{"type":"hello","version":1,"token":"`+token+`"}`)
	o := recv(ts.t, c)
	if o.Type != outWelcome || o.Version != ProtocolVersion || o.World == nil {
		ts.t.Fatalf("hello: got %+v", o)
	}
	ts.welcome = o
	return c
}

func send(t *testing.T, c *websocket.Conn, msg string) {
	t.Helper()
	if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		t.Fatal(err)
	}
}

func recv(t *testing.T, c *websocket.Conn) Out {
	t.Helper()
	_, data, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var o Out
	if err := json.Unmarshal(data, &o); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	return o
}

// until reads messages until one of type typ for id arrives.
func until(t *testing.T, c *websocket.Conn, id, typ string) Out {
	t.Helper()
	for {
		if o := recv(t, c); o.ID == id && o.Type == typ {
			return o
		} else if o.ID == id && o.Type == outError {
			t.Fatalf("%s: error %s", id, o.Error)
		}
	}
}

func askMsg(id, principal, action, resource string) string {
	return `{"type":"ask","id":"` + id + `","principal":"` + principal + `","action":"` + action +
		`","resource":"` + resource + `","resource_account":"111122223333"}`
}
