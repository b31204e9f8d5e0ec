package dnp3

// Qualifier is the object header's qualifier octet: a prefix code in bits
// 4-6 and a range code in bits 0-3.
type Qualifier uint8

// Prefix returns the prefix code: 0 none, 1-3 an index of 1, 2 or 4 octets,
// 4-6 an object size of 1, 2 or 4 octets, 7 reserved.
func (q Qualifier) Prefix() uint8 { return uint8(q>>4) & 7 }

// Range returns the range code: 0-2 start-stop indices of 1, 2 or 4 octets,
// 3-5 a single absolute address, 6 no range, 7-9 a count of 1, 2 or 4
// octets, 11 (0xB) a one-octet count for free-format objects.
func (q Qualifier) Range() uint8 { return uint8(q) & 0x0F }

// PrefixLen returns the size in octets of each object's prefix.
func (q Qualifier) PrefixLen() int { return int(prefixLens[q.Prefix()]) }

// SizePrefix reports whether each object is prefixed by its size (prefix
// codes 4-6) rather than its index.
func (q Qualifier) SizePrefix() bool { p := q.Prefix(); return p >= 4 && p <= 6 }

// IndexPrefix reports whether each object is prefixed by its index
// (prefix codes 1-3).
func (q Qualifier) IndexPrefix() bool { p := q.Prefix(); return p >= 1 && p <= 3 }

// ObjectType combines a group and a variation as Wireshark shows them
// (dnp3.al.obj): group in the high byte.
type ObjectType uint16

// Group returns the object group.
func (t ObjectType) Group() uint8 { return uint8(t >> 8) }

// Variation returns the object variation.
func (t ObjectType) Variation() uint8 { return uint8(t) }

// ObjectHeader is one decoded object header with a view of its data.
type ObjectHeader struct {
	Group, Variation uint8
	Qualifier        Qualifier
	// Start and Stop are the range of a start-stop qualifier, or both the
	// address of an absolute-address qualifier.
	Start, Stop uint32
	// Count is the number of objects announced (0 for "all points").
	Count uint32
	// RangeLen is the number of range octets after the qualifier.
	RangeLen int
	// Offset is the header's offset within the fragment body.
	Offset int
	// Data holds the objects (with their prefixes) that follow the header.
	// It aliases the fragment.
	Data []byte
	// HeaderOnly is set when the objects carry no data (read requests and
	// the like): Data then holds index prefixes only, if any.
	HeaderOnly bool
	// Known is false for a group/variation whose size is unknown; Data
	// then runs to the end of the fragment and the walk stops after it.
	Known bool
	// Truncated is set when the fragment ends before the announced
	// objects; Data then runs to the end of the fragment.
	Truncated bool
}

// Type returns group and variation as one ObjectType.
func (h *ObjectHeader) Type() ObjectType { return ObjectType(h.Group)<<8 | ObjectType(h.Variation) }

// Points returns a cursor over the header's objects. Inside an Objects
// walk, Objects.Points does the same without copying a cursor.
func (h *ObjectHeader) Points() Points {
	var c Points
	c.reset(h)
	return c
}

// typeInfo packs what the cursors need to know of one group and
// variation into one word: the size of an object (bits 0-7: octets for
// sizeFixed, bits for sizeBits), the sizeKind (bits 8-9), the inlined
// decoder of Points.Next (bits 10-12) and the valueLayout (lead in bits
// 13-14, val in 15-19, trail in 20-21).
type typeInfo uint32

func (t typeInfo) fs() uint8      { return uint8(t) }
func (t typeInfo) kind() sizeKind { return sizeKind(t >> 8 & 3) }
func (t typeInfo) op() uint8      { return uint8(t >> 10 & 7) }
func (t typeInfo) lay() valueLayout {
	return valueLayout{lead: uint8(t >> 13 & 3), val: uint8(t >> 15 & 31), trail: uint8(t >> 20 & 3)}
}

func packTypeInfo(fs uint8, kind sizeKind, op uint8, l valueLayout) typeInfo {
	return typeInfo(fs) | typeInfo(kind)<<8 | typeInfo(op)<<10 |
		typeInfo(l.lead)<<13 | typeInfo(l.val)<<15 | typeInfo(l.trail)<<20
}

// typeInfos holds typeInfoOf for every group and the variations below 16,
// the only ones any group but 0 and 110-113 defines.
var typeInfos = typeInfosOf()

func typeInfosOf() (t [256][16]typeInfo) {
	for g := range t {
		for v := range t[g] {
			t[g][v] = typeInfoOf(uint8(g), uint8(v))
		}
	}
	return t
}

// hiInfos holds the typeInfo of the variations from 16 up, by group and
// parity, without the size: above 15 only the counters' layouts still
// depend on the variation (on its parity), and only octet strings have a
// size, which is the variation.
var hiInfos = hiInfosOf()

func hiInfosOf() (t [256][2]typeInfo) {
	for g := range t {
		for p := range t[g] {
			t[g][p] = typeInfoOf(uint8(g), uint8(16+p)) &^ 0xFF
		}
	}
	return t
}

// infoOf returns the typeInfo of group g, variation v, as typeInfoOf
// computes it, from tables.
func infoOf(g, v uint8) typeInfo {
	if v < 16 {
		return typeInfos[g][v]
	}
	t := hiInfos[g][v&1]
	if t.kind() == sizeFixed {
		t |= typeInfo(v)
	}
	return t
}

// typeInfoOf computes the typeInfo of group g, variation v from fixedSize
// and layoutOf.
func typeInfoOf(g, v uint8) typeInfo {
	fs, kind := fixedSize(g, v)
	lay := layoutOf(g, v, kind)
	var op uint8
	if kind == sizeFixed && lay.lead == leadFlags && lay.trail == trailNone {
		switch {
		case lay.val == valStateBit && fs == 1:
			op = opFlagsBit
		case lay.val == valI16 && fs == 3:
			op = opFlagsI16
		case lay.val == valI32 && fs == 5:
			op = opFlagsI32
		case lay.val == valC16 && fs == 3:
			op = opFlagsC16
		case lay.val == valC32 && fs == 5:
			op = opFlagsC32
		}
	}
	return packTypeInfo(uint8(fs), kind, op, lay)
}

// Objects is a cursor over the object headers of a fragment:
//
//	it := frag.Objects()
//	for it.Next() {
//		h := it.Header()
//		...
//	}
//	if err := it.Err(); err != nil { ... }
//
// It does not allocate. Declare it before the loop: in a three-clause for
// statement Go copies the cursor on every iteration.
type Objects struct {
	data []byte
	off  int
	h    ObjectHeader
	pts  Points
	// fresh is set when pts is set up for h and not yet handed out;
	// ptsBase when pts.base is data.
	fresh, ptsBase bool
	an             Anomaly
	err            Error
	fn             FunctionCode
	// hdrOnly says which headers carry no data: hdrNever, hdrAlways or
	// hdrNot50 (all but group 50), from fn.
	hdrOnly uint8
	stop    bool
}

const (
	hdrNever uint8 = iota
	hdrAlways
	hdrNot50
)

// NewObjects returns a cursor over body, the object area of a fragment
// with function code fn.
func NewObjects(body []byte, fn FunctionCode) Objects {
	var o Objects
	o.Reset(body, fn)
	return o
}

// Reset points o at the start of body, the object area of a fragment with
// function code fn, as NewObjects does, without building a new cursor.
func (o *Objects) Reset(body []byte, fn FunctionCode) {
	o.data, o.fn, o.off, o.an, o.err, o.stop = body, fn, 0, 0, 0, false
	o.h = ObjectHeader{}
	o.fresh, o.ptsBase = false, false
	o.hdrOnly = hdrNever
	if headerOnly(fn, 0) {
		o.hdrOnly = hdrAlways
		if !headerOnly(fn, 50) {
			o.hdrOnly = hdrNot50
		}
	}
}

// Header returns the current header. It points into the cursor and is
// valid until the next call to Next; copy the ObjectHeader to keep it.
func (o *Objects) Header() *ObjectHeader { return &o.h }

// Points returns a cursor over the current header's objects, as
// Header().Points() would, but kept inside the Objects cursor, which spares
// a copy: it is valid until the next call to Next or Points.
func (o *Objects) Points() *Points {
	if !o.fresh {
		o.pts.reset(&o.h)
		o.ptsBase = false
	}
	o.fresh = false
	return &o.pts
}

// Err returns the error that stopped the walk, if any.
func (o *Objects) Err() error {
	if o.err == 0 {
		return nil
	}
	return o.err
}

// Anomalies returns the anomalies seen so far.
func (o *Objects) Anomalies() Anomaly { return o.an }

// Rest returns the undecoded bytes: after an error in a header, those from
// the start of that header; after an error in the objects that follow a
// header (which the header's Data holds), nothing.
func (o *Objects) Rest() []byte { return o.data[o.off:] }

// Next decodes the next object header and reports whether there is one.
// The check for the end is small enough to be inlined.
func (o *Objects) Next() bool {
	if o.stop || o.off >= len(o.data) {
		return false
	}
	return o.step()
}

// step is Next when bytes remain. The common headers (a start-stop range,
// a count or all objects, an index prefix or none, objects of a fixed size
// or none at all, no anomaly) are decoded here without a call, so that
// everything stays in registers; the others, and every error, go to next.
func (o *Objects) step() bool {
	// Each header's position depends on the size of the one before, so
	// the walk is a chain of dependent loads: the code indexes the
	// fragment directly instead of reslicing it, which keeps the chain
	// short.
	d := o.data
	off := o.off
	if off > len(d)-3 {
		return o.next()
	}
	g, v, q := d[off], d[off+1], Qualifier(d[off+2])
	info := infoOf(g, v)
	headerOnly := o.hdrOnly == hdrAlways || o.hdrOnly == hdrNot50 && g != 50
	if q > 0x3F || !headerOnly && info.kind() != sizeFixed {
		return o.next()
	}
	// Fields are stored as soon as they are known, which frees registers
	// (next, on the way out, stores them all again).
	h := &o.h
	h.Group, h.Variation, h.Qualifier, h.Offset = g, v, q, off
	h.HeaderOnly, h.Known, h.Truncated = headerOnly, true, false
	// The point cursor, as Points.reset would set it up, written out here
	// because the compiler does not inline reset into step; its position
	// and count follow once the range is read. If next takes over, the
	// cursor is set up again from the header when Points asks for it.
	c := &o.pts
	var fast, op, flags uint8 = 0, opNone, ptKnown
	if headerOnly {
		flags |= ptHeaderOnly
	} else if q&0x70 == 0 {
		fast, op = info.fs(), info.op()
	}
	c.p = Point{}
	if op != opNone {
		c.p.HasFlags, c.p.Kind = true, opKinds[op]
	}
	c.bit, c.info = 0, info
	c.fast, c.op, c.q, c.flags, c.err = fast, op, q, flags, 0
	ro := off + 3 // the range field
	var start, stop uint32
	var count uint64
	var n int
	switch q & 0x0F {
	case 0:
		if ro > len(d)-2 || d[ro+1] < d[ro] {
			return o.next()
		}
		start, stop, n = uint32(d[ro]), uint32(d[ro+1]), 2
		count = uint64(stop-start) + 1
	case 1:
		if ro > len(d)-4 {
			return o.next()
		}
		start = uint32(d[ro]) | uint32(d[ro+1])<<8
		stop = uint32(d[ro+2]) | uint32(d[ro+3])<<8
		if stop < start {
			return o.next()
		}
		n = 4
		count = uint64(stop-start) + 1
	case 6:
	case 7:
		if ro > len(d)-1 {
			return o.next()
		}
		count, n = uint64(d[ro]), 1
	case 8:
		if ro > len(d)-2 {
			return o.next()
		}
		count, n = uint64(d[ro])|uint64(d[ro+1])<<8, 2
	default:
		return o.next()
	}
	pl := uint64(q.PrefixLen())
	per := pl
	if !headerOnly {
		per += uint64(info.fs())
	}
	size := per
	if count != 1 {
		size = count * per
		if size == 0 && count > 0 && pl == 0 && !headerOnly {
			// AnomalyCountOnEmpty
			return o.next()
		}
	} else if size == 0 && !headerOnly {
		return o.next()
	}
	do := ro + n // the objects
	if size > uint64(len(d)-do) {
		return o.next()
	}
	end := do + int(size)
	o.off = end
	data := d[do:end:end]
	if !o.ptsBase {
		o.pts.base, o.ptsBase = d, true
	}
	h.Start, h.Stop, h.Count = start, stop, uint32(count)
	h.RangeLen = n
	h.Data = data
	c.pos, c.end = do, end
	c.left, c.idx = uint32(count), start
	o.fresh = true
	return true
}

// next is Next for every header: the general path.
func (o *Objects) next() bool {
	off := o.off
	if o.stop || off >= len(o.data) {
		return false
	}
	b := o.data[off:]
	if len(b) < 3 {
		o.fail(ErrTruncated)
		return false
	}
	// The header is built in locals and stored once: reading fields back
	// from o.h right after storing them would stall on store forwarding.
	g, v, q := b[0], b[1], Qualifier(b[2])
	headerOnly := o.hdrOnly == hdrAlways || o.hdrOnly == hdrNot50 && g != 50
	if q&0x80 != 0 || q&0x70 == 0x70 {
		o.an |= AnomalyQualifier
	}
	r := b[3:]
	var start, stop uint32
	var count uint64
	var n int
	switch q & 0x0F {
	case 0:
		if len(r) < 2 {
			return o.badRange(g, v, q, headerOnly, ErrTruncated, 0, 0, 0)
		}
		start, stop, n = uint32(r[0]), uint32(r[1]), 2
	case 1:
		if len(r) < 4 {
			return o.badRange(g, v, q, headerOnly, ErrTruncated, 0, 0, 0)
		}
		start, stop, n = uint32(le16(r)), uint32(le16(r[2:4])), 4
	case 2:
		if len(r) < 8 {
			return o.badRange(g, v, q, headerOnly, ErrTruncated, 0, 0, 0)
		}
		start, stop, n = le32(r), le32(r[4:8]), 8
	case 3:
		if len(r) < 1 {
			return o.badRange(g, v, q, headerOnly, ErrTruncated, 0, 0, 0)
		}
		start, stop, count, n = uint32(r[0]), uint32(r[0]), 1, 1
	case 4:
		if len(r) < 2 {
			return o.badRange(g, v, q, headerOnly, ErrTruncated, 0, 0, 0)
		}
		start, count, n = uint32(le16(r)), 1, 2
		stop = start
	case 5:
		if len(r) < 4 {
			return o.badRange(g, v, q, headerOnly, ErrTruncated, 0, 0, 0)
		}
		start, count, n = le32(r), 1, 4
		stop = start
	case 6:
	case 7, 11:
		if len(r) < 1 {
			return o.badRange(g, v, q, headerOnly, ErrTruncated, 0, 0, 0)
		}
		count, n = uint64(r[0]), 1
	case 8:
		if len(r) < 2 {
			return o.badRange(g, v, q, headerOnly, ErrTruncated, 0, 0, 0)
		}
		count, n = uint64(le16(r)), 2
	case 9:
		if len(r) < 4 {
			return o.badRange(g, v, q, headerOnly, ErrTruncated, 0, 0, 0)
		}
		count, n = uint64(le32(r)), 4
	default:
		// Reserved range code: no range field, no objects.
		o.an |= AnomalyQualifier
	}
	if q&0x0F <= 2 {
		switch {
		case stop >= start:
			count = uint64(stop) - uint64(start) + 1
		case stop == start-1:
			// An empty range: no objects.
			o.an |= AnomalyRange
		default:
			return o.badRange(g, v, q, headerOnly, ErrRange, start, stop, n)
		}
	}
	r = r[n:]
	info := infoOf(g, v)
	var size uint64
	if info.kind() == sizeFixed && q&0x70 <= 0x30 && !headerOnly {
		// Fixed-size objects, with an index prefix or none: the common
		// case of objectsLen.
		size = count * uint64(q.PrefixLen()+int(info.fs()))
	} else {
		var ok bool
		size, ok = objectsLen(q, headerOnly, info, r, count)
		if !ok || size == sizeStop || size > uint64(len(r)) {
			return o.badObjects(g, v, q, headerOnly, start, stop, count, n, r, ok, size)
		}
	}
	if size > uint64(len(r)) {
		return o.badObjects(g, v, q, headerOnly, start, stop, count, n, r, true, size)
	}
	if size == 0 && count > 0 && !headerOnly && !q.IndexPrefix() {
		o.an |= AnomalyCountOnEmpty
	}
	h := &o.h
	h.Group, h.Variation, h.Qualifier = g, v, q
	h.Start, h.Stop, h.Count = start, stop, uint32(min(count, 1<<32-1))
	h.RangeLen, h.Offset = n, off
	h.Data = r[:size:size]
	h.HeaderOnly, h.Known, h.Truncated = headerOnly, true, false
	o.off = off + 3 + n + int(size)
	o.fresh = false
	return true
}

// badRange ends the walk on a header whose range field is cut short or
// reversed: the header holds what could be read and Next reports false.
//
//go:noinline
func (o *Objects) badRange(g, v uint8, q Qualifier, headerOnly bool, err Error, start, stop uint32, n int) bool {
	h := &o.h
	h.Group, h.Variation, h.Qualifier = g, v, q
	h.Start, h.Stop, h.Count, h.RangeLen, h.Offset = start, stop, 0, n, o.off
	h.Data = nil
	h.HeaderOnly, h.Known, h.Truncated = headerOnly, true, false
	o.fresh = false
	if err == ErrRange {
		o.an |= AnomalyRange
	}
	o.fail(err)
	return false
}

// badObjects ends the walk on a header whose objects have an unknown size
// (ok false, or size sizeStop) or run past the fragment: the header is
// returned with Data holding the rest of the fragment.
//
//go:noinline
func (o *Objects) badObjects(g, v uint8, q Qualifier, headerOnly bool, start, stop uint32, count uint64, n int, r []byte, ok bool, size uint64) bool {
	h := &o.h
	h.Group, h.Variation, h.Qualifier = g, v, q
	h.Start, h.Stop, h.Count = start, stop, uint32(min(count, 1<<32-1))
	h.RangeLen, h.Offset = n, o.off
	h.Data = r
	o.fresh = false
	h.HeaderOnly, h.Known, h.Truncated = headerOnly, ok, false
	switch {
	case !ok:
		o.an |= AnomalyUnknownObject
		o.fail(ErrUnknownObject)
	case size == sizeStop:
		o.an |= AnomalyUnknownObject | AnomalyAttribute
		o.fail(ErrUnknownObject)
	default:
		h.Truncated = true
		o.fail(ErrTruncated)
	}
	o.off = len(o.data)
	return true
}

func (o *Objects) fail(err Error) {
	o.err = err
	o.stop = true
}

// prefixLens is the length of the prefix of each prefix code.
var prefixLens = [8]uint8{0, 1, 2, 4, 1, 2, 4, 0}

// leN reads an n-octet little-endian unsigned integer (n is 1, 2 or 4 and
// len(b) >= n).
func leN(b []byte, n int) uint32 {
	switch n {
	case 1:
		return uint32(b[0])
	case 2:
		return uint32(b[0]) | uint32(b[1])<<8
	}
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// objectsLen returns the number of data octets taken by count objects of
// a type whose typeInfo is info, with qualifier q, in r, or ok false when the size cannot
// be known. A result larger than len(r) means the data is truncated.
func objectsLen(q Qualifier, headerOnly bool, info typeInfo, r []byte, count uint64) (size uint64, ok bool) {
	pl := uint64(q.PrefixLen())
	if q.SizePrefix() {
		// Each object announces its size.
		for i := uint64(0); i < count; i++ {
			if uint64(len(r)) < size+pl {
				return size + pl, true
			}
			sz := uint64(leN(r[size:], int(pl)))
			size += pl + sz
			if size > uint64(len(r)) {
				return size, true
			}
		}
		return size, true
	}
	if headerOnly {
		return count * pl, true
	}
	fs, kind := info.fs(), info.kind()
	switch kind {
	case sizeFixed:
		return count * (pl + uint64(fs)), true
	case sizeBits:
		if pl > 0 {
			return count * (pl + 1), true
		}
		return (count*uint64(fs) + 7) / 8, true
	case sizeVariable:
		// Group 0 attributes: type, length, value.
		for i := uint64(0); i < count; i++ {
			if uint64(len(r)) < size+pl+1 {
				return size + pl + 1, true
			}
			n, ok := attrSize(r[size+pl:])
			if !ok {
				return sizeStop, true
			}
			size += pl + uint64(n)
			if size > uint64(len(r)) {
				return size, true
			}
		}
		return size, true
	}
	return 0, false
}

// sizeStop is the size objectsLen reports when the objects can be walked
// up to one whose size is unknown (a device attribute of an undefined data
// type).
const sizeStop = ^uint64(0)

type sizeKind uint8

const (
	sizeUnknown sizeKind = iota
	sizeFixed
	sizeBits     // packed: size is bits per object
	sizeVariable // group 0 device attributes
)

// fixedSize returns the size of one object of group g, variation v when it
// does not depend on a size prefix.
func fixedSize(g, v uint8) (int, sizeKind) {
	if v == 0 {
		// Variation 0 asks for the default variation in requests; in
		// data it has no size, except where it can only mean "no data"
		// (octet strings of length 0, and the static and event groups
		// that Wireshark also reads as empty).
		switch g {
		case 0:
			return 0, sizeVariable
		case 1, 2, 3, 4, 11, 20, 22, 30, 32, 34, 42, 110, 111:
			return 0, sizeFixed
		}
		return 0, sizeUnknown
	}
	switch g {
	case 0:
		return 0, sizeVariable
	case 1, 10, 80:
		switch v {
		case 1:
			return 1, sizeBits
		case 2:
			if g != 80 {
				return 1, sizeFixed
			}
		}
	case 2, 4:
		switch v {
		case 1:
			return 1, sizeFixed
		case 2:
			return 7, sizeFixed
		case 3:
			return 3, sizeFixed
		}
	case 3:
		switch v {
		case 1:
			return 2, sizeBits
		case 2:
			return 1, sizeFixed
		}
	case 11, 13:
		switch v {
		case 1:
			return 1, sizeFixed
		case 2:
			return 7, sizeFixed
		}
	case 12:
		switch v {
		case 1, 2:
			return 11, sizeFixed
		case 3:
			return 1, sizeBits
		}
	case 20:
		if v <= 8 {
			return counterSize(v), sizeFixed
		}
	case 21:
		if v <= 12 {
			return frozenCounterSize[v], sizeFixed
		}
	case 22, 23:
		if v <= 8 {
			return counterEventSize[v], sizeFixed
		}
	case 30:
		if v <= 6 {
			return [7]int{0, 5, 3, 4, 2, 5, 9}[v], sizeFixed
		}
	case 31:
		if v <= 8 {
			return [9]int{0, 5, 3, 11, 9, 4, 2, 5, 9}[v], sizeFixed
		}
	case 32, 33, 42, 43:
		if v <= 8 {
			return analogEventSize[v], sizeFixed
		}
	case 34:
		if v <= 3 {
			return [4]int{0, 2, 4, 4}[v], sizeFixed
		}
	case 40, 41:
		if v <= 4 {
			return [5]int{0, 5, 3, 5, 9}[v], sizeFixed
		}
	case 50:
		switch v {
		case 1, 3:
			return 6, sizeFixed
		case 2:
			return 10, sizeFixed
		case 4:
			return 11, sizeFixed
		}
	case 51:
		if v <= 2 {
			return 6, sizeFixed
		}
	case 52:
		if v <= 2 {
			return 2, sizeFixed
		}
	case 60:
		if v <= 4 {
			return 0, sizeFixed
		}
	case 81:
		if v == 1 {
			return 3, sizeFixed
		}
	case 101:
		switch v {
		case 1:
			return 2, sizeFixed
		case 2:
			return 4, sizeFixed
		case 3:
			return 8, sizeFixed
		}
	case 102:
		if v == 1 {
			return 1, sizeFixed
		}
	case 110, 111, 112, 113:
		// The variation is the string's length.
		return int(v), sizeFixed
	case 120:
		switch v {
		case 3:
			return 6, sizeFixed
		case 4:
			return 2, sizeFixed
		}
	case 121:
		if v == 1 {
			return 7, sizeFixed
		}
	case 122:
		switch v {
		case 1:
			return 7, sizeFixed
		case 2:
			return 13, sizeFixed
		}
	}
	return 0, sizeUnknown
}

func counterSize(v uint8) int { return [9]int{0, 5, 3, 5, 3, 4, 2, 4, 2}[v] }

var frozenCounterSize = [13]int{0, 5, 3, 5, 3, 11, 9, 11, 9, 4, 2, 4, 2}
var counterEventSize = [9]int{0, 5, 3, 5, 3, 11, 9, 11, 9}
var analogEventSize = [9]int{0, 5, 3, 11, 9, 5, 9, 11, 15}

// attrSize returns the number of octets of the device attribute at the
// start of b (which holds at least one octet): data type, length and value.
// A type of none has no length octet. When the length octet is missing the
// result is 2, which the caller finds beyond the data.
func attrSize(b []byte) (int, bool) {
	t := b[0]
	if t == AttrNone {
		return 1, true
	}
	if len(b) < 2 {
		return 2, true
	}
	l := int(b[1])
	switch t {
	case AttrVString, AttrUint, AttrInt, AttrFloat, AttrOString, AttrBString, AttrTime, AttrUnicode:
		return 2 + l, true
	case AttrU8BS8List:
		return 2 + 2*l, true
	}
	return 0, false
}
