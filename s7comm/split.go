package s7comm

// TPKT framing constants (RFC 1006 section 6).
const (
	tpktVersion = 3
	tpktHeader  = 4
	// minTPKT is the smallest TPKT that can carry a COTP header: the four
	// TPKT bytes, the COTP length indicator and its TPDU code.
	minTPKT = 7
)

// maxResync bounds how many bytes Split looks through for the next TPKT
// header when the stream does not start with one.
const maxResync = 4096

// Split is a bufio.SplitFunc that cuts TPKT packets (RFC 1006) out of a TCP
// byte stream. Each token is one whole TPKT packet, header included, ready
// for [Parse].
//
// Several packets in one call are returned one at a time; a packet that is
// not complete asks for more data. Bytes that do not start a plausible TPKT
// header (version 3, reserved 0, length at least 7) are skipped up to the
// next candidate header, at most maxResync bytes per call, with advance > 0
// and a nil token; Split never returns an error. At EOF a truncated trailing
// packet is dropped. Split does not allocate.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if len(data) == 0 {
		return 0, nil, nil
	}
	if plausibleTPKT(data) {
		if len(data) < tpktHeader {
			if atEOF {
				return len(data), nil, nil
			}
			return 0, nil, nil
		}
		n := int(data[2])<<8 | int(data[3])
		if n <= len(data) {
			return n, data[:n:n], nil
		}
		if atEOF {
			return len(data), nil, nil
		}
		return 0, nil, nil
	}
	// Garbage: skip to the next byte that could start a header.
	limit := len(data)
	if limit > maxResync {
		limit = maxResync
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
