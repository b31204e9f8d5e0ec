package iec104

import (
	"testing"
	"time"
)

var (
	sinkU64  uint64
	sinkBool bool
	sinkStr  string
	sinkErr  error
	sinkF32  float32
)

// TestZeroAllocs asserts that every hot API, error paths included, does
// not allocate.
func TestZeroAllocs(t *testing.T) {
	floatCP56 := unhex(t, hexFloatCP56)
	sq := unhex(t, hexSQ)
	sFrame := unhex(t, hexSFrame)
	uFrame := unhex(t, hexStartDTAct)
	norm := unhex(t, hexNormCP56)
	sco := unhex(t, hexSelectSCO)
	garbage := unhex(t, "0102030405"+hexStartDTAct)
	short := unhex(t, "68020268")
	cut := unhex(t, "680e00000000640106")
	countBad := unhex(t, "680e0000000064020600000000000014")
	asdu101 := unhex(t, "0b 02 03 05 0a00 6400 00 0b00 9cff 80")
	segment := unhex(t, "7d010d000100 050000 0100 02 03 aabbcc")
	text := make([]byte, 0, 256)
	var tr Tracker
	walk := func(b []byte) {
		f, _, err := Parse(b)
		sinkErr = err
		for it := f.ASDU.Objects(); it.Next(); {
			o := it.Item()
			sinkU64 += uint64(o.IOA)
			if v, ok := o.Float(); ok {
				sinkF32 += v
			}
			if v, ok := o.SIQ(); ok {
				sinkBool = v.SPI()
			}
			if v, ok := o.QDS(); ok {
				sinkBool = v.IV()
			}
			if v, ok := o.Normalized(); ok {
				sinkF32 += NormalizedValue(v)
			}
			if v, ok := o.SCO(); ok {
				sinkBool = v.Select()
			}
			if v, ok := o.CP56(); ok {
				sinkU64 += uint64(v.Time(nil).Unix())
			}
			if v, ok := o.CP24(); ok {
				sinkU64 += uint64(v.Millis)
			}
			if v, ok := o.BCR(); ok {
				sinkU64 += uint64(v.Value)
			}
			if v, ok := o.File(); ok {
				sinkU64 += uint64(len(v.Segment))
			}
		}
	}
	tests := []struct {
		name string
		fn   func()
	}{
		{"Parse I float CP56", func() { walk(floatCP56) }},
		{"Parse I SQ=1", func() { walk(sq) }},
		{"Parse I normalized CP56", func() { walk(norm) }},
		{"Parse I single command", func() { walk(sco) }},
		{"Parse S", func() { _, _, sinkErr = Parse(sFrame) }},
		{"Parse U", func() { _, _, sinkErr = Parse(uFrame) }},
		{"Parse ErrStart", func() { _, _, sinkErr = Parse(garbage) }},
		{"Parse ErrLength", func() { _, _, sinkErr = Parse(short) }},
		{"Parse ErrTruncated", func() { _, _, sinkErr = Parse(cut) }},
		{"Parse ErrCount", func() { walk(countBad) }},
		{"Config.Parse ErrConfig", func() { _, _, sinkErr = Config{IOASize: 9}.Parse(sco) }},
		{"ParseASDU 101", func() {
			a, err := Profile101.ParseASDU(asdu101)
			sinkErr = err
			for it := a.Objects(); it.Next(); {
				o := it.Item()
				v, _ := o.Scaled()
				sinkU64 += uint64(v)
			}
		}},
		{"ParseASDU segment", func() {
			a, _ := ParseASDU(segment)
			for it := a.Objects(); it.Next(); {
				f, _ := it.Item().File()
				sinkU64 += uint64(len(f.Segment))
			}
		}},
		{"All", func() {
			f, _, _ := Parse(floatCP56)
			for o := range f.ASDU.All() {
				v, _ := o.Float()
				q, _ := o.QDS()
				sinkU64 += uint64(o.IOA) + uint64(q)
				sinkF32 += v
			}
			a, _ := ParseASDU(segment)
			for o := range a.All() {
				sinkU64 += uint64(len(o.Raw))
			}
		}},
		{"At", func() {
			f, _, _ := Parse(sq)
			o, _ := f.ASDU.At(15)
			sinkU64 += uint64(o.IOA)
		}},
		{"Split token", func() { _, tok, _ := Split(floatCP56, false); sinkU64 += uint64(len(tok)) }},
		{"Split more", func() { a, _, _ := Split(floatCP56[:10], false); sinkU64 += uint64(a) }},
		{"Split garbage", func() { a, _, _ := Split(garbage, false); sinkU64 += uint64(a) }},
		{"Split EOF", func() { a, _, _ := Split(floatCP56[:10], true); sinkU64 += uint64(a) }},
		{"Tracker", func() {
			f, _, _ := Parse(floatCP56)
			s, _, _ := Parse(sFrame)
			u, _, _ := Parse(uFrame)
			sinkU64 += uint64(tr.Observe(&f, false) | tr.Observe(&s, true) | tr.Observe(&u, true))
		}},
		{"Strings", func() {
			sinkStr = M_ME_TF_1.String()
			sinkStr = CauseSpontaneous.String()
			sinkStr = TestFRAct.String()
			sinkStr = FormatI.String()
			sinkStr = AnomalySeqGap.String()
			sinkStr = ErrCount.Error()
			sinkErr = ErrTruncated
		}},
		{"Anomaly.AppendText", func() { text, _ = (AnomalySeqGap | AnomalyKWindow | AnomalyUnknownType).AppendText(text[:0]) }},
		{"CP56 Time", func() { sinkU64 += uint64(DecodeCP56(norm[len(norm)-7:]).Time(time.UTC).UnixNano()) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(100, tt.fn); n != 0 {
				t.Errorf("%s: %v allocations, want 0", tt.name, n)
			}
		})
	}
}
