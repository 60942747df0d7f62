package store

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
	memdb "github.com/hashicorp/go-memdb"
)

// Store holds a World in go-memdb: one table per entity type, and every
// policy's compiled statements indexed by (policy, service prefix). Writes
// happen in one transaction; readers work on an immutable Snapshot.
type Store struct {
	db  *memdb.MemDB
	gen atomic.Uint64 // the generation of the last committed write
}

// NewStore returns an empty store.
func NewStore() (*Store, error) {
	db, err := memdb.NewMemDB(Schema())
	if err != nil {
		return nil, fmt.Errorf("store schema: %w", err)
	}
	return &Store{db: db}, nil
}

// Load adds (or replaces) everything in w, in one transaction. References
// that do not resolve (a managed policy, group or OU that is not defined)
// are errors and nothing is written.
func (s *Store) Load(w *world.World) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	wr := &writer{txn: txn, written: map[string]*policy.Policy{}}
	if err := wr.world(w); err != nil {
		return err
	}
	gen, err := wr.bumpGeneration()
	if err != nil {
		return err
	}
	txn.Commit()
	s.gen.Store(gen)
	return nil
}

// Generation returns the generation of the last committed write, without
// opening a snapshot: readers that cache what they derive from a snapshot
// check it to know whether their cache is current.
func (s *Store) Generation() uint64 { return s.gen.Load() }

// Snapshot returns a consistent read-only view of the store.
func (s *Store) Snapshot() *Snapshot {
	return &Snapshot{txn: s.db.Txn(false)}
}

// writer performs the inserts of one write transaction.
type writer struct {
	txn *memdb.Txn
	// written holds the policies this write stored, by name: a name given
	// to two different documents in one write would silently replace the
	// first one's statements.
	written map[string]*policy.Policy
	// endpoints holds the VPC endpoint ids this write stored.
	endpoints map[string]bool
}

func (w *writer) insert(table string, row any) error {
	if err := w.txn.Insert(table, row); err != nil {
		return fmt.Errorf("store %s: %w", table, err)
	}
	return nil
}

// bumpGeneration counts the write and returns its generation.
func (w *writer) bumpGeneration() (uint64, error) {
	var gen uint64
	if raw, err := w.txn.First(tableMeta, "id", "generation"); err == nil && raw != nil {
		gen = raw.(*metaRow).Value
	}
	return gen + 1, w.insert(tableMeta, &metaRow{ID: "generation", Value: gen + 1})
}

// policy stores the statements of p, indexed for the engine.
func (w *writer) policy(p *policy.Policy) error {
	if p == nil {
		return nil
	}
	if prev, dup := w.written[p.Name]; dup && clashes(prev, p) {
		return fmt.Errorf("policy name %q is given to two different documents (a %s policy and a %s policy); every policy of a world needs its own name", p.Name, prev.Kind, p.Kind)
	}
	if w.written != nil {
		w.written[p.Name] = p
	}
	if _, err := w.txn.DeleteAll(tableStatements, "policy", p.Name); err != nil {
		return fmt.Errorf("store statements of %s: %w", p.Name, err)
	}
	for i := range p.Statements {
		st := &p.Statements[i]
		st.Policy = p.Name
		st.ResVars = hasTemplate(st.Resources)
		row := &StatementRow{
			ID:        fmt.Sprintf("%s#%d", p.Name, st.Index),
			Policy:    p.Name,
			Services:  st.Services,
			Statement: st,
		}
		if err := w.insert(tableStatements, row); err != nil {
			return err
		}
	}
	return nil
}

// clashes reports whether two policies stored under one name differ. An
// AWS managed policy may come with every account's export, in the version
// each export saw: the last one stands, as before.
func clashes(a, b *policy.Policy) bool {
	if strings.HasPrefix(b.Name, "arn:aws:iam::aws:policy/") {
		return false
	}
	return a.Kind != b.Kind || !bytes.Equal(a.Source, b.Source)
}

func hasTemplate(vals []any) bool {
	for _, v := range vals {
		if _, ok := v.(policy.Template); ok {
			return true
		}
		if _, ok := v.(*policy.Template); ok {
			return true
		}
	}
	return false
}

func (w *writer) world(wd *world.World) error {
	for _, a := range wd.Accounts {
		if err := w.account(a); err != nil {
			return within("account "+a.ID, err)
		}
	}
	for _, a := range wd.Accounts {
		if err := w.checkReferences(a); err != nil {
			return within("account "+a.ID, err)
		}
	}
	if wd.Organization != nil {
		if err := w.organization(wd.Organization, wd.Accounts); err != nil {
			return within("organization "+wd.Organization.ID, err)
		}
	}
	return nil
}

// within says which part of the world an error is in, unless the error
// already says where it is written.
func within(what string, err error) error {
	var te *tree.Error
	if errors.As(err, &te) && te.Line > 0 {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}
