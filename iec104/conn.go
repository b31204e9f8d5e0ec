package iec104

import "math/bits"

// Default window parameters of IEC 60870-5-104 (5.5).
const (
	DefaultK = 12 // most I-frames a sender has outstanding
	DefaultW = 8  // most I-frames a receiver takes before acknowledging
)

// MaxPending is the number of command activations a [Conn] keeps while it
// waits for their confirmation or termination, or for the execute that
// follows a confirmed select. When the table is full the oldest entry is
// dropped: one already answered if there is one, else the oldest waiting
// activation, which is counted in Overflow and Unanswered.
const MaxPending = 16

const seqMod = 1 << 15

// dtState is the data transfer state of a connection.
type dtState uint8

const (
	dtUnknown  dtState = iota // capture began mid-connection
	dtStopped                 // connection start seen, or STOPDT con
	dtStarting                // STARTDT act seen, no con yet
	dtStarted                 // STARTDT con seen, or I-frames flowing
	dtStopping                // STOPDT act seen, no con yet
)

// seqSide is the sequence state of one direction's I-frames.
type seqSide struct {
	next    uint16 // next expected N(S) from this side
	acked   uint16 // this side's frames acknowledged by the peer, up to acked-1
	seen    bool   // next is known
	ackSeen bool   // acked is known
}

// uSide holds one side's U-frame activations awaiting their confirmation:
// bit k of mask for STARTDT (0), STOPDT (1) and TESTFR (2).
type uSide struct {
	mask  uint8
	order [3]uint32
	ts    [3]int64
}

// States of a pending table entry.
const (
	stFree      uint8 = iota
	stAwaitCon        // activation sent, no confirmation yet
	stAwaitTerm       // confirmed; its termination is due (interrogations)
	stConfirmed       // confirmed command; a termination may follow
	stSelected        // confirmed select; the execute may follow
)

// maxElem is the largest element of a tracked type (C_SE_TC_1).
const maxElem = 12

// pending is one activation in the table: what is needed to match its
// responses and to rebuild it as [Message.Request].
type pending struct {
	ts    int64
	order uint32
	ioa   uint32
	ctl   uint32 // control field of the activation's APDU
	ca    uint16
	typ   TypeID
	cot   uint8 // cause octet with its P/N and test bits
	oa    uint8
	state uint8
	dir   uint8 // sender: 0 toward the server, 1 from it
	elen  uint8
	elem  [maxElem]byte
}

// requestBufLen holds a rebuilt activation: APCI, ASDU header, address and
// the largest element.
const requestBufLen = HeaderLen + 6 + 3 + maxElem

// Conn follows one IEC 60870-5-104 connection (one TCP flow, both
// directions): the send and receive sequence numbers, the data transfer
// state, and the pairing of activations with their confirmations and
// terminations. Feed it every APDU of both directions in order, as [Split]
// cuts them. The zero value is ready and assumes the capture may begin
// mid-connection; when the first APDU it sees is a STARTDT act, it takes
// that as the start of the connection (sequence numbers from 0, no data
// transfer before STARTDT con).
//
// A Conn is fixed in size; the table of pending activations ([MaxPending]
// entries) is allocated on the first activation and kept across [Conn.Reset],
// so a connection that only carries monitoring data never allocates it.
// Nothing else allocates.
type Conn struct {
	// K and W are the window parameters; 0 means DefaultK and DefaultW.
	K, W uint16

	seq     [2]seqSide
	u       [2]uSide
	state   dtState
	started bool   // an APDU has been seen since Reset
	npend   uint8  // table entries in stAwaitCon
	order   uint32 // insertion counter, to find the oldest activation
	table   *[MaxPending]pending
	buf     [requestBufLen]byte
	msg     Message
	stats   ConnStats
}

// Message is the result of [Conn.Decode] and [Conn.Flush]. It lives in the
// Conn and is valid until the Conn's next call; Frame and Request alias the
// input and the Conn. Keep them with [Frame.AppendBinary].
type Message struct {
	// Frame is the APDU (in Flush, the unanswered activation).
	Frame Frame
	// ToServer is the APDU's direction: toward the controlled station
	// (the TCP server, port 2404).
	ToServer bool
	// Time is the capture time given to Decode (in Flush, the
	// activation's).
	Time int64
	// Paired is set on a response matched to its activation: a U-frame
	// con, an activation or deactivation confirmation (cause 7, 9, with
	// the P/N bit in Frame.ASDU.Negative), a termination (10), a negative
	// mirror (44..47), the reply to a read (cause 5), and data answering a
	// station or counter interrogation (causes 20..41).
	Paired bool
	// Request is the activation a paired response answers, as the Conn
	// kept it: its APCI, ASDU header and first object (an ASDU of one
	// object), or the U-frame act. It is the zero Frame unless Paired or
	// Unanswered.
	Request Frame
	// RequestTime is the activation's capture time, when Paired or
	// Unanswered.
	RequestTime int64
	// Selected is set on the execute of a single, double or regulating
	// step command or a set point that follows a confirmed select of the
	// same object (type, common address and address).
	Selected bool
	// Unanswered is set by Flush only: the activation got no
	// confirmation.
	Unanswered bool
	// Anomalies holds the connection flags: sequence numbers, windows,
	// data transfer state and pairing. The frame's own flags are in
	// Frame.Anomalies.
	Anomalies Anomaly
}

// Latency returns Time - RequestTime for a paired response, else 0.
func (m *Message) Latency() int64 {
	if !m.Paired {
		return 0
	}
	return m.Time - m.RequestTime
}

// ConnStats counts what a Conn has seen since its last Reset.
type ConnStats struct {
	// Requests counts activations: U-frame acts, and command, system and
	// parameter ASDUs with cause 6 (activation), 8 (deactivation) or, for
	// C_RD_NA_1, 5 (request).
	Requests uint64
	// Responses counts confirmations, terminations, negative mirrors and
	// replies to reads, matched or not.
	Responses uint64
	// Paired counts responses matched to their activation.
	Paired uint64
	// Unmatched counts responses that no pending activation answers.
	Unmatched uint64
	// Mismatched counts responses at an address with a pending activation
	// of another type (or, for U-frames, another function).
	Mismatched uint64
	// Unanswered counts activations that got no confirmation: dropped
	// when the table was full, a U-frame act repeated before its con, or
	// left at Flush.
	Unanswered uint64
	// Overflow counts activations dropped because the table was full.
	Overflow uint64
	// Duplicates counts activations repeated while the same one was
	// waiting for its confirmation. Both are kept, and confirmations
	// answer the oldest first.
	Duplicates uint64
	// Attributed counts monitoring ASDUs with an interrogation cause
	// (20..41) attributed to a pending station or counter interrogation.
	Attributed uint64
	// Gaps counts the calls to Gap: stream gaps in either direction.
	Gaps uint64
	// Pending is the number of activations waiting for their
	// confirmation now (at most MaxPending plus three U-frame acts per
	// direction).
	Pending int
}

// Reset prepares c for a new connection: everything is forgotten but K, W
// and the memory of the pending table.
func (c *Conn) Reset() {
	k, w, t := c.K, c.W, c.table
	*c = Conn{K: k, W: w, table: t}
	if t != nil {
		*t = [MaxPending]pending{}
	}
}

// Gap tells the Conn that bytes of one direction of the stream were lost
// (toServer: toward the controlled station) before the next APDU it is
// given in that direction. The sequence numbers of that direction start
// afresh: the next I-frame's N(S) is taken as it comes, and so are the
// next N(R) it sends and the acknowledgements of its I-frames by the other
// side, so that frames lost in the gap are not reported as N(S) gaps,
// unsent acknowledgements or window overruns. The data transfer state
// (STARTDT, STOPDT) becomes unknown, as at a capture that starts
// mid-connection, since its act or con may have been lost. Pending
// activations are kept: a confirmation after the gap still pairs with its
// activation, and those the gap swallowed are reported by Flush. Gap does
// not allocate.
func (c *Conn) Gap(toServer bool) {
	s := 1
	if toServer {
		s = 0
	}
	// seq[s] holds this direction's N(S) and the peer's acknowledgements
	// of it; seq[1-s].acked is what this direction acknowledged.
	c.seq[s] = seqSide{}
	c.seq[1-s].ackSeen = false
	c.state = dtUnknown
	c.stats.Gaps++
}

// Stats returns the counters since the last Reset.
func (c *Conn) Stats() ConnStats {
	s := c.stats
	s.Pending = int(c.npend) + bits.OnesCount8(c.u[0].mask) + bits.OnesCount8(c.u[1].mask)
	return s
}

// Decode decodes the APDU b, sent toward the server (the controlled station)
// when toServer is true and captured at ts (nanoseconds, any clock), and
// follows the connection with it. It returns the Message, valid until c's
// next call, and Parse's error; an APDU whose control field could not be
// read (ErrStart, ErrLength, a truncated APCI) leaves the connection state
// unchanged. Decode does not allocate once the pending table exists.
func (c *Conn) Decode(b []byte, toServer bool, ts int64) (*Message, error) {
	m := &c.msg
	n, err := m.Frame.Decode(b)
	m.ToServer, m.Time = toServer, ts
	m.Paired, m.Selected, m.Unanswered = false, false, false
	m.RequestTime, m.Anomalies = 0, 0
	if m.Request.Raw != nil {
		m.Request = Frame{}
	}
	if n == 0 || err == ErrLength {
		return m, err
	}
	s := 1
	if toServer {
		s = 0
	}
	switch m.Frame.Format {
	case FormatI:
		m.Anomalies |= c.iframe(s, &m.Frame)
		// An I-frame whose N(S) repeats (a retransmission the capture
		// kept) is not a new activation or response.
		if m.Anomalies&AnomalySeqDuplicate == 0 && m.Frame.ASDU.HeaderFields() == 5 {
			c.pair(s, m)
		}
	case FormatS:
		m.Anomalies |= c.ack(s, m.Frame.RecvSeq)
	case FormatU:
		c.control(s, m)
	}
	c.started = true
	return m, err
}

func seqDiff(a, b uint16) uint16 { return (a - b) & (seqMod - 1) }

// iframe checks the sequence numbers of I-frame f sent by side s.
func (c *Conn) iframe(s int, f *Frame) Anomaly {
	var a Anomaly
	switch c.state {
	case dtStopped, dtStarting:
		a |= AnomalyIBeforeStartDT
	case dtUnknown:
		c.state = dtStarted
	}
	me := &c.seq[s]
	ns := f.SendSeq & (seqMod - 1)
	if me.seen {
		if d := seqDiff(ns, me.next); d != 0 {
			if d < seqMod/2 {
				a |= AnomalySeqGap
			} else {
				a |= AnomalySeqDuplicate
			}
		}
	}
	if !me.ackSeen {
		me.acked = ns
		me.ackSeen = true
	}
	me.next = (ns + 1) & (seqMod - 1)
	me.seen = true
	a |= c.ack(s, f.RecvSeq)
	k := c.K
	if k == 0 {
		k = DefaultK
	}
	if out := seqDiff(me.next, me.acked); out > k && out < seqMod/2 {
		a |= AnomalyKWindow
	}
	return a
}

// ack checks N(R) nr sent by side s, acknowledging the peer's I-frames.
func (c *Conn) ack(s int, nr uint16) Anomaly {
	nr &= seqMod - 1
	p := &c.seq[1-s]
	var a Anomaly
	if p.seen {
		if d := seqDiff(nr, p.next); d != 0 && d < seqMod/2 {
			a |= AnomalyAckUnsent
		}
	}
	if p.ackSeen && a == 0 {
		if back := seqDiff(p.acked, nr); back != 0 && back < seqMod/2 {
			a |= AnomalyAckBackwards
		} else {
			w := c.W
			if w == 0 {
				w = DefaultW
			}
			if seqDiff(nr, p.acked) > w {
				a |= AnomalyWWindow
			}
		}
	}
	if a&(AnomalyAckBackwards|AnomalyAckUnsent) == 0 {
		p.acked = nr
		p.ackSeen = true
	}
	return a
}

// uIndex maps an act (or its con shifted down) to its bit in uSide.mask.
func uIndex(u UFunction) int { return bits.TrailingZeros8(uint8(u)) / 2 }

// control follows the U-frame of m sent by side s.
func (c *Conn) control(s int, m *Message) {
	u := m.Frame.UFunc
	switch {
	case u.IsAct():
		if u == StartDTAct && !c.started {
			// The first APDU of the connection: sequence numbers
			// start at 0 and data transfer is stopped.
			c.seq[0] = seqSide{seen: true, ackSeen: true}
			c.seq[1] = seqSide{seen: true, ackSeen: true}
			c.state = dtStopped
		}
		c.stats.Requests++
		k := uIndex(u)
		me := &c.u[s]
		if me.mask&(1<<k) != 0 {
			m.Anomalies |= AnomalyDuplicateRequest
			c.stats.Duplicates++
			c.stats.Unanswered++
		}
		me.mask |= 1 << k
		me.ts[k] = m.Time
		me.order[k] = c.order
		c.order++
		switch u {
		case StartDTAct:
			c.state = dtStarting
		case StopDTAct:
			c.state = dtStopping
		}
	case u.IsCon():
		c.stats.Responses++
		k := uIndex(u >> 1)
		p := &c.u[1-s]
		switch {
		case p.mask&(1<<k) != 0:
			p.mask &^= 1 << k
			m.Paired = true
			m.RequestTime = p.ts[k]
			c.requestU(&m.Request, u>>1)
			c.stats.Paired++
		case p.mask != 0:
			m.Anomalies |= AnomalyMismatchedResponse
			c.stats.Mismatched++
		default:
			m.Anomalies |= AnomalyUnmatchedResponse
			c.stats.Unmatched++
		}
		switch u {
		case StartDTCon:
			c.state = dtStarted
		case StopDTCon:
			c.state = dtStopped
		}
	}
}

// requestU rebuilds the U-frame act u into c.buf and decodes it into f.
func (c *Conn) requestU(f *Frame, u UFunction) {
	b := append(c.buf[:0], StartByte, 4, byte(u)<<2|3, 0, 0, 0)
	f.Decode(b)
}

// tracked reports whether t's activations are paired: commands, system
// commands and parameters.
func tracked(t TypeID) bool {
	return t >= C_SC_NA_1 && t <= C_BO_NA_1 || t >= C_SC_TA_1 && t <= C_BO_TA_1 ||
		t >= C_IC_NA_1 && t <= C_TS_TA_1 || t >= P_ME_NA_1 && t <= P_AC_NA_1
}

// selectOctet returns the index in t's element of the octet whose bit 8 is
// the select/execute bit, or -1 when t has none.
func selectOctet(t TypeID) int {
	switch t {
	case C_SC_NA_1, C_DC_NA_1, C_RC_NA_1, C_SC_TA_1, C_DC_TA_1, C_RC_TA_1:
		return 0
	case C_SE_NA_1, C_SE_NB_1, C_SE_TA_1, C_SE_TB_1:
		return 2
	case C_SE_NC_1, C_SE_TC_1:
		return 4
	}
	return -1
}

// pair matches the I-frame of m, sent by side s, against the pending table.
func (c *Conn) pair(s int, m *Message) {
	a := &m.Frame.ASDU
	cot := a.Cause
	switch {
	case tracked(a.Type):
		switch cot {
		case CauseActivation, CauseDeactivation:
			c.request(s, m)
		case CauseRequest:
			if a.Type == C_RD_NA_1 {
				c.request(s, m)
			}
		case CauseActivationCon, CauseDeactivationCon, CauseActivationTerm,
			CauseUnknownType, CauseUnknownCause, CauseUnknownCA, CauseUnknownIOA:
			c.response(s, m)
		}
	case !a.Type.Known():
	case cot == CauseRequest:
		c.readReply(s, m)
	case cot.Interrogated() || cot.CounterRequested():
		c.attribute(s, m)
	}
}

// first returns the ASDU's first object, false when it has none.
func first(a *ASDU) (Object, bool) { return a.At(0) }

// request enters the activation of m, sent by side s, in the table.
func (c *Conn) request(s int, m *Message) {
	a := &m.Frame.ASDU
	o, ok := first(a)
	if !ok {
		return
	}
	c.stats.Requests++
	if c.table == nil {
		c.table = new([MaxPending]pending)
	}
	t := c.table
	cot := uint8(a.Cause)
	dup := false
	for i := range t {
		e := &t[i]
		if e.state == stFree || e.typ != a.Type || e.ca != a.CommonAddr || e.ioa != o.IOA || int(e.dir) != s {
			continue
		}
		switch {
		case e.state == stAwaitCon && e.cot&0x3f == cot:
			// Both stay: a station may answer each.
			dup = true
		case e.state == stSelected && a.Cause == CauseActivation:
			if so := selectOctet(a.Type); so >= 0 && so < len(o.Raw) && o.Raw[so]&0x80 == 0 {
				m.Selected = true
				if !sameCommand(e, o, so) {
					m.Anomalies |= AnomalySelectMismatch
				}
			}
			c.remove(e)
		case e.state != stAwaitCon && e.cot&0x3f == cot:
			// A new activation after the previous one was answered.
			c.remove(e)
		}
	}
	if dup {
		m.Anomalies |= AnomalyDuplicateRequest
		c.stats.Duplicates++
	}
	e := c.slot(m)
	*e = pending{
		ts:    m.Time,
		order: c.order,
		ioa:   o.IOA,
		ctl:   m.Frame.Control,
		ca:    a.CommonAddr,
		typ:   a.Type,
		cot:   cot | b2u(a.Negative)<<6 | b2u(a.Test)<<7,
		oa:    a.Originator,
		state: stAwaitCon,
		dir:   uint8(s),
	}
	e.elen = uint8(copy(e.elem[:], o.Raw))
	c.order++
	c.npend++
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// sameCommand reports whether the execute o carries the command of the
// selected entry e: the element up to and including the select/execute
// octet at so, that bit aside.
func sameCommand(e *pending, o Object, so int) bool {
	if int(e.elen) <= so {
		return false
	}
	for i := 0; i <= so; i++ {
		x, y := e.elem[i], o.Raw[i]
		if i == so {
			x, y = x&0x7f, y&0x7f
		}
		if x != y {
			return false
		}
	}
	return true
}

// slot returns a table entry for a new activation, dropping the oldest
// answered entry, or else the oldest waiting one, when the table is full.
func (c *Conn) slot(m *Message) *pending {
	t := c.table
	var answered, waiting *pending
	for i := range t {
		e := &t[i]
		switch {
		case e.state == stFree:
			return e
		case e.state == stAwaitCon:
			if waiting == nil || e.order-waiting.order > 1<<31 {
				waiting = e
			}
		default:
			if answered == nil || e.order-answered.order > 1<<31 {
				answered = e
			}
		}
	}
	if answered != nil {
		return answered
	}
	m.Anomalies |= AnomalyPendingOverflow
	c.stats.Overflow++
	c.stats.Unanswered++
	c.npend--
	return waiting
}

// remove frees entry e.
func (c *Conn) remove(e *pending) {
	if e.state == stAwaitCon {
		c.npend--
	}
	e.state = stFree
}

// key returns the ASDU's common address and first object address, false
// when the ASDU has no object.
func key(a *ASDU) (ca uint16, ioa uint32, ok bool) {
	o, ok := first(a)
	return a.CommonAddr, o.IOA, ok
}

// response matches a confirmation, termination or negative mirror of m,
// sent by side s, with its activation.
func (c *Conn) response(s int, m *Message) {
	a := &m.Frame.ASDU
	ca, ioa, ok := key(a)
	if !ok {
		return
	}
	c.stats.Responses++
	e := c.match(s, a, ca, ioa)
	if e == nil {
		c.unmatched(s, m, ca, ioa)
		return
	}
	c.paired(m, e)
	switch a.Cause {
	case CauseActivationCon:
		c.npend--
		switch {
		case a.Negative:
			e.state = stFree
		case a.Type == C_IC_NA_1 || a.Type == C_CI_NA_1:
			e.state = stAwaitTerm
		case selectOctet(a.Type) >= 0 && selectOctet(a.Type) < int(e.elen) && e.elem[selectOctet(a.Type)]&0x80 != 0:
			e.state = stSelected
		case a.Type >= C_SC_NA_1 && a.Type <= C_BO_TA_1:
			e.state = stConfirmed
		default:
			e.state = stFree
		}
	case CauseDeactivationCon:
		c.remove(e)
		if !a.Negative {
			// The deactivated activation is cancelled.
			if t := c.table; t != nil {
				for i := range t {
					x := &t[i]
					if x.state != stFree && x.typ == e.typ && x.ca == e.ca && x.ioa == e.ioa && x.dir == e.dir {
						c.remove(x)
					}
				}
			}
		}
	default:
		c.remove(e)
	}
}

// match returns the entry a confirmation, termination or negative mirror
// of ASDU a at (ca, ioa), sent by side s, answers: the oldest one that
// fits, a termination preferring a confirmed activation. It returns nil
// when none fits.
func (c *Conn) match(s int, a *ASDU, ca uint16, ioa uint32) *pending {
	t := c.table
	if t == nil {
		return nil
	}
	var best *pending
	bestRank := 0
	for i := range t {
		x := &t[i]
		if x.state == stFree || int(x.dir) == s || x.typ != a.Type || x.ioa != ioa || (x.ca != ca && x.ca != broadcastCA) {
			continue
		}
		req := Cause(x.cot & 0x3f)
		rank := 0
		switch a.Cause {
		case CauseActivationCon:
			if x.state == stAwaitCon && (req == CauseActivation || req == CauseRequest) {
				rank = 1
			}
		case CauseDeactivationCon:
			if x.state == stAwaitCon && req == CauseDeactivation {
				rank = 1
			}
		case CauseActivationTerm:
			switch {
			case req != CauseActivation || x.state == stSelected:
			case x.state == stAwaitCon:
				rank = 1
			default:
				rank = 2
			}
		default: // 44..47: the activation mirrored back, refused
			if x.state == stAwaitCon {
				rank = 1
			}
		}
		if rank > bestRank || rank == bestRank && rank > 0 && x.order-best.order > 1<<31 {
			best, bestRank = x, rank
		}
	}
	return best
}

// unmatched flags a response of m at (ca, ioa), sent by side s, that no
// pending activation answers: mismatched when an activation of another
// type waits at that address, unmatched otherwise.
func (c *Conn) unmatched(s int, m *Message, ca uint16, ioa uint32) {
	if t := c.table; t != nil {
		for i := range t {
			x := &t[i]
			if x.state != stFree && int(x.dir) != s && x.ca == ca && x.ioa == ioa && x.typ != m.Frame.ASDU.Type {
				m.Anomalies |= AnomalyMismatchedResponse
				c.stats.Mismatched++
				return
			}
		}
	}
	m.Anomalies |= AnomalyUnmatchedResponse
	c.stats.Unmatched++
}

// paired marks m as the response to e.
func (c *Conn) paired(m *Message, e *pending) {
	m.Paired = true
	m.RequestTime = e.ts
	c.rebuild(&m.Request, e)
	c.stats.Paired++
}

// rebuild writes the activation of e into c.buf as an APDU of one object
// and decodes it into f.
func (c *Conn) rebuild(f *Frame, e *pending) {
	b := append(c.buf[:0], StartByte, 0,
		byte(e.ctl), byte(e.ctl>>8), byte(e.ctl>>16), byte(e.ctl>>24),
		byte(e.typ), 1, e.cot, e.oa, byte(e.ca), byte(e.ca>>8),
		byte(e.ioa), byte(e.ioa>>8), byte(e.ioa>>16))
	b = append(b, e.elem[:e.elen]...)
	b[1] = byte(len(b) - 2)
	f.Decode(b)
}

// readReply matches monitoring data with cause 5 (requested), sent by side
// s, with a pending read command of its address.
func (c *Conn) readReply(s int, m *Message) {
	a := &m.Frame.ASDU
	ca, ioa, ok := key(a)
	if !ok {
		return
	}
	c.stats.Responses++
	if t := c.table; t != nil {
		for i := range t {
			e := &t[i]
			if e.state == stAwaitCon && e.typ == C_RD_NA_1 && int(e.dir) != s && e.ca == ca && e.ioa == ioa {
				c.paired(m, e)
				c.remove(e)
				return
			}
		}
	}
	c.unmatched(s, m, ca, ioa)
}

// broadcastCA is the global common address of IEC 104.
const broadcastCA = 0xffff

// attribute attributes monitoring data with an interrogation cause (20..36)
// or a counter interrogation cause (37..41), sent by side s, to the pending
// interrogation that asked for it: same common address (or a broadcast
// one) and the qualifier that names the cause's group.
func (c *Conn) attribute(s int, m *Message) {
	t := c.table
	if t == nil {
		return
	}
	a := &m.Frame.ASDU
	var best *pending
	for i := range t {
		e := &t[i]
		if (e.state != stAwaitTerm && e.state != stAwaitCon) || int(e.dir) == s || e.elen < 1 ||
			(e.ca != a.CommonAddr && e.ca != broadcastCA) {
			continue
		}
		var ok bool
		switch {
		case e.typ == C_IC_NA_1 && a.Cause.Interrogated():
			ok = Cause(e.elem[0]) == a.Cause
		case e.typ == C_CI_NA_1 && a.Cause.CounterRequested():
			ok = counterCause(QCC(e.elem[0]).RQT()) == a.Cause
		}
		// The oldest confirmed interrogation first.
		if ok && (best == nil || e.state == stAwaitTerm && best.state != stAwaitTerm ||
			e.state == best.state && e.order-best.order > 1<<31) {
			best = e
		}
	}
	if best != nil {
		m.Paired = true
		m.RequestTime = best.ts
		c.rebuild(&m.Request, best)
		c.stats.Attributed++
	}
}

// counterCause returns the cause of transmission of the data answering a
// counter interrogation with request r: 37 for the general request, 38..41
// for groups 1..4.
func counterCause(r CounterRequest) Cause {
	if r == RequestGeneral {
		return CauseCounterRequest
	}
	return CauseCounterRequest + Cause(r)
}

// Flush ends the connection: it yields a Message for each activation still
// waiting for its confirmation, oldest first, with Unanswered set and Frame
// and Request holding the activation as the Conn kept it, and counts them
// in Unanswered. The yielded activations are forgotten; stopping early
// keeps the rest. It does not allocate.
func (c *Conn) Flush(yield func(*Message) bool) {
	m := &c.msg
	for {
		var best *pending
		bu, bk := -1, 0
		var bo uint32
		older := func(o uint32) bool { return (best == nil && bu < 0) || o-bo > 1<<31 }
		if t := c.table; t != nil {
			for i := range t {
				if e := &t[i]; e.state == stAwaitCon && older(e.order) {
					best, bu, bo = e, -1, e.order
				}
			}
		}
		for s := range c.u {
			for k := range 3 {
				if c.u[s].mask&(1<<k) != 0 && older(c.u[s].order[k]) {
					best, bu, bk, bo = nil, s, k, c.u[s].order[k]
				}
			}
		}
		*m = Message{Unanswered: true}
		switch {
		case best != nil:
			c.rebuild(&m.Frame, best)
			m.ToServer = best.dir == 0
			m.Time = best.ts
			c.remove(best)
		case bu >= 0:
			c.requestU(&m.Frame, UFunction(1)<<(2*bk))
			m.ToServer = bu == 0
			m.Time = c.u[bu].ts[bk]
			c.u[bu].mask &^= 1 << bk
		default:
			*m = Message{}
			return
		}
		m.Request = m.Frame
		m.RequestTime = m.Time
		c.stats.Unanswered++
		if !yield(m) {
			return
		}
	}
}
