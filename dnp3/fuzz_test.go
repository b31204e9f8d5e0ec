package dnp3

import (
	"bytes"
	"math"
	"reflect"
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// inside reports whether view lies within buf's memory.
func inside(view, buf []byte) bool { return testkit.Inside(view, buf) }

func fuzzSeeds(f *testing.F) {
	for _, s := range []string{hexReadClass, hexResp1, hexResp2, hexAnalog, hexAttrs, hexCROB, hexFloatEvent, hexMixed} {
		f.Add(unhex(f, s))
	}
}

// walkObjects checks the cursor invariants over one fragment body.
func walkObjects(t *testing.T, body []byte, fn FunctionCode) {
	it := NewObjects(body, fn)
	last := -1
	for it.Next() {
		h := it.Object()
		if h.Offset <= last {
			t.Fatalf("header offset %d after %d", h.Offset, last)
		}
		last = h.Offset
		if !inside(h.Data, body) {
			t.Fatalf("header data outside the body")
		}
		n := uint64(0)
		pt := h.Points()
		for pt.Next() {
			n++
			if !inside(pt.Raw(), h.Data) {
				t.Fatalf("point raw outside the header data")
			}
			if n > uint64(h.Count) {
				t.Fatalf("%d points for count %d", n, h.Count)
			}
			pt.CROB()
			pt.Attribute()
			pt.Auth()
			pt.SecurityStatistic()
			pt.FileCommand()
			pt.FileStatus()
			pt.FileTransport()
			pt.AnalogOutput()
			pt.Interval()
		}
		if _, ok := pt.Partial(); ok && !inside(pt.Raw(), h.Data) {
			t.Fatalf("partial point outside the header data")
		}
		if pt.Err() == nil && !h.Truncated && h.Known && !h.HeaderOnly && n != uint64(h.Count) {
			if s, k := fixedSize(h.Group, h.Variation); !(k == sizeFixed && s == 0) {
				t.Fatalf("%d points for count %d of g%dv%d q%#x", n, h.Count, h.Group, h.Variation, h.Qualifier)
			}
		}
	}
	if h, ok := it.Partial(); ok && (h.HeaderLen < 2 || h.HeaderLen > 3+h.RangeLen || h.Offset+int(h.HeaderLen) > len(body)) {
		t.Fatalf("partial header %+v in %d octets", h, len(body))
	}
	checkFastPaths(t, body, fn)
}

// walked is what a walk over a fragment body yields: each header with its
// points and the point cursor's end state, then the cursor's end state.
type walked struct {
	headers []walkedHeader
	err     error
	an      Anomaly
	partial Object
	ok      bool
}

type walkedHeader struct {
	h       Object
	points  []cmpPoint
	err     error
	partial cmpPoint
	ok      bool
}

// cmpPoint is a Point with the octets it was decoded from, its float as
// bits, so that a NaN compares equal to itself.
type cmpPoint struct {
	Point
	floatBits uint64
	raw       []byte
}

func comparable(p Point, raw []byte) cmpPoint {
	bits := math.Float64bits(p.f)
	p.f = 0
	return cmpPoint{p, bits, raw}
}

// walk walks body with Next, or with the general path only when slow is
// set, reading the points through Objects.Points or, when copied is set,
// through a cursor built from a copy of the header.
func walk(body []byte, fn FunctionCode, slow, copied bool) walked {
	var w walked
	it := NewObjects(body, fn)
	for {
		var more bool
		if slow {
			more = it.next()
		} else {
			more = it.Next()
		}
		if !more {
			break
		}
		wh := walkedHeader{h: it.Object()}
		var pt *Points
		if copied {
			h := wh.h
			c := h.Points()
			pt = &c
		} else {
			pt = it.Points()
		}
		if slow {
			// The general path of Points.Next as well.
			pt.fast, pt.op = 0, opNone
		}
		for pt.Next() {
			wh.points = append(wh.points, comparable(pt.Point(), pt.Raw()))
		}
		wh.err = pt.Err()
		// Raw is the current object's: meaningful for a Partial one only.
		if p, ok := pt.Partial(); ok {
			wh.partial, wh.ok = comparable(p, pt.Raw()), ok
		}
		w.headers = append(w.headers, wh)
	}
	w.err, w.an = it.Err(), it.Anomalies()
	w.partial, w.ok = it.Partial()
	return w
}

// checkFastPaths checks that the inlined paths (the common headers decoded
// in Objects.step, the point cursor it sets up, the fixed-size objects of
// Points.step) give what the general paths give.
func checkFastPaths(t *testing.T, body []byte, fn FunctionCode) {
	general := walk(body, fn, true, true)
	for _, c := range []struct {
		name         string
		slow, copied bool
	}{{"Next, Objects.Points", false, false}, {"Next, ObjectHeader.Points", false, true}, {"general path, Objects.Points", true, false}} {
		if got := walk(body, fn, c.slow, c.copied); !reflect.DeepEqual(got, general) {
			t.Fatalf("%s: walk differs from the general path:\n got %+v\nwant %+v", c.name, got, general)
		}
	}
}

// FuzzParse decodes a link frame and everything above it.
func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	var c Conn
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, n, err := Parse(b)
		if n < 0 || n > len(b) {
			t.Fatalf("n = %d for %d bytes", n, len(b))
		}
		if err == ErrTruncated && n != 0 {
			t.Fatalf("ErrTruncated with n = %d", n)
		}
		if (err == nil || err == ErrCRC) && n != fr.WireLen() {
			t.Fatalf("n = %d, wire length %d", n, fr.WireLen())
		}
		ud := fr.UserData()
		if len(ud) > MaxUserData || len(ud) > fr.UserDataLen() {
			t.Fatalf("user data %d bytes for length %d", len(ud), fr.Length)
		}
		if err == nil && len(ud) != fr.UserDataLen() {
			t.Fatalf("user data %d bytes, want %d", len(ud), fr.UserDataLen())
		}
		var in Frame
		if n2, err2 := in.Decode(b); n2 != n || err2 != err || !bytes.Equal(in.UserData(), ud) {
			t.Fatalf("Decode %d %v, Parse %d %v", n2, err2, n, err)
		}
		var xe *FieldError
		if xerr := Explain(b); xerr != nil {
			xe = xerr.(*FieldError)
		}
		switch {
		case err != nil && (xe == nil || xe.Err != err):
			t.Fatalf("Explain %v, Parse %v", xe, err)
		case err == nil && xe != nil && xe.Offset < HeaderLen:
			t.Fatalf("Explain %v, Parse no error", xe)
		case xe != nil && (xe.Offset < 0 || xe.Offset > len(b)+2):
			t.Fatalf("Explain offset %d of %d: %v", xe.Offset, len(b), xe)
		}
		for _, toServer := range []bool{true, false} {
			m, _ := c.Decode(b, toServer, 0)
			if m.Complete && !inside(m.Fragment.Body, m.Frame.data[:]) && !insideLinks(&c, m.Fragment.Body) {
				t.Fatalf("fragment outside the Conn")
			}
			if s := c.Stats(); s.Pending > MaxPending {
				t.Fatalf("%d pending", s.Pending)
			}
		}
		seg := fr.Segment()
		a, an, err := ParseFragment(seg)
		var g Fragment
		if gn, gerr := g.Decode(seg); gn != an || gerr != err || !reflect.DeepEqual(g, a) {
			t.Fatalf("Fragment.Decode %+v %d %v, ParseFragment %+v %d %v", g, gn, gerr, a, an, err)
		}
		if err != nil {
			return
		}
		if !inside(a.Body, seg) {
			t.Fatalf("body outside the segment")
		}
		walkObjects(t, a.Body, a.Func)
	})
}

// FuzzSplit cuts a stream into frames with Split and with Resync and checks
// progress and bounds; that every token is a frame whose header Parse
// accepts, the whole frame (a bad data block CRC aside) or, at EOF only,
// the partial one the stream ends with, never a partial header for Resync;
// and that the frames Split cuts and the bytes it skips do not depend on
// how the stream arrives (the first octet picks the chunk sizes).
func FuzzSplit(f *testing.F) {
	fuzzSeeds(f)
	f.Add(append(append([]byte{5, 0x64, 5, 0, 5}, unhex(f, hexReadClass)...), 5))
	a, b := unhex(f, hexReadClass), unhex(f, hexResp2)
	f.Add(bytes.Join([][]byte{bogusHeader(255), a, b, a, b, a, b, a, b, a}, nil))
	f.Add(bytes.Join([][]byte{bogusHeader(8), a, bogusHeader(40), b, a[:12]}, nil))
	carrier := AppendLinkFrame(nil, 0x44, 1, 10, append([]byte{0xc0, 0xc0, 0x81, 0, 0}, a...))
	f.Add(append(bytes.Clone(carrier), b...))
	carrier[11] ^= 1
	f.Add(append(carrier, b...))
	split := []struct {
		name   string
		fn     func([]byte, bool) (int, []byte, error)
		resync bool
	}{{"Split", Split, false}, {"Resync", Resync, true}}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, s := range split {
			for _, atEOF := range []bool{false, true} {
				rest := data
				for steps := 0; len(rest) > 0; steps++ {
					if steps > len(data) {
						t.Fatalf("%s: no progress", s.name)
					}
					adv, tok, err := s.fn(rest, atEOF)
					if err != nil {
						t.Fatalf("%s: error %v", s.name, err)
					}
					if adv < 0 || adv > len(rest) {
						t.Fatalf("%s: advance %d of %d", s.name, adv, len(rest))
					}
					if tok != nil {
						if !inside(tok, rest[:adv]) {
							t.Fatalf("%s: token outside the consumed bytes", s.name)
						}
						_, n, err := Parse(tok)
						switch {
						case err == ErrTruncated:
							if !atEOF || adv != len(rest) {
								t.Fatalf("%s: partial token %x before EOF", s.name, tok)
							}
							if s.resync && len(tok) < HeaderLen {
								t.Fatalf("Resync: partial header %x", tok)
							}
						case err != nil && err != ErrCRC:
							t.Fatalf("%s: token %x: %v", s.name, tok, err)
						case n != len(tok):
							t.Fatalf("%s: token %x of %d bytes, frame %d", s.name, tok, len(tok), n)
						}
					}
					if adv == 0 {
						if atEOF {
							t.Fatalf("%s: no progress at EOF", s.name)
						}
						break
					}
					rest = rest[adv:]
				}
			}
		}
		if len(data) == 0 {
			return
		}
		whole, skipped := cutStream(t, Split, data)
		sizes := []int{1 + int(data[0]%13), 1 + int(data[0]>>4), 3}
		parts, pskipped := cutStream(t, Split, data, sizes...)
		if !reflect.DeepEqual(whole, parts) || skipped != pskipped {
			t.Fatalf("whole: %v, skipped %d; in chunks of %v: %v, skipped %d", whole, skipped, sizes, parts, pskipped)
		}
	})
}

// FuzzObjects walks an object area: the first byte is the function code.
func FuzzObjects(f *testing.F) {
	for _, s := range []string{hexReadClass, hexAnalog, hexAttrs, hexCROB, hexFloatEvent, hexMixed, hexCTOEvents, hexWriteTime} {
		fr, _, _ := Parse(unhex(f, s))
		a, _, _ := ParseFragment(fr.Segment())
		f.Add(append([]byte{byte(a.Func)}, a.Body...))
	}
	f.Add(unhex(f, "811e0128020001000164000000020001"))
	f.Add(unhex(f, "8100000000010000030164"))
	f.Add(unhex(f, "02700001000005015b010600010203040506"))
	// Packed bits and double bits, the last header cut short.
	f.Add(unhex(f, "81010100000ca51b0301000207e4090a010103000f00e701010100001fa5"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		walkObjects(t, in[1:], FunctionCode(in[0]))
	})
}

// FuzzConn feeds transport segments to a Conn, each a header octet (bit
// 0: to the server; bits 1-3 and 4-6: which of five masters and of five
// outstations; bit 7: bytes lost in its direction before it, told with
// Gap) and a length octet, then the user data, which the fuzzer wraps in a
// valid link frame. It checks the Conn's invariants: the pending table
// within its bound, every request counted once (answered, pending,
// unanswered or not awaiting a response), reassembly and missing FIRs
// against a model of the transport function.
func FuzzConn(f *testing.F) {
	var seed []byte
	for _, s := range []string{hexReadClass, hexResp1, hexResp2, hexSelect, hexSelectResp, hexOperate,
		hexOperResp, hexUnsol, hexConfirm, hexAuthOperate, hexAuthChallenge, hexAuthReply, hexAuthResp} {
		fr, _, _ := Parse(unhex(f, s))
		ud := fr.UserData()
		seed = append(append(seed, byte(fr.Control)>>7, byte(len(ud))), ud...)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, in []byte) {
		var c Conn
		type linkModel struct {
			frag   []byte
			active bool
			seq    uint8
		}
		models := map[[2]uint16]*linkModel{}
		var lost [2]bool // a direction after a gap, until its next FIR
		for len(in) >= 2 {
			hdr, n := in[0], int(in[1])
			in = in[2:]
			n = min(n, len(in), MaxUserData)
			ud := in[:n]
			in = in[n:]
			toServer := hdr&1 != 0
			a, b := uint16(hdr>>1&7%5), uint16(10+hdr>>4&7%5)
			ctl, src, dst := Control(0x44), b, a
			if toServer {
				ctl, src, dst = 0xC4, a, b
			}
			dir := 0
			if toServer {
				dir = 1
			}
			if hdr&0x80 != 0 {
				// Bytes lost in this direction before the segment.
				c.Gap(toServer)
				for k, lm := range models {
					if k[0] < 10 == toServer {
						lm.active = false
					}
				}
				lost[dir] = true
			}
			m, err := c.Decode(AppendLinkFrame(nil, ctl, dst, src, ud), toServer, 0)
			if s := c.Stats(); s.Pending > MaxPending {
				t.Fatalf("%d pending", s.Pending)
			}
			if err != nil && !m.Complete {
				t.Fatalf("segment %x: %v", ud, err)
			}
			if len(ud) == 0 {
				continue
			}
			key := [2]uint16{src, dst}
			lm := models[key]
			if lm == nil {
				// The Conn forgets links past its slots: follow it
				// only while they fit.
				if len(models) >= connLinks {
					return
				}
				lm = &linkModel{}
				models[key] = lm
			}
			th := TransportHeader(ud[0])
			ok, missing := true, false
			switch {
			case th.FIR():
				lm.frag, lm.active = lm.frag[:0], true
				lost[dir] = false
			case !lm.active:
				ok, missing = false, !lost[dir]
			case th.Seq() == lm.seq:
				ok = false
			case th.Seq() != (lm.seq+1)&0x3F:
				lm.active, ok = false, false
			}
			var want []byte
			done := false
			if ok {
				lm.seq = th.Seq()
				if len(lm.frag)+len(ud)-1 > MaxFragmentLen {
					lm.active = false
				} else {
					lm.frag = append(lm.frag, ud[1:]...)
					if th.FIN() {
						want, done, lm.active = lm.frag, true, false
					}
				}
			}
			if m.Complete != done {
				t.Fatalf("segment %x: complete %v, model %v", ud, m.Complete, done)
			}
			if m.Anomalies.Has(AnomalyMissingFIR) != missing {
				t.Fatalf("segment %x: %s, model missing FIR %v", ud, m.Anomalies, missing)
			}
			if done {
				if body := want[len(want)-len(m.Fragment.Body):]; !bytes.Equal(body, m.Fragment.Body) {
					t.Fatalf("segment %x: body %x, model %x", ud, m.Fragment.Body, want)
				}
				if m.Paired && (m.Request.Master != dst || m.Request.Outstation != src) {
					t.Fatalf("response from %d to %d paired with a request from %d to %d", src, dst, m.Request.Master, m.Request.Outstation)
				}
			}
		}
		s := c.Stats()
		var flushed uint64
		for range c.Flush {
			flushed++
		}
		if uint64(s.Pending) != flushed || c.Stats().Unanswered != s.Unanswered+flushed {
			t.Fatalf("flushed %d of %d pending", flushed, s.Pending)
		}
		if s.Paired+s.Unmatched+s.Mismatched > s.Responses {
			t.Fatalf("%d paired, %d unmatched, %d mismatched of %d responses", s.Paired, s.Unmatched, s.Mismatched, s.Responses)
		}
	})
}

// insideLinks reports whether b lies in a reassembly buffer of c.
func insideLinks(c *Conn, b []byte) bool {
	for i := range c.links {
		if inside(b, c.links[i].buf) {
			return true
		}
	}
	return false
}
