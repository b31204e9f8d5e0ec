package grammar

import (
	"encoding/json"
	"fmt"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRuntime checks what a type checker cannot: it generates a program
// that calls every enum's String, Known and AppendText over its values, every
// Anomaly's String and AppendText, and every sentinel's Error, and runs it.
// Unknown enum values must print with their number, AppendText must equal
// String and never allocate, String must not allocate for known values,
// Anomaly's empty set prints "" and several flags are joined by "|".
func TestRuntime(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated program; skipped with -short")
	}
	r := root(t)
	var src strings.Builder
	src.WriteString("package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"strings\"\n\t\"testing\"\n")
	names := make([]string, 0, len(Protocols))
	for name := range Protocols {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&src, "\t%q\n", Module+"/"+n)
	}
	src.WriteString(")\n\nvar (\n\tfailed bool\n\tbuf = make([]byte, 0, 256)\n\tsinkS string\n)\n\n")
	src.WriteString(`func fail(format string, args ...any) { failed = true; fmt.Printf(format+"\n", args...) }

func main() {
`)
	for _, n := range names {
		p, err := Load(filepath.Join(r, n), r)
		require.NoError(t, err)
		for _, e := range EnumTypes(p, Protocols[n]) {
			if !hasMethods(p, e, "Known", "String", "AppendText") {
				continue // TestProtocolPackages reports it
			}
			size := p.Types.Scope().Lookup(e).Type().Underlying().(*types.Basic).Kind()
			limit, width := 256, 2
			switch size {
			case types.Uint16:
				limit, width = 65536, 4
			case types.Uint32, types.Uint64, types.Uint, types.Int32, types.Int64, types.Int:
				limit, width = 65536, 4
			}
			fmt.Fprintf(&src, `	for v := 0; v < %d; v++ {
		x := %s.%s(v)
		s := x.String()
		b, _ := x.AppendText(buf[:0])
		if string(b) != s {
			fail("%s.%s(%%#x): AppendText %%q, String %%q", v, b, s)
		}
		if n := testing.AllocsPerRun(1, func() { buf, _ = x.AppendText(buf[:0]) }); n != 0 {
			fail("%s.%s(%%#x).AppendText allocates", v)
		}
		if x.Known() {
			if n := testing.AllocsPerRun(1, func() { sinkS = x.String() }); n != 0 {
				fail("%s.%s(%%#x).String allocates for a known value", v)
			}
		} else if !strings.Contains(strings.ToLower(s), fmt.Sprintf("0x%%0%dx", v)) {
			fail("%s.%s(%%#x).String() = %%q: an unknown value prints with its number", v, s)
		}
	}
`, limit, n, e, n, e, n, e, n, e, width, n, e)
		}
		if hasMethods(p, "Anomaly", "String", "AppendText") {
			fmt.Fprintf(&src, `	{
		var a %[1]s.Anomaly
		if s := a.String(); s != "" {
			fail("%[1]s: empty Anomaly prints %%q, want \"\"", s)
		}
		for i := 0; i < 32; i++ {
			x := %[1]s.Anomaly(1) << i
			s := x.String()
			if s == "" || strings.Contains(s, "|") {
				fail("%[1]s: flag bit %%d prints %%q", i, s)
			}
			y := x | %[1]s.Anomaly(1)<<((i+1)%%32)
			b, _ := y.AppendText(buf[:0])
			if string(b) != y.String() || strings.Count(string(b), "|") != 1 {
				fail("%[1]s: two flags print %%q / %%q", b, y.String())
			}
			if n := testing.AllocsPerRun(1, func() { buf, _ = y.AppendText(buf[:0]) }); n != 0 {
				fail("%[1]s: Anomaly.AppendText allocates")
			}
		}
	}
`, n)
		}
		if hasMethods(p, "Conn", "Decode", "Flush", "Reset", "Stats") {
			// The zero value is ready: garbage and empty input in both
			// directions give errors or anomalies, never a panic.
			fmt.Fprintf(&src, `	{
		var c %[1]s.Conn
		for _, b := range [][]byte{nil, {0}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}} {
			c.Decode(b, true, 1)
			c.Decode(b, false, 2)
		}
		c.Flush(func(*%[1]s.Message) bool { return true })
		if st := c.Stats(); st.Pending != 0 {
			fail("%[1]s: Conn has %%d pending after Flush", st.Pending)
		}
		c.Reset()
	}
`, n)
		}
		if et, ok := p.Types.Scope().Lookup("Error").(*types.TypeName); ok {
			scope := p.Types.Scope()
			for _, cn := range scope.Names() {
				k, ok := scope.Lookup(cn).(*types.Const)
				if !ok || !k.Exported() || !types.Identical(k.Type(), et.Type()) {
					continue
				}
				fmt.Fprintf(&src, `	if n := testing.AllocsPerRun(1, func() { sinkS = %[1]s.%[2]s.Error() }); n != 0 || !strings.HasPrefix(%[1]s.%[2]s.Error(), "%[1]s: ") {
		fail("%[1]s.%[2]s.Error() = %%q allocates or lacks the package prefix", %[1]s.%[2]s.Error())
	}
`, n, cn)
			}
		}
	}
	src.WriteString("\tif failed {\n\t\tos.Exit(1)\n\t}\n}\n")

	tmp := t.TempDir()
	mainFile := filepath.Join(tmp, "main.go")
	require.NoError(t, os.WriteFile(mainFile, []byte(src.String()), 0o644))
	// The program lives, through an overlay, in a folder of this module, so
	// that it builds against the working tree without writing into it.
	virtual := filepath.Join(r, "internal", "grammar", "testdata", "runtimecheck", "main.go")
	ov, err := json.Marshal(map[string]map[string]string{"Replace": {virtual: mainFile}})
	require.NoError(t, err)
	ovFile := filepath.Join(tmp, "overlay.json")
	require.NoError(t, os.WriteFile(ovFile, ov, 0o644))
	cmd := exec.Command("go", "run", "-overlay", ovFile, "./internal/grammar/testdata/runtimecheck")
	cmd.Dir = r
	out, err := cmd.CombinedOutput()
	if err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) > 200 {
			lines = append(lines[:200], fmt.Sprintf("... and %d more", len(lines)-200))
		}
		t.Fatalf("runtime grammar check failed: %v\n%s", err, strings.Join(lines, "\n"))
	}
}

func hasMethods(p *Package, typ string, names ...string) bool {
	tn, ok := p.Types.Scope().Lookup(typ).(*types.TypeName)
	if !ok {
		return false
	}
	for _, n := range names {
		if method(tn.Type(), n) == nil {
			return false
		}
	}
	return true
}
