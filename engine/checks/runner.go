package checks

import (
	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/sts"
)

// Runner runs scenario checks with the engine it wraps.
type Runner struct {
	*sts.Walker
}

// New returns a runner over the engine.
func New(e *engine.Engine) *Runner { return &Runner{sts.New(e)} }
