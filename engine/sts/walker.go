package sts

import "github.com/clearance-dev/clearance/engine"

// Walker walks STS chains and searches what they reach, deciding every
// hop with the engine it wraps.
type Walker struct {
	*engine.Engine
	// lean decides hops with the lean verdict (Engine.Verdict): the
	// reach search, which keeps no hop's reasons.
	lean bool
}

// New returns a walker over the engine.
func New(e *engine.Engine) *Walker { return &Walker{Engine: e} }
