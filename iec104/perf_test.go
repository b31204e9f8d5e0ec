package iec104

import (
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// TestKnownCauses checks the bit mask behind Cause.Known against the
// cause names.
func TestKnownCauses(t *testing.T) {
	for c := range 256 {
		want := c < len(causeNames) && causeNames[c] != ""
		if got := Cause(c).Known(); got != want {
			t.Errorf("Cause(%d).Known() = %v, want %v", c, got, want)
		}
	}
}

// TestInlining asserts that the functions of the decode-every-element hot
// path stay inlinable, as net/netip does: a change that pushes one over the
// inliner's budget costs a call per object.
func TestInlining(t *testing.T) {
	testkit.Inlinable(t,
		"Parse",
		"(*Objects).Next",
		"(*Objects).Object",
		"(*ASDU).All",
		"(*ASDU).Len",
		"(*ASDU).Body",
		"TypeID.layout",
		"Cause.Known",
		"Object.Float",
		"Object.QDS",
		"Object.SIQ",
		"Object.DIQ",
		"Object.Scaled",
		"Object.Normalized",
	)
}
