// Package baseline is the fingerprint baseline file that `clearance
// review` and `clearance audit` share: --write-baseline records a run's
// findings by fingerprint, --baseline marks them accepted in a later run.
//
//	{
//	  "version": 1,
//	  "fingerprints": [
//	    {"fingerprint": "3f2a...", "rule": "administrator", "principal": "arn:aws:iam::111122223333:role/ops",
//	     "action": "", "resource": "", "subject": "...", "policy": "..."}
//	  ]
//	}
//
// Only the fingerprint is matched; the other fields are for the people who
// read the file. A review writes action and resource; an audit writes
// subject and policy (omitted when empty).
package baseline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/clearance-dev/clearance/loader/tree"
)

// Version is the version of the format this build writes and the only one
// it reads.
const Version = 1

// MaxBytes bounds a baseline file (a million findings fit).
const MaxBytes = 64 << 20

// Baseline is a set of accepted findings, by fingerprint.
type Baseline struct {
	Version      int     `json:"version"`
	Fingerprints []Entry `json:"fingerprints"`
	set          map[string]bool
}

// Entry is one accepted finding.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	Principal   string `json:"principal"`
	Action      string `json:"action"`
	Resource    string `json:"resource"`
	Subject     string `json:"subject,omitempty"`
	Policy      string `json:"policy,omitempty"`
}

// New makes a baseline of the entries: one per fingerprint, sorted.
func New(entries []Entry) *Baseline {
	b := &Baseline{Version: Version, Fingerprints: append([]Entry{}, entries...)}
	b.normalize()
	return b
}

// normalize sorts the entries, drops repeated fingerprints and indexes them.
func (b *Baseline) normalize() {
	slices.SortStableFunc(b.Fingerprints, func(x, y Entry) int {
		switch {
		case x.Fingerprint < y.Fingerprint:
			return -1
		case x.Fingerprint > y.Fingerprint:
			return 1
		}
		return 0
	})
	b.Fingerprints = slices.CompactFunc(b.Fingerprints, func(x, y Entry) bool {
		return x.Fingerprint == y.Fingerprint
	})
	b.set = make(map[string]bool, len(b.Fingerprints))
	for _, e := range b.Fingerprints {
		b.set[e.Fingerprint] = true
	}
}

// Write writes the baseline as indented JSON.
func (b *Baseline) Write(w io.Writer) error {
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	if _, err := w.Write(append(out, '\n')); err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	return nil
}

// Has reports whether the baseline holds the fingerprint.
func (b *Baseline) Has(fingerprint string) bool { return b != nil && b.set[fingerprint] }

// Read reads a baseline file written by Write. Errors are *tree.Error,
// positioned at the offending value: a file that is not JSON, an unknown
// key, a missing fingerprint, or a version other than 1.
func Read(file string, data []byte) (*Baseline, error) {
	if len(data) > MaxBytes {
		return nil, &tree.Error{File: file, Path: "$", Line: 1, Col: 1, Code: tree.CodeLimitExceeded,
			Msg: fmt.Sprintf("baseline is %d bytes, more than the %d this reader takes", len(data), MaxBytes)}
	}
	root, err := tree.DecodeJSON(file, data)
	if err != nil {
		return nil, err // a *tree.Error naming the file, line and column
	}
	obj, err := tree.OpenObject(root, "version", "fingerprints")
	if err != nil {
		return nil, positioned(root, file, err)
	}
	v := obj.Get("version")
	if v == nil {
		return nil, tree.ErrAt(root, file, tree.CodeMissingElement, "missing \"version\" (this Clearance writes version %d)", Version)
	}
	if v.Kind != tree.Number || v.Str != "1" {
		return nil, tree.ErrAt(v, file, tree.CodeInvalidVersion, "baseline version %s: this Clearance reads version %d only", v.JSON(), Version)
	}
	list := obj.Get("fingerprints")
	if list == nil {
		return nil, tree.ErrAt(root, file, tree.CodeMissingElement, "missing \"fingerprints\" (a list, possibly empty)")
	}
	if list.Kind != tree.Array {
		return nil, tree.ErrAt(list, file, tree.CodeWrongType, "fingerprints: expected a list, got %s", list.Kind)
	}
	b := &Baseline{Version: Version, Fingerprints: make([]Entry, 0, len(list.Items))}
	for _, it := range list.Items {
		e, err := readEntry(it, file)
		if err != nil {
			return nil, err
		}
		b.Fingerprints = append(b.Fingerprints, e)
	}
	b.normalize()
	return b, nil
}

func readEntry(n *tree.Node, file string) (Entry, error) {
	var e Entry
	keys := []string{"fingerprint", "rule", "principal", "action", "resource", "subject", "policy"}
	obj, err := tree.OpenObject(n, keys...)
	if err != nil {
		return e, positioned(n, file, err)
	}
	dst := []*string{&e.Fingerprint, &e.Rule, &e.Principal, &e.Action, &e.Resource, &e.Subject, &e.Policy}
	for i, key := range keys {
		if *dst[i], err = obj.Str(key, key == "fingerprint"); err != nil {
			return e, positioned(n, file, err)
		}
	}
	if e.Fingerprint == "" {
		return e, tree.ErrAt(obj.Get("fingerprint"), file, tree.CodeMissingElement, "fingerprint: empty")
	}
	return e, nil
}

// positioned makes sure an error of the tree readers carries a position:
// the few that do not (a nil node) are placed at n.
func positioned(n *tree.Node, file string, err error) error {
	var te *tree.Error
	if errors.As(err, &te) {
		if te.File == "" {
			te.File = file
		}
		return te
	}
	return tree.ErrAt(n, file, tree.CodeWrongType, "%v", err)
}
