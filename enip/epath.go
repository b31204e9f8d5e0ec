package enip

import "github.com/icsdissect/icsdissect/internal/wire"

// Path is a padded EPATH (CIP Vol. 1, Appendix C): a sequence of segments.
// Walk it with [Path.Segments]; [Path.Target] sums up the logical address
// and [Path.AppendTag] rebuilds a Logix tag name.
type Path []byte

// SegmentType is the segment type in the top three bits of a segment's
// first byte.
type SegmentType uint8

// Segment types.
const (
	SegPort                SegmentType = 0
	SegLogical             SegmentType = 1
	SegNetwork             SegmentType = 2
	SegSymbolic            SegmentType = 3
	SegData                SegmentType = 4
	SegDataTypeConstructed SegmentType = 5
	SegDataTypeElementary  SegmentType = 6
	SegReserved            SegmentType = 7
)

// Known reports whether t is one of the eight segment types ([SegReserved]
// included: the specification names it; decoding one sets
// AnomalyUnknownSegment).
func (t SegmentType) Known() bool { return t <= SegReserved }

// String returns the segment type's name ("Logical Segment"), or "segment
// type 0x09" for a value that does not fit three bits. It allocates only in
// that case.
func (t SegmentType) String() string { return nameOr(t.name(), "segment type", uint64(t), 2) }

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (t SegmentType) AppendText(b []byte) ([]byte, error) {
	return appendName(b, t.name(), "segment type", uint64(t), 2), nil
}

func (t SegmentType) name() string {
	switch t {
	case SegPort:
		return "Port Segment"
	case SegLogical:
		return "Logical Segment"
	case SegNetwork:
		return "Network Segment"
	case SegSymbolic:
		return "Symbolic Segment"
	case SegData:
		return "Data Segment"
	case SegDataTypeConstructed:
		return "Data Type Constructed"
	case SegDataTypeElementary:
		return "Data Type Elementary"
	case SegReserved:
		return "Reserved"
	}
	return ""
}

// LogicalType is the logical type of a logical segment.
type LogicalType uint8

// Logical types.
const (
	LogicalClass           LogicalType = 0
	LogicalInstance        LogicalType = 1
	LogicalMember          LogicalType = 2
	LogicalConnectionPoint LogicalType = 3
	LogicalAttribute       LogicalType = 4
	LogicalSpecial         LogicalType = 5 // electronic key
	LogicalServiceID       LogicalType = 6
	LogicalExtended        LogicalType = 7
)

// Known reports whether l is one of the eight logical types.
func (l LogicalType) Known() bool { return l <= LogicalExtended }

// String returns the logical type's name ("Class ID"), or "logical type
// 0x09" for a value that does not fit three bits. It allocates only in that
// case.
func (l LogicalType) String() string { return nameOr(l.name(), "logical type", uint64(l), 2) }

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (l LogicalType) AppendText(b []byte) ([]byte, error) {
	return appendName(b, l.name(), "logical type", uint64(l), 2), nil
}

func (l LogicalType) name() string {
	switch l {
	case LogicalClass:
		return "Class ID"
	case LogicalInstance:
		return "Instance ID"
	case LogicalMember:
		return "Member ID"
	case LogicalConnectionPoint:
		return "Connection Point"
	case LogicalAttribute:
		return "Attribute ID"
	case LogicalSpecial:
		return "Special"
	case LogicalServiceID:
		return "Service ID"
	case LogicalExtended:
		return "Extended Logical"
	}
	return ""
}

// ElectronicKey is the key of a logical special segment (key format 4):
// what a Forward Open expects of its target.
type ElectronicKey struct {
	Format      uint8
	VendorID    VendorID
	DeviceType  DeviceType
	ProductCode uint16
	// Compatibility is bit 7 of the major revision byte.
	Compatibility bool
	Major, Minor  uint8
}

// Segment is one decoded EPATH segment. Byte views alias the path.
type Segment struct {
	Type SegmentType
	// Code is the segment's first byte.
	Code uint8
	// Logical is the logical type of logical segments.
	Logical LogicalType
	// Format is the logical format (0: 8-bit, 1: 16-bit, 2: 32-bit), the
	// extended symbol format (top three bits of the extended format byte),
	// or the network segment subtype.
	Format uint8
	// Value is the logical value, the port number, the numeric symbol, the
	// elementary data type code or the one-byte network segment value.
	Value uint32
	// Ext is the extended logical type of an extended logical segment.
	Ext uint8
	// Link is the link address of a port segment.
	Link []byte
	// Symbol holds the characters of a symbolic or ANSI extended symbol
	// segment (raw bytes for double- and triple-byte characters).
	Symbol []byte
	// Data holds the data of data, network and constructed type segments.
	Data []byte
	// Key is the electronic key of a logical special segment.
	Key ElectronicKey
	// Raw is the whole segment, padding included.
	Raw []byte
}

// Segments is a cursor over the segments of a path:
//
//	segs := p.Segments()
//	for segs.Next() {
//		seg := segs.Segment()
//	}
//	if err := segs.Err(); err != nil { ... }
//
// It does not allocate.
type Segments struct {
	r    wire.Reader
	seg  Segment
	err  Error
	anom Anomaly
}

// Segments returns a cursor over the path's segments.
func (p Path) Segments() Segments { return Segments{r: wire.Reader(p)} }

// Segment returns the current segment.
func (it *Segments) Segment() Segment { return it.seg }

// Err returns the error that stopped the cursor, if any.
func (it *Segments) Err() error {
	if it.err == 0 {
		return nil
	}
	return it.err
}

// Anomalies returns the anomalies seen so far (reserved segment types or
// formats).
func (it *Segments) Anomalies() Anomaly { return it.anom }

// Next decodes the next segment and reports whether there is one.
func (it *Segments) Next() bool {
	if it.err != 0 || it.r.Len() == 0 {
		return false
	}
	start := it.r
	var code uint8
	it.r.U8(&code)
	s := Segment{Code: code, Type: SegmentType(code >> 5)}
	ok := true
	switch s.Type {
	case SegPort:
		ok = it.port(&s)
	case SegLogical:
		ok = it.logical(&s)
	case SegNetwork:
		ok = it.network(&s)
	case SegSymbolic:
		ok = it.symbolic(&s)
	case SegData:
		ok = it.data(&s)
	case SegDataTypeConstructed:
		// Constructed data type: the rest of the path describes it; keep
		// it raw (a length-prefixed form is used by abbreviated types).
		if code == 0xA0 || code == 0xA1 {
			var n uint8
			ok = it.r.U8(&n) && it.r.Bytes(&s.Data, int(n))
		} else {
			s.Data = it.r.Rest()
		}
	case SegDataTypeElementary:
		s.Value = uint32(code)
	default:
		it.anom |= AnomalyUnknownSegment
		s.Data = it.r.Rest()
	}
	if !ok {
		it.err = ErrSegment
		it.anom |= AnomalyUnknownSegment
		it.r = nil
		return false
	}
	s.Raw = start[: len(start)-it.r.Len() : len(start)-it.r.Len()]
	it.seg = s
	return true
}

func (it *Segments) port(s *Segment) bool {
	s.Value = uint32(s.Code & 0x0F)
	var linkSize uint8 = 1
	var n int = 1
	if s.Code&0x10 != 0 {
		if !it.r.U8(&linkSize) {
			return false
		}
		n++
	}
	if s.Value == 0x0F {
		var p uint16
		if !it.r.U16LE(&p) {
			return false
		}
		s.Value = uint32(p)
		n += 2
	}
	if !it.r.Bytes(&s.Link, int(linkSize)) {
		return false
	}
	n += int(linkSize)
	if n%2 == 1 {
		it.r.Skip(1)
	}
	return true
}

func (it *Segments) logical(s *Segment) bool {
	s.Logical = LogicalType(s.Code >> 2 & 7)
	s.Format = s.Code & 3
	if s.Logical == LogicalSpecial {
		if s.Format != 0 {
			it.anom |= AnomalyUnknownSegment
			return false
		}
		var kf uint8
		if !it.r.U8(&kf) {
			return false
		}
		s.Key.Format = kf
		if kf != 4 {
			it.anom |= AnomalyUnknownSegment
			return false
		}
		var maj uint8
		if !it.r.U16LE((*uint16)(&s.Key.VendorID)) || !it.r.U16LE((*uint16)(&s.Key.DeviceType)) ||
			!it.r.U16LE(&s.Key.ProductCode) || !it.r.U8(&maj) || !it.r.U8(&s.Key.Minor) {
			return false
		}
		s.Key.Compatibility = maj&0x80 != 0
		s.Key.Major = maj & 0x7F
		return true
	}
	if s.Logical == LogicalExtended {
		if !it.r.U8(&s.Ext) {
			return false
		}
	}
	switch s.Format {
	case 0:
		var v uint8
		if !it.r.U8(&v) {
			return false
		}
		s.Value = uint32(v)
	case 1:
		var v uint16
		if s.Logical != LogicalExtended && !it.r.Skip(1) {
			return false
		}
		if !it.r.U16LE(&v) {
			return false
		}
		s.Value = uint32(v)
	case 2:
		if s.Logical != LogicalExtended && !it.r.Skip(1) {
			return false
		}
		if !it.r.U32LE(&s.Value) {
			return false
		}
	default:
		it.anom |= AnomalyUnknownSegment
		return false
	}
	return true
}

func (it *Segments) network(s *Segment) bool {
	s.Format = s.Code & 0x1F
	if s.Code&0x10 != 0 {
		var words uint8
		if !it.r.U8(&words) {
			return false
		}
		return it.r.Bytes(&s.Data, 2*int(words))
	}
	var v uint8
	if !it.r.U8(&v) {
		return false
	}
	s.Value = uint32(v)
	return true
}

func (it *Segments) symbolic(s *Segment) bool {
	n := int(s.Code & 0x1F)
	if n != 0 {
		if !it.r.Bytes(&s.Symbol, n) {
			return false
		}
		if (1+n)%2 == 1 {
			it.r.Skip(1)
		}
		return true
	}
	var ef uint8
	if !it.r.U8(&ef) {
		return false
	}
	s.Format = ef >> 5
	cnt := int(ef & 0x1F)
	switch s.Format {
	case 1: // double-byte characters
		if !it.r.Bytes(&s.Symbol, 2*cnt) {
			return false
		}
	case 2: // triple-byte characters
		if !it.r.Bytes(&s.Symbol, 3*cnt) {
			return false
		}
		if (2+3*cnt)%2 == 1 {
			it.r.Skip(1)
		}
	case 6: // numeric symbol
		switch ef {
		case 0xC6:
			var v uint8
			if !it.r.U8(&v) {
				return false
			}
			s.Value = uint32(v)
			it.r.Skip(1)
		case 0xC7:
			var v uint16
			if !it.r.U16LE(&v) {
				return false
			}
			s.Value = uint32(v)
		case 0xC8:
			if !it.r.U32LE(&s.Value) {
				return false
			}
		default:
			it.anom |= AnomalyUnknownSegment
			return false
		}
	default:
		it.anom |= AnomalyUnknownSegment
		return false
	}
	return true
}

func (it *Segments) data(s *Segment) bool {
	switch s.Code {
	case 0x80: // simple data segment
		var words uint8
		if !it.r.U8(&words) {
			return false
		}
		return it.r.Bytes(&s.Data, 2*int(words))
	case 0x91: // ANSI extended symbol
		var n uint8
		if !it.r.U8(&n) || !it.r.Bytes(&s.Symbol, int(n)) {
			return false
		}
		if n%2 == 1 {
			it.r.Skip(1)
		}
		return true
	}
	it.anom |= AnomalyUnknownSegment
	return false
}

// Target sums up the logical address of a path: the first class, instance,
// attribute, member and connection point, and whether the path holds a
// symbolic (tag) segment.
type Target struct {
	// Class is the first class segment's value (a 32-bit class segment is
	// cut to 16 bits: class ids are 16-bit).
	Class                                  Class
	Instance, Attribute, Member, ConnPoint uint32
	HasClass, HasInstance, HasAttribute    bool
	HasMember, HasConnPoint                bool
	// Symbolic is true when the path names a tag by symbol.
	Symbolic bool
	// Symbol views the first symbol's characters.
	Symbol []byte
	// Anomalies flags reserved or malformed segments met on the way.
	Anomalies Anomaly
}

// Target returns the path's summary. It does not allocate.
func (p Path) Target() Target {
	// Small enough to inline: the caller's Target is filled in place.
	var t Target
	p.decodeTarget(&t)
	return t
}

// decodeTarget is Target into t, which is zero.
func (p Path) decodeTarget(t *Target) {
	// The most common path of all: an 8-bit class and instance.
	if len(p) == 4 && p[0] == 0x20 && p[2] == 0x24 {
		t.Class, t.Instance, t.HasClass, t.HasInstance = Class(p[1]), uint32(p[3]), true, true
		return
	}
	// The common paths are made of 8- and 16-bit logical class, instance,
	// member, connection point and attribute segments and ANSI symbols:
	// read them in place. Any other segment, or a cut one, sends the whole
	// path to the Segments cursor.
	i := 0
	// The usual form first, straight: class, instance, attribute.
	if len(p) >= 2 && p[0] == 0x20 {
		t.Class, t.HasClass, i = Class(p[1]), true, 2
	} else if len(p) >= 4 && p[0] == 0x21 {
		t.Class, t.HasClass, i = Class(p[2])|Class(p[3])<<8, true, 4
	}
	if len(p) >= i+2 && p[i] == 0x24 {
		t.Instance, t.HasInstance, i = uint32(p[i+1]), true, i+2
	} else if len(p) >= i+4 && p[i] == 0x25 {
		t.Instance, t.HasInstance, i = uint32(p[i+2])|uint32(p[i+3])<<8, true, i+4
	}
	if len(p) >= i+2 && p[i] == 0x30 {
		t.Attribute, t.HasAttribute, i = uint32(p[i+1]), true, i+2
	} else if len(p) >= i+4 && p[i] == 0x31 {
		t.Attribute, t.HasAttribute, i = uint32(p[i+2])|uint32(p[i+3])<<8, true, i+4
	}
	for i < len(p) {
		c := p[i]
		switch {
		case c >= 0x20 && c < 0x34 && c&2 == 0: // logical, types 0-4, 8 or 16 bits
			var v uint32
			if c&1 == 0 {
				if i+2 > len(p) {
					*t = p.target()
					return
				}
				v = uint32(p[i+1])
				i += 2
			} else {
				if i+4 > len(p) {
					*t = p.target()
					return
				}
				v = uint32(p[i+2]) | uint32(p[i+3])<<8
				i += 4
			}
			t.setLogical(LogicalType(c>>2&7), v)
		case c == 0x91: // ANSI extended symbol
			if i+2 > len(p) {
				*t = p.target()
				return
			}
			end := i + 2 + int(p[i+1])
			if end > len(p) {
				*t = p.target()
				return
			}
			if !t.Symbolic {
				t.Symbol, t.Symbolic = p[i+2:end:end], true
			}
			i = end + int(p[i+1]&1) // the pad byte, when there is one
		default:
			*t = p.target()
			return
		}
	}
}

// setLogical records the value of a logical segment of type l (class to
// attribute) unless one of its type came first.
func (t *Target) setLogical(l LogicalType, v uint32) {
	switch l {
	case LogicalClass:
		if !t.HasClass {
			t.Class, t.HasClass = Class(v), true
		}
	case LogicalInstance:
		if !t.HasInstance {
			t.Instance, t.HasInstance = v, true
		}
	case LogicalAttribute:
		if !t.HasAttribute {
			t.Attribute, t.HasAttribute = v, true
		}
	case LogicalMember:
		if !t.HasMember {
			t.Member, t.HasMember = v, true
		}
	case LogicalConnectionPoint:
		if !t.HasConnPoint {
			t.ConnPoint, t.HasConnPoint = v, true
		}
	}
}

// target is Target over the Segments cursor: every segment type.
func (p Path) target() Target {
	var t Target
	it := p.Segments()
	for it.Next() {
		s := it.Segment()
		switch s.Type {
		case SegLogical:
			t.setLogical(s.Logical, s.Value)
		case SegSymbolic, SegData:
			if s.Symbol != nil || (s.Type == SegData && s.Code == 0x91) {
				if !t.Symbolic {
					t.Symbol = s.Symbol
				}
				t.Symbolic = true
			}
		}
	}
	t.Anomalies = it.anom
	return t
}

// Context returns the service context of a request on the path: that of
// the first class segment, or [ContextLogix] when a symbolic segment comes
// before any class (port segments in front are skipped). It stops at the
// first segment that decides and does not allocate.
func (p Path) Context() Context {
	// The usual first segments: an ANSI symbol, an 8- or 16-bit class.
	if len(p) >= 2 {
		switch p[0] {
		case 0x91:
			return ContextLogix
		case 0x20:
			return ContextOf(Class(p[1]), false)
		case 0x21:
			if len(p) >= 4 {
				return ContextOf(Class(p[2])|Class(p[3])<<8, false)
			}
		}
	}
	for it := p.Segments(); it.Next(); {
		s := &it.seg
		switch {
		case s.Type == SegLogical && s.Logical == LogicalClass:
			return ContextOf(Class(s.Value), false)
		case s.Type == SegSymbolic && s.Symbol != nil, s.Type == SegData && s.Code == 0x91:
			return ContextLogix
		}
	}
	return ContextGeneric
}

// Route is where a port segment leads: a port of the device (1 is the
// backplane of a chassis) and a link address on it (the slot of a module on
// the backplane, or a network address as text).
type Route struct {
	Port uint16
	// Link views the link address.
	Link []byte
}

// Route returns where a port segment leads.
func (s *Segment) Route() (Route, bool) {
	if s.Type != SegPort {
		return Route{}, false
	}
	return Route{Port: uint16(s.Value), Link: s.Link}, true
}

// Slot returns the link address as a one-byte slot (or node) number.
func (r Route) Slot() (uint8, bool) {
	if len(r.Link) != 1 {
		return 0, false
	}
	return r.Link[0], true
}

// Route returns the first port segment of the path: the hop an Unconnected
// Send or a Forward Open takes toward a module behind the device addressed.
// It does not allocate.
func (p Path) Route() (Route, bool) {
	for it := p.Segments(); it.Next(); {
		if r, ok := it.seg.Route(); ok {
			return r, true
		}
	}
	return Route{}, false
}

// Key returns the electronic key of the path's first logical special
// segment, as a Forward Open carries it in its connection path.
func (p Path) Key() (ElectronicKey, bool) {
	for it := p.Segments(); it.Next(); {
		if s := it.Segment(); s.Type == SegLogical && s.Logical == LogicalSpecial {
			return s.Key, true
		}
	}
	return ElectronicKey{}, false
}

// AppendTag appends the tag name that the path's symbolic segments spell,
// joined by '.', with member and element segments that follow a symbol
// written as array indices: "Program:Main.Motor[3].Speed", "Arr[1,2]".
// Logical segments before the first symbol are ignored. It allocates only
// when dst lacks capacity.
func (p Path) AppendTag(dst []byte) []byte {
	// ANSI symbols and 8- and 16-bit logical segments are read in place;
	// any other segment, or a cut one, sends the whole path to the
	// Segments cursor.
	n0 := len(dst)
	sym, inIndex := false, false
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == 0x91: // ANSI extended symbol
			if i+2 > len(p) {
				return p.appendTag(dst[:n0])
			}
			end := i + 2 + int(p[i+1])
			if end > len(p) {
				return p.appendTag(dst[:n0])
			}
			if inIndex {
				dst = append(dst, ']')
				inIndex = false
			}
			if sym {
				dst = append(dst, '.')
			}
			dst = append(dst, p[i+2:end]...)
			sym = true
			i = end + int(p[i+1]&1) // the pad byte, when there is one
		case c >= 0x20 && c < 0x34 && c&2 == 0: // logical, types 0-4, 8 or 16 bits
			var v uint32
			if c&1 == 0 {
				if i+2 > len(p) {
					return p.appendTag(dst[:n0])
				}
				v = uint32(p[i+1])
				i += 2
			} else {
				if i+4 > len(p) {
					return p.appendTag(dst[:n0])
				}
				v = uint32(p[i+2]) | uint32(p[i+3])<<8
				i += 4
			}
			if sym && LogicalType(c>>2&7) == LogicalMember {
				dst = appendIndex(dst, &inIndex, v)
			}
		default:
			return p.appendTag(dst[:n0])
		}
	}
	if inIndex {
		dst = append(dst, ']')
	}
	return dst
}

// appendTag is AppendTag over the Segments cursor: every segment type.
func (p Path) appendTag(dst []byte) []byte {
	sym := false
	inIndex := false
	for it := p.Segments(); it.Next(); {
		s := it.Segment()
		isSym := (s.Type == SegData && s.Code == 0x91) || (s.Type == SegSymbolic && s.Format == 0)
		switch {
		case isSym:
			if inIndex {
				dst = append(dst, ']')
				inIndex = false
			}
			if sym {
				dst = append(dst, '.')
			}
			dst = append(dst, s.Symbol...)
			sym = true
		case sym && s.Type == SegSymbolic && s.Format == 6:
			dst = appendIndex(dst, &inIndex, s.Value)
		case sym && s.Type == SegLogical && (s.Logical == LogicalMember ||
			(s.Logical == LogicalExtended && s.Ext == 1)):
			dst = appendIndex(dst, &inIndex, s.Value)
		}
	}
	if inIndex {
		dst = append(dst, ']')
	}
	return dst
}

func appendIndex(dst []byte, in *bool, v uint32) []byte {
	if *in {
		dst = append(dst, ',')
	} else {
		dst = append(dst, '[')
		*in = true
	}
	return appendUint(dst, uint64(v))
}
