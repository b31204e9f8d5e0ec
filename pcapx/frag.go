package pcapx

import (
	"encoding/binary"
)

// IPv4 fragment reassembly. Fragments are kept per datagram (source,
// destination, protocol and identification) in a small fixed table, their
// bytes in buffers taken from the stream memory (within the budget), until
// the datagram is whole; it is then decoded as if it had come in the packet
// of its last fragment. Datagrams are dropped, and counted in
// Stats.FragmentDrops, when they stay incomplete for fragTimeout of capture
// time, when their fragments overlap with different bytes, exceed 65535
// bytes or come in more than maxFragRanges pieces, when the table is full
// (the oldest goes), when the budget has no room, and at the end of the
// input.
const (
	maxFragDatagrams = 64
	maxFragRanges    = 32
	fragTimeout      = 30e9 // ns, as Linux's ipfrag_time
	maxIPv4Len       = 65535
)

type fragKey struct {
	src, dst [4]byte
	id       uint16
	proto    uint8
}

// fragDatagram is a datagram being reassembled.
type fragDatagram struct {
	key    fragKey
	used   bool
	ignore bool  // its first fragment showed it is not ours: drop the rest
	first  int64 // capture time of its first fragment to arrive
	total  int   // payload length, from the last fragment, or -1
	hdr    [60]byte
	hl     int    // header length, once the fragment at offset 0 came
	buf    []byte // payload bytes at their offsets
	ranges [maxFragRanges][2]int32
	nr     int
	h      holder
}

// reassembler holds the datagrams being reassembled.
type reassembler struct {
	dg  []fragDatagram // maxFragDatagrams, made on the first fragment
	out []byte         // the last reassembled datagram
}

// fragResult says what became of a fragment.
type fragResult uint8

const (
	fragHeld     fragResult = iota // kept until the datagram is whole
	fragIgnored                    // of a datagram that is not ours
	fragDropped                    // its datagram was dropped
	fragComplete                   // it completed its datagram
)

// add takes one fragment (pk.frag) at capture time ns. When it completes
// its datagram, the datagram (IP header and payload, unfragmented) is
// returned; it is valid until the next call.
func (r *reassembler) add(pk *parsed, ns int64, m *memory, st *Stats, dropHolder func(*holder)) (fragResult, []byte) {
	if r.dg == nil {
		r.dg = make([]fragDatagram, maxFragDatagrams)
	}
	ip := pk.ip
	var k fragKey
	k.src, k.dst = [4]byte(ip[12:16]), [4]byte(ip[16:20])
	k.id = binary.BigEndian.Uint16(ip[4:6])
	k.proto = ip[9]
	var g, free, oldest *fragDatagram
	for i := range r.dg {
		e := &r.dg[i]
		if e.used && ns-e.first > fragTimeout {
			r.drop(e, m, st)
		}
		switch {
		case !e.used:
			if free == nil {
				free = e
			}
		case e.key == k:
			g = e
		case oldest == nil || e.first < oldest.first:
			oldest = e
		}
	}
	if g == nil {
		if free == nil {
			r.drop(oldest, m, st)
			free = oldest
		}
		g = free
		*g = fragDatagram{key: k, used: true, first: ns, total: -1, buf: g.buf[:0]}
	}
	if g.ignore {
		return fragIgnored, nil
	}
	payload := ip[pk.ipHL:]
	off, end := pk.fragOff, pk.fragOff+len(payload)
	if pk.fragOff == 0 && (pk.skip == SkipPort || pk.skip == SkipTransport || pk.reason != ReasonNone) {
		// Not TCP or UDP on an ICS port: the rest of it is not ours
		// either.
		m.give(g.buf)
		g.buf = nil
		g.ignore = true
		return fragIgnored, nil
	}
	switch {
	case pk.cut, pk.ipHL+end > maxIPv4Len, !pk.fragMore && g.total >= 0 && g.total != end,
		!pk.fragMore && end < len(g.buf), g.total >= 0 && end > g.total:
		// Cut short, too long, or the ends disagree.
		r.drop(g, m, st)
		return fragDropped, nil
	}
	// Bytes already received must be the same.
	for i := range g.nr {
		lo, hi := max(off, int(g.ranges[i][0])), min(end, int(g.ranges[i][1]))
		if lo < hi && string(g.buf[lo:hi]) != string(payload[lo-off:hi-off]) {
			r.drop(g, m, st)
			return fragDropped, nil
		}
	}
	if end > len(g.buf) {
		if end > cap(g.buf) {
			nb := m.take(end, &g.h, dropHolder)
			if nb == nil {
				r.drop(g, m, st)
				return fragDropped, nil
			}
			nb = append(nb, g.buf...)
			m.give(g.buf)
			g.buf = nb
		}
		g.buf = g.buf[:end]
	}
	copy(g.buf[off:end], payload)
	if !r.addRange(g, off, end) {
		r.drop(g, m, st)
		return fragDropped, nil
	}
	if !pk.fragMore {
		g.total = end
	}
	if off == 0 {
		g.hl = copy(g.hdr[:], ip[:pk.ipHL])
	}
	if g.total < 0 || g.hl == 0 || g.nr != 1 || g.ranges[0] != [2]int32{0, int32(g.total)} {
		return fragHeld, nil
	}
	// Whole: the first fragment's header, unfragmented, and the payload.
	n := g.hl + g.total
	if cap(r.out) < n {
		r.out = make([]byte, 0, maxIPv4Len)
	}
	out := append(append(r.out[:0], g.hdr[:g.hl]...), g.buf[:g.total]...)
	binary.BigEndian.PutUint16(out[2:4], uint16(n))
	out[6], out[7] = out[6]&0x40, 0 // keep DF, clear MF and the offset
	r.out = out
	st.Reassembled++
	m.give(g.buf)
	g.buf = nil
	g.used = false
	return fragComplete, out
}

// addRange records bytes [lo, hi) as received, merging ranges that touch.
// It fails when the datagram comes in too many pieces.
func (r *reassembler) addRange(g *fragDatagram, lo, hi int) bool {
	l, h := int32(lo), int32(hi)
	j := 0
	for i := range g.nr {
		e := g.ranges[i]
		if e[1] < l || e[0] > h {
			g.ranges[j] = e
			j++
			continue
		}
		l, h = min(l, e[0]), max(h, e[1])
	}
	if j == maxFragRanges {
		return false
	}
	// Insert in order.
	i := j
	for i > 0 && g.ranges[i-1][0] > l {
		g.ranges[i] = g.ranges[i-1]
		i--
	}
	g.ranges[i] = [2]int32{l, h}
	g.nr = j + 1
	return true
}

// drop gives up a datagram and counts it.
func (r *reassembler) drop(g *fragDatagram, m *memory, st *Stats) {
	if !g.ignore {
		st.FragmentDrops++
	}
	m.give(g.buf)
	g.buf = nil
	g.used = false
}

// flush drops every datagram in progress (the end of the input).
func (r *reassembler) flush(m *memory, st *Stats) {
	for i := range r.dg {
		if r.dg[i].used {
			r.drop(&r.dg[i], m, st)
		}
	}
}

// reset forgets every datagram without counting it.
func (r *reassembler) reset(m *memory) {
	for i := range r.dg {
		m.give(r.dg[i].buf)
		r.dg[i] = fragDatagram{}
	}
}

// fragment runs an IPv4 fragment of the current frame through reassembly.
// The frame counts as not ours (a fragment) unless it completes a
// datagram: then the datagram is decoded as the frame's contents.
func (d *Decoder) fragment(pk *parsed) {
	d.curSkip = SkipFragment
	if pk.fragOff == 0 && pk.skip != SkipNone {
		d.curSkip = pk.skip
	}
	res, dg := d.frags.add(pk, d.cur.ns, &d.mem, &d.stats, d.dropHolder)
	if res != fragComplete {
		return
	}
	q := &d.pk2
	*q = parsed{parsedHead: parsedHead{link: pk.link}}
	d.parseIPv4(q, dg)
	d.process(q)
}
