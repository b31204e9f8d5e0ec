package bench

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/gopacket/gopacket"

	"github.com/icsdissect/icsdissect/pcapx"
)

// flowPackets builds Modbus/TCP packets for n concurrent flows, patched in
// place: the template is one Ethernet/IPv4/TCP frame carrying a 12-byte
// request, and packet k belongs to flow k mod n, from the client (even
// rounds) or the server (odd rounds), with the sequence numbers of that
// round. Every flow is active, each gets a packet every n packets: the
// worst case for a flow table, since no flow's record stays in the caches.
type flowPackets struct {
	n    int
	tmpl [flowPktLen]byte
}

const flowPktLen = 14 + 20 + 20 + 12

func newFlowPackets(n int) *flowPackets {
	fp := &flowPackets{n: n}
	t := fp.tmpl[:]
	copy(t, []byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0})
	ip := t[14:]
	ip[0], ip[8], ip[9] = 0x45, 64, 6
	binary.BigEndian.PutUint16(ip[2:], 20+20+12)
	tcp := ip[20:]
	tcp[12], tcp[13] = 5<<4, 0x18
	binary.BigEndian.PutUint16(tcp[14:], 65535)
	copy(tcp[20:], []byte{0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10})
	return fp
}

// packet writes packet k into the template and returns it.
func (fp *flowPackets) packet(k int) []byte { return fp.packetInto(k, fp.tmpl[:]) }

// packetInto writes packet k into buf, which holds a copy of the template.
func (fp *flowPackets) packetInto(k int, buf []byte) []byte {
	i, round := k%fp.n, k/fp.n
	ip := buf[14:]
	tcp := ip[20:]
	cli := [4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}
	srv := [4]byte{192, 168, 0, 1}
	cport := uint16(1024 + i%50000)
	seq := uint32(1 + 12*(round/2))
	if round%2 == 0 {
		copy(ip[12:16], cli[:])
		copy(ip[16:20], srv[:])
		binary.BigEndian.PutUint16(tcp[0:], cport)
		binary.BigEndian.PutUint16(tcp[2:], 502)
	} else {
		copy(ip[12:16], srv[:])
		copy(ip[16:20], cli[:])
		binary.BigEndian.PutUint16(tcp[0:], 502)
		binary.BigEndian.PutUint16(tcp[2:], cport)
	}
	binary.BigEndian.PutUint32(tcp[4:], seq)
	return buf
}

// BenchmarkFlows decodes packets of 1 k, 100 k and 1 M concurrent flows
// with a flow table bound equal to the number of flows, so that nothing is
// evicted: the cost per packet should not grow much with the number of
// flows. "packet" gives the Decoder one packet at a time (Decoder.Packet),
// "batch" 64 at a time (Decoder.Packets, which looks up the flows of 16
// packets ahead of decoding them). ns/op is per packet; table-B/flow is the
// flow table's memory per flow; cpu-ns/op the benchmark thread's CPU time
// per packet.
func BenchmarkFlows(b *testing.B) {
	for _, n := range []int{1000, 100_000, 1_000_000} {
		for _, mode := range []string{"packet", "batch"} {
			b.Run(fmt.Sprintf("flows=%d/%s", n, mode), func(b *testing.B) { benchFlows(b, n, mode == "batch") })
		}
	}
}

// BenchmarkFlowsPair measures the per-packet cost of 1 M concurrent flows
// against 1 k in one run: two Decoders (as in BenchmarkFlows' batch mode)
// take turns, each decoding slices of 262,144 packets, and each decoder's
// time is summed apart. On a shared machine the slow spells then fall on
// both alike, so their ratio holds where separate runs differ by half. The
// slices are long enough that each decoder's caches are warm again within
// a small part of its slice. It reports ns/pkt for each and their ratio.
func BenchmarkFlowsPair(b *testing.B) {
	small, large := newFlowSide(b, 1000), newFlowSide(b, 1_000_000)
	runtime.GC()
	b.ReportAllocs()
	const slice = 1 << 18 / flowBatch
	for b.Loop() {
		for _, s := range [...]*flowSide{small, large} {
			start := time.Now()
			for range slice {
				s.batch()
			}
			s.ns += time.Since(start)
		}
	}
	pkts := float64(b.N * slice * flowBatch)
	ps, pl := float64(small.ns.Nanoseconds())/pkts, float64(large.ns.Nanoseconds())/pkts
	b.ReportMetric(ps, "ns/pkt-1k")
	b.ReportMetric(pl, "ns/pkt-1M")
	b.ReportMetric(pl/ps, "ratio")
}

// flowBatch is how many packets the flows benchmarks give Packets at once.
const flowBatch = 64

// flowSide is a Decoder with n established flows and the packets that go
// on with them, for BenchmarkFlowsPair.
type flowSide struct {
	fp   *flowPackets
	d    *pcapx.Decoder
	pkts []pcapx.Packet
	k    int
	ns   time.Duration // time spent in batch while measured
}

func newFlowSide(b *testing.B, n int) *flowSide {
	s := &flowSide{fp: newFlowPackets(n), d: pcapx.NewDecoder(pcapx.Config{MaxFlows: n})}
	s.pkts = s.fp.newBatch()
	for s.k < 2*n { // both directions of every flow
		s.batch()
	}
	if st := s.d.Stats(); st.ActiveFlows != n {
		b.Fatalf("%d flows, want %d", st.ActiveFlows, n)
	}
	return s
}

// batch decodes the side's next flowBatch packets with Packets.
func (s *flowSide) batch() {
	s.fp.fillBatch(s.pkts, s.k)
	_ = s.d.Packets(s.pkts)
	s.k += flowBatch
}

// newBatch returns flowBatch packets, each with a copy of the template.
func (fp *flowPackets) newBatch() []pcapx.Packet {
	pkts := make([]pcapx.Packet, flowBatch)
	for i := range pkts {
		pkts[i].Data = append([]byte(nil), fp.tmpl[:]...)
		pkts[i].LinkType = 1
	}
	return pkts
}

// fillBatch writes packets k, k+1, ... into pkts (from newBatch), each
// captured a microsecond after the last.
func (fp *flowPackets) fillBatch(pkts []pcapx.Packet, k int) {
	for i := range pkts {
		fp.packetInto(k+i, pkts[i].Data)
		pkts[i].Time = flowT0.Add(time.Duration(k+i) * time.Microsecond)
	}
}

// flowT0 is the capture time of the flows benchmarks' first packet.
var flowT0 = time.Unix(1700000000, 0)

func benchFlows(b *testing.B, n int, batch bool) {
	fp := newFlowPackets(n)
	d := pcapx.NewDecoder(pcapx.Config{MaxFlows: n})
	ci := gopacket.CaptureInfo{Timestamp: flowT0}
	k := 0
	const batchLen = flowBatch
	pkts := fp.newBatch()
	next := func() {
		ci.Timestamp = flowT0.Add(time.Duration(k) * time.Microsecond)
		d.Packet(ci, fp.packet(k))
		k++
	}
	for range 2 * n { // both directions of every flow
		next()
	}
	st := d.Stats()
	if st.ActiveFlows != n || st.Decoded != uint64(2*n) {
		b.Fatalf("%d flows, %d decoded", st.ActiveFlows, st.Decoded)
	}
	runtime.GC()
	b.ReportAllocs()
	done := mbCPU(b)
	if batch {
		for b.Loop() {
			fp.fillBatch(pkts, k)
			d.Packets(pkts)
			k += batchLen
		}
	} else {
		for b.Loop() {
			for range batchLen {
				next()
			}
		}
	}
	done()
	st = d.Stats()
	if st.ActiveFlows != n || st.Protocols[pcapx.Modbus].Flows != uint64(n) {
		b.Fatalf("%d flows live, %d made: the table thrashed", st.ActiveFlows, st.Protocols[pcapx.Modbus].Flows)
	}
	b.ReportMetric(float64(st.TableBytes)/float64(n), "table-B/flow")
	// Per packet, not per loop of 64.
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batchLen), "ns/pkt")
	b.ReportMetric(float64(b.N*batchLen)/b.Elapsed().Seconds(), "pkts/s")
}
