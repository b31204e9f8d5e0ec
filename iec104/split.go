package iec104

// StartByte opens every APDU.
const StartByte = 0x68

// MaxSkip is the most bytes one [Split] call skips while it looks for a
// start byte.
const MaxSkip = 512

// Split is a bufio.SplitFunc that cuts IEC 60870-5-104 APDUs out of a TCP
// byte stream. Each token is one APDU as framed by its start byte 0x68 and
// length octet: 2 + length octets. A token whose length octet is below 4 is
// passed on too (Parse reports ErrLength), as Wireshark frames it.
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
// Split does not allocate; the token aliases data.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
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
	if len(data) < n {
		if atEOF {
			return len(data), data, nil
		}
		return 0, nil, nil
	}
	return n, data[:n:n], nil
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
