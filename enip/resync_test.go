package enip

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// frameAll cuts data to its end (atEOF set) with Resync until it delivers a
// PDU, then Split (or with Split from the start when resync is unset), and
// returns the tokens' offsets and the bytes skipped.
func frameAll(data []byte, resync bool) (offs []int, skipped int) {
	fn := Split
	if resync {
		fn = Resync
	}
	for off := 0; off < len(data); {
		adv, tok, _ := fn(data[off:], true)
		if tok != nil {
			offs = append(offs, off)
			fn = Split
		} else {
			skipped += adv
		}
		if adv <= 0 {
			break
		}
		off += adv
	}
	return offs, skipped
}

// concat joins PDUs into a stream and returns their offsets.
func concat(pdus ...[]byte) (stream []byte, offs []int) {
	for _, p := range pdus {
		offs = append(offs, len(stream))
		stream = append(stream, p...)
	}
	return stream, offs
}

// header builds an encapsulation header of command c with data length l,
// session, status and options, followed by data.
func header(c Command, l int, session, status, options uint32, data ...byte) []byte {
	b := []byte{byte(c), byte(c >> 8), byte(l), byte(l >> 8)}
	for _, v := range []uint32{session, status} {
		b = append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
	}
	b = append(b, 'c', 't', 'x', 0, 0, 0, 0, 1)
	b = append(b, byte(options), byte(options>>8), byte(options>>16), byte(options>>24))
	return append(b, data...)
}

func TestResyncFindsTheNextPDU(t *testing.T) {
	a := rr(1, "0e03200124013007")
	b := rr(2, "8e000000"+"0100")
	c := rr(3, "4c03910454657374"+"0100") // Read Tag "Test"
	stream, offs := concat(a, b, c)
	for start := 1; start < len(a); start++ {
		got, skipped := frameAll(stream[start:], true)
		require.Equal(t, []int{offs[1] - start, offs[2] - start}, got, "start %d", start)
		require.Equal(t, len(a)-start, skipped)
	}
	// From a PDU boundary nothing is skipped.
	got, skipped := frameAll(stream, true)
	require.Equal(t, offs, got)
	require.Zero(t, skipped)
}

func TestResyncZeroRuns(t *testing.T) {
	// A Read Tag reply of 100 zero bytes, between two requests.
	zeros := make([]byte, 100)
	reply := rr(4, "cc000000c400"+testkitHex(zeros))
	next := rr(5, "0e03200124013007")
	stream, offs := concat(reply, next)
	for start := 1; start < len(reply); start++ {
		got, _ := frameAll(stream[start:], true)
		require.Equal(t, []int{offs[1] - start}, got, "start %d", start)
	}
	// Split too refuses 24 zero bytes as a NOP: it skips them.
	run := append(make([]byte, 48), next...)
	adv, tok, _ := Split(run, false)
	require.Nil(t, tok)
	require.Equal(t, 48, adv)
	adv, tok, _ = Split(run[adv:], false)
	require.Equal(t, next, tok)
	require.Equal(t, len(next), adv)
}

func TestResyncWeakPDUs(t *testing.T) {
	lir := mustHex(hexListIdentityRequest)
	reg := header(CmdRegisterSession, 4, 0, 0, 0, 1, 0, 0, 0)
	unreg := header(CmdUnRegisterSession, 0, 0x11020100, 0, 0)
	a := rr(1, "0e03200124013007")
	for _, weak := range [][]byte{lir, reg, unreg} {
		// Nothing behind it yet: wait; at EOF, the stream ends right
		// after it and it is taken.
		adv, tok, _ := Resync(weak, false)
		require.Zero(t, adv)
		require.Nil(t, tok)
		adv, tok, _ = Resync(weak, true)
		require.Equal(t, weak, tok)
		require.Equal(t, len(weak), adv)
		// A header behind it that passes the checks vouches for it.
		stream := append(append([]byte{}, weak...), a...)
		_, tok, _ = Resync(stream, false)
		require.Equal(t, weak, tok)
		// Bytes behind it that start no header do not.
		stream = append(append([]byte{}, weak...), bytes.Repeat([]byte{0xee}, 30)...)
		adv, tok, _ = Resync(stream, false)
		require.Nil(t, tok)
		require.Positive(t, adv)
	}
	// A list request carries a session handle of 0.
	withSession := header(CmdListServices, 0, 0x00050000, 0, 0)
	stream := append(append([]byte{}, withSession...), a...)
	got, skipped := frameAll(stream, true)
	require.Equal(t, []int{len(withSession)}, got)
	require.Equal(t, len(withSession), skipped)
	// In step, Split takes it.
	got, _ = frameAll(stream, false)
	require.Equal(t, []int{0, len(withSession)}, got)
}

// TestResyncFullPlausibility lists PDUs that Split delivers in step (the
// bytes do not contradict them) but Resync does not take after a gap.
func TestResyncFullPlausibility(t *testing.T) {
	a := rr(1, "0e03200124013007")
	unknownStatus := rr(2, "0e03200124013007")
	unknownStatus[8] = 0x99
	oneItem := header(CmdSendRRData, 8+4+4, 0x11020100, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0xb2, 0, 4, 0, 0x0e, 0x01, 0x20, 0x01)
	wrongItems := header(CmdSendRRData, 8+4+4+4, 0x11020100, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0xa1, 0, 0, 0, 0xb2, 0, 4, 0, 0x0e, 0x01, 0x20, 0x01)
	cases := map[string][]byte{
		"NOP with data":             header(CmdNOP, 4, 0, 0, 0, 1, 2, 3, 4),
		"RegisterSession version 2": header(CmdRegisterSession, 4, 0, 0, 0, 2, 0, 0, 0),
		"RegisterSession options":   header(CmdRegisterSession, 4, 0, 0, 0, 1, 0, 1, 0),
		"unknown status":            unknownStatus,
		"one CPF item":              oneItem,
		"connected address in RR":   wrongItems,
		"IndicateStatus":            header(CmdIndicateStatus, 0, 0, 0, 0),
		"Cancel":                    header(CmdCancel, 2, 0, 0, 0, 0, 0),
		"StartDTLS":                 header(CmdStartDTLS, 0, 0, 0, 0),
	}
	for name, p := range cases {
		stream, offs := concat(p, a)
		got, skipped := frameAll(stream, false)
		require.Equal(t, offs, got, "%s: Split", name)
		require.Zero(t, skipped, name)
		got, skipped = frameAll(stream, true)
		require.Equal(t, offs[1:], got, "%s: Resync", name)
		require.Equal(t, len(p), skipped, name)
	}
	// A known error status is plausible.
	st := rr(3, "0e03200124013007")
	st[8] = byte(StatusInvalidSession)
	_, tok, _ := Resync(st, true)
	require.Equal(t, st, tok)
}

func TestSplitRefusesUnusedCommands(t *testing.T) {
	a := rr(1, "0e03200124013007")
	for _, c := range []Command{CmdLegacy2, CmdLegacy3, 0x0005, 0x0062, 0x0071, 0x00ff, 0x0100} {
		stream, offs := concat(header(c, 0, 0, 0, 0), a)
		for _, resync := range []bool{false, true} {
			got, skipped := frameAll(stream, resync)
			require.Equal(t, offs[1:], got, "%v", c)
			require.Equal(t, HeaderLen, skipped, "%v", c)
		}
	}
	// 24 zero bytes are not a NOP; a NOP with a session is.
	nop := header(CmdNOP, 0, 7, 0, 0)
	stream, offs := concat(nop, a)
	got, _ := frameAll(stream, false)
	require.Equal(t, offs, got)
}

func TestSplitBoundedCommitment(t *testing.T) {
	a := rr(1, "0e03200124013007")
	b := rr(2, "8e000000"+"0100")
	tail, _ := concat(a, b)
	bogus := []struct {
		name string
		hdr  []byte
		// undecided: the bytes buffered cannot contradict the claim yet
		// (a CPF walk over the PDUs behind it runs past their end), so
		// Split waits without EOF; at EOF the claim is not backed.
		undecided bool
	}{
		{"length over 65511", header(CmdSendRRData, 0xfff0, 0x04030201, 0, 0), false},
		{"interface handle", header(CmdSendRRData, 100, 0x04030201, 0, 0), false},
		{"RegisterSession length", header(CmdRegisterSession, 8, 0, 0, 0), false},
		{"UnregisterSession length", header(CmdUnRegisterSession, 4, 0, 0, 0), false},
		{"list reply", header(CmdListIdentity, 300, 0, 0, 0), true},
		{"list request of one byte", header(CmdListServices, 1, 0, 0, 0), false},
		{"options", header(CmdSendRRData, 16, 0, 0, 1), false},
	}
	for _, bg := range bogus {
		stream := append(append([]byte{}, bg.hdr...), tail...)
		got, skipped := frameAll(stream, false)
		require.Equal(t, []int{len(bg.hdr), len(bg.hdr) + len(a)}, got, bg.name)
		require.Equal(t, len(bg.hdr), skipped, bg.name)
		// Without EOF the claim is refused before its bytes arrive.
		adv, tok, _ := Split(stream, false)
		require.Nil(t, tok, bg.name)
		if bg.undecided {
			require.Zero(t, adv, bg.name)
		} else {
			require.Equal(t, len(bg.hdr), adv, bg.name)
		}
	}
	// CPF item lengths that cannot add up to the claim are refused as soon
	// as the item headers are in, without waiting for 1000 bytes.
	claim := header(CmdSendRRData, 1000, 0x11020100, 0, 0, 0, 0, 0, 0, 10, 0, 2, 0, 0, 0, 0, 0, 0xb2, 0, 10, 0)
	n, v, _ := check(claim, false)
	require.Equal(t, 1024, n)
	require.Equal(t, vBad, v)
	adv, tok, _ := Split(append(claim, a...), false)
	require.Nil(t, tok)
	require.Equal(t, len(claim), adv)
	// A claim the bytes agree with is waited for.
	for _, n := range []int{1, 4, 23, 24, 30, 35, 40, len(a) - 1} {
		adv, tok, _ = Split(a[:n], false)
		require.Zero(t, adv, n)
		require.Nil(t, tok, n)
	}
	// Item headers past the buffered bytes: wait, then judge.
	three := header(CmdSendRRData, 8+3*4+4, 0x11020100, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0xb2, 0, 4, 0, 1, 2, 3, 4, 0x00, 0x80, 0, 0)
	adv, _, _ = Split(three[:40], false)
	require.Zero(t, adv)
	adv, tok, _ = Split(three, false)
	require.Equal(t, three, tok)
	require.Equal(t, len(three), adv)
}

func TestResyncEOF(t *testing.T) {
	a := rr(1, "0e03200124013007")
	// Less than a header at EOF is skipped by Resync, returned by Split.
	adv, tok, _ := Resync(a[:20], true)
	require.Nil(t, tok)
	require.Equal(t, 20, adv)
	adv, tok, _ = Split(a[:20], true)
	require.Equal(t, a[:20], tok)
	require.Equal(t, 20, adv)
	// A whole plausible header cut in its data is the last token.
	adv, tok, _ = Resync(a[:30], true)
	require.Equal(t, a[:30], tok)
	require.Equal(t, 30, adv)
	_, _, err := Parse(tok)
	require.Equal(t, ErrTruncated, err)
	// Without EOF, Resync waits for it.
	adv, tok, _ = Resync(a[:30], false)
	require.Zero(t, adv)
	require.Nil(t, tok)
	// Empty input.
	adv, tok, _ = Resync(nil, true)
	require.Zero(t, adv)
	require.Nil(t, tok)
	// At most MaxSkip bytes per call.
	junk := bytes.Repeat([]byte{0xff}, 3*MaxSkip)
	adv, tok, _ = Resync(junk, false)
	require.Nil(t, tok)
	require.Equal(t, MaxSkip, adv)
	adv, _, _ = Split(junk, false)
	require.Equal(t, MaxSkip, adv)
}

// TestSplitCommonPath checks that Split's fast path and its general path
// cut every vector alike, whole and in every prefix.
func TestSplitCommonPath(t *testing.T) {
	for _, v := range allVectors() {
		for i := 0; i <= len(v); i++ {
			for _, eof := range []bool{false, true} {
				a1, t1, _ := Split(v[:i], eof)
				a2, t2, _ := split(v[:i], eof)
				require.Equal(t, a2, a1)
				require.Equal(t, t2, t1)
			}
		}
	}
}
