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

// walk decodes everything a monitoring tool would read from f.
func walk(f *Frame) int {
	n := int(f.TPKTLength)
	p := &f.PDU
	for it := p.Items(); it.Next(); {
		n += int(it.Item().Address)
	}
	for it := p.DataItems(); it.Next(); {
		n += len(it.Item().Value)
	}
	if _, resp, _, ok := p.ReadSZL(); ok {
		for it := resp.Records(); it.Next(); {
			n += len(it.Record())
		}
	}
	if q, ok := p.AlarmQuery(); ok {
		for it := q.Datasets(); it.Next(); {
			n += int(it.Dataset().EventID)
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

// BenchmarkDecoderReassembly joins the two data units of an SZL 0x001C
// response and walks its records.
func BenchmarkDecoderReassembly(b *testing.B) {
	f1, f2 := sample("szl1cFrag1"), sample("szl1cFrag2")
	var d Decoder
	b.ReportAllocs()
	b.SetBytes(int64(len(f1) + len(f2)))
	sink := 0
	for b.Loop() {
		d.Decode(f1)
		f, _ := d.Decode(f2)
		sink += walk(&f)
	}
	b.ReportMetric(2*float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
	_ = sink
}

// BenchmarkVsFloor alternates short runs of Parse (and of Parse plus the
// item walk) with the byte-summing floor over the same packet, so that both
// see the same machine load, and reports each per packet and their ratio.
func BenchmarkVsFloor(b *testing.B) {
	const chunk = 2000
	for _, k := range benchKinds {
		pkt := sample(k.sample)
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(pkt)))
			var tParse, tDecode, tFloor time.Duration
			sink := 0
			for b.Loop() {
				t0 := time.Now()
				for i := 0; i < chunk; i++ {
					f, _, _ := Parse(pkt)
					sink += int(f.TPKTLength)
				}
				t1 := time.Now()
				for i := 0; i < chunk; i++ {
					f, _, _ := Parse(pkt)
					sink += walk(&f)
				}
				t2 := time.Now()
				for i := 0; i < chunk; i++ {
					s := 0
					for _, c := range pkt {
						s += int(c)
					}
					sink += s
				}
				t3 := time.Now()
				tParse += t1.Sub(t0)
				tDecode += t2.Sub(t1)
				tFloor += t3.Sub(t2)
			}
			n := float64(b.N) * chunk
			b.ReportMetric(float64(tParse.Nanoseconds())/n, "parse-ns/pkt")
			b.ReportMetric(float64(tDecode.Nanoseconds())/n, "decode-ns/pkt")
			b.ReportMetric(float64(tFloor.Nanoseconds())/n, "floor-ns/pkt")
			b.ReportMetric(float64(tParse)/float64(tFloor), "parse/floor")
			b.ReportMetric(float64(tDecode)/float64(tFloor), "decode/floor")
			b.ReportMetric(n/tParse.Seconds(), "pkts/s")
			_ = sink
		})
	}
}
