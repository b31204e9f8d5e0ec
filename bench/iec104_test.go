package bench

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/icsdissect/icsdissect/iec104"
	"github.com/thinkgos/go-iecp5/asdu"
)

// iecMENC10 is an M_ME_NC_1 APDU with 10 objects (SQ=0, spontaneous,
// common address 10, IOAs 1001..1010), in the shape of fkie-iec104.pcap
// frame 14's M_ME_NC_1 ASDU: 6 octets of APCI, 6 of ASDU header and 10
// objects of 8 octets (IOA, float, QDS).
func iecMENC10() []byte {
	b := []byte{0x68, 0, 0x02, 0x00, 0x02, 0x00, 13, 10, 3, 0, 10, 0}
	for i := 0; i < 10; i++ {
		ioa := 1001 + i
		b = append(b, byte(ioa), byte(ioa>>8), byte(ioa>>16))
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(230.5+float32(i)*0.25))
		b = append(b, 0)
	}
	b[1] = byte(len(b) - 2)
	return b
}

var (
	iecSinkF float64
	iecSinkT time.Time
)

func iecPkts(b *testing.B, pkts int) {
	b.ReportMetric(float64(pkts)/b.Elapsed().Seconds(), "pkts/s")
}

// BenchmarkIEC104MENC10 compares, on the same M_ME_NC_1 ASDU of 10
// objects and in the same run: icsdissect's iec104.ParseASDU plus the
// cursor reading every object's address, float and quality descriptor;
// go-iecp5's ASDU.UnmarshalBinary plus GetMeasuredValueFloat (which decodes
// the same parts into a slice); and the floor, a plain loop summing the
// bytes.
func BenchmarkIEC104MENC10(b *testing.B) {
	raw := iecMENC10()[6:]
	b.Run("icsdissect_ParseASDU_decode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			a, err := iec104.ParseASDU(raw)
			if err != nil {
				b.Fatal(err)
			}
			it := a.Objects()
			for it.Next() {
				o := it.Object()
				v, _ := o.Float()
				q, _ := o.QDS()
				iecSinkF += float64(o.IOA) + float64(v) + float64(q)
			}
		}
		iecPkts(b, b.N)
	})
	b.Run("go-iecp5_Unmarshal_GetMeasuredValueFloat", func(b *testing.B) {
		a := asdu.NewEmptyASDU(asdu.ParamsWide)
		b.ReportAllocs()
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			if err := a.UnmarshalBinary(raw); err != nil {
				b.Fatal(err)
			}
			for _, v := range a.GetMeasuredValueFloat() {
				iecSinkF += float64(v.Ioa) + float64(v.Value) + float64(v.Qds)
			}
		}
		iecPkts(b, b.N)
	})
	b.Run("floor_byte_sum", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			var s uint64
			for _, c := range raw {
				s += uint64(c)
			}
			iecSinkF += float64(s)
		}
		iecPkts(b, b.N)
	})
}

// iecCorpusASDUs returns the ASDUs of the I-frames of the IEC 104 capture
// APDUs (../iec104/testdata/apdus.tsv) that both decoders accept and whose
// type go-iecp5 decodes.
func iecCorpusASDUs(b *testing.B) (asdus [][]byte, size int) {
	f, err := os.Open("../iec104/testdata/apdus.tsv")
	if err != nil {
		b.Skip("iec104 test data not found: " + err.Error())
	}
	defer f.Close()
	probe := asdu.NewEmptyASDU(asdu.ParamsWide)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		p, err := hex.DecodeString(cols[len(cols)-1])
		if err != nil {
			b.Fatal(err)
		}
		fr, _, err := iec104.Parse(p)
		if err != nil || fr.Format != iec104.FormatI || !iecp5Decodes(fr.ASDU.Type) {
			continue
		}
		raw := p[6:]
		if probe.UnmarshalBinary(raw) != nil {
			continue
		}
		asdus = append(asdus, raw)
		size += len(raw)
	}
	return asdus, size
}

func iecp5Decodes(t iec104.TypeID) bool {
	switch t {
	case 1, 2, 30, 3, 4, 31, 5, 6, 32, 7, 8, 33, 9, 10, 21, 34, 11, 12, 35, 13, 14, 36,
		15, 16, 37, 45, 58, 46, 59, 47, 60, 48, 61, 49, 62, 50, 63, 51, 64, 70, 100, 101, 103:
		return true
	}
	return false
}

// iecp5Decode decodes every element of a with go-iecp5's getter for its
// type.
func iecp5Decode(a *asdu.ASDU) float64 {
	var s float64
	switch a.Type {
	case 1, 2, 30:
		for _, v := range a.GetSinglePoint() {
			s += float64(v.Ioa) + float64(v.Qds)
			iecSinkT = v.Time
		}
	case 3, 4, 31:
		for _, v := range a.GetDoublePoint() {
			s += float64(v.Ioa) + float64(v.Value)
			iecSinkT = v.Time
		}
	case 5, 6, 32:
		for _, v := range a.GetStepPosition() {
			s += float64(v.Ioa) + float64(v.Value.Val)
			iecSinkT = v.Time
		}
	case 7, 8, 33:
		for _, v := range a.GetBitString32() {
			s += float64(v.Ioa) + float64(v.Value)
			iecSinkT = v.Time
		}
	case 9, 10, 21, 34:
		for _, v := range a.GetMeasuredValueNormal() {
			s += float64(v.Ioa) + float64(v.Value)
			iecSinkT = v.Time
		}
	case 11, 12, 35:
		for _, v := range a.GetMeasuredValueScaled() {
			s += float64(v.Ioa) + float64(v.Value)
			iecSinkT = v.Time
		}
	case 13, 14, 36:
		for _, v := range a.GetMeasuredValueFloat() {
			s += float64(v.Ioa) + float64(v.Value)
			iecSinkT = v.Time
		}
	case 15, 16, 37:
		for _, v := range a.GetIntegratedTotals() {
			s += float64(v.Ioa) + float64(v.Value.CounterReading)
			iecSinkT = v.Time
		}
	case 45, 58:
		v := a.GetSingleCmd()
		s += float64(v.Ioa)
		iecSinkT = v.Time
	case 46, 59:
		v := a.GetDoubleCmd()
		s += float64(v.Ioa) + float64(v.Value)
		iecSinkT = v.Time
	case 47, 60:
		v := a.GetStepCmd()
		s += float64(v.Ioa) + float64(v.Value)
		iecSinkT = v.Time
	case 48, 61:
		v := a.GetSetpointNormalCmd()
		s += float64(v.Ioa) + float64(v.Value)
		iecSinkT = v.Time
	case 49, 62:
		v := a.GetSetpointCmdScaled()
		s += float64(v.Ioa) + float64(v.Value)
		iecSinkT = v.Time
	case 50, 63:
		v := a.GetSetpointFloatCmd()
		s += float64(v.Ioa) + float64(v.Value)
		iecSinkT = v.Time
	case 51, 64:
		v := a.GetBitsString32Cmd()
		s += float64(v.Ioa) + float64(v.Value)
		iecSinkT = v.Time
	case 70:
		ioa, coi := a.GetEndOfInitialization()
		s += float64(ioa) + float64(coi.Cause)
	case 100:
		ioa, q := a.GetInterrogationCmd()
		s += float64(ioa) + float64(q)
	case 101:
		ioa, q := a.GetCounterInterrogationCmd()
		s += float64(ioa) + float64(q.Request)
	case 103:
		ioa, t := a.GetClockSynchronizationCmd()
		s += float64(ioa)
		iecSinkT = t
	}
	return s
}

// icsDecode decodes every element of a with icsdissect's accessors, time
// tags converted to time.Time as go-iecp5 does.
func icsDecode(a *iec104.ASDU) float64 {
	var s float64
	it := a.Objects()
	for it.Next() {
		o := it.Object()
		s += float64(o.IOA)
		if v, ok := o.SIQ(); ok {
			s += float64(v)
		}
		if v, ok := o.DIQ(); ok {
			s += float64(v.DPI())
		}
		if v, ok := o.VTI(); ok {
			s += float64(v.Value())
		}
		if v, ok := o.QDS(); ok {
			s += float64(v)
		}
		if v, ok := o.BSI(); ok {
			s += float64(v)
		}
		if v, ok := o.Normalized(); ok {
			s += float64(v)
		}
		if v, ok := o.Scaled(); ok {
			s += float64(v)
		}
		if v, ok := o.Float(); ok {
			s += float64(v)
		}
		if v, ok := o.BCR(); ok {
			s += float64(v.Value)
		}
		if v, ok := o.SCO(); ok {
			s += float64(v)
		}
		if v, ok := o.DCO(); ok {
			s += float64(v.State())
		}
		if v, ok := o.RCO(); ok {
			s += float64(v.Step())
		}
		if v, ok := o.QOS(); ok {
			s += float64(v)
		}
		if v, ok := o.COI(); ok {
			s += float64(v.Cause())
		}
		if v, ok := o.QOI(); ok {
			s += float64(v)
		}
		if v, ok := o.QCC(); ok {
			s += float64(v.RQT())
		}
		if v, ok := o.CP24(); ok {
			s += float64(v.Millis)
		}
		if v, ok := o.CP56(); ok {
			iecSinkT = v.Time(time.UTC)
		}
	}
	return s
}

// BenchmarkIEC104Corpus compares, over the ASDUs of every I-frame of the
// IEC 104 captures that go-iecp5 decodes and in the same run: icsdissect's
// ParseASDU plus every element through the accessors, go-iecp5's
// UnmarshalBinary plus its getter for the type, and the byte-summing floor.
func BenchmarkIEC104Corpus(b *testing.B) {
	asdus, size := iecCorpusASDUs(b)
	b.Run("icsdissect_ParseASDU_decode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, raw := range asdus {
				a, _ := iec104.ParseASDU(raw)
				iecSinkF += icsDecode(&a)
			}
		}
		iecPkts(b, b.N*len(asdus))
	})
	b.Run("go-iecp5_Unmarshal_Get", func(b *testing.B) {
		a := asdu.NewEmptyASDU(asdu.ParamsWide)
		b.ReportAllocs()
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, raw := range asdus {
				if err := a.UnmarshalBinary(raw); err != nil {
					b.Fatal(err)
				}
				iecSinkF += iecp5Decode(a)
			}
		}
		iecPkts(b, b.N*len(asdus))
	})
	b.Run("floor_byte_sum", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(size))
		for b.Loop() {
			var s uint64
			for _, raw := range asdus {
				for _, c := range raw {
					s += uint64(c)
				}
			}
			iecSinkF += float64(s)
		}
		iecPkts(b, b.N*len(asdus))
	})
}
