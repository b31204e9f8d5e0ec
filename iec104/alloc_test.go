package iec104

import (
	"testing"
	"time"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

var (
	sinkU64  uint64
	sinkBool bool
	sinkStr  string
	sinkErr  error
	sinkF32  float32
	sinkMsg  *Message
	sinkTime time.Time
)

// walkObjects parses b and calls the common accessors on every object, as
// a consumer would.
func walkObjects(b []byte) {
	f, _, err := Parse(b)
	sinkErr = err
	objs := f.ASDU.Objects()
	for objs.Next() {
		o := objs.Object()
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
		if v, ok := o.Value(); ok {
			sinkU64 += uint64(v.Int)
		}
		if q, ok := o.Quality(); ok {
			sinkU64 += uint64(q)
		}
		if c, ok := o.Command(); ok {
			sinkBool = c.Select
		}
		if ts, ok := o.Time(sinkTime); ok {
			sinkTime = ts
		}
	}
	sinkErr = objs.Err()
}

// handler is a callback of the shape a pcapx handler has: the loop over
// ASDU.All sits inside a closure.
type handler func(b []byte) error

// TestZeroAllocs asserts that every hot API, error paths and every Conn path
// included, does not allocate.
func TestZeroAllocs(t *testing.T) {
	floatCP56 := testkit.Hex(hexFloatCP56)
	sq := testkit.Hex(hexSQ)
	sFrame := testkit.Hex(hexSFrame)
	uFrame := testkit.Hex(hexStartDTAct)
	uCon := testkit.Hex(hexStartDTCon)
	norm := testkit.Hex(hexNormCP56)
	sco := testkit.Hex(hexSelectSCO)
	garbage := testkit.Hex("0102030405" + hexStartDTAct)
	short := testkit.Hex("68020268")
	cut := testkit.Hex("680e00000000640106")
	countBad := testkit.Hex("680e0000000064020600000000000014")
	asdu101 := testkit.Hex("0b 02 03 05 0a00 6400 00 0b00 9cff 80")
	segment := testkit.Hex("7d010d000100 050000 0100 02 03 aabbcc")
	bogus := testkit.Hex(hexBogus + "68020268" + hexSFrame + hexFloatCP56)
	bogusEOF := testkit.Hex(hexBogus + "680416161616")
	afterGap := testkit.Hex("12" + "680443000000" + "12" + hexSFrame + hexFloatCP56)
	p101 := testkit.Hex("6812 00000000 0b 02 03 05 0a00 6400 00 0b00 9cff 80" + "68")
	text := make([]byte, 0, 256)

	// A command exchange (iti-iec104-090813_diverse.pcap frames 25..33),
	// an interrogation with its data (fkie-iec104.pcap frames 9..13) and
	// a TESTFR pair, driven through one Conn in a loop.
	exchange := []struct {
		b  []byte
		up bool
	}{
		{testkit.Hex(hexSelectSCO), true},
		{testkit.Hex("680ea2002e002d010700030094110081"), false},
		{testkit.Hex(hexExecuteSCO), true},
		{testkit.Hex("680ea4002e002d010700030094110001"), false},
		{testkit.Hex("680ea60030002d010a00030094110001"), false},
		{testkit.Hex(hexInterrogate), true},
		{testkit.Hex("680e00000200640107000a0000000014"), false},
		{testkit.Hex(hexSinglePoints), false},
		{testkit.Hex("680e060002006401 0a000a0000000014"), false},
		{testkit.Hex(hexTestFRAct), true},
		{testkit.Hex("680483000000"), false},
		{testkit.Hex("680ea4002e002d010700030099990001"), false}, // unmatched
	}
	var c Conn
	var flushConn Conn
	var unanswered Conn
	ioa := uint32(0)
	actCmd := testkit.Hex(hexSelectSCO)

	var h handler = func(b []byte) error {
		f, _, err := Parse(b)
		for i, o := range f.ASDU.All {
			v, _ := o.Float()
			q, _ := o.QDS()
			sinkU64 += uint64(o.IOA) + uint64(q) + uint64(i)
			sinkF32 += v
		}
		return err
	}

	testkit.ZeroAllocs(t, []testkit.AllocCase{
		{Name: "Parse I float CP56", Fn: func() { walkObjects(floatCP56) }},
		{Name: "Parse I SQ=1", Fn: func() { walkObjects(sq) }},
		{Name: "Parse I normalized CP56", Fn: func() { walkObjects(norm) }},
		{Name: "Parse I single command", Fn: func() { walkObjects(sco) }},
		{Name: "Parse S", Fn: func() { _, _, sinkErr = Parse(sFrame) }},
		{Name: "Parse U", Fn: func() { _, _, sinkErr = Parse(uFrame) }},
		{Name: "Parse ErrStart", Fn: func() { _, _, sinkErr = Parse(garbage) }},
		{Name: "Parse ErrLength", Fn: func() { _, _, sinkErr = Parse(short) }},
		{Name: "Parse ErrTruncated", Fn: func() { _, _, sinkErr = Parse(cut) }},
		{Name: "Parse ErrCount", Fn: func() { walkObjects(countBad) }},
		{Name: "Frame.Decode", Fn: func() {
			var f Frame
			_, sinkErr = f.Decode(floatCP56)
			sinkU64 += uint64(f.ASDU.Len())
		}},
		{Name: "Config.Parse ErrConfig", Fn: func() { _, _, sinkErr = Config{IOASize: 9}.Parse(sco) }},
		{Name: "ParseASDU 101", Fn: func() {
			a, err := Profile101.ParseASDU(asdu101)
			sinkErr = err
			objs := a.Objects()
			for objs.Next() {
				v, _ := objs.Object().Scaled()
				sinkU64 += uint64(v)
			}
		}},
		{Name: "ParseASDU segment", Fn: func() {
			a, _ := ParseASDU(segment)
			objs := a.Objects()
			for objs.Next() {
				f, _ := objs.Object().File()
				sinkU64 += uint64(len(f.Segment))
			}
		}},
		{Name: "All", Fn: func() {
			f, _, _ := Parse(floatCP56)
			for _, o := range f.ASDU.All {
				v, _ := o.Float()
				q, _ := o.QDS()
				sinkU64 += uint64(o.IOA) + uint64(q)
				sinkF32 += v
			}
			a, _ := ParseASDU(segment)
			for i, o := range a.All {
				sinkU64 += uint64(len(o.Raw)) + uint64(i)
			}
		}},
		{Name: "All in a closure", Fn: func() { sinkErr = h(floatCP56); sinkErr = h(sq) }},
		{Name: "At", Fn: func() {
			f, _, _ := Parse(sq)
			o, _ := f.ASDU.At(15)
			sinkU64 += uint64(o.IOA)
			_, sinkBool = f.ASDU.At(99)
		}},
		{Name: "Cut and Undecoded", Fn: func() {
			f, _, _ := Parse(countBad)
			ioa, _ := f.ASDU.Cut()
			_, rest, _ := f.ASDU.Undecoded()
			sinkU64 += uint64(ioa) + uint64(len(rest)) + uint64(f.ASDU.HeaderFields())
		}},
		{Name: "Split token", Fn: func() { _, tok, _ := Split(floatCP56, false); sinkU64 += uint64(len(tok)) }},
		{Name: "Split more", Fn: func() { a, _, _ := Split(floatCP56[:10], false); sinkU64 += uint64(a) }},
		{Name: "Split garbage", Fn: func() { a, _, _ := Split(garbage, false); sinkU64 += uint64(a) }},
		{Name: "Split EOF", Fn: func() { a, _, _ := Split(floatCP56[:10], true); sinkU64 += uint64(a) }},
		{Name: "Split S- and U-frames", Fn: func() {
			_, tok, _ := Split(sFrame, false)
			_, tok2, _ := Split(uFrame, false)
			sinkU64 += uint64(len(tok) + len(tok2))
		}},
		{Name: "Split bogus claim", Fn: func() {
			a, _, _ := Split(bogus, false)
			a2, _, _ := Split(bogusEOF, true)
			a3, _, _ := Split(bogus[:14], false)
			sinkU64 += uint64(a + a2 + a3)
		}},
		{Name: "Split oddity", Fn: func() { _, tok, _ := Split(short, true); sinkU64 += uint64(len(tok)) }},
		{Name: "Resync", Fn: func() {
			a, _, _ := Resync(afterGap, false)
			a2, _, _ := Resync(afterGap[1:], false)
			a3, _, _ := Resync(afterGap[7:], false)
			_, tok, _ := Resync(afterGap[20:], false)
			a4, _, _ := Resync(floatCP56[:20], true)
			sinkU64 += uint64(a + a2 + a3 + a4 + len(tok))
		}},
		{Name: "Config Split and Resync", Fn: func() {
			_, tok, _ := Profile101.Split(p101, false)
			_, tok2, _ := Profile101.Resync(p101, false)
			_, _, err := Config{IOASize: 4}.Resync(p101, false)
			sinkU64 += uint64(len(tok) + len(tok2))
			sinkErr = err
		}},
		{Name: "Conn exchange", Fn: func() {
			for i, p := range exchange {
				m, err := c.Decode(p.b, p.up, int64(i))
				sinkMsg, sinkErr = m, err
				sinkU64 += uint64(m.Latency()) + uint64(m.Request.ASDU.Type)
			}
			st := c.Stats()
			sinkU64 += st.Paired
		}},
		{Name: "Conn S and U", Fn: func() {
			_, sinkErr = c.Decode(sFrame, true, 1)
			_, sinkErr = c.Decode(uFrame, true, 2)
			_, sinkErr = c.Decode(uCon, false, 3)
		}},
		{Name: "Conn errors", Fn: func() {
			_, sinkErr = c.Decode(short, true, 1)
			_, sinkErr = c.Decode(cut, true, 1)
			_, sinkErr = c.Decode(garbage, true, 1)
			_, sinkErr = c.Decode(countBad, true, 1)
		}},
		{Name: "Conn Gap", Fn: func() {
			c.Gap(true)
			c.Gap(false)
			_, sinkErr = c.Decode(sco, true, 1)
		}},
		{Name: "Conn Flush and Reset", Fn: func() {
			flushConn.Reset()
			flushConn.Decode(uFrame, true, 1)
			flushConn.Decode(actCmd, true, 2)
			for m := range flushConn.Flush {
				sinkU64 += uint64(m.Frame.Length)
			}
		}},
		{Name: "Conn overflow", Fn: func() {
			// A new address each time: the table stays full and drops
			// the oldest activation.
			ioa++
			actCmd[2], actCmd[3] = byte(ioa<<1), byte(ioa>>7&0xff)
			actCmd[12], actCmd[13] = byte(ioa), byte(ioa>>8)
			m, _ := unanswered.Decode(actCmd, true, int64(ioa))
			sinkU64 += uint64(m.Anomalies)
		}},
		{Name: "Strings", Fn: func() {
			sinkStr = M_ME_TF_1.String()
			sinkStr = CauseSpontaneous.String()
			sinkStr = TestFRAct.String()
			sinkStr = FormatI.String()
			sinkStr = AnomalySeqGap.String()
			sinkStr = ErrCount.Error()
			sinkStr = QOIStation.String()
			sinkStr = OpControl.String()
			sinkStr = QualityInvalid.String()
			sinkErr = ErrTruncated
		}},
		{Name: "AppendText", Fn: func() {
			text, _ = (AnomalySeqGap | AnomalyKWindow | AnomalyUnknownType | 1<<31).AppendText(text[:0])
			text, _ = TypeID(200).AppendText(text[:0])
			text, _ = Cause(63).AppendText(text[:0])
			text, _ = UFunction(5).AppendText(text[:0])
			text, _ = Format(2).AppendText(text[:0])
			text, _ = QOI(5).AppendText(text[:0])
			text, _ = (QualityInvalid | QualityBlocked).AppendText(text[:0])
			text, _ = KindFloat.AppendText(text[:0])
		}},
		{Name: "CP56 Time", Fn: func() { sinkU64 += uint64(DecodeCP56(norm[len(norm)-7:]).Time(time.UTC).UnixNano()) }},
		{Name: "CP24 Time", Fn: func() { sinkTime = CP24Time2a{Millis: 500, Minute: 59}.Time(sinkTime) }},
	})
}
