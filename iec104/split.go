package iec104

// StartByte opens every APDU.
const StartByte = 0x68

// Split is a bufio.SplitFunc that cuts IEC 60870-5-104 APDUs out of a TCP
// byte stream. Each token is one whole APDU: the start byte 0x68, the length
// byte and the length's worth of APCI control field and ASDU.
//
// Several APDUs in data give one token per call. An APDU that is not whole
// yet makes Split ask for more data (advance 0, nil token). Bytes that cannot
// start an APDU (anything but 0x68, or 0x68 followed by a length below 4) are
// skipped up to the next 0x68 by returning advance > 0 with a nil token, so the
// stream resynchronises after garbage; Split never returns an error. At EOF a
// truncated trailing APDU is skipped whole.
//
// Split does not allocate; the token aliases data.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if len(data) == 0 {
		return 0, nil, nil
	}
	if data[0] != StartByte || (len(data) >= 2 && data[1] < 4) {
		// Resync: skip to the next candidate start byte.
		i := 1
		for i < len(data) && data[i] != StartByte {
			i++
		}
		return i, nil, nil
	}
	if len(data) < 2 {
		if atEOF {
			return len(data), nil, nil
		}
		return 0, nil, nil
	}
	n := 2 + int(data[1])
	if len(data) < n {
		if atEOF {
			return len(data), nil, nil
		}
		return 0, nil, nil
	}
	return n, data[:n:n], nil
}
