package s7comm

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

func TestSplitStream(t *testing.T) {
	a, b, c := sample("setupJob"), sample("readAck4"), sample("plusReq")
	var stream []byte
	stream = append(stream, a...)
	stream = append(stream, 0xde, 0xad, 0xbe, 0xef, 0x03) // garbage, then a false start
	stream = append(stream, b...)
	stream = append(stream, c...)
	sc := bufio.NewScanner(bytes.NewReader(stream))
	sc.Buffer(make([]byte, 4096), 70000)
	sc.Split(Split)
	var got [][]byte
	for sc.Scan() {
		got = append(got, append([]byte(nil), sc.Bytes()...))
	}
	require.NoError(t, sc.Err())
	require.Len(t, got, 3)
	assert.Equal(t, a, got[0])
	assert.Equal(t, b, got[1])
	assert.Equal(t, c, got[2])
}

func TestSplitCases(t *testing.T) {
	pdu := sample("readJob1")
	cases := []struct {
		name    string
		data    []byte
		atEOF   bool
		advance int
		token   []byte
	}{
		{"empty", nil, false, 0, nil},
		{"whole", pdu, false, len(pdu), pdu},
		{"two", append(append([]byte{}, pdu...), pdu...), false, len(pdu), pdu},
		{"partial header", pdu[:3], false, 0, nil},
		{"partial body", pdu[:20], false, 0, nil},
		{"partial at EOF", pdu[:20], true, 20, pdu[:20]},
		{"partial header at EOF", pdu[:3], true, 3, pdu[:3]},
		{"garbage", []byte{1, 2, 3, 4, 5}, false, 5, nil},
		{"garbage then pdu", append([]byte{9, 9}, pdu...), false, 2, nil},
		{"bad length", []byte{3, 0, 0, 2, 3, 0, 0, 7}, false, 4, nil},
	}
	for _, c := range cases {
		adv, tok, err := Split(c.data, c.atEOF)
		assert.NoError(t, err, c.name)
		assert.Equal(t, c.advance, adv, c.name)
		assert.Equal(t, c.token, tok, c.name)
	}
}

func TestSplitResyncBounded(t *testing.T) {
	junk := bytes.Repeat([]byte{0xaa}, 3*MaxSkip)
	adv, tok, err := Split(junk, false)
	assert.NoError(t, err)
	assert.Equal(t, MaxSkip, adv)
	assert.Equal(t, []byte(nil), tok)
}

// TestSplitEOF: a packet cut by the end of the stream is the last token and
// Parse reports it truncated, so that no bytes vanish without a count.
func TestSplitEOF(t *testing.T) {
	stream := append(sample("setupJob"), sample("readJob1")[:12]...)
	sc := bufio.NewScanner(bytes.NewReader(stream))
	sc.Split(Split)
	var errs []error
	for sc.Scan() {
		_, n, err := Parse(sc.Bytes())
		errs = append(errs, err)
		if err == ErrTruncated {
			assert.Zero(t, n)
		}
	}
	require.NoError(t, sc.Err())
	assert.Equal(t, []error{nil, ErrTruncated}, errs)
}

// cat joins byte slices into a new one.
func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// dt wraps p in a TPKT and a class-0 DT TPDU, with the EOT bit when eot.
func dt(p []byte, eot bool) []byte {
	n := 7 + len(p)
	b := []byte{3, 0, byte(n >> 8), byte(n), 2, 0xf0, 0}
	if eot {
		b[6] = 0x80
	}
	return append(b, p...)
}

// bogusS7 is a TPKT header claiming 65535 octets before a DT and an S7
// job header whose lengths make 31.
var bogusS7 = testkit.Hex("03 00 ff ff 02 f0 80 32 01 00 00 12 34 00 0e 00 00")

// splitCase is one call of Split or Resync: the advance and the token
// wanted (as the first tok octets of data, or no token when tok is 0).
type splitCase struct {
	name  string
	data  []byte
	atEOF bool
	adv   int
	tok   int
}

func runSplitCases(t *testing.T, fn func([]byte, bool) (int, []byte, error), cases []splitCase) {
	t.Helper()
	for _, c := range cases {
		adv, tok, err := fn(c.data, c.atEOF)
		require.NoError(t, err, c.name)
		assert.Equal(t, c.adv, adv, c.name)
		if c.tok == 0 {
			assert.Nil(t, tok, c.name)
		} else {
			assert.Equal(t, c.data[:c.tok], tok, c.name)
		}
	}
}

// TestResyncCases: Resync accepts a header only when everything its packet
// carries is plausible, and finds the first real packet behind garbage.
func TestResyncCases(t *testing.T) {
	job1, job4, ack4 := sample("readJob1"), sample("readJob4"), sample("readAck4")
	s7 := job4[7:]
	cont := dt(s7[10:30], false) // a DT that continues a message
	last := dt(s7[30:], true)    // the DT that ends it
	crBadParams := append([]byte{}, sample("cotpCR")...)
	crBadParams[20] = 9 // the last parameter overruns the header
	plusBadTrailer := append([]byte{}, sample("plusResp")...)
	plusBadTrailer[len(plusBadTrailer)-1] = 1
	unknownFn := append([]byte{}, job1...)
	unknownFn[17] = 0x77
	dt4 := cat([]byte{3, 0, 0, byte(len(job1) + 2), 4, 0xf0, 0, 1, 0x80}, job1[7:]) // class 2 DT with DST-REF
	empty := testkit.Hex("03 00 00 07 02 f0 00")
	junk := testkit.Hex("55 aa 55 aa 55 aa 55 aa")
	cases := []splitCase{
		{"job", job1, false, len(job1), len(job1)},
		{"ack-data", ack4, false, len(ack4), len(ack4)},
		{"garbage then job", cat([]byte{0xab, 0xcd}, job1), false, 2, 0},
		{"mid-packet start", cat(job4[5:], ack4), false, len(job4) - 5, 0},
		{"mid-header start", cat(job4[1:], ack4), false, len(job4) - 1, 0},
		{"only 0x03", bytes.Repeat([]byte{3}, 100), false, 99, 0}, // the last may start one
		{"only 0x03 at EOF", bytes.Repeat([]byte{3}, 100), true, 100, 0},
		{"empty DT", cat(empty, job1), false, 7, 7},
		{"connect request", sample("cotpCR"), false, len(sample("cotpCR")), len(sample("cotpCR"))},
		{"connect confirm", sample("cotpCC"), false, len(sample("cotpCC")), len(sample("cotpCC"))},
		{"connect request, parameters overrun", cat(crBadParams, junk), false, len(crBadParams) + len(junk), 0},
		{"S7comm-plus with trailer", sample("plusResp"), false, len(sample("plusResp")), len(sample("plusResp"))},
		{"S7comm-plus V3", sample("plusV3"), false, len(sample("plusV3")), len(sample("plusV3"))},
		{"S7comm-plus fragment", dt(testkit.Hex("72 02 00 04 31 00 00 05"), true), false, 15, 15},
		{"S7comm-plus, bad trailer, garbage behind", cat(plusBadTrailer, junk), false, len(plusBadTrailer) + len(junk), 0},
		{"S7comm-plus, bad trailer, a packet behind", cat(plusBadTrailer, job1), false, len(plusBadTrailer), len(plusBadTrailer)},
		{"unknown function, garbage behind", cat(unknownFn, junk), false, len(unknownFn) + len(junk), 0},
		{"first fragment of a longer S7 PDU", dt(s7[:10], false), false, 17, 17},
		{"DT with DST-REF", dt4, false, len(dt4), len(dt4)},
		{"continuation, a packet behind", cat(cont, job1), false, len(cont), len(cont)},
		{"continuation, the last fragment behind", cat(cont, last), false, len(cont), len(cont)},
		{"continuation, garbage behind", cat(cont, junk), false, len(cont) + len(junk), 0},
		{"continuation at the end", cont, false, 0, 0},
		{"continuation at EOF", cont, true, len(cont), len(cont)},
		{"bogus length claim", cat(bogusS7, job1), false, len(bogusS7), 0},
		{"partial packet", job4[:30], false, 0, 0},
		{"partial packet at EOF", job4[:30], true, 30, 30},
		{"partial head", job4[:5], false, 0, 0},
		{"partial head at EOF", job4[:5], true, 5, 0},
		{"junk", bytes.Repeat([]byte{0xaa}, 3*MaxSkip), false, MaxSkip, 0},
	}
	runSplitCases(t, Resync, cases)
}

// TestSplitBounded: Split commits to a claimed length only as far as the
// bytes it has back it, so that a bogus claim does not swallow the packets
// behind it; packets the bytes do not contradict, fragments included, are
// delivered as before.
func TestSplitBounded(t *testing.T) {
	job1, job4 := sample("readJob1"), sample("readJob4")
	s7 := job4[7:]
	small := append([]byte{}, bogusS7...)
	small[2], small[3] = 0, 64 // claims 64, the S7 header 31
	huge := testkit.Hex("03 00 30 00 02 f0 80 01 02 03 04 05")
	liOver := testkit.Hex("03 00 00 08 11 e0 00 00")
	unknownTPDU := testkit.Hex("03 00 00 0b 06 30 00 00 00 00 00")
	plusOver := dt(testkit.Hex("72 02 00 10 31 00 00 05"), true)
	plusOver[2], plusOver[3] = 1, 0 // 256 octets for a header of 4+16+4
	filler := bytes.Repeat([]byte{0x55}, 300)
	cases := []splitCase{
		{"bogus 65535", cat(bogusS7, job1), false, len(bogusS7), 0},
		{"bogus small claim", cat(small, job1, job4), false, len(small), 0},
		{"claim beyond MaxFrameLen", cat(huge, job1), false, len(huge), 0},
		{"COTP header beyond the claim", cat(liOver, job1), false, len(liOver), 0},
		{"unknown TPDU code", cat(unknownTPDU, job1), false, len(unknownTPDU), 0},
		{"S7comm-plus claim beyond its header", cat(plusOver, filler, job1), false, len(plusOver) + len(filler), 0},
		{"the same, its claim not all there: wait", cat(plusOver, job1), false, 0, 0},
		{"bogus small claim, not all there: wait", small, false, 0, 0},
		{"bogus small claim, no header where it ends", cat(small, filler, job1), false, len(small) + len(filler), 0},
		{"odd S7 lengths, a header where it ends", cat(small, filler[:64-len(small)], job1), false, 64, 64},
		{"consistent header, body to come", job4[:20], false, 0, 0},
		{"the same at EOF", job4[:20], true, 20, 20},
		{"first fragment", dt(s7[:10], false), false, 17, 17},
		{"continuation", dt(s7[10:30], false), false, 27, 27},
		{"last fragment", dt(s7[30:], true), false, 7 + len(s7) - 30, 7 + len(s7) - 30},
		{"ack without parameters", sample("ackError"), false, len(sample("ackError")), len(sample("ackError"))},
		{"S7comm-plus", sample("plusReq"), false, len(sample("plusReq")), len(sample("plusReq"))},
		{"connect request", sample("cotpCR"), false, len(sample("cotpCR")), len(sample("cotpCR"))},
	}
	runSplitCases(t, Split, cases)

	// In a stream, the packets behind a bogus claim are all delivered.
	for _, bogus := range [][]byte{bogusS7, small, huge, liOver, unknownTPDU, plusOver} {
		stream := cat(job1, bogus, job4, sample("plusReq"), job1)
		var got [][]byte
		for data := stream; len(data) > 0; {
			adv, tok, _ := Split(data, true)
			if tok != nil {
				got = append(got, tok)
			}
			data = data[adv:]
		}
		assert.Equal(t, [][]byte{job1, job4, sample("plusReq"), job1}, got, "% x", bogus)
	}
}

// TestSplitFastPath: Split's fast path takes no packet its general path
// would not vouch for. A DT of 31 octets with an S7 header of each ROSCTR
// and garbage behind it is a packet only when the header's lengths fill
// it: not when its parameter length alone makes the TPKT length (what a
// ROSCTR without a header length would add up to).
func TestSplitFastPath(t *testing.T) {
	junk := bytes.Repeat([]byte{0x55}, 16)
	for ros := 0; ros < 8; ros++ {
		hdr := 10
		if ROSCTR(ros) == Ack || ROSCTR(ros) == AckData {
			hdr = 12
		}
		for _, param := range []int{24 - hdr, 31} {
			pkt := make([]byte, 31)
			copy(pkt, []byte{3, 0, 0, 31, 2, 0xf0, 0x80, 0x32, byte(ros), 0, 0, 0, 0, 0, byte(param), 0, 0})
			adv, tok, _ := Split(cat(pkt, junk), false)
			if ROSCTR(ros).Known() && param == 24-hdr {
				assert.Equal(t, pkt, tok, "ROSCTR %d, parameter %d", ros, param)
			} else {
				assert.Nil(t, tok, "ROSCTR %d, parameter %d", ros, param)
				assert.Positive(t, adv)
			}
		}
	}
}
