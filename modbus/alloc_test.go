package modbus

import (
	"errors"
	"testing"
)

var (
	sinkFrame Frame
	sinkInt   int
	sinkBool  bool
	sinkErr   error
	sinkStr   string
)

// TestZeroAllocs asserts that every hot API allocates nothing: Parse on each
// kind of ADU, every accessor and cursor, Split, the error paths and the
// String and Error methods.
func TestZeroAllocs(t *testing.T) {
	get := func(name string) realADU {
		for _, a := range realADUs {
			if a.name == name {
				return a
			}
		}
		t.Fatalf("no ADU %q", name)
		return realADU{}
	}
	frame := func(name string) Frame {
		a := get(name)
		f, _, _ := Parse(a.adu, a.dir)
		return f
	}
	fc3 := frame("fc3 resp 8 regs")
	fc1 := frame("fc1 resp")
	fc15 := frame("fc15 req")
	fc16 := frame("fc16 req")
	fc23 := frame("fc23 req")
	fc43 := frame("fc43/14 resp")
	fc17 := frame("fc17 resp")
	fc8 := frame("fc8 req")
	ex := frame("fc8 exception")
	fr20, _ := ParsePDU([]byte{0x14, 0x0e, 0x06, 0x00, 0x04, 0x00, 0x01, 0x00, 0x02, 0x06, 0x00, 0x03, 0x00, 0x09, 0x00, 0x02}, Request)
	fifo, _ := ParsePDU([]byte{0x18, 0x00, 0x06, 0x00, 0x02, 0x01, 0xb8, 0x12, 0x84}, Response)
	var stream []byte
	for _, a := range realADUs {
		stream = append(stream, a.adu...)
	}
	stream = append(stream, 0xff, 0xfe, 0x00)
	garbage := make([]byte, 3000)
	for i := range garbage {
		garbage[i] = 0xa5
	}

	short := []byte{0, 1, 0}
	badLen := []byte{0, 1, 0, 0, 0, 1, 1, 3}
	pdu := []byte{3, 0, 1, 0, 2}
	tests := []struct {
		name string
		fn   func()
	}{
		{"Parse/all real ADUs", func() {
			for _, a := range realADUs {
				sinkFrame, sinkInt, sinkErr = Parse(a.adu, a.dir)
			}
		}},
		{"Parse/truncated", func() { sinkFrame, sinkInt, sinkErr = Parse(short, Request) }},
		{"Parse/bad length", func() { sinkFrame, sinkInt, sinkErr = Parse(badLen, Request) }},
		{"Frame.Decode reused", func() {
			var f Frame
			for _, a := range realADUs {
				sinkInt, sinkErr = f.Decode(a.adu, a.dir)
			}
			sinkFrame = f
		}},
		{"ParseUDP", func() { a := get("fc3 req"); sinkFrame, sinkErr = ParseUDP(a.adu, a.dir) }},
		{"ParsePDU", func() { sinkFrame, sinkErr = ParsePDU(pdu, Request) }},
		{"Registers", func() {
			r, _ := fc3.Registers()
			for i := 0; i < r.Len(); i++ {
				sinkInt += int(r.At(i))
			}
			for _, v := range r.All {
				sinkInt += int(v)
			}
		}},
		{"Bits", func() {
			b, _ := fc1.Bits()
			for _, v := range b.WithQuantity(3).All {
				sinkBool = v
			}
			sinkBool = b.At(0)
		}},
		{"ReadRequest", func() { f := frame("fc3 req"); r, _ := f.ReadRequest(); sinkInt = int(r.Quantity) }},
		{"WriteSingle", func() { f := frame("fc6 req"); w, _ := f.WriteSingle(); sinkBool = w.Coil() }},
		{"WriteMultipleCoils", func() { w, _ := fc15.WriteMultipleCoils(); sinkInt = w.Values.Len() }},
		{"WriteMultipleRegisters", func() { w, _ := fc16.WriteMultipleRegisters(); sinkInt = w.Values.Len() }},
		{"WriteMultipleResponse", func() { r, _ := fc16.WriteMultipleResponse(); sinkInt = int(r.Start) }},
		{"ReadWriteRequest", func() { r, _ := fc23.ReadWriteRequest(); sinkInt = r.Values.Len() }},
		{"Diagnostic", func() { d, _ := fc8.Diagnostic(); v, _ := d.Word(); sinkInt = int(v); sinkStr = d.Sub.String() }},
		{"ExceptionStatus+CommEvent", func() {
			f := frame("fc7 resp")
			v, _ := f.ExceptionStatus()
			c, _ := f.CommEventCounter()
			l, _ := f.CommEventLog()
			sinkInt = int(v) + int(c.EventCount) + len(l.Events)
		}},
		{"ServerID", func() { s, _ := fc17.ServerID(); sinkInt = len(s.Additional()) }},
		{"MaskWrite", func() { f := frame("fc22 req"); m, _ := f.MaskWrite(); sinkInt = int(m.AndMask) }},
		{"FIFO", func() { q, _ := fifo.FIFOQueue(); p, _ := fifo.FIFOPointer(); sinkInt = q.Values.Len() + int(p) }},
		{"FileRecords", func() {
			it, _ := fr20.FileRecords()
			for it.Next() {
				sinkInt += int(it.Record().File)
			}
			sinkErr = it.Err()
		}},
		{"DeviceID objects", func() {
			id, _ := fc43.DeviceID()
			for it := id.Objects(); it.Next(); {
				sinkInt += len(it.Object().Value)
				sinkStr = it.Object().ID.String()
			}
			r, _ := fc43.DeviceIDRequest()
			_, _, _ = fc43.MEI()
			_, _ = fc43.CANopen()
			sinkStr = r.Code.String()
		}},
		{"Exception error", func() {
			sinkErr = ex.Err()
			_, sinkBool = sinkErr.(ExceptionCode)
			sinkBool = sinkBool && errors.Is(sinkErr, GatewayTargetDeviceFailedToRespond)
			sinkStr = sinkErr.Error()
		}},
		{"Strings", func() {
			sinkStr = ReadHoldingRegisters.String()
			sinkStr = FunctionCode(200).String()
			sinkStr = AnomalyQuantity.String()
			sinkStr = ErrTruncated.Error()
			sinkStr = MEIReadDeviceID.String()
			for rest := Anomaly(0x7ff); rest != 0; {
				var flag Anomaly
				flag, rest = rest.Next()
				sinkStr = flag.Name()
			}
			for a := range Anomaly(0x7ff).All {
				sinkStr = a.Name()
			}
		}},
		{"Split/stream", func() {
			b := stream
			for len(b) > 0 {
				adv, tok, _ := Split(b, true)
				sinkInt += len(tok)
				b = b[adv:]
			}
		}},
		{"Split/garbage", func() {
			b := garbage
			for len(b) > 0 {
				adv, _, _ := Split(b, false)
				if adv == 0 {
					break
				}
				b = b[adv:]
			}
		}},
		{"Split/partial", func() { sinkInt, _, _ = Split(stream[:10], false) }},
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(100, tt.fn); n != 0 {
			t.Errorf("%s: %v allocs per run, want 0", tt.name, n)
		}
	}
}
