package modbus

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
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
	noErr(t, err, a.src)
	eq(t, true, len(a.adu), n, a.src)
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
		{"fc43/14 resp odd", 0, 0, 12, EncapsulatedInterfaceTransport, 0, AnomalyObjectCount},
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
			eq(t, false, tt.tid, f.TransactionID)
			eq(t, false, uint16(0), f.ProtocolID)
			eq(t, false, tt.unit, f.UnitID)
			eq(t, false, tt.length, f.Length)
			eq(t, false, tt.fc, f.Function)
			eq(t, false, tt.exception, f.Exception)
			eq(t, false, tt.exception != 0, f.IsException())
			eq(t, false, tt.anomalies, f.Anomalies, f.Anomalies.String())
		})
	}
}

func TestReads(t *testing.T) {
	f := parse(t, "fc1 req")
	r, ok := f.ReadRequest()
	truth(t, true, true, ok)
	eq(t, false, Range{Start: 0, Quantity: 1}, r)
	_, ok = f.Bits()
	truth(t, false, false, ok, "Bits on a request")

	f = parse(t, "fc1 resp")
	bits, ok := f.Bits()
	truth(t, true, true, ok)
	eq(t, false, 8, bits.Len())
	eq(t, false, 1, bits.WithQuantity(1).Len())
	truth(t, false, false, bits.At(0))
	truth(t, false, false, bits.At(99))
	bc, ok := f.ByteCount()
	truth(t, false, true, ok)
	eq(t, false, uint8(1), bc)

	f = parse(t, "fc3 req")
	r, ok = f.ReadRequest()
	truth(t, true, true, ok)
	eq(t, false, Range{Start: 5, Quantity: 2}, r)

	f = parse(t, "fc3 resp 8 regs")
	regs, ok := f.Registers()
	truth(t, true, true, ok)
	want := []uint16{170, 170, 187, 204, 61316, 58347, 40843, 58561}
	eq(t, true, len(want), regs.Len())
	for i, v := range regs.All {
		eq(t, false, want[i], v)
		eq(t, false, want[i], regs.At(i))
	}
	eq(t, false, uint16(0), regs.At(8))
	_, ok = f.ReadRequest()
	truth(t, false, false, ok)
}

func TestWrites(t *testing.T) {
	f := parse(t, "fc5 req")
	w, ok := f.WriteSingle()
	truth(t, true, true, ok)
	eq(t, false, WriteSingle{Address: 2, Value: 0}, w)
	truth(t, false, false, w.Coil())

	f = parse(t, "fc6 req")
	w, ok = f.WriteSingle()
	truth(t, true, true, ok)
	eq(t, false, WriteSingle{Address: 5, Value: 11}, w)

	f = parse(t, "fc15 req")
	wc, ok := f.WriteMultipleCoils()
	truth(t, true, true, ok)
	eq(t, false, Range{Start: 1, Quantity: 4}, wc.Range)
	eq(t, false, uint8(1), wc.ByteCount)
	eq(t, true, 4, wc.Values.Len())
	var got []bool
	for _, v := range wc.Values.All {
		got = append(got, v)
	}
	eq(t, false, []bool{true, false, false, true}, got) // 0x09

	f = parse(t, "fc16 req")
	wr, ok := f.WriteMultipleRegisters()
	truth(t, true, true, ok)
	eq(t, false, Range{Start: 1, Quantity: 4}, wr.Range)
	eq(t, false, uint8(8), wr.ByteCount)
	eq(t, false, 4, wr.Values.Len())
	eq(t, false, uint16(0xdd), wr.Values.At(3))

	f = parse(t, "fc22 req")
	m, ok := f.MaskWrite()
	truth(t, true, true, ok)
	eq(t, false, MaskWrite{Address: 10, AndMask: 0xdead, OrMask: 0}, m)

	f = parse(t, "fc23 req")
	rw, ok := f.ReadWriteRequest()
	truth(t, true, true, ok)
	eq(t, false, Range{Start: 1, Quantity: 4}, rw.Read)
	eq(t, false, Range{Start: 2, Quantity: 3}, rw.Write)
	eq(t, false, 3, rw.Values.Len())

	f = parse(t, "fc23 resp")
	regs, ok := f.Registers()
	truth(t, true, true, ok)
	eq(t, false, 4, regs.Len())
	eq(t, false, uint16(0xcc), regs.At(3))

	// Write multiple responses echo start and quantity.
	fr, err := ParsePDU([]byte{0x10, 0x00, 0x01, 0x00, 0x04}, Response)
	noErr(t, err)
	r, ok := fr.WriteMultipleResponse()
	truth(t, true, true, ok)
	eq(t, false, Range{Start: 1, Quantity: 4}, r)
}

func TestDiagnosticsAndStatus(t *testing.T) {
	f := parse(t, "fc8 req")
	d, ok := f.Diagnostic()
	truth(t, true, true, ok)
	eq(t, false, DiagForceListenOnlyMode, d.Sub)
	v, ok := d.Word()
	truth(t, false, true, ok)
	eq(t, false, uint16(0), v)
	eq(t, false, "Force Listen Only Mode", d.Sub.String())

	f = parse(t, "fc8 exception")
	_, ok = f.Diagnostic()
	truth(t, false, false, ok)
	truth(t, true, true, nil != f.Err())
	var ex ExceptionCode
	truth(t, true, true, errors.As(f.Err(), &ex))
	eq(t, false, GatewayTargetDeviceFailedToRespond, ex)
	eq(t, false, "modbus: exception: gateway target device failed to respond", f.Err().Error())

	f = parse(t, "fc7 resp")
	st, ok := f.ExceptionStatus()
	truth(t, true, true, ok)
	eq(t, false, uint8(0x15), st)

	fr, err := ParsePDU([]byte{0x0b, 0x00, 0x00, 0x01, 0x08}, Response)
	noErr(t, err)
	c, ok := fr.CommEventCounter()
	truth(t, true, true, ok)
	eq(t, false, CommEventCounter{Status: 0, EventCount: 0x108}, c)

	fr, err = ParsePDU([]byte{0x0c, 0x08, 0xff, 0xff, 0x01, 0x08, 0x01, 0x21, 0x20, 0x00}, Response)
	noErr(t, err)
	l, ok := fr.CommEventLog()
	truth(t, true, true, ok)
	eq(t, false, uint16(0xffff), l.Status)
	eq(t, false, uint16(0x108), l.EventCount)
	eq(t, false, uint16(0x121), l.MessageCount)
	eq(t, false, []byte{0x20, 0x00}, l.Events)
}

func TestServerID(t *testing.T) {
	f := parse(t, "fc17 resp")
	s, ok := f.ServerID()
	truth(t, true, true, ok)
	eq(t, false, uint8(0x12), s.ByteCount)
	id, _ := s.ID()
	run, _ := s.RunIndicator()
	eq(t, false, uint8(0), id)
	eq(t, false, uint8(0xff), run)
	eq(t, false, "Wingpath Limited", string(s.Additional()))
}

func TestDeviceID(t *testing.T) {
	f := parse(t, "fc43/14 req")
	r, ok := f.DeviceIDRequest()
	truth(t, true, true, ok)
	eq(t, false, DeviceIDRequest{Code: ReadDeviceIDExtended, Object: ObjectProductCode}, r)

	f = parse(t, "fc43/14 resp")
	id, ok := f.DeviceID()
	truth(t, true, true, ok)
	eq(t, false, ReadDeviceIDBasic, id.Code)
	eq(t, false, uint8(0x83), id.Conformity)
	eq(t, false, uint8(0), id.MoreFollows)
	eq(t, false, uint8(3), id.Count)
	var names, values []string
	it := id.Objects()
	for it.Next() {
		names = append(names, it.Object().ID.String())
		values = append(values, string(it.Object().Value))
	}
	noErr(t, it.Err())
	eq(t, false, []string{"VendorName", "ProductCode", "MajorMinorRevision"}, names)
	eq(t, false, []string{"Zeek Modbus Test", "Protocol Parsing is fun!", "1.2.3.6"}, values)

	// zeek-modbus-eit.pcap frame 2: the header says 0 objects, 6 bytes follow.
	f = parse(t, "fc43/14 resp odd")
	id, ok = f.DeviceID()
	truth(t, true, true, ok)
	eq(t, false, uint8(0x4d), id.MoreFollows)
	eq(t, false, ObjectID(0xb7), id.NextObject)
	truth(t, false, true, f.Anomalies.Has(AnomalyObjectCount))
}

func TestFileRecords(t *testing.T) {
	// Read File Record request with two sub-requests (spec example).
	req := []byte{0x14, 0x0e, 0x06, 0x00, 0x04, 0x00, 0x01, 0x00, 0x02, 0x06, 0x00, 0x03, 0x00, 0x09, 0x00, 0x02}
	f, err := ParsePDU(req, Request)
	noErr(t, err)
	it, ok := f.FileRecords()
	truth(t, true, true, ok)
	var recs []FileRecord
	for it.Next() {
		recs = append(recs, it.Record())
	}
	noErr(t, it.Err())
	eq(t, false, []FileRecord{{RefType: 6, File: 4, Record: 1, Length: 2}, {RefType: 6, File: 3, Record: 9, Length: 2}}, recs)

	resp := []byte{0x14, 0x0c, 0x05, 0x06, 0x0d, 0xfe, 0x00, 0x20, 0x05, 0x06, 0x33, 0xcd, 0x00, 0x40}
	f, err = ParsePDU(resp, Response)
	noErr(t, err)
	it, _ = f.FileRecords()
	recs = recs[:0]
	for it.Next() {
		recs = append(recs, it.Record())
	}
	noErr(t, it.Err())
	eq(t, true, 2, len(recs))
	eq(t, false, []byte{0x0d, 0xfe, 0x00, 0x20}, recs[0].Data)
	eq(t, false, uint16(2), recs[1].Length)

	wr := []byte{0x15, 0x0d, 0x06, 0x00, 0x04, 0x00, 0x07, 0x00, 0x03, 0x06, 0xaf, 0x04, 0xbe, 0x10, 0x0d}
	f, err = ParsePDU(wr, Request)
	noErr(t, err)
	it, _ = f.FileRecords()
	truth(t, true, true, it.Next())
	eq(t, false, FileRecord{RefType: 6, File: 4, Record: 7, Length: 3, Data: wr[9:15]}, it.Record())
	truth(t, false, false, it.Next())

	// A sub-request cut short is a byte count anomaly.
	f, err = ParsePDU([]byte{0x14, 0x03, 0x06, 0x00, 0x04}, Request)
	noErr(t, err)
	truth(t, false, true, f.Anomalies.Has(AnomalyByteCount))
}

func TestFIFO(t *testing.T) {
	f := parse(t, "fc24 req")
	p, ok := f.FIFOPointer()
	truth(t, true, true, ok)
	eq(t, false, uint16(2), p)

	fr, err := ParsePDU([]byte{0x18, 0x00, 0x06, 0x00, 0x02, 0x01, 0xb8, 0x12, 0x84}, Response)
	noErr(t, err)
	q, ok := fr.FIFOQueue()
	truth(t, true, true, ok)
	eq(t, false, uint16(2), q.Count)
	eq(t, false, 2, q.Values.Len())
	eq(t, false, uint16(0x1284), q.Values.At(1))
	isZero(t, fr.Anomalies)
}

func TestCANopenAndMEI(t *testing.T) {
	fr, err := ParsePDU([]byte{0x2b, 0x0d, 0x01, 0x02}, Request)
	noErr(t, err)
	d, ok := fr.CANopen()
	truth(t, true, true, ok)
	eq(t, false, []byte{1, 2}, d)
	fr, _ = ParsePDU([]byte{0x2b, 0x07}, Request)
	truth(t, false, true, fr.Anomalies.Has(AnomalySubFunction))
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
		{"header only", []byte{0, 1, 0, 0, 0, 6, 1}, Request, 7, ErrTruncated, AnomalyLength},
		{"length 1", []byte{0, 1, 0, 0, 0, 1, 1, 3}, Request, 7, ErrLength, 0},
		{"length 0", []byte{0, 1, 0, 0, 0, 0, 1, 3}, Request, 6, ErrLength, 0},
		{"protocol id", h("0001000100060a0300050002"), Request, 12, nil, AnomalyProtocolID},
		{"short fc3 req", h("0001000000040a030005"), Request, 10, ErrTruncated, 0},
		{"length beyond bytes", h("0001000000090a0300050002"), Request, 12, nil, AnomalyLength},
		{"two ADUs", h("0001000000060a03000500020001000000060a0300050002"), Request, 12, nil, 0},
		{"fc3 too many", h("0001000000060a0300050100"), Request, 12, nil, AnomalyQuantity},
		{"fc3 resp odd count", h("0001000000060a0303000900"), Response, 12, nil, AnomalyByteCount},
		{"fc3 resp count past end", h("0001000000060a0309000900"), Response, 12, ErrTruncated, 0},
		{"fc3 resp trailing", h("0001000000060a03020009ff"), Response, 12, nil, AnomalyTrailing},
		{"fc5 bad value", h("0001000000060a0500020001"), Request, 12, nil, AnomalyValue},
		{"fc15 count mismatch", h("000d00000009070f00010004020900"), Request, 15, nil, AnomalyByteCount},
		{"fc16 count mismatch", h("000e0000000d0710000100040600aa00bb00cc"), Request, 19, nil, AnomalyByteCount},
		{"unknown exception", h("000000000003018163"), Response, 9, nil, AnomalyExceptionCode},
		{"exception no code", h("0000000000020181"), Response, 8, ErrTruncated, 0},
		{"oversize", append(h("000700000100005a"), make([]byte, 254)...), Request, 262, nil, AnomalyOversize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, n, err := Parse(tt.b, tt.dir)
			eq(t, false, tt.n, n)
			eq(t, false, tt.err, err)
			eq(t, false, tt.flags, f.Anomalies, f.Anomalies.String())
		})
	}
}

func TestOversizeUMAS(t *testing.T) {
	// UMAS request with MBAP length 255 (iti-modicon-modicon_test.pcap
	// frame 19 has this shape): framed by Split and flagged by Parse.
	b := append(h("0007000000ff005a000a"), make([]byte, 251)...)
	adv, tok, _ := Split(b, false)
	eq(t, true, len(b), adv)
	f, _, err := Parse(tok, Request)
	noErr(t, err)
	eq(t, false, AnomalyOversize, f.Anomalies)
	eq(t, false, "UMAS", f.Function.String())
}

func TestUDPAndDirection(t *testing.T) {
	a := adu(t, "fc3 req")
	f, err := ParseUDP(a.adu, Request)
	noErr(t, err)
	isZero(t, f.Anomalies)
	f, err = ParseUDP(append(append([]byte{}, a.adu...), 0), Request)
	noErr(t, err)
	eq(t, false, AnomalyLength, f.Anomalies)

	eq(t, false, Request, DirectionFromPorts(40000, Port, Port))
	eq(t, false, Response, DirectionFromPorts(Port, 40000, Port))
	eq(t, false, DirUnknown, DirectionFromPorts(Port, Port, Port))
	eq(t, false, DirUnknown, DirectionFromPorts(1, 2, Port))

	// Unknown direction: shared layouts decode, direction-specific ones do not.
	f, _, err = Parse(adu(t, "fc6 req").adu, DirUnknown)
	noErr(t, err)
	_, ok := f.WriteSingle()
	truth(t, false, true, ok)
	f, _, _ = Parse(adu(t, "fc3 req").adu, DirUnknown)
	_, ok = f.ReadRequest()
	truth(t, false, false, ok)
	_, ok = f.Registers()
	truth(t, false, false, ok)
}

func TestStrings(t *testing.T) {
	eq(t, false, "Read Holding Registers", ReadHoldingRegisters.String())
	eq(t, false, "User-defined Function", FunctionCode(65).String())
	eq(t, false, "Reserved Function", FunctionCode(9).String())
	eq(t, false, "Unknown Function", FunctionCode(0).String())
	eq(t, false, "illegal data address", IllegalDataAddress.String())
	eq(t, false, "modbus: exception: unknown code", ExceptionCode(99).Error())
	eq(t, false, "none", Anomaly(0).String())
	eq(t, false, "quantity", AnomalyQuantity.String())
	eq(t, false, "protocol_id|byte_count", (AnomalyProtocolID | AnomalyByteCount).String())
	var names []string
	for a := range (AnomalyTrailing | AnomalyLength).All {
		names = append(names, a.Name())
	}
	eq(t, false, []string{"length", "trailing_bytes"}, names)
	eq(t, false, 2, (AnomalyTrailing | AnomalyLength).Len())
	eq(t, false, "Private", ObjectID(0x80).String())
	eq(t, false, "request", Request.String())
	eq(t, false, "modbus: truncated", ErrTruncated.Error())
	truth(t, false, true, errors.Is(ErrLength, ErrLength))
}

func eq(t *testing.T, fatal bool, want, got any, msg ...any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		if fatal {
			t.Fatalf("%v (-want +got):\n%s", msg, d)
		}
		t.Errorf("%v (-want +got):\n%s", msg, d)
	}
}

func truth(t *testing.T, fatal, want, got bool, msg ...any) {
	t.Helper()
	if want != got {
		if fatal {
			t.Fatalf("want %v: %v", want, msg)
		}
		t.Errorf("want %v: %v", want, msg)
	}
}

func noErr(t *testing.T, err error, msg ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%v: %v", err, msg)
	}
}

func isZero[T comparable](t *testing.T, v T) {
	t.Helper()
	var zero T
	if v != zero {
		t.Errorf("want zero, got %v", v)
	}
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
