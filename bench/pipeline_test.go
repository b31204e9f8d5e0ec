package bench

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/icsdissect/icsdissect/gopacketx"
	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/icsdissect/icsdissect/pcapx"
)

// BenchmarkPipeline decodes the same mixed capture of about a million
// packets of all five protocols (built from the corpus, see buildMixed),
// held in memory and already split into packets, in the same run, each way:
//
//   - read_pcapgo: only reading the pcap records with gopacket's pcapgo,
//     which every row below leaves out: the cost a file reader adds.
//   - pcapx: pcapx alone: link, IP and transport headers, flows, TCP
//     stream reassembly and each protocol's Split, to a handler that does
//     nothing.
//   - pipeline: pcapx and, in its handler, every protocol's PDU decoded in
//     place with the protocol packages' public API and every field a
//     monitor reads (see monitor).
//   - dlp_l2l4: gopacket's DecodingLayerParser with Ethernet, IPv4, IPv6,
//     TCP and UDP only: headers, no flows, no streams, no application.
//     dlp_l2l4_sparse is the same with gopacket's fastest layer container,
//     DecodingLayerSparse, in place of the default map.
//   - newpacket_gopacket: gopacket.NewPacket with gopacket's own layers,
//     its ICS layers included (layers.ModbusTCP, layers.ENIP, layers.CIP,
//     decoded over TCP with DecodeStreamsAsDatagrams), one PDU per segment.
//   - dlp_gopacketx: the DecodingLayerParser with package gopacketx's
//     layers and the same field reading as the pipeline, one PDU per
//     segment, no stream reassembly.
//
// One op is one pass over the capture; pkts/s, ns/pkt and allocs/pkt are
// per packet. Each row makes one pass before timing starts, so that flow
// tables and buffers have grown, as in a sensor that has been running.
//
// ICSBENCH_PACKETS sets the capture's size; ICSBENCH_PASSES=n makes each
// row do exactly n timed passes (whatever -benchtime says), which
// scripts/instructions.sh uses to count instructions per packet with
// callgrind.
func BenchmarkPipeline(b *testing.B) {
	c := loadMixed(b)
	b.Run("read_pcapgo", func(b *testing.B) {
		var n int
		rows(b, c, func() {
			r, err := pcapgo.NewReader(bytes.NewReader(c.file))
			if err != nil {
				b.Fatal(err)
			}
			for {
				if _, _, err := r.ZeroCopyReadPacketData(); err != nil {
					break
				}
				n++
			}
		})
	})
	b.Run("pcapx", func(b *testing.B) {
		var pdus uint64
		d := pcapx.NewDecoder(pcapx.Config{Handler: func(p *pcapx.PDU) error { pdus++; return nil }})
		rows(b, c, func() { passPcapx(d, c.pkts) })
		st := d.Stats()
		b.Logf("%d frames: %d decoded, %d malformed, %d not ours; %d PDUs", st.Frames, st.Decoded, st.Malformed, st.NotOurs, st.PDUs())
	})
	b.Run("pipeline", func(b *testing.B) {
		var m monitor
		d := pcapx.NewDecoder(pcapx.Config{Handler: m.pdu})
		rows(b, c, func() { m.reset(); passPcapx(d, c.pkts) })
		logMonitor(b, &m)
	})
	for _, sparse := range []bool{false, true} {
		name := "dlp_l2l4"
		if sparse {
			name += "_sparse"
		}
		b.Run(name, func(b *testing.B) {
			d := newDLP(nil, sparse)
			rows(b, c, func() {
				for i := range c.pkts {
					d.p.DecodeLayers(c.pkts[i].data, &d.decoded)
					d.sum += len(d.decoded)
				}
			})
		})
	}
	b.Run("newpacket_gopacket", func(b *testing.B) {
		opts := gopacket.DecodeOptions{NoCopy: true, DecodeStreamsAsDatagrams: true}
		var sum, apps int
		rows(b, c, func() {
			for i := range c.pkts {
				pk := gopacket.NewPacket(c.pkts[i].data, layers.LayerTypeEthernet, opts)
				if app := pk.ApplicationLayer(); app != nil {
					sum += len(app.Payload())
					apps++
				}
			}
		})
		b.Logf("%d application layers", apps)
	})
	b.Run("dlp_gopacketx", func(b *testing.B) {
		withICSPorts(b, func() {
			var ics gopacketx.Layers
			var m monitor
			d := newDLP(&ics, false)
			rows(b, c, func() { m.reset(); passDLPICS(d, &ics, &m, c.pkts) })
			logMonitor(b, &m)
		})
	})
}

// measured runs one timed pass. It is a function of its own so that a
// profile or callgrind can tell the timed passes from the rest.
//
//go:noinline
func measured(pass func()) { pass() }

// rows times pass, after one untimed pass and a garbage collection, and
// reports per-packet metrics.
func rows(b *testing.B, c *mixedCapture, pass func()) {
	pass()
	// Collect the setup's garbage now, so that the timed passes pay only
	// for their own.
	runtime.GC()
	b.ReportMetric(float64(len(c.pkts)), "pkts/op")
	if s := os.Getenv("ICSBENCH_PASSES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			b.Fatalf("ICSBENCH_PASSES=%q: want a number", s)
		}
		for range n {
			measured(pass)
		}
		return
	}
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	b.ReportAllocs()
	b.SetBytes(int64(c.bytes))
	cpu := testkit.CPUTime()
	for b.Loop() {
		measured(pass)
	}
	cpu = testkit.CPUTime() - cpu
	runtime.ReadMemStats(&m1)
	pkts := float64(len(c.pkts)) * float64(b.N)
	b.ReportMetric(pkts/b.Elapsed().Seconds(), "pkts/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/pkts, "ns/pkt")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/pkts, "proc-cpu-ns/pkt")
	}
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/pkts, "allocs/pkt")
}

// passPcapx decodes every packet with d, from a fresh start that keeps
// d's memory, and flushes the streams at the end.
func passPcapx(d *pcapx.Decoder, pkts []packet) {
	d.Reset()
	for i := range pkts {
		d.Packet(pkts[i].ci, pkts[i].data)
	}
	d.Flush()
}

// logMonitor logs what the last pass read.
func logMonitor(b *testing.B, m *monitor) {
	for p := pcapx.Protocol(1); p < pcapx.NumProtocols; p++ {
		b.Logf("%-7s %8d PDUs read, %6d not decoded", p, m.pdus[p], m.errs[p])
	}
}

// dlp is a DecodingLayerParser over gopacket's L2-L4 layers, and the ICS
// layers when given.
type dlp struct {
	eth     layers.Ethernet
	ip4     layers.IPv4
	ip6     layers.IPv6
	tcp     layers.TCP
	udp     layers.UDP
	p       *gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
	sum     int
}

func newDLP(ics *gopacketx.Layers, sparse bool) *dlp {
	d := &dlp{decoded: make([]gopacket.LayerType, 0, 8)}
	d.p = gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet)
	if sparse {
		d.p.SetDecodingLayerContainer(gopacket.DecodingLayerSparse(nil))
	}
	for _, l := range []gopacket.DecodingLayer{&d.eth, &d.ip4, &d.ip6, &d.tcp, &d.udp} {
		d.p.AddDecodingLayer(l)
	}
	d.p.IgnoreUnsupported = true
	if ics != nil {
		ics.AddTo(d.p, &d.tcp, &d.udp)
	}
	return d
}

// passDLPICS decodes every packet with the parser and reads the fields of
// the ICS layer it ends with.
func passDLPICS(d *dlp, ics *gopacketx.Layers, m *monitor, pkts []packet) {
	for i := range pkts {
		if err := d.p.DecodeLayers(pkts[i].data, &d.decoded); err != nil || len(d.decoded) == 0 {
			continue
		}
		switch d.decoded[len(d.decoded)-1] {
		case gopacketx.LayerTypeModbus:
			m.pdus[pcapx.Modbus]++
			m.modbusFields(&ics.Modbus.Frame)
		case gopacketx.LayerTypeS7comm:
			m.pdus[pcapx.S7comm]++
			m.s7Fields(&ics.S7comm.Frame)
		case gopacketx.LayerTypeENIP:
			m.pdus[pcapx.ENIP]++
			m.enipFields(&ics.ENIP.Frame, &ics.ENIP.CIP, &ics.ENIP.Message, ics.ENIP.HasMessage)
		case gopacketx.LayerTypeENIPIO:
			m.pdus[pcapx.ENIP]++
			m.enipIOFields(&ics.ENIPIO.Frame)
		case gopacketx.LayerTypeDNP3:
			m.pdus[pcapx.DNP3]++
			l := &ics.DNP3.Link
			m.sum += uint64(l.Src) + uint64(l.Dst) + uint64(l.Control)
			if ics.DNP3.HasApp {
				m.dnp3Fields(&ics.DNP3.App)
			}
		case gopacketx.LayerTypeIEC104:
			m.pdus[pcapx.IEC104]++
			m.iec104Fields(&ics.IEC104.Frame)
		}
	}
}

// withICSPorts runs f with the ICS ports mapped to gopacketx's layers in
// gopacket's port tables, then maps them back to what they were, so that
// the other rows see gopacket's own layers.
func withICSPorts(b *testing.B, f func()) {
	ports := gopacketx.Ports()
	old := make([]gopacket.LayerType, len(ports))
	for i, p := range ports {
		if p.TCP {
			old[i] = layers.TCPPort(p.Port).LayerType()
		} else {
			old[i] = layers.UDPPort(p.Port).LayerType()
		}
	}
	if err := gopacketx.RegisterPorts(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		for i, p := range ports {
			if p.TCP {
				layers.RegisterTCPPortLayerType(layers.TCPPort(p.Port), old[i])
			} else {
				layers.RegisterUDPPortLayerType(layers.UDPPort(p.Port), old[i])
			}
		}
	}()
	f()
}
