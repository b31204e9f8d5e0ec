package iec104

// Error is the type of the package's sentinel errors. Its values are
// constants, so returning one never allocates and errors.Is works with ==.
type Error string

func (e Error) Error() string { return string(e) }

// Sentinel errors.
const (
	// ErrTruncated: fewer bytes than the APDU length octet or the ASDU
	// header needs.
	ErrTruncated = Error("iec104: truncated")
	// ErrStart: the first byte is not the start byte 0x68.
	ErrStart = Error("iec104: missing start byte 0x68")
	// ErrLength: the APDU length octet is below 4, the minimum control
	// field.
	ErrLength = Error("iec104: APDU length below 4")
	// ErrCount: the ASDU's number of objects does not fit its bytes. The
	// ASDU header is still decoded and the object cursor yields the whole
	// objects that fit.
	ErrCount = Error("iec104: object count does not fit the ASDU")
	// ErrConfig: a Config field size is out of range.
	ErrConfig = Error("iec104: field size out of range")
	// ErrNoASDU: an accessor for the ASDU was used on an S- or U-frame.
	ErrNoASDU = Error("iec104: frame carries no ASDU")
)
