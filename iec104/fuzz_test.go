package iec104

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// useObject calls every accessor of o.
func useObject(o Object) {
	o.SIQ()
	o.DIQ()
	o.VTI()
	o.QDS()
	o.BSI()
	o.Normalized()
	o.Scaled()
	o.Float()
	o.BCR()
	o.SCD()
	o.SEP()
	o.SPE()
	o.OCI()
	o.CP16()
	o.SCO()
	o.DCO()
	o.RCO()
	o.QOS()
	o.QPM()
	o.COI()
	o.QOI()
	o.QCC()
	o.QRP()
	o.QPA()
	o.TSC()
	o.FBP()
	if t, ok := o.CP24(); ok {
		sinkU64 += uint64(t.Duration())
	}
	if t, ok := o.CP56(); ok {
		t.Time(nil)
	}
	o.File()
	o.Value()
	o.Quality()
	o.Command()
	o.Time(time.Time{})
}

// checkASDU walks a's objects and checks the cursor's invariants.
func checkASDU(t *testing.T, a *ASDU, in []byte, perr error) {
	if !testkit.Inside(a.Raw, in) || !testkit.Inside(a.Body(), in) {
		t.Fatal("ASDU views outside the input")
	}
	if a.Len() > int(a.Count) {
		t.Fatalf("Len %d > Count %d", a.Len(), a.Count)
	}
	k := 0
	it := a.Objects()
	for it.Next() {
		o := it.Object()
		if !testkit.Inside(o.Raw, a.Body()) {
			t.Fatal("object view outside the ASDU body")
		}
		if sz := a.Type.ElementSize(); sz >= 0 && len(o.Raw) != sz {
			t.Fatalf("object of %d octets, element size %d", len(o.Raw), sz)
		}
		if at, ok := a.At(k); ok {
			if at.IOA != o.IOA || !bytes.Equal(at.Raw, o.Raw) {
				t.Fatalf("At(%d) = %v, cursor %v", k, at, o)
			}
		} else if a.Type != F_SG_NA_1 {
			t.Fatalf("At(%d) not ok", k)
		}
		useObject(o)
		k++
		if k > 127 {
			t.Fatal("cursor runs past 127 objects")
		}
	}
	if k != a.Len() {
		t.Fatalf("cursor yielded %d objects, Len %d", k, a.Len())
	}
	j := 0
	for i, o := range a.All {
		if i != j {
			t.Fatalf("All index %d, want %d", i, j)
		}
		at, ok := a.At(j)
		if a.Type != F_SG_NA_1 && (!ok || at.IOA != o.IOA || !bytes.Equal(at.Raw, o.Raw) || !testkit.Inside(o.Raw, a.Body())) {
			t.Fatalf("All object %d = %v, At %v %v", j, o, at, ok)
		}
		j++
	}
	if j != k {
		t.Fatalf("All yielded %d objects, cursor %d", j, k)
	}
	if perr == ErrTruncated || perr == ErrShortASDU {
		if a.Len() != 0 {
			t.Fatalf("%d objects in a truncated ASDU (%v)", a.Len(), perr)
		}
		return
	}
	if (perr == ErrCount) != (it.Err() == ErrCount) {
		t.Fatalf("parse error %v, cursor error %v", perr, it.Err())
	}
	if (it.Err() == nil) != (a.Len() == int(a.Count) || !a.Type.Known() || a.Count == 0) {
		t.Fatalf("Err %v with %d of %d objects", it.Err(), a.Len(), a.Count)
	}
}

func addCorpusSeeds(f *testing.F, add func(b []byte)) {
	for _, c := range corpus(f) {
		for _, p := range c.apdus {
			add(p.b)
		}
	}
}

func FuzzParse(f *testing.F) {
	addCorpusSeeds(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, n, err := Parse(b)
		if n < 0 || n > len(b) {
			t.Fatalf("n = %d for %d bytes", n, len(b))
		}
		if !testkit.Inside(fr.Raw, b) {
			t.Fatal("Raw outside the input")
		}
		switch err {
		case nil, ErrCount, ErrShortASDU, ErrTruncated, ErrLength:
		case ErrStart:
			if len(b) > 0 && b[0] == StartByte {
				t.Fatal("ErrStart with a start byte")
			}
		default:
			t.Fatalf("unexpected error %v", err)
		}
		if err == nil || err == ErrCount {
			if n != 2+int(b[1]) || len(fr.Raw) != n {
				t.Fatalf("n = %d, length octet %d", n, b[1])
			}
		}
		if fr.Format == FormatI && (err == nil || err == ErrCount || err == ErrShortASDU) {
			checkASDU(t, &fr.ASDU, b, err)
		}
		// Decode in place gives the same frame as Parse, over a used one.
		g := Frame{Length: 9, ASDU: ASDU{Count: 3}}
		gn, gerr := g.Decode(b)
		if gn != n || gerr != err || !reflect.DeepEqual(g, fr) {
			t.Fatalf("Decode = %d %v %+v, Parse = %d %v %+v", gn, gerr, g, n, err, fr)
		}
		// Explain agrees with Parse on whether the bytes are accepted.
		if xe := Explain(b); (xe == nil) != (err == nil) {
			t.Fatalf("Explain %v, Parse %v", xe, err)
		} else if xe != nil {
			var fe *FieldError
			if !errors.As(xe, &fe) || fe.Err != err || fe.Offset < 0 || fe.Offset > len(b) || fe.Field == "" {
				t.Fatalf("Explain %v for Parse error %v", xe, err)
			}
		}
		// The same bytes as an IEC 101 ASDU.
		if len(b) > 6 {
			a, err := Profile101.ParseASDU(b[6:])
			if err != nil && err != ErrCount && err != ErrShortASDU && err != ErrTruncated {
				t.Fatalf("ParseASDU: %v", err)
			}
			checkASDU(t, &a, b, err)
		}
	})
}

func FuzzASDU(f *testing.F) {
	addCorpusSeeds(f, func(b []byte) {
		if len(b) > 6 {
			f.Add(b[6:], uint8(2), uint8(2), uint8(3))
		}
	})
	f.Add([]byte{0x7d, 0x01, 0x0d, 0x00, 0x01, 0x00, 0x05, 0x00, 0x00, 0x01, 0x00, 0x02, 0x03, 0xaa, 0xbb, 0xcc}, uint8(2), uint8(2), uint8(3))
	f.Add([]byte{0x0b, 0x02, 0x03, 0x05, 0x0a, 0x00, 0x64, 0x00, 0x00, 0x0b, 0x00, 0x9c, 0xff, 0x80}, uint8(1), uint8(1), uint8(2))
	f.Fuzz(func(t *testing.T, b []byte, cot, ca, ioa uint8) {
		c := Config{COTSize: cot % 4, CASize: ca % 4, IOASize: ioa % 5}
		a, err := c.ParseASDU(b)
		switch err {
		case ErrConfig:
			return
		case nil, ErrCount, ErrShortASDU, ErrTruncated:
		default:
			t.Fatalf("unexpected error %v", err)
		}
		checkASDU(t, &a, b, err)
	})
}

// splitFunc is Split, Resync or their Config forms.
type splitFunc func([]byte, bool) (int, []byte, error)

// splitAll cuts data with Split, feeding it in chunks of the given size as
// a TCP reader would, and returns the tokens.
func splitAll(t *testing.T, data []byte, chunk int) [][]byte {
	return frameAll(t, Config{}, Split, nil, data, chunk)
}

// frameAll cuts data as pcapx does after a gap: with resync (when not nil)
// until it delivers a token, then with split, feeding the bytes in chunks
// of the given size as a TCP reader would, and returns the tokens. It
// checks the grammar's rules on every call: progress, an advance within
// the data, tokens at the front of the data, a partial APDU only as the
// last token at EOF, and tokens from resync that Parse (with c's sizes)
// decodes without error or anomaly.
func frameAll(t *testing.T, c Config, split, resync splitFunc, data []byte, chunk int) [][]byte {
	var toks [][]byte
	var buf []byte
	off := 0
	for {
		end := min(off+chunk, len(data))
		buf = append(buf, data[off:end]...)
		off = end
		atEOF := off == len(data)
		for len(buf) > 0 {
			fn := split
			if resync != nil {
				fn = resync
			}
			adv, tok, err := fn(buf, atEOF)
			if err != nil {
				t.Fatalf("split error %v", err)
			}
			if adv < 0 || adv > len(buf) {
				t.Fatalf("advance %d of %d", adv, len(buf))
			}
			if tok != nil {
				if !testkit.Inside(tok, buf) || !bytes.Equal(tok, buf[:len(tok)]) || len(tok) > adv {
					t.Fatal("token is not the front of the data")
				}
				whole := len(tok) >= 2 && len(tok) == 2+int(tok[1])
				switch {
				case tok[0] != StartByte:
					t.Fatalf("bad token % x", tok)
				case whole:
				case !atEOF || adv != len(buf):
					// A partial APDU only as the last token at EOF.
					t.Fatalf("partial token % x before EOF", tok)
				default:
					if _, n, err := c.Parse(tok); n != 0 || err != ErrTruncated {
						t.Fatalf("partial token % x: Parse %d %v", tok, n, err)
					}
				}
				if resync != nil && whole {
					// Resync delivers nothing Parse finds malformed or odd.
					if f, _, err := c.Parse(tok); err != nil || f.Anomalies != 0 {
						t.Fatalf("Resync token % x: Parse %v, anomalies %s", tok, err, f.Anomalies)
					}
				}
				toks = append(toks, bytes.Clone(tok))
				resync = nil
			}
			if adv == 0 {
				if atEOF {
					t.Fatal("no progress at EOF")
				}
				break
			}
			buf = buf[adv:]
		}
		if atEOF {
			return toks
		}
	}
}

// equalTokens fails unless a and b hold the same tokens.
func equalTokens(t *testing.T, what string, a, b [][]byte) {
	if len(a) != len(b) {
		t.Fatalf("%s: %d tokens, %d", what, len(a), len(b))
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatalf("%s: token %d differs: % x, % x", what, i, a[i], b[i])
		}
	}
}

// FuzzSplit cuts a stream whole and in chunks, with Split and with its
// general path (Config{}.Split), and expects the same tokens.
func FuzzSplit(f *testing.F) {
	var stream []byte
	for _, c := range corpus(f) {
		for _, p := range c.apdus {
			f.Add(p.b, uint8(3))
			if len(stream) < 2000 {
				stream = append(stream, p.b...)
			}
		}
	}
	f.Add(stream, uint8(7))
	f.Add([]byte{0, 1, 0x68, 2, 2, 0x68, 0, 0x12, 0x12, 0x68, 4, 0x43, 0, 0, 0}, uint8(1))
	f.Add(append(testkit.Hex(hexBogus+"68020268"+hexStartDTAct+hexSFrame), stream[:100]...), uint8(5))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		whole := splitAll(t, data, len(data)+1)
		parts := splitAll(t, data, int(chunk%64)+1)
		equalTokens(t, "whole and in chunks", whole, parts)
		general := frameAll(t, Config{}, Config{}.Split, nil, data, len(data)+1)
		equalTokens(t, "Split and Config{}.Split", whole, general)
	})
}

// fuzzConfigs are the field sizes FuzzResync tries: IEC 104 first.
var fuzzConfigs = []Config{{}, Profile101, {COTSize: 1}, {CASize: 1}, {IOASize: 2}, {IOASize: 1}, {COTSize: 1, CASize: 1, IOASize: 1}}

// FuzzResync frames a stream from a random offset as after a gap (Resync,
// then Split), whole and in chunks, under several field sizes, and checks
// that the framing rules hold, that Resync delivers only APDUs Parse finds
// whole and without anomaly, and that the cut does not depend on the
// chunks.
func FuzzResync(f *testing.F) {
	for _, c := range corpus(f) {
		var stream []byte
		for _, p := range c.apdus {
			stream = append(stream, p.b...)
		}
		f.Add(stream[:min(len(stream), 600)], uint16(7), uint8(9), uint8(0))
	}
	f.Add(testkit.Hex("0102680443000000"+"12"+hexSFrame+hexFloatCP56), uint16(0), uint8(3), uint8(0))
	f.Add(testkit.Hex("6812 00000000 0b 02 03 05 0a00 6400 00 0b00 9cff 80"+hexSFrame), uint16(0), uint8(2), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, start uint16, chunk uint8, cfg uint8) {
		if len(data) > 0 {
			data = data[int(start)%len(data):]
		}
		c := fuzzConfigs[int(cfg)%len(fuzzConfigs)]
		split, resync := splitFunc(c.Split), splitFunc(c.Resync)
		if c == (Config{}) {
			split, resync = Split, Resync
		}
		whole := frameAll(t, c, split, resync, data, len(data)+1)
		parts := frameAll(t, c, split, resync, data, int(chunk%64)+1)
		equalTokens(t, "whole and in chunks", whole, parts)
	})
}

// connBits are the flags a Conn sets.
const connBits = AnomalySeqGap | AnomalySeqDuplicate | AnomalyAckUnsent | AnomalyAckBackwards |
	AnomalyKWindow | AnomalyWWindow | AnomalyIBeforeStartDT | AnomalyUnmatchedResponse |
	AnomalyMismatchedResponse | AnomalyPendingOverflow | AnomalyDuplicateRequest | AnomalySelectMismatch

// FuzzConn drives a Conn with the APDUs Split cuts from a stream, each
// sent in the direction the low bit of the next octet of dirs says (and
// after a Gap in that direction when its second bit is set), and checks its
// invariants: only connection flags, sequence flags on I-frames only,
// pairing counts that add up, a table within its bound, and Flush
// emptying it.
func FuzzConn(f *testing.F) {
	for _, c := range corpus(f) {
		var stream, dirs []byte
		for _, p := range c.apdus {
			stream = append(stream, p.b...)
			d := byte(0)
			if p.toServer {
				d = 1
			}
			dirs = append(dirs, d)
		}
		f.Add(stream, dirs, uint8(0), uint8(0))
		f.Add(stream, dirs, uint8(3), uint8(2))
	}
	f.Fuzz(func(t *testing.T, stream, dirs []byte, k, w uint8) {
		c := Conn{K: uint16(k), W: uint16(w)}
		i := 0
		for len(stream) > 0 {
			adv, tok, _ := Split(stream, true)
			if adv <= 0 {
				t.Fatal("Split made no progress")
			}
			stream = stream[adv:]
			if tok == nil {
				continue
			}
			up := i < len(dirs) && dirs[i]&1 == 1
			if i < len(dirs) && dirs[i]&2 != 0 {
				c.Gap(up) // bytes lost before this APDU
			}
			i++
			m, err := c.Decode(tok, up, int64(i))
			if m == nil {
				t.Fatal("nil Message")
			}
			if err != nil && err != ErrTruncated && err != ErrShortASDU && err != ErrLength && err != ErrCount {
				t.Fatalf("Decode error %v", err)
			}
			a := m.Anomalies
			if a&^connBits != 0 {
				t.Fatalf("Conn set frame flags %s", a)
			}
			if m.Frame.Format != FormatI && a&(AnomalySeqGap|AnomalySeqDuplicate|AnomalyKWindow|AnomalyIBeforeStartDT) != 0 {
				t.Fatalf("%s-frame with I-frame flags %s", m.Frame.Format, a)
			}
			if m.Paired != (m.Request.Raw != nil) {
				t.Fatalf("Paired %v with request %x", m.Paired, m.Request.Raw)
			}
			st := c.Stats()
			if st.Pending > MaxPending+6 || st.Paired+st.Unmatched+st.Mismatched != st.Responses {
				t.Fatalf("stats %+v", st)
			}
		}
		before := c.Stats()
		n := 0
		for m := range c.Flush {
			if !m.Unanswered || m.Frame.Raw == nil {
				t.Fatalf("flushed %+v", m)
			}
			n++
		}
		after := c.Stats()
		if n != before.Pending || after.Pending != 0 || after.Unanswered != before.Unanswered+uint64(n) {
			t.Fatalf("Flush yielded %d, stats %+v then %+v", n, before, after)
		}
	})
}
