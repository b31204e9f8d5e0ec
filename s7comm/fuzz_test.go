package s7comm

import (
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// exercise calls every accessor and walks every cursor of the PDU and
// frame, checking that views stay inside bufs and cursors stop within their
// counts.
func exercise(t *testing.T, f *Frame, bufs ...[]byte) {
	t.Helper()
	chk := func(what string, v []byte) {
		if !testkit.Inside(v, bufs...) {
			t.Fatalf("%s view outside the input", what)
		}
	}
	chk("cotp params", f.COTP.Params)
	chk("cotp data", f.COTP.Data)
	ps := f.COTP.Parameters()
	for ps.Next() {
		chk("cotp param", ps.COTPParam().Value)
	}
	f.COTP.TPDUSize()
	if ts, ok := f.COTP.CalledTSAP(); ok {
		ts.RackSlot()
		ts.Printable()
		ts.Uint()
	}
	if h, ok := f.Plus(); ok {
		chk("plus digest", h.Digest)
		chk("plus body", h.Body)
	}
	exercisePDU(t, &f.PDU, bufs...)
	_ = f.Anomalies.String()
	_ = Explain(nil)
}

func exercisePDU(t *testing.T, p *PDU, bufs ...[]byte) {
	t.Helper()
	chk := func(what string, v []byte) {
		if !testkit.Inside(v, bufs...) {
			t.Fatalf("%s view outside the input", what)
		}
	}
	chk("param", p.Param)
	chk("data", p.Data)
	p.Function()
	p.SetupComm()
	p.FunctionStatus()
	p.Operation()
	p.Class()
	if n, ok := p.ItemCount(); ok {
		k := 0
		it := p.Items()
		for it.Next() {
			item := it.Item()
			chk("item spec", item.Spec)
			item.NCK()
			item.DriveESAny()
			item.Byte()
			item.Bit()
			item.Number()
			if s, ok := item.Sym1200(); ok {
				chk("lids", s.LIDs)
			}
			a := item.DBReadAreas()
			for a.Next() {
				a.DBReadArea()
			}
			k++
		}
		if k > n {
			t.Fatalf("%d items for count %d", k, n)
		}
		k = 0
		di := p.DataItems()
		for di.Next() {
			d := di.DataItem()
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
		if bn, ok := bc.Block(); ok {
			bn.BlockNumber()
			bn.BlockType()
		}
	}
	if bd, ok := p.BlockData(); ok {
		chk("block data", bd.Data)
	}
	if pi, ok := p.PIService(); ok {
		chk("service", pi.Service)
		pi.Kind()
		if a, ok := pi.Argument(); ok {
			chk("argument", a)
		}
		args := pi.Args()
		for args.Next() {
			chk("arg", args.PIArg())
		}
		if bl, ok := pi.Blocks(); ok {
			for bl.Next() {
				chk("block name", bl.BlockName().Number)
			}
		}
	}
	p.Userdata()
	if d, ok := p.UserdataData(); ok {
		chk("ud payload", d.Payload)
	}
	if _, resp, _, ok := p.ReadSZL(); ok {
		recs := resp.Records()
		if recs.Len() > int(resp.RecordCount) {
			t.Fatalf("%d records for count %d", recs.Len(), resp.RecordCount)
		}
		for _, rec := range recs.All {
			chk("szl record", rec)
			ParseModuleID(rec)
			ParseComponentID(rec)
			ParseCommCapability(rec)
			ParseProtection(rec)
			ParseCPUMode(rec)
			ParseLED(rec)
			ParseDiagEntry(rec)
			ParseSZLID(rec)
		}
	}
	p.Clock()
	if l, ok := p.BlockCounts(); ok {
		for range l.All {
		}
	}
	if l, ok := p.BlockEntries(); ok {
		for range l.All {
		}
	}
	p.BlockRequest()
	p.BlockInfo()
	p.DiagMessage()
	p.Password()
	p.MessageService()
	if c, ok := p.Cyclic(); ok {
		it := c.Items()
		for it.Next() {
		}
	}
	if it, ok := p.CyclicData(); ok {
		for it.Next() {
			chk("cyclic value", it.DataItem().Value)
		}
	}
	if a, ok := p.Alarm(); ok {
		k := 0
		it := a.Objects()
		for it.Next() {
			o := it.AlarmObject()
			chk("alarm spec", o.Spec)
			v := o.AssociatedValues()
			for v.Next() {
				chk("alarm value", v.DataItem().Value)
			}
			k++
		}
		if k > int(a.NumObjects) {
			t.Fatalf("%d alarm objects for %d", k, a.NumObjects)
		}
	}
	if q, ok := p.AlarmQuery(); ok {
		it := q.Datasets()
		for it.Next() {
			if c, g, ok := it.AlarmDataset().AssociatedValues(); ok {
				for c.Next() {
				}
				for g.Next() {
				}
			}
		}
	}
	if x, ok := p.TIS(); ok {
		a := x.Addresses()
		for a.Next() {
		}
		v := x.DataItems()
		for v.Next() {
			chk("tis value", v.DataItem().Value)
		}
		x.Results()
		x.JobRef()
	}
}

// exerciseMessage walks what a Conn adds to a message.
func exerciseMessage(t *testing.T, m *Message, bufs ...[]byte) {
	t.Helper()
	exercise(t, &m.Frame, bufs...)
	exercisePDU(t, &m.Request, bufs...)
	m.SZLRequest()
	r := m.VarResults()
	for r.Next() {
		v := r.VarResult()
		if !testkit.Inside(v.Data.Value, bufs...) {
			t.Fatal("value outside the input")
		}
		vals := v.Values()
		k := 0
		for vals.Next() {
			if !testkit.Inside(vals.Value().Bytes, bufs...) {
				t.Fatal("typed value outside the input")
			}
			if k++; k > 1<<16 {
				t.Fatal("too many values")
			}
		}
	}
	tr := m.TISResults()
	for tr.Next() {
		tr.TISResult()
	}
}

func addSeeds(f *testing.F) {
	for _, s := range samples {
		f.Add(testkit.Hex(s.hex))
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
		if err == ErrTruncated && n != 0 {
			t.Fatal("ErrTruncated with n != 0")
		}
		var g Frame
		if n2, err2 := g.Decode(b); n2 != n || err2 != err {
			t.Fatal("Decode disagrees with Parse")
		}
		if (Explain(b) == nil) && err != nil {
			t.Fatal("Explain finds no error where Parse did")
		}
		exercise(t, &fr, b)
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
	f.Add(append(append([]byte{}, bogusS7...), sample("readJob1")...))
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzFraming(t, b, Split, false)
	})
}

// FuzzResync checks Resync as FuzzSplit checks Split, and more: a whole
// packet it delivers decodes without error (Resync never delivers what
// Parse rejects as malformed) and is the packet Split cuts there.
func FuzzResync(f *testing.F) {
	addSeeds(f)
	s7 := sample("readJob4")[7:]
	f.Add(append(dt(s7[10:30], false), dt(s7[30:], true)...))
	f.Add(append(sample("readJob4")[5:], sample("readAck4")...))
	f.Add(append(sample("cotpCR"), 3, 0, 0, 7, 2, 0xf0, 0))
	f.Add(append(append([]byte{}, bogusS7...), sample("readJob1")...))
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzFraming(t, b, Resync, true)
	})
}

// fuzzFraming runs fn over b until it is consumed, with and without EOF,
// and checks progress, tokens and what Parse makes of them.
func fuzzFraming(t *testing.T, b []byte, fn func([]byte, bool) (int, []byte, error), resync bool) {
	for _, atEOF := range []bool{false, true} {
		data := b
		for steps := 0; len(data) > 0; steps++ {
			if steps > len(b)+1 {
				t.Fatal("no progress")
			}
			adv, tok, err := fn(data, atEOF)
			if err != nil {
				t.Fatal(err)
			}
			if adv < 0 || adv > len(data) {
				t.Fatalf("advance %d of %d", adv, len(data))
			}
			if tok != nil {
				if len(tok) != adv || len(tok) == 0 || &tok[0] != &data[0] || cap(tok) != len(tok) {
					t.Fatalf("token % x is not the first %d bytes", tok, adv)
				}
				_, n, err := Parse(tok)
				whole := len(tok) >= minTPKT && int(tok[2])<<8|int(tok[3]) == len(tok)
				switch {
				case err == ErrTPKT || err == ErrCOTP:
					t.Fatalf("token % x with a bad header: %v", tok, err)
				case whole && err == nil && n != len(tok):
					t.Fatalf("Parse used %d of a %d-byte token", n, len(tok))
				case !whole && (!atEOF || err != ErrTruncated || adv != len(data)):
					t.Fatalf("partial token % x not the last at EOF (%v)", tok, err)
				case resync && whole && err != nil:
					t.Fatalf("Resync delivered % x, which Parse rejects: %v", tok, err)
				}
				if resync && whole {
					if sadv, stok, _ := Split(data, atEOF); sadv != adv || len(stok) != len(tok) {
						t.Fatalf("Resync delivered % x, Split would not (%d)", tok, sadv)
					}
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
}

// FuzzConn feeds a stream of TPKT packets (cut by Split) through a Conn in
// both directions: COTP DT fragments, userdata data units, pairing, jobs.
func FuzzConn(f *testing.F) {
	frag := append(sample("szl1cReq"), sample("szl1cFrag1")...)
	frag = append(frag, sample("szl1cNext")...)
	frag = append(frag, sample("szl1cFrag2")...)
	f.Add(frag, uint64(0b1010))
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
	f.Add(append(sample("readJob4"), cut...), uint64(0b1110))
	f.Add(append(append(sample("varStatReq"), sample("varStatResp")...), sample("varStatPush")...), uint64(0b001))
	f.Add(append(sample("readTC"), sample("readTCAck")...), uint64(0b10))
	for _, s := range samples {
		f.Add(testkit.Hex(s.hex), uint64(0))
	}
	f.Fuzz(func(t *testing.T, b []byte, dirs uint64) {
		var c Conn
		data := b
		for i := 0; len(data) > 0; i++ {
			adv, tok, _ := Split(data, true)
			if adv <= 0 {
				t.Fatal("no progress")
			}
			data = data[adv:]
			if tok == nil {
				continue
			}
			toServer := dirs>>(uint(i)%64)&1 == 0
			m, _ := c.Decode(tok, toServer, int64(i))
			bufs := [][]byte{tok}
			if c.store != nil {
				for k := range c.store {
					bufs = append(bufs, c.store[k][:])
				}
			}
			for _, d := range c.dir {
				if d.cotp != nil {
					bufs = append(bufs, d.cotp[:])
				}
				if d.ud != nil {
					bufs = append(bufs, d.ud[:])
				}
			}
			exerciseMessage(t, m, bufs...)
			st := c.Stats()
			if st.Pending > MaxPending || st.Requests != st.Paired+st.Mismatched+st.Unanswered+uint64(st.Pending) {
				t.Fatalf("stats out of balance: %+v", st)
			}
		}
		c.Flush(func(m *Message) bool {
			var bufs [][]byte
			for k := range c.store {
				bufs = append(bufs, c.store[k][:])
			}
			exerciseMessage(t, m, bufs...)
			return true
		})
		if c.Stats().Pending != 0 {
			t.Fatal("Flush left requests")
		}
	})
}
