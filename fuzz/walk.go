package fuzz

import (
	"encoding/binary"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unsafe"
)

// Walk limits: how deep accessors of accessors are followed, how many
// methods one Walk calls, and how many elements of a repeat or steps of a
// cursor get their accessors walked.
const (
	walkDepth  = 5
	walkBudget = 4000
	walkAt     = 32
)

// skipped reports the zero-argument methods Walk does not call: they
// change the value or its owner (Reset, Flush, Close), copy it (Clone:
// checked apart), read an owner's counters (Stats), or are driven by the
// cursor and repeat rules (Next, Err, Len, At, All).
func skipped(name string) bool {
	switch name {
	case "Reset", "Flush", "Clone", "Next", "Err", "Len", "At", "All", "Close", "Stats":
		return true
	}
	return false
}

var (
	errorType = reflect.TypeFor[error]()
	intType   = reflect.TypeFor[int]()
	boolType  = reflect.TypeFor[bool]()
)

// Walk calls every accessor of v the way a user of a protocol package would,
// and checks what the grammar promises of each result. v is a pointer to a
// decoded value (a *Frame, a *Message, a cursor). inputs are what its views
// may alias: []byte buffers, and pointers to owners (a *Conn) whose memory,
// and all memory reachable from them, counts as allowed; v's own memory is
// always allowed (some frames copy bytes into fixed storage of their own).
//
// For every value reached it checks that each []byte it holds (exported or
// not, through structs, arrays and pointers) lies inside an allowed region;
// it calls each exported method without arguments (but for Reset, Flush,
// Clone, Stats and Close) and walks the results, calling Error on errors;
// a cursor (Next() bool with Err() error) is stepped until Next is false,
// at most a number of times proportional to the bytes it could cover, with
// the accessors walked at the first steps and after the last; a cursor
// that also has Count() int and Anomalies() walks Count items or reports
// why not (an error or an anomaly); a repeat (Len() int with At(int)
// (T, bool)) must answer ok for 0 ≤ i < Len and not ok at -1, Len and the
// extreme ints, and its All must yield Len elements in order and stop
// when yield returns false. Walking does not change v: cursors are copied
// before they are stepped.
//
// Walk learns the method sets of the types it meets; a Walker keeps what
// it learnt between calls.
func Walk(v any, inputs ...any) error {
	var wk Walker
	return wk.Walk(v, inputs...)
}

// Transcript walks v as Walk does and returns a record of what a user sees:
// the exported fields of every value reached and the results of every
// accessor, by content (not by address). Two values with equal transcripts
// cannot be told apart through the package's API; Decode into a used Frame
// and Parse must give equal transcripts.
func Transcript(v any, inputs ...any) ([]byte, error) {
	var wk Walker
	return wk.Transcript(v, inputs...)
}

// Walker is Walk and Transcript with a memory of the types met, which makes
// repeated walks several times faster. The zero value is ready. A Walker
// is not safe for concurrent use.
type Walker struct {
	types map[reflect.Type]*typeInfo
}

// Walk is the package's Walk.
func (wk *Walker) Walk(v any, inputs ...any) error {
	_, err := wk.walk(v, false, inputs)
	return err
}

// Transcript is the package's Transcript.
func (wk *Walker) Transcript(v any, inputs ...any) ([]byte, error) {
	return wk.walk(v, true, inputs)
}

func (wk *Walker) walk(v any, transcript bool, inputs []any) ([]byte, error) {
	if raceEnabled {
		// Under the race detector reflection runs ten times slower, and
		// these single-goroutine checks find no races: the seeds run
		// without them (see the package doc).
		return nil, nil
	}
	if wk.types == nil {
		wk.types = map[reflect.Type]*typeInfo{}
	}
	w := walker{wk: wk, budget: walkBudget, seen: map[uintptr]bool{}}
	if transcript {
		w.tr = &fingerprinter{content: true}
	}
	root := reflect.ValueOf(v)
	if root.Kind() != reflect.Pointer || root.IsNil() {
		return nil, fail("walk", "Walk needs a non-nil pointer, got %T", v)
	}
	w.allowed = append(w.allowed, span{root.Pointer(), root.Pointer() + root.Elem().Type().Size()})
	w.owners = append(w.owners, root)
	for _, in := range inputs {
		switch x := in.(type) {
		case []byte:
			w.allowed = append(w.allowed, spanOf(x))
			w.size += len(x)
		default:
			if rv := reflect.ValueOf(in); rv.Kind() == reflect.Pointer && !rv.IsNil() {
				w.owners = append(w.owners, rv)
				w.size += int(rv.Elem().Type().Size())
			}
		}
	}
	w.size += int(root.Elem().Type().Size())
	w.path = append(w.path, root.Elem().Type().String())
	w.value(root.Elem(), 0)
	if w.tr != nil {
		return w.tr.b, w.err
	}
	return nil, w.err
}

// typeInfo is what Walk needs to know of a type: its kind of repeat or
// cursor and the methods it calls.
type typeInfo struct {
	hasBytes bool // values can hold a []byte (not through interfaces or maps)
	hasRefs  bool // values can hold pointers or slices

	// Of the pointer type: the methods to call, and the cursor and repeat
	// methods (index, or -1).
	methods             []methodInfo
	next, err           int
	count, anomalies    int
	length, at, all     int
	allYield            reflect.Type
	cursor, repeat, any bool
}

type methodInfo struct {
	index int
	name  string
}

func (wk *Walker) info(t reflect.Type) *typeInfo {
	if ti := wk.types[t]; ti != nil {
		return ti
	}
	ti := &typeInfo{next: -1, err: -1, count: -1, anomalies: -1, length: -1, at: -1, all: -1}
	wk.types[t] = ti
	ti.hasBytes = hasBytes(t, 0)
	ti.hasRefs = hasRefs(t, 0)
	pt := reflect.PointerTo(t)
	ti.any = pt.NumMethod() > 0
	for i := range pt.NumMethod() {
		m := pt.Method(i)
		mt := m.Type
		in, out := mt.NumIn()-1, mt.NumOut()
		switch {
		case m.Name == "Next" && in == 0 && out == 1 && mt.Out(0) == boolType:
			ti.next = i
		case m.Name == "Err" && in == 0 && out == 1 && mt.Out(0) == errorType:
			ti.err = i
		case m.Name == "Len" && in == 0 && out == 1 && mt.Out(0) == intType:
			ti.length = i
		case m.Name == "At" && in == 1 && mt.In(1) == intType && out == 2 && mt.Out(1) == boolType:
			ti.at = i
		case m.Name == "All" && in == 1 && out == 0 && mt.In(1).Kind() == reflect.Func:
			y := mt.In(1)
			if y.NumIn() == 2 && y.In(0) == intType && y.NumOut() == 1 && y.Out(0) == boolType {
				ti.all, ti.allYield = i, y
			}
		}
		if m.Name == "Count" && in == 0 && out == 1 && mt.Out(0) == intType {
			ti.count = i
		}
		if m.Name == "Anomalies" && in == 0 && out == 1 {
			switch mt.Out(0).Kind() {
			case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
				ti.anomalies = i
			}
		}
		if in == 0 && out > 0 && !skipped(m.Name) {
			ti.methods = append(ti.methods, methodInfo{i, m.Name})
		}
	}
	ti.cursor = ti.next >= 0 && ti.err >= 0
	ti.repeat = ti.length >= 0 && ti.at >= 0
	return ti
}

type walker struct {
	wk       *Walker
	allowed  []span
	owners   []reflect.Value // memory reachable from them is allowed
	expanded bool            // owners' memory is in allowed
	size     int             // bytes the walked value could cover
	budget   int
	err      error
	seen     map[uintptr]bool // pointers followed (allow), checked (views) or walked
	tr       *fingerprinter   // the transcript, when one is made
	path     []string
}

// note adds a name to the transcript.
func (w *walker) note(s string) {
	if w.tr != nil {
		w.tr.b = append(w.tr.b, s...)
		w.tr.b = append(w.tr.b, 0)
	}
}

func (w *walker) where() string { return strings.Join(w.path, ".") }

// allow adds the memory reachable from v (pointers, slices) to the allowed
// regions.
func (w *walker) allow(v reflect.Value, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		p := v.Pointer()
		if seen[p] {
			return
		}
		seen[p] = true
		e := v.Elem()
		w.allowed = append(w.allowed, span{p, p + e.Type().Size()})
		w.allowContents(e, seen)
	case reflect.Slice:
		if v.IsNil() || v.Cap() == 0 {
			return
		}
		p := v.Pointer()
		w.allowed = append(w.allowed, span{p, p + uintptr(v.Cap())*v.Type().Elem().Size()})
		if w.wk.info(v.Type().Elem()).hasRefs {
			for i := range v.Len() {
				w.allowContents(v.Index(i), seen)
			}
		}
	default:
		w.allowContents(v, seen)
	}
}

// allowContents follows the pointers and slices inside v.
func (w *walker) allowContents(v reflect.Value, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice:
		w.allow(v, seen)
	case reflect.Interface:
		if !v.IsNil() {
			w.allowContents(v.Elem(), seen)
		}
	case reflect.Map:
		if v.IsNil() || !w.wk.info(v.Type().Elem()).hasRefs {
			return
		}
		for it := v.MapRange(); it.Next(); {
			w.allowContents(it.Value(), seen)
		}
	case reflect.Struct:
		if !w.wk.info(v.Type()).hasRefs {
			return
		}
		for i := range v.NumField() {
			w.allowContents(v.Field(i), seen)
		}
	case reflect.Array:
		if !w.wk.info(v.Type().Elem()).hasRefs {
			return
		}
		for i := range v.Len() {
			w.allowContents(v.Index(i), seen)
		}
	}
}

// hasRefs reports whether values of t can hold pointers or slices.
func hasRefs(t reflect.Type, depth int) bool {
	if depth > 8 {
		return true
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Interface, reflect.Map:
		return true
	case reflect.Struct:
		for i := range t.NumField() {
			if hasRefs(t.Field(i).Type, depth+1) {
				return true
			}
		}
	case reflect.Array:
		return hasRefs(t.Elem(), depth+1)
	}
	return false
}

// hasBytes reports whether values of t can hold a []byte without going
// through an interface or a map.
func hasBytes(t reflect.Type, depth int) bool {
	if depth > 8 {
		return false
	}
	switch t.Kind() {
	case reflect.Slice:
		return t.Elem().Kind() == reflect.Uint8 || hasBytes(t.Elem(), depth+1)
	case reflect.Struct:
		for i := range t.NumField() {
			if hasBytes(t.Field(i).Type, depth+1) {
				return true
			}
		}
	case reflect.Array, reflect.Pointer:
		return hasBytes(t.Elem(), depth+1)
	}
	return false
}

func (w *walker) inside(s span) bool {
	for _, a := range w.allowed {
		if a.holds(s) {
			return true
		}
	}
	if w.expanded {
		return false
	}
	// Only now learn the owners' memory: most views alias the input.
	w.expanded = true
	seen := map[uintptr]bool{}
	for _, o := range w.owners {
		w.allow(o, seen)
	}
	return w.inside(s)
}

func (w *walker) failf(invariant, format string, args ...any) {
	if w.err == nil {
		w.err = fail(invariant, format, args...)
	}
}

// views checks every byte slice held in v (following pointers once).
func (w *walker) views(v reflect.Value, field string) {
	if w.err != nil {
		return
	}
	switch v.Kind() {
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.Len() > 0 && !w.inside(span{v.Pointer(), v.Pointer() + uintptr(v.Len())}) {
				w.failf("view inside input", "%s%s: %d bytes lie outside the input and their owner", w.where(), field, v.Len())
			}
			return
		}
		if !w.wk.info(v.Type().Elem()).hasBytes {
			return
		}
		for i := range min(v.Len(), walkAt) {
			w.views(v.Index(i), field)
		}
	case reflect.Struct:
		t := v.Type()
		if !w.wk.info(t).hasBytes {
			return
		}
		for i := range v.NumField() {
			w.views(v.Field(i), field+"."+t.Field(i).Name)
		}
	case reflect.Array:
		if !w.wk.info(v.Type().Elem()).hasBytes {
			return
		}
		for i := range v.Len() {
			w.views(v.Index(i), field)
		}
	case reflect.Pointer:
		if v.IsNil() || !w.wk.info(v.Type().Elem()).hasBytes {
			return
		}
		if p := v.Pointer(); !w.seen[p] {
			w.seen[p] = true
			w.views(v.Elem(), field)
		}
	}
}

// value checks v's views and walks its accessors.
func (w *walker) value(v reflect.Value, depth int) {
	if w.err != nil {
		return
	}
	w.views(v, "")
	if w.tr != nil {
		w.tr.value(v, 0)
	}
	if depth >= walkDepth || w.budget <= 0 || w.err != nil {
		return
	}
	ti := w.wk.info(v.Type())
	if !ti.any {
		return
	}
	if !v.CanAddr() {
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		v = c
	}
	p := v.Addr()
	if ti.cursor {
		w.cursor(v, ti, depth)
		return
	}
	if ti.repeat {
		w.repeat(p, ti, depth)
	}
	w.methods(p, ti, depth)
}

// methods calls each zero-argument method of p and walks what it returns.
func (w *walker) methods(p reflect.Value, ti *typeInfo, depth int) {
	for _, m := range ti.methods {
		if w.err != nil || w.budget <= 0 {
			return
		}
		w.budget--
		w.note(m.name)
		w.path = append(w.path, m.name+"()")
		for _, r := range p.Method(m.index).Call(nil) {
			w.result(r, depth)
		}
		w.path = w.path[:len(w.path)-1]
	}
}

// result walks one returned value.
func (w *walker) result(r reflect.Value, depth int) {
	switch r.Kind() {
	case reflect.Interface:
		if r.IsNil() {
			return
		}
		if r.Type() == errorType {
			w.note(r.Interface().(error).Error())
			return
		}
		w.value(r.Elem(), depth+1)
	case reflect.Pointer:
		if r.IsNil() {
			return
		}
		p := r.Pointer() + 1 // not to be confused with views: walked as a result
		if w.seen[p] {
			return
		}
		w.seen[p] = true
		w.value(r.Elem(), depth+1)
	default:
		w.value(r, depth+1)
	}
}

// cursor steps a copy of the cursor v, walking its accessors at the first
// steps and after the last.
func (w *walker) cursor(v reflect.Value, ti *typeInfo, depth int) {
	c := reflect.New(v.Type())
	c.Elem().Set(v)
	next := c.Method(ti.next)
	limit := 8*w.size + 64
	n := 0
	for {
		w.budget--
		if !next.Call(nil)[0].Bool() {
			break
		}
		n++
		if n > limit {
			w.failf("cursor progress", "%s: %d steps over %d bytes", w.where(), n, w.size)
			return
		}
		if w.budget > 0 && n <= walkAt {
			w.note("next")
			w.views(c.Elem(), "")
			w.methods(c, ti, depth)
			if w.err != nil {
				return
			}
		}
	}
	err := c.Method(ti.err).Call(nil)[0]
	if !err.IsNil() {
		w.note(err.Interface().(error).Error())
	}
	w.note("steps " + strconv.Itoa(n))
	// A cursor that announces a count and reports anomalies walks that
	// many items, or says why not: an error, or an anomaly. (A cursor
	// without Anomalies may stop short by design: enip's Attributes stops
	// at an attribute it cannot size.)
	if ti.count >= 0 && ti.anomalies >= 0 && err.IsNil() {
		declared := int(c.Method(ti.count).Call(nil)[0].Int())
		if declared != n && c.Method(ti.anomalies).Call(nil)[0].Uint() == 0 {
			w.failf("cursor count", "%s: Count %d, %d walked, with neither an error nor an anomaly", w.where(), declared, n)
			return
		}
	}
	// Accessors after the end (Partial and friends) must not panic either.
	w.methods(c, ti, depth)
}

// repeat checks Len, At and All of a fixed-stride repeat.
func (w *walker) repeat(p reflect.Value, ti *typeInfo, depth int) {
	n := int(p.Method(ti.length).Call(nil)[0].Int())
	if n < 0 || n > 8*w.size+64 {
		w.failf("repeat length", "%s: Len %d with %d bytes of input", w.where(), n, w.size)
		return
	}
	w.note("len " + strconv.Itoa(n))
	atM := p.Method(ti.at)
	w.budget -= 4
	for _, i := range [...]int{-1, n, math.MaxInt, math.MinInt} {
		if atM.Call([]reflect.Value{reflect.ValueOf(i)})[1].Bool() {
			w.failf("repeat At in range", "%s: At(%d) ok with Len %d", w.where(), i, n)
			return
		}
	}
	for i := 0; i < n; i++ {
		if i == walkAt {
			i = n - 1
		}
		w.budget--
		out := atM.Call([]reflect.Value{reflect.ValueOf(i)})
		if !out[1].Bool() {
			w.failf("repeat At in range", "%s: At(%d) not ok with Len %d", w.where(), i, n)
			return
		}
		if i == 0 {
			w.path = append(w.path, "At(0)")
			w.result(out[0], depth)
			w.path = w.path[:len(w.path)-1]
		}
	}
	if ti.all < 0 {
		return
	}
	allM := p.Method(ti.all)
	count, want, stopAt := 0, 0, -1
	yield := reflect.MakeFunc(ti.allYield, func(args []reflect.Value) []reflect.Value {
		if int(args[0].Int()) != want {
			w.failf("repeat All order", "%s: All yielded index %d, want %d", w.where(), args[0].Int(), want)
		}
		want++
		count++
		return []reflect.Value{reflect.ValueOf(count != stopAt)}
	})
	w.budget -= 2
	allM.Call([]reflect.Value{yield})
	if count != n {
		w.failf("repeat All count", "%s: All yielded %d, Len %d", w.where(), count, n)
		return
	}
	if n > 1 {
		count, want, stopAt = 0, 0, 1
		allM.Call([]reflect.Value{yield})
		if count != 1 {
			w.failf("repeat All stops", "%s: All went on after yield returned false (%d calls)", w.where(), count)
		}
	}
}

// Fingerprint returns bytes that change when anything reachable from v
// changes: every field, exported or not, the contents and addresses of
// slices and what pointers point to (each pointer followed once). Stable
// compares two fingerprints.
func Fingerprint(v any) []byte {
	if raceEnabled {
		return nil
	}
	f := fingerprinter{seen: map[uintptr]bool{}, refs: map[reflect.Type]bool{}}
	f.value(reflect.ValueOf(v), 0)
	return f.b
}

type fingerprinter struct {
	b    []byte
	seen map[uintptr]bool
	// content: record contents only (no addresses), exported fields only,
	// and do not follow pointers (a transcript).
	content bool
	refs    map[reflect.Type]bool // hasRefs, learnt
}

// raw appends the memory of v when v is addressable and holds no pointers:
// for a fingerprint of one value at two times, its bytes are what counts.
func (f *fingerprinter) raw(v reflect.Value) bool {
	if f.content || !v.CanAddr() {
		return false
	}
	t := v.Type()
	r, ok := f.refs[t]
	if !ok {
		r = hasRefs(t, 0)
		f.refs[t] = r
	}
	if r {
		return false
	}
	f.b = append(f.b, unsafe.Slice((*byte)(unsafe.Pointer(v.UnsafeAddr())), t.Size())...)
	return true
}

func (f *fingerprinter) u64(x uint64) { f.b = binary.LittleEndian.AppendUint64(f.b, x) }

func (f *fingerprinter) value(v reflect.Value, depth int) {
	if depth > 32 || len(f.b) > 1<<22 {
		return
	}
	switch v.Kind() {
	case reflect.Invalid:
		f.b = append(f.b, 0)
	case reflect.Bool:
		if v.Bool() {
			f.b = append(f.b, 1)
		} else {
			f.b = append(f.b, 2)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		f.u64(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		f.u64(v.Uint())
	case reflect.Float32, reflect.Float64:
		f.u64(math.Float64bits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		f.u64(math.Float64bits(real(c)))
		f.u64(math.Float64bits(imag(c)))
	case reflect.String:
		f.u64(uint64(v.Len()))
		f.b = append(f.b, v.String()...)
	case reflect.Slice:
		f.u64(uint64(v.Len()))
		if v.Len() == 0 {
			return
		}
		if !f.content {
			f.u64(uint64(v.Pointer()))
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			f.b = append(f.b, unsafe.Slice((*byte)(unsafe.Pointer(v.Pointer())), v.Len())...)
			return
		}
		if f.raw(v.Index(0)) {
			for i := 1; i < v.Len(); i++ {
				f.raw(v.Index(i))
			}
			return
		}
		for i := range v.Len() {
			f.value(v.Index(i), depth+1)
		}
	case reflect.Array:
		if f.raw(v) {
			return
		}
		for i := range v.Len() {
			f.value(v.Index(i), depth+1)
		}
	case reflect.Struct:
		if f.raw(v) {
			return
		}
		t := v.Type()
		for i := range v.NumField() {
			if f.content && !t.Field(i).IsExported() {
				continue
			}
			f.value(v.Field(i), depth+1)
		}
	case reflect.Pointer:
		if v.IsNil() {
			f.b = append(f.b, 0)
			return
		}
		if f.content {
			f.b = append(f.b, 1)
			return
		}
		p := v.Pointer()
		f.u64(uint64(p))
		if f.seen[p] {
			return
		}
		f.seen[p] = true
		f.value(v.Elem(), depth+1)
	case reflect.Interface:
		if v.IsNil() {
			f.b = append(f.b, 0)
			return
		}
		f.b = append(f.b, v.Elem().Type().String()...)
		f.value(v.Elem(), depth+1)
	case reflect.Map:
		f.u64(uint64(v.Len()))
	}
}
