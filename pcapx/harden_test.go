package pcapx

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// The hardening tests replay the real captures of the corpus with packets
// an attacker injects (a SYN with a sequence number far ahead, a RST with
// any sequence number that is not the next one, a retransmission whose
// bytes differ) and compare what pcapx delivers with the clean replay.

// hPDU is a PDU as delivered, for comparison.
type hPDU struct {
	data         []byte
	gap, overlap bool
}

// hKey is one direction of a flow.
type hKey struct {
	flow     FlowKey
	toServer bool
}

// hRun replays packets (each with its link type) and returns the PDUs of
// every TCP flow direction, and the counts.
func hRun(t *testing.T, pkts []memPacket) (map[hKey][]hPDU, Stats) {
	t.Helper()
	out := map[hKey][]hPDU{}
	d := NewDecoder(Config{Handler: func(p *PDU) error {
		if p.Transport == TCP {
			k := hKey{p.Flow, p.ToServer}
			out[k] = append(out[k], hPDU{bytes.Clone(p.Data), p.Gap, p.Overlap})
		}
		return nil
	}})
	for i := range pkts {
		d.PacketLinkType(pkts[i].lt, pkts[i].ci, pkts[i].data)
	}
	require.NoError(t, d.Flush())
	st := d.Stats()
	for p := range st.Protocols {
		ps := &st.Protocols[p]
		require.Equal(t, ps.StreamBytes, ps.StreamPDUBytes+ps.DroppedBytes(), "%v: every stream byte delivered or dropped by reason", Protocol(p))
	}
	return out, st
}

// hSeen is what the packets so far tell of one flow direction: the next
// sequence number its sender would use, and the last segment it sent with
// payload.
type hSeen struct {
	next  uint32
	known bool
	last  memPacket
	seq   uint32
	n     int
}

// hPacket builds an Ethernet frame carrying a TCP segment of flow key k in
// direction toServer.
func hPacket(k FlowKey, toServer bool, seq, ack uint32, flags uint8, payload []byte) []byte {
	src, dst := k.Client, k.Server
	if !toServer {
		src, dst = dst, src
	}
	l4 := tcpHeader(tcpSeg{sport: src.Port(), dport: dst.Port(), seq: seq, ack: ack, flags: flags, payload: payload})
	if src.Addr().Is4() {
		return ethIP(ipv4(src.Addr(), dst.Addr(), 6, l4))
	}
	return ethIP(ipv6(src.Addr(), dst.Addr(), 6, l4))
}

// hCorpus returns the corpus captures (skipping when absent).
func hCorpus(t *testing.T) []string {
	names, _ := filepath.Glob(filepath.Join(capturesDir, "*", "*"))
	var out []string
	for _, n := range names {
		if !strings.HasSuffix(n, ".md") && !strings.HasSuffix(n, ".tsv") {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		t.Skipf("the shared corpus is absent (%s)", capturesDir)
	}
	return out
}

// hInject replays a capture's packets, calling inject before each packet
// of an ICS TCP flow with what the packets before it tell of both
// directions of its flow; inject returns the packets to insert before it.
func hInject(pkts []memPacket, inject func(i int, k FlowKey, toServer bool, self, other *hSeen) [][]byte) ([]memPacket, int) {
	var scratch Decoder
	scratch.init(Config{})
	seen := map[hKey]*hSeen{}
	get := func(k hKey) *hSeen {
		s := seen[k]
		if s == nil {
			s = &hSeen{}
			seen[k] = s
		}
		return s
	}
	var out []memPacket
	injected := 0
	for i, p := range pkts {
		var pk parsed
		scratch.parse(&pk, p.lt, p.data)
		if pk.flow && pk.tr == TCP && pk.reason == ReasonNone {
			k := pk.key.public()
			self, other := get(hKey{k, pk.toServer}), get(hKey{k, !pk.toServer})
			for _, b := range inject(i, k, pk.toServer, self, other) {
				out = append(out, memPacket{layers.LinkTypeEthernet, p.ci, b})
				injected++
			}
			end := pk.seq + uint32(len(pk.payload))
			if pk.flags&(tcpSYN|tcpFIN) != 0 {
				end++
			}
			if pk.flags&tcpRST == 0 && (!self.known || int32(end-self.next) > 0) {
				self.next, self.known = end, true
			}
			if len(pk.payload) > 0 {
				self.last, self.seq, self.n = p, pk.seq, len(pk.payload)
			}
		}
		out = append(out, p)
	}
	return out, injected
}

// hCompare counts the PDUs of want that got does not have in the same
// order per flow direction (comparing bytes and the gap flag), and the
// PDUs got has beyond want.
func hCompare(want, got map[hKey][]hPDU) (lost, extra int, example string) {
	for k, w := range want {
		g := got[k]
		j := 0
		for _, p := range w {
			found := false
			for ; j < len(g); j++ {
				if bytes.Equal(g[j].data, p.data) && g[j].gap == p.gap {
					found = true
					j++
					break
				}
			}
			if !found {
				lost++
				if example == "" {
					example = fmt.Sprintf("%v toServer=%v: PDU % x lost", k.flow, k.toServer, p.data[:min(len(p.data), 12)])
				}
				j = 0
			}
		}
		if len(g) > len(w) {
			extra += len(g) - len(w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			extra += len(g)
		}
	}
	return lost, extra, example
}

// TestSpoofedSYNRST: over every capture of the corpus, SYNs with a sequence
// number far from the stream's (ahead or behind by a quarter to three
// quarters of the sequence space) and RSTs whose sequence number is not the
// next one (just ahead, inside any window, or anywhere) are injected into
// both directions of the ICS flows at random points: no PDU is lost or
// changed, none is added, and each is counted as ignored.
func TestSpoofedSYNRST(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 61))
	var trials, syns, rsts, lost, extra, pdus int
	var ignored uint64
	for _, name := range hCorpus(t) {
		pkts, _ := loadCapture(t, name)
		want, wst := hRun(t, pkts)
		for _, w := range want {
			pdus += len(w)
		}
		// About 8 injections per flow direction's worth of packets, at
		// random packets.
		n := 0
		damaged, injected := hInject(pkts, func(i int, k FlowKey, toServer bool, self, other *hSeen) [][]byte {
			if rng.IntN(8) != 0 || n >= 64 {
				return nil
			}
			n++
			dir := toServer
			s := self
			if rng.IntN(2) == 0 {
				dir, s = !toServer, other
			}
			base := s.next
			if !s.known {
				base = rng.Uint32()
			}
			far := uint32(1<<30 + rng.Int64N(1<<31))
			if rng.IntN(2) == 0 {
				syns++
				return [][]byte{hPacket(k, dir, base+far, 0, tcpSYN, nil)}
			}
			rsts++
			seq := base + far
			switch rng.IntN(3) {
			case 0:
				seq = base + 1 + uint32(rng.IntN(2000)) // inside the window, not exact
			case 1:
				seq = base - 1 - uint32(rng.IntN(2000))
			}
			return [][]byte{hPacket(k, dir, seq, rng.Uint32(), tcpRST|tcpACK*uint8(rng.IntN(2)), nil)}
		})
		if injected == 0 {
			continue
		}
		trials += injected
		got, gst := hRun(t, damaged)
		l, e, ex := hCompare(want, got)
		lost += l
		extra += e
		if l+e > 0 {
			t.Errorf("%s: %d PDUs lost, %d extra of %d injections; e.g. %s", filepath.Base(name), l, e, injected, ex)
		}
		var ign, wign uint64
		for p := range gst.Protocols {
			ign += gst.Protocols[p].Anomalies[SYNIgnored] + gst.Protocols[p].Anomalies[RSTIgnored]
			wign += wst.Protocols[p].Anomalies[SYNIgnored] + wst.Protocols[p].Anomalies[RSTIgnored]
		}
		ignored += ign - wign
	}
	t.Logf("%d injections (%d SYN, %d RST) over %d PDUs: %d PDUs lost, %d extra; %d SYN and RST counted as ignored", trials, syns, rsts, pdus, lost, extra, ignored)
	assert.NotZero(t, trials)
}

// TestSpoofedSYNAnyPoint: in one real stream of each protocol, a spoofed
// SYN with an ISN far ahead, then a RST with a random out-of-window
// sequence number, is injected before every packet in turn (one injection
// per run): 0 PDUs lost in every run.
func TestSpoofedSYNAnyPoint(t *testing.T) {
	files := []string{
		"modbus/arkime-modbus.pcap",
		"s7comm/iti-s7-S7-1511_db3_var1_HMI.pcap",
		"enip/cipdip-baseline_churn_adapter.pcap",
		"dnp3/icsnpp-dnp3_example.pcap",
		"iec104/iti-iec104-TestDissectIec104.pcap",
	}
	rng := rand.New(rand.NewPCG(9, 3))
	for _, name := range files {
		pkts, _ := loadCapture(t, captureFile(t, name))
		want, _ := hRun(t, pkts)
		runs, bad := 0, 0
		for at := range min(len(pkts), 150) {
			for _, kind := range []uint8{tcpSYN, tcpRST} {
				damaged, injected := hInject(pkts, func(i int, k FlowKey, toServer bool, self, other *hSeen) [][]byte {
					if i != at || !self.known {
						return nil
					}
					return [][]byte{hPacket(k, toServer, self.next+uint32(1<<30+rng.Int64N(1<<31)), 0, kind, nil)}
				})
				if injected == 0 {
					continue
				}
				runs++
				got, _ := hRun(t, damaged)
				if l, e, ex := hCompare(want, got); l+e > 0 {
					bad++
					t.Errorf("%s: injection before packet %d: %d lost, %d extra; e.g. %s", name, at, l, e, ex)
				}
			}
		}
		t.Logf("%s: %d runs, %d with a PDU lost or added", name, runs, bad)
	}
}

// TestOverlapDiffers: over every capture of the corpus, a copy of a real
// segment with its first byte changed (and up to 15 more bytes) is sent
// soon after it, at random: the PDUs are those of the clean replay (the
// first copy wins), and each injected copy is counted where it belongs,
// checked packet by packet: as a differing overlap (OverlapDiffers, its
// bytes in DropOverlap); as a keep-alive when it is one byte just before
// the stream's next byte (DropKeepAlive: keep-alive probes carry any
// byte, so it is not compared); or, when the history holds no first copy
// of its first byte (that byte was never taken: it lay in a hole declared
// a gap, or was dropped out of window), with that byte in DropUncompared.
// Nothing is left unaccounted, and the uncompared ones occur only in
// captures that had gaps or out-of-window segments.
func TestOverlapDiffers(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 4))
	var injected, counted, keepAlive, uncompared, marked int
	for _, name := range hCorpus(t) {
		pkts, _ := loadCapture(t, name)
		want, wst := hRun(t, pkts)
		type pending struct {
			k    FlowKey
			dir  bool
			seq  uint32
			data []byte
		}
		var next *pending
		n := 0
		mine := map[*byte]bool{}
		damaged, inj := hInject(pkts, func(i int, k FlowKey, toServer bool, self, other *hSeen) [][]byte {
			var out [][]byte
			if next != nil {
				b := hPacket(next.k, next.dir, next.seq, 0, tcpACK|fPSH, next.data)
				mine[&b[0]] = true
				out = append(out, b)
				next = nil
			}
			// The packet before this one, in this direction, gets a
			// differing copy (sent before the next packet).
			if self.n > 0 && rng.IntN(10) == 0 && n < 64 {
				n++
				var pk parsed
				var scratch Decoder
				scratch.init(Config{})
				scratch.parse(&pk, self.last.lt, self.last.data)
				b := bytes.Clone(pk.payload)
				off := rng.IntN(len(b))
				b[off] ^= 0x5a
				next = &pending{k, toServer, pk.seq, b[off:min(len(b), off+1+rng.IntN(16))]}
				next.seq += uint32(off)
			}
			self.n = 0
			return out
		})
		if inj == 0 {
			continue
		}
		injected += inj
		// Packet by packet, to see where each injected copy is counted.
		got := map[hKey][]hPDU{}
		d := NewDecoder(Config{Handler: func(p *PDU) error {
			if p.Transport == TCP {
				k := hKey{p.Flow, p.ToServer}
				got[k] = append(got[k], hPDU{bytes.Clone(p.Data), p.Gap, p.Overlap})
			}
			return nil
		}})
		unc := 0
		for i := range damaged {
			if !mine[&damaged[i].data[0]] {
				d.PacketLinkType(damaged[i].lt, damaged[i].ci, damaged[i].data)
				continue
			}
			before := d.Stats()
			d.PacketLinkType(damaged[i].lt, damaged[i].ci, damaged[i].data)
			after := d.Stats()
			var od, ka, uc, ov int
			for p := range after.Protocols {
				a, b := &after.Protocols[p], &before.Protocols[p]
				od += int(a.Anomalies[OverlapDiffers] - b.Anomalies[OverlapDiffers])
				ov += int(a.Dropped[DropOverlap] - b.Dropped[DropOverlap])
				ka += int(a.Dropped[DropKeepAlive] - b.Dropped[DropKeepAlive])
				uc += int(a.Dropped[DropUncompared] - b.Dropped[DropUncompared])
			}
			size := len(damaged[i].data) - 54 // Ethernet, IPv4 and TCP headers
			switch {
			case od == 1:
				counted++
				assert.Equal(t, size, ov, "%s: the bytes of a differing overlap are dropped as overlap", filepath.Base(name))
			case ka == 1 && size == 1:
				keepAlive++
			case uc >= 1:
				uncompared++
				unc++
			default:
				t.Errorf("%s: injected packet %d counted nowhere", filepath.Base(name), i)
			}
		}
		require.NoError(t, d.Flush())
		// After a differing overlap framing re-checks with Resync, which
		// refuses malformed PDUs: in the capture of malformed APDUs that
		// may lose some, never add one.
		if l, e, ex := hCompare(want, got); e > 0 || l > 0 && !testkit.ResyncLossy[filepath.Base(name)] {
			t.Errorf("%s: %d PDUs lost, %d extra of %d overlaps; e.g. %s", filepath.Base(name), l, e, inj, ex)
		} else if l > 0 {
			t.Logf("%s: %d malformed PDUs refused by Resync after %d overlaps; e.g. %s", filepath.Base(name), l, inj, ex)
		}
		if unc > 0 {
			var gaps, oow uint64
			for p := range wst.Protocols {
				gaps += wst.Protocols[p].Gaps
				oow += wst.Protocols[p].Anomalies[OutOfWindow]
			}
			t.Logf("%s: %d of %d copies uncompared (clean replay: %d gaps, %d out of window)", filepath.Base(name), unc, inj, gaps, oow)
			assert.NotZero(t, gaps+oow, "%s: uncompared copies in a capture without gaps", filepath.Base(name))
		}
		for _, g := range got {
			for _, p := range g {
				if p.overlap {
					marked++
				}
			}
		}
	}
	t.Logf("%d differing overlaps sent: %d counted as differing, %d as keep-alives, %d uncompared (no first copy); %d PDUs marked", injected, counted, keepAlive, uncompared, marked)
	assert.Equal(t, injected, counted+keepAlive+uncompared, "every injected copy is accounted for")
	assert.NotZero(t, marked)
}

// TestByteAccounting: over every capture, with and without out-of-order
// buffering and with a small budget, every stream byte is delivered in a
// PDU or dropped for a reason.
func TestByteAccounting(t *testing.T) {
	for _, name := range hCorpus(t) {
		file, err := os.ReadFile(name)
		require.NoError(t, err)
		for _, cfg := range []Config{{}, {MaxOutOfOrder: 16}, {MemoryBudget: MinMemoryBudget, MaxPDU: 600}} {
			st, err := Read(bytes.NewReader(file), cfg)
			if err != nil && st.Frames == 0 {
				continue
			}
			for p := range st.Protocols {
				ps := &st.Protocols[p]
				assert.Equal(t, ps.StreamBytes, ps.StreamPDUBytes+ps.DroppedBytes(), "%s %v %+v", filepath.Base(name), Protocol(p), ps.Dropped)
			}
		}
	}
}

// TestGapAtEnd: the bytes lost just before a FIN or a RST are a gap at the
// end: counted (GapAtEnd, MissingBytes), and the partial PDU they cut is
// dropped as cut (DropGap); the byte accounting holds. The PDU before is
// delivered as it was.
func TestGapAtEnd(t *testing.T) {
	k := FlowKey{Client: netip.AddrPortFrom(cli4, 40000), Server: netip.AddrPortFrom(srv4, 502), Transport: TCP}
	const c, s = 1000, 5000
	adu := modbusADU(7) // 12 bytes
	for _, end := range []string{"FIN", "RST"} {
		t.Run(end, func(t *testing.T) {
			var r recorder
			d := NewDecoder(Config{Handler: r.handle})
			pkts := [][]byte{
				hPacket(k, true, c, 0, tcpSYN, nil),
				hPacket(k, false, s, c+1, tcpSYN|tcpACK, nil),
				hPacket(k, true, c+1, s+1, tcpACK, nil),
				hPacket(k, true, c+1, s+1, tcpACK|fPSH, adu),      // a whole ADU
				hPacket(k, true, c+13, s+1, tcpACK|fPSH, adu[:5]), // the first 5 bytes of the next; 7 are lost
			}
			switch end {
			case "FIN":
				pkts = append(pkts, hPacket(k, true, c+25, s+1, tcpFIN|tcpACK, nil))
			case "RST":
				// The server acknowledged the lost bytes; the client's RST
				// comes at the acknowledged number.
				pkts = append(pkts, hPacket(k, false, s+1, c+25, tcpACK, nil), hPacket(k, true, c+25, 0, tcpRST, nil))
			}
			for i, p := range pkts {
				d.Packet(ci(i), p)
			}
			require.NoError(t, d.Flush())
			ps := d.Stats().Protocols[Modbus]
			require.Len(t, r.pdus, 1)
			assert.Equal(t, adu, r.pdus[0].Data)
			assert.Equal(t, uint64(1), ps.Anomalies[GapAtEnd])
			assert.Equal(t, uint64(7), ps.MissingBytes)
			assert.Equal(t, uint64(5), ps.Dropped[DropGap], "the partial ADU is dropped as cut")
			assert.Equal(t, uint64(0), ps.Anomalies[RSTIgnored]+ps.Anomalies[FINIgnored])
			assert.Equal(t, ps.StreamBytes, ps.StreamPDUBytes+ps.DroppedBytes())
		})
	}
}
