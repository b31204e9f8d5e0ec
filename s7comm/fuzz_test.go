package s7comm

import (
	"testing"
	"unsafe"
)

// inside reports whether v is empty or lies within one of the buffers.
func inside(v []byte, bufs ...[]byte) bool {
	if len(v) == 0 {
		return true
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(v)))
	for _, b := range bufs {
		if len(b) == 0 {
			continue
		}
		s := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		if p >= s && p+uintptr(len(v)) <= s+uintptr(len(b)) {
			return true
		}
	}
	return false
}

// exercise calls every accessor and walks every cursor of f, checking that
// views stay inside bufs and cursors stop within their counts.
func exercise(t *testing.T, f Frame, bufs ...[]byte) {
	t.Helper()
	chk := func(what string, v []byte) {
		if !inside(v, bufs...) {
			t.Fatalf("%s view outside the input", what)
		}
	}
	chk("cotp params", f.COTP.Params)
	chk("cotp data", f.COTP.Data)
	for it := f.COTP.ParamIter(); it.Next(); {
		chk("cotp param", it.Param().Value)
	}
	f.COTP.TPDUSize()
	if ts, ok := f.COTP.CalledTSAP(); ok {
		ts.RackSlot()
		ts.Printable()
	}
	if h, ok := f.Plus(); ok {
		chk("plus digest", h.Digest)
		chk("plus body", h.Body)
	}
	p := &f.PDU
	chk("param", p.Param)
	chk("data", p.Data)
	p.Function()
	p.SetupComm()
	if n, ok := p.ItemCount(); ok {
		k := 0
		it := p.Items()
		for it.Next() {
			item := it.Item()
			chk("item spec", item.Spec)
			item.NCK()
			item.DriveESAny()
			if s, ok := item.Sym1200(); ok {
				chk("lids", s.LIDs)
			}
			for a := item.DBReadAreas(); a.Next(); {
				a.Area()
			}
			k++
		}
		if k > n {
			t.Fatalf("%d items for count %d", k, n)
		}
		k = 0
		di := p.DataItems()
		for di.Next() {
			d := di.Item()
			chk("value", d.Value)
			d.Uint()
			d.Int()
			d.Float32()
			d.Bool()
			k++
		}
		if k > n {
			t.Fatalf("%d data items for count %d", k, n)
		}
		if rc, ok := p.WriteResults(); ok && rc.Len() > n {
			t.Fatalf("%d results for count %d", rc.Len(), n)
		}
	}
	if bc, ok := p.BlockControl(); ok {
		chk("filename", bc.FileName)
		chk("part2", bc.Part2)
		FileName(bc.FileName).BlockNumber()
	}
	if bd, ok := p.BlockData(); ok {
		chk("block data", bd.Data)
	}
	if pi, ok := p.PIService(); ok {
		chk("service", pi.Service)
		if a, ok := pi.Argument(); ok {
			chk("argument", a)
		}
		args := pi.Args()
		for {
			v, ok := args.Next()
			if !ok {
				break
			}
			chk("arg", v)
		}
		if bl, ok := pi.Blocks(); ok {
			for {
				v, ok := bl.Next()
				if !ok {
					break
				}
				chk("block name", v)
			}
		}
	}
	p.Userdata()
	if d, ok := p.UserdataData(); ok {
		chk("ud payload", d.Payload)
	}
	if _, resp, _, ok := p.ReadSZL(); ok {
		k := 0
		for it := resp.Records(); it.Next(); {
			rec := it.Record()
			chk("szl record", rec)
			ParseModuleID(rec)
			ParseComponentID(rec)
			ParseCommCapability(rec)
			ParseProtection(rec)
			ParseCPUMode(rec)
			ParseLED(rec)
			ParseDiagEntry(rec)
			k++
		}
		if k > int(resp.RecordCount) {
			t.Fatalf("%d records for count %d", k, resp.RecordCount)
		}
	}
	p.Clock()
	if l, ok := p.Blocks(); ok {
		for l.Next() {
			l.Count()
			l.Entry()
		}
	}
	p.BlockRequest()
	p.BlockInfo()
	p.DiagMessage()
	p.Password()
	p.MessageService()
	if c, ok := p.Cyclic(); ok {
		for it := c.Items(); it.Next(); {
		}
	}
	if it, ok := p.CyclicData(); ok {
		for it.Next() {
			chk("cyclic value", it.Item().Value)
		}
	}
	if a, ok := p.Alarm(); ok {
		k := 0
		for it := a.Objects(); it.Next(); {
			o := it.Object()
			chk("alarm spec", o.Spec)
			for v := o.Values(); v.Next(); {
				chk("alarm value", v.Item().Value)
			}
			k++
		}
		if k > int(a.NumObjects) {
			t.Fatalf("%d alarm objects for %d", k, a.NumObjects)
		}
	}
	if q, ok := p.AlarmQuery(); ok {
		for it := q.Datasets(); it.Next(); {
			if c, g, ok := it.Dataset().Values(); ok {
				for c.Next() {
				}
				for g.Next() {
				}
			}
		}
	}
	if x, ok := p.TIS(); ok {
		for a := x.Addresses(); a.Next(); {
		}
		for v := x.Values(); v.Next(); {
			chk("tis value", v.Item().Value)
		}
		x.Results()
	}
	for rest := f.Anomalies; rest != 0; {
		var a Anomaly
		a, rest = rest.Next()
		_ = a.String()
	}
}

func addSeeds(f *testing.F) {
	for _, s := range samples {
		f.Add(mustHex(s.hex))
	}
}

func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, n, err := Parse(b)
		if n < 0 || n > len(b) {
			t.Fatalf("n = %d for %d bytes", n, len(b))
		}
		if err == nil && n == 0 {
			t.Fatal("no error and nothing used")
		}
		exercise(t, fr, b)
		// The S7 part alone must decode the same way.
		if fr.Kind == KindS7 && err == nil {
			p, err := ParsePDU(fr.COTP.Data)
			if err != nil || p.PDURef != fr.PDU.PDURef {
				t.Fatalf("ParsePDU disagrees: %v", err)
			}
		}
	})
}

func FuzzSplit(f *testing.F) {
	addSeeds(f)
	f.Add([]byte{3, 0, 0, 7, 3, 0, 0, 2, 0xff, 3, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, atEOF := range []bool{false, true} {
			data := b
			for steps := 0; len(data) > 0; steps++ {
				if steps > len(b)+1 {
					t.Fatal("Split does not progress")
				}
				adv, tok, err := Split(data, atEOF)
				if err != nil {
					t.Fatal(err)
				}
				if adv < 0 || adv > len(data) {
					t.Fatalf("advance %d of %d", adv, len(data))
				}
				if tok != nil {
					if len(tok) < minTPKT || int(tok[2])<<8|int(tok[3]) != len(tok) || !inside(tok, data[:adv]) {
						t.Fatalf("bad token % x", tok)
					}
					if _, n, err := Parse(tok); err == nil && n != len(tok) {
						t.Fatalf("Parse used %d of a %d-byte token", n, len(tok))
					}
				}
				if adv == 0 {
					if atEOF {
						t.Fatal("no progress at EOF")
					}
					break
				}
				data = data[adv:]
			}
		}
	})
}

// FuzzDecoder feeds a stream of TPKT packets (cut by Split) through a
// reassembling Decoder: COTP DT fragments and userdata data units.
func FuzzDecoder(f *testing.F) {
	frag := append(sample("szl1cFrag1"), sample("szl1cFrag2")...)
	f.Add(frag)
	whole := sample("readAck4")[7:]
	var cut []byte
	for i, p := range [][]byte{whole[:9], whole[9:]} {
		eot := byte(0)
		if i == 1 {
			eot = 0x80
		}
		n := 7 + len(p)
		cut = append(cut, 3, 0, byte(n>>8), byte(n), 2, 0xf0, eot)
		cut = append(cut, p...)
	}
	f.Add(cut)
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Decoder
		data := b
		for len(data) > 0 {
			adv, tok, _ := Split(data, true)
			if adv <= 0 {
				t.Fatal("no progress")
			}
			data = data[adv:]
			if tok == nil {
				continue
			}
			fr, _ := d.Decode(tok)
			exercise(t, fr, tok, d.cotp[:], d.ud[:])
			if ud, ok := fr.PDU.UserdataData(); ok && ud.Reassembled && len(ud.Payload) > MaxUserdataMessage {
				t.Fatal("reassembled past the bound")
			}
		}
	})
}
