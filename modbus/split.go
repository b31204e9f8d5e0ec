package modbus

// MBAP header layout: transaction id (2), protocol id (2), length (2), unit id (1).
const (
	// HeaderLen is the length of the MBAP header that precedes the function
	// code: transaction id, protocol id, length and unit id.
	HeaderLen = 7
	// MaxADULen is the largest ADU the specification allows over TCP: the
	// 7-byte MBAP header plus a PDU of at most 253 bytes.
	MaxADULen = HeaderLen + MaxPDULen
	// MaxPDULen is the largest PDU (function code plus data) the
	// specification allows.
	MaxPDULen = 253
	// MaxLengthField is the largest MBAP length field Split accepts. The
	// specification's largest is 254 (unit id and a 253-byte PDU); Split
	// allows 256 because vendor extensions exceed it (Schneider UMAS sends
	// 254-byte PDUs, length 255), and Parse flags AnomalyOversize for them.
	MaxLengthField = 256
	// MaxSkip bounds how many bytes one call to Split skips while it looks for
	// the next plausible MBAP header.
	MaxSkip = 1024
)

// plausibleHeader reports whether b (at least 6 bytes) starts with an MBAP
// header Split would accept: protocol id 0 and a length field between 2 (unit
// id and function code) and MaxLengthField.
func plausibleHeader(b []byte) bool {
	_ = b[5]
	if b[2] != 0 || b[3] != 0 {
		return false
	}
	n := int(b[4])<<8 | int(b[5])
	return n >= 2 && n <= MaxLengthField
}

// Split is a [bufio.SplitFunc] that cuts Modbus/TCP ADUs (MBAP header and
// PDU) out of one direction of a TCP byte stream.
//
// Each call returns at most one ADU as token, viewing data. When data starts
// with a partial ADU, Split asks for more (advance 0, nil token). When data
// does not start with a plausible MBAP header (protocol id 0, as Wireshark's
// Modbus/TCP dissector requires, and a length field from 2 to
// [MaxLengthField]), Split skips forward to the next offset that does, at
// most [MaxSkip] bytes per call, and returns that advance with a nil token
// so the caller can count the skipped bytes.
//
// At EOF, a partial ADU that starts with a plausible header (all six bytes
// of it) is returned as the last token, so that no bytes vanish without a
// count: [Parse] reports [ErrTruncated] for it. Anything else left, fewer
// than six bytes included, is skipped. Split never returns an error and
// does not allocate.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if len(data) == 0 {
		return 0, nil, nil
	}
	if len(data) < 6 {
		if atEOF {
			return len(data), nil, nil
		}
		return 0, nil, nil
	}
	if plausibleHeader(data) {
		n := 6 + (int(data[4])<<8 | int(data[5]))
		if n <= len(data) {
			return n, data[:n:n], nil
		}
		if atEOF {
			return len(data), data, nil
		}
		return 0, nil, nil
	}
	// Garbage: find the next offset that looks like an MBAP header.
	limit := len(data) - 5 // offsets i with i+6 <= len(data)
	if limit > MaxSkip {
		limit = MaxSkip
	}
	for i := 1; i < limit; i++ {
		if plausibleHeader(data[i:]) {
			return i, nil, nil
		}
	}
	if limit == MaxSkip {
		return MaxSkip, nil, nil
	}
	// Nothing plausible in the bytes we have: keep the last 5 bytes, which
	// could start a header completed by the next segment. At EOF they are
	// looked at on the next call.
	return limit, nil, nil
}
