package bench

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/icsdissect/icsdissect/internal/dissect"
	"github.com/icsdissect/icsdissect/pcapx"
)

// mixedCaptures are Ethernet captures of the shared corpus with all five
// protocols, read together as one mixed capture.
var mixedCaptures = []string{
	"mixed/zeek-modbusBig.pcap",
	"s7comm/iti-s7-s7comm_varservice_libnodavedemo_bench.pcap",
	"enip/iti-cip-cip_only.pcap",
	"dnp3/icsnpp-dnp3_example.pcap",
	"dnp3/ndpi-dnp3.pcap",
	"iec104/iti-iec104-JavaRMI_and_IEC_Misc.pcap",
	"iec104/iti-iec104-090813_diverse.pcap",
}

// loadMixed reads the mixed captures into memory, skipping when the corpus
// is absent.
func loadMixed(b *testing.B) (pkts []pcapx.Packet, size int) {
	for _, name := range mixedCaptures {
		file, err := os.ReadFile(filepath.Join("..", "..", "shared", "captures", name))
		if err != nil {
			b.Skipf("the shared corpus is absent: %v", err)
		}
		r, err := pcapx.NewReader(bytes.NewReader(file))
		if err != nil {
			b.Fatal(err)
		}
		for {
			data, ci, lt, err := r.ReadPacket()
			if err != nil {
				break
			}
			pkts = append(pkts, pcapx.Packet{Data: bytes.Clone(data), Time: ci.Timestamp, LinkType: lt})
			size += len(data)
		}
	}
	return pkts, size
}

// BenchmarkL2L4 compares pcapx with gopacket's DecodingLayerParser on the
// same mixed capture from memory. "dlp" decodes Ethernet, 802.1Q, IPv4,
// IPv6, TCP and UDP headers in place and nothing more; "pcapx" does the
// same headers and, for the ICS ports, the flow table, TCP stream assembly
// and each protocol's Split, with an empty handler ("packet": one
// Decoder.Packet per packet; "batch": Decoder.Packets, 64 at a time). One
// op is the whole capture; ns/pkt is per packet.
func BenchmarkL2L4(b *testing.B) {
	b.Run("dlp", func(b *testing.B) {
		pkts, size := loadMixed(b)
		var (
			eth     layers.Ethernet
			dot1q   layers.Dot1Q
			ip4     layers.IPv4
			ip6     layers.IPv6
			tcp     layers.TCP
			udp     layers.UDP
			payload gopacket.Payload
		)
		p := gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &eth, &dot1q, &ip4, &ip6, &tcp, &udp, &payload)
		p.IgnoreUnsupported = true
		decoded := make([]gopacket.LayerType, 0, 8)
		var sum int
		runtime.GC()
		b.SetBytes(int64(size))
		b.ReportAllocs()
		done := mbCPU(b)
		for b.Loop() {
			sum += dlpPass(p, pkts, &decoded)
		}
		done()
		mbSinkInt = sum
		perPacket(b, len(pkts))
	})
	for _, mode := range []string{"packet", "batch"} {
		b.Run("pcapx/"+mode, func(b *testing.B) {
			pkts, size := loadMixed(b)
			d := pcapx.NewDecoder(pcapx.Config{})
			run := func() { pcapxPass(d, pkts, mode == "batch") }
			run()
			if st := d.Stats(); st.PDUs() == 0 {
				b.Fatal("no PDUs")
			}
			runtime.GC()
			b.SetBytes(int64(size))
			b.ReportAllocs()
			done := mbCPU(b)
			for b.Loop() {
				run()
			}
			done()
			perPacket(b, len(pkts))
		})
	}
}

// dlpPass decodes every packet with p; instruction counts (callgrind's
// --toggle-collect) take this function alone.
func dlpPass(p *gopacket.DecodingLayerParser, pkts []pcapx.Packet, decoded *[]gopacket.LayerType) int {
	sum := 0
	for i := range pkts {
		p.DecodeLayers(pkts[i].Data, decoded)
		sum += len(*decoded)
	}
	return sum
}

// pcapxPass decodes every packet with d, as a new capture.
func pcapxPass(d *pcapx.Decoder, pkts []pcapx.Packet, batch bool) {
	d.Reset()
	if batch {
		for i := 0; i < len(pkts); i += 64 {
			d.Packets(pkts[i:min(i+64, len(pkts))])
		}
	} else {
		for i := range pkts {
			d.PacketLinkType(pkts[i].LinkType, gopacket.CaptureInfo{Timestamp: pkts[i].Time}, pkts[i].Data)
		}
	}
	d.Flush()
}

// perPacket reports ns/pkt and pkts/s for ops of n packets.
func perPacket(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/pkt")
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "pkts/s")
}

// mixedFile writes the mixed capture, repeated n times, as one pcap file.
func mixedFile(b *testing.B, n int) ([]byte, int) {
	pkts, _ := loadMixed(b)
	var f []byte
	le := binary.LittleEndian
	for _, v := range []uint32{0xa1b2c3d4, 4<<16 | 2, 0, 0, 262144, 1} {
		f = le.AppendUint32(f, v)
	}
	count := 0
	for range n {
		for _, p := range pkts {
			us := p.Time.UnixMicro()
			f = le.AppendUint32(f, uint32(us/1e6))
			f = le.AppendUint32(f, uint32(us%1e6))
			f = le.AppendUint32(f, uint32(len(p.Data)))
			f = le.AppendUint32(f, uint32(len(p.Data)))
			f = append(f, p.Data...)
			count++
		}
	}
	return f, count
}

// BenchmarkWorkers reads the mixed capture (five times over, 222 k
// packets) from memory with Decoder.ReadCapture and 1 or 2 workers: "pcapx" with an
// empty handler, "dissect" with internal/dissect's field dissection into a
// discarding sink. proc-cpu-ns/pkt is the CPU time of the whole process per
// packet (every thread), ns/pkt the wall time.
func BenchmarkWorkers(b *testing.B) {
	for _, h := range []string{"pcapx", "dissect"} {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/workers=%d", h, w), func(b *testing.B) {
				file, n := mixedFile(b, 5)
				cfg := pcapx.Config{Workers: w}
				// One Decoder for every pass, as a sensor keeps one:
				// its workers and buffers are made once.
				if h == "dissect" {
					newHandler := func() pcapx.Handler {
						var d dissect.Dissector
						var s nopSink
						return func(p *pcapx.PDU) error { d.PDU(s, p); return nil }
					}
					cfg.Handler = newHandler()
					cfg.Worker = func(int) (pcapx.Handler, func(*pcapx.FlowEvent)) { return newHandler(), nil }
				}
				d := pcapx.NewDecoder(cfg)
				if err := d.ReadCapture(bytes.NewReader(file)); err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				b.SetBytes(int64(len(file)))
				start := processCPU()
				for b.Loop() {
					d.Reset()
					if err := d.ReadCapture(bytes.NewReader(file)); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(processCPU()-start)/float64(b.N*n), "proc-cpu-ns/pkt")
				perPacket(b, n)
			})
		}
	}
}

// nopSink drops every field.
type nopSink struct{}

func (nopSink) Uint(string, uint64)   {}
func (nopSink) Int(string, int64)     {}
func (nopSink) Float(string, float64) {}
func (nopSink) Bool(string, bool)     {}
func (nopSink) Text(string, []byte)   {}
func (nopSink) Bytes(string, []byte)  {}
