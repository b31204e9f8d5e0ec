package enip

import "github.com/icsdissect/icsdissect/internal/wire"

const (
	// Port is the TCP and UDP port of explicit messaging and of the
	// encapsulation's list commands.
	Port = 44818
	// IOPort is the UDP port of implicit (class 0 and 1) I/O.
	IOPort = 2222
	// HeaderLen is the size of the encapsulation header.
	HeaderLen = 24
	// MaxFrameLen is the largest encapsulation PDU the specification allows
	// (a data length of at most 65511 bytes). [Split] and [Resync] refuse
	// a header that claims more; [Parse] decodes it, since the 16-bit
	// length field can announce 24 bytes more.
	MaxFrameLen = 65535
	// MaxSkip is the most bytes one Split or Resync call skips while it
	// looks for a plausible header.
	MaxSkip = 1024
)

// maxDataLen is the largest data length a header may claim.
const maxDataLen = MaxFrameLen - HeaderLen

// Split is a [bufio.SplitFunc] that cuts encapsulation PDUs out of an
// EtherNet/IP TCP byte stream that is in step. It returns every complete PDU
// in data one per call as a token viewing data, and asks for more data
// (advance 0, nil token) when a PDU is cut.
//
// A header is taken when its command is one that traffic uses (0x0002 and
// 0x0003, reserved for legacy use, are not), its options are zero, its
// length is at most 65511 and fits the command, and the data buffered
// behind it does not contradict the length: RegisterSession carries 4
// bytes, UnregisterSession none; the list commands carry nothing (a
// request) or a Common Packet Format list; SendRRData and SendUnitData
// carry interface handle 0, a timeout and a CPF list. A CPF list's item
// lengths must add up exactly to the encapsulation length. A header with
// all 24 bytes zero is a run of zero bytes, never a NOP. Unknown status
// codes and a RegisterSession protocol version other than 1 are taken (the
// frame's anomalies and fields tell them).
//
// A header the bytes contradict is not committed to: Split skips to the
// next offset where a header passes [Resync]'s full plausibility, at most
// [MaxSkip] bytes per call, as an advance with a nil token so that callers
// can count the skipped bytes; when the bytes buffered cannot yet tell
// whether a candidate passes, Split asks for more before skipping. The
// PDUs behind a bogus length claim are thus still delivered.
//
// At EOF, a partial PDU whose header is plausible as far as its bytes go is
// returned as the last token (its [Parse] reports [ErrTruncated]), unless a
// header that passes Resync's checks starts inside it: its claim is then
// not backed, and the bytes up to that header are skipped. Anything else
// left is skipped. Split never returns an error and does not
// allocate.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	// The common cases first (whole PDUs with zero options): SendRRData and
	// SendUnitData with interface handle 0 and the usual two CPF items, and
	// the list commands. Everything else goes through check.
	if len(data) >= HeaderLen && data[1] == 0 && wire.LE32(data[20:]) == 0 {
		n := HeaderLen + int(wire.LE16(data[2:]))
		if n <= len(data) && n <= MaxFrameLen {
			pdu := data[:n:n]
			switch Command(data[0]) {
			case CmdSendRRData, CmdSendUnitData:
				if n >= HeaderLen+16 && wire.LE32(pdu[24:]) == 0 && wire.LE16(pdu[30:]) == 2 {
					p := 40 + int(wire.LE16(pdu[34:])) // the end of the second item's header
					if p <= n && p+(int(pdu[p-2])|int(pdu[p-1])<<8) == n {
						return n, pdu, nil
					}
				}
			case CmdListIdentity, CmdListServices, CmdListInterfaces, CmdListTargets:
				if n == HeaderLen || cpfAddsUp(pdu, HeaderLen) {
					return n, pdu, nil
				}
			}
		}
	}
	return split(data, atEOF)
}

// cpfAddsUp reports whether the CPF list at b[off:] has item lengths that
// add up exactly to the end of b.
func cpfAddsUp(b []byte, off int) bool {
	if off+2 > len(b) {
		return false
	}
	p := off + 2
	for count := wire.LE16(b[off:]); count > 0; count-- {
		if p+4 > len(b) {
			return false
		}
		p += 4 + int(wire.LE16(b[p+2:]))
	}
	return p == len(b)
}

// split is Split beyond its common case.
func split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if len(data) == 0 {
		return 0, nil, nil
	}
	n, v, _ := check(data, false)
	if v == vOK && len(data) >= n {
		return n, data[:n:n], nil
	}
	if v != vBad {
		if atEOF {
			return last(data)
		}
		return 0, nil, nil
	}
	// The bytes contradict a header at data[0]: skip to the next fully
	// plausible one. A candidate the bytes cannot decide yet is waited
	// for, so that it is judged by the full checks.
	limit := min(len(data), MaxSkip)
	for i := 1; i < limit; i++ {
		switch _, v := resyncAt(data, i, atEOF); v {
		case vOK:
			return i, nil, nil
		case vMore:
			return 0, nil, nil
		}
	}
	return limit, nil, nil
}

// Resync is [Split] for bytes after a gap in the stream or at a capture
// that starts in the middle of a connection, where data[0] need not start
// a PDU. It accepts a header only when it passes full plausibility: one of
// the commands traffic uses (ListServices, ListIdentity, ListInterfaces,
// the legacy ListTargets, RegisterSession, UnregisterSession, SendRRData,
// SendUnitData; never NOP, whose data is arbitrary and which a run of zero
// bytes imitates, nor the unused legacy codes and IndicateStatus, Cancel
// and StartDTLS, whose data has no form to check), a known status, zero
// options, and a length that the command's data backs:
//
//   - SendRRData: interface handle 0, then a CPF list of 2 to 4 items, a
//     Null Address item and an Unconnected Data item, then Sockaddr Info
//     items, whose lengths add up exactly to the encapsulation length;
//     SendUnitData the same with a Connected Address item (4 bytes) and a
//     Connected Data item (at least its 2-byte sequence count).
//   - the list commands: no data (a request), or a CPF list that adds up
//     exactly, whose items are of the command's type (CIP Identity for
//     ListIdentity, List Services Response for ListServices, item type 1
//     for ListTargets). List commands need no session: a request, a reply
//     without items and a ListInterfaces reply must have session handle 0.
//   - RegisterSession: 4 bytes, protocol version 1 and options 0.
//   - UnregisterSession: no data.
//
// A PDU whose data carries nothing to check (a request without data,
// RegisterSession, a list reply without items, any ListInterfaces reply) is
// accepted only when the bytes after it start a header that passes the
// same checks, or the stream ends right after it (at EOF); until those
// bytes arrive Resync asks for more.
//
// Bytes before the first plausible header are skipped, at most [MaxSkip]
// per call, as an advance with a nil token. At EOF, a partial PDU is the
// last token only when its whole header is there and passes the checks its
// bytes allow, and no such header starts inside it; anything else left is
// skipped. Once Resync has delivered a
// PDU the stream is in step again: use Split. Resync never returns an error
// and does not allocate.
func Resync(data []byte, atEOF bool) (advance int, token []byte, err error) {
	limit := min(len(data), MaxSkip)
	for i := 0; i < limit; i++ {
		n, v := resyncAt(data, i, atEOF)
		switch {
		case v == vBad:
			continue
		case i > 0:
			return i, nil, nil
		case v == vOK && len(data) >= n:
			return n, data[:n:n], nil
		case atEOF:
			return last(data)
		}
		return 0, nil, nil
	}
	return limit, nil, nil
}

// last returns the partial PDU at EOF in data, whose header is plausible,
// as the last token, unless a fully plausible header starts inside it: then
// the claim that would swallow that PDU is not backed by bytes, and is
// skipped up to it (at most MaxSkip bytes).
func last(data []byte) (advance int, token []byte, err error) {
	for i := 1; i < len(data); i++ {
		if _, v := resyncAt(data, i, true); v == vOK {
			return min(i, MaxSkip), nil, nil
		}
	}
	return len(data), data, nil
}

// verdict is what the buffered bytes say of a header candidate.
type verdict uint8

const (
	vBad  verdict = iota // the bytes contradict a PDU here
	vMore                // consistent so far; more bytes are needed to decide
	vOK                  // every check passed
)

// resyncAt judges the candidate at data[i:] with the full checks of
// Resync, the PDU after a candidate without checkable data included. At
// EOF it never answers vMore: a candidate with a whole header that passed
// the checks its bytes allow is vOK, anything shorter vBad. n is the
// candidate's claimed size.
func resyncAt(data []byte, i int, atEOF bool) (n int, v verdict) {
	b := data[i:]
	n, v, weak := check(b, true)
	if v == vOK && weak {
		// Nothing in the PDU backs it: the bytes after it must start a
		// header as plausible, or the stream end right there.
		switch next := b[min(n, len(b)):]; {
		case len(next) >= HeaderLen:
			if _, v2, _ := check(next, true); v2 == vBad {
				v = vBad
			}
		case len(b) < n:
			// The candidate itself is cut: judged below.
		case !atEOF:
			v = vMore
		case len(next) > 0:
			if _, v2, _ := check(next, true); v2 == vBad {
				v = vBad
			}
		}
	}
	if atEOF && v == vMore {
		v = vBad
		if len(b) >= HeaderLen {
			v = vOK
		}
	}
	return n, v
}

// check judges the PDU candidate at the start of b by the bytes present:
// with strict unset the bounded commitment of Split, with strict set the
// full plausibility of Resync. n is the PDU's claimed size once the length
// field is there; weak reports a strict vOK whose data holds nothing to
// check. Only bytes before n are read.
func check(b []byte, strict bool) (n int, v verdict, weak bool) {
	if len(b) < 4 {
		// Too short for the length: the command's low byte, and its high
		// byte when present, must be possible.
		if b[0] > byte(CmdStartDTLS) || len(b) >= 2 && b[1] != 0 {
			return 0, vBad, false
		}
		return 0, vMore, false
	}
	c := Command(uint16(b[0]) | uint16(b[1])<<8)
	l := int(uint16(b[2]) | uint16(b[3])<<8)
	n = HeaderLen + l
	switch c {
	case CmdSendRRData, CmdSendUnitData:
		if l < 8 { // interface handle, timeout, item count
			return n, vBad, false
		}
	case CmdListIdentity, CmdListServices, CmdListInterfaces, CmdListTargets:
		if l == 1 {
			return n, vBad, false
		}
		weak = l == 0 || c == CmdListInterfaces
	case CmdRegisterSession:
		if l != 4 {
			return n, vBad, false
		}
		weak = true
	case CmdUnRegisterSession:
		if l != 0 {
			return n, vBad, false
		}
		weak = true
	case CmdNOP, CmdIndicateStatus, CmdCancel, CmdStartDTLS:
		if strict {
			return n, vBad, false
		}
	default:
		return n, vBad, false
	}
	if l > maxDataLen {
		return n, vBad, false
	}
	if len(b) < HeaderLen {
		return n, vMore, false
	}
	if b[20]|b[21]|b[22]|b[23] != 0 {
		return n, vBad, false
	}
	if strict && !Status(uint32(b[8])|uint32(b[9])<<8|uint32(b[10])<<16|uint32(b[11])<<24).Known() {
		return n, vBad, false
	}
	switch c {
	case CmdSendRRData, CmdSendUnitData:
		if len(b) < 28 {
			return n, vMore, false
		}
		if b[24]|b[25]|b[26]|b[27] != 0 {
			return n, vBad, false
		}
		return n, checkCPF(b, 30, n, c, strict), false
	case CmdListIdentity, CmdListServices, CmdListInterfaces, CmdListTargets:
		if l != 0 {
			v = checkCPF(b, HeaderLen, n, c, strict)
			if !strict || v != vOK {
				return n, v, false
			}
			weak = weak || b[24]|b[25] == 0 // a list without items
		}
		// The list commands need no session: a list request, or a reply
		// that carries nothing to check, must have session handle 0.
		if strict && b[4]|b[5]|b[6]|b[7] != 0 && weak {
			return n, vBad, false
		}
		return n, vOK, strict && weak
	case CmdRegisterSession:
		if strict {
			if len(b) < 28 {
				return n, vMore, false
			}
			if b[24] != 1 || b[25]|b[26]|b[27] != 0 {
				return n, vBad, false
			}
		}
		return n, vOK, strict
	case CmdUnRegisterSession:
		return n, vOK, strict
	}
	// NOP, IndicateStatus, Cancel, StartDTLS (Split only): their data has
	// no form to check. Twenty-four zero bytes are no NOP.
	if c == CmdNOP && l == 0 && allZero(b[4:20]) {
		return n, vBad, false
	}
	return n, vOK, false
}

// checkCPF checks the CPF list that starts at b[off:] and must end exactly
// at n (the PDU's end): every item header inside, the item lengths adding
// up. With strict set, the items must also be those command c carries.
func checkCPF(b []byte, off, n int, c Command, strict bool) verdict {
	if len(b) < off+2 {
		return vMore
	}
	count := int(uint16(b[off]) | uint16(b[off+1])<<8)
	if strict && (c == CmdSendRRData || c == CmdSendUnitData) && (count < 2 || count > 4) {
		return vBad
	}
	p := off + 2
	for k := range count {
		if p+4 > n {
			return vBad
		}
		if p+4 > len(b) {
			return vMore
		}
		t := ItemType(uint16(b[p]) | uint16(b[p+1])<<8)
		il := int(uint16(b[p+2]) | uint16(b[p+3])<<8)
		if strict && !itemFits(c, k, t, il) {
			return vBad
		}
		p += 4 + il
	}
	if p != n {
		return vBad
	}
	return vOK
}

// itemFits reports whether item k of a CPF list of command c may have type
// t and length il (Resync's checks).
func itemFits(c Command, k int, t ItemType, il int) bool {
	switch c {
	case CmdSendRRData:
		switch k {
		case 0:
			return t == ItemNullAddress && il == 0
		case 1:
			return t == ItemUnconnectedData
		}
		return (t == ItemSockaddrOT || t == ItemSockaddrTO) && il == 16
	case CmdSendUnitData:
		switch k {
		case 0:
			return t == ItemConnectedAddress && il == 4
		case 1:
			return t == ItemConnectedData && il >= 2
		}
		return (t == ItemSockaddrOT || t == ItemSockaddrTO) && il == 16
	case CmdListIdentity:
		return t == ItemListIdentity
	case CmdListServices:
		return t == ItemListServices
	case CmdListTargets:
		return t == 0x0001
	}
	return true // ListInterfaces: items of any type
}

func allZero(b []byte) bool {
	var x byte
	for _, c := range b {
		x |= c
	}
	return x == 0
}
