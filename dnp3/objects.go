package dnp3

// Qualifier is the object header's qualifier octet: a prefix code in bits
// 4-6 and a range code in bits 0-3. It is an enum of the combinations the
// standard defines.
type Qualifier uint8

// Common qualifiers (IEEE 1815 clause 4.2.2.8.2.3).
const (
	QualStartStop8      Qualifier = 0x00 // 1-octet start and stop indices
	QualStartStop16     Qualifier = 0x01 // 2-octet start and stop indices
	QualStartStop32     Qualifier = 0x02 // 4-octet start and stop indices
	QualAddress8        Qualifier = 0x03 // 1-octet absolute address
	QualAddress16       Qualifier = 0x04 // 2-octet absolute address
	QualAddress32       Qualifier = 0x05 // 4-octet absolute address
	QualAll             Qualifier = 0x06 // all objects, no range field
	QualCount8          Qualifier = 0x07 // 1-octet count
	QualCount16         Qualifier = 0x08 // 2-octet count
	QualCount32         Qualifier = 0x09 // 4-octet count
	QualIndex8Count8    Qualifier = 0x17 // 1-octet count, 1-octet index prefixes
	QualIndex16Count16  Qualifier = 0x28 // 2-octet count, 2-octet index prefixes
	QualIndex32Count32  Qualifier = 0x39 // 4-octet count, 4-octet index prefixes
	QualSize16FreeForm8 Qualifier = 0x5B // free format: 1-octet count, 2-octet size prefixes
)

// Prefix returns the prefix code: 0 none, 1-3 an index of 1, 2 or 4 octets,
// 4-6 an object size of 1, 2 or 4 octets, 7 reserved.
func (q Qualifier) Prefix() uint8 { return uint8(q>>4) & 7 }

// Range returns the range code: 0-2 start-stop indices of 1, 2 or 4 octets,
// 3-5 a single absolute address, 6 no range, 7-9 a count of 1, 2 or 4
// octets, 11 (0xB) a one-octet count for free-format objects.
func (q Qualifier) Range() uint8 { return uint8(q) & 0x0F }

// PrefixLen returns the size in octets of each object's prefix.
func (q Qualifier) PrefixLen() int { return int(prefixLens[q.Prefix()]) }

// RangeLen returns the size in octets of the range field that follows the
// qualifier.
func (q Qualifier) RangeLen() int { return int(rangeLens[q.Range()]) }

// SizePrefix reports whether each object is prefixed by its size (prefix
// codes 4-6) rather than its index.
func (q Qualifier) SizePrefix() bool { p := q.Prefix(); return p >= 4 && p <= 6 }

// IndexPrefix reports whether each object is prefixed by its index
// (prefix codes 1-3).
func (q Qualifier) IndexPrefix() bool { p := q.Prefix(); return p >= 1 && p <= 3 }

// Known reports whether q uses no reserved bit or code: bit 7 clear, a
// prefix code 0-6 and a range code 0-9 or 11.
func (q Qualifier) Known() bool { return q < 0x80 && q&0x70 != 0x70 && (q&0x0F <= 9 || q&0x0F == 11) }

// String describes the qualifier: the prefix, if any, then the range
// ("index16 count16", "all", "start-stop8"); an unknown one prints as
// "qualifier 0x7a". It does not allocate for known values.
func (q Qualifier) String() string {
	if q.Known() {
		return qualNames[q]
	}
	return unknownName("qualifier", uint64(q), 2)
}

// AppendText appends the text of String to b. It never allocates when b
// has room.
func (q Qualifier) AppendText(b []byte) ([]byte, error) {
	if q.Known() {
		return append(b, qualNames[q]...), nil
	}
	return appendUnknown(b, "qualifier", uint64(q), 2), nil
}

var prefixNames = [7]string{"", "index8 ", "index16 ", "index32 ", "size8 ", "size16 ", "size32 "}

var rangeNames = [12]string{
	"start-stop8", "start-stop16", "start-stop32", "address8", "address16", "address32",
	"all", "count8", "count16", "count32", "", "free-format8",
}

// qualNames holds the text of every known qualifier, built once when the
// package loads.
var qualNames = qualNamesOf()

func qualNamesOf() (t [128]string) {
	for q := range t {
		if Qualifier(q).Known() {
			t[q] = prefixNames[q>>4] + rangeNames[q&0x0F]
		}
	}
	return t
}

// ObjectType combines a group and a variation as Wireshark shows them
// (dnp3.al.obj): group in the high byte. It is an enum of the objects of
// the object library.
type ObjectType uint16

// Group returns the object group.
func (t ObjectType) Group() uint8 { return uint8(t >> 8) }

// Variation returns the object variation.
func (t ObjectType) Variation() uint8 { return uint8(t) }

// Known reports whether t is an object this package can walk: one of a
// known size (fixed, packed bits, or device attributes), a known object
// sent with a size prefix (files, data sets, secure authentication, ...),
// or variation 0 ("any variation") of a group with a known one.
func (t ObjectType) Known() bool { return objKnown(t.Group(), t.Variation()) }

// String returns "g30v2"; an unknown object prints as "object 0xfe01".
// It does not allocate for known values.
func (t ObjectType) String() string {
	if s := objName(t); s != "" {
		return s
	}
	return unknownName("object", uint64(t), 4)
}

// AppendText appends the text of String to b. It never allocates when b
// has room.
func (t ObjectType) AppendText(b []byte) ([]byte, error) {
	if s := objName(t); s != "" {
		return append(b, s...), nil
	}
	return appendUnknown(b, "object", uint64(t), 4), nil
}

// objKnown reports whether group g, variation v is a known object.
func objKnown(g, v uint8) bool {
	if v == 0 {
		return groupKnown(g)
	}
	if _, k := fixedSize(g, v); k != sizeUnknown {
		return true
	}
	return variableKnown(g, v)
}

// groupKnown reports whether group g has a known variation.
func groupKnown(g uint8) bool { return groupsKnown[g] }

// groupsKnown holds groupKnown of every group, computed once when the
// package loads.
var groupsKnown = groupsKnownOf()

func groupsKnownOf() (t [256]bool) {
	for g := range t {
		for v := 1; v < 256 && !t[g]; v++ {
			_, k := fixedSize(uint8(g), uint8(v))
			t[g] = k != sizeUnknown || variableKnown(uint8(g), uint8(v))
		}
	}
	return t
}

// variableKnown reports whether group g, variation v is an object of the
// library whose size only its size prefix gives.
func variableKnown(g, v uint8) bool {
	switch g {
	case 70: // file control
		return v >= 1 && v <= 8
	case 82: // device profile
		return v == 1
	case 83: // private registration objects and descriptors
		return v == 1 || v == 2
	case 85, 87, 88: // data set prototype, present value, snapshot
		return v == 1
	case 86: // data set descriptor
		return v >= 1 && v <= 3
	case 90, 91: // application identifier, status of requested operation
		return v == 1
	case 120: // secure authentication
		return v >= 1 && v <= 15
	}
	return false
}

// objNames holds "gXvY" for every known object, built once when the package
// loads: small for the variations below 16, big for the higher variations
// of the groups that have them (0 and 110-113). Each entry is the offset of
// the text in objText and its length.
var objText, objSmall, objBig = objNamesOf()

type objRef struct{ off, n uint16 }

func objNamesOf() (text string, small *[256][16]objRef, big *[5][256]objRef) {
	small, big = new([256][16]objRef), new([5][256]objRef)
	var b []byte
	add := func(g, v int) objRef {
		if !objKnown(uint8(g), uint8(v)) {
			return objRef{}
		}
		off := len(b)
		b = append(b, 'g')
		b = appendUint(b, uint64(g))
		b = append(b, 'v')
		b = appendUint(b, uint64(v))
		return objRef{uint16(off), uint16(len(b) - off)}
	}
	for g := range 256 {
		for v := range 16 {
			small[g][v] = add(g, v)
		}
		if i := bigGroup(uint8(g)); i >= 0 {
			for v := 16; v < 256; v++ {
				big[i][v] = add(g, v)
			}
		}
	}
	return string(b), small, big
}

// bigGroup returns the row of objBig of group g, or -1.
func bigGroup(g uint8) int {
	switch {
	case g == 0:
		return 0
	case g >= 110 && g <= 113:
		return int(g) - 109
	}
	return -1
}

// objName returns the text of a known object, or "".
func objName(t ObjectType) string {
	g, v := t.Group(), t.Variation()
	var r objRef
	if v < 16 {
		r = objSmall[g][v]
	} else if i := bigGroup(g); i >= 0 {
		r = objBig[i][v]
	}
	return objText[r.off : r.off+r.n]
}

// Object is one object header of a fragment with a view of the objects
// (points) it announces.
type Object struct {
	Group, Variation uint8
	Qualifier        Qualifier
	// HeaderOnly is set when the objects carry no data (read requests and
	// the like): Data then holds index prefixes only, if any.
	HeaderOnly bool
	// Known is false for a group/variation whose size is unknown; Data
	// then runs to the end of the fragment and the walk stops after it.
	Known bool
	// Truncated is set when the fragment ends before the announced
	// objects; Data then runs to the end of the fragment.
	Truncated bool
	// RangeLen is the size of the range field the qualifier announces.
	RangeLen uint8
	// HeaderLen is the number of header octets present: 3 + RangeLen for
	// a whole header; fewer for the header [Objects.Partial] returns (2:
	// group and variation only, 3: with the qualifier).
	HeaderLen uint8
	// Start and Stop are the range of a start-stop qualifier, or both the
	// address of an absolute-address qualifier.
	Start, Stop uint32
	// Count is the number of objects announced (0 for "all points").
	Count uint32
	// dn is the length of Data: an Objects cursor keeps it rather than
	// Data, which starts at Offset + HeaderLen, because storing a view of
	// its input in itself would make the input escape to the heap.
	dn uint32
	// Offset is the header's offset within the fragment body.
	Offset int
	// Data holds the objects (with their prefixes) that follow the header.
	// It aliases the fragment.
	Data []byte
	// cto is the time of the last common time of occurrence (g51) before
	// this header in its fragment, when ctoOK.
	cto   uint64
	ctoOK bool
}

// Type returns group and variation as one ObjectType.
func (h Object) Type() ObjectType { return ObjectType(h.Group)<<8 | ObjectType(h.Variation) }

// Points returns a cursor over the header's objects. Inside an Objects
// walk, Objects.Points does the same without copying a cursor. It does not
// allocate, and h.Data escapes only if the cursor does.
func (h *Object) Points() (c Points) {
	c.resetAt(h)
	c.base, c.pos, c.end, c.rs, c.re = h.Data, 0, len(h.Data), 0, 0
	return c
}

// typeInfo packs what the cursors need to know of one group and
// variation into one word: the size of an object (bits 0-7: octets for
// sizeFixed, bits for sizeBits), the sizeKind (bits 8-9), the inlined
// decoder of Points.Next (bits 10-12), the valueLayout (lead in bits
// 13-14, val in 15-19, trail in 20-21), and infoSlow (bit 22) for objects
// that only the general path of Objects.Next handles.
type typeInfo uint32

// infoSlow marks the common time of occurrence (g51), whose time the
// general path of Objects.Next records for the relative times after it.
const infoSlow typeInfo = 1 << 22

// fastMask selects the bits of a typeInfo that tell whether the short path
// of Objects.Next takes the objects: it does when they equal fastFixed.
const (
	fastMask  = 3<<8 | infoSlow
	fastFixed = typeInfo(sizeFixed) << 8
)

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
	t := packTypeInfo(uint8(fs), kind, op, lay)
	if g == 51 {
		t |= infoSlow
	}
	return t
}

// Objects is a cursor over the object headers of a fragment:
//
//	objs := frag.Objects()
//	for objs.Next() {
//		h := objs.Object()
//		pts := objs.Points()
//		for pts.Next() { ... pts.Point() ... }
//	}
//	if err := objs.Err(); err != nil { ... }
//
// It does not allocate. Declare it before the loop: in a three-clause for
// statement Go copies the cursor on every iteration.
type Objects struct {
	data []byte
	off  int
	h    Object
	pts  Points
	an   Anomaly
	err  Error
	fn   FunctionCode
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
// with function code fn. It does not allocate, and body escapes only if
// the cursor does.
func NewObjects(body []byte, fn FunctionCode) Objects {
	return Objects{data: body, fn: fn, hdrOnly: hdrOnlyOf[fn]}
}

// hdrOnlyOf holds the hdrOnly of each function code.
var hdrOnlyOf = hdrOnlyOfAll()

func hdrOnlyOfAll() (t [256]uint8) {
	for fn := range t {
		if headerOnly(FunctionCode(fn), 0) {
			t[fn] = hdrAlways
			if !headerOnly(FunctionCode(fn), 50) {
				t[fn] = hdrNot50
			}
		}
	}
	return t
}

// Reset points o at the start of body, the object area of a fragment with
// function code fn, as NewObjects does, without building a new cursor.
// The cursor keeps a view of body, so body escapes when o does.
func (o *Objects) Reset(body []byte, fn FunctionCode) {
	o.data, o.fn, o.off, o.an, o.err, o.stop = body, fn, 0, 0, 0, false
	o.h = Object{}
	o.pts.cto, o.pts.ctoOK = 0, false
	o.hdrOnly = hdrOnlyOf[fn]
}

// Object returns the current object header, with a view of its objects.
func (o *Objects) Object() Object {
	h := o.h
	ds := h.Offset + int(h.HeaderLen)
	de := ds + int(h.dn)
	h.Data = o.data[ds:de:de]
	return h
}

// Points returns the cursor over the current header's objects that Next
// has set up, as Object().Points() would, but kept inside the Objects
// cursor, which spares a copy: it is valid until the next call to Next
// (a second call to Points returns the same cursor). The cursor's view of
// the fragment is stored here, in a call small enough to be inlined, so
// that the fragment does not escape.
func (o *Objects) Points() *Points {
	o.pts.base = o.data
	return &o.pts
}

// Err returns the error that stopped the walk, if any: ErrTruncated,
// ErrRange or ErrUnknownObject.
func (o *Objects) Err() error {
	if o.err == 0 {
		return nil
	}
	return o.err
}

// Anomalies returns the anomalies seen so far.
func (o *Objects) Anomalies() Anomaly { return o.an }

// Partial returns, after Next stopped with ErrTruncated or ErrRange inside
// an object header, that header as far as its octets go: HeaderLen says how
// many there are (2: group and variation; 3: and the qualifier; 3 +
// RangeLen: and the range, which for ErrRange has its stop below its
// start). Data is empty and Known false. ok is false when the walk did not stop inside a
// header, or not even the group and variation were there.
func (o *Objects) Partial() (h Object, ok bool) {
	if !o.stop || o.err == 0 || len(o.data)-o.off < 2 {
		return Object{}, false
	}
	b := o.data[o.off:]
	h = Object{Group: b[0], Variation: b[1], Offset: o.off, HeaderLen: 2}
	if len(b) < 3 {
		return h, true
	}
	q := Qualifier(b[2])
	h.Qualifier, h.HeaderLen, h.RangeLen = q, 3, uint8(q.RangeLen())
	h.HeaderOnly = o.hdrOnly == hdrAlways || o.hdrOnly == hdrNot50 && h.Group != 50
	r := b[3:]
	if len(r) < int(h.RangeLen) {
		return h, true
	}
	h.HeaderLen += h.RangeLen
	h.Start, h.Stop, h.Count = rangeOf(q, r)
	return h, true
}

// rangeOf reads the range field r of qualifier q (len(r) >= q.RangeLen()).
func rangeOf(q Qualifier, r []byte) (start, stop, count uint32) {
	switch rc := q.Range(); {
	case rc <= 2:
		n := int(rangeLens[rc]) / 2
		return leN(r, n), leN(r[n:], n), 0
	case rc <= 5:
		a := leN(r, int(rangeLens[rc]))
		return a, a, 1
	case rc == 6:
		return 0, 0, 0
	case rc <= 9 || rc == 11:
		return 0, 0, leN(r, int(rangeLens[rc]))
	}
	return 0, 0, 0
}

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
	if q > 0x3F || !headerOnly && info&fastMask != fastFixed {
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
		c.p.h.m.kind, c.p.h.m.bits = opKinds[op], hasFlags
	}
	// bit only matters for packed objects, which take the general path.
	c.info, c.g, c.v = info, g, v
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
	h.Start, h.Stop, h.Count = start, stop, uint32(count)
	h.RangeLen, h.HeaderLen, h.dn = uint8(n), uint8(3+n), uint32(size)
	c.pos, c.end = do, end
	c.left, c.idx = uint32(count), start
	return true
}

// setCTO records the time of a common time of occurrence object (g51v1,
// g51v2), the time base of the relative times of the objects after it.
func (o *Objects) setCTO(data []byte, q Qualifier, headerOnly bool) {
	pl := q.PrefixLen()
	if headerOnly || q.SizePrefix() || len(data) < pl+6 {
		return
	}
	t := le48(data[pl:])
	o.h.cto, o.h.ctoOK = t, true
	o.pts.cto, o.pts.ctoOK = t, true
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
	n := q.RangeLen()
	if len(r) < n {
		return o.badRange(g, v, q, headerOnly, ErrTruncated, 0, 0, 0)
	}
	switch q & 0x0F {
	case 0:
		start, stop = uint32(r[0]), uint32(r[1])
	case 1:
		start, stop = uint32(le16(r)), uint32(le16(r[2:4]))
	case 2:
		start, stop = le32(r), le32(r[4:8])
	case 3:
		start, stop, count = uint32(r[0]), uint32(r[0]), 1
	case 4:
		start, count = uint32(le16(r)), 1
		stop = start
	case 5:
		start, count = le32(r), 1
		stop = start
	case 6:
	case 7, 11:
		count = uint64(r[0])
	case 8:
		count = uint64(le16(r))
	case 9:
		count = uint64(le32(r))
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
	h.RangeLen, h.HeaderLen, h.Offset, h.dn = uint8(n), uint8(3+n), off, uint32(size)
	h.HeaderOnly, h.Known, h.Truncated = headerOnly, true, false
	o.off = off + 3 + n + int(size)
	o.pts.resetAt(h)
	if g == 51 {
		o.setCTO(r[:size], q, headerOnly)
	}
	return true
}

// badRange ends the walk on a header whose range field is cut short or
// reversed: the header holds what could be read and Next reports false.
//
//go:noinline
func (o *Objects) badRange(g, v uint8, q Qualifier, headerOnly bool, err Error, start, stop uint32, n int) bool {
	h := &o.h
	h.Group, h.Variation, h.Qualifier = g, v, q
	h.Start, h.Stop, h.Count, h.RangeLen, h.HeaderLen, h.Offset = start, stop, 0, uint8(q.RangeLen()), uint8(3+n), o.off
	h.dn = 0
	h.HeaderOnly, h.Known, h.Truncated = headerOnly, true, false
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
	h.RangeLen, h.HeaderLen, h.Offset, h.dn = uint8(n), uint8(3+n), o.off, uint32(len(r))
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
	o.pts.resetAt(h)
	return true
}

func (o *Objects) fail(err Error) {
	o.err = err
	o.stop = true
}

// prefixLens is the length of the prefix of each prefix code.
var prefixLens = [8]uint8{0, 1, 2, 4, 1, 2, 4, 0}

// rangeLens is the length of the range field of each range code; the
// reserved codes have none.
var rangeLens = [16]uint8{2, 4, 8, 1, 2, 4, 0, 1, 2, 4, 0, 1}

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
	t := AttrType(b[0])
	if t == AttrTypeNone {
		return 1, true
	}
	if len(b) < 2 {
		return 2, true
	}
	l := int(b[1])
	switch t {
	case AttrTypeVString, AttrTypeUint, AttrTypeInt, AttrTypeFloat, AttrTypeOString, AttrTypeBString,
		AttrTypeTime, AttrTypeUnicode:
		return 2 + l, true
	case AttrTypeU8BS8List:
		return 2 + 2*l, true
	}
	return 0, false
}
