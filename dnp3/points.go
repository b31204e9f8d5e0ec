package dnp3

import "math"

// ValueKind says which value a Point holds.
type ValueKind uint8

// Value kinds.
const (
	// KindNone: no value (an index in a request, class data, ...).
	KindNone ValueKind = iota
	// KindBit: Int is 0 or 1 (binary inputs and outputs, IIN bits,
	// pattern masks, the state bit of a flags octet).
	KindBit
	// KindDoubleBit: Int is 0-3 (0 intermediate, 1 off, 2 on, 3
	// indeterminate).
	KindDoubleBit
	// KindInt: Int is a signed analog value (analog inputs, frozen
	// inputs, analog outputs and their events and commands).
	KindInt
	// KindCounter: Int is an unsigned counter value (counters, frozen
	// counters, deadbands, security statistics).
	KindCounter
	// KindFloat: Float is a floating-point value; Double says whether it
	// was 64 bits on the wire.
	KindFloat
	// KindTime: Time is an absolute time (groups 50 and 51); for g50v2
	// and g50v4 Int is the interval (see [Points.Interval]).
	KindTime
	// KindDelay: Int is a delay in seconds (g52v1) or milliseconds
	// (g52v2).
	KindDelay
	// KindControl: a control relay output block or pattern control block
	// (group 12, variations 1 and 2); see [Points.CROB].
	KindControl
	// KindBytes: an opaque value: octet strings, virtual terminal data,
	// file control, secure authentication, data sets ([Points.Raw]).
	KindBytes
	// KindAttribute: a device attribute; see [Points.Attribute].
	KindAttribute
	numKinds
)

var kindNames = [numKinds]string{
	"none", "bit", "double-bit", "int", "counter", "float", "time", "delay", "control", "bytes", "attribute",
}

// Known reports whether k is one of the constants above.
func (k ValueKind) Known() bool { return k < numKinds }

// String names the kind ("counter"); an unknown value prints as
// "value kind 0x0b". It does not allocate for known values.
func (k ValueKind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return unknownName("value kind", uint64(k), 2)
}

// AppendText appends the text of String to b. It never allocates when b
// has room.
func (k ValueKind) AppendText(b []byte) ([]byte, error) {
	if k < numKinds {
		return append(b, kindNames[k]...), nil
	}
	return appendUnknown(b, "value kind", uint64(k), 2), nil
}

// Point is one decoded object: index, flags, value, time and command
// status. It is a small value (32 octets, four fields) read through
// methods, which the compiler keeps in registers: copying one out of a
// [Points] cursor costs nothing. The object's octets and size prefix, and
// the structured accessors that read them (CROB, device attribute, files,
// secure authentication), are on the cursor.
type Point struct {
	h pointHead
	i int64   // an integral value
	f float64 // a floating-point value
	t uint64  // the time
}

type pointHead struct {
	index uint32
	m     pointMeta
}

type pointMeta struct {
	kind          ValueKind
	bits          uint8 // hasFlags, hasTime, relTime, hasStatus, isDouble
	flags, status uint8
}

// pointMeta bits.
const (
	hasFlags uint8 = 1 << iota
	hasTime
	relTime
	hasStatus
	isDouble
)

// Index returns the point index: from the range, counting up, or from the
// object's index prefix.
func (p Point) Index() uint32 { return p.h.index }

// Kind says which value the point holds.
func (p Point) Kind() ValueKind { return p.h.m.kind }

// Flags returns the flags (quality) octet: bit 0 online, 1 restart, 2
// communication lost, 3 remote forced, 4 local forced, then the bits of
// the type (chatter filter, rollover, over-range, discontinuity, reference
// error), and for binaries the state in bit 7. It is 0 when HasFlags is
// false.
func (p Point) Flags() uint8 { return p.h.m.flags }

// HasFlags reports whether the object has a flags octet.
func (p Point) HasFlags() bool { return p.h.m.bits&hasFlags != 0 }

// Int returns an integral value (KindBit, KindDoubleBit, KindInt,
// KindCounter, KindDelay, the interval of KindTime); it is 0 for the other
// kinds.
func (p Point) Int() int64 { return p.i }

// Float returns a floating-point value (KindFloat); it is 0 for the other
// kinds.
func (p Point) Float() float64 { return p.f }

// Double reports whether a KindFloat value was a 64-bit float on the wire
// (a 32-bit one otherwise).
func (p Point) Double() bool { return p.h.m.bits&isDouble != 0 }

// Time returns the point's time: a DNP3 time, milliseconds since
// 1970-01-01 UTC (48 bits). A relative time (g2v3, g4v3, ...) is made
// absolute with the common time of occurrence (g51) before it in the
// fragment; without one, RelTime is set and Time holds the milliseconds
// relative to that unknown base. It is 0 when HasTime is false.
func (p Point) Time() uint64 { return p.t }

// HasTime reports whether the object has a time.
func (p Point) HasTime() bool { return p.h.m.bits&hasTime != 0 }

// RelTime reports whether Time is relative to a common time of occurrence
// that the fragment did not send before the object.
func (p Point) RelTime() bool { return p.h.m.bits&relTime != 0 }

// Status returns the command status of a command object (groups 12, 13,
// 41 and 43); it is 0 (success) when HasStatus is false.
func (p Point) Status() CommandStatus { return CommandStatus(p.h.m.status) }

// HasStatus reports whether the object has a command status.
func (p Point) HasStatus() bool { return p.h.m.bits&hasStatus != 0 }

// Points is a cursor over the objects of one header:
//
//	pts := objs.Points()
//	for pts.Next() {
//		p := pts.Point()
//	}
//	if err := pts.Err(); err != nil { ... }
//
// It does not allocate. Declare it before the loop: in a three-clause for
// statement Go copies the cursor on every iteration.
type Points struct {
	p Point
	// The objects not yet decoded are base[pos:end]. Inside an Objects
	// cursor base is the whole fragment body, set once per fragment, so
	// that a header only moves pos and end, and an object only pos. The
	// current object's octets, without its prefix, are base[rs:re].
	base      []byte
	pos, end  int
	rs, re    int
	left, idx uint32
	// bit counts the bits of packed objects read so far, or holds the
	// current object's size prefix: no objects have both.
	bit  uint32
	info typeInfo
	// fast is the object size when every object is info.fs() octets
	// without a prefix (the fast path of Next), else 0.
	fast uint8
	// op is info.op() on the fast path, opPacked for packed bits
	// without a prefix, else opNone.
	op    uint8
	q     Qualifier
	flags uint8 // ptHeaderOnly, ptKnown, ptPartial
	err   Error
	g, v  uint8
	ctoOK bool
	// cto is the time of the common time of occurrence before the
	// header, when ctoOK.
	cto uint64
}

// Points flags.
const (
	ptHeaderOnly uint8 = 1 << iota
	ptKnown
	// ptPartial is set when the data ended inside an object whose prefix
	// was read: p then holds what could be decoded.
	ptPartial
)

// resetAt points c at the first object of h, an object header of the
// fragment body that c.base holds: the objects follow the header. It
// stores no view, so that the body does not escape.
func (c *Points) resetAt(h *Object) {
	info, q := infoOf(h.Group, h.Variation), h.Qualifier
	var fast, op, flags uint8
	if h.HeaderOnly {
		flags |= ptHeaderOnly
	}
	if h.Known {
		flags |= ptKnown
		if !h.HeaderOnly && q&0x70 == 0 {
			switch info.kind() {
			case sizeFixed:
				fast, op = info.fs(), info.op()
			case sizeBits:
				op = opPacked
			}
		}
	}
	c.p = Point{}
	switch {
	case op == opPacked:
		// Packed bits set the index and the value only.
		c.p.h.m.kind = KindBit
		if info.fs() == 2 {
			c.p.h.m.kind = KindDoubleBit
		}
	case op != opNone:
		// Every inlined decoder reads a flags octet and a value of one
		// kind: those two fields are the same for all the objects.
		c.p.h.m.kind, c.p.h.m.bits = opKinds[op], hasFlags
	}
	ds := h.Offset + int(h.HeaderLen)
	c.pos, c.end, c.rs, c.re = ds, ds+int(h.dn), ds, ds
	c.left, c.idx, c.bit, c.info = h.Count, h.Start, 0, info
	c.fast, c.op, c.q, c.flags, c.err = fast, op, q, flags, 0
	c.g, c.v, c.cto, c.ctoOK = h.Group, h.Variation, h.cto, h.ctoOK
}

// rest returns the objects not yet decoded.
func (c *Points) rest() []byte { return c.base[c.pos:c.end] }

// Partial returns, after Next stopped with ErrTruncated inside an object
// (or ErrUnknownObject on an object whose prefix could be read), that
// object as far as its bytes go: its prefix (index or size) and the value
// fields whose bytes were present (Kind, HasFlags and HasTime say which).
// Raw and the structured accessors then read the octets present. ok is
// false when not even the prefix was there.
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
	// opPacked: packed bits (1 or 2 per object, info.fs()) without a
	// prefix, the short path of Points.Next for objects that share
	// octets. It is never in a typeInfo.
	opPacked
)

// opKinds is the value kind of each inlined decoder.
var opKinds = [8]ValueKind{opFlagsBit: KindBit, opFlagsI16: KindInt, opFlagsI32: KindInt, opFlagsC16: KindCounter, opFlagsC32: KindCounter}

// Point returns the current object.
func (c *Points) Point() Point { return c.p }

// Size returns the current object's size prefix (0 without one): with a
// Partial object cut short, more than Raw holds.
func (c *Points) Size() uint32 {
	if !c.q.SizePrefix() {
		return 0
	}
	return c.bit
}

// Raw returns the current object's octets without its prefix (for packed
// bits, the octet that holds the bit). It aliases the fragment.
func (c *Points) Raw() []byte { return c.base[c.rs:c.re:c.re] }

// Type returns the group and variation of the cursor's objects.
func (c *Points) Type() ObjectType { return ObjectType(c.g)<<8 | ObjectType(c.v) }

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
		c.rs, c.pos, c.re = pos, pos+n, pos+n
		p := &c.p
		p.h.index = c.idx
		// reset has stored the kind and the flags bit for the inlined
		// decoders.
		switch c.op {
		case opFlagsBit:
			p.h.m.flags, p.i = r[0], int64(r[0]>>7)
		case opFlagsI16:
			p.h.m.flags, p.i = r[0], int64(int16(le16(r[1:3])))
		case opFlagsI32:
			p.h.m.flags, p.i = r[0], int64(int32(le32(r[1:5])))
		case opFlagsC16:
			p.h.m.flags, p.i = r[0], int64(le16(r[1:3]))
		case opFlagsC32:
			p.h.m.flags, p.i = r[0], int64(le32(r[1:5]))
		default:
			c.decodeLayout(r)
		}
		c.left--
		c.idx++
		return true
	}
	if c.op == opPacked {
		// Packed bits without a prefix: the objects share octets, and
		// pos moves past them once the last is read. The kind is set
		// and the other fields stay zero (see resetAt).
		bit := c.bit
		if i := c.pos + int(bit>>3); i < c.end {
			// fs is 1 or 2, so fs|1 is the mask of an object's bits.
			fs := c.info.fs()
			p := &c.p
			p.h.index, p.i = c.idx, int64(c.base[i]>>(bit&7)&(fs|1))
			bit += uint32(fs)
			c.bit, c.rs, c.re = bit, i, i+1
			c.left--
			c.idx++
			if c.left == 0 {
				c.pos += int((bit + 7) / 8)
			}
			return true
		}
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
	b := c.rest()
	pl := q.PrefixLen()
	if !sizePrefix {
		if headerOnly {
			if !q.IndexPrefix() {
				return false
			}
		} else if c.flags&ptKnown == 0 {
			// Unknown size: the first prefix, if there is one, is all
			// that can be read.
			if pl > 0 && len(b) >= pl {
				c.p = Point{h: pointHead{index: leN(b, pl)}}
				c.rs, c.re = c.end, c.end
				c.flags |= ptPartial
			}
			return c.fail(ErrUnknownObject)
		} else if kind == sizeFixed && fs == 0 && !q.IndexPrefix() {
			// Objects without data (class data, default variations).
			return false
		}
	}
	p := &c.p
	*p = Point{h: pointHead{index: c.idx}}
	start := c.pos
	if pl > 0 {
		if len(b) < pl {
			return c.truncated()
		}
		v := leN(b, pl)
		b = b[pl:]
		start += pl
		if sizePrefix {
			c.bit = v
		} else {
			p.h.index = v
		}
	} else if kind == sizeBits && !headerOnly {
		// Packed bits: objects share octets.
		byteIdx := c.bit / 8
		if uint(len(b)) <= uint(byteIdx) {
			return c.truncated()
		}
		p.i = int64(b[byteIdx] >> (c.bit % 8) & (1<<fs - 1))
		c.bit += uint32(fs)
		p.h.m.kind = KindBit
		if fs == 2 {
			p.h.m.kind = KindDoubleBit
		}
		c.rs, c.re = start+int(byteIdx), start+int(byteIdx)+1
		if c.left == 1 {
			c.pos += int((c.bit + 7) / 8)
		}
		return c.advance()
	}
	if headerOnly && !sizePrefix {
		c.rs, c.re, c.pos = start, start, start
		return c.advance()
	}
	var n int
	switch {
	case sizePrefix:
		n = int(c.bit)
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
		c.rs, c.re = start, c.end
		if kind != sizeVariable {
			c.decodeLayout(b)
		}
		c.flags |= ptPartial
		return c.truncated()
	}
	c.rs, c.re, c.pos = start, start+n, start+n
	c.decodeLayout(b[:n:n])
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
		p.h.m.flags, p.h.m.bits = r[0], p.h.m.bits|hasFlags
		return r[1:]
	}
	return r
}

func takeStatus(p *Point, r []byte) []byte {
	if len(r) > 0 {
		p.h.m.status, p.h.m.bits = r[0]&0x7F, p.h.m.bits|hasStatus
		return r[1:]
	}
	return r
}

func takeTime(p *Point, r []byte) []byte {
	if len(r) >= 6 {
		p.t, p.h.m.bits = le48(r), p.h.m.bits|hasTime
		return r[6:]
	}
	return r
}

func (c *Points) takeRelTime(r []byte) {
	if len(r) >= 2 {
		p := &c.p
		if c.ctoOK {
			p.t, p.h.m.bits = c.cto+uint64(le16(r)), p.h.m.bits|hasTime
		} else {
			p.t, p.h.m.bits = uint64(le16(r)), p.h.m.bits|hasTime|relTime
		}
	}
}

func takeI32(p *Point, r []byte) []byte {
	if len(r) >= 4 {
		p.i, p.h.m.kind = int64(int32(le32(r))), KindInt
		return r[4:]
	}
	return r
}

func takeI16(p *Point, r []byte) []byte {
	if len(r) >= 2 {
		p.i, p.h.m.kind = int64(int16(le16(r))), KindInt
		return r[2:]
	}
	return r
}

func takeF32(p *Point, r []byte) []byte {
	if len(r) >= 4 {
		p.f, p.h.m.kind = float64(math.Float32frombits(le32(r))), KindFloat
		return r[4:]
	}
	return r
}

func takeF64(p *Point, r []byte) []byte {
	if len(r) >= 8 {
		p.f, p.h.m.kind, p.h.m.bits = math.Float64frombits(uint64(le32(r))|uint64(le32(r[4:]))<<32), KindFloat, p.h.m.bits|isDouble
		return r[8:]
	}
	return r
}

func takeC32(p *Point, r []byte) []byte {
	if len(r) >= 4 {
		p.i, p.h.m.kind = int64(le32(r)), KindCounter
		return r[4:]
	}
	return r
}

func takeC16(p *Point, r []byte) []byte {
	if len(r) >= 2 {
		p.i, p.h.m.kind = int64(le16(r)), KindCounter
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

// decodeLayout fills the current point's value fields from r, its octets.
// It reads only the octets present, so a truncated object gets the fields
// that fit.
func (c *Points) decodeLayout(r []byte) {
	p := &c.p
	l := c.info.lay()
	switch l.lead {
	case leadFlags:
		r = takeFlags(p, r)
	case leadStatus:
		r = takeStatus(p, r)
	}
	switch l.val {
	case valBit0:
		if len(r) > 0 {
			p.h.m.kind, p.i = KindBit, int64(r[0]&1)
		}
	case valDouble0:
		if len(r) > 0 {
			p.h.m.kind, p.i = KindDoubleBit, int64(r[0]&3)
		}
	case valStateBit:
		p.h.m.kind, p.i = KindBit, int64(p.h.m.flags>>7)
	case valDoubleBit:
		p.h.m.kind, p.i = KindDoubleBit, int64(p.h.m.flags>>6)
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
		r = takeTime(p, r)
		p.h.m.kind = KindTime
		// g50v2 and g50v4: the interval after the time.
		if len(r) >= 4 {
			p.i = int64(le32(r))
		}
	case valDelay:
		if len(r) >= 2 {
			p.h.m.kind, p.i = KindDelay, int64(le16(r))
		}
	case valControl:
		p.h.m.kind = KindControl
		if len(r) == 11 {
			p.h.m.status, p.h.m.bits = r[10]&0x7F, p.h.m.bits|hasStatus
		}
	case valBytes:
		p.h.m.kind = KindBytes
	case valAttr:
		p.h.m.kind = KindAttribute
	case valSecStat:
		if len(r) >= 6 {
			p.h.m.kind, p.i = KindCounter, int64(le32(r[2:]))
			r = r[6:]
		}
	case valCommandBit:
		if len(r) > 0 {
			p.h.m.status, p.h.m.bits = r[0]&0x7F, p.h.m.bits|hasStatus
			p.h.m.kind, p.i = KindBit, int64(r[0]>>7)
			r = r[1:]
		}
	}
	switch l.trail {
	case trailTime:
		takeTime(p, r)
	case trailRel:
		c.takeRelTime(r)
	case trailStatus:
		takeStatus(p, r)
	}
}

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }
func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
func le48(b []byte) uint64 { return uint64(le32(b)) | uint64(le16(b[4:]))<<32 }
