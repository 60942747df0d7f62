package server

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// checkHost refuses a request whose Host header is not one the server
// answers (Config.Hosts): a page on a DNS-rebound name reaches the
// server's address with its own name in Host.
func (s *Server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostAllowed(r.Host) {
			http.Error(w, "unknown host", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) hostAllowed(host string) bool {
	host = strings.ToLower(host)
	name, _, err := net.SplitHostPort(host)
	if err != nil {
		name = host
	}
	for _, h := range s.cfg.Hosts {
		h = strings.ToLower(h)
		if h == host || (!strings.Contains(h, ":") && h == name) {
			return true
		}
		// An IPv6 address in Config.Hosts without brackets.
		if hn, hp, err := net.SplitHostPort(h); err == nil && net.JoinHostPort(hn, hp) == host {
			return true
		}
	}
	return false
}

// originAllowed accepts a websocket whose Origin is the server's own (the
// page it served, on the Host the request names, already checked) or one
// of Config.AllowOrigins. A client without an Origin (not a browser) is
// accepted: the token still guards it.
func (s *Server) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if slices.Contains(s.cfg.AllowOrigins, origin) {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	return strings.EqualFold(u.Host, r.Host)
}

// tokenOK compares in constant time.
func (s *Server) tokenOK(token string) bool {
	return subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.Token)) == 1
}
