package enip

import "github.com/icsdissect/icsdissect/internal/wire"

// Bounds of a Conn.
const (
	// MaxPending is the number of requests a Conn keeps waiting for their
	// replies; when full, the oldest is dropped and counted unanswered.
	MaxPending = 16
	// MaxCalls is the number of service contexts ([Request]) a Conn keeps
	// across its pending requests: one per service, so that a Multiple
	// Service Packet of n services takes n+1. A request with more services
	// keeps the first ones (AnomalyContextTruncated); older pending
	// requests whose contexts are needed are dropped and counted.
	MaxCalls = 128
	// RequestPathMax is how many bytes of a request's path, and of the
	// route path of an Unconnected Send or the connection path of a
	// Forward Open or Close, a Conn keeps (AnomalyContextTruncated when
	// cut).
	RequestPathMax = 128
	// PathArena is the size of the ring of bytes in which a Conn keeps the
	// paths of its pending requests; a request takes at most half of it.
	PathArena = 4096
	// MaxConnections is the number of Forward Open connections a Conn
	// remembers; the oldest is overwritten first.
	MaxConnections = 16
)

// Request is what a [Conn] keeps of one CIP service request until its
// reply: the compact context a reply needs to be read, never a copy of the
// request. For a service carried by an Unconnected Send or a Multiple
// Service Packet there is one Request per embedded service. A *Request
// points into its Conn and is valid until the Conn's next call.
type Request struct {
	// Service is the request's service code.
	Service Service
	// Context is the service context of the request's class.
	Context Context
	// Class, Instance, Attribute and Member are the first of each in the
	// request path (see Has*).
	Class                       Class
	Instance, Attribute, Member uint32
	HasClass, HasInstance       bool
	HasAttribute, HasMember     bool
	// Symbolic is true when the path names a Logix tag (see
	// [Request.AppendTag]).
	Symbolic bool
	// Elements is the element count of Logix Read/Write Tag (and their
	// fragmented forms).
	Elements uint16
	// Type is the data type of Logix Write Tag and Write Tag Fragmented.
	Type TagType
	// Offset is the byte offset of the fragmented tag services and of
	// Read Template.
	Offset uint32
	// Size is the byte count of Read Template.
	Size uint16
	// PCCCCommand and PCCCFunction are those of Execute PCCC.
	PCCCCommand, PCCCFunction uint8
	// Anomalies are the request's own: reserved path segments, a service
	// its class does not define, a data type that is not one,
	// AnomalyContextTruncated when its paths were cut.
	Anomalies Anomaly

	arena                *[PathArena]byte
	pathOff              uint16
	pathWords, pathLen   uint8
	extraWords, extraLen uint8
}

// Path returns the request path as kept (its first [RequestPathMax] bytes).
func (r *Request) Path() Path {
	if r.arena == nil {
		return nil
	}
	return Path(r.arena[r.pathOff : int(r.pathOff)+int(r.pathLen)])
}

// PathWords returns the request path size in words, as sent.
func (r *Request) PathWords() uint8 { return r.pathWords }

// Name returns the service's name in the request's context.
func (r *Request) Name() string { return r.Service.Name(r.Context) }

// AppendTag appends the Logix tag name of the request path (see
// [Path.AppendTag]).
func (r *Request) AppendTag(dst []byte) []byte { return r.Path().AppendTag(dst) }

// Truncated reports whether the Conn cut the request's paths.
func (r *Request) Truncated() bool { return r.Anomalies.Has(AnomalyContextTruncated) }

func (r *Request) extra() Path {
	if r.arena == nil {
		return nil
	}
	o := int(r.pathOff) + int(r.pathLen)
	return Path(r.arena[o : o+int(r.extraLen)])
}

// RoutePath returns the route path of an Unconnected Send request and its
// size in words as sent.
func (r *Request) RoutePath() (p Path, words uint8, ok bool) {
	if r.Service != SvcUnconnectedSend || r.Context != ContextConnectionManager {
		return nil, 0, false
	}
	return r.extra(), r.extraWords, true
}

// ConnPath returns the connection path of a Forward Open or Forward Close
// request and its size in words as sent.
func (r *Request) ConnPath() (p Path, words uint8, ok bool) {
	switch r.Service {
	case SvcForwardOpen, SvcLargeForwardOpen, SvcForwardClose:
		if r.Context == ContextConnectionManager {
			return r.extra(), r.extraWords, true
		}
	}
	return nil, 0, false
}

// Route returns where an Unconnected Send, Forward Open or Forward Close
// request goes: the first port segment of its route or connection path (a
// module in a backplane slot is a device of its own).
func (r *Request) Route() (Route, bool) {
	if p, _, ok := r.RoutePath(); ok {
		return p.Route()
	}
	if p, _, ok := r.ConnPath(); ok {
		return p.Route()
	}
	return Route{}, false
}

// Operation classifies the request (see [Operation]).
func (r *Request) Operation() Operation {
	if r.Service == SvcExecutePCCC && r.Context == ContextPCCC {
		return PCCCOperation(r.PCCCCommand, r.PCCCFunction)
	}
	return ServiceOperation(r.Service, r.Context, r.Class)
}

// arenaSpan is the part of the path arena a request may fill: [pos, end).
type arenaSpan struct {
	b        *[PathArena]byte
	pos, end int
}

// put copies p into the span, cut to max bytes and to the room left, and
// returns where it went and how much was kept.
func (a *arenaSpan) put(p []byte, max int) (off, n int) {
	n = min(len(p), max, a.end-a.pos)
	off = a.pos
	copy(a.b[off:off+n], p)
	a.pos += n
	return off, n
}

// set fills r from request m: its path summary, paths (kept in a) and the
// fields its service carries. It does not allocate.
func (r *Request) set(m *CIPMessage, a *arenaSpan) {
	t := m.Path.Target()
	*r = Request{
		Service: m.Service, Class: t.Class, Instance: t.Instance, Attribute: t.Attribute, Member: t.Member,
		HasClass: t.HasClass, HasInstance: t.HasInstance, HasAttribute: t.HasAttribute,
		HasMember: t.HasMember, Symbolic: t.Symbolic, Anomalies: t.Anomalies,
		pathWords: m.PathWords, arena: a.b,
	}
	r.Context = m.Path.Context()
	off, n := a.put(m.Path, RequestPathMax)
	r.pathOff, r.pathLen = uint16(off), uint8(n)
	if n < len(m.Path) {
		r.Anomalies |= AnomalyContextTruncated
	}
	if !m.Service.KnownIn(r.Context) {
		r.Anomalies |= AnomalyUnknownService
	}
	switch r.Context {
	case ContextLogix:
		if tr, ok := m.tagRequest(); ok {
			r.Elements, r.Type, r.Offset = tr.Elements, tr.Type, tr.Offset
			if (tr.Service == SvcWriteTag || tr.Service == SvcWriteTagFragmented) && !tr.Type.Code.Known() {
				r.Anomalies |= AnomalyUnknownDataType
			}
		}
	case ContextTemplate:
		if m.Service == SvcReadTemplate {
			rd := wire.Reader(m.Data)
			rd.U32LE(&r.Offset)
			rd.U16LE(&r.Size)
		}
	case ContextPCCC:
		if p, ok := m.pccc(); ok {
			r.PCCCCommand, r.PCCCFunction = p.Command, p.Function
		}
	case ContextConnectionManager:
		switch m.Service {
		case SvcUnconnectedSend:
			if u, ok := m.unconnectedSend(); ok {
				r.setExtra(u.RoutePath, u.RoutePathWords, a)
			}
		case SvcForwardOpen, SvcLargeForwardOpen:
			if f, ok := m.forwardOpen(); ok {
				r.setExtra(f.ConnPath, f.ConnPathWords, a)
			}
		case SvcForwardClose:
			if f, ok := m.forwardClose(); ok {
				r.setExtra(f.ConnPath, f.ConnPathWords, a)
			}
		}
	}
}

// setExtra keeps the route or connection path p right after the request
// path.
func (r *Request) setExtra(p Path, words uint8, a *arenaSpan) {
	_, n := a.put(p, RequestPathMax)
	r.extraLen, r.extraWords = uint8(n), words
	if n < len(p) {
		r.Anomalies |= AnomalyContextTruncated
	}
}

// ConnStats counts what a Conn has seen since it was made or Reset.
type ConnStats struct {
	// Requests counts requests that expect a reply; Responses counts
	// replies.
	Requests, Responses uint64
	// Paired counts replies matched to their request; Unmatched replies
	// with no pending request; Mismatched replies whose service does not
	// answer the pending request.
	Paired, Unmatched, Mismatched uint64
	// Unanswered counts requests dropped without a reply (overflow,
	// duplicate, Flush); Overflow those dropped because the table was full;
	// Duplicates requests that replaced a pending one with the same key.
	Unanswered, Overflow, Duplicates uint64
	// Pending is the number of requests waiting now.
	Pending int
}

const (
	kindFree uint8 = iota
	kindCommand
	kindUCMM
	kindConnected
)

// pending is a request waiting for its reply.
type pending struct {
	ts      int64
	order   uint32
	session uint32
	connID  uint32
	context [8]byte
	cmd     Command
	seq     uint16
	kind    uint8
	first   uint8
	n       uint8
	// bfirst and blen are the request's bytes in the path arena.
	bfirst, blen uint16
}

// cipState is the part of a Conn that only CIP messaging needs; it is
// allocated on a Conn's first CIP request and kept across Reset.
type cipState struct {
	reqs     [MaxCalls]Request
	head     int
	bytes    [PathArena]byte
	bhead    int
	conns    [MaxConnections]Connection
	connUsed [MaxConnections]bool
	connNext int
}

// Conn is the state of one EtherNet/IP connection (a TCP connection, or the
// UDP datagrams between two endpoints), both directions: it pairs replies
// with requests and keeps what a reply needs from its request.
//
//   - ListIdentity, ListServices, ListInterfaces and RegisterSession
//     requests pair with their replies by command and sender context.
//   - Unconnected explicit messages (SendRRData, UCMM) pair by session and
//     sender context.
//   - Connected explicit messages (SendUnitData) pair by connection and
//     sequence count: a request travels on the O->T connection id, its
//     reply on the T->O id, which the Forward Open on this Conn tells;
//     without it, by sequence count alone.
//   - Each service inside a Multiple Service Packet and inside an
//     Unconnected Send pairs with its reply service. A reply whose service
//     does not answer its request is AnomalyMismatchedResponse and is not
//     read in the request's context.
//   - Forward Open and its reply give the connection's ids, RPIs, sizes
//     and path ([Message.Connection]); connected messages on those ids are
//     then known.
//
// A Conn is bounded: [MaxPending] requests, [MaxCalls] service contexts,
// [MaxConnections] connections. The zero value is ready; a Conn must not
// be copied after first use. The CIP part of its state (about 13 KB) is
// allocated on the first CIP request and kept across Reset; nothing else
// allocates. A Conn is not safe for concurrent use.
type Conn struct {
	pend  [MaxPending]pending
	order uint32
	st    *cipState
	msg   Message
	stats ConnStats
}

const (
	matchNone uint8 = iota
	matchRequest
	matchTop
	matchEmbedded
	matchMismatch
)

// Message is a Conn's result for one PDU: the frame, its direction and
// time, and for a reply whether and how it was paired with its request. It
// points into the Conn and is valid until the Conn's next call.
type Message struct {
	// Frame is the encapsulation PDU.
	Frame Frame
	// ToServer is the direction given to Decode.
	ToServer bool
	// Time is the capture time given to Decode (any clock, nanoseconds).
	Time int64
	// Paired is true for a reply matched to its request, whose time is
	// RequestTime.
	Paired      bool
	RequestTime int64
	// Unanswered is set on the messages Flush yields: requests never
	// answered.
	Unanswered bool
	// Anomalies holds every anomaly found in the PDU (header, CPF items,
	// paths, each CIP service) and the connection-level flags.
	Anomalies Anomaly
	// HasCIP tells that the frame carries a CIP message: CIP is its payload
	// (connected or not); walk its services with [Message.Calls].
	HasCIP bool
	CIP    CIPData
	// Connection is the CIP connection a connected message travels on,
	// when the Forward Open that made it was seen on this Conn.
	Connection *Connection
	// Opened is the connection a successful Forward Open reply opened;
	// Closed the one a successful Forward Close reply closed (when its
	// Forward Open was seen). Feed them to a [Tracker] to follow the
	// connection's implicit I/O.
	Opened, Closed *Connection

	conn     *Conn
	first, n uint8
	match    uint8
}

// Requests returns the request contexts of the message: its own for a
// request, those of the request it answers for a paired (or mismatched)
// reply, the dropped request's for a message from Flush. The first is the
// top-level service; for an Unconnected Send the embedded service
// follows, for a Multiple Service Packet each embedded service.
func (m *Message) Requests() Requests {
	if m.n == 0 || m.conn == nil || m.conn.st == nil {
		return Requests{}
	}
	return Requests{recs: m.conn.st.reqs[m.first : int(m.first)+int(m.n)]}
}

// Requests is a view of request contexts.
type Requests struct{ recs []Request }

// Len returns the number of request contexts.
func (r Requests) Len() int { return len(r.recs) }

// At returns request context i; ok is false out of range.
func (r Requests) At(i int) (*Request, bool) {
	if i < 0 || i >= len(r.recs) {
		return nil, false
	}
	return &r.recs[i], true
}

// All calls yield with each request context and its index.
func (r Requests) All(yield func(int, *Request) bool) {
	for i := range r.recs {
		if !yield(i, &r.recs[i]) {
			return
		}
	}
}

// Decode decodes b, one encapsulation PDU as [Split] cut it, travelling to
// the server when toServer is true, captured at ts (nanoseconds, any
// clock). Requests are remembered; replies are paired with them. The
// result points into the Conn and is valid until its next call. err is
// what [Parse] reports; with ErrTruncated the Message still holds what
// could be read. It does not allocate once the Conn's CIP state exists.
func (c *Conn) Decode(b []byte, toServer bool, ts int64) (*Message, error) {
	m := &c.msg
	*m = Message{ToServer: toServer, Time: ts, conn: c}
	_, err := m.Frame.Decode(b)
	if len(b) < HeaderLen {
		return m, err
	}
	m.Anomalies = m.Frame.Anomalies
	f := &m.Frame
	switch f.Command {
	case CmdListIdentity, CmdListServices, CmdListInterfaces, CmdRegisterSession:
		if f.HasCPF() {
			c.items(m)
		}
		if toServer {
			c.stats.Requests++
			c.insert(m, pending{kind: kindCommand, cmd: f.Command, context: f.Context, session: f.Session, ts: ts})
		} else {
			c.stats.Responses++
			c.pairCommand(m)
		}
	case CmdSendRRData, CmdSendUnitData:
		c.items(m)
		if m.HasCIP {
			c.cip(m)
		}
	}
	return m, err
}

// items walks the CPF items for anomalies and the CIP payload.
func (c *Conn) items(m *Message) {
	f := &m.Frame
	iface := uint32(0)
	if sd, ok := f.SendData(); ok {
		iface = sd.InterfaceHandle
	}
	var id uint32
	it := f.Items()
	for it.Next() {
		item := it.Item()
		if item.Length == 0 || m.HasCIP {
			continue
		}
		switch item.Type {
		case ItemConnectedAddress:
			id, _ = item.ConnectedAddress()
		case ItemUnconnectedData:
			if f.Command == CmdSendRRData || f.Command == CmdSendUnitData {
				if iface == 0 {
					m.CIP, m.HasCIP = CIPData{ConnID: id, Msg: item.Data}, true
				}
			}
		case ItemConnectedData:
			if seq, msg, ok := item.ConnectedMessage(); ok && f.Command == CmdSendUnitData && len(msg) >= 2 {
				m.CIP, m.HasCIP = CIPData{Connected: true, ConnID: id, Seq: seq, Msg: msg}, true
			}
		}
	}
	m.Anomalies |= it.Anomalies()
}

func (c *Conn) state() *cipState {
	if c.st == nil {
		c.st = new(cipState)
	}
	return c.st
}

// cip remembers or pairs the CIP message of m, then walks its services.
func (c *Conn) cip(m *Message) {
	var top CIPMessage
	top.Decode(m.CIP.Msg)
	if m.CIP.Connected {
		m.Connection = c.lookupConn(m.CIP.ConnID)
	}
	if top.Response {
		c.stats.Responses++
		c.pairCIP(m, &top)
	} else {
		c.stats.Requests++
		c.record(m, &top)
	}
	c.walk(m)
}

// mspCount returns the service count of Multiple Service Packet data,
// bounded by what the bytes can hold.
func mspCount(d []byte) int {
	if len(d) < 2 {
		return 0
	}
	return min(int(wire.LE16(d)), (len(d)-2)/2)
}

// record remembers request top: one Request per service.
func (c *Conn) record(m *Message, top *CIPMessage) {
	st := c.state()
	var emb CIPMessage
	var us UnconnectedSend
	routed := false
	n := 1
	if top.Service == SvcUnconnectedSend {
		if u, ok := top.UnconnectedSend(); ok {
			us, routed = u, true
			emb.Decode(us.Embedded)
			n++
			if emb.Service == SvcMultipleServicePacket && !emb.Response {
				n += mspCount(emb.Data)
			}
		}
	} else if top.Service == SvcMultipleServicePacket {
		n += mspCount(top.Data)
	}
	if n > MaxCalls {
		n = MaxCalls
		m.Anomalies |= AnomalyContextTruncated
	}
	first, span := c.alloc(m, n, min(len(m.CIP.Msg), PathArena/2))
	recs := st.reqs[first : first+n]
	recs[0].set(top, &span)
	k := 1
	msp := top
	if routed {
		recs[1].set(&emb, &span)
		k = 2
		msp = &emb
		if emb.Response {
			msp = nil
		}
	}
	if msp != nil && msp.Service == SvcMultipleServicePacket && k < n {
		msgs := msp.Multiple()
		for k < n && msgs.Next() {
			e := msgs.CIPMessage()
			recs[k].set(&e, &span)
			k++
		}
	}
	st.head = first + k
	bfirst := st.bhead
	st.bhead = span.pos
	for i := 0; i < k; i++ {
		m.Anomalies |= recs[i].Anomalies & AnomalyContextTruncated
	}
	kind := kindUCMM
	if m.CIP.Connected {
		kind = kindConnected
	}
	f := &m.Frame
	c.insert(m, pending{kind: kind, cmd: f.Command, session: f.Session, context: f.Context,
		connID: m.CIP.ConnID, seq: m.CIP.Seq, ts: m.Time, first: uint8(first), n: uint8(k),
		bfirst: uint16(bfirst), blen: uint16(span.pos - bfirst)})
	m.first, m.n, m.match = uint8(first), uint8(k), matchRequest
}

// alloc reserves n contiguous request contexts and nb contiguous bytes of
// the path arena, dropping the pending requests whose contexts or bytes
// they overwrite.
func (c *Conn) alloc(m *Message, n, nb int) (first int, span arenaSpan) {
	st := c.st
	first = st.head
	if first+n > MaxCalls {
		first = 0
	}
	bfirst := st.bhead
	if bfirst+nb > PathArena {
		bfirst = 0
	}
	st.bhead = bfirst
	for i := range c.pend {
		p := &c.pend[i]
		if p.kind == kindFree || p.kind == kindCommand {
			continue
		}
		if (int(p.first) < first+n && first < int(p.first)+int(p.n)) ||
			(p.blen > 0 && int(p.bfirst) < bfirst+nb && bfirst < int(p.bfirst)+int(p.blen)) {
			p.kind = kindFree
			c.stats.Overflow++
			c.stats.Unanswered++
			m.Anomalies |= AnomalyPendingOverflow
		}
	}
	return first, arenaSpan{b: &st.bytes, pos: bfirst, end: bfirst + nb}
}

// insert adds a pending request, replacing one with the same key or, when
// the table is full, the oldest.
func (c *Conn) insert(m *Message, p pending) {
	c.order++
	p.order = c.order
	free, oldest := -1, -1
	for i := range c.pend {
		q := &c.pend[i]
		if q.kind == kindFree {
			if free < 0 {
				free = i
			}
			continue
		}
		if q.kind == p.kind && sameKey(q, &p) {
			*q = p
			c.stats.Duplicates++
			c.stats.Unanswered++
			m.Anomalies |= AnomalyDuplicateRequest
			return
		}
		if oldest < 0 || q.order < c.pend[oldest].order {
			oldest = i
		}
	}
	if free < 0 {
		free = oldest
		c.stats.Overflow++
		c.stats.Unanswered++
		m.Anomalies |= AnomalyPendingOverflow
	}
	c.pend[free] = p
}

func sameKey(q, p *pending) bool {
	switch p.kind {
	case kindCommand:
		return q.cmd == p.cmd && q.context == p.context
	case kindUCMM:
		return q.session == p.session && q.context == p.context
	case kindConnected:
		return q.connID == p.connID && q.seq == p.seq
	}
	return false
}

// take removes pending request i and returns it.
func (c *Conn) take(i int) pending {
	p := c.pend[i]
	c.pend[i].kind = kindFree
	return p
}

// pairCommand pairs a list or RegisterSession reply.
func (c *Conn) pairCommand(m *Message) {
	f := &m.Frame
	for i := range c.pend {
		q := &c.pend[i]
		if q.kind == kindCommand && q.cmd == f.Command && q.context == f.Context {
			p := c.take(i)
			m.Paired, m.RequestTime = true, p.ts
			c.stats.Paired++
			return
		}
	}
	c.stats.Unmatched++
	m.Anomalies |= AnomalyUnmatchedResponse
}

// findCIP returns the index of the pending request reply m answers by
// key, or -1.
func (c *Conn) findCIP(m *Message) int {
	f := &m.Frame
	if !m.CIP.Connected {
		for i := range c.pend {
			q := &c.pend[i]
			if q.kind == kindUCMM && q.session == f.Session && q.context == f.Context {
				return i
			}
		}
		return -1
	}
	// The reply travels on the T->O id; its request on the O->T id of
	// the same connection.
	if conn := m.Connection; conn != nil && conn.TOConnID == m.CIP.ConnID {
		for i := range c.pend {
			q := &c.pend[i]
			if q.kind == kindConnected && q.connID == conn.OTConnID && q.seq == m.CIP.Seq {
				return i
			}
		}
	}
	best := -1
	for i := range c.pend {
		q := &c.pend[i]
		if q.kind == kindConnected && q.seq == m.CIP.Seq && (best < 0 || q.order < c.pend[best].order) {
			best = i
		}
	}
	return best
}

// pairCIP pairs a CIP reply with its pending request and checks that its
// service answers it.
func (c *Conn) pairCIP(m *Message, top *CIPMessage) {
	i := c.findCIP(m)
	if i < 0 {
		c.stats.Unmatched++
		m.Anomalies |= AnomalyUnmatchedResponse
		return
	}
	p := c.take(i)
	m.RequestTime, m.first, m.n = p.ts, p.first, p.n
	if p.n == 0 {
		m.match = matchMismatch
	} else {
		rec0 := &c.st.reqs[p.first]
		switch {
		case rec0.Service == SvcUnconnectedSend && rec0.Context == ContextConnectionManager:
			// An Unconnected Send is answered by the embedded service's
			// reply, or by an Unconnected Send reply when routing failed.
			if top.Service == SvcUnconnectedSend {
				m.match = matchTop
			} else if p.n >= 2 && c.st.reqs[p.first+1].Service == top.Service {
				m.match = matchEmbedded
			} else {
				m.match = matchMismatch
			}
		case rec0.Service == top.Service:
			m.match = matchTop
		default:
			m.match = matchMismatch
		}
	}
	if m.match == matchMismatch {
		c.stats.Mismatched++
		m.Anomalies |= AnomalyMismatchedResponse
		return
	}
	m.Paired = true
	c.stats.Paired++
}

// walk goes through the services of m once: it gathers their anomalies
// and follows Forward Open and Close.
func (c *Conn) walk(m *Message) {
	calls := m.Calls()
	for calls.Next() {
		call := &calls.cur
		m.Anomalies |= call.Anomalies
		if call.Context() != ContextConnectionManager {
			continue
		}
		switch call.Msg.Service {
		case SvcForwardOpen, SvcLargeForwardOpen:
			if !call.Msg.Response {
				if fo, ok := call.Msg.forwardOpen(); ok {
					c.requestConn(&fo)
				}
			} else if r, ok := call.Msg.ForwardOpenReply(ContextConnectionManager); ok {
				m.Opened = c.openConn(&r)
			}
		case SvcForwardClose:
			if call.Msg.Response && call.Msg.Status == StatusOK {
				if r, ok := call.Msg.ConnectionReplyTriad(ContextConnectionManager); ok {
					if m.Closed = c.triadConn(r.Triad); m.Closed != nil {
						c.closeConn(m.Closed)
					}
				}
			}
		}
	}
}

// lookupConn finds the open connection that uses connID in either
// direction.
func (c *Conn) lookupConn(id uint32) *Connection {
	if c.st == nil {
		return nil
	}
	for i := range c.st.conns {
		if cn := &c.st.conns[i]; c.st.connUsed[i] && cn.Opened && (cn.OTConnID == id || cn.TOConnID == id) {
			return cn
		}
	}
	return nil
}

func (c *Conn) triadConn(tr ConnectionTriad) *Connection {
	if c.st == nil {
		return nil
	}
	for i := range c.st.conns {
		if c.st.connUsed[i] && c.st.conns[i].Triad == tr {
			return &c.st.conns[i]
		}
	}
	return nil
}

func (c *Conn) newConn() *Connection {
	st := c.state()
	for i := range st.conns {
		if !st.connUsed[i] {
			st.connUsed[i] = true
			return &st.conns[i]
		}
	}
	i := st.connNext
	st.connNext = (st.connNext + 1) % MaxConnections
	return &st.conns[i]
}

func (c *Conn) requestConn(f *ForwardOpen) *Connection {
	cn := c.triadConn(f.Triad)
	if cn == nil {
		cn = c.newConn()
	}
	cn.setRequest(f)
	return cn
}

func (c *Conn) openConn(r *ForwardOpenReply) *Connection {
	cn := c.triadConn(r.Triad)
	if cn == nil {
		cn = c.newConn()
		*cn = Connection{}
	}
	cn.setReply(r)
	return cn
}

func (c *Conn) closeConn(cn *Connection) {
	for i := range c.st.conns {
		if &c.st.conns[i] == cn {
			c.st.connUsed[i] = false
		}
	}
}

// Flush reports each pending request, oldest first, as an unanswered
// Message (Unanswered set, Frame holding the request's header fields, no
// data; its contexts in [Message.Requests]) and forgets it: the connection
// has ended. It stops early when yield returns false. It does not
// allocate.
func (c *Conn) Flush(yield func(*Message) bool) {
	for {
		i := -1
		for j := range c.pend {
			if q := &c.pend[j]; q.kind != kindFree && (i < 0 || q.order < c.pend[i].order) {
				i = j
			}
		}
		if i < 0 {
			return
		}
		p := c.take(i)
		c.stats.Unanswered++
		m := &c.msg
		*m = Message{ToServer: true, Time: p.ts, RequestTime: p.ts, Unanswered: true, conn: c}
		m.Frame.Command, m.Frame.Session, m.Frame.Context = p.cmd, p.session, p.context
		if p.kind != kindCommand {
			m.CIP = CIPData{Connected: p.kind == kindConnected, ConnID: p.connID, Seq: p.seq}
			m.first, m.n, m.match = p.first, p.n, matchRequest
		}
		if !yield(m) {
			return
		}
	}
}

// Reset forgets everything (pending requests, connections, counts) for a
// new connection, keeping the memory. It does not allocate.
func (c *Conn) Reset() {
	st := c.st
	*c = Conn{st: st}
	if st != nil {
		st.head, st.bhead, st.connNext = 0, 0, 0
		st.connUsed = [MaxConnections]bool{}
	}
}

// Stats returns the Conn's counts.
func (c *Conn) Stats() ConnStats {
	s := c.stats
	for i := range c.pend {
		if c.pend[i].kind != kindFree {
			s.Pending++
		}
	}
	return s
}

// Call is one CIP service of a Message with its request context: the
// top-level service, the service an Unconnected Send carries, or one of a
// Multiple Service Packet.
type Call struct {
	// Msg is the service's request or reply.
	Msg CIPMessage
	// Err is what decoding Msg reported (a cut message).
	Err error
	// Request is the service's request context: its own for a request,
	// the request it answers for a reply. It is nil for a reply that is
	// not paired or whose service does not answer the request: such a
	// reply must not be read in a request's context.
	Request *Request
	// Via is the Unconnected Send that carried the service, when it was
	// routed: its route tells the module the service went to.
	Via *Request
	// Depth is 0 for the top-level service, 1 inside an Unconnected Send
	// or a Multiple Service Packet, 2 inside both.
	Depth uint8
	// Index is the position in the Multiple Service Packet, -1 outside.
	Index int
	// Anomalies are the service's (a mismatched reply, a service its
	// class does not define, reserved segments, an unknown data type).
	Anomalies Anomaly
}

// Context returns the context in which the service is read: its request's.
// An unpaired reply is read as generic.
func (c *Call) Context() Context {
	if c.Request != nil {
		return c.Request.Context
	}
	if !c.Msg.Response {
		return c.Msg.Context()
	}
	return ContextGeneric
}

// Name returns the service's name in its context.
func (c *Call) Name() string { return c.Msg.Service.Name(c.Context()) }

// Operation classifies the service by its request (see [Operation]).
func (c *Call) Operation() Operation {
	if c.Request != nil {
		return c.Request.Operation()
	}
	return ServiceOperation(c.Msg.Service, c.Context(), c.Msg.Path.Target().Class)
}

// TagReply decodes a Read Tag reply in its request's context.
func (c *Call) TagReply() (TagReply, bool) { return c.Msg.TagReply(c.Context()) }

// Attributes returns a cursor over the attributes of an attribute list
// service or Get Attributes All reply, sized by its request's class.
func (c *Call) Attributes() Attributes {
	var class Class
	if c.Request != nil {
		class = c.Request.Class
	} else if !c.Msg.Response {
		class = c.Msg.Path.Target().Class
	}
	return c.Msg.Attributes(class)
}

const (
	callsStart uint8 = iota
	callsEmbedded
	callsMultiple
	callsDone
)

// Calls is a cursor over the CIP services of a Message with their request
// contexts, in wire order: the top-level service, then the service an
// Unconnected Send carries, then the services of a Multiple Service Packet:
//
//	calls := m.Calls()
//	for calls.Next() {
//		call := calls.Call()
//	}
//	if err := calls.Err(); err != nil { ... }
//
// It does not allocate.
type Calls struct {
	m      *Message
	state  uint8
	top    CIPMessage
	emb    []byte
	msgs   CIPMessages
	mspRec int
	depth  uint8
	via    *Request
	cur    Call
	err    error
}

// Calls returns a cursor over the message's CIP services. A message without
// CIP data (a list command, one from Flush) yields nothing.
func (m *Message) Calls() Calls {
	if !m.HasCIP {
		return Calls{state: callsDone}
	}
	return Calls{m: m}
}

// rec returns request context i of the message, or nil.
func (it *Calls) rec(i int) *Request {
	m := it.m
	if i < 0 || i >= int(m.n) || m.conn == nil || m.conn.st == nil {
		return nil
	}
	return &m.conn.st.reqs[int(m.first)+i]
}

// Next advances to the next service and reports whether there is one.
func (it *Calls) Next() bool {
	switch it.state {
	case callsStart:
		return it.first()
	case callsEmbedded:
		return it.embedded()
	case callsMultiple:
		return it.multiple()
	}
	return false
}

func (it *Calls) first() bool {
	m := it.m
	it.state = callsDone
	err := it.top.Decode(m.CIP.Msg)
	it.cur = Call{Msg: it.top, Err: err, Index: -1}
	it.mspRec = -1
	if err != nil {
		it.err = err
	}
	switch m.match {
	case matchRequest:
		it.cur.Request = it.rec(0)
		if it.top.Service == SvcUnconnectedSend && it.cur.Context() == ContextConnectionManager {
			if u, ok := it.top.unconnectedSend(); ok {
				it.emb = u.Embedded
				it.via = it.cur.Request
				it.state = callsEmbedded
			}
		} else if it.top.Service == SvcMultipleServicePacket {
			it.startMSP(&it.top, 1, 1)
		}
	case matchTop, matchEmbedded:
		r := 0
		if m.match == matchEmbedded {
			r = 1
			it.via = it.rec(0)
			it.cur.Via = it.via
		}
		it.cur.Request = it.rec(r)
		if it.top.Service == SvcMultipleServicePacket {
			it.startMSP(&it.top, r+1, 1)
		}
	default:
		if m.match == matchMismatch {
			it.cur.Anomalies |= AnomalyMismatchedResponse
		}
		if it.top.Service == SvcMultipleServicePacket {
			it.startMSP(&it.top, -1, 1)
		}
	}
	it.finish()
	return true
}

func (it *Calls) startMSP(m *CIPMessage, rec int, depth uint8) {
	it.msgs = m.Multiple()
	it.mspRec = rec
	it.depth = depth
	it.state = callsMultiple
}

func (it *Calls) embedded() bool {
	it.state = callsDone
	var e CIPMessage
	err := e.Decode(it.emb)
	it.cur = Call{Msg: e, Err: err, Request: it.rec(1), Via: it.via, Depth: 1, Index: -1}
	if err != nil {
		it.err = err
	}
	if e.Service == SvcMultipleServicePacket && !e.Response {
		it.startMSP(&e, 2, 2)
	}
	it.finish()
	return true
}

func (it *Calls) multiple() bool {
	if !it.msgs.Next() {
		if err := it.msgs.Err(); err != nil && it.err == nil {
			it.err = err
		}
		it.state = callsDone
		return false
	}
	e := it.msgs.CIPMessage()
	i := it.msgs.Index()
	it.cur = Call{Msg: e, Via: it.via, Depth: it.depth, Index: i}
	if it.mspRec >= 0 {
		it.cur.Request = it.rec(it.mspRec + i)
		if r := it.cur.Request; r != nil && e.Response && r.Service != e.Service {
			it.cur.Request = nil
			it.cur.Anomalies |= AnomalyMismatchedResponse
		}
	}
	it.finish()
	return true
}

// finish computes the current call's anomalies.
func (it *Calls) finish() {
	c := &it.cur
	a := c.Msg.Anomalies
	switch r := c.Request; {
	case !c.Msg.Response && r != nil:
		a |= r.Anomalies
	case !c.Msg.Response:
		a |= c.Msg.Path.Target().Anomalies
		if !c.Msg.Service.KnownIn(c.Msg.Path.Context()) {
			a |= AnomalyUnknownService
		}
	case r != nil:
		if !c.Msg.Service.KnownIn(r.Context) {
			a |= AnomalyUnknownService
		}
		if tr, ok := c.Msg.TagReply(r.Context); ok && !tr.Type.Code.Known() {
			a |= AnomalyUnknownDataType
		}
	}
	c.Anomalies |= a
}

// Call returns the current service.
func (it *Calls) Call() Call { return it.cur }

// Err returns the first decoding error met, if any.
func (it *Calls) Err() error { return it.err }
