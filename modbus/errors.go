package modbus

import (
	"math/bits"
	"strconv"
)

// Error is the type of this package's sentinel errors. Compare with == or
// errors.Is. Error() does not allocate.
type Error uint8

// Sentinel errors.
const (
	// ErrTruncated: the input ends before the ADU does: fewer bytes than
	// the MBAP header, or than the length field announces. More bytes are
	// needed; Parse returns it with n == 0.
	ErrTruncated Error = iota + 1
	// ErrLength: the PDU is too short for its layout: an MBAP length below
	// 2 (no function code), or a PDU that ends before a fixed field of its
	// function's layout (a Read Holding Registers request without its
	// quantity). Parse returns it with n = the ADU's length.
	ErrLength
	// ErrByteCount: a byte count runs past the end of the PDU, or cannot
	// be cut into the layout's items (a file record sub-request list that
	// is not a whole number of entries, a device identification object that
	// runs past the end). Parse returns it with n = the ADU's length.
	ErrByteCount
)

var errorText = [...]string{
	ErrTruncated: "modbus: truncated",
	ErrLength:    "modbus: PDU too short for its layout",
	ErrByteCount: "modbus: byte count inconsistent with layout",
}

// Error implements error. It does not allocate.
func (e Error) Error() string {
	if int(e) < len(errorText) && errorText[e] != "" {
		return errorText[e]
	}
	return "modbus: error"
}

// FieldError is the rich error of [Explain]: the sentinel, the field where
// decoding stopped (Wireshark's field name where it has one, such as
// "modbus.word_cnt") and the byte offset of that field in the input.
type FieldError struct {
	Err    Error
	Field  string
	Offset int
}

// Error returns "modbus: truncated: modbus.word_cnt at offset 10". It
// allocates.
func (e *FieldError) Error() string {
	return e.Err.Error() + ": " + e.Field + " at offset " + strconv.Itoa(e.Offset)
}

// Unwrap returns the sentinel, so that errors.Is(err, ErrTruncated) holds.
func (e *FieldError) Unwrap() error { return e.Err }

// Anomaly is a set of flags for things that are odd in an ADU, or in its
// place on the connection, but do not stop decoding. The zero value is the
// empty set.
type Anomaly uint32

// Anomaly flags of a single ADU, set by Parse.
const (
	// AnomalyProtocolID: the MBAP protocol id is not 0.
	AnomalyProtocolID Anomaly = 1 << iota
	// AnomalyLength: the MBAP length disagrees with the bytes present (the
	// ADU is cut short, or bytes follow it in a datagram or token).
	AnomalyLength
	// AnomalyByteCount: a byte count disagrees with the quantity it
	// accompanies, or with the layout (odd count of register bytes).
	AnomalyByteCount
	// AnomalyQuantity: a quantity is outside the specification's range (for
	// example more than 125 registers in a read).
	AnomalyQuantity
	// AnomalyReservedFunction: the function code is one the specification
	// reserves (9, 10, 13, 14, 41, 42, 91, 125–127; 90 is UMAS and not
	// flagged).
	AnomalyReservedFunction
	// AnomalyUnassignedFunction: the function code is neither public,
	// user-defined nor reserved (0, 18, 19, 25–40, ...).
	AnomalyUnassignedFunction
	// AnomalyTrailing: bytes follow the function's layout.
	AnomalyTrailing
	// AnomalyValue: a value the specification restricts is out of range:
	// a coil value other than 0x0000 or 0xFF00, a device identification
	// more-follows other than 0x00 or 0xFF, an unknown conformity level.
	AnomalyValue
	// AnomalyExceptionCode: an exception code the specification does not
	// define.
	AnomalyExceptionCode
	// AnomalySubFunction: a Diagnostics sub-function, MEI type or Read
	// Device ID code the specification does not define.
	AnomalySubFunction
	// AnomalyObjectCount: a Read Device Identification response lists a
	// different number of objects than its header says.
	AnomalyObjectCount
	// AnomalyOversize: the PDU is longer than the specification's 253 bytes.
	AnomalyOversize
)

// Connection-level anomaly flags, set by [Conn] on [Message.Anomalies].
const (
	// AnomalyUnmatchedResponse: no pending request has the response's
	// transaction id and unit id.
	AnomalyUnmatchedResponse Anomaly = 1 << (iota + 16)
	// AnomalyMismatchedResponse: a request with the response's transaction
	// and unit id is pending, but its function code is not the one the
	// response answers; the response is not decoded in its context.
	AnomalyMismatchedResponse
	// AnomalyPendingOverflow: the pending table was full; the oldest
	// request was dropped and counted unanswered.
	AnomalyPendingOverflow
	// AnomalyDuplicateRequest: a request reuses the transaction and unit id
	// of a pending one.
	AnomalyDuplicateRequest
)

// anomalyNames holds each flag's name, indexed by bit position.
var anomalyNames = [32]string{
	"protocol_id", "length", "byte_count", "quantity", "reserved_function",
	"unassigned_function", "trailing_bytes", "value", "exception_code",
	"sub_function", "object_count", "oversize",
	16: "unmatched_response", "mismatched_response", "pending_overflow", "duplicate_request",
}

// Has reports whether every flag of x is set in a.
func (a Anomaly) Has(x Anomaly) bool { return a&x == x }

// All yields each flag set in a, lowest first. It does not allocate when the
// loop body does not capture it.
func (a Anomaly) All(yield func(Anomaly) bool) {
	for a != 0 {
		flag := a & -a
		a &^= flag
		if !yield(flag) {
			return
		}
	}
}

// String returns the snake_case names of the flags set, joined by "|"
// ("protocol_id|quantity"), or "" for the empty set. A bit without a flag
// prints as "bit31". The empty set and a single known flag cost no
// allocation; several flags allocate the joined string once.
func (a Anomaly) String() string {
	if a == 0 {
		return ""
	}
	if a&(a-1) == 0 {
		if n := anomalyNames[bitIndex(a)]; n != "" {
			return n
		}
	}
	var buf [256]byte
	b, _ := a.AppendText(buf[:0])
	return string(b)
}

// AppendText appends the String form of a to b. It never allocates beyond
// growing b, and never fails.
func (a Anomaly) AppendText(b []byte) ([]byte, error) {
	first := true
	for rest := a; rest != 0; {
		flag := rest & -rest
		rest &^= flag
		if !first {
			b = append(b, '|')
		}
		first = false
		i := bitIndex(flag)
		if n := anomalyNames[i]; n != "" {
			b = append(b, n...)
		} else {
			b = append(b, 'b', 'i', 't')
			if i >= 10 {
				b = append(b, byte('0'+i/10))
			}
			b = append(b, byte('0'+i%10))
		}
	}
	return b, nil
}

// bitIndex returns the position of the lowest bit set in a.
func bitIndex(a Anomaly) int { return bits.TrailingZeros32(uint32(a)) }
