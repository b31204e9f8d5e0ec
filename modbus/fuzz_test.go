package modbus

import (
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

func inside(b, v []byte) bool { return testkit.Inside(v, b) }

func addSeeds(f *testing.F, withDir bool) {
	for _, s := range realADUs {
		if withDir {
			f.Add(s.adu, uint8(s.dir))
		} else {
			f.Add(s.adu)
		}
	}
}

// checkFrame calls every accessor and cursor on fr and checks that every
// view lies inside b and that counts agree.
func checkFrame(t *testing.T, b []byte, fr *Frame) {
	t.Helper()
	if !inside(b, fr.PDU) {
		t.Fatalf("PDU outside input")
	}
	_ = fr.Err()
	_ = fr.Anomalies.String()
	_ = fr.Function.String()
	if fr.IsException() && fr.Err() == nil {
		t.Fatal("exception without error")
	}
	if r, ok := fr.Registers(); ok {
		if !inside(b, r.Bytes()) || r.Len()*2 > len(r.Bytes()) {
			t.Fatal("registers view")
		}
		n := 0
		for range r.All {
			n++
		}
		if n != r.Len() {
			t.Fatalf("All yielded %d, Len %d", n, r.Len())
		}
	}
	if bits, ok := fr.Bits(); ok {
		if !inside(b, bits.Bytes()) || bits.Len() != 8*len(bits.Bytes()) {
			t.Fatal("bits view")
		}
		n := 0
		for range bits.All {
			n++
		}
		if n != bits.Len() {
			t.Fatal("bits count")
		}
	}
	fr.ReadRequest()
	if w, ok := fr.WriteSingle(); ok && !inside(b, w.Raw) {
		t.Fatal("write single view")
	}
	fr.ExceptionStatus()
	if n, rest, ok := fr.Counted(); ok && (!inside(b, rest) || n < 0 || n > 0xff) {
		t.Fatal("counted view")
	}
	if d, ok := fr.Diagnostic(); ok {
		if !inside(b, d.Data) {
			t.Fatal("diagnostic view")
		}
		d.Word()
		d.Delimiter()
	}
	if u, ok := fr.UMAS(); ok && !inside(b, u.Data) {
		t.Fatal("umas view")
	}
	_ = fr.Operation().String()
	fr.CommEventCounter()
	if l, ok := fr.CommEventLog(); ok && !inside(b, l.Events) {
		t.Fatal("event log view")
	}
	if w, ok := fr.WriteMultipleCoils(); ok && (!inside(b, w.Values.Bytes()) || w.Values.Len() > 8*len(w.Values.Bytes())) {
		t.Fatal("write coils view")
	}
	if w, ok := fr.WriteMultipleRegisters(); ok && !inside(b, w.Values.Bytes()) {
		t.Fatal("write registers view")
	}
	fr.WriteMultipleResponse()
	if s, ok := fr.ServerID(); ok {
		g, _ := s.GuessLayout()
		if !inside(b, s.Raw) || !inside(b, g.Additional) || int(s.ByteCount) < len(s.Raw) {
			t.Fatal("server id view")
		}
	}
	if recs, ok := fr.FileRecords(); ok {
		n := 0
		for recs.Next() {
			if !inside(b, recs.FileRecord().Data) {
				t.Fatal("file record view")
			}
			n++
			if n > len(b) {
				t.Fatal("file record cursor does not progress")
			}
		}
	}
	fr.MaskWrite()
	if rw, ok := fr.ReadWriteRequest(); ok && !inside(b, rw.Values.Bytes()) {
		t.Fatal("read/write view")
	}
	fr.FIFOPointer()
	if q, ok := fr.FIFOQueue(); ok && (!inside(b, q.Values.Bytes()) || !inside(b, q.Raw)) {
		t.Fatal("fifo view")
	}
	if _, d, ok := fr.MEI(); ok && !inside(b, d) {
		t.Fatal("mei view")
	}
	fr.CANopen()
	fr.DeviceIDRequest()
	if id, ok := fr.DeviceID(); ok {
		n := 0
		objs := id.Objects()
		for objs.Next() {
			if !inside(b, objs.Object().Value) {
				t.Fatal("object view")
			}
			n++
			if 2*n > len(b) {
				t.Fatal("object cursor does not progress")
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	addSeeds(f, true)
	f.Fuzz(func(t *testing.T, b []byte, dir uint8) {
		d := Direction(dir % 3)
		fr, n, err := Parse(b, d)
		if n < 0 || n > len(b) {
			t.Fatalf("n = %d of %d", n, len(b))
		}
		if err == nil && (len(fr.PDU) == 0 || n < 8) {
			t.Fatalf("no error but PDU %d bytes, n %d", len(fr.PDU), n)
		}
		if (err == ErrTruncated) != (n == 0) {
			t.Fatalf("n = %d with %v: ErrTruncated and only it comes with n == 0", n, err)
		}
		if e := Explain(b, d); (e == nil) != (err == nil) {
			t.Fatalf("Explain %v, Parse %v", e, err)
		} else if fe, ok := e.(*FieldError); e != nil && (!ok || fe.Err != err || fe.Offset < 0 || fe.Offset > len(b)) {
			t.Fatalf("Explain %v for %v", e, err)
		}
		checkFrame(t, b, &fr)
		// The fast path agrees with the general path, and Decode into a
		// used Frame agrees with Parse.
		if g, gn, gerr := parseGeneral(b, d); !sameFrame(fr, g) || gn != n || gerr != err {
			t.Fatalf("fast path %+v %d %v, general %+v %d %v", fr, n, err, g, gn, gerr)
		}
		dirty := Frame{TransactionID: 9, ProtocolID: 9, Exception: 9, Anomalies: 0xffff, exception: true, PDU: b}
		if dn, derr := dirty.Decode(b, d); !sameFrame(dirty, fr) || dn != n || derr != err {
			t.Fatalf("Decode into a used Frame: %+v, Parse %+v", dirty, fr)
		}
		fu, _ := ParseUDP(b, d)
		checkFrame(t, b, &fu)
		fp, _ := ParsePDU(b, d)
		checkFrame(t, b, &fp)
	})
}

// span is a token's place in the input: offset and length.
type span struct{ off, n int }

// frameAll cuts b with f as one buffer at EOF and returns the tokens'
// places, checking the SplitFunc contract on the way.
func frameAll(t *testing.T, f func([]byte, bool) (int, []byte, error), b []byte) []span {
	var toks []span
	for off := 0; off < len(b); {
		d := b[off:]
		adv, tok, err := f(d, true)
		if err != nil {
			t.Fatal(err)
		}
		if adv <= 0 || adv > len(d) {
			t.Fatalf("advance %d of %d at EOF", adv, len(d))
		}
		if tok != nil {
			if len(tok) != adv || !inside(d, tok) || &tok[0] != &d[0] {
				t.Fatal("token is not the advanced prefix")
			}
			if len(tok) >= 6 && int(tok[4])<<8|int(tok[5]) < 2 {
				t.Fatal("token with an MBAP length below 2")
			}
			toks = append(toks, span{off, len(tok)})
		}
		off += adv
	}
	return toks
}

// frameByteByByte cuts b with f as a reader would that gets one byte at a
// time (a few bytes at a time for inputs over 512 bytes, to keep the fuzz
// targets fast): not at EOF until the last call.
func frameByteByByte(t *testing.T, f func([]byte, bool) (int, []byte, error), b []byte) []span {
	var toks []span
	start := 0
	step := 1 + len(b)/512
	for end := min(step, len(b)); end <= len(b); end += step {
		for start < end {
			adv, tok, _ := f(b[start:end], false)
			if adv < 0 || adv > end-start || (tok != nil && len(tok) != adv) {
				t.Fatalf("advance %d token %d of %d", adv, len(tok), end-start)
			}
			if tok != nil {
				toks = append(toks, span{start, len(tok)})
			}
			if adv == 0 {
				break
			}
			start += adv
		}
	}
	rest := frameAll(t, f, b[start:])
	for _, s := range rest {
		toks = append(toks, span{start + s.off, s.n})
	}
	return toks
}

// backed reports whether the layout of the ADU at the front of b backs its
// length field, so that Split decides on it without looking further.
func backed(b []byte) bool {
	if len(b) < 8 {
		return true
	}
	length := int(b[4])<<8 | int(b[5])
	fit := fits(b[:min(6+length, len(b))], length)
	return fit == fitYes || fit == layoutMore
}

// sameFraming checks that the bytes fed one at a time are cut as the
// whole buffer is, up to the first header whose layout does not back its
// length: Split decides on such a header with the bytes at hand (see
// Split), so that a cut between segments may change what it sees. The
// first token that differs must be one.
func sameFraming(t *testing.T, b []byte, whole, bytewise []span) {
	t.Helper()
	for i := 0; i < len(whole) || i < len(bytewise); i++ {
		if i < len(whole) && i < len(bytewise) && whole[i] == bytewise[i] {
			continue
		}
		first := span{len(b), 0}
		if i < len(whole) {
			first = whole[i]
		}
		if i < len(bytewise) && bytewise[i].off < first.off {
			first = bytewise[i]
		}
		if backed(b[first.off:]) {
			t.Fatalf("token %d differs when fed byte by byte: whole %v, byte by byte %v", i, whole[i:min(i+1, len(whole))], bytewise[i:min(i+1, len(bytewise))])
		}
		return
	}
}

func FuzzSplit(f *testing.F) {
	addSeeds(f, false)
	var stream []byte
	for _, s := range realADUs[:8] {
		stream = append(stream, s.adu...)
		stream = append(stream, 0xde, 0xad)
	}
	f.Add(stream)
	f.Fuzz(func(t *testing.T, b []byte) {
		whole := frameAll(t, Split, b)
		// Not at EOF, Split either asks for more or makes progress.
		if adv, tok, _ := Split(b, false); adv < 0 || adv > len(b) || (tok != nil && len(tok) != adv) {
			t.Fatalf("advance %d token %d of %d", adv, len(tok), len(b))
		}
		sameFraming(t, b, whole, frameByteByByte(t, Split, b))
	})
}

// FuzzResync checks Resync as a SplitFunc (progress, tokens that are
// prefixes of the input), that it skips at most MaxSkip bytes per call,
// that the bytes fed one at a time are cut as the whole buffer is (it
// decides only on what it sees: a verdict it reaches never changes with
// more bytes), and that it never returns what Parse rejects at the header
// level.
func FuzzResync(f *testing.F) {
	addSeeds(f, false)
	var stream []byte
	for _, s := range realADUs {
		stream = append(stream, 0x00, 0x00, 0x00)
		stream = append(stream, s.adu...)
	}
	f.Add(stream)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, atEOF := range []bool{false, true} {
			adv, tok, err := Resync(b, atEOF)
			if err != nil || adv < 0 || adv > len(b) || adv > max(MaxSkip, MaxLengthField+6) {
				t.Fatalf("advance %d, %v of %d", adv, err, len(b))
			}
			if tok == nil {
				if adv > MaxSkip {
					t.Fatalf("skipped %d bytes in one call", adv)
				}
				if atEOF && adv == 0 && len(b) > 0 {
					t.Fatal("no progress at EOF")
				}
				continue
			}
			if len(tok) != adv || &tok[0] != &b[0] {
				t.Fatal("token is not the advanced prefix")
			}
			// The header is one Parse takes: protocol id 0, a length
			// from 2 to MaxLengthField, and the ADU it frames is the
			// token (or, at EOF, starts it).
			fr, n, perr := Parse(tok, DirUnknown)
			switch {
			case fr.ProtocolID != 0 || fr.Length < 2 || fr.Length > MaxLengthField:
				t.Fatalf("Resync returned %x, a header Parse rejects", tok)
			case perr == ErrTruncated:
				if !atEOF {
					t.Fatal("an ADU cut short before EOF")
				}
			case n != len(tok):
				t.Fatalf("Resync returned %x, Parse takes %d bytes", tok, n)
			}
		}
		whole := frameAll(t, Resync, b)
		bytewise := frameByteByByte(t, Resync, b)
		if len(whole) != len(bytewise) {
			t.Fatalf("%d tokens whole, %d byte by byte", len(whole), len(bytewise))
		}
		for i := range whole {
			if whole[i] != bytewise[i] {
				t.Fatalf("token %d: whole %v, byte by byte %v", i, whole[i], bytewise[i])
			}
		}
	})
}

// FuzzConn drives a Conn with the ADUs Split cuts out of b, the direction
// of each taken from dirs, and checks the Conn's invariants: the table stays
// within MaxPending, a paired response's request has its ids and function,
// views lie inside the input or the Conn's copy, and the counters add up.
func FuzzConn(f *testing.F) {
	var stream []byte
	var dirs []byte
	for _, s := range realADUs {
		stream = append(stream, s.adu...)
		if s.dir == Request {
			dirs = append(dirs, 1)
		} else {
			dirs = append(dirs, 0)
		}
	}
	f.Add(stream, dirs)
	f.Fuzz(func(t *testing.T, b, dirs []byte) {
		var c Conn
		k := 0
		for len(b) > 0 {
			adv, tok, _ := Split(b, true)
			if adv <= 0 {
				t.Fatal("Split made no progress")
			}
			b = b[adv:]
			if tok == nil {
				continue
			}
			toServer := k < len(dirs) && dirs[k]&1 == 1
			k++
			m, _ := c.Decode(tok, toServer, int64(k))
			if !inside(tok, m.Frame.PDU) {
				t.Fatal("frame outside the token")
			}
			if m.Paired {
				r := &m.Request
				if r.TransactionID != m.Frame.TransactionID || r.UnitID != m.Frame.UnitID || r.Function != m.Frame.Function {
					t.Fatalf("paired with another request: %+v, %+v", r, m.Frame)
				}
				checkFrame(t, r.PDU, r)
				m.Bits()
				m.Registers()
				m.Range()
				if recs, ok := m.FileRecords(); ok {
					for recs.Next() {
					}
				}
			}
			s := c.Stats()
			if s.Pending < 0 || s.Pending > MaxPending || s.Paired+s.Unmatched+s.Mismatched > s.Responses {
				t.Fatalf("stats %+v", s)
			}
		}
		pending := c.Stats().Pending
		n := 0
		c.Flush(func(m *Message) bool {
			if !m.Unanswered || !m.ToServer {
				t.Fatal("Flush message not an unanswered request")
			}
			n++
			return true
		})
		if n != pending || c.Stats().Pending != 0 {
			t.Fatalf("Flush yielded %d of %d", n, pending)
		}
	})
}
