package pcapx

import (
	"math"
	"slices"
	"unsafe"
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

// Windows (see Streams in the package doc).
const (
	// unknownShift is the window scale assumed for a side whose SYN was
	// not seen, as Suricata assumes for connections picked up mid-stream:
	// the largest, so that no real segment looks out of window.
	unknownShift = 14
	// maxWindow is how far from a stream's next expected byte a segment
	// may lie when nothing is known of the window, and the most any window
	// allows: a quarter of the sequence space.
	maxWindow = 1 << 30
	// minWindow is the least room a window gives, however small the
	// receiver advertised it, so that a window probe or a segment sent
	// against a window update the capture missed is not out of window.
	minWindow = 1 << 16
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
// PDU, or segments waiting for a hole to fill) or a candidate must be kept,
// and given back when that is over, so that a stream direction costs 24
// bytes of its flow's record.
type stream struct {
	nextSeq uint32 // next expected sequence number
	// peerAck is the highest acknowledgment the other side sent for this
	// direction's bytes, and win the window it advertised with it, as sent
	// (valid if sAcked): bytes below peerAck that were never seen were
	// lost from the capture, not reordered, and the receiver takes bytes up
	// to peerAck + win scaled.
	peerAck uint32
	hist    uint32 // the direction's last record in the history, plus one; histNone or histCut: none
	win     uint16
	flags   sflags
	ws      uint8 // the window scale option of this side's SYN (if sWSOpt)
	x       *sbuf
}

// sflags are a stream direction's flags.
type sflags uint8

const (
	sInit    sflags = 1 << iota // nextSeq is known
	sSyn                        // this side's SYN was seen
	sClosed                     // FIN seen; data below nextSeq is a duplicate
	sGap                        // bytes were lost since the last PDU
	sAcked                      // peerAck and win are valid
	sWSOpt                      // this side's SYN had a window scale option, ws
	sResync                     // framing uses Resync until it delivers a PDU
	sOverlap                    // bytes sent again differed since the last PDU
)

func (s *stream) has(f sflags) bool { return s.flags&f != 0 }

// shift returns the window scale of the windows that side x sends, y
// being the other side: the shift x's SYN announced when both SYNs
// carried the option (RFC 7323), none when either SYN lacked it, and
// unknownShift when x's SYN was not seen.
func shift(x, y *stream) uint {
	switch {
	case x.flags&sSyn == 0:
		return unknownShift
	case x.flags&sWSOpt == 0 || y.flags&(sSyn|sWSOpt) == sSyn:
		return 0
	}
	return uint(x.ws)
}

// window returns the room the receiver r advertised for s's bytes: its
// last window, scaled, within [minWindow, maxWindow]; maxWindow when r sent
// no acknowledgment.
func window(s, r *stream) uint32 {
	if s.flags&sAcked == 0 {
		return maxWindow
	}
	return min(max(uint32(s.win)<<shift(r, s), minWindow), maxWindow)
}

// ahead returns how far beyond s's next expected byte a segment may start:
// the window, plus the bytes the receiver acknowledged that the capture did
// not show.
func ahead(s, r *stream) uint32 {
	w := window(s, r)
	if s.flags&sAcked != 0 {
		if e := int32(s.peerAck - s.nextSeq); e > 0 {
			w += uint32(e)
		}
	}
	return min(w, maxWindow)
}

// behind returns how far before s's next expected byte a segment may start
// and still be bytes sent again: the window, plus the bytes not yet
// acknowledged.
func behind(s, r *stream) uint32 {
	w := window(s, r)
	if s.flags&sAcked != 0 {
		if e := int32(s.nextSeq - s.peerAck); e > 0 {
			w += uint32(e)
		}
	}
	return min(w, maxWindow)
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
	if x := s.x; x != nil && cap(x.b) == 0 && x.ooo == nil && !x.candOK {
		d.mem.freeSbuf(x)
		s.x = nil
	}
}

// resetStream forgets a stream's state and gives its buffers back.
func (d *Decoder) resetStream(s *stream) {
	if s.x != nil {
		d.dropOOO(s)
		d.dropBuf(s)
		if s.x != nil {
			// A candidate kept it: it goes back too.
			s.x.candOK = false
			d.releaseExt(s)
		}
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
		x.b, x.off, x.last = nil, 0, 0
	}
	x.framedOK = false
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
		ps.Dropped[DropBudget] += uint64(s.x.ooo.bytes())
		d.dropOOO(s)
	} else {
		ps.Dropped[DropBudget] += uint64(s.pending())
		d.dropBuf(s)
	}
	s.flags |= sGap | sResync
}

// bytes is the number of bytes of the segments waiting.
func (o *oooState) bytes() int {
	n := 0
	for i := range o.n {
		n += int(o.segs[i].n)
	}
	return n
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
		d.finish(f, 0, 0, false)
		d.finish(f, 1, 0, false)
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

// tcp runs one TCP segment through its flow's stream assembly. Each
// decision (a new flow, a RST, a SYN, the acknowledgment, data in order,
// ahead, behind or out of window, a FIN) is taken in one place, by the
// policy Streams in the package doc describes.
func (d *Decoder) tcp(pk *parsed) {
	dir := 1
	if pk.toServer {
		dir = 0
	}
	n := len(pk.payload)
	syn := pk.flags&tcpSYN != 0
	rst := pk.flags&tcpRST != 0
	// flowAt, by hand: this is the path of every TCP packet.
	if d.sweepMore || d.cur.ns-d.sweepNS >= d.sweepTick {
		d.sweep()
	}
	f := d.flows.lookup(pk.hash, &pk.key)
	if f != nil && d.idle > 0 && d.cur.ns-f.lastNS > d.idle {
		d.endFlow(f, EndIdle)
		f = nil
	}
	if f == nil {
		ps := &d.stats.Protocols[pk.proto]
		switch {
		case rst || !(n > 0 || syn):
			ps.StreamBytes += uint64(n)
			ps.Dropped[DropControl] += uint64(n)
			d.skip(SkipNoPayload)
			return
		case n > 0 && !syn:
			e := d.closed.retransmitted(pk.hash, &pk.key, dir, pk.seq, n, d.cur.ns)
			if e == nil {
				break
			}
			// Bytes of a flow that ended a moment ago, sent again:
			// compared with the history as on a live flow.
			d.curClass = Decoded
			ps.Duplicates++
			ps.StreamBytes += uint64(n)
			d.compare(ps, e.own<<1|uint32(dir), e.hist[dir], e.next[dir], pk.seq, pk.payload)
			return
		}
		if f = d.newFlow(pk.hash, &pk.key, pk.proto); f == nil {
			ps.StreamBytes += uint64(n)
			ps.Dropped[DropRefused] += uint64(n)
			if n > 0 {
				d.malformed(FlowTableFull)
			} else {
				d.skip(SkipNoPayload)
			}
			return
		}
	}
	f.lastNS = d.cur.ns
	f.seen |= 1 << dir
	ps := &d.stats.Protocols[f.proto]
	ps.StreamBytes += uint64(n)
	if n == 0 {
		d.skip(SkipNoPayload)
	}
	if rst {
		d.rst(f, dir, pk)
		return
	}
	s := &f.dirs[dir]
	seq := pk.seq
	if syn {
		if !d.syn(f, dir, pk) {
			if n > 0 {
				d.curClass = Decoded
				ps.Dropped[DropControl] += uint64(n)
			}
			return
		}
		seq++
	}
	if pk.flags&tcpACK != 0 {
		if o := &f.dirs[(dir^1)&1]; o.flags&sAcked != 0 && int32(pk.ack-o.peerAck) >= 0 && int32(pk.ack-o.nextSeq) <= 0 && !syn && o.hist&7 == 1 && o.x == nil {
			// The common case, which ack decides the same way: an
			// acknowledgment of bytes seen, no older than the last, on a
			// stream with bytes taken and nothing waiting.
			o.peerAck, o.win = pk.ack, pk.win
		} else {
			d.ack(f, dir, pk)
		}
	}
	if s.flags&sInit == 0 {
		// Pickup in the middle of a connection.
		s.flags |= sInit | sResync
		s.nextSeq = seq
	}
	ok := true
	if n > 0 {
		d.curClass = Decoded
		if seq == s.nextSeq && s.x == nil {
			// In order, nothing waiting: the common case, as take.
			s.flags &^= sClosed
			s.nextSeq += uint32(n)
			if d.hist.buf == nil {
				d.hist.init(d.histSize)
			}
			s.hist = d.hist.add(owner(f, dir), s.hist, seq, pk.payload)
			// Nothing buffered (s.x is nil): split straight from the
			// packet, as feed would.
			if k := d.splitFast(f, dir, pk.payload, seq); k < n {
				d.hold(f, dir, seq+uint32(k), pk.payload[k:], &d.cur)
			}
		} else {
			ok = d.segment(f, dir, seq, pk.payload)
		}
	} else if s.x != nil && s.x.candOK {
		d.confirm(f, dir, seq)
	}
	if ok && pk.flags&tcpFIN != 0 && !s.has(sClosed) {
		d.fin(f, dir, seq+uint32(n))
	}
}

// rst decides on a RST from direction dir. It is honoured only when its
// sequence number is exactly the next the receiver expects (RFC 5961): the
// next byte the capture expects of the sender, or the receiver's own
// acknowledgment when it acknowledged bytes the capture did not see, or,
// after the sender's FIN, the FIN's own number. A sender that never sent
// anything must use the other side's last acknowledgment as its sequence
// number, or acknowledge exactly what the other side sent (RFC 793's
// reset in answer to a segment). Anything else is counted and changes
// nothing.
func (d *Decoder) rst(f *flow, dir int, pk *parsed) {
	s, r := &f.dirs[dir], &f.dirs[1-dir]
	ps := &d.stats.Protocols[f.proto]
	ps.Dropped[DropControl] += uint64(len(pk.payload))
	d.skip(SkipNoPayload)
	seq := pk.seq
	var ok bool
	switch {
	case s.has(sInit):
		ok = seq == s.nextSeq ||
			s.has(sAcked) && seq == s.peerAck && int32(s.peerAck-s.nextSeq) > 0 ||
			s.has(sClosed) && seq == s.nextSeq-1
	case !r.has(sInit):
		ok = true // no byte either way: a reset takes nothing
	default:
		// RFC 793: a reset answering a segment takes its sequence
		// number from that segment's acknowledgment, or acknowledges it.
		ok = s.has(sAcked) && seq == s.peerAck || pk.flags&tcpACK != 0 && pk.ack == r.nextSeq
	}
	if !ok {
		ps.Anomalies[RSTIgnored]++
		return
	}
	if s.has(sInit) && int32(seq-s.nextSeq) > 0 {
		// The bytes before the reset were lost.
		ps.Anomalies[GapAtEnd]++
		d.gap(f, dir, seq)
	}
	if pk.flags&tcpACK != 0 {
		d.ack(f, dir, pk)
	}
	d.endFlow(f, EndRST)
}

// syn decides on a SYN from direction dir and reports whether the segment
// goes on: its stream starts at its sequence number (a stream's first SYN,
// a new connection after this side's FIN, or one the other side's SYN-ACK
// confirms), or it is the same SYN again. A SYN on a live stream is
// otherwise ignored (RFC 5961) and becomes the stream's candidate: the
// stream restarts there if the next segment starts right after it or the
// other side acknowledges it with a SYN-ACK.
func (d *Decoder) syn(f *flow, dir int, pk *parsed) bool {
	s, r := &f.dirs[dir], &f.dirs[1-dir]
	ps := &d.stats.Protocols[f.proto]
	seq := pk.seq
	if pk.flags&tcpACK != 0 && r.x != nil && r.x.candOK && r.x.candSYN && pk.ack == r.x.cand {
		// The answer to the other side's ignored SYN: a new connection
		// on the same ports, both ways (or the real one, after a SYN
		// that came first).
		ps.Anomalies[SYNConfirmed]++
		d.restart(f, 1-dir, r.x.cand-1, r.x.candWS)
		d.restart(f, dir, seq, pk.wscale)
		r.hist, s.hist = histSynOK, histSynOK
		return true
	}
	switch {
	case !s.has(sInit) || s.has(sClosed):
	case seq+1 == s.nextSeq:
		return true // the same SYN again, before any byte
	case s.hist != histNone && s.hist != histSynOK && int32(seq+1-s.nextSeq) < 0 && s.nextSeq-seq-1 <= behind(s, r):
		return false // an old SYN sent again after bytes that followed it
	default:
		ps.Anomalies[SYNIgnored]++
		d.candidate(f, dir, seq+1, true, pk.wscale)
		return false
	}
	d.restart(f, dir, seq, pk.wscale)
	if pk.flags&tcpACK != 0 && r.has(sInit) && pk.ack == r.nextSeq {
		// A SYN-ACK answering the other side's SYN: this stream's.
		s.hist = histSynOK
	}
	return true
}

// restart starts direction dir's stream afresh at a SYN with sequence
// number isn and window scale option ws (plus one; 0: none); bytes of the old
// stream still waiting are framed first, as at its end.
func (d *Decoder) restart(f *flow, dir int, isn uint32, ws uint8) {
	s := &f.dirs[dir]
	if s.pending() > 0 || s.waiting() > 0 {
		d.finish(f, dir, 0, false)
	}
	d.resetStream(s)
	s.flags = sInit | sSyn
	s.nextSeq = isn + 1
	if ws > 0 {
		s.flags |= sWSOpt
		s.ws = ws - 1
	}
}

// candidate keeps, for direction dir, where a segment that was not taken
// says the stream may have moved: right after an ignored SYN (syn, with its
// window scale option ws), or right after an out-of-window segment.
func (d *Decoder) candidate(f *flow, dir int, at uint32, syn bool, ws uint8) {
	x := d.ext(f, dir)
	x.cand, x.candOK, x.candSYN, x.candWS = at, true, syn, ws
}

// confirm acts on a segment at seq of a stream direction with a candidate:
// one that starts at the candidate confirms it (the stream restarts there
// after an ignored SYN, or moves there after an out-of-window segment: a
// relocation, after a gap of unknown size); one that starts at the next
// expected byte shows that the stream goes on, and the candidate is
// dropped.
func (d *Decoder) confirm(f *flow, dir int, seq uint32) {
	s := &f.dirs[dir]
	x := s.x
	ps := &d.stats.Protocols[f.proto]
	switch {
	case seq == s.nextSeq:
		x.candOK = false
		d.releaseExt(s)
	case seq == x.cand && x.candSYN:
		ps.Anomalies[SYNConfirmed]++
		d.restart(f, dir, seq-1, x.candWS)
	case seq == x.cand:
		x.candOK = false
		ps.Anomalies[Relocated]++
		ps.Dropped[DropGap] += uint64(s.pending())
		d.dropBuf(s)
		ps.Gaps++
		s.nextSeq = seq
		s.hist = histCut
		s.flags |= sGap | sResync
		d.releaseExt(s)
	}
}

// fin ends direction dir's stream at a FIN whose sequence number is at. A
// FIN before bytes already taken, or far beyond the window, is ignored;
// bytes between the stream's end and the FIN were lost (a gap at the end).
func (d *Decoder) fin(f *flow, dir int, at uint32) {
	s, r := &f.dirs[dir], &f.dirs[1-dir]
	if diff := int32(at - s.nextSeq); diff < 0 || uint32(diff) > ahead(s, r) {
		d.stats.Protocols[f.proto].Anomalies[FINIgnored]++
		return
	}
	d.finish(f, dir, at, true)
	s.flags |= sClosed
	s.nextSeq = at + 1
	if r.has(sClosed) {
		d.endFlow(f, EndFIN)
	}
}

// take takes the bytes p, at the stream's next expected sequence number,
// into direction dir's stream: they are kept in the history and given to
// Split. in is the segment they came in.
func (d *Decoder) take(f *flow, dir int, p []byte, in *segInfo) {
	s := &f.dirs[dir&1]
	seq := s.nextSeq
	s.nextSeq += uint32(len(p))
	if d.hist.buf == nil {
		d.hist.init(d.histSize)
	}
	s.hist = d.hist.add(owner(f, dir), s.hist, seq, p)
	d.feed(f, dir, seq, p, in)
}

// segment adds the bytes of one segment of the current packet at sequence
// number seq to a stream that is not in the fast path (the segment is not
// the next in order, or the stream has bytes waiting or a candidate). It
// reports whether the segment was within the window.
func (d *Decoder) segment(f *flow, dir int, seq uint32, payload []byte) bool {
	s, r := &f.dirs[dir], &f.dirs[1-dir]
	ps := &d.stats.Protocols[f.proto]
	if s.x != nil && s.x.candOK {
		d.confirm(f, dir, seq)
	}
	if s.hist == histNone && s.flags&sSyn != 0 && seq != s.nextSeq && s.pending() == 0 && s.waiting() == 0 {
		// The first bytes after a SYN that nothing confirmed (it was no
		// SYN-ACK answering the other side's SYN, and the other side
		// did not acknowledge exactly it) are elsewhere: the SYN was
		// not this stream's. Start over at them, as at a pickup
		// mid-stream.
		ps.Anomalies[SYNIgnored]++
		s.flags = s.flags&^(sSyn|sWSOpt|sClosed) | sResync
		s.nextSeq = seq
	}
	for {
		diff := int32(seq - s.nextSeq)
		if diff <= 0 {
			if diff < 0 {
				back := uint32(-diff)
				switch {
				case back > behind(s, r):
					d.outOfWindow(f, dir, seq, payload)
					return false
				case back == 1 && len(payload) <= 1:
					// A keep-alive: one byte before the next, which
					// need not be the byte sent.
					ps.Duplicates++
					ps.Dropped[DropKeepAlive] += uint64(len(payload))
					return true
				}
				old := payload[:min(int(back), len(payload))]
				d.overlap(f, dir, seq, old)
				if int(back) >= len(payload) {
					ps.Duplicates++
					return true
				}
				payload = payload[back:]
			}
			// New bytes after FIN: the ports were reused without a
			// SYN we saw.
			s.flags &^= sClosed
			d.take(f, dir, payload, &d.cur)
			if s.waiting() > 0 {
				d.drainOOO(f, dir)
			}
			return true
		}
		if uint32(diff) > ahead(s, r) {
			d.outOfWindow(f, dir, seq, payload)
			return false
		}
		lost := s.has(sAcked) && int32(s.peerAck-s.nextSeq) > 0
		if !lost && d.queueOOO(f, dir, seq, payload) {
			return true
		}
		// No room to wait for the hole: declare it lost.
		target := seq
		if s.waiting() > 0 {
			if m := s.x.ooo.minPending(); int32(m-seq) < 0 {
				target = m
			}
		}
		d.gap(f, dir, target)
		d.drainOOO(f, dir)
	}
}

// overlap drops the bytes b at seq, which direction dir's stream has gone
// past already: they count as duplicates, or, when they differ from the
// copy the history kept, as a differing overlap (the first copy wins), or,
// as far as the history holds no copy, as uncompared. After a differing
// overlap the first copy is in doubt (an attacker's bytes that came first
// can carry a header whose length shifts the framing onto real bytes): if
// a PDU is in progress, framing uses Resync until it delivers a PDU, from
// the first PDU buffered that reaches the bytes sent again (PDUs that end
// before them are cut as before). With none in progress, the PDUs cut
// from the first copy end where the stream is, and framing goes on.
func (d *Decoder) overlap(f *flow, dir int, seq uint32, b []byte) {
	s := &f.dirs[dir]
	if d.compare(&d.stats.Protocols[f.proto], owner(f, dir), s.hist, s.nextSeq, seq, b) {
		s.flags |= sOverlap
		if x := s.x; x != nil && s.pending() > 0 {
			if s.flags&sResync == 0 && (!x.framedOK || int32(seq-x.framed) < 0) {
				x.framed, x.framedOK = seq, true
			}
			s.flags |= sResync
		}
	}
}

// compare counts the bytes b at seq, sent again on the stream direction
// named own whose last record is ref and whose next byte is end, by the
// verdict of the history, and reports whether they differed.
func (d *Decoder) compare(ps *ProtoStats, own, ref, end, seq uint32, b []byte) bool {
	diff, compared := d.hist.differs(own, ref, end, seq, b)
	if diff {
		ps.Anomalies[OverlapDiffers]++
		ps.Dropped[DropOverlap] += uint64(len(b))
		return true
	}
	ps.Dropped[DropDuplicate] += uint64(compared)
	ps.Dropped[DropUncompared] += uint64(len(b) - compared)
	return false
}

// outOfWindow drops a segment far outside its stream's window, keeping
// where it ends as the stream's candidate: a second such segment that
// continues it moves the stream there (see confirm).
func (d *Decoder) outOfWindow(f *flow, dir int, seq uint32, payload []byte) {
	ps := &d.stats.Protocols[f.proto]
	ps.Anomalies[OutOfWindow]++
	ps.Dropped[DropOutOfWindow] += uint64(len(payload))
	d.candidate(f, dir, seq+uint32(len(payload)), false, 0)
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

// ack takes the acknowledgment and window of a segment from direction dir
// for the other direction's bytes. An acknowledgment older than the last,
// or far beyond anything the other side can have sent, is left out. When
// it covers bytes never seen while segments wait out of order, the hole
// was lost from the capture: it becomes a gap at once.
func (d *Decoder) ack(f *flow, dir int, pk *parsed) {
	s, r := &f.dirs[(dir^1)&1], &f.dirs[dir&1]
	a := pk.ack
	if s.flags&sAcked != 0 && int32(a-s.peerAck) < 0 {
		return
	}
	if s.flags&sInit != 0 {
		if e := int32(a - s.nextSeq); e > 0 && uint32(e) > ahead(s, r) {
			return
		}
	}
	w := pk.win
	if pk.flags&tcpSYN != 0 {
		// A SYN's window is never scaled: keep it as the later,
		// scaled windows would give it.
		sh := shift(r, s)
		w = uint16((uint32(w) + 1<<sh - 1) >> sh)
	}
	s.peerAck, s.win = a, w
	s.flags |= sAcked
	if s.hist == histNone && s.flags&sSyn != 0 && a == s.nextSeq {
		// The other side acknowledged exactly this side's SYN.
		s.hist = histSynOK
	}
	if s.x != nil {
		d.ackLost(f, 1-dir)
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
			d.gap(f, dir, m)
		}
		d.drainOOO(f, dir)
	}
}

// gap moves a stream over lost bytes to target: the partial PDU buffered
// is dropped (the bytes that would complete it were lost), the bytes
// skipped are counted missing, and framing resyncs.
func (d *Decoder) gap(f *flow, dir int, target uint32) {
	s := &f.dirs[dir]
	ps := &d.stats.Protocols[f.proto]
	if s.pending() > 0 && s.has(sResync) {
		d.beforeGap(f, dir)
	}
	ps.Dropped[DropGap] += uint64(s.pending())
	d.dropBuf(s)
	if e := int32(target - s.nextSeq); e > 0 {
		ps.MissingBytes += uint64(e)
	}
	s.nextSeq = target
	if s.hist&7 != 1 {
		s.hist = histCut
	}
	s.flags |= sGap | sResync
	ps.Gaps++
}

// beforeGap frames the bytes buffered before a gap in a stream that is
// resyncing: Resync may have been waiting for a byte after a PDU to accept
// it (IEC 104's does), and none will come. What Resync returns with atEOF
// set is delivered if Split takes it whole without asking for more, that
// is, if it is a complete PDU; the rest is left to be dropped.
func (d *Decoder) beforeGap(f *flow, dir int) {
	s := &f.dirs[dir]
	ps := &d.stats.Protocols[f.proto]
	x := s.x
	for x.off < len(x.b) {
		data := x.b[x.off:]
		adv, tok, err := d.cut(f.proto, s.flags&sResync != 0, data, true)
		if err != nil || adv <= 0 || adv > len(data) {
			return
		}
		if len(tok) == 0 {
			ps.Dropped[DropResync] += uint64(adv)
			x.off += adv
			continue
		}
		if !d.whole(f.proto, tok) {
			return
		}
		d.streamPDU(f, dir, tok, s.nextSeq-uint32(len(data)-within(data, tok)), &x.in)
		s.flags &^= sGap | sResync | sOverlap
		skipped := min(within(data, tok), adv)
		ps.Dropped[DropResync] += uint64(skipped)
		ps.StreamPDUBytes += uint64(adv - skipped)
		d.deliver(ps, !d.flushing)
		x.off += adv
	}
}

// whole reports whether Split takes tok as one complete PDU, without
// asking for more.
func (d *Decoder) whole(p Protocol, tok []byte) bool {
	n, t, err := d.cut(p, false, tok, false)
	return err == nil && n == len(tok) && len(t) == len(tok)
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
			if trim := int(-diff); trim > 0 {
				d.overlap(f, dir, e.seq, data[:min(trim, len(data))])
				if trim >= len(data) {
					d.stats.Protocols[f.proto].Duplicates++
					data = nil
				} else {
					data = data[trim:]
				}
			}
			if len(data) > 0 {
				d.take(f, dir, data, &e.in)
			}
			progress = true
			break
		}
	}
	d.releaseOOO(s)
}

// finish ends a stream direction: segments still waiting for a hole are
// fed after a gap; bytes that the end says were sent and never seen make a
// gap at the end (the end is at, a FIN's or RST's sequence number, when
// known, else the receiver's acknowledgment); then Split sees the buffered
// bytes with atEOF set.
func (d *Decoder) finish(f *flow, dir int, at uint32, known bool) {
	s, r := &f.dirs[dir], &f.dirs[1-dir]
	for s.waiting() > 0 {
		d.gap(f, dir, s.x.ooo.minPending())
		d.drainOOO(f, dir)
	}
	d.releaseOOO(s)
	if !known && s.has(sAcked) {
		at, known = s.peerAck, true
	}
	if e := int32(at - s.nextSeq); known && s.has(sInit) && e > 0 && uint32(e) <= ahead(s, r) {
		d.stats.Protocols[f.proto].Anomalies[GapAtEnd]++
		d.gap(f, dir, at)
	}
	if n := s.pending(); n > 0 {
		x := s.x
		d.splitLoop(f, dir, x.b[x.off:], s.nextSeq-uint32(n), true, &x.in)
	}
	d.dropBuf(s)
}

// feed appends new in-order bytes p, at sequence number seq, to a stream
// and lets Split cut PDUs; in is the segment they came in.
func (d *Decoder) feed(f *flow, dir int, seq uint32, p []byte, in *segInfo) {
	s := &f.dirs[dir]
	if s.pending() == 0 {
		// Nothing buffered: split straight from the packet.
		n := d.splitLoop(f, dir, p, seq, false, in)
		p = p[n:]
		seq += uint32(n)
	}
	if len(p) > 0 {
		d.hold(f, dir, seq, p, in)
	}
}

// hold buffers the bytes p at seq, which Split could not cut a PDU from
// alone, and splits PDUs out of the buffer, MaxPDU bytes at a time.
func (d *Decoder) hold(f *flow, dir int, seq uint32, p []byte, in *segInfo) {
	s := &f.dirs[dir]
	for len(p) > 0 {
		room := d.maxPDU - s.pending()
		if room <= 0 {
			// Split wants more than MaxPDU bytes: drop them.
			ps := &d.stats.Protocols[f.proto]
			ps.Oversize++
			ps.Dropped[DropOversize] += uint64(s.pending())
			if !d.flushing {
				d.malformed(PDUTooLarge)
			}
			d.dropBuf(s)
			s.flags |= sGap | sResync
			continue
		}
		chunk := p[:min(room, len(p))]
		p = p[len(chunk):]
		seq += uint32(len(chunk))
		if !d.bufferChunk(f, dir, chunk, in) {
			continue
		}
		x := s.x
		x.off += d.splitLoop(f, dir, x.b, seq-uint32(len(x.b)), false, &x.in)
		if x.off == len(x.b) {
			d.dropBuf(s)
		}
	}
}

// bufferChunk appends chunk to the stream's Split buffer, taking or
// growing the buffer within the budget. When the budget cannot make room,
// the bytes buffered and chunk are dropped and bufferChunk returns false.
func (d *Decoder) bufferChunk(f *flow, dir int, chunk []byte, in *segInfo) bool {
	s := &f.dirs[dir]
	x := d.ext(f, dir)
	if x.off > 0 {
		n := copy(x.b, x.b[x.off:])
		x.b = x.b[:n]
		x.last = max(x.last-x.off, 0)
		x.off = 0
	}
	if cap(x.b)-len(x.b) < len(chunk) {
		nb := d.mem.take(len(x.b)+len(chunk), &x.holder, d.dropHolder)
		if nb == nil {
			ps := &d.stats.Protocols[f.proto]
			ps.BudgetDrops++
			ps.Dropped[DropBudget] += uint64(len(x.b) + len(chunk))
			d.dropBuf(s)
			s.flags |= sGap | sResync
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
	if x.in.frame != in.frame {
		x.inPrev, x.last = x.in, len(x.b)
	}
	x.b = append(x.b, chunk...)
	x.in = *in
	return true
}

// splitFast is splitLoop for tcp's in-order path (nothing buffered, data
// from the current packet), in its common case: in sync, with the
// protocol's own Split, each token a PDU at the front of the bytes left.
// It delivers such PDUs as splitLoop would, with fewer values live across
// its calls, and hands the rest to splitLoop at the first that is not.
func (d *Decoder) splitFast(f *flow, dir int, data []byte, seq uint32) int {
	s := &f.dirs[dir]
	consumed := 0
	for len(data) > 0 && s.flags&sResync == 0 && d.cfg.Split == nil {
		adv, tok, err := split(f.proto, data, false)
		if err != nil || adv <= 0 || adv > len(data) || len(tok) == 0 || unsafe.SliceData(tok) != unsafe.SliceData(data) {
			break
		}
		// streamPDU, by hand, for a PDU whose last bytes are the current
		// packet's.
		p := &d.pdu
		if d.pduFlow != f {
			d.setFlow(f)
		}
		if d.pduDir != dir {
			d.setDir(dir)
		}
		p.Seq = seq + uint32(consumed)
		p.Overlap, p.Gap = s.has(sOverlap), s.has(sGap)
		p.Frame, p.Time = d.frame, d.curTS
		p.Data = tok
		p.State = &f.state
		p.setLink(&d.cur.link)
		s.flags &^= sGap | sResync | sOverlap
		ps := &d.stats.Protocols[f.proto]
		ps.StreamPDUBytes += uint64(adv)
		// deliver, by hand: this is the path of most stream PDUs.
		ps.PDUs++
		ps.Bytes += uint64(len(tok))
		if h := d.cfg.Handler; h != nil && d.stopErr == nil {
			if err := h(&d.pdu); err != nil {
				d.handlerError(ps, err, !d.flushing)
			}
		}
		data = data[adv:]
		consumed += adv
	}
	if len(data) == 0 {
		return consumed
	}
	return consumed + d.splitLoop(f, dir, data, seq+uint32(consumed), false, &d.cur)
}

// splitLoop cuts PDUs out of data, whose first byte has sequence number
// seq, with the flow's Split (or Resync, after a gap or at a pickup
// mid-stream, until it delivers a PDU) and delivers them; in is the segment
// that added the last bytes of data. It returns how many bytes were
// consumed; at EOF that is all of them.
func (d *Decoder) splitLoop(f *flow, dir int, data []byte, seq uint32, atEOF bool, in *segInfo) int {
	ps := &d.stats.Protocols[f.proto]
	s := &f.dirs[dir]
	consumed := 0
	for len(data) > 0 {
		resync := s.flags&sResync != 0
		var adv int
		var tok []byte
		var err error
		framed := false // a PDU that ends before bytes sent again that differed
		if resync && s.x != nil && s.x.framedOK {
			adv, tok, err = d.cut(f.proto, false, data, atEOF)
			end := seq + uint32(consumed+within(data, tok)+len(tok))
			if framed = err == nil && len(tok) > 0 && adv > 0 && adv <= len(data) && int32(s.x.framed-end) >= 0; !framed {
				s.x.framedOK = false
			}
		}
		switch {
		case framed:
		case !resync && d.cfg.Split == nil:
			// In sync, with the protocol's own Split: the common case.
			adv, tok, err = split(f.proto, data, atEOF)
		default:
			adv, tok, err = d.cut(f.proto, resync, data, atEOF)
		}
		if resync && !atEOF && err == nil && adv == 0 && len(tok) == 0 {
			// Resync waits for what follows to be convinced. The end of
			// the bytes so far is the end of a segment, and a sender
			// ends its segments at the end of a PDU: a PDU that Resync
			// takes when the stream ends there, and that Split takes
			// whole, is taken now.
			if a, t, e := d.cut(f.proto, true, data, true); e == nil && a > 0 && a <= len(data) && len(t) > 0 && d.whole(f.proto, t) {
				adv, tok = a, t
			}
		}
		if err != nil || adv < 0 || adv > len(data) {
			ps.SplitErrors++
			if !d.flushing {
				d.malformed(SplitError)
			}
			if adv <= 0 || adv > len(data) {
				adv = 1
			}
			ps.Dropped[DropResync] += uint64(adv)
			data = data[adv:]
			consumed += adv
			continue
		}
		if len(tok) == 0 {
			if adv == 0 {
				break
			}
			ps.Dropped[DropResync] += uint64(adv)
			data = data[adv:]
			consumed += adv
			continue
		}
		if adv == 0 {
			// A token without advance: take it as the last one.
			adv = len(data)
		}
		at := consumed + within(data, tok)
		from := in
		if x := s.x; x != nil && in == &x.in && unsafe.SliceData(data) == unsafe.SliceData(x.b) && at+len(tok) <= x.last {
			// The token ended before the last segment's bytes.
			from = &x.inPrev
		}
		d.streamPDU(f, dir, tok, seq+uint32(at), from)
		if !framed {
			s.flags &^= sGap | sResync | sOverlap
		}
		if skipped := min(at-consumed, adv); skipped > 0 {
			ps.Dropped[DropResync] += uint64(skipped)
			ps.StreamPDUBytes += uint64(adv - skipped)
		} else {
			ps.StreamPDUBytes += uint64(adv)
		}
		d.deliver(ps, !d.flushing)
		data = data[adv:]
		consumed += adv
	}
	if atEOF && len(data) > 0 {
		ps.Dropped[DropResync] += uint64(len(data))
		consumed += len(data)
	}
	return consumed
}

// cut calls the Split (or, with resync, the Resync) that frames protocol
// p: Config's if set, else the protocol's own.
func (d *Decoder) cut(p Protocol, resync bool, data []byte, atEOF bool) (int, []byte, error) {
	switch {
	case resync && d.cfg.Resync != nil:
		return d.cfg.Resync(p, data, atEOF)
	case d.cfg.Split != nil:
		return d.cfg.Split(p, data, atEOF)
	case resync:
		return resyncFor(p, data, atEOF)
	}
	return split(p, data, atEOF)
}

// within returns the offset of tok in data, or 0 when tok does not view
// data.
func within(data, tok []byte) int {
	off := uintptr(unsafe.Pointer(unsafe.SliceData(tok))) - uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	if off >= uintptr(len(data)) {
		return 0
	}
	return int(off)
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
		d.finish(it.f, it.dir, 0, false)
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
	hist [2]uint32 // each direction's last record in the history
	own  uint32    // the flow's record id, for the history
	init [2]bool
	ns   int64
}

func (c *closedCache) remember(f *flow, ns int64) {
	if c.e == nil {
		c.e = make([]closedEntry, closedEntries)
	}
	e := &c.e[f.hash%closedEntries]
	*e = closedEntry{hash: f.hash, key: f.key, own: f.id, ns: ns}
	for i := range f.dirs {
		e.next[i], e.init[i], e.hist[i] = f.dirs[i].nextSeq, f.dirs[i].has(sInit), f.dirs[i].hist
	}
}

// retransmitted returns the entry of key if n bytes at seq in direction
// dir lie below where the flow's stream stopped when it closed, else nil.
func (c *closedCache) retransmitted(h uint64, key *flowKey, dir int, seq uint32, n int, ns int64) *closedEntry {
	if c.e == nil {
		return nil
	}
	e := &c.e[h%closedEntries]
	if e.hash != h || !e.key.eq(key) || !e.init[dir] || ns-e.ns > closedFor || ns < e.ns {
		return nil
	}
	if int32(seq+uint32(n)-e.next[dir]) > 0 {
		return nil
	}
	return e
}

func (c *closedCache) reset() { clear(c.e) }
