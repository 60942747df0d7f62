package tree

import "fmt"

// Loc is where a value was written: its file, line, column and JSON path.
// It outlives the tree (it holds the path's steps, not the nodes), so the
// model can keep where each entity and reference came from and an error
// found later, when the world is stored, can still point at it. The zero
// Loc is "unknown" (a world built in code).
type Loc struct {
	File      string
	Line, Col int
	at        *step
}

// Loc returns where n sits; nil gives the zero Loc.
func (n *Node) Loc() Loc {
	if n == nil {
		return Loc{}
	}
	return Loc{File: n.File, Line: n.Line, Col: n.Col, at: n.at}
}

// Known reports whether the Loc says where.
func (l Loc) Known() bool { return l.File != "" || l.Line > 0 }

// Path returns the JSON path, e.g. $.world.accounts[0].users[1].groups[0].
func (l Loc) Path() string { return l.at.String() }

// LocError builds a coded *Error at l; with an unknown l it carries the
// message alone.
func LocError(l Loc, code, format string, args ...any) *Error {
	e := &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
	if l.Known() {
		e.File, e.Line, e.Col, e.Path = l.File, l.Line, l.Col, l.Path()
	}
	return e
}

// String writes "file:line:col path" for messages that cite a second
// place.
func (l Loc) String() string {
	return fmt.Sprintf("%s:%d:%d %s", l.File, l.Line, l.Col, l.Path())
}
