package bench

import (
	"encoding/hex"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/internal/testkit"
)

func enipHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// enipReadTagReply is a SendRRData carrying a Logix Read Tag reply (REAL
// 1500.5), 50 bytes, built in the layout of the enip package's test vectors
// (enip/vectors_test.go).
var enipReadTagReply = enipHex("6f001a00000102110000000001020304050607080000000000000000" +
	"0a000200" + "00000000" + "b2000a00" + "cc000000ca000090bb44")

// enipListIdentity is suricata-enip-alert-enip_test1.pcap frame 6.
var enipListIdentity = enipHex("63003300000000000000000000000000c1debed10000000001000c002d0001000002af120a0101a4000000000000000001000c003a00040330008e4d52000b313735362d454e42542f4103")

var (
	enipSinkF   float64
	enipSinkInt int
	enipSinkErr error
)

// enipDecodeReadTagReply is the full decode: encapsulation header, CPF item
// cursor, CIP reply header, Logix tag reply and the REAL value.
func enipDecodeReadTagReply(p []byte) float64 {
	f, _, err := enip.Parse(p)
	if err != nil {
		return 0
	}
	c, ok := f.CIP()
	if !ok {
		return 0
	}
	m, err := enip.ParseCIP(c.Msg)
	if err != nil {
		return 0
	}
	r, ok := m.TagReply(enip.ContextLogix)
	if !ok {
		return 0
	}
	v, _ := r.Value().Float32(0)
	return float64(v)
}

// BenchmarkENIPReadTagReply compares, on the same 50 bytes and in the same
// run: icsdissect's full decode down to the tag value, with the
// value-returning API and decoding in place into reused values; gopacket's
// layers.ENIP.DecodeFromBytes followed by layers.CIP.DecodeFromBytes on its
// payload (header, item walk, CIP service and status; no value, no path for
// replies); and the floor, a plain loop summing the bytes.
func BenchmarkENIPReadTagReply(b *testing.B) {
	data := enipReadTagReply
	b.Run("icsdissect_full", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		t0 := testkit.CPUTime()
		for b.Loop() {
			enipSinkF += enipDecodeReadTagReply(data)
		}
		mbPkts(b)
		testkit.ReportCPU(b, t0, b.N)
	})
	b.Run("icsdissect_full_in_place", func(b *testing.B) {
		var f enip.Frame
		var m enip.CIPMessage
		var c enip.CIPData
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		t0 := testkit.CPUTime()
		for b.Loop() {
			if _, err := f.Decode(data); err != nil || !f.DecodeCIP(&c) || m.Decode(c.Msg) != nil {
				continue
			}
			if r, ok := m.TagReply(enip.ContextLogix); ok {
				v, _ := r.Value().Float32(0)
				enipSinkF += float64(v)
			}
		}
		mbPkts(b)
		testkit.ReportCPU(b, t0, b.N)
	})
	b.Run("gopacket_ENIP_CIP", func(b *testing.B) {
		var e layers.ENIP
		var c layers.CIP
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		t0 := testkit.CPUTime()
		for b.Loop() {
			if enipSinkErr = e.DecodeFromBytes(data, gopacket.NilDecodeFeedback); enipSinkErr == nil {
				enipSinkErr = c.DecodeFromBytes(e.Payload, gopacket.NilDecodeFeedback)
				enipSinkInt += int(c.Status)
			}
		}
		mbPkts(b)
		testkit.ReportCPU(b, t0, b.N)
	})
	b.Run("floor_sum", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		t0 := testkit.CPUTime()
		for b.Loop() {
			s := 0
			for _, c := range data {
				s += int(c)
			}
			enipSinkInt += s
		}
		mbPkts(b)
		testkit.ReportCPU(b, t0, b.N)
	})
}

// BenchmarkENIPListIdentity compares a ListIdentity reply decoded down to
// the product name with gopacket's ENIP layer (header only for this
// command) and the byte-summing floor.
func BenchmarkENIPListIdentity(b *testing.B) {
	data := enipListIdentity
	b.Run("icsdissect_identity", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			f, _, _ := enip.Parse(data)
			items := f.Items()
			for items.Next() {
				id, _ := items.Item().Identity()
				enipSinkInt += len(id.ProductName)
			}
		}
		mbPkts(b)
	})
	b.Run("gopacket_ENIP", func(b *testing.B) {
		var e layers.ENIP
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			enipSinkErr = e.DecodeFromBytes(data, gopacket.NilDecodeFeedback)
			enipSinkInt += len(e.CommandSpecific.Data)
		}
		mbPkts(b)
	})
	b.Run("floor_sum", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			s := 0
			for _, c := range data {
				s += int(c)
			}
			enipSinkInt += s
		}
		mbPkts(b)
	})
}
