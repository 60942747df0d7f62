package storage

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/clearance-dev/clearance/engine/fault"
)

// fakeS3 answers the three requests the store makes, path-style, as the
// S3 API reference describes them: PutObject (PUT /bucket/key, 200),
// GetObject (GET, 200 with the body, or 404 with an XML error whose Code
// is NoSuchKey) and HeadObject (HEAD, 200 or a bare 404). Every request
// must be signed with Signature Version 4.
type fakeS3 struct {
	mu      sync.Mutex
	objects map[string][]byte
	paths   []string
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDTEST/") {
		http.Error(w, "unsigned", http.StatusForbidden)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.paths = append(f.paths, r.Method+" "+r.URL.Path)
	switch r.Method {
	case http.MethodPut:
		body, _ := io.ReadAll(r.Body)
		f.objects[r.URL.Path] = body
	case http.MethodGet, http.MethodHead:
		body, ok := f.objects[r.URL.Path]
		if !ok && r.Method == http.MethodHead {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		if !ok {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`)
			return
		}
		if r.Method == http.MethodGet {
			w.Write(body)
		}
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

// The bucket store puts, reads back, and tells a missing object, over
// the S3 wire protocol of an S3-compatible endpoint.
func TestBucketStore(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	fake := &fakeS3{objects: map[string][]byte{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	st, err := Open("s3://audits/run-1?region=eu-west-1&endpoint=" + srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if ok, err := st.Exists(ctx, "partial-0"); ok || err != nil {
		t.Fatalf("exists before put: %v, %v", ok, err)
	}
	if err := st.Put(ctx, "partial-0", []byte(`{"kind":"partial"}`)); err != nil {
		t.Fatal(err)
	}
	if err := st.Put(ctx, "partial-0", []byte(`{"kind":"partial"}`)); err != nil {
		t.Fatalf("a retried put: %v", err)
	}
	if ok, err := st.Exists(ctx, "partial-0"); !ok || err != nil {
		t.Fatalf("exists after put: %v, %v", ok, err)
	}
	data, err := st.Get(ctx, "partial-0")
	if err != nil || string(data) != `{"kind":"partial"}` {
		t.Fatalf("get: %q, %v", data, err)
	}
	if _, err := st.Get(ctx, "partial-9"); !fault.IsBadInput(err) {
		t.Errorf("get of a missing object: %v, want a bad-input error", err)
	}
	if _, ok := fake.objects["/audits/run-1/partial-0"]; !ok {
		t.Errorf("objects %v, want /audits/run-1/partial-0 (path-style, under the prefix)", fake.paths)
	}
	for _, bad := range []string{"", "..", "a/b"} {
		if err := st.Put(ctx, bad, nil); err == nil {
			t.Errorf("put %q accepted", bad)
		}
	}
}
