package s7comm

import (
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// TestAllocs asserts that every hot API allocates nothing: parse, the
// accessors, cursors, typed values, Split and Resync, every path of a Conn and the
// error paths.
func TestAllocs(t *testing.T) {
	readJob, readAck := sample("readJob4"), sample("readAck4")
	writeJob, writeAck := sample("writeJob5"), sample("writeAck5")
	szl, frag1, frag2 := sample("szl11Resp"), sample("szl1cFrag1"), sample("szl1cFrag2")
	plus, cr := sample("plusV3"), sample("cotpCR")
	bogus := cat(bogusS7, readJob)
	midStream := cat(readJob[5:], readAck)
	cont := cat(dt(readJob[17:40], false), readAck)
	alarm, cyc, tis := sample("alarmQuery"), sample("cyclicReq"), sample("modifyVar")
	bad := []byte{3, 0, 0, 9, 2, 0xf0}
	var sink int
	var c Conn
	// The samples are decoded once outside the measured calls, as
	// sample() allocates a fresh copy.
	pkts := map[string][]byte{}
	for _, s := range samples {
		pkts[s.name] = sample(s.name)
	}
	conv := func(steps ...step) func() {
		return func() {
			for _, s := range steps {
				m, _ := c.Decode(pkts[s.sample], s.toServer, 1)
				sink += int(m.Frame.TPKTLength)
			}
		}
	}
	big := make([]byte, 7+4000)
	copy(big, []byte{3, 0, byte(len(big) >> 8), byte(len(big)), 2, 0xf0, 0})
	bigEnd := append([]byte(nil), big...)
	bigEnd[6] = 0x80
	job := append([]byte(nil), pkts["readJob1"]...)
	n := 0
	readTC := conv(step{"readTC", true}, step{"readTCAck", false})
	write5 := conv(step{"writeJob5", true}, step{"writeAck5", false})
	szlFollow := conv(step{"szl1cReq", true}, step{"szl1cFrag1", false}, step{"szl1cNext", true}, step{"szl1cFrag2", false})
	varStat := conv(step{"varStatReq", true}, step{"varStatResp", false}, step{"varStatPush", false})
	unmatched := conv(step{"readAck1", false}, step{"readJob1", true})
	dtItem := Item{Syntax: SyntaxS7Any, TransportSize: TSDateTime, Count: 1}
	dtData := DataItem{ReturnCode: ReturnSuccess, Value: []byte{0x16, 0x02, 0x08, 0x14, 0x51, 0x37, 0x91, 0x62}}
	dateItem := Item{Syntax: SyntaxS7Any, TransportSize: TSDate, Count: 1}
	dateData := DataItem{ReturnCode: ReturnSuccess, Value: []byte{0x20, 0x00}}
	testkit.ZeroAllocs(t, []testkit.AllocCase{
		{Name: "Parse read job", Fn: func() { f, _, _ := Parse(readJob); sink += int(f.TPKTLength) }},
		{Name: "Parse ack-data", Fn: func() { f, _, _ := Parse(readAck); sink += int(f.PDU.DataLen) }},
		{Name: "Frame.Decode", Fn: func() { var f Frame; f.Decode(readAck); sink += int(f.PDU.DataLen) }},
		{Name: "Parse S7comm-plus", Fn: func() { f, _, _ := Parse(plus); h, _ := f.Plus(); sink += int(h.Seq) }},
		{Name: "Parse error", Fn: func() { _, _, err := Parse(bad); sink += len(err.Error()) }},
		{Name: "Parse empty", Fn: func() { _, _, err := Parse(nil); sink += len(err.Error()) }},
		{Name: "COTP params", Fn: func() {
			f, _, _ := Parse(cr)
			n, _ := f.COTP.TPDUSize()
			ts, _ := f.COTP.CalledTSAP()
			r, s, _ := ts.RackSlot()
			v, _ := ts.Uint()
			sink += n + int(r) + int(s) + int(v)
		}},
		{Name: "Items", Fn: func() {
			f, _, _ := Parse(readJob)
			it := f.PDU.Items()
			for it.Next() {
				b, _ := it.Item().Byte()
				sink += int(b)
			}
		}},
		{Name: "DataItems", Fn: func() {
			f, _, _ := Parse(readAck)
			it := f.PDU.DataItems()
			for it.Next() {
				v, _ := it.DataItem().Uint()
				sink += int(v)
			}
		}},
		{Name: "Write", Fn: func() {
			f, _, _ := Parse(writeJob)
			it := f.PDU.DataItems()
			for it.Next() {
				sink += len(it.DataItem().Value)
			}
			g, _, _ := Parse(writeAck)
			rc, _ := g.PDU.WriteResults()
			for _, c := range rc.All {
				sink += int(c)
			}
		}},
		{Name: "SZL", Fn: func() {
			f, _, _ := Parse(szl)
			_, resp, _, _ := f.PDU.ReadSZL()
			for _, rec := range resp.Records().All {
				m, _ := ParseModuleID(rec)
				sink += len(m.OrderNumberText())
			}
		}},
		{Name: "Alarm query", Fn: func() {
			f, _, _ := Parse(alarm)
			q, _ := f.PDU.AlarmQuery()
			it := q.Datasets()
			for it.Next() {
				sink += int(it.AlarmDataset().EventID)
			}
		}},
		{Name: "Cyclic", Fn: func() {
			f, _, _ := Parse(cyc)
			cr, _ := f.PDU.Cyclic()
			it := cr.Items()
			for it.Next() {
				a := it.Item().DBReadAreas()
				for a.Next() {
					sink += int(a.DBReadArea().DB)
				}
			}
		}},
		{Name: "TIS", Fn: func() {
			f, _, _ := Parse(tis)
			x, _ := f.PDU.TIS()
			a := x.Addresses()
			for a.Next() {
				sink += int(a.VarAddr().Start)
			}
			v := x.DataItems()
			for v.Next() {
				sink += len(v.DataItem().Value)
			}
		}},
		{Name: "Operation and class", Fn: func() {
			f, _, _ := Parse(pkts["piInse"])
			op, _ := f.PDU.Operation()
			cl, _ := f.PDU.Class()
			sink += int(op) + int(cl)
		}},
		{Name: "Values", Fn: func() {
			v := NewValues(dtItem, dtData)
			for v.Next() {
				tm, _ := v.Value().Time.Time()
				sink += tm.Second()
			}
			v = NewValues(dateItem, dateData)
			for v.Next() {
				sink += int(v.Value().Time.Day)
			}
		}},
		{Name: "Split", Fn: func() { adv, _, _ := Split(readAck, false); sink += adv }},
		{Name: "Split garbage", Fn: func() { adv, _, _ := Split(bad[1:], false); sink += adv }},
		{Name: "Split at EOF", Fn: func() { adv, _, _ := Split(bad, true); sink += adv }},
		{Name: "Split S7comm-plus", Fn: func() { adv, _, _ := Split(plus, false); sink += adv }},
		{Name: "Split connect request", Fn: func() { adv, _, _ := Split(cr, false); sink += adv }},
		{Name: "Split bogus claim", Fn: func() { adv, _, _ := Split(bogus, false); sink += adv }},
		{Name: "Resync", Fn: func() { adv, _, _ := Resync(readAck, false); sink += adv }},
		{Name: "Resync mid-packet", Fn: func() { adv, _, _ := Resync(midStream, false); sink += adv }},
		{Name: "Resync continuation", Fn: func() { adv, _, _ := Resync(cont, false); sink += adv }},
		{Name: "Resync connect request", Fn: func() { adv, _, _ := Resync(cr, true); sink += adv }},
		{Name: "Resync at EOF", Fn: func() { adv, _, _ := Resync(readJob[:30], true); sink += adv }},
		{Name: "Strings", Fn: func() {
			sink += len(FuncReadVar.String()) + len(AreaDB.String()) + len(AnomalyArea.String()) +
				len(KindS7.String()) + len(ErrTruncated.Error()) + len(OpPLCStop.String())
		}},
		{Name: "AppendText", Fn: func() {
			var buf [64]byte
			b, _ := Function(0x5a).AppendText(buf[:0])
			b, _ = (AnomalyArea | AnomalyLength | 1<<31).AppendText(b)
			b, _ = BlockType(0x3039).AppendText(b)
			sink += len(b)
		}},
		// Every path of a Conn.
		{Name: "Conn connect and setup", Fn: conv(step{"cotpCR", true}, step{"cotpCC", false},
			step{"setupJob", true}, step{"setupAck", false})},
		{Name: "Conn read var pairing and values", Fn: func() {
			readTC()
			r := c.msg.VarResults()
			for r.Next() {
				v := r.VarResult().Values()
				for v.Next() {
					sink += int(v.Value().Int)
				}
			}
		}},
		{Name: "Conn write var pairing", Fn: func() {
			write5()
			r := c.msg.VarResults()
			for r.Next() {
				sink += int(r.VarResult().ReturnCode)
			}
		}},
		{Name: "Conn error ack", Fn: conv(step{"startUploadErr", true}, step{"ackError", false})},
		{Name: "Conn SZL with follow-up and reassembly", Fn: func() {
			szlFollow()
			s, _ := c.msg.SZLRequest()
			sink += int(s.ID)
		}},
		{Name: "Conn userdata interleaved", Fn: func() {
			c.Decode(frag1, false, 1)
			c.Decode(frag1, false, 1)
			c.Decode(frag2, false, 1)
		}},
		{Name: "Conn programmer job and push", Fn: func() {
			varStat()
			r := c.msg.TISResults()
			for r.Next() {
				sink += len(r.TISResult().Data.Value)
			}
		}},
		{Name: "Conn cyclic job and push", Fn: conv(step{"cyclicSub", true}, step{"cyclicSubResp", false}, step{"cyclicPush", false})},
		{Name: "Conn unmatched and mismatched", Fn: func() {
			unmatched()
			m, _ := c.Decode(writeAck, false, 1)
			sink += int(m.Anomalies)
		}},
		{Name: "Conn duplicate and overflow", Fn: func() {
			for i := 0; i < MaxPending+2; i++ {
				n++
				job[11], job[12] = byte(n>>8), byte(n)
				c.Decode(job, true, 1)
				c.Decode(job, true, 1)
			}
		}},
		{Name: "Conn Flush", Fn: func() {
			c.Decode(job, true, 1)
			c.Flush(func(m *Message) bool { sink += int(m.Time); return true })
		}},
		{Name: "Conn COTP reassembly and overflow", Fn: func() {
			for i := 0; i < 3; i++ {
				c.Decode(big, true, 1)
			}
			c.Decode(bigEnd, true, 1)
			c.Decode(big, true, 1)
			c.Decode(bigEnd, true, 1)
		}},
		{Name: "Conn S7comm-plus", Fn: conv(step{"plusReq", true}, step{"plusResp", false}, step{"plusV3", true})},
		{Name: "Conn error and gap", Fn: func() {
			c.Decode(bad, true, 1)
			c.Gap(true)
			_, _, ok := c.RackSlot()
			s, _ := c.Setup()
			p, _ := c.Plus()
			sink += int(s.PDULength) + int(p.PDUs) + int(c.Stats().Requests)
			if ok {
				sink++
			}
		}},
		{Name: "Conn Reset", Fn: func() { c.Reset() }},
	})
	_ = sink
}

// TestHouseRules keeps fmt, errors, encoding/binary, init, panics and
// foreign imports out of the package.
func TestHouseRules(t *testing.T) {
	testkit.HouseRules(t, ".", testkit.ProtocolImports...)
}
