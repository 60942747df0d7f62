package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/clearance-dev/clearance/server"
)

func runServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "serve (--world FILE... | FILE...) [--addr 127.0.0.1:8080] [--token T] [--allow-origin URL]...", stdout)
	worlds := worldFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (loopback by default; port 0 picks one)")
	token := fs.String("token", "", "the token clients must give (default: $CLEARANCE_TOKEN, else a random one printed with the URL)")
	origins := fs.StringArray("allow-origin", nil, "another origin (scheme://host:port) whose pages may connect (repeatable)")
	hosts := fs.StringArray("allow-host", nil, "another Host header value to answer, e.g. a name the address is reached by (repeatable)")
	maxConns := fs.Int("max-connections", server.DefaultMaxConns, "open websocket connections at most")
	deadline := fs.Duration("deadline", server.DefaultDeadline, "time a question may take")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	inputs, _, err := oneWorld(fs, *worlds, 0)
	if err != nil {
		fs.Usage()
		return err
	}
	sc, eng, err := openInputs(context.Background(), fs, inputs)
	if err != nil {
		return err
	}
	if *token == "" {
		*token = os.Getenv("CLEARANCE_TOKEN")
	}
	if *token == "" {
		if *token, err = server.NewToken(); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usageError{fmt.Errorf("--addr: %w", err)} // a bad address, or one in use
	}
	bound := ln.Addr().String()
	srv, err := server.New(sc.World, eng, server.Config{Token: *token, AllowOrigins: *origins,
		Hosts: append(server.LoopbackHosts(bound), *hosts...), MaxConns: *maxConns, Deadline: *deadline})
	if err != nil {
		ln.Close()
		return err
	}
	fmt.Fprintf(stdout, "clearance: the what-if console is at http://%s/#token=%s\n", bound, *token)
	if host, _, _ := net.SplitHostPort(bound); !isLoopback(host) {
		fmt.Fprintf(stderr, "clearance: warning: listening on %s, beyond this machine; the token is the only guard\n", host)
	}
	return serveUntilSignal(ln, srv)
}

// serveUntilSignal serves until SIGINT or SIGTERM, then shuts down
// gracefully: no new connection, every websocket told it is going away
// and its questions cancelled, within 10 seconds.
func serveUntilSignal(ln net.Listener, srv *server.Server) error {
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	ctx, stop := serveContext()
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := errors.Join(hs.Shutdown(sctx), srv.Shutdown(sctx))
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// serveContext is done when the server should stop: on SIGINT or SIGTERM
// (a test replaces it).
var serveContext = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}
