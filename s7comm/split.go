package s7comm

// Port is the ISO-on-TCP port (RFC 1006) that S7comm and S7comm-plus use.
const Port = 102

// TPKT framing constants (RFC 1006 section 6, ISO 8073).
const (
	// HeaderLen is the length of the TPKT header.
	HeaderLen = 4
	// MaxTPDU is the largest COTP TPDU: ISO 8073's TPDU size parameter
	// goes up to 8192 octets.
	MaxTPDU = 8192
	// MaxFrameLen is the largest TPKT packet [Split] and [Resync] accept:
	// a TPDU of MaxTPDU octets, its DT header (for implementations that
	// count the TPDU size as user data only) and the TPKT header. The
	// TPKT length field could say up to 65535; a packet claiming more
	// than this is not one.
	MaxFrameLen = HeaderLen + dtHeader + MaxTPDU
	// MaxSkip bounds how many bytes one Split or Resync call skips while
	// it looks for the next TPKT header.
	MaxSkip = 4096

	tpktVersion = 3
	tpktHeader  = HeaderLen
	// minTPKT is the smallest TPKT that can carry a COTP header: the four
	// TPKT bytes, the COTP length indicator and its TPDU code.
	minTPKT = 7
	// dtHeader is the COTP header of a class-0 DT TPDU: LI, code, EOT and
	// number.
	dtHeader = 3
)

// cotpFixed is the length indicator of each TPDU code's fixed part (code
// byte included, ISO 8073 section 13); zero for a code ISO 8073 does not
// define. Parameters may follow, so LI may be larger.
var cotpFixed = [16]uint8{
	TPDUExpeditedData:  4, // code, DST-REF, EOT and number
	TPDUExpeditedAck:   4, // code, DST-REF, number
	TPDUReject:         4, // code, DST-REF, number
	TPDUDataAck:        4, // code, DST-REF, number
	TPDUError:          4, // code, DST-REF, cause
	TPDUDisconnectReq:  6, // code, DST-REF, SRC-REF, reason
	TPDUDisconnectConf: 5, // code, DST-REF, SRC-REF
	TPDUConnectConfirm: 6, // code, DST-REF, SRC-REF, class and options
	TPDUConnectRequest: 6, // code, DST-REF, SRC-REF, class and options
	TPDUData:           2, // code, EOT and number (classes 0 and 1)
}

// Split is a bufio.SplitFunc that cuts TPKT packets (RFC 1006) out of a TCP
// byte stream. Each token is one whole TPKT packet, header included, ready
// for [Parse] or [Conn.Decode]: COTP DT fragments of a longer message are
// tokens of their own, which a Conn joins.
//
// Several packets in one call are returned one at a time; a packet that is
// not complete asks for more data. Split commits to a packet's claimed
// length only as far as the bytes it already has back it. The TPKT header
// must be plausible (version 3, reserved 0, a length from 7 to
// [MaxFrameLen]) and so must the COTP header (a TPDU code of ISO 8073 with
// its fixed part inside the claimed length). Then the packet's own headers
// vouch for its length when they agree with it: an empty DT; an S7 header
// (ROSCTR known, redundancy id 0) whose lengths fill the packet, or exceed
// it in a DT without EOT (the first fragment of a longer message); an
// S7comm-plus header of a known version whose length fills it with or
// without the trailer; a connection request or confirm whose parameters
// fill its header. Any other claim (a DT that continues a message or
// carries other user data, headers that disagree with the length, the
// other TPDUs) is committed to only when, once its bytes are there, the
// next packet's TPKT and COTP headers start where it ends, as they do in
// an ISO-on-TCP stream. A claim the bytes contradict is skipped like any
// other garbage, so that a bogus length claim does not swallow the packets
// behind it (unless its end falls on one of their headers). Garbage is
// skipped up to the next header that passes [Resync]'s full check, at most
// [MaxSkip] bytes per call, with advance > 0 and a nil token.
//
// At EOF, a partial packet whose header the bytes present do not
// contradict is returned as the last token (Parse reports ErrTruncated), so
// that no bytes vanish without a count. Split never returns an error and
// does not allocate.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	// The common cases, all there: a class-0 DT that ends a message and
	// carries an S7 header (ROSCTR known, redundancy id 0) whose lengths
	// fill the packet, or an S7comm-plus header (V1 to V3) whose length
	// fills it with or without the trailer.
	if len(data) >= 17 {
		// h: TPKT version, reserved, length; COTP LI, DT code, EOT, the
		// protocol id. g: the bytes after the S7 ROSCTR or the
		// S7comm-plus version.
		h, g := be64(data), be64(data[9:])
		n := int(h >> 32 & 0xffff)
		if h&0xffff0000ffff80ff == 0x0300000002f08032 && data[8] < 8 && g>>48 == 0 &&
			n == int(s7HeadLen[data[8]])+int(g>>16&0xffff)+int(g&0xffff) && n <= len(data) && n <= MaxFrameLen ||
			h&0xffff0000ffff80ff == 0x0300000002f08072 && data[8]-1 < 3 && (n == 15+int(g>>48) || n == 11+int(g>>48)) && n <= len(data) && n <= MaxFrameLen {
			return n, data[:n:n], nil
		}
	}
	return split(data, atEOF)
}

// be64 decodes a big-endian uint64 from the first eight bytes of b, which
// the caller has bounds-checked.
func be64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 |
		uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7])
}

// s7HeadLen is the length of the TPKT, class-0 DT and S7 headers by ROSCTR;
// for an unknown ROSCTR, more than any TPKT length, so that no packet
// matches.
var s7HeadLen = [8]uint32{0: 1 << 20, Job: 17, Ack: 19, AckData: 19, 4: 1 << 20, 5: 1 << 20, 6: 1 << 20, Userdata: 17}

// split is Split past its common case.
func split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if len(data) == 0 {
		return 0, nil, nil
	}
	if n, ok := backed(data); ok {
		if n != 0 && n <= len(data) {
			return n, data[:n:n], nil
		}
		if !atEOF {
			return 0, nil, nil
		}
		return len(data), data[:len(data):len(data)], nil
	}
	return skip(data, 1, atEOF)
}

// Resync is [Split] for the bytes after a gap in the stream or at a capture
// that starts in the middle of a connection: use it until it delivers a
// packet, then Split. It accepts a TPKT header only when everything the
// packet's head carries is plausible:
//
//   - TPKT: version 3, reserved 0, a length from 7 to [MaxFrameLen];
//   - COTP: a TPDU code of ISO 8073 with its fixed part, and its
//     parameters ending exactly where the length indicator says; a DT
//     TPDU with the code byte 0xF0 and a length indicator of 2 or 4;
//   - a DT TPDU that ends a message: an S7comm header (ROSCTR known,
//     redundancy id 0, a known function in a job or ack-data) whose
//     header, parameter and data lengths add up to the packet, or an
//     S7comm-plus header of a known version whose length fills the packet
//     (a fragment) or fills it with the trailer (0x72, the version, 0x0000);
//   - a DT TPDU that starts a longer message: the same headers claiming
//     more than the packet holds (at most [MaxCOTPMessage]); an empty DT;
//   - a connection request or confirm: class 0 to 4, no user data (and
//     DST-REF 0 in a request).
//
// A packet none of these vouch for (a DT that continues a message, user
// data that is neither S7comm nor S7comm-plus, the short connection
// management TPDUs) is accepted only when the next packet's TPKT and COTP
// headers follow it exactly (or the stream ends with it at EOF): a DT that
// continues a message looks like any other bytes, and a fragment of a
// message whose start was lost is delivered only when it is one.
//
// At EOF, a partial packet whose head passes these checks is returned as
// the last token; a head too short to be checked is skipped. Skipped bytes
// come back as advance > 0 with a nil token, at most [MaxSkip] per call.
// Resync never returns an error and does not allocate.
func Resync(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if len(data) == 0 {
		return 0, nil, nil
	}
	if data[0] == tpktVersion {
		switch n, v := plausible(data, atEOF); v {
		case accept:
			if n <= len(data) {
				return n, data[:n:n], nil
			}
			return len(data), data[:len(data):len(data)], nil // partial, at EOF
		case more:
			return 0, nil, nil
		}
	}
	return skip(data, 1, atEOF)
}

// skip returns how many bytes before the first header from offset i on
// that passes plausible (or may, once more bytes come) to skip, at most
// MaxSkip.
func skip(data []byte, i int, atEOF bool) (int, []byte, error) {
	limit := min(len(data), MaxSkip)
	for ; i < limit; i++ {
		if data[i] != tpktVersion {
			continue
		}
		if _, v := plausible(data[i:], atEOF); v != reject {
			return i, nil, nil
		}
	}
	return limit, nil, nil
}

// backed reports whether b (non-empty) starts a TPKT header whose claimed
// length n the bytes present do not contradict (Split's test); n is 0
// while the length field is not all there.
//
// A packet's own headers vouch for its length when they agree with it
// (see vouched). When nothing in the packet vouches for it, the claim is
// backed only by what follows: once those bytes are there, the next
// packet's TPKT and COTP headers must start right after it, as they do in
// a TCP stream of ISO-on-TCP packets.
func backed(b []byte) (n int, ok bool) {
	if b[0] != tpktVersion {
		return 0, false
	}
	if len(b) < tpktHeader {
		return 0, len(b) < 2 || b[1] == 0
	}
	n = int(b[2])<<8 | int(b[3])
	if b[1] != 0 || n < minTPKT || n > MaxFrameLen {
		return 0, false
	}
	if len(b) < 6 {
		return n, len(b) < 5 || int(b[4])+5 <= n
	}
	li, code := int(b[4]), b[5]
	fixed := int(cotpFixed[code>>4])
	if fixed == 0 || li < fixed || li+5 > n {
		return 0, false
	}
	if vouched(b, n) || len(b) <= n {
		return n, true
	}
	next := b[n:]
	if len(next) < 6 {
		return n, headPrefix(next)
	}
	return n, headOK(next)
}

// vouched reports whether the headers of the packet of n octets at the
// front of b agree with its length, or may once more of it is there: an
// empty DT; a DT with an S7 header (ROSCTR known, redundancy id 0) whose
// lengths fill the packet, or exceed it in a DT without EOT (the first
// fragment of a longer message); a DT with an S7comm-plus header of a
// known version whose length fills the packet with or without its
// trailer, or exceeds it without EOT; a connection request or confirm
// whose parameters fill its header, without user data.
func vouched(b []byte, n int) bool {
	li, code := int(b[4]), b[5]
	hl := 5 + li
	if len(b) < hl {
		return true // the COTP header is still to come
	}
	switch TPDUType(code >> 4) {
	case TPDUData:
		if code != 0xf0 || li != 2 && li != 4 {
			return false
		}
		if n == hl || len(b) == hl {
			return true
		}
		eot := b[hl-1]&0x80 != 0
		p, plen := b[hl:min(n, len(b))], n-hl
		switch p[0] {
		case ProtocolS7:
			if len(p) < 10 {
				return plen >= 10 // its lengths are still to come
			}
			total, ok := s7Len(p)
			return ok && (total == plen || !eot && total > plen)
		case ProtocolS7Plus:
			if len(p) < 4 {
				return plen >= 4
			}
			dl := int(p[2])<<8 | int(p[3])
			switch PlusVersion(p[1]) {
			case PlusV1, PlusV2, PlusV3:
				return plen == 4+dl || plen == 4+dl+4 || !eot && plen < 4+dl
			case PlusExtKeepAlive:
				return plen == 4+dl || !eot && plen < 4+dl
			}
		}
	case TPDUConnectRequest, TPDUConnectConfirm:
		return n == hl && paramsFit(b[5+int(cotpFixed[code>>4]):hl])
	}
	return false
}

// headOK reports whether b (at least 6 octets) starts with a TPKT header
// and the head of a COTP header that fits in it.
func headOK(b []byte) bool {
	n, li := int(b[2])<<8|int(b[3]), int(b[4])
	fixed := int(cotpFixed[b[5]>>4])
	return b[0] == tpktVersion && b[1] == 0 && n >= minTPKT && n <= MaxFrameLen && fixed != 0 && li >= fixed && li+5 <= n
}

// s7Len returns the length an S7 header at the front of p claims (header,
// parameter and data), when p starts with one: protocol id 0x32, ROSCTR
// known, redundancy id 0, the length fields present.
func s7Len(p []byte) (int, bool) {
	if len(p) < 10 || p[2] != 0 || p[3] != 0 {
		return 0, false
	}
	n := (int(p[6])<<8 | int(p[7])) + (int(p[8])<<8 | int(p[9]))
	switch ROSCTR(p[1]) {
	case Job, Userdata:
		return 10 + n, true
	case Ack, AckData:
		return 12 + n, true
	}
	return 0, false
}

// verdict is what plausible makes of a candidate header.
type verdict uint8

const (
	reject verdict = iota // not a packet's start
	more                  // may be one: more bytes will tell
	accept                // a packet's start
)

// plausible is Resync's test of the header at the front of b (b[0] is 3):
// the claimed length n and the verdict.
func plausible(b []byte, atEOF bool) (n int, v verdict) {
	if len(b) < minTPKT {
		if atEOF || !headPrefix(b) {
			return 0, reject
		}
		return 0, more
	}
	// What Split would not commit to is no packet's start either.
	n, ok := backed(b)
	if !ok {
		return n, reject
	}
	li, code := int(b[4]), b[5]
	fixed := int(cotpFixed[code>>4])
	hl := 5 + li // end of the COTP header
	if len(b) < hl {
		if atEOF {
			return n, reject
		}
		return n, more
	}
	switch t := TPDUType(code >> 4); t {
	case TPDUData:
		if code != 0xf0 || li != 2 && li != 4 {
			return n, reject
		}
		if n == hl {
			return n, accept // an empty DT
		}
		if len(b) == hl {
			if atEOF {
				return n, reject
			}
			return n, more
		}
		eot := b[hl-1]&0x80 != 0
		p, plen := b[hl:min(n, len(b))], n-hl
		var v verdict
		switch p[0] {
		case ProtocolS7:
			v = s7Head(p, plen, eot, atEOF)
			if v == reject && eot && (plen < 10 || plen < 12 && len(p) > 1 && (p[1] == byte(Ack) || p[1] == byte(AckData))) {
				return n, reject // an S7 header cut short: Parse rejects it
			}
		case ProtocolS7Plus:
			v = plusHead(p, plen, eot, atEOF)
			if v == reject && eot && plen < 4 {
				return n, reject // an S7comm-plus header cut short
			}
		}
		if v != reject {
			return n, v
		}
	case TPDUConnectRequest, TPDUConnectConfirm:
		if n == hl && b[10]>>4 <= 4 && (t == TPDUConnectConfirm || b[6] == 0 && b[7] == 0) && paramsFit(b[5+fixed:hl]) {
			return n, accept
		}
	}
	// A packet nothing in it vouches for: its parameters must fit and the
	// next packet must follow it.
	if TPDUType(code>>4) != TPDUData && !paramsFit(b[5+fixed:hl]) {
		return n, reject
	}
	return n, chained(b, n, atEOF)
}

// s7Head checks the S7 header at the front of p, the user data of a DT
// TPDU of plen octets (p holds those of them that are present).
func s7Head(p []byte, plen int, eot, atEOF bool) verdict {
	if len(p) < 10 {
		if plen < 10 {
			return reject
		}
		return moreUnless(atEOF)
	}
	total, ok := s7Len(p)
	if !ok || eot && total != plen || !eot && (total <= plen || total > MaxCOTPMessage) {
		return reject
	}
	if r := ROSCTR(p[1]); r == Job || r == AckData {
		// A job or its ack-data names a function first (unless this
		// fragment of it ends before).
		hdr := 10
		if r == AckData {
			hdr = 12
		}
		switch {
		case total == hdr:
			return reject
		case len(p) > hdr:
			if !Function(p[hdr]).Known() {
				return reject
			}
		case plen > hdr:
			return moreUnless(atEOF)
		}
	}
	return bodyVerdict(len(p), plen, atEOF)
}

// plusHead checks the S7comm-plus header at the front of p, the user data
// of a DT TPDU of plen octets (p holds those of them that are present).
func plusHead(p []byte, plen int, eot, atEOF bool) verdict {
	if len(p) < 4 {
		return moreUnless(atEOF)
	}
	v, dl := PlusVersion(p[1]), int(p[2])<<8|int(p[3])
	switch v {
	case PlusV1, PlusV2, PlusV3:
	case PlusExtKeepAlive:
		if eot && plen != 4+dl {
			return reject
		}
		return bodyVerdict(len(p), plen, atEOF)
	default:
		return reject
	}
	switch {
	case !eot:
		if 4+dl+4 <= plen || 4+dl > MaxCOTPMessage {
			return reject
		}
	case plen == 4+dl:
		// A fragment of an S7comm-plus message (no trailer).
	case plen == 4+dl+4:
		if len(p) < plen {
			if atEOF {
				return accept // partial at EOF: the trailer cannot be checked
			}
			return more
		}
		if t := p[plen-4:]; t[0] != ProtocolS7Plus || t[1] != p[1] || t[2] != 0 || t[3] != 0 {
			return reject
		}
	default:
		return reject
	}
	return bodyVerdict(len(p), plen, atEOF)
}

// bodyVerdict accepts a head once its packet is all there (have of its
// need user data octets), or at EOF as a partial last packet.
func bodyVerdict(have, need int, atEOF bool) verdict {
	if have >= need || atEOF {
		return accept
	}
	return more
}

// moreUnless is more, or reject at EOF.
func moreUnless(atEOF bool) verdict {
	if atEOF {
		return reject
	}
	return more
}

// chained accepts the packet of n octets at the front of b when the next
// packet's TPKT and COTP headers follow it (or the stream ends with it).
func chained(b []byte, n int, atEOF bool) verdict {
	if len(b) < n {
		if atEOF {
			return accept // partial at EOF: nothing follows to check
		}
		return more
	}
	next := b[n:]
	if len(next) < 6 {
		switch {
		case len(next) > 0 && !headPrefix(next):
			return reject
		case atEOF:
			return accept
		}
		return more
	}
	if !headOK(next) {
		return reject
	}
	return accept
}

// headPrefix reports whether b, shorter than a TPKT and COTP head, matches
// the start of one as far as it goes.
func headPrefix(b []byte) bool {
	switch {
	case b[0] != tpktVersion, len(b) > 1 && b[1] != 0:
		return false
	case len(b) < 4:
		return true
	}
	n := int(b[2])<<8 | int(b[3])
	switch {
	case n < minTPKT || n > MaxFrameLen:
		return false
	case len(b) > 4 && int(b[4])+5 > n:
		return false
	case len(b) > 5 && (cotpFixed[b[5]>>4] == 0 || b[4] < cotpFixed[b[5]>>4]):
		return false
	}
	return true
}

// paramsFit reports whether b, the variable part of a COTP header, is a
// run of (code, length, value) parameters that ends exactly with it.
func paramsFit(b []byte) bool {
	for len(b) > 0 {
		if len(b) < 2 || 2+int(b[1]) > len(b) {
			return false
		}
		b = b[2+int(b[1]):]
	}
	return true
}
