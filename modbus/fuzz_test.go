package modbus

import (
	"bufio"
	"bytes"
	"testing"
	"testing/iotest"

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

// splitAll cuts b with Split as one buffer and returns the tokens.
func splitAll(t *testing.T, b []byte) [][]byte {
	var toks [][]byte
	for steps := 0; len(b) > 0; steps++ {
		adv, tok, err := Split(b, true)
		if err != nil {
			t.Fatal(err)
		}
		if adv <= 0 || adv > len(b) {
			t.Fatalf("advance %d of %d at EOF", adv, len(b))
		}
		if tok != nil {
			if len(tok) != adv || !inside(b, tok) || &tok[0] != &b[0] {
				t.Fatal("token is not the advanced prefix")
			}
			if len(tok) >= 6 && int(tok[4])<<8|int(tok[5]) < 2 {
				t.Fatal("Split returned an ADU with MBAP length below 2")
			}
			toks = append(toks, tok)
		}
		b = b[adv:]
	}
	return toks
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
		whole := splitAll(t, b)
		// Not at EOF, Split either asks for more or makes progress.
		if adv, tok, _ := Split(b, false); adv < 0 || adv > len(b) || (tok != nil && len(tok) != adv) {
			t.Fatalf("advance %d token %d of %d", adv, len(tok), len(b))
		}
		// The same bytes fed one at a time give the same tokens.
		sc := bufio.NewScanner(iotest.OneByteReader(bytes.NewReader(b)))
		sc.Split(Split)
		i := 0
		for sc.Scan() {
			if i >= len(whole) || !bytes.Equal(sc.Bytes(), whole[i]) {
				t.Fatalf("token %d differs when fed byte by byte", i)
			}
			i++
		}
		if sc.Err() != nil || i != len(whole) {
			t.Fatalf("byte by byte: %d tokens, %v; whole: %d", i, sc.Err(), len(whole))
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
