package fuzz

import (
	"bytes"
	"os"
	"strings"

	"github.com/icsdissect/icsdissect/pcapx"
)

// Checks turns on adversarial checks beyond those that always run (PDUs
// before the damage, reassembly as documented). ChecksFromEnv gives all
// three (Resync, Spoof and Inject), which hold.
type Checks struct {
	// Resync: after a gap (a lost or late segment), every real, valid PDU
	// whose bytes arrived intact is delivered, and no token that is not a
	// real PDU decodes as valid. It needs pcapx to frame with the
	// protocol's Resync after a gap, and Resync to find the first PDU
	// after the damage without phantoms.
	Resync bool
	// Spoof: a SYN or RST that a receiver would not accept (RFC 5961: a
	// RST whose sequence number is not exactly the next expected one; a
	// SYN on a synchronized connection, other than a retransmission of
	// its first SYN) changes nothing: every PDU is delivered as without
	// it. It needs pcapx to ignore spoofed SYN and RST segments.
	Spoof bool
	// Inject: after bytes an attacker put inside the stream (a bogus
	// header, or an overlapping retransmission whose bytes differ and
	// arrived first), every real, valid PDU whose bytes arrived intact is
	// delivered, unless a valid PDU starting in the attacker's bytes
	// covers it, and no token that starts in real bytes and is not a real
	// PDU decodes as valid. It needs each protocol's Split to skip a header
	// whose length the bytes behind it cannot back (doc/grammar.md).
	Inject bool
}

// StrictEnv is the environment variable that sets the adversarial checks:
// a comma-separated list of "resync", "spoof", "inject", "all", or "none".
// Unset or empty, every check is on.
const StrictEnv = "ICSDISSECT_FUZZ_STRICT"

// ChecksFromEnv returns the Checks that StrictEnv sets: all of them when
// it is unset or empty.
func ChecksFromEnv() Checks {
	env := strings.TrimSpace(os.Getenv(StrictEnv))
	if env == "" {
		return Checks{Resync: true, Spoof: true, Inject: true}
	}
	var c Checks
	for _, w := range strings.Split(env, ",") {
		switch strings.TrimSpace(w) {
		case "all":
			c = Checks{Resync: true, Spoof: true, Inject: true}
		case "resync":
			c.Resync = true
		case "spoof":
			c.Spoof = true
		case "inject":
			c.Inject = true
		}
	}
	return c
}

// Failure categories of the adversarial target, which say which Checks
// field enables them ("" for the checks that always run).
const (
	catBefore = "before the damage"
	catGap    = "after a gap"
	catInject = "after injected bytes"
	catSpoof  = "after a spoofed SYN or RST"
)

func (c Checks) enabled(cat string) bool {
	switch cat {
	case catGap:
		return c.Resync
	case catInject:
		return c.Inject
	case catSpoof:
		return c.Spoof
	}
	return true
}

// wstream is one direction's stream as sent: the clean bytes with bogus
// headers inserted, each byte's clean offset (-1 for inserted bytes), and
// where each record (PDU) starts in it.
type wstream struct {
	data     []byte
	origin   []int
	recStart []int
	recLen   []int
	recIndex []int // each record's index in the conversation
}

// intact reports whether byte v at stream position w is the clean byte.
func (s *wstream) intact(w int, v byte) bool {
	return w >= 0 && w < len(s.data) && s.origin[w] >= 0 && s.data[w] == v
}

// apkt is one packet of the damaged conversation.
type apkt struct {
	toServer bool
	flags    uint8
	w        int // stream position of the payload (data) or of the next data (control)
	seq      uint32
	payload  []byte
	anchor   int // conversation record the packet goes with
	n        int // a record segment's length, until its payload is set
	ctrl     bool
	op       Op
}

// isn returns a direction's initial sequence number.
func isn(toServer bool) uint32 {
	if toServer {
		return clientISN
	}
	return serverISN
}

// build applies d to c and returns the two streams (index 0 toward the
// server) and the packets, in the order sent.
func build(c *Conversation, d *Damage) (streams [2]wstream, pkts []apkt) {
	damaged := !d.ToClient
	dirIdx := func(toServer bool) int {
		if toServer {
			return 0
		}
		return 1
	}
	// Bogus headers, by record of the damaged direction.
	var nrec int
	for _, r := range c.Records {
		if r.ToServer == damaged {
			nrec++
		}
	}
	bogus := make([][][]byte, nrec)
	for _, op := range d.Ops {
		if op.Kind == OpBogus && nrec > 0 && len(op.Bytes) > 0 {
			k := op.Rec % nrec
			bogus[k] = append(bogus[k], op.Bytes)
		}
	}
	// The streams, and the initial segments of the damaged direction: each
	// bogus header, then each record (whose payload views the stream once
	// it is complete).
	var segs []apkt
	var cleanLen [2]int
	k := 0
	for i, r := range c.Records {
		di := dirIdx(r.ToServer)
		s := &streams[di]
		if r.ToServer == damaged {
			for _, b := range bogus[k] {
				segs = append(segs, apkt{toServer: damaged, w: len(s.data), payload: b, anchor: i})
				s.data = append(s.data, b...)
				for range b {
					s.origin = append(s.origin, -1)
				}
			}
			k++
		}
		s.recStart = append(s.recStart, len(s.data))
		s.recLen = append(s.recLen, len(r.Data))
		s.recIndex = append(s.recIndex, i)
		if r.ToServer == damaged && len(r.Data) > 0 {
			segs = append(segs, apkt{toServer: damaged, w: len(s.data), n: len(r.Data), anchor: i})
		}
		s.data = append(s.data, r.Data...)
		for j := range r.Data {
			s.origin = append(s.origin, cleanLen[di]+j)
		}
		cleanLen[di] += len(r.Data)
	}
	ws := &streams[dirIdx(damaged)]
	for i := range segs {
		if segs[i].payload == nil {
			segs[i].payload = ws.data[segs[i].w : segs[i].w+segs[i].n]
		}
	}
	// The other operations.
	dataAt := func(n int) int {
		count := 0
		for _, s := range segs {
			if !s.ctrl {
				count++
			}
		}
		if count == 0 {
			return -1
		}
		n %= count
		for i, s := range segs {
			if !s.ctrl {
				if n == 0 {
					return i
				}
				n--
			}
		}
		return -1
	}
	for _, op := range d.Ops {
		i := dataAt(op.Seg)
		switch op.Kind {
		case OpSplit:
			if i < 0 || len(segs[i].payload) < 2 {
				continue
			}
			s := segs[i]
			at := 1 + op.At%(len(s.payload)-1)
			a, b := s, s
			a.payload = s.payload[:at:at]
			b.payload, b.w = s.payload[at:], s.w+at
			segs = append(segs[:i], append([]apkt{a, b}, segs[i+1:]...)...)
		case OpMerge:
			if i < 0 || i+1 >= len(segs) {
				continue
			}
			s, t := segs[i], segs[i+1]
			if t.ctrl || t.w != s.w+len(s.payload) || !views(ws, s) || !views(ws, t) {
				continue
			}
			segs[i].payload = ws.data[s.w : t.w+len(t.payload)]
			segs = append(segs[:i+1], segs[i+2:]...)
		case OpSwap:
			if i < 0 || i+1 >= len(segs) {
				continue
			}
			segs[i], segs[i+1] = segs[i+1], segs[i]
		case OpDup:
			if i < 0 {
				continue
			}
			segs = append(segs[:i+1], append([]apkt{segs[i]}, segs[i+1:]...)...)
		case OpDrop:
			if i < 0 {
				continue
			}
			segs = append(segs[:i], segs[i+1:]...)
		case OpOverlap:
			if i < 0 || len(op.Bytes) == 0 {
				continue
			}
			s := segs[i]
			o := s
			o.w = s.w
			if len(s.payload) > 0 {
				o.w += op.At % len(s.payload)
			}
			o.payload = op.Bytes
			segs = append(segs[:i+1], append([]apkt{o}, segs[i+1:]...)...)
		case OpSYN, OpRST:
			p := apkt{toServer: damaged != op.Other, ctrl: true, op: op, flags: FlagSYN}
			if op.Kind == OpRST {
				p.flags = FlagRST
			}
			if op.ACK {
				p.flags |= FlagACK
			}
			if i < 0 {
				i = len(segs)
				p.w = len(ws.data)
				if len(segs) > 0 {
					p.anchor = segs[len(segs)-1].anchor
				}
			} else {
				p.w, p.anchor = segs[i].w, segs[i].anchor
			}
			segs = append(segs[:i], append([]apkt{p}, segs[i:]...)...)
		}
	}
	// Interleave with the other direction, one segment per record.
	other := !damaged
	ost := &streams[dirIdx(other)]
	next := 0 // next record of the other direction
	sent := 0 // bytes the other direction sent so far
	emitOther := func(upTo int) {
		for next < len(ost.recIndex) && ost.recIndex[next] < upTo {
			if ost.recLen[next] > 0 {
				w := ost.recStart[next]
				pkts = append(pkts, apkt{toServer: other, w: w, payload: ost.data[w : w+ost.recLen[next]], anchor: ost.recIndex[next]})
				sent = w + ost.recLen[next]
			}
			next++
		}
	}
	for _, s := range segs {
		emitOther(s.anchor)
		if s.ctrl {
			base := uint32(0)
			if s.op.Rel {
				w := s.w
				if s.toServer == other {
					w = sent
				}
				base = isn(s.toServer) + 1 + uint32(w)
			}
			s.seq = base + s.op.Seq
		}
		pkts = append(pkts, s)
	}
	emitOther(len(c.Records) + 1)
	return streams, pkts
}

// views reports whether s's payload is the stream's own bytes at s.w.
func views(ws *wstream, s apkt) bool {
	if s.w+len(s.payload) > len(ws.data) || len(s.payload) == 0 {
		return false
	}
	return &ws.data[s.w] == &s.payload[0]
}

// frames turns the packets into TCP segments, with the handshake and FINs.
func frames(streams *[2]wstream, pkts []apkt) []Segment {
	segs := []Segment{
		{ToServer: true, Flags: FlagSYN, Seq: clientISN},
		{ToServer: false, Flags: FlagSYN | FlagACK, Seq: serverISN, Ack: clientISN + 1},
		{ToServer: true, Flags: FlagACK, Seq: clientISN + 1, Ack: serverISN + 1},
	}
	for _, p := range pkts {
		// Acknowledgments stay at the peer's first byte: they never tell
		// pcapx that bytes it did not see were received.
		ack := isn(!p.toServer) + 1
		if p.ctrl {
			segs = append(segs, Segment{ToServer: p.toServer, Flags: p.flags, Seq: p.seq, Ack: ack})
			continue
		}
		segs = append(segs, Segment{ToServer: p.toServer, Flags: FlagACK | FlagPSH, Seq: isn(p.toServer) + 1 + uint32(p.w), Ack: ack, Payload: p.payload})
	}
	cend := clientISN + 1 + uint32(len(streams[0].data))
	send := serverISN + 1 + uint32(len(streams[1].data))
	return append(segs,
		Segment{ToServer: true, Flags: FlagFIN | FlagACK, Seq: cend, Ack: serverISN + 1},
		Segment{ToServer: false, Flags: FlagFIN | FlagACK, Seq: send, Ack: clientISN + 1},
		Segment{ToServer: true, Flags: FlagACK, Seq: cend + 1, Ack: send + 1},
	)
}

// mbyte is one byte the model delivers: its stream position, value,
// whether it is the clean byte, and the packet that delivered it.
type mbyte struct {
	w      int
	v      byte
	intact bool
	pkt    int
}

type mrun struct {
	b        []mbyte
	afterGap bool
}

type oooSeg struct {
	w int
	b []byte
}

// receiver models one direction of pcapx's stream assembly as its
// documentation states it (in-order bytes appended, retransmitted bytes
// dropped and overlaps trimmed, the first bytes seen winning; segments ahead
// buffered up to Config.MaxOutOfOrder and 64 KiB, else the hole is a gap;
// at the end, buffered segments fed after gaps).
type receiver struct {
	s        *wstream
	maxOOO   int
	next     int
	ooo      []oooSeg
	oooBytes int
	runs     []mrun
	cutoff   int // packet index from which this direction is not modelled; -1 none
	spoofed  int // packet index of the first spoofed control segment ignored; -1 none
}

func (r *receiver) deliver(w int, b []byte, pkt int) {
	run := &r.runs[len(r.runs)-1]
	for i, v := range b {
		run.b = append(run.b, mbyte{w: w + i, v: v, intact: r.s.intact(w+i, v), pkt: pkt})
	}
}

func (r *receiver) gap() { r.runs = append(r.runs, mrun{afterGap: true}) }

func (r *receiver) minPending() int {
	m := r.ooo[0].w
	for _, e := range r.ooo[1:] {
		m = min(m, e.w)
	}
	return m
}

func (r *receiver) drain(pkt int) {
	for progress := true; progress && len(r.ooo) > 0; {
		progress = false
		for i := range r.ooo {
			e := r.ooo[i]
			if e.w > r.next {
				continue
			}
			last := len(r.ooo) - 1
			r.ooo[i] = r.ooo[last]
			r.ooo = r.ooo[:last]
			if trim := r.next - e.w; trim < len(e.b) {
				r.deliver(r.next, e.b[trim:], pkt)
				r.next += len(e.b) - trim
			}
			progress = true
			break
		}
	}
	if len(r.ooo) == 0 {
		r.oooBytes = 0
	}
}

func (r *receiver) segment(w int, b []byte, pkt int) {
	for {
		if w <= r.next {
			trim := r.next - w
			if trim >= len(b) {
				return
			}
			r.deliver(r.next, b[trim:], pkt)
			r.next += len(b) - trim
			r.drain(pkt)
			return
		}
		if len(r.ooo) < r.maxOOO && r.oooBytes+len(b) <= 64<<10 {
			r.ooo = append(r.ooo, oooSeg{w, b})
			r.oooBytes += len(b)
			return
		}
		target := w
		if len(r.ooo) > 0 {
			target = min(target, r.minPending())
		}
		r.gap()
		r.next = target
		r.drain(pkt)
	}
}

func (r *receiver) finish(pkt int) {
	for len(r.ooo) > 0 {
		m := r.minPending()
		r.gap()
		r.next = m
		r.drain(pkt)
	}
}

// model runs the packets through two receivers. Control segments: a SYN
// repeating the first SYN is ignored (pcapx ignores it today); with
// checks.Spoof, a spoofed SYN or RST (see Checks) is ignored too; any other
// SYN ends the modelling of its direction, any other RST of both, from
// that packet on (first is the index of the first packet after the
// handshake).
func model(streams *[2]wstream, pkts []apkt, maxOOO int, checks Checks, first int) [2]*receiver {
	var rs [2]*receiver
	for i := range rs {
		rs[i] = &receiver{s: &streams[i], maxOOO: maxOOO, runs: []mrun{{}}, cutoff: -1, spoofed: -1}
	}
	idx := func(toServer bool) int {
		if toServer {
			return 0
		}
		return 1
	}
	for i, p := range pkts {
		pi := first + i
		r := rs[idx(p.toServer)]
		if p.ctrl {
			if r.cutoff >= 0 {
				continue
			}
			w := int(int32(p.seq - (isn(p.toServer) + 1)))
			switch {
			case p.flags&FlagSYN != 0 && p.seq == isn(p.toServer):
			case p.flags&FlagSYN != 0 && checks.Spoof:
				rs[0].spoof(pi)
				rs[1].spoof(pi)
			case p.flags&FlagSYN != 0:
				r.cutoff = pi
			case checks.Spoof && w != r.next:
				rs[0].spoof(pi)
				rs[1].spoof(pi)
			default: // a RST: the flow ends
				for _, x := range rs {
					if x.cutoff < 0 {
						x.cutoff = pi
					}
				}
			}
			continue
		}
		if r.cutoff < 0 {
			r.segment(p.w, p.payload, pi)
		}
	}
	end := first + len(pkts)
	for _, r := range rs {
		if r.cutoff < 0 {
			r.finish(end)
		}
	}
	return rs
}

func (r *receiver) spoof(pi int) {
	if r.spoofed < 0 {
		r.spoofed = pi
	}
}

// token is a PDU pcapx delivered: its bytes and the packet being decoded.
type token struct {
	b   []byte
	pkt int
}

// Adversarial runs conversation c damaged as d says through the whole path
// (as Conversation does, every check included) and compares what pcapx
// delivers with the clean conversation, direction by direction, against a
// model of pcapx's documented stream assembly:
//
//   - what the damage legitimately destroys: a PDU is touched when one of
//     its bytes is not delivered (lost in a gap: a dropped segment, or one
//     that came too late for the out-of-order buffer), is delivered with
//     other bytes than the clean stream's (an overlapping retransmission
//     with different bytes that arrived first), or is delivered after a
//     SYN or RST that ends the modelled stream (see model); a touched PDU
//     need not be delivered;
//   - every untouched PDU before the damage (in the first run of the
//     stream, with only clean bytes before it) is delivered intact
//     (always checked);
//   - every untouched, valid PDU after a gap (checks.Resync), after
//     attacker bytes (checks.Inject, unless a valid PDU starting in the
//     attacker's bytes covers it) or after a spoofed SYN or RST
//     (checks.Spoof) is delivered intact;
//   - a delivered token that is not a clean PDU, does not start in attacker
//     bytes and decodes as valid (Protocol.Valid) is a phantom: always a
//     failure before the damage, and under the matching check after it;
//   - every token pcapx delivers is a run of bytes the model delivers
//     (pcapx reassembles as documented; always checked).
func (r *Runner) Adversarial(c Conversation, d Damage, checks Checks) error {
	p, ok := ProtocolOf(c.Proto)
	if !ok || len(c.Records) == 0 {
		return nil
	}
	streams, pkts := build(&c, &d)
	segs := frames(&streams, pkts)
	dec := r.decoder(d.MaxOutOfOrder)
	var toks [2][]token
	pkt := 0
	r.onPDU = func(pd *pcapx.PDU) {
		i := 1
		if pd.ToServer {
			i = 0
		}
		toks[i] = append(toks[i], token{bytes.Clone(pd.Data), pkt})
	}
	defer func() { r.onPDU = nil }()
	var buf []byte
	for i, s := range segs {
		pkt = i
		buf = s.AppendFrame(buf[:0], p.Port)
		dec.Packet(captureInfo(i, len(buf)), buf)
	}
	pkt = len(segs)
	if err := r.finish(); err != nil {
		return err
	}
	rs := model(&streams, pkts, d.MaxOutOfOrder, checks, 3)
	// A spoofed RST must not end the flow either (which would lose the
	// Conn's state and the partial PDUs): with no segment the model
	// accepted as ending a stream, one flow lives from start to end.
	if checks.Spoof && rs[0].cutoff < 0 && rs[1].cutoff < 0 && rs[0].spoofed >= 0 {
		if n := dec.Stats().Protocols[c.Proto].Flows; n != 1 {
			err := fail("adversarial: flow survives "+catSpoof, "%s: %d flows where one connection was; damage %s", c.Proto, n, &d)
			if !Waived(err, r.Waive) {
				return err
			}
		}
	}
	for i := range rs {
		if err := judge(&p, i == 0, rs[i], toks[i], checks, &d); err != nil && !Waived(err, r.Waive) {
			return err
		}
	}
	return nil
}

// judge compares the tokens of one direction with the model.
func judge(p *Protocol, toServer bool, rm *receiver, toks []token, checks Checks, d *Damage) error {
	s := rm.s
	dir := "client->server"
	if !toServer {
		dir = "server->client"
	}
	// Where each stream position was delivered.
	type at struct{ run, i int }
	pos := make([]at, len(s.data))
	for i := range pos {
		pos[i] = at{-1, -1}
	}
	for ri, run := range rm.runs {
		for i, m := range run.b {
			if m.w >= 0 && m.w < len(pos) {
				pos[m.w] = at{ri, i}
			}
		}
	}
	// The category of a byte's place in the model's output.
	category := func(ri, i int) string {
		run := &rm.runs[ri]
		if run.afterGap {
			return catGap
		}
		for _, m := range run.b[:i] {
			if !m.intact {
				return catInject
			}
		}
		return catBefore
	}
	// A spoofed SYN or RST is blamed only where no earlier damage (a gap,
	// injected bytes) already explains what follows.
	withSpoof := func(cat string, pkt int) string {
		if cat == catBefore && rm.spoofed >= 0 && pkt >= rm.spoofed && checks.Spoof {
			return catSpoof
		}
		return cat
	}
	// Align each token with the model's output.
	delivered := make([]bool, len(s.recStart))
	var covered [][2]int // stream ranges of valid tokens that start in attacker bytes
	cr, ci := 0, 0
	for ti, t := range toks {
		if rm.cutoff >= 0 && t.pkt >= rm.cutoff {
			continue
		}
		ri, i, found := find(rm.runs, cr, ci, t.b)
		if !found {
			return fail("adversarial: reassembly as documented", "%s %s: token %d (%d bytes, packet %d) is not in the stream the model delivers after %d bytes; damage %s", p.Proto, dir, ti, len(t.b), t.pkt, ci, d)
		}
		cr, ci = ri, i+len(t.b)
		run := rm.runs[ri].b[i : i+len(t.b)]
		w0 := run[0].w
		rec := -1
		if w0 >= 0 && w0 < len(s.origin) {
			for k, st := range s.recStart {
				if st == w0 && s.recLen[k] == len(t.b) {
					rec = k
				}
			}
		}
		clean := rec >= 0
		for _, m := range run {
			clean = clean && m.intact
		}
		switch {
		case clean:
			delivered[rec] = true
		case !run[0].intact:
			if p.Valid(t.b, toServer) {
				covered = append(covered, [2]int{w0, run[len(run)-1].w + 1})
			}
		case p.Valid(t.b, toServer):
			cat := withSpoof(category(ri, i), t.pkt)
			if checks.enabled(cat) {
				return fail("adversarial: no phantom "+cat, "%s %s: token %d (%d bytes at stream offset %d, packet %d) is no PDU of the stream yet decodes as valid: % x; damage %s", p.Proto, dir, ti, len(t.b), w0, t.pkt, clip(t.b), d)
			}
		}
	}
	// Every untouched PDU that must survive did.
	for k, st := range s.recStart {
		n := s.recLen[k]
		if n == 0 || delivered[k] {
			continue
		}
		a := pos[st]
		if a.run < 0 {
			continue
		}
		run := rm.runs[a.run].b
		if a.i+n > len(run) {
			continue
		}
		ok := true
		for j := range n {
			m := run[a.i+j]
			if m.w != st+j || !m.intact {
				ok = false
				break
			}
		}
		last := run[a.i+n-1].pkt
		if !ok || (rm.cutoff >= 0 && last > rm.cutoff) {
			continue // touched
		}
		cat := withSpoof(category(a.run, a.i), last)
		if !checks.enabled(cat) {
			continue
		}
		pdu := s.data[st : st+n]
		if cat != catBefore && !p.mustRecover(pdu, toServer) {
			continue
		}
		skip := false
		for _, c := range covered {
			if st < c[1] && st+n > c[0] {
				skip = true
			}
		}
		if skip {
			continue
		}
		return fail("adversarial: PDU delivered "+cat, "%s %s: PDU %d (%d bytes at stream offset %d, complete at packet %d) arrived intact but was not delivered: % x; damage %s", p.Proto, dir, k, n, st, last, clip(pdu), d)
	}
	return nil
}

func clip(b []byte) []byte {
	if len(b) > 24 {
		return b[:24]
	}
	return b
}

// find looks for b as consecutive bytes of one run, from run cr at byte ci
// on.
func find(runs []mrun, cr, ci int, b []byte) (ri, i int, ok bool) {
	for ri = cr; ri < len(runs); ri++ {
		run := runs[ri].b
		start := 0
		if ri == cr {
			start = ci
		}
	next:
		for i = start; i+len(b) <= len(run); i++ {
			for j, v := range b {
				if run[i+j].v != v {
					continue next
				}
			}
			return ri, i, true
		}
	}
	return 0, 0, false
}

// mustRecover reports whether the PDU b, met after damage, must be
// delivered: when it is Valid, or what the protocol's Resync promises to
// find.
func (p *Protocol) mustRecover(b []byte, toServer bool) bool {
	if p.recoverable != nil {
		return p.recoverable(b, toServer)
	}
	return p.Valid(b, toServer)
}
