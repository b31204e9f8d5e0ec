package iec104

// Config sets the sizes of the ASDU's variable-size fields, so that IEC
// 60870-5-101 profiles and vendor variants decode. The zero value is IEC 104:
// cause of transmission 2 octets (with originator address), common address 2,
// information object address 3.
//
// Config is this package's addition to the common grammar of the protocol
// packages: IEC 60870-5-101 lets a system choose these sizes (a parameter
// agreed per system, not carried in the bytes), so the same ASDU bytes
// decode differently under two profiles and only the caller knows which
// applies. [Parse], [Frame.Decode], [ParseASDU] and [Conn] use the IEC 104
// sizes, which IEC 60870-5-104 fixes.
type Config struct {
	// COTSize is the cause of transmission size: 1, or 2 with the
	// originator address; 0 means 2.
	COTSize uint8
	// CASize is the common address size: 1 or 2; 0 means 2.
	CASize uint8
	// IOASize is the information object address size: 1, 2 or 3; 0 means 3.
	IOASize uint8
}

// Profile101 is a common IEC 60870-5-101 profile: cause of transmission 1
// octet, common address 1, object address 2.
var Profile101 = Config{COTSize: 1, CASize: 1, IOASize: 2}

func (c Config) norm() (Config, error) {
	if c.COTSize == 0 {
		c.COTSize = 2
	}
	if c.CASize == 0 {
		c.CASize = 2
	}
	if c.IOASize == 0 {
		c.IOASize = 3
	}
	if c.COTSize > 2 || c.CASize > 2 || c.IOASize > 3 {
		return c, ErrConfig
	}
	return c, nil
}

// headerLen returns the ASDU header size for a normalised config.
func (c Config) headerLen() int { return 2 + int(c.COTSize) + int(c.CASize) }

// ASDU is a decoded ASDU header plus a view of its information objects.
// Walk the objects with [ASDU.Objects]. The views alias the input.
type ASDU struct {
	// Raw is the whole ASDU.
	Raw []byte
	// Type is the type identification.
	Type TypeID
	// SQ is the structure qualifier: false, each object has its own
	// address; true, one address then Count consecutive elements.
	SQ bool
	// Count is the number of objects or elements (7 bits).
	Count uint8
	// Cause is the cause of transmission (6 bits).
	Cause Cause
	// Negative is the P/N bit (negative confirmation).
	Negative bool
	// Test is the T bit.
	Test bool
	// Originator is the originator address; 0 when the cause of
	// transmission is one octet.
	Originator uint8
	// CommonAddr is the common address of the ASDU.
	CommonAddr uint16
	// Anomalies of the ASDU.
	Anomalies Anomaly

	cfg      Config
	hdr      uint8 // header length: the objects start at Raw[hdr:]
	n        uint8 // objects the cursor yields
	stride   uint8 // 3 + element size when the cursor's fast path applies, else 0
	countErr bool  // Count does not fit the bytes
}

// ParseASDU decodes an ASDU (without APCI) with c's field sizes, as carried
// by IEC 101 link frames or other transports. The errors and partial results
// are those of [Parse]. It does not allocate.
func (c Config) ParseASDU(b []byte) (ASDU, error) {
	var a ASDU
	c, err := c.norm()
	if err != nil {
		return a, err
	}
	err = c.parseASDU(&a, b)
	return a, err
}

// ParseASDU is [Config.ParseASDU] with the IEC 104 field sizes.
func ParseASDU(b []byte) (ASDU, error) {
	var a ASDU
	err := Config{COTSize: 2, CASize: 2, IOASize: 3}.parseASDU(&a, b)
	return a, err
}

// Decode decodes the ASDU b (without APCI) into a in place, with the IEC 104
// field sizes and the same result as [ParseASDU]. It does not allocate.
func (a *ASDU) Decode(b []byte) error {
	*a = ASDU{}
	return Config{COTSize: 2, CASize: 2, IOASize: 3}.parseASDU(a, b)
}

// parseASDU decodes b into the zero ASDU *a with a normalised config.
func (c Config) parseASDU(a *ASDU, b []byte) error {
	a.Raw = b
	a.cfg = c
	off := c.headerLen()
	if len(b) < off {
		return a.parseShortHeader(b)
	}
	a.Type = TypeID(b[0])
	a.SQ = b[1]&0x80 != 0
	a.Count = b[1] & 0x7f
	a.Cause = Cause(b[2] & 0x3f)
	a.Negative = b[2]&0x40 != 0
	a.Test = b[2]&0x80 != 0
	ca := 3
	if c.COTSize == 2 {
		a.Originator = b[3]
		ca = 4
	}
	if c.CASize == 2 {
		a.CommonAddr = uint16(b[ca]) | uint16(b[ca+1])<<8
	} else {
		a.CommonAddr = uint16(b[ca])
	}
	a.hdr = uint8(off)
	body := b[off:]
	if !a.Cause.Known() {
		a.Anomalies |= AnomalyUnknownCause
	}
	l := a.Type.layout()
	if !l.known {
		a.Anomalies |= AnomalyUnknownType
		return nil
	}
	if a.Count == 0 {
		a.Anomalies |= AnomalyZeroCount
		if len(body) > 0 {
			a.Anomalies |= AnomalyTrailingBytes
		}
		return nil
	}
	count := int(a.Count)
	ioa := int(c.IOASize)
	blen := len(body)
	if a.Type == F_SG_NA_1 {
		// Variable size: NOF, NOS, LOS then LOS octets.
		need, fit := 0, 0
		r := body
		for i := 0; i < count; i++ {
			if i == 0 || !a.SQ {
				if len(r) < ioa {
					break
				}
				r = r[ioa:]
				need += ioa
			}
			if len(r) < 4 || len(r) < 4+int(r[3]) {
				break
			}
			sz := 4 + int(r[3])
			r = r[sz:]
			need += sz
			fit++
		}
		a.n = uint8(fit)
		if fit < count {
			a.countErr = true
			return ErrCount
		}
		if need < blen {
			a.Anomalies |= AnomalyTrailingBytes
		}
		return nil
	}
	// Fixed size: one multiplication checks the count; the division
	// that finds how many objects fit runs only when they do not.
	size := int(l.size)
	need := count * (ioa + size)
	if a.SQ {
		need = ioa + count*size
	}
	if need > blen {
		var fit int
		switch {
		case !a.SQ:
			fit = blen / (ioa + size)
		case blen < ioa:
			fit = 0
		case size == 0:
			fit = count
		default:
			fit = (blen - ioa) / size
		}
		a.n = uint8(min(fit, count))
		a.countErr = true
		return ErrCount
	}
	a.n = a.Count
	if !a.SQ && ioa == 3 {
		a.stride = uint8(3 + size)
	}
	if need < blen {
		a.Anomalies |= AnomalyTrailingBytes
	}
	return nil
}

// parseShortHeader sets the header fields present in b, which is shorter
// than the header, and returns ErrTruncated.
func (a *ASDU) parseShortHeader(b []byte) error {
	if len(b) < 1 {
		return ErrTruncated
	}
	a.Type = TypeID(b[0])
	if len(b) < 2 {
		return ErrTruncated
	}
	a.SQ = b[1]&0x80 != 0
	a.Count = b[1] & 0x7f
	if len(b) < 3 {
		return ErrTruncated
	}
	a.Cause = Cause(b[2] & 0x3f)
	a.Negative = b[2]&0x40 != 0
	a.Test = b[2]&0x80 != 0
	if a.cfg.COTSize == 2 && len(b) >= 4 {
		a.Originator = b[3]
	}
	// The common address is the last header field: it is missing.
	return ErrTruncated
}

// Config returns the field sizes a was decoded with.
func (a *ASDU) Config() Config { return a.cfg }

// Body returns the information object octets (after the common address).
func (a *ASDU) Body() []byte {
	if int(a.hdr) > len(a.Raw) {
		return nil
	}
	return a.Raw[a.hdr:]
}

// HeaderFields returns how many of the header's fields were present, in
// their order on the wire: 0 none, 1 the type id, 2 and the variable
// structure qualifier (SQ and count), 3 and the cause of transmission (with
// its P/N and test bits), 4 and the originator address (present only with a
// two-octet cause), 5 and the common address: the header is whole. With a
// one-octet cause the value goes from 3 to 5. Fields after the last one
// present are zero.
func (a *ASDU) HeaderFields() int {
	l := len(a.Raw)
	switch {
	case l == 0:
		return 0
	case l >= a.cfg.headerLen() && a.cfg.COTSize != 0:
		return 5
	case l >= 4 && a.cfg.COTSize == 2:
		return 4
	}
	return min(l, 3)
}

// Len returns the number of objects [ASDU.Objects] yields: Count, or fewer
// when Count does not fit the bytes (ErrCount), 0 for unknown types.
func (a *ASDU) Len() int { return int(a.n) }

// Objects returns a cursor over the information objects. For SQ=1 the
// addresses after the first are computed by adding one per element. The
// cursor yields at most [ASDU.Len] objects and never reads past the ASDU.
// It does not allocate.
func (a *ASDU) Objects() Objects {
	body := a.Body()
	if s := int(a.stride); s != 0 {
		// The fast path: SQ=0, 3-octet addresses, a fixed element
		// size; parseASDU checked that the n objects fit.
		// cur starts at the first element (3, written as s - clen so
		// that the literal is not copied from a static template), so
		// that Object never slices before the body.
		clen := s - 3
		return Objects{body: body, end: min(int(a.n)*s, len(body)), stride: s, cur: s - clen, clen: clen, typ: a.Type}
	}
	return a.objects(body)
}

// objects is Objects' general path.
func (a *ASDU) objects(body []byte) Objects {
	it := Objects{
		body:    body,
		typ:     a.Type,
		size:    a.Type.layout().size,
		ioaSize: a.cfg.IOASize,
		left:    a.n,
	}
	if a.SQ {
		it.flags |= cursorSQ
	}
	if a.Type == F_SG_NA_1 {
		it.flags |= cursorVariable
	}
	if a.countErr {
		it.flags |= cursorCountErr
	}
	return it
}

// At returns object i (0 <= i < Len) for types with a fixed element size,
// and false when i is out of range or the type's element size varies
// (F_SG_NA_1: use the cursor). It never panics and does not allocate.
func (a *ASDU) At(i int) (Object, bool) {
	if i < 0 || i >= int(a.n) || a.Type == F_SG_NA_1 {
		return Object{}, false
	}
	body := a.Body()
	size := int(a.Type.layout().size)
	ioaSize := int(a.cfg.IOASize)
	var off int
	var ioa uint32
	if a.SQ {
		ioa = readIOA(body, ioaSize) + uint32(i)
		off = ioaSize + i*size
	} else {
		off = i * (ioaSize + size)
		ioa = readIOA(body[off:], ioaSize)
		off += ioaSize
	}
	return Object{IOA: ioa, Type: a.Type, Raw: body[off : off+size : off+size]}, true
}

// All yields each object that [ASDU.Objects] yields with its index, for use
// with range over the method value:
//
//	for i, o := range f.ASDU.All {
//		v, ok := o.Float()
//	}
//
// For the common case (SQ=0, 3-octet addresses, fixed element size) it
// walks the objects at a fixed stride; All is small enough to be inlined,
// so the loop body usually is too and keeps the walk in registers. Neither
// All nor the iteration allocates, also when the loop is inside a closure.
func (a *ASDU) All(yield func(int, Object) bool) {
	// The loop is a function literal called once: All itself stays
	// cheap enough to be inlined, and the compiler then inlines the
	// literal, and the caller's loop body into it, with the larger budget
	// it gives a function literal called once.
	func(yield func(int, Object) bool) {
		if s := int(a.stride); s >= 3 {
			b := a.Body()
			b = b[:min(int(a.n)*s, len(b))]
			for i := 0; s <= len(b); i++ {
				if !yield(i, Object{IOA: uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16, Type: a.Type, Raw: b[3:s:s]}) {
					return
				}
				b = b[s:]
			}
			return
		}
		a.all(yield)
	}(yield)
}

// all is All's general path.
func (a *ASDU) all(yield func(int, Object) bool) {
	objs := a.Objects()
	for i := 0; objs.Next(); i++ {
		if !yield(i, objs.Object()) {
			return
		}
	}
}

// Cut returns the address of the first object that did not fit the ASDU
// (when Parse reported ErrCount) if that address itself is present: with
// SQ=1 the address after the last whole element, with SQ=0 the address
// octets that follow the last whole object. It is false otherwise.
func (a *ASDU) Cut() (ioa uint32, ok bool) {
	if !a.countErr || !a.Type.Known() {
		return 0, false
	}
	body := a.Body()
	n := int(a.cfg.IOASize)
	if a.SQ {
		if len(body) < n {
			return 0, false
		}
		return readIOA(body, n) + uint32(a.n), true
	}
	off := 0
	if a.Type == F_SG_NA_1 {
		objs := a.Objects()
		for objs.Next() {
		}
		off = objs.off
	} else {
		off = int(a.n) * (n + int(a.Type.layout().size))
	}
	if len(body)-off < n {
		return 0, false
	}
	return readIOA(body[off:], n), true
}

// Undecoded returns, for an ASDU whose type the package does not know, the
// first information object address (the configured address size) and the
// octets after it, kept raw. It is false for known types and when the
// address is not whole.
func (a *ASDU) Undecoded() (ioa uint32, rest []byte, ok bool) {
	body := a.Body()
	n := int(a.cfg.IOASize)
	if a.Type.Known() || a.HeaderFields() < 5 || len(body) < n {
		return 0, nil, false
	}
	return readIOA(body, n), body[n:], true
}

func readIOA(b []byte, n int) uint32 {
	switch n {
	case 3:
		return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16
	case 2:
		return uint32(b[0]) | uint32(b[1])<<8
	}
	return uint32(b[0])
}

// Objects is a cursor over an ASDU's information objects. Declare it
// before the loop:
//
//	objs := a.Objects()
//	for objs.Next() {
//		o := objs.Object()
//	}
//	if err := objs.Err(); err != nil { ... }
type Objects struct {
	body    []byte
	end     int    // the fast path's end offset, 0 without it
	stride  int    // 3 + size on the fast path (SQ=0, 3-octet addresses, fixed size), else 0
	off     int    // offset of the next object
	cur     int    // offset of the current element
	clen    int    // current element's length
	ioa     uint32 // current address, general path
	typ     TypeID
	size    uint8 // element size (fixed types), general path
	ioaSize uint8
	left    uint8 // objects left, general path
	flags   uint8
}

const (
	cursorSQ       = 1 << iota // SQ=1: one address, consecutive elements
	cursorVariable             // F_SG_NA_1: element size in the element
	cursorStarted              // the first address has been read
	cursorCountErr             // Count does not fit the bytes
)

// Next advances to the next object and reports whether there is one. It is
// small enough to be inlined; on the fast path it only advances offsets,
// and Object reads the address.
func (it *Objects) Next() bool {
	if it.off < it.end {
		it.cur = it.off + 3
		it.off += it.stride
		return true
	}
	return it.next()
}

// next is Next's general path.
func (it *Objects) next() bool {
	if it.left == 0 || it.stride != 0 {
		return false
	}
	o := it.off
	if it.flags&cursorSQ != 0 && it.flags&cursorStarted != 0 {
		it.ioa++
	} else {
		n := int(it.ioaSize)
		if len(it.body)-o < n {
			return it.stop()
		}
		it.ioa = readIOA(it.body[o:], n)
		o += n
		it.flags |= cursorStarted
	}
	size := int(it.size)
	if it.flags&cursorVariable != 0 {
		if len(it.body)-o < 4 {
			return it.stop()
		}
		size = 4 + int(it.body[o+3])
	}
	if len(it.body)-o < size {
		return it.stop()
	}
	it.cur = o
	it.clen = size
	it.off = o + size
	it.left--
	return true
}

func (it *Objects) stop() bool {
	it.left = 0
	it.flags |= cursorCountErr
	return false
}

// Object returns the current object. Before the first Next its value is
// meaningless (it never panics).
func (it *Objects) Object() Object {
	ioa := it.ioa
	if it.stride != 0 {
		a := it.body[it.cur-3 : it.cur]
		ioa = uint32(a[0]) | uint32(a[1])<<8 | uint32(a[2])<<16
	}
	end := it.cur + it.clen
	return Object{IOA: ioa, Type: it.typ, Raw: it.body[it.cur:end:end]}
}

// Err returns ErrCount when the ASDU's count did not fit its bytes, else nil.
func (it *Objects) Err() error {
	if it.flags&cursorCountErr != 0 {
		return ErrCount
	}
	return nil
}
