package enip

import "testing"

// TestZeroAllocs asserts that every hot API, error paths included, does not
// allocate.
func TestZeroAllocs(t *testing.T) {
	li := mustHex(hexListIdentityReply)
	fo := mustHex(hexForwardOpen)
	fro := mustHex(hexForwardOpenReply)
	us := mustHex(hexUnconnectedSend)
	idr := mustHex(hexIdentityReply)
	msp := mustHex(hexMSPSymbolic)
	rtq := mustHex(hexReadTagRequest)
	rtr := mustHex(hexReadTagReply)
	io := mustHex(hexIO)
	garbage := []byte{0xde, 0xad, 0xbe, 0xef, 0x01, 0x02}
	stream := append(append([]byte{}, li...), fo...)
	msg := func(b []byte) Message {
		f, _, _ := Parse(b)
		it := f.Items()
		for it.Next() {
			if it.Item().Type == ItemUnconnectedData {
				m, _ := ParseMessage(it.Item().Data)
				return m
			}
			if _, d, ok := it.Item().ConnectedMessage(); ok {
				m, _ := ParseMessage(d)
				return m
			}
		}
		return Message{}
	}
	foMsg, forMsg, usMsg, idMsg := msg(fo), msg(fro), msg(us), msg(idr)
	mspMsg, rtqMsg, rtrMsg := msg(msp), msg(rtq), msg(rtr)
	tagBuf := make([]byte, 0, 128)
	short := []byte{5}
	cutMsg := []byte{0x8e}
	cutPath := Path([]byte{0x91, 9, 1})
	badMSP := []byte{9, 0}
	var tr Tracker
	var fr Frame
	var mr Message
	var cd CIPData
	var sink int

	cases := []struct {
		name string
		fn   func()
	}{
		{"Parse", func() { f, n, _ := Parse(li); sink += n + int(f.Length) }},
		{"Parse/truncated", func() { _, _, err := Parse(li[:10]); sink += int(err.(Error)) }},
		{"Parse/cut data", func() { _, n, _ := Parse(li[:30]); sink += n }},
		{"Split", func() { a, tok, _ := Split(stream, false); sink += a + len(tok) }},
		{"Split/partial", func() { a, _, _ := Split(fo[:30], false); sink += a }},
		{"Split/garbage", func() { a, _, _ := Split(garbage, false); sink += a }},
		{"Items+Identity", func() {
			f, _, _ := Parse(li)
			for it := f.Items(); it.Next(); {
				id, _ := it.Item().Identity()
				sink += len(id.ProductName)
			}
		}},
		{"Items/error", func() { it := NewItems(short); it.Next(); sink += int(it.Err().(Error)) }},
		{"Frame.Decode+DecodeCIP+Message.Decode", func() {
			fr.Decode(rtr)
			fr.DecodeCIP(&cd)
			mr.Decode(cd.Msg)
			r, _ := mr.TagReply()
			sink += len(r.Data)
		}},
		{"Message.Decode/error", func() { sink += len(mr.Decode(cutMsg).Error()) }},
		{"CIP", func() { f, _, _ := Parse(rtr); c, _ := f.CIP(); sink += len(c.Msg) }},
		{"CIP/slow", func() { f, _, _ := Parse(li); c, _ := f.CIP(); sink += len(c.Msg) }},
		{"ParseMessage", func() { m, _ := ParseMessage(rtq[40:]); sink += int(m.Service) }},
		{"ParseMessage/error", func() { _, err := ParseMessage(cutMsg); sink += int(err.(Error)) }},
		{"Segments", func() {
			for it := rtqMsg.Path.Segments(); it.Next(); {
				sink += len(it.Segment().Symbol)
			}
		}},
		{"Segments/error", func() { it := cutPath.Segments(); it.Next(); sink += len(it.Err().Error()) }},
		{"Target", func() { tg := rtqMsg.Target(); sink += len(tg.Symbol) }},
		{"AppendTag", func() { sink += len(rtqMsg.Path.AppendTag(tagBuf[:0])) }},
		{"Multiple", func() {
			for it := mspMsg.Multiple(); it.Next(); {
				e := it.Message()
				tq, _ := e.TagRequest()
				sink += len(tq.OrMask)
			}
		}},
		{"Multiple/error", func() { it := NewMultipleServices(badMSP); it.Next(); sink += it.Count() }},
		{"ForwardOpen", func() { f, _ := foMsg.ForwardOpen(); sink += int(f.OTRPI) }},
		{"ForwardOpenReply", func() { f, _ := forMsg.ForwardOpenReply(); sink += int(f.OTAPI) }},
		{"Tracker", func() {
			f, _ := foMsg.ForwardOpen()
			r, _ := forMsg.ForwardOpenReply()
			tr.Request(&f)
			tr.Reply(&r)
			c, _, _ := tr.Lookup(r.TOConnID)
			sink += int(c.TORPI) + len(c.ConnPath())
		}},
		{"UnconnectedSend", func() { u, _ := usMsg.UnconnectedSend(); sink += len(u.Embedded) }},
		{"TagRequest", func() { tq, _ := rtqMsg.TagRequest(); sink += int(tq.Elements) }},
		{"TagReply+Value", func() {
			r, _ := rtrMsg.TagReply()
			val := r.Value()
			v, _ := val.Float(0)
			sink += int(v)
		}},
		{"ParseIdentity", func() { id, _ := ParseIdentity(idMsg.Data); sink += len(id.ProductName) }},
		{"ParseIO", func() { f, _ := ParseIO(io); sink += len(f.Data) }},
		{"String", func() {
			sink += len(CmdSendRRData.String()) + len(SvcReadTag.Name(ContextLogix)) +
				len(GeneralStatus(0x1e).String()) + len(TypeREAL.String()) + len(AnomTrailing.String())
		}},
		{"Errors", func() { sink += len(ErrTruncated.Error()) + len(StatusInvalidLength.Error()) }},
	}
	for _, c := range cases {
		if n := testing.AllocsPerRun(100, c.fn); n != 0 {
			t.Errorf("%s: %v allocs/op, want 0", c.name, n)
		}
	}
	_ = sink
}
