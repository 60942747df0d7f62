package audit

import (
	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/sts"
)

// Auditor audits a world with the engine it wraps.
type Auditor struct {
	*sts.Walker
}

// New returns an auditor over the engine.
func New(e *engine.Engine) *Auditor { return &Auditor{sts.New(e)} }
