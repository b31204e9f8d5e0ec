package enip

// HeaderLen is the size of the encapsulation header.
const HeaderLen = 24

// MaxDataLen is the largest encapsulated data length the specification
// allows (65535 minus the header).
const MaxDataLen = 65511

// Split is a [bufio.SplitFunc] that cuts encapsulation PDUs out of an
// EtherNet/IP TCP byte stream. It returns every complete PDU in data one per
// call, asks for more data when a PDU is cut, and after garbage skips forward
// (advance > 0, nil token) to the next plausible header, never skipping more
// than what is buffered. At EOF a plausible but cut PDU is returned as is so
// that [Parse] reports it as truncated. Split never returns an error and
// does not allocate.
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
	for i := 1; i < len(data); i++ {
		if plausible(data[i:]) {
			return i, nil, nil
		}
	}
	return len(data), nil, nil
}

// plausible reports whether b (possibly shorter than a header) starts like an
// encapsulation header: a named command and, where present, zero options.
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
