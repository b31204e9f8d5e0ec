package s7comm

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
