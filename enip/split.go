package enip

const (
	// Port is the TCP and UDP port of explicit messaging and of the
	// encapsulation's list commands.
	Port = 44818
	// IOPort is the UDP port of implicit (class 0 and 1) I/O.
	IOPort = 2222
	// HeaderLen is the size of the encapsulation header.
	HeaderLen = 24
	// MaxFrameLen is the largest encapsulation PDU the specification allows
	// (a data length of at most 65511 bytes). Split does not enforce it: the
	// 16-bit length field can announce 24 bytes more.
	MaxFrameLen = 65535
	// MaxSkip is the most bytes one Split call skips while it looks for a
	// plausible header.
	MaxSkip = 1024
)

// Split is a [bufio.SplitFunc] that cuts encapsulation PDUs out of an
// EtherNet/IP TCP byte stream. It returns every complete PDU in data one per
// call as a token viewing data, asks for more data (advance 0, nil token)
// when a PDU is cut, and after bytes that cannot start a header (an
// undefined command, non-zero options) skips to the next plausible header,
// at most [MaxSkip] bytes per call, as an advance with a nil token so that
// callers can count them. At EOF, a partial PDU that starts with a
// plausible header is returned as the last token (its [Parse] reports
// [ErrTruncated]); anything else left is skipped. Split never returns an
// error and does not allocate.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if len(data) == 0 {
		return 0, nil, nil
	}
	if plausible(data) {
		if len(data) < HeaderLen {
			if atEOF {
				return len(data), data, nil
			}
			return 0, nil, nil
		}
		n := HeaderLen + int(uint16(data[2])|uint16(data[3])<<8)
		if len(data) < n {
			if atEOF {
				return len(data), data, nil
			}
			return 0, nil, nil
		}
		return n, data[:n:n], nil
	}
	// Garbage: find the next offset where a header could start.
	limit := min(len(data), MaxSkip)
	for i := 1; i < limit; i++ {
		if plausible(data[i:]) {
			return i, nil, nil
		}
	}
	return limit, nil, nil
}

// plausible reports whether b (possibly shorter than a header) starts like an
// encapsulation header: a defined command and, where present, zero options.
func plausible(b []byte) bool {
	if len(b) < 2 {
		return len(b) == 0 || b[0] <= byte(CmdStartDTLS)
	}
	if !Command(uint16(b[0]) | uint16(b[1])<<8).Known() {
		return false
	}
	if len(b) >= HeaderLen {
		if b[20]|b[21]|b[22]|b[23] != 0 {
			return false
		}
	}
	return true
}
