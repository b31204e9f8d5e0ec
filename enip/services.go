package enip

import "github.com/icsdissect/icsdissect/internal/wire"

// CIPMessages is a cursor over the embedded requests or replies of a
// Multiple Service Packet (0x0A):
//
//	msgs := m.Multiple()
//	for msgs.Next() {
//		emb := msgs.CIPMessage()
//	}
//	if err := msgs.Err(); err != nil { ... }
//
// It does not allocate.
type CIPMessages struct {
	data  []byte
	count int
	i     int
	cur   CIPMessage
	// off and end bound the current message's bytes in data (both 0
	// before the first).
	off, end int
	err      Error
}

// Multiple returns a cursor over the embedded services of a Multiple
// Service Packet request or reply. For other services it yields nothing and
// Err returns [ErrService].
func (m *CIPMessage) Multiple() CIPMessages {
	if m.Service != SvcMultipleServicePacket {
		return CIPMessages{err: ErrService}
	}
	return NewCIPMessages(m.Data)
}

// NewCIPMessages returns a cursor over the data of a Multiple Service
// Packet (service count, offsets, messages).
func NewCIPMessages(data []byte) CIPMessages {
	it := CIPMessages{data: data}
	if len(data) < 2 {
		if len(data) > 0 {
			it.err = ErrTruncated
		}
		return it
	}
	it.count = int(wire.LE16(data))
	if 2+2*it.count > len(data) {
		it.err = ErrCount
	}
	return it
}

// Count returns the number of services field.
func (it *CIPMessages) Count() int { return it.count }

// Next decodes the next embedded message and reports whether there is one.
func (it *CIPMessages) Next() bool {
	i, d := it.i, it.data
	if it.err != 0 || i >= it.count {
		return false
	}
	// NewCIPMessages checked that the offsets are there.
	j := 2 + 2*uint(i)
	off, end := 0, len(d)
	if i+1 < it.count {
		o := d[j : j+4]
		off, end = int(wire.LE16(o)), int(wire.LE16(o[2:]))
	} else {
		off = int(wire.LE16(d[j : j+2]))
	}
	if off < 2+2*it.count || end < off || end > len(d) {
		it.err = ErrLength
		return false
	}
	it.off, it.end = off, end
	it.i = i + 1
	it.err = it.cur.decode(d[off:end:end])
	return true
}

// CIPMessage returns the current embedded message.
func (it *CIPMessages) CIPMessage() CIPMessage { return it.cur }

// Raw returns the current embedded message's bytes.
func (it *CIPMessages) Raw() []byte {
	if it.end == 0 {
		return nil
	}
	return it.data[it.off:it.end:it.end]
}

// Index returns the 0-based index of the current message.
func (it *CIPMessages) Index() int { return it.i - 1 }

// Err returns the error that stopped the cursor, if any. An error in the
// last message returned by Next is reported here too.
func (it *CIPMessages) Err() error {
	if it.err == 0 {
		return nil
	}
	return it.err
}

// ConnectionTriad identifies a connection across Forward Open and Close.
type ConnectionTriad struct {
	SerialNumber uint16
	VendorID     uint16
	OrigSerial   uint32
}

// ForwardOpen is a Forward Open (0x54) or Large Forward Open (0x5B)
// request.
type ForwardOpen struct {
	Large              bool
	PriorityTick       uint8
	TimeoutTicks       uint8
	OTConnID, TOConnID uint32
	Triad              ConnectionTriad
	TimeoutMultiplier  uint8
	OTRPI              uint32
	OTParams           uint32
	TORPI              uint32
	TOParams           uint32
	TransportTrigger   uint8
	ConnPathWords      uint8
	ConnPath           Path
	// Decoded counts the fields read, in wire order (16 when complete).
	Decoded uint8
}

// OTSize returns the O->T connection size from the network parameters.
func (f *ForwardOpen) OTSize() uint32 { return connSize(f.OTParams, f.Large) }

// TOSize returns the T->O connection size from the network parameters.
func (f *ForwardOpen) TOSize() uint32 { return connSize(f.TOParams, f.Large) }

// TransportClass returns the transport class (0-3).
func (f *ForwardOpen) TransportClass() uint8 { return f.TransportTrigger & 0x0F }

// Key returns the electronic key of the connection path: the vendor,
// device type, product code and revision the originator expects.
func (f *ForwardOpen) Key() (ElectronicKey, bool) { return f.ConnPath.Key() }

func connSize(p uint32, large bool) uint32 {
	if large {
		return p & 0xFFFF
	}
	return p & 0x1FF
}

// ForwardOpen decodes a Forward Open or Large Forward Open request's data
// (the request must address the Connection Manager). When the data is cut,
// ok is false and Decoded tells how many leading fields were read.
func (m *CIPMessage) ForwardOpen() (f ForwardOpen, ok bool) {
	if m.Response || (m.Service != SvcForwardOpen && m.Service != SvcLargeForwardOpen) ||
		m.Context() != ContextConnectionManager {
		return f, false
	}
	return m.forwardOpen()
}

// forwardOpen is ForwardOpen without the context check.
func (m *CIPMessage) forwardOpen() (f ForwardOpen, ok bool) {
	if m.Response || (m.Service != SvcForwardOpen && m.Service != SvcLargeForwardOpen) {
		return f, false
	}
	f.Large = m.Service == SvcLargeForwardOpen
	r := wire.Reader(m.Data)
	step := func(ok bool) bool {
		if ok {
			f.Decoded++
		}
		return ok
	}
	ok = step(r.U8(&f.PriorityTick)) && step(r.U8(&f.TimeoutTicks)) && step(r.U32LE(&f.OTConnID)) &&
		step(r.U32LE(&f.TOConnID)) && step(r.U16LE(&f.Triad.SerialNumber)) && step(r.U16LE(&f.Triad.VendorID)) &&
		step(r.U32LE(&f.Triad.OrigSerial)) && step(r.U8(&f.TimeoutMultiplier)) && step(r.Skip(3)) &&
		step(r.U32LE(&f.OTRPI))
	if !ok {
		return f, false
	}
	if f.Large {
		ok = step(r.U32LE(&f.OTParams)) && step(r.U32LE(&f.TORPI)) && step(r.U32LE(&f.TOParams))
	} else {
		var a, b uint16
		ok = step(r.U16LE(&a))
		f.OTParams = uint32(a)
		ok = ok && step(r.U32LE(&f.TORPI)) && step(r.U16LE(&b))
		f.TOParams = uint32(b)
	}
	if !ok || !step(r.U8(&f.TransportTrigger)) || !step(r.U8(&f.ConnPathWords)) {
		return f, false
	}
	var p []byte
	if !r.Bytes(&p, 2*int(f.ConnPathWords)) {
		f.ConnPath = Path(r.Rest())
		return f, false
	}
	f.Decoded++
	f.ConnPath = Path(p)
	return f, true
}

// ForwardOpenReply is the data of a successful Forward Open reply.
type ForwardOpenReply struct {
	OTConnID, TOConnID uint32
	Triad              ConnectionTriad
	OTAPI, TOAPI       uint32
	AppReply           []byte
}

// ForwardOpenReply decodes a successful Forward Open or Large Forward Open
// reply; ctx is its request's context, which must be
// [ContextConnectionManager].
func (m *CIPMessage) ForwardOpenReply(ctx Context) (ForwardOpenReply, bool) {
	var f ForwardOpenReply
	if !m.Response || m.Status != StatusOK || (m.Service != SvcForwardOpen && m.Service != SvcLargeForwardOpen) ||
		ctx != ContextConnectionManager {
		return f, false
	}
	r := wire.Reader(m.Data)
	var n, res uint8
	if !r.U32LE(&f.OTConnID) || !r.U32LE(&f.TOConnID) || !r.U16LE(&f.Triad.SerialNumber) ||
		!r.U16LE(&f.Triad.VendorID) || !r.U32LE(&f.Triad.OrigSerial) || !r.U32LE(&f.OTAPI) ||
		!r.U32LE(&f.TOAPI) || !r.U8(&n) || !r.U8(&res) || !r.Bytes(&f.AppReply, 2*int(n)) {
		return f, false
	}
	return f, true
}

// FailedOpenReply is the data of an unsuccessful Forward Open reply or of
// a Forward Close reply: the connection triad.
type FailedOpenReply struct {
	Triad ConnectionTriad
	// RemainingPathWords is set in failed Forward Open replies.
	RemainingPathWords uint8
}

// ConnectionReplyTriad decodes the connection triad at the start of a
// failed Forward Open reply or of any Forward Close reply; ctx is its
// request's context, which must be [ContextConnectionManager].
func (m *CIPMessage) ConnectionReplyTriad(ctx Context) (FailedOpenReply, bool) {
	var f FailedOpenReply
	if !m.Response || ctx != ContextConnectionManager {
		return f, false
	}
	switch m.Service {
	case SvcForwardOpen, SvcLargeForwardOpen:
		if m.Status == StatusOK {
			return f, false
		}
	case SvcForwardClose:
	default:
		return f, false
	}
	r := wire.Reader(m.Data)
	if !r.U16LE(&f.Triad.SerialNumber) || !r.U16LE(&f.Triad.VendorID) || !r.U32LE(&f.Triad.OrigSerial) {
		return f, false
	}
	r.U8(&f.RemainingPathWords)
	return f, true
}

// ForwardClose is a Forward Close (0x4E) request.
type ForwardClose struct {
	PriorityTick  uint8
	TimeoutTicks  uint8
	Triad         ConnectionTriad
	ConnPathWords uint8
	ConnPath      Path
}

// ForwardClose decodes a Forward Close request (on the Connection
// Manager).
func (m *CIPMessage) ForwardClose() (ForwardClose, bool) {
	if m.Response || m.Service != SvcForwardClose || m.Context() != ContextConnectionManager {
		return ForwardClose{}, false
	}
	return m.forwardClose()
}

// forwardClose is ForwardClose without the context check.
func (m *CIPMessage) forwardClose() (ForwardClose, bool) {
	var f ForwardClose
	if m.Response || m.Service != SvcForwardClose {
		return f, false
	}
	r := wire.Reader(m.Data)
	var p []byte
	if !r.U8(&f.PriorityTick) || !r.U8(&f.TimeoutTicks) || !r.U16LE(&f.Triad.SerialNumber) ||
		!r.U16LE(&f.Triad.VendorID) || !r.U32LE(&f.Triad.OrigSerial) || !r.U8(&f.ConnPathWords) ||
		!r.Skip(1) || !r.Bytes(&p, 2*int(f.ConnPathWords)) {
		return f, false
	}
	f.ConnPath = Path(p)
	return f, true
}

// UnconnectedSend is an Unconnected Send (0x52 on the Connection Manager)
// request: an embedded request and the route path to its target.
type UnconnectedSend struct {
	PriorityTick uint8
	TimeoutTicks uint8
	// Embedded is the embedded request's bytes.
	Embedded       []byte
	RoutePathWords uint8
	RoutePath      Path
}

// UnconnectedSend decodes an Unconnected Send request (on the Connection
// Manager). The embedded request is parsed with [ParseCIP] on Embedded.
func (m *CIPMessage) UnconnectedSend() (UnconnectedSend, bool) {
	if m.Response || m.Service != SvcUnconnectedSend || m.Context() != ContextConnectionManager {
		return UnconnectedSend{}, false
	}
	return m.unconnectedSend()
}

// unconnectedSend is UnconnectedSend without the context check.
func (m *CIPMessage) unconnectedSend() (UnconnectedSend, bool) {
	var u UnconnectedSend
	if m.Response || m.Service != SvcUnconnectedSend {
		return u, false
	}
	r := wire.Reader(m.Data)
	var n uint16
	if !r.U8(&u.PriorityTick) || !r.U8(&u.TimeoutTicks) || !r.U16LE(&n) || !r.Bytes(&u.Embedded, int(n)) {
		return u, false
	}
	if n%2 == 1 {
		r.Skip(1)
	}
	var p []byte
	if !r.U8(&u.RoutePathWords) || !r.Skip(1) || !r.Bytes(&p, 2*int(u.RoutePathWords)) {
		return u, true
	}
	u.RoutePath = Path(p)
	return u, true
}

// Route returns the first hop of the route path: the port and link address
// (backplane slot) of the module the embedded request goes to.
func (u *UnconnectedSend) Route() (Route, bool) { return u.RoutePath.Route() }

// TagRequest is a Logix tag service request: Read Tag (0x4C), Write Tag
// (0x4D), Read Tag Fragmented (0x52), Write Tag Fragmented (0x53) or
// Read-Modify-Write Tag (0x4E).
type TagRequest struct {
	Service  Service
	Tag      Path
	Type     TagType // write services
	Elements uint16
	Offset   uint32 // fragmented services
	// Data is the value bytes of write services.
	Data []byte
	// OrMask and AndMask are the masks of Read-Modify-Write Tag.
	OrMask, AndMask []byte
}

// Value returns the written value (write services).
func (t *TagRequest) Value() Value { return Value{Type: t.Type, Data: t.Data} }

// TagRequest decodes a Logix tag service request. Tag services apply to
// symbolic paths and to the symbol class (0x6B): on any other path (the
// template class 0x6C's Read is 0x4C too) ok is false.
func (m *CIPMessage) TagRequest() (t TagRequest, ok bool) {
	// Small enough to inline: the caller's TagRequest is filled in place.
	ok = m.logixTag(&t)
	return t, ok
}

// logixTag is TagRequest into t, which is zero.
func (m *CIPMessage) logixTag(t *TagRequest) bool {
	if m.Response {
		return false
	}
	// An 8-bit class first, the usual path, decides at once: only the
	// symbol class is Logix ([ContextOf]).
	if p := m.Path; len(p) >= 2 && p[0] == 0x20 {
		if Class(p[1]) != ClassSymbol {
			return false
		}
	} else if m.Context() != ContextLogix {
		return false
	}
	return m.decodeTag(t)
}

// tagRequest is TagRequest without the context check.
func (m *CIPMessage) tagRequest() (t TagRequest, ok bool) {
	if m.Response {
		return t, false
	}
	ok = m.decodeTag(&t)
	return t, ok
}

// decodeTag decodes a tag service request's data into t.
func (m *CIPMessage) decodeTag(t *TagRequest) bool {
	t.Service, t.Tag = m.Service, m.Path
	r := wire.Reader(m.Data)
	switch m.Service {
	case SvcReadTag:
		return r.U16LE(&t.Elements)
	case SvcReadTagFragmented:
		return r.U16LE(&t.Elements) && r.U32LE(&t.Offset)
	case SvcWriteTag:
		if !readTagType(&r, &t.Type) || !r.U16LE(&t.Elements) {
			return false
		}
		t.Data = r.Rest()
		return true
	case SvcWriteTagFragmented:
		if !readTagType(&r, &t.Type) || !r.U16LE(&t.Elements) || !r.U32LE(&t.Offset) {
			return false
		}
		t.Data = r.Rest()
		return true
	case SvcReadModifyWriteTag:
		var n uint16
		return r.U16LE(&n) && r.Bytes(&t.OrMask, int(n)) && r.Bytes(&t.AndMask, int(n))
	}
	return false
}

// TagReply is the reply to Read Tag or Read Tag Fragmented: the value's type
// and bytes.
type TagReply struct {
	Type TagType
	Data []byte
}

// Value returns the value read.
func (t *TagReply) Value() Value { return Value{Type: t.Type, Data: t.Data} }

// TagReply decodes a Read Tag or Read Tag Fragmented reply (success or
// partial transfer). A reply carries no path: ctx is its request's context,
// and must be [ContextLogix] (0x4C and 0x52 mean other things elsewhere).
// It does not allocate.
func (m *CIPMessage) TagReply(ctx Context) (TagReply, bool) {
	var t TagReply
	if !m.Response || ctx != ContextLogix || (m.Service != SvcReadTag && m.Service != SvcReadTagFragmented) ||
		(m.Status != StatusOK && m.Status != StatusPartialTransfer) {
		return t, false
	}
	d := m.Data
	if len(d) < 2 {
		return t, false
	}
	t.Type.Code = DataType(wire.LE16(d))
	d = d[2:]
	if t.Type.Code == TypeStruct {
		if len(d) < 2 {
			return t, false
		}
		t.Type.Handle = wire.LE16(d)
		d = d[2:]
	}
	t.Data = d
	return t, true
}

// AttributeList is the request of Get Attribute List (0x03) and of the Logix
// Get Instance Attribute List (0x55): a count and 16-bit attribute ids.
type AttributeList struct {
	Count uint16
	ids   Words
}

// Len returns how many ids are present.
func (a *AttributeList) Len() int { return a.ids.Len() }

// At returns id i; ok is false when i is out of range.
func (a *AttributeList) At(i int) (id uint16, ok bool) { return a.ids.At(i) }

// All calls yield with each id and its index: for i, id := range al.All.
func (a *AttributeList) All(yield func(int, uint16) bool) { a.ids.All(yield) }

// AttributeList decodes the attribute id list of a Get Attribute List or
// (on a Logix tag path or the symbol class) Get Instance Attribute List
// request. A count larger than the data is cut to what is there and
// reported with ok false. Set Attribute List carries values between the
// ids: walk it with [CIPMessage.Attributes].
func (m *CIPMessage) AttributeList() (AttributeList, bool) {
	var a AttributeList
	if m.Response || (m.Service != SvcGetAttributeList &&
		(m.Service != SvcGetInstanceAttributeList || m.Context() != ContextLogix)) {
		return a, false
	}
	r := wire.Reader(m.Data)
	if !r.U16LE(&a.Count) {
		return a, false
	}
	n := 2 * int(a.Count)
	if n > r.Len() {
		rest := r.Rest()
		a.ids = Words(rest[:len(rest)&^1])
		return a, false
	}
	var ids []byte
	r.Bytes(&ids, n)
	a.ids = Words(ids)
	return a, true
}

// PCCC is an Execute PCCC (0x4B) request or reply: the requestor id and
// the PCCC command.
type PCCC struct {
	// RequestorID views the whole requestor id (length byte included).
	RequestorID []byte
	VendorID    uint16
	Serial      uint32
	Command     uint8
	Status      uint8
	TNS         uint16
	// Function is the function code of commands that carry one (0x06,
	// 0x07, 0x0E, 0x0F) in requests; HasFunction tells.
	Function    uint8
	HasFunction bool
	// ExtStatus is the extended status of a reply with status 0xF0.
	ExtStatus uint8
	Data      []byte
}

// PCCC decodes an Execute PCCC request, on the PCCC object (class 0x67).
func (m *CIPMessage) PCCC() (PCCC, bool) {
	if m.Response || m.Service != SvcExecutePCCC || m.Context() != ContextPCCC {
		return PCCC{}, false
	}
	return m.pccc()
}

// PCCCReply decodes an Execute PCCC reply; ctx is its request's context,
// which must be [ContextPCCC].
func (m *CIPMessage) PCCCReply(ctx Context) (PCCC, bool) {
	if !m.Response || m.Service != SvcExecutePCCC || ctx != ContextPCCC {
		return PCCC{}, false
	}
	return m.pccc()
}

func (m *CIPMessage) pccc() (PCCC, bool) {
	var p PCCC
	r := wire.Reader(m.Data)
	var n uint8
	if !r.U8(&n) || n < 7 {
		return p, false
	}
	all := m.Data
	if !r.U16LE(&p.VendorID) || !r.U32LE(&p.Serial) || !r.Skip(int(n)-7) {
		return p, false
	}
	p.RequestorID = all[:n:n]
	if !r.U8(&p.Command) || !r.U8(&p.Status) || !r.U16LE(&p.TNS) {
		return p, false
	}
	if !m.Response {
		if pcccHasFunction(p.Command) {
			p.HasFunction = r.U8(&p.Function)
		}
	} else if p.Status == 0xF0 {
		r.U8(&p.ExtStatus)
	}
	p.Data = r.Rest()
	return p, true
}

// SetAttributeSingle returns the attribute a Set_Attribute_Single request
// writes (from its path) and a view of the value.
func (m *CIPMessage) SetAttributeSingle() (attr uint32, value []byte, ok bool) {
	if m.Response || m.Service != SvcSetAttributeSingle {
		return 0, nil, false
	}
	t := m.Path.Target()
	if !t.HasAttribute {
		return 0, m.Data, false
	}
	return t.Attribute, m.Data, true
}

// ResetType returns the optional type byte of a Reset request (Identity
// object: 0 emulates a power cycle, 1 also returns to factory defaults).
func (m *CIPMessage) ResetType() (typ uint8, ok bool) {
	if m.Response || m.Service != SvcReset || len(m.Data) == 0 {
		return 0, false
	}
	return m.Data[0], true
}

// TemplateRead is a Read Template request on the Logix template object
// (class 0x6C): Size bytes of the structure definition from Offset.
type TemplateRead struct {
	Offset uint32
	Size   uint16
}

// TemplateRead decodes a Read Template (0x4C on class 0x6C) request. The
// reply's data is the definition's bytes, kept raw.
func (m *CIPMessage) TemplateRead() (TemplateRead, bool) {
	var t TemplateRead
	if m.Response || m.Service != SvcReadTemplate || m.Context() != ContextTemplate {
		return t, false
	}
	r := wire.Reader(m.Data)
	return t, r.U32LE(&t.Offset) && r.U16LE(&t.Size)
}
