package query

import (
	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/sts"
)

// Querier answers the bulk questions (who can, what can, lint) with the
// engine it wraps, following STS chains through its walker.
type Querier struct {
	*sts.Walker
}

// New returns a querier over the engine.
func New(e *engine.Engine) *Querier { return &Querier{sts.New(e)} }
