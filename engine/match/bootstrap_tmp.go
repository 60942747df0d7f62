package match

// Temporary minimal matchers while the full package is written.

import (
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
)

func Glob(p, v string) bool {
	pi, vi, star, mark := 0, 0, -1, 0
	for vi < len(v) {
		if pi < len(p) {
			c := p[pi]
			if c == '*' {
				star, mark = pi, vi
				pi++
				continue
			}
			if c == '\\' && pi+1 < len(p) {
				if p[pi+1] == v[vi] {
					pi += 2
					vi++
					continue
				}
			} else if c == '?' || c == v[vi] {
				pi++
				vi++
				continue
			}
		}
		if star >= 0 {
			pi = star + 1
			mark++
			vi = mark
			continue
		}
		return false
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

func GlobFold(p, v string) bool { return Glob(strings.ToLower(p), strings.ToLower(v)) }

func ResourceMatch(p, v string) bool {
	if p == "*" {
		return true
	}
	pp := strings.SplitN(p, ":", 6)
	vp := strings.SplitN(v, ":", 6)
	if len(pp) != 6 || len(vp) != 6 || strings.ContainsAny(pp[2], "*?") {
		return Glob(p, v)
	}
	for i := 0; i < 5; i++ {
		if strings.HasSuffix(pp[i], "*") {
			return Glob(strings.Join(pp[i:], ":"), strings.Join(vp[i:], ":"))
		}
		if !Glob(pp[i], vp[i]) {
			return false
		}
	}
	return Glob(pp[5], vp[5])
}

func ArnLike(p, v string) bool {
	pp := strings.SplitN(p, ":", 6)
	vp := strings.SplitN(v, ":", 6)
	if len(pp) != 6 || len(vp) != 6 {
		return false
	}
	for i := range pp {
		if !Glob(pp[i], vp[i]) {
			return false
		}
	}
	return true
}

func ParseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil
}

func IPInCIDR(ip, cidr string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		b, err2 := netip.ParseAddr(cidr)
		return err2 == nil && b == a
	}
	return p.Contains(a.Unmap()) || p.Contains(a)
}

func BinaryEquals(r, p string) bool {
	a, err1 := base64.StdEncoding.DecodeString(r)
	b, err2 := base64.StdEncoding.DecodeString(p)
	return err1 == nil && err2 == nil && string(a) == string(b)
}

func BoolEquals(r string, want bool) bool {
	b, err := strconv.ParseBool(strings.ToLower(r))
	return err == nil && strings.EqualFold(r, strconv.FormatBool(b)) && b == want
}

func ServiceOf(action string) string {
	s, _, _ := strings.Cut(action, ":")
	return s
}
