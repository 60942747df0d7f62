package review

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/clearance-dev/clearance/loader/tree"
)

// BaselineVersion is the version of the baseline format this build writes
// and the only one it reads.
const BaselineVersion = 1

// maxBaselineBytes bounds a baseline file (a million findings fit).
const maxBaselineBytes = 64 << 20

// Baseline is a set of accepted findings, by fingerprint: --write-baseline
// records a review's findings, --baseline marks them accepted in a later
// review. The rule, principal, action and resource are kept for the people
// who read the file; only the fingerprint is matched.
type Baseline struct {
	Version      int             `json:"version"`
	Fingerprints []BaselineEntry `json:"fingerprints"`
	set          map[string]bool
}

// BaselineEntry is one accepted finding.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	Principal   string `json:"principal"`
	Action      string `json:"action"`
	Resource    string `json:"resource"`
}

// NewBaseline records the findings of a report (all of them, accepted or
// not: a rewritten baseline keeps what the old one accepted), one entry
// per fingerprint, sorted.
func NewBaseline(rep *Report) *Baseline {
	b := &Baseline{Version: BaselineVersion, Fingerprints: []BaselineEntry{}}
	for i := range rep.Findings {
		f := &rep.Findings[i]
		fp := f.Fingerprint
		if fp == "" {
			fp = Fingerprint(f)
		}
		b.Fingerprints = append(b.Fingerprints, BaselineEntry{fp, f.Rule, f.Principal, f.Action, f.Resource})
	}
	b.normalize()
	return b
}

// normalize sorts the entries, drops repeated fingerprints and indexes them.
func (b *Baseline) normalize() {
	slices.SortStableFunc(b.Fingerprints, func(x, y BaselineEntry) int {
		switch {
		case x.Fingerprint < y.Fingerprint:
			return -1
		case x.Fingerprint > y.Fingerprint:
			return 1
		}
		return 0
	})
	b.Fingerprints = slices.CompactFunc(b.Fingerprints, func(x, y BaselineEntry) bool {
		return x.Fingerprint == y.Fingerprint
	})
	b.set = make(map[string]bool, len(b.Fingerprints))
	for _, e := range b.Fingerprints {
		b.set[e.Fingerprint] = true
	}
}

// WriteBaseline writes the baseline of a report as JSON.
func WriteBaseline(w io.Writer, rep *Report) error {
	return NewBaseline(rep).Write(w)
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
func (b *Baseline) Has(fingerprint string) bool { return b.set[fingerprint] }

// Apply marks accepted ("baseline") the findings of the report whose
// fingerprint the baseline holds, unless an acceptance of the assertion
// file already covers them, and recomputes the summary (Summarize).
func (b *Baseline) Apply(rep *Report) {
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Fingerprint == "" {
			f.Fingerprint = Fingerprint(f)
		}
		if f.Accepted == "" && b.Has(f.Fingerprint) {
			f.Accepted = "baseline"
		}
	}
	Summarize(rep)
}

// ReadBaseline reads a baseline file written by WriteBaseline. Errors are
// *tree.Error, positioned at the offending value: a file that is not JSON,
// an unknown key, a missing fingerprint, or a version other than 1.
func ReadBaseline(file string, data []byte) (*Baseline, error) {
	if len(data) > maxBaselineBytes {
		return nil, &tree.Error{File: file, Path: "$", Line: 1, Col: 1, Code: tree.CodeLimitExceeded,
			Msg: fmt.Sprintf("baseline is %d bytes, more than the %d this reader takes", len(data), maxBaselineBytes)}
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
		return nil, tree.ErrAt(root, file, tree.CodeMissingElement, "missing \"version\" (this Clearance writes version %d)", BaselineVersion)
	}
	if v.Kind != tree.Number || v.Str != "1" {
		return nil, tree.ErrAt(v, file, tree.CodeInvalidVersion, "baseline version %s: this Clearance reads version %d only", v.JSON(), BaselineVersion)
	}
	list := obj.Get("fingerprints")
	if list == nil {
		return nil, tree.ErrAt(root, file, tree.CodeMissingElement, "missing \"fingerprints\" (a list, possibly empty)")
	}
	if list.Kind != tree.Array {
		return nil, tree.ErrAt(list, file, tree.CodeWrongType, "fingerprints: expected a list, got %s", list.Kind)
	}
	b := &Baseline{Version: BaselineVersion, Fingerprints: make([]BaselineEntry, 0, len(list.Items))}
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

func readEntry(n *tree.Node, file string) (BaselineEntry, error) {
	var e BaselineEntry
	obj, err := tree.OpenObject(n, "fingerprint", "rule", "principal", "action", "resource")
	if err != nil {
		return e, positioned(n, file, err)
	}
	for _, m := range []struct {
		key string
		dst *string
	}{{"fingerprint", &e.Fingerprint}, {"rule", &e.Rule}, {"principal", &e.Principal}, {"action", &e.Action}, {"resource", &e.Resource}} {
		if *m.dst, err = obj.Str(m.key, m.key == "fingerprint"); err != nil {
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
