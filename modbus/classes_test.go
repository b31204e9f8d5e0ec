package modbus

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The correctness classes: each test builds the bytes of one class of PDU
// (the specification's examples where it has them) and checks what the
// package makes of them. The same bytes are in the synthetic capture that
// internal/conformance compares with tshark.

// TestFileRecordClasses: Read File Record (20) and Write File Record (21),
// every sub-request in both directions.
func TestFileRecordClasses(t *testing.T) {
	recs := func(f Frame) []FileRecord {
		t.Helper()
		it, ok := f.FileRecords()
		require.True(t, ok)
		var out []FileRecord
		for it.Next() {
			out = append(out, it.FileRecord())
		}
		require.NoError(t, it.Err())
		return out
	}
	// Specification 6.14: two sub-requests and their data.
	f, _, err := Parse(h("0001 0000 0011 01 14 0e 06 0004 0001 0002 06 0003 0009 0002"), Request)
	require.NoError(t, err)
	assert.Equal(t, []FileRecord{{RefType: 6, File: 4, Record: 1, Length: 2}, {RefType: 6, File: 3, Record: 9, Length: 2}}, recs(f))
	n, rest, _ := f.Counted()
	assert.Equal(t, 14, n)
	assert.Len(t, rest, 14)
	assert.Equal(t, OpFile, f.Operation())

	f, _, err = Parse(h("0001 0000 000f 01 14 0c 05 06 0dfe 0020 05 06 33cd 0040"), Response)
	require.NoError(t, err)
	assert.Equal(t, []FileRecord{{RefType: 6, Length: 2, Data: h("0dfe0020")}, {RefType: 6, Length: 2, Data: h("33cd0040")}}, recs(f))

	// Specification 6.15: one sub-request with three registers, echoed.
	for _, dir := range []Direction{Request, Response} {
		f, _, err = Parse(h("0002 0000 0010 01 15 0d 06 0004 0007 0003 06af 04be 100d"), dir)
		require.NoError(t, err)
		got := recs(f)
		assert.Equal(t, []FileRecord{{RefType: 6, File: 4, Record: 7, Length: 3, Data: h("06af04be100d")}}, got)
		v, _ := got[0].Registers().At(2)
		assert.Equal(t, uint16(0x100d), v)
	}

	// Two write groups, then a group whose word count runs past the byte
	// count: an anomaly, and the cursor's error.
	f, _, err = Parse(h("0003 0000 0017 01 15 14 06 0001 0002 0001 1234 06 0001 0003 0002 abcd ef01"), Request)
	require.NoError(t, err)
	assert.Len(t, recs(f), 2)
	f, _, err = Parse(h("0003 0000 000c 01 15 09 06 0001 0002 0002 1234"), Request)
	require.NoError(t, err)
	assert.True(t, f.Anomalies.Has(AnomalyByteCount))
	it, _ := f.FileRecords()
	assert.False(t, it.Next())
	assert.Equal(t, ErrByteCount, it.Err())
}

// TestDiagnosticClasses: every sub-function that returns a value or echoes
// data.
func TestDiagnosticClasses(t *testing.T) {
	tests := []struct {
		hex   string
		dir   Direction
		sub   DiagSubFunction
		word  uint16
		op    Operation
		delim bool
	}{
		{"0003 0000 0006 01 08 000b 1234", Response, DiagReturnBusMessageCount, 0x1234, OpDiagnostics, false},
		{"0004 0000 0006 01 08 000c 0001", Response, DiagReturnBusCommErrorCount, 1, OpDiagnostics, false},
		{"0005 0000 0006 01 08 000d 0002", Response, DiagReturnBusExceptionErrorCount, 2, OpDiagnostics, false},
		{"0006 0000 0006 01 08 000e 0003", Response, DiagReturnServerMessageCount, 3, OpDiagnostics, false},
		{"0007 0000 0006 01 08 000f 0004", Response, DiagReturnServerNoResponseCount, 4, OpDiagnostics, false},
		{"0008 0000 0006 01 08 0010 0005", Response, DiagReturnServerNAKCount, 5, OpDiagnostics, false},
		{"0009 0000 0006 01 08 0011 0006", Response, DiagReturnServerBusyCount, 6, OpDiagnostics, false},
		{"000a 0000 0006 01 08 0012 0007", Response, DiagReturnBusCharacterOverrunCount, 7, OpDiagnostics, false},
		{"000f 0000 0006 01 08 0002 abcd", Response, DiagReturnDiagnosticRegister, 0xabcd, OpDiagnostics, false},
		{"000e 0000 0006 01 08 0001 ff00", Request, DiagRestartCommunicationsOption, 0xff00, OpControl, false},
		{"0013 0000 0006 01 08 0004 0000", Request, DiagForceListenOnlyMode, 0, OpControl, false},
		{"000b 0000 0006 01 08 0003 0a00", Request, DiagChangeASCIIInputDelimiter, 0x0a00, OpDiagnostics, true},
		{"0010 0000 0006 01 08 000a 0000", Response, DiagClearCountersAndDiagRegister, 0, OpDiagnostics, false},
		{"000c 0000 0006 01 08 0014 0000", Response, DiagClearOverrunCounterAndFlag, 0, OpDiagnostics, false},
	}
	for _, tt := range tests {
		f, _, err := Parse(h(tt.hex), tt.dir)
		require.NoError(t, err, tt.hex)
		d, ok := f.Diagnostic()
		require.True(t, ok)
		assert.Equal(t, tt.sub, d.Sub)
		w, ok := d.Word()
		assert.True(t, ok)
		assert.Equal(t, tt.word, w, tt.sub.String())
		c, ok := d.Delimiter()
		assert.Equal(t, tt.delim, ok)
		if ok {
			assert.Equal(t, byte('\n'), c)
		}
		assert.Equal(t, tt.op, f.Operation(), tt.sub.String())
		assert.Equal(t, tt.sub >= 0x0b && tt.sub <= 0x12, tt.sub.Counter())
	}
	// Return Query Data echoes any number of bytes.
	f, _, err := Parse(h("0001 0000 0008 01 08 0000 a537 1234"), Response)
	require.NoError(t, err)
	d, _ := f.Diagnostic()
	assert.Equal(t, h("a5371234"), d.Data)
}

// TestDeviceIDClasses: standard objects are text, private objects bytes;
// the header gives conformity level, more-follows and next object id, and
// answers split over two responses join.
func TestDeviceIDClasses(t *testing.T) {
	f, _, err := Parse(h("0010 0000 0018 01 2b 0e 03 83 00 00 04 00 03 414243 07 02 5859 80 03 010203 81 00"), Response)
	require.NoError(t, err)
	id, ok := f.DeviceID()
	require.True(t, ok)
	assert.Equal(t, ConformityExtendedStreamIndividual, id.Conformity)
	assert.Equal(t, ReadDeviceIDExtended, id.Conformity.Category())
	assert.True(t, id.Conformity.Individual())
	assert.False(t, id.More())
	objs := id.Objects()
	var std, priv []ObjectID
	for objs.Next() {
		o := objs.Object()
		if o.ID.Standard() {
			std = append(std, o.ID)
		} else {
			assert.True(t, o.ID.Private())
			priv = append(priv, o.ID)
		}
	}
	require.NoError(t, objs.Err())
	assert.Equal(t, []ObjectID{ObjectVendorName, 0x07}, std)
	assert.Equal(t, []ObjectID{0x80, 0x81}, priv)

	// A device that answers in two parts: the first response says more
	// follows from object 2; the client asks again from there.
	var c Conn
	var vendor, product, revision []byte
	for _, p := range []struct{ req, resp string }{
		{"0001 0000 0005 01 2b 0e 01 00", "0001 0000 0017 01 2b 0e 01 01 ff 02 02 00 04 41636d65 01 07 504c432d333030"},
		{"0002 0000 0005 01 2b 0e 01 02", "0002 0000 000e 01 2b 0e 01 01 00 00 01 02 04 76312e32"},
	} {
		m, _ := c.Decode(h(p.req), true, 0)
		r, _ := m.Frame.DeviceIDRequest()
		m, _ = c.Decode(h(p.resp), false, 1)
		require.True(t, m.Paired)
		q, _ := m.Request.DeviceIDRequest()
		assert.Equal(t, r, q)
		id, _ := m.Frame.DeviceID()
		objs := id.Objects()
		for objs.Next() {
			o := objs.Object()
			switch o.ID {
			case ObjectVendorName:
				vendor = o.AppendPrintable(nil)
			case ObjectProductCode:
				product = o.AppendPrintable(nil)
			case ObjectMajorMinorRevision:
				revision = o.AppendPrintable(nil)
			}
		}
		if id.More() {
			assert.Equal(t, ObjectMajorMinorRevision, id.NextObject)
		}
	}
	assert.Equal(t, "Acme PLC-300 v1.2", string(vendor)+" "+string(product)+" "+string(revision))
	assert.Equal(t, "AB.C", string(Object{Value: []byte("AB\x01C\x00\x00 ")}.AppendPrintable(nil)))
}

// TestServerIDClasses: the content stays raw; the common layout is a guess
// that is offered only when plausible.
func TestServerIDClasses(t *testing.T) {
	f, _, _ := Parse(h("0011 0000 0008 01 11 05 2a ff 414243"), Response)
	s, ok := f.ServerID()
	require.True(t, ok)
	assert.Equal(t, uint8(5), s.ByteCount)
	assert.Equal(t, h("2aff414243"), s.Raw)
	g, ok := s.GuessLayout()
	assert.True(t, ok)
	assert.Equal(t, ServerIDGuess{ID: 0x2a, RunIndicator: 0xff, Additional: []byte("ABC")}, g)
	assert.Equal(t, OpIdentity, f.Operation())
	// icsnpp-modbus_example.pcap frame 62: text only, no run indicator.
	f, _, _ = Parse(h("000f000000350211325a65656b204d6f6462757320546573742d50726f746f636f6c2050617273696e672069732066756e212d312e322e332e36ff"), Response)
	s, ok = f.ServerID()
	require.True(t, ok)
	_, ok = s.GuessLayout()
	assert.False(t, ok, "no run indicator: no guess")
	assert.Zero(t, f.Anomalies)
}

// TestUMASClasses: the header of real UMAS messages and the classification
// of its functions.
func TestUMASClasses(t *testing.T) {
	f := parse(t, "fc90 umas take reservation")
	u, ok := f.UMAS()
	require.True(t, ok)
	assert.Equal(t, UMASHeader{Session: 0, Function: UMASTakeReservation, Data: h("434c00000f555345522d37313445373446323142")}, u)
	assert.Equal(t, OpReservation, f.Operation())
	assert.Zero(t, f.Anomalies, "90 is UMAS, not a reserved code")

	f = parse(t, "fc90 umas init upload")
	u, _ = f.UMAS()
	assert.Equal(t, uint8(1), u.Session)
	assert.Equal(t, UMASInitializeUpload, u.Function)
	assert.Equal(t, OpProgram, f.Operation())

	f = parse(t, "fc90 umas ok")
	u, _ = f.UMAS()
	assert.True(t, u.Function.Response())
	assert.Equal(t, OpOther, f.Operation())

	f = parse(t, "fc90 umas read id")
	assert.Equal(t, OpIdentity, f.Operation())

	ops := map[UMASFunction]Operation{
		UMASInitComm: OpOther, UMASReadID: OpIdentity, UMASReadProjectInfo: OpIdentity, UMASReadPLCInfo: OpIdentity,
		UMASTakeReservation: OpReservation, UMASReleaseReservation: OpReservation, UMASKeepAlive: OpReservation,
		UMASReadMemoryBlock: OpRead, UMASReadVariables: OpRead, UMASWriteVariables: OpWrite,
		UMASReadCoilsRegisters: OpRead, UMASWriteCoilsRegisters: OpWrite,
		UMASInitializeDownload: OpProgram, UMASDownloadBlock: OpProgram, UMASEndDownload: OpProgram,
		UMASInitializeUpload: OpProgram, UMASUploadBlock: OpProgram, UMASEndUpload: OpProgram,
		UMASBackupRestore: OpProgram, UMASPreloadBlocks: OpProgram, UMASRepeat: OpOther,
		UMASStartPLC: OpControl, UMASStopPLC: OpControl, UMASMonitorPLC: OpRead, UMASCheckPLC: OpDiagnostics,
		UMASReadIOObject: OpRead, UMASWriteIOObject: OpWrite, UMASGetStatusModule: OpRead,
		UMASResponseOK: OpOther, UMASResponseError: OpOther, 0x08: OpOther,
	}
	for fn, op := range ops {
		assert.Equal(t, op, fn.Operation(), fn.String())
	}
	assert.Equal(t, "Stop PLC", UMASStopPLC.String())
	assert.Equal(t, "UMAS function 0x08", UMASFunction(8).String())

	// A UMAS response is understood through its request.
	var c Conn
	c.Decode(parse(t, "fc90 umas take reservation").PDU[:0], true, 0) // empty: ignored
	c.Decode(adu(t, "fc90 umas take reservation").adu, true, 0)
	m, _ := c.Decode(adu(t, "fc90 umas ok").adu, false, 1)
	require.True(t, m.Paired)
	assert.Equal(t, OpReservation, m.Request.Operation())
}

// TestOperations: the classification of function codes and sub-functions.
func TestOperations(t *testing.T) {
	for fc, op := range map[FunctionCode]Operation{
		ReadCoils: OpRead, ReadDiscreteInputs: OpRead, ReadHoldingRegisters: OpRead, ReadInputRegisters: OpRead,
		ReadFIFOQueue: OpRead, WriteSingleCoil: OpWrite, WriteSingleRegister: OpWrite, WriteMultipleCoils: OpWrite,
		WriteMultipleRegisters: OpWrite, MaskWriteRegister: OpWrite, ReadWriteMultipleRegisters: OpWrite,
		ReadExceptionStatus: OpDiagnostics, Diagnostics: OpDiagnostics, GetCommEventCounter: OpDiagnostics,
		GetCommEventLog: OpDiagnostics, ReportServerID: OpIdentity, ReadFileRecord: OpFile, WriteFileRecord: OpFile,
		EncapsulatedInterfaceTransport: OpOther, UMAS: OpOther, 65: OpOther, 0x83: OpRead,
	} {
		assert.Equal(t, op, fc.Operation(), fc.String())
	}
	f, _ := ParsePDU(h("2b0e0100"), Request)
	assert.Equal(t, OpIdentity, f.Operation())
	f, _ = ParsePDU(h("2b0d0102"), Request)
	assert.Equal(t, OpOther, f.Operation())
	assert.Equal(t, OpControl, DiagRestartCommunicationsOption.Operation())
	assert.Equal(t, OpControl, DiagForceListenOnlyMode.Operation())
	assert.Equal(t, OpDiagnostics, DiagSubFunction(0x99).Operation())
}

// TestRegisterValues: 32-bit integers and floats in both word orders, and
// 64-bit floats.
func TestRegisterValues(t *testing.T) {
	// 0x12345678, -2, 59.991459 (0x426ff741), pi as a double.
	pi := math.Float64bits(math.Pi)
	regs := Registers{b: []byte{
		0x12, 0x34, 0x56, 0x78,
		0xff, 0xff, 0xff, 0xfe,
		0x42, 0x6f, 0xf7, 0x41,
		byte(pi >> 56), byte(pi >> 48), byte(pi >> 40), byte(pi >> 32), byte(pi >> 24), byte(pi >> 16), byte(pi >> 8), byte(pi),
	}}
	u, ok := regs.Uint32(0, HighWordFirst)
	assert.True(t, ok)
	assert.Equal(t, uint32(0x12345678), u)
	u, _ = regs.Uint32(0, LowWordFirst)
	assert.Equal(t, uint32(0x56781234), u)
	i, _ := regs.Int32(2, HighWordFirst)
	assert.Equal(t, int32(-2), i)
	i, _ = regs.Int32(2, LowWordFirst)
	assert.Equal(t, int32(-65537), i)
	f, _ := regs.Float32(4, HighWordFirst)
	assert.InDelta(t, 59.991459, f, 1e-5)
	d, ok := regs.Float64(6, HighWordFirst)
	assert.True(t, ok)
	assert.Equal(t, math.Pi, d)
	// Low word first reverses the four registers.
	rev := Registers{b: []byte{regs.b[18], regs.b[19], regs.b[16], regs.b[17], regs.b[14], regs.b[15], regs.b[12], regs.b[13]}}
	d, _ = rev.Float64(0, LowWordFirst)
	assert.Equal(t, math.Pi, d)
	// Out of range, never a panic.
	for _, k := range []int{-1, 9, 10, 1 << 30} {
		_, ok = regs.Uint32(k, HighWordFirst)
		assert.False(t, ok, k)
	}
	_, ok = regs.Float64(7, HighWordFirst)
	assert.False(t, ok)
	_, ok = regs.Uint32(0, WordOrder(2))
	assert.False(t, ok)
	_, ok = Registers{}.Float32(0, HighWordFirst)
	assert.False(t, ok)
}
