package dnp3

// Control is the link-layer control octet.
type Control uint8

// Dir reports the DIR bit of the control octet, which the standard sets on
// frames sent by a master. It is a wire bit only: a [Conn] takes the
// direction of a frame from its caller (toServer: from the master), not
// from this bit.
func (c Control) Dir() bool { return c&0x80 != 0 }

// PRM reports the PRM bit: set on frames from the primary (initiating)
// station.
func (c Control) PRM() bool { return c&0x40 != 0 }

// FCB reports the frame count bit (primary frames).
func (c Control) FCB() bool { return c&0x20 != 0 }

// FCV reports the frame count valid bit (primary frames).
func (c Control) FCV() bool { return c&0x10 != 0 }

// DFC reports the data flow control bit (secondary frames).
func (c Control) DFC() bool { return c&0x10 != 0 }

// Code returns the 4-bit function code as it is on the wire.
func (c Control) Code() uint8 { return uint8(c) & 0x0F }

// Function returns the link function, which depends on both the function
// code and the PRM bit.
func (c Control) Function() LinkFunction { return LinkFunction(c & 0x4F) }

// LinkFunction is a link-layer function: the 4-bit function code with the
// PRM bit (0x40) kept, so that primary and secondary codes differ. It is an
// open enum: unknown values are kept.
type LinkFunction uint8

// Link functions (IEEE 1815 clause 9.2.4.1.3).
const (
	// Primary to secondary.
	LinkResetLinkStates     LinkFunction = 0x40
	LinkResetUserProcess    LinkFunction = 0x41 // obsolete
	LinkTestLinkStates      LinkFunction = 0x42
	LinkConfirmedUserData   LinkFunction = 0x43
	LinkUnconfirmedUserData LinkFunction = 0x44
	LinkRequestLinkStatus   LinkFunction = 0x49
	// Secondary to primary.
	LinkAck            LinkFunction = 0x00
	LinkNack           LinkFunction = 0x01
	LinkStatus         LinkFunction = 0x0B
	LinkNotFunctioning LinkFunction = 0x0E // obsolete
	LinkNotSupported   LinkFunction = 0x0F
)

// String names the function ("unconfirmed user data"); an unknown one
// prints as "link function 0x45". It does not allocate for known values.
func (f LinkFunction) String() string {
	if s := f.name(); s != "" {
		return s
	}
	return unknownName("link function", uint64(f), 2)
}

// AppendText appends the text of String to b. It never allocates when b
// has room.
func (f LinkFunction) AppendText(b []byte) ([]byte, error) {
	if s := f.name(); s != "" {
		return append(b, s...), nil
	}
	return appendUnknown(b, "link function", uint64(f), 2), nil
}

func (f LinkFunction) name() string {
	switch f {
	case LinkResetLinkStates:
		return "reset link states"
	case LinkResetUserProcess:
		return "reset user process"
	case LinkTestLinkStates:
		return "test link states"
	case LinkConfirmedUserData:
		return "confirmed user data"
	case LinkUnconfirmedUserData:
		return "unconfirmed user data"
	case LinkRequestLinkStatus:
		return "request link status"
	case LinkAck:
		return "ack"
	case LinkNack:
		return "nack"
	case LinkStatus:
		return "link status"
	case LinkNotFunctioning:
		return "link not functioning"
	case LinkNotSupported:
		return "not supported"
	}
	return ""
}

// Known reports whether f is a function code defined by the standard
// (including the obsolete reset user process and link not functioning).
func (f LinkFunction) Known() bool { return f&^0x4F == 0 && knownLinkFuncs>>f.bit()&1 != 0 }

// bit numbers the link functions 0-31: the function code, plus 16 for
// primary frames.
func (f LinkFunction) bit() uint8 { return uint8(f)&0x0F | uint8(f)&0x40>>2 }

// knownLinkFuncs has bit f.bit() set for every link function f defined by
// the standard.
const knownLinkFuncs uint32 = 1<<(LinkResetLinkStates&0x0F+16) | 1<<(LinkResetUserProcess&0x0F+16) |
	1<<(LinkTestLinkStates&0x0F+16) | 1<<(LinkConfirmedUserData&0x0F+16) |
	1<<(LinkUnconfirmedUserData&0x0F+16) | 1<<(LinkRequestLinkStatus&0x0F+16) |
	1<<LinkAck | 1<<LinkNack | 1<<LinkStatus | 1<<LinkNotFunctioning | 1<<LinkNotSupported

// HasUserData reports whether frames with this function carry a
// transport segment: confirmed and unconfirmed user data.
func (f LinkFunction) HasUserData() bool {
	return f == LinkConfirmedUserData || f == LinkUnconfirmedUserData
}

// LinkHeader is the decoded 10-byte link header.
type LinkHeader struct {
	// Length is the length byte: control, addresses and user data, CRCs
	// excluded.
	Length  uint8
	Control Control
	// Dst and Src are the link addresses.
	Dst, Src uint16
	// CRC is the header CRC as sent.
	CRC uint16
}

// UserDataLen returns the number of user data bytes the header announces.
func (h LinkHeader) UserDataLen() int {
	if h.Length < 5 {
		return 0
	}
	return int(h.Length) - 5
}

// WireLen returns the number of bytes the whole frame takes on the wire
// (0 for a length byte below 5).
func (h LinkHeader) WireLen() int { return FrameLen(h.Length) }

// ParseLinkHeader decodes and checks the link header at the start of b:
// start bytes, length byte and header CRC. It does not allocate.
func ParseLinkHeader(b []byte) (LinkHeader, error) {
	var h LinkHeader
	err := h.decode(b)
	return h, err
}

// decode is ParseLinkHeader in place: each field is stored on its own, so
// that reading h back does not wait on a copy of the whole header.
func (h *LinkHeader) decode(b []byte) error {
	if len(b) < HeaderLen {
		*h = LinkHeader{}
		if len(b) >= 1 && b[0] != 0x05 || len(b) >= 2 && b[1] != 0x64 {
			return ErrStart
		}
		return ErrTruncated
	}
	hb := (*[HeaderLen]byte)(b)
	h.Length = hb[2]
	h.Control = Control(hb[3])
	h.Dst = uint16(hb[4]) | uint16(hb[5])<<8
	h.Src = uint16(hb[6]) | uint16(hb[7])<<8
	h.CRC = uint16(hb[8]) | uint16(hb[9])<<8
	if hb[0] != 0x05 || hb[1] != 0x64 {
		*h = LinkHeader{}
		return ErrStart
	}
	if !headerOK(hb) {
		return ErrHeaderCRC
	}
	if h.Length < 5 {
		return ErrLength
	}
	return nil
}

// Frame is one decoded link frame: the header and the user data with the
// block CRCs stripped, held in the Frame's own fixed storage. It is about
// 280 octets; decode in place ([Frame.Decode]) into a Frame kept across
// calls rather than copying one around.
type Frame struct {
	LinkHeader
	// Anomalies seen in the link header.
	Anomalies Anomaly
	// tr is the first user data octet as it is on the wire, checked or
	// not, when trOK.
	tr   TransportHeader
	trOK bool
	// n octets of data hold user data.
	n    uint8
	data [MaxUserData]byte
}

// Parse decodes the link frame at the start of b: it verifies the header
// CRC and the CRC of every 16-byte data block and copies the user data
// without its CRCs into the Frame. n is the frame's wire length; bytes
// after it are not read.
//
// Errors: ErrTruncated (n == 0) when b ends inside the header or inside
// the frame its header announces (the Frame then holds the header and the
// complete blocks present, up to the first bad CRC); ErrStart and
// ErrHeaderCRC (n == 0: the header cannot be trusted); ErrLength (n ==
// HeaderLen: a length byte below 5); ErrCRC (n = the wire length: the
// frame is complete, and UserData holds the blocks before the bad one).
// It does not allocate; [Frame.Decode] spares the copy of the Frame.
func Parse(b []byte) (f Frame, n int, err error) {
	n, err = f.Decode(b)
	return f, n, err
}

// Decode is Parse into a Frame the caller keeps: the fastest way through a
// stream of frames. Every field of f is overwritten. It does not allocate.
func (f *Frame) Decode(b []byte) (n int, err error) {
	f.Anomalies, f.n, f.tr, f.trOK = 0, 0, 0, false
	if err = f.LinkHeader.decode(b); err != nil {
		if err == ErrLength {
			return HeaderLen, err
		}
		return 0, err
	}
	// The length and control octets are read from b, not back from f: a
	// load spanning the fields just stored would stall.
	length, ctl := b[2], b[3]
	if !Control(ctl).Function().Known() {
		f.Anomalies |= AnomalyLinkFunction
	}
	u := int(length) - 5
	n = FrameLen(length)
	p := b[HeaderLen:]
	if u > 0 && len(p) > 0 {
		// Kept as it is on the wire, so that it shows even when its
		// block fails the CRC check.
		f.tr, f.trOK = TransportHeader(p[0]), true
	}
	out := 0
	// Full blocks: fixed-size checks and copies. The CRC of a block is
	// sixteen independent lookups (see crcTables), written out here because
	// the compiler does not inline a call this size.
	t := &crcTables
	for u >= blockLen && len(p) >= blockLen+2 && out+blockLen <= len(f.data) {
		blk := (*[blockLen + 2]byte)(p)
		c := t[15][blk[0]] ^ t[14][blk[1]] ^ t[13][blk[2]] ^ t[12][blk[3]] ^
			t[11][blk[4]] ^ t[10][blk[5]] ^ t[9][blk[6]] ^ t[8][blk[7]] ^
			t[7][blk[8]] ^ t[6][blk[9]] ^ t[5][blk[10]] ^ t[4][blk[11]] ^
			t[3][blk[12]] ^ t[2][blk[13]] ^ t[1][blk[14]] ^ t[0][blk[15]]
		if ^c != uint16(blk[16])|uint16(blk[17])<<8 {
			return f.blockFailed(out, n, len(b))
		}
		*(*[blockLen]byte)(f.data[out:]) = [blockLen]byte(blk[:blockLen])
		out += blockLen
		p = p[blockLen+2:]
		u -= blockLen
	}
	if u > 0 {
		// The short last block, or a full one cut short.
		k := min(u, blockLen)
		if len(p) < k+2 {
			f.n = uint8(out)
			return 0, ErrTruncated
		}
		if !crcOK(p, k) {
			return f.blockFailed(out, n, len(b))
		}
		if len(p) >= blockLen && out+blockLen <= len(f.data) {
			// A fixed-size copy is cheaper than a call to memmove; the
			// octets after the block are not part of the user data.
			*(*[blockLen]byte)(f.data[out:]) = [blockLen]byte(p[:blockLen])
		} else {
			copy(f.data[out:], p[:k])
		}
		out += k
	}
	f.n = uint8(out)
	return n, nil
}

// blockFailed ends Decode on a block whose CRC does not match: ErrCRC for
// a complete frame, ErrTruncated for one cut short.
func (f *Frame) blockFailed(out, n, have int) (int, error) {
	f.n = uint8(out)
	if have < n {
		return 0, ErrTruncated
	}
	return n, ErrCRC
}

// UserData returns the user data with the block CRCs stripped: a transport
// header octet followed by application bytes. It lives in the Frame and is
// valid until the Frame is decoded again.
func (f *Frame) UserData() []byte { return f.data[:f.n:f.n] }

// Transport returns the transport header: the first user data octet. It is
// read from the wire even when its block fails the CRC check (the error
// says so); ok is false when the frame announces no user data or ends
// before it.
func (f *Frame) Transport() (t TransportHeader, ok bool) { return f.tr, f.trOK }

// Segment returns the transport segment's payload: the checked user data
// after the transport header.
func (f *Frame) Segment() []byte {
	if f.n == 0 {
		return nil
	}
	return f.data[1:f.n:f.n]
}

// TransportHeader is the transport-layer octet that starts every segment.
type TransportHeader uint8

// FIN reports the final-segment bit.
func (t TransportHeader) FIN() bool { return t&0x80 != 0 }

// FIR reports the first-segment bit.
func (t TransportHeader) FIR() bool { return t&0x40 != 0 }

// Seq returns the 6-bit sequence number.
func (t TransportHeader) Seq() uint8 { return uint8(t) & 0x3F }
