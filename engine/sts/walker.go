package sts

import "github.com/clearance-dev/clearance/engine"

// Walker walks STS chains and searches what they reach, deciding every
// hop with the engine it wraps.
type Walker struct {
	*engine.Engine
}

// New returns a walker over the engine.
func New(e *engine.Engine) *Walker { return &Walker{e} }
