package modbus

import (
	"errors"
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

var (
	sinkFrame Frame
	sinkInt   int
	sinkBool  bool
	sinkErr   error
	sinkStr   string
	sinkBuf   = make([]byte, 0, 512)
	sinkF     float64
	sinkMsg   *Message
)

// TestZeroAllocs asserts that every hot API allocates nothing: Parse on each
// kind of ADU, every accessor and cursor, Split, the error paths, the
// AppendText and Error methods, String of known values, and every path of
// Conn (request, paired response, unmatched, mismatched, duplicate,
// overflow, long request, Flush, Reset).
func TestZeroAllocs(t *testing.T) {
	frame := func(name string) Frame {
		a := adu(t, name)
		f, _, _ := Parse(a.adu, a.dir)
		return f
	}
	fc3 := frame("fc3 resp 8 regs")
	fc1 := frame("fc1 resp")
	fc15 := frame("fc15 req")
	fc16 := frame("fc16 req")
	fc23 := frame("fc23 req")
	fc43 := frame("fc43/14 resp")
	fc43req := frame("fc43/14 req")
	fc17 := frame("fc17 resp")
	fc8 := frame("fc8 req")
	umas := frame("fc90 umas take reservation")
	ex := frame("fc8 exception")
	fr20, _ := ParsePDU(h("140e0600040001000206000300090002"), Request)
	fifo, _ := ParsePDU(h("180006000201b81284"), Response)
	var stream []byte
	for _, a := range realADUs {
		stream = append(stream, a.adu...)
	}
	stream = append(stream, 0xff, 0xfe, 0x00)
	poll, _ := polling(8, true)
	bogus := append(append(h("12340000010001410000"), poll...), h("1234000001000103")...)
	bogus = append(bogus, poll...)
	garbage := make([]byte, 3000)
	for i := range garbage {
		garbage[i] = 0xa5
	}
	short := []byte{0, 1, 0}
	badLen := []byte{0, 1, 0, 0, 0, 1, 1, 3}
	pdu := []byte{3, 0, 1, 0, 2}

	req := adu(t, "fc3 req").adu
	resp := adu(t, "fc3 resp").adu
	req20 := h("0001000000110114 0e 06000400010002 06000300090002")
	resp20 := h("0001000000 0f 0114 0c 05060dfe0020 050633cd0040")
	long := h("000e0000002f0710000100140028" + "00aa00bb00cc00dd00aa00bb00cc00dd00aa00bb00cc00dd00aa00bb00cc00dd00aa00bb00cc00dd")
	var c Conn
	var tid uint16
	reqN := append([]byte(nil), req...)
	longN := append([]byte(nil), long...)
	mism := h("0000 0000 0004 07 01 01 00") // Read Coils response, unit 7

	testkit.ZeroAllocs(t, []testkit.AllocCase{
		{Name: "Parse/all real ADUs", Fn: func() {
			for _, a := range realADUs {
				sinkFrame, sinkInt, sinkErr = Parse(a.adu, a.dir)
			}
		}},
		{Name: "Parse/truncated", Fn: func() { sinkFrame, sinkInt, sinkErr = Parse(short, Request) }},
		{Name: "Parse/bad length", Fn: func() { sinkFrame, sinkInt, sinkErr = Parse(badLen, Request) }},
		{Name: "Frame.Decode reused", Fn: func() {
			var f Frame
			for _, a := range realADUs {
				sinkInt, sinkErr = f.Decode(a.adu, a.dir)
			}
			sinkFrame = f
		}},
		{Name: "ParseUDP", Fn: func() { sinkFrame, sinkErr = ParseUDP(req, Request) }},
		{Name: "ParsePDU", Fn: func() { sinkFrame, sinkErr = ParsePDU(pdu, Request) }},
		{Name: "Registers", Fn: func() {
			r, _ := fc3.Registers()
			for i := 0; i < r.Len(); i++ {
				v, _ := r.At(i)
				sinkInt += int(v)
			}
			for _, v := range r.All {
				sinkInt += int(v)
			}
			u, _ := r.Uint32(0, LowWordFirst)
			s, _ := r.Int32(2, HighWordFirst)
			f, _ := r.Float32(4, HighWordFirst)
			d, _ := r.Float64(4, LowWordFirst)
			sinkF = float64(f) + d + float64(u) + float64(s)
		}},
		{Name: "Bits", Fn: func() {
			b, _ := fc1.Bits()
			for _, v := range b.WithQuantity(3).All {
				sinkBool = v
			}
			sinkBool, _ = b.At(0)
		}},
		{Name: "Counted", Fn: func() { n, rest, _ := fc3.Counted(); sinkInt = n + len(rest) }},
		{Name: "ReadRequest", Fn: func() { f := frame("fc3 req"); r, _ := f.ReadRequest(); sinkInt = int(r.Quantity) }},
		{Name: "WriteSingle", Fn: func() { f := frame("fc6 req"); w, _ := f.WriteSingle(); sinkBool = w.Coil() }},
		{Name: "WriteMultipleCoils", Fn: func() { w, _ := fc15.WriteMultipleCoils(); sinkInt = w.Values.Len() }},
		{Name: "WriteMultipleRegisters", Fn: func() { w, _ := fc16.WriteMultipleRegisters(); sinkInt = w.Values.Len() }},
		{Name: "WriteMultipleResponse", Fn: func() { r, _ := fc16.WriteMultipleResponse(); sinkInt = int(r.Start) }},
		{Name: "ReadWriteRequest", Fn: func() { r, _ := fc23.ReadWriteRequest(); sinkInt = r.Values.Len() }},
		{Name: "Diagnostic", Fn: func() {
			d, _ := fc8.Diagnostic()
			v, _ := d.Word()
			c, _ := d.Delimiter()
			sinkInt = int(v) + int(c)
			sinkStr = d.Sub.String()
		}},
		{Name: "ExceptionStatus+CommEvent", Fn: func() {
			f := frame("fc7 resp")
			v, _ := f.ExceptionStatus()
			c, _ := f.CommEventCounter()
			l, _ := f.CommEventLog()
			sinkInt = int(v) + int(c.EventCount) + len(l.Events)
		}},
		{Name: "ServerID", Fn: func() {
			s, _ := fc17.ServerID()
			g, _ := s.GuessLayout()
			sinkInt = len(g.Additional)
			sinkBool = g.Running()
		}},
		{Name: "MaskWrite", Fn: func() { f := frame("fc22 req"); m, _ := f.MaskWrite(); sinkInt = int(m.AndMask) }},
		{Name: "FIFO", Fn: func() { q, _ := fifo.FIFOQueue(); p, _ := fifo.FIFOPointer(); sinkInt = q.Values.Len() + int(p) }},
		{Name: "FileRecords", Fn: func() {
			recs, _ := fr20.FileRecords()
			for recs.Next() {
				sinkInt += int(recs.FileRecord().File)
			}
			sinkErr = recs.Err()
		}},
		{Name: "DeviceID objects", Fn: func() {
			id, _ := fc43.DeviceID()
			objs := id.Objects()
			for objs.Next() {
				o := objs.Object()
				sinkInt += len(o.Value)
				sinkStr = o.ID.String()
				sinkBuf = o.AppendPrintable(sinkBuf[:0])
			}
			sinkBool = id.More() || id.Conformity.Individual()
			r, _ := fc43req.DeviceIDRequest()
			_, _, _ = fc43.MEI()
			_, _ = fc43.CANopen()
			sinkStr = r.Code.String()
		}},
		{Name: "UMAS", Fn: func() {
			u, _ := umas.UMAS()
			sinkStr = u.Function.String()
			sinkInt = int(umas.Operation())
		}},
		{Name: "Operation", Fn: func() {
			sinkInt = int(fc8.Operation()) + int(fc43.Operation()) + int(fc3.Operation())
		}},
		{Name: "Exception error", Fn: func() {
			sinkErr = ex.Err()
			_, sinkBool = sinkErr.(ExceptionCode)
			sinkBool = sinkBool && errors.Is(sinkErr, GatewayTargetDeviceFailedToRespond)
			sinkStr = sinkErr.Error()
			sinkStr = ExceptionCode(99).Error()
		}},
		{Name: "Strings of known values", Fn: func() {
			sinkStr = ReadHoldingRegisters.String()
			sinkStr = AnomalyQuantity.String()
			sinkStr = Anomaly(0).String()
			sinkStr = ErrTruncated.Error()
			sinkStr = MEIReadDeviceID.String()
			sinkStr = ObjectVendorName.String()
			sinkStr = UMASStopPLC.String()
			sinkStr = OpProgram.String()
			sinkStr = Response.String()
			sinkStr = ConformityExtendedStream.String()
			sinkStr = LowWordFirst.String()
			sinkStr = ClassReserved.String()
		}},
		{Name: "AppendText", Fn: func() {
			b := sinkBuf[:0]
			b, _ = Anomaly(0xffffffff).AppendText(b)
			b, _ = FunctionCode(0x41).AppendText(b)
			b, _ = ExceptionCode(0x63).AppendText(b)
			b, _ = DiagSubFunction(0x15).AppendText(b)
			b, _ = MEIType(7).AppendText(b)
			b, _ = ReadDeviceIDCode(9).AppendText(b)
			b, _ = ConformityLevel(9).AppendText(b)
			b, _ = ObjectID(0x80).AppendText(b)
			b, _ = UMASFunction(0x08).AppendText(b)
			b, _ = Operation(99).AppendText(b)
			b, _ = Direction(7).AppendText(b)
			b, _ = WordOrder(7).AppendText(b)
			b, _ = FunctionClass(7).AppendText(b)
			sinkBuf = b
			for a := range Anomaly(0x7ff).All {
				sinkBool = a.Has(a)
			}
		}},
		{Name: "Split/stream", Fn: func() {
			b := stream
			for len(b) > 0 {
				adv, tok, _ := Split(b, true)
				sinkInt += len(tok)
				b = b[adv:]
			}
		}},
		{Name: "Split/garbage", Fn: func() {
			b := garbage
			for len(b) > 0 {
				adv, _, _ := Split(b, false)
				if adv == 0 {
					break
				}
				b = b[adv:]
			}
		}},
		{Name: "Split/partial", Fn: func() { sinkInt, _, _ = Split(stream[:10], false) }},
		{Name: "Split/bogus length", Fn: func() {
			b := bogus
			for len(b) > 0 {
				adv, tok, _ := Split(b, true)
				sinkInt += len(tok)
				b = b[adv:]
			}
		}},
		{Name: "Resync/stream", Fn: func() {
			for off := range 24 {
				b := stream[off:]
				for len(b) > 0 {
					adv, tok, _ := Resync(b, true)
					sinkInt += len(tok)
					if tok != nil {
						break
					}
					b = b[adv:]
				}
			}
		}},
		{Name: "Resync/garbage", Fn: func() {
			b := garbage
			for len(b) > 0 {
				adv, _, _ := Resync(b, false)
				if adv == 0 {
					break
				}
				b = b[adv:]
			}
		}},
		{Name: "Conn/request+paired response", Fn: func() {
			sinkMsg, _ = c.Decode(req, true, 1)
			sinkMsg, _ = c.Decode(resp, false, 2)
			r, _ := sinkMsg.Registers()
			b, _ := sinkMsg.Bits()
			q, _ := sinkMsg.Range()
			sinkInt = r.Len() + b.Len() + int(q.Start)
		}},
		{Name: "Conn/file records paired", Fn: func() {
			sinkMsg, _ = c.Decode(req20, true, 1)
			sinkMsg, _ = c.Decode(resp20, false, 2)
			recs, _ := sinkMsg.FileRecords()
			for recs.Next() {
				sinkInt += int(recs.FileRecord().Record)
			}
		}},
		{Name: "Conn/unmatched", Fn: func() { sinkMsg, _ = c.Decode(resp, false, 3) }},
		{Name: "Conn/mismatched+duplicate+overflow+long", Fn: func() {
			for i := 0; i < MaxPending+2; i++ {
				tid++
				b := reqN
				if i%3 == 0 {
					b = longN
				}
				b[0], b[1] = byte(tid>>8), byte(tid)
				sinkMsg, _ = c.Decode(b, true, int64(i))
			}
			sinkMsg, _ = c.Decode(longN, true, 5) // duplicate of a pending one
			mism[0], mism[1] = longN[0], longN[1]
			sinkMsg, _ = c.Decode(mism, false, 6) // mismatched function
		}},
		{Name: "Conn/Flush+Reset+Stats", Fn: func() {
			sinkMsg, _ = c.Decode(long, true, 7)
			c.Flush(func(m *Message) bool { sinkInt += int(m.Frame.TransactionID); return true })
			sinkInt += c.Stats().Pending
			c.Reset()
		}},
	})
}
