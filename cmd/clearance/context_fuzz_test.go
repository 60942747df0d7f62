package main

import (
	"strings"
	"testing"
)

// FuzzParseContext: --context pairs never panic; an accepted set names
// every key given, and a key given once with a plain value keeps it.
func FuzzParseContext(f *testing.F) {
	for _, s := range []string{"aws:SecureTransport=true", "aws:TagKeys=[a, b]\naws:TagKeys=c", "k=", "=v", "a=b=c", "k=[", "k=[]", "k=v\nk=w\nk=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pairs := strings.Split(s, "\n")
		got, err := parseContext(pairs)
		if err != nil {
			return
		}
		count := map[string]int{}
		for _, p := range pairs {
			k, _, _ := strings.Cut(p, "=")
			count[k]++
		}
		for _, p := range pairs {
			k, v, _ := strings.Cut(p, "=")
			if _, ok := got[k]; !ok {
				t.Fatalf("key %q lost from %q", k, pairs)
			}
			if count[k] == 1 && !strings.HasPrefix(v, "[") && got[k] != v {
				t.Fatalf("key %q: %v, want %q", k, got[k], v)
			}
		}
	})
}
