package bench

import (
	"encoding/hex"
	"testing"

	godnp3 "github.com/nblair2/go-dnp3/dnp3"

	"github.com/icsdissect/icsdissect/dnp3"
)

// dnp3Frames are real single-segment link frames (FIR and FIN in the
// transport header), so that a decoder without transport reassembly sees
// whole application fragments: requests and responses from
// ../../shared/captures/dnp3.
var dnp3Frames = []string{
	// iti-dnp3-read_and_response.pcap frame 4: read class 1, 2, 3, 0.
	"056414c40a0001008fedc0c0013c02063c03063c04063c01068a51",
	// iti-opendnp3conf-8.18.2.2.pcap frame 6: class 0 response, g30v2.
	"0564324401000004f89bc0c08198001e0201000000000100001eaec80201290029000164001e020100040004692701c8001e0201ffffffff0100001355",
	// iti-dnp3-directoperate_and_response.pcap frame 4: direct operate CROB.
	"05641ac40a0001008a1cc0c0050c012801000000030164000000dded6400000000005b",
	// suricata-dnp3-eve.pcap frame 115: unsolicited g32v7 float event.
	"05641c4401000a007636dffd8200002007280100000001000000f6fc00000000000000ffff",
	// iti-opendnp3conf-8.9.1.2.pcap frame 46: analog inputs, counters,
	// frozen counters, binary and analog output status.
	"0564c844010000042e11d2428190001e02010004000401c0121e65f20201ffffffff01f811140201000000000f5001370014020129002900012e0014020194dd00040004012b00140201ffffffff013c883c00150201000000000101001502012900d4ef290001010015020100040004010100154e6e0201ffffffff0101000a020000130101b51f01010101010101010101010101010101bbc301012802000013010000010000010000346c01000001000001000001000001000001fe8500000100000100000100000100000100db49000100000100000100000100000100009e0f01000047e6",
}

func dnp3Load(b *testing.B) (frames [][]byte, total int) {
	for _, s := range dnp3Frames {
		f, err := hex.DecodeString(s)
		if err != nil {
			b.Fatal(err)
		}
		frames = append(frames, f)
		total += len(f)
	}
	return frames, total
}

var dnp3Sink int64

// BenchmarkDNP3Frames compares, on the same link frames and in the same run:
// icsdissect's dnp3.Conn (header and block CRCs checked and stripped,
// transport reassembly, application header, request/response pairing)
// with the object and point cursors reading every point's index, flags and
// value; go-dnp3's Frame.FromBytes (link, transport and application into Go
// structs); and the floor, a plain loop summing the bytes. One op is one
// pass over all frames; pkts/s counts frames. icsdissect decodes in place
// (Conn.Decode, Objects.Reset, Objects.Points), the fast path of the dnp3
// package doc. proc-cpu-ns/op is the CPU time of the whole process per op:
// it counts the garbage collection go-dnp3's allocations cause, which wall
// time misses when the collector runs on another core (compare with -cpu 1
// too).
func BenchmarkDNP3Frames(b *testing.B) {
	frames, total := dnp3Load(b)
	b.Run("icsdissect_decode_reassemble_points", func(b *testing.B) {
		var (
			c  dnp3.Conn
			it dnp3.Objects
		)
		b.ReportAllocs()
		b.SetBytes(int64(total))
		cpu := processCPU()
		for b.Loop() {
			dnp3Sink += dnp3Pass(b, &c, &it, frames)
		}
		reportProcessCPU(b, cpu)
		b.ReportMetric(float64(b.N*len(frames))/b.Elapsed().Seconds(), "pkts/s")
	})
	b.Run("go-dnp3_FromBytes", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(total))
		cpu := processCPU()
		for b.Loop() {
			for _, raw := range frames {
				var f godnp3.Frame
				if err := f.FromBytes(raw); err != nil {
					b.Fatal(err)
				}
				dnp3Sink += int64(f.DataLink.Source)
			}
		}
		reportProcessCPU(b, cpu)
		b.ReportMetric(float64(b.N*len(frames))/b.Elapsed().Seconds(), "pkts/s")
	})
	b.Run("floor_sum_bytes", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(total))
		for b.Loop() {
			for _, raw := range frames {
				for _, c := range raw {
					dnp3Sink += int64(c)
				}
			}
		}
		b.ReportMetric(float64(b.N*len(frames))/b.Elapsed().Seconds(), "pkts/s")
	})
}

// dnp3Pass is one pass of icsdissect over the frames. It is a function of
// its own because the compiler keeps every variable assigned directly in a
// b.Loop body alive in memory, which would store each point on the stack;
// code outside a benchmark loop keeps it in registers.
//
//go:noinline
func dnp3Pass(b *testing.B, c *dnp3.Conn, it *dnp3.Objects, frames [][]byte) (sum int64) {
	for _, raw := range frames {
		m, err := c.Decode(raw, raw[3]&0x80 != 0, 0)
		if err != nil {
			b.Fatal(err)
		}
		if !m.Complete {
			b.Fatal("fragment not complete")
		}
		it.Reset(m.Fragment.Body, m.Fragment.Func)
		for it.Next() {
			pt := it.Points()
			for pt.Next() {
				p := pt.Point()
				sum += int64(p.Index()) + int64(p.Flags()) + p.Int() + int64(p.Float())
			}
		}
	}
	return sum
}
