package files

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A reader reads regular files inside its folders and nothing else: not a
// path outside (absolute, ../, or through a symbolic link), not a device
// or a named pipe (which would grow memory without end, or hang), and not
// a file over its cap. Links that stay inside are followed.
func TestConfined(t *testing.T) {
	base := t.TempDir()
	world := filepath.Join(base, "world")
	outside := filepath.Join(base, "outside")
	for _, d := range []string{world, outside, filepath.Join(world, "exports")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(world, "exports", "auth.json"), `{"UserDetailList": []}`)
	write(filepath.Join(world, "big.json"), strings.Repeat("x", 2048))
	write(filepath.Join(outside, "secret.json"), `{"secret": true}`)
	links := map[string]string{
		"in-link.json":  filepath.Join(world, "exports", "auth.json"),
		"out-link.json": filepath.Join(outside, "secret.json"),
		"region":        filepath.Join(world, "exports"),
		"loop-a":        filepath.Join(world, "loop-b"),
		"loop-b":        filepath.Join(world, "loop-a"),
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(world, name)); err != nil {
			t.Fatal(err)
		}
	}
	fifo := filepath.Join(world, "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	rd := Confined(1024, world)
	defer rd.Close()
	for _, c := range []struct {
		name, path string
		want       string // content, or the error's text
		err        error
	}{
		{"a file inside", filepath.Join(world, "exports", "auth.json"), `{"UserDetailList": []}`, nil},
		{"a link inside", filepath.Join(world, "in-link.json"), `{"UserDetailList": []}`, nil},
		{"through a linked folder", filepath.Join(world, "region", "auth.json"), `{"UserDetailList": []}`, nil},
		{"an absolute path outside", "/etc/passwd", "outside the folders", ErrOutside},
		{"../ out of the folder", filepath.Join(world, "..", "outside", "secret.json"), "outside the folders", ErrOutside},
		{"a link leading out", filepath.Join(world, "out-link.json"), "a symbolic link leads out", ErrOutside},
		{"a named pipe", fifo, "devices, pipes and sockets are never read", ErrNotRegular},
		{"a folder", filepath.Join(world, "exports"), "not a regular file", ErrNotRegular},
		{"over the cap", filepath.Join(world, "big.json"), "larger than the input size cap", ErrTooLarge},
		{"a loop of links", filepath.Join(world, "loop-a"), "loop", nil},
		{"missing", filepath.Join(world, "nope.json"), "no such file", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			done := make(chan struct{})
			var data []byte
			var err error
			go func() { data, err = rd.ReadFile(c.path); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("ReadFile hung")
			}
			if c.err == nil && !strings.Contains(c.want, "loop") && !strings.Contains(c.want, "no such") {
				if err != nil || string(data) != c.want {
					t.Fatalf("got %q, %v; want %q", data, err, c.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) || c.err != nil && !errors.Is(err, c.err) {
				t.Fatalf("err = %v; want %q (%v)", err, c.want, c.err)
			}
			if strings.Contains(err.Error(), "secret") && !strings.Contains(c.path, "secret") {
				t.Errorf("the error echoes another file: %v", err)
			}
		})
	}
	// A linked folder is listed as a folder; the link leading out is an
	// error, not a silent skip.
	entries, err := Confined(0, filepath.Join(world, "exports")).ReadDir(filepath.Join(world, "exports"))
	if err != nil || len(entries) != 1 {
		t.Fatalf("ReadDir exports: %v, %v", entries, err)
	}
	if _, err := rd.ReadDir(world); err == nil || !strings.Contains(err.Error(), "loop") && !errors.Is(err, ErrOutside) {
		t.Errorf("ReadDir of a folder holding a loop and a link out: %v", err)
	}
}

// A device is refused before it is opened: /dev/zero would never end.
func TestDevice(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero on this system")
	}
	rd := Confined(0, "/dev")
	defer rd.Close()
	if _, err := rd.ReadFile("/dev/zero"); !errors.Is(err, ErrNotRegular) {
		t.Errorf("/dev/zero: %v", err)
	}
}
