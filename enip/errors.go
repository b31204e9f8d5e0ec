package enip

import "strconv"

// Error is the type of the package's sentinel errors. Its Error method does
// not allocate.
type Error uint8

// Sentinel errors.
const (
	// ErrTruncated: the input ends before a structure it announces; more
	// bytes are needed. Parse returns it with n == 0.
	ErrTruncated Error = iota + 1
	// ErrLength: a length or offset field disagrees with the bytes around
	// it (a Multiple Service Packet offset out of order or out of range).
	ErrLength
	// ErrSegment: an EPATH segment is malformed.
	ErrSegment
	// ErrService: the data does not fit the service it is decoded as.
	ErrService
	// ErrCount: a count field exceeds what the bytes can hold.
	ErrCount
)

var errText = [...]string{
	"enip: unknown error",
	"enip: truncated",
	"enip: bad length",
	"enip: malformed path segment",
	"enip: data does not fit service",
	"enip: count exceeds data",
}

// Error returns the error's text. It does not allocate.
func (e Error) Error() string {
	if int(e) < len(errText) {
		return errText[e]
	}
	return errText[0]
}

// FieldError is the rich error of [Explain]: the sentinel, the field where
// decoding stopped (Wireshark's field name where it has one) and the byte
// offset of that field in the PDU.
type FieldError struct {
	Err    Error
	Field  string
	Offset int
}

// Error returns "enip: truncated: cip.service at offset 40". It allocates.
func (e *FieldError) Error() string {
	return e.Err.Error() + ": " + e.Field + " at offset " + strconv.Itoa(e.Offset)
}

// Unwrap returns the sentinel, so that errors.Is(err, ErrTruncated) works.
func (e *FieldError) Unwrap() error { return e.Err }
