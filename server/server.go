// Package server streams what-if decisions over a websocket: a client sends
// questions (may this principal do this action on this resource?) as JSON
// messages and receives each decision with its explanation.
//
// Each connection has one reader and one writer goroutine, as
// gorilla/websocket requires; the writer owns every write, the send queue
// is bounded, and a client that does not keep up is disconnected.
package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/engine/sts"
)

const (
	writeWait      = 10 * time.Second
	pongWait       = 60 * time.Second
	pingPeriod     = pongWait * 9 / 10
	maxMessageSize = 64 << 10
	sendQueue      = 64
)

// Question is one what-if query.
type Question struct {
	ID              string          `json:"id"`
	Principal       string          `json:"principal"`
	FederatedBy     string          `json:"federated_by,omitempty"`
	Action          string          `json:"action"`
	Resource        string          `json:"resource"`
	ResourceAccount string          `json:"resource_account,omitempty"`
	Context         map[string]any  `json:"context,omitempty"`
	SessionPolicy   json.RawMessage `json:"session_policy,omitempty"`
	// Time is when the request is made (RFC 3339); VPCEndpoint the id of
	// the VPC endpoint it goes through.
	Time        time.Time `json:"time,omitzero"`
	VPCEndpoint string    `json:"vpc_endpoint,omitempty"`
	// Chain, instead of Principal, is an STS chain in the scenario format
	// ({"as": ..., "steps": [...]}); the request is made with its final
	// session, and the answer carries every hop.
	Chain json.RawMessage `json:"chain,omitempty"`
}

// Answer is the reply to a Question: a decision, or an error.
type Answer struct {
	ID       string           `json:"id"`
	Decision *engine.Decision `json:"decision,omitempty"`
	Chain    *sts.ChainResult `json:"chain,omitempty"`
	Text     string           `json:"text,omitempty"`
	Error    string           `json:"error,omitempty"`
}

// Server answers questions against one engine.
type Server struct {
	walker   *sts.Walker
	upgrader websocket.Upgrader
}

// New returns a server over eng. Browsers may connect only from the same
// origin (gorilla's default check).
func New(eng *engine.Engine) *Server {
	return &Server{walker: sts.New(eng), upgrader: websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}}
}

// Handler routes /v1/why (websocket) and /healthz.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/why", s.serveWhy)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	return mux
}

func (s *Server) serveWhy(w http.ResponseWriter, r *http.Request) {
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has replied with the HTTP error
	}
	ctx, cancel := context.WithCancel(context.Background())
	send := make(chan Answer, sendQueue)
	go writePump(conn, send, cancel)
	s.readPump(ctx, conn, send)
	cancel()
	close(send)
}

// readPump answers each question in order; it returns when the client goes
// away or cannot keep up.
func (s *Server) readPump(ctx context.Context, conn *websocket.Conn, send chan<- Answer) {
	conn.SetReadLimit(maxMessageSize)
	conn.SetReadDeadline(time.Now().Add(pongWait))
	conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(pongWait)) })
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return // the client went away, or sent more than maxMessageSize
		}
		q, id, err := decodeQuestion(data)
		a := Answer{ID: id}
		if err != nil {
			a.Error = err.Error() // the connection stays open for the next question
		} else {
			a = s.answer(ctx, q)
		}
		if !enqueue(conn, send, a) {
			return
		}
	}
}

// enqueue hands an answer to the writer, or closes a client whose queue is
// full rather than buffering without bound.
func enqueue(conn *websocket.Conn, send chan<- Answer, a Answer) bool {
	select {
	case send <- a:
		return true
	default:
		conn.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.ClosePolicyViolation, "client too slow"), time.Now().Add(writeWait))
		return false
	}
}

func (s *Server) answer(ctx context.Context, q *Question) Answer {
	question := &sts.Question{Request: engine.Request{Principal: q.Principal, FederatedBy: q.FederatedBy,
		Action: q.Action, Resource: q.Resource, ResourceAccount: q.ResourceAccount, Context: q.Context,
		Time: q.Time, VPCEndpoint: q.VPCEndpoint}}
	if len(q.SessionPolicy) > 0 {
		p, err := sts.ParseSessionPolicy("session_policy", q.SessionPolicy)
		if err != nil {
			return Answer{ID: q.ID, Error: err.Error()}
		}
		question.SessionPolicy = p
	}
	if len(q.Chain) > 0 {
		c, err := sts.DecodeChain("chain", q.Chain)
		if err != nil {
			return Answer{ID: q.ID, Error: err.Error()}
		}
		question.Chain = c
	}
	ans, err := s.walker.Ask(ctx, question)
	if err != nil {
		return Answer{ID: q.ID, Error: err.Error()}
	}
	var sb strings.Builder
	if ans.Chain != nil {
		render.Chain(&sb, ans.Chain)
	}
	if ans.Decision != nil {
		render.Decision(&sb, ans.Decision)
	}
	return Answer{ID: q.ID, Decision: ans.Decision, Chain: ans.Chain, Text: sb.String()}
}

// writePump owns all writes to the connection.
func writePump(conn *websocket.Conn, send <-chan Answer, cancel context.CancelFunc) {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		cancel()
		conn.Close()
	}()
	for {
		select {
		case a, ok := <-send:
			conn.SetWriteDeadline(time.Now().Add(writeWait))
			if !ok {
				conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
				return
			}
			if err := conn.WriteJSON(a); err != nil {
				return
			}
		case <-ticker.C:
			conn.SetWriteDeadline(time.Now().Add(writeWait))
			if err := conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}
