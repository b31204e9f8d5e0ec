// Package testkit holds the helpers that the tests of every icsdissect
// package share: hex input, checks that decoded views point inside their
// input, a runner for zero-allocation tables, the house-rules check of
// protocol packages and the check that hot functions stay inlinable. It is
// imported by tests only.
//
// Assertions use github.com/stretchr/testify (require, assert) and
// github.com/google/go-cmp directly; this package adds only what those lack.
package testkit

import (
	"encoding/hex"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// Hex decodes s, ignoring spaces, newlines, colons and a leading "0x" on
// each word, so that byte dumps can be pasted from Wireshark. It panics on
// bad input: it is for literals in tests.
func Hex(s string) []byte {
	var clean strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\n' || r == '\t' || r == ':' || r == ','
	}) {
		clean.WriteString(strings.TrimPrefix(w, "0x"))
	}
	b, err := hex.DecodeString(clean.String())
	if err != nil {
		panic("testkit.Hex: " + err.Error())
	}
	return b
}

// Inside reports whether view is empty or lies entirely within one of bufs
// (shares its memory), which is how decoded views must relate to the input
// they were decoded from.
func Inside(view []byte, bufs ...[]byte) bool {
	if len(view) == 0 {
		return true
	}
	v0 := uintptr(unsafe.Pointer(unsafe.SliceData(view)))
	v1 := v0 + uintptr(len(view))
	for _, b := range bufs {
		if len(b) == 0 {
			continue
		}
		b0 := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		if v0 >= b0 && v1 <= b0+uintptr(len(b)) {
			return true
		}
	}
	return false
}

// AllocCase is one row of a zero-allocation table: a name and a call.
type AllocCase struct {
	Name string
	Fn   func()
}

// ZeroAllocs runs every case under testing.AllocsPerRun and fails each one
// that allocates. Each case is run once first, so that lazily grown buffers
// (steady state) are not counted.
func ZeroAllocs(t *testing.T, cases []AllocCase) {
	t.Helper()
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("allocation counts are not meaningful under -cover or -race")
	}
	for _, c := range cases {
		c.Fn()
		if n := testing.AllocsPerRun(100, c.Fn); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", c.Name, n)
		}
	}
}

// ProtocolImports are the only non-standard imports a protocol package may
// have.
var ProtocolImports = []string{"github.com/icsdissect/icsdissect/internal/wire"}

// HouseRules checks the non-test Go files of dir (a protocol package) against
// the house rules of the design: imports from the standard library and allowed
// only, and no fmt, errors.New, encoding/binary, init functions or panics.
func HouseRules(t *testing.T, dir string, allowed ...string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if path == "fmt" || path == "encoding/binary" || path == "errors" || (strings.Contains(first, ".") && !ok[path]) {
				t.Errorf("%s imports %s", name, path)
			}
		}
		for _, bad := range []string{"fmt.", "errors.New", "binary.Read", "func init()", "panic("} {
			if strings.Contains(string(src), bad) {
				t.Errorf("%s uses %s", name, bad)
			}
		}
	}
}

// ReportCPU reports cpu-ns/op for the n iterations run since start, a value
// CPUTime returned before the timed loop. It reports nothing where CPU time
// is unknown.
func ReportCPU(b *testing.B, start time.Duration, n int) {
	if start == 0 || n <= 0 {
		return
	}
	b.ReportMetric(float64(CPUTime()-start)/float64(n), "cpu-ns/op")
}

// Race reports whether the race detector is on. It slows loops tenfold or
// more and allocates on its own, so long loops may run shorter under it and
// allocation counts are not asserted (ZeroAllocs skips).
const Race = raceEnabled

// ResyncLossy names the corpus captures of malformed PDUs where framing by
// a protocol's Resync (after a gap, a pickup mid-stream or a differing
// overlap) may lose a valid PDU that Split delivers: Wireshark's IEC 104
// test capture packs APDUs of lengths below 4 and ASDUs of one byte end to
// end, so that nothing after a PDU confirms it, and a Resync started
// inside one can take a neighbour's bytes for a start. No capture may
// yield a phantom PDU.
var ResyncLossy = map[string]bool{"iti-iec104-TestDissectIec104.pcap": true}

// Inlinable checks that the compiler can inline each of fns (names as
// "go build -gcflags=-m" prints them: "Parse", "(*Objects).Next") in the
// package in the current directory, the package under test: a change that
// pushes one of them over the inliner's budget costs a call on a hot path.
// It skips with -short, and when the compiler cannot be run.
func Inlinable(t *testing.T, fns ...string) {
	t.Helper()
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
	for _, fn := range fns {
		if !got[fn] {
			t.Errorf("%s is not inlinable", fn)
		}
	}
}
