package enip

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestInlining asserts that the accessors a monitor calls per message stay
// inlinable: Target and TagRequest fill the caller's result in place (a
// call returning them copies about a hundred bytes more), Decode hands the
// Error of decode on without a call of its own.
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
		"Path.Target",
		"(*CIPMessage).Target",
		"(*CIPMessage).TagRequest",
		"(*CIPMessage).Decode",
		"(*CIPMessage).Multiple",
		"(*CIPMessages).CIPMessage",
		"(*CIPMessages).Raw",
	} {
		if !got[fn] {
			t.Errorf("%s is not inlinable", fn)
		}
	}
}
