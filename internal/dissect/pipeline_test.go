package dissect

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/pcapx"
)

type memPacket struct {
	lt   layers.LinkType
	ci   gopacket.CaptureInfo
	data []byte
}

// load reads a capture into memory: the repository's sample, or a capture of
// the shared corpus (skipping when the corpus is absent).
func load(tb testing.TB, name string) (pkts []memPacket, size int) {
	tb.Helper()
	path := filepath.Join("..", "..", "testdata", name)
	if _, err := os.Stat(path); err != nil {
		path = filepath.Join("..", "..", "..", "shared", "captures", name)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Skipf("capture %s not available (the shared corpus lives in ../shared/captures): %v", name, err)
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
	return pkts, size
}

func replay(d *pcapx.Decoder, pkts []memPacket) {
	d.Reset()
	for i := range pkts {
		d.PacketLinkType(pkts[i].lt, pkts[i].ci, pkts[i].data)
	}
	d.Flush()
}

// pipelineCaptures are whole captures decoded from packets to fields.
var pipelineCaptures = []string{
	"modbus_example.pcap",
	"modbus/arkime-modbus.pcap",
	"modbus/iti-modbustcp-ModbusTCP.pcap",
	"s7comm/gymgit-wincc_s400_production.pcapng",
	"enip/cipdip-baseline_churn_adapter.pcap",
	"dnp3/iti-dnp3-dnp3_test_data_part1.pcap",
	"iec104/iti-iec104-TestDissectIec104.pcap",
}

// newPipeline returns a pcapx Decoder whose handler dissects every PDU into
// sink with one Dissector.
func newPipeline(sink Sink) (*pcapx.Decoder, *int) {
	var d Dissector
	errs := 0
	dec := pcapx.NewDecoder(pcapx.Config{OnFlow: d.OnFlow, Handler: func(p *pcapx.PDU) error {
		if d.PDU(sink, p).Err != nil {
			errs++
		}
		return nil
	}})
	return dec, &errs
}

// TestPipelineAllocs: once flows and per-flow state exist, decoding a whole
// capture from packets to fields allocates nothing.
func TestPipelineAllocs(t *testing.T) {
	for _, name := range pipelineCaptures {
		t.Run(name, func(t *testing.T) {
			pkts, _ := load(t, name)
			var sink discard
			dec, _ := newPipeline(&sink)
			// The first passes grow the flow table, stream buffers and
			// per-flow state. Conns return to a free list when their flow
			// ends and the next flow may take any of them, so a Conn may
			// grow its lazily made tables in a later pass than the first:
			// after a dozen passes every pooled Conn has them, and nothing
			// may allocate.
			for range 12 {
				replay(dec, pkts)
			}
			if dec.Stats().PDUs() == 0 || sink.n == 0 {
				t.Fatalf("no fields from %d packets", len(pkts))
			}
			if a := testing.AllocsPerRun(3, func() { replay(dec, pkts) }); a != 0 {
				t.Errorf("%v allocations per pass over %d packets", a, len(pkts))
			}
		})
	}
}

// TestPipelineModbusParseAllocs: a whole capture through pcapx with
// modbus.Parse in the handler allocates nothing per packet.
func TestPipelineModbusParseAllocs(t *testing.T) {
	pkts, _ := load(t, "modbus_example.pcap")
	dec := pcapx.NewDecoder(pcapx.Config{Handler: parseModbus})
	for range 4 {
		replay(dec, pkts)
	}
	if a := testing.AllocsPerRun(5, func() { replay(dec, pkts) }); a != 0 {
		t.Errorf("%v allocations per pass over %d packets", a, len(pkts))
	}
}

func parseModbus(p *pcapx.PDU) error {
	dir := modbus.Response
	if p.ToServer {
		dir = modbus.Request
	}
	_, _, err := modbus.Parse(p.Data, dir)
	return err
}

// BenchmarkPipeline decodes whole captures from memory: pcapx (link, IP,
// TCP assembly, Split) and either modbus.Parse alone or the full field
// dissection.
func BenchmarkPipeline(b *testing.B) {
	run := func(b *testing.B, name string, handler pcapx.Handler, onFlow func(*pcapx.FlowEvent)) {
		pkts, size := load(b, name)
		dec := pcapx.NewDecoder(pcapx.Config{Handler: handler, OnFlow: onFlow})
		for range 4 {
			replay(dec, pkts)
		}
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			replay(dec, pkts)
		}
		b.ReportMetric(float64(len(pkts))*float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
	}
	for _, name := range []string{"modbus_example.pcap", "modbus/iti-modbustcp-ModbusTCP.pcap"} {
		b.Run("parse/"+name, func(b *testing.B) { run(b, name, parseModbus, nil) })
	}
	for _, name := range pipelineCaptures {
		b.Run("fields/"+name, func(b *testing.B) {
			var sink discard
			var d Dissector
			// The flows' Conns go back to the Dissector when a pass
			// ends its flows, as in TestPipelineAllocs: without OnFlow
			// every pass would allocate them anew.
			run(b, name, func(p *pcapx.PDU) error { d.PDU(&sink, p); return nil }, d.OnFlow)
		})
	}
}
