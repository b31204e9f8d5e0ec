// Package grammar checks that a protocol package follows the grammar every
// icsdissect protocol package shares (doc/grammar.md): the same names,
// method sets and signatures for errors, anomalies, enums, parsing,
// repeats, cursors and the per-connection Conn.
//
// It type-checks a package from source (the standard library from export
// data, packages of this module from their source) and reports each rule a
// declaration breaks. Its test runs it over the five protocol packages and
// over a deliberately broken copy, so that drift fails CI.
package grammar

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Module is the import path of this module.
const Module = "github.com/icsdissect/icsdissect"

// Violation is one broken rule.
type Violation struct {
	Pkg  string // package name
	Pos  string // file:line of the declaration, or "" for a missing one
	Rule string // short name of the rule
	Msg  string
}

func (v Violation) String() string {
	if v.Pos != "" {
		return fmt.Sprintf("%s: %s: [%s] %s", v.Pkg, v.Pos, v.Rule, v.Msg)
	}
	return fmt.Sprintf("%s: [%s] %s", v.Pkg, v.Rule, v.Msg)
}

// Options adjusts the rules for one package. Every exception must be
// explained in the package's doc.
type Options struct {
	// ParseParams are the parameter types Parse, Frame.Decode and Explain
	// take after b ("Direction" for modbus).
	ParseParams []string
	// NotEnums lists named integer types with constants that are not enums
	// (bit masks, sizes), with the reason.
	NotEnums map[string]string
	// NoConn explains why a package has no Conn (none do today).
	NoConn string
}

// Package is a type-checked package ready to be checked.
type Package struct {
	Name  string
	Dir   string
	Fset  *token.FileSet
	Files []*ast.File // non-test files
	Types *types.Package
	Info  *types.Info
}

// Load type-checks the non-test Go files of dir. root is the module's root
// directory, used to find the module's own packages that dir imports.
func Load(dir, root string) (*Package, error) {
	fset := token.NewFileSet()
	imp := &srcImporter{fset: fset, root: root, std: importer.ForCompiler(fset, "gc", nil), done: map[string]*types.Package{}}
	files, err := parseDir(fset, dir)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("grammar: no Go files in %s", dir)
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Defs:  map[*ast.Ident]types.Object{},
		Uses:  map[*ast.Ident]types.Object{},
	}
	conf := types.Config{Importer: imp}
	tp, err := conf.Check(files[0].Name.Name, fset, files, info)
	if err != nil {
		return nil, fmt.Errorf("grammar: type-checking %s: %w", dir, err)
	}
	return &Package{Name: tp.Name(), Dir: dir, Fset: fset, Files: files, Types: tp, Info: info}, nil
}

func parseDir(fset *token.FileSet, dir string) ([]*ast.File, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		if !buildOK(f) {
			continue
		}
		files = append(files, f)
	}
	return files, nil
}

// buildOK skips files constrained to other systems (a simple reading of
// //go:build lines: files that name only non-linux targets are skipped).
func buildOK(f *ast.File) bool {
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if !strings.HasPrefix(c.Text, "//go:build ") {
				continue
			}
			expr := strings.TrimPrefix(c.Text, "//go:build ")
			for _, other := range []string{"windows", "darwin", "freebsd", "openbsd", "netbsd", "plan9", "js", "wasip1"} {
				if strings.TrimSpace(expr) == other {
					return false
				}
			}
			if strings.HasPrefix(strings.TrimSpace(expr), "ignore") {
				return false
			}
		}
	}
	return true
}

// srcImporter imports the module's packages from source and everything else
// from the compiler's export data.
type srcImporter struct {
	fset *token.FileSet
	root string
	std  types.Importer
	done map[string]*types.Package
}

func (s *srcImporter) Import(path string) (*types.Package, error) {
	if p, ok := s.done[path]; ok {
		return p, nil
	}
	if !strings.HasPrefix(path, Module+"/") {
		return s.std.Import(path)
	}
	dir := filepath.Join(s.root, filepath.FromSlash(strings.TrimPrefix(path, Module+"/")))
	files, err := parseDir(s.fset, dir)
	if err != nil {
		return nil, err
	}
	conf := types.Config{Importer: s}
	p, err := conf.Check(path, s.fset, files, nil)
	if err != nil {
		return nil, err
	}
	s.done[path] = p
	return p, nil
}

// checker collects violations for one package.
type checker struct {
	p   *Package
	opt Options
	out []Violation
}

func (c *checker) add(obj types.Object, rule, format string, args ...any) {
	pos := ""
	if obj != nil && obj.Pos().IsValid() {
		pp := c.p.Fset.Position(obj.Pos())
		pos = fmt.Sprintf("%s:%d", filepath.Base(pp.Filename), pp.Line)
	}
	c.out = append(c.out, Violation{Pkg: c.p.Name, Pos: pos, Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

// Check reports every grammar rule p breaks.
func Check(p *Package, opt Options) []Violation {
	c := &checker{p: p, opt: opt}
	c.constants()
	c.errors()
	c.anomalies()
	c.enums()
	c.parse()
	c.repeats()
	c.cursors()
	c.conn()
	c.names()
	c.produced()
	sort.SliceStable(c.out, func(i, j int) bool { return c.out[i].Rule < c.out[j].Rule })
	return c.out
}

func (c *checker) lookup(name string) types.Object {
	return c.p.Types.Scope().Lookup(name)
}

func (c *checker) namedType(name string) *types.Named {
	obj, ok := c.lookup(name).(*types.TypeName)
	if !ok {
		return nil
	}
	n, _ := obj.Type().(*types.Named)
	return n
}

// method returns the method name of T or *T, or nil.
func method(t types.Type, name string) *types.Func {
	ms := types.NewMethodSet(types.NewPointer(t))
	sel := ms.Lookup(nil, name)
	if sel == nil {
		return nil
	}
	f, _ := sel.Obj().(*types.Func)
	return f
}

// sigString is f's signature without parameter names, with this package's
// types unqualified: "([]byte, bool) (int, error)".
func sigString(f *types.Func, pkg *types.Package) string {
	sig := f.Type().(*types.Signature)
	qual := types.RelativeTo(pkg)
	list := func(t *types.Tuple, variadic bool) string {
		var parts []string
		for i := 0; i < t.Len(); i++ {
			ts := types.TypeString(t.At(i).Type(), qual)
			if variadic && i == t.Len()-1 {
				ts = "..." + strings.TrimPrefix(ts, "[]")
			}
			parts = append(parts, ts)
		}
		return strings.Join(parts, ", ")
	}
	s := "(" + list(sig.Params(), sig.Variadic()) + ")"
	switch r := sig.Results(); r.Len() {
	case 0:
	case 1:
		s += " " + list(r, false)
	default:
		s += " (" + list(r, false) + ")"
	}
	return s
}

// wantMethod checks that T (or *T) has method name with the signature want,
// written without parameter names: "([]byte) (int, error)".
func (c *checker) wantMethod(t *types.Named, name, want, rule string) bool {
	m := method(t, name)
	if m == nil {
		c.add(t.Obj(), rule, "%s has no method %s%s", t.Obj().Name(), name, want)
		return false
	}
	if got := sigString(m, c.p.Types); got != want {
		c.add(m, rule, "%s.%s has signature %s, want %s", t.Obj().Name(), name, got, want)
		return false
	}
	return true
}

func (c *checker) constants() {
	for _, name := range []string{"Port", "MaxSkip"} {
		obj, ok := c.lookup(name).(*types.Const)
		if !ok {
			c.add(nil, "constants", "no constant %s", name)
			continue
		}
		if b, ok := obj.Type().(*types.Basic); !ok || b.Info()&types.IsInteger == 0 {
			c.add(obj, "constants", "%s is %s, want an integer constant", name, obj.Type())
		}
	}
}

func (c *checker) errors() {
	t := c.namedType("Error")
	if t == nil {
		c.add(nil, "errors", "no type Error")
		return
	}
	if b, ok := t.Underlying().(*types.Basic); !ok || b.Kind() != types.Uint8 {
		c.add(t.Obj(), "errors", "Error is %s, want uint8", t.Underlying())
	}
	c.wantMethod(t, "Error", "() string", "errors")
	if obj, ok := c.lookup("ErrTruncated").(*types.Const); !ok || !types.Identical(obj.Type(), t) {
		c.add(nil, "errors", "no constant ErrTruncated of type Error")
	}
	// Every constant of type Error is named ErrX.
	c.eachConst(t, func(k *types.Const) {
		if !strings.HasPrefix(k.Name(), "Err") {
			c.add(k, "errors", "constant %s of type Error is not named ErrX", k.Name())
		}
	})
	// The rich error.
	fe := c.namedType("FieldError")
	if fe == nil {
		c.add(nil, "errors", "no type FieldError")
	} else {
		st, ok := fe.Underlying().(*types.Struct)
		if !ok {
			c.add(fe.Obj(), "errors", "FieldError is not a struct")
		} else {
			want := map[string]string{"Err": "Error", "Field": "string", "Offset": "int"}
			for i := 0; i < st.NumFields(); i++ {
				f := st.Field(i)
				if w, ok := want[f.Name()]; ok {
					if got := types.TypeString(f.Type(), types.RelativeTo(c.p.Types)); got != w {
						c.add(f, "errors", "FieldError.%s is %s, want %s", f.Name(), got, w)
					}
					delete(want, f.Name())
				}
			}
			for n, w := range want {
				c.add(fe.Obj(), "errors", "FieldError has no field %s %s", n, w)
			}
		}
		ptr := types.NewPointer(fe)
		for _, m := range []struct{ name, sig string }{{"Error", "() string"}, {"Unwrap", "() error"}} {
			sel := types.NewMethodSet(ptr).Lookup(nil, m.name)
			if sel == nil {
				c.add(fe.Obj(), "errors", "*FieldError has no method %s%s", m.name, m.sig)
			}
		}
	}
	c.wantFunc("Explain", "([]byte"+c.extraParams()+") error", "errors")
}

func (c *checker) extraParams() string {
	var s string
	for _, p := range c.opt.ParseParams {
		s += ", " + p
	}
	return s
}

func (c *checker) wantFunc(name, want, rule string) {
	f, ok := c.lookup(name).(*types.Func)
	if !ok {
		c.add(nil, rule, "no function %s%s", name, want)
		return
	}
	if got := sigString(f, c.p.Types); got != want {
		c.add(f, rule, "%s has signature %s, want %s", name, got, want)
	}
}

// eachConst calls fn for every exported package-level constant of type t.
func (c *checker) eachConst(t types.Type, fn func(*types.Const)) {
	scope := c.p.Types.Scope()
	for _, n := range scope.Names() {
		k, ok := scope.Lookup(n).(*types.Const)
		if ok && k.Exported() && types.Identical(k.Type(), t) {
			fn(k)
		}
	}
}

func (c *checker) anomalies() {
	t := c.namedType("Anomaly")
	if t == nil {
		c.add(nil, "anomaly", "no type Anomaly")
		return
	}
	if b, ok := t.Underlying().(*types.Basic); !ok || b.Kind() != types.Uint32 {
		c.add(t.Obj(), "anomaly", "Anomaly is %s, want uint32", t.Underlying())
	}
	c.flagSet(t, "anomaly")
	c.eachConst(t, func(k *types.Const) {
		if !strings.HasPrefix(k.Name(), "Anomaly") {
			c.add(k, "anomaly", "flag %s is not named AnomalyX", k.Name())
		}
	})
	for _, n := range []string{"AnomalyUnmatchedResponse", "AnomalyMismatchedResponse", "AnomalyPendingOverflow", "AnomalyDuplicateRequest"} {
		if k, ok := c.lookup(n).(*types.Const); !ok || !types.Identical(k.Type(), t) {
			c.add(nil, "anomaly", "no connection-level flag %s", n)
		}
	}
}

// flagSet checks the exact method set of a flag set type.
func (c *checker) flagSet(t *types.Named, rule string) {
	name := t.Obj().Name()
	want := map[string]string{
		"Has":        "(" + name + ") bool",
		"All":        "(func(" + name + ") bool)",
		"String":     "() string",
		"AppendText": "([]byte) ([]byte, error)",
	}
	for m, sig := range want {
		c.wantMethod(t, m, sig, rule)
	}
	ms := types.NewMethodSet(types.NewPointer(t))
	for i := 0; i < ms.Len(); i++ {
		m := ms.At(i).Obj()
		if _, ok := want[m.Name()]; !ok && m.Exported() {
			c.add(m, rule, "flag set %s has extra method %s (the grammar allows Has, All, String, AppendText)", name, m.Name())
		}
	}
}

// isFlagSet reports whether t is a flag set: it has a Has method.
func isFlagSet(t *types.Named) bool { return method(t, "Has") != nil }

func (c *checker) enums() {
	for _, t := range c.enumTypes() {
		name := t.Obj().Name()
		if isFlagSet(t) {
			if name != "Anomaly" {
				c.flagSet(t, "enum")
			}
			continue
		}
		c.wantMethod(t, "Known", "() bool", "enum")
		c.wantMethod(t, "String", "() string", "enum")
		c.wantMethod(t, "AppendText", "([]byte) ([]byte, error)", "enum")
	}
}

// enumTypes returns the exported named integer types (other than Error and
// Anomaly) with at least one exported constant of their type.
func (c *checker) enumTypes() []*types.Named {
	var out []*types.Named
	scope := c.p.Types.Scope()
	for _, n := range scope.Names() {
		tn, ok := scope.Lookup(n).(*types.TypeName)
		if !ok || !tn.Exported() || tn.IsAlias() || n == "Error" || n == "Anomaly" {
			continue
		}
		if _, skip := c.opt.NotEnums[n]; skip {
			continue
		}
		t, ok := tn.Type().(*types.Named)
		if !ok {
			continue
		}
		b, ok := t.Underlying().(*types.Basic)
		if !ok || b.Info()&types.IsInteger == 0 {
			continue
		}
		has := false
		c.eachConst(t, func(*types.Const) { has = true })
		if has {
			out = append(out, t)
		}
	}
	return out
}

// EnumTypes returns the names of p's enum types (as Check sees them),
// flag sets excluded.
func EnumTypes(p *Package, opt Options) []string {
	c := &checker{p: p, opt: opt}
	var out []string
	for _, t := range c.enumTypes() {
		if !isFlagSet(t) {
			out = append(out, t.Obj().Name())
		}
	}
	return out
}

func (c *checker) parse() {
	c.wantFunc("Split", "([]byte, bool) (int, []byte, error)", "parse")
	c.wantFunc("Resync", "([]byte, bool) (int, []byte, error)", "parse")
	c.wantFunc("Parse", "([]byte"+c.extraParams()+") (Frame, int, error)", "parse")
	if t := c.namedType("Frame"); t == nil {
		c.add(nil, "parse", "no type Frame")
	} else {
		c.wantMethod(t, "Decode", "([]byte"+c.extraParams()+") (int, error)", "parse")
	}
}

// exportedNamed returns every exported named type declared in the package.
func (c *checker) exportedNamed() []*types.Named {
	var out []*types.Named
	scope := c.p.Types.Scope()
	for _, n := range scope.Names() {
		tn, ok := scope.Lookup(n).(*types.TypeName)
		if !ok || !tn.Exported() || tn.IsAlias() {
			continue
		}
		if t, ok := tn.Type().(*types.Named); ok {
			out = append(out, t)
		}
	}
	return out
}

// repeats checks fixed-stride repeats: At(i int) (T, bool), Len() int and
// All(yield func(int, T) bool).
func (c *checker) repeats() {
	for _, t := range c.exportedNamed() {
		at := method(t, "At")
		all := method(t, "All")
		if at == nil && all == nil {
			continue
		}
		name := t.Obj().Name()
		var elem types.Type
		if at != nil {
			sig := at.Type().(*types.Signature)
			ok := sig.Params().Len() == 1 && types.Identical(sig.Params().At(0).Type(), types.Typ[types.Int]) &&
				sig.Results().Len() == 2 && types.Identical(sig.Results().At(1).Type(), types.Typ[types.Bool])
			if !ok {
				c.add(at, "repeat", "%s.At has signature %s, want (i int) (T, bool)", name, sigString(at, c.p.Types))
			} else {
				elem = sig.Results().At(0).Type()
			}
			c.wantMethod(t, "Len", "() int", "repeat")
		}
		if all != nil && !isFlagSet(t) {
			sig := all.Type().(*types.Signature)
			ok := sig.Params().Len() == 1 && sig.Results().Len() == 0
			if ok {
				y, isSig := sig.Params().At(0).Type().Underlying().(*types.Signature)
				ok = isSig && y.Params().Len() == 2 && types.Identical(y.Params().At(0).Type(), types.Typ[types.Int]) &&
					y.Results().Len() == 1 && types.Identical(y.Results().At(0).Type(), types.Typ[types.Bool])
				if ok && elem != nil && !types.Identical(y.Params().At(1).Type(), elem) {
					c.add(all, "repeat", "%s.All yields %s, At returns %s", name, y.Params().At(1).Type(), elem)
				}
			}
			if !ok {
				c.add(all, "repeat", "%s.All has signature %s, want (yield func(int, T) bool), used as range x.All", name, sigString(all, c.p.Types))
			}
		}
	}
}

// plural reports whether cursor is a plural of elem (Items/Item,
// Entries/Entry, Boxes/Box) or the same word for mass nouns listed in the
// options.
func plural(cursor, elem string) bool {
	switch {
	case cursor == elem+"s", cursor == elem+"es":
		return true
	case strings.HasSuffix(elem, "y") && cursor == strings.TrimSuffix(elem, "y")+"ies":
		return true
	}
	return false
}

// cursors checks variable-length cursors: a type with Next() bool has Err()
// error and a singular accessor returning a value.
func (c *checker) cursors() {
	for _, t := range c.exportedNamed() {
		next := method(t, "Next")
		if next == nil || isFlagSet(t) {
			continue
		}
		name := t.Obj().Name()
		sig := next.Type().(*types.Signature)
		if sig.Params().Len() != 0 || sig.Results().Len() != 1 || !types.Identical(sig.Results().At(0).Type(), types.Typ[types.Bool]) {
			c.add(next, "cursor", "%s.Next has signature %s, want () bool", name, sigString(next, c.p.Types))
			continue
		}
		c.wantMethod(t, "Err", "() error", "cursor")
		ms := types.NewMethodSet(types.NewPointer(t))
		found := false
		for i := 0; i < ms.Len(); i++ {
			m := ms.At(i).Obj().(*types.Func)
			if !plural(name, m.Name()) {
				continue
			}
			found = true
			s := m.Type().(*types.Signature)
			if s.Params().Len() != 0 || s.Results().Len() != 1 {
				c.add(m, "cursor", "%s.%s has signature %s, want () %s", name, m.Name(), sigString(m, c.p.Types), m.Name())
			} else if _, ptr := s.Results().At(0).Type().(*types.Pointer); ptr {
				c.add(m, "cursor", "%s.%s returns a pointer; the grammar wants a value", name, m.Name())
			}
		}
		if !found {
			c.add(t.Obj(), "cursor", "cursor %s has no singular accessor (a method named for the singular of %s)", name, name)
		}
	}
}

func (c *checker) conn() {
	if c.opt.NoConn != "" {
		return
	}
	t := c.namedType("Conn")
	if t == nil {
		c.add(nil, "conn", "no type Conn")
		return
	}
	if _, ok := t.Underlying().(*types.Struct); !ok {
		c.add(t.Obj(), "conn", "Conn is not a struct")
	}
	c.wantMethod(t, "Decode", "([]byte, bool, int64) (*Message, error)", "conn")
	c.wantMethod(t, "Flush", "(func(*Message) bool)", "conn")
	c.wantMethod(t, "Reset", "()", "conn")
	c.wantMethod(t, "Stats", "() ConnStats", "conn")
	if _, ok := c.lookup("MaxPending").(*types.Const); !ok {
		c.add(nil, "conn", "no constant MaxPending")
	}
	c.wantFields("Message", map[string]string{
		"Frame": "Frame", "ToServer": "bool", "Time": "int64", "Paired": "bool",
		"RequestTime": "int64", "Unanswered": "bool", "Anomalies": "Anomaly",
	})
	c.wantFields("ConnStats", map[string]string{
		"Requests": "uint64", "Responses": "uint64", "Paired": "uint64", "Unmatched": "uint64",
		"Mismatched": "uint64", "Unanswered": "uint64", "Overflow": "uint64", "Pending": "int",
	})
}

func (c *checker) wantFields(typ string, want map[string]string) {
	t := c.namedType(typ)
	if t == nil {
		c.add(nil, "conn", "no type %s", typ)
		return
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		c.add(t.Obj(), "conn", "%s is not a struct", typ)
		return
	}
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		w, ok := want[f.Name()]
		if !ok {
			continue
		}
		if got := types.TypeString(f.Type(), types.RelativeTo(c.p.Types)); got != w {
			c.add(f, "conn", "%s.%s is %s, want %s", typ, f.Name(), got, w)
		}
		delete(want, f.Name())
	}
	var missing []string
	for n := range want {
		missing = append(missing, n)
	}
	sort.Strings(missing)
	for _, n := range missing {
		c.add(t.Obj(), "conn", "%s has no field %s %s", typ, n, want[n])
	}
}

// names checks names the grammar retired: no Decoder type in a protocol
// package, no *Iter cursors.
func (c *checker) names() {
	for _, t := range c.exportedNamed() {
		n := t.Obj().Name()
		switch {
		case n == "Decoder":
			c.add(t.Obj(), "names", "a protocol package has no type named Decoder (per-connection state is Conn)")
		case strings.HasSuffix(n, "Iter"), strings.HasSuffix(n, "Iterator"):
			c.add(t.Obj(), "names", "cursor %s: cursors are named for the plural (Items), not *Iter", n)
		}
	}
}

// produced checks that every exported sentinel error and anomaly flag is
// used by the package's own code: in a function body that is not a method
// of Error or Anomaly (their name tables do not count).
func (c *checker) produced() {
	used := map[types.Object]bool{}
	for _, f := range c.p.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if fd.Recv != nil && len(fd.Recv.List) == 1 {
				if recv := recvName(fd.Recv.List[0].Type); recv == "Error" || recv == "Anomaly" {
					continue
				}
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					if obj := c.p.Info.Uses[id]; obj != nil {
						used[obj] = true
					}
				}
				return true
			})
		}
	}
	for _, tn := range []string{"Error", "Anomaly"} {
		t := c.namedType(tn)
		if t == nil {
			continue
		}
		c.eachConst(t, func(k *types.Const) {
			if !used[k] {
				c.add(k, "produced", "%s is never produced by the package (no use outside the %s methods)", k.Name(), tn)
			}
		})
	}
}

func recvName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return recvName(t.X)
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr:
		return recvName(t.X)
	}
	return ""
}

// FindRoot returns the module root above dir (the directory holding go.mod
// with this module's path).
func FindRoot(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil && strings.Contains(string(b), "module "+Module+"\n") {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("grammar: no go.mod of %s above %s", Module, dir)
		}
		d = parent
	}
}
