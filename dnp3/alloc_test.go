package dnp3

import "testing"

// TestZeroAllocs asserts that every hot path, error paths included, makes
// no allocation.
func TestZeroAllocs(t *testing.T) {
	var d Decoder
	good := unhex(t, hexMixed)
	badCRC := append([]byte(nil), good...)
	badCRC[20] ^= 0xFF
	badHdr := append([]byte(nil), good...)
	badHdr[9] ^= 0xFF
	resp1, resp2 := unhex(t, hexResp1), unhex(t, hexResp2)
	stream := append(append([]byte{1, 2, 3}, resp1...), resp2...)
	garbage := make([]byte, 512)
	mixed := decodeFrag(t, hexMixed)
	crob := decodeFrag(t, hexCROB)
	attrs := decodeFrag(t, hexAttrs)
	unknown := unhex(t, "1e0201000001000000fe01070100")
	var tr Transport
	f1, _, _ := d.Decode(resp1)
	tr.Add(&f1) // the slot's buffer is allocated once, here
	r := NewReassembler(0)
	seg := []byte{0xC0, 0xC0, 0x81, 0, 0}
	var sink int
	var (
		inF  LinkFrame
		inA  Fragment
		inIt Objects
	)

	walk := func(a *Fragment) {
		it := a.Objects()
		for it.Next() {
			h := it.Header()
			pt := h.Points()
			for pt.Next() {
				p := pt.Point()
				sink += int(p.Int)
				if c, ok := p.CROB(); ok {
					sink += int(c.Count)
				}
				if at, ok := p.Attribute(); ok {
					v, _ := at.Uint()
					sink += int(v)
				}
			}
			if p, ok := pt.Partial(); ok {
				sink += int(p.Index)
			}
		}
		sink += len(it.Rest())
	}

	tests := []struct {
		name string
		fn   func()
	}{
		{"CRC", func() { sink += int(CRC(good)) }},
		{"Decode", func() { _, n, _ := d.Decode(good); sink += n }},
		{"Decode bad CRC", func() { _, _, err := d.Decode(badCRC); sink += len(err.Error()) }},
		{"Decode bad header", func() { _, _, err := d.Decode(badHdr); sink += len(err.Error()) }},
		{"Decode truncated", func() { _, _, err := d.Decode(good[:40]); sink += len(err.Error()) }},
		{"ParseLinkHeader", func() { h, _ := ParseLinkHeader(good); sink += h.WireLen() }},
		{"Split stream", func() {
			for data := stream; len(data) > 0; {
				adv, tok, _ := Split(data, false)
				if adv == 0 {
					break
				}
				sink += len(tok)
				data = data[adv:]
			}
		}},
		{"Split garbage", func() { adv, _, _ := Split(garbage, false); sink += adv }},
		{"Split partial", func() { adv, _, _ := Split(resp1[:100], false); sink += adv }},
		{"Transport two segments", func() {
			f, _, _ := d.Decode(resp1)
			tr.Add(&f)
			f, _, _ = d.Decode(resp2)
			frag, _, _ := tr.Add(&f)
			sink += len(frag)
		}},
		{"Reassembler anomalies", func() {
			_, _, an := r.Add([]byte{0x81, 1})
			_, _, an2 := r.Add(seg)
			sink += int(an) + int(an2)
		}},
		{"ParseFragment", func() { a, _ := ParseFragment(good[10:26]); sink += int(a.Func) }},
		{"in place", func() {
			n, _ := d.DecodeFrame(&inF, good)
			frag, _, _ := tr.Add(&inF)
			_ = inA.Decode(frag)
			inIt.Reset(inA.Body, inA.Func)
			for inIt.Next() {
				pt := inIt.Points()
				for pt.Next() {
					sink += int(pt.Point().Int)
				}
			}
			sink += n
		}},
		{"objects and points", func() { walk(&mixed) }},
		{"CROB", func() { walk(&crob) }},
		{"attributes", func() { walk(&attrs) }},
		{"unknown object", func() {
			it := NewObjects(unknown, FuncResponse)
			for it.Next() {
				h := it.Header()
				for pt := h.Points(); pt.Next(); {
				}
			}
			sink += len(it.Err().Error())
		}},
		{"enum strings", func() {
			sink += len(FuncDirectOperate.String()) + len(LinkNack.String()) + len(AnomalyOverflow.String()) +
				len(AttributeName(AttrVarProduct)) + len(ErrRange.Error())
		}},
		{"anomaly Each", func() { (AnomalyOverflow | AnomalyRestart).Each(func(a Anomaly) { sink += int(a) }) }},
	}
	for _, tc := range tests {
		if n := testing.AllocsPerRun(100, tc.fn); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", tc.name, n)
		}
	}
	_ = sink
}
