package s7comm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
		byteAddr, ok := item.Byte()
		assert.True(t, ok)
		bit, ok := item.Bit()
		assert.True(t, ok)
		_, ok = item.Number()
		assert.False(t, ok, "a DB item has no number")
		assert.Equal(t, want[i].byteAddr, byteAddr)
		assert.Equal(t, want[i].bit, bit)
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
		got = append(got, di.DataItem())
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
		assert.Equal(t, ReturnReserved, di.DataItem().ReturnCode)
		n++
	}
	assert.Equal(t, 5, n)

	f = parseSample(t, "writeAck5")
	rc, ok := f.PDU.WriteResults()
	require.True(t, ok)
	require.Equal(t, 5, rc.Len())
	c, ok := rc.At(0)
	assert.True(t, ok)
	assert.Equal(t, ReturnSuccess, c)
	c, _ = rc.At(4)
	assert.Equal(t, ReturnAccessDenied, c)
	_, ok = rc.At(5)
	assert.False(t, ok, "out of range")
	_, ok = rc.At(-1)
	assert.False(t, ok, "negative")
	var codes []ReturnCode
	for _, c := range rc.All {
		codes = append(codes, c)
	}
	assert.Equal(t, []ReturnCode{0xff, 0xff, 0xff, 0x03, 0x03}, codes)
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
	assert.True(t, resp.Complete())
	for _, rec := range resp.Records().All {
		m, ok := ParseModuleID(rec)
		require.True(t, ok)
		mods = append(mods, m)
	}
	require.Len(t, mods, 4)
	assert.Equal(t, "6ES7 315-2EH14-0AB0 ", string(mods[0].OrderNumber))
	assert.Equal(t, "6ES7 315-2EH14-0AB0", string(mods[0].OrderNumberText()))
	assert.Equal(t, uint16(0x00c0), mods[0].ModuleType)
	hw, ok := mods[0].HardwareVersion()
	assert.True(t, ok)
	assert.Equal(t, uint16(3), hw)
	_, ok = mods[2].HardwareVersion()
	assert.False(t, ok)
	l, maj, mnr, pat, ok := mods[2].FirmwareVersion()
	assert.True(t, ok)
	assert.Equal(t, byte('V'), l)
	assert.Equal(t, [3]uint8{3, 2, 7}, [3]uint8{maj, mnr, pat})
	_, _, _, _, ok = mods[0].FirmwareVersion()
	assert.False(t, ok)
	l, maj, mnr, pat, ok = mods[3].FirmwareVersion()
	assert.True(t, ok, "boot loader")
	assert.Equal(t, "Boot Loader", string(mods[3].OrderNumberText()))
	assert.Equal(t, [4]uint8{'A', 32, 9, 9}, [4]uint8{l, maj, mnr, pat})
	recs := resp.Records()
	_, ok = recs.At(4)
	assert.False(t, ok)
	_, ok = SZLRecords{}.At(0)
	assert.False(t, ok, "zero value")
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
	l, ok := f.PDU.BlockCounts()
	require.True(t, ok)
	var got []BlockCount
	for _, c := range l.All {
		got = append(got, c)
	}
	require.Len(t, got, 7)
	assert.Equal(t, 7, l.Len())
	assert.Equal(t, "OB", got[0].Type.String())
	assert.Equal(t, BlockOB, got[0].Type)
	assert.Equal(t, uint16(1), got[0].Count)
	_, ok = l.At(7)
	assert.False(t, ok)
	_, ok = f.PDU.BlockEntries()
	assert.False(t, ok, "a list-blocks response has no entries of a type")

	f = parseSample(t, "startUpload")
	bc, ok := f.PDU.BlockControl()
	require.True(t, ok)
	assert.Equal(t, "_0B00000A", string(bc.FileName))
	bn, ok := bc.Block()
	assert.True(t, ok)
	assert.Equal(t, "_", string(bn.Ident))
	assert.Equal(t, "SDB", bn.BlockType().String())
	assert.Equal(t, "0B", string(bn.Type))
	assert.Equal(t, "00000", string(bn.Number))
	num, ok := bn.BlockNumber()
	assert.True(t, ok)
	assert.Equal(t, uint32(0), num)
	assert.Equal(t, "A", string(bn.FileSystem))

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
	assert.Equal(t, PIStop, pi.Kind())

	f = parseSample(t, "piModu")
	pi, ok = f.PDU.PIService()
	require.True(t, ok)
	assert.Equal(t, "_MODU", string(pi.Service))
	arg, ok := pi.Argument()
	assert.True(t, ok)
	assert.Equal(t, "EP", string(arg))
	assert.Equal(t, PICopyRAMToROM, pi.Kind())
	args := pi.Args()
	assert.False(t, args.Next())
	assert.NoError(t, args.Err())

	f = parseSample(t, "piProgram")
	pi, ok = f.PDU.PIService()
	require.True(t, ok)
	assert.Equal(t, "P_PROGRAM", string(pi.Service))
	arg, _ = pi.Argument()
	assert.Equal(t, "C ", string(arg))
	assert.Equal(t, PIStart, pi.Kind())

	f = parseSample(t, "piInse")
	pi, ok = f.PDU.PIService()
	require.True(t, ok)
	assert.Equal(t, "_INSE", string(pi.Service))
	assert.Equal(t, PIActivateBlock, pi.Kind())
	bl, ok := pi.Blocks()
	require.True(t, ok)
	require.True(t, bl.Next())
	name := bl.BlockName()
	assert.Nil(t, name.Ident)
	assert.Equal(t, BlockDB, name.BlockType())
	n, ok := name.BlockNumber()
	assert.True(t, ok)
	assert.Equal(t, uint32(1), n)
	assert.Equal(t, "P", string(name.FileSystem))
	assert.False(t, bl.Next())
	assert.NoError(t, bl.Err())

	// NC services: arguments, kinds.
	nc := PIService{Function: FuncPIService, Service: []byte("_N_F_DELE"), Params: []byte{3, 'a', 'b', 'c', 5, 'x'}}
	assert.Equal(t, PINCFile, nc.Kind())
	args = nc.Args()
	require.True(t, args.Next())
	assert.Equal(t, "abc", string(args.PIArg()))
	assert.False(t, args.Next())
	assert.ErrorIs(t, args.Err(), ErrTruncated)
	_, ok = nc.Argument()
	assert.False(t, ok)
	for name, kind := range map[string]PIServiceKind{"_N_LOGIN_": PINCLogin, "_N_LOGOUT": PINCLogout,
		"_N_NEWPWD": PINCPassword, "_N_SELECT": PINCService, "_GARB": PICompressMemory, "_DELE": PIDeleteBlock,
		"XYZ": 0} {
		assert.Equal(t, kind, PIService{Function: FuncPIService, Service: []byte(name)}.Kind(), name)
	}
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
		ids = append(ids, it.AlarmDataset().EventID)
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
			assert.Equal(t, DBReadArea{Length: 5, DB: 124, Start: 370}, a.DBReadArea())
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
		addrs = append(addrs, a.VarAddr())
	}
	assert.Equal(t, []VarAddr{{3, 1, 0, 0}, {2, 1, 0, 4}, {16, 1, 0, 8}}, addrs)
	vals := tis.DataItems()
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
	assert.Equal(t, PlusV2, h.Version)
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
	assert.Equal(t, PlusV3, h.Version)
	assert.Len(t, h.Digest, 32)
	assert.Equal(t, PlusSetVariable, h.Function)
	assert.Equal(t, uint32(0x70000e4d), h.SessionID)
	// S7comm-plus is never read as S7comm.
	_, ok = f.PDU.Function()
	assert.False(t, ok)
}
