package enip

import (
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

func reportPkts(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}

// decodeReadTagReply is the whole decode a monitor does on a SendRRData
// Read Tag reply: encapsulation header, CPF address and data items (fast
// path of Frame.CIP), CIP header, tag reply and value.
//
//go:noinline
func decodeReadTagReply(p []byte) float64 {
	f, _, err := Parse(p)
	if err != nil {
		return 0
	}
	c, ok := f.CIP()
	if !ok {
		return 0
	}
	m, err := ParseCIP(c.Msg)
	if err != nil {
		return 0
	}
	r, ok := m.TagReply(ContextLogix)
	if !ok {
		return 0
	}
	v, _ := r.Value().Float32(0)
	return float64(v)
}

// decodeReadTagReplyInPlace is the same decode into reused values.
//
//go:noinline
func decodeReadTagReplyInPlace(p []byte, f *Frame, m *CIPMessage) float64 {
	if _, err := f.Decode(p); err != nil {
		return 0
	}
	var c CIPData
	if !f.DecodeCIP(&c) || m.Decode(c.Msg) != nil {
		return 0
	}
	r, ok := m.TagReply(ContextLogix)
	if !ok {
		return 0
	}
	v, _ := r.Value().Float32(0)
	return float64(v)
}

func BenchmarkReadTagReplyInPlace(b *testing.B) {
	p := mustHex(hexReadTagReply)
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	var f Frame
	var m CIPMessage
	var sink float64
	for b.Loop() {
		sink += decodeReadTagReplyInPlace(p, &f, &m)
	}
	reportPkts(b)
	_ = sink
}

// sumBytes is the floor: touch each byte once.
//
//go:noinline
func sumBytes(p []byte) int {
	s := 0
	for _, c := range p {
		s += int(c)
	}
	return s
}

func BenchmarkReadTagReply(b *testing.B) {
	p := mustHex(hexReadTagReply)
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	var sink float64
	for b.Loop() {
		sink += decodeReadTagReply(p)
	}
	reportPkts(b)
	_ = sink
}

// BenchmarkFloorReadTagReply sums the same bytes in a plain loop: the cost
// of touching each byte once.
func BenchmarkFloorReadTagReply(b *testing.B) {
	p := mustHex(hexReadTagReply)
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	var sink int
	for b.Loop() {
		sink += sumBytes(p)
	}
	reportPkts(b)
	_ = sink
}

func BenchmarkReadTagRequest(b *testing.B) {
	p := mustHex(hexReadTagRequest)
	buf := make([]byte, 0, 64)
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	var sink int
	for b.Loop() {
		f, _, _ := Parse(p)
		items := f.Items()
		for items.Next() {
			if items.Item().Type == ItemUnconnectedData {
				m, _ := ParseCIP(items.Item().Data)
				tr, _ := m.TagRequest()
				sink += len(tr.Tag.AppendTag(buf[:0])) + int(tr.Elements)
			}
		}
	}
	reportPkts(b)
	_ = sink
}

func BenchmarkListIdentity(b *testing.B) {
	p := mustHex(hexListIdentityReply)
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	var sink int
	for b.Loop() {
		f, _, _ := Parse(p)
		items := f.Items()
		for items.Next() {
			id, _ := items.Item().Identity()
			sink += len(id.ProductName)
		}
	}
	reportPkts(b)
	_ = sink
}

func BenchmarkMultipleServicePacket(b *testing.B) {
	p := mustHex(hexMSPRequest)
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	var sink int
	for b.Loop() {
		f, _, _ := Parse(p)
		items := f.Items()
		for items.Next() {
			if _, d, ok := items.Item().ConnectedMessage(); ok {
				m, _ := ParseCIP(d)
				msgs := m.Multiple()
				for msgs.Next() {
					e := msgs.CIPMessage()
					sink += int(e.Target().Class)
				}
			}
		}
	}
	reportPkts(b)
	_ = sink
}

// BenchmarkConnReadTag pairs a Read Tag request and its reply through a
// Conn and reads the value in the request's context.
func BenchmarkConnReadTag(b *testing.B) {
	q, r := mustHex(hexReadTagRequest), mustHex(hexReadTagReply)
	b.SetBytes(int64(len(q) + len(r)))
	b.ReportAllocs()
	var c Conn
	var sink float32
	for b.Loop() {
		c.Decode(q, true, 1)
		m, _ := c.Decode(r, false, 2)
		calls := m.Calls()
		for calls.Next() {
			call := calls.Call()
			if tr, ok := call.TagReply(); ok {
				s, _ := tr.Value().At(0)
				v, _ := s.Float32()
				sink += v
			}
		}
	}
	b.ReportMetric(2*float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
	_ = sink
}

// BenchmarkConnMSP pairs a connected Multiple Service Packet and its reply.
func BenchmarkConnMSP(b *testing.B) {
	q, r := mustHex(hexConnMSPRequest), mustHex(hexConnMSPReply)
	b.SetBytes(int64(len(q) + len(r)))
	b.ReportAllocs()
	var c Conn
	var sink int
	for b.Loop() {
		c.Decode(q, true, 1)
		m, _ := c.Decode(r, false, 2)
		calls := m.Calls()
		for calls.Next() {
			call := calls.Call()
			sink += int(call.Msg.Status)
		}
	}
	b.ReportMetric(2*float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
	_ = sink
}

func BenchmarkSplit(b *testing.B) {
	var stream []byte
	for _, v := range allVectors() {
		stream = append(stream, v...)
	}
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	var sink int
	for b.Loop() {
		data := stream
		for len(data) > 0 {
			adv, tok, _ := Split(data, true)
			sink += len(tok)
			data = data[adv:]
		}
	}
	reportPkts(b)
	_ = sink
}

// BenchmarkCPUTimeRatio measures the full Read Tag reply decode, by value
// and in place, and the byte-summing floor in process CPU time (cpu-ns/op),
// which a loaded machine disturbs less than wall time; the ratio of decode
// to floor is read across the sub-benchmarks of one run.
func BenchmarkCPUTimeRatio(b *testing.B) {
	p := mustHex(hexReadTagReply)
	var sink float64
	var isink int
	run := func(name string, fn func()) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			t0 := testkit.CPUTime()
			n := 0
			for b.Loop() {
				fn()
				n++
			}
			testkit.ReportCPU(b, t0, n)
		})
	}
	var f Frame
	var m CIPMessage
	run("decode", func() { sink += decodeReadTagReply(p) })
	run("in_place", func() { sink += decodeReadTagReplyInPlace(p, &f, &m) })
	run("floor", func() { isink += sumBytes(p) })
	_, _ = sink, isink
}
