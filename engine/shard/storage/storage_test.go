package storage

import (
	"context"
	"os"
	"testing"

	"github.com/clearance-dev/clearance/engine/fault"
)

func TestDirPutGetExists(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := Open("file://" + dir + "/sub")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := st.Exists(ctx, "a.json"); ok || err != nil {
		t.Fatalf("exists before put: %v %v", ok, err)
	}
	for _, body := range []string{"one", "two"} { // a retried activity puts again
		if err := st.Put(ctx, "a.json", []byte(body)); err != nil {
			t.Fatal(err)
		}
		got, err := st.Get(ctx, "a.json")
		if err != nil || string(got) != body {
			t.Fatalf("get %q, %v; want %q", got, err, body)
		}
	}
	if ok, err := st.Exists(ctx, "a.json"); !ok || err != nil {
		t.Fatalf("exists after put: %v %v", ok, err)
	}
	entries, _ := os.ReadDir(dir + "/sub")
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	for _, bad := range []string{"", "..", "a/b", `a\b`} {
		if err := st.Put(ctx, bad, nil); err == nil {
			t.Errorf("put %q accepted", bad)
		}
	}
}

func TestOpenRefuses(t *testing.T) {
	for _, u := range []string{"s3://", "s3://b/p?colour=red", "s3://b/p?path-style=maybe", "http://x/y", "file://host/x", "file://", "::"} {
		if _, err := Open(u); !fault.IsBadInput(err) {
			t.Errorf("%s: %v, want a bad-input error", u, err)
		}
	}
}
