package modbus

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func adu(t *testing.T, name string) realADU {
	t.Helper()
	for _, a := range realADUs {
		if a.name == name {
			return a
		}
	}
	t.Fatalf("no ADU %q", name)
	return realADU{}
}

func parse(t *testing.T, name string) Frame {
	t.Helper()
	a := adu(t, name)
	f, n, err := Parse(a.adu, a.dir)
	require.NoError(t, err, a.src)
	require.Equal(t, len(a.adu), n, a.src)
	return f
}

func TestHeaderAndFunction(t *testing.T) {
	tests := []struct {
		name      string
		tid       uint16
		unit      uint8
		length    uint16
		fc        FunctionCode
		exception ExceptionCode
		anomalies Anomaly
	}{
		{"fc1 req", 1, 10, 6, ReadCoils, 0, 0},
		{"fc3 resp", 1, 10, 7, ReadHoldingRegisters, 0, 0},
		{"fc3 resp 8 regs", 6, 5, 19, ReadHoldingRegisters, 0, 0},
		{"fc7 resp", 0, 1, 3, ReadExceptionStatus, 0, 0},
		{"fc8 exception", 0, 10, 3, Diagnostics, GatewayTargetDeviceFailedToRespond, 0},
		{"fc43/14 resp odd", 0, 0, 12, EncapsulatedInterfaceTransport, 0, AnomalyValue | AnomalyObjectCount},
		{"fc90 umas req", 0, 1, 6, UMAS, 0, 0},
		{"fc0 req", 0, 1, 6, 0, 0, AnomalyUnassignedFunction},
		{"fc9 req", 0, 1, 6, 9, 0, AnomalyReservedFunction},
		{"fc65 req", 0, 1, 6, 65, 0, 0},
		{"exception 0x81", 0, 1, 3, 0, IllegalFunction, AnomalyUnassignedFunction},
		{"fc5 req", 1, 10, 6, WriteSingleCoil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := parse(t, tt.name)
			assert.Equal(t, tt.tid, f.TransactionID)
			assert.Equal(t, uint16(0), f.ProtocolID)
			assert.Equal(t, tt.unit, f.UnitID)
			assert.Equal(t, tt.length, f.Length)
			assert.Equal(t, tt.fc, f.Function)
			assert.Equal(t, tt.exception, f.Exception)
			assert.Equal(t, tt.exception != 0, f.IsException())
			assert.Equal(t, tt.anomalies, f.Anomalies, f.Anomalies.String())
		})
	}
}

func TestReads(t *testing.T) {
	f := parse(t, "fc1 req")
	r, ok := f.ReadRequest()
	require.Equal(t, true, ok)
	assert.Equal(t, Range{Start: 0, Quantity: 1}, r)
	_, ok = f.Bits()
	assert.Equal(t, false, ok, "Bits on a request")

	f = parse(t, "fc1 resp")
	bits, ok := f.Bits()
	require.Equal(t, true, ok)
	assert.Equal(t, 8, bits.Len())
	assert.Equal(t, 1, bits.WithQuantity(1).Len())
	v, ok := bits.At(0)
	assert.Equal(t, [2]bool{false, true}, [2]bool{v, ok})
	v, ok = bits.At(99)
	assert.Equal(t, [2]bool{false, false}, [2]bool{v, ok}, "out of range")
	_, ok = bits.At(-1)
	assert.False(t, ok)
	bc, rest, ok := f.Counted()
	assert.True(t, ok)
	assert.Equal(t, 1, bc)
	assert.Equal(t, []byte{0}, rest)

	f = parse(t, "fc3 req")
	r, ok = f.ReadRequest()
	require.Equal(t, true, ok)
	assert.Equal(t, Range{Start: 5, Quantity: 2}, r)

	f = parse(t, "fc3 resp 8 regs")
	regs, ok := f.Registers()
	require.Equal(t, true, ok)
	want := []uint16{170, 170, 187, 204, 61316, 58347, 40843, 58561}
	require.Equal(t, len(want), regs.Len())
	for i, v := range regs.All {
		assert.Equal(t, want[i], v)
		at, ok := regs.At(i)
		assert.True(t, ok)
		assert.Equal(t, want[i], at)
	}
	at, ok := regs.At(8)
	assert.Equal(t, [2]any{uint16(0), false}, [2]any{at, ok}, "out of range")
	_, ok = f.ReadRequest()
	assert.Equal(t, false, ok)
}

func TestWrites(t *testing.T) {
	f := parse(t, "fc5 req")
	w, ok := f.WriteSingle()
	require.Equal(t, true, ok)
	assert.Equal(t, WriteSingle{Address: 2, Value: 0, Raw: []byte{0, 0}}, w)
	assert.Equal(t, false, w.Coil())

	f = parse(t, "fc6 req")
	w, ok = f.WriteSingle()
	require.Equal(t, true, ok)
	assert.Equal(t, WriteSingle{Address: 5, Value: 11, Raw: []byte{0, 11}}, w)

	f = parse(t, "fc15 req")
	wc, ok := f.WriteMultipleCoils()
	require.Equal(t, true, ok)
	assert.Equal(t, Range{Start: 1, Quantity: 4}, wc.Range)
	assert.Equal(t, uint8(1), wc.ByteCount)
	require.Equal(t, 4, wc.Values.Len())
	var got []bool
	for _, v := range wc.Values.All {
		got = append(got, v)
	}
	assert.Equal(t, []bool{true, false, false, true}, got) // 0x09

	f = parse(t, "fc16 req")
	wr, ok := f.WriteMultipleRegisters()
	require.Equal(t, true, ok)
	assert.Equal(t, Range{Start: 1, Quantity: 4}, wr.Range)
	assert.Equal(t, uint8(8), wr.ByteCount)
	assert.Equal(t, 4, wr.Values.Len())
	v, _ := wr.Values.At(3)
	assert.Equal(t, uint16(0xdd), v)
	assert.Equal(t, uint16(1), wr.Values.Start())

	f = parse(t, "fc22 req")
	m, ok := f.MaskWrite()
	require.Equal(t, true, ok)
	assert.Equal(t, MaskWrite{Address: 10, AndMask: 0xdead, OrMask: 0}, m)

	f = parse(t, "fc23 req")
	rw, ok := f.ReadWriteRequest()
	require.Equal(t, true, ok)
	assert.Equal(t, Range{Start: 1, Quantity: 4}, rw.Read)
	assert.Equal(t, Range{Start: 2, Quantity: 3}, rw.Write)
	assert.Equal(t, 3, rw.Values.Len())

	f = parse(t, "fc23 resp")
	regs, ok := f.Registers()
	require.Equal(t, true, ok)
	assert.Equal(t, 4, regs.Len())
	v, _ = regs.At(3)
	assert.Equal(t, uint16(0xcc), v)

	// Write multiple responses echo start and quantity.
	fr, err := ParsePDU([]byte{0x10, 0x00, 0x01, 0x00, 0x04}, Response)
	require.NoError(t, err)
	r, ok := fr.WriteMultipleResponse()
	require.Equal(t, true, ok)
	assert.Equal(t, Range{Start: 1, Quantity: 4}, r)
}

func TestDiagnosticsAndStatus(t *testing.T) {
	f := parse(t, "fc8 req")
	d, ok := f.Diagnostic()
	require.Equal(t, true, ok)
	assert.Equal(t, DiagForceListenOnlyMode, d.Sub)
	v, ok := d.Word()
	assert.Equal(t, true, ok)
	assert.Equal(t, uint16(0), v)
	assert.Equal(t, "Force Listen Only Mode", d.Sub.String())

	f = parse(t, "fc8 exception")
	_, ok = f.Diagnostic()
	assert.Equal(t, false, ok)
	require.Equal(t, true, nil != f.Err())
	var ex ExceptionCode
	require.Equal(t, true, errors.As(f.Err(), &ex))
	assert.Equal(t, GatewayTargetDeviceFailedToRespond, ex)
	assert.Equal(t, "modbus: exception: gateway target device failed to respond", f.Err().Error())

	f = parse(t, "fc7 resp")
	st, ok := f.ExceptionStatus()
	require.Equal(t, true, ok)
	assert.Equal(t, uint8(0x15), st)

	fr, err := ParsePDU([]byte{0x0b, 0x00, 0x00, 0x01, 0x08}, Response)
	require.NoError(t, err)
	c, ok := fr.CommEventCounter()
	require.Equal(t, true, ok)
	assert.Equal(t, CommEventCounter{Status: 0, EventCount: 0x108}, c)

	fr, err = ParsePDU([]byte{0x0c, 0x08, 0xff, 0xff, 0x01, 0x08, 0x01, 0x21, 0x20, 0x00}, Response)
	require.NoError(t, err)
	l, ok := fr.CommEventLog()
	require.Equal(t, true, ok)
	assert.Equal(t, uint16(0xffff), l.Status)
	assert.Equal(t, uint16(0x108), l.EventCount)
	assert.Equal(t, uint16(0x121), l.MessageCount)
	assert.Equal(t, []byte{0x20, 0x00}, l.Events)
}

func TestServerID(t *testing.T) {
	f := parse(t, "fc17 resp")
	s, ok := f.ServerID()
	require.Equal(t, true, ok)
	assert.Equal(t, uint8(0x12), s.ByteCount)
	assert.Equal(t, "\x00\xffWingpath Limited", string(s.Raw))
	g, ok := s.GuessLayout()
	require.True(t, ok)
	assert.Equal(t, ServerIDGuess{ID: 0, RunIndicator: 0xff, Additional: []byte("Wingpath Limited")}, g)
	assert.True(t, g.Running())
}

func TestDeviceID(t *testing.T) {
	f := parse(t, "fc43/14 req")
	r, ok := f.DeviceIDRequest()
	require.Equal(t, true, ok)
	assert.Equal(t, DeviceIDRequest{Code: ReadDeviceIDExtended, Object: ObjectProductCode}, r)

	f = parse(t, "fc43/14 resp")
	id, ok := f.DeviceID()
	require.Equal(t, true, ok)
	assert.Equal(t, ReadDeviceIDBasic, id.Code)
	assert.Equal(t, ConformityExtendedStreamIndividual, id.Conformity)
	assert.Equal(t, uint8(0), id.MoreFollows)
	assert.Equal(t, uint8(3), id.Count)
	var names, values []string
	objs := id.Objects()
	for objs.Next() {
		names = append(names, objs.Object().ID.String())
		values = append(values, string(objs.Object().Value))
	}
	require.NoError(t, objs.Err())
	assert.Equal(t, []string{"VendorName", "ProductCode", "MajorMinorRevision"}, names)
	assert.Equal(t, []string{"Zeek Modbus Test", "Protocol Parsing is fun!", "1.2.3.6"}, values)

	// zeek-modbus-eit.pcap frame 2: the header says 0 objects, 6 bytes follow.
	f = parse(t, "fc43/14 resp odd")
	id, ok = f.DeviceID()
	require.Equal(t, true, ok)
	assert.Equal(t, uint8(0x4d), id.MoreFollows)
	assert.Equal(t, ObjectID(0xb7), id.NextObject)
	assert.Equal(t, true, f.Anomalies.Has(AnomalyObjectCount))
}

func TestFileRecords(t *testing.T) {
	// Read File Record request with two sub-requests (spec example).
	req := []byte{0x14, 0x0e, 0x06, 0x00, 0x04, 0x00, 0x01, 0x00, 0x02, 0x06, 0x00, 0x03, 0x00, 0x09, 0x00, 0x02}
	f, err := ParsePDU(req, Request)
	require.NoError(t, err)
	it, ok := f.FileRecords()
	require.Equal(t, true, ok)
	var recs []FileRecord
	for it.Next() {
		recs = append(recs, it.FileRecord())
	}
	require.NoError(t, it.Err())
	assert.Equal(t, []FileRecord{{RefType: 6, File: 4, Record: 1, Length: 2}, {RefType: 6, File: 3, Record: 9, Length: 2}}, recs)

	resp := []byte{0x14, 0x0c, 0x05, 0x06, 0x0d, 0xfe, 0x00, 0x20, 0x05, 0x06, 0x33, 0xcd, 0x00, 0x40}
	f, err = ParsePDU(resp, Response)
	require.NoError(t, err)
	it, _ = f.FileRecords()
	recs = recs[:0]
	for it.Next() {
		recs = append(recs, it.FileRecord())
	}
	require.NoError(t, it.Err())
	require.Equal(t, 2, len(recs))
	assert.Equal(t, []byte{0x0d, 0xfe, 0x00, 0x20}, recs[0].Data)
	assert.Equal(t, uint16(2), recs[1].Length)

	wr := []byte{0x15, 0x0d, 0x06, 0x00, 0x04, 0x00, 0x07, 0x00, 0x03, 0x06, 0xaf, 0x04, 0xbe, 0x10, 0x0d}
	f, err = ParsePDU(wr, Request)
	require.NoError(t, err)
	it, _ = f.FileRecords()
	require.Equal(t, true, it.Next())
	assert.Equal(t, FileRecord{RefType: 6, File: 4, Record: 7, Length: 3, Data: wr[9:15]}, it.FileRecord())
	assert.Equal(t, false, it.Next())

	// A sub-request cut short is a byte count anomaly.
	f, err = ParsePDU([]byte{0x14, 0x03, 0x06, 0x00, 0x04}, Request)
	require.NoError(t, err)
	assert.Equal(t, true, f.Anomalies.Has(AnomalyByteCount))
}

func TestFIFO(t *testing.T) {
	f := parse(t, "fc24 req")
	p, ok := f.FIFOPointer()
	require.Equal(t, true, ok)
	assert.Equal(t, uint16(2), p)

	fr, err := ParsePDU([]byte{0x18, 0x00, 0x06, 0x00, 0x02, 0x01, 0xb8, 0x12, 0x84}, Response)
	require.NoError(t, err)
	q, ok := fr.FIFOQueue()
	require.Equal(t, true, ok)
	assert.Equal(t, uint16(2), q.Count)
	assert.Equal(t, 2, q.Values.Len())
	v, _ := q.Values.At(1)
	assert.Equal(t, uint16(0x1284), v)
	assert.Equal(t, []byte{0x01, 0xb8, 0x12, 0x84}, q.Raw)
	assert.Zero(t, fr.Anomalies)
}

func TestCANopenAndMEI(t *testing.T) {
	fr, err := ParsePDU([]byte{0x2b, 0x0d, 0x01, 0x02}, Request)
	require.NoError(t, err)
	d, ok := fr.CANopen()
	require.Equal(t, true, ok)
	assert.Equal(t, []byte{1, 2}, d)
	fr, _ = ParsePDU([]byte{0x2b, 0x07}, Request)
	assert.Equal(t, true, fr.Anomalies.Has(AnomalySubFunction))
}

func TestErrorsAndAnomalies(t *testing.T) {
	tests := []struct {
		name  string
		b     []byte
		dir   Direction
		n     int
		err   error
		flags Anomaly
	}{
		{"empty", nil, Request, 0, ErrTruncated, 0},
		{"5 bytes", []byte{0, 1, 0, 0, 0}, Request, 0, ErrTruncated, 0},
		{"header only", []byte{0, 1, 0, 0, 0, 6, 1}, Request, 0, ErrTruncated, AnomalyLength},
		{"length 1", []byte{0, 1, 0, 0, 0, 1, 1, 3}, Request, 7, ErrLength, 0},
		{"length 1 short", []byte{0, 1, 0, 0, 0, 1}, Request, 6, ErrLength, 0},
		{"length 0", []byte{0, 1, 0, 0, 0, 0, 1, 3}, Request, 6, ErrLength, 0},
		{"protocol id", h("0001000100060a0300050002"), Request, 12, nil, AnomalyProtocolID},
		{"short fc3 req", h("0001000000040a030005"), Request, 10, ErrLength, 0},
		{"length beyond bytes", h("0001000000090a0300050002"), Request, 0, ErrTruncated, AnomalyLength},
		{"two ADUs", h("0001000000060a03000500020001000000060a0300050002"), Request, 12, nil, 0},
		{"fc3 too many", h("0001000000060a0300050100"), Request, 12, nil, AnomalyQuantity},
		{"fc3 resp odd count", h("0001000000060a0303000900"), Response, 12, nil, AnomalyByteCount},
		{"fc3 resp count past end", h("0001000000060a0309000900"), Response, 12, ErrByteCount, 0},
		{"fc3 resp trailing", h("0001000000060a03020009ff"), Response, 12, nil, AnomalyTrailing},
		{"fc5 bad value", h("0001000000060a0500020001"), Request, 12, nil, AnomalyValue},
		{"fc15 count mismatch", h("000d00000009070f00010004020900"), Request, 15, nil, AnomalyByteCount},
		{"fc16 count mismatch", h("000e0000000d0710000100040600aa00bb00cc"), Request, 19, nil, AnomalyByteCount},
		{"unknown exception", h("000000000003018163"), Response, 9, nil, AnomalyExceptionCode},
		{"exception no code", h("0000000000020181"), Response, 8, ErrLength, 0},
		{"fc8 counter without data", h("0000000000040108000b"), Request, 10, ErrLength, 0},
		{"fc8 counter trailing", h("000000000007010800 0b00000000"), Request, 13, nil, AnomalyTrailing},
		{"fc43/14 object past end", h("0000000000 0b 012b0e 01 01 00 00 01 00 05 41"), Response, 17, ErrByteCount, 0},
		{"fc43/14 more follows odd", h("0000000000 08 012b0e 01 01 07 00 00"), Response, 14, nil, AnomalyValue},
		{"fc43/14 unknown code", h("0000000000 05 012b0e 09 00"), Request, 11, nil, AnomalySubFunction},
		{"fc24 resp count past end", h("0000000000 08 0118 0008 0001 1234"), Response, 14, ErrByteCount, 0},
		{"fc18 unassigned", h("0000000000 02 0112"), Request, 8, nil, AnomalyUnassignedFunction},
		{"oversize", append(h("000700000100005a"), make([]byte, 254)...), Request, 262, nil, AnomalyOversize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, n, err := Parse(tt.b, tt.dir)
			assert.Equal(t, tt.n, n)
			assert.Equal(t, tt.err, err)
			assert.Equal(t, tt.flags, f.Anomalies, f.Anomalies.String())
		})
	}
}

func TestOversizeUMAS(t *testing.T) {
	// UMAS request with MBAP length 255 (iti-modicon-modicon_test.pcap
	// frame 19 has this shape): framed by Split and flagged by Parse.
	b := append(h("0007000000ff005a000a"), make([]byte, 251)...)
	adv, tok, _ := Split(b, false)
	require.Equal(t, len(b), adv)
	f, _, err := Parse(tok, Request)
	require.NoError(t, err)
	assert.Equal(t, AnomalyOversize, f.Anomalies)
	assert.Equal(t, "UMAS", f.Function.String())
}

func TestUDPAndDirection(t *testing.T) {
	a := adu(t, "fc3 req")
	f, err := ParseUDP(a.adu, Request)
	require.NoError(t, err)
	assert.Zero(t, f.Anomalies)
	f, err = ParseUDP(append(append([]byte{}, a.adu...), 0), Request)
	require.NoError(t, err)
	assert.Equal(t, AnomalyLength, f.Anomalies)

	assert.Equal(t, Request, DirectionFromPorts(40000, Port, Port))
	assert.Equal(t, Response, DirectionFromPorts(Port, 40000, Port))
	assert.Equal(t, DirUnknown, DirectionFromPorts(Port, Port, Port))
	assert.Equal(t, DirUnknown, DirectionFromPorts(1, 2, Port))

	// Unknown direction: shared layouts decode, direction-specific ones do not.
	f, _, err = Parse(adu(t, "fc6 req").adu, DirUnknown)
	require.NoError(t, err)
	_, ok := f.WriteSingle()
	assert.Equal(t, true, ok)
	f, _, _ = Parse(adu(t, "fc3 req").adu, DirUnknown)
	_, ok = f.ReadRequest()
	assert.Equal(t, false, ok)
	_, ok = f.Registers()
	assert.Equal(t, false, ok)
}

func TestStrings(t *testing.T) {
	assert.Equal(t, "Read Holding Registers", ReadHoldingRegisters.String())
	assert.Equal(t, "function 0x41", FunctionCode(65).String())
	assert.Equal(t, ClassUserDefined, FunctionCode(65).Class())
	assert.Equal(t, ClassReserved, FunctionCode(9).Class())
	assert.Equal(t, ClassUnassigned, FunctionCode(0).Class())
	assert.Equal(t, "illegal data address", IllegalDataAddress.String())
	assert.Equal(t, "exception 0x63", ExceptionCode(99).String())
	assert.Equal(t, "modbus: exception: unknown code", ExceptionCode(99).Error())
	assert.Equal(t, "", Anomaly(0).String())
	assert.Equal(t, "quantity", AnomalyQuantity.String())
	assert.Equal(t, "protocol_id|byte_count", (AnomalyProtocolID | AnomalyByteCount).String())
	assert.Equal(t, "bit31", Anomaly(1<<31).String())
	assert.Equal(t, "oversize|bit12|duplicate_request", (AnomalyOversize | 1<<12 | AnomalyDuplicateRequest).String())
	var names []string
	for a := range (AnomalyTrailing | AnomalyLength).All {
		names = append(names, a.String())
	}
	assert.Equal(t, []string{"length", "trailing_bytes"}, names)
	assert.Equal(t, "object 0x80", ObjectID(0x80).String())
	assert.Equal(t, "request", Request.String())
	assert.Equal(t, "direction 0x03", Direction(3).String())
	assert.Equal(t, "sub-function 0x0015", DiagSubFunction(0x15).String())
	assert.Equal(t, "modbus: truncated", ErrTruncated.Error())
	assert.Equal(t, true, errors.Is(ErrLength, ErrLength))
}

// TestDecodeMatchesParse checks that Decode into a reused Frame gives the
// same result as Parse, so that the fast path leaves nothing behind from a
// previous frame.
func TestDecodeMatchesParse(t *testing.T) {
	var f Frame
	for round := 0; round < 2; round++ {
		for _, a := range realADUs {
			for _, dir := range []Direction{Request, Response, DirUnknown} {
				want, wn, werr := Parse(a.adu, dir)
				n, err := f.Decode(a.adu, dir)
				if n != wn || err != werr || !sameFrame(f, want) {
					t.Fatalf("%s %v: Decode %+v %d %v, Parse %+v %d %v", a.name, dir, f, n, err, want, wn, werr)
				}
			}
		}
	}
	// The fast path agrees with the general one.
	a := adu(t, "fc3 resp 8 regs")
	fast, n1, e1 := Parse(a.adu, Response)
	slow, n2, e2 := parseGeneral(a.adu, Response)
	if !sameFrame(fast, slow) || n1 != n2 || e1 != e2 {
		t.Fatalf("fast %+v, general %+v", fast, slow)
	}
}

// parseGeneral is Parse without the register-read fast path.
func parseGeneral(b []byte, dir Direction) (Frame, int, error) {
	var f Frame
	n, err := f.decodeGeneral(b, dir)
	return f, n, err
}

func sameFrame(a, b Frame) bool {
	return a.TransactionID == b.TransactionID && a.ProtocolID == b.ProtocolID && a.Length == b.Length &&
		a.UnitID == b.UnitID && a.Function == b.Function && a.Exception == b.Exception && a.Dir == b.Dir &&
		a.Anomalies == b.Anomalies && a.exception == b.exception && string(a.PDU) == string(b.PDU) &&
		len(a.PDU) == len(b.PDU)
}
