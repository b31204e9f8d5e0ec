package iec104

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// meNC10 is an M_ME_NC_1 APDU with 10 objects (SQ=0, spontaneous, common
// address 10, IOAs 1001..1010), built in the shape of
// fkie-iec104.pcap frame 14's M_ME_NC_1 ASDU with real-looking values.
func meNC10() []byte {
	b := []byte{0x68, 0, 0x02, 0x00, 0x02, 0x00, byte(M_ME_NC_1), 10, 3, 0, 10, 0}
	for i := 0; i < 10; i++ {
		ioa := 1001 + i
		b = append(b, byte(ioa), byte(ioa>>8), byte(ioa>>16))
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(230.5+float32(i)*0.25))
		b = append(b, 0)
	}
	b[1] = byte(len(b) - 2)
	return b
}

var benchSink float64

func reportPkts(b *testing.B, pkts int) {
	b.ReportMetric(float64(pkts)/b.Elapsed().Seconds(), "pkts/s")
}

// cpuStart starts a CPU-time measurement; call the returned function after
// the b.Loop loop with the number of iterations to report cpu-ns/op.
func cpuStart(b *testing.B) func(n int) {
	t0 := testkit.CPUTime()
	return func(n int) { testkit.ReportCPU(b, t0, n) }
}

// decodeAll parses p and decodes every element the way a monitoring
// consumer would: value, quality and time tag.
func decodeAll(p []byte) uint64 {
	f, _, err := Parse(p)
	if err != nil {
		return 0
	}
	var s uint64
	it := f.ASDU.Objects()
	for it.Next() {
		o := it.Object()
		v, _ := o.Float()
		q, _ := o.QDS()
		s += uint64(o.IOA) + uint64(math.Float32bits(v)) + uint64(q)
	}
	return s
}

// decodeAllRange is decodeAll with range over ASDU.All.
func decodeAllRange(p []byte) uint64 {
	f, _, err := Parse(p)
	if err != nil {
		return 0
	}
	var s uint64
	for _, o := range f.ASDU.All {
		v, _ := o.Float()
		q, _ := o.QDS()
		s += uint64(o.IOA) + uint64(math.Float32bits(v)) + uint64(q)
	}
	return s
}

// BenchmarkParseMENC10All is BenchmarkParseMENC10 walking the objects
// with range over ASDU.All instead of the cursor.
func BenchmarkParseMENC10All(b *testing.B) {
	p := meNC10()
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	n := 0
	cpu := cpuStart(b)
	for b.Loop() {
		benchSink += float64(decodeAllRange(p))
		n++
	}
	cpu(n)
	reportPkts(b, n)
}

// BenchmarkParseMENC10 parses an M_ME_NC_1 APDU of 10 objects and decodes
// each object's address, float and quality descriptor.
func BenchmarkParseMENC10(b *testing.B) {
	p := meNC10()
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	n := 0
	cpu := cpuStart(b)
	for b.Loop() {
		benchSink += float64(decodeAll(p))
		n++
	}
	cpu(n)
	reportPkts(b, n)
}

// BenchmarkFloorMENC10 sums the same bytes in a plain loop: the floor any
// decoder that touches every byte is measured against.
func BenchmarkFloorMENC10(b *testing.B) {
	p := meNC10()
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	n := 0
	cpu := cpuStart(b)
	for b.Loop() {
		var s uint64
		for _, c := range p {
			s += uint64(c)
		}
		benchSink += float64(s)
		n++
	}
	cpu(n)
	reportPkts(b, n)
}

// corpusAPDUs returns every APDU of the test captures.
func corpusAPDUs(b *testing.B) (apdus [][]byte, size int) {
	for _, c := range corpus(b) {
		for _, p := range c.apdus {
			apdus = append(apdus, p.b)
			size += len(p.b)
		}
	}
	return apdus, size
}

// decodeEvery walks every object of f and calls the accessors its type
// has, as the dissector does.
func decodeEvery(f *Frame) float64 {
	var s float64
	it := f.ASDU.Objects()
	for it.Next() {
		o := it.Object()
		s += float64(o.IOA)
		if v, ok := o.SIQ(); ok && v.SPI() {
			s++
		}
		if v, ok := o.DIQ(); ok {
			s += float64(v.DPI())
		}
		if v, ok := o.QDS(); ok && v.IV() {
			s++
		}
		if v, ok := o.Normalized(); ok {
			s += float64(NormalizedValue(v))
		}
		if v, ok := o.Scaled(); ok {
			s += float64(v)
		}
		if v, ok := o.Float(); ok {
			s += float64(v)
		}
		if v, ok := o.BSI(); ok {
			s += float64(v)
		}
		if v, ok := o.SCO(); ok && v.On() {
			s++
		}
		if v, ok := o.DCO(); ok {
			s += float64(v.State())
		}
		if v, ok := o.CP56(); ok {
			s += float64(v.Millis)
		}
	}
	return s
}

// BenchmarkParseCorpus parses every APDU of the IEC 104 captures and decodes
// every element.
func BenchmarkParseCorpus(b *testing.B) {
	apdus, size := corpusAPDUs(b)
	b.ReportAllocs()
	b.SetBytes(int64(size))
	n := 0
	for b.Loop() {
		for _, p := range apdus {
			f, _, _ := Parse(p)
			benchSink += decodeEvery(&f)
		}
		n += len(apdus)
	}
	reportPkts(b, n)
}

// BenchmarkFloorCorpus sums the bytes of the same APDUs.
func BenchmarkFloorCorpus(b *testing.B) {
	apdus, size := corpusAPDUs(b)
	b.ReportAllocs()
	b.SetBytes(int64(size))
	n := 0
	for b.Loop() {
		var s uint64
		for _, p := range apdus {
			for _, c := range p {
				s += uint64(c)
			}
		}
		benchSink += float64(s)
		n += len(apdus)
	}
	reportPkts(b, n)
}

// BenchmarkSplit cuts the concatenated APDUs of the captures.
func BenchmarkSplit(b *testing.B) {
	apdus, size := corpusAPDUs(b)
	stream := make([]byte, 0, size)
	for _, p := range apdus {
		stream = append(stream, p...)
	}
	b.ReportAllocs()
	b.SetBytes(int64(size))
	n := 0
	for b.Loop() {
		data := stream
		for len(data) > 0 {
			adv, tok, _ := Split(data, true)
			if tok != nil {
				n++
			}
			data = data[adv:]
		}
	}
	reportPkts(b, n)
}

// BenchmarkConn feeds the APDUs of the captures, one Conn per TCP
// connection, as a sensor does.
func BenchmarkConn(b *testing.B) {
	type apduDir struct {
		b      []byte
		up     bool
		stream int
	}
	var apdus []apduDir
	for ci, c := range corpus(b) {
		for _, p := range c.apdus {
			apdus = append(apdus, apduDir{p.b, p.toServer, ci<<16 | p.stream})
		}
	}
	conns := map[int]*Conn{}
	for _, p := range apdus {
		if conns[p.stream] == nil {
			conns[p.stream] = new(Conn)
		}
	}
	b.ReportAllocs()
	n := 0
	var a Anomaly
	for b.Loop() {
		for _, c := range conns {
			c.Reset()
		}
		for i, p := range apdus {
			m, _ := conns[p.stream].Decode(p.b, p.up, int64(i))
			a |= m.Anomalies
		}
		n += len(apdus)
	}
	benchSink += float64(a)
	reportPkts(b, n)
}
