package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A world may name only files inside its own folder (and folders the user
// allows): an absolute path, a ../ path, a device or a pipe is refused with
// the position of the path that named it, before anything is read, and
// the error never echoes the other file's contents.
func TestExportPathsConfined(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, world, want string }{
		{"/etc/passwd", "  export: {iam: [/etc/passwd]}\n", "w.yaml:2:18: $.world.export.iam[0]: export iam /etc/passwd: read IAM export: /etc/passwd: outside the folders Clearance may read"},
		{"../ out of the folder", "  export: {iam: [../../etc/passwd]}\n", "outside the folders Clearance may read"},
		{"/dev/zero", "  export: {resources: [/dev/zero]}\n", "outside the folders Clearance may read"},
		{"a named pipe", "  export: {organization: pipe.json}\n", "devices, pipes and sockets are never read"},
	} {
		t.Run(c.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := ParseScenario(filepath.Join(dir, "w.yaml"), []byte("world:\n"+c.world))
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("err = %v, want %q", err, c.want)
				}
				if strings.Contains(err.Error(), "root:") {
					t.Errorf("the error echoes /etc/passwd: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("loading hung")
			}
		})
	}
	// --allow-path widens what the world may read.
	other := t.TempDir()
	data, err := os.ReadFile("../export/testdata/export/auth-a.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "auth.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	world := []byte("world:\n  export: {iam: [" + filepath.Join(other, "auth.json") + "]}\n")
	if _, err := Parse(filepath.Join(dir, "w.yaml"), world, Options{}); err == nil {
		t.Error("a file outside the world's folder was read without --allow-path")
	}
	if _, err := Parse(filepath.Join(dir, "w.yaml"), world, Options{AllowPaths: []string{other}}); err != nil && !strings.Contains(err.Error(), "partial export") {
		t.Errorf("with --allow-path: %v", err)
	}
}
