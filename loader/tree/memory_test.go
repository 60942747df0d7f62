package tree

import (
	"runtime"
	"strings"
	"testing"
)

// allocated returns the bytes f allocates (an upper bound of its peak).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// deepKeys is a document of 480 nested objects with long keys and many
// values at the bottom (with 8 KB keys and 5,000 values, about 4 MB): with
// every node holding its full JSON path it took ~2 GB; a node now links to
// its parent and the path is written only for an error.
func deepKeys(keyLen, values int) string {
	key := strings.Repeat("k", keyLen)
	var b strings.Builder
	for i := 0; i < 480; i++ {
		b.WriteString(`{"` + key + `":`)
	}
	b.WriteString("[" + strings.TrimSuffix(strings.Repeat("1,", values), ",") + "]")
	b.WriteString(strings.Repeat("}", 480))
	return b.String()
}

// Decoding stays within 100 MB on adversarial documents (issue: bounded
// memory): long nested keys in JSON and in YAML, and an alias bomb, which
// is refused.
func TestDecodeBoundedMemory(t *testing.T) {
	doc := deepKeys(8000, 5000)
	if len(doc) < 3<<20 {
		t.Fatalf("document of %d bytes, want about 4 MB", len(doc))
	}
	// YAML's simple keys are at most 1,024 characters (YAML 1.2, 7.4.2):
	// shorter keys and more values give the same growth (each of the
	// 50,000 values held a 480 KB path: 24 GB).
	yamlDoc := deepKeys(1000, 50000)
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		bomb += name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = name
	}
	for _, c := range []struct {
		name   string
		decode func() error
	}{
		{"JSON, long nested keys", func() error { _, err := DecodeJSON("deep.json", []byte(doc)); return err }},
		{"YAML, long nested keys", func() error { _, err := DecodeYAML("deep.yaml", []byte(yamlDoc)); return err }},
		{"YAML alias bomb (refused)", func() error {
			if _, err := DecodeYAML("bomb.yaml", []byte(bomb)); err == nil {
				t.Error("the alias bomb was decoded")
			}
			return nil
		}},
	} {
		var err error
		n := allocated(func() { err = c.decode() })
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if n > 100<<20 {
			t.Errorf("%s: %d MB allocated, want under 100 MB", c.name, n>>20)
		}
		t.Logf("%s: %.1f MB allocated", c.name, float64(n)/(1<<20))
	}
}
