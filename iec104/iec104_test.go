package iec104

import (
	"encoding/hex"
	"math"
	"testing"
	"time"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Real APDUs; source capture and frame in each name (captures under
// ../shared/captures/iec104, see testdata/README.md).
const (
	hexStartDTAct   = "680407000000"                                                                                                                     // fkie-iec104.pcap frame 4
	hexStartDTCon   = "68040b000000"                                                                                                                     // fkie-iec104.pcap frame 5
	hexTestFRAct    = "680443000000"                                                                                                                     // fkie-iec104.pcap frame 4? (iti 090813 frame 3)
	hexSFrame       = "680401001a00"                                                                                                                     // fkie-iec104.pcap frame 15
	hexInterrogate  = "680e00000000640106000a0000000014"                                                                                                 // fkie-iec104.pcap frame 9
	hexSinglePoints = "681a04000200010414000a0001000000020000000300000004000000"                                                                         // fkie-iec104.pcap frame 12
	hexSelectSCO    = "680e2c00a2002d010600030094110081"                                                                                                 // iti-iec104-090813_diverse.pcap frame 25
	hexExecuteSCO   = "680e2e00a4002d010600030094110001"                                                                                                 // iti-iec104-090813_diverse.pcap frame 29
	hexFloatCP56    = "68192c7e42b9240103001429cbb202cdcc2c3e0094dc028a230a0b"                                                                           // ndpi-IEC104.pcap frame 7
	hexSetpointCP56 = "68193000aa003f01060003009d13000000f64280080018130d086d"                                                                           // iti-iec104-090813_diverse.pcap frame 39
	hexFloats2      = "681a9a0028000d02010003001405000000f041001505000000314400"                                                                         // iti-iec104-090813_diverse.pcap frame 1
	hexSQ           = "681d02000200019014001e0400000000000000000000000000000000000101"                                                                   // automayt-IEC104_SQ.pcapng frame 1
	hexScaledNeg    = "68100a0002000b8103000d913f9c00020000"                                                                                             // iti-iec104-JavaRMI_and_IEC_Misc.pcap frame 24
	hexNormCP56     = "683e1a000400220414000a000b00000000003110170884070d0c00000000003110170884070d0d00000000003110170884070d0e00000000003110170884070d" // fkie frame 16
	hexDCO          = "680e3e00ca002e0106000300f8110006"                                                                                                 // iti-iec104-090813_diverse.pcap frame 91
	hexEndOfInit    = "680e00000200460104000d9100000001"                                                                                                 // iti-iec104-JavaRMI_and_IEC_Misc.pcap frame 12
	hexBitstrings   = "682a0a000400070414000a000100000000000000020000000000000003000000000000000400000000000000"                                         // fkie frame 14
	hexStep         = "681e08000400050414000a000100000000020000000003000000000400000000"                                                                 // fkie frame 14
	hexSetFloat     = "68121c008a00320106000a00010000c3f5484000"                                                                                         // fkie frame 78
)

func TestParseAPCI(t *testing.T) {
	tests := []struct {
		name   string
		hex    string
		format Format
		ns, nr uint16
		u      UFunction
	}{
		{"STARTDT act", hexStartDTAct, FormatU, 0, 0, StartDTAct},
		{"STARTDT con", hexStartDTCon, FormatU, 0, 0, StartDTCon},
		{"TESTFR act", hexTestFRAct, FormatU, 0, 0, TestFRAct},
		{"S-frame", hexSFrame, FormatS, 0, 13, 0},
		{"I-frame", hexInterrogate, FormatI, 0, 0, 0},
		{"I-frame seq", hexSinglePoints, FormatI, 2, 1, 0},
		{"I-frame ndpi", hexFloatCP56, FormatI, 16150, 23713, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := testkit.Hex(tt.hex)
			f, n, err := Parse(b)
			require.NoError(t, err)
			assert.Equal(t, len(b), n)
			assert.Equal(t, tt.format, f.Format)
			assert.Equal(t, tt.ns, f.SendSeq)
			assert.Equal(t, tt.nr, f.RecvSeq)
			assert.Equal(t, tt.u, f.UFunc)
			assert.Equal(t, uint8(len(b)-2), f.Length)
			assert.Equal(t, Anomaly(0), f.Anomalies, f.Anomalies.String())
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		hex  string
		err  error
		n    int
	}{
		{"empty", "", ErrTruncated, 0},
		{"one byte", "68", ErrTruncated, 0},
		{"no start", "690400000000", ErrStart, 0},
		{"one garbage byte", "00", ErrStart, 0},
		{"short length", "68020268", ErrLength, 4},
		{"zero length", "6800", ErrLength, 2},
		{"cut APDU", "680e00000000640106", ErrTruncated, 0},
		{"I-frame without ASDU", "680416161616", ErrShortASDU, 6},
		{"ASDU cut in header", "6806181818181818", ErrShortASDU, 8},
		{"count too big", "680e0000000064020600000000000014", ErrCount, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := testkit.Hex(tt.hex)
			_, n, err := Parse(b)
			assert.ErrorIs(t, err, tt.err)
			assert.Equal(t, tt.n, n)
		})
	}
}

func TestASDUHeader(t *testing.T) {
	f, _, err := Parse(testkit.Hex(hexInterrogate))
	require.NoError(t, err)
	a := f.ASDU
	assert.Equal(t, C_IC_NA_1, a.Type)
	assert.False(t, a.SQ)
	assert.Equal(t, uint8(1), a.Count)
	assert.Equal(t, CauseActivation, a.Cause)
	assert.False(t, a.Negative)
	assert.False(t, a.Test)
	assert.Equal(t, uint8(0), a.Originator)
	assert.Equal(t, uint16(10), a.CommonAddr)
	o, ok := a.At(0)
	require.True(t, ok)
	assert.Equal(t, uint32(0), o.IOA)
	q, ok := o.QOI()
	require.True(t, ok)
	assert.Equal(t, QOIStation, q)
	_, ok = o.SCO()
	assert.False(t, ok)

	// Cause with the P/N bit and originator address 1.
	f, _, err = Parse(testkit.Hex("680e00000000640147010d9100000014"))
	require.NoError(t, err)
	assert.Equal(t, CauseActivationCon, f.ASDU.Cause)
	assert.True(t, f.ASDU.Negative)
	assert.Equal(t, uint8(1), f.ASDU.Originator)
	assert.Equal(t, uint16(0x910d), f.ASDU.CommonAddr)
}

// collect walks every object and returns their addresses.
func collect(t *testing.T, a *ASDU) (ioas []uint32, objs []Object) {
	t.Helper()
	for it := a.Objects(); it.Next(); {
		o := it.Object()
		ioas = append(ioas, o.IOA)
		objs = append(objs, o)
	}
	return ioas, objs
}

func TestElements(t *testing.T) {
	t.Run("single points SQ=0", func(t *testing.T) {
		f, _, err := Parse(testkit.Hex(hexSinglePoints))
		require.NoError(t, err)
		ioas, objs := collect(t, &f.ASDU)
		assert.Equal(t, []uint32{1, 2, 3, 4}, ioas)
		siq, ok := objs[0].SIQ()
		require.True(t, ok)
		assert.False(t, siq.SPI())
		assert.Equal(t, CauseInterrogated, f.ASDU.Cause)
	})
	t.Run("single points SQ=1", func(t *testing.T) {
		f, _, err := Parse(testkit.Hex(hexSQ))
		require.NoError(t, err)
		assert.True(t, f.ASDU.SQ)
		assert.Equal(t, 16, f.ASDU.Len())
		ioas, objs := collect(t, &f.ASDU)
		require.Len(t, ioas, 16)
		assert.Equal(t, uint32(0), ioas[0])
		assert.Equal(t, uint32(15), ioas[15])
		siq, _ := objs[14].SIQ()
		assert.True(t, siq.SPI())
		o, ok := f.ASDU.At(15)
		require.True(t, ok)
		assert.Equal(t, objs[15], o)
	})
	t.Run("float with CP56 and summer time", func(t *testing.T) {
		f, _, err := Parse(testkit.Hex(hexFloatCP56))
		require.NoError(t, err)
		assert.Equal(t, M_ME_TF_1, f.ASDU.Type)
		assert.Equal(t, CauseSpontaneous, f.ASDU.Cause)
		_, objs := collect(t, &f.ASDU)
		require.Len(t, objs, 1)
		o := objs[0]
		assert.Equal(t, uint32(0x02b2cb), o.IOA)
		v, ok := o.Float()
		require.True(t, ok)
		assert.Equal(t, float32(0.16875), v)
		q, ok := o.QDS()
		require.True(t, ok)
		assert.Equal(t, QDS(0), q)
		ts, ok := o.CP56()
		require.True(t, ok)
		assert.Equal(t, CP56Time2a{Millis: 56468, Minute: 2, Hour: 10, Summer: true, Day: 3, DayOfWeek: 1, Month: 10, Year: 11}, ts)
		assert.Equal(t, time.Date(2011, 10, 3, 10, 2, 56, 468e6, time.UTC), ts.Time(nil))
		_, ok = o.CP24()
		assert.False(t, ok)
	})
	t.Run("two short floats", func(t *testing.T) {
		f, _, err := Parse(testkit.Hex(hexFloats2))
		require.NoError(t, err)
		ioas, objs := collect(t, &f.ASDU)
		assert.Equal(t, []uint32{1300, 1301}, ioas)
		v0, _ := objs[0].Float()
		v1, _ := objs[1].Float()
		assert.Equal(t, float32(30), v0)
		assert.Equal(t, float32(708), v1)
	})
	t.Run("single command select then execute", func(t *testing.T) {
		f, _, err := Parse(testkit.Hex(hexSelectSCO))
		require.NoError(t, err)
		o, _ := f.ASDU.At(0)
		sco, ok := o.SCO()
		require.True(t, ok)
		assert.True(t, sco.On())
		assert.True(t, sco.Select())
		assert.Equal(t, QUDefault, sco.QU())
		f, _, err = Parse(testkit.Hex(hexExecuteSCO))
		require.NoError(t, err)
		o, _ = f.ASDU.At(0)
		sco, _ = o.SCO()
		assert.False(t, sco.Select())
		assert.Equal(t, uint32(4500), o.IOA)
	})
	t.Run("double command", func(t *testing.T) {
		f, _, err := Parse(testkit.Hex(hexDCO))
		require.NoError(t, err)
		o, _ := f.ASDU.At(0)
		d, ok := o.DCO()
		require.True(t, ok)
		assert.Equal(t, uint8(2), d.State())
		assert.Equal(t, QUShortPulse, d.QU())
		assert.False(t, d.Select())
	})
	t.Run("set point float with CP56", func(t *testing.T) {
		f, _, err := Parse(testkit.Hex(hexSetpointCP56))
		require.NoError(t, err)
		assert.Equal(t, C_SE_TC_1, f.ASDU.Type)
		o, _ := f.ASDU.At(0)
		v, _ := o.Float()
		assert.Equal(t, float32(123), v)
		q, ok := o.QOS()
		require.True(t, ok)
		assert.True(t, q.Select())
		assert.Equal(t, uint8(0), q.QL())
		ts, ok := o.CP56()
		require.True(t, ok)
		assert.Equal(t, time.Date(2009, 8, 13, 19, 24, 0, 8e6, time.UTC), ts.Time(nil))
	})
	t.Run("set point float", func(t *testing.T) {
		f, _, err := Parse(testkit.Hex(hexSetFloat))
		require.NoError(t, err)
		o, _ := f.ASDU.At(0)
		v, _ := o.Float()
		assert.InDelta(t, 3.14, v, 1e-6)
	})
	t.Run("scaled negative", func(t *testing.T) {
		f, _, err := Parse(testkit.Hex(hexScaledNeg))
		require.NoError(t, err)
		assert.True(t, f.ASDU.SQ)
		o, _ := f.ASDU.At(0)
		v, ok := o.Scaled()
		require.True(t, ok)
		assert.Equal(t, int16(2), v)
		q, _ := o.QDS()
		assert.False(t, q.IV())
	})
	t.Run("normalized with CP56", func(t *testing.T) {
		f, _, err := Parse(testkit.Hex(hexNormCP56))
		require.NoError(t, err)
		ioas, objs := collect(t, &f.ASDU)
		assert.Equal(t, []uint32{11, 12, 13, 14}, ioas)
		n, ok := objs[0].Normalized()
		require.True(t, ok)
		assert.Equal(t, int16(0), n)
		ts, _ := objs[3].CP56()
		assert.Equal(t, time.Date(2013, 7, 4, 8, 23, 4, 145e6, time.UTC), ts.Time(nil))
	})
	t.Run("end of initialisation", func(t *testing.T) {
		f, _, err := Parse(testkit.Hex(hexEndOfInit))
		require.NoError(t, err)
		o, _ := f.ASDU.At(0)
		c, ok := o.COI()
		require.True(t, ok)
		assert.Equal(t, InitManualReset, c.Cause())
		assert.Equal(t, CauseInitialized, f.ASDU.Cause)
	})
	t.Run("bitstrings", func(t *testing.T) {
		f, _, err := Parse(testkit.Hex(hexBitstrings))
		require.NoError(t, err)
		_, objs := collect(t, &f.ASDU)
		require.Len(t, objs, 4)
		v, ok := objs[0].BSI()
		require.True(t, ok)
		assert.Equal(t, uint32(0), v)
	})
	t.Run("step positions", func(t *testing.T) {
		f, _, err := Parse(testkit.Hex(hexStep))
		require.NoError(t, err)
		_, objs := collect(t, &f.ASDU)
		require.Len(t, objs, 4)
		v, ok := objs[0].VTI()
		require.True(t, ok)
		assert.Equal(t, int8(0), v.Value())
	})
}

// TestEveryType builds one object of every standard type and checks that
// its parts decode at the right offsets.
func TestEveryType(t *testing.T) {
	for ti := 0; ti < 256; ti++ {
		typ := TypeID(ti)
		size := typ.ElementSize()
		if !typ.Known() {
			assert.Equal(t, -1, size)
			assert.Equal(t, "type 0x"+hex.EncodeToString([]byte{byte(ti)}), typ.String(), ti)
			continue
		}
		assert.Equal(t, typeNames[ti], typ.String(), ti)
		if typ == F_SG_NA_1 {
			continue
		}
		require.GreaterOrEqual(t, size, 0, typ.String())
		// Element octets 0x01, 0x02, ... so each part is recognisable.
		el := make([]byte, size)
		for i := range el {
			el[i] = byte(i + 1)
		}
		asdu := append([]byte{byte(typ), 1, 3, 0, 1, 0, 7, 0, 0}, el...)
		a, err := ParseASDU(asdu)
		require.NoError(t, err, typ.String())
		assert.Equal(t, Anomaly(0), a.Anomalies, typ.String())
		o, ok := a.At(0)
		require.True(t, ok)
		assert.Equal(t, uint32(7), o.IOA)
		assert.Len(t, o.Raw, size)
		if ts, ok := o.CP56(); ok {
			assert.Equal(t, DecodeCP56(el[size-7:]), ts, typ.String())
		}
		if ts, ok := o.CP24(); ok {
			assert.Equal(t, uint16(el[size-3])|uint16(el[size-2])<<8, ts.Millis, typ.String())
		}
		if q, ok := o.QDS(); ok {
			// The QDS follows the value: its octet number is the value size + 1.
			switch {
			case typ == M_ST_NA_1 || typ == M_ST_TA_1 || typ == M_ST_TB_1:
				assert.Equal(t, QDS(2), q, typ.String())
			case size >= 5 && (typ == M_BO_NA_1 || typ == M_BO_TA_1 || typ == M_BO_TB_1 || typ == M_ME_NC_1 || typ == M_ME_TC_1 || typ == M_ME_TF_1 || typ == M_PS_NA_1):
				assert.Equal(t, QDS(5), q, typ.String())
			default:
				assert.Equal(t, QDS(3), q, typ.String())
			}
		}
		if q, ok := o.QOS(); ok {
			if _, isFloat := o.Float(); isFloat {
				assert.Equal(t, QOS(5), q)
			} else {
				assert.Equal(t, QOS(3), q)
			}
		}
		if v, ok := o.CP16(); ok {
			assert.NotZero(t, v, typ.String())
		}
		_, _ = o.File()
	}
}

func TestFileSegment(t *testing.T) {
	// F_SG_NA_1: IOA 5, NOF 1, NOS 2, LOS 3, segment aa bb cc.
	a, err := ParseASDU(testkit.Hex("7d010d000100 050000 0100 02 03 aabbcc"))
	require.NoError(t, err)
	assert.Equal(t, 1, a.Len())
	ioas, objs := collect(t, &a)
	assert.Equal(t, []uint32{5}, ioas)
	f, ok := objs[0].File()
	require.True(t, ok)
	assert.Equal(t, File{NOF: 1, NOS: 2, Length: 3, Segment: []byte{0xaa, 0xbb, 0xcc}}, f)
	// A segment longer than the ASDU is a count error, not a panic.
	_, err = ParseASDU(testkit.Hex("7d010d000100 050000 0100 02 09 aabbcc"))
	assert.ErrorIs(t, err, ErrCount)
}

func TestConfigSizes(t *testing.T) {
	// IEC 101 profile: COT 1, CA 1, IOA 2. M_ME_NB_1, 2 objects, spont, CA 5.
	b := testkit.Hex("0b 02 03 05 0a00 6400 00 0b00 9cff 80")
	a, err := Profile101.ParseASDU(b)
	require.NoError(t, err)
	assert.Equal(t, uint16(5), a.CommonAddr)
	assert.Equal(t, uint8(0), a.Originator)
	ioas, objs := collect(t, &a)
	assert.Equal(t, []uint32{10, 11}, ioas)
	v, _ := objs[1].Scaled()
	assert.Equal(t, int16(-100), v)
	q, _ := objs[1].QDS()
	assert.True(t, q.IV())

	// One-octet addresses with SQ=1.
	a, err = Config{COTSize: 1, CASize: 1, IOASize: 1}.ParseASDU(testkit.Hex("01 83 14 01 10 00 01 00"))
	require.NoError(t, err)
	ioas, _ = collect(t, &a)
	assert.Equal(t, []uint32{16, 17, 18}, ioas)

	_, err = Config{IOASize: 4}.ParseASDU(b)
	assert.ErrorIs(t, err, ErrConfig)
	_, _, err = Config{COTSize: 3}.Parse(testkit.Hex(hexInterrogate))
	assert.ErrorIs(t, err, ErrConfig)
}

func TestAnomalies(t *testing.T) {
	tests := []struct {
		name string
		hex  string
		want Anomaly
	}{
		{"unknown type", "680e0000000018010600010001000014", AnomalyUnknownType},
		{"trailing", "680f000000006401060000000000001400", AnomalyTrailingBytes},
		{"zero count", "680a00000000640006000000", AnomalyZeroCount},
		{"unknown cause", "680e0000000064010000000000000014", AnomalyUnknownCause},
		{"bad U", "680417000000", AnomalyBadUFunction},
		{"U with two bits", "680417000000", AnomalyBadUFunction},
		{"long S", "68050100020000", AnomalyControlLength},
		{"S reserved", "680405000200", AnomalyReservedBits},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := testkit.Hex(tt.hex)
			f, _, _ := Parse(b)
			assert.True(t, f.Anomalies.Has(tt.want), "got %s", f.Anomalies)
		})
	}
	// An unknown type keeps its bytes and yields no objects.
	f, _, err := Parse(testkit.Hex("680e0000000018010600010001000014"))
	require.NoError(t, err)
	assert.Equal(t, 0, f.ASDU.Len())
	assert.Equal(t, testkit.Hex("01000014"), f.ASDU.Body())
	it := f.ASDU.Objects()
	assert.False(t, it.Next())

	var names []byte
	names, _ = (AnomalySeqGap | AnomalyKWindow).AppendText(names)
	assert.Equal(t, "seq_gap|k_window", string(names))
	assert.Equal(t, "seq_gap|k_window", (AnomalySeqGap | AnomalyKWindow).String())
	assert.Equal(t, "", Anomaly(0).String())
	assert.Equal(t, "unknown_type|bit31", (AnomalyUnknownType | 1<<31).String())
	for a := Anomaly(1); a < 1<<numAnomalies; a <<= 1 {
		assert.NotRegexp(t, "bit[0-9]", a.String(), "flag %#x has no name", uint32(a))
		assert.NotContains(t, a.String(), "|")
	}
	var got []Anomaly
	for x := range (AnomalySeqGap | AnomalyUnknownType | AnomalySelectMismatch).All {
		got = append(got, x)
	}
	assert.Equal(t, []Anomaly{AnomalyUnknownType, AnomalySeqGap, AnomalySelectMismatch}, got)
	assert.True(t, (AnomalySeqGap | AnomalyKWindow).Has(AnomalySeqGap))
	assert.False(t, AnomalySeqGap.Has(AnomalySeqGap|AnomalyKWindow))
}

func TestCountDoesNotFit(t *testing.T) {
	// fkie frame 12's single points claiming 6 objects: 4 fit.
	b := testkit.Hex(hexSinglePoints)
	b[7] = 6
	f, n, err := Parse(b)
	assert.ErrorIs(t, err, ErrCount)
	assert.Equal(t, len(b), n)
	assert.Equal(t, 4, f.ASDU.Len())
	it := f.ASDU.Objects()
	k := 0
	for it.Next() {
		k++
	}
	assert.Equal(t, 4, k)
	assert.ErrorIs(t, it.Err(), ErrCount)
	// SQ=1 with a huge count.
	a, err := ParseASDU(testkit.Hex("01ff030001000000000101"))
	assert.ErrorIs(t, err, ErrCount)
	assert.Equal(t, 2, a.Len())
}

func TestEnums(t *testing.T) {
	assert.Equal(t, "STARTDT act", StartDTAct.String())
	assert.Equal(t, "TESTFR con", TestFRCon.String())
	assert.Equal(t, "function 0x05", UFunction(5).String())
	assert.Equal(t, "I", FormatI.String())
	assert.Equal(t, "S", FormatS.String())
	assert.Equal(t, "U", FormatU.String())
	assert.Equal(t, "format 0x02", Format(2).String())
	assert.Equal(t, "ActCon", CauseActivationCon.String())
	assert.Equal(t, "Inrogen", CauseInterrogated.String())
	assert.Equal(t, "cause 0x3f", Cause(63).String())
	assert.Equal(t, "M_ME_NC_1", M_ME_NC_1.String())
	assert.Equal(t, 5, M_ME_NC_1.ElementSize())
	assert.Equal(t, 0, C_RD_NA_1.ElementSize())
	assert.Equal(t, -1, F_SG_NA_1.ElementSize())
	assert.Equal(t, "iec104: truncated", ErrTruncated.Error())
}

func TestQualityBits(t *testing.T) {
	q := SIQ(0xf1)
	assert.True(t, q.SPI() && q.BL() && q.SB() && q.NT() && q.IV())
	d := DIQ(0xf2)
	assert.Equal(t, DPOn, d.DPI())
	assert.True(t, d.BL() && d.SB() && d.NT() && d.IV())
	qd := QDS(0xf1)
	assert.True(t, qd.OV() && qd.BL() && qd.SB() && qd.NT() && qd.IV())
	assert.Equal(t, int8(-1), VTI(0x7f).Value())
	assert.Equal(t, int8(63), VTI(0xbf).Value())
	assert.True(t, VTI(0x80).Transient())
	assert.Equal(t, QUPersistent, SCO(0x8d).QU())
	assert.Equal(t, uint8(2), RCO(0x06).Step())
	assert.Equal(t, QUShortPulse, RCO(0x06).QU())
	assert.Equal(t, FreezeWithReset, QCC(0x85).FRZ())
	assert.Equal(t, RequestGeneral, QCC(0x85).RQT())
	assert.True(t, QPM(0xc1).LPC() && QPM(0xc1).POP())
	assert.Equal(t, KPAThreshold, QPM(0xc1).KPA())
	assert.True(t, COI(0x82).Changed())
	assert.Equal(t, InitRemoteReset, COI(0x82).Cause())
	assert.Equal(t, DPOff, SEP(0xf9).ES())
	assert.True(t, QDP(0x08).EI())
	assert.Equal(t, 61*time.Minute+500*time.Millisecond, CP24Time2a{Millis: 500, Minute: 61}.Duration())
	assert.Equal(t, float32(-1), NormalizedValue(math.MinInt16))
}

func TestSplit(t *testing.T) {
	two := testkit.Hex(hexStartDTAct + hexStartDTCon)
	adv, tok, err := Split(two, false)
	require.NoError(t, err)
	_ = err
	assert.Equal(t, 6, adv)
	assert.Equal(t, two[:6], tok)

	// A partial APDU asks for more.
	adv, tok, _ = Split(two[:5], false)
	assert.Equal(t, 0, adv)
	assert.Nil(t, tok)
	adv, tok, _ = Split(two[:1], false)
	assert.Equal(t, 0, adv)
	assert.Nil(t, tok)
	// At EOF it is the last token; Parse reports it truncated.
	adv, tok, _ = Split(two[:5], true)
	assert.Equal(t, 5, adv)
	assert.Equal(t, two[:5], tok)
	_, n, err := Parse(tok)
	assert.Equal(t, 0, n)
	assert.ErrorIs(t, err, ErrTruncated)
	adv, tok, _ = Split(two[:1], true)
	assert.Equal(t, 1, adv)
	assert.Equal(t, two[:1], tok)
	// Garbage at EOF is skipped.
	adv, tok, _ = Split(testkit.Hex("0102"), true)
	assert.Equal(t, 2, adv)
	assert.Nil(t, tok)
	// A skip stops at MaxSkip.
	adv, tok, _ = Split(make([]byte, 3*MaxSkip), false)
	assert.Equal(t, MaxSkip, adv)
	assert.Nil(t, tok)

	// Garbage is skipped up to the next start byte.
	g := append(testkit.Hex("0102030405"), two...)
	adv, tok, _ = Split(g, false)
	assert.Equal(t, 5, adv)
	assert.Nil(t, tok)
	adv, tok, _ = Split(g[5:], false)
	assert.Equal(t, 6, adv)
	assert.NotNil(t, tok)
	adv, _, _ = Split(testkit.Hex("0102"), false)
	assert.Equal(t, 2, adv)
	adv, tok, _ = Split(nil, true)
	assert.Equal(t, 0, adv)
	assert.Nil(t, tok)

	// A short length octet is passed on as Wireshark frames it.
	adv, tok, _ = Split(testkit.Hex("6802026800"), false)
	assert.Equal(t, 4, adv)
	assert.Equal(t, testkit.Hex("68020268"), tok)
}

// TestSplitStream feeds the garbage-laden connection of
// iti-iec104-TestDissectIec104.pcap (frames 4..25, client side) through
// bufio.Scanner-like calls in every segmentation and expects the same APDUs.
func TestSplitStream(t *testing.T) {
	stream := testkit.Hex("680407000000" + "00" + "0168" + "020268001212" + "680443000000" + "0303036801131313" +
		"040404046802141414" + "680443000000" + "0505050505680315151515" + "0606060606066804161616161616")
	want := []string{"680407000000", "68020268", "680443000000", "680113", "68021414", "680443000000", "6803151515", "680416161616"}
	for chunk := 1; chunk <= len(stream); chunk++ {
		var got []string
		var buf []byte
		for off := 0; off < len(stream) || len(buf) > 0; {
			end := min(off+chunk, len(stream))
			buf = append(buf, stream[off:end]...)
			off = end
			atEOF := off == len(stream)
			for {
				adv, tok, err := Split(buf, atEOF)
				require.NoError(t, err)
				if tok != nil {
					got = append(got, hex.EncodeToString(tok))
				}
				if adv == 0 {
					break
				}
				buf = buf[adv:]
			}
			if atEOF {
				break
			}
		}
		assert.Equal(t, want, got, "chunk %d", chunk)
	}
}

// TestHouseRules keeps fmt, errors, encoding/binary, init and panic out of
// the package's non-test files, and imports to the standard library and
// internal/wire.
func TestHouseRules(t *testing.T) { testkit.HouseRules(t, ".", testkit.ProtocolImports...) }

func TestAppendBinary(t *testing.T) {
	src := testkit.Hex(hexFloatCP56)
	f, _, err := Parse(src)
	require.NoError(t, err)
	kept, err := f.AppendBinary(nil)
	require.NoError(t, err)
	for i := range src {
		src[i] = 0
	}
	g, _, err := Parse(kept)
	require.NoError(t, err)
	o, _ := g.ASDU.At(0)
	v, _ := o.Float()
	assert.Equal(t, float32(0.16875), v)
	assert.Equal(t, uint16(16150), g.SendSeq)
}
