package modbus

import (
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// fc3Resp10 is a Read Holding Registers response carrying 10 registers, laid
// out like icsnpp-modbus_example.pcap frame 26 (transaction 6, unit 5) with
// ten values instead of eight. It is the acceptance benchmark's input.
var fc3Resp10 = h("000600000017050314" + "00aa00aa00bb00ccef84e3eb9f8be4c1" + "0001000200")[:29]

var benchKinds = []struct {
	name string
	dir  Direction
	adu  []byte
}{
	{"fc3_resp_10regs", Response, fc3Resp10},
	{"fc3_req", Request, h("0001000000060a0300050002")},
	{"fc1_req", Request, h("0001000000060a0100000001")},
	{"fc1_resp", Response, h("0001000000040a010100")},
	{"fc5_req", Request, h("0001000000060a0500020000")},
	{"fc6_req", Request, h("0001000000060a060005000b")},
	{"fc8_req", Request, h("0000000000060a0800040000")},
	{"fc15_req", Request, h("000d00000008070f000100040109")},
	{"fc16_req", Request, h("000e0000000f0710000100040800aa00bb00cc00dd")},
	{"fc17_resp", Response, h("0000000000150a111200ff57696e6770617468204c696d69746564")},
	{"fc22_req", Request, h("0012000000080416000adead0000")},
	{"fc23_req", Request, h("001500000011061700010004000200030600aa00bb00cc")},
	{"fc43_14_resp", Response, h("00170000003d012b0e018300000300105a65656b204d6f646275732054657374011850726f746f636f6c2050617273696e672069732066756e210207312e322e332e36")},
	{"exception", Response, h("0000000000030a880b")},
	{"fc90_umas", Request, h("000000000006015a00000000")},
}

func pktsPerSec(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}

// cpuTime starts measuring the process's CPU time (testkit.CPUTime); the
// returned func reports it as cpu-ns/op. Unlike wall time it does not grow
// when other processes share the cores. Where the system does not say, it
// reports nothing.
func cpuTime(b *testing.B) func() {
	start := testkit.CPUTime()
	if start == 0 {
		return func() {}
	}
	return func() {
		b.ReportMetric(float64(testkit.CPUTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkParse measures Parse alone on each kind of ADU.
func BenchmarkParse(b *testing.B) {
	for _, k := range benchKinds {
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(k.adu)))
			done := cpuTime(b)
			s := 0
			for b.Loop() {
				f, n, _ := Parse(k.adu, k.dir)
				s += n + int(f.UnitID)
			}
			done()
			sinkInt += s
			pktsPerSec(b)
		})
	}
}

// BenchmarkFrameDecode measures Frame.Decode, Parse into a reused Frame.
func BenchmarkFrameDecode(b *testing.B) {
	for _, k := range benchKinds {
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(k.adu)))
			done := cpuTime(b)
			var f Frame
			s := 0
			for b.Loop() {
				n, _ := f.Decode(k.adu, k.dir)
				s += n + int(f.UnitID)
			}
			done()
			sinkInt += s
			pktsPerSec(b)
		})
	}
}

// BenchmarkDecode measures Parse plus the typed accessor of each kind,
// walking every value or object.
func BenchmarkDecode(b *testing.B) {
	for _, k := range benchKinds {
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(k.adu)))
			done := cpuTime(b)
			for b.Loop() {
				f, _, _ := Parse(k.adu, k.dir)
				sinkInt += decodeAll(&f)
			}
			done()
			pktsPerSec(b)
		})
	}
}

// decodeAll calls the accessor that fits f and sums what it yields.
func decodeAll(f *Frame) int {
	s := 0
	if r, ok := f.Registers(); ok {
		for _, v := range r.All {
			s += int(v)
		}
	} else if bits, ok := f.Bits(); ok {
		for _, v := range bits.All {
			if v {
				s++
			}
		}
	} else if r, ok := f.ReadRequest(); ok {
		s += int(r.Quantity)
	} else if w, ok := f.WriteSingle(); ok {
		s += int(w.Value)
	} else if d, ok := f.Diagnostic(); ok {
		s += int(d.Sub)
	} else if w, ok := f.WriteMultipleCoils(); ok {
		s += w.Values.Len()
	} else if w, ok := f.WriteMultipleRegisters(); ok {
		for _, v := range w.Values.All {
			s += int(v)
		}
	} else if id, ok := f.ServerID(); ok {
		s += len(id.Raw)
	} else if m, ok := f.MaskWrite(); ok {
		s += int(m.AndMask)
	} else if rw, ok := f.ReadWriteRequest(); ok {
		for _, v := range rw.Values.All {
			s += int(v)
		}
	} else if id, ok := f.DeviceID(); ok {
		objs := id.Objects()
		for objs.Next() {
			s += len(objs.Object().Value)
		}
	} else if f.Err() != nil {
		s += int(f.Exception)
	} else {
		s += len(f.Data())
	}
	return s
}

// BenchmarkFloor sums the same bytes in a plain loop: the floor that Parse's
// cost is compared with.
func BenchmarkFloor(b *testing.B) {
	for _, k := range benchKinds {
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(k.adu)))
			done := cpuTime(b)
			s := 0
			for b.Loop() {
				s += sumBytes(k.adu)
			}
			done()
			sinkInt += s
			pktsPerSec(b)
		})
	}
}

//go:noinline
func sumBytes(b []byte) int {
	s := 0
	for _, c := range b {
		s += int(c)
	}
	return s
}

// BenchmarkSplit cuts a stream of every kind of ADU, with a little garbage
// between some, out of one buffer.
func BenchmarkSplit(b *testing.B) {
	var stream []byte
	n := 0
	for i, k := range benchKinds {
		stream = append(stream, k.adu...)
		n++
		if i%5 == 4 {
			stream = append(stream, 0xff, 0xfe, 0xfd)
		}
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(stream)))
	done := cpuTime(b)
	for b.Loop() {
		d := stream
		for len(d) > 0 {
			adv, tok, _ := Split(d, true)
			sinkInt += len(tok)
			d = d[adv:]
		}
	}
	done()
	b.ReportMetric(float64(b.N)*float64(n)/b.Elapsed().Seconds(), "pkts/s")
}

// BenchmarkConn measures a Conn on a polling exchange: a Read Holding
// Registers request and its 10-register response, paired, the registers
// read in the request's context. One op is the pair.
func BenchmarkConn(b *testing.B) {
	req := h("000600000006050300010008")
	b.ReportAllocs()
	b.SetBytes(int64(len(req) + len(fc3Resp10)))
	done := cpuTime(b)
	var c Conn
	s := 0
	ts := int64(0)
	for b.Loop() {
		ts++
		c.Decode(req, true, ts)
		m, _ := c.Decode(fc3Resp10, false, ts)
		regs, _ := m.Registers()
		for _, v := range regs.All {
			s += int(v)
		}
		s += int(regs.Start())
	}
	done()
	sinkInt += s
	b.ReportMetric(2*float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}
