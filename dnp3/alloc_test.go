package dnp3

import (
	"bytes"
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// TestZeroAllocs asserts that every hot path, error paths and every Conn
// path included, makes no allocation.
func TestZeroAllocs(t *testing.T) {
	good := unhex(t, hexMixed)
	badCRC := bytes.Clone(good)
	badCRC[20] ^= 0xFF
	badHdr := bytes.Clone(good)
	badHdr[9] ^= 0xFF
	resp1, resp2 := unhex(t, hexResp1), unhex(t, hexResp2)
	stream := append(append([]byte{1, 2, 3}, resp1...), resp2...)
	garbage := make([]byte, 512)
	bogus := append(bogusHeader(255), stream[3:]...)
	carrier := AppendLinkFrame(nil, 0x44, 1, 10, append([]byte{0xc0, 0xc0, 0x81, 0, 0}, good[:20]...))
	mixed := decodeFrag(t, hexMixed)
	crob := decodeFrag(t, hexCROB)
	attrs := decodeFrag(t, hexAttrs)
	cto := decodeFrag(t, hexCTOEvents)
	unknown := unhex(t, "1e0201000001000000fe01070100")
	cutCROB := unhex(t, "0c0117010081020a000000")
	cutHeader := unhex(t, "1e020100")
	var sink int
	var (
		inF  Frame
		inA  Fragment
		inIt Objects
		c    Conn
		pc   Conn
	)
	frames := func(hexes ...string) [][]byte {
		var out [][]byte
		for _, h := range hexes {
			out = append(out, unhex(t, h))
		}
		return out
	}
	// Each sequence is given to a Conn in a loop: a request and its
	// response, reassembly, select and operate, unsolicited and confirm,
	// a challenge, and the anomalies.
	toServer := func(b []byte) bool { return b[3]&0x80 != 0 }
	pairing := frames(hexReadClass, hexResp1, hexResp2, hexSelect, hexSelectResp, hexOperate, hexOperResp,
		hexUnsol, hexConfirm, hexRecordTime, hexRecordTimeResp, hexWriteTime, hexWriteTimeResp,
		hexDirectNoAck, hexAuthOperate, hexAuthChallenge, hexAuthReply, hexAuthResp, hexAnalog, hexConfirm)
	bad := [][]byte{badCRC, badHdr, appFrame(true, 0xC0, 0xC0), appFrame(false, 0xC0, 0xC0, 0x81, 0x00),
		appFrame(false, 0x81, 1), resp1, resp1, appFrame(false, 0x87, 1), resp2}
	overflow := [][]byte{appFrame(true, 0xC0, 0xC0, 0x01, 0x3C, 0x01, 0x06), appFrame(true, 0xC1, 0xC1, 0x01, 0x3C, 0x01, 0x06),
		appFrame(true, 0xC2, 0xC2, 0x01, 0x3C, 0x01, 0x06), appFrame(true, 0xC3, 0xC3, 0x01, 0x3C, 0x01, 0x06),
		appFrame(true, 0xC4, 0xC9, 0x01, 0x3C, 0x01, 0x06), appFrame(true, 0xC4, 0xC9, 0x01, 0x3C, 0x01, 0x06)}
	conn := func(seq [][]byte) func() {
		return func() {
			for _, b := range seq {
				m, _ := c.Decode(b, toServer(b), 1)
				sink += int(m.Anomalies)
				if m.Paired {
					sink += int(m.Request.Func)
				}
			}
		}
	}

	walk := func(a *Fragment) {
		objs := a.Objects()
		for objs.Next() {
			h := objs.Object()
			sink += int(h.Count)
			pts := objs.Points()
			for pts.Next() {
				p := pts.Point()
				sink += int(p.Int()) + int(p.Time())
				if c, ok := pts.CROB(); ok {
					sink += int(c.Count)
				}
				if at, ok := pts.Attribute(); ok {
					v, _ := at.Uint()
					sink += int(v)
				}
			}
			if p, ok := pts.Partial(); ok {
				sink += int(p.Index())
			}
		}
		if h, ok := objs.Partial(); ok {
			sink += int(h.HeaderLen)
		}
	}
	text := make([]byte, 0, 256)

	testkit.ZeroAllocs(t, []testkit.AllocCase{
		{Name: "CRC", Fn: func() { sink += int(CRC(good)) }},
		{Name: "Parse", Fn: func() { f, n, _ := Parse(good); sink += n + len(f.UserData()) }},
		{Name: "Parse bad CRC", Fn: func() { _, _, err := Parse(badCRC); sink += len(err.Error()) }},
		{Name: "Parse bad header", Fn: func() { _, _, err := Parse(badHdr); sink += len(err.Error()) }},
		{Name: "Parse truncated", Fn: func() { _, _, err := Parse(good[:40]); sink += len(err.Error()) }},
		{Name: "Frame.Decode", Fn: func() { n, _ := inF.Decode(good); sink += n }},
		{Name: "ParseLinkHeader", Fn: func() { h, _ := ParseLinkHeader(good); sink += h.WireLen() }},
		{Name: "Split stream", Fn: func() {
			for data := stream; len(data) > 0; {
				adv, tok, _ := Split(data, false)
				if adv == 0 {
					break
				}
				sink += len(tok)
				data = data[adv:]
			}
		}},
		{Name: "Split garbage", Fn: func() { adv, _, _ := Split(garbage, false); sink += adv }},
		{Name: "Split partial", Fn: func() { adv, _, _ := Split(resp1[:100], false); sink += adv }},
		{Name: "Split at EOF", Fn: func() { adv, tok, _ := Split(resp1[:5], true); sink += adv + len(tok) }},
		{Name: "Split bogus claim", Fn: func() { adv, _, _ := Split(bogus, false); sink += adv }},
		{Name: "Split header in user data", Fn: func() { adv, _, _ := Split(carrier, false); sink += adv }},
		{Name: "Resync", Fn: func() { adv, tok, _ := Resync(stream, false); sink += adv + len(tok) }},
		{Name: "Resync at EOF", Fn: func() { adv, tok, _ := Resync(resp1[:5], true); sink += adv + len(tok) }},
		{Name: "ParseFragment", Fn: func() { a, _, _ := ParseFragment(good[10:26]); sink += int(a.Func) }},
		{Name: "in place", Fn: func() {
			n, _ := inF.Decode(good)
			_, _ = inA.Decode(inF.Segment())
			inIt.Reset(inA.Body, inA.Func)
			for inIt.Next() {
				pts := inIt.Points()
				for pts.Next() {
					sink += int(pts.Point().Int())
				}
			}
			sink += n
		}},
		{Name: "objects and points", Fn: func() { walk(&mixed) }},
		{Name: "CROB", Fn: func() { walk(&crob) }},
		{Name: "attributes", Fn: func() { walk(&attrs) }},
		{Name: "relative times", Fn: func() { walk(&cto) }},
		{Name: "unknown object", Fn: func() { walk(&Fragment{Func: FuncResponse, Body: unknown}) }},
		{Name: "cut CROB", Fn: func() { walk(&Fragment{Func: FuncDirectOperate, Body: cutCROB}) }},
		{Name: "cut header", Fn: func() { walk(&Fragment{Func: FuncResponse, Body: cutHeader}) }},
		{Name: "Conn pairing", Fn: conn(pairing)},
		{Name: "Conn errors and anomalies", Fn: conn(bad)},
		{Name: "Conn overflow and duplicates", Fn: conn(overflow)},
		{Name: "Conn request context", Fn: func() {
			c.Decode(pairing[0], true, 1)
			c.Decode(pairing[1], false, 2)
			m, _ := c.Decode(pairing[2], false, 3)
			if m.Paired {
				objs := m.Request.Objects()
				for objs.Next() {
					sink += int(objs.Object().Group)
				}
			}
		}},
		{Name: "Conn flush", Fn: func() {
			for _, b := range overflow[:3] {
				pc.Decode(b, true, 0)
			}
			for m := range pc.Flush {
				sink += int(m.Request.Func)
			}
		}},
		{Name: "Conn gap and reset", Fn: func() {
			pc.Decode(resp1, false, 0)
			pc.Gap(false)
			pc.Reset()
			sink += pc.Stats().Pending
		}},
		{Name: "enum strings", Fn: func() {
			sink += len(FuncDirectOperate.String()) + len(LinkNack.String()) + len(AnomalyFragmentOverflow.String()) +
				len(AttrProductName.String()) + len(ErrRange.Error()) + len(ObjectType(0x1e02).String()) +
				len(QualIndex16Count16.String()) + len(KindFloat.String()) + len(OpControl.String()) +
				len(StatusLocal.String()) + len(IINNeedTime.String())
		}},
		{Name: "AppendText", Fn: func() {
			b := text[:0]
			b, _ = (AnomalyMissingFIR | AnomalyRange | 1<<31).AppendText(b)
			b, _ = (IINNeedTime | IINDeviceRestart).AppendText(b)
			b, _ = FunctionCode(0x5a).AppendText(b)
			b, _ = ObjectType(0xfe01).AppendText(b)
			b, _ = Qualifier(0x7a).AppendText(b)
			sink += len(b)
		}},
		{Name: "anomaly All", Fn: func() {
			for a := range (AnomalyFragmentOverflow | AnomalyFragmentRestart).All {
				sink += int(a)
			}
		}},
	})
	_ = sink
}
