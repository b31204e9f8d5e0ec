package dnp3

import (
	"bufio"
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// Real link frames from the captures in ../../shared/captures/dnp3 (see
// testdata/README.md).
var (
	// iti-dnp3-read_and_response.pcap frame 4: read class 1, 2, 3, 0.
	// (The link status request in TestDecodeLink is
	// iti-openics-DNP3-RequestLinkStatus.pcap frame 4.)
	hexReadClass = "056414c40a0001008fedc0c0013c02063c03063c04063c01068a51"
	// iti-dnp3-read_and_response.pcap frames 6 and 8: one response in two
	// transport segments (FIR seq 19, FIN seq 20).
	hexResp1 = "0564ff4401000a005aeb53c081000001020000090202020202022d3a0202020203020000090202020202020270da02020214010000090200000000020000e30b000002000000000200000000020000004dba000200000000020000000002000000007eae02000000000200000000150100000902d3420000000002000000000200000000020069ce00000002000000000200000000020000dd5e000002000000000200000000020000004dba001e0100000902000000000200000000cd6302000000000200000000020000000002f0030000000002000000000200000000020069ce00000002000000000a0200000902020217100202020202020228010000090200000058e4000200000000020000000002000000007eae020000000002000000004e72"
	hexResp2 = "05641a4401000a00af5d9402000000000200000000020000000066420200000000f3b9"
	// iti-opendnp3conf-8.18.2.2.pcap frame 6: class 0 response, g30v2.
	hexAnalog = "0564324401000004f89bc0c08198001e0201000000000100001eaec80201290029000164001e020100040004692701c8001e0201ffffffff0100001355"
	// iti-dnp3-dataset_exchange.pcap frame 2: g0v213 and g0v215 (UINT).
	hexAttrs = "056420440300040095e3c8c581000000d5000000020401000000607a00d7000000020403000000789f"
	// iti-dnp3-directoperate_and_response.pcap frame 4: direct operate CROB.
	hexCROB = "05641ac40a0001008a1cc0c0050c012801000000030164000000dded6400000000005b"
	// suricata-dnp3-eve.pcap frame 115: unsolicited g32v7 float event.
	hexFloatEvent = "05641c4401000a007636dffd8200002007280100000001000000f6fc00000000000000ffff"
	// iti-opendnp3conf-8.9.1.2.pcap frame 46: analog, counters, frozen
	// counters, binary outputs and analog outputs in one response.
	hexMixed = "0564c844010000042e11d2428190001e02010004000401c0121e65f20201ffffffff01f811140201000000000f5001370014020129002900012e0014020194dd00040004012b00140201ffffffff013c883c00150201000000000101001502012900d4ef290001010015020100040004010100154e6e0201ffffffff0101000a020000130101b51f01010101010101010101010101010101bbc301012802000013010000010000010000346c01000001000001000001000001000001fe8500000100000100000100000100000100db49000100000100000100000100000100009e0f01000047e6"
	// iti-dnp3-select_operate_and_responses.pcap frames 4, 6, 7, 8: select
	// of a CROB (latch on, index 0), its response, the operate and its
	// response.
	hexSelect     = "05641ac40a0001008a1cc0c0030c012801000000030164000000fd6b6400000000005b"
	hexSelectResp = "05641c4401000a007636c6c08100000c01280100000003016400c39600006400000000005b"
	hexOperate    = "05641ac40a0001008a1cc1c1040c012801000000030164000000b9f06400000000005b"
	hexOperResp   = "05641c4401000a007636c7c18100000c0128010000000301640057b500006400000000005b"
	// iti-dnp3-unsolcited_response_and_confirm.pcap frames 4 and 5: an
	// unsolicited response asking for confirmation, and its confirm.
	hexUnsol   = "05640a4401000a006e25c0f08200004466"
	hexConfirm = "056408c40a000100fc42c0d0001b49"
	// iti-dnp3-lan_time_sync.pcap frames 1-4: record current time, its
	// response, a write of g50v3 (last recorded time) and its response.
	hexRecordTime     = "056408c404000300b4b8c8c918cbd2"
	hexRecordTimeResp = "05640a44030004007caecac98100001ecc"
	hexWriteTime      = "056412c4040003001e7cc9ca02320307019f0d83524c01eb2c"
	hexWriteTimeResp  = "05640a44030004007caecbca81000059e5"
	// iti-opendnp3conf-8.15.2.pcap frame 10: a response with a g51v2 CTO then
	// three g2v3 binary input events with relative time.
	hexCTOEvents = "0564284401000004525fc1e181100033020701e141d364710102f31503280300290081000029000100000004a51d810100ae18"
	// iti-dnp3-direct_operate_analog_output.pcap frame 1: direct operate
	// of g41v2, index 1, value 0.
	hexAnalogOut = "056412c4040003001e7ceec205290228010001000000007dd0"
)

// unhex decodes a hex literal of the tests.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	return testkit.Hex(s)
}

func TestCRC(t *testing.T) {
	assert.Equal(t, uint16(0xEA82), CRC([]byte("123456789")), "CRC-16/DNP check value")
	b := unhex(t, hexReadClass)
	assert.True(t, crcOK(b, 8))
}

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		hex      string
		dst, src uint16
		ctl      Control
		fn       LinkFunction
		user     int
	}{
		{"read request", hexReadClass, 10, 1, 0xC4, LinkUnconfirmedUserData, 15},
		{"full frame", hexResp1, 1, 10, 0x44, LinkUnconfirmedUserData, 250},
		{"analog response", hexAnalog, 1, 1024, 0x44, LinkUnconfirmedUserData, 45},
		{"link status request", "056405c903000400bd71", 3, 4, 0xC9, LinkRequestLinkStatus, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := unhex(t, tc.hex)
			f, n, err := Parse(b)
			require.NoError(t, err)
			assert.Equal(t, len(b), n)
			assert.Equal(t, tc.dst, f.Dst)
			assert.Equal(t, tc.src, f.Src)
			assert.Equal(t, tc.ctl, f.Control)
			assert.Equal(t, tc.fn, f.Control.Function())
			assert.Len(t, f.UserData(), tc.user)
			var g Frame
			n2, err := g.Decode(b)
			require.NoError(t, err)
			assert.Equal(t, n, n2)
			assert.Equal(t, f.UserData(), g.UserData())
			th, ok := f.Transport()
			assert.Equal(t, tc.user > 0, ok)
			if ok {
				assert.Equal(t, TransportHeader(f.UserData()[0]), th)
				assert.Equal(t, f.UserData()[1:], f.Segment())
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	good := unhex(t, hexReadClass)
	badHdr := bytes.Clone(good)
	badHdr[8] ^= 1
	badData := bytes.Clone(good)
	badData[12] ^= 0x80
	badStart := bytes.Clone(good)
	badStart[1] = 0x65
	shortLen := unhex(t, "056404c9010000040000")
	shortLen[8], shortLen[9] = byte(CRC(shortLen[:8])), byte(CRC(shortLen[:8])>>8)
	long := unhex(t, hexResp1)
	badCut := bytes.Clone(long[:100])
	badCut[12] ^= 1
	tests := []struct {
		name string
		b    []byte
		err  error
		n    int
		user int // user data octets kept
	}{
		{"empty", nil, ErrTruncated, 0, 0},
		{"short header", good[:5], ErrTruncated, 0, 0},
		{"bad start", badStart, ErrStart, 0, 0},
		{"bad header CRC", badHdr, ErrHeaderCRC, 0, 0},
		{"bad data CRC", badData, ErrCRC, len(good), 0},
		{"truncated data", good[:len(good)-1], ErrTruncated, 0, 0},
		{"truncated long frame", long[:100], ErrTruncated, 0, 80},
		{"bad CRC in a cut frame", badCut, ErrTruncated, 0, 0},
		{"length below 5", shortLen, ErrLength, HeaderLen, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, n, err := Parse(tc.b)
			assert.Equal(t, tc.err, err)
			assert.Equal(t, tc.n, n)
			assert.NotEmpty(t, err.Error())
			assert.Len(t, f.UserData(), tc.user)
		})
	}
	// The transport octet shows even when its block fails the check.
	f, _, _ := Parse(badData)
	th, ok := f.Transport()
	assert.True(t, ok)
	assert.Equal(t, TransportHeader(0xC0), th)
	assert.Empty(t, f.Segment())
}

// TestParseLoop steps over the frames of a datagram with the grammar's
// loop, a malformed frame included.
func TestParseLoop(t *testing.T) {
	bad := unhex(t, hexAnalog)
	bad[20] ^= 1
	b := append(append(unhex(t, hexReadClass), bad...), unhex(t, hexCROB)...)
	var errs []error
	frames := 0
	for len(b) > 0 {
		_, n, err := Parse(b)
		if n == 0 {
			break
		}
		frames++
		errs = append(errs, err)
		b = b[n:]
	}
	assert.Equal(t, 3, frames)
	assert.Equal(t, []error{nil, ErrCRC, nil}, errs)
}

func TestSplit(t *testing.T) {
	a, b := unhex(t, hexReadClass), unhex(t, hexAnalog)
	stream := append(append(append([]byte{0x00, 0x05, 0x11}, a...), 0x05, 0x64, 0x99), b...)
	var got [][]byte
	skipped := 0
	for data := stream; len(data) > 0; {
		adv, tok, err := Split(data, true)
		require.NoError(t, err)
		require.Positive(t, adv)
		if tok == nil {
			skipped += adv
		} else {
			got = append(got, tok)
		}
		data = data[adv:]
	}
	require.Len(t, got, 2)
	assert.Equal(t, a, got[0])
	assert.Equal(t, b, got[1])
	assert.Equal(t, 6, skipped)

	// A frame across calls asks for more data.
	adv, tok, err := Split(a[:12], false)
	assert.Equal(t, 0, adv)
	assert.Nil(t, tok)
	assert.NoError(t, err)
	adv, tok, _ = Split(a[:4], false)
	assert.Equal(t, 0, adv)
	assert.Nil(t, tok)
	// Two frames in one call: the first is cut.
	adv, tok, _ = Split(append(bytes.Clone(a), b...), false)
	assert.Equal(t, len(a), adv)
	assert.Equal(t, a, tok)
	// Garbage with no start bytes is skipped in bounded steps.
	junk := make([]byte, 3*MaxSkip)
	adv, tok, _ = Split(junk, false)
	assert.Equal(t, MaxSkip, adv)
	assert.Nil(t, tok)
}

// TestSplitEOF checks the end-of-stream rule: a partial frame with a
// plausible header is the last token, and Parse reports it truncated;
// other bytes are skipped.
func TestSplitEOF(t *testing.T) {
	a := unhex(t, hexAnalog)
	tests := []struct {
		name    string
		data    []byte
		tokens  int
		skipped int
	}{
		{"cut inside the data", a[:30], 1, 0},
		{"cut inside the header", a[:6], 1, 0},
		{"start bytes only", a[:2], 1, 0},
		{"garbage then a cut header", append([]byte{1, 2}, a[:5]...), 1, 2},
		{"a start byte, then no 0x64", []byte{0x05, 0x01}, 0, 2},
		{"length below 5", []byte{0x05, 0x64, 0x03, 0xc4}, 0, 4},
		{"garbage", []byte{1, 2, 3}, 0, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := bufio.NewScanner(bytes.NewReader(tc.data))
			skipped := 0
			sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
				adv, tok, err := Split(data, atEOF)
				if tok == nil {
					skipped += adv
				}
				return adv, tok, err
			})
			tokens := 0
			for sc.Scan() {
				tokens++
				_, n, err := Parse(sc.Bytes())
				assert.Equal(t, ErrTruncated, err)
				assert.Zero(t, n)
			}
			require.NoError(t, sc.Err())
			assert.Equal(t, tc.tokens, tokens)
			assert.Equal(t, tc.skipped, skipped)
		})
	}
}

// decodeFrag decodes a single-segment frame's application fragment, copied
// out of the frame.
func decodeFrag(t *testing.T, s string) Fragment {
	t.Helper()
	f, _, err := Parse(unhex(t, s))
	require.NoError(t, err)
	th, _ := f.Transport()
	require.True(t, th.FIR() && th.FIN())
	a, n, err := ParseFragment(bytes.Clone(f.Segment()))
	require.NoError(t, err)
	require.Equal(t, len(f.Segment()), n)
	return a
}

type pointRow struct {
	typ   ObjectType
	index uint32
	kind  ValueKind
	i     int64
	f     float64
	flags uint8
	time  uint64
}

func collect(t *testing.T, a Fragment) []pointRow {
	t.Helper()
	var rows []pointRow
	objs := a.Objects()
	for objs.Next() {
		h := objs.Object()
		pts := objs.Points()
		for pts.Next() {
			p := pts.Point()
			rows = append(rows, pointRow{h.Type(), p.Index(), p.Kind(), p.Int(), p.Float(), p.Flags(), p.Time()})
		}
		require.NoError(t, pts.Err())
	}
	require.NoError(t, objs.Err())
	return rows
}

func TestObjects(t *testing.T) {
	t.Run("read request headers", func(t *testing.T) {
		a := decodeFrag(t, hexReadClass)
		assert.Equal(t, FuncRead, a.Func)
		assert.False(t, a.HasIIN)
		var got []ObjectType
		objs := a.Objects()
		for objs.Next() {
			h := objs.Object()
			got = append(got, h.Type())
			assert.Equal(t, QualAll, h.Qualifier)
			assert.True(t, h.HeaderOnly)
			assert.Equal(t, uint8(3), h.HeaderLen)
		}
		assert.Equal(t, []ObjectType{0x3c02, 0x3c03, 0x3c04, 0x3c01}, got)
	})
	t.Run("analog inputs", func(t *testing.T) {
		a := decodeFrag(t, hexAnalog)
		assert.Equal(t, IIN(0x9800), a.IIN)
		assert.True(t, a.IIN.Has(IINDeviceRestart|IINNeedTime))
		rows := collect(t, a)
		require.Len(t, rows, 4)
		// Four headers with 16-bit start-stop ranges, as Wireshark shows
		// them (dnp3.al.range.start 0, 41, 1024, 65535).
		for i, want := range []struct {
			index uint32
			v     int64
		}{{0, 0}, {41, 100}, {1024, 200}, {65535, 0}} {
			assert.Equal(t, pointRow{0x1e02, want.index, KindInt, want.v, 0, 0x01, 0}, rows[i])
		}
	})
	t.Run("mixed response", func(t *testing.T) {
		rows := collect(t, decodeFrag(t, hexMixed))
		assert.Equal(t, pointRow{0x1e02, 1024, KindInt, 4800, 0, 0x01, 0}, rows[0])
		assert.Equal(t, pointRow{0x1e02, 65535, KindInt, 4600, 0, 0x01, 0}, rows[1])
		var counts []int64
		var outputs int
		for _, r := range rows {
			switch r.typ.Group() {
			case 20, 21:
				counts = append(counts, r.i)
				assert.Equal(t, KindCounter, r.kind)
			case 40:
				outputs++
			}
		}
		// As Wireshark shows dnp3.al.cnt.
		assert.Equal(t, []int64{55, 46, 43, 60, 1, 1, 1, 1}, counts)
		assert.Equal(t, 20, outputs)
	})
	t.Run("float event with time", func(t *testing.T) {
		a := decodeFrag(t, hexFloatEvent)
		objs := a.Objects()
		require.True(t, objs.Next())
		pts := objs.Points()
		require.True(t, pts.Next())
		p := pts.Point()
		assert.Equal(t, ObjectType(0x2007), pts.Type())
		assert.Equal(t, KindFloat, p.Kind())
		assert.False(t, p.Double())
		assert.Equal(t, uint32(0), p.Index())
		assert.Equal(t, float64(0), p.Float())
		assert.True(t, p.HasTime())
		assert.False(t, p.RelTime())
		assert.Equal(t, uint64(0), p.Time())
		assert.False(t, pts.Next())
	})
}

// TestCTO checks that relative times are made absolute with the common
// time of occurrence before them (iti-opendnp3conf-8.15.2.pcap frame 10, a
// response:
// g51v2 0x0171_64d3_41e1, then g2v3 events at +0, +0 and +1 ms).
func TestCTO(t *testing.T) {
	a := decodeFrag(t, hexCTOEvents)
	assert.Equal(t, FuncResponse, a.Func)
	objs := a.Objects()
	require.True(t, objs.Next())
	h := objs.Object()
	assert.Equal(t, ObjectType(0x3302), h.Type())
	pts := objs.Points()
	require.True(t, pts.Next())
	cto := pts.Point()
	assert.Equal(t, KindTime, cto.Kind())
	const base = 0x017164d341e1
	assert.Equal(t, uint64(base), cto.Time())
	require.True(t, objs.Next())
	h = objs.Object()
	assert.Equal(t, ObjectType(0x0203), h.Type())
	var got [][3]uint64
	pts = objs.Points()
	for pts.Next() {
		p := pts.Point()
		assert.True(t, p.HasTime())
		assert.False(t, p.RelTime())
		assert.Equal(t, KindBit, p.Kind())
		got = append(got, [3]uint64{uint64(p.Index()), uint64(p.Flags()), p.Time()})
	}
	assert.Equal(t, [][3]uint64{{0x29, 0x81, base}, {0x29, 0x01, base}, {0x400, 0x81, base + 1}}, got)
	// The same objects through a copy of the header.
	pc := h.Points()
	require.True(t, pc.Next())
	assert.Equal(t, uint64(base), pc.Point().Time())

	// Without a CTO, the time stays relative.
	objs = NewObjects(unhex(t, "02030701000500"), FuncResponse)
	require.True(t, objs.Next())
	pts = objs.Points()
	require.True(t, pts.Next())
	p := pts.Point()
	assert.True(t, p.RelTime())
	assert.Equal(t, uint64(5), p.Time())
}

func TestTimeObjects(t *testing.T) {
	a := decodeFrag(t, hexWriteTime)
	assert.Equal(t, OpTimeSync, a.Operation())
	objs := a.Objects()
	require.True(t, objs.Next())
	pts := objs.Points()
	require.True(t, pts.Next())
	p := pts.Point()
	assert.Equal(t, ObjectType(0x3203), pts.Type())
	assert.Equal(t, KindTime, p.Kind())
	assert.Equal(t, uint64(0x014c52830d9f), p.Time())
	_, _, ok := pts.Interval()
	assert.False(t, ok)

	// g50v2 and g50v4 carry an interval; g52 a delay.
	objs = NewObjects(unhex(t, "3202070101000000000010270000"+"320407010200000000000500000003"+"34020701e803"), FuncResponse)
	var got []string
	for objs.Next() {
		pts := objs.Points()
		for pts.Next() {
			p := pts.Point()
			n, unit, ok := pts.Interval()
			got = append(got, pts.Type().String()+" "+p.Kind().String()+" "+itoa(int(p.Int()))+" "+itoa(int(n))+" "+itoa(int(unit))+" "+itoa(int(p.Time())))
			_ = ok
		}
	}
	require.NoError(t, objs.Err())
	assert.Equal(t, []string{"g50v2 time 10000 10000 1 1", "g50v4 time 5 5 3 2", "g52v2 delay 1000 0 0 0"}, got)
}

func TestCROB(t *testing.T) {
	a := decodeFrag(t, hexCROB)
	assert.Equal(t, FuncDirectOperate, a.Func)
	assert.Equal(t, OpControl, a.Operation())
	objs := a.Objects()
	require.True(t, objs.Next())
	h := objs.Object()
	assert.Equal(t, ObjectType(0x0c01), h.Type())
	assert.True(t, h.Qualifier.IndexPrefix())
	assert.Equal(t, QualIndex16Count16, h.Qualifier)
	pts := objs.Points()
	require.True(t, pts.Next())
	p := pts.Point()
	assert.Equal(t, uint32(0), p.Index())
	assert.Equal(t, KindControl, p.Kind())
	c, ok := pts.CROB()
	require.True(t, ok)
	assert.Equal(t, CROB{Code: 3, Count: 1, OnTime: 100, OffTime: 100, Status: StatusSuccess, Fields: 5}, c)
	assert.Equal(t, ControlLatchOn, c.Code.Op())
	assert.Equal(t, TripCloseNul, c.Code.TripClose())
	assert.False(t, c.Code.Queue() || c.Code.Clear())
	assert.Len(t, pts.Raw(), 11)
	assert.False(t, pts.Next())
	assert.False(t, objs.Next())
	assert.NoError(t, objs.Err())

	// A CROB cut short shows the fields its octets hold.
	objs = NewObjects(unhex(t, "0c0117010081020a000000"), FuncDirectOperate)
	require.True(t, objs.Next())
	pts = objs.Points()
	assert.False(t, pts.Next())
	assert.Equal(t, ErrTruncated, pts.Err())
	_, ok = pts.Partial()
	require.True(t, ok)
	c, ok = pts.CROB()
	require.True(t, ok)
	assert.Equal(t, CROB{Code: 0x81, Count: 2, OnTime: 10, Fields: 3}, c)
	assert.Equal(t, ControlPulseOn, c.Code.Op())
	assert.Equal(t, TripCloseTrip, c.Code.TripClose())
}

func TestAnalogOutput(t *testing.T) {
	a := decodeFrag(t, hexAnalogOut)
	objs := a.Objects()
	require.True(t, objs.Next())
	pts := objs.Points()
	require.True(t, pts.Next())
	ao, ok := pts.AnalogOutput()
	require.True(t, ok)
	assert.Equal(t, AnalogOutput{}, ao)
	assert.Equal(t, uint32(1), pts.Point().Index())
	// A response with a float value and a status.
	objs = NewObjects(unhex(t, "290317010100002040 04"), FuncResponse)
	require.True(t, objs.Next())
	pts = objs.Points()
	require.True(t, pts.Next())
	ao, ok = pts.AnalogOutput()
	require.True(t, ok)
	assert.Equal(t, AnalogOutput{Float: 2.5, IsFloat: true, Status: StatusNotSupported}, ao)
	_, ok = pts.CROB()
	assert.False(t, ok)
}

func TestAttributes(t *testing.T) {
	a := decodeFrag(t, hexAttrs)
	var got []string
	objs := a.Objects()
	for objs.Next() {
		pts := objs.Points()
		for pts.Next() {
			attr, ok := pts.Attribute()
			require.True(t, ok)
			v, ok := attr.Uint()
			require.True(t, ok)
			got = append(got, attr.Attr.String()+"="+itoa(int(v)))
		}
	}
	assert.Equal(t, []string{"number of outstation-defined data set prototypes=1", "number of outstation-defined data sets=3"}, got)
	assert.True(t, AttrSerialNumber.Identity())
	assert.False(t, AttrMaxRxFragment.Identity())
	assert.Equal(t, "serial number", AttrSerialNumber.String())
	assert.Equal(t, "manufacturer", AttrManufacturer.String())
	assert.Equal(t, "user-assigned owner name", AttrOwnerName.String())
	assert.Equal(t, "list of attribute variations", AttrList.String())
	assert.Equal(t, "attribute 0xfb", DeviceAttribute(251).String())
	assert.False(t, DeviceAttribute(10).Known())
}

func TestObjectErrors(t *testing.T) {
	tests := []struct {
		name string
		fn   FunctionCode
		body string
		err  error
		an   Anomaly
	}{
		{"truncated header", FuncResponse, "1e02", ErrTruncated, 0},
		{"truncated range", FuncResponse, "1e020100", ErrTruncated, 0},
		{"truncated data", FuncResponse, "1e0200000301", ErrTruncated, 0},
		{"unknown object", FuncResponse, "fe01070100", ErrUnknownObject, AnomalyUnknownObject},
		{"stop below start", FuncResponse, "1e02000500", ErrRange, AnomalyRange},
		{"empty range", FuncResponse, "1e02000504", nil, AnomalyRange},
		{"reserved range code", FuncResponse, "1e020a", nil, AnomalyQualifier},
		{"class data with count", FuncResponse, "3c010701", nil, AnomalyCountOnEmpty},
		{"read with indices", FuncRead, "1e021702030a", nil, 0},
		{"attribute of unknown type", FuncResponse, "00f007010b0100", ErrUnknownObject, AnomalyUnknownObject | AnomalyAttribute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			objs := NewObjects(unhex(t, tc.body), tc.fn)
			for objs.Next() {
				pts := objs.Points()
				for pts.Next() {
				}
			}
			assert.Equal(t, tc.err, objs.Err())
			assert.Equal(t, tc.an, objs.Anomalies())
		})
	}
	_, _, err := ParseFragment([]byte{0xc0})
	assert.Equal(t, ErrLength, err)
	_, _, err = ParseFragment([]byte{0xc0, 0x81, 0x00})
	assert.Equal(t, ErrTruncated, err)
}

// TestPartialHeader checks what Objects.Partial gives of a header cut
// short or reversed.
func TestPartialHeader(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Object
		ok   bool
	}{
		{"one octet", "1e", Object{}, false},
		{"group and variation", "1e02", Object{Group: 30, Variation: 2, HeaderLen: 2}, true},
		{"qualifier", "1e0201", Object{Group: 30, Variation: 2, Qualifier: 1, HeaderLen: 3, RangeLen: 4}, true},
		{"range cut", "1e02010001", Object{Group: 30, Variation: 2, Qualifier: 1, HeaderLen: 3, RangeLen: 4}, true},
		{"stop below start", "1e02000500", Object{Group: 30, Variation: 2, HeaderLen: 5, RangeLen: 2, Start: 5}, true},
		{"count", "1e0108", Object{Group: 30, Variation: 1, Qualifier: 8, HeaderLen: 3, RangeLen: 2}, true},
		{"whole header, data cut", "1e0200000301", Object{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			objs := NewObjects(unhex(t, tc.body), FuncResponse)
			for objs.Next() {
			}
			h, ok := objs.Partial()
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, h)
		})
	}
}

func TestPartialPoint(t *testing.T) {
	// g30v1 with a two-octet index prefix, count 2, the second cut after
	// its flags.
	objs := NewObjects(unhex(t, "1e0128020001000164000000020001"), FuncResponse)
	require.True(t, objs.Next())
	h := objs.Object()
	assert.True(t, h.Truncated)
	pts := h.Points()
	require.True(t, pts.Next())
	assert.Equal(t, int64(100), pts.Point().Int())
	assert.False(t, pts.Next())
	assert.Equal(t, ErrTruncated, pts.Err())
	p, ok := pts.Partial()
	require.True(t, ok)
	assert.Equal(t, uint32(2), p.Index())
	assert.True(t, p.HasFlags())
	assert.Equal(t, KindNone, p.Kind())
	assert.Equal(t, []byte{0x01}, pts.Raw())

	// An object of unknown size shows its first prefix.
	objs = NewObjects(unhex(t, "fe01170107aabb"), FuncResponse)
	require.True(t, objs.Next())
	pts2 := objs.Points()
	assert.False(t, pts2.Next())
	assert.Equal(t, ErrUnknownObject, pts2.Err())
	p, ok = pts2.Partial()
	require.True(t, ok)
	assert.Equal(t, uint32(7), p.Index())
}

func TestOctetStringAndStatus(t *testing.T) {
	// g110v3 "abc" at index 2; g13v1 command event: status 4, state on.
	objs := NewObjects(unhex(t, "6e030002026162630d01170101 84"), FuncResponse)
	require.True(t, objs.Next())
	pts := objs.Points()
	require.True(t, pts.Next())
	assert.Equal(t, KindBytes, pts.Point().Kind())
	assert.Equal(t, []byte("abc"), pts.Raw())
	assert.Equal(t, uint32(2), pts.Point().Index())
	require.True(t, objs.Next())
	pts = objs.Points()
	require.True(t, pts.Next())
	p := pts.Point()
	assert.True(t, p.HasStatus())
	assert.Equal(t, StatusNotSupported, p.Status())
	assert.Equal(t, int64(1), p.Int())
}

func TestEnums(t *testing.T) {
	type enum interface {
		Known() bool
		String() string
		AppendText([]byte) ([]byte, error)
	}
	tests := []struct {
		v     enum
		known bool
		text  string
	}{
		{FuncRead, true, "read"},
		{FuncAuthenticateResponse, true, "authenticate response"},
		{FunctionCode(0x5a), false, "function 0x5a"},
		{LinkUnconfirmedUserData, true, "unconfirmed user data"},
		{LinkFunction(0x45), false, "link function 0x45"},
		{QualIndex16Count16, true, "index16 count16"},
		{QualAll, true, "all"},
		{QualSize16FreeForm8, true, "size16 free-format8"},
		{Qualifier(0x7a), false, "qualifier 0x7a"},
		{ObjectType(0x1e02), true, "g30v2"},
		{ObjectType(0x1e00), true, "g30v0"},
		{ObjectType(0x6ec8), true, "g110v200"},
		{ObjectType(0x7805), true, "g120v5"},
		{ObjectType(0xfe01), false, "object 0xfe01"},
		{KindCounter, true, "counter"},
		{ValueKind(0x20), false, "value kind 0x20"},
		{OpTimeSync, true, "time sync"},
		{Operation(0x40), false, "operation 0x40"},
		{AttrTypeVString, true, "visible string"},
		{AttrType(0x0b), false, "attribute type 0x0b"},
		{AttrProductName, true, "product name and model"},
		{ControlPulseOff, true, "pulse off"},
		{ControlOp(9), false, "control op 0x09"},
		{TripCloseTrip, true, "trip"},
		{TripClose(3), false, "trip-close 0x03"},
		{StatusNoSelect, true, "no select"},
		{StatusUndefined, true, "undefined"},
		{CommandStatus(0x20), false, "status 0x20"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.known, tc.v.Known(), tc.text)
		assert.Equal(t, tc.text, tc.v.String())
		b, err := tc.v.AppendText([]byte("x"))
		assert.NoError(t, err)
		assert.Equal(t, "x"+tc.text, string(b))
	}
	assert.Equal(t, "dnp3: bad data block CRC", ErrCRC.Error())
}

func TestFlagSets(t *testing.T) {
	assert.Equal(t, "", Anomaly(0).String())
	assert.Equal(t, "segment_sequence", AnomalySegmentSequence.String())
	assert.Equal(t, "missing_fir|range", (AnomalyMissingFIR | AnomalyRange).String())
	assert.Equal(t, "link_function|bit31", (AnomalyLinkFunction | 1<<31).String())
	b, err := (AnomalyMissingFIR | AnomalyRange).AppendText(nil)
	assert.NoError(t, err)
	assert.Equal(t, "missing_fir|range", string(b))
	var got []Anomaly
	for a := range (AnomalyRange | AnomalyLinkFunction).All {
		got = append(got, a)
	}
	assert.Equal(t, []Anomaly{AnomalyLinkFunction, AnomalyRange}, got)
	assert.True(t, (AnomalyRange | AnomalyQualifier).Has(AnomalyRange))
	assert.False(t, AnomalyRange.Has(AnomalyRange|AnomalyQualifier))
	for i := range numAnomalies {
		assert.NotEmpty(t, Anomaly(1<<i).String())
	}

	iin := IINDeviceRestart | IINNeedTime
	assert.Equal(t, "need_time|device_restart", iin.String())
	assert.Equal(t, "", IIN(0).String())
	assert.Equal(t, "reserved6", IINReserved6.String())
	var bitsSeen []IIN
	for b := range iin.All {
		bitsSeen = append(bitsSeen, b)
	}
	assert.Equal(t, []IIN{IINNeedTime, IINDeviceRestart}, bitsSeen)
	assert.True(t, iin.Has(IINNeedTime))
}

func TestOperations(t *testing.T) {
	for fn, want := range map[FunctionCode]Operation{
		FuncConfirm: OpConfirm, FuncRead: OpRead, FuncWrite: OpWrite, FuncSelect: OpControl,
		FuncOperate: OpControl, FuncDirectOperate: OpControl, FuncDirectOperateNoAck: OpControl,
		FuncImmediateFreeze: OpFreeze, FuncFreezeAtTimeNoAck: OpFreeze, FuncColdRestart: OpColdRestart,
		FuncWarmRestart: OpWarmRestart, FuncInitializeData: OpApplication,
		FuncInitializeApplication: OpApplication, FuncStartApplication: OpApplication,
		FuncStopApplication: OpApplication, FuncSaveConfiguration: OpSaveConfiguration,
		FuncEnableUnsolicited: OpUnsolicited, FuncDisableUnsolicited: OpUnsolicited,
		FuncAssignClass: OpAssignClass, FuncDelayMeasure: OpTimeSync, FuncRecordCurrentTime: OpTimeSync,
		FuncOpenFile: OpFile, FuncAbortFile: OpFile, FuncActivateConfig: OpActivateConfig,
		FuncAuthenticateRequest: OpAuthentication, FuncAuthenticateRequestNoAck: OpAuthentication,
		FuncAuthenticateResponse: OpAuthentication, FuncResponse: OpResponse,
		FuncUnsolicitedResponse: OpResponse, FunctionCode(0x40): OpOther,
	} {
		assert.Equal(t, want, fn.Operation(), fn.String())
	}
	// A write of IIN bits is a write; of time objects, a time sync.
	assert.Equal(t, OpWrite, (&Fragment{Func: FuncWrite, Body: []byte{80, 1, 0, 7, 7, 0}}).Operation())
	assert.Equal(t, OpTimeSync, (&Fragment{Func: FuncWrite, Body: []byte{50, 1, 7, 1, 0, 0, 0, 0, 0, 0}}).Operation())
}

// TestInfoTables checks that the typeInfo tables agree with typeInfoOf
// for every group and variation.
func TestInfoTables(t *testing.T) {
	for g := range 256 {
		for v := range 256 {
			if got, want := infoOf(uint8(g), uint8(v)), typeInfoOf(uint8(g), uint8(v)); got != want {
				t.Fatalf("g%dv%d: infoOf %#x, typeInfoOf %#x", g, v, got, want)
			}
		}
	}
}

func TestHouseRules(t *testing.T) {
	testkit.HouseRules(t, ".", testkit.ProtocolImports...)
}

var _ = errors.Is
