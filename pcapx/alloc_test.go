package pcapx

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// memPacket is a packet read into memory.
type memPacket struct {
	lt   layers.LinkType
	ci   gopacketCI
	data []byte
}

// loadCapture reads a whole capture into memory.
func loadCapture(t testing.TB, path string) ([]memPacket, int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skip(err)
	}
	return loadBytes(t, b)
}

func loadBytes(t testing.TB, b []byte) ([]memPacket, int) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var pkts []memPacket
	total := 0
	for {
		data, ci, lt, err := r.ReadPacket()
		if err != nil {
			break
		}
		pkts = append(pkts, memPacket{lt, ci, bytes.Clone(data)})
		total += len(data)
	}
	return pkts, total
}

// replay decodes packets from memory as a fresh capture.
func replay(d *Decoder, pkts []memPacket) {
	d.Reset()
	for i := range pkts {
		d.PacketLinkType(pkts[i].lt, pkts[i].ci, pkts[i].data)
	}
	d.Flush()
}

// syntheticCapture is a Modbus conversation built by hand, for when the
// shared captures are absent: requests and responses, PDUs across segments,
// several per segment, a retransmission, UDP.
func syntheticCapture() []byte {
	var pkts [][]byte
	cseq, sseq := uint32(1), uint32(1)
	for i := 0; i < 200; i++ {
		req := modbusADU(uint16(i))
		resp := []byte{byte(i >> 8), byte(i), 0, 0, 0, 5, 1, 3, 2, 0, byte(i)}
		if i%10 == 5 {
			// A request across two segments, then retransmitted.
			pkts = append(pkts,
				ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: cseq, flags: fACK | fPSH, payload: req[:5]}))),
				ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: cseq + 5, flags: fACK | fPSH, payload: req[5:]}))),
				ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: cseq + 5, flags: fACK | fPSH, payload: req[5:]}))))
		} else {
			pkts = append(pkts, ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: cseq, flags: fACK | fPSH, payload: req}))))
		}
		cseq += uint32(len(req))
		two := append(bytes.Clone(resp), resp...)
		pkts = append(pkts, ethIP(ipv4(srv4, cli4, 6, tcpHeader(tcpSeg{sport: 502, dport: 40000, seq: sseq, flags: fACK | fPSH, payload: two}))))
		sseq += uint32(len(two))
		pkts = append(pkts, ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: cseq, flags: fACK}))))
		pkts = append(pkts, eth(0x86dd, ipv6(cli6, srv6, 17, udpDatagram(40001, 502, req))))
	}
	return pcapFile(layers.LinkTypeEthernet, pkts...)
}

// allocCaptures are real captures, one or more per protocol, for the
// allocation test and the benchmarks.
var allocCaptures = []string{
	"modbus/arkime-modbus.pcap",
	"s7comm/gymgit-wincc_s400_production.pcapng",
	"enip/cipdip-baseline_churn_adapter.pcap",
	"dnp3/icsnpp-dnp3_example.pcap",
	"iec104/iti-iec104-TestDissectIec104.pcap",
	"mixed/zeek-modbusBig.pcap",
}

// TestZeroAllocs: once a Decoder's flows and buffers exist, decoding a
// whole capture again (new flows, streams, Split, handler, end-of-file
// flush) allocates nothing.
func TestZeroAllocs(t *testing.T) {
	check := func(t *testing.T, pkts []memPacket) {
		sum := 0
		d := NewDecoder(Config{Handler: func(p *PDU) error { sum += len(p.Data); return nil }})
		replay(d, pkts)
		if d.Stats().PDUs() == 0 {
			t.Fatal("no PDUs")
		}
		if a := testing.AllocsPerRun(5, func() { replay(d, pkts) }); a != 0 {
			t.Errorf("%v allocations per capture of %d packets", a, len(pkts))
		}
		// One packet at a time, in steady state.
		i := 0
		if a := testing.AllocsPerRun(len(pkts)-1, func() {
			d.PacketLinkType(pkts[i].lt, pkts[i].ci, pkts[i].data)
			i++
		}); a != 0 {
			t.Errorf("%v allocations per packet", a)
		}
	}
	t.Run("synthetic", func(t *testing.T) {
		pkts, _ := loadBytes(t, syntheticCapture())
		check(t, pkts)
	})
	for _, name := range allocCaptures {
		t.Run(name, func(t *testing.T) {
			pkts, _ := loadCapture(t, captureFile(t, name))
			check(t, pkts)
		})
	}
}

// ngFileOpts writes n copies of pkt as enhanced packet blocks on one
// interface of link type lt, each with the options opts (already padded).
func ngFileOpts(lt layers.LinkType, n int, pkt, opts []byte) []byte {
	order := binary.LittleEndian
	f := pcapngFile(order, []layers.LinkType{lt})
	f = f[:len(f)-24] // the statistics block
	for range n {
		epb := make([]byte, 12, 20+len(pkt)+len(opts)+8)
		epb = order.AppendUint32(epb, uint32(len(pkt)))
		epb = order.AppendUint32(epb, uint32(len(pkt)))
		epb = append(epb, pkt...)
		for len(epb)%4 != 0 {
			epb = append(epb, 0)
		}
		if opts != nil {
			epb = append(append(epb, opts...), 0, 0, 0, 0)
		}
		f = ngBlock(f, order, 6, epb)
	}
	return f
}

// TestReaderAllocs: reading records from a Reader allocates nothing per
// packet once its buffer has grown, except where pcapgo does (see Reader):
// a pcapng link type of 256 or more, and enhanced packet block options.
func TestReaderAllocs(t *testing.T) {
	pkt := twoModbusPackets()[0]
	sll2Pkt := sll2(0x0800, ipv4(cli4, srv4, 17, udpDatagram(40000, 502, modbusADU(2))))
	cases := []struct {
		name string
		file []byte
		want float64
	}{
		{"pcap", syntheticCapture(), 0},
		{"pcapng ethernet", ngFileOpts(layers.LinkTypeEthernet, 200, pkt, nil), 0},
		{"pcapng raw", ngFileOpts(layers.LinkTypeRaw, 200, pkt[14:], nil), 0},
		{"pcapng sll2", ngFileOpts(layers.LinkTypeLinuxSLL2, 200, sll2Pkt, nil), 1},
		{"pcapng epb_flags", ngFileOpts(layers.LinkTypeEthernet, 200, pkt, []byte{2, 0, 4, 0, 1, 0, 0, 0}), 1},
		{"pcapng comment", ngFileOpts(layers.LinkTypeEthernet, 200, pkt, []byte{1, 0, 3, 0, 'a', 'b', 'c', 0}), 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(c.file))
			if err != nil {
				t.Fatal(err)
			}
			r.ReadPacket()
			if a := testing.AllocsPerRun(100, func() {
				if _, _, _, err := r.ReadPacket(); err != nil {
					t.Fatal(err)
				}
			}); a != c.want {
				t.Errorf("%v allocations per record, want %v (update Reader's and doc.go's account)", a, c.want)
			}
		})
	}
}

func benchCapture(b *testing.B, pkts []memPacket, total int) {
	d := NewDecoder(Config{Handler: func(p *PDU) error { return nil }})
	replay(d, pkts)
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		replay(d, pkts)
	}
	b.ReportMetric(float64(len(pkts))*float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}

// BenchmarkCapture decodes whole captures from memory: headers, flows,
// stream assembly and the protocols' Split, with an empty handler.
func BenchmarkCapture(b *testing.B) {
	b.Run("synthetic", func(b *testing.B) {
		pkts, total := loadBytes(b, syntheticCapture())
		benchCapture(b, pkts, total)
	})
	for _, name := range allocCaptures {
		b.Run(name, func(b *testing.B) {
			pkts, total := loadCapture(b, captureFile(b, name))
			benchCapture(b, pkts, total)
		})
	}
}

// BenchmarkRead reads and decodes capture files held in memory, record
// reading (pcapgo) included: a pcap and a pcapng file.
func BenchmarkRead(b *testing.B) {
	for _, name := range []string{"mixed/zeek-modbusBig.pcap", "s7comm/gymgit-wincc_s400_production.pcapng"} {
		b.Run(name, func(b *testing.B) {
			file, err := os.ReadFile(captureFile(b, name))
			if err != nil {
				b.Skip(err)
			}
			d := NewDecoder(Config{})
			var frames uint64
			b.SetBytes(int64(len(file)))
			b.ReportAllocs()
			for b.Loop() {
				d.Reset()
				if err := d.ReadCapture(bytes.NewReader(file)); err != nil {
					b.Fatal(err)
				}
				frames = d.Stats().Frames
			}
			b.ReportMetric(float64(frames)*float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
		})
	}
}

// TestBatchAllocs: Packets, ReadCapture's batched reading (a large flow
// table) and parallel reading allocate nothing per packet in steady state;
// a parallel read allocates a few things per read (its goroutines and
// channels), however many packets it has.
func TestBatchAllocs(t *testing.T) {
	file := syntheticCapture()
	pkts, _ := loadBytes(t, file)
	batch := make([]Packet, len(pkts))
	for i, p := range pkts {
		batch[i] = Packet{Data: p.data, Time: p.ci.Timestamp, LinkType: p.lt}
	}
	d := NewDecoder(Config{Handler: func(p *PDU) error { return nil }})
	big := NewDecoder(Config{Handler: func(p *PDU) error { return nil }})
	// Enough idle flows for ReadCapture and Packets to read ahead.
	g := newSegmenter(502, 12)
	for i := range prefetchFlows {
		big.Packet(ci(0), g.segment(i, 1, modbusADU(1)))
	}
	r := bytes.NewReader(file)
	testkit.ZeroAllocs(t, []testkit.AllocCase{
		{Name: "Packets", Fn: func() {
			d.Reset()
			d.Packets(batch)
			d.Flush()
		}},
		{Name: "Packets, large table", Fn: func() { big.Packets(batch) }},
	})
	// ReadCapture's batched reading: as many allocations (the reader's)
	// for ten times the packets. (Its Flush would end the idle flows, so
	// this is its loop without it.)
	readBig := func(f []byte) float64 {
		return testing.AllocsPerRun(3, func() {
			r.Reset(f)
			cr, _ := NewReader(r)
			for {
				data, ci, lt, err := cr.ReadPacket()
				if err != nil {
					break
				}
				big.queue(lt, ci.Timestamp, data)
			}
			big.readBatch()
		})
	}
	var tenfold [][]byte
	for range 10 {
		for _, p := range pkts {
			tenfold = append(tenfold, p.data)
		}
	}
	assert.Equal(t, readBig(file), readBig(pcapFile(1, tenfold...)), "ReadCapture, large table")
	for _, w := range []int{2, 3} {
		pd := NewDecoder(Config{Workers: w, Handler: func(p *PDU) error { return nil }})
		read := func(n int) float64 {
			many := pcapFile(1, func() [][]byte {
				var out [][]byte
				for range n {
					for _, p := range pkts {
						out = append(out, p.data)
					}
				}
				return out
			}()...)
			pd.ReadCapture(bytes.NewReader(many))
			return testing.AllocsPerRun(3, func() {
				pd.Reset()
				pd.ReadCapture(bytes.NewReader(many))
			})
		}
		one, ten := read(1), read(10)
		assert.Equal(t, one, ten, "allocations per read with %d workers do not grow with the packets", w)
		assert.LessOrEqual(t, one, float64(8*w+16), "allocations per read with %d workers", w)
	}
}
