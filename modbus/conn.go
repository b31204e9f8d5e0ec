package modbus

import "math/bits"

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

// pendingKey is the pairing key of a request: transaction id, unit id and
// function code.
func pendingKey(f *Frame) uint32 {
	return uint32(f.TransactionID)<<16 | uint32(f.UnitID)<<8 | uint32(f.Function)
}

// bucketOf returns the bucket of the entries whose transaction and unit id
// are those of key. Transaction ids usually count up, so that the requests
// in flight fall in different buckets and a lookup looks at one entry.
func bucketOf(key uint32) int { return int((key>>16 ^ key>>8) & (MaxPending - 1)) }

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
// Memory: a Conn is a fixed-size value of 1328 bytes on 64-bit platforms
// (unsafe.Sizeof): MaxPending entries of about 70 bytes, each holding a request
// of up to 45 bytes, and the current Message. The first request longer than
// that allocates a 4.2 KB table where long requests are copied; it is kept
// across Reset. Nothing else allocates: Decode, Flush, Reset and Stats are
// allocation-free in steady state.
type Conn struct {
	// The pending table, one entry per bit of used: its key, arrival
	// number (for dropping the oldest), time, and the request's bytes
	// (inline up to pendingInline, else in long).
	used    uint16
	odd     uint16             // entries whose request had the exception bit set
	buckets [MaxPending]uint16 // per bucketOf, the entries in it
	keys    [MaxPending]uint32
	anoms   [MaxPending]Anomaly // the request's own anomalies
	seqs    [MaxPending]uint32
	times   [MaxPending]int64
	lens    [MaxPending]uint16
	bufs    [MaxPending][pendingInline]byte
	long    *[MaxPending][maxCopy]byte
	seq     uint32 // next arrival number
	msg     Message
	stats   ConnStats
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
	if m.Request.PDU != nil {
		m.Request = Frame{}
	}
	m.RequestTime = 0
	m.Unanswered = false
	m.Anomalies = 0
	if err != nil {
		c.stats.Errors++
	}
	f := &m.Frame
	if toServer {
		c.stats.Requests++
		if len(f.PDU) > 0 {
			if n == 0 {
				n = len(b) // cut short: keep what there is
			}
			c.remember(b[:n], f, ts)
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
	key := pendingKey(f)
	h := bucketOf(key)
	for u := c.buckets[h]; u != 0; u &= u - 1 {
		if c.keys[bits.TrailingZeros16(u)&(MaxPending-1)]>>8 == key>>8 {
			m.Anomalies |= AnomalyDuplicateRequest
			c.stats.Duplicate++
			break
		}
	}
	var slot int
	if c.used == 1<<MaxPending-1 {
		// Full: drop the oldest.
		slot = c.oldest()
		c.drop(slot)
		c.stats.Overflow++
		c.stats.Unanswered++
		m.Anomalies |= AnomalyPendingOverflow
	} else {
		slot = bits.TrailingZeros16(^c.used) & (MaxPending - 1)
	}
	c.used |= 1 << slot
	c.buckets[h] |= 1 << slot
	c.keys[slot] = key
	c.anoms[slot] = f.Anomalies
	if f.exception {
		c.odd |= 1 << slot
	} else {
		c.odd &^= 1 << slot
	}
	c.seqs[slot] = c.seq
	c.seq++
	c.times[slot] = ts
	if len(adu) > maxCopy {
		adu = adu[:maxCopy]
	}
	c.lens[slot] = uint16(len(adu))
	if n := len(adu); n >= 8 && n <= 16 {
		// Most requests are 12 bytes: two overlapping 8-byte moves
		// instead of a call to memmove.
		dst := c.bufs[slot][:n]
		*(*[8]byte)(dst) = [8]byte(adu)
		*(*[8]byte)(dst[n-8:]) = [8]byte(adu[n-8:])
	} else if n <= pendingInline {
		copy(c.bufs[slot][:], adu)
	} else {
		if c.long == nil {
			c.long = new([MaxPending][maxCopy]byte)
		}
		copy(c.long[slot][:], adu)
	}
}

// drop removes pending entry i.
func (c *Conn) drop(i int) {
	c.used &^= 1 << i
	c.buckets[bucketOf(c.keys[i])] &^= 1 << i
}

// oldest returns the pending entry that arrived first; the table is not
// empty.
func (c *Conn) oldest() int {
	o := -1
	for u := c.used; u != 0; u &= u - 1 {
		i := bits.TrailingZeros16(u) & (MaxPending - 1)
		if o < 0 || int32(c.seqs[i]-c.seqs[o]) < 0 {
			o = i
		}
	}
	return o
}

// request rebuilds the Frame of pending entry i over the Conn's copy, as
// Decode made it, without decoding again.
func (c *Conn) request(f *Frame, i int) {
	b := c.bytes(i)
	if c.odd&(1<<i) != 0 || len(b) < 8 {
		f.Decode(b, Request)
		return
	}
	k := c.keys[i]
	f.TransactionID = uint16(k >> 16)
	f.ProtocolID = uint16(b[2])<<8 | uint16(b[3])
	f.Length = uint16(b[4])<<8 | uint16(b[5])
	f.UnitID = uint8(k >> 8)
	f.Function = FunctionCode(k)
	f.Anomalies = c.anoms[i]
	f.Exception = 0
	f.Dir = Request
	f.exception = false
	f.spare = 0
	f.PDU = b[7:]
}

// bytes returns the copy of pending entry i.
func (c *Conn) bytes(i int) []byte {
	n := int(c.lens[i])
	if n <= pendingInline {
		return c.bufs[i][:n:n]
	}
	return c.long[i][:n:n]
}

// pair matches the response in c.msg with a pending request: the most
// recent one with its transaction id, unit id and function code.
func (c *Conn) pair(m *Message) {
	key := pendingKey(&m.Frame)
	match, keyed := -1, false
	for u := c.buckets[bucketOf(key)]; u != 0; u &= u - 1 {
		i := bits.TrailingZeros16(u) & (MaxPending - 1)
		k := c.keys[i]
		if k>>8 != key>>8 {
			continue
		}
		keyed = true
		if k == key && (match < 0 || int32(c.seqs[i]-c.seqs[match]) > 0) {
			match = i
		}
	}
	switch {
	case match >= 0:
		m.Paired = true
		m.RequestTime = c.times[match]
		c.request(&m.Request, match)
		c.drop(match)
		c.stats.Paired++
	case keyed:
		m.Anomalies |= AnomalyMismatchedResponse
		c.stats.Mismatched++
	default:
		m.Anomalies |= AnomalyUnmatchedResponse
		c.stats.Unmatched++
	}
}

// Flush ends the connection: it yields each pending request, oldest first,
// as a Message with Unanswered set (its Frame decoded from the Conn's
// copy), and empties the table. Every pending request is counted
// unanswered, also those not yielded because yield returned false. The
// Message is valid until the next yield or call. Flush does not allocate.
func (c *Conn) Flush(yield func(*Message) bool) {
	m := &c.msg
	for c.used != 0 {
		i := c.oldest()
		c.drop(i)
		c.stats.Unanswered++
		if yield == nil {
			continue
		}
		*m = Message{ToServer: true, Time: c.times[i], Unanswered: true}
		c.request(&m.Frame, i)
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
func (c *Conn) Stats() ConnStats {
	s := c.stats
	s.Pending = bits.OnesCount16(c.used)
	return s
}
