package dnp3

import "math"

// ValueKind says which of a Point's value fields is meaningful.
type ValueKind uint8

// Value kinds.
const (
	// KindNone: no value (an index in a request, class data, ...).
	KindNone ValueKind = iota
	// KindBit: Int holds 0 or 1 (binary inputs and outputs, IIN bits,
	// pattern masks, the state bit of a flags octet).
	KindBit
	// KindDoubleBit: Int holds 0-3.
	KindDoubleBit
	// KindInt: Int holds a signed analog value.
	KindInt
	// KindCounter: Int holds an unsigned counter value.
	KindCounter
	// KindFloat: Float holds a floating-point value.
	KindFloat
	// KindTime: Time holds an absolute time (groups 50 and 51).
	KindTime
	// KindDelay: Int holds a delay in seconds (g52v1) or milliseconds
	// (g52v2).
	KindDelay
	// KindControl: a control relay output block or pattern control block;
	// see Point.CROB.
	KindControl
	// KindBytes: Raw holds an opaque value (octet strings, virtual
	// terminal data, file control, secure authentication, data sets).
	KindBytes
	// KindAttribute: a device attribute; see Point.Attribute.
	KindAttribute
)

// Point is one decoded object: index, flags, value and timestamp. Its
// fields are ordered so that it takes 64 octets.
type Point struct {
	// Index is the point index, from the range or from an index prefix.
	Index uint32
	// Size is the object size from a size prefix (0 without one).
	Size uint32
	// Int holds integer values (see Kind).
	Int int64
	// Float holds floating-point values.
	Float float64
	// Time is a DNP3 time: milliseconds since 1970-01-01 UTC in 48 bits
	// (absolute), or milliseconds relative to the last common time of
	// occurrence when RelTime is set.
	Time uint64
	// Raw holds the object's bytes without the prefix. It aliases the
	// fragment.
	Raw []byte
	// Flags is the quality octet when HasFlags.
	Flags    uint8
	HasFlags bool
	Kind     ValueKind
	HasTime  bool
	RelTime  bool
	// Status is the control status of command objects (groups 12, 13, 41
	// and 43), when HasStatus.
	Status    uint8
	HasStatus bool
}

// Points is a cursor over the objects of one header:
//
//	pt := h.Points()
//	for pt.Next() {
//		p := pt.Point()
//	}
//
// It does not allocate. Declare it before the loop: in a three-clause for
// statement Go copies the cursor on every iteration.
type Points struct {
	p Point
	// The objects not yet decoded are base[pos:end]. Inside an Objects
	// cursor base is the whole fragment body, set once per fragment, so
	// that a header only moves pos and end, and an object only pos.
	base     []byte
	pos, end int
	// left objects remain (0 after an error), the next numbered idx; bit
	// bits of packed objects have been read.
	left, idx, bit uint32
	info           typeInfo
	// fast is the object size when every object is info.fs() octets
	// without a prefix (the fast path of Next), else 0.
	fast uint8
	// op is info.op() on the fast path, else opNone.
	op    uint8
	q     Qualifier
	flags uint8 // ptHeaderOnly, ptKnown, ptPartial
	err   Error
}

// Points flags.
const (
	ptHeaderOnly uint8 = 1 << iota
	ptKnown
	// ptPartial is set when the data ended inside an object whose prefix
	// was read: p then holds what could be decoded.
	ptPartial
)

// reset points c at the first object of h.
func (c *Points) reset(h *ObjectHeader) {
	info, q := infoOf(h.Group, h.Variation), h.Qualifier
	var fast, op, flags uint8
	if h.HeaderOnly {
		flags |= ptHeaderOnly
	}
	if h.Known {
		flags |= ptKnown
		if info.kind() == sizeFixed && !h.HeaderOnly && q&0x70 == 0 {
			fast, op = info.fs(), info.op()
		}
	}
	c.p = Point{}
	if op != opNone {
		// Every inlined decoder reads a flags octet and a value of one
		// kind: those two fields are the same for all the objects.
		c.p.HasFlags, c.p.Kind = true, opKinds[op]
	}
	c.base, c.pos, c.end = h.Data, 0, len(h.Data)
	c.left, c.idx, c.bit, c.info = h.Count, h.Start, 0, info
	c.fast, c.op, c.q, c.flags, c.err = fast, op, q, flags, 0
}

// rest returns the objects not yet decoded.
func (c *Points) rest() []byte { return c.base[c.pos:c.end] }

// setRest records that b, a tail of rest(), remains.
func (c *Points) setRest(b []byte) { c.pos = c.end - len(b) }

// Partial returns, after Next stopped with ErrTruncated inside an object,
// that object as far as its bytes go: its prefix (index or size) and the
// value fields whose bytes were present (Kind, HasFlags and HasTime say
// which). ok is false when not even the prefix was there.
func (c *Points) Partial() (p Point, ok bool) { return c.p, c.flags&ptPartial != 0 }

// Inlined decoders of Points.Next for a flags octet followed by a value,
// as decodeLayout would decode them.
const (
	opNone uint8 = iota
	opFlagsBit
	opFlagsI16
	opFlagsI32
	opFlagsC16
	opFlagsC32
)

// opKinds is the value kind of each inlined decoder.
var opKinds = [8]ValueKind{opFlagsBit: KindBit, opFlagsI16: KindInt, opFlagsI32: KindInt, opFlagsC16: KindCounter, opFlagsC32: KindCounter}

// Point returns the current object. It points into the cursor and is valid
// until the next call to Next; copy the Point to keep it. Returning a
// pointer spares a copy per object.
func (c *Points) Point() *Point { return &c.p }

// Err returns ErrTruncated when the data ended before the announced
// objects, ErrUnknownObject for an object of unknown size, else nil.
func (c *Points) Err() error {
	if c.err == 0 {
		return nil
	}
	return c.err
}

// Next decodes the next object and reports whether there is one. The
// check for the end is small enough to be inlined.
func (c *Points) Next() bool {
	if c.left == 0 {
		return false
	}
	return c.step()
}

// step is Next once an object is announced.
func (c *Points) step() bool {
	if n, pos := int(c.fast), c.pos; n != 0 && n <= c.end-pos {
		// Fixed-size objects without a prefix: the common case. Every
		// object of the header sets the same fields (the layout and the
		// size are the same), so the Point is not cleared in between.
		r := c.base[pos : pos+n : pos+n]
		c.pos = pos + n
		p := &c.p
		p.Index = c.idx
		p.Raw = r
		// set has stored HasFlags and Kind for the inlined decoders.
		switch c.op {
		case opFlagsBit:
			p.Flags, p.Int = r[0], int64(r[0]>>7)
		case opFlagsI16:
			p.Flags, p.Int = r[0], int64(int16(le16(r[1:3])))
		case opFlagsI32:
			p.Flags, p.Int = r[0], int64(int32(le32(r[1:5])))
		case opFlagsC16:
			p.Flags, p.Int = r[0], int64(le16(r[1:3]))
		case opFlagsC32:
			p.Flags, p.Int = r[0], int64(le32(r[1:5]))
		default:
			decodeLayout(p, c.info.lay())
		}
		c.left--
		c.idx++
		return true
	}
	return c.next()
}

// next is Next for objects with a prefix, packed bits, variable sizes and
// the errors.
func (c *Points) next() bool {
	info := c.info
	fs, kind, headerOnly := info.fs(), info.kind(), c.flags&ptHeaderOnly != 0
	q := c.q
	sizePrefix := q.SizePrefix()
	if !sizePrefix {
		if headerOnly {
			if !q.IndexPrefix() {
				return false
			}
		} else if c.flags&ptKnown == 0 {
			return c.fail(ErrUnknownObject)
		} else if kind == sizeFixed && fs == 0 && !q.IndexPrefix() {
			// Objects without data (class data, default variations).
			return false
		}
	}
	p := &c.p
	*p = Point{Index: c.idx}
	b := c.rest()
	if pl := q.PrefixLen(); pl > 0 {
		if len(b) < pl {
			return c.truncated()
		}
		v := leN(b, pl)
		b = b[pl:]
		if sizePrefix {
			p.Size = v
		} else {
			p.Index = v
		}
	} else if kind == sizeBits && !headerOnly {
		// Packed bits: objects share octets.
		byteIdx := c.bit / 8
		if uint(len(b)) <= uint(byteIdx) {
			return c.truncated()
		}
		p.Int = int64(b[byteIdx] >> (c.bit % 8) & (1<<fs - 1))
		c.bit += uint32(fs)
		p.Kind = KindBit
		if fs == 2 {
			p.Kind = KindDoubleBit
		}
		p.Raw = b[byteIdx : byteIdx+1 : byteIdx+1]
		if c.left == 1 {
			c.setRest(b[(c.bit+7)/8:])
		}
		return c.advance()
	}
	if headerOnly && !sizePrefix {
		c.setRest(b)
		return c.advance()
	}
	var n int
	switch {
	case sizePrefix:
		n = int(p.Size)
	case kind == sizeFixed:
		n = int(fs)
	case kind == sizeBits:
		n = 1
	case kind == sizeVariable:
		if len(b) < 1 {
			return c.truncated()
		}
		l, ok := attrSize(b)
		if !ok {
			return c.fail(ErrUnknownObject)
		}
		n = l
	default:
		return c.fail(ErrUnknownObject)
	}
	if n < 0 || len(b) < n {
		if kind != sizeVariable {
			p.Raw = b
			decodeLayout(p, info.lay())
		}
		c.flags |= ptPartial
		return c.truncated()
	}
	p.Raw = b[:n:n]
	c.setRest(b[n:])
	decodeLayout(p, info.lay())
	return c.advance()
}

func (c *Points) truncated() bool { return c.fail(ErrTruncated) }

// fail stops the cursor with err.
func (c *Points) fail(err Error) bool {
	c.err = err
	c.left = 0
	return false
}

func (c *Points) advance() bool {
	c.left--
	c.idx++
	return true
}

// Small readers for decodeLayout: each takes a field off the front of r
// when it is there, stores it in p and returns the rest.

func takeFlags(p *Point, r []byte) []byte {
	if len(r) > 0 {
		p.Flags, p.HasFlags = r[0], true
		return r[1:]
	}
	return r
}

func takeStatus(p *Point, r []byte) []byte {
	if len(r) > 0 {
		p.Status, p.HasStatus = r[0]&0x7F, true
		return r[1:]
	}
	return r
}

func takeTime(p *Point, r []byte) []byte {
	if len(r) >= 6 {
		p.Time, p.HasTime = le48(r), true
		return r[6:]
	}
	return r
}

func takeRelTime(p *Point, r []byte) {
	if len(r) >= 2 {
		p.Time, p.HasTime, p.RelTime = uint64(le16(r)), true, true
	}
}

func takeI32(p *Point, r []byte) []byte {
	if len(r) >= 4 {
		p.Int, p.Kind = int64(int32(le32(r))), KindInt
		return r[4:]
	}
	return r
}

func takeI16(p *Point, r []byte) []byte {
	if len(r) >= 2 {
		p.Int, p.Kind = int64(int16(le16(r))), KindInt
		return r[2:]
	}
	return r
}

func takeF32(p *Point, r []byte) []byte {
	if len(r) >= 4 {
		p.Float, p.Kind = float64(math.Float32frombits(le32(r))), KindFloat
		return r[4:]
	}
	return r
}

func takeF64(p *Point, r []byte) []byte {
	if len(r) >= 8 {
		p.Float, p.Kind = math.Float64frombits(uint64(le32(r))|uint64(le32(r[4:]))<<32), KindFloat
		return r[8:]
	}
	return r
}

func takeC32(p *Point, r []byte) []byte {
	if len(r) >= 4 {
		p.Int, p.Kind = int64(le32(r)), KindCounter
		return r[4:]
	}
	return r
}

func takeC16(p *Point, r []byte) []byte {
	if len(r) >= 2 {
		p.Int, p.Kind = int64(le16(r)), KindCounter
		return r[2:]
	}
	return r
}

// valueLayout says how an object's octets map to a Point: an optional
// leading flags or status octet, the value, and an optional trailing time
// or status. It is computed once per object header by layoutOf.
type valueLayout struct {
	lead, val, trail uint8
}

const (
	leadNone uint8 = iota
	leadFlags
	leadStatus
)

const (
	valNone      uint8 = iota
	valBit0            // bit 0 of the octet (packed bits with an index prefix, g12v3, g80)
	valDouble0         // bits 0-1 of the octet (g3v1 with an index prefix)
	valStateBit        // bit 7 of the flags
	valDoubleBit       // bits 6-7 of the flags
	valI16
	valI32
	valF32
	valF64
	valC16
	valC32
	valTime
	valDelay
	valControl
	valBytes
	valAttr
	valSecStat
	valCommandBit // g13: status in bits 0-6, commanded state in bit 7
)

const (
	trailNone uint8 = iota
	trailTime
	trailRel
	trailStatus
)

// layoutOf returns the layout of group g, variation v.
func layoutOf(g, v uint8, kind sizeKind) valueLayout {
	if kind == sizeVariable {
		return valueLayout{val: valAttr}
	}
	switch g {
	case 1, 10:
		if v == 1 {
			return valueLayout{val: valBit0}
		}
		return valueLayout{lead: leadFlags, val: valStateBit}
	case 12:
		if v == 3 {
			return valueLayout{val: valBit0}
		}
		return valueLayout{val: valControl}
	case 80:
		return valueLayout{val: valBit0}
	case 2, 11:
		l := valueLayout{lead: leadFlags, val: valStateBit}
		switch v {
		case 2:
			l.trail = trailTime
		case 3:
			l.trail = trailRel
		}
		return l
	case 3, 4:
		if g == 3 && v == 1 {
			return valueLayout{val: valDouble0}
		}
		l := valueLayout{lead: leadFlags, val: valDoubleBit}
		switch v {
		case 2:
			l.trail = trailTime
		case 3:
			l.trail = trailRel
		}
		return l
	case 13:
		l := valueLayout{val: valCommandBit}
		if v == 2 {
			l.trail = trailTime
		}
		return l
	case 20, 21, 22, 23:
		var l valueLayout
		if !(g == 20 && v >= 5 || g == 21 && v >= 9) {
			l.lead = leadFlags
		}
		l.val = valC16
		if v%2 == 1 {
			l.val = valC32
		}
		if g == 21 && v >= 5 && v <= 8 || g >= 22 && v >= 5 {
			l.trail = trailTime
		}
		return l
	case 30:
		var l valueLayout
		if v != 3 && v != 4 {
			l.lead = leadFlags
		}
		switch v {
		case 1, 3:
			l.val = valI32
		case 2, 4:
			l.val = valI16
		case 5:
			l.val = valF32
		case 6:
			l.val = valF64
		}
		return l
	case 31:
		var l valueLayout
		if v != 5 && v != 6 {
			l.lead = leadFlags
		}
		switch v {
		case 1, 3, 5:
			l.val = valI32
		case 2, 4, 6:
			l.val = valI16
		case 7:
			l.val = valF32
		case 8:
			l.val = valF64
		}
		if v == 3 || v == 4 {
			l.trail = trailTime
		}
		return l
	case 32, 33, 42, 43:
		l := valueLayout{lead: leadFlags}
		if g == 43 {
			l.lead = leadStatus
		}
		switch v {
		case 1, 3:
			l.val = valI32
		case 2, 4:
			l.val = valI16
		case 5, 7:
			l.val = valF32
		case 6, 8:
			l.val = valF64
		}
		if v == 3 || v == 4 || v == 7 || v == 8 {
			l.trail = trailTime
		}
		return l
	case 34:
		switch v {
		case 1:
			return valueLayout{val: valC16}
		case 2:
			return valueLayout{val: valC32}
		case 3:
			return valueLayout{val: valF32}
		}
		return valueLayout{}
	case 40, 41:
		var l valueLayout
		if g == 40 {
			l.lead = leadFlags
		} else {
			l.trail = trailStatus
		}
		switch v {
		case 1:
			l.val = valI32
		case 2:
			l.val = valI16
		case 3:
			l.val = valF32
		case 4:
			l.val = valF64
		}
		return l
	case 50, 51:
		return valueLayout{val: valTime}
	case 52:
		return valueLayout{val: valDelay}
	case 121, 122:
		l := valueLayout{lead: leadFlags, val: valSecStat}
		if v == 2 {
			l.trail = trailTime
		}
		return l
	}
	return valueLayout{val: valBytes}
}

// decodeLayout fills p's value fields from p.Raw. It reads only the octets
// present, so a truncated object gets the fields that fit.
func decodeLayout(p *Point, l valueLayout) {
	r := p.Raw
	switch l.lead {
	case leadFlags:
		r = takeFlags(p, r)
	case leadStatus:
		r = takeStatus(p, r)
	}
	switch l.val {
	case valBit0:
		if len(r) > 0 {
			p.Kind, p.Int = KindBit, int64(r[0]&1)
		}
	case valDouble0:
		if len(r) > 0 {
			p.Kind, p.Int = KindDoubleBit, int64(r[0]&3)
		}
	case valStateBit:
		p.Kind, p.Int = KindBit, int64(p.Flags>>7)
	case valDoubleBit:
		p.Kind, p.Int = KindDoubleBit, int64(p.Flags>>6)
	case valI16:
		r = takeI16(p, r)
	case valI32:
		r = takeI32(p, r)
	case valF32:
		r = takeF32(p, r)
	case valF64:
		r = takeF64(p, r)
	case valC16:
		r = takeC16(p, r)
	case valC32:
		r = takeC32(p, r)
	case valTime:
		takeTime(p, r)
		p.Kind = KindTime
	case valDelay:
		if len(r) >= 2 {
			p.Kind, p.Int = KindDelay, int64(le16(r))
		}
	case valControl:
		p.Kind = KindControl
		if len(r) == 11 {
			p.Status, p.HasStatus = r[10]&0x7F, true
		}
	case valBytes:
		p.Kind = KindBytes
	case valAttr:
		p.Kind = KindAttribute
	case valSecStat:
		if len(r) >= 6 {
			p.Kind, p.Int = KindCounter, int64(le32(r[2:]))
			r = r[6:]
		}
	case valCommandBit:
		if len(r) > 0 {
			p.Status, p.HasStatus = r[0]&0x7F, true
			p.Kind, p.Int = KindBit, int64(r[0]>>7)
			r = r[1:]
		}
	}
	switch l.trail {
	case trailTime:
		takeTime(p, r)
	case trailRel:
		takeRelTime(p, r)
	case trailStatus:
		takeStatus(p, r)
	}
}

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }
func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
func le48(b []byte) uint64 { return uint64(le32(b)) | uint64(le16(b[4:]))<<32 }
