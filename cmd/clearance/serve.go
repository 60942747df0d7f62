package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/clearance-dev/clearance/server"
)

func runServe(args []string, stdout, _ io.Writer) error {
	fs := newFlags("serve", "serve --world FILE [--addr 127.0.0.1:8080]", stdout)
	world := fs.String("world", "", "scenario file whose world to load")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *world == "" {
		fs.Usage()
		return usageError{fmt.Errorf("--world is required")}
	}
	_, eng, err := openWorld(context.Background(), fs, *world)
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: *addr, Handler: server.New(eng).Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "clearance: what-if queries on ws://%s/v1/why\n", *addr)
	if err := srv.ListenAndServe(); err != nil {
		return usageError{err} // --addr: a bad address, or one in use
	}
	return nil
}
