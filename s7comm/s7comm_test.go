package s7comm

import (
	"encoding/hex"
	"testing"
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func parseSample(t *testing.T, name string) Frame {
	t.Helper()
	b := sample(name)
	f, n, err := Parse(b)
	require.NoError(t, err, name)
	require.Equal(t, len(b), n, name)
	return f
}

func TestCOTPConnect(t *testing.T) {
	f := parseSample(t, "cotpCR")
	assert.Equal(t, KindNone, f.Kind)
	assert.Equal(t, TPDUConnectRequest, f.COTP.Type)
	assert.Equal(t, uint16(0), f.COTP.DstRef)
	assert.Equal(t, uint16(1), f.COTP.SrcRef)
	size, ok := f.COTP.TPDUSize()
	assert.True(t, ok)
	assert.Equal(t, 512, size)
	calling, ok := f.COTP.CallingTSAP()
	require.True(t, ok)
	assert.Equal(t, []byte{0x01, 0x00}, []byte(calling))
	called, ok := f.COTP.CalledTSAP()
	require.True(t, ok)
	rack, slot, ok := called.RackSlot()
	assert.True(t, ok)
	assert.Equal(t, uint8(0), rack)
	assert.Equal(t, uint8(2), slot)
	ct, _ := called.ConnType()
	assert.Equal(t, uint8(1), ct)

	f = parseSample(t, "cotpCC")
	assert.Equal(t, TPDUConnectConfirm, f.COTP.Type)
	assert.Equal(t, uint16(1), f.COTP.DstRef)
	assert.Equal(t, uint16(3), f.COTP.SrcRef)

	f = parseSample(t, "cotpCRText")
	called, ok = f.COTP.CalledTSAP()
	require.True(t, ok)
	assert.True(t, called.Printable())
	assert.Equal(t, "SIMATIC-ROOT-OTH", string(called))
	_, _, ok = called.RackSlot()
	assert.False(t, ok)
}

func TestSetupComm(t *testing.T) {
	f := parseSample(t, "setupJob")
	require.Equal(t, KindS7, f.Kind)
	assert.True(t, f.COTP.EOT)
	assert.Equal(t, Job, f.PDU.ROSCTR)
	fn, ok := f.PDU.Function()
	assert.True(t, ok)
	assert.Equal(t, FuncSetupComm, fn)
	sc, ok := f.PDU.SetupComm()
	require.True(t, ok)
	assert.Equal(t, SetupComm{MaxAmQCalling: 1, MaxAmQCalled: 1, PDULength: 480, Fields: 4}, sc)

	f = parseSample(t, "setupAck")
	assert.Equal(t, AckData, f.PDU.ROSCTR)
	assert.True(t, f.PDU.HasError)
	sc, ok = f.PDU.SetupComm()
	require.True(t, ok)
	assert.Equal(t, uint16(240), sc.PDULength)
	assert.Zero(t, f.Anomalies)
}

func TestReadVar(t *testing.T) {
	f := parseSample(t, "readJob4")
	n, ok := f.PDU.ItemCount()
	require.True(t, ok)
	assert.Equal(t, 4, n)
	want := []struct {
		ts        TransportSize
		byteAddr  uint32
		bit       uint8
		db, count uint16
	}{{TSBit, 2, 0, 1, 1}, {TSReal, 8, 0, 1, 1}, {TSDWord, 4, 0, 1, 1}, {TSWord, 0, 0, 1, 1}}
	i := 0
	it := f.PDU.Items()
	for it.Next() {
		item := it.Item()
		require.Less(t, i, len(want))
		assert.Equal(t, SyntaxS7Any, item.Syntax)
		assert.Equal(t, AreaDB, item.Area)
		assert.Equal(t, want[i].ts, item.TransportSize)
		assert.Equal(t, want[i].byteAddr, item.Byte())
		assert.Equal(t, want[i].bit, item.Bit())
		assert.Equal(t, want[i].db, item.DB)
		assert.Equal(t, want[i].count, item.Count)
		i++
	}
	assert.NoError(t, it.Err())
	assert.Equal(t, 4, i)
	assert.Zero(t, it.Anomalies())

	f = parseSample(t, "readAck4")
	di := f.PDU.DataItems()
	var got []DataItem
	for di.Next() {
		got = append(got, di.Item())
	}
	require.NoError(t, di.Err())
	require.Len(t, got, 4)
	b, ok := got[0].Bool()
	assert.True(t, ok)
	assert.True(t, b)
	assert.True(t, got[0].Fill)
	assert.Equal(t, DSReal, got[1].Size)
	v, ok := got[1].Uint()
	assert.True(t, ok)
	assert.Equal(t, uint64(0xaabbccdd), v)
	fv, ok := got[1].Float32()
	assert.True(t, ok)
	assert.NotZero(t, fv)
	assert.Equal(t, []byte{0xfe, 0xad, 0xbe, 0xef}, got[2].Value)
	iv, ok := got[3].Int()
	assert.True(t, ok)
	assert.Equal(t, int64(int16(-0x4542)), iv)
	for _, d := range got {
		assert.Equal(t, ReturnSuccess, d.ReturnCode)
	}
}

func TestWriteVar(t *testing.T) {
	f := parseSample(t, "writeJob5")
	n := 0
	for it := f.PDU.Items(); it.Next(); {
		n++
	}
	assert.Equal(t, 5, n)
	di := f.PDU.DataItems()
	n = 0
	for di.Next() {
		assert.Equal(t, ReturnReserved, di.Item().ReturnCode)
		n++
	}
	assert.Equal(t, 5, n)

	f = parseSample(t, "writeAck5")
	rc, ok := f.PDU.WriteResults()
	require.True(t, ok)
	require.Equal(t, 5, rc.Len())
	assert.Equal(t, ReturnSuccess, rc.At(0))
	assert.Equal(t, ReturnAccessDenied, rc.At(4))
}

func TestAckError(t *testing.T) {
	f := parseSample(t, "ackError")
	assert.Equal(t, Ack, f.PDU.ROSCTR)
	assert.Equal(t, uint8(0xd2), f.PDU.ErrorClass)
	assert.Equal(t, uint8(0x0c), f.PDU.ErrorCode)
	_, ok := f.PDU.Function()
	assert.False(t, ok)
}

func TestSZLModuleID(t *testing.T) {
	f := parseSample(t, "szl11Req")
	req, _, isResp, ok := f.PDU.ReadSZL()
	require.True(t, ok)
	assert.False(t, isResp)
	assert.Equal(t, SZLRequest{ID: 0x0011, Index: 0}, req)

	f = parseSample(t, "szl11Resp")
	u, ok := f.PDU.Userdata()
	require.True(t, ok)
	assert.Equal(t, GroupCPU, u.Group)
	assert.Equal(t, UDResponse, u.Type)
	assert.Equal(t, SubReadSZL, u.Subfunc)
	_, resp, isResp, ok := f.PDU.ReadSZL()
	require.True(t, ok)
	assert.True(t, isResp)
	assert.Equal(t, uint16(28), resp.RecordLen)
	assert.Equal(t, uint16(4), resp.RecordCount)
	var mods []ModuleID
	for it := resp.Records(); it.Next(); {
		m, ok := ParseModuleID(it.Record())
		require.True(t, ok)
		mods = append(mods, m)
	}
	require.Len(t, mods, 4)
	assert.Equal(t, "6ES7 315-2EH14-0AB0 ", string(mods[0].OrderNumber))
	assert.Equal(t, uint16(0x00c0), mods[0].ModuleType)
	maj, mnr, pat, ok := mods[2].FirmwareVersion()
	assert.True(t, ok)
	assert.Equal(t, [3]uint8{3, 2, 7}, [3]uint8{maj, mnr, pat})
}

func TestUserdataReassembly(t *testing.T) {
	var d Decoder
	f, err := d.Decode(sample("szl1cFrag1"))
	require.NoError(t, err)
	ud, ok := f.PDU.UserdataData()
	require.True(t, ok)
	assert.True(t, ud.Fragment)
	_, _, _, ok = f.PDU.ReadSZL()
	assert.False(t, ok, "a first fragment is not decoded")

	f, err = d.Decode(sample("szl1cFrag2"))
	require.NoError(t, err)
	ud, ok = f.PDU.UserdataData()
	require.True(t, ok)
	assert.True(t, ud.Reassembled)
	assert.Equal(t, 2, ud.Fragments)
	assert.Len(t, ud.Payload, 348)
	_, resp, isResp, ok := f.PDU.ReadSZL()
	require.True(t, ok)
	assert.True(t, isResp)
	assert.Equal(t, SZLComponentID, resp.ID)
	texts := map[uint16]string{}
	for it := resp.Records(); it.Next(); {
		c, ok := ParseComponentID(it.Record())
		require.True(t, ok)
		texts[c.Index] = string(c.Text)
		if c.Index == CompManufacturer {
			assert.Equal(t, uint16(0x002a), c.Manufacturer)
		}
	}
	assert.Equal(t, "S7300/ET200M station_1", texts[CompPLCName])
	assert.Equal(t, "PLC_1", texts[CompModuleName])
	assert.Equal(t, "Original Siemens Equipment", texts[CompCopyright])
	assert.Equal(t, "S C-B1U393142011", texts[CompSerialNumber])
	assert.Equal(t, "CPU 315-2 PN/DP", texts[CompModuleTypeName])
	assert.Equal(t, "MMC 4A1AC019", texts[CompMemCardSerial])
	assert.Len(t, texts, 10)

	// Without a Decoder the last fragment alone is not reassembled.
	f2, _, err := Parse(sample("szl1cFrag2"))
	require.NoError(t, err)
	ud, _ = f2.PDU.UserdataData()
	assert.False(t, ud.Reassembled)
}

func TestCOTPReassembly(t *testing.T) {
	// Cut a real read var response into three DT TPDUs.
	whole := sample("readAck4")
	s7 := whole[7:]
	var d Decoder
	parts := [][]byte{s7[:10], s7[10:30], s7[30:]}
	for i, p := range parts {
		eot := byte(0)
		if i == len(parts)-1 {
			eot = 0x80
		}
		n := 7 + len(p)
		pkt := append([]byte{3, 0, byte(n >> 8), byte(n), 2, 0xf0, eot}, p...)
		f, err := d.Decode(pkt)
		require.NoError(t, err)
		if i < len(parts)-1 {
			assert.Equal(t, KindFragment, f.Kind)
			continue
		}
		require.Equal(t, KindS7, f.Kind)
		cnt := 0
		for it := f.PDU.DataItems(); it.Next(); {
			cnt++
		}
		assert.Equal(t, 4, cnt)
	}
	// Overflow is reported and drops the message.
	big := make([]byte, 7+4000)
	copy(big, []byte{3, 0, byte(len(big) >> 8), byte(len(big)), 2, 0xf0, 0})
	for i := 0; i < 3; i++ {
		_, err := d.Decode(big)
		require.NoError(t, err)
	}
	big[6] = 0x80
	_, err := d.Decode(big)
	assert.ErrorIs(t, err, ErrOverflow)
}

func TestClock(t *testing.T) {
	f := parseSample(t, "clockResp")
	ts, ok := f.PDU.Clock()
	require.True(t, ok)
	assert.Equal(t, Timestamp{Year1: 19, HasYear1: true, Year: 2016, Month: 2, Day: 8, Hour: 14, Minute: 51,
		Second: 37, Millisecond: 916, Weekday: 2}, ts)
	f = parseSample(t, "clockSet")
	ts, ok = f.PDU.Clock()
	require.True(t, ok)
	assert.Equal(t, uint8(23), ts.Hour)
}

func TestBlockFunctions(t *testing.T) {
	f := parseSample(t, "listBlocks")
	l, ok := f.PDU.Blocks()
	require.True(t, ok)
	var got []BlockCount
	for l.Next() {
		got = append(got, l.Count())
	}
	require.Len(t, got, 7)
	assert.Equal(t, "OB", got[0].Type.String())
	assert.Equal(t, uint16(1), got[0].Count)

	f = parseSample(t, "startUpload")
	bc, ok := f.PDU.BlockControl()
	require.True(t, ok)
	assert.Equal(t, "_0B00000A", string(bc.FileName))
	_, typ, num, fs, ok := FileName(bc.FileName).Parts()
	assert.True(t, ok)
	assert.Equal(t, "SDB", typ.String())
	assert.Equal(t, "00000", string(num))
	assert.Equal(t, byte('A'), fs)

	f = parseSample(t, "startUploadAck")
	bc, ok = f.PDU.BlockControl()
	require.True(t, ok)
	assert.Equal(t, uint32(7), bc.UploadID)
	assert.Equal(t, "0000216", string(bc.Part2))

	f = parseSample(t, "uploadAck")
	bd, ok := f.PDU.BlockData()
	require.True(t, ok)
	assert.Equal(t, uint16(0xd8), bd.Length)
	assert.Len(t, bd.Data, 0xd8)
}

func TestPIService(t *testing.T) {
	f := parseSample(t, "plcStop")
	pi, ok := f.PDU.PIService()
	require.True(t, ok)
	assert.Equal(t, FuncPLCStop, pi.Function)
	assert.Equal(t, "P_PROGRAM", string(pi.Service))

	f = parseSample(t, "piModu")
	pi, ok = f.PDU.PIService()
	require.True(t, ok)
	assert.Equal(t, "_MODU", string(pi.Service))
	arg, ok := pi.Argument()
	assert.True(t, ok)
	assert.Equal(t, "EP", string(arg))
	args := pi.Args()
	_, ok = args.Next()
	assert.False(t, ok)

	f = parseSample(t, "piProgram")
	pi, ok = f.PDU.PIService()
	require.True(t, ok)
	assert.Equal(t, "P_PROGRAM", string(pi.Service))
	arg, _ = pi.Argument()
	assert.Equal(t, "C ", string(arg))

	f = parseSample(t, "piInse")
	pi, ok = f.PDU.PIService()
	require.True(t, ok)
	assert.Equal(t, "_INSE", string(pi.Service))
	bl, ok := pi.Blocks()
	require.True(t, ok)
	name, ok := bl.Next()
	require.True(t, ok)
	assert.Equal(t, "0A00001P", string(name))
	_, ok = bl.Next()
	assert.False(t, ok)
}

func TestAlarmAndDiag(t *testing.T) {
	f := parseSample(t, "diagMsg")
	e, ok := f.PDU.DiagMessage()
	require.True(t, ok)
	assert.Equal(t, uint16(0x4304), e.EventID)
	assert.Equal(t, uint8(0xff), e.Priority)
	assert.Equal(t, uint16(1994), e.Time.Year)

	f = parseSample(t, "alarmQuery")
	q, ok := f.PDU.AlarmQuery()
	require.True(t, ok)
	assert.Equal(t, ReturnSuccess, q.ReturnCode)
	var ids []uint32
	for it := q.Datasets(); it.Next(); {
		ids = append(ids, it.Dataset().EventID)
	}
	assert.Equal(t, []uint32{0x2f, 0xaf, 0xbb, 0xc2}, ids)
}

func TestCyclicAndTIS(t *testing.T) {
	f := parseSample(t, "cyclicReq")
	c, ok := f.PDU.Cyclic()
	require.True(t, ok)
	assert.Equal(t, uint16(1), c.ItemCount)
	it := c.Items()
	require.True(t, it.Next())
	item := it.Item()
	assert.Equal(t, SyntaxDBRead, item.Syntax)
	n := 0
	for a := item.DBReadAreas(); a.Next(); {
		if n == 0 {
			assert.Equal(t, DBReadArea{Length: 5, DB: 124, Start: 370}, a.Area())
		}
		n++
	}
	assert.Equal(t, int(item.NumAreas), n)
	assert.Less(t, 1, n)

	f = parseSample(t, "modifyVar")
	tis, ok := f.PDU.TIS()
	require.True(t, ok)
	cnt, ok := tis.ItemCount()
	require.True(t, ok)
	assert.Equal(t, 3, cnt)
	var addrs []VarAddr
	for a := tis.Addresses(); a.Next(); {
		addrs = append(addrs, a.Addr())
	}
	assert.Equal(t, []VarAddr{{3, 1, 0, 0}, {2, 1, 0, 4}, {16, 1, 0, 8}}, addrs)
	vals := tis.Values()
	n = 0
	for vals.Next() {
		n++
	}
	assert.Equal(t, 3, n)
}

func TestPlus(t *testing.T) {
	f := parseSample(t, "plusReq")
	require.Equal(t, KindS7Plus, f.Kind)
	h, ok := f.Plus()
	require.True(t, ok)
	assert.Equal(t, uint8(2), h.Version)
	assert.Equal(t, PlusRequest, h.Opcode)
	assert.Equal(t, PlusSetMultiVariables, h.Function)
	assert.Equal(t, uint16(2), h.Seq)
	assert.True(t, h.HasSession)
	assert.Equal(t, uint32(0x388), h.SessionID)
	assert.True(t, h.Trailer)

	f = parseSample(t, "plusResp")
	h, _ = f.Plus()
	assert.Equal(t, PlusResponse, h.Opcode)
	assert.Equal(t, PlusSetMultiVariables, h.Function)
	assert.Zero(t, f.Anomalies)

	f = parseSample(t, "plusV3")
	h, _ = f.Plus()
	assert.Equal(t, uint8(3), h.Version)
	assert.Len(t, h.Digest, 32)
	assert.Equal(t, PlusSetVariable, h.Function)
	assert.Equal(t, uint32(0x70000e4d), h.SessionID)
	// S7comm-plus is never read as S7comm.
	_, ok = f.PDU.Function()
	assert.False(t, ok)
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"short", []byte{3, 0, 0}, ErrTruncated},
		{"version", []byte{4, 0, 0, 7, 2, 0xf0, 0x80}, ErrTPKT},
		{"tiny length", []byte{3, 0, 0, 4, 2, 0xf0, 0x80}, ErrLength},
		{"cut", []byte{3, 0, 0, 9, 2, 0xf0, 0x80}, ErrTruncated},
		{"cotp li", []byte{3, 0, 0, 7, 9, 0xf0, 0x80}, ErrCOTP},
		{"s7 header", []byte{3, 0, 0, 10, 2, 0xf0, 0x80, 0x32, 1, 0}, ErrTruncated},
	}
	for _, c := range cases {
		_, _, err := Parse(c.in)
		assert.ErrorIs(t, err, c.want, c.name)
		assert.NotEmpty(t, err.Error())
	}
	// An unknown protocol id is kept as KindOther with an anomaly.
	f, _, err := Parse([]byte{3, 0, 0, 8, 2, 0xf0, 0x80, 0x55})
	assert.NoError(t, err)
	assert.Equal(t, KindOther, f.Kind)
	assert.True(t, f.Anomalies.Has(AnomalyProtocolID))
}

func TestAnomalies(t *testing.T) {
	// Unknown function, unknown area and syntax are kept and flagged.
	b := sample("readJob1")
	b[17] = 0x77 // function
	f, _, err := Parse(b)
	require.NoError(t, err)
	assert.True(t, f.Anomalies.Has(AnomalyFunction))
	fn, _ := f.PDU.Function()
	assert.Equal(t, Function(0x77), fn)
	assert.Equal(t, "unknown", fn.String())

	b = sample("readJob1")
	b[27] = 0x99 // area
	f, _, _ = Parse(b)
	it := f.PDU.Items()
	require.True(t, it.Next())
	assert.Equal(t, Area(0x99), it.Item().Area)
	it.Next()
	assert.True(t, it.Anomalies().Has(AnomalyArea))

	var names []string
	for rest := AnomalyArea | AnomalyLength; rest != 0; {
		var a Anomaly
		a, rest = rest.Next()
		names = append(names, a.String())
	}
	assert.Equal(t, []string{"area", "length"}, names)
}

func TestEnumStrings(t *testing.T) {
	assert.Equal(t, "DT", TPDUData.String())
	assert.Equal(t, "ack-data", AckData.String())
	assert.Equal(t, "read var", FuncReadVar.String())
	assert.Equal(t, "S7ANY", SyntaxS7Any.String())
	assert.Equal(t, "DB", AreaDB.String())
	assert.Equal(t, "REAL", TSReal.String())
	assert.Equal(t, "OCTET STRING", DSOctetString.String())
	assert.Equal(t, "success", ReturnSuccess.String())
	assert.Equal(t, "cpu functions", GroupCPU.String())
	assert.Equal(t, "response", UDResponse.String())
	assert.Equal(t, "s7comm-plus", KindS7Plus.String())
	assert.Equal(t, "set multi variables", PlusSetMultiVariables.String())
	assert.Equal(t, "request", PlusRequest.String())
}
