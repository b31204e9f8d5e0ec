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

// Point is one decoded object: index, flags, value and timestamp.
type Point struct {
	// Index is the point index, from the range or from an index prefix.
	Index uint32
	// Size is the object size from a size prefix (0 without one).
	Size uint32
	// Flags is the quality octet when HasFlags.
	Flags    uint8
	HasFlags bool
	Kind     ValueKind
	// Int holds integer values (see Kind).
	Int int64
	// Float holds floating-point values.
	Float float64
	// Time is a DNP3 time: milliseconds since 1970-01-01 UTC in 48 bits
	// (absolute), or milliseconds relative to the last common time of
	// occurrence when RelTime is set.
	Time    uint64
	HasTime bool
	RelTime bool
	// Status is the control status of command objects (groups 12, 13, 41
	// and 43), when HasStatus.
	Status    uint8
	HasStatus bool
	// Raw holds the object's bytes without the prefix. It aliases the
	// fragment.
	Raw []byte
}

// Points is a cursor over the objects of one header:
//
//	for pt := h.Points(); pt.Next(); {
//		p := pt.Point()
//	}
//
// It does not allocate.
type Points struct {
	h    ObjectHeader
	rest []byte
	i    uint32
	idx  uint32
	bit  uint
	p    Point
	err  error
	// partial is set when the data ended inside an object whose prefix
	// was read: p then holds what could be decoded.
	partial bool
}

// Partial returns, after Next stopped with ErrTruncated inside an object,
// that object as far as its bytes go: its prefix (index or size) and the
// value fields whose bytes were present (Kind, HasFlags and HasTime say
// which). ok is false when not even the prefix was there.
func (c *Points) Partial() (p Point, ok bool) { return c.p, c.partial }

// Point returns the current object.
func (c *Points) Point() Point { return c.p }

// Err returns ErrTruncated when the data ended before the announced
// objects, ErrUnknownObject for an object of unknown size, else nil.
func (c *Points) Err() error { return c.err }

// Next decodes the next object and reports whether there is one.
func (c *Points) Next() bool {
	h := &c.h
	if c.err != nil || c.i >= h.Count {
		return false
	}
	q := h.Qualifier
	if h.HeaderOnly && !q.IndexPrefix() && !q.SizePrefix() {
		return false
	}
	if !h.Known && !q.SizePrefix() {
		c.err = ErrUnknownObject
		return false
	}
	fs, kind := fixedSize(h.Group, h.Variation)
	if !h.HeaderOnly && !q.SizePrefix() && kind == sizeFixed && fs == 0 && !q.IndexPrefix() {
		// Objects without data (class data, default variations).
		return false
	}
	p := Point{Index: c.idx}
	b := c.rest
	pl := q.PrefixLen()
	if pl > 0 {
		if len(b) < pl {
			return c.truncated()
		}
		v := leN(b, pl)
		b = b[pl:]
		if q.SizePrefix() {
			p.Size = v
		} else {
			p.Index = v
		}
	}
	if h.HeaderOnly && !q.SizePrefix() {
		c.rest = b
		return c.advance(p)
	}
	if kind == sizeBits && pl == 0 {
		// Packed bits: objects share octets.
		byteIdx := c.bit / 8
		if uint(len(b)) <= byteIdx {
			return c.truncated()
		}
		v := b[byteIdx] >> (c.bit % 8) & (1<<fs - 1)
		c.bit += uint(fs)
		p.Int = int64(v)
		p.Kind = KindBit
		if fs == 2 {
			p.Kind = KindDoubleBit
		}
		p.Raw = b[byteIdx : byteIdx+1 : byteIdx+1]
		if c.i+1 == h.Count {
			c.rest = b[(c.bit+7)/8:]
		}
		return c.advance(p)
	}
	var n int
	switch {
	case q.SizePrefix():
		n = int(p.Size)
	case kind == sizeBits:
		n = 1
	case kind == sizeFixed:
		n = fs
	case kind == sizeVariable:
		if len(b) < 1 {
			return c.truncated()
		}
		l, ok := attrSize(b)
		if !ok {
			c.err = ErrUnknownObject
			return false
		}
		n = l
	default:
		c.err = ErrUnknownObject
		return false
	}
	if n < 0 || len(b) < n {
		if kind != sizeVariable {
			p.Raw = b
			decodeValue(&p, h.Group, h.Variation, kind)
		}
		c.p = p
		c.partial = true
		return c.truncated()
	}
	p.Raw = b[:n:n]
	c.rest = b[n:]
	decodeValue(&p, h.Group, h.Variation, kind)
	return c.advance(p)
}

func (c *Points) truncated() bool {
	c.err = ErrTruncated
	return false
}

func (c *Points) advance(p Point) bool {
	c.p = p
	c.i++
	c.idx++
	return true
}

// decodeValue fills p's value fields from p.Raw for group g, variation v.
func decodeValue(p *Point, g, v uint8, kind sizeKind) {
	r := p.Raw
	if kind == sizeVariable {
		p.Kind = KindAttribute
		return
	}
	flags := func() {
		if len(r) > 0 {
			p.Flags, p.HasFlags = r[0], true
			r = r[1:]
		}
	}
	status := func() {
		if len(r) > 0 {
			p.Status, p.HasStatus = r[0]&0x7F, true
			r = r[1:]
		}
	}
	abstime := func() {
		if len(r) >= 6 {
			p.Time, p.HasTime = le48(r), true
			r = r[6:]
		}
	}
	i32 := func() {
		if len(r) >= 4 {
			p.Int, p.Kind = int64(int32(le32(r))), KindInt
			r = r[4:]
		}
	}
	i16 := func() {
		if len(r) >= 2 {
			p.Int, p.Kind = int64(int16(le16(r))), KindInt
			r = r[2:]
		}
	}
	f32 := func() {
		if len(r) >= 4 {
			p.Float, p.Kind = float64(math.Float32frombits(le32(r))), KindFloat
			r = r[4:]
		}
	}
	f64 := func() {
		if len(r) >= 8 {
			p.Float, p.Kind = math.Float64frombits(uint64(le32(r))|uint64(le32(r[4:]))<<32), KindFloat
			r = r[8:]
		}
	}
	c32 := func() {
		if len(r) >= 4 {
			p.Int, p.Kind = int64(le32(r)), KindCounter
			r = r[4:]
		}
	}
	c16 := func() {
		if len(r) >= 2 {
			p.Int, p.Kind = int64(le16(r)), KindCounter
			r = r[2:]
		}
	}
	stateBit := func() {
		p.Kind = KindBit
		p.Int = int64(p.Flags >> 7)
	}
	switch g {
	case 1, 10, 12, 80:
		if g == 12 && v != 3 {
			p.Kind = KindControl
			if len(r) == 11 {
				p.Status, p.HasStatus = r[10]&0x7F, true
			}
			return
		}
		if v == 1 || g == 12 || g == 80 {
			if len(r) > 0 {
				p.Kind, p.Int = KindBit, int64(r[0]&1)
			}
			return
		}
		flags()
		stateBit()
	case 2, 11:
		flags()
		stateBit()
		switch v {
		case 2:
			abstime()
		case 3:
			if len(r) >= 2 {
				p.Time, p.HasTime, p.RelTime = uint64(le16(r)), true, true
			}
		}
	case 3, 4:
		if g == 3 && v == 1 {
			if len(r) > 0 {
				p.Kind, p.Int = KindDoubleBit, int64(r[0]&3)
			}
			return
		}
		flags()
		p.Kind, p.Int = KindDoubleBit, int64(p.Flags>>6)
		switch v {
		case 2:
			abstime()
		case 3:
			if len(r) >= 2 {
				p.Time, p.HasTime, p.RelTime = uint64(le16(r)), true, true
			}
		}
	case 13:
		if len(r) > 0 {
			p.Status, p.HasStatus = r[0]&0x7F, true
			p.Kind, p.Int = KindBit, int64(r[0]>>7)
			r = r[1:]
		}
		abstime()
	case 20, 21, 22, 23:
		noFlag := g == 20 && v >= 5 || g == 21 && v >= 9
		if !noFlag {
			flags()
		}
		wide := v%2 == 1
		if wide {
			c32()
		} else {
			c16()
		}
		if g == 21 && v >= 5 && v <= 8 || g >= 22 && v >= 5 {
			abstime()
		}
	case 30:
		if v != 3 && v != 4 {
			flags()
		}
		switch v {
		case 1, 3:
			i32()
		case 2, 4:
			i16()
		case 5:
			f32()
		case 6:
			f64()
		}
	case 31:
		if v != 5 && v != 6 {
			flags()
		}
		switch v {
		case 1, 3, 5:
			i32()
		case 2, 4, 6:
			i16()
		case 7:
			f32()
		case 8:
			f64()
		}
		if v == 3 || v == 4 {
			abstime()
		}
	case 32, 33, 42, 43:
		if g == 43 {
			status()
		} else {
			flags()
		}
		switch v {
		case 1, 3:
			i32()
		case 2, 4:
			i16()
		case 5, 7:
			f32()
		case 6, 8:
			f64()
		}
		if v == 3 || v == 4 || v == 7 || v == 8 {
			abstime()
		}
	case 34:
		switch v {
		case 1:
			c16()
		case 2:
			c32()
		case 3:
			f32()
		}
	case 40:
		flags()
		switch v {
		case 1:
			i32()
		case 2:
			i16()
		case 3:
			f32()
		case 4:
			f64()
		}
	case 41:
		switch v {
		case 1:
			i32()
		case 2:
			i16()
		case 3:
			f32()
		case 4:
			f64()
		}
		status()
	case 50, 51:
		abstime()
		p.Kind = KindTime
	case 52:
		if len(r) >= 2 {
			p.Kind, p.Int = KindDelay, int64(le16(r))
		}
	case 121, 122:
		flags()
		if len(r) >= 6 {
			p.Kind, p.Int = KindCounter, int64(le32(r[2:]))
			r = r[6:]
		}
		if v == 2 {
			abstime()
		}
	default:
		p.Kind = KindBytes
	}
}

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }
func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
func le48(b []byte) uint64 { return uint64(le32(b)) | uint64(le16(b[4:]))<<32 }
