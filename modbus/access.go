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

// Bits is a packed list of coil or discrete input states, least significant
// bit of the first byte first, viewing the input.
type Bits struct {
	b []byte
	n int
}

// Len returns the number of bits: the quantity when known, else 8 per byte.
func (b Bits) Len() int { return b.n }

// At returns bit i, or false when i is out of range.
func (b Bits) At(i int) bool {
	if uint(i) >= uint(b.n) {
		return false
	}
	return b.b[i>>3]&(1<<(uint(i)&7)) != 0
}

// Bytes returns the packed bytes, a view of the input.
func (b Bits) Bytes() []byte { return b.b }

// WithQuantity returns b limited to its first q bits (a response carries
// whole bytes; the request says how many bits count). q larger than the
// bits present is ignored.
func (b Bits) WithQuantity(q int) Bits {
	if q >= 0 && q < b.n {
		b.n = q
	}
	return b
}

// All yields each bit's index and state.
func (b Bits) All(yield func(int, bool) bool) {
	for i := 0; i < b.n; i++ {
		if !yield(i, b.b[i>>3]&(1<<(uint(i)&7)) != 0) {
			return
		}
	}
}

// Registers is a list of big-endian 16-bit register values viewing the input.
type Registers struct {
	b []byte
}

// Len returns the number of whole registers.
func (r Registers) Len() int { return len(r.b) >> 1 }

// At returns register i, or 0 when i is out of range.
func (r Registers) At(i int) uint16 {
	if uint(i) >= uint(len(r.b)>>1) {
		return 0
	}
	return uint16(r.b[2*i])<<8 | uint16(r.b[2*i+1])
}

// Bytes returns the register bytes, a view of the input (an odd trailing byte
// included).
func (r Registers) Bytes() []byte { return r.b }

// All yields each register's index and value.
func (r Registers) All(yield func(int, uint16) bool) {
	b := r.b
	for i := 0; len(b) >= 2; i++ {
		if !yield(i, uint16(b[0])<<8|uint16(b[1])) {
			return
		}
		b = b[2:]
	}
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

// Bits returns the coil or input states of a read response (function codes 1
// and 2). Its length is 8 per byte; limit it with [Bits.WithQuantity] using
// the request's quantity.
func (f *Frame) Bits() (Bits, bool) {
	if f.exception || f.Dir != Response || (f.Function != ReadCoils && f.Function != ReadDiscreteInputs) || len(f.PDU) == 0 {
		return Bits{}, false
	}
	_, v, ok := countedView(f.PDU[1:])
	return Bits{b: v, n: 8 * len(v)}, ok
}

// ByteCount returns the byte count of a counted response (function codes 1–4,
// 12, 17, 20, 21, 23): the first data byte.
func (f *Frame) ByteCount() (uint8, bool) {
	if f.exception || len(f.PDU) < 2 {
		return 0, false
	}
	switch f.Function {
	case ReadCoils, ReadDiscreteInputs, ReadHoldingRegisters, ReadInputRegisters,
		GetCommEventLog, ReportServerID, ReadWriteMultipleRegisters:
		if f.Dir != Response {
			return 0, false
		}
	case ReadFileRecord, WriteFileRecord:
		if f.Dir == DirUnknown {
			return 0, false
		}
	default:
		return 0, false
	}
	return f.PDU[1], true
}

// Registers returns the register values of a read response (function codes 3,
// 4 and 23).
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
	return WriteSingle{Address: be16(d), Value: be16(d[2:])}, true
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

// Word returns the data as one 16-bit value, when it is exactly two bytes
// (the counters, the diagnostic register, the restart option).
func (d Diagnostic) Word() (uint16, bool) {
	if len(d.Data) != 2 {
		return 0, false
	}
	return be16(d.Data), true
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
	// Values holds the coil states, limited to Quantity when enough bytes
	// are present.
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
	w.Values = Bits{b: v, n: 8 * len(v)}.WithQuantity(int(w.Quantity))
	return w, true
}

// WriteRegisters is a Write Multiple Registers request (function code 16).
type WriteRegisters struct {
	Range
	ByteCount uint8
	Values    Registers
}

// WriteMultipleRegisters returns the fields of a function 16 request.
func (f *Frame) WriteMultipleRegisters() (WriteRegisters, bool) {
	d, ok := f.data(WriteMultipleRegisters)
	if !ok || f.Dir != Request || len(d) < 5 {
		return WriteRegisters{}, false
	}
	n, v, _ := countedView(d[4:])
	return WriteRegisters{Range: Range{Start: be16(d), Quantity: be16(d[2:])}, ByteCount: n, Values: Registers{b: v}}, true
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

// ServerID is a Report Server ID response (function code 17). Its content is
// device specific; by the specification's example and common practice the
// first byte is the server id and the second the run indicator (0x00 off,
// 0xFF on), followed by additional data.
type ServerID struct {
	ByteCount uint8
	// Raw holds the ByteCount bytes that follow the byte count.
	Raw []byte
}

// ID returns the first byte, the server id.
func (s ServerID) ID() (uint8, bool) {
	if len(s.Raw) < 1 {
		return 0, false
	}
	return s.Raw[0], true
}

// RunIndicator returns the second byte, the run indicator status.
func (s ServerID) RunIndicator() (uint8, bool) {
	if len(s.Raw) < 2 {
		return 0, false
	}
	return s.Raw[1], true
}

// Additional returns the bytes after the run indicator.
func (s ServerID) Additional() []byte {
	if len(s.Raw) < 2 {
		return nil
	}
	return s.Raw[2:]
}

// ServerID returns the fields of a function 17 response.
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
	Values      Registers
}

// ReadWriteRequest returns the fields of a function 23 request.
func (f *Frame) ReadWriteRequest() (ReadWriteRequest, bool) {
	d, ok := f.data(ReadWriteMultipleRegisters)
	if !ok || f.Dir != Request || len(d) < 9 {
		return ReadWriteRequest{}, false
	}
	n, v, _ := countedView(d[8:])
	return ReadWriteRequest{
		Read:      Range{Start: be16(d), Quantity: be16(d[2:])},
		Write:     Range{Start: be16(d[4:]), Quantity: be16(d[6:])},
		ByteCount: n, Values: Registers{b: v},
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
}

// FIFOQueue returns the fields of a function 24 response.
func (f *Frame) FIFOQueue() (FIFOQueue, bool) {
	d, ok := f.data(ReadFIFOQueue)
	if !ok || f.Dir != Response || len(d) < 4 {
		return FIFOQueue{}, false
	}
	q := FIFOQueue{ByteCount: be16(d), Count: be16(d[2:])}
	v := d[4:]
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
type DeviceID struct {
	Code ReadDeviceIDCode
	// Conformity is the conformity level (0x01–0x03, 0x81–0x83).
	Conformity uint8
	// MoreFollows is 0xFF when another transaction is needed for the rest.
	MoreFollows uint8
	// NextObject is the object id to ask for next when MoreFollows is 0xFF.
	NextObject ObjectID
	// Count is the number of objects the header announces.
	Count   uint8
	objects []byte
}

// Objects returns a cursor over the objects of the response.
func (d DeviceID) Objects() DeviceObjects { return DeviceObjects{r: wire.Reader(d.objects)} }

// DeviceID returns the header of a function 43/14 response; walk its objects
// with [DeviceID.Objects].
func (f *Frame) DeviceID() (DeviceID, bool) {
	t, d, ok := f.MEI()
	if !ok || t != MEIReadDeviceID || f.Dir != Response || len(d) < 5 {
		return DeviceID{}, false
	}
	return DeviceID{Code: ReadDeviceIDCode(d[0]), Conformity: d[1], MoreFollows: d[2],
		NextObject: ObjectID(d[3]), Count: d[4], objects: d[5:]}, true
}

// DeviceObject is one device identification object: its id and value
// (usually ASCII text), a view of the input.
type DeviceObject struct {
	ID    ObjectID
	Value []byte
}

// DeviceObjects walks the objects of a Read Device Identification response:
//
//	for it := id.Objects(); it.Next(); {
//		obj := it.Object()
//	}
//	if err := it.Err(); err != nil { ... }
//
// Each step consumes at least two bytes, so the walk is bounded by the input.
type DeviceObjects struct {
	r   wire.Reader
	obj DeviceObject
	err error
}

// Next advances to the next object and reports whether there is one. It
// stops at the end of the input or at an object that runs past it.
func (it *DeviceObjects) Next() bool {
	if it.err != nil || it.r.Empty() {
		return false
	}
	var id, n uint8
	if !it.r.U8(&id) || !it.r.U8(&n) || !it.r.Bytes(&it.obj.Value, int(n)) {
		it.err = ErrTruncated
		it.r = nil
		return false
	}
	it.obj.ID = ObjectID(id)
	return true
}

// Object returns the current object.
func (it *DeviceObjects) Object() DeviceObject { return it.obj }

// Err returns ErrTruncated when an object ran past the end of the input.
func (it *DeviceObjects) Err() error { return it.err }

// FileRecord is one sub-request or sub-response of Read File Record
// (function code 20) or Write File Record (21).
//
// Read requests fill RefType, File, Record and Length (in registers). Read
// responses fill RefType and Data, and Length as Data's size in registers.
// Write requests and responses fill every field; Data holds Length
// registers.
type FileRecord struct {
	RefType              uint8
	File, Record, Length uint16
	Data                 []byte
}

// FileRecords walks the sub-requests or sub-responses of function codes 20
// and 21. Each step consumes at least one byte.
type FileRecords struct {
	r    wire.Reader
	kind uint8 // 1 read request, 2 read response, 3 write
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

// Record returns the current record.
func (it *FileRecords) Record() FileRecord { return it.rec }

// Err returns ErrByteCount when the records did not fill the byte count
// exactly.
func (it *FileRecords) Err() error { return it.err }
