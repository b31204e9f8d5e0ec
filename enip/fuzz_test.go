package enip

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// inside reports whether sub is empty or lies within b.
func inside(b, sub []byte) bool { return testkit.Inside(sub, b) }

func addSeeds(f *testing.F) {
	for _, v := range allVectors() {
		f.Add(v)
	}
	f.Add(mustHex(hexIO))
}

// FuzzParse decodes arbitrary bytes as an encapsulation PDU and walks every
// view and cursor, checking that views stay inside the input and cursor
// counts agree.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, n, err := Parse(b)
		if err == nil && n != HeaderLen+int(fr.Length) {
			t.Fatalf("n %d for length %d", n, fr.Length)
		}
		if n > len(b) || !inside(b, fr.Data) {
			t.Fatal("frame data outside input")
		}
		if c, ok := fr.CIP(); ok && !inside(b, c.Msg) {
			t.Fatal("CIP message outside input")
		}
		it := fr.Items()
		seen := 0
		for it.Next() {
			seen++
			item := it.Item()
			if !inside(b, item.Data) {
				t.Fatal("item outside input")
			}
			if id, ok := item.Identity(); ok && !inside(b, id.ProductName) {
				t.Fatal("name outside input")
			}
			walkItem(item)
		}
		if seen > it.Count() {
			t.Fatalf("%d items for count %d", seen, it.Count())
		}
		walkAll(b)
	})
}

// addStreamSeeds adds streams that exercise framing: PDUs back to back,
// zero runs, a bogus length claim, a weak PDU before a strong one.
func addStreamSeeds(f *testing.F) {
	addSeeds(f)
	a, b := mustHex(hexForwardOpen), mustHex(hexListIdentityRequest)
	f.Add(append(append([]byte{}, b...), a...))
	f.Add(append(make([]byte, 60), a...))
	f.Add(append(mustHex("6f00f0ff01020304000000000102030405060708000000000000"), a...))
	f.Add(append(append(mustHex(hexConnMSPReply)[7:], mustHex(hexMSPRequest)...), a...))
}

// FuzzSplit checks that Split always progresses or asks for more, never
// returns a token longer than its advance or outside its input, that its
// common path agrees with its general one, and that tokens parse.
func FuzzSplit(f *testing.F) {
	addStreamSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		data := b
		for steps := 0; len(data) > 0; steps++ {
			if steps > len(b)+1 {
				t.Fatal("no progress")
			}
			adv, tok, err := Split(data, true)
			if err != nil {
				t.Fatal(err)
			}
			if adv <= 0 || adv > len(data) {
				t.Fatalf("advance %d of %d at EOF", adv, len(data))
			}
			if len(tok) > adv || !inside(data, tok) || tok == nil && adv > MaxSkip {
				t.Fatal("bad token")
			}
			if tok != nil {
				Parse(tok)
			}
			for _, eof := range []bool{false, true} {
				a1, t1, _ := Split(data, eof)
				a2, t2, _ := split(data, eof)
				if a1 != a2 || !bytes.Equal(t1, t2) || (t1 == nil) != (t2 == nil) {
					t.Fatalf("common path (%d, %x) and general path (%d, %x) differ", a1, t1, a2, t2)
				}
			}
			// Without EOF, Split either cuts the same or asks for more.
			adv2, tok2, _ := Split(data, false)
			if adv2 < 0 || adv2 > len(data) || len(tok2) > adv2 {
				t.Fatal("bad split without EOF")
			}
			if adv2 > 0 && (adv2 != adv || !bytes.Equal(tok, tok2)) {
				t.Fatalf("without EOF: (%d, %x), at EOF: (%d, %x)", adv2, tok2, adv, tok)
			}
			data = data[adv:]
		}
	})
}

// FuzzResync checks that Resync progresses at EOF, skips at most MaxSkip
// bytes per call, returns tokens that view the start of its input, and
// never delivers what Parse flags at the header level (an unknown
// command or status, non-zero options) or less than a header.
func FuzzResync(f *testing.F) {
	addStreamSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, eof := range []bool{true, false} {
			data := b
			for steps := 0; len(data) > 0; steps++ {
				if steps > len(b)+1 {
					t.Fatal("no progress")
				}
				adv, tok, err := Resync(data, eof)
				if err != nil {
					t.Fatal(err)
				}
				if adv < 0 || adv > len(data) || eof && adv == 0 {
					t.Fatalf("advance %d of %d (EOF %v)", adv, len(data), eof)
				}
				if tok == nil && adv > MaxSkip {
					t.Fatalf("skipped %d", adv)
				}
				if tok != nil {
					if adv != len(tok) || !inside(data, tok) || &tok[0] != &data[0] {
						t.Fatal("bad token")
					}
					if len(tok) < HeaderLen {
						t.Fatalf("token of %d bytes", len(tok))
					}
					fr, _, _ := Parse(tok)
					if fr.Anomalies&(AnomalyUnknownCommand|AnomalyUnknownStatus|AnomalyNonzeroOptions) != 0 || fr.Command == CmdNOP {
						t.Fatalf("Resync delivered %v %v (%v)", fr.Command, fr.Status, fr.Anomalies)
					}
					if _, v, _ := check(tok, true); v == vBad {
						t.Fatal("Resync delivered a token its checks refuse")
					}
				}
				if adv == 0 {
					break
				}
				data = data[adv:]
			}
		}
	})
}

// FuzzCPF walks arbitrary bytes as a Common Packet Format list and as an
// implicit I/O datagram.
func FuzzCPF(f *testing.F) {
	addSeeds(f)
	for _, v := range allVectors() {
		if fr, _, err := Parse(v); err == nil {
			if b, ok := fr.cpfData(); ok {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		it := NewItems(b)
		seen := 0
		for it.Next() {
			seen++
			if !inside(b, it.Item().Data) {
				t.Fatal("item outside input")
			}
			walkItem(it.Item())
		}
		if seen > it.Count() {
			t.Fatal("more items than count")
		}
		io, _ := ParseIO(b)
		if !inside(b, io.Data) {
			t.Fatal("io data outside input")
		}
	})
}

// FuzzEPATH walks arbitrary bytes as a padded EPATH.
func FuzzEPATH(f *testing.F) {
	f.Add(mustHex("9103417272002801280291014200"))
	f.Add(mustHex("21003401260001000100"))
	f.Add(mustHex("120831302e312e312e31"))
	f.Add(mustHex("34040100020003000480"))
	f.Add(mustHex("60c70500"))
	f.Add(mustHex("910c50726f6772616d3a4d61696e91054d6f746f720028039105537065656400"))
	for _, h := range []string{"20022401", "2002240130", "21000601250001003103", "2c012c022802300491", "9100", "9101", "91035046", "2068246530032c01"} {
		f.Add(mustHex(h))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p := Path(b)
		// Target's and AppendTag's in-place reading of the common
		// segments agrees with the Segments cursor on every input.
		if fast, slow := p.Target(), p.target(); !sameTarget(fast, slow) {
			t.Fatalf("Target %+v, over the cursor %+v", fast, slow)
		}
		if fast, slow := p.AppendTag([]byte("x")), p.appendTag([]byte("x")); !bytes.Equal(fast, slow) {
			t.Fatalf("AppendTag %q, over the cursor %q", fast, slow)
		}
		total := 0
		for it := p.Segments(); it.Next(); {
			s := it.Segment()
			if len(s.Raw) == 0 || !inside(b, s.Raw) || !inside(b, s.Symbol) || !inside(b, s.Link) || !inside(b, s.Data) {
				t.Fatal("segment outside input or empty")
			}
			total += len(s.Raw)
		}
		if total > len(b) {
			t.Fatal("segments longer than path")
		}
		_ = p.Target()
		if tag := p.AppendTag(nil); len(tag) > 4*len(b)+16 {
			t.Fatal("tag too long")
		}
	})
}

// sameTarget reports whether a and b are equal, their Symbol views the same
// bytes of the same input (nil or not alike).
func sameTarget(a, b Target) bool {
	sa, sb := a.Symbol, b.Symbol
	a.Symbol, b.Symbol = nil, nil
	return reflect.DeepEqual(a, b) && (sa == nil) == (sb == nil) && len(sa) == len(sb) && cap(sa) == cap(sb) &&
		(len(sa) == 0 || &sa[0] == &sb[0])
}

// FuzzMSP walks arbitrary bytes as Multiple Service Packet data and as a
// CIP message.
func FuzzMSP(f *testing.F) {
	for _, h := range []string{hexMSPRequest, hexMSPSymbolic} {
		fr, _, _ := Parse(mustHex(h))
		items := fr.Items()
		for items.Next() {
			if _, msg, ok := items.Item().ConnectedMessage(); ok {
				f.Add(msg)
				if m, err := ParseCIP(msg); err == nil {
					f.Add(m.Data)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		it := NewCIPMessages(b)
		n := 0
		for it.Next() {
			n++
			if !inside(b, it.Raw()) {
				t.Fatal("embedded message outside input")
			}
		}
		if n > it.Count() {
			t.Fatal("more messages than count")
		}
		walkMessage(b, 0)
	})
}

// FuzzConn drives a Conn with pairs of arbitrary PDUs (a request and a
// reply, spliced from real ones), checking that it never panics, stays
// within its bounds and that every view it returns lies inside the input
// or the Conn.
func FuzzConn(f *testing.F) {
	pairs := [][2]string{{hexReadTagRequest, hexReadTagReply}, {hexUnconnectedSend, hexIdentityReply},
		{hexForwardOpen, hexForwardOpenReply}, {hexConnMSPRequest, hexConnMSPReply}, {hexPCCCRequest, hexPCCCReply},
		{hexListIdentityRequest, hexListIdentityReply}, {hexMSPSymbolic, hexConnMSPReply}}
	for _, p := range pairs {
		f.Add(mustHex(p[0]), mustHex(p[1]))
	}
	var c Conn
	f.Fuzz(func(t *testing.T, q, r []byte) {
		for i, b := range [][]byte{q, r, q, r} {
			m, _ := c.Decode(b, i%2 == 0, int64(i))
			if m.HasCIP && !inside(b, m.CIP.Msg) {
				t.Fatal("CIP data outside input")
			}
			calls := m.Calls()
			for calls.Next() {
				call := calls.Call()
				if !inside(b, call.Msg.Data) || !inside(b, call.Msg.Path) {
					t.Fatal("call outside input")
				}
				if call.Request != nil && len(call.Request.Path()) > RequestPathMax {
					t.Fatal("path longer than kept")
				}
			}
			if st := c.Stats(); st.Pending > MaxPending {
				t.Fatalf("%d pending", st.Pending)
			}
			for _, r := range m.Requests().All {
				_ = r.Operation()
			}
		}
		if len(q) > 0 && q[0]%7 == 0 {
			for m := range c.Flush {
				_ = m.Requests().Len()
			}
		}
	})
}
