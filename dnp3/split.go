package dnp3

import "bytes"

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
// callers can count them.
//
// A frame's header CRC is verified. Its data block CRCs are left to
// [Parse], which reports a bad one as ErrCRC of that frame only, with the
// rest of the frame framed as its length says: a real frame whose data was
// corrupted on the way is delivered whole, as Wireshark shows it. Split
// checks them itself only to bound what a header commits it to: a header
// with a good CRC and a large length, injected or left by a damaged
// stream, would otherwise swallow the frames behind it. A claim is
// rejected, and the bytes up to the valid header inside it are skipped
// (for a header injected in front of frames, that header alone), when the
// bytes of the claimed span contradict it:
//
//   - a data block of the claimed frame fails its CRC, and a valid link
//     header (0x05 0x64, a length of 5 or more, a good header CRC) starts
//     in the claimed user data, after the claimed header: Split skips to
//     that header. The rule is
//     decided on each complete block and each complete inner header as the
//     bytes arrive, without waiting for the claimed length; when a block
//     has failed and a start sequence near the end of the buffered bytes
//     may begin such a header, Split waits for the bytes that decide it.
//   - at EOF, the bytes end before the claimed length and a valid link
//     header starts in them after the claimed header: Split skips to it.
//
// A frame with a bad block CRC and no valid header inside it, and a frame
// whose block CRCs all check, even with a valid header in its user data,
// are framed whole. Every rule reads only the claimed span and the nine
// octets after it, so the frames Split cuts do not depend on how the
// stream was segmented.
//
// At EOF, a partial frame that starts with a plausible header (a header
// whose CRC checks, or the start of one: 0x05 0x64 and a length byte of 5
// or more, as far as the bytes go) is returned as the last token, so that
// no bytes vanish without a count; [Parse] reports it as ErrTruncated.
// Anything else left is skipped. Split never returns an error and does not
// allocate.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if len(data) < HeaderLen || data[0] != 0x05 || data[1] != 0x64 || data[2] < 5 ||
		!headerOK((*[HeaderLen]byte)(data)) {
		advance, token = seek(data, atEOF)
		return advance, token, nil
	}
	u := uint(data[2]) - 5
	n := int(HeaderLen + u + 2*((u+blockLen-1)/blockLen))
	// The claim stands without a look at the block CRCs unless a start
	// sequence 0x05 0x64 (or a 0x05 that ends the bytes) lies in the
	// user data buffered.
	end := min(n, len(data))
	for k := HeaderLen; k < end; {
		x := bytes.IndexByte(data[k:end], 0x05)
		if x < 0 {
			break
		}
		if k += x + 1; k < len(data) && data[k] != 0x64 {
			continue
		}
		switch j := contradicted(data, n, atEOF); {
		case j > 0:
			return j, nil, nil // the claim gives way to the header at j
		case j < 0:
			return 0, nil, nil // a failed block and a header to decide
		}
		break
	}
	if len(data) < n {
		if atEOF {
			// The stream ends inside this frame: hand over what is
			// there so that Parse can report it truncated.
			return len(data), data[:len(data):len(data)], nil
		}
		return 0, nil, nil
	}
	return n, data[:n:n], nil
}

// seek is Split for data that does not start with a valid link header: it
// returns the bytes to skip before the next header that may be one, at most
// MaxSkip, or at EOF a partial header as the last token, or 0 and no token
// when data is the start of a header and more bytes are needed.
func seek(data []byte, atEOF bool) (advance int, token []byte) {
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
			if i == 0 && atEOF {
				// The stream ends inside a header that may be one.
				return len(data), data[:len(data):len(data)]
			}
			return i, nil // drop garbage first, or need more bytes
		}
		if rest[1] != 0x64 || rest[2] < 5 || !headerOK((*[HeaderLen]byte)(rest)) {
			i++
			continue
		}
		return i, nil // drop garbage first
	}
	return i, nil
}

// Resync is [Split] for the bytes after a gap in the stream or at a
// capture that starts in the middle of a connection: use it until it
// delivers a frame, then Split. DNP3's full plausibility is the header
// CRC, which Split already requires of every frame (the chance that eight
// arbitrary octets after 0x05 0x64 carry their own CRC is 1 in 65,536),
// with the same bounded commitment on data block CRCs. Resync differs in
// one case: at EOF, a partial header of fewer than HeaderLen octets,
// whose CRC cannot be checked, is skipped rather than returned as the last
// token.
func Resync(data []byte, atEOF bool) (advance int, token []byte, err error) {
	advance, token, _ = Split(data, atEOF)
	if len(token) < HeaderLen {
		token = nil
	}
	return advance, token, nil
}

// contradicted checks the claim of the link header at the start of data,
// whose frame is n octets long, against the bytes buffered (see Split). It
// returns the offset of the valid link header the claim gives way to, -1
// when a data block has failed its CRC and a start sequence whose header is
// not buffered yet may decide it, or 0 when the claim stands (so far).
//
// The common case, a frame with no 0x05 0x64 inside, costs one search for
// the start sequence; the block CRCs are computed only when a header may
// start inside the span.
func contradicted(data []byte, n int, atEOF bool) int {
	end := min(n, len(data))
	j, pending := innerHeader(data, end)
	if j == 0 && !pending {
		return 0
	}
	complete := len(data) >= n
	if j > 0 && atEOF && !complete {
		return j // a truncated claim with a frame inside
	}
	if blocksOK(data[:end], n) {
		return 0
	}
	switch {
	case j > 0:
		return j
	case atEOF:
		return 0 // the pending header can never be checked
	case complete:
		return -1
	}
	return 0 // incomplete: Split waits for the frame anyway
}

// innerHeader returns the offset of the first valid link header starting
// in data[HeaderLen:end], the user data of the claimed frame, or 0 and
// whether a start sequence there (0x05 0x64, or 0x05 as the last buffered
// octet) may begin one that the buffered bytes do not hold whole.
func innerHeader(data []byte, end int) (j int, pending bool) {
	for k := HeaderLen; k < end; k = j + 1 {
		x := bytes.IndexByte(data[k:end], 0x05)
		if x < 0 {
			break
		}
		j = k + x
		switch {
		case j+1 == len(data):
			return 0, true
		case data[j+1] != 0x64:
		case j+HeaderLen > len(data):
			return 0, true
		case data[j+2] >= 5 && headerOK((*[HeaderLen]byte)(data[j:])):
			return j, false
		}
	}
	return 0, false
}

// blocksOK reports whether every data block of the n-octet frame at the
// start of b that b holds whole carries a good CRC.
func blocksOK(b []byte, n int) bool {
	for o := HeaderLen; o < n; {
		u := min(blockLen, n-o-2)
		if o+u+2 > len(b) {
			break
		}
		if !crcOK(b[o:], u) {
			return false
		}
		o += u + 2
	}
	return true
}
