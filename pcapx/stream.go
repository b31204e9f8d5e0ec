package pcapx

import (
	"math"
	"slices"
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

// oooSeg is a segment that arrived ahead of the next expected sequence
// number; its bytes are in oooState.buf[off:off+n], and in tells of the
// packet that carried it.
type oooSeg struct {
	seq    uint32
	off, n int32
	in     segInfo
}

// stream is one direction of a TCP connection. It holds no buffer of its
// own: x is taken from the Decoder's memory when bytes must wait (a partial
// PDU, or segments waiting for a hole to fill) and given back when they are
// consumed, so that a stream direction costs 24 bytes of its flow's record.
type stream struct {
	nextSeq uint32 // next expected sequence number
	isn     uint32
	// peerAck is the highest acknowledgment the other side sent for this
	// direction's bytes (valid if sAcked): bytes below it that were never
	// seen were lost from the capture, not reordered.
	peerAck uint32
	flags   sflags
	x       *sbuf
}

// sflags are a stream direction's flags.
type sflags uint8

const (
	sInit   sflags = 1 << iota // nextSeq is known
	sSyn                       // a SYN was seen; isn is its sequence number
	sClosed                    // FIN seen; data below nextSeq is a duplicate
	sGap                       // bytes were lost since the last PDU
	sAcked                     // peerAck is valid
)

func (s *stream) has(f sflags) bool { return s.flags&f != 0 }

func (s *stream) set(f sflags, on bool) {
	if on {
		s.flags |= f
	} else {
		s.flags &^= f
	}
}

// pending is the number of bytes waiting for Split.
func (s *stream) pending() int {
	if s.x == nil {
		return 0
	}
	return len(s.x.b) - s.x.off
}

// waiting is the number of segments waiting for a hole to fill.
func (s *stream) waiting() int {
	if s.x == nil || s.x.ooo == nil {
		return 0
	}
	return s.x.ooo.n
}

// minPending returns the lowest sequence number among the out-of-order
// segments.
func (o *oooState) minPending() uint32 {
	m := o.segs[0].seq
	for i := 1; i < o.n; i++ {
		if int32(o.segs[i].seq-m) < 0 {
			m = o.segs[i].seq
		}
	}
	return m
}

// ext returns the stream's out-of-line state, taking one if it has none.
func (d *Decoder) ext(f *flow, dir int) *sbuf {
	s := &f.dirs[dir]
	if s.x == nil {
		s.x = d.mem.newSbuf()
		s.x.holder = holder{f: f, dir: uint8(dir)}
	}
	return s.x
}

// releaseExt gives the out-of-line state back when it holds nothing.
func (d *Decoder) releaseExt(s *stream) {
	if x := s.x; x != nil && cap(x.b) == 0 && x.ooo == nil {
		d.mem.freeSbuf(x)
		s.x = nil
	}
}

// resetStream forgets a stream's state and gives its buffers back.
func (d *Decoder) resetStream(s *stream) {
	if s.x != nil {
		d.dropOOO(s)
		d.dropBuf(s)
	}
	*s = stream{}
}

// dropBuf discards the bytes buffered for Split and gives the buffer back.
func (d *Decoder) dropBuf(s *stream) {
	x := s.x
	if x == nil {
		return
	}
	if cap(x.b) > 0 {
		d.mem.give(x.b)
		d.mem.unlink(&x.holder)
		x.b, x.off = nil, 0
	}
	d.releaseExt(s)
}

// dropOOO discards the segments waiting for a hole and gives their buffer
// back.
func (d *Decoder) dropOOO(s *stream) {
	if x := s.x; x != nil && x.ooo != nil {
		d.mem.freeOOO(x.ooo)
		x.ooo = nil
		d.releaseExt(s)
	}
}

// dropHolder drops the bytes of a holder to make room in the budget: a
// partial PDU or segments waiting for a hole. They are lost: the next PDU
// of that direction comes after a gap.
func (d *Decoder) dropHolder(h *holder) {
	s := &h.f.dirs[h.dir]
	ps := &d.stats.Protocols[h.f.proto]
	ps.BudgetDrops++
	if h.ooo {
		o := s.x.ooo
		n := 0
		for i := range o.n {
			n += int(o.segs[i].n)
		}
		ps.BudgetDropBytes += uint64(n)
		d.dropOOO(s)
	} else {
		ps.BudgetDropBytes += uint64(s.pending())
		d.dropBuf(s)
	}
	s.set(sGap, true)
}

// flowAt returns the flow of key k with hash h for the current packet, or
// nil. A flow idle for longer than the idle timeout ends first, and the
// idle sweep looks at a few other flows.
func (d *Decoder) flowAt(h uint64, k *flowKey) *flow {
	if d.sweepMore || d.cur.ns-d.sweepNS >= d.sweepTick {
		d.sweep()
	}
	f := d.flows.lookup(h, k)
	if f != nil && d.idle > 0 && d.cur.ns-f.lastNS > d.idle {
		d.endFlow(f, EndIdle)
		return nil
	}
	return f
}

// maxSweep bounds the records the idle sweep looks at for one packet.
const maxSweep = 64

// sweep ends flows that have been idle for longer than the idle timeout.
// It looks at the table's records in turn, as many as capture time allows:
// every record once per half idle timeout of capture time, so that a flow
// ends at most one and a half idle timeouts after its last packet, whatever
// the packet rate, and a busy table costs little per packet. It runs when
// capture time has moved on by a 1024th of the idle timeout (sweepTick)
// since it last did, and on packets after that until it has caught up.
func (d *Decoder) sweep() {
	if d.idle <= 0 {
		d.sweepNS = math.MaxInt64 / 2
		d.sweepTick = math.MaxInt64
		return
	}
	if dt := d.cur.ns - d.sweepNS; dt > 0 {
		d.sweepDue += float64(d.flows.n) * float64(dt) / float64(d.idle/2+1)
		// One pass at most, however long the pause.
		d.sweepDue = min(d.sweepDue, float64(d.flows.n))
	}
	d.sweepNS = d.cur.ns
	d.sweepMore = false
	if d.sweepDue < 1 || d.flows.n == 0 {
		d.sweepDue = max(d.sweepDue, 0)
		return
	}
	n := int(min(d.sweepDue, maxSweep))
	d.sweepDue -= float64(n)
	// More to do: sweep on the next packet too.
	d.sweepMore = d.sweepDue >= 1
	for range min(n, d.flows.n) {
		f := d.flows.next(4 * maxSweep)
		if f == nil {
			return
		}
		if d.cur.ns-f.lastNS > d.idle {
			d.endFlow(f, EndIdle)
		}
	}
}

// evictSample is how many flows the table looks at for one to evict.
const evictSample = 8

// newFlow creates the flow of key k for the current packet, with a
// FlowStart event. When the table is full it evicts the least recently
// active of a sample of flows that have not seen both directions; when
// the sample has none, the flow is not created (nil).
func (d *Decoder) newFlow(h uint64, k *flowKey, p Protocol) *flow {
	t := &d.flows
	if t.n >= t.max {
		var v *flow
		for range min(evictSample, t.n) {
			f := t.next(4 * evictSample)
			if f == nil {
				break
			}
			if !f.established() && (v == nil || f.lastNS < v.lastNS) {
				v = f
			}
		}
		if v == nil {
			d.stats.Protocols[p].Refused++
			return nil
		}
		d.endFlow(v, EndEvicted)
	}
	f := t.add(h, k, p)
	f.lastNS = d.cur.ns
	d.stats.Protocols[p].Flows++
	if d.cfg.OnFlow != nil {
		d.event = FlowEvent{Kind: FlowStart, Flow: k.public(), Proto: p, Frame: d.frame, Time: d.curTS, Last: d.curTS, State: &f.state}
		d.cfg.OnFlow(&d.event)
	}
	return f
}

// endFlow ends a flow: unless the decoder is being reset, its streams are
// flushed as at the end of input; then OnFlow sees FlowEnd, the slot is
// cleared, the buffers go back to the pool and the record is freed.
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
	ps := &d.stats.Protocols[f.proto]
	switch why {
	case EndIdle:
		ps.Idle++
	case EndEvicted:
		ps.Evicted++
	}
	if f.key.tr() == TCP && why != EndInput && why != EndReset {
		d.closed.remember(f, d.cur.ns)
	}
	if d.cfg.OnFlow != nil {
		d.event = FlowEvent{Kind: FlowEnd, Reason: why, Flow: f.key.public(), Proto: f.proto, Frame: d.frame, Time: d.curTS, Last: d.timeAt(f.lastNS), State: &f.state}
		d.cfg.OnFlow(&d.event)
	}
	if d.pduFlow == f {
		d.pduFlow = nil
	}
	d.resetStream(&f.dirs[0])
	d.resetStream(&f.dirs[1])
	d.flows.remove(f)
}

// tcp runs one TCP segment through its flow's stream assembly.
func (d *Decoder) tcp(pk *parsed) {
	dir := 1
	if pk.toServer {
		dir = 0
	}
	hasData := len(pk.payload) > 0
	syn := pk.flags&tcpSYN != 0
	rst := pk.flags&tcpRST != 0
	f := d.flowAt(pk.hash, &pk.key)
	if f == nil {
		switch {
		case rst || !(hasData || syn):
			d.skip(SkipNoPayload)
			return
		case hasData && !syn && d.closed.retransmitted(pk.hash, &pk.key, dir, pk.seq, len(pk.payload), d.cur.ns):
			// Bytes of a flow that ended a moment ago, sent again.
			d.curClass = Decoded
			d.stats.Protocols[pk.proto].Duplicates++
			return
		}
		if f = d.newFlow(pk.hash, &pk.key, pk.proto); f == nil {
			if hasData {
				d.malformed(FlowTableFull)
			} else {
				d.skip(SkipNoPayload)
			}
			return
		}
	}
	f.lastNS = d.cur.ns
	f.seen |= 1 << dir
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
	if pk.flags&tcpACK != 0 {
		d.ack(f, 1-dir, pk.ack)
	}
	seq := pk.seq
	if syn {
		if !(s.has(sSyn) && s.isn == seq) {
			if s.pending() > 0 || s.waiting() > 0 {
				d.finish(f, dir)
			}
			d.resetStream(s)
			s.flags |= sSyn | sInit
			s.isn = seq
			s.nextSeq = seq + 1
		}
		seq++
	}
	if !s.has(sInit) {
		// Pickup in the middle of a connection.
		s.flags |= sInit
		s.nextSeq = seq
	}
	if hasData {
		d.curClass = Decoded
		if seq == s.nextSeq && s.x == nil {
			// In order, nothing waiting: the common case.
			s.flags &^= sClosed
			s.nextSeq += uint32(len(pk.payload))
			d.feed(f, dir, pk.payload, &d.cur)
		} else {
			d.segment(f, dir, seq, pk.payload)
		}
	}
	if pk.flags&tcpFIN != 0 && !s.has(sClosed) {
		d.finish(f, dir)
		s.flags |= sClosed
		s.nextSeq = seq + uint32(len(pk.payload)) + 1
		if f.dirs[1-dir].has(sClosed) {
			d.endFlow(f, EndFIN)
		}
	}
}

// segment adds the bytes of one segment of the current packet at sequence
// number seq to a stream.
func (d *Decoder) segment(f *flow, dir int, seq uint32, payload []byte) {
	s := &f.dirs[dir]
	ps := &d.stats.Protocols[f.proto]
	for {
		diff := int32(seq - s.nextSeq)
		if diff <= 0 {
			if diff < 0 {
				trim := -int64(diff)
				if trim >= int64(len(payload)) {
					ps.Duplicates++
					return
				}
				payload = payload[trim:]
			}
			// New bytes after FIN: the ports were reused without a
			// SYN we saw.
			s.set(sClosed, false)
			s.nextSeq += uint32(len(payload))
			d.feed(f, dir, payload, &d.cur)
			if s.x != nil && s.x.ooo != nil {
				d.drainOOO(f, dir)
			}
			return
		}
		lost := s.has(sAcked) && int32(s.peerAck-s.nextSeq) > 0
		if !lost && d.queueOOO(f, dir, seq, payload) {
			return
		}
		// No room to wait for the hole: declare it lost.
		target := seq
		if s.waiting() > 0 {
			if m := s.x.ooo.minPending(); int32(m-seq) < 0 {
				target = m
			}
		}
		d.gap(f, dir)
		s.nextSeq = target
		d.drainOOO(f, dir)
	}
}

// queueOOO keeps a segment of the current packet that arrived ahead of the
// next expected sequence number, if the limits and the budget allow.
func (d *Decoder) queueOOO(f *flow, dir int, seq uint32, payload []byte) bool {
	s := &f.dirs[dir]
	if d.maxOOO == 0 || s.waiting() >= d.maxOOO {
		return false
	}
	x := d.ext(f, dir)
	o := x.ooo
	if o == nil {
		o = d.mem.newOOO()
		o.holder = holder{f: f, dir: uint8(dir), ooo: true}
		x.ooo = o
		d.mem.link(&o.holder)
	}
	if len(o.buf)+len(payload) > maxOOOBytes {
		d.releaseOOO(s)
		return false
	}
	if cap(o.buf)-len(o.buf) < len(payload) {
		nb := d.mem.take(len(o.buf)+len(payload), &o.holder, d.dropHolder)
		if nb == nil {
			d.releaseOOO(s)
			return false
		}
		nb = append(nb, o.buf...)
		d.mem.give(o.buf)
		o.buf = nb
	}
	d.mem.touch(&o.holder)
	o.segs[o.n] = oooSeg{seq: seq, off: int32(len(o.buf)), n: int32(len(payload)), in: d.cur}
	o.n++
	o.buf = append(o.buf, payload...)
	return true
}

// releaseOOO gives back an out-of-order state that holds no segment.
func (d *Decoder) releaseOOO(s *stream) {
	if s.x != nil && s.x.ooo != nil && s.x.ooo.n == 0 {
		d.dropOOO(s)
	}
}

// ack records an acknowledgment for direction dir's bytes. When it covers
// bytes never seen while segments wait out of order, the hole was lost from
// the capture: it becomes a gap at once.
func (d *Decoder) ack(f *flow, dir int, ack uint32) {
	s := &f.dirs[dir]
	if s.flags&sAcked == 0 || int32(ack-s.peerAck) > 0 {
		s.peerAck = ack
		s.flags |= sAcked
	}
	if s.x != nil {
		d.ackLost(f, dir)
	}
}

// ackLost declares lost the hole before segments waiting out of order that
// the other side has acknowledged.
func (d *Decoder) ackLost(f *flow, dir int) {
	s := &f.dirs[dir]
	if s.waiting() == 0 || !s.has(sInit) || int32(s.peerAck-s.nextSeq) <= 0 {
		return
	}
	for s.waiting() > 0 && int32(s.peerAck-s.nextSeq) > 0 {
		if m := s.x.ooo.minPending(); int32(m-s.nextSeq) > 0 {
			d.gap(f, dir)
			s.nextSeq = m
		}
		d.drainOOO(f, dir)
	}
}

// gap drops the partial PDU buffered in a stream: the bytes that would
// complete it were lost.
func (d *Decoder) gap(f *flow, dir int) {
	s := &f.dirs[dir]
	d.dropBuf(s)
	s.set(sGap, true)
	d.stats.Protocols[f.proto].Gaps++
}

// drainOOO feeds the out-of-order segments that the stream has reached.
func (d *Decoder) drainOOO(f *flow, dir int) {
	s := &f.dirs[dir]
	for progress := true; progress && s.waiting() > 0; {
		progress = false
		o := s.x.ooo
		for i := 0; i < o.n; i++ {
			e := o.segs[i]
			diff := int32(e.seq - s.nextSeq)
			if diff > 0 {
				continue
			}
			o.n--
			o.segs[i] = o.segs[o.n]
			data := o.buf[e.off : e.off+e.n]
			if trim := -int64(diff); trim < int64(len(data)) {
				data = data[trim:]
				s.nextSeq += uint32(len(data))
				d.feed(f, dir, data, &e.in)
			}
			progress = true
			break
		}
	}
	d.releaseOOO(s)
}

// finish ends a stream direction: segments still waiting for a hole are
// fed after a gap, then Split sees the buffered bytes with atEOF set.
func (d *Decoder) finish(f *flow, dir int) {
	s := &f.dirs[dir]
	for s.waiting() > 0 {
		m := s.x.ooo.minPending()
		d.gap(f, dir)
		s.nextSeq = m
		d.drainOOO(f, dir)
	}
	d.releaseOOO(s)
	if s.pending() > 0 {
		x := s.x
		d.splitLoop(f, dir, x.b[x.off:], true, &x.in)
	}
	d.dropBuf(s)
}

// feed appends new in-order bytes to a stream and lets Split cut PDUs; in
// is the segment they came in.
func (d *Decoder) feed(f *flow, dir int, p []byte, in *segInfo) {
	s := &f.dirs[dir]
	if s.pending() == 0 {
		// Nothing buffered: split straight from the packet.
		n := d.splitLoop(f, dir, p, false, in)
		p = p[n:]
	}
	for len(p) > 0 {
		room := d.maxPDU - s.pending()
		if room <= 0 {
			// Split wants more than MaxPDU bytes: drop them.
			d.stats.Protocols[f.proto].Oversize++
			if !d.flushing {
				d.malformed(PDUTooLarge)
			}
			d.dropBuf(s)
			s.set(sGap, true)
			continue
		}
		chunk := p[:min(room, len(p))]
		p = p[len(chunk):]
		if !d.hold(f, dir, chunk, in) {
			continue
		}
		x := s.x
		x.off += d.splitLoop(f, dir, x.b, false, &x.in)
		if x.off == len(x.b) {
			d.dropBuf(s)
		}
	}
}

// hold appends chunk to the stream's Split buffer, taking or growing the
// buffer within the budget. When the budget cannot make room, the bytes
// buffered and chunk are dropped and hold returns false.
func (d *Decoder) hold(f *flow, dir int, chunk []byte, in *segInfo) bool {
	s := &f.dirs[dir]
	x := d.ext(f, dir)
	if x.off > 0 {
		n := copy(x.b, x.b[x.off:])
		x.b = x.b[:n]
		x.off = 0
	}
	if cap(x.b)-len(x.b) < len(chunk) {
		nb := d.mem.take(len(x.b)+len(chunk), &x.holder, d.dropHolder)
		if nb == nil {
			ps := &d.stats.Protocols[f.proto]
			ps.BudgetDrops++
			ps.BudgetDropBytes += uint64(len(x.b) + len(chunk))
			d.dropBuf(s)
			s.set(sGap, true)
			return false
		}
		nb = append(nb, x.b...)
		if cap(x.b) > 0 {
			d.mem.give(x.b)
			d.mem.touch(&x.holder)
		} else {
			d.mem.link(&x.holder)
		}
		x.b = nb
	} else {
		d.mem.touch(&x.holder)
	}
	x.b = append(x.b, chunk...)
	x.in = *in
	return true
}

// splitLoop cuts PDUs out of data with the flow's Split and delivers them;
// in is the segment that added the last bytes of data. It returns how many
// bytes were consumed; at EOF that is all of them.
func (d *Decoder) splitLoop(f *flow, dir int, data []byte, atEOF bool, in *segInfo) int {
	ps := &d.stats.Protocols[f.proto]
	s := &f.dirs[dir]
	splitFn := d.cfg.Split
	consumed := 0
	for len(data) > 0 {
		var adv int
		var tok []byte
		var err error
		if splitFn != nil {
			adv, tok, err = splitFn(f.proto, data, atEOF)
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
		d.streamPDU(f, dir, tok, in)
		s.flags &^= sGap
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
// PDUs flushed here), in the order of their last packets, and leaves the
// table; a flow idle for longer than the idle timeout at the time of the
// last packet ends with EndIdle. PDUs delivered here carry the frame number, time and link-layer
// facts of their last segment. Handler errors are counted in
// ProtoStats.HandlerErrors but do not change frames already counted.
// Decoding may go on after Flush: packets of a flow that was ended start a
// new one. Flush allocates nothing once its scratch list has grown to the
// number of flows.
func (d *Decoder) Flush() error {
	t := &d.flows
	d.order = d.order[:0]
	t.each(func(f *flow) {
		for dir := range f.dirs {
			s := &f.dirs[dir]
			if s.pending() > 0 || s.waiting() > 0 {
				d.order = append(d.order, flushItem{f, dir, int64(s.lastFrame())})
			}
		}
	})
	slices.SortStableFunc(d.order, cmpFlush)
	d.flushing = true
	d.frags.flush(&d.mem, &d.stats)
	for _, it := range d.order {
		d.finish(it.f, it.dir)
	}
	d.order = d.order[:0]
	t.each(func(f *flow) { d.order = append(d.order, flushItem{f, 0, f.lastNS}) })
	slices.SortStableFunc(d.order, cmpFlush)
	for _, it := range d.order {
		// A flow that has been idle too long ends as idle, as it would
		// have had the capture gone on.
		why := EndInput
		if d.idle > 0 && d.cur.ns-it.f.lastNS > d.idle {
			why = EndIdle
		}
		d.endFlow(it.f, why)
	}
	d.flushing = false
	clear(d.order)
	d.order = d.order[:0]
	return d.stopErr
}

// lastFrame is the frame of the last bytes waiting in the stream.
func (s *stream) lastFrame() int {
	f := 0
	if s.pending() > 0 {
		f = s.x.in.frame
	}
	for i := range s.waiting() {
		f = max(f, s.x.ooo.segs[i].in.frame)
	}
	return f
}

// flushItem is a stream direction (or a flow) to flush, and its sort key.
type flushItem struct {
	f   *flow
	dir int
	key int64
}

func cmpFlush(a, b flushItem) int {
	switch {
	case a.key < b.key:
		return -1
	case a.key > b.key:
		return 1
	}
	return int(a.f.id) - int(b.f.id)
}

// closedCache remembers where the streams of recently ended TCP flows
// (FIN, RST, idle, evicted) stopped, so that bytes sent again after the end
// (a FIN with data retransmitted, say) count as duplicates instead of
// starting a new flow. It is direct-mapped and small: a flow forgotten early is only a
// retransmission taken for new bytes.
type closedCache struct {
	e []closedEntry
}

// closedEntries is the size of the cache; closedFor how long an entry
// stands (capture time). Within it, a segment that ends at or below where
// the stream stopped (in sequence space, as for a live flow) is sent again.
const (
	closedEntries = 1024
	closedFor     = 120e9
)

type closedEntry struct {
	hash uint64
	key  flowKey
	next [2]uint32 // each direction's next sequence number at the end
	init [2]bool
	ns   int64
}

func (c *closedCache) remember(f *flow, ns int64) {
	if c.e == nil {
		c.e = make([]closedEntry, closedEntries)
	}
	e := &c.e[f.hash%closedEntries]
	*e = closedEntry{hash: f.hash, key: f.key, ns: ns}
	for i := range f.dirs {
		e.next[i], e.init[i] = f.dirs[i].nextSeq, f.dirs[i].has(sInit)
	}
}

// retransmitted reports whether n bytes at seq in direction dir of key lie
// below where the flow's stream stopped when it closed.
func (c *closedCache) retransmitted(h uint64, key *flowKey, dir int, seq uint32, n int, ns int64) bool {
	if c.e == nil {
		return false
	}
	e := &c.e[h%closedEntries]
	if e.hash != h || !e.key.eq(key) || !e.init[dir] || ns-e.ns > closedFor || ns < e.ns {
		return false
	}
	return int32(seq+uint32(n)-e.next[dir]) <= 0
}

func (c *closedCache) reset() { clear(c.e) }
