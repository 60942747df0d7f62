package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// writeOut writes a report to path so that nothing the user gave is lost:
// the report goes to a temporary file beside path, renamed into place only
// once it is whole (a failed write leaves the old file as it was); path
// may not be one of the run's inputs (or inside an input folder); and a
// path that is a symbolic link is refused unless force, when the report
// goes to the link's target.
func writeOut(path string, inputs []string, force bool, write func(io.Writer) error) error {
	if err := checkOut(path, inputs, force); err != nil {
		return usageError{err}
	}
	if st, err := os.Lstat(path); err == nil && st.Mode()&os.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return usageError{fmt.Errorf("--out %s: the link's target: %w", path, err)}
		}
		path = target
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return usageError{fmt.Errorf("--out: %w", err)}
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	w := &errWriter{w: tmp}
	werr := write(w)
	if cerr := tmp.Close(); cerr != nil && w.err == nil {
		w.err = cerr
	}
	if w.err != nil {
		return usageError{fmt.Errorf("--out %s: %w", path, w.err)}
	}
	if werr != nil {
		return werr
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return usageError{fmt.Errorf("--out %s: %w", path, err)}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return usageError{fmt.Errorf("--out %s: %w", path, err)}
	}
	return nil
}

// checkOut refuses an output path that is an input of the run, lies in an
// input folder, is not a regular file, or (without force) is a symlink.
func checkOut(path string, inputs []string, force bool) error {
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return fmt.Errorf("--out %s: %w", path, err)
	case st.Mode()&os.ModeSymlink != 0 && !force:
		return fmt.Errorf("--out %s is a symbolic link; refusing to follow it (give --force to write to its target)", path)
	case st.Mode()&os.ModeSymlink == 0 && !st.Mode().IsRegular():
		return fmt.Errorf("--out %s is not a regular file", path)
	}
	out, err := resolved(path)
	if err != nil {
		return fmt.Errorf("--out %s: %w", path, err)
	}
	for _, in := range inputs {
		r, err := resolved(in)
		if err != nil {
			continue // an input that cannot be resolved cannot be the output
		}
		if out == r || strings.HasPrefix(out, r+string(filepath.Separator)) {
			return fmt.Errorf("--out %s would overwrite an input of this run (%s)", path, in)
		}
	}
	return nil
}

// resolved is path made absolute with every symlink of its folder
// followed (the file itself need not exist).
func resolved(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", err
	}
	base := filepath.Join(dir, filepath.Base(abs))
	if real, err := filepath.EvalSymlinks(base); err == nil {
		return real, nil
	}
	return base, nil
}
