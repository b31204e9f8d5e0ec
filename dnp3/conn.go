package dnp3

import "math/bits"

// Limits of a Conn.
const (
	// MaxPending is how many requests a Conn keeps waiting for their
	// responses. A master has one request outstanding per outstation, so
	// this covers a connection to four outstations; when the table is
	// full the oldest request is dropped and counted unanswered.
	MaxPending = 4
	// MaxFragmentLen bounds an application fragment a Conn reassembles.
	// It is larger than the standard 2048 octets because real devices
	// exceed it (Wireshark reassembles up to 60 segments of 249 octets).
	MaxFragmentLen = 16384
	// MaxRequestBody is how many octets of a request's object area a Conn
	// keeps for the context of its response (a read's object headers, a
	// command's first objects).
	MaxRequestBody = 40
	// connLinks is how many links a Conn reassembles fragments of, and
	// connAssocs how many master-outstation pairs it tracks sequence
	// numbers, confirms and selects of; the least recently used one is
	// forgotten for a new one.
	connLinks  = 4
	connAssocs = 4
)

// Conn is the state of one DNP3 connection (a TCP connection, or the UDP
// datagrams between two endpoints), both directions: transport reassembly
// per link (source and destination address), the application sequence
// numbers of each master and outstation, confirms, select-before-operate,
// and the pairing of requests with their responses by application
// sequence number.
//
// The zero value is ready to use. A Conn has a fixed size (about 1 KiB,
// unsafe.Sizeof, most of it the link frame of its Message); the
// reassembly buffer of a link is allocated the first time a fragment of
// that link spans two segments (from 2 KiB, doubling up to MaxFragmentLen)
// and is kept across Reset, so that a Conn allocates nothing in steady
// state. A Conn is not safe for concurrent use.
type Conn struct {
	msg     Message
	links   [connLinks]link
	assocs  [connAssocs]assoc
	pending [MaxPending]pendingReq
	// busy has bit i set while links[i] has a fragment in progress, and
	// lostToServer or lostFromServer while that direction recovers from a
	// gap (see Gap), so that Decode's shortcut is not taken then; used has
	// bit i set while pending[i] holds a request.
	busy, used uint8
	lastAssoc  uint8
	lastLink   uint8
	// noAcks is set once a request that takes no response was seen: an
	// unmatched response is then checked against it.
	noAcks bool
	tick   uint64
	stats  ConnStats
}

// link is the transport reassembly of one link.
type link struct {
	src, dst uint16
	active   bool
	toServer bool
	seq      uint8
	n        uint16
	used     uint32 // last use (the low bits of Conn.tick), 0 for a free slot
	buf      []byte
}

// assoc is the application state of one master-outstation pair.
type assoc struct {
	master, outstation uint16
	flags              uint8 // the assoc flags below
	reqSeq, unsSeq     uint8 // the last request and unsolicited sequence numbers
	conSol, conUns     uint8 // the sequence numbers awaiting a confirm
	selSeq             uint8
	noAck              uint8  // the sequence number of the last request that takes no response
	selLen             uint16 // the select's object area: length and FNV-1a hash
	selSum             uint32
	used               uint32 // last use (the low bits of Conn.tick), 0 for a free slot
}

// assoc flags.
const (
	aReq    uint8 = 1 << iota // reqSeq is set
	aUns                      // unsSeq is set
	aConSol                   // a response awaits a confirm with conSol
	aConUns                   // an unsolicited response awaits a confirm with conUns
	aSel                      // a select awaits its operate
	aNoAck                    // noAck is set
	aLostM                    // the master's bytes were lost since its last request
	aLostO                    // the outstation's bytes were lost since its last unsolicited response
)

// busy bits of a direction recovering from a gap: a segment without FIR
// there continues a fragment whose start was lost.
const (
	lostToServer   uint8 = 1 << 6
	lostFromServer uint8 = 1 << 7
)

// lostBit returns the busy bit of a gap in the direction toServer.
func lostBit(toServer bool) uint8 {
	if toServer {
		return lostToServer
	}
	return lostFromServer
}

// pendingReq is a request awaiting its response.
type pendingReq struct {
	key  uint64 // master, outstation and the expected sequence number
	ts   int64
	tick uint64
	req  Request
}

// pendingKey is the key of a pending request.
func pendingKey(master, outstation uint16, seq uint8) uint64 {
	return uint64(master)<<20 | uint64(outstation)<<4 | uint64(seq&0x0F)
}

// Request is the context a response gets from its request: the request's
// function, its sequence number, its master and outstation addresses, and
// a copy of its object area bounded by MaxRequestBody.
type Request struct {
	Func    FunctionCode
	Control AppControl
	// Master and Outstation are the link addresses.
	Master, Outstation uint16
	n                  uint8
	cut                bool
	body               [MaxRequestBody]byte
}

// Seq returns the request's application sequence number.
func (r *Request) Seq() uint8 { return r.Control.Seq() }

// Body returns the copy of the request's object area (object headers and
// data). It lives in the Conn.
func (r *Request) Body() []byte { return r.body[:r.n:r.n] }

// Truncated reports whether the request's object area was longer than
// MaxRequestBody: Body then holds its first octets, and a walk of Objects
// ends with ErrTruncated.
func (r *Request) Truncated() bool { return r.cut }

// Objects returns a cursor over the request's object headers (and data, as
// far as the copy goes).
func (r *Request) Objects() Objects { return NewObjects(r.Body(), r.Func) }

// Operation returns the operation of the request, as Fragment.Operation
// does.
func (r *Request) Operation() Operation {
	if r.Func == FuncWrite && r.n > 0 && r.body[0] == 50 {
		return OpTimeSync
	}
	return r.Func.Operation()
}

// Message is what a Conn makes of one link frame. It lives in the Conn and
// is valid until the Conn's next call; copy the fields to keep.
type Message struct {
	// Frame is the link frame.
	Frame Frame
	// ToServer and Time are as given to Decode.
	ToServer bool
	Time     int64
	// Complete is set when the frame completed an application fragment:
	// Fragment is then its header and object area (which lives in the
	// Conn). Fragment is not meaningful otherwise.
	Complete bool
	Fragment Fragment
	// Paired is set on a response (or a later fragment of a response)
	// matched to its request: Request is then the request's context and
	// RequestTime its time.
	Paired      bool
	Request     *Request
	RequestTime int64
	// Unanswered is set on a request that Flush reports: Request and
	// RequestTime are then the request's.
	Unanswered bool
	// Selected is set on an operate that follows its select (the sequence
	// number before its own, the same objects).
	Selected bool
	// Anomalies are the transport and connection-level anomalies of this
	// frame. The link frame's, the fragment's and the object walk's are in
	// Frame, Fragment and the cursors.
	Anomalies Anomaly
}

// ConnStats counts what a Conn has seen since it started or was Reset.
type ConnStats struct {
	// Frames are the link frames given to Decode; Errors those it
	// returned an error for.
	Frames, Errors uint64
	// Fragments are the application fragments completed.
	Fragments uint64
	// Requests from masters (confirms excluded), Responses (solicited and
	// authentication) and Unsolicited responses from outstations,
	// Confirms from masters.
	Requests, Responses, Unsolicited, Confirms uint64
	// Paired responses, Unmatched (no pending request) and Mismatched
	// ones (a pending request their function does not answer).
	Paired, Unmatched, Mismatched uint64
	// Unanswered requests: dropped from a full table (Overflow counts
	// those too), replaced by a request with the same sequence number, or
	// reported by Flush.
	Unanswered, Overflow uint64
	// Pending is how many requests await their response now.
	Pending int
}

// Stats returns the counters.
func (c *Conn) Stats() ConnStats {
	s := c.stats
	s.Pending = bits.OnesCount8(c.used)
	return s
}

// Reset forgets everything the Conn knows, for a new connection. It keeps
// the reassembly buffers.
func (c *Conn) Reset() {
	for i := range c.links {
		l := &c.links[i]
		*l = link{buf: l.buf}
	}
	c.assocs = [connAssocs]assoc{}
	c.busy, c.used, c.lastAssoc, c.lastLink, c.tick, c.noAcks = 0, 0, 0, 0, 0, false
	c.stats = ConnStats{}
	c.msg = Message{}
}

// Gap tells the Conn that bytes were lost in one direction of the stream
// (toServer: from the master) before the frame it is given next. The
// checks of continuity in that direction do not hold the lost bytes
// against the frames that follow:
//
//   - the fragments in progress on the links of that direction are
//     dropped, and until the next segment with FIR in that direction,
//     segments without FIR (the rest of a fragment whose start was lost)
//     are dropped without AnomalyMissingFIR;
//   - for each master-outstation pair the Conn tracks, after a loss from
//     the master, the sequence number of the pair's next request is not
//     checked (AnomalyAppSequence), and an operate as that request is not
//     checked against a select, which may have been lost (neither
//     AnomalyOperateWithoutSelect nor Selected); after a loss from the
//     outstation, the sequence number of its next unsolicited response is
//     not checked.
//
// The other direction's frames are checked as usual: the Conn learns of a
// gap with the next frame of its direction, after the answers to what was
// lost, so a response whose request was lost is AnomalyUnmatchedResponse
// and a confirm of a lost response AnomalyUnmatchedConfirm. Pending
// requests stay pending: a response after the gap still pairs with its
// request, and a request whose response was lost is reported as any
// unanswered request is (by Flush, or when its slot is taken). A pair first
// seen after the gap starts with no state, as at the start of a capture.
// Gap does not allocate.
func (c *Conn) Gap(toServer bool) {
	for i := range c.links {
		if l := &c.links[i]; l.active && l.toServer == toServer {
			l.active = false
			c.busy &^= 1 << i
		}
	}
	c.busy |= lostBit(toServer)
	f := aLostO
	if toServer {
		f = aLostM
	}
	for i := range c.assocs {
		if a := &c.assocs[i]; a.used != 0 {
			a.flags |= f
		}
	}
}

// Decode takes one link frame, as Split cuts it (bytes after the frame are
// not read), sent from the master when toServer is set, captured at ts
// (nanoseconds, any clock). It decodes the frame into the Message,
// reassembles its transport segment with the others of its link and, when
// a fragment completes, decodes the application header and pairs it:
// a request waits for its response (unless its function takes none), a
// response is matched to the pending request of its master and outstation
// with its sequence number, a confirm to the response that asked for it,
// an operate to its select.
//
// The error is the link frame's (the Message then holds what Parse
// decoded, and the segment is not reassembled) or, for a completed
// fragment, the application header's. The Message is never nil; it is
// valid until the next call. Decode does not allocate in steady state.
func (c *Conn) Decode(b []byte, toServer bool, ts int64) (*Message, error) {
	m := &c.msg
	m.ToServer, m.Time, m.Complete, m.Paired, m.Request = toServer, ts, false, false, nil
	m.RequestTime, m.Unanswered, m.Selected, m.Anomalies = 0, false, false, 0
	c.stats.Frames++
	if _, err := m.Frame.Decode(b); err != nil {
		c.stats.Errors++
		return m, err
	}
	n := m.Frame.n
	if n == 0 {
		return m, nil
	}
	var frag []byte
	if t := m.Frame.data[0]; t&0xC0 == 0xC0 && c.busy == 0 {
		// A fragment of one segment (FIR and FIN) while no link has one
		// in progress, the common case: nothing to restart, nothing to
		// keep.
		frag = m.Frame.data[1:n:n]
	} else {
		var done bool
		if frag, done = c.segment(m, toServer); !done {
			return m, nil
		}
	}
	m.Complete = true
	c.stats.Fragments++
	if _, err := m.Fragment.Decode(frag); err != nil {
		c.stats.Errors++
		return m, err
	}
	c.app(m, ts)
	return m, nil
}

// segment passes the frame's transport segment to the reassembly of its
// link and returns a completed fragment: a view of the frame's user data
// for a fragment of one segment, else of the link's buffer. Decode takes
// the common case, a fragment of one segment while no link has one in
// progress, without it.
func (c *Conn) segment(m *Message, toServer bool) (frag []byte, done bool) {
	f := &m.Frame
	seg := f.data[:f.n:f.n]
	t := TransportHeader(seg[0])
	i := c.link(f.Src, f.Dst)
	l := &c.links[i]
	payload := seg[1:]
	switch {
	case t.FIR():
		if l.active {
			m.Anomalies |= AnomalyFragmentRestart
		}
		l.n, l.active, l.toServer = 0, true, toServer
		c.busy &^= lostBit(toServer)
	case !l.active:
		if c.busy&lostBit(toServer) == 0 {
			m.Anomalies |= AnomalyMissingFIR
		}
		return nil, false
	case t.Seq() == l.seq:
		m.Anomalies |= AnomalyDuplicateSegment
		return nil, false
	case t.Seq() != (l.seq+1)&0x3F:
		m.Anomalies |= AnomalySegmentSequence
		l.active = false
		c.busy &^= 1 << i
		return nil, false
	}
	l.seq = t.Seq()
	if t.FIN() && l.n == 0 {
		// A fragment of one segment: a view of the user data.
		l.active = false
		c.busy &^= 1 << i
		return payload, true
	}
	n := int(l.n)
	if n+len(payload) > MaxFragmentLen {
		m.Anomalies |= AnomalyFragmentOverflow
		l.active = false
		c.busy &^= 1 << i
		return nil, false
	}
	if n+len(payload) > len(l.buf) {
		l.grow(n + len(payload))
	}
	n += copy(l.buf[n:], payload)
	l.n = uint16(n)
	if t.FIN() {
		l.active = false
		c.busy &^= 1 << i
		return l.buf[:n:n], true
	}
	c.busy |= 1 << i
	return nil, false
}

// grow makes the link's buffer hold at least need octets (need <=
// MaxFragmentLen): 2 KiB first, then doubling.
func (l *link) grow(need int) {
	size := max(2*len(l.buf), 2048)
	for size < need {
		size *= 2
	}
	b := make([]byte, min(size, MaxFragmentLen))
	copy(b, l.buf[:l.n])
	l.buf = b
}

// link returns the slot of link src -> dst, taking for a new link a free
// slot, or the least recently used link with no fragment in progress, or
// the least recently used one.
func (c *Conn) link(src, dst uint16) int {
	c.tick++
	now := uint32(c.tick) | 1
	if i := c.lastLink % connLinks; c.links[i].used != 0 && c.links[i].src == src && c.links[i].dst == dst {
		c.links[i].used = now
		return int(i)
	}
	victim := 0
	for i := range c.links {
		l := &c.links[i]
		if l.used != 0 && l.src == src && l.dst == dst {
			l.used, c.lastLink = now, uint8(i)
			return i
		}
		// The victim: a free slot, else the least recently used link
		// without a fragment in progress, else the least recently used.
		if v := &c.links[victim]; l.active != v.active && v.active || l.active == v.active && l.used < v.used {
			victim = i
		}
	}
	c.lastLink = uint8(victim)
	l := &c.links[victim]
	l.src, l.dst, l.used, l.active, l.n = src, dst, now, false, 0
	c.busy &^= 1 << victim
	return victim
}

// assoc returns the state of the pair master, outstation, taking the least
// recently used slot for a new pair.
func (c *Conn) assoc(master, outstation uint16) *assoc {
	c.tick++
	now := uint32(c.tick) | 1
	if a := &c.assocs[c.lastAssoc%connAssocs]; a.used != 0 && a.master == master && a.outstation == outstation {
		a.used = now
		return a
	}
	victim := 0
	for i := range c.assocs {
		a := &c.assocs[i]
		if a.used != 0 && a.master == master && a.outstation == outstation {
			a.used, c.lastAssoc = now, uint8(i)
			return a
		}
		if a.used < c.assocs[victim].used {
			victim = i
		}
	}
	a := &c.assocs[victim]
	*a = assoc{master: master, outstation: outstation, used: now}
	c.lastAssoc = uint8(victim)
	return a
}

// app tracks and pairs a completed fragment.
func (c *Conn) app(m *Message, ts int64) {
	f := &m.Fragment
	src, dst := m.Frame.Src, m.Frame.Dst
	seq := f.Control.Seq()
	switch fn := f.Func; {
	case fn == FuncConfirm:
		c.stats.Confirms++
		a := c.assoc(src, dst)
		switch {
		case f.Control.UNS() && a.flags&aConUns != 0 && a.conUns == seq:
			a.flags &^= aConUns
		case !f.Control.UNS() && a.flags&aConSol != 0 && a.conSol == seq:
			a.flags &^= aConSol
		default:
			m.Anomalies |= AnomalyUnmatchedConfirm
		}
	case fn == FuncUnsolicitedResponse:
		c.stats.Unsolicited++
		a := c.assoc(dst, src)
		if a.flags&(aUns|aLostO) == aUns && seq != a.unsSeq && seq != (a.unsSeq+1)&0x0F {
			m.Anomalies |= AnomalyAppSequence
		}
		a.unsSeq, a.flags = seq, a.flags&^aLostO|aUns
		if f.Control.CON() {
			a.conUns, a.flags = seq, a.flags|aConUns
		}
	case fn.IsResponse():
		c.stats.Responses++
		c.response(m, dst, src, seq)
	case fn < 0x80:
		c.stats.Requests++
		c.request(m, src, dst, seq, ts)
	}
}

// request records a request from master to outstation.
func (c *Conn) request(m *Message, master, outstation uint16, seq uint8, ts int64) {
	f := &m.Fragment
	a := c.assoc(master, outstation)
	lost := a.flags&aLostM != 0
	if a.flags&(aReq|aLostM) == aReq && seq != a.reqSeq && seq != (a.reqSeq+1)&0x0F {
		m.Anomalies |= AnomalyAppSequence
	}
	a.reqSeq, a.flags = seq, a.flags&^aLostM|aReq
	switch f.Func {
	case FuncSelect:
		a.selSeq, a.selLen, a.selSum = seq, uint16(len(f.Body)), fnv32(f.Body)
		a.flags |= aSel
	case FuncOperate:
		switch {
		case a.flags&aSel == 0 || (a.selSeq+1)&0x0F != seq:
			if !lost {
				m.Anomalies |= AnomalyOperateWithoutSelect
			}
		case int(a.selLen) != len(f.Body) || a.selSum != fnv32(f.Body):
			m.Anomalies |= AnomalyOperateMismatch
		default:
			m.Selected = true
		}
		a.flags &^= aSel
	}
	if f.Func.NoResponse() {
		a.noAck, a.flags = seq, a.flags|aNoAck
		c.noAcks = true
		return
	}
	key := pendingKey(master, outstation, seq)
	i := c.find(key)
	switch {
	case i >= 0 && f.Func == FuncAuthenticateRequest && c.pending[i].req.Func != FuncAuthenticateRequest:
		// The master's answer to the challenge of a critical request,
		// with its sequence number: the critical request stays pending.
		return
	case i >= 0:
		m.Anomalies |= AnomalyDuplicateRequest
		c.stats.Unanswered++
	case c.used == 1<<MaxPending-1:
		// Full: drop the oldest.
		i = 0
		for j := 1; j < MaxPending; j++ {
			if c.pending[j].tick < c.pending[i].tick {
				i = j
			}
		}
		m.Anomalies |= AnomalyPendingOverflow
		c.stats.Overflow++
		c.stats.Unanswered++
	default:
		i = bits.TrailingZeros8(^c.used)
	}
	c.tick++
	p := &c.pending[i]
	p.key, p.ts, p.tick = key, ts, c.tick
	r := &p.req
	r.Func, r.Control, r.Master, r.Outstation = f.Func, f.Control, master, outstation
	r.n = uint8(copy(r.body[:], f.Body))
	r.cut = len(f.Body) > MaxRequestBody
	c.used |= 1 << i
}

// find returns the slot of the pending request with key, or -1.
func (c *Conn) find(key uint64) int {
	for u := c.used; u != 0; u &= u - 1 {
		i := bits.TrailingZeros8(u)
		if c.pending[i].key == key {
			return i
		}
	}
	return -1
}

// noAckOf returns the state of the pair master, outstation when its last
// request that takes no response is recorded, else nil.
func (c *Conn) noAckOf(master, outstation uint16) *assoc {
	if !c.noAcks {
		return nil
	}
	if a := c.assoc(master, outstation); a.flags&aNoAck != 0 {
		return a
	}
	return nil
}

// answers reports whether a response with function resp answers a request
// with function req: an authentication response answers any request (it
// may be the challenge of a critical request), a response any request but
// an authentication request.
func answers(resp, req FunctionCode) bool {
	if resp == FuncAuthenticateResponse {
		return true
	}
	return req != FuncAuthenticateRequest
}

// response pairs a response from outstation to master.
func (c *Conn) response(m *Message, master, outstation uint16, seq uint8) {
	f := &m.Fragment
	if f.Control.CON() {
		a := c.assoc(master, outstation)
		a.conSol, a.flags = seq, a.flags|aConSol
	}
	i := c.find(pendingKey(master, outstation, seq))
	if i < 0 {
		if a := c.noAckOf(master, outstation); a != nil && a.noAck == seq {
			// A response to a request that takes none.
			a.flags &^= aNoAck
			m.Anomalies |= AnomalyMismatchedResponse
			c.stats.Mismatched++
			return
		}
		m.Anomalies |= AnomalyUnmatchedResponse
		c.stats.Unmatched++
		return
	}
	p := &c.pending[i]
	if !answers(f.Func, p.req.Func) {
		m.Anomalies |= AnomalyMismatchedResponse
		c.stats.Mismatched++
		c.used &^= 1 << i
		return
	}
	m.Paired, m.Request, m.RequestTime = true, &p.req, p.ts
	c.stats.Paired++
	switch {
	case f.Func == FuncAuthenticateResponse && p.req.Func != FuncAuthenticateRequest:
		// A challenge: the response to the request follows it.
	case !f.Control.FIN():
		// More fragments follow, each with the next sequence number.
		p.key = pendingKey(master, outstation, seq+1)
	default:
		c.used &^= 1 << i
	}
}

// Flush reports each pending request as unanswered, oldest first, and
// forgets it: the connection has ended. Each Message has Unanswered,
// Request, RequestTime and Time (the request's) set, and no Frame.
func (c *Conn) Flush(yield func(*Message) bool) {
	for c.used != 0 {
		i := -1
		for u := c.used; u != 0; u &= u - 1 {
			j := bits.TrailingZeros8(u)
			if i < 0 || c.pending[j].tick < c.pending[i].tick {
				i = j
			}
		}
		c.used &^= 1 << i
		c.stats.Unanswered++
		p := &c.pending[i]
		m := &c.msg
		*m = Message{Unanswered: true, Request: &p.req, RequestTime: p.ts, Time: p.ts, ToServer: true}
		if !yield(m) {
			return
		}
	}
}

// fnv32 returns the FNV-1a hash of b: a select's objects are compared with
// its operate's by length and hash, without keeping a copy.
func fnv32(b []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}
