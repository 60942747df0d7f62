package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

const (
	writeWait  = 10 * time.Second
	pongWait   = 60 * time.Second
	pingPeriod = pongWait * 9 / 10
)

// conn is one websocket client: its reader (run), its writer (writePump),
// the questions it has in flight, its overlay and its subscriptions.
type conn struct {
	s      *Server
	ws     *websocket.Conn
	send   chan []byte
	ctx    context.Context
	cancel context.CancelCauseFunc

	mu       sync.Mutex
	inflight map[string]context.CancelFunc
	overlay  *view // nil: questions are answered on the loaded world
	subs     map[string]*subscription
	wg       sync.WaitGroup // the question goroutines
}

// The causes that end a connection with a close code of their own.
var (
	errSlowReader       = errors.New("client too slow: its send queue is full")
	errNotAuthenticated = errors.New("not authenticated")
)

func newConn(s *Server, ws *websocket.Conn) *conn {
	c := &conn{s: s, ws: ws, send: make(chan []byte, s.cfg.SendQueue), inflight: map[string]context.CancelFunc{},
		subs: map[string]*subscription{}}
	c.ctx, c.cancel = context.WithCancelCause(s.ctx)
	return c
}

// run reads messages until the client leaves, is cut off, or the server
// shuts down; then it cancels the connection's questions and waits for
// them before the writer closes the socket.
func (c *conn) run() {
	writerDone := make(chan struct{})
	go func() { c.writePump(); close(writerDone) }()
	stopOnShutdown := context.AfterFunc(c.ctx, func() {
		c.ws.SetReadDeadline(time.Now()) // unblock the reader
	})
	defer stopOnShutdown()
	c.readPump()
	c.cancel(errors.New("connection closed"))
	c.wg.Wait()
	<-writerDone
}

func (c *conn) readPump() {
	c.ws.SetReadLimit(c.s.cfg.MaxMessage)
	c.ws.SetReadDeadline(time.Now().Add(c.s.cfg.HelloWait))
	c.ws.SetPongHandler(func(string) error { return c.ws.SetReadDeadline(time.Now().Add(pongWait)) })
	authed := false
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return // gone, timed out, cut off, shut down, or more than MaxMessage
		}
		msg, h, err := decodeMessage(data)
		if !authed {
			if !c.hello(msg, h, err) {
				return
			}
			authed = true
			c.ws.SetReadDeadline(time.Now().Add(pongWait))
			continue
		}
		if err != nil {
			c.reply(errorOut(h.ID, err)) // the connection stays open
			continue
		}
		c.dispatch(msg, h)
	}
}

// hello authenticates the first message; a refusal is told, then the
// connection is closed with a policy-violation code.
func (c *conn) hello(msg any, h header, err error) bool {
	hello, ok := msg.(*Hello)
	switch {
	case err != nil:
	case !ok:
		err = fmt.Errorf("the first message must be a hello with the server's token")
	case hello.Version != ProtocolVersion:
		err = fmt.Errorf("hello: protocol version %d is not served (this server speaks %d)", hello.Version, ProtocolVersion)
	case !c.s.tokenOK(hello.Token):
		err = fmt.Errorf("hello: wrong token")
	}
	if err != nil {
		c.reply(errorOut(h.ID, err))
		c.cancel(errNotAuthenticated)
		return false
	}
	return c.reply(Out{Type: outWelcome, ID: h.ID, Version: ProtocolVersion, World: summarize(c.s.base.world)})
}

// reply queues a message for the writer. A full queue cuts the client
// off: the server never buffers without bound for a reader that does not
// keep up.
func (c *conn) reply(o Out) bool {
	data, err := json.Marshal(o)
	if err != nil {
		data, _ = json.Marshal(errorOut(o.ID, fmt.Errorf("internal error: encode the answer: %w", err)))
	}
	select {
	case <-c.ctx.Done():
		return false
	default:
	}
	select {
	case c.send <- data:
		return true
	default:
		c.closeWith(websocket.ClosePolicyViolation, "client too slow")
		c.cancel(errSlowReader)
		return false
	}
}

func (c *conn) closeWith(code int, reason string) {
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(writeWait))
}

// writePump owns every data write; it ends when the connection's context
// does, closing the socket (which ends the reader too).
func (c *conn) writePump() {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		c.ws.Close()
	}()
	for {
		select {
		case data := <-c.send:
			c.ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.ws.WriteMessage(websocket.TextMessage, data); err != nil {
				c.cancel(err)
				return
			}
		case <-ticker.C:
			c.ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.ws.WriteMessage(websocket.PingMessage, nil); err != nil {
				c.cancel(err)
				return
			}
		case <-c.ctx.Done():
			c.finish()
			return
		}
	}
}

// finish ends the connection: a client cut off for being slow gets its
// close at once (reply sent it); otherwise what is queued is written
// first (an error answer before a refused hello's close), then the close:
// policy violation for a refused hello, going away otherwise.
func (c *conn) finish() {
	cause := context.Cause(c.ctx)
	if cause == errSlowReader {
		return
	}
	for {
		select {
		case data := <-c.send:
			c.ws.SetWriteDeadline(time.Now().Add(writeWait))
			if c.ws.WriteMessage(websocket.TextMessage, data) != nil {
				return
			}
			continue
		default:
		}
		break
	}
	if cause == errNotAuthenticated {
		c.closeWith(websocket.ClosePolicyViolation, "not authenticated")
		return
	}
	c.closeWith(websocket.CloseGoingAway, "closing")
}

// current is the view questions are answered on now.
func (c *conn) current() *view {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.overlay != nil {
		return c.overlay
	}
	return c.s.base
}

// start runs question id in its own goroutine, with the server's deadline
// and a cancel that the client's cancel, its leaving, or the server's
// shutdown fires. Too many questions in flight, or an id already in
// flight, is an error answer (resend: the re-decision of a subscription is
// skipped instead, and done at the next edit). run says whether to send
// its answer.
func (c *conn) start(id string, resend bool, run func(ctx context.Context) (Out, bool)) {
	c.mu.Lock()
	var refusal error
	if _, dup := c.inflight[id]; dup {
		refusal = fmt.Errorf("question %q is already being answered", id)
	} else if len(c.inflight) >= c.s.cfg.MaxInFlight {
		refusal = fmt.Errorf("too many questions in flight (at most %d per connection)", c.s.cfg.MaxInFlight)
	}
	if refusal != nil {
		c.mu.Unlock()
		if !resend {
			c.reply(errorOut(id, refusal))
		}
		return
	}
	asked, cancelAsked := context.WithCancelCause(c.ctx)
	ctx, cancel := context.WithTimeoutCause(asked, c.s.cfg.Deadline,
		fmt.Errorf("question %q: its deadline of %s passed", id, c.s.cfg.Deadline))
	c.inflight[id] = func() { cancelAsked(fmt.Errorf("question %q: cancelled by the client", id)) }
	c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer func() {
			c.mu.Lock()
			delete(c.inflight, id)
			c.mu.Unlock()
			cancel()
			cancelAsked(nil)
			c.catchUp(id)
		}()
		if c.s.hold != nil {
			c.s.hold(ctx)
		}
		o, send := run(ctx)
		if ctx.Err() != nil && o.Type == outError {
			o, send = Out{Type: outCancelled, ID: id, Error: context.Cause(ctx).Error()}, true
		}
		// The question leaves the in-flight count before its answer is
		// queued: a client that sends its next question once it has the
		// answer must find the slot free.
		c.mu.Lock()
		delete(c.inflight, id)
		c.mu.Unlock()
		if send {
			c.reply(o)
		}
	}()
}

// cancelQuestion fires the cancel of question id.
func (c *conn) cancelQuestion(id string) {
	c.mu.Lock()
	cancel, ok := c.inflight[id]
	c.mu.Unlock()
	if !ok {
		c.reply(errorOut(id, fmt.Errorf("cancel: no question %q in flight", id)))
		return
	}
	cancel()
}
