package s7comm

import (
	"testing"
	"time"
)

// benchKinds are the message kinds benchmarked, each a real packet.
var benchKinds = []struct{ name, sample string }{
	{"ReadVarResponse4", "readAck4"},
	{"ReadVarJob4", "readJob4"},
	{"WriteVarJob5", "writeJob5"},
	{"SetupComm", "setupJob"},
	{"SZL0011Response", "szl11Resp"},
	{"ReadClockResponse", "clockResp"},
	{"AlarmQueryResponse", "alarmQuery"},
	{"COTPConnect", "cotpCR"},
	{"S7commPlus", "plusReq"},
}

func pktsPerSec(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}

// walk decodes everything a monitoring tool would read from f. It uses the
// two-statement cursor form (it := ...; for it.Next()), which does not copy
// the cursor on each iteration.
func walk(f *Frame) int {
	n := int(f.TPKTLength)
	p := &f.PDU
	if p.ROSCTR != Userdata {
		items := p.Items()
		for items.Next() {
			n += int(items.Item().Address)
		}
		data := p.DataItems()
		for data.Next() {
			n += len(data.DataItem().Value)
		}
		return n
	}
	if _, resp, _, ok := p.ReadSZL(); ok {
		recs := resp.Records()
		for i := 0; i < recs.Len(); i++ {
			rec, _ := recs.At(i)
			n += len(rec)
		}
	}
	if q, ok := p.AlarmQuery(); ok {
		ds := q.Datasets()
		for ds.Next() {
			n += int(ds.AlarmDataset().EventID)
		}
	}
	if t, ok := p.Clock(); ok {
		n += int(t.Second)
	}
	return n
}

// BenchmarkParse measures Parse alone per message kind.
func BenchmarkParse(b *testing.B) {
	for _, k := range benchKinds {
		pkt := sample(k.sample)
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(pkt)))
			sink := 0
			for b.Loop() {
				f, _, _ := Parse(pkt)
				sink += int(f.TPKTLength)
			}
			pktsPerSec(b)
			_ = sink
		})
	}
}

// BenchmarkParseInPlace measures Frame.Decode, Parse's in-place form.
func BenchmarkParseInPlace(b *testing.B) {
	for _, k := range benchKinds {
		pkt := sample(k.sample)
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(pkt)))
			sink := 0
			var f Frame
			for b.Loop() {
				f.Decode(pkt)
				sink += int(f.TPKTLength)
			}
			pktsPerSec(b)
			_ = sink
		})
	}
}

// BenchmarkDecode measures Parse plus walking every item, record or
// dataset of the message.
func BenchmarkDecode(b *testing.B) {
	for _, k := range benchKinds {
		pkt := sample(k.sample)
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(pkt)))
			sink := 0
			for b.Loop() {
				f, _, _ := Parse(pkt)
				sink += walk(&f)
			}
			pktsPerSec(b)
			_ = sink
		})
	}
}

// BenchmarkFloor sums the same bytes in a plain loop: the cost of touching
// each byte once, against which Parse is measured.
func BenchmarkFloor(b *testing.B) {
	for _, k := range benchKinds {
		pkt := sample(k.sample)
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(pkt)))
			sink := 0
			for b.Loop() {
				s := 0
				for _, c := range pkt {
					s += int(c)
				}
				sink += s
			}
			pktsPerSec(b)
			_ = sink
		})
	}
}

// BenchmarkSplit cuts a stream of mixed packets.
func BenchmarkSplit(b *testing.B) {
	var stream []byte
	for _, k := range benchKinds {
		stream = append(stream, sample(k.sample)...)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(stream)))
	pkts := 0
	for b.Loop() {
		data := stream
		for len(data) > 0 {
			adv, tok, _ := Split(data, true)
			if tok != nil {
				pkts++
			}
			data = data[adv:]
		}
	}
	b.ReportMetric(float64(pkts)/b.Elapsed().Seconds(), "pkts/s")
}

// BenchmarkConnReassembly joins the two data units of an SZL 0x001C
// response in a Conn and walks its records (the request side is not
// decoded, so that the work matches the earlier Decoder benchmark).
func BenchmarkConnReassembly(b *testing.B) {
	f1, f2 := sample("szl1cFrag1"), sample("szl1cFrag2")
	var c Conn
	b.ReportAllocs()
	b.SetBytes(int64(len(f1) + len(f2)))
	sink := 0
	for b.Loop() {
		c.Decode(f1, false, 0)
		m, _ := c.Decode(f2, false, 0)
		sink += walk(&m.Frame)
	}
	b.ReportMetric(2*float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
	_ = sink
}

// BenchmarkConn decodes request/response pairs through a Conn: pairing,
// the request's context and, for reads, the typed values.
func BenchmarkConn(b *testing.B) {
	pairs := []struct{ name, req, resp string }{
		{"ReadVar4", "readJob4", "readAck4"},
		{"ReadVarTC", "readTC", "readTCAck"},
		{"WriteVar5", "writeJob5", "writeAck5"},
		{"ReadSZL", "szl11Req", "szl11Resp"},
	}
	for _, p := range pairs {
		req, resp := sample(p.req), sample(p.resp)
		b.Run(p.name, func(b *testing.B) {
			var c Conn
			b.ReportAllocs()
			b.SetBytes(int64(len(req) + len(resp)))
			sink := 0
			for b.Loop() {
				c.Decode(req, true, 0)
				m, _ := c.Decode(resp, false, 1)
				r := m.VarResults()
				for r.Next() {
					v := r.VarResult().Values()
					for v.Next() {
						sink += int(v.Value().Int)
					}
				}
			}
			b.ReportMetric(2*float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
			_ = sink
		})
	}
}

//go:noinline
func parseRun(pkt []byte, n int) (sink int) {
	for i := 0; i < n; i++ {
		f, _, _ := Parse(pkt)
		sink += int(f.TPKTLength)
	}
	return sink
}

//go:noinline
func decodeRun(pkt []byte, n int) (sink int) {
	var f Frame
	for i := 0; i < n; i++ {
		f.Decode(pkt)
		sink += walk(&f)
	}
	return sink
}

//go:noinline
func floorRun(pkt []byte, n int) (sink int) {
	for i := 0; i < n; i++ {
		s := 0
		for _, c := range pkt {
			s += int(c)
		}
		sink += s
	}
	return sink
}

// BenchmarkVsFloor alternates short runs of Parse, of Frame.Decode plus the
// item walk, and of the byte-summing floor over the same packet, so that
// all three see the same machine load. It reports the mean time per packet
// of each and, because a shared machine preempts runs at random, also the
// fastest run of each (min-*) and the ratios of those minima.
func BenchmarkVsFloor(b *testing.B) {
	const chunk = 256
	for _, k := range benchKinds {
		pkt := sample(k.sample)
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(pkt)))
			var tParse, tDecode, tFloor time.Duration
			minP, minD, minF := time.Duration(1<<62), time.Duration(1<<62), time.Duration(1<<62)
			sink := 0
			for b.Loop() {
				t0 := time.Now()
				sink += parseRun(pkt, chunk)
				t1 := time.Now()
				sink += decodeRun(pkt, chunk)
				t2 := time.Now()
				sink += floorRun(pkt, chunk)
				t3 := time.Now()
				dp, dd, df := t1.Sub(t0), t2.Sub(t1), t3.Sub(t2)
				tParse, tDecode, tFloor = tParse+dp, tDecode+dd, tFloor+df
				minP, minD, minF = min(minP, dp), min(minD, dd), min(minF, df)
			}
			n := float64(b.N) * chunk
			b.ReportMetric(float64(tParse.Nanoseconds())/n, "parse-ns/pkt")
			b.ReportMetric(float64(tDecode.Nanoseconds())/n, "decode-ns/pkt")
			b.ReportMetric(float64(tFloor.Nanoseconds())/n, "floor-ns/pkt")
			b.ReportMetric(float64(minP.Nanoseconds())/chunk, "min-parse-ns/pkt")
			b.ReportMetric(float64(minD.Nanoseconds())/chunk, "min-decode-ns/pkt")
			b.ReportMetric(float64(minF.Nanoseconds())/chunk, "min-floor-ns/pkt")
			b.ReportMetric(float64(minP)/float64(minF), "parse/floor")
			b.ReportMetric(float64(minD)/float64(minF), "decode/floor")
			b.ReportMetric(n/tParse.Seconds(), "pkts/s")
			_ = sink
		})
	}
}

// The Cost benchmarks run one kind of work each, for measuring CPU time
// per packet with an external tool (perf stat, /usr/bin/time) when the
// machine is shared and wall-clock times are unreliable:
//
//	go test -c -o s7.test && perf stat ./s7.test -test.run '^$' -test.bench '^BenchmarkCostParse$' -test.benchtime 20000000x
func BenchmarkCostParse(b *testing.B) {
	pkt := sample("readAck4")
	for b.Loop() {
		parseRun(pkt, 1)
	}
}

func BenchmarkCostDecode(b *testing.B) {
	pkt := sample("readAck4")
	for b.Loop() {
		decodeRun(pkt, 1)
	}
}

func BenchmarkCostFloor(b *testing.B) {
	pkt := sample("readAck4")
	for b.Loop() {
		floorRun(pkt, 1)
	}
}
