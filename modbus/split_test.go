package modbus

import (
	"bufio"
	"bytes"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitStream(t *testing.T) {
	// Two FC3 requests back to back, garbage, then a third split by the reader.
	adu := []byte{0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a}
	var stream []byte
	stream = append(stream, adu...)
	stream = append(stream, adu...)
	stream = append(stream, 0xff, 0xff, 0x12)
	stream = append(stream, adu...)
	sc := bufio.NewScanner(bytes.NewReader(stream))
	sc.Split(Split)
	n := 0
	for sc.Scan() {
		if !bytes.Equal(sc.Bytes(), adu) {
			t.Fatalf("token %d = % x", n, sc.Bytes())
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("got %d ADUs, want 3", n)
	}
}

// tokens cuts b with f as one buffer at EOF and returns the tokens, and
// the bytes skipped.
func tokens(f func([]byte, bool) (int, []byte, error), b []byte) (toks [][]byte, skipped int) {
	for len(b) > 0 {
		adv, tok, _ := f(b, true)
		if adv <= 0 {
			break
		}
		if tok == nil {
			skipped += adv
		} else {
			toks = append(toks, tok)
		}
		b = b[adv:]
	}
	return toks, skipped
}

// polling returns n ADUs of a polling client (Read Holding Registers
// requests, transaction ids counting up) or of its server (10-register
// responses), back to back.
func polling(n int, requests bool) (stream []byte, adus [][]byte) {
	for i := range n {
		var a []byte
		if requests {
			a = h("0000000000060a0300050002")
		} else {
			a = h("0000000000170a0314000100020003000400050006000700080009000a")
		}
		a[0], a[1] = byte(0x57), byte(i)
		stream = append(stream, a...)
		adus = append(adus, a)
	}
	return stream, adus
}

// TestSplitBoundsCommitment: a header whose length field its layout does
// not back, and that the bytes behind it contradict, is skipped, so that
// the ADUs behind it are all delivered.
func TestSplitBoundsCommitment(t *testing.T) {
	for _, tc := range []struct {
		name  string
		bogus []byte
	}{
		{"read holding registers, length 256", h("1234000001000103")},
		{"write multiple registers, length 256", h("12340000010001100000")},
		{"read holding registers, length 200", h("1234000000c80103")},
		{"byte count 4, length 256", h("12340000010001030400")},
		{"user-defined function, length 256", h("12340000010001410000")},
		{"UMAS, length 256", h("123400000100015a00")},
	} {
		for _, requests := range []bool{true, false} {
			t.Run(tc.name, func(t *testing.T) {
				real, adus := polling(40, requests)
				stream := append(append(append([]byte(nil), real[:len(real)/2]...), tc.bogus...), real[len(real)/2:]...)
				toks, skipped := tokens(Split, stream)
				assert.Equal(t, adus, toks, "every ADU, none swallowed")
				assert.Equal(t, len(tc.bogus), skipped)
			})
		}
	}
	// Before the claimed bytes are there, a contradiction in the bytes
	// buffered is enough to skip: an ADU followed by three headers.
	real, _ := polling(5, true)
	stream := append(h("1234000001000103"), real...)
	adv, tok, _ := Split(stream, false)
	assert.Nil(t, tok)
	assert.Equal(t, 8, adv, "skips the bogus header")
	// With nothing to contradict it, a claim the layout does not back
	// waits for its bytes, and is cut as it claims when they are there.
	stream = h("1234000000100103ffffffffffffffff")
	adv, tok, _ = Split(stream, false)
	assert.Zero(t, adv)
	assert.Nil(t, tok)
	stream = append(stream, h("ffffffffffff")...)
	_, tok, _ = Split(stream, true)
	assert.Len(t, tok, 22)
	// At EOF, such a claim that runs past the end is skipped, not taken
	// as the last token: it would swallow the ADUs it covers.
	stream = append(h("1234000000400103"), real...)
	toks, _ := tokens(Split, stream)
	assert.Len(t, toks, 5)
}

// TestSplitTakesOddADUs: ADUs whose length the layout does not back are
// still cut as they claim when the bytes do not contradict them: trailing
// bytes, vendor functions, vendor functions followed by padding, and an
// oversize UMAS ADU, as Wireshark shows them.
func TestSplitTakesOddADUs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stream []byte
		want   []int // token lengths
	}{
		{"exceptions with a trailing byte", h("0001000000040a810600 0001000000040a810600 0001000000040a810500"), []int{10, 10, 10}},
		{"write single register with 2 trailing bytes", h("0000000000080106000000000000 0000000000020107"), []int{14, 8}},
		{"reserved function then padding", h("0001000000050a2a0e0401 010123"), []int{11}},
		{"UMAS of 254 bytes", append(append(h("0007000000ff005a"), make([]byte, 253)...), h("000800000004005a00fe")...), []int{261, 10}},
		{"function 0 probe then function 0", h("0000000000020001 86a300000003000000"), []int{8, 9}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			toks, _ := tokens(Split, tc.stream)
			var got []int
			for _, tok := range toks {
				got = append(got, len(tok))
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestResync: after a gap, Resync finds the first ADU and delivers nothing
// before it.
func TestResync(t *testing.T) {
	req, reqs := polling(6, true)
	resp, resps := polling(6, false)
	for _, tc := range []struct {
		name  string
		data  []byte
		first []byte // the first token, nil for none
	}{
		{"at an ADU", req, reqs[0]},
		{"inside a request", req[3:], reqs[1]},
		// A Read Coils request's data (address 0, quantity 6) and the
		// next transaction id (2a 02) read as a request too: "ff 01
		// 00 00 00 06 2a 02 ...", and so does the next one; but the
		// view does not line up with the Write Multiple Coils after
		// them, and the real ADUs do.
		{"request data that looks like a header", h(`2a01000000 06ff01000000 06
			2a0200000006ff0100000006 2a0300000008ff0f0005000101 00
			2a0400000006ff0100000006 2a0500000006ff0100000006`)[6:], h("2a0200000006ff0100000006")},
		{"inside a response", resp[5:], resps[1]},
		// "00 00 00 00 00 03 14 ed 0a": an exception of a user-defined
		// function, made of a register's zeros and the next
		// transaction id; what follows it is no header.
		{"an exception made of data", h(`00000000000314
			ed0a0000001302041000005850000000000000000000000314
			ee0a0000001302041000005850000000000000000000000314`), h("ed0a0000001302041000005850000000000000000000000314")},
		{"garbage only", h("ffeeddccbbaa99887766554433221100"), nil},
		{"an unassigned function, chained", h("ff 000000000006014900000000 000000000006014a00000000 000000000006014b00000000"), h("000000000006014900000000")},
		{"UMAS, chained", h("00 001000000004005a00fe 001100000004005a00fe 001200000004005a00fe"), h("001000000004005a00fe")},
		{"an odd ADU that ends the stream", h("ffff 000000000006014900000000"), h("000000000006014900000000")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var first []byte
			skipped := 0
			for b := tc.data; len(b) > 0; {
				adv, tok, err := Resync(b, true)
				require.NoError(t, err)
				require.Positive(t, adv)
				if tok != nil {
					first = tok
					break
				}
				skipped += adv
				b = b[adv:]
			}
			assert.Equal(t, tc.first, first, "skipped %d", skipped)
		})
	}
	// Not at EOF, Resync waits while the bytes cannot tell: an ADU needs
	// the headers after it.
	adv, tok, _ := Resync(req[:14], false)
	assert.Zero(t, adv)
	assert.Nil(t, tok)
	_, tok, _ = Resync(req[:14], true)
	assert.Nil(t, tok, "at EOF, an ADU followed by a cut header does not convince")
	_, tok, _ = Resync(req[:12], true)
	assert.Equal(t, reqs[0], tok, "at EOF, the last ADU needs nothing after it")
	// A call skips at most MaxSkip bytes.
	garbage := bytes.Repeat([]byte{0xff}, 3*MaxSkip)
	adv, tok, _ = Resync(garbage, true)
	assert.Equal(t, MaxSkip, adv)
	assert.Nil(t, tok)
}

// TestResyncMidStream starts Resync at every offset of a polling exchange
// in both directions: the first token is always the first ADU that starts
// at or after the offset.
func TestResyncMidStream(t *testing.T) {
	for _, requests := range []bool{true, false} {
		stream, adus := polling(12, requests)
		size := len(adus[0])
		for off := range len(stream) {
			var first []byte
			at := off
			for b := stream[off:]; len(b) > 0 && first == nil; {
				adv, tok, _ := Resync(b, true)
				require.Positive(t, adv)
				first = tok
				if tok == nil {
					at += adv
				}
				b = b[adv:]
			}
			want := (off + size - 1) / size // the first ADU at or after off
			if want == len(adus) {
				assert.Nil(t, first, "from %d", off)
				continue
			}
			assert.Equal(t, want*size, at, "from %d", off)
			assert.Equal(t, adus[want], first, "from %d", off)
		}
	}
}

// layoutFits is the reference of fits, from layoutLength: 1 when the
// length is what the layout fixes in one direction, 0 when in neither,
// layoutOpen when one leaves it open, layoutMore when one needs a byte
// beyond b.
func layoutFits(b []byte, length int) int {
	q, r := layoutLength(b, Request), layoutLength(b, Response)
	switch {
	case q == layoutOpen || r == layoutOpen:
		return layoutOpen
	case q == layoutMore || r == layoutMore:
		return layoutMore
	case length > 1+MaxPDULen:
		return 0
	case length == q || length == r:
		return 1
	}
	return 0
}

// TestFitsAgreesWithLayouts: fits, Split's one-switch form, judges every
// header as layoutLength does in both directions (a length one direction
// fixes may be told before the other direction's byte is there), and
// quickFit agrees with both.
func TestFitsAgreesWithLayouts(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for range 300000 {
		b := make([]byte, 8+r.Intn(12))
		for i := range b {
			if r.Intn(3) == 0 {
				b[i] = byte(r.Intn(8))
			} else {
				b[i] = byte(r.Intn(256))
			}
		}
		b[7] = byte(r.Intn(30))
		if r.Intn(5) == 0 {
			b[7] = 43
		}
		if r.Intn(8) == 0 {
			b[7] |= 0x80
		}
		length := r.Intn(270)
		got, want := fits(b, length), layoutFits(b, length)
		switch {
		case want == layoutOpen || got == layoutOpen:
			require.Equal(t, want, got, "% x length %d", b, length)
		case want == 0 || got == fitNo:
			require.Equal(t, want, got, "% x length %d", b, length)
		}
		if len(b) >= 9 && quickFit(b[7], b[8], length) {
			require.Equal(t, fitYes, got, "quickFit % x length %d", b, length)
		}
	}
}

// TestNextZeroPair checks the word-at-a-time search against a byte loop.
func TestNextZeroPair(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	for range 200000 {
		n := 8 + r.Intn(40)
		b := make([]byte, n)
		for i := range b {
			if r.Intn(3) == 0 {
				b[i] = byte(r.Intn(3))
			} else {
				b[i] = byte(r.Intn(256))
			}
		}
		last := r.Intn(n - 7 + 1)
		j := 1 + r.Intn(4)
		want := max(j, last)
		for k := j; k < last; k++ {
			if b[k+2] == 0 && b[k+3] == 0 {
				want = k
				break
			}
		}
		got := nextZeroPair(b, j, last)
		if j >= last {
			require.GreaterOrEqual(t, got, last)
			continue
		}
		require.Equal(t, want, got, "% x from %d to %d", b, j, last)
	}
}

// segmentTokens cuts a stream that arrives in segs with f, as pcapx does:
// each segment is appended to what is buffered and f cuts until it asks
// for more; after the last, f sees the rest at EOF.
func segmentTokens(f func([]byte, bool) (int, []byte, error), segs [][]byte) (toks [][]byte) {
	var buf []byte
	cut := func(atEOF bool) {
		for len(buf) > 0 {
			adv, tok, _ := f(buf, atEOF)
			if adv <= 0 {
				return
			}
			if tok != nil {
				toks = append(toks, append([]byte(nil), tok...))
			}
			buf = buf[adv:]
		}
	}
	for _, s := range segs {
		buf = append(buf, s...)
		cut(false)
	}
	cut(true)
	return toks
}

// TestSplitBogusHeaderBeforeData: a header an attacker inserts in sequence
// (an exception code, so 3 long by its layout, claiming 55 bytes) before
// Read Input Registers responses whose registers hold runs of zeros. Where
// the claim ends, inside the second response, the zeros read as a header
// (protocol id 0, length 3); the response inside the claimed span, whose
// own layout backs its length, is only confirmed by the responses after
// it. Split waits for them rather than take the claim, so the framing
// stays on the real ADUs, segment by segment as in one buffer.
func TestSplitBogusHeaderBeforeData(t *testing.T) {
	adus := zeroRunADUs[1:]
	bogus := h("303000000037")
	segs := [][]byte{adus[0], append(append([]byte(nil), bogus...), adus[1]...), adus[2], adus[3], adus[4], adus[5]}
	assertSplitsTo(t, adus, segs)
}

// zeroRunADUs are Read Input Registers responses of a real conversation
// whose registers hold runs of zeros: data that a bogus header inserted
// before them can shift the framing onto.
var zeroRunADUs = [][]byte{
	h("41cf 0000 0007 02 04 04 0000 5846"),
	h("41d0 0000 0007 03 04 04 0000 57e2"),
	h("41d1 0000 001f 01 04 1c 0000 53f2 0000 0000 0000 0000 0000 3300 0000 0000 0000 0000 0000 5936"),
	h("41d2 0000 001f 02 04 1c 0000 5846 0000 0000 0000 0000 0000 0313 0000 0000 0000 0000 0000 03b1"),
	h("41d3 0000 001f 03 04 1c 0000 57e2 0000 0000 0000 0000 0000 31bc 0000 0000 0000 0000 0000 6231"),
	h("41d4 0000 0005 07 04 02 0000"),
	h("41d5 0000 0007 01 04 04 0000 53f2"),
}

// assertSplitsTo checks that Split cuts exactly want from segs, fed
// segment by segment and as one buffer.
func assertSplitsTo(t *testing.T, want, segs [][]byte) {
	t.Helper()
	assert.Equal(t, want, segmentTokens(Split, segs), "segment by segment")
	assert.Equal(t, want, segmentTokens(Split, [][]byte{bytes.Join(segs, nil)}), "one buffer")
}

// TestSplitBogusFunctionZero: a bogus header inserted in sequence, in a
// segment of its own, whose length field and function code are the first
// bytes of the next response (a length of 10 and function 0). No function
// has code 0, so its claim does not stand against the response it covers:
// taken, it put the framing inside that response's registers, where zeros
// read as another function-0 header claiming 57.
func TestSplitBogusFunctionZero(t *testing.T) {
	adus := [][]byte{
		h("0afd 0000 0005 07 04 02 03e8"),
		h("0afc 0000 001f 03 04 1c 0000 59a7 0000 0000 0000 0000 0000 390c 0000 0000 0000 0000 0000 762e"),
		h("0aff 0000 0007 02 04 04 0000 5a39"),
		h("0b04 0000 0005 07 04 02 03e8"),
		h("0b01 0000 001f 02 04 1c 0000 5a42 0000 0000 0000 0000 0000 032b 0000 0000 0000 0000 0000 03d4"),
		h("0b02 0000 0007 03 04 04 0000 59a3"),
	}
	bogus := h("3030 0000 00")
	segs := [][]byte{adus[0], bogus, adus[1], adus[2], adus[3], adus[4], adus[5]}
	assertSplitsTo(t, adus, segs)
}

// TestSplitBogusOpenLayout: a bogus header inserted in sequence, in a
// segment of its own, whose function code is the next response's first
// byte: 0x41, a user-defined function, whose layout leaves the length
// open. Its claim of 55 covers responses whose own layouts back their
// lengths, and its end is not followed by the next ADU. Split waits for
// the ADUs that confirm the responses rather than take the claim: taken,
// it put the framing inside register data.
func TestSplitBogusOpenLayout(t *testing.T) {
	adus := zeroRunADUs
	bogus := h("3030 0000 0037 30")
	segs := append([][]byte{adus[0], bogus}, adus[1:]...)
	assertSplitsTo(t, adus, segs)
}
