package dnp3

import (
	"bytes"
	"math"
	"reflect"
	"testing"
	"unsafe"
)

// inside reports whether view lies within buf's memory.
func inside(view, buf []byte) bool {
	if len(view) == 0 {
		return true
	}
	if len(buf) == 0 {
		return false
	}
	v := uintptr(unsafe.Pointer(unsafe.SliceData(view)))
	b := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	return v >= b && v+uintptr(len(view)) <= b+uintptr(len(buf))
}

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
		h := it.Header()
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
			p := pt.Point()
			if !inside(p.Raw, h.Data) {
				t.Fatalf("point raw outside the header data")
			}
			if n > uint64(h.Count) {
				t.Fatalf("%d points for count %d", n, h.Count)
			}
		}
		if p, ok := pt.Partial(); ok && !inside(p.Raw, h.Data) {
			t.Fatalf("partial point outside the header data")
		}
		if pt.Err() == nil && !h.Truncated && h.Known && !h.HeaderOnly && n != uint64(h.Count) {
			if s, k := fixedSize(h.Group, h.Variation); !(k == sizeFixed && s == 0) {
				t.Fatalf("%d points for count %d of g%dv%d q%#x", n, h.Count, h.Group, h.Variation, h.Qualifier)
			}
		}
	}
	if len(it.Rest()) > len(body) {
		t.Fatalf("rest longer than body")
	}
	checkFastPaths(t, body, fn)
}

// walked is what a walk over a fragment body yields: each header with its
// points and the point cursor's end state, then the cursor's end state.
type walked struct {
	headers []walkedHeader
	err     error
	an      Anomaly
	rest    int
}

type walkedHeader struct {
	h       ObjectHeader
	points  []cmpPoint
	err     error
	partial cmpPoint
	ok      bool
}

// cmpPoint is a Point with its Float as bits, so that a NaN compares equal
// to itself.
type cmpPoint struct {
	Point
	FloatBits uint64
}

func comparable(p Point) cmpPoint {
	bits := math.Float64bits(p.Float)
	p.Float = 0
	return cmpPoint{p, bits}
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
			it.fresh = false
		} else {
			more = it.Next()
		}
		if !more {
			break
		}
		wh := walkedHeader{h: *it.Header()}
		var pt *Points
		if copied {
			h := wh.h
			c := h.Points()
			pt = &c
		} else {
			pt = it.Points()
		}
		for pt.Next() {
			wh.points = append(wh.points, comparable(*pt.Point()))
		}
		wh.err = pt.Err()
		p, ok := pt.Partial()
		wh.partial, wh.ok = comparable(p), ok
		w.headers = append(w.headers, wh)
	}
	w.err, w.an, w.rest = it.Err(), it.Anomalies(), len(it.Rest())
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
	var d Decoder
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, n, err := d.Decode(b)
		if n < 0 || n > len(b) {
			t.Fatalf("n = %d for %d bytes", n, len(b))
		}
		if err == nil && n != fr.WireLen() {
			t.Fatalf("n = %d, wire length %d", n, fr.WireLen())
		}
		if len(fr.UserData) > MaxUserData || len(fr.UserData) > fr.UserDataLen() {
			t.Fatalf("user data %d bytes for length %d", len(fr.UserData), fr.Length)
		}
		if err == nil && len(fr.UserData) != fr.UserDataLen() {
			t.Fatalf("user data %d bytes, want %d", len(fr.UserData), fr.UserDataLen())
		}
		seg := fr.Segment()
		a, err := ParseFragment(seg)
		if err != nil {
			return
		}
		if !inside(a.Body, seg) {
			t.Fatalf("body outside the segment")
		}
		walkObjects(t, a.Body, a.Func)
	})
}

// FuzzSplit cuts a stream into frames and checks progress and bounds.
func FuzzSplit(f *testing.F) {
	fuzzSeeds(f)
	f.Add(append(append([]byte{5, 0x64, 5, 0, 5}, unhex(f, hexReadClass)...), 5))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, atEOF := range []bool{false, true} {
			rest := data
			for steps := 0; len(rest) > 0; steps++ {
				if steps > len(data) {
					t.Fatalf("no progress")
				}
				adv, tok, err := Split(rest, atEOF)
				if err != nil {
					t.Fatalf("error %v", err)
				}
				if adv < 0 || adv > len(rest) {
					t.Fatalf("advance %d of %d", adv, len(rest))
				}
				if tok != nil {
					if !inside(tok, rest[:adv]) {
						t.Fatalf("token outside the consumed bytes")
					}
					if !atEOF || len(tok) == FrameLen(tok[2]) {
						h, err := ParseLinkHeader(tok)
						if err != nil || len(tok) != h.WireLen() {
							t.Fatalf("token %x: %v", tok, err)
						}
					}
				}
				if adv == 0 {
					if atEOF {
						t.Fatalf("no progress at EOF")
					}
					break
				}
				rest = rest[adv:]
			}
		}
	})
}

// FuzzReassembly feeds segments (each prefixed by its length octet) to a
// small Reassembler and checks every fragment against a model.
func FuzzReassembly(f *testing.F) {
	var d Decoder
	var seed []byte
	for _, s := range []string{hexResp1, hexResp2, hexReadClass} {
		fr, _, _ := d.Decode(unhex(f, s))
		seed = append(append(seed, byte(len(fr.UserData))), fr.UserData...)
	}
	f.Add(seed)
	f.Add([]byte{2, 0x41, 1, 2, 0x02, 2, 2, 0x83, 3, 1, 0xC0})
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReassembler(300)
		var model []byte
		active := false
		var seq uint8
		for len(in) > 0 {
			n := int(in[0])
			in = in[1:]
			if n > len(in) {
				n = len(in)
			}
			seg := in[:n]
			in = in[n:]
			frag, done, _ := r.Add(seg)
			if len(seg) == 0 {
				continue
			}
			th := TransportHeader(seg[0])
			// Model.
			ok := true
			switch {
			case th.FIR():
				model, active = model[:0], true
			case !active:
				ok = false
			case th.Seq() == seq:
				ok = false
			case th.Seq() != (seq+1)&0x3F:
				active, ok = false, false
			}
			var want []byte
			wantDone := false
			if ok {
				seq = th.Seq()
				if len(model)+len(seg)-1 > 300 {
					active = false
				} else {
					model = append(model, seg[1:]...)
					if th.FIN() {
						want, wantDone, active = model, true, false
					}
				}
			}
			if done != wantDone || done && !bytes.Equal(frag, want) {
				t.Fatalf("segment %x: got %x %v, want %x", seg, frag, done, want)
			}
			if r.InProgress() != active {
				t.Fatalf("in progress %v, model %v", r.InProgress(), active)
			}
		}
	})
}

// FuzzObjects walks an object area: the first byte is the function code.
func FuzzObjects(f *testing.F) {
	for _, s := range []string{hexReadClass, hexAnalog, hexAttrs, hexCROB, hexFloatEvent, hexMixed} {
		var d Decoder
		fr, _, _ := d.Decode(unhex(f, s))
		a, _ := ParseFragment(fr.Segment())
		f.Add(append([]byte{byte(a.Func)}, a.Body...))
	}
	f.Add(unhex(f, "811e0128020001000164000000020001"))
	f.Add(unhex(f, "8100000000010000030164"))
	f.Add(unhex(f, "02700001000005015b010600010203040506"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		walkObjects(t, in[1:], FunctionCode(in[0]))
	})
}

// FuzzTransport feeds segments of several links to a Transport and checks
// that Add, with its shortcut for a one-segment fragment on the link of
// the previous frame, does what For and Reassembler.Add do. Each segment
// is a link octet (its number picks one of six links, more than the four
// slots) and a length octet, then the segment.
func FuzzTransport(f *testing.F) {
	var d Decoder
	var seed []byte
	for i, s := range []string{hexResp1, hexResp2, hexReadClass, hexAnalog, hexAnalog, hexCROB} {
		fr, _, _ := d.Decode(unhex(f, s))
		seed = append(append(seed, byte(i%3), byte(len(fr.UserData))), fr.UserData...)
	}
	f.Add(seed)
	f.Add([]byte{0, 2, 0xC0, 1, 1, 2, 0xC1, 2, 0, 2, 0x41, 1, 0, 2, 0xC2, 3, 5, 1, 0xC0})
	f.Fuzz(func(t *testing.T, in []byte) {
		var got, want Transport
		got.Init(64)
		want.Init(64)
		for len(in) >= 2 {
			link, n := in[0], int(in[1])
			in = in[2:]
			n = min(n, len(in))
			seg := in[:n]
			in = in[n:]
			fr := LinkFrame{LinkHeader: LinkHeader{Src: uint16(link % 6), Dst: 7, Control: Control(link&0x80 | 0x44)}, UserData: seg}
			frag, done, an := got.Add(&fr)
			wfrag, wdone, wan := want.For(LinkKey{Src: fr.Src, Dst: fr.Dst, Dir: fr.Control.Dir()}).Add(seg)
			if done != wdone || an != wan || !bytes.Equal(frag, wfrag) {
				t.Fatalf("segment %x on link %d: got %x %v %v, want %x %v %v", seg, link, frag, done, an, wfrag, wdone, wan)
			}
			for i := range got.slots {
				g, w := &got.slots[i], &want.slots[i]
				if g.key != w.key || g.used != w.used || g.r.active != w.r.active || g.r.seq != w.r.seq || g.r.n != w.r.n {
					t.Fatalf("slot %d differs after segment %x on link %d", i, seg, link)
				}
			}
		}
	})
}
