package dnp3

// Port is the well-known DNP3 port, over TCP and UDP.
const Port = 20000

// Link frame layout constants.
const (
	// HeaderLen is the size of a link header: start bytes, length,
	// control, destination, source and the header CRC.
	HeaderLen = 10
	// MaxFrameLen is the largest link frame on the wire: a length byte of
	// 255 gives 250 user data bytes in 16 blocks, each with its CRC.
	MaxFrameLen = HeaderLen + 250 + 2*16
	// MaxUserData is the largest amount of user data one link frame holds.
	MaxUserData = 250
	// MaxSkip bounds how many bytes that start no frame Split drops in one
	// call before it hands control back.
	MaxSkip = 4096
	// blockLen is the size of a user data block covered by one CRC.
	blockLen = 16
)

// FrameLen returns the number of wire bytes of a link frame whose length
// byte is l: the header plus user data plus one CRC per 16-byte block. It
// returns 0 for a length byte below 5, which no valid frame has.
func FrameLen(l byte) int {
	if l < 5 {
		return 0
	}
	u := int(l) - 5
	return HeaderLen + u + 2*((u+blockLen-1)/blockLen)
}

// Split is a bufio.SplitFunc that cuts DNP3 link frames out of a TCP byte
// stream. It returns one frame per call as a token viewing data, asks for
// more data (advance 0, no token) when a frame is incomplete, and
// resynchronises after garbage or a corrupt header by skipping to the next
// 0x05 0x64 start sequence whose header CRC checks: the skipped bytes, at
// most MaxSkip per call, come back as an advance with a nil token so that
// callers can count them. A frame's header CRC is verified; its data block
// CRCs are left to [Parse], which reports them as ErrCRC.
//
// At EOF, a partial frame that starts with a plausible header (a header
// whose CRC checks, or the start of one: 0x05 0x64 and a length byte of 5
// or more, as far as the bytes go) is returned as the last token, so that
// no bytes vanish without a count; [Parse] reports it as ErrTruncated.
// Anything else left is skipped. Split never returns an error and does not
// allocate.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	i := 0
	for i < len(data) && i < MaxSkip {
		if data[i] != 0x05 {
			i++
			continue
		}
		rest := data[i:]
		if len(rest) < HeaderLen {
			if len(rest) >= 2 && rest[1] != 0x64 || len(rest) >= 3 && rest[2] < 5 {
				i++
				continue
			}
			if i > 0 {
				return i, nil, nil // drop garbage first
			}
			if atEOF {
				// The stream ends inside a header that may be one.
				return len(data), data[:len(data):len(data)], nil
			}
			return 0, nil, nil // maybe a header: need more bytes
		}
		if rest[1] != 0x64 || rest[2] < 5 || !crcOK(rest, 8) {
			i++
			continue
		}
		if i > 0 {
			return i, nil, nil // drop garbage first
		}
		n := FrameLen(rest[2])
		if len(rest) < n {
			if atEOF {
				// The stream ends inside this frame: hand over what is
				// there so that Parse can report it truncated.
				return len(data), data[:len(data):len(data)], nil
			}
			return 0, nil, nil
		}
		return n, data[:n:n], nil
	}
	if i > 0 {
		return i, nil, nil
	}
	return 0, nil, nil
}
