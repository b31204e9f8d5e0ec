package iec104

import (
	"encoding/hex"
	"fmt"
	"sort"
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Built APDUs for the framing tests.
const (
	// hexReadCmd is C_RD_NA_1 (element size 0) of address 1.
	hexReadCmd = "680d00000000660105000100010000"
	// hexSegment is F_SG_NA_1 with one segment of 3 octets.
	hexSegment = "681400000000" + "7d010d000100" + "010000" + "0100" + "01" + "03" + "aabbcc"
	// hexBogus is an I-frame head claiming 253 octets.
	hexBogus = "68fd00000000"
)

// TestResync checks every reason Resync refuses an APDU head, from built
// bytes: each refused head is followed by a valid APDU, which Resync must
// find (it skips up to it), and each accepted one is cut at once.
func TestResync(t *testing.T) {
	float := testkit.Hex(hexFloatCP56)
	withBit := func(h string, i int, set, clear byte) string {
		b := testkit.Hex(h)
		b[i] = b[i]&^clear | set
		return hex.EncodeToString(b)
	}
	accepted := []struct{ name, hex string }{
		{"I-frame", hexFloatCP56},
		{"S-frame", hexSFrame},
		{"U-frame", hexStartDTAct},
		{"TESTFR con", "680483000000"},
		{"SQ=1", hexSQ},
		{"element size 0", hexReadCmd},
		{"variable element", hexSegment},
		{"negative confirmation, test bit", "680e00000000640147000a0000000014"},
		{"largest APDU", largest()},
	}
	for _, tt := range accepted {
		b := testkit.Hex(tt.hex + "68")
		adv, tok, err := Resync(b, false)
		require.NoError(t, err)
		assert.Equal(t, len(b)-1, adv, tt.name)
		assert.Equal(t, b[:adv], tok, tt.name)
		_, _, perr := Parse(tok)
		assert.NoError(t, perr, tt.name)
	}
	refused := []struct{ name, hex string }{
		{"length 2", "68020268"},
		{"length 254", "68fe" + hexFloatCP56[4:]},
		{"length 255", "68ff07000000"},
		{"S-frame reserved bits in octet 2", "680401011a00"},
		{"S-frame reserved bit in octet 3", "680401001b00"},
		{"S-frame length 6", "680601001a000000"},
		{"U-frame two functions", "68040f000000"},
		{"U-frame no function", "680403000000"},
		{"U-frame octet 3 set", "680407000100"},
		{"U-frame length 5", "68050700000000"},
		{"I-frame reserved bit", withBit(hexFloatCP56, 4, 1, 0)},
		{"I-frame without ASDU", "680416161616"},
		{"I-frame with a cut ASDU header", "6808000000006401060a"},
		{"unknown type id", "680e00000000160103000a0000000001"},
		{"unknown cause", "680e00000000640112000a0000000014"},
		{"zero count", "680a00000000640006000a00"},
		{"count too large", "680e00000000640206000a0000000014"},
		{"SQ bit cleared", withBit(hexSQ, 7, 0, 0x80)},
		{"trailing octet", "680f00000000640106000a000000001400"},
		{"segment length disagrees", "681400000000" + "7d010d000100" + "010000" + "0100" + "01" + "04" + "aabbcc"},
		{"not followed by a start byte", hexStartDTAct + "12"},
	}
	for _, tt := range refused {
		bad := testkit.Hex(tt.hex)
		b := append(append([]byte{}, bad...), float...)
		b = append(b, StartByte)
		adv, tok, err := Resync(b, false)
		require.NoError(t, err)
		assert.Nil(t, tok, tt.name)
		assert.Equal(t, len(bad), adv, tt.name)
		adv, tok, _ = Resync(b[len(bad):], false)
		assert.Equal(t, float, tok, tt.name)
		assert.Equal(t, len(float), adv, tt.name)
	}

	// An APDU that ends the buffered bytes waits for the byte after it,
	// at EOF it is taken.
	adv, tok, _ := Resync(float, false)
	assert.Equal(t, 0, adv)
	assert.Nil(t, tok)
	adv, tok, _ = Resync(float, true)
	assert.Equal(t, len(float), adv)
	assert.Equal(t, float, tok)
	// A head that the bytes cannot judge yet waits; at EOF, a partial APDU
	// whose octets pass is the last token, any other is skipped.
	adv, tok, _ = Resync(float[:10], false)
	assert.Equal(t, 0, adv)
	assert.Nil(t, tok)
	adv, tok, _ = Resync(float[:20], true)
	assert.Equal(t, 20, adv)
	assert.Equal(t, float[:20], tok)
	_, n, perr := Parse(tok)
	assert.Equal(t, 0, n)
	assert.Equal(t, ErrTruncated, perr)
	adv, tok, _ = Resync(testkit.Hex("68fe00"), true)
	assert.Equal(t, 3, adv)
	assert.Nil(t, tok)
	// Garbage before a head is skipped first.
	adv, tok, _ = Resync(append(testkit.Hex("0102"), float[:20]...), false)
	assert.Equal(t, 2, adv)
	assert.Nil(t, tok)
	// A skip stops at MaxSkip; no data, no advance.
	adv, _, _ = Resync(make([]byte, 3*MaxSkip), false)
	assert.Equal(t, MaxSkip, adv)
	adv, tok, _ = Resync(nil, true)
	assert.Equal(t, 0, adv)
	assert.Nil(t, tok)
	// A start byte inside a value: the TESTFR act it seems to open is
	// followed by no start byte.
	decoy := testkit.Hex("680443000000" + "12" + hexSFrame + "68")
	adv, tok, _ = Resync(decoy, false)
	assert.Equal(t, 7, adv)
	assert.Nil(t, tok)
}

// largest returns an APDU of the largest length octet, 253: a C_RD_NA_1
// ASDU with 81 addresses of 3 octets.
func largest() string {
	b := []byte{StartByte, 253, 0, 0, 0, 0, byte(C_RD_NA_1), 81, byte(CauseRequest), 0, 1, 0}
	for i := range 81 {
		b = append(b, byte(i+1), 0, 0)
	}
	return hex.EncodeToString(b)
}

// frame cuts data with Split and returns the tokens and the bytes skipped.
func frame(t *testing.T, split func([]byte, bool) (int, []byte, error), data []byte) (toks []string, skipped int) {
	for len(data) > 0 {
		adv, tok, err := split(data, true)
		require.NoError(t, err)
		require.Positive(t, adv)
		if tok == nil {
			skipped += adv
		} else {
			toks = append(toks, hex.EncodeToString(tok))
		}
		data = data[adv:]
	}
	return toks, skipped
}

// TestSplitBogusClaim checks Split's bounded commitment: a length octet
// that the bytes behind it contradict is skipped, and the APDUs behind it
// are delivered; oddities that hide no valid APDU are passed on as
// Wireshark frames them.
func TestSplitBogusClaim(t *testing.T) {
	unknownType := "680e00000000160103000a0000000001"
	trailing := "680f00000000640106000a000000001400"
	cases := []struct {
		name    string
		in      []string
		want    []string
		skipped int
	}{
		{"I-frame claiming 253", []string{hexBogus, hexSFrame, hexFloatCP56}, []string{hexSFrame, hexFloatCP56}, 6},
		{"S-frame claiming 200", []string{"68c801000000", hexStartDTAct, hexFloatCP56}, []string{hexStartDTAct, hexFloatCP56}, 6},
		{"length octet 255", []string{"68ff07000000", hexSQ}, []string{hexSQ}, 6},
		{"count that disagrees", []string{"68400000000064010600", hexInterrogate}, []string{hexInterrogate}, 10},
		{"oddities framed up to the APDU found", []string{hexBogus, "68020268", "680416161616", hexStartDTAct, hexSFrame},
			[]string{"68020268", "680416161616", hexStartDTAct, hexSFrame}, 6},
		{"oddities framed up to EOF", []string{hexBogus, "680416161616"}, []string{"680416161616"}, 6},
		{"unknown type id passed on", []string{unknownType, hexSFrame}, []string{unknownType, hexSFrame}, 0},
		{"trailing octet passed on", []string{trailing, hexSFrame}, []string{trailing, hexSFrame}, 0},
		{"short length passed on", []string{"68020268", hexSFrame}, []string{"68020268", hexSFrame}, 0},
		{"partial oddity at EOF", []string{hexBogus, "0102"}, []string{hexBogus + "0102"}, 0},
		{"start byte inside an oddity", []string{"6806020068000000", hexSFrame}, []string{"6806020068000000", hexSFrame}, 0},
	}
	for _, tt := range cases {
		var in []byte
		for _, h := range tt.in {
			in = append(in, testkit.Hex(h)...)
		}
		for _, split := range []struct {
			name string
			fn   func([]byte, bool) (int, []byte, error)
		}{{"Split", Split}, {"Config.Split", Config{}.Split}} {
			toks, skipped := frame(t, split.fn, in)
			assert.Equal(t, tt.want, toks, "%s: %s", split.name, tt.name)
			assert.Equal(t, tt.skipped, skipped, "%s: %s", split.name, tt.name)
		}
	}

	// The claim is refused as soon as the APDU it hides is there, long
	// before its 255 octets are.
	b := testkit.Hex(hexBogus + hexSFrame + hexFloatCP56[:10])
	adv, tok, _ := Split(b, false)
	assert.Equal(t, 6, adv)
	assert.Nil(t, tok)
	// While the APDU inside cannot be judged (the byte after it is not
	// there), Split waits; at EOF it decides.
	b = testkit.Hex(hexBogus + hexSFrame)
	adv, tok, _ = Split(b, false)
	assert.Equal(t, 0, adv)
	assert.Nil(t, tok)
	adv, tok, _ = Split(b, true)
	assert.Equal(t, 6, adv)
	assert.Nil(t, tok)
	// An oddity with nothing inside is passed on once whole.
	b = testkit.Hex("680601001a000000" + hexSFrame)
	adv, tok, _ = Split(b[:7], false)
	assert.Equal(t, 0, adv)
	assert.Nil(t, tok)
	adv, tok, _ = Split(b, false)
	assert.Equal(t, 8, adv)
	assert.Equal(t, b[:8], tok)
}

// TestConfigSplit frames an IEC 101 profile's APDUs with Config.Split and
// Config.Resync, which the IEC 104 sizes refuse.
func TestConfigSplit(t *testing.T) {
	// M_ME_NB_1, 2 objects, COT 1, CA 1, IOA 2 octets.
	p101 := testkit.Hex("6812 00000000 0b 02 03 05 0a00 6400 00 0b00 9cff 80" + "68")
	adv, tok, err := Profile101.Resync(p101, false)
	require.NoError(t, err)
	assert.Equal(t, len(p101)-1, adv)
	assert.NotNil(t, tok)
	_, _, err = Profile101.Parse(tok)
	assert.NoError(t, err)
	adv, tok, _ = Resync(p101, false)
	assert.Nil(t, tok)
	assert.Equal(t, len(p101)-1, adv)
	adv, tok, err = Profile101.Split(p101, true)
	require.NoError(t, err)
	assert.Equal(t, len(p101)-1, adv)
	assert.NotNil(t, tok)

	bad := Config{IOASize: 4}
	adv, tok, err = bad.Split(p101, true)
	assert.Equal(t, ErrConfig, err)
	assert.Equal(t, 0, adv)
	assert.Nil(t, tok)
	_, _, err = bad.Resync(p101, true)
	assert.Equal(t, ErrConfig, err)
}

// TestSplitCorpus frames each direction of every connection of the
// captures, concatenated, and expects exactly the APDUs Wireshark's framing
// gave (testdata/apdus.tsv): the checks of a claimed length never change
// how an in-sync stream is cut. Resync from the first byte finds the first
// APDU of each stream that passes its checks.
func TestSplitCorpus(t *testing.T) {
	for _, c := range corpus(t) {
		type key struct {
			stream int
			up     bool
		}
		streams := map[key][][]byte{}
		var order []key
		for _, p := range c.apdus {
			k := key{p.stream, p.toServer}
			if streams[k] == nil {
				order = append(order, k)
			}
			streams[k] = append(streams[k], p.b)
		}
		for _, k := range order {
			var data []byte
			var want []string
			for _, p := range streams[k] {
				data = append(data, p...)
				want = append(want, hex.EncodeToString(p))
			}
			got, skipped := frame(t, Split, data)
			assert.Equal(t, want, got, "%s stream %d", c.name, k.stream)
			assert.Zero(t, skipped)
			got, _ = frame(t, Config{}.Split, data)
			assert.Equal(t, want, got, "%s stream %d, general path", c.name, k.stream)
		}
	}
}

// corpusStreams returns each direction of every connection of the
// captures: the APDUs' bytes concatenated and their offsets.
func corpusStreams(t *testing.T) (streams [][]byte, starts [][]int, names []string) {
	for _, c := range corpus(t) {
		type key struct {
			stream int
			up     bool
		}
		index := map[key]int{}
		for _, p := range c.apdus {
			k := key{p.stream, p.toServer}
			i, ok := index[k]
			if !ok {
				i = len(streams)
				index[k] = i
				streams = append(streams, nil)
				starts = append(starts, nil)
				names = append(names, c.name)
			}
			starts[i] = append(starts[i], len(streams[i]))
			streams[i] = append(streams[i], p.b...)
		}
	}
	return streams, starts, names
}

// resyncTokens frames data as after a gap (Resync until a token, then
// Split, atEOF) and returns the tokens' offsets in data and their lengths.
func resyncTokens(t *testing.T, data []byte) (offs, lens []int) {
	fn, off := Resync, 0
	for off < len(data) {
		adv, tok, err := fn(data[off:], true)
		require.NoError(t, err)
		require.Positive(t, adv)
		if tok != nil {
			offs, lens = append(offs, off), append(lens, len(tok))
			fn = Split
		}
		off += adv
	}
	return offs, lens
}

// TestResyncCorpus frames every stream of the captures from every offset,
// as after a hole ending there or in a capture starting there. Resync must
// find the first APDU after the damage that
// passes its checks on its own, Split must deliver every APDU from there,
// and nothing else may be delivered: no phantom. The APDUs passed over are
// counted by kind; they are all malformed APDUs of Wireshark's test capture.
func TestResyncCorpus(t *testing.T) {
	streams, starts, names := corpusStreams(t)
	passed := map[string]int{}
	trials := 0
	// check frames data[from:], up to the first APDU 600 bytes on, and
	// expects the APDUs of the stream starting at from or later, from the
	// first that Resync accepts.
	check := func(s int, from int, what string) {
		data, st := streams[s], starts[s]
		if i := sort.SearchInts(st, from+600); i < len(st) {
			data, st = data[:st[i]], st[:i]
		}
		offs, lens := resyncTokens(t, data[from:])
		var want []int
		first := true
		for i, o := range st {
			if o < from {
				continue
			}
			end := len(data)
			if i+1 < len(st) {
				end = st[i+1]
			}
			if first {
				if v := (Config{COTSize: 2, CASize: 2, IOASize: 3}).found(data[o:], true); v != headGood {
					passed[hex.EncodeToString(data[o:end])]++
					continue
				}
				first = false
			}
			want = append(want, o-from, end-o)
		}
		var got []int
		for i := range offs {
			got = append(got, offs[i], lens[i])
		}
		trials++
		if !assert.Equal(t, want, got, "%s stream %d, %s", names[s], s, what) {
			t.FailNow()
		}
	}
	for s, data := range streams {
		for a := range data {
			check(s, a, fmt.Sprintf("start at %d", a))
		}
	}
	for k, n := range passed {
		t.Logf("passed over %d times: %s", n, k)
	}
	for k := range passed {
		b := testkit.Hex(k)
		f, _, err := Parse(b)
		assert.True(t, err != nil || f.Anomalies != 0, "a valid APDU passed over: %s", k)
	}
	t.Logf("%d trials", trials)
}

// TestSplitBogusCorpus inserts bogus heads claiming long lengths at every
// APDU boundary of every stream of the captures and expects Split to
// deliver every APDU of the stream, and the bogus bytes to be skipped.
func TestSplitBogusCorpus(t *testing.T) {
	bogus := []string{
		hexBogus,                 // I-frame claiming 253
		"68fd01000000",           // S-frame claiming 253
		"68ff07000000",           // length octet 255
		"684000000000990103000a", // unknown type id claiming 64
		"68f0000000000d01030001", // M_ME_NC_1, count 1, claiming 240
	}
	streams, starts, names := corpusStreams(t)
	for s, data := range streams {
		var want []string
		for i, o := range starts[s] {
			end := len(data)
			if i+1 < len(starts[s]) {
				end = starts[s][i+1]
			}
			want = append(want, hex.EncodeToString(data[o:end]))
		}
		for _, h := range bogus {
			b := testkit.Hex(h)
			for _, at := range starts[s] {
				in := append(append(append([]byte{}, data[:at]...), b...), data[at:]...)
				got, skipped := frame(t, Split, in)
				if !assert.Equal(t, want, got, "%s stream %d, %s at %d", names[s], s, h, at) {
					t.FailNow()
				}
				assert.Equal(t, len(b), skipped)
			}
		}
	}
}
