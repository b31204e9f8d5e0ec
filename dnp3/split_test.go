package dnp3

import (
	"bytes"
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cutToken is a token a split function delivered: its offset in the stream
// and its length.
type cutToken struct{ off, n int }

// cutStream frames stream with fn as pcapx does: the bytes arrive in
// chunks of the given sizes (repeated; the whole stream at once when none),
// each call sees what is buffered, and the last bytes are framed with
// atEOF set. It returns the tokens and the number of bytes skipped, and
// checks that every token views the buffer from its start and that every
// call makes progress or asks for more bytes.
func cutStream(t *testing.T, fn func([]byte, bool) (int, []byte, error), stream []byte, chunks ...int) (toks []cutToken, skipped int) {
	t.Helper()
	var buf []byte
	off, fed := 0, 0
	for c := 0; ; c++ {
		atEOF := fed == len(stream)
		if !atEOF {
			k := len(stream) - fed
			if len(chunks) > 0 {
				k = min(k, chunks[c%len(chunks)])
			}
			buf = append(buf, stream[fed:fed+k]...)
			fed += k
			atEOF = fed == len(stream) && len(chunks) == 0
		}
		for len(buf) > 0 {
			adv, tok, err := fn(buf, atEOF)
			require.NoError(t, err)
			require.True(t, adv >= 0 && adv <= len(buf), "advance %d of %d", adv, len(buf))
			if adv == 0 {
				require.False(t, atEOF, "no progress at EOF")
				require.Nil(t, tok)
				break
			}
			if tok == nil {
				skipped += adv
			} else {
				require.True(t, testkit.Inside(tok, buf[:adv]), "token outside the consumed bytes")
				require.Equal(t, adv, len(tok))
				require.Equal(t, &buf[0], &tok[0], "token does not start the buffer")
				toks = append(toks, cutToken{off, len(tok)})
			}
			off += adv
			buf = buf[adv:]
		}
		if atEOF {
			return toks, skipped
		}
	}
}

// bogusHeader is a link header with a good header CRC claiming length l.
func bogusHeader(l byte) []byte {
	h := []byte{0x05, 0x64, l, 0xc4, 0x01, 0x00, 0x02, 0x00}
	c := CRC(h)
	return append(h, byte(c), byte(c>>8))
}

// TestSplitBoundedClaim checks that a header's length claim is given up
// when a data block of the claimed frame fails its CRC and a valid header
// starts inside the claimed span, or when the stream ends inside the claim
// with a valid header in it, and only then: a real frame with a bad block
// CRC, a frame that carries a header in its user data and a frame cut at
// EOF are framed as their length says. The result must not depend on how
// the stream arrives.
func TestSplitBoundedClaim(t *testing.T) {
	a, b, c := unhex(t, hexReadClass), unhex(t, hexResp2), unhex(t, hexConfirm)
	link := AppendLinkFrame(nil, 0xc9, 10, 1, nil) // a request link status: no user data
	// A real frame whose data was damaged on the way: a bad block CRC.
	damaged := unhex(t, hexAnalog)
	damaged[12] ^= 0x40
	// A frame with good CRCs whose user data holds a valid link header.
	carrier := AppendLinkFrame(nil, 0x44, 1, 10, append([]byte{0xc0, 0xc0, 0x81, 0, 0}, a...))
	// The same, its first block damaged.
	carrierBad := bytes.Clone(carrier)
	carrierBad[11] ^= 0x01
	// A short claim whose span ends inside the header of the frame after
	// it: its block (three octets of that header and two of its CRC)
	// fails, and the decision waits for the rest of that header.
	short := bogusHeader(8)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	whole := func(parts ...[]byte) []cutToken {
		var out []cutToken
		off := 0
		for _, p := range parts {
			if p == nil {
				off += HeaderLen // a skipped bogus header
				continue
			}
			out = append(out, cutToken{off, len(p)})
			off += len(p)
		}
		return out
	}
	_, _, err := Parse(damaged)
	require.Equal(t, ErrCRC, err)
	require.False(t, crcOK(cat(short, a)[HeaderLen:], 3), "the short claim's block must fail")
	j, pending := innerHeader(carrier, len(carrier))
	require.Equal(t, 15, j, "the carrier holds a valid header")
	require.False(t, pending)

	tests := []struct {
		name    string
		stream  []byte
		want    []cutToken
		skipped int
	}{
		{"in sync", cat(a, b, c, link), whole(a, b, c, link), 0},
		{"bogus claim of 255 before frames", cat(bogusHeader(255), a, b, c, a, b, c), whole(nil, a, b, c, a, b, c), HeaderLen},
		{"bogus claim of 255 before one short frame", cat(a, bogusHeader(255), link), whole(a, nil, link), HeaderLen},
		{"bogus claim of 255 before a frame cut at EOF", cat(bogusHeader(255), a[:20]), []cutToken{{HeaderLen, 20}}, HeaderLen},
		{"bogus claim of 40", cat(bogusHeader(40), a, c, b), whole(nil, a, c, b), HeaderLen},
		{"short claim ending inside a header", cat(short, a, c), whole(nil, a, c), HeaderLen},
		{"two bogus claims", cat(bogusHeader(255), bogusHeader(200), b, c), whole(nil, nil, b, c), 2 * HeaderLen},
		{"damaged frame", cat(a, damaged, b, c), whole(a, damaged, b, c), 0},
		{"damaged frame last", cat(a, damaged), whole(a, damaged), 0},
		{"damaged frame cut at EOF", cat(a, damaged[:40]), whole(a, damaged[:40]), 0},
		{"header in good user data", cat(carrier, b), whole(carrier, b), 0},
		// The header at 15 claims 27 octets of the carrier (a's header and
		// first octet, then the carrier's block CRC and a's next octets):
		// it is framed as its length says; the carrier's last octets are
		// skipped.
		{"header in damaged user data", cat(carrierBad, b), []cutToken{{15, len(a)}, {len(carrier), len(b)}}, len(carrier) - len(a)},
		{"header in user data cut at EOF", cat(b, carrier[:30]), []cutToken{{0, len(b)}, {len(b) + 15, 15}}, 15},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, chunks := range [][]int{nil, {1}, {7}, {10, 3}, {64}} {
				toks, skipped := cutStream(t, Split, tc.stream, chunks...)
				assert.Equal(t, tc.want, toks, "chunks %v", chunks)
				assert.Equal(t, tc.skipped, skipped, "chunks %v", chunks)
			}
		})
	}

	// The short claim complete but the header after it not: wait, unless
	// the stream ends there.
	s := cat(short, a[:5])
	adv, tok, _ := Split(s, false)
	assert.Equal(t, 0, adv)
	assert.Nil(t, tok)
	adv, tok, _ = Split(s, true)
	assert.Equal(t, FrameLen(8), adv)
	_, _, err = Parse(tok)
	assert.Equal(t, ErrCRC, err)
	// One more octet of that header decides nothing yet either.
	adv, _, _ = Split(cat(short, a[:9]), false)
	assert.Equal(t, 0, adv)
	adv, tok, _ = Split(cat(short, a[:HeaderLen]), false)
	assert.Equal(t, HeaderLen, adv)
	assert.Nil(t, tok)
	// The bogus claim rejected as soon as its first block is buffered.
	adv, tok, _ = Split(cat(bogusHeader(255), a[:18]), false)
	assert.Equal(t, HeaderLen, adv)
	assert.Nil(t, tok)
	adv, _, _ = Split(cat(bogusHeader(255), a[:17]), false)
	assert.Equal(t, 0, adv)
}

// TestResync checks Resync: it finds the first frame after damage, never
// delivers a header it cannot check, and frames as Split does after that.
func TestResync(t *testing.T) {
	a, b, c := unhex(t, hexReadClass), unhex(t, hexResp2), unhex(t, hexConfirm)
	stream := bytes.Join([][]byte{a, b, c, unhex(t, hexMixed), unhex(t, hexCROB)}, nil)
	starts := []int{0}
	for _, f := range [][]byte{a, b, c, unhex(t, hexMixed)} {
		starts = append(starts, starts[len(starts)-1]+len(f))
	}
	// From every offset, the first token is the first frame that starts
	// at or after it, and the rest follow.
	for off := range stream {
		toks, _ := cutStream(t, Resync, stream[off:])
		first := 0
		for first < len(starts) && starts[first] < off {
			first++
		}
		require.Len(t, toks, len(starts)-first, "from offset %d", off)
		for i, tk := range toks {
			assert.Equal(t, starts[first+i]-off, tk.off, "from offset %d", off)
		}
	}
	// Near misses: start bytes with a bad header CRC, a length below 5.
	bad := bytes.Clone(a)
	bad[9] ^= 0x01
	junk := bytes.Join([][]byte{{0x05, 0x64, 0x03, 0xc4, 0, 0, 0, 0, 0, 0}, bad[:15], {0x05, 0x05, 0x64}}, nil)
	toks, skipped := cutStream(t, Resync, append(bytes.Clone(junk), b...))
	assert.Equal(t, []cutToken{{len(junk), len(b)}}, toks)
	assert.Equal(t, len(junk), skipped)
	// A partial header at EOF is skipped, where Split returns it.
	for _, tail := range [][]byte{a[:2], a[:5], a[:9]} {
		adv, tok, err := Resync(tail, true)
		assert.Equal(t, len(tail), adv)
		assert.Nil(t, tok)
		assert.NoError(t, err)
		_, tok, _ = Split(tail, true)
		assert.Equal(t, tail, tok)
	}
	// A frame cut after its header is returned by both at EOF.
	adv, tok, _ := Resync(a[:12], true)
	assert.Equal(t, 12, adv)
	assert.Equal(t, a[:12], tok)
	// Before EOF, a partial header waits.
	adv, tok, _ = Resync(a[:5], false)
	assert.Equal(t, 0, adv)
	assert.Nil(t, tok)
	// A bogus claim is given up as by Split.
	toks, skipped = cutStream(t, Resync, append(bogusHeader(255), stream...))
	assert.Len(t, toks, len(starts))
	assert.Equal(t, HeaderLen, skipped)
}
