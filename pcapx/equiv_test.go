package pcapx

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// The stream-equivalence test: the TCP streams of every capture of the
// corpus are sent again re-segmented, reordered, with retransmissions and
// overlaps, and with whole PDUs dropped, and must give the same PDUs as
// the clean stream wherever no bytes were lost.

// eqDir is one direction of one flow of a capture: its PDUs.
type eqDir struct {
	key      FlowKey
	toServer bool
	pdus     [][]byte
}

// eqEvent says that PDU i of direction d was delivered (in the capture's
// order), so that directions and flows interleave as they did.
type eqEvent struct{ d, i int }

// eqCollect decodes a capture and returns its TCP directions and the order
// of their PDUs.
func eqCollect(t *testing.T, file []byte) ([]*eqDir, []eqEvent) {
	idx := map[FlowKey][2]int{}
	var dirs []*eqDir
	var events []eqEvent
	_, err := Read(bytes.NewReader(file), Config{Handler: func(p *PDU) error {
		if p.Transport != TCP {
			return nil
		}
		j := 1
		if p.ToServer {
			j = 0
		}
		ix, ok := idx[p.Flow]
		if !ok {
			ix = [2]int{-1, -1}
		}
		if ix[j] < 0 {
			ix[j] = len(dirs)
			dirs = append(dirs, &eqDir{key: p.Flow, toServer: p.ToServer})
			idx[p.Flow] = ix
		}
		d := dirs[ix[j]]
		events = append(events, eqEvent{ix[j], len(d.pdus)})
		d.pdus = append(d.pdus, bytes.Clone(p.Data))
		return nil
	}})
	if err != nil && len(dirs) == 0 {
		t.Skipf("unreadable: %v", err)
	}
	return dirs, events
}

// eqSeg is a segment to send: bytes [off, off+len(data)) of a direction's
// stream, after the PDU event at which it goes out.
type eqSeg struct {
	at   int
	off  int
	data []byte
}

// eqPDU is a PDU as delivered: its bytes and whether it came after a gap.
type eqPDU struct {
	data []byte
	gap  bool
}

// eqRun sends the segments of every direction (per direction in the order
// given), each flow opened by a handshake, interleaved by their event
// times, and returns each direction's PDUs.
func eqRun(t *testing.T, cfg Config, dirs []*eqDir, segs [][]eqSeg) [][]eqPDU {
	type out struct {
		at, n int
		pkt   []byte
	}
	var pkts []out
	isn := func(d *eqDir) uint32 {
		if d.toServer {
			return 1000
		}
		return 4000000000
	}
	opened := map[FlowKey]bool{}
	for di, d := range dirs {
		src, dst := d.key.Client, d.key.Server
		if !d.toServer {
			src, dst = dst, src
		}
		pkt := func(seq uint32, flags uint8, payload []byte) []byte {
			l4 := tcpHeader(tcpSeg{sport: src.Port(), dport: dst.Port(), seq: seq, flags: flags, payload: payload})
			if src.Addr().Is4() {
				return ethIP(ipv4(src.Addr(), dst.Addr(), 6, l4))
			}
			return ethIP(ipv6(src.Addr(), dst.Addr(), 6, l4))
		}
		if !opened[d.key] {
			opened[d.key] = true
			c := &eqDir{key: d.key, toServer: true}
			s := &eqDir{key: d.key, toServer: false}
			cs, cd := d.key.Client, d.key.Server
			syn := tcpHeader(tcpSeg{sport: cs.Port(), dport: cd.Port(), seq: isn(c), flags: 0x02})
			synack := tcpHeader(tcpSeg{sport: cd.Port(), dport: cs.Port(), seq: isn(s), ack: isn(c) + 1, flags: 0x12})
			if cs.Addr().Is4() {
				pkts = append(pkts, out{-1, di, ethIP(ipv4(cs.Addr(), cd.Addr(), 6, syn))}, out{-1, di, ethIP(ipv4(cd.Addr(), cs.Addr(), 6, synack))})
			} else {
				pkts = append(pkts, out{-1, di, ethIP(ipv6(cs.Addr(), cd.Addr(), 6, syn))}, out{-1, di, ethIP(ipv6(cd.Addr(), cs.Addr(), 6, synack))})
			}
		}
		for _, s := range segs[di] {
			pkts = append(pkts, out{s.at, di, pkt(isn(d)+1+uint32(s.off), fPSH, s.data)})
		}
	}
	slices.SortStableFunc(pkts, func(a, b out) int { return a.at - b.at })
	ix := map[FlowKey][2]int{}
	for i, d := range dirs {
		e, ok := ix[d.key]
		if !ok {
			e = [2]int{-1, -1}
		}
		if d.toServer {
			e[0] = i
		} else {
			e[1] = i
		}
		ix[d.key] = e
	}
	res := make([][]eqPDU, len(dirs))
	cfg.Handler = func(p *PDU) error {
		j := 1
		if p.ToServer {
			j = 0
		}
		if i := ix[p.Flow][j]; i >= 0 {
			res[i] = append(res[i], eqPDU{bytes.Clone(p.Data), p.Gap})
		}
		return nil
	}
	d := NewDecoder(cfg)
	for i, p := range pkts {
		d.Packet(ci(i), p.pkt)
	}
	require.NoError(t, d.Flush())
	return res
}

// eqCut cuts bytes [from, to) of a stream into segments of 1 to max
// bytes, going out at the event of the PDU holding their first byte.
func eqCut(rng *rand.Rand, stream []byte, from, to, max int, at func(off int) int) []eqSeg {
	var segs []eqSeg
	for off := from; off < to; {
		n := min(1+rng.IntN(max), to-off)
		segs = append(segs, eqSeg{at: at(off), off: off, data: stream[off : off+n]})
		off += n
	}
	return segs
}

// TestStreamEquivalence runs the variants over every capture of the corpus.
func TestStreamEquivalence(t *testing.T) {
	names, _ := filepath.Glob(filepath.Join(capturesDir, "*", "*"))
	if len(names) == 0 {
		t.Skipf("the shared corpus is absent (%s)", capturesDir)
	}
	total := 0
	for _, name := range names {
		file, err := os.ReadFile(name)
		require.NoError(t, err)
		dirs, events := eqCollect(t, file)
		if len(dirs) == 0 {
			continue
		}
		t.Run(filepath.Base(name), func(t *testing.T) {
			total += eqCapture(t, dirs, events)
		})
	}
	t.Logf("%d PDUs compared", total)
}

// eqCapture checks one capture's directions and returns how many PDUs it
// compared.
func eqCapture(t *testing.T, dirs []*eqDir, events []eqEvent) int {
	rng := rand.New(rand.NewPCG(uint64(len(events)), 7))
	// Each direction's stream, its PDU boundaries, and the event of each
	// PDU.
	streams := make([][]byte, len(dirs))
	bounds := make([][]int, len(dirs))
	eventOf := make([][]int, len(dirs))
	for di, d := range dirs {
		bounds[di] = []int{0}
		for _, p := range d.pdus {
			streams[di] = append(streams[di], p...)
			bounds[di] = append(bounds[di], len(streams[di]))
		}
		eventOf[di] = make([]int, len(d.pdus))
	}
	for k, e := range events {
		eventOf[e.d][e.i] = k
	}
	at := func(di int) func(off int) int {
		return func(off int) int {
			i, _ := slices.BinarySearch(bounds[di], off+1)
			return eventOf[di][max(i-1, 0)]
		}
	}
	// The reference: one segment per PDU, in the capture's order.
	clean := make([][]eqSeg, len(dirs))
	for di, d := range dirs {
		for i, p := range d.pdus {
			clean[di] = append(clean[di], eqSeg{at: eventOf[di][i], off: bounds[di][i], data: p})
		}
	}
	ref := eqRun(t, Config{}, dirs, clean)
	compared := 0
	for di := range dirs {
		if !eqSame(ref[di], dirs[di].pdus) {
			// Sent again as one stream, the PDUs of several
			// connections on the same ports (or a partial PDU that a
			// connection's end delivered) split differently.
			t.Logf("%v toServer=%v: the clean stream splits into other PDUs; not checked with drops", dirs[di].key, dirs[di].toServer)
		}
	}
	check := func(variant string, got [][]eqPDU, want [][]eqPDU) {
		t.Helper()
		for di := range dirs {
			if len(got[di]) != len(want[di]) {
				t.Errorf("%s, %v toServer=%v: %d PDUs, want %d", variant, dirs[di].key, dirs[di].toServer, len(got[di]), len(want[di]))
				continue
			}
			for i := range got[di] {
				if !bytes.Equal(got[di][i].data, want[di][i].data) || got[di][i].gap != want[di][i].gap {
					t.Errorf("%s, %v toServer=%v: PDU %d differs: % x gap=%v, want % x gap=%v", variant, dirs[di].key, dirs[di].toServer, i,
						got[di][i].data[:min(16, len(got[di][i].data))], got[di][i].gap, want[di][i].data[:min(16, len(want[di][i].data))], want[di][i].gap)
					break
				}
			}
			compared += len(want[di])
		}
	}

	// Re-segmented at random, across PDU boundaries.
	segs := make([][]eqSeg, len(dirs))
	for di := range dirs {
		segs[di] = eqCut(rng, streams[di], 0, len(streams[di]), 1460, at(di))
	}
	check("re-segmented", eqRun(t, Config{}, dirs, segs), ref)

	// Reordered: small segments, neighbours swapped, with out-of-order
	// buffering.
	for di := range dirs {
		s := eqCut(rng, streams[di], 0, len(streams[di]), 600, at(di))
		for i := 0; i+1 < len(s); i++ {
			if rng.IntN(3) == 0 {
				s[i].data, s[i+1].data = s[i+1].data, s[i].data
				s[i].off, s[i+1].off = s[i+1].off, s[i].off
				i++
			}
		}
		segs[di] = s
	}
	check("reordered", eqRun(t, Config{MaxOutOfOrder: 16}, dirs, segs), ref)

	// Retransmissions: segments sent twice, and segments that overlap the
	// end of one and the start of the next.
	for di := range dirs {
		s := eqCut(rng, streams[di], 0, len(streams[di]), 1000, at(di))
		var r []eqSeg
		for i, x := range s {
			r = append(r, x)
			switch rng.IntN(6) {
			case 0:
				r = append(r, x)
			case 1:
				if i+1 < len(s) {
					lo := x.off + len(x.data)/2
					hi := s[i+1].off + len(s[i+1].data)/2
					r = append(r, eqSeg{at: x.at, off: lo, data: streams[di][lo:hi]})
				}
			}
		}
		segs[di] = r
	}
	check("retransmitted", eqRun(t, Config{}, dirs, segs), ref)

	// Whole PDUs dropped: the PDUs around them come as they were, the
	// first after each drop marked as after a gap. Only directions whose
	// reference PDUs are exactly the stream's PDUs are checked.
	want := make([][]eqPDU, len(dirs))
	for _, ooo := range []int{0, 16} {
		for di := range dirs {
			segs[di], want[di] = nil, nil
			if !eqSame(ref[di], dirs[di].pdus) {
				continue
			}
			run, gap := 0, false
			for i := 0; i <= len(dirs[di].pdus); i++ {
				drop := i < len(dirs[di].pdus) && rng.IntN(10) == 0
				if i < len(dirs[di].pdus) && !drop {
					want[di] = append(want[di], eqPDU{dirs[di].pdus[i], gap})
					gap = false
					continue
				}
				// The run of PDUs before i goes out re-segmented.
				segs[di] = append(segs[di], eqCut(rng, streams[di], bounds[di][run], bounds[di][i], 1460, at(di))...)
				run, gap = i+1, true
			}
		}
		got := eqRun(t, Config{MaxOutOfOrder: ooo}, dirs, segs)
		for di := range dirs {
			if !eqSame(ref[di], dirs[di].pdus) {
				got[di] = nil
			}
		}
		check("dropped", got, want)
	}
	return compared
}

// eqSame reports whether the delivered PDUs are exactly these PDUs, none
// after a gap.
func eqSame(got []eqPDU, pdus [][]byte) bool {
	if len(got) != len(pdus) {
		return false
	}
	for i := range got {
		if got[i].gap || !bytes.Equal(got[i].data, pdus[i]) {
			return false
		}
	}
	return true
}
