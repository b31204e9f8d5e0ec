package enip

import (
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// TestInlining asserts that the accessors a monitor calls per message stay
// inlinable: Target and TagRequest fill the caller's result in place (a
// call returning them copies about a hundred bytes more), Decode hands the
// Error of decode on without a call of its own.
func TestInlining(t *testing.T) {
	testkit.Inlinable(t,
		"Path.Target",
		"(*CIPMessage).Target",
		"(*CIPMessage).TagRequest",
		"(*CIPMessage).Decode",
		"(*CIPMessage).Multiple",
		"(*CIPMessages).CIPMessage",
		"(*CIPMessages).Raw",
	)
}
