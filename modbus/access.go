package modbus

import "github.com/icsdissect/icsdissect/internal/wire"

// Typed accessors. Each decodes the data of one function code and direction
// on demand and reports false when the frame is of another function or
// direction, is an exception, or is too short for the layout. None of them
// allocates; slices and views alias the input given to Parse.

// data returns the bytes after the function code when the frame is a normal
// (non-exception) PDU of function fc.
func (f *Frame) data(fc FunctionCode) ([]byte, bool) {
	if f.exception || f.Function != fc || len(f.PDU) == 0 {
		return nil, false
	}
	return f.PDU[1:], true
}

// Words returns the PDU's data after the function code as big-endian 16-bit
// words, numbered from 0, whatever the function. The fixed fields of most
// layouts are words (start address, quantity, masks, sub-function), so
// Words shows what a PDU too short for its layout does hold, where the
// typed accessors report false. An odd last byte is left out. It does not
// allocate.
func (f *Frame) Words() Registers {
	if len(f.PDU) < 1 {
		return Registers{}
	}
	d := f.PDU[1:]
	return Registers{b: d[: len(d)&^1 : len(d)&^1]}
}

// Range is a start address and a quantity of coils, inputs or registers.
// Addresses are the 0-based protocol addresses carried on the wire.
type Range struct {
	Start, Quantity uint16
}

// ReadRequest returns the start and quantity of a read request (function
// codes 1–4).
func (f *Frame) ReadRequest() (Range, bool) {
	if f.exception || f.Dir != Request || f.Function == 0 || f.Function > ReadInputRegisters || len(f.PDU) < 5 {
		return Range{}, false
	}
	d := f.PDU
	return Range{Start: uint16(d[1])<<8 | uint16(d[2]), Quantity: uint16(d[3])<<8 | uint16(d[4])}, true
}

// countedView returns the n bytes after a one-byte count n at d[0], cut to
// what is present.
func countedView(d []byte) (uint8, []byte, bool) {
	if len(d) == 0 {
		return 0, nil, false
	}
	n := int(d[0])
	if n > len(d)-1 {
		n = len(d) - 1
	}
	return d[0], d[1 : 1+n : 1+n], true
}

// Counted returns the byte count of a layout that has one and every byte
// after it to the end of the PDU, a view of the input. rest holds count
// bytes in a well-formed PDU; when the two differ the PDU is malformed
// (AnomalyTrailing or ErrByteCount) and rest shows what is there. The
// layouts with a one-byte count are the responses of functions 1–4, 12, 17
// and 23, the requests of 15, 16 and 23, and both directions of 20 and 21.
// (Function 24's 16-bit count is in [FIFOQueue].)
func (f *Frame) Counted() (count int, rest []byte, ok bool) {
	if f.exception || len(f.PDU) < 2 {
		return 0, nil, false
	}
	skip := 0
	switch f.Function {
	case ReadCoils, ReadDiscreteInputs, ReadHoldingRegisters, ReadInputRegisters,
		GetCommEventLog, ReportServerID:
		if f.Dir != Response {
			return 0, nil, false
		}
	case WriteMultipleCoils, WriteMultipleRegisters:
		if f.Dir != Request {
			return 0, nil, false
		}
		skip = 4
	case ReadWriteMultipleRegisters:
		switch f.Dir {
		case Request:
			skip = 8
		case Response:
		default:
			return 0, nil, false
		}
	case ReadFileRecord, WriteFileRecord:
		if f.Dir == DirUnknown {
			return 0, nil, false
		}
	default:
		return 0, nil, false
	}
	d := f.PDU[1:]
	if len(d) < skip+1 {
		return 0, nil, false
	}
	return int(d[skip]), d[skip+1 : len(d) : len(d)], true
}

// Bits returns the coil or input states of a read response (function codes 1
// and 2), numbered from 0. Its length is 8 per byte; [Message.Bits] limits
// it to the request's quantity and numbers it from the request's start.
func (f *Frame) Bits() (Bits, bool) {
	if f.exception || f.Dir != Response || (f.Function != ReadCoils && f.Function != ReadDiscreteInputs) || len(f.PDU) == 0 {
		return Bits{}, false
	}
	_, v, ok := countedView(f.PDU[1:])
	return Bits{b: v, n: uint16(8 * len(v))}, ok
}

// Registers returns the register values of a read response (function codes
// 3, 4 and 23), numbered from 0; [Message.Registers] numbers them from the
// request's start.
func (f *Frame) Registers() (Registers, bool) {
	if f.exception || f.Dir != Response || len(f.PDU) < 2 {
		return Registers{}, false
	}
	switch f.Function {
	case ReadHoldingRegisters, ReadInputRegisters, ReadWriteMultipleRegisters:
	default:
		return Registers{}, false
	}
	d := f.PDU[1:]
	n := int(d[0])
	if n > len(d)-1 {
		n = len(d) - 1
	}
	return Registers{b: d[1 : 1+n : 1+n]}, true
}

// WriteSingle is the address and value of a Write Single Coil or Write
// Single Register request, or its echo in the response.
type WriteSingle struct {
	Address, Value uint16
	// Raw holds the bytes after the address to the end of the PDU, a view
	// of the input: the two bytes of Value in a well-formed PDU.
	Raw []byte
}

// Coil reports the coil state a Write Single Coil value asks for (0xFF00 is
// on; anything but 0x0000 and 0xFF00 sets AnomalyValue).
func (w WriteSingle) Coil() bool { return w.Value == 0xFF00 }

// WriteSingle returns the address and value of function codes 5 and 6, in
// either direction.
func (f *Frame) WriteSingle() (WriteSingle, bool) {
	if f.exception || (f.Function != WriteSingleCoil && f.Function != WriteSingleRegister) || len(f.PDU) < 5 {
		return WriteSingle{}, false
	}
	d := f.PDU[1:]
	return WriteSingle{Address: be16(d), Value: be16(d[2:]), Raw: d[2:len(d):len(d)]}, true
}

// ExceptionStatus returns the eight exception status outputs of a Read
// Exception Status response (function code 7).
func (f *Frame) ExceptionStatus() (uint8, bool) {
	d, ok := f.data(ReadExceptionStatus)
	if !ok || f.Dir != Response || len(d) < 1 {
		return 0, false
	}
	return d[0], true
}

// Diagnostic is a Diagnostics (function code 8) request or response: the
// sub-function and its data, a view of the input.
type Diagnostic struct {
	Sub  DiagSubFunction
	Data []byte
}

// Word returns the first two data bytes as one 16-bit value: the counter
// of sub-functions 0x0B–0x12 (responses), the diagnostic register (0x02),
// the restart option (0x01), the echo of 0x0A and 0x14; requests of the
// other sub-functions carry 0x0000. It reports false when fewer than two
// data bytes are present.
func (d Diagnostic) Word() (uint16, bool) {
	if len(d.Data) < 2 {
		return 0, false
	}
	return be16(d.Data), true
}

// Delimiter returns the character of a Change ASCII Input Delimiter
// (0x03) request or response, the first data byte.
func (d Diagnostic) Delimiter() (byte, bool) {
	if d.Sub != DiagChangeASCIIInputDelimiter || len(d.Data) < 1 {
		return 0, false
	}
	return d.Data[0], true
}

// Diagnostic returns the sub-function and data of function code 8, in either
// direction.
func (f *Frame) Diagnostic() (Diagnostic, bool) {
	d, ok := f.data(Diagnostics)
	if !ok || len(d) < 2 {
		return Diagnostic{}, false
	}
	return Diagnostic{Sub: DiagSubFunction(be16(d)), Data: d[2:len(d):len(d)]}, true
}

// CommEventCounter is a Get Comm Event Counter response (function code 11).
type CommEventCounter struct {
	Status, EventCount uint16
}

// CommEventCounter returns the status word and event count of a function 11
// response.
func (f *Frame) CommEventCounter() (CommEventCounter, bool) {
	d, ok := f.data(GetCommEventCounter)
	if !ok || f.Dir != Response || len(d) < 4 {
		return CommEventCounter{}, false
	}
	return CommEventCounter{Status: be16(d), EventCount: be16(d[2:])}, true
}

// CommEventLog is a Get Comm Event Log response (function code 12).
type CommEventLog struct {
	ByteCount                        uint8
	Status, EventCount, MessageCount uint16
	// Events holds the event bytes, most recent first, viewing the input.
	Events []byte
}

// CommEventLog returns the fields of a function 12 response.
func (f *Frame) CommEventLog() (CommEventLog, bool) {
	d, ok := f.data(GetCommEventLog)
	if !ok || f.Dir != Response {
		return CommEventLog{}, false
	}
	n, v, ok := countedView(d)
	if !ok || len(v) < 6 {
		return CommEventLog{}, false
	}
	return CommEventLog{ByteCount: n, Status: be16(v), EventCount: be16(v[2:]),
		MessageCount: be16(v[4:]), Events: v[6:]}, true
}

// WriteCoils is a Write Multiple Coils request (function code 15).
type WriteCoils struct {
	Range
	ByteCount uint8
	// Values holds the coil states, numbered from Start and limited to
	// Quantity when enough bytes are present.
	Values Bits
}

// WriteMultipleCoils returns the fields of a function 15 request.
func (f *Frame) WriteMultipleCoils() (WriteCoils, bool) {
	d, ok := f.data(WriteMultipleCoils)
	if !ok || f.Dir != Request || len(d) < 5 {
		return WriteCoils{}, false
	}
	n, v, _ := countedView(d[4:])
	w := WriteCoils{Range: Range{Start: be16(d), Quantity: be16(d[2:])}, ByteCount: n}
	w.Values = Bits{b: v, n: uint16(8 * len(v)), start: w.Start}.WithQuantity(int(w.Quantity))
	return w, true
}

// WriteRegisters is a Write Multiple Registers request (function code 16).
type WriteRegisters struct {
	Range
	ByteCount uint8
	// Values holds the registers written, numbered from Start.
	Values Registers
}

// WriteMultipleRegisters returns the fields of a function 16 request.
func (f *Frame) WriteMultipleRegisters() (WriteRegisters, bool) {
	d, ok := f.data(WriteMultipleRegisters)
	if !ok || f.Dir != Request || len(d) < 5 {
		return WriteRegisters{}, false
	}
	n, v, _ := countedView(d[4:])
	start := be16(d)
	return WriteRegisters{Range: Range{Start: start, Quantity: be16(d[2:])}, ByteCount: n,
		Values: Registers{b: v, start: start}}, true
}

// WriteMultipleResponse returns the start and quantity echoed by a function
// 15 or 16 response.
func (f *Frame) WriteMultipleResponse() (Range, bool) {
	if f.exception || f.Dir != Response || (f.Function != WriteMultipleCoils && f.Function != WriteMultipleRegisters) || len(f.PDU) < 5 {
		return Range{}, false
	}
	d := f.PDU[1:]
	return Range{Start: be16(d), Quantity: be16(d[2:])}, true
}

// ServerID is a Report Server ID response (function code 17). Its content
// is device specific: the specification gives a server id of device
// dependent length, a run indicator and additional data, without saying
// where one ends. Raw keeps the bytes as they are; [ServerID.GuessLayout]
// offers the common reading.
type ServerID struct {
	ByteCount uint8
	// Raw holds the bytes that follow the byte count, at most ByteCount of
	// them, a view of the input.
	Raw []byte
}

// ServerIDGuess is the common layout of a Report Server ID response: a
// one-byte server id, a run indicator byte and additional data. It is a
// guess; see [ServerID.GuessLayout].
type ServerIDGuess struct {
	ID           uint8
	RunIndicator uint8
	// Additional holds the bytes after the run indicator, often the
	// vendor's or the product's name in ASCII.
	Additional []byte
}

// Running reports whether the run indicator says ON (0xFF).
func (g ServerIDGuess) Running() bool { return g.RunIndicator == 0xFF }

// GuessLayout reads Raw as a one-byte server id, a run indicator and
// additional data. This is a guess, not a fact of the protocol: the server
// id's length is device specific, and many devices send something else
// entirely (text only, several id bytes). GuessLayout reports false unless
// Raw holds at least two bytes and its second byte is a valid run indicator
// (0x00 or 0xFF), which makes the guess plausible; even then only the
// device's documentation can confirm it.
func (s ServerID) GuessLayout() (ServerIDGuess, bool) {
	if len(s.Raw) < 2 || (s.Raw[1] != 0 && s.Raw[1] != 0xFF) {
		return ServerIDGuess{}, false
	}
	return ServerIDGuess{ID: s.Raw[0], RunIndicator: s.Raw[1], Additional: s.Raw[2:]}, true
}

// ServerID returns the byte count and raw content of a function 17 response.
func (f *Frame) ServerID() (ServerID, bool) {
	d, ok := f.data(ReportServerID)
	if !ok || f.Dir != Response {
		return ServerID{}, false
	}
	n, v, ok := countedView(d)
	return ServerID{ByteCount: n, Raw: v}, ok
}

// MaskWrite is a Mask Write Register request or response (function code 22).
type MaskWrite struct {
	Address, AndMask, OrMask uint16
}

// MaskWrite returns the fields of function code 22, in either direction.
func (f *Frame) MaskWrite() (MaskWrite, bool) {
	d, ok := f.data(MaskWriteRegister)
	if !ok || len(d) < 6 {
		return MaskWrite{}, false
	}
	return MaskWrite{Address: be16(d), AndMask: be16(d[2:]), OrMask: be16(d[4:])}, true
}

// ReadWriteRequest is a Read/Write Multiple Registers request (function
// code 23).
type ReadWriteRequest struct {
	Read, Write Range
	ByteCount   uint8
	// Values holds the registers written, numbered from Write.Start.
	Values Registers
}

// ReadWriteRequest returns the fields of a function 23 request.
func (f *Frame) ReadWriteRequest() (ReadWriteRequest, bool) {
	d, ok := f.data(ReadWriteMultipleRegisters)
	if !ok || f.Dir != Request || len(d) < 9 {
		return ReadWriteRequest{}, false
	}
	n, v, _ := countedView(d[8:])
	w := Range{Start: be16(d[4:]), Quantity: be16(d[6:])}
	return ReadWriteRequest{
		Read:      Range{Start: be16(d), Quantity: be16(d[2:])},
		Write:     w,
		ByteCount: n, Values: Registers{b: v, start: w.Start},
	}, true
}

// FIFOPointer returns the FIFO pointer address of a Read FIFO Queue request
// (function code 24).
func (f *Frame) FIFOPointer() (uint16, bool) {
	d, ok := f.data(ReadFIFOQueue)
	if !ok || f.Dir != Request || len(d) < 2 {
		return 0, false
	}
	return be16(d), true
}

// FIFOQueue is a Read FIFO Queue response (function code 24).
type FIFOQueue struct {
	ByteCount, Count uint16
	// Values holds the queued registers present, at most ByteCount-2 bytes.
	Values Registers
	// Raw holds every byte after the FIFO count to the end of the PDU: the
	// bytes of Values in a well-formed PDU.
	Raw []byte
}

// FIFOQueue returns the fields of a function 24 response.
func (f *Frame) FIFOQueue() (FIFOQueue, bool) {
	d, ok := f.data(ReadFIFOQueue)
	if !ok || f.Dir != Response || len(d) < 4 {
		return FIFOQueue{}, false
	}
	q := FIFOQueue{ByteCount: be16(d), Count: be16(d[2:])}
	v := d[4:len(d):len(d)]
	q.Raw = v
	if n := int(q.ByteCount) - 2; n >= 0 && n < len(v) {
		v = v[:n]
	} else if n < 0 {
		v = v[:0]
	}
	q.Values = Registers{b: v[:len(v):len(v)]}
	return q, true
}

// MEI returns the MEI type of an Encapsulated Interface Transport PDU
// (function code 43) and the bytes after it, in either direction.
func (f *Frame) MEI() (MEIType, []byte, bool) {
	d, ok := f.data(EncapsulatedInterfaceTransport)
	if !ok || len(d) < 1 {
		return 0, nil, false
	}
	return MEIType(d[0]), d[1:], true
}

// CANopen returns the raw CANopen General Reference bytes of a function 43
// PDU with MEI type 13, in either direction.
func (f *Frame) CANopen() ([]byte, bool) {
	t, d, ok := f.MEI()
	if !ok || t != MEICANopen {
		return nil, false
	}
	return d, true
}

// DeviceIDRequest is a Read Device Identification request (function 43,
// MEI type 14).
type DeviceIDRequest struct {
	Code   ReadDeviceIDCode
	Object ObjectID
}

// DeviceIDRequest returns the read code and first object id of a function
// 43/14 request.
func (f *Frame) DeviceIDRequest() (DeviceIDRequest, bool) {
	t, d, ok := f.MEI()
	if !ok || t != MEIReadDeviceID || f.Dir != Request || len(d) < 2 {
		return DeviceIDRequest{}, false
	}
	return DeviceIDRequest{Code: ReadDeviceIDCode(d[0]), Object: ObjectID(d[1])}, true
}

// DeviceID is a Read Device Identification response (function 43, MEI type
// 14).
//
// A device whose objects do not fit one response answers in several: each
// response but the last has MoreFollows 0xFF and NextObject set to the id
// to ask for next, and the client sends a new request (same code, object
// id NextObject). A caller joins the answers by appending the objects of
// successive responses of one connection while [DeviceID.More] holds,
// checking that each request's object id ([Message.Request]) is the
// previous response's NextObject.
type DeviceID struct {
	// Code echoes the request's read code.
	Code ReadDeviceIDCode
	// Conformity is the device's identification conformity level.
	Conformity ConformityLevel
	// MoreFollows is 0xFF when another request is needed for the rest,
	// 0x00 otherwise (other values set AnomalyValue).
	MoreFollows uint8
	// NextObject is the object id to ask for next when MoreFollows is 0xFF
	// (0 otherwise).
	NextObject ObjectID
	// Count is the number of objects the header announces.
	Count   uint8
	objects []byte
}

// More reports whether another request is needed for the rest of the
// objects (MoreFollows is 0xFF).
func (d DeviceID) More() bool { return d.MoreFollows == 0xFF }

// Objects returns a cursor over the objects of the response, as many as
// are present (Count may say otherwise: AnomalyObjectCount).
func (d DeviceID) Objects() Objects { return Objects{r: wire.Reader(d.objects)} }

// DeviceID returns the header of a function 43/14 response; walk its objects
// with [DeviceID.Objects].
func (f *Frame) DeviceID() (DeviceID, bool) {
	t, d, ok := f.MEI()
	if !ok || t != MEIReadDeviceID || f.Dir != Response || len(d) < 5 {
		return DeviceID{}, false
	}
	return DeviceID{Code: ReadDeviceIDCode(d[0]), Conformity: ConformityLevel(d[1]), MoreFollows: d[2],
		NextObject: ObjectID(d[3]), Count: d[4], objects: d[5:]}, true
}

// Object is one device identification object: its id and value, a view of
// the input. The value of a standard object (id below 0x80) is ASCII text;
// that of a private object is device dependent bytes.
type Object struct {
	ID    ObjectID
	Value []byte
}

// AppendPrintable appends the value as printable text to b: bytes from
// 0x20 to 0x7E as they are, trailing NULs and spaces dropped, any other
// byte as '.'. It is meant for standard objects, whose value is ASCII; it
// never allocates beyond growing b.
func (o Object) AppendPrintable(b []byte) []byte {
	v := o.Value
	for len(v) > 0 && (v[len(v)-1] == 0 || v[len(v)-1] == ' ') {
		v = v[:len(v)-1]
	}
	for _, c := range v {
		if c < 0x20 || c > 0x7e {
			c = '.'
		}
		b = append(b, c)
	}
	return b
}

// Objects walks the objects of a Read Device Identification response:
//
//	objs := id.Objects()
//	for objs.Next() {
//		obj := objs.Object()
//	}
//	if err := objs.Err(); err != nil { ... }
//
// Each step consumes at least two bytes, so the walk is bounded by the input.
type Objects struct {
	r   wire.Reader
	obj Object
	err error
}

// Next advances to the next object and reports whether there is one. It
// stops at the end of the input or at an object that runs past it.
func (it *Objects) Next() bool {
	if it.err != nil || it.r.Empty() {
		return false
	}
	var id, n uint8
	if !it.r.U8(&id) || !it.r.U8(&n) || !it.r.Bytes(&it.obj.Value, int(n)) {
		it.err = ErrByteCount
		it.r = nil
		return false
	}
	it.obj.ID = ObjectID(id)
	return true
}

// Object returns the current object.
func (it *Objects) Object() Object { return it.obj }

// Err returns ErrByteCount when an object's length ran past the end of the
// input, else nil.
func (it *Objects) Err() error { return it.err }

// FileRecord is one sub-request or sub-response of Read File Record
// (function code 20) or Write File Record (21).
//
// Read requests fill RefType, File, Record and Length (in registers). Read
// responses fill RefType and Data, and Length as Data's size in registers;
// File and Record are 0 (file numbers start at 1) unless the cursor comes
// from [Message.FileRecords], which takes them from the paired request's
// sub-request. Write requests and responses fill every field; Data holds
// Length registers.
type FileRecord struct {
	RefType              uint8
	File, Record, Length uint16
	Data                 []byte
}

// Registers returns the record's data as registers, numbered from 0.
func (r FileRecord) Registers() Registers { return Registers{b: r.Data} }

// FileRecords walks the sub-requests or sub-responses of function codes 20
// and 21:
//
//	recs, _ := f.FileRecords()
//	for recs.Next() {
//		rec := recs.FileRecord()
//	}
//	if err := recs.Err(); err != nil { ... }
//
// Each step consumes at least one byte.
type FileRecords struct {
	r    wire.Reader
	req  wire.Reader // a read response's request sub-requests, when paired
	kind uint8       // 1 read request, 2 read response, 3 write
	rec  FileRecord
	err  error
}

func (it *FileRecords) init(fc FunctionCode, dir Direction, body []byte) {
	it.r = wire.Reader(body)
	switch {
	case fc == WriteFileRecord:
		it.kind = 3
	case dir == Response:
		it.kind = 2
	default:
		it.kind = 1
	}
}

// FileRecords returns a cursor over the sub-requests or sub-responses of a
// function 20 or 21 PDU whose direction is known.
func (f *Frame) FileRecords() (FileRecords, bool) {
	var it FileRecords
	if f.exception || (f.Function != ReadFileRecord && f.Function != WriteFileRecord) || f.Dir == DirUnknown || len(f.PDU) < 2 {
		return it, false
	}
	_, v, _ := countedView(f.PDU[1:])
	it.init(f.Function, f.Dir, v)
	return it, true
}

// Next advances to the next record and reports whether there is one.
func (it *FileRecords) Next() bool {
	if it.err != nil || it.r.Empty() {
		return false
	}
	var rec FileRecord
	ok := true
	switch it.kind {
	case 1:
		ok = it.r.U8(&rec.RefType) && it.r.U16(&rec.File) && it.r.U16(&rec.Record) && it.r.U16(&rec.Length)
	case 2:
		var n uint8
		ok = it.r.U8(&n) && n >= 1 && it.r.U8(&rec.RefType) && it.r.Bytes(&rec.Data, int(n)-1)
		rec.Length = uint16(len(rec.Data) / 2)
		if ok && it.req.Len() >= 7 {
			// The request's sub-request of the same rank names the file
			// and record this data was read from.
			it.req.Skip(1)
			it.req.U16(&rec.File)
			it.req.U16(&rec.Record)
			it.req.Skip(2)
		}
	default:
		ok = it.r.U8(&rec.RefType) && it.r.U16(&rec.File) && it.r.U16(&rec.Record) &&
			it.r.U16(&rec.Length) && it.r.Bytes(&rec.Data, 2*int(rec.Length))
	}
	if !ok {
		it.err = ErrByteCount
		it.r = nil
		return false
	}
	it.rec = rec
	return true
}

// FileRecord returns the current record.
func (it *FileRecords) FileRecord() FileRecord { return it.rec }

// Err returns ErrByteCount when the records did not fill the byte count
// exactly.
func (it *FileRecords) Err() error { return it.err }

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }
