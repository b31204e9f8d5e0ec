package s7comm

import (
	"os"
	"strings"
	"testing"
)

// TestAllocs asserts that every hot API allocates nothing: parse, the
// accessors, cursors, Split, the reassembling Decoder and the error paths.
func TestAllocs(t *testing.T) {
	readJob, readAck := sample("readJob4"), sample("readAck4")
	writeJob, writeAck := sample("writeJob5"), sample("writeAck5")
	szl, frag1, frag2 := sample("szl11Resp"), sample("szl1cFrag1"), sample("szl1cFrag2")
	plus, cr := sample("plusV3"), sample("cotpCR")
	alarm, cyc, tis := sample("alarmQuery"), sample("cyclicReq"), sample("modifyVar")
	bad := []byte{3, 0, 0, 9, 2, 0xf0}
	dec := new(Decoder)
	var sink int
	cases := []struct {
		name string
		fn   func()
	}{
		{"Parse read job", func() { f, _, _ := Parse(readJob); sink += int(f.TPKTLength) }},
		{"Parse ack-data", func() { f, _, _ := Parse(readAck); sink += int(f.PDU.DataLen) }},
		{"Frame.Decode", func() { var f Frame; f.Decode(readAck); sink += int(f.PDU.DataLen) }},
		{"Parse S7comm-plus", func() { f, _, _ := Parse(plus); h, _ := f.Plus(); sink += int(h.Seq) }},
		{"Parse error", func() { _, _, err := Parse(bad); sink += len(err.Error()) }},
		{"Parse empty", func() { _, _, err := Parse(nil); sink += len(err.Error()) }},
		{"COTP params", func() {
			f, _, _ := Parse(cr)
			n, _ := f.COTP.TPDUSize()
			ts, _ := f.COTP.CalledTSAP()
			r, s, _ := ts.RackSlot()
			sink += n + int(r) + int(s)
		}},
		{"Items", func() {
			f, _, _ := Parse(readJob)
			for it := f.PDU.Items(); it.Next(); {
				sink += int(it.Item().Byte())
			}
		}},
		{"DataItems", func() {
			f, _, _ := Parse(readAck)
			for it := f.PDU.DataItems(); it.Next(); {
				v, _ := it.Item().Uint()
				sink += int(v)
			}
		}},
		{"Write", func() {
			f, _, _ := Parse(writeJob)
			for it := f.PDU.DataItems(); it.Next(); {
				sink += len(it.Item().Value)
			}
			g, _, _ := Parse(writeAck)
			rc, _ := g.PDU.WriteResults()
			sink += rc.Len()
		}},
		{"SZL", func() {
			f, _, _ := Parse(szl)
			_, resp, _, _ := f.PDU.ReadSZL()
			for it := resp.Records(); it.Next(); {
				m, _ := ParseModuleID(it.Record())
				sink += len(m.OrderNumber)
			}
		}},
		{"Alarm query", func() {
			f, _, _ := Parse(alarm)
			q, _ := f.PDU.AlarmQuery()
			for it := q.Datasets(); it.Next(); {
				sink += int(it.Dataset().EventID)
			}
		}},
		{"Cyclic", func() {
			f, _, _ := Parse(cyc)
			c, _ := f.PDU.Cyclic()
			for it := c.Items(); it.Next(); {
				item := it.Item()
				for a := item.DBReadAreas(); a.Next(); {
					sink += int(a.Area().DB)
				}
			}
		}},
		{"TIS", func() {
			f, _, _ := Parse(tis)
			x, _ := f.PDU.TIS()
			for a := x.Addresses(); a.Next(); {
				sink += int(a.Addr().Start)
			}
			for v := x.Values(); v.Next(); {
				sink += len(v.Item().Value)
			}
		}},
		{"Split", func() { adv, _, _ := Split(readAck, false); sink += adv }},
		{"Split garbage", func() { adv, _, _ := Split(bad[1:], false); sink += adv }},
		{"Decoder reassembly", func() {
			f, _ := dec.Decode(frag1)
			g, _ := dec.Decode(frag2)
			d, _ := g.PDU.UserdataData()
			sink += len(d.Payload) + int(f.TPKTLength)
		}},
		{"Strings", func() {
			sink += len(FuncReadVar.String()) + len(AreaDB.String()) + len(AnomalyArea.String()) +
				len(KindS7.String()) + len(ErrTruncated.Error())
		}},
	}
	for _, c := range cases {
		if n := testing.AllocsPerRun(100, c.fn); n != 0 {
			t.Errorf("%s: %v allocations, want 0", c.name, n)
		}
	}
	_ = sink
}

// TestNoFmt keeps fmt, errors.New and binary.Read out of the package.
func TestNoFmt(t *testing.T) {
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		for _, bad := range []string{`"fmt"`, "errors.New", "binary.Read", "func init()", "panic("} {
			if strings.Contains(string(src), bad) {
				t.Errorf("%s uses %s", name, bad)
			}
		}
	}
}
