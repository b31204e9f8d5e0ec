package iec104

import "github.com/icsdissect/icsdissect/internal/wire"

// Port is the well-known TCP port of IEC 60870-5-104.
const Port = 2404

// Frame sizes.
const (
	// HeaderLen is the APCI: start byte, length octet and four control
	// octets.
	HeaderLen = 6
	// MaxAPDULength is the largest APDU length octet the standard allows.
	MaxAPDULength = 253
	// MaxFrameLen is the largest APDU with its start and length octets.
	MaxFrameLen = 2 + MaxAPDULength
)

// Frame is one decoded APDU: the APCI (start, length, control field) and,
// for I-frames, the ASDU header. It is a small value; Raw and the ASDU's
// views alias the bytes given to Parse and are valid as long as those are.
type Frame struct {
	// Raw is the whole APDU, start byte included.
	Raw []byte
	// Length is the APDU length octet: the octets after it.
	Length uint8
	// Format is I, S or U.
	Format Format
	// Control holds the four control field octets as a little-endian
	// integer (octet 1 in the low byte).
	Control uint32
	// SendSeq is N(S) of an I-frame (0..32767).
	SendSeq uint16
	// RecvSeq is N(R) of an I- or S-frame (0..32767).
	RecvSeq uint16
	// UFunc is the function bits of a U-frame.
	UFunc UFunction
	// ASDU is the decoded ASDU header of an I-frame; its zero value for S-
	// and U-frames.
	ASDU ASDU
	// Anomalies of the APCI and the ASDU.
	Anomalies Anomaly
}

// Parse decodes the APDU at the front of b with the IEC 104 field sizes
// (cause of transmission 2 octets, common address 2, object address 3).
// It returns the frame, the number of bytes the APDU takes (2 + length
// octet, so a caller walking a buffer can step over an APDU whose ASDU is
// malformed) and an error.
//
// The error is ErrTruncated if b is shorter than the length octet says (n is
// then 0; Length is set when the length octet was present), ErrStart if b
// does not begin with 0x68 (n 0), ErrLength if the length octet is below 4,
// ErrShortASDU when the ASDU header is cut inside a whole APDU, and
// ErrCount if the ASDU's object count does not fit its bytes. On
// ErrShortASDU and on ErrCount the APCI fields and
// whatever ASDU header fields were present are still set.
//
// Parse does not allocate.
func Parse(b []byte) (f Frame, n int, err error) {
	// Small enough to be inlined: the frame is decoded in place in the
	// caller's variable instead of being copied out of a result.
	n, err = Config{COTSize: 2, CASize: 2, IOASize: 3}.parse(&f, b)
	return f, n, err
}

// Decode decodes b into f in place, with the same result as [Parse]; every
// field of f is overwritten. It does not allocate.
func (f *Frame) Decode(b []byte) (n int, err error) {
	*f = Frame{}
	return Config{COTSize: 2, CASize: 2, IOASize: 3}.parse(f, b)
}

// Parse is [Parse] with c's field sizes.
func (c Config) Parse(b []byte) (f Frame, n int, err error) {
	n, err = c.Decode(&f, b)
	return f, n, err
}

// Decode is [Frame.Decode] with c's field sizes.
func (c Config) Decode(f *Frame, b []byte) (n int, err error) {
	*f = Frame{}
	c, err = c.norm()
	if err != nil {
		return 0, err
	}
	return c.parse(f, b)
}

// parse decodes b into the zero Frame *f with a normalised config.
func (c Config) parse(f *Frame, b []byte) (n int, err error) {
	if len(b) < 2 {
		if len(b) == 1 && b[0] != StartByte {
			return 0, ErrStart
		}
		return 0, ErrTruncated
	}
	if b[0] != StartByte {
		return 0, ErrStart
	}
	f.Length = b[1]
	n = 2 + int(f.Length)
	if len(b) < n {
		return 0, ErrTruncated
	}
	f.Raw = b[:n:n]
	if f.Length < 4 {
		return n, ErrLength
	}
	if f.Length > MaxAPDULength {
		f.Anomalies |= AnomalyLengthOver253
	}
	ctl := wire.LE32(b[2:6])
	f.Control = ctl
	c1 := b[2]
	switch {
	case c1&1 == 0:
		f.Format = FormatI
		f.SendSeq = uint16(ctl>>1) & 0x7fff
		f.RecvSeq = uint16(ctl>>17) & 0x7fff
		if ctl&0x10000 != 0 {
			f.Anomalies |= AnomalyReservedBits
		}
		err = c.parseASDU(&f.ASDU, b[6:n:n])
		if err == ErrTruncated {
			// The APDU is whole: its ASDU is malformed, not incomplete.
			err = ErrShortASDU
		}
		f.Anomalies |= f.ASDU.Anomalies
		return n, err
	case c1&3 == 1:
		f.Format = FormatS
		f.RecvSeq = uint16(ctl>>17) & 0x7fff
		if ctl&0x1fffc != 0 {
			f.Anomalies |= AnomalyReservedBits
		}
	default:
		f.Format = FormatU
		f.UFunc = UFunction(c1 >> 2)
		if u := f.UFunc; u == 0 || u&(u-1) != 0 {
			f.Anomalies |= AnomalyBadUFunction
		}
		if ctl&0xffffff00 != 0 {
			f.Anomalies |= AnomalyReservedBits
		}
	}
	if f.Length != 4 {
		f.Anomalies |= AnomalyControlLength
	}
	return n, nil
}

// HasASDU reports whether f is an I-frame, whose ASDU field is meaningful.
func (f *Frame) HasASDU() bool { return f.Format == FormatI && len(f.Raw) > 6 }

// AppendBinary appends the APDU's bytes to b, so that a frame can be kept
// past the lifetime of the buffer it was parsed from: Parse the appended
// bytes again to get an equal Frame that views them. It allocates only if b
// must grow.
func (f *Frame) AppendBinary(b []byte) ([]byte, error) {
	return append(b, f.Raw...), nil
}
