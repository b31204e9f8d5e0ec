package enip

// Error is the type of the package's sentinel errors.
type Error uint8

// Sentinel errors.
const (
	// ErrTruncated: the input ends before a structure it announces.
	ErrTruncated Error = iota + 1
	// ErrLength: a length field disagrees with the bytes around it.
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
