package iec104

import (
	"bytes"
	"errors"
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEverySentinel shows each exported sentinel being returned by the
// package.
func TestEverySentinel(t *testing.T) {
	cases := []struct {
		err Error
		fn  func() error
	}{
		{ErrTruncated, func() error { _, _, err := Parse(testkit.Hex("680e000000")); return err }},
		{ErrStart, func() error { _, _, err := Parse(testkit.Hex("690400000000")); return err }},
		{ErrLength, func() error { _, _, err := Parse(testkit.Hex("68020268")); return err }},
		{ErrCount, func() error { _, _, err := Parse(testkit.Hex("680e0000000064020600000000000014")); return err }},
		{ErrConfig, func() error { _, _, err := Config{IOASize: 4}.Parse(testkit.Hex(hexInterrogate)); return err }},
		{ErrShortASDU, func() error { _, _, err := Parse(testkit.Hex("6806000000006401")); return err }},
	}
	seen := map[Error]bool{}
	for _, c := range cases {
		err := c.fn()
		assert.Equal(t, error(c.err), err, c.err.Error())
		seen[c.err] = true
	}
	for e := Error(1); e < numErrors; e++ {
		assert.True(t, seen[e], "sentinel %d (%s) has no producing input", e, e)
		assert.NotEqual(t, "iec104: unknown error", e.Error())
	}
	assert.Equal(t, "iec104: unknown error", Error(0).Error())
	assert.Equal(t, "iec104: unknown error", Error(200).Error())
}

// TestEveryAnomaly shows each anomaly flag being set by some input: the
// frame flags by Parse, the connection flags by a Conn.
func TestEveryAnomaly(t *testing.T) {
	var got Anomaly
	for _, h := range []string{
		"680e0000000018010600010001000014",   // unknown type
		"680f000000006401060000000000001400", // trailing byte
		"680417000000",                       // two U function bits
		"68050100020000",                     // S-frame of length 5
		"680405000200",                       // S-frame reserved bits
		"680a00000000640006000000",           // zero objects
		"680e0000000064010000000000000014",   // cause 0
	} {
		f, _, _ := Parse(testkit.Hex(h))
		got |= f.Anomalies
	}
	// A length octet above 253.
	long := append([]byte{0x68, 254, 0, 0, 0, 0, byte(M_SP_NA_1), 1, 3, 0, 1, 0, 1, 0, 0, 1}, make([]byte, 256-16)...)
	f, _, err := Parse(long)
	require.NoError(t, err)
	assert.True(t, f.Anomalies.Has(AnomalyLengthOver253|AnomalyTrailingBytes))
	got |= f.Anomalies

	conn := func(steps ...string) {
		var c Conn
		for i, s := range steps {
			up := s[0] == '>'
			m, _ := c.Decode(testkit.Hex(s[1:]), up, int64(i))
			got |= m.Anomalies
		}
	}
	iFrame := func(ns, nr uint16) string {
		b := testkit.Hex("680e00000000 01010300 0100 010000 01")
		b[2], b[3], b[4], b[5] = byte(ns<<1), byte(ns>>7), byte(nr<<1), byte(nr>>7)
		return "<" + hexString(b)
	}
	conn(iFrame(1, 0), iFrame(3, 0), iFrame(3, 0))                            // gap, duplicate
	conn(">"+hexStartDTAct, "<"+hexStartDTCon, iFrame(0, 0), ">680401000400") // ack of unsent
	conn(iFrame(0, 0), iFrame(1, 0), ">680401000400", ">680401000200")        // ack backwards
	kw := []string{">" + hexStartDTAct, "<" + hexStartDTCon}
	for i := range uint16(13) {
		kw = append(kw, iFrame(i, 0))
	}
	conn(append(kw, ">680401001a00")...)                                                             // k and w windows
	conn(">"+hexStartDTAct, ">"+hexInterrogate)                                                      // I before STARTDT con
	conn("<680ea2002e002d010700030094110081")                                                        // unmatched
	conn(">"+hexSelectSCO, "<680ea2002e002e010700030094110081")                                      // mismatched
	conn(">"+hexTestFRAct, ">"+hexTestFRAct)                                                         // duplicate
	conn(">"+hexSelectSCO, "<680ea2002e002d010700030094110081", ">680e2e00a4002d010600030094110000") // select mismatch
	var c Conn
	act := testkit.Hex(hexSelectSCO)
	for i := range MaxPending + 1 {
		act[2], act[12] = byte(i<<1), byte(i)
		m, _ := c.Decode(act, true, int64(i))
		got |= m.Anomalies
	}
	all := Anomaly(1)<<numAnomalies - 1
	for a := range (all &^ got).All {
		t.Errorf("anomaly %s has no producing input", a)
	}
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	var s []byte
	for _, c := range b {
		s = append(s, digits[c>>4], digits[c&15])
	}
	return string(s)
}

// enum is the method set of an enumeration.
type enum interface {
	Known() bool
	String() string
	AppendText([]byte) ([]byte, error)
}

// TestEnums checks every enumeration: known values have a name without a
// number and do not allocate; unknown ones print "<noun> 0x%02x"; String
// and AppendText agree.
func TestEnumsGrammar(t *testing.T) {
	all := map[string]func(v uint8) enum{
		"type":      func(v uint8) enum { return TypeID(v) },
		"cause":     func(v uint8) enum { return Cause(v) },
		"function":  func(v uint8) enum { return UFunction(v) },
		"format":    func(v uint8) enum { return Format(v) },
		"qoi":       func(v uint8) enum { return QOI(v) },
		"request":   func(v uint8) enum { return CounterRequest(v) },
		"freeze":    func(v uint8) enum { return Freeze(v) },
		"qrp":       func(v uint8) enum { return QRP(v) },
		"qpa":       func(v uint8) enum { return QPA(v) },
		"kpa":       func(v uint8) enum { return KPA(v) },
		"coi":       func(v uint8) enum { return InitCause(v) },
		"qu":        func(v uint8) enum { return CommandQualifier(v) },
		"dpi":       func(v uint8) enum { return DoublePoint(v) },
		"kind":      func(v uint8) enum { return ValueKind(v) },
		"operation": func(v uint8) enum { return Operation(v) },
	}
	for noun, mk := range all {
		known := 0
		for v := range 256 {
			e := mk(uint8(v))
			s := e.String()
			b, err := e.AppendText([]byte("x"))
			require.NoError(t, err)
			assert.Equal(t, "x"+s, string(b), "%s %d", noun, v)
			unknown := noun + " 0x" + hexString([]byte{byte(v)})
			if e.Known() {
				known++
				assert.NotEqual(t, unknown, s)
				assert.NotEmpty(t, s)
				assert.Zero(t, testing.AllocsPerRun(10, func() { _ = e.String() }), "%s %s allocates", noun, s)
			} else {
				assert.Equal(t, unknown, s)
			}
		}
		assert.Positive(t, known, noun)
	}
	assert.Equal(t, 67, func() int {
		n := 0
		for v := range 256 {
			if TypeID(v).Known() {
				n++
			}
		}
		return n
	}())
	assert.Equal(t, "group 16", QOIGroup16.String())
	assert.Equal(t, 16, QOIGroup16.Group())
	assert.Equal(t, 0, QOIStation.Group())
}

// TestQualityFlags checks the Quality flag set's text.
func TestQualityFlags(t *testing.T) {
	assert.Equal(t, "", Quality(0).String())
	assert.Equal(t, "invalid", QualityInvalid.String())
	assert.Equal(t, "blocked|invalid", (QualityInvalid | QualityBlocked).String())
	assert.Equal(t, "overflow|bit15", (QualityOverflow | 1<<15).String())
	for q := Quality(1); q < 1<<numQuality; q <<= 1 {
		assert.NotRegexp(t, "bit[0-9]", q.String())
	}
	n := 0
	for range (QualityInvalid | QualityBlocked | QualityCarry).All {
		n++
	}
	assert.Equal(t, 3, n)
	assert.True(t, (QualityInvalid | QualityBlocked).Has(QualityInvalid))
}

// TestExplain checks the field and offset Explain names for each error.
func TestExplain(t *testing.T) {
	tests := []struct {
		hex   string
		err   Error
		field string
		off   int
	}{
		{"", ErrTruncated, "iec60870_104.start", 0},
		{"00", ErrStart, "iec60870_104.start", 0},
		{"68", ErrTruncated, "iec60870_104.apdulen", 1},
		{"6802 0268", ErrLength, "iec60870_104.apdulen", 1},
		{"680e 0000", ErrTruncated, "iec60870_104.type", 2},
		{"680e 00000000 64", ErrTruncated, "iec60870_asdu.numix", 7},
		{"680e 00000000 640106000a00 0000", ErrTruncated, "iec60870_asdu.ioa", 12},
		{"680e 00000000 640106000a00 000000", ErrTruncated, "iec60870_asdu.qoi", 15},
		{"6806 00000000 6401", ErrShortASDU, "iec60870_asdu.causetx", 8},
		{"6808 00000000 64010600", ErrShortASDU, "iec60870_asdu.addr", 10},
		// Count 2, one object: the second object's address is missing.
		{"680e 00000000 640206000a00 00000014", ErrCount, "iec60870_asdu.ioa", 16},
		// M_ME_NC_1 count 2, SQ=0, the second object's float is cut.
		{"6817 00000000 0d0203000a00 0100000000803f00 020000 0000", ErrCount, "iec60870_asdu.float", 23},
		// SQ=1 single points, count 3, two elements.
		{"680f 00000000 01830300 0a00 000000 0101", ErrCount, "iec60870_asdu.siq", 17},
		{"6806 05000000", ErrTruncated, "iec60870_104.data", 6},
		// The third object of three cut by the end of the APDU.
		{"6822 00000000 0d0303000a00 0100000000803f00 0200000000803f00 03", ErrTruncated, "iec60870_asdu.ioa", 28},
		{"6822 00000000 0d0303000a00 0100000000803f00 0200000000803f00 030000 00", ErrTruncated, "iec60870_asdu.float", 31},
	}
	for _, tt := range tests {
		b := testkit.Hex(tt.hex)
		err := Explain(b)
		var fe *FieldError
		require.True(t, errors.As(err, &fe), "%s: %v", tt.hex, err)
		assert.Equal(t, tt.err, fe.Err, tt.hex)
		assert.Equal(t, tt.field, fe.Field, tt.hex)
		assert.Equal(t, tt.off, fe.Offset, tt.hex)
		assert.ErrorIs(t, err, tt.err)
		assert.Contains(t, err.Error(), tt.field)
		// Parse agrees on the sentinel.
		if _, _, perr := Parse(b); tt.err != ErrTruncated || perr != nil {
			assert.Equal(t, error(tt.err), perr, tt.hex)
		}
	}
	for _, h := range []string{hexFloatCP56, hexSQ, hexSFrame, hexStartDTAct, "680e0000000018010600010001000014"} {
		assert.NoError(t, Explain(testkit.Hex(h)), h)
	}
	var fe *FieldError
	require.True(t, errors.As(Config{CASize: 3}.Explain(testkit.Hex(hexSQ)), &fe))
	assert.Equal(t, ErrConfig, fe.Err)
	assert.Equal(t, "iec104: object count does not fit the ASDU: iec60870_asdu.ioa at offset 16",
		(&FieldError{Err: ErrCount, Field: "iec60870_asdu.ioa", Offset: 16}).Error())
}

// TestDecodeInPlace checks that Frame.Decode over a used frame gives the
// result of Parse, and ASDU.Decode that of ParseASDU.
func TestDecodeInPlace(t *testing.T) {
	var f Frame
	for _, h := range []string{hexFloatCP56, hexSFrame, hexStartDTAct, "68020268", "680e0000000064020600000000000014", hexSQ, "68"} {
		b := testkit.Hex(h)
		want, wn, werr := Parse(b)
		n, err := f.Decode(b)
		assert.Equal(t, wn, n, h)
		assert.Equal(t, werr, err, h)
		assert.Equal(t, want, f, h)
	}
	var a ASDU
	for _, h := range []string{hexFloatCP56[12:], hexSQ[12:], "0b"} {
		b := testkit.Hex(h)
		want, werr := ParseASDU(b)
		err := a.Decode(b)
		assert.Equal(t, werr, err, h)
		assert.Equal(t, want, a, h)
	}
	var g Frame
	n, err := Profile101.Decode(&g, testkit.Hex("6812 00000000 0b 02 03 05 0a00 6400 00 0b00 9cff 80"))
	require.NoError(t, err)
	assert.Equal(t, 20, n)
	assert.Equal(t, 2, g.ASDU.Len())
}

// TestCursorBeforeNext checks that the cursor's accessor never panics
// before the first Next or after the last.
func TestCursorBeforeNext(t *testing.T) {
	for _, h := range []string{hexFloatCP56, hexSQ, "680e0000000018010600010001000014", hexSFrame} {
		f, _, _ := Parse(testkit.Hex(h))
		objs := f.ASDU.Objects()
		_ = objs.Object()
		for objs.Next() {
		}
		_ = objs.Object()
		assert.False(t, objs.Next())
	}
	var objs Objects
	assert.False(t, objs.Next())
	_ = objs.Object()
	assert.NoError(t, objs.Err())
}

// TestCutAndUndecoded checks the accessors the dissector uses for what
// Wireshark shows of objects that do not decode.
func TestCutAndUndecoded(t *testing.T) {
	// SQ=0, count 2, one object and the second's address.
	f, _, _ := Parse(testkit.Hex("6811 00000000 640206000a00 00000014 050000"))
	ioa, ok := f.ASDU.Cut()
	require.True(t, ok)
	assert.Equal(t, uint32(5), ioa)
	// SQ=1: the address after the last whole element.
	f, _, _ = Parse(testkit.Hex("680f 00000000 01830300 0a00 070000 0101"))
	ioa, ok = f.ASDU.Cut()
	require.True(t, ok)
	assert.Equal(t, uint32(9), ioa)
	// No object missing.
	f, _, _ = Parse(testkit.Hex(hexFloatCP56))
	_, ok = f.ASDU.Cut()
	assert.False(t, ok)
	_, _, ok = f.ASDU.Undecoded()
	assert.False(t, ok)
	// An unknown type: first address and the rest.
	f, _, _ = Parse(testkit.Hex("680f0000000018010600010001000014aa"))
	ioa, rest, ok := f.ASDU.Undecoded()
	require.True(t, ok)
	assert.Equal(t, uint32(1), ioa)
	assert.True(t, bytes.Equal(testkit.Hex("14aa"), rest))
	// Header fields present in a cut ASDU.
	for h, want := range map[string]int{
		"680416161616":         0,
		"68051616161616":       1,
		"6806181818181818":     2,
		"680718181818181818":   3,
		"68081818181818181818": 4,
		hexInterrogate:         5,
	} {
		f, _, _ := Parse(testkit.Hex(h))
		assert.Equal(t, want, f.ASDU.HeaderFields(), h)
	}
	a, _ := Profile101.ParseASDU(testkit.Hex("0b0203"))
	assert.Equal(t, 3, a.HeaderFields())
	a, _ = Profile101.ParseASDU(testkit.Hex("0b020305"))
	assert.Equal(t, 5, a.HeaderFields())
}
