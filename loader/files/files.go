// Package files reads the files a world names, and only those it may: a
// Reader is confined to a set of folders (the world file's own, and any the
// user adds with --allow-path), after following symbolic links; it reads
// regular files only (never a device, pipe or socket, which could hang or
// grow without end) and none larger than its size cap. Input from a pull
// request is untrusted: a world must not be able to make Clearance read
// /etc/passwd, follow a link out of its folder, or exhaust memory.
package files

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// DefaultMaxSize is the default cap on one input file: larger than any
// account's get-account-authorization-details export seen in practice.
const DefaultMaxSize int64 = 256 << 20

// ErrOutside, ErrNotRegular and ErrTooLarge classify refusals.
var (
	ErrOutside    = errors.New("outside the folders Clearance may read")
	ErrNotRegular = errors.New("not a regular file or folder")
	ErrTooLarge   = errors.New("larger than the input size cap")
)

// Reader reads files inside its folders. It opens them on first use;
// Close releases them.
type Reader struct {
	dirs    []string
	maxSize int64
	once    sync.Once
	roots   []root
	err     error
}

type root struct {
	dirs []string // the folder as given (absolute) and with its symlinks resolved
	r    *os.Root
}

// Confined returns a reader of the files inside dirs (and their
// subfolders), none larger than maxSize bytes (0: DefaultMaxSize).
func Confined(maxSize int64, dirs ...string) *Reader {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	return &Reader{dirs: dirs, maxSize: maxSize}
}

// open opens the folders, once.
func (rd *Reader) open() error {
	rd.once.Do(func() {
		for _, d := range rd.dirs {
			abs, err := filepath.Abs(d)
			if err != nil {
				rd.err = err
				return
			}
			real, err := filepath.EvalSymlinks(abs)
			if err != nil {
				rd.err = fmt.Errorf("allowed folder %s: %w", d, err)
				return
			}
			r, err := os.OpenRoot(real)
			if err != nil {
				rd.err = fmt.Errorf("allowed folder %s: %w", d, err)
				return
			}
			rd.roots = append(rd.roots, root{dirs: []string{abs, real}, r: r})
		}
	})
	return rd.err
}

// Close releases the folders the reader opened.
func (rd *Reader) Close() error {
	for _, rt := range rd.roots {
		rt.r.Close()
	}
	rd.roots = nil
	return nil
}

// MaxSize is the reader's cap on one file.
func (rd *Reader) MaxSize() int64 { return rd.maxSize }

// locate finds the root holding path and the path's name inside it.
func (rd *Reader) locate(path string) (*os.Root, string, error) {
	if err := rd.open(); err != nil {
		return nil, "", err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, "", err
	}
	if r, _ := rd.within(abs); r == nil {
		return nil, "", fmt.Errorf("%s: %w (the world file's folder, and folders given with --allow-path)", path, ErrOutside)
	}
	// Follow every link (relative or absolute) to the real path, which
	// must still be inside; the rooted open then refuses a link swapped
	// in meanwhile.
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, "", refusal(path, err)
	}
	r, rel := rd.within(real)
	if r == nil {
		return nil, "", fmt.Errorf("%s: %w (a symbolic link leads out of it)", path, ErrOutside)
	}
	return r, rel, nil
}

// within finds the root holding an absolute path, and its name there.
func (rd *Reader) within(abs string) (*os.Root, string) {
	for _, rt := range rd.roots {
		for _, d := range rt.dirs {
			if rel, err := filepath.Rel(d, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return rt.r, rel
			}
		}
	}
	return nil, ""
}

// Stat describes path, following symbolic links that stay inside the
// reader's folders.
func (rd *Reader) Stat(path string) (fs.FileInfo, error) {
	r, name, err := rd.locate(path)
	if err != nil {
		return nil, err
	}
	st, err := r.Stat(name)
	if err != nil {
		return nil, refusal(path, err)
	}
	return st, nil
}

// ReadFile reads a regular file of at most the size cap.
func (rd *Reader) ReadFile(path string) ([]byte, error) {
	r, name, err := rd.locate(path)
	if err != nil {
		return nil, err
	}
	st, err := r.Stat(name)
	if err != nil {
		return nil, refusal(path, err)
	}
	if err := rd.check(path, st); err != nil {
		return nil, err
	}
	f, err := r.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, refusal(path, err)
	}
	defer f.Close()
	if now, err := f.Stat(); err != nil || !os.SameFile(st, now) {
		return nil, fmt.Errorf("%s: changed while it was opened", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, rd.maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > rd.maxSize {
		return nil, fmt.Errorf("%s: %w (%d bytes; --max-input-size)", path, ErrTooLarge, rd.maxSize)
	}
	return data, nil
}

func (rd *Reader) check(path string, st fs.FileInfo) error {
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: %w (its mode is %s; devices, pipes and sockets are never read)", path, ErrNotRegular, st.Mode().Type())
	}
	if st.Size() > rd.maxSize {
		return fmt.Errorf("%s: %w (%d bytes, the cap is %d; --max-input-size)", path, ErrTooLarge, st.Size(), rd.maxSize)
	}
	return nil
}

// ReadDir lists a folder. An entry that is a symbolic link to a folder
// inside the reader's folders is listed as a folder (so a collected
// export whose region folder is a link is read, not skipped); a link that
// leads outside, or nowhere, is an error.
func (rd *Reader) ReadDir(path string) ([]fs.DirEntry, error) {
	r, name, err := rd.locate(path)
	if err != nil {
		return nil, err
	}
	d, err := r.Open(name)
	if err != nil {
		return nil, refusal(path, err)
	}
	defer d.Close()
	entries, err := d.ReadDir(-1)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, e := range entries {
		if e.Type()&fs.ModeSymlink == 0 {
			continue
		}
		st, err := rd.Stat(filepath.Join(path, e.Name()))
		if err != nil {
			return nil, err
		}
		entries[i] = linkEntry{fs.FileInfoToDirEntry(st), e.Name()}
	}
	return entries, nil
}

// linkEntry is a symbolic link listed as what it leads to, under its own
// name (Stat names the target).
type linkEntry struct {
	fs.DirEntry
	name string
}

func (e linkEntry) Name() string { return e.name }

// refusal words an error of the rooted file system for a person.
func refusal(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "escapes") {
		return fmt.Errorf("%s: %w (a symbolic link leads out of it)", path, ErrOutside)
	}
	if errors.Is(err, syscall.ELOOP) || strings.Contains(err.Error(), "too many links") {
		return fmt.Errorf("%s: a loop of symbolic links", path)
	}
	return fmt.Errorf("%s: %w", path, unwrapPath(err))
}

// unwrapPath drops the rooted name os.Root puts in its errors (the caller
// names the path as the user wrote it).
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
