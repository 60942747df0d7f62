package pattern

import (
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
)

// ServiceOf returns the service prefix of an action ("s3" for
// "s3:GetObject"), or "" when the action has no colon.
func ServiceOf(action string) string {
	s, _, ok := strings.Cut(action, ":")
	if !ok {
		return ""
	}
	return s
}

// ParseNumber parses a Numeric condition value: an integer or a decimal.
// NaN and infinities are not numbers in IAM.
func ParseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f != f || f > 1e308 || f < -1e308 {
		return 0, false
	}
	return f, true
}

// IPInCIDR reports whether the request's IP address (aws:SourceIp) lies in
// the policy's CIDR block; a policy value without a prefix length is a
// single address. IPv4 and IPv6 are both handled; an IPv4-mapped IPv6
// request address is compared as IPv4.
func IPInCIDR(ip, cidr string) bool {
	addr, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	if !strings.Contains(cidr, "/") {
		want, err := netip.ParseAddr(cidr)
		return err == nil && want.Unmap() == addr
	}
	prefix, err := netip.ParsePrefix(cidr)
	if err != nil {
		return false
	}
	return prefix.Contains(addr)
}

// BinaryEquals compares a request value with a policy value byte for byte
// after base64-decoding both (the request context carries binary keys
// base64-encoded, as policies do). Values that are not base64 match
// nothing.
func BinaryEquals(request, policy string) bool {
	a, err1 := base64.StdEncoding.DecodeString(request)
	b, err2 := base64.StdEncoding.DecodeString(policy)
	return err1 == nil && err2 == nil && string(a) == string(b)
}

// BoolEquals reports whether a request value ("true" or "false", in any
// case) equals the policy's boolean. Any other value matches neither.
func BoolEquals(request string, want bool) bool {
	switch {
	case strings.EqualFold(request, "true"):
		return want
	case strings.EqualFold(request, "false"):
		return !want
	}
	return false
}
