package modbus

import "github.com/icsdissect/icsdissect/internal/wire"

// Port is the registered TCP and UDP port of Modbus/TCP servers.
const Port = 502

// Direction says whether an ADU travels from client to server (a request)
// or back (a response). Requests and responses of most function codes have
// different layouts, and nothing in the bytes says which an ADU is: that is
// why [Parse] and [Frame.Decode] take a Direction where other packages'
// take the bytes alone.
type Direction uint8

// Directions.
const (
	// DirUnknown means the caller does not know the direction. Parse then
	// decodes the MBAP header, the function code and the layouts that are
	// the same both ways (exceptions, function codes 5, 6, 8, 22, 90 and
	// 43's MEI type); accessors whose layout depends on the direction
	// report false. Parse does not guess: a caller that knows the ports
	// infers the direction with [DirectionFromPorts].
	DirUnknown Direction = iota
	// Request is an ADU sent by the client to the server.
	Request
	// Response is an ADU sent by the server back to the client.
	Response
)

var directionNames = [...]string{"unknown", "request", "response"}

// Known reports whether d is one of the three directions.
func (d Direction) Known() bool { return int(d) < len(directionNames) }

// String returns "request", "response", "unknown", or "direction 0x03" for
// another value. It does not allocate for the three directions.
func (d Direction) String() string {
	if d.Known() {
		return directionNames[d]
	}
	return unknownString("direction", uint(d), 2)
}

// AppendText appends the String form of d to b. It never fails.
func (d Direction) AppendText(b []byte) ([]byte, error) {
	if d.Known() {
		return append(b, directionNames[d]...), nil
	}
	return appendUnknown(b, "direction", uint(d), 2), nil
}

// DirectionFromPorts infers the direction of an ADU from its transport ports
// and the server's port (usually [Port]): toward the server port is a
// request, from it a response. When both or neither port is the server port
// it returns DirUnknown. It does not allocate.
func DirectionFromPorts(srcPort, dstPort, serverPort uint16) Direction {
	switch {
	case dstPort == serverPort && srcPort != serverPort:
		return Request
	case srcPort == serverPort && dstPort != serverPort:
		return Response
	}
	return DirUnknown
}

// Frame is one decoded Modbus ADU: the MBAP header, the function code and a
// view of the PDU. It is a small value; PDU aliases the bytes given to
// [Parse] and is valid as long as they are. Typed accessors such as
// [Frame.ReadRequest] and [Frame.Registers] decode the function-specific
// data on demand.
type Frame struct {
	// TransactionID pairs a response with its request.
	TransactionID uint16
	// ProtocolID is 0 for Modbus; anything else sets AnomalyProtocolID.
	ProtocolID uint16
	// Length is the MBAP length field: the unit id plus the PDU.
	Length uint16
	// UnitID addresses a server behind a gateway (255 or 0 when unused).
	UnitID uint8
	// Function is the function code with the exception bit (0x80) cleared.
	Function FunctionCode
	// Anomalies lists what is odd in the ADU; decoding went on regardless.
	Anomalies Anomaly
	// Exception is the exception code of an exception response, else 0.
	Exception ExceptionCode
	// Dir is the direction given to Parse.
	Dir Direction
	// exception is set when the function code had its 0x80 bit set.
	exception bool
	// spare fills the word with Anomalies, Exception, Dir and exception,
	// so that the fast path of Decode clears them in one store.
	spare uint8
	// PDU is the function code byte and the data after it, cut to the MBAP
	// length (or to the bytes present when the ADU is cut short).
	PDU []byte
}

// IsException reports whether the frame is an exception response (function
// code with bit 0x80 set).
func (f *Frame) IsException() bool { return f.exception }

// RawFunction returns the function code byte as sent, exception bit included.
func (f *Frame) RawFunction() uint8 {
	if f.exception {
		return uint8(f.Function) | 0x80
	}
	return uint8(f.Function)
}

// Data returns the PDU's bytes after the function code, a view of the input.
func (f *Frame) Data() []byte {
	if len(f.PDU) == 0 {
		return nil
	}
	return f.PDU[1:]
}

// Err returns the frame's exception code as an error for exception
// responses, and nil otherwise. It does not allocate.
func (f *Frame) Err() error {
	if f.exception {
		return f.Exception
	}
	return nil
}

// Parse decodes the Modbus/TCP ADU at the front of b: the MBAP header and the
// PDU it frames. dir says whether it is a request or a response
// (DirUnknown if not known; see [DirectionFromPorts]).
//
// n is the number of bytes the ADU occupies in b: 6 plus the MBAP length
// field. Bytes after the ADU are left for the next call. The error is nil or
// one of this package's sentinels:
//
//   - [ErrTruncated], with n == 0: b ends before the ADU does (fewer than 6
//     header bytes, or fewer than the length field announces). The header
//     fields present are set, and the PDU is decoded as far as the bytes go
//     (with AnomalyLength), so that a cut ADU can still be shown.
//   - [ErrLength], with n = the ADU's length: an MBAP length below 2, or a
//     PDU that ends before a fixed field of its layout.
//   - [ErrByteCount], with n = the ADU's length: a byte count that runs past
//     the end of the PDU.
//
// An exception response is not an error of Parse: see [Frame.Err].
// Anomalies never make an error. The returned Frame views b. Parse does not
// allocate. [Explain] says which field an error stopped at.
func Parse(b []byte, dir Direction) (Frame, int, error) {
	var f Frame
	n, err := f.Decode(b, dir)
	return f, n, err
}

// Decode is [Parse] into a caller-owned Frame, which it overwrites
// entirely; it returns n and the error as Parse does. Reusing one Frame
// across calls avoids copying the result. It does not allocate.
func (f *Frame) Decode(b []byte, dir Direction) (int, error) {
	if len(b) < 9 {
		return f.decodeGeneral(b, dir)
	}
	// MBAP header and function code in one big-endian load, for the two
	// fast paths of polling traffic.
	h := uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 |
		uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7])
	switch dir {
	case Response:
		// A well-formed register read response. The byte count matching
		// the length field bounds the length to 3..253, so no other
		// header check is needed.
		c := uint64(b[8])
		n := int(c) + 9
		if h&0xffff_0000_0000 == 0 && uint8(h)-3 < 2 && (h>>16)&0xffff == c+3 &&
			c&1 == 0 && uint8(c)-2 <= 248 && n <= len(b) {
			// Field by field: a composite literal would be built in a
			// temporary and copied.
			f.TransactionID = uint16(h >> 48)
			f.ProtocolID = 0
			f.Length = uint16(c + 3)
			f.UnitID = uint8(h >> 8)
			f.Function = FunctionCode(h)
			f.Anomalies = 0
			f.Exception = 0
			f.Dir = Response
			f.exception = false
			f.spare = 0
			f.PDU = b[7:n:n]
			return n, nil
		}
	case Request:
		// A well-formed read request (functions 1–4): MBAP length 6,
		// protocol id 0.
		if h&0xffff_ffff_0000 == 6<<16 && uint8(h)-1 < 4 && len(b) >= 12 {
			f.TransactionID = uint16(h >> 48)
			f.ProtocolID = 0
			f.Length = 6
			f.UnitID = uint8(h >> 8)
			f.Function = FunctionCode(h)
			f.Anomalies = 0
			f.Exception = 0
			f.Dir = Request
			f.exception = false
			f.spare = 0
			f.PDU = b[7:12:12]
			q := uint16(b[10])<<8 | uint16(b[11])
			max := uint16(125)
			if f.Function <= ReadDiscreteInputs {
				max = 2000
			}
			if q-1 >= max {
				f.Anomalies = AnomalyQuantity
			}
			return 12, nil
		}
	}
	return f.decodeGeneral(b, dir)
}

// decodeGeneral is the general path of Decode. It writes into *f in place:
// returning a Frame by value would cost a copy of a freshly written struct.
func (f *Frame) decodeGeneral(b []byte, dir Direction) (int, error) {
	*f = Frame{Dir: dir}
	if len(b) < 8 {
		return f.decodeShort(b)
	}
	_ = b[7]
	length := int(b[4])<<8 | int(b[5])
	n := 6 + length
	f.TransactionID = uint16(b[0])<<8 | uint16(b[1])
	f.ProtocolID = uint16(b[2])<<8 | uint16(b[3])
	f.Length = uint16(length)
	f.UnitID = b[6]
	if length < 2 || n > len(b) || f.ProtocolID != 0 || length > 1+MaxPDULen {
		return f.decodeOdd(b)
	}
	f.PDU = b[7:n:n]
	return n, f.decode()
}

// decodeOdd finishes decodeGeneral for ADUs whose header is unusual: a
// length below 2 or beyond the bytes present, a non-zero protocol id, an
// oversize PDU. b holds at least 8 bytes.
func (f *Frame) decodeOdd(b []byte) (int, error) {
	if f.ProtocolID != 0 {
		f.Anomalies |= AnomalyProtocolID
	}
	end := 6 + int(f.Length)
	if f.Length < 2 {
		return min(end, len(b)), ErrLength
	}
	if f.Length > 1+MaxPDULen {
		f.Anomalies |= AnomalyOversize
	}
	if end > len(b) {
		// Cut short: decode what is there, but the ADU is incomplete.
		f.Anomalies |= AnomalyLength
		f.PDU = b[7:len(b):len(b)]
		_ = f.decode()
		return 0, ErrTruncated
	}
	f.PDU = b[7:end:end]
	return end, f.decode()
}

// decodeShort handles inputs of fewer than 8 bytes: at most a header and a
// function code.
func (f *Frame) decodeShort(b []byte) (int, error) {
	r := wire.Reader(b)
	if !r.U16(&f.TransactionID) || !r.U16(&f.ProtocolID) || !r.U16(&f.Length) {
		return 0, ErrTruncated
	}
	if f.ProtocolID != 0 {
		f.Anomalies |= AnomalyProtocolID
	}
	r.U8(&f.UnitID)
	if f.Length < 2 {
		return min(6+int(f.Length), len(b)), ErrLength
	}
	f.Anomalies |= AnomalyLength
	return 0, ErrTruncated
}

// ParseUDP decodes a Modbus/UDP datagram: one ADU with the same MBAP header
// as over TCP. Unlike [Parse], bytes after the length the header gives are
// part of the datagram, so they set AnomalyLength. The error is as Parse
// gives it. It does not allocate.
func ParseUDP(b []byte, dir Direction) (Frame, error) {
	f, n, err := Parse(b, dir)
	if n > 0 && n < len(b) {
		f.Anomalies |= AnomalyLength
	}
	return f, err
}

// ParsePDU decodes a bare PDU (function code and data) carried without an
// MBAP header, as over serial lines once the address and CRC are removed.
// The header fields of the result are zero; an empty pdu gives ErrLength.
// It does not allocate.
func ParsePDU(pdu []byte, dir Direction) (Frame, error) {
	var f Frame
	f.Dir = dir
	if len(pdu) == 0 {
		return f, ErrLength
	}
	f.PDU = pdu
	err := f.decode()
	return f, err
}
