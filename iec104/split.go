package iec104

import "github.com/icsdissect/icsdissect/internal/wire"

// StartByte opens every APDU.
const StartByte = 0x68

// MaxSkip is the most bytes one [Split] or [Resync] call skips while it
// looks for an APDU.
const MaxSkip = 512

// Split is a bufio.SplitFunc that cuts IEC 60870-5-104 APDUs out of a TCP
// byte stream, with the IEC 104 field sizes ([Config.Split] takes others).
// Each token is one APDU as framed by its start byte 0x68 and length octet:
// 2 + length octets. A token whose length octet is below 4 is passed on too
// (Parse reports ErrLength), as Wireshark frames it.
//
// Several APDUs in data give one token per call. An APDU that is not whole
// yet makes Split ask for more data (advance 0, nil token). Bytes before a
// start byte are skipped, at most MaxSkip per call, by returning advance > 0
// with a nil token, so the stream resynchronises after garbage and the
// caller can count what was skipped. At EOF a partial APDU (a start byte
// and fewer octets than its length octet says) is returned as the last
// token, on which Parse reports ErrTruncated, so that no bytes vanish
// without a count. Split never returns an error.
//
// Split commits to a length octet only as far as the bytes behind it agree
// with it. An APDU whose head passes the checks of [Resync] (a U- or
// S-frame of length 4 with a valid control field; an I-frame whose ASDU has
// a known type id and cause and whose number of objects and SQ bit give
// exactly the claimed length) is cut at once. Any other head of length
// octet 4 or more (an unknown type id or cause, a count that disagrees with
// the length, an I-frame too short for an ASDU header, a U- or S-frame of
// another length than 4, reserved bits set, a length octet above 253) is an oddity that Wireshark still
// frames: Split passes it on as one APDU only if no APDU that Resync would
// accept starts inside the octets it claims, and otherwise skips it up to
// that APDU, so that a bogus length octet never swallows the valid APDUs
// behind it; when APDUs framed by their own length octets lead from a start
// byte inside the claim up to the APDU found (or, at EOF, to the end of
// data), Split skips only up to them, so that they are passed on too. The
// check reads only bytes already buffered: it rejects a bogus claim as soon
// as the APDU it hides is there, and waits for more data only while an
// oddity is undecided, never past the end of an APDU that starts inside it.
//
// Split does not allocate; the token aliases data.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	// The fast path: a whole APDU whose head passes every check of
	// Resync (but the byte after it) with the IEC 104 field sizes.
	if len(data) >= 6 && data[0] == StartByte {
		n := 2 + int(data[1])
		if n <= len(data) {
			b := data[:n:n]
			if ctl := wire.LE32(data[2:6]); ctl&0x10001 == 0 {
				// An I-frame with its reserved bit clear, and an
				// ASDU header: type id, SQ and count, cause.
				if n >= 12 && n <= MaxFrameLen {
					h := wire.LE32(b[6:10])
					s := int(strides[byte(h)])
					cnt := int(h>>8) & 0x7f
					need := cnt * s
					if h&0x8000 != 0 {
						need = 3 + cnt*(s-3)
					}
					if need == n-12 && cnt != 0 && knownCauses>>(h>>16&0x3f)&1 != 0 {
						return n, b, nil
					}
				}
			} else if n == 6 {
				u := byte(ctl) >> 2
				if ctl&0x1ffff == 0x01 || // S-frame
					ctl&0xffffff03 == 3 && u&(u-1) == 0 && u != 0 { // U-frame: one function bit
					return n, b, nil
				}
			}
		}
	}
	return Config{COTSize: 2, CASize: 2, IOASize: 3}.split(data, atEOF)
}

// strides holds, per type id, the octets of one object with a 3-octet
// address (3 + the element size): Split's fast path reads it. Unknown types
// and F_SG_NA_1, whose element size varies, have 255, with which no count
// from 1 fits the 243 octets an ASDU has at most.
var strides = makeStrides()

func makeStrides() (s [256]uint8) {
	for t := range s {
		s[t] = 255
		if l := layouts[t]; l.known && TypeID(t) != F_SG_NA_1 {
			s[t] = 3 + l.size
		}
	}
	return s
}

// Resync is [Split] for the bytes after a gap in the stream or at a capture
// that starts in the middle of a connection, with the IEC 104 field sizes
// ([Config.Resync] takes others). It accepts an APDU only when its head
// passes every check the bytes allow: start byte 0x68, a length octet from
// 4 to 253, a control field valid for its format (a U-frame with exactly
// one function bit and the other octets zero, an S-frame with its reserved
// bits zero, both of length 4; an I-frame with its reserved bit zero), and
// for an I-frame an ASDU whose type id and cause of transmission are known
// and whose number of objects and SQ bit, with the type's element size,
// give exactly the claimed length; and when the byte after the APDU is
// buffered, it must be a start byte. Bytes before such an APDU are skipped,
// at most MaxSkip per call (advance > 0, nil token). Use Split once Resync
// has delivered an APDU.
//
// At EOF, a partial APDU whose octets present pass these checks is returned
// as the last token (Parse reports ErrTruncated); anything else left is
// skipped. Resync never returns an error and does not allocate.
func Resync(data []byte, atEOF bool) (advance int, token []byte, err error) {
	return Config{COTSize: 2, CASize: 2, IOASize: 3}.resync(data, atEOF)
}

// Split is [Split] with c's field sizes, for IEC 104 variants that use
// other ones. Its error is ErrConfig when a size is out of range (advance
// 0), else nil.
func (c Config) Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	c, err = c.norm()
	if err != nil {
		return 0, nil, err
	}
	return c.split(data, atEOF)
}

// Resync is [Resync] with c's field sizes. Its error is ErrConfig when a
// size is out of range (advance 0), else nil.
func (c Config) Resync(data []byte, atEOF bool) (advance int, token []byte, err error) {
	c, err = c.norm()
	if err != nil {
		return 0, nil, err
	}
	return c.resync(data, atEOF)
}

// maxClaim is the most bytes a length octet claims: 2 + 255.
const maxClaim = 2 + 255

// Verdicts on an APDU head.
const (
	headBad  = iota // the bytes contradict an APDU here
	headGood        // a plausible APDU head
	headMore        // more bytes are needed to tell
)

// head judges the APDU head at the front of b (b[0] is the start byte) with
// the normalised config c: every check of Resync on the octets present, but
// the byte after the APDU. It reads no further than the claimed length.
func (c Config) head(b []byte) int {
	if len(b) < 2 {
		return headMore
	}
	l := int(b[1])
	if l < 4 || l > MaxAPDULength {
		return headBad
	}
	b = b[:min(len(b), 2+l)]
	if len(b) < 3 {
		return headMore
	}
	switch c1 := b[2]; {
	case c1&1 == 0: // I-frame
		return c.iHead(b, l)
	case c1 == 0x01: // S-frame: N(R) only
		if l != 4 {
			return headBad
		}
		if len(b) > 3 && b[3] != 0 || len(b) > 4 && b[4]&1 != 0 {
			return headBad
		}
	case c1 == 0x07 || c1 == 0x0b || c1 == 0x13 || c1 == 0x23 || c1 == 0x43 || c1 == 0x83:
		// U-frame with one function bit.
		if l != 4 {
			return headBad
		}
		for _, x := range b[3:] {
			if x != 0 {
				return headBad
			}
		}
	default:
		return headBad
	}
	if len(b) < 6 {
		return headMore
	}
	return headGood
}

// iHead judges an I-frame head b of claimed length octet l, cut to at most
// its claimed bytes.
func (c Config) iHead(b []byte, l int) int {
	hdr := c.headerLen()
	blen := l - 4 - hdr // the objects' octets
	if blen < 0 || len(b) > 4 && b[4]&1 != 0 {
		return headBad
	}
	if len(b) > 6 && !TypeID(b[6]).Known() ||
		len(b) > 7 && b[7]&0x7f == 0 ||
		len(b) > 8 && !Cause(b[8]&0x3f).Known() {
		return headBad
	}
	if len(b) < 6+hdr {
		return headMore
	}
	t := TypeID(b[6])
	cnt := int(b[7] & 0x7f)
	sq := b[7]&0x80 != 0
	ioa := int(c.IOASize)
	if t == F_SG_NA_1 {
		return segmentsFit(b[6+hdr:], blen, cnt, ioa, sq)
	}
	size := int(t.layout().size)
	need := cnt * (ioa + size)
	if sq {
		need = ioa + cnt*size
	}
	if need != blen {
		return headBad
	}
	return headGood
}

// segmentsFit judges the cnt F_SG_NA_1 elements of body (the objects'
// octets present of the blen claimed) against blen: each is NOF, NOS, LOS
// and LOS octets, after an address when SQ is 0 or for the first.
func segmentsFit(body []byte, blen, cnt, ioa int, sq bool) int {
	off := 0
	for i := 0; i < cnt; i++ {
		if i == 0 || !sq {
			off += ioa
		}
		if off+4 > blen {
			return headBad
		}
		if off+4 > len(body) {
			return headMore
		}
		off += 4 + int(body[off+3])
	}
	if off != blen {
		return headBad
	}
	return headGood
}

// found judges the APDU at the front of b for Resync: its head, and the
// byte after it, which must be a start byte. Before EOF, an APDU whose head
// passes is undecided (headMore) until that byte is buffered, so that the
// verdict does not depend on how the stream was cut into segments; at EOF,
// an APDU that ends at or past the end of b passes on its head alone.
func (c Config) found(b []byte, atEOF bool) int {
	v := c.head(b)
	if v != headGood {
		return v
	}
	switch n := 2 + int(b[1]); {
	case n < len(b):
		if b[n] != StartByte {
			return headBad
		}
	case !atEOF:
		return headMore
	}
	return headGood
}

// split is Split's general path for the normalised config c.
func (c Config) split(data []byte, atEOF bool) (int, []byte, error) {
	if len(data) == 0 {
		return 0, nil, nil
	}
	if data[0] != StartByte {
		return skip(data), nil, nil
	}
	if len(data) < 2 {
		if atEOF {
			return len(data), data, nil
		}
		return 0, nil, nil
	}
	n := 2 + int(data[1])
	if data[1] >= 4 && c.head(data) == headBad {
		switch adv := c.odd(data, n, atEOF); {
		case adv > 0:
			return adv, nil, nil
		case adv < 0:
			return 0, nil, nil
		}
	}
	if len(data) < n {
		if atEOF {
			return len(data), data, nil
		}
		return 0, nil, nil
	}
	return n, data[:n:n], nil
}

// odd looks inside the octets claimed by the odd APDU head at the front of
// data (n bytes with the start and length octets) for an APDU that Resync
// accepts. When it finds one, it returns the bytes to skip: up to the first
// start byte from which length octets frame whole APDUs ending exactly at
// the one found (oddities too, as Split passes them on), else up to the one
// found. At EOF, when the odd head's claim runs past the end of data and no
// such APDU is inside, the same holds for APDUs that end exactly at the end
// of data. It returns 0 when the odd APDU may be passed on (once whole), and
// -1 when a start byte inside it heads an APDU that the bytes buffered
// cannot judge yet and more may come.
func (c Config) odd(data []byte, n int, atEOF bool) int {
	end := min(n, len(data))
	for i := 1; i < end; i++ {
		if data[i] != StartByte {
			continue
		}
		switch c.found(data[i:], atEOF) {
		case headGood:
			return chainTo(data, i)
		case headMore:
			if !atEOF {
				return -1
			}
		}
	}
	if atEOF && len(data) < n {
		if i := chainTo(data, len(data)); i < len(data) {
			return i
		}
	}
	return 0
}

// chainTo returns the first offset i in [1, j) from which start bytes and
// length octets cut data[i:j] into whole APDUs, or j when there is none;
// j is below maxClaim.
func chainTo(data []byte, j int) int {
	var reach [maxClaim]bool
	reach[j] = true
	first := j
	for p := j - 2; p >= 1; p-- {
		if data[p] != StartByte {
			continue
		}
		if q := p + 2 + int(data[p+1]); q <= j && reach[q] {
			reach[p] = true
			first = p
		}
	}
	return first
}

// resync is Resync for the normalised config c.
func (c Config) resync(data []byte, atEOF bool) (int, []byte, error) {
	i := 0
	for ; i < len(data) && i < MaxSkip; i++ {
		if data[i] != StartByte {
			continue
		}
		switch c.found(data[i:], atEOF) {
		case headBad:
			continue
		case headMore:
			if i > 0 {
				return i, nil, nil
			}
			if !atEOF {
				return 0, nil, nil
			}
			return len(data), data, nil
		}
		if i > 0 {
			return i, nil, nil
		}
		n := 2 + int(data[1])
		if len(data) < n {
			if atEOF {
				return len(data), data, nil
			}
			return 0, nil, nil
		}
		return n, data[:n:n], nil
	}
	return i, nil, nil
}

// skip returns how many bytes before the next start byte to skip, at most
// MaxSkip.
func skip(data []byte) int {
	i := 1
	for i < len(data) && i < MaxSkip && data[i] != StartByte {
		i++
	}
	return i
}
