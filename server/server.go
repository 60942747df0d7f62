// Package server is Clearance's what-if console: a web page (embedded,
// served at /) and the websocket protocol it speaks (/v1/ws, documented in
// docs/protocol.md). A client authenticates with a hello carrying the
// server's token, then asks questions (ask, who_can, can, reach, audit),
// each with an id every answer carries; it may open an overlay, a private
// copy-on-write copy of the loaded world, and edit its policies to see
// which answers change.
//
// The server is meant to be safe to expose to a browser: it checks the
// Host header (DNS rebinding) and the Origin (same origin, or those
// allowed), requires the token, and bounds everything a client can make it
// hold: message size, questions in flight, connections, a deadline per
// question (cancelled when the client leaves), and the send queue (a slow
// reader is cut off). Each connection has one reader and one writer
// goroutine, as gorilla/websocket requires.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/loader/world"
)

// Config is how a server guards itself. Zero limits take the defaults.
type Config struct {
	// Token must be given in the client's hello (required: New refuses an
	// empty one; NewToken makes one).
	Token string
	// Hosts are the Host header values accepted (host:port, or a host
	// alone for any port): the bound address and its names. A request
	// for another host is refused, so a DNS-rebound name cannot reach the
	// server from a browser.
	Hosts []string
	// AllowOrigins are the origins (scheme://host:port) besides the
	// server's own from which a page may open the websocket.
	AllowOrigins []string
	// MaxMessage bounds a client message (bytes); MaxInFlight the
	// questions of one connection being answered at once; MaxConns the
	// open connections; SendQueue the messages waiting for a slow reader.
	MaxMessage  int64
	MaxInFlight int
	MaxConns    int
	SendQueue   int
	// Deadline bounds each question; HelloWait the time to authenticate.
	Deadline  time.Duration
	HelloWait time.Duration
}

// The default limits.
const (
	DefaultMaxMessage  = 64 << 10
	DefaultMaxInFlight = 8
	DefaultMaxConns    = 64
	DefaultSendQueue   = 256
	DefaultDeadline    = 60 * time.Second
	DefaultHelloWait   = 10 * time.Second
)

func (c *Config) defaults() {
	set := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	set(&c.MaxInFlight, DefaultMaxInFlight)
	set(&c.MaxConns, DefaultMaxConns)
	set(&c.SendQueue, DefaultSendQueue)
	if c.MaxMessage <= 0 {
		c.MaxMessage = DefaultMaxMessage
	}
	if c.Deadline <= 0 {
		c.Deadline = DefaultDeadline
	}
	if c.HelloWait <= 0 {
		c.HelloWait = DefaultHelloWait
	}
}

// NewToken returns 32 random bytes from crypto/rand, hex-encoded.
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// LoopbackHosts are the Host values a server bound to addr answers: addr
// itself, and for a loopback address its other loopback names on the same
// port.
func LoopbackHosts(addr string) []string {
	hosts := []string{addr}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return hosts
	}
	if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
		for _, h := range []string{"localhost", "127.0.0.1", "::1"} {
			hosts = append(hosts, net.JoinHostPort(h, port))
		}
	}
	return hosts
}

// Server answers questions about one loaded world.
type Server struct {
	cfg      Config
	base     *view
	upgrader websocket.Upgrader
	conns    atomic.Int64
	// ctx ends at Shutdown: every connection's and question's context
	// derives from it.
	ctx    context.Context
	stop   context.CancelFunc
	wg     sync.WaitGroup
	closed atomic.Bool
	// hold, in tests, runs at the start of every question with its
	// context (to hold a question in flight); nil otherwise.
	hold func(ctx context.Context)
}

// New returns a server over the loaded world w and its engine eng.
func New(w *world.World, eng *engine.Engine, cfg Config) (*Server, error) {
	if cfg.Token == "" {
		return nil, errors.New("server: a token is required")
	}
	if len(cfg.Hosts) == 0 {
		return nil, errors.New("server: the Host values to accept are required")
	}
	cfg.defaults()
	s := &Server{cfg: cfg, base: newView(eng, w, 0)}
	s.ctx, s.stop = context.WithCancel(context.Background())
	s.upgrader = websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096, CheckOrigin: s.originAllowed}
	return s, nil
}

// Handler routes / (the console's page and its assets), /v1/ws (the
// protocol) and /healthz; every route checks the Host header first.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/ws", s.serveWS)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	mux.Handle("/", assets())
	return s.checkHost(mux)
}

// Shutdown closes every connection (each gets a going-away close and its
// questions are cancelled) and waits for them until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closed.Store(true)
	s.stop()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Conns is the number of open websocket connections.
func (s *Server) Conns() int { return int(s.conns.Load()) }

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	if s.closed.Load() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	if n := s.conns.Add(1); n > int64(s.cfg.MaxConns) {
		s.conns.Add(-1)
		http.Error(w, "too many connections", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	defer func() {
		s.conns.Add(-1)
		s.wg.Done()
	}()
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has replied with the HTTP error (a refused Origin: 403)
	}
	newConn(s, ws).run()
}
