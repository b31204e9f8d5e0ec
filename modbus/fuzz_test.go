package modbus

import (
	"bufio"
	"bytes"
	"testing"
	"testing/iotest"
	"unsafe"
)

// inside reports whether v is a sub-slice of b (or empty).
func inside(b, v []byte) bool {
	if len(v) == 0 {
		return true
	}
	if len(b) == 0 {
		return false
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(v)))
	return p >= lo && p+uintptr(len(v)) <= lo+uintptr(len(b))
}

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
	fr.WriteSingle()
	fr.ExceptionStatus()
	fr.ByteCount()
	if d, ok := fr.Diagnostic(); ok && !inside(b, d.Data) {
		t.Fatal("diagnostic view")
	}
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
		if !inside(b, s.Raw) || !inside(b, s.Additional()) || int(s.ByteCount) < len(s.Raw) {
			t.Fatal("server id view")
		}
		s.ID()
		s.RunIndicator()
	}
	if it, ok := fr.FileRecords(); ok {
		n := 0
		for it.Next() {
			if !inside(b, it.Record().Data) {
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
	if q, ok := fr.FIFOQueue(); ok && !inside(b, q.Values.Bytes()) {
		t.Fatal("fifo view")
	}
	if _, d, ok := fr.MEI(); ok && !inside(b, d) {
		t.Fatal("mei view")
	}
	fr.CANopen()
	fr.DeviceIDRequest()
	if id, ok := fr.DeviceID(); ok {
		n := 0
		for it := id.Objects(); it.Next(); {
			if !inside(b, it.Object().Value) {
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
			if _, _, err := Parse(tok, Response); err == ErrLength {
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
