package modbus

import "math/bits"

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
	// MaxSkip bounds how many bytes one call to Split or Resync skips while
	// it looks for the next ADU.
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

// Results of layoutLength besides a length.
const (
	// layoutOpen: the function's layout does not fix the length (user
	// defined and vendor functions, Diagnostics Return Query Data, ...).
	layoutOpen = -1
	// layoutMore: the byte that fixes the length is not in the bytes given.
	layoutMore = -2
	// layoutNone: the counts that fix the length contradict each other or
	// the specification (an odd byte count of registers), so that no
	// length fits.
	layoutNone = -3
)

// layoutLength returns the MBAP length field that the layout of the ADU at
// the front of b (at least 8 bytes: header and function code) fixes in
// direction dir (Request or Response), reading only b: for an exception
// 3, for a Read Holding Registers request 6, for its response 3 plus the
// byte count, and so on. It returns layoutOpen when the function's layout
// leaves the length open, layoutMore when the byte it needs is beyond b,
// and layoutNone when the counts that fix it are impossible.
func layoutLength(b []byte, dir Direction) int {
	fc := b[7]
	if fc&0x80 != 0 {
		return 3 // exception code
	}
	if fc == 0 {
		// No function has code 0 (the specification's codes start at
		// 1): no length fits. Zeros inside register data read as such
		// a header.
		return layoutNone
	}
	req := dir == Request
	switch FunctionCode(fc) {
	case ReadCoils, ReadDiscreteInputs, ReadHoldingRegisters, ReadInputRegisters:
		if req {
			return 6
		}
		if len(b) < 9 {
			return layoutMore
		}
		// 1 to 250 bytes of bits, or of whole registers.
		if c := b[8]; c == 0 || c > 250 || (fc >= 3 && c&1 != 0) {
			return layoutNone
		}
		return 3 + int(b[8])
	case WriteSingleCoil, WriteSingleRegister:
		return 6
	case ReadExceptionStatus:
		if req {
			return 2
		}
		return 3
	case Diagnostics:
		if len(b) < 10 {
			return layoutMore
		}
		if sub := DiagSubFunction(be16(b[8:])); sub.Known() && sub != DiagReturnQueryData {
			return 6
		}
	case GetCommEventCounter:
		if req {
			return 2
		}
		return 6
	case GetCommEventLog, ReportServerID:
		if req {
			return 2
		}
		return counted(b, 3)
	case WriteMultipleCoils, WriteMultipleRegisters:
		if !req {
			return 6
		}
		if len(b) < 13 {
			return layoutMore
		}
		// The byte count holds the quantity's bits or registers.
		q, c := int(be16(b[10:])), int(b[12])
		if (fc == 15 && c != (q+7)/8) || (fc == 16 && c != 2*q) {
			return layoutNone
		}
		return 7 + c
	case ReadFileRecord, WriteFileRecord:
		return counted(b, 3)
	case MaskWriteRegister:
		return 8
	case ReadWriteMultipleRegisters:
		if req {
			if len(b) < 17 {
				return layoutMore
			}
			if int(b[16]) != 2*int(be16(b[14:])) {
				return layoutNone
			}
			return 11 + int(b[16])
		}
		if len(b) >= 9 && b[8]&1 != 0 {
			return layoutNone
		}
		return counted(b, 3)
	case ReadFIFOQueue:
		if req {
			return 4
		}
		if len(b) < 10 {
			return layoutMore
		}
		return 4 + int(be16(b[8:]))
	case EncapsulatedInterfaceTransport:
		if len(b) < 9 {
			return layoutMore
		}
		if req && MEIType(b[8]) == MEIReadDeviceID {
			return 5
		}
	}
	return layoutOpen
}

// counted returns base plus the byte count after the function code, or
// layoutMore when b ends before it.
func counted(b []byte, base int) int {
	if len(b) < 9 {
		return layoutMore
	}
	return base + int(b[8])
}

// Split is a [bufio.SplitFunc] that cuts Modbus/TCP ADUs (MBAP header and
// PDU) out of one direction of a TCP byte stream that is in sync: each call
// expects an ADU at the front of data.
//
// Each call returns at most one ADU as token, viewing data. When data starts
// with a partial ADU, Split asks for more (advance 0, nil token). An MBAP
// header is plausible when its protocol id is 0, as Wireshark's Modbus/TCP
// dissector requires, and its length field is from 2 to
// [MaxLengthField].
//
// Split bounds its commitment to a header's length field. When the
// function's layout fixes the length in one direction (a Read Holding
// Registers ADU is 6 long as a request, 3 plus an even byte count of at
// most 250 as a response) and the field says so, or when the layout needs
// bytes not yet buffered, the header is taken at its word. Otherwise the
// claim stands only while the bytes do not contradict it: an ADU inside
// the claimed span that [Resync] would accept contradicts it, and so, when
// the layout fixes a different length (or none: no function has code 0),
// do bytes where the claim ends that cannot start a header. A contradicted header is skipped, so that a bogus
// length cannot swallow the ADUs behind it; one that is not is cut as it
// claims (ADUs with trailing bytes, vendor functions), as Wireshark shows
// it. Split waits for the claimed bytes (at most [MaxLengthField]+6) only
// while nothing contradicts the claim. When the layout fixes a different
// length, or leaves it open and the claim's end is not followed by the
// next ADU of the connection, and an ADU inside the span whose own layout
// backs its length may contradict the claim once the ADUs after it are
// there, Split waits for them too (three at most), so that a bogus header
// cannot shift the framing onto bytes inside real ADUs.
//
// Bytes that do not start a plausible header, or start a contradicted one,
// are skipped up to the next offset where Resync would accept an ADU (or
// may, once more bytes come), at most [MaxSkip] bytes per call, returned
// as an advance with a nil token so the caller can count the skipped bytes.
//
// At EOF, a partial ADU that starts with a plausible header (all six bytes
// of it) is returned as the last token, so that no bytes vanish without a
// count: [Parse] reports [ErrTruncated] for it; but not one whose claim the
// layout contradicts (it would swallow the last ADUs). Anything else left,
// fewer than six bytes included, is skipped. Split never returns an error
// and does not allocate.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if len(data) < 6 {
		if atEOF {
			return len(data), nil, nil
		}
		return 0, nil, nil
	}
	if plausibleHeader(data) {
		length := int(data[4])<<8 | int(data[5])
		n := 6 + length
		if n <= len(data) && len(data) >= 9 && quickFit(data[7], data[8], length) {
			return n, data[:n:n], nil // polling traffic
		}
		switch commitment(data, length, atEOF) {
		case commitTake:
			if n <= len(data) {
				return n, data[:n:n], nil
			}
			if atEOF {
				return len(data), data, nil
			}
			return 0, nil, nil
		case commitWait:
			return 0, nil, nil
		}
	}
	return skipToHeader(data)
}

// Results of fits.
const (
	fitNo  = 0 // the layout fixes a length in each direction, not this one
	fitYes = 1 // the length is what the layout fixes in one direction
)

// fits judges a length field against the layouts of the ADU at the front
// of b (at least 8 bytes) in both directions: fitYes when the length is
// what the layout of one of them fixes (and no longer than the
// specification's largest PDU allows), fitNo when it fits neither,
// layoutOpen when one of them leaves the length open, and layoutMore when
// the byte that decides is beyond b. It is layoutLength for both
// directions in one switch, for Split's hot path.
func fits(b []byte, length int) int {
	fc := b[7]
	if fc&0x80 != 0 {
		return yes(length == 3) // exception code
	}
	switch FunctionCode(fc) {
	case 0:
		return fitNo // no function has code 0
	case ReadCoils, ReadDiscreteInputs, ReadHoldingRegisters, ReadInputRegisters:
		if length == 6 {
			return fitYes // request
		}
		if len(b) < 9 {
			return layoutMore
		}
		// 1 to 250 bytes of bits, or of whole registers.
		c := b[8]
		return yes(length == 3+int(c) && c != 0 && c <= 250 && (fc < 3 || c&1 == 0))
	case WriteSingleCoil, WriteSingleRegister:
		return yes(length == 6)
	case ReadExceptionStatus:
		return yes(length == 2 || length == 3)
	case Diagnostics:
		if len(b) < 10 {
			return layoutMore
		}
		if sub := DiagSubFunction(be16(b[8:])); sub.Known() && sub != DiagReturnQueryData {
			return yes(length == 6)
		}
		return layoutOpen
	case GetCommEventCounter:
		return yes(length == 2 || length == 6)
	case GetCommEventLog, ReportServerID:
		if length == 2 {
			return fitYes // request
		}
		return countFits(b, length, 3)
	case WriteMultipleCoils, WriteMultipleRegisters:
		if length == 6 {
			return fitYes // response
		}
		if len(b) < 13 {
			return layoutMore
		}
		// The byte count holds the quantity's bits or registers.
		q, c := int(be16(b[10:])), int(b[12])
		if (fc == 15 && c != (q+7)/8) || (fc == 16 && c != 2*q) {
			return fitNo
		}
		return yes(length == 7+c && length <= 1+MaxPDULen)
	case ReadFileRecord, WriteFileRecord:
		return countFits(b, length, 3)
	case MaskWriteRegister:
		return yes(length == 8)
	case ReadWriteMultipleRegisters:
		if len(b) >= 9 && b[8]&1 == 0 && length == 3+int(b[8]) && length <= 1+MaxPDULen {
			return fitYes // response
		}
		if len(b) < 17 {
			return layoutMore
		}
		c := int(b[16])
		return yes(c == 2*int(be16(b[14:])) && length == 11+c && length <= 1+MaxPDULen)
	case ReadFIFOQueue:
		if length == 4 {
			return fitYes // request
		}
		if len(b) < 10 {
			return layoutMore
		}
		return yes(length == 4+int(be16(b[8:])) && length <= 1+MaxPDULen)
	case EncapsulatedInterfaceTransport:
		if len(b) < 9 {
			return layoutMore
		}
		// A Read Device Identification request is 5 long; its
		// response, and other MEI types, are open.
	}
	return layoutOpen
}

// yes returns fitYes for true, fitNo for false.
func yes(ok bool) int {
	if ok {
		return fitYes
	}
	return fitNo
}

// countFits is fits for a layout of base plus the byte count after the
// function code.
func countFits(b []byte, length, base int) int {
	if len(b) < 9 {
		return layoutMore
	}
	return yes(length == base+int(b[8]) && length <= 1+MaxPDULen)
}

// quickFit reports the common ADUs whose layout backs their length field,
// given the function code fc and the byte c after it: a read request or
// response (functions 1 to 4), a single write (5, 6), an exception. It
// agrees with fits and is small enough to inline.
func quickFit(fc, c byte, length int) bool {
	switch {
	case fc-1 < 4:
		return length == 6 || (length == 3+int(c) && c-1 < 250 && (fc < 3 || c&1 == 0))
	case fc == 5 || fc == 6:
		return length == 6
	}
	return fc&0x80 != 0 && length == 3
}

// Verdicts of commitment.
const (
	commitTake = iota // cut the ADU as the header claims (or wait for it)
	commitWait        // the bytes cannot tell yet: wait for more
	commitSkip        // the bytes contradict the claim
)

// commitment decides whether Split may take the plausible header at the
// front of data at its word, length being its length field.
func commitment(data []byte, length int, atEOF bool) int {
	if len(data) < 8 {
		return commitTake // no function code yet: wait, or cut short at EOF
	}
	n := 6 + length
	end := min(n, len(data))
	fit := fits(data[:end], length)
	switch fit {
	case fitYes:
		return commitTake
	case layoutMore:
		// The byte that fixes the layout is not buffered: the ADU is
		// cut short, or the claim shorter than the layout.
		if n <= len(data) || atEOF {
			return commitTake
		}
		return commitWait
	}
	// The layout does not back the claim. Where the claim ends, the
	// stream should go on with a plausible header, or end.
	if n <= len(data) {
		var atHeader bool
		switch {
		case n == len(data):
			atHeader = true
		case n+6 <= len(data):
			atHeader = plausibleHeader(data[n:])
		default:
			atHeader = !atEOF && headerPrefix(data[n:])
		}
		switch {
		case fit == fitNo && !atHeader:
			return commitSkip
		case fit == layoutOpen && (n == len(data) || (n+8 <= len(data) && linked(data, n))):
			// A vendor's ADU followed by the next of the
			// connection, as far as the bytes can tell.
			return commitTake
		}
	} else if fit == layoutOpen && !atEOF {
		return commitWait
	}
	// An ADU inside the claimed span that Resync would accept
	// contradicts the claim. (An open layout may be followed by anything:
	// vendors pad segments.)
	switch contradiction(data, end, atEOF) {
	case verdictTake:
		return commitSkip
	case verdictMore:
		// An ADU inside the span may contradict the claim once more
		// bytes come. A claim the layout disagrees with waits for them
		// (a bogus header would swallow the ADUs it covers and shift
		// the framing after it), and so does one the layout leaves
		// open whose end is not followed by the next ADU of the
		// connection (a vendor's ADU is, and was taken above).
		if (fit == fitNo || fit == layoutOpen) && !atEOF {
			return commitWait
		}
	}
	switch {
	case n <= len(data):
		return commitTake
	case !atEOF:
		return commitWait
	case fit == layoutOpen:
		return commitTake // cut short at EOF
	}
	return commitSkip // at EOF, a claim the layout disagrees with
}

// contradiction reports whether an ADU that Resync accepts starts in data
// at an offset from 1 to end-1 (verdictTake), or, failing that, whether
// one whose layout backs its length there may be accepted once the ADUs
// after it come (verdictMore), or neither (verdictReject).
func contradiction(data []byte, end int, atEOF bool) int {
	last := min(end, len(data)-7) // offsets j < last have a header and function code
	v := verdictReject
	for j := 1; j < last; j++ {
		j = nextZeroPair(data, j, last)
		if j < last {
			switch candidate(data[j:], atEOF) {
			case verdictTake:
				return verdictTake
			case verdictMore:
				if strictEither(data[j:], atEOF) == verdictTake {
					v = verdictMore
				}
			}
		}
	}
	return v
}

// nextZeroPair returns the first offset j from j to last-1 whose protocol
// id bytes (data[j+2], data[j+3]) are both 0, or last. It looks at eight
// offsets at a time; data holds at least last+7 bytes.
func nextZeroPair(data []byte, j, last int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; j+10 <= len(data) && j < last; j += 7 {
		b := data[j+2 : j+10]
		w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		// High bit of each byte that is 0 (and of some bytes after a
		// 0, which the exact test below sorts out); a pair is two
		// such bytes one after the other.
		z := (w - ones) &^ w & highs
		for p := z & (z >> 8); p != 0; p &= p - 1 {
			k := j + bits.TrailingZeros64(p)/8
			if k >= last {
				return last
			}
			if data[k+2] == 0 && data[k+3] == 0 {
				return k
			}
		}
	}
	for ; j < last; j++ {
		if data[j+2] == 0 && data[j+3] == 0 {
			return j
		}
	}
	return last
}

// Resync is a [bufio.SplitFunc] like [Split], for bytes that are not known
// to be in sync: after a gap in the stream, or at a capture that starts in
// the middle of a connection. It accepts an ADU only when the ADU, and
// what follows it, convince it, so that the first ADU after the damage is
// found and no bytes of other ADUs pass for one; callers switch to Split
// once Resync has returned a token. It knows no direction: an ADU
// convinces when it does as a request or as a response.
//
// An ADU convinces on its own when its header is plausible (see [Split])
// and it is an ADU the specification allows: a public, user-defined or
// known vendor (UMAS) function code, or an exception response for one,
// with length 3; a length equal to the one the function's layout fixes (a
// Read Holding Registers request is 6 long, its response 3 plus an even
// byte count; a Write Multiple Registers request 7 plus a byte count of
// twice its quantity); and a PDU that [Parse] decodes without an error or
// any anomaly of the ADU but AnomalyOversize. Its end must then be
// followed by three plausible headers end to end, or fewer and the end of
// the stream: the data of a read request can look like a header, but the
// view rarely lines up that long.
//
// An ADU whose layout leaves the length open (vendor functions), or that
// falls short of the specification (an unassigned function, trailing
// bytes), convinces as the head of a chain: the ADU after it (and the one
// after that, unless that one convinces on its own) has a plausible
// header with the same unit id, a function code other than 0, and a
// transaction id at most 16 above the one before; or the ADU ends where
// the stream does. A chain loses to an ADU inside its first span that
// convinces more (a fixed layout beats an open one, which beats none): the
// tail of one ADU's data and the head of the next can form a chain.
//
// Other bytes are skipped as Split skips them, at most [MaxSkip] per call.
// Resync waits for more bytes while the bytes present cannot decide (at
// most the ADU and the three after it); at EOF, an ADU cut short is
// returned when its head convinces. Resync never returns an error and does
// not allocate.
func Resync(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if len(data) == 0 {
		return 0, nil, nil
	}
	switch candidate(data, atEOF) {
	case verdictTake:
		n := 6 + (int(data[4])<<8 | int(data[5]))
		if n <= len(data) {
			return n, data[:n:n], nil
		}
		return len(data), data, nil // atEOF: cut short
	case verdictMore:
		return 0, nil, nil
	}
	return skip(data, atEOF)
}

// skip returns the advance over the bytes at the front of data that start
// no ADU Resync accepts: up to the next offset that does or may (once more
// bytes come), at most MaxSkip. A verdict to reject is final, so what it
// skips does not depend on how the stream is cut into segments.
func skip(data []byte, atEOF bool) (int, []byte, error) {
	limit := min(len(data), MaxSkip)
	for i := 1; i < limit; i++ {
		if i+4 <= len(data) && data[i+2]|data[i+3] != 0 {
			continue // protocol id not 0
		}
		if candidate(data[i:], atEOF) != verdictReject {
			return i, nil, nil
		}
	}
	return limit, nil, nil
}

// skipToHeader returns the advance over the bytes at the front of data
// that start no plausible header, at most MaxSkip: Split's skip.
func skipToHeader(data []byte) (int, []byte, error) {
	limit := min(len(data)-5, MaxSkip) // offsets i with i+6 <= len(data)
	for i := 1; i < limit; i++ {
		if plausibleHeader(data[i:]) {
			return i, nil, nil
		}
	}
	// Nothing plausible in the bytes there are: keep the last 5, which
	// could start a header the next segment completes. At EOF they are
	// looked at on the next call.
	return limit, nil, nil
}

// Verdicts of candidate and strict.
const (
	verdictReject = iota
	verdictTake
	verdictMore
	// verdictOpen: an ADU strict finds clean but whose length its
	// function's layout leaves open, so that its length is not evidence.
	verdictOpen
)

// strictMask holds the anomalies an ADU that convinces on its own must not
// have: every anomaly of the ADU but AnomalyOversize.
const strictMask = AnomalyProtocolID | AnomalyLength | AnomalyByteCount | AnomalyQuantity |
	AnomalyReservedFunction | AnomalyUnassignedFunction | AnomalyTrailing | AnomalyValue |
	AnomalyExceptionCode | AnomalySubFunction | AnomalyObjectCount

// candidate judges the ADU at the front of b for Resync.
func candidate(b []byte, atEOF bool) int {
	if len(b) < 8 {
		if atEOF || !headerPrefix(b) {
			return verdictReject
		}
		return verdictMore
	}
	if !plausibleHeader(b) {
		return verdictReject
	}
	n := 6 + (int(b[4])<<8 | int(b[5]))
	s := strictEither(b, atEOF)
	switch s {
	case verdictTake:
		return follows(b, n, atEOF)
	case verdictMore:
		return verdictMore
	}
	if v := chain(b, atEOF); v != verdictTake {
		return v
	}
	// A chain may be a misaligned view of real ADUs (the tail of one
	// ADU's data and the head of the next): an ADU inside the span that
	// convinces more wins.
	if !atEOF && n+7 > len(b) {
		return verdictMore // the span is not all there
	}
	for j := 1; j < min(n, len(b)-7); j++ {
		if b[j+2]|b[j+3] != 0 || !plausibleHeader(b[j:]) {
			continue
		}
		t := strictEither(b[j:], atEOF)
		if t == verdictMore {
			return verdictMore // cannot tell yet
		}
		if rank(t) > rank(s) && follows(b[j:], 6+(int(b[j+4])<<8|int(b[j+5])), atEOF) != verdictReject {
			return verdictReject
		}
	}
	return verdictTake
}

// rank orders the verdicts of strict by how much they convince.
func rank(v int) int {
	switch v {
	case verdictTake:
		return 2
	case verdictOpen:
		return 1
	}
	return 0
}

// headerPrefix reports whether b, shorter than a header and function
// code, may be the start of a plausible one.
func headerPrefix(b []byte) bool {
	switch {
	case len(b) >= 6:
		return plausibleHeader(b)
	case len(b) >= 5:
		return b[2] == 0 && b[3] == 0 && b[4] <= MaxLengthField>>8
	case len(b) >= 4:
		return b[2] == 0 && b[3] == 0
	case len(b) >= 3:
		return b[2] == 0
	}
	return true
}

// follows judges what follows an ADU of n bytes at the front of b: three
// plausible headers end to end, or fewer and then the end of the stream
// (at EOF, each ADU must end by then).
func follows(b []byte, n int, atEOF bool) int {
	for range 3 {
		switch {
		case n == len(b) || (n > len(b) && !atEOF):
			if atEOF {
				return verdictTake
			}
			return verdictMore
		case n > len(b):
			return verdictReject
		case n+6 > len(b):
			if !atEOF && headerPrefix(b[n:]) {
				return verdictMore
			}
			return verdictReject
		case !plausibleHeader(b[n:]):
			return verdictReject
		}
		n += 6 + (int(b[n+4])<<8 | int(b[n+5]))
	}
	switch {
	case n <= len(b):
		return verdictTake
	case atEOF:
		return verdictReject
	}
	return verdictMore
}

// strictEither is strict as a request and as a response: the verdict that
// convinces more.
func strictEither(b []byte, atEOF bool) int {
	q := strict(b, atEOF, Request)
	if q == verdictTake {
		return q
	}
	r := strict(b, atEOF, Response)
	switch {
	case r == verdictTake || r == verdictMore:
		return r
	case q == verdictMore || q == verdictOpen:
		return q
	}
	return r // open or reject
}

// strict judges the ADU at the front of b (a plausible header and a
// function code) on its own, in direction dir: verdictTake when it is an
// ADU of a known function, clean and of the length its layout fixes,
// verdictOpen when its layout leaves the length open.
func strict(b []byte, atEOF bool, dir Direction) int {
	length := int(b[4])<<8 | int(b[5])
	n := 6 + length
	fc := b[7]
	if fc&0x80 != 0 && (dir != Response || length != 3) {
		return verdictReject
	}
	switch FunctionCode(fc & 0x7f).Class() {
	case ClassPublic, ClassUserDefined:
	case ClassReserved:
		if FunctionCode(fc&0x7f) != UMAS {
			return verdictReject
		}
	default:
		return verdictReject
	}
	v := verdictTake
	switch l := layoutLength(b[:min(n, len(b))], dir); l {
	case layoutOpen:
		v = verdictOpen
	case layoutMore:
		if atEOF {
			return verdictReject
		}
		return verdictMore
	default:
		if l != length {
			return verdictReject
		}
	}
	if n > len(b) {
		if atEOF {
			return v // cut short: the head is all there is
		}
		return verdictMore
	}
	var f Frame
	if _, err := f.Decode(b[:n], dir); err != nil || f.Anomalies&strictMask != 0 {
		return verdictReject
	}
	return v
}

// maxTIDStep is the largest step of transaction id from one ADU of a chain
// to the next.
const maxTIDStep = 16

// linked reports whether the ADU at b[q:] (at least 8 bytes) can follow
// the one at the front of b in one direction of a connection: a plausible
// header with the same unit id, a function code other than 0 (what zeros
// in data make) and a transaction id at most maxTIDStep above.
func linked(b []byte, q int) bool {
	step := (int(b[q])<<8 | int(b[q+1])) - (int(b[0])<<8 | int(b[1]))
	return plausibleHeader(b[q:]) && b[q+6] == b[6] && b[q+7] != 0 && step&0xffff <= maxTIDStep
}

// chain judges an ADU whose head is plausible but does not convince on
// its own by the ADUs that follow it end to end (see [Resync]).
func chain(b []byte, atEOF bool) int {
	p := 0
	for links := 1; ; links++ {
		q := p + 6 + (int(b[p+4])<<8 | int(b[p+5]))
		switch {
		case q == len(b) && atEOF:
			return verdictTake
		case q+8 > len(b):
			if atEOF {
				return verdictReject
			}
			return verdictMore
		case !linked(b[p:], q-p):
			return verdictReject
		}
		switch strictEither(b[q:], atEOF) {
		case verdictTake:
			return follows(b[q:], 6+(int(b[q+4])<<8|int(b[q+5])), atEOF)
		case verdictMore:
			return verdictMore
		}
		if links == 2 {
			return verdictTake
		}
		p = q
	}
}
