package dnp3

import (
	"encoding/hex"
	"testing"
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
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

func TestCRC(t *testing.T) {
	assert.Equal(t, uint16(0xEA82), CRC([]byte("123456789")), "CRC-16/DNP check value")
	b := unhex(t, hexReadClass)
	assert.True(t, crcOK(b, 8))
}

func TestDecodeLink(t *testing.T) {
	tests := []struct {
		name     string
		hex      string
		dst, src uint16
		ctl      Control
		fn       LinkFunction
		user     int
		err      error
	}{
		{"read request", hexReadClass, 10, 1, 0xC4, LinkUnconfirmedUserData, 15, nil},
		{"full frame", hexResp1, 1, 10, 0x44, LinkUnconfirmedUserData, 250, nil},
		{"analog response", hexAnalog, 1, 1024, 0x44, LinkUnconfirmedUserData, 45, nil},
		{"link status request", "056405c903000400bd71", 3, 4, 0xC9, LinkRequestLinkStatus, 0, nil},
	}
	var d Decoder
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := unhex(t, tc.hex)
			f, n, err := d.Decode(b)
			require.Equal(t, tc.err, err)
			assert.Equal(t, len(b), n)
			assert.Equal(t, tc.dst, f.Dst)
			assert.Equal(t, tc.src, f.Src)
			assert.Equal(t, tc.ctl, f.Control)
			assert.Equal(t, tc.fn, f.Control.Function())
			assert.Len(t, f.UserData, tc.user)
		})
	}
}

func TestDecodeLinkErrors(t *testing.T) {
	good := unhex(t, hexReadClass)
	var d Decoder
	badHdr := append([]byte(nil), good...)
	badHdr[8] ^= 1
	badData := append([]byte(nil), good...)
	badData[12] ^= 0x80
	badStart := append([]byte(nil), good...)
	badStart[1] = 0x65
	shortLen := unhex(t, "056404c9010000040000")
	shortLen[8], shortLen[9] = byte(CRC(shortLen[:8])), byte(CRC(shortLen[:8])>>8)
	tests := []struct {
		name string
		b    []byte
		err  error
	}{
		{"empty", nil, ErrTruncated},
		{"short header", good[:5], ErrTruncated},
		{"bad start", badStart, ErrStart},
		{"bad header CRC", badHdr, ErrHeaderCRC},
		{"bad data CRC", badData, ErrCRC},
		{"truncated data", good[:len(good)-1], ErrTruncated},
		{"length below 5", shortLen, ErrLength},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := d.Decode(tc.b)
			assert.Equal(t, tc.err, err)
			assert.NotEmpty(t, err.Error())
		})
	}
	// A bad data CRC still consumes the whole frame so the stream goes on.
	_, n, _ := d.Decode(badData)
	assert.Equal(t, len(badData), n)
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
	adv, tok, _ = Split(append(append([]byte(nil), a...), b...), false)
	assert.Equal(t, len(a), adv)
	assert.Equal(t, a, tok)
	// Garbage with no start bytes is skipped in bounded steps.
	junk := make([]byte, 3*maxSkip)
	adv, tok, _ = Split(junk, false)
	assert.Equal(t, maxSkip, adv)
	assert.Nil(t, tok)
}

func TestReassembly(t *testing.T) {
	var d Decoder
	var tr Transport
	f1, _, err := d.Decode(unhex(t, hexResp1))
	require.NoError(t, err)
	th, ok := f1.Transport()
	require.True(t, ok)
	assert.True(t, th.FIR())
	assert.False(t, th.FIN())
	assert.Equal(t, uint8(19), th.Seq())
	frag, done, an := tr.Add(&f1)
	assert.False(t, done)
	assert.Nil(t, frag)
	assert.Zero(t, an)
	f2, _, err := d.Decode(unhex(t, hexResp2))
	require.NoError(t, err)
	frag, done, an = tr.Add(&f2)
	require.True(t, done)
	assert.Zero(t, an)
	assert.Len(t, frag, 269) // as Wireshark reassembles it

	a, err := ParseFragment(frag)
	require.NoError(t, err)
	assert.Equal(t, FuncResponse, a.Func)
	assert.True(t, a.Control.FIR() && a.Control.FIN())
	var types []ObjectType
	var points int
	it := a.Objects()
	for it.Next() {
		h := it.Header()
		types = append(types, h.Type())
		for pt := h.Points(); pt.Next(); {
			points++
		}
	}
	require.NoError(t, it.Err())
	assert.Equal(t, []ObjectType{0x0102, 0x0302, 0x1401, 0x1501, 0x1e01, 0x0a02, 0x2801}, types)
	assert.Equal(t, 70, points)
}

func TestReassemblerAnomalies(t *testing.T) {
	seg := func(fir, fin bool, seq uint8, payload ...byte) []byte {
		h := seq & 0x3F
		if fir {
			h |= 0x40
		}
		if fin {
			h |= 0x80
		}
		return append([]byte{h}, payload...)
	}
	r := NewReassembler(8)
	_, done, an := r.Add(seg(false, true, 1, 1))
	assert.False(t, done)
	assert.Equal(t, AnomalyMissingFIR, an)

	_, _, an = r.Add(seg(true, false, 62, 1, 2))
	assert.Zero(t, an)
	_, _, an = r.Add(seg(false, false, 62, 9))
	assert.Equal(t, AnomalyDuplicate, an)
	_, _, an = r.Add(seg(false, false, 63, 3))
	assert.Zero(t, an)
	frag, done, an := r.Add(seg(false, true, 0, 4)) // sequence wraps
	assert.True(t, done)
	assert.Zero(t, an)
	assert.Equal(t, []byte{1, 2, 3, 4}, frag)

	r.Add(seg(true, false, 5, 1))
	_, done, an = r.Add(seg(false, true, 7, 2))
	assert.False(t, done)
	assert.Equal(t, AnomalyOutOfSequence, an)

	r.Add(seg(true, false, 1, 1, 2, 3, 4, 5))
	_, done, an = r.Add(seg(false, true, 2, 6, 7, 8, 9))
	assert.False(t, done)
	assert.Equal(t, AnomalyOverflow, an)

	r.Add(seg(true, false, 1, 1))
	frag, done, an = r.Add(seg(true, true, 9, 2))
	assert.True(t, done)
	assert.Equal(t, AnomalyRestart, an)
	assert.Equal(t, []byte{2}, frag)
}

func TestTransportLinks(t *testing.T) {
	var tr Transport
	tr.Init(64)
	// Five links share four slots: the least recently used is dropped.
	for i := range uint16(5) {
		r := tr.For(LinkKey{Src: i, Dst: 1})
		_, _, an := r.Add([]byte{0x40, byte(i)})
		assert.Zero(t, an)
	}
	_, _, an := tr.For(LinkKey{Src: 0, Dst: 1}).Add([]byte{0x81, 9})
	assert.Equal(t, AnomalyMissingFIR, an)
	frag, done, _ := tr.For(LinkKey{Src: 4, Dst: 1}).Add([]byte{0x81, 9})
	assert.True(t, done)
	assert.Equal(t, []byte{4, 9}, frag)
}

func decodeFrag(t *testing.T, s string) Fragment {
	t.Helper()
	var d Decoder
	f, _, err := d.Decode(unhex(t, s))
	require.NoError(t, err)
	th, _ := f.Transport()
	require.True(t, th.FIR() && th.FIN())
	a, err := ParseFragment(append([]byte(nil), f.Segment()...))
	require.NoError(t, err)
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
	it := a.Objects()
	for it.Next() {
		h := it.Header()
		pt := h.Points()
		for pt.Next() {
			p := pt.Point()
			rows = append(rows, pointRow{h.Type(), p.Index, p.Kind, p.Int, p.Float, p.Flags, p.Time})
		}
		require.NoError(t, pt.Err())
	}
	require.NoError(t, it.Err())
	return rows
}

func TestObjects(t *testing.T) {
	t.Run("read request headers", func(t *testing.T) {
		a := decodeFrag(t, hexReadClass)
		assert.Equal(t, FuncRead, a.Func)
		assert.False(t, a.HasIIN)
		var got []ObjectType
		for it := a.Objects(); it.Next(); {
			h := it.Header()
			got = append(got, h.Type())
			assert.Equal(t, uint8(6), h.Qualifier.Range())
			assert.True(t, h.HeaderOnly)
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
		rows := collect(t, decodeFrag(t, hexFloatEvent))
		require.Len(t, rows, 1)
		assert.Equal(t, ObjectType(0x2007), rows[0].typ)
		assert.Equal(t, KindFloat, rows[0].kind)
		assert.Equal(t, uint32(0), rows[0].index)
		assert.Equal(t, float64(0), rows[0].f)
		assert.Equal(t, uint64(0), rows[0].time)
	})
}

func TestCROB(t *testing.T) {
	a := decodeFrag(t, hexCROB)
	assert.Equal(t, FuncDirectOperate, a.Func)
	it := a.Objects()
	require.True(t, it.Next())
	h := it.Header()
	assert.Equal(t, ObjectType(0x0c01), h.Type())
	assert.True(t, h.Qualifier.IndexPrefix())
	pt := h.Points()
	require.True(t, pt.Next())
	p := pt.Point()
	assert.Equal(t, uint32(0), p.Index)
	c, ok := p.CROB()
	require.True(t, ok)
	assert.Equal(t, CROB{Code: 3, Count: 1, OnMs: 100, OffMs: 100, Status: 0}, c)
	assert.Equal(t, uint8(3), c.Operation())
	assert.False(t, pt.Next())
	assert.False(t, it.Next())
	assert.NoError(t, it.Err())
}

func TestAttributes(t *testing.T) {
	a := decodeFrag(t, hexAttrs)
	var got []string
	for it := a.Objects(); it.Next(); {
		h := it.Header()
		for pt := h.Points(); pt.Next(); {
			p := pt.Point()
			attr, ok := p.Attribute()
			require.True(t, ok)
			v, ok := attr.Uint()
			require.True(t, ok)
			got = append(got, AttributeName(h.Variation)+"="+string(rune('0'+v)))
		}
	}
	assert.Equal(t, []string{"number of outstation-defined data set prototypes=1", "number of outstation-defined data sets=3"}, got)
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
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			it := NewObjects(unhex(t, tc.body), tc.fn)
			for it.Next() {
				h := it.Header()
				for pt := h.Points(); pt.Next(); {
				}
			}
			assert.Equal(t, tc.err, it.Err())
			assert.Equal(t, tc.an, it.Anomalies())
		})
	}
	_, err := ParseFragment([]byte{0xc0})
	assert.Equal(t, ErrTruncated, err)
	_, err = ParseFragment([]byte{0xc0, 0x81, 0x00})
	assert.Equal(t, ErrTruncated, err)
}

func TestPartialPoint(t *testing.T) {
	// g30v1 with a two-octet index prefix, count 2, the second cut after
	// its flags.
	it := NewObjects(unhex(t, "1e0128020001000164000000020001"), FuncResponse)
	require.True(t, it.Next())
	h := it.Header()
	assert.True(t, h.Truncated)
	pt := h.Points()
	require.True(t, pt.Next())
	assert.Equal(t, int64(100), pt.Point().Int)
	assert.False(t, pt.Next())
	assert.Equal(t, ErrTruncated, pt.Err())
	p, ok := pt.Partial()
	require.True(t, ok)
	assert.Equal(t, uint32(2), p.Index)
	assert.True(t, p.HasFlags)
	assert.Equal(t, KindNone, p.Kind)
}

func TestEnums(t *testing.T) {
	assert.Equal(t, "read", FuncRead.String())
	assert.Equal(t, "authenticate response", FuncAuthenticateResponse.String())
	assert.Equal(t, "unknown", FunctionCode(77).String())
	assert.Equal(t, "unconfirmed user data", LinkUnconfirmedUserData.String())
	assert.Equal(t, "reserved", LinkFunction(0x45).String())
	assert.Equal(t, "out_of_sequence", AnomalyOutOfSequence.String())
	assert.Equal(t, "multiple", (AnomalyOutOfSequence | AnomalyOverflow).String())
	assert.Equal(t, "software version", AttributeName(AttrVarSoftware))
	assert.Equal(t, "dnp3: bad data block CRC", ErrCRC.Error())
}
