package asset

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/icsdissect/icsdissect/pcapx"
)

// memPacket is a captured packet held in memory.
type memPacket struct {
	lt   layers.LinkType
	ci   gopacket.CaptureInfo
	data []byte
}

// loadPackets reads captures of the corpus into memory, one after the
// other, skipping when the corpus is absent.
func loadPackets(tb testing.TB, names ...string) (pkts []memPacket, size int) {
	tb.Helper()
	for _, name := range names {
		path := filepath.Join(capturesDir, name)
		b, err := os.ReadFile(path)
		if err != nil {
			tb.Skipf("capture %s not available (the corpus lives in ../shared/captures): %v", name, err)
		}
		r, err := pcapx.NewReader(bytes.NewReader(b))
		if err != nil {
			tb.Fatal(err)
		}
		for {
			data, ci, lt, err := r.ReadPacket()
			if err != nil {
				break
			}
			pkts = append(pkts, memPacket{lt, ci, bytes.Clone(data)})
			size += len(data)
		}
	}
	return pkts, size
}

// replay decodes packets with d and ends every flow at the end.
func replay(d *pcapx.Decoder, pkts []memPacket) {
	for i := range pkts {
		d.PacketLinkType(pkts[i].lt, pkts[i].ci, pkts[i].data)
	}
	d.Flush()
}

// mixedCapture is a capture of every protocol: one capture of each, one
// after the other.
var mixedCapture = []string{
	"modbus/iti-modbustcp-ModbusTCP.pcap",
	"s7comm/gymgit-wincc_s400_production.pcapng",
	"enip/cipdip-baseline_mixed_adapter.pcap",
	"dnp3/icsnpp-dnp3_example.pcap",
	"iec104/iti-iec104-090813_diverse.pcap",
	"s7comm/gymgit-snap7_s300_everything.pcapng",
}

// eventCounter counts the events it observes.
type eventCounter struct {
	accesses, ops, other int
}

func (c *eventCounter) Access(Access)     { c.accesses++ }
func (c *eventCounter) Operation(Op)      { c.ops++ }
func (c *eventCounter) Identity(Identity) { c.other++ }
func (c *eventCounter) Change(Change)     { c.other++ }

// BenchmarkPipeline decodes a capture of every protocol from memory
// through pcapx: with a handler that does nothing (the floor), with the
// asset engine delivering events to an observer, and with an inventory
// between them. It reports packets and events per second.
func BenchmarkPipeline(b *testing.B) {
	pkts, size := loadPackets(b, mixedCapture...)
	run := func(b *testing.B, attach func(cfg *pcapx.Config) *eventCounter) {
		var cfg pcapx.Config
		cnt := attach(&cfg)
		dec := pcapx.NewDecoder(cfg)
		replay(dec, pkts)
		events := 0
		if cnt != nil {
			*cnt = eventCounter{}
			replay(dec, pkts)
			events = cnt.accesses + cnt.ops
		}
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			replay(dec, pkts)
		}
		b.ReportMetric(float64(len(pkts))*float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
		if events > 0 {
			b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		}
	}
	b.Run("pcapx", func(b *testing.B) {
		run(b, func(cfg *pcapx.Config) *eventCounter {
			cfg.Handler = func(*pcapx.PDU) error { return nil }
			return nil
		})
	})
	b.Run("asset", func(b *testing.B) {
		run(b, func(cfg *pcapx.Config) *eventCounter {
			cnt := new(eventCounter)
			New(Config{Observer: cnt}).Attach(cfg)
			return cnt
		})
	})
	b.Run("asset+inventory", func(b *testing.B) {
		run(b, func(cfg *pcapx.Config) *eventCounter {
			cnt := new(eventCounter)
			New(Config{Observer: NewInventory(InventoryConfig{Next: cnt})}).Attach(cfg)
			return cnt
		})
	})
}

// TestCaptureAllocs replays, for each protocol, the packets of a capture
// that make access events, and checks that in steady state delivering the
// events through an Observer allocates nothing.
func TestCaptureAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("allocation counts are not meaningful under -cover")
	}
	for _, name := range []string{
		"modbus/iti-modbustcp-ModbusTCP.pcap",
		"s7comm/gymgit-wincc_s400_production.pcapng",
		"s7comm/iti-s7-s7comm_varservice_libnodavedemo.pcap",
		"enip/cipdip-baseline_mixed_adapter.pcap",
		"enip/iti-ethernetip-cip-multiple-2.pcap",
		"dnp3/icsnpp-dnp3_example.pcap",
		"iec104/iti-iec104-090813_diverse.pcap",
	} {
		t.Run(name, func(t *testing.T) {
			all, _ := loadPackets(t, name)
			// The frames whose PDUs make accesses: replaying only those
			// leaves out what allocates by design (identities, new flows).
			rec := new(recorder)
			eng := New(Config{Observer: rec})
			var cfg pcapx.Config
			frames := map[uint64]bool{}
			cfg.Handler = func(p *pcapx.PDU) error { return eng.PDU(p) }
			cfg.OnFlow = eng.Flow
			dec := pcapx.NewDecoder(cfg)
			replay(dec, all)
			for _, a := range rec.accesses {
				frames[a.Frame], frames[a.RequestFrame] = true, true
			}
			var pkts []Packet
			cfg.Handler = func(p *pcapx.PDU) error {
				if frames[uint64(p.Frame)] {
					pkts = append(pkts, Packet{Proto: Protocol(p.Proto), Transport: Transport(p.Transport), Src: p.Src, Dst: p.Dst,
						ToServer: p.ToServer, Time: p.Time, Frame: uint64(p.Frame), Data: bytes.Clone(p.Data)})
				}
				return nil
			}
			cfg.OnFlow = nil
			replay(pcapx.NewDecoder(cfg), all)
			cnt := new(eventCounter)
			var obs Observer = cnt
			e := New(Config{Observer: obs})
			pass := func() {
				for i := range pkts {
					e.Packet(&pkts[i])
				}
			}
			pass()
			pass()
			*cnt = eventCounter{}
			pass()
			accesses, ops := cnt.accesses, cnt.ops
			if accesses+ops == 0 {
				t.Fatalf("no events from %d packets", len(pkts))
			}
			a := testing.AllocsPerRun(10, pass)
			t.Logf("%d packets, %d accesses and %d operations per pass: %v allocations per pass", len(pkts), accesses, ops, a)
			if a != 0 {
				t.Errorf("%v allocations per pass of %d events", a, accesses+ops)
			}
		})
	}
}
