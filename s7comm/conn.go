package s7comm

// Bounds of a Conn.
const (
	// MaxPending is the number of requests a Conn keeps waiting for their
	// responses: around the largest "max AmQ" (parallel jobs) that S7 CPUs
	// negotiate, plus room for userdata requests. When the table is full
	// the oldest request is dropped and counted unanswered.
	MaxPending = 16
	// MaxJobs is the number of programmer-command jobs and cyclic-data
	// subscriptions a Conn keeps, so that the pushes that carry their
	// results are decoded in their context; a new one replaces the oldest.
	MaxJobs = 4
	// MaxStoredRequest is how many bytes of a request's parameter and data
	// parts a Conn keeps as the context of its response: more than the
	// largest S7 PDU (960 bytes) that CPUs negotiate.
	MaxStoredRequest = 1024
	// MaxCOTPMessage is the largest message a Conn reassembles from COTP
	// DT TPDUs.
	MaxCOTPMessage = 8192
	// MaxUserdataMessage is the largest userdata payload a Conn
	// reassembles from data units.
	MaxUserdataMessage = 16384
)

// Conn is the state of one S7 connection (ISO-on-TCP), both directions:
// COTP reassembly, userdata reassembly, request/response pairing and what
// the connection negotiated. Its zero value is ready to use; it has a fixed
// size and never grows with traffic.
//
// Decode takes one TPKT packet as [Split] cuts it. Per direction it joins
// COTP DT TPDUs up to the one with the EOT bit (one message at a time, in a
// buffer of [MaxCOTPMessage] bytes) and userdata data units of one message
// (data unit reference and last-data-unit flag, in a buffer of
// [MaxUserdataMessage] bytes).
//
// It pairs a Job with its Ack or Ack_Data, and a userdata request with its
// response, by PDU reference in the opposite direction. A response whose
// function (or userdata function group and subfunction) does not answer the
// pending request is flagged AnomalyMismatchedResponse and not decoded in
// its context. A paired response carries its request ([Message.Request]):
// the items of a read var with the data returned ([Message.VarResults]),
// the items and data of a write var with the return codes, the SZL id and
// index of a read SZL ([Message.SZLRequest]), also for the follow-up
// requests that fetch the further data units of a long SZL response.
// Programmer-command jobs (variable status, modify variable, force) and
// cyclic-data subscriptions are kept once their response gives them a
// sequence number: the pushes that carry their results later are decoded in
// their context too ([Message.JobResult], [Message.TISResults]).
//
// At most [MaxPending] requests wait; a full table drops the oldest
// (AnomalyPendingOverflow). The Conn keeps the called TSAP of the
// connection request (rack and slot), the PDU length and max AmQ that
// Setup Communication negotiated, and whether S7comm-plus was seen.
//
// Memory: unsafe.Sizeof(Conn{}) is about 2 KB. The request store
// ((MaxPending+MaxJobs) × MaxStoredRequest = 20 KiB) is allocated on the
// first request, and the reassembly buffers of a direction (8 KiB for COTP,
// 16 KiB for userdata) on its first fragment; all are kept across Reset, so
// a Conn allocates nothing in steady state.
type Conn struct {
	msg   Message
	pend  [MaxPending]pending
	jobs  [MaxJobs]job
	dir   [2]direction
	store *requestStore
	order uint32
	stats ConnStats

	setup    SetupComm
	hasSetup bool
	tsap     [2][maxTSAP]byte // calling, called
	tsapLen  [2]uint8
	hasTSAP  bool
	plus     PlusInfo
}

// maxTSAP is how many bytes of a TSAP a Conn keeps.
const maxTSAP = 32

// requestStore holds the parameter and data parts of pending requests
// (slots 0 to MaxPending-1) and of jobs (the slots after).
type requestStore [MaxPending + MaxJobs][MaxStoredRequest]byte

// stored is a request kept by a Conn: its header and where its parameter
// and data parts are in the store.
type stored struct {
	hdr        Header
	plen, dlen uint16
	an         Anomaly
	time       int64
	order      uint32
	toServer   bool
}

// pending is a request waiting for its response.
type pending struct {
	stored
	used     bool
	userdata bool
	fn       Function
	group    FuncGroup
	sub      uint8
	hasSZL   bool
	szl      SZLRequest
}

// job is a programmer-command job or a cyclic-data subscription, kept for
// the pushes that carry its results.
type job struct {
	stored
	used  bool
	group FuncGroup
	sub   uint8
	seq   uint8
}

// direction is the reassembly state of one direction.
type direction struct {
	cotp    *[MaxCOTPMessage]byte
	cotpN   int
	cotpOn  bool
	cotpBad bool

	ud      *[MaxUserdataMessage]byte
	udN     int
	udOn    bool
	udRef   uint8
	udSeq   uint8
	udFrags uint16
	udGroup FuncGroup
	udSub   uint8
	udSZL   SZLRequest
	udHas   bool
}

// ConnStats counts what a Conn saw. Every request ends as exactly one of
// Paired, Mismatched or Unanswered, or is still Pending:
// Requests = Paired + Mismatched + Unanswered + Pending.
type ConnStats struct {
	// Requests counts jobs and userdata requests, Responses acks, ack-data
	// and userdata responses.
	Requests  uint64
	Responses uint64
	// Paired counts responses matched to their request; Unmatched
	// responses with no pending request; Mismatched responses whose
	// function does not answer the pending request of their PDU reference.
	Paired     uint64
	Unmatched  uint64
	Mismatched uint64
	// Unanswered counts requests dropped without a response: by Flush, by
	// a full table (also counted in Overflow) or replaced by a request
	// with the same PDU reference.
	Unanswered uint64
	Overflow   uint64
	// Pushes counts userdata pushes; JobResults those matched to the job
	// or subscription whose results they carry.
	Pushes     uint64
	JobResults uint64
	// Reassembled counts messages joined from COTP or userdata fragments;
	// Dropped partial messages given up (overflow, interleaving, a gap).
	Reassembled uint64
	Dropped     uint64
	// Pending is the number of requests waiting.
	Pending int
}

// PlusInfo says what a Conn saw of S7comm-plus.
type PlusInfo struct {
	// Version is the highest protocol version seen (V1 to V3; keep-alive
	// PDUs do not count).
	Version PlusVersion
	// PDUs counts the S7comm-plus PDUs.
	PDUs uint64
	// Digest is true once a PDU carried an integrity digest (V3).
	Digest bool
}

// Message is the result of [Conn.Decode] (and of [Conn.Flush]): the
// decoded packet, or the message reassembled from it, with its direction,
// time and what its connection adds. It points into the Conn and is valid
// until the Conn's next call; Clone keeps it longer.
type Message struct {
	// Frame is the decoded packet. For the packet that completes a
	// reassembly, its PDU (or S7comm-plus header) is the reassembled
	// message; for a COTP fragment, its Kind is KindFragment.
	Frame Frame
	// ToServer and Time are the direction and time passed to Decode.
	ToServer bool
	Time     int64
	// Paired is true for a response matched to its request; RequestTime
	// is then the request's time and Request the request.
	Paired bool
	// JobResult is true for a push that carries the results of a
	// programmer-command job or cyclic-data subscription the Conn kept;
	// Request is then the request that set the job up and RequestTime its
	// time.
	JobResult   bool
	RequestTime int64
	// Unanswered is true for a request that Flush gives up: Frame.PDU and
	// Request both hold it.
	Unanswered bool
	// Anomalies holds the connection-level flags (unmatched, mismatched,
	// duplicate request, pending overflow, dropped fragment); the packet's
	// own flags are in Frame.Anomalies.
	Anomalies Anomaly
	// Request is the S7 PDU of the request (header, parameter and data, as
	// much as MaxStoredRequest keeps; a request cut there has
	// AnomalyLength) when Paired, JobResult or Unanswered.
	Request PDU

	szl    SZLRequest
	hasSZL bool
}

// SZLRequest returns the SZL id and index that the request of a paired
// read-SZL response asked for, also for the follow-up requests of a long
// response's further data units.
func (m *Message) SZLRequest() (SZLRequest, bool) { return m.szl, m.hasSZL }

// Clone returns a copy of m whose views do not alias the Conn or the
// input, for keeping past the Conn's next call. It allocates.
func (m *Message) Clone() *Message {
	c := *m
	f := &c.Frame
	f.COTP.Params = cloneBytes(f.COTP.Params)
	f.COTP.Data = cloneBytes(f.COTP.Data)
	f.reassembled = cloneBytes(f.reassembled)
	clonePDU(&f.PDU)
	clonePDU(&c.Request)
	return &c
}

func clonePDU(p *PDU) {
	p.Param = cloneBytes(p.Param)
	p.Data = cloneBytes(p.Data)
	p.ud = cloneBytes(p.ud)
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}

// dirIndex maps a direction to its state.
func dirIndex(toServer bool) int {
	if toServer {
		return 0
	}
	return 1
}

// Decode decodes one TPKT packet of the connection, as [Split] cut it, in
// the direction toServer says, captured at ts (nanoseconds, any clock).
// The Message is never nil: on an error its Frame holds what was decoded.
// Errors are those of [Parse], and ErrOverflow when a reassembly exceeds
// its buffer (the partial message is dropped). Decode does not allocate
// once the Conn's buffers exist.
func (c *Conn) Decode(b []byte, toServer bool, ts int64) (*Message, error) {
	m := &c.msg
	m.ToServer, m.Time = toServer, ts
	m.Paired, m.JobResult, m.Unanswered, m.RequestTime = false, false, false, 0
	m.Anomalies, m.hasSZL, m.szl = 0, false, SZLRequest{}
	m.Request = PDU{}
	f := &m.Frame
	_, err := f.Decode(b)
	d := &c.dir[dirIndex(toServer)]
	if err != nil && !(d.cotpOn && f.COTP.EOT && (f.Kind == KindS7 || f.Kind == KindS7Plus)) {
		// An error in the S7 part of the DT that ends a reassembly is the
		// error of a piece: the joined message is decoded below.
		return m, err
	}
	switch f.COTP.Type {
	case TPDUConnectRequest, TPDUConnectConfirm:
		c.connect(f)
	case TPDUData:
		if err = c.cotp(d, m); err != nil {
			return m, err
		}
	}
	switch f.Kind {
	case KindS7Plus:
		c.plusSeen(f)
	case KindS7:
		if f.PDU.ROSCTR != Userdata {
			c.pairJob(m)
			break
		}
		u, ok := f.PDU.Userdata()
		if !ok {
			break
		}
		if err = c.userdata(d, m, u); err != nil {
			return m, err
		}
		c.pairUserdata(m, d, u)
	}
	return m, err
}

// connect keeps the TSAPs of a connection request (or of a confirm when the
// request was not seen).
func (c *Conn) connect(f *Frame) {
	if c.hasTSAP && f.COTP.Type == TPDUConnectConfirm {
		return
	}
	calling, ok1 := f.COTP.CallingTSAP()
	called, ok2 := f.COTP.CalledTSAP()
	if !ok1 && !ok2 {
		return
	}
	c.tsapLen[0] = uint8(copy(c.tsap[0][:], calling))
	c.tsapLen[1] = uint8(copy(c.tsap[1][:], called))
	c.hasTSAP = true
}

// cotp joins DT TPDUs: a DT without EOT is stored; the DT that ends the
// message decodes the joined payload. A message starts with an S7comm or
// S7comm-plus header (or with an empty DT before it): a DT without EOT
// whose data starts otherwise while no message is being joined continues a
// message whose start was not seen (a capture that starts in its middle,
// or a gap), and is dropped rather than taken for the start of one.
func (c *Conn) cotp(d *direction, m *Message) error {
	f := &m.Frame
	data := f.COTP.Data
	if !f.COTP.EOT {
		if !d.cotpOn {
			if len(data) > 0 && data[0] != ProtocolS7 && data[0] != ProtocolS7Plus {
				f.Anomalies |= AnomalyFragment
				m.Anomalies |= AnomalyFragment
				c.stats.Dropped++
				return nil
			}
			d.cotpOn, d.cotpN, d.cotpBad = true, 0, false
		}
		if d.cotp == nil {
			d.cotp = new([MaxCOTPMessage]byte)
		}
		if d.cotpN+len(data) > len(d.cotp) {
			d.cotpBad = true
		} else {
			d.cotpN += copy(d.cotp[d.cotpN:], data)
		}
		return nil
	}
	if !d.cotpOn {
		return nil
	}
	d.cotpOn = false
	if d.cotpBad || d.cotpN+len(data) > len(d.cotp) {
		d.cotpN = 0
		c.stats.Dropped++
		f.Kind, f.PDU = KindNone, PDU{}
		return ErrOverflow
	}
	n := d.cotpN + copy(d.cotp[d.cotpN:], data)
	d.cotpN = 0
	c.stats.Reassembled++
	f.reassembled = d.cotp[:n:n]
	f.PDU = PDU{}
	f.Anomalies &= AnomalyTPKTReserved | AnomalyCOTPParam // the tail's own S7 flags go
	return inner(f.decodePayload(f.reassembled))
}

// userdata joins userdata data units. Wireshark's rule: a PDU with a
// nonzero data unit reference is a data unit of the message with that
// reference; the one with last-data-unit 0 ends it.
func (c *Conn) userdata(d *direction, m *Message, u UserdataParam) error {
	f := &m.Frame
	p := &f.PDU
	if !u.HasDataUnit || u.DataUnitRef == 0 {
		return nil
	}
	dd, ok := p.UserdataData()
	if !ok || dd.Length < 2 {
		return nil
	}
	if d.udOn && (d.udRef != u.DataUnitRef || d.udGroup != u.Group || d.udSub != u.Subfunc) {
		// Another message interleaved: drop the pending one.
		f.Anomalies |= AnomalyFragment
		p.Anomalies |= AnomalyFragment
		m.Anomalies |= AnomalyFragment
		d.udOn = false
		c.stats.Dropped++
	}
	if !d.udOn {
		d.udOn, d.udN, d.udFrags, d.udHas = true, 0, 0, false
		d.udRef, d.udGroup, d.udSub = u.DataUnitRef, u.Group, u.Subfunc
	}
	d.udSeq = u.Seq
	if d.ud == nil {
		d.ud = new([MaxUserdataMessage]byte)
	}
	if d.udN+len(dd.Payload) > len(d.ud) {
		d.udOn = false
		c.stats.Dropped++
		return ErrOverflow
	}
	d.udN += copy(d.ud[d.udN:], dd.Payload)
	d.udFrags++
	if u.More() {
		p.udState = udFragment
		return nil
	}
	d.udOn = false
	c.stats.Reassembled++
	p.udState = udReassembled
	p.ud = d.ud[:d.udN:d.udN]
	p.udFrags = d.udFrags
	return nil
}

// Gap tells the Conn that bytes of one direction were lost: a partial
// message in reassembly there is dropped.
func (c *Conn) Gap(toServer bool) {
	d := &c.dir[dirIndex(toServer)]
	if d.cotpOn || d.udOn {
		c.stats.Dropped++
	}
	d.cotpOn, d.cotpN, d.udOn, d.udN = false, 0, false, 0
}

// plusSeen notes an S7comm-plus PDU.
func (c *Conn) plusSeen(f *Frame) {
	h, ok := f.Plus()
	if !ok {
		return
	}
	c.plus.PDUs++
	if h.Version >= PlusV1 && h.Version <= PlusV3 && h.Version > c.plus.Version {
		c.plus.Version = h.Version
	}
	if len(h.Digest) > 0 {
		c.plus.Digest = true
	}
}

// pairJob enters a job in the pending table and pairs an ack or ack-data
// with its job.
func (c *Conn) pairJob(m *Message) {
	p := &m.Frame.PDU
	switch p.ROSCTR {
	case Job:
		fn, _ := p.Function()
		e := c.request(m, false, p.PDURef)
		e.fn = fn
	case Ack, AckData:
		c.response(m, false, p.PDURef, UserdataParam{})
	}
}

// pairUserdata enters a userdata request in the pending table, pairs a
// response with its request and a push with its job.
func (c *Conn) pairUserdata(m *Message, d *direction, u UserdataParam) {
	ref := m.Frame.PDU.PDURef
	switch {
	case u.Type.IsRequest():
		e := c.request(m, true, ref)
		e.group, e.sub = u.Group, u.Subfunc
		c.userdataRequest(m, e, u)
	case u.Type.IsResponse():
		c.response(m, true, ref, u)
		if m.Paired && u.More() && d.udOn {
			d.udSZL, d.udHas = m.szl, m.hasSZL
		}
	case u.Type.IsPush():
		c.push(m, u)
	}
}

// request enters the request of m in the pending table and stores it.
func (c *Conn) request(m *Message, userdata bool, ref uint16) *pending {
	c.stats.Requests++
	slot, oldest := -1, -1
	for i := range c.pend {
		e := &c.pend[i]
		if !e.used {
			if slot < 0 {
				slot = i
			}
			continue
		}
		if e.toServer == m.ToServer && e.userdata == userdata && e.hdr.PDURef == ref {
			m.Anomalies |= AnomalyDuplicateRequest
			c.stats.Unanswered++
			c.stats.Pending--
			e.used = false
			slot = i
			break
		}
		if oldest < 0 || int32(e.order-c.pend[oldest].order) < 0 {
			oldest = i
		}
	}
	if slot < 0 {
		m.Anomalies |= AnomalyPendingOverflow
		c.stats.Overflow++
		c.stats.Unanswered++
		c.stats.Pending--
		slot = oldest
	}
	e := &c.pend[slot]
	*e = pending{used: true, userdata: userdata}
	c.keep(&e.stored, slot, m)
	c.stats.Pending++
	return e
}

// keep stores the request of m in slot.
func (c *Conn) keep(s *stored, slot int, m *Message) {
	if c.store == nil {
		c.store = new(requestStore)
	}
	p := &m.Frame.PDU
	buf := c.store[slot][:]
	pl := copy(buf, p.Param)
	dl := copy(buf[pl:], p.Data)
	c.order++
	*s = stored{hdr: p.Header, plen: uint16(pl), dlen: uint16(dl), an: p.Anomalies, time: m.Time,
		order: c.order, toServer: m.ToServer}
	if pl < len(p.Param) || dl < len(p.Data) {
		s.an |= AnomalyLength
	}
}

// view returns the PDU stored in slot.
func (c *Conn) view(s *stored, slot int) PDU {
	buf := c.store[slot][:]
	pl, dl := int(s.plen), int(s.dlen)
	return PDU{Header: s.hdr, Param: buf[:pl:pl], Data: buf[pl : pl+dl : pl+dl], Anomalies: s.an}
}

// userdataRequest notes what a userdata request's response needs: the SZL
// it reads (or, for a follow-up request of a fragmented response, the SZL
// of the message it continues), and the jobs it ends.
func (c *Conn) userdataRequest(m *Message, e *pending, u UserdataParam) {
	p := &m.Frame.PDU
	switch u.Group {
	case GroupCPU:
		if u.Subfunc != SubReadSZL {
			return
		}
		if req, _, _, ok := p.ReadSZL(); ok {
			e.szl, e.hasSZL = req, true
			return
		}
		// A follow-up: the response it continues went the other way.
		o := &c.dir[dirIndex(!m.ToServer)]
		if o.udOn && o.udHas && o.udSeq == u.Seq && o.udGroup == u.Group && o.udSub == u.Subfunc {
			e.szl, e.hasSZL = o.udSZL, true
		}
	case GroupProgrammer:
		if t, ok := p.TIS(); ok && t.Subfunc == SubTISDeleteJob {
			if _, seq, ok := t.JobRef(); ok {
				c.dropJob(GroupProgrammer, seq)
			}
		}
	}
}

// response pairs the response of m with its pending request.
func (c *Conn) response(m *Message, userdata bool, ref uint16, u UserdataParam) {
	c.stats.Responses++
	var e *pending
	slot := -1
	for i := 0; i < len(c.pend) && c.stats.Pending > 0; i++ {
		x := &c.pend[i]
		if x.used && x.toServer != m.ToServer && x.userdata == userdata && x.hdr.PDURef == ref {
			e, slot = x, i
			break
		}
	}
	if e == nil {
		m.Anomalies |= AnomalyUnmatchedResponse
		c.stats.Unmatched++
		return
	}
	e.used = false
	c.stats.Pending--
	p := &m.Frame.PDU
	answers := true
	if userdata {
		answers = u.Group == e.group && u.Subfunc == e.sub
	} else if fn, ok := p.Function(); ok && p.ROSCTR == AckData {
		answers = fn == e.fn
	}
	if !answers {
		m.Anomalies |= AnomalyMismatchedResponse
		c.stats.Mismatched++
		return
	}
	c.stats.Paired++
	m.Paired, m.RequestTime = true, e.time
	m.Request = c.view(&e.stored, slot)
	m.szl, m.hasSZL = e.szl, e.hasSZL
	if !userdata {
		if e.fn == FuncSetupComm && p.ROSCTR == AckData {
			if s, ok := p.SetupComm(); ok {
				c.setup, c.hasSetup = s, true
			}
		}
		return
	}
	if jobSetup(u.Group, u.Subfunc) {
		c.addJob(e, slot, u)
	}
}

// jobSetup reports whether a request of group g and subfunction sub sets up
// a job whose results come back later as pushes.
func jobSetup(g FuncGroup, sub uint8) bool {
	switch g {
	case GroupProgrammer:
		return sub == SubTISVarStatus || sub == SubTISModifyVar || sub == SubTISForce ||
			sub == SubTISBlockStatus || sub == SubTISBlockStat2
	case GroupCyclic:
		// A change-driven modify request redefines the items of the
		// subscription whose sequence number it carries.
		return sub == SubCyclicMemory || sub == SubCyclicChangeDriven || sub == SubCyclicChangeModify
	}
	return false
}

// addJob keeps the request of e, answered by a response with sequence
// number u.Seq, as a job.
func (c *Conn) addJob(e *pending, slot int, u UserdataParam) {
	j := -1
	for i := range c.jobs {
		x := &c.jobs[i]
		if !x.used || (x.group == u.Group && x.seq == u.Seq) {
			j = i
			break
		}
		if j < 0 || int32(x.order-c.jobs[j].order) < 0 {
			j = i
		}
	}
	x := &c.jobs[j]
	*x = job{stored: e.stored, used: true, group: u.Group, sub: u.Subfunc, seq: u.Seq}
	js := MaxPending + j
	n := int(e.plen) + int(e.dlen)
	copy(c.store[js][:n], c.store[slot][:n])
}

// dropJob forgets the job of group g with sequence number seq.
func (c *Conn) dropJob(g FuncGroup, seq uint8) {
	for i := range c.jobs {
		if x := &c.jobs[i]; x.used && x.group == g && x.seq == seq {
			x.used = false
		}
	}
}

// push matches a userdata push with the job whose results it carries.
func (c *Conn) push(m *Message, u UserdataParam) {
	c.stats.Pushes++
	if u.Group != GroupProgrammer && u.Group != GroupCyclic {
		return
	}
	for i := range c.jobs {
		x := &c.jobs[i]
		if !x.used || x.toServer == m.ToServer || x.group != u.Group || x.seq != u.Seq {
			continue
		}
		if u.Group == GroupProgrammer && x.sub != u.Subfunc {
			continue
		}
		if u.Group == GroupCyclic && !cyclicSub(u.Subfunc) {
			continue
		}
		c.stats.JobResults++
		m.JobResult, m.RequestTime = true, x.time
		m.Request = c.view(&x.stored, MaxPending+i)
		return
	}
}

// Flush gives up every pending request, oldest first, as the connection
// ended: each is yielded as a Message with Unanswered set (its Frame.PDU
// and Request hold the request) and counted unanswered. The table is empty
// afterwards, also when yield stops early.
func (c *Conn) Flush(yield func(*Message) bool) {
	more := true
	for c.stats.Pending > 0 {
		slot := -1
		for i := range c.pend {
			if e := &c.pend[i]; e.used && (slot < 0 || int32(e.order-c.pend[slot].order) < 0) {
				slot = i
			}
		}
		if slot < 0 {
			break
		}
		e := &c.pend[slot]
		e.used = false
		c.stats.Pending--
		c.stats.Unanswered++
		if !more {
			continue
		}
		m := &c.msg
		*m = Message{ToServer: e.toServer, Time: e.time, RequestTime: e.time, Unanswered: true,
			szl: e.szl, hasSZL: e.hasSZL}
		m.Request = c.view(&e.stored, slot)
		m.Frame.Kind, m.Frame.PDU = KindS7, m.Request
		more = yield(m)
	}
}

// Reset forgets the connection, as for a new one on the same Conn: pending
// requests, jobs, partial messages, what was negotiated and the counters.
// The buffers are kept.
func (c *Conn) Reset() {
	store := c.store
	d0, d1 := c.dir[0], c.dir[1]
	*c = Conn{store: store}
	c.dir[0].cotp, c.dir[0].ud = d0.cotp, d0.ud
	c.dir[1].cotp, c.dir[1].ud = d1.cotp, d1.ud
}

// Stats returns the counters.
func (c *Conn) Stats() ConnStats { return c.stats }

// Setup returns the parameters that Setup Communication negotiated (from
// its Ack_Data): the PDU length and the max AmQ (parallel jobs) of both
// sides.
func (c *Conn) Setup() (SetupComm, bool) { return c.setup, c.hasSetup }

// TSAPs returns the calling (client) and called (server) TSAPs of the
// connection request, or of the confirm when the request was not seen (at
// most 32 bytes of each). The views alias the Conn.
func (c *Conn) TSAPs() (calling, called TSAP, ok bool) {
	if !c.hasTSAP {
		return nil, nil, false
	}
	return TSAP(c.tsap[0][:c.tsapLen[0]:c.tsapLen[0]]), TSAP(c.tsap[1][:c.tsapLen[1]:c.tsapLen[1]]), true
}

// RackSlot returns the rack and slot of the CPU that the connection
// addresses, from the called TSAP of its connection request.
func (c *Conn) RackSlot() (rack, slot uint8, ok bool) {
	_, called, ok := c.TSAPs()
	if !ok {
		return 0, 0, false
	}
	return called.RackSlot()
}

// Plus returns what the Conn saw of S7comm-plus; ok is false when it saw
// none.
func (c *Conn) Plus() (PlusInfo, bool) { return c.plus, c.plus.PDUs > 0 }
