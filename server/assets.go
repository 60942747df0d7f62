package server

import (
	"embed"
	"io/fs"
	"net/http"
)

// web holds the console's page: plain JavaScript and CSS, no build step,
// nothing fetched at run time.
//
//go:embed web
var web embed.FS

// assets serves the page with headers that keep it from being framed or
// from loading anything but its own files.
func assets() http.Handler {
	sub, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	files := http.FileServer(http.FS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		files.ServeHTTP(w, r)
	})
}
