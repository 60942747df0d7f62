// Package storage keeps the files of a sharded audit (trusts, partials,
// the report) where every worker can read them, out of the workflow's
// history: a folder (file://) for one machine or a shared file system,
// or an S3 or S3-compatible bucket (s3://) for workers on many machines.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/clearance-dev/clearance/engine/fault"
)

// Store holds named blobs. Put is atomic (a reader sees the whole blob or
// none) and idempotent (putting a name again replaces it with the same
// content, as activities that are retried do).
type Store interface {
	Put(ctx context.Context, name string, data []byte) error
	Get(ctx context.Context, name string) ([]byte, error)
	// Exists reports whether the name is there (an activity retried after
	// its write need not run again).
	Exists(ctx context.Context, name string) (bool, error)
}

// Open returns the store a URL names: file:///path (a folder) or
// s3://bucket/prefix?region=R&endpoint=URL (a bucket; see openS3).
func Open(raw string) (Store, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fault.Wrap(fault.CodeBadRequest, err, "store %q", raw)
	}
	switch u.Scheme {
	case "file":
		if u.Path == "" || (u.Host != "" && u.Host != "localhost") {
			return nil, fault.Errorf(fault.CodeBadRequest, "store %q: expected file:///absolute/folder", raw)
		}
		return newDir(u.Path)
	case "s3":
		b, err := openS3(context.Background(), u)
		if err != nil {
			return nil, fault.Wrap(fault.CodeBadRequest, err, "store %q", raw)
		}
		return b, nil
	}
	return nil, fault.Errorf(fault.CodeBadRequest, "store %q: expected a file:// or s3:// URL", raw)
}

// Dir is a folder store.
type Dir string

// newDir makes the folder if needed.
func newDir(path string) (Dir, error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return "", fault.Wrap(fault.CodeBadRequest, err, "store folder")
	}
	return Dir(path), nil
}

func (d Dir) path(name string) (string, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return "", fmt.Errorf("store: bad name %q", name)
	}
	return filepath.Join(string(d), name), nil
}

// Put writes the blob to a temporary file and renames it into place.
func (d Dir) Put(_ context.Context, name string, data []byte) error {
	p, err := d.path(name)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(string(d), "."+name+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename: nothing
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

func (d Dir) Get(_ context.Context, name string) ([]byte, error) {
	p, err := d.path(name)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(p)
}

func (d Dir) Exists(_ context.Context, name string) (bool, error) {
	p, err := d.path(name)
	if err != nil {
		return false, err
	}
	_, err = os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}
