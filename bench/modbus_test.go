package bench

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/icsdissect/icsdissect/modbus"
)

// mbFC3Resp10 is a Modbus/TCP Read Holding Registers response carrying 10
// registers (29 bytes), laid out like icsnpp-modbus_example.pcap frame 26.
var mbFC3Resp10 = []byte{
	0x00, 0x06, 0x00, 0x00, 0x00, 0x17, 0x05, 0x03, 0x14,
	0x00, 0xaa, 0x00, 0xaa, 0x00, 0xbb, 0x00, 0xcc, 0xef, 0x84,
	0xe3, 0xeb, 0x9f, 0x8b, 0xe4, 0xc1, 0x00, 0x01, 0x00, 0x02,
}

var mbSinkInt int

func mbPkts(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}

// mbCPU measures the CPU time the benchmark's own thread spends, which,
// unlike wall time, does not grow when other processes share the cores.
// Call it before the loop and call the returned func after; it reports
// cpu-ns/op (Linux only; elsewhere it reports nothing). Reading the clock
// happens outside the timed loop.
func mbCPU(b *testing.B) func() {
	runtime.LockOSThread()
	start := threadCPU()
	if start == 0 {
		runtime.UnlockOSThread()
		return func() {}
	}
	return func() {
		used := threadCPU() - start
		runtime.UnlockOSThread()
		b.ReportMetric(float64(used)/float64(b.N), "cpu-ns/op")
	}
}

// threadCPU returns the calling thread's CPU time in ns, from Linux's
// /proc/thread-self/schedstat, or 0 where that is not available.
func threadCPU() int64 {
	b, err := os.ReadFile("/proc/thread-self/schedstat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	ns, _ := strconv.ParseInt(f[0], 10, 64)
	return ns
}

func BenchmarkModbusFC3Resp10(b *testing.B) {
	data := mbFC3Resp10
	b.Run("icsdissect_Parse", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		done := mbCPU(b)
		s := 0
		for b.Loop() {
			f, n, err := modbus.Parse(data, modbus.Response)
			if err != nil {
				b.Fatal(err)
			}
			s += n + int(f.UnitID)
		}
		done()
		mbSinkInt += s
		mbPkts(b)
	})
	b.Run("icsdissect_Frame_Decode", func(b *testing.B) {
		var f modbus.Frame
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		done := mbCPU(b)
		s := 0
		for b.Loop() {
			n, err := f.Decode(data, modbus.Response)
			if err != nil {
				b.Fatal(err)
			}
			s += n + int(f.UnitID)
		}
		done()
		mbSinkInt += s
		mbPkts(b)
	})
	b.Run("icsdissect_Parse_Registers", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		done := mbCPU(b)
		s := 0
		for b.Loop() {
			f, _, _ := modbus.Parse(data, modbus.Response)
			regs, _ := f.Registers()
			for i := range regs.Len() {
				v, _ := regs.At(i)
				s += int(v)
			}
		}
		done()
		mbSinkInt += s
		mbPkts(b)
	})
	b.Run("gopacket_ModbusTCP_header", func(b *testing.B) {
		var m layers.ModbusTCP
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		done := mbCPU(b)
		s := 0
		for b.Loop() {
			if err := m.DecodeFromBytes(data, gopacket.NilDecodeFeedback); err != nil {
				b.Fatal(err)
			}
			s += len(m.Payload()) + int(m.UnitIdentifier)
		}
		done()
		mbSinkInt += s
		mbPkts(b)
	})
	b.Run("floor_sum_bytes", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		done := mbCPU(b)
		s := 0
		for b.Loop() {
			s += mbSum(data)
		}
		done()
		mbSinkInt += s
		mbPkts(b)
	})
}

//go:noinline
func mbSum(b []byte) int {
	s := 0
	for _, c := range b {
		s += int(c)
	}
	return s
}

// TestModbusSameBytes checks that both decoders accept the benchmark bytes and
// agree on the header.
func TestModbusSameBytes(t *testing.T) {
	f, n, err := modbus.Parse(mbFC3Resp10, modbus.Response)
	if err != nil || n != len(mbFC3Resp10) || f.Anomalies != 0 {
		t.Fatalf("modbus.Parse: n=%d err=%v anomalies=%v", n, err, f.Anomalies)
	}
	regs, ok := f.Registers()
	if !ok || regs.Len() != 10 {
		t.Fatalf("registers: %v %d", ok, regs.Len())
	}
	var m layers.ModbusTCP
	if err := m.DecodeFromBytes(mbFC3Resp10, gopacket.NilDecodeFeedback); err != nil {
		t.Fatal(err)
	}
	if m.TransactionIdentifier != f.TransactionID || m.UnitIdentifier != f.UnitID || m.Length != f.Length {
		t.Fatalf("header differs: gopacket %+v, ours %+v", m, f)
	}
}
