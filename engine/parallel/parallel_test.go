package parallel

import (
	"github.com/clearance-dev/clearance/engine/fault"
	"strings"
	"testing"
)

// A panic in a worker is returned as an internal fault.
func TestForEachPanic(t *testing.T) {
	err := ForEach(4, func(i int) error {
		if i == 2 {
			panic("worker")
		}
		return nil
	})
	if !fault.IsInternal(err) || !strings.Contains(err.Error(), "panic: worker") {
		t.Errorf("got %v", err)
	}
}
