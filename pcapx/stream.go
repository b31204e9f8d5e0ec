package pcapx

import (
	"slices"
	"time"
)

// TCP flags.
const (
	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpRST = 0x04
	tcpACK = 0x10
)

// Out-of-order buffering per stream direction, when Config.MaxOutOfOrder
// asks for it: at most maxOOO segments and maxOOOBytes bytes wait for the
// hole before them to fill; beyond that the hole is declared a gap.
const (
	maxOOO      = 16
	maxOOOBytes = 64 << 10
)

// segment is the part of a TCP segment that stream assembly needs.
type segment struct {
	seq     uint32
	ack     uint32
	flags   uint8
	payload []byte
	ts      time.Time
}

// oooSeg is a segment that arrived ahead of the next expected sequence
// number; its bytes are in stream.oooBuf[off:off+n].
type oooSeg struct {
	seq    uint32
	off, n int
	frame  int
	ts     time.Time
	link   linkInfo
}

// stream is one direction of a TCP connection.
type stream struct {
	buf     []byte // bytes waiting for Split are buf[off:]
	off     int
	init    bool   // nextSeq is known
	nextSeq uint32 // next expected sequence number
	synSeen bool
	isn     uint32
	closed  bool // FIN or RST seen; data below nextSeq is a duplicate
	gap     bool // bytes were lost since the last PDU

	lastFrame int       // frame of the last segment with new bytes
	lastTime  time.Time // and its timestamp
	lastLink  linkInfo  // and its link-layer facts

	// peerAck is the highest acknowledgment the other side sent for this
	// direction's bytes (valid if acked): bytes below it that were never
	// seen were lost from the capture, not reordered.
	peerAck uint32
	acked   bool

	ooo    [maxOOO]oooSeg
	nooo   int
	oooBuf []byte
}

// reset forgets the stream's state and gives its buffers back to pool.
func (s *stream) reset(pool *bufPool) {
	pool.put(s.buf)
	pool.put(s.oooBuf)
	*s = stream{}
}

// drop discards the bytes buffered for Split and gives the buffer back.
func (s *stream) drop(pool *bufPool) {
	pool.put(s.buf)
	s.buf = nil
	s.off = 0
}

func (s *stream) pending() int { return len(s.buf) - s.off }

// minPending returns the lowest sequence number among the out-of-order
// segments, relative to nextSeq.
func (s *stream) minPending() uint32 {
	m := s.ooo[0].seq
	for i := 1; i < s.nooo; i++ {
		if int32(s.ooo[i].seq-m) < 0 {
			m = s.ooo[i].seq
		}
	}
	return m
}

// flow is one TCP connection (or a run of connections on the same ports),
// or one UDP exchange.
type flow struct {
	key    FlowKey
	proto  Protocol
	dirs   [2]stream // 0: toward the server, 1: toward the client (TCP only)
	lastTS time.Time
	state  any // the caller's slot

	prev, next *flow // recency list, head is the most recent
}

// flowTable is the bounded table of TCP flows with a recency list.
type flowTable struct {
	m          map[FlowKey]*flow
	head, tail *flow
	n, max     int
	free       []*flow
	order      []flushItem // scratch for flushAll
}

type flushItem struct {
	f   *flow
	dir int
}

func (t *flowTable) init(max int) {
	t.m = make(map[FlowKey]*flow)
	t.max = max
}

func (t *flowTable) unlink(f *flow) {
	if f.prev != nil {
		f.prev.next = f.next
	} else {
		t.head = f.next
	}
	if f.next != nil {
		f.next.prev = f.prev
	} else {
		t.tail = f.prev
	}
	f.prev, f.next = nil, nil
}

func (t *flowTable) pushFront(f *flow) {
	f.prev = nil
	f.next = t.head
	if t.head != nil {
		t.head.prev = f
	}
	t.head = f
	if t.tail == nil {
		t.tail = f
	}
}

func (t *flowTable) touch(f *flow) {
	if t.head == f {
		return
	}
	t.unlink(f)
	t.pushFront(f)
}

// remove takes f out of the table and keeps its memory for reuse; its
// streams must have given their buffers back.
func (t *flowTable) remove(f *flow) {
	delete(t.m, f.key)
	t.unlink(f)
	t.n--
	t.free = append(t.free, f)
}

// add returns a flow for key, reusing a removed flow's memory if possible.
func (t *flowTable) add(key FlowKey, p Protocol) *flow {
	var f *flow
	if n := len(t.free); n > 0 {
		f = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		f = new(flow)
	}
	f.key = key
	f.proto = p
	f.dirs[0] = stream{}
	f.dirs[1] = stream{}
	t.m[key] = f
	t.pushFront(f)
	t.n++
	return f
}

func (t *flowTable) reset() {
	for f := t.head; f != nil; {
		next := f.next
		f.prev, f.next = nil, nil
		t.free = append(t.free, f)
		f = next
	}
	clear(t.m)
	t.head, t.tail, t.n = nil, nil, 0
}

// flowFor returns the flow of key, creating it (with a FlowStart event)
// when create is set, or nil. Flows idle for longer than the idle timeout
// end first.
func (d *Decoder) flowFor(key *FlowKey, p Protocol, ts time.Time, create bool) *flow {
	if d.cfg.IdleTimeout > 0 {
		for t := d.flows.tail; t != nil && ts.Sub(t.lastTS) > d.cfg.IdleTimeout; t = d.flows.tail {
			d.endFlow(t, EndIdle)
		}
	}
	f := d.flows.m[*key]
	if f != nil {
		d.flows.touch(f)
		f.lastTS = ts
		return f
	}
	if !create {
		return nil
	}
	if d.flows.n >= d.flows.max {
		d.endFlow(d.flows.tail, EndEvicted)
	}
	f = d.flows.add(*key, p)
	f.lastTS = ts
	d.stats.Protocols[p].Flows++
	if d.cfg.OnFlow != nil {
		d.event = FlowEvent{Kind: FlowStart, Flow: f.key, Proto: p, Frame: d.frame, Time: ts, Last: ts, State: &f.state}
		d.cfg.OnFlow(&d.event)
	}
	return f
}

// endFlow ends a flow: unless the decoder is being reset, its streams are
// flushed as at the end of input; then OnFlow sees FlowEnd, the slot is
// cleared and the flow leaves the table.
func (d *Decoder) endFlow(f *flow, why EndReason) {
	if why != EndReset {
		wasFlushing := d.flushing
		// PDUs that an eviction flushes do not belong to the current
		// frame; those that its own FIN or RST flushes do.
		d.flushing = wasFlushing || why == EndIdle || why == EndEvicted
		d.finish(f, 0)
		d.finish(f, 1)
		d.flushing = wasFlushing
	}
	if why == EndFIN || why == EndRST {
		d.closed.remember(f, d.curTS)
	}
	f.dirs[0].reset(&d.bufs)
	f.dirs[1].reset(&d.bufs)
	if why == EndIdle || why == EndEvicted {
		d.stats.Protocols[f.proto].Evicted++
	}
	if d.cfg.OnFlow != nil {
		d.event = FlowEvent{Kind: FlowEnd, Reason: why, Flow: f.key, Proto: f.proto, Frame: d.frame, Time: d.curTS, Last: f.lastTS, State: &f.state}
		d.cfg.OnFlow(&d.event)
	}
	f.state = nil
	d.flows.remove(f)
}

// tcp runs one TCP segment through its flow's stream assembly.
func (d *Decoder) tcp(key *FlowKey, p Protocol, toServer bool, seg *segment) {
	dir := 1
	if toServer {
		dir = 0
	}
	hasData := len(seg.payload) > 0
	syn := seg.flags&tcpSYN != 0
	rst := seg.flags&tcpRST != 0
	f := d.flowFor(key, p, seg.ts, false)
	if f == nil {
		switch {
		case rst || !(hasData || syn):
			d.skip(SkipNoPayload)
			return
		case hasData && !syn && d.closed.retransmitted(key, dir, seg.seq, len(seg.payload), seg.ts):
			// Bytes of a flow that ended a moment ago, sent again.
			d.curClass = Decoded
			d.stats.Protocols[p].Duplicates++
			return
		}
		f = d.flowFor(key, p, seg.ts, true)
	}
	if !hasData {
		d.skip(SkipNoPayload)
	}
	if rst {
		// A reset ends both directions; text some stacks put in a
		// reset segment is not stream data.
		d.skip(SkipNoPayload)
		d.endFlow(f, EndRST)
		return
	}
	s := &f.dirs[dir]
	if seg.flags&tcpACK != 0 {
		d.ack(f, 1-dir, seg.ack)
	}
	seq := seg.seq
	if syn {
		if !(s.synSeen && s.isn == seq) {
			if s.pending() > 0 || s.nooo > 0 {
				d.finish(f, dir)
			}
			s.reset(&d.bufs)
			s.synSeen = true
			s.isn = seq
			s.init = true
			s.nextSeq = seq + 1
		}
		seq++
	}
	if !s.init {
		// Pickup in the middle of a connection.
		s.init = true
		s.nextSeq = seq
	}
	if hasData {
		d.curClass = Decoded
		s.lastFrame = d.frame
		s.lastTime = seg.ts
		s.lastLink = d.curLink
		d.segment(f, dir, seq, seg.payload)
	}
	if seg.flags&tcpFIN != 0 && !s.closed {
		d.finish(f, dir)
		s.closed = true
		s.nextSeq = seq + uint32(len(seg.payload)) + 1
		if f.dirs[1-dir].closed {
			d.endFlow(f, EndFIN)
		}
	}
}

// segment adds the bytes of one segment at sequence number seq to a stream.
func (d *Decoder) segment(f *flow, dir int, seq uint32, payload []byte) {
	s := &f.dirs[dir]
	ps := &d.stats.Protocols[f.proto]
	frame, ts, link := s.lastFrame, s.lastTime, s.lastLink
	for {
		diff := int32(seq - s.nextSeq)
		if diff <= 0 {
			s.lastFrame, s.lastTime, s.lastLink = frame, ts, link
			if diff < 0 {
				trim := -int64(diff)
				if trim >= int64(len(payload)) {
					ps.Duplicates++
					return
				}
				payload = payload[trim:]
			}
			if s.closed {
				// New bytes after FIN or RST: the ports were reused
				// without a SYN we saw.
				s.closed = false
			}
			s.nextSeq += uint32(len(payload))
			d.feed(f, dir, payload)
			d.drainOOO(f, dir)
			return
		}
		lost := s.acked && int32(s.peerAck-s.nextSeq) > 0
		if !lost && s.nooo < d.maxOOO && len(s.oooBuf)+len(payload) <= maxOOOBytes {
			s.ooo[s.nooo] = oooSeg{seq: seq, off: len(s.oooBuf), n: len(payload), frame: s.lastFrame, ts: s.lastTime, link: s.lastLink}
			s.nooo++
			s.oooBuf = append(d.bufs.grow(s.oooBuf, len(payload)), payload...)
			return
		}
		// No room to wait for the hole: declare it lost.
		target := seq
		if s.nooo > 0 {
			if m := s.minPending(); int32(m-seq) < 0 {
				target = m
			}
		}
		d.gap(f, dir)
		s.nextSeq = target
		d.drainOOO(f, dir)
	}
}

// ack records an acknowledgment for direction dir's bytes. When it covers
// bytes never seen while segments wait out of order, the hole was lost from
// the capture: it becomes a gap at once.
func (d *Decoder) ack(f *flow, dir int, ack uint32) {
	s := &f.dirs[dir]
	if !s.acked || int32(ack-s.peerAck) > 0 {
		s.peerAck, s.acked = ack, true
	}
	if s.nooo == 0 || !s.init || int32(s.peerAck-s.nextSeq) <= 0 {
		return
	}
	frame, ts, link := s.lastFrame, s.lastTime, s.lastLink
	for s.nooo > 0 && int32(s.peerAck-s.nextSeq) > 0 {
		if m := s.minPending(); int32(m-s.nextSeq) > 0 {
			d.gap(f, dir)
			s.nextSeq = m
		}
		d.drainOOO(f, dir)
	}
	s.lastFrame, s.lastTime, s.lastLink = frame, ts, link
}

// gap drops the partial PDU buffered in a stream: the bytes that would
// complete it were lost.
func (d *Decoder) gap(f *flow, dir int) {
	s := &f.dirs[dir]
	s.drop(&d.bufs)
	s.gap = true
	d.stats.Protocols[f.proto].Gaps++
}

// drainOOO feeds the out-of-order segments that the stream has reached.
func (d *Decoder) drainOOO(f *flow, dir int) {
	s := &f.dirs[dir]
	for progress := true; progress && s.nooo > 0; {
		progress = false
		for i := 0; i < s.nooo; i++ {
			e := s.ooo[i]
			diff := int32(e.seq - s.nextSeq)
			if diff > 0 {
				continue
			}
			s.nooo--
			s.ooo[i] = s.ooo[s.nooo]
			data := s.oooBuf[e.off : e.off+e.n]
			if trim := -int64(diff); trim < int64(len(data)) {
				data = data[trim:]
				s.lastFrame, s.lastTime, s.lastLink = e.frame, e.ts, e.link
				s.nextSeq += uint32(len(data))
				d.feed(f, dir, data)
			}
			progress = true
			break
		}
	}
	if s.nooo == 0 {
		d.bufs.put(s.oooBuf)
		s.oooBuf = nil
	}
}

// finish ends a stream direction: segments still waiting for a hole are
// fed after a gap, then Split sees the buffered bytes with atEOF set.
func (d *Decoder) finish(f *flow, dir int) {
	s := &f.dirs[dir]
	for s.nooo > 0 {
		m := s.minPending()
		d.gap(f, dir)
		s.nextSeq = m
		d.drainOOO(f, dir)
	}
	if s.pending() > 0 {
		d.splitLoop(f, dir, s.buf[s.off:], true)
	}
	s.drop(&d.bufs)
}

// feed appends new in-order bytes to a stream and lets Split cut PDUs.
func (d *Decoder) feed(f *flow, dir int, p []byte) {
	s := &f.dirs[dir]
	if s.pending() == 0 {
		// Nothing buffered: split straight from the packet.
		s.drop(&d.bufs)
		n := d.splitLoop(f, dir, p, false)
		p = p[n:]
	}
	for len(p) > 0 {
		room := d.cfg.MaxPDU - s.pending()
		if room <= 0 {
			// Split wants more than MaxPDU bytes: drop them.
			d.stats.Protocols[f.proto].Oversize++
			if !d.flushing {
				d.malformed(PDUTooLarge)
			}
			s.drop(&d.bufs)
			s.gap = true
			continue
		}
		if s.off > 0 {
			n := copy(s.buf, s.buf[s.off:])
			s.buf = s.buf[:n]
			s.off = 0
		}
		chunk := p[:min(room, len(p))]
		p = p[len(chunk):]
		s.buf = append(d.bufs.grow(s.buf, len(chunk)), chunk...)
		s.off += d.splitLoop(f, dir, s.buf, false)
		if s.off == len(s.buf) {
			s.drop(&d.bufs)
		}
	}
}

// splitLoop cuts PDUs out of data with the flow's Split and delivers them.
// It returns how many bytes were consumed; at EOF that is all of them.
func (d *Decoder) splitLoop(f *flow, dir int, data []byte, atEOF bool) int {
	ps := &d.stats.Protocols[f.proto]
	s := &f.dirs[dir]
	consumed := 0
	for len(data) > 0 {
		var adv int
		var tok []byte
		var err error
		if d.cfg.Split != nil {
			adv, tok, err = d.cfg.Split(f.proto, data, atEOF)
		} else {
			adv, tok, err = split(f.proto, data, atEOF)
		}
		if err != nil || adv < 0 || adv > len(data) {
			ps.SplitErrors++
			if !d.flushing {
				d.malformed(SplitError)
			}
			if adv <= 0 || adv > len(data) {
				adv = 1
			}
			ps.ResyncBytes += uint64(adv)
			data = data[adv:]
			consumed += adv
			continue
		}
		if len(tok) == 0 {
			if adv == 0 {
				break
			}
			ps.ResyncBytes += uint64(adv)
			data = data[adv:]
			consumed += adv
			continue
		}
		d.pdu = PDU{
			Frame:     s.lastFrame,
			Time:      s.lastTime,
			Proto:     f.proto,
			Transport: TCP,
			ToServer:  dir == 0,
			Flow:      f.key,
			Gap:       s.gap,
			Data:      tok,
			State:     &f.state,
		}
		d.pdu.setLink(&s.lastLink)
		if dir == 0 {
			d.pdu.Src, d.pdu.Dst = f.key.Client, f.key.Server
		} else {
			d.pdu.Src, d.pdu.Dst = f.key.Server, f.key.Client
		}
		s.gap = false
		d.deliver(ps, !d.flushing)
		if adv == 0 {
			// A token without advance: take it as the last one.
			adv = len(data)
		}
		data = data[adv:]
		consumed += adv
	}
	if atEOF && len(data) > 0 {
		ps.ResyncBytes += uint64(len(data))
		consumed += len(data)
	}
	return consumed
}

// Flush ends every flow as at the end of input: Split sees each
// direction's remaining bytes with atEOF set, in the order of the frames
// that last added bytes; then every flow ends with EndInput (after all the
// PDUs flushed here) and leaves the table. PDUs delivered here carry the
// frame number, time and link-layer facts of their last segment. Handler
// errors are counted in ProtoStats.HandlerErrors but do not change frames
// already counted. Decoding may go on after Flush: packets of a flow that
// was ended start a new one. Flush allocates nothing once its scratch list
// has grown to the number of flows with buffered bytes.
func (d *Decoder) Flush() error {
	t := &d.flows
	t.order = t.order[:0]
	for f := t.tail; f != nil; f = f.prev {
		for dir := range f.dirs {
			s := &f.dirs[dir]
			if s.pending() > 0 || s.nooo > 0 {
				t.order = append(t.order, flushItem{f, dir})
			}
		}
	}
	slices.SortStableFunc(t.order, func(a, b flushItem) int {
		return a.f.dirs[a.dir].lastFrame - b.f.dirs[b.dir].lastFrame
	})
	d.flushing = true
	for _, it := range t.order {
		d.finish(it.f, it.dir)
	}
	for t.tail != nil {
		d.endFlow(t.tail, EndInput)
	}
	d.flushing = false
	return d.stopErr
}

// closedCache remembers where the streams of recently closed TCP flows
// (FIN or RST) stopped, so that bytes sent again after the end (a FIN with
// data retransmitted, say) count as duplicates instead of starting a new
// flow. It is direct-mapped and small: a flow forgotten early is only
// a retransmission taken for new bytes.
type closedCache struct {
	e []closedEntry
}

// closedEntries is the size of the cache; closedFor how long an entry
// stands (capture time), and closedWindow how far below the end a segment
// may start to be taken for a retransmission.
const (
	closedEntries = 1024
	closedFor     = 2 * time.Minute
	closedWindow  = 1 << 20
)

type closedEntry struct {
	key  FlowKey
	next [2]uint32 // each direction's next sequence number at the end
	init [2]bool
	ts   time.Time
	used bool
}

func closedSlot(k *FlowKey) int {
	c, s := k.Client.Addr().As16(), k.Server.Addr().As16()
	h := uint32(k.Client.Port())<<16 | uint32(k.Server.Port())
	for i := 12; i < 16; i++ {
		h = h*31 + uint32(c[i]) + uint32(s[i])<<8
	}
	h ^= h >> 15
	h *= 0x2c1b3c6d
	h ^= h >> 12
	return int(h % closedEntries)
}

func (c *closedCache) remember(f *flow, ts time.Time) {
	if c.e == nil {
		c.e = make([]closedEntry, closedEntries)
	}
	e := &c.e[closedSlot(&f.key)]
	*e = closedEntry{key: f.key, ts: ts, used: true}
	for i := range f.dirs {
		e.next[i], e.init[i] = f.dirs[i].nextSeq, f.dirs[i].init
	}
}

// retransmitted reports whether n bytes at seq in direction dir of key lie
// below where the flow's stream stopped when it closed.
func (c *closedCache) retransmitted(key *FlowKey, dir int, seq uint32, n int, ts time.Time) bool {
	if c.e == nil {
		return false
	}
	e := &c.e[closedSlot(key)]
	if !e.used || e.key != *key || !e.init[dir] || ts.Sub(e.ts) > closedFor || ts.Before(e.ts) {
		return false
	}
	end := seq + uint32(n)
	return int32(end-e.next[dir]) <= 0 && int32(e.next[dir]-seq) <= closedWindow
}

func (c *closedCache) reset() { clear(c.e) }
