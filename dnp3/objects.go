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
func (q Qualifier) PrefixLen() int {
	switch q.Prefix() {
	case 1, 4:
		return 1
	case 2, 5:
		return 2
	case 3, 6:
		return 4
	}
	return 0
}

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

// typeInfo is what the cursors need to know of one group and variation:
// the size of an object, how its octets map to a Point, and which inlined
// decoder of Points.Next applies.
type typeInfo struct {
	// fs is the object size in octets (sizeFixed) or bits (sizeBits).
	fs   uint8
	kind sizeKind
	lay  valueLayout
	op   uint8
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

// infoOf returns the typeInfo of group g, variation v.
func infoOf(g, v uint8) typeInfo {
	if v < 16 {
		return typeInfos[g][v]
	}
	return typeInfoOf(g, v)
}

// typeInfoOf computes the typeInfo of group g, variation v from fixedSize
// and layoutOf.
func typeInfoOf(g, v uint8) typeInfo {
	fs, kind := fixedSize(g, v)
	t := typeInfo{fs: uint8(fs), kind: kind, lay: layoutOf(g, v, kind)}
	if kind == sizeFixed && t.lay.lead == leadFlags && t.lay.trail == trailNone {
		switch {
		case t.lay.val == valStateBit && fs == 1:
			t.op = opFlagsBit
		case t.lay.val == valI16 && fs == 3:
			t.op = opFlagsI16
		case t.lay.val == valI32 && fs == 5:
			t.op = opFlagsI32
		case t.lay.val == valC16 && fs == 3:
			t.op = opFlagsC16
		case t.lay.val == valC32 && fs == 5:
			t.op = opFlagsC32
		}
	}
	return t
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
	fn   FunctionCode
	off  int
	h    ObjectHeader
	pts  Points
	an   Anomaly
	err  Error
	stop bool
}

// NewObjects returns a cursor over body, the object area of a fragment
// with function code fn.
func NewObjects(body []byte, fn FunctionCode) Objects { return Objects{data: body, fn: fn} }

// Header returns the current header. It points into the cursor and is
// valid until the next call to Next; copy the ObjectHeader to keep it.
func (o *Objects) Header() *ObjectHeader { return &o.h }

// Points returns a cursor over the current header's objects, as
// Header().Points() would, but kept inside the Objects cursor: it is valid
// until the next call to Next or Points.
func (o *Objects) Points() *Points {
	o.pts.reset(&o.h)
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
func (o *Objects) Next() bool {
	if o.stop || o.off >= len(o.data) {
		return false
	}
	b := o.data[o.off:]
	if len(b) < 3 {
		o.fail(ErrTruncated)
		return false
	}
	h := &o.h
	h.Group, h.Variation, h.Qualifier = b[0], b[1], Qualifier(b[2])
	h.Start, h.Stop, h.Offset = 0, 0, o.off
	h.Known, h.Truncated = true, false
	h.HeaderOnly = headerOnly(o.fn, h.Group)
	if h.Qualifier&0x80 != 0 || h.Qualifier.Prefix() == 7 {
		o.an |= AnomalyQualifier
	}
	r := b[3:]
	var n int
	var count uint64
	switch h.Qualifier.Range() {
	case 0, 1, 2:
		n = 1 << h.Qualifier.Range()
		if len(r) < 2*n {
			o.fail(ErrTruncated)
			return false
		}
		h.Start, h.Stop = leN(r, n), leN(r[n:], n)
		n *= 2
		switch {
		case h.Stop >= h.Start:
			count = uint64(h.Stop) - uint64(h.Start) + 1
		case h.Stop == h.Start-1:
			// An empty range: no objects.
			o.an |= AnomalyRange
		default:
			o.an |= AnomalyRange
			o.fail(ErrRange)
			return false
		}
	case 3, 4, 5:
		n = 1 << (h.Qualifier.Range() - 3)
		if len(r) < n {
			o.fail(ErrTruncated)
			return false
		}
		h.Start = leN(r, n)
		h.Stop = h.Start
		count = 1
	case 6:
	case 7, 8, 9, 11:
		n = 1 << (h.Qualifier.Range() - 7)
		if h.Qualifier.Range() == 11 {
			n = 1
		}
		if len(r) < n {
			o.fail(ErrTruncated)
			return false
		}
		count = uint64(leN(r, n))
	default:
		// Reserved range code: no range field, no objects.
		o.an |= AnomalyQualifier
	}
	h.RangeLen = n
	h.Count = uint32(min(count, 1<<32-1))
	r = r[n:]
	dataStart := o.off + 3 + n
	size, ok := objectsLen(h, infoOf(h.Group, h.Variation), r, count)
	switch {
	case !ok:
		h.Known = false
		h.Data = r
		o.an |= AnomalyUnknownObject
		o.off = len(o.data)
		o.fail(ErrUnknownObject)
		return true
	case size == sizeStop:
		h.Data = r
		o.an |= AnomalyUnknownObject | AnomalyAttribute
		o.off = len(o.data)
		o.fail(ErrUnknownObject)
		return true
	case size > uint64(len(r)):
		h.Truncated = true
		h.Data = r
		o.off = len(o.data)
		o.fail(ErrTruncated)
		return true
	}
	if size == 0 && count > 0 && !h.HeaderOnly && !h.Qualifier.IndexPrefix() {
		o.an |= AnomalyCountOnEmpty
	}
	h.Data = r[:size:size]
	o.off = dataStart + int(size)
	return true
}

func (o *Objects) fail(err Error) {
	o.err = err
	o.stop = true
}

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
// h's type (whose typeInfo is info) in r, or ok false when the size cannot
// be known. A result larger than len(r) means the data is truncated.
func objectsLen(h *ObjectHeader, info typeInfo, r []byte, count uint64) (size uint64, ok bool) {
	pl := uint64(h.Qualifier.PrefixLen())
	if h.Qualifier.SizePrefix() {
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
	if h.HeaderOnly {
		return count * pl, true
	}
	fs, kind := info.fs, info.kind
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
