package enip

import (
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// TestZeroAllocs asserts that every hot API, error paths and every Conn
// path included, does not allocate.
func TestZeroAllocs(t *testing.T) {
	li := mustHex(hexListIdentityReply)
	liq := mustHex(hexListIdentityRequest)
	fo := mustHex(hexForwardOpen)
	fro := mustHex(hexForwardOpenReply)
	us := mustHex(hexUnconnectedSend)
	idr := mustHex(hexIdentityReply)
	msp := mustHex(hexMSPSymbolic)
	rtq := mustHex(hexReadTagRequest)
	rtr := mustHex(hexReadTagReply)
	cmq := mustHex(hexConnMSPRequest)
	cmr := mustHex(hexConnMSPReply)
	io := mustHex(hexIO)
	garbage := []byte{0xde, 0xad, 0xbe, 0xef, 0x01, 0x02}
	stream := append(append([]byte{}, li...), fo...)
	msg := func(b []byte) CIPMessage {
		f, _, _ := Parse(b)
		c, _ := f.CIP()
		m, _ := ParseCIP(c.Msg)
		return m
	}
	foMsg, forMsg, usMsg, idMsg := msg(fo), msg(fro), msg(us), msg(idr)
	mspMsg, rtqMsg, rtrMsg := msg(msp), msg(rtq), msg(rtr)
	tagBuf := make([]byte, 0, 128)
	textBuf := make([]byte, 0, 128)
	short := []byte{5}
	cutMsg := []byte{0x8e}
	cutPath := Path([]byte{0x91, 9, 1})
	badMSP := []byte{9, 0}
	real := Value{Type: TagType{Code: TypeREAL}, Data: mustHex("71cd0744")}
	var tr Tracker
	var fr Frame
	var mr CIPMessage
	var cd CIPData
	var conn Conn
	var sink int
	// The Conn's CIP state exists from here on (steady state).
	conn.Decode(rtq, true, 1)
	conn.Decode(rtr, false, 2)
	walk := func(m *Message) {
		calls := m.Calls()
		for calls.Next() {
			c := calls.Call()
			sink += int(c.Msg.Service) + len(c.Msg.Service.AppendName(textBuf[:0], c.Context()))
			if c.Request != nil {
				sink += len(c.Request.AppendTag(tagBuf[:0]))
			}
			if r, ok := c.TagReply(); ok {
				sink += len(r.Data)
			}
		}
	}

	testkit.ZeroAllocs(t, []testkit.AllocCase{
		{Name: "Parse", Fn: func() { f, n, _ := Parse(li); sink += n + int(f.Length) }},
		{Name: "Parse/truncated", Fn: func() { _, _, err := Parse(li[:10]); sink += int(err.(Error)) }},
		{Name: "Parse/cut data", Fn: func() { f, _, _ := Parse(li[:30]); sink += len(f.Data) }},
		{Name: "Split", Fn: func() { a, tok, _ := Split(stream, false); sink += a + len(tok) }},
		{Name: "Split/partial", Fn: func() { a, _, _ := Split(fo[:30], false); sink += a }},
		{Name: "Split/garbage", Fn: func() { a, _, _ := Split(garbage, false); sink += a }},
		{Name: "Split/EOF", Fn: func() { a, _, _ := Split(fo[:30], true); sink += a }},
		{Name: "Split/list request", Fn: func() { a, tok, _ := Split(liq, false); sink += a + len(tok) }},
		{Name: "Resync", Fn: func() { a, tok, _ := Resync(stream, false); sink += a + len(tok) }},
		{Name: "Resync/mid-PDU", Fn: func() { a, _, _ := Resync(stream[7:], false); sink += a }},
		{Name: "Resync/weak", Fn: func() { a, _, _ := Resync(liq, false); sink += a }},
		{Name: "Resync/EOF", Fn: func() { a, _, _ := Resync(fo[:30], true); sink += a }},
		{Name: "Items+Identity", Fn: func() {
			f, _, _ := Parse(li)
			items := f.Items()
			for items.Next() {
				id, _ := items.Item().Identity()
				sink += len(id.ProductName)
			}
		}},
		{Name: "Items/error", Fn: func() { it := NewItems(short); it.Next(); sink += int(it.Err().(Error)) }},
		{Name: "Frame.Decode+DecodeCIP+CIPMessage.Decode", Fn: func() {
			fr.Decode(rtr)
			fr.DecodeCIP(&cd)
			mr.Decode(cd.Msg)
			r, _ := mr.TagReply(ContextLogix)
			sink += len(r.Data)
		}},
		{Name: "CIPMessage.Decode/error", Fn: func() { sink += len(mr.Decode(cutMsg).Error()) }},
		{Name: "CIP", Fn: func() { f, _, _ := Parse(rtr); c, _ := f.CIP(); sink += len(c.Msg) }},
		{Name: "CIP/slow", Fn: func() { f, _, _ := Parse(li); c, _ := f.CIP(); sink += len(c.Msg) }},
		{Name: "ParseCIP", Fn: func() { m, _ := ParseCIP(rtq[40:]); sink += int(m.Service) }},
		{Name: "ParseCIP/error", Fn: func() { _, err := ParseCIP(cutMsg); sink += int(err.(Error)) }},
		{Name: "Segments", Fn: func() {
			segs := rtqMsg.Path.Segments()
			for segs.Next() {
				sink += len(segs.Segment().Symbol)
			}
		}},
		{Name: "Segments/error", Fn: func() { it := cutPath.Segments(); it.Next(); sink += len(it.Err().Error()) }},
		{Name: "Target", Fn: func() { tg := rtqMsg.Target(); sink += len(tg.Symbol) }},
		{Name: "AppendTag", Fn: func() { sink += len(rtqMsg.Path.AppendTag(tagBuf[:0])) }},
		{Name: "Multiple", Fn: func() {
			msgs := mspMsg.Multiple()
			for msgs.Next() {
				e := msgs.CIPMessage()
				tq, _ := e.TagRequest()
				sink += len(tq.OrMask)
			}
		}},
		{Name: "Multiple/error", Fn: func() { it := NewCIPMessages(badMSP); it.Next(); sink += it.Count() }},
		{Name: "ForwardOpen", Fn: func() { f, _ := foMsg.ForwardOpen(); sink += int(f.OTRPI) }},
		{Name: "ForwardOpenReply", Fn: func() { f, _ := forMsg.ForwardOpenReply(ContextConnectionManager); sink += int(f.OTAPI) }},
		{Name: "Tracker", Fn: func() {
			var c Connection
			f, _ := foMsg.ForwardOpen()
			r, _ := forMsg.ForwardOpenReply(ContextConnectionManager)
			c.setRequest(&f)
			c.setReply(&r)
			tr.Open(&c)
			cn, _, _ := tr.Lookup(r.TOConnID)
			sink += int(cn.TORPI) + len(cn.ConnPath())
		}},
		{Name: "UnconnectedSend", Fn: func() { u, _ := usMsg.UnconnectedSend(); sink += len(u.Embedded) }},
		{Name: "TagRequest", Fn: func() { tq, _ := rtqMsg.TagRequest(); sink += int(tq.Elements) }},
		{Name: "TagReply+Value", Fn: func() {
			r, _ := rtrMsg.TagReply(ContextLogix)
			s, _ := r.Value().At(0)
			v, _ := s.Float32()
			sink += int(v)
		}},
		{Name: "Scalar.AppendText", Fn: func() { s, _ := real.At(0); b, _ := s.AppendText(textBuf[:0]); sink += len(b) }},
		{Name: "ParseIdentity", Fn: func() { id, _ := ParseIdentity(idMsg.Data); sink += len(id.ProductName) }},
		{Name: "Attributes", Fn: func() {
			attrs := idMsg.Attributes(ClassIdentity)
			for attrs.Next() {
				sink += len(attrs.Attribute().Value)
			}
		}},
		{Name: "ParseIO", Fn: func() { f, _ := ParseIO(io); sink += len(f.Data) }},
		{Name: "String", Fn: func() {
			sink += len(CmdSendRRData.String()) + len(SvcReadTag.Name(ContextLogix)) + len(SvcReadTag.String()) +
				len(GeneralStatus(0x1e).String()) + len(TypeREAL.String()) + len(AnomalyTrailingBytes.String()) +
				len(VendorRockwell.String()) + len(DevicePLC.String()) + len(ClassTCPIP.String()) +
				len(ExtUnconnectedTimeout.String()) + len(OpRead.String()) + len(ContextLogix.String())
		}},
		{Name: "AppendText/unknown", Fn: func() {
			b, _ := Command(0x99).AppendText(textBuf[:0])
			b, _ = Service(0x7f).AppendText(b)
			b, _ = VendorID(0xffff).AppendText(b)
			b, _ = (AnomalyTrailingBytes | AnomalyItemCount | 1<<31).AppendText(b)
			sink += len(b)
		}},
		{Name: "Errors", Fn: func() {
			sink += len(ErrTruncated.Error()) + len(StatusPathUnknown.Error())
		}},
		{Name: "Conn/ListIdentity", Fn: func() {
			m, _ := conn.Decode(liq, true, 1)
			sink += int(m.Frame.Command)
			m, _ = conn.Decode(li, false, 2)
			sink += int(m.RequestTime)
		}},
		{Name: "Conn/UCMM tag read", Fn: func() {
			m, _ := conn.Decode(rtq, true, 1)
			walk(m)
			m, _ = conn.Decode(rtr, false, 2)
			walk(m)
		}},
		{Name: "Conn/Unconnected Send", Fn: func() {
			m, _ := conn.Decode(us, true, 1)
			walk(m)
			m, _ = conn.Decode(idr, false, 2)
			walk(m)
		}},
		{Name: "Conn/Forward Open", Fn: func() {
			conn.Decode(fo, true, 1)
			m, _ := conn.Decode(fro, false, 2)
			sink += int(m.Opened.OTRPI)
		}},
		{Name: "Conn/connected MSP", Fn: func() {
			m, _ := conn.Decode(cmq, true, 1)
			walk(m)
			m, _ = conn.Decode(cmr, false, 2)
			walk(m)
		}},
		{Name: "Conn/unmatched", Fn: func() { m, _ := conn.Decode(cmr, false, 2); sink += int(m.Anomalies) }},
		{Name: "Conn/truncated", Fn: func() { m, _ := conn.Decode(rtq[:30], true, 2); sink += int(m.Anomalies) }},
		{Name: "Conn/Flush+Stats", Fn: func() {
			conn.Decode(rtq, true, 1)
			conn.Decode(cmq, true, 1)
			for m := range conn.Flush {
				sink += m.Requests().Len()
			}
			sink += int(conn.Stats().Unanswered)
		}},
		{Name: "Conn/Reset", Fn: func() { conn.Reset(); conn.Decode(rtq, true, 1) }},
	})
	_ = sink
}
