package modbus

// Error is the type of this package's sentinel errors. Compare with ==
// or errors.Is.
type Error uint8

// Sentinel errors.
const (
	// ErrTruncated: the input ends before the MBAP header, a fixed field of
	// the function's layout, or the bytes a byte count announces.
	ErrTruncated Error = iota + 1
	// ErrLength: the MBAP length field is below 2, so there is no function
	// code.
	ErrLength
	// ErrByteCount: a byte count is impossible for its layout (for example a
	// file record sub-request list that is not a whole number of entries).
	ErrByteCount
)

var errorText = [...]string{
	ErrTruncated: "modbus: truncated",
	ErrLength:    "modbus: MBAP length below 2",
	ErrByteCount: "modbus: byte count inconsistent with layout",
}

// Error implements error. It does not allocate.
func (e Error) Error() string {
	if int(e) < len(errorText) && errorText[e] != "" {
		return errorText[e]
	}
	return "modbus: error"
}

// Anomaly is a set of flags for things that are odd in an ADU but do not
// stop decoding. The zero value is the empty set.
type Anomaly uint16

// Anomaly flags.
const (
	// AnomalyProtocolID: the MBAP protocol id is not 0.
	AnomalyProtocolID Anomaly = 1 << iota
	// AnomalyLength: the MBAP length disagrees with the bytes present.
	AnomalyLength
	// AnomalyByteCount: a byte count disagrees with the quantity it
	// accompanies, or with the layout (odd count of register bytes).
	AnomalyByteCount
	// AnomalyQuantity: a quantity is outside the specification's range (for
	// example more than 125 registers in a read).
	AnomalyQuantity
	// AnomalyReservedFunction: the function code is one the specification
	// reserves (9, 10, 13, 14, 41, 42, 90, 91, 125–127).
	AnomalyReservedFunction
	// AnomalyUnassignedFunction: the function code is neither public,
	// user-defined nor reserved (0, 18, 19, 25–40, ...).
	AnomalyUnassignedFunction
	// AnomalyTrailing: bytes follow the function's layout.
	AnomalyTrailing
	// AnomalyValue: a value the specification restricts is out of range
	// (a coil value other than 0x0000 or 0xFF00, a run indicator other than
	// 0x00 or 0xFF).
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
	numAnomalies = iota
)

var anomalyNames = [numAnomalies]string{
	"protocol_id", "length", "byte_count", "quantity", "reserved_function",
	"unassigned_function", "trailing_bytes", "value", "exception_code",
	"sub_function", "object_count", "oversize",
}

// Has reports whether every flag in x is set in a.
func (a Anomaly) Has(x Anomaly) bool { return a&x == x }

// Len returns the number of flags set.
func (a Anomaly) Len() int {
	n := 0
	for ; a != 0; a &= a - 1 {
		n++
	}
	return n
}

// Name returns the snake_case name of a single flag ("protocol_id",
// "byte_count", ...), "" for the empty set and "multiple" when more than one
// flag is set. It does not allocate.
func (a Anomaly) Name() string {
	switch {
	case a == 0:
		return ""
	case a&(a-1) != 0:
		return "multiple"
	}
	for i := range numAnomalies {
		if a == 1<<i {
			return anomalyNames[i]
		}
	}
	return "unknown"
}

// Next returns the lowest flag set in a and a without it, for iterating
// without allocating:
//
//	for rest := f.Anomalies; rest != 0; {
//		var flag modbus.Anomaly
//		flag, rest = rest.Next()
//		use(flag.Name())
//	}
func (a Anomaly) Next() (flag, rest Anomaly) {
	flag = a & -a
	return flag, a &^ flag
}

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

// String returns the names of the flags set, joined by "|", or "none". A
// single flag or the empty set costs no allocation; several flags allocate
// the joined string once.
func (a Anomaly) String() string {
	if a == 0 {
		return "none"
	}
	if a&(a-1) == 0 {
		return a.Name()
	}
	var buf [192]byte
	b := buf[:0]
	for rest := a; rest != 0; {
		var flag Anomaly
		flag, rest = rest.Next()
		if len(b) > 0 {
			b = append(b, '|')
		}
		b = append(b, flag.Name()...)
	}
	return string(b)
}
