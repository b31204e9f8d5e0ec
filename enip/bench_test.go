package enip

import (
	"os"
	"runtime"
	"syscall"
	"testing"
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

// TestCPUTimeRatio measures, in thread CPU time rather than wall time, the
// full Read Tag reply decode against the byte-summing floor. Wall-clock
// benchmarks are unreliable on a loaded machine; CPU time of the measuring
// thread is much less so. It only logs, and runs when ENIP_CPU_RATIO is set.
func TestCPUTimeRatio(t *testing.T) {
	if os.Getenv("ENIP_CPU_RATIO") == "" {
		t.Skip("set ENIP_CPU_RATIO=1 to measure")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu := func() int64 {
		var ru syscall.Rusage
		syscall.Getrusage(1, &ru) // RUSAGE_THREAD
		return ru.Utime.Nano() + ru.Stime.Nano()
	}
	p := mustHex(hexReadTagReply)
	const n = 10_000_000
	var sink float64
	var isink int
	for round := 0; round < 3; round++ {
		t0 := cpu()
		for i := 0; i < n; i++ {
			sink += decodeReadTagReply(p)
		}
		t1 := cpu()
		var f Frame
		var m CIPMessage
		for i := 0; i < n; i++ {
			sink += decodeReadTagReplyInPlace(p, &f, &m)
		}
		t1b := cpu()
		for i := 0; i < n; i++ {
			isink += sumBytes(p)
		}
		t2 := cpu()
		dec, inPlace, floor := float64(t1-t0)/n, float64(t1b-t1)/n, float64(t2-t1b)/n
		t.Logf("Read Tag reply decode %.1f ns/op CPU (in place %.1f), floor %.1f ns/op CPU, ratio %.2f (in place %.2f)",
			dec, inPlace, floor, dec/floor, inPlace/floor)
	}
	_, _ = sink, isink
}
