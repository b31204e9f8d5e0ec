package iec104

// StartByte opens every APDU.
const StartByte = 0x68

// Split is a bufio.SplitFunc that cuts IEC 60870-5-104 APDUs out of a TCP
// byte stream. Each token is one APDU as framed by its start byte 0x68 and
// length octet: 2 + length octets. A token whose length octet is below 4 is
// passed on too (Parse reports ErrLength), as Wireshark frames it.
//
// Several APDUs in data give one token per call. An APDU that is not whole
// yet makes Split ask for more data (advance 0, nil token). Bytes before a
// start byte are skipped by returning advance > 0 with a nil token, so the
// stream resynchronises after garbage; the skip is bounded by len(data) and
// Split never returns an error. At EOF a truncated trailing APDU is skipped.
//
// Split does not allocate; the token aliases data.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if len(data) == 0 {
		return 0, nil, nil
	}
	if data[0] != StartByte {
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
