package modbus

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHouseRules checks that the package's non-test files import only the
// standard library's non-formatting packages and internal/wire, and use no
// fmt, errors.New, binary.Read, init functions or panics.
func TestHouseRules(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"github.com/icsdissect/icsdissect/internal/wire": true}
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
			path := strings.Trim(imp.Path.Value, `"`)
			if path == "fmt" || path == "encoding/binary" || path == "errors" || (strings.Contains(path, ".") && !allowed[path]) {
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
