package s7comm

// Port is the ISO-on-TCP port (RFC 1006) that S7comm and S7comm-plus use.
const Port = 102

// TPKT framing constants (RFC 1006 section 6).
const (
	// HeaderLen is the length of the TPKT header.
	HeaderLen = 4
	// MaxFrameLen is the largest TPKT packet: its length field is 16 bits.
	MaxFrameLen = 0xffff
	// MaxSkip bounds how many bytes one Split call skips while it looks for
	// the next TPKT header.
	MaxSkip = 4096

	tpktVersion = 3
	tpktHeader  = HeaderLen
	// minTPKT is the smallest TPKT that can carry a COTP header: the four
	// TPKT bytes, the COTP length indicator and its TPDU code.
	minTPKT = 7
)

// Split is a bufio.SplitFunc that cuts TPKT packets (RFC 1006) out of a TCP
// byte stream. Each token is one whole TPKT packet, header included, ready
// for [Parse] or [Conn.Decode].
//
// Several packets in one call are returned one at a time; a packet that is
// not complete asks for more data. Bytes that do not start a plausible TPKT
// header (version 3, reserved 0, length at least 7) are skipped up to the
// next candidate header, at most [MaxSkip] bytes per call, with advance > 0
// and a nil token. At EOF, a partial packet that starts with a plausible
// header is returned as the last token (Parse reports ErrTruncated), so
// that no bytes vanish without a count. Split never returns an error and
// does not allocate.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if len(data) == 0 {
		return 0, nil, nil
	}
	if plausibleTPKT(data) {
		if len(data) >= tpktHeader {
			if n := int(data[2])<<8 | int(data[3]); n <= len(data) {
				return n, data[:n:n], nil
			}
		}
		if !atEOF {
			return 0, nil, nil
		}
		return len(data), data[:len(data):len(data)], nil
	}
	// Garbage: skip to the next byte that could start a header.
	limit := len(data)
	if limit > MaxSkip {
		limit = MaxSkip
	}
	for i := 1; i < limit; i++ {
		if plausibleTPKT(data[i:]) {
			return i, nil, nil
		}
	}
	return limit, nil, nil
}

// plausibleTPKT reports whether b could start a TPKT header. A prefix shorter
// than the header is plausible when the bytes present match.
func plausibleTPKT(b []byte) bool {
	if b[0] != tpktVersion {
		return false
	}
	if len(b) < 2 {
		return true
	}
	if b[1] != 0 {
		return false
	}
	if len(b) < 4 {
		return true
	}
	n := int(b[2])<<8 | int(b[3])
	return n >= minTPKT
}
