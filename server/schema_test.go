package server

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaDir holds one JSON Schema per message type (docs/protocol.md).
const schemaDir = "../docs/protocol"

// serverTypes are the types of the messages the server sends.
var serverTypes = []string{outWelcome, outAnswer, outProgress, outPartial, outDone, outError,
	outCancelled, outCompletions, outDocument, outOverlay}

// schemas compiles docs/protocol/<type>.schema.json for every client and
// server message type, and checks that no schema file names a type the
// server does not have (defs.schema.json holds the shared definitions).
func schemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	dir, err := filepath.Abs(schemaDir)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	out := map[string]*jsonschema.Schema{}
	for _, typ := range append(messageTypes(), serverTypes...) {
		sch, err := c.Compile(filepath.Join(dir, typ+".schema.json"))
		if err != nil {
			t.Fatalf("schema of %s: %v", typ, err)
		}
		out[typ] = sch
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		typ := strings.TrimSuffix(filepath.Base(f), ".schema.json")
		if out[typ] == nil && typ != "defs" {
			t.Errorf("%s: a schema for a message type the protocol does not have", f)
		}
	}
	return out
}

// validate checks one message against the schema of the type it names;
// it returns the type and the validation error (nil when valid).
func validate(t *testing.T, sch map[string]*jsonschema.Schema, data []byte) (string, error) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	var h struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(data, &h) != nil || sch[h.Type] == nil {
		return h.Type, errNoSchema
	}
	return h.Type, sch[h.Type].Validate(inst)
}

var errNoSchema = os.ErrNotExist

// checked is a websocket client whose every message, sent and received,
// is validated against its schema; it keeps the types it saw.
type checked struct {
	t       *testing.T
	ws      *websocket.Conn
	sch     map[string]*jsonschema.Schema
	sent    map[string]bool
	got     map[string]bool
	pending []Out
}

func newChecked(t *testing.T, ts *testServer, sch map[string]*jsonschema.Schema, sent, got map[string]bool) *checked {
	t.Helper()
	ws, _, err := ts.dial(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &checked{t: t, ws: ws, sch: sch, sent: sent, got: got}
}

// send validates msg against its schema, then sends it.
func (c *checked) send(msg string) {
	c.t.Helper()
	typ, err := validate(c.t, c.sch, []byte(msg))
	if err != nil {
		c.t.Fatalf("sent message %s violates the %s schema: %v", msg, typ, err)
	}
	c.sent[typ] = true
	c.raw(msg)
}

// raw sends msg as is (a message meant to violate its schema).
func (c *checked) raw(msg string) {
	c.t.Helper()
	if err := c.ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		c.t.Fatal(err)
	}
}

// recv reads the next message (a pending one first) and validates it.
func (c *checked) recv() Out {
	c.t.Helper()
	if len(c.pending) > 0 {
		o := c.pending[0]
		c.pending = c.pending[1:]
		return o
	}
	c.ws.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, data, err := c.ws.ReadMessage()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	typ, err := validate(c.t, c.sch, data)
	if err != nil {
		c.t.Fatalf("received message %s violates the %s schema: %v", data, typ, err)
	}
	c.got[typ] = true
	var o Out
	if err := json.Unmarshal(data, &o); err != nil {
		c.t.Fatal(err)
	}
	return o
}

// until reads until a message of type typ for id, and returns every
// message for id up to it; messages for other ids are kept for later.
func (c *checked) until(id, typ string) []Out {
	c.t.Helper()
	var mine, others []Out
	defer func() { c.pending = append(others, c.pending...) }()
	for {
		o := c.recv()
		if o.ID != id {
			others = append(others, o)
			continue
		}
		mine = append(mine, o)
		if o.Type == typ {
			return mine
		}
		if o.Type == outError || o.Type == outCancelled {
			c.t.Fatalf("%s: got %+v, want %s", id, o, typ)
		}
	}
}

// last is until's final message.
func (c *checked) last(id, typ string) Out {
	c.t.Helper()
	ms := c.until(id, typ)
	return ms[len(ms)-1]
}

// types lists the message types of ms.
func types(ms []Out) []string {
	var out []string
	for _, m := range ms {
		if !slices.Contains(out, m.Type) {
			out = append(out, m.Type)
		}
	}
	return out
}
