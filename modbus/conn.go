package modbus

// MaxPending is the number of requests a [Conn] remembers while they wait
// for their responses. A Modbus/TCP client rarely has more than a few in
// flight; when the table is full the oldest request is dropped, counted
// unanswered and flagged with AnomalyPendingOverflow.
const MaxPending = 16

// pendingInline is how many bytes of a request's ADU a pending entry holds
// inline: the MBAP header and 38 PDU bytes, which covers every fixed-layout
// request and writes of up to 16 registers. Longer requests are copied to
// the Conn's overflow table, allocated on first need.
const pendingInline = 45

// maxCopy bounds the copy of one request: the largest ADU Split returns.
const maxCopy = 6 + MaxLengthField

// pending is one request waiting for its response. It is 64 bytes.
type pending struct {
	ts   int64
	seq  uint32 // arrival order, for dropping the oldest
	tid  uint16
	n    uint16 // bytes of the request's ADU kept
	unit uint8
	fc   FunctionCode
	used bool
	buf  [pendingInline]byte
}

// Message is one ADU as a [Conn] saw it: the decoded frame, its direction
// and time, and for a response, the request it answers. It points into the
// Conn and is valid until the Conn's next call (the contract of
// golang.org/x/net/http2's Framer); [Message.Clone] keeps one longer.
type Message struct {
	// Frame is the ADU, viewing the bytes given to [Conn.Decode] (or, for
	// a message from [Conn.Flush], the Conn's copy of the request).
	Frame Frame
	// ToServer is true for a request (client to server).
	ToServer bool
	// Time is the ts given to Decode.
	Time int64
	// Paired is true for a response matched to its request: same
	// transaction id, same unit id, and a function code (exception bit
	// cleared) that answers the request's.
	Paired bool
	// Request is the request a paired response answers, decoded from the
	// Conn's copy of it (views alias the Conn). It is the zero Frame when
	// Paired is false.
	Request Frame
	// RequestTime is the request's ts when Paired; Time-RequestTime is the
	// response latency.
	RequestTime int64
	// Unanswered is set on the messages of [Conn.Flush]: requests that
	// never got a response.
	Unanswered bool
	// Anomalies holds the connection-level flags (AnomalyUnmatchedResponse,
	// AnomalyMismatchedResponse, AnomalyPendingOverflow,
	// AnomalyDuplicateRequest). The ADU's own flags are in
	// Frame.Anomalies.
	Anomalies Anomaly
}

// Range returns the start address and quantity that the message concerns:
// for a request of functions 1–4, 15, 16 or 23 (its read range), its own;
// for a paired response, its request's. It reports false for other
// functions, and for responses that are not paired.
func (m *Message) Range() (Range, bool) {
	f := &m.Frame
	if !m.ToServer {
		if !m.Paired {
			return Range{}, false
		}
		f = &m.Request
	}
	if r, ok := f.ReadRequest(); ok {
		return r, true
	}
	if w, ok := f.WriteMultipleCoils(); ok {
		return w.Range, true
	}
	if w, ok := f.WriteMultipleRegisters(); ok {
		return w.Range, true
	}
	if rw, ok := f.ReadWriteRequest(); ok {
		return rw.Read, true
	}
	return Range{}, false
}

// Bits returns the coil or input states of the message, numbered and
// limited as Wireshark numbers them: a read response (functions 1 and 2)
// paired with its request is cut to the request's quantity and starts at
// its start address (unpaired, it is every bit of every byte, from 0); a
// Write Multiple Coils request (15) gives its own values. It does not
// allocate.
func (m *Message) Bits() (Bits, bool) {
	if m.ToServer {
		w, ok := m.Frame.WriteMultipleCoils()
		return w.Values, ok
	}
	b, ok := m.Frame.Bits()
	if !ok {
		return b, false
	}
	if m.Paired {
		if r, ok := m.Request.ReadRequest(); ok {
			b = b.WithQuantity(int(r.Quantity))
			b.start = r.Start
		}
	}
	return b, true
}

// Registers returns the register values of the message with the address
// of the first: a read response (3, 4, 23) paired with its request is
// numbered from the request's (read) start address, as Wireshark numbers
// it (from 0 when unpaired); a write request (16, 23) is numbered from its
// own start. It does not allocate.
func (m *Message) Registers() (Registers, bool) {
	if m.ToServer {
		if w, ok := m.Frame.WriteMultipleRegisters(); ok {
			return w.Values, true
		}
		rw, ok := m.Frame.ReadWriteRequest()
		return rw.Values, ok
	}
	r, ok := m.Frame.Registers()
	if !ok {
		return r, false
	}
	if m.Paired {
		if q, ok := m.Request.ReadRequest(); ok {
			r.start = q.Start
		} else if rw, ok := m.Request.ReadWriteRequest(); ok {
			r.start = rw.Read.Start
		}
	}
	return r, true
}

// FileRecords returns the file records of a function 20 or 21 message. For
// a Read File Record response paired with its request, each record's File
// and Record come from the request's sub-request of the same rank. It does
// not allocate.
func (m *Message) FileRecords() (FileRecords, bool) {
	it, ok := m.Frame.FileRecords()
	if ok && !m.ToServer && m.Paired && m.Frame.Function == ReadFileRecord {
		if req, ok := m.Request.FileRecords(); ok {
			it.req = req.r
		}
	}
	return it, ok
}

// Clone returns a copy of m whose views do not alias the Conn or the
// caller's bytes, to keep it past the Conn's next call. It allocates.
func (m *Message) Clone() *Message {
	c := *m
	if m.Frame.PDU != nil {
		c.Frame.PDU = append([]byte(nil), m.Frame.PDU...)
	}
	if m.Request.PDU != nil {
		c.Request.PDU = append([]byte(nil), m.Request.PDU...)
	}
	return &c
}

// ConnStats counts what a [Conn] has seen since it was created or Reset.
type ConnStats struct {
	// Requests and Responses count the ADUs decoded in each direction.
	Requests, Responses uint64
	// Paired counts responses matched to their request.
	Paired uint64
	// Unmatched counts responses with no pending request of their
	// transaction and unit id.
	Unmatched uint64
	// Mismatched counts responses whose function does not answer the
	// pending request of their transaction and unit id.
	Mismatched uint64
	// Duplicate counts requests that reused the transaction and unit id of
	// a pending one.
	Duplicate uint64
	// Unanswered counts requests that got no response: dropped from a full
	// table, or left pending at Flush.
	Unanswered uint64
	// Overflow counts requests dropped because the table was full.
	Overflow uint64
	// Errors counts ADUs that Parse returned an error for.
	Errors uint64
	// Pending is the number of requests waiting now (at most MaxPending).
	Pending int
}

// Conn holds the state of one Modbus/TCP (or Modbus/UDP) connection, both
// directions: the requests waiting for their responses, so that each
// response is paired with its request by transaction id and unit id and
// decoded in its context (start address, quantity, sub-requests). The zero
// value is ready to use; a Conn is not safe for concurrent use and must not
// be copied once used.
//
// Memory: a Conn is a fixed-size value of about 1.3 KB (MaxPending entries
// of 64 bytes, each holding a request of up to 45 bytes, and the current
// Message). The first request longer than that allocates a 4.2 KB table
// where long requests are copied; it is kept across Reset. Nothing else
// allocates: Decode, Flush, Reset and Stats are allocation-free in steady
// state.
type Conn struct {
	table [MaxPending]pending
	long  *[MaxPending][maxCopy]byte
	n     int    // entries in use
	seq   uint32 // next arrival number
	msg   Message
	stats ConnStats
}

// Decode decodes one ADU of the connection, as [Split] cut it (or one
// Modbus/UDP datagram): toServer says its direction (a request when true)
// and ts is its capture time in nanoseconds on any clock. A request is
// remembered until its response; a response is paired with the request of
// the same transaction id and unit id when its function code (exception bit
// cleared) is the request's, and is then decoded in that request's context
// ([Message.Request], [Message.Bits], [Message.Registers]). Bytes after the
// ADU set AnomalyLength.
//
// The Message points into the Conn and is valid until its next call. The
// error is Parse's; the Message is returned with it, decoded as far as the
// bytes go. Decode does not allocate, except the first time a request
// longer than 45 bytes is remembered (see [Conn]).
func (c *Conn) Decode(b []byte, toServer bool, ts int64) (*Message, error) {
	m := &c.msg
	dir := Response
	if toServer {
		dir = Request
	}
	n, err := m.Frame.Decode(b, dir)
	if n > 0 && n < len(b) {
		m.Frame.Anomalies |= AnomalyLength
	}
	m.ToServer = toServer
	m.Time = ts
	m.Paired = false
	m.Request = Frame{}
	m.RequestTime = 0
	m.Unanswered = false
	m.Anomalies = 0
	if err != nil {
		c.stats.Errors++
	}
	if n == 0 {
		n = len(b)
	}
	f := &m.Frame
	if toServer {
		c.stats.Requests++
		if len(f.PDU) > 0 {
			c.remember(b[:min(n, len(b))], f, ts)
		}
	} else {
		c.stats.Responses++
		if len(f.PDU) > 0 {
			c.pair(m)
		}
	}
	return m, err
}

// remember stores a request in the pending table.
func (c *Conn) remember(adu []byte, f *Frame, ts int64) {
	m := &c.msg
	slot := -1
	oldest := -1
	if c.n > 0 {
		for i := range c.table {
			e := &c.table[i]
			if !e.used {
				if slot < 0 {
					slot = i
				}
				continue
			}
			if e.tid == f.TransactionID && e.unit == f.UnitID {
				m.Anomalies |= AnomalyDuplicateRequest
			}
			if oldest < 0 || int32(e.seq-c.table[oldest].seq) < 0 {
				oldest = i
			}
		}
		if m.Anomalies.Has(AnomalyDuplicateRequest) {
			c.stats.Duplicate++
		}
	} else {
		slot = 0
	}
	if slot < 0 {
		// Full: drop the oldest.
		slot = oldest
		c.table[slot].used = false
		c.n--
		c.stats.Overflow++
		c.stats.Unanswered++
		m.Anomalies |= AnomalyPendingOverflow
	}
	e := &c.table[slot]
	e.ts = ts
	e.seq = c.seq
	c.seq++
	e.tid = f.TransactionID
	e.unit = f.UnitID
	e.fc = f.Function
	e.used = true
	if len(adu) > maxCopy {
		adu = adu[:maxCopy]
	}
	e.n = uint16(len(adu))
	if len(adu) <= pendingInline {
		copy(e.buf[:], adu)
	} else {
		if c.long == nil {
			c.long = new([MaxPending][maxCopy]byte)
		}
		copy(c.long[slot][:], adu)
	}
	c.n++
	c.stats.Pending = c.n
}

// bytes returns the copy of pending entry i.
func (c *Conn) bytes(i int) []byte {
	e := &c.table[i]
	if int(e.n) <= pendingInline {
		return e.buf[:e.n:e.n]
	}
	return c.long[i][:e.n:e.n]
}

// pair matches the response in c.msg with a pending request: the most
// recent one with its transaction id, unit id and function code.
func (c *Conn) pair(m *Message) {
	f := &m.Frame
	match, keyed := -1, false
	if c.n > 0 {
		for i := range c.table {
			e := &c.table[i]
			if !e.used || e.tid != f.TransactionID || e.unit != f.UnitID {
				continue
			}
			keyed = true
			if e.fc == f.Function && (match < 0 || int32(e.seq-c.table[match].seq) > 0) {
				match = i
			}
		}
	}
	switch {
	case match >= 0:
		e := &c.table[match]
		m.Paired = true
		m.RequestTime = e.ts
		m.Request.Decode(c.bytes(match), Request)
		e.used = false
		c.n--
		c.stats.Paired++
	case keyed:
		m.Anomalies |= AnomalyMismatchedResponse
		c.stats.Mismatched++
	default:
		m.Anomalies |= AnomalyUnmatchedResponse
		c.stats.Unmatched++
	}
	c.stats.Pending = c.n
}

// Flush ends the connection: it yields each pending request, oldest first,
// as a Message with Unanswered set (its Frame decoded from the Conn's
// copy), and empties the table. Every pending request is counted
// unanswered, also those not yielded because yield returned false. The
// Message is valid until the next yield or call. Flush does not allocate.
func (c *Conn) Flush(yield func(*Message) bool) {
	m := &c.msg
	for c.n > 0 {
		oldest := -1
		for i := range c.table {
			if c.table[i].used && (oldest < 0 || int32(c.table[i].seq-c.table[oldest].seq) < 0) {
				oldest = i
			}
		}
		e := &c.table[oldest]
		e.used = false
		c.n--
		c.stats.Unanswered++
		c.stats.Pending = c.n
		if yield == nil {
			continue
		}
		*m = Message{ToServer: true, Time: e.ts, Unanswered: true}
		m.Frame.Decode(c.bytes(oldest), Request)
		if !yield(m) {
			yield = nil
		}
	}
}

// Reset forgets everything (pending requests without counting them,
// statistics) for a new connection, and keeps the memory.
func (c *Conn) Reset() {
	long := c.long
	*c = Conn{}
	c.long = long
}

// Stats returns the counters of the connection.
func (c *Conn) Stats() ConnStats { return c.stats }
