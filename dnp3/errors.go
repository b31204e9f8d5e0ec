package dnp3

import "math/bits"

// Error is a decoding error. The package's errors are the constants below;
// compare with == or errors.Is. Returning one as an error does not allocate.
type Error uint8

// Errors returned by the decoders.
const (
	// ErrTruncated: the input ends before the structure it announces: more
	// bytes are needed. It always comes with n == 0.
	ErrTruncated Error = iota + 1
	// ErrStart: a link frame does not begin with the start bytes 0x05 0x64.
	ErrStart
	// ErrLength: a link length byte below 5, or an application fragment
	// shorter than its two-octet header.
	ErrLength
	// ErrHeaderCRC: the CRC of the 8-byte link header does not match.
	ErrHeaderCRC
	// ErrCRC: the CRC of a user data block does not match.
	ErrCRC
	// ErrUnknownObject: an object group and variation whose size is not
	// known, so the rest of the fragment cannot be walked.
	ErrUnknownObject
	// ErrRange: a start-stop range whose stop is below its start.
	ErrRange
	numErrors
)

var errorText = [numErrors]string{
	"dnp3: no error",
	"dnp3: truncated",
	"dnp3: bad start bytes",
	"dnp3: bad length",
	"dnp3: bad header CRC",
	"dnp3: bad data block CRC",
	"dnp3: unknown object group/variation",
	"dnp3: range stop below start",
}

// Error returns the error's text. It does not allocate.
func (e Error) Error() string {
	if e < numErrors {
		return errorText[e]
	}
	return "dnp3: unknown error"
}

// FieldError is the rich error of [Explain]: the error, the field where
// decoding stopped (Wireshark's name where it has one) and its byte offset
// in the link frame as it is on the wire.
type FieldError struct {
	Err    Error
	Field  string
	Offset int
}

// Error returns "dnp3: bad header CRC: dnp3.hdr.CRC at offset 8". It
// allocates.
func (e *FieldError) Error() string {
	return e.Err.Error() + ": " + e.Field + " at offset " + itoa(e.Offset)
}

// Unwrap returns the Error, for errors.Is.
func (e *FieldError) Unwrap() error { return e.Err }

// itoa formats a non-negative int.
func itoa(n int) string {
	var b [20]byte
	return string(appendUint(b[:0], uint64(n)))
}

// appendUint appends the decimal text of v.
func appendUint(b []byte, v uint64) []byte {
	var t [20]byte
	i := len(t)
	for {
		i--
		t[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, t[i:]...)
}

// appendHex appends "0x" and v in lower-case hex, with at least digits
// digits.
func appendHex(b []byte, v uint64, digits int) []byte {
	const hexDigits = "0123456789abcdef"
	var t [16]byte
	i := len(t)
	for v != 0 || len(t)-i < digits {
		i--
		t[i] = hexDigits[v&15]
		v >>= 4
	}
	b = append(b, '0', 'x')
	return append(b, t[i:]...)
}

// unknownName returns "<noun> 0x%02x" (0x%04x with digits 4): the text of
// an enum value the specification does not define. It allocates once.
func unknownName(noun string, v uint64, digits int) string {
	var b [48]byte
	return string(appendUnknown(b[:0], noun, v, digits))
}

func appendUnknown(b []byte, noun string, v uint64, digits int) []byte {
	b = append(b, noun...)
	b = append(b, ' ')
	return appendHex(b, v, digits)
}

// Anomaly is a set of oddities seen while decoding. Anomalies are not
// errors: decoding goes on. The flags of one link frame, fragment, object
// walk or connection event are or'ed together.
type Anomaly uint32

// Anomaly flags.
const (
	// AnomalyLinkFunction: a reserved link-layer function code.
	AnomalyLinkFunction Anomaly = 1 << iota
	// AnomalySegmentSequence: a transport segment whose sequence number
	// does not follow the previous one of its link; the fragment in
	// progress is dropped.
	AnomalySegmentSequence
	// AnomalyMissingFIR: a transport segment without FIR while no
	// fragment is in progress on its link; it is dropped.
	AnomalyMissingFIR
	// AnomalyFragmentOverflow: a fragment grew past MaxFragmentLen; it is
	// dropped.
	AnomalyFragmentOverflow
	// AnomalyFragmentRestart: a FIR segment arrived while a fragment was
	// in progress on its link; the old fragment is dropped.
	AnomalyFragmentRestart
	// AnomalyDuplicateSegment: a transport segment repeated the previous
	// sequence number of its link; it is ignored.
	AnomalyDuplicateSegment
	// AnomalyAppFunction: an application function code outside the
	// defined ones.
	AnomalyAppFunction
	// AnomalyIINReserved: reserved IIN bits set.
	AnomalyIINReserved
	// AnomalyUnknownObject: an object group/variation of unknown size
	// stopped the walk of the fragment.
	AnomalyUnknownObject
	// AnomalyQualifier: a reserved qualifier, prefix or range code.
	AnomalyQualifier
	// AnomalyRange: a range whose stop is below its start.
	AnomalyRange
	// AnomalyCountOnEmpty: objects that carry no data (class data, default
	// variations) announced with a non-zero count.
	AnomalyCountOnEmpty
	// AnomalyAttribute: a device attribute (group 0) of unknown data type.
	AnomalyAttribute
	// AnomalyUnmatchedResponse: a response that no pending request of its
	// master and outstation answers (by application sequence number).
	AnomalyUnmatchedResponse
	// AnomalyMismatchedResponse: a request with the response's sequence
	// number is pending, but the response's function does not answer the
	// request's (a response to a request that takes none, or a plain
	// response to an authentication request): the response is not
	// decoded in the request's context.
	AnomalyMismatchedResponse
	// AnomalyPendingOverflow: the pending table was full; the oldest
	// request was dropped and counted unanswered.
	AnomalyPendingOverflow
	// AnomalyDuplicateRequest: a new request reuses the sequence number of
	// a pending one of the same master and outstation; the old one is
	// counted unanswered.
	AnomalyDuplicateRequest
	// AnomalyAppSequence: a request or unsolicited response whose
	// application sequence number neither repeats nor follows the previous
	// one of its master or outstation.
	AnomalyAppSequence
	// AnomalyUnmatchedConfirm: a confirm whose sequence number answers no
	// response or unsolicited response that asked for confirmation.
	AnomalyUnmatchedConfirm
	// AnomalyOperateWithoutSelect: an operate that does not follow a
	// select of the same master and outstation with the sequence number
	// before its own.
	AnomalyOperateWithoutSelect
	// AnomalyOperateMismatch: an operate whose objects (CROBs, analog
	// output blocks, with their values) differ from those of its select.
	AnomalyOperateMismatch
	numAnomalies = iota
)

var anomalyText = [numAnomalies]string{
	"link_function",
	"segment_sequence",
	"missing_fir",
	"fragment_overflow",
	"fragment_restart",
	"duplicate_segment",
	"app_function",
	"iin_reserved",
	"unknown_object",
	"qualifier",
	"range",
	"count_on_empty",
	"attribute",
	"unmatched_response",
	"mismatched_response",
	"pending_overflow",
	"duplicate_request",
	"app_sequence",
	"unmatched_confirm",
	"operate_without_select",
	"operate_mismatch",
}

// Has reports whether every flag of x is set in a.
func (a Anomaly) Has(x Anomaly) bool { return a&x == x }

// All yields each flag set in a, lowest first. It does not allocate.
func (a Anomaly) All(yield func(Anomaly) bool) {
	for a != 0 {
		f := a & -a
		if !yield(f) {
			return
		}
		a &^= f
	}
}

// String returns the names of the flags set in a, lowest first, joined by
// "|" ("missing_fir|range"), or "" for none. An unknown bit prints as
// "bit31". It does not allocate for a single known flag or none.
func (a Anomaly) String() string {
	if a == 0 {
		return ""
	}
	if a&(a-1) == 0 && a < 1<<numAnomalies {
		return anomalyText[bitIndex(uint32(a))]
	}
	b, _ := a.AppendText(make([]byte, 0, 64))
	return string(b)
}

// AppendText appends the text of String to b. It never allocates when b
// has room.
func (a Anomaly) AppendText(b []byte) ([]byte, error) {
	return appendFlags(b, uint32(a), anomalyText[:]), nil
}

// appendFlags appends the names of the bits set in v, lowest first,
// joined by "|"; bits without a name print as "bitN".
func appendFlags(b []byte, v uint32, names []string) []byte {
	first := true
	for v != 0 {
		i := bitIndex(v & -v)
		v &= v - 1
		if !first {
			b = append(b, '|')
		}
		first = false
		if int(i) < len(names) && names[i] != "" {
			b = append(b, names[i]...)
		} else {
			b = append(b, "bit"...)
			b = appendUint(b, uint64(i))
		}
	}
	return b
}

// bitIndex returns the index of the lowest set bit of v (v != 0).
func bitIndex(v uint32) uint8 { return uint8(bits.TrailingZeros32(v)) }
