package iec104

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
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
	if testing.Short() {
		t.Skip("runs the compiler")
	}
	out, err := exec.Command("go", "build", "-gcflags=-m", ".").CombinedOutput()
	if err != nil {
		t.Skipf("go build -gcflags=-m: %v\n%s", err, out)
	}
	got := map[string]bool{}
	re := regexp.MustCompile(`can inline (\S+)`)
	for _, line := range strings.Split(string(out), "\n") {
		if m := re.FindStringSubmatch(line); m != nil {
			got[m[1]] = true
		}
	}
	for _, fn := range []string{
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
	} {
		if !got[fn] {
			t.Errorf("%s is not inlinable", fn)
		}
	}
}
