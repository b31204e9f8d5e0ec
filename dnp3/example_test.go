package dnp3_test

import (
	"encoding/hex"
	"fmt"

	"github.com/icsdissect/icsdissect/dnp3"
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// A class 0 response from an outstation (iti-opendnp3conf-8.18.2.2.pcap
// frame 6): decode the link frame and read the analog inputs of its
// application fragment, which fits in one transport segment.
func Example_analogValues() {
	f, _, err := dnp3.Parse(mustHex("0564324401000004f89bc0c08198001e0201000000000100001eaec80201290029000164001e020100040004692701c8001e0201ffffffff0100001355"))
	if err != nil {
		panic(err)
	}
	a, _, err := dnp3.ParseFragment(f.Segment())
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s from %d, IIN %s\n", a.Func, f.Src, a.IIN)
	objs := a.Objects()
	for objs.Next() {
		h := objs.Object()
		pts := objs.Points()
		for pts.Next() {
			p := pts.Point()
			if p.Kind() == dnp3.KindInt {
				fmt.Printf("%s index %d = %d (flags %#02x)\n", h.Type(), p.Index(), p.Int(), p.Flags())
			}
		}
	}
	// Output:
	// response from 1024, IIN class3_events|need_time|device_restart
	// g30v2 index 0 = 0 (flags 0x01)
	// g30v2 index 41 = 100 (flags 0x01)
	// g30v2 index 1024 = 200 (flags 0x01)
	// g30v2 index 65535 = 0 (flags 0x01)
}

// Print a device's identity from its group 0 attributes. The response is
// built here with AppendLinkFrame: software version, product and
// manufacturer as visible strings, the maximum receive fragment size as an
// unsigned integer.
func Example_deviceAttributes() {
	app := []byte{0xC0, 0xC3, 0x81, 0x00, 0x00} // transport FIR|FIN, app FIR|FIN seq 3, response, IIN
	attr := func(a dnp3.DeviceAttribute, typ dnp3.AttrType, val []byte) {
		app = append(app, 0x00, byte(a), 0x07, 0x01, byte(typ), byte(len(val))) // g0vN, count 1
		app = append(app, val...)
	}
	attr(dnp3.AttrSoftwareVersion, dnp3.AttrTypeVString, []byte("4.2.1"))
	attr(dnp3.AttrProductName, dnp3.AttrTypeVString, []byte("RTU-560"))
	attr(dnp3.AttrManufacturer, dnp3.AttrTypeVString, []byte("Acme Grid"))
	attr(dnp3.AttrMaxRxFragment, dnp3.AttrTypeUint, []byte{0x00, 0x08})
	wire := dnp3.AppendLinkFrame(nil, 0x44, 1, 10, app)

	f, _, err := dnp3.Parse(wire)
	if err != nil {
		panic(err)
	}
	a, _, _ := dnp3.ParseFragment(f.Segment())
	objs := a.Objects()
	for objs.Next() {
		pts := objs.Points()
		for pts.Next() {
			at, ok := pts.Attribute()
			switch {
			case !ok:
			case at.Text():
				fmt.Printf("%s: %s (identity %v)\n", at.Attr, at.Value, at.Attr.Identity())
			default:
				v, _ := at.Uint()
				fmt.Printf("%s: %d\n", at.Attr, v)
			}
		}
	}
	// Output:
	// software version: 4.2.1 (identity true)
	// product name and model: RTU-560 (identity true)
	// manufacturer: Acme Grid (identity true)
	// max receive fragment size: 2048
}

// Cut link frames out of a TCP byte stream that starts with garbage and
// ends inside a frame.
func ExampleSplit() {
	a := mustHex("056414c40a0001008fedc0c0013c02063c03063c04063c01068a51")
	stream := append(append([]byte{0xde, 0xad}, a...), a[:12]...)
	for len(stream) > 0 {
		adv, tok, _ := dnp3.Split(stream, true)
		if tok == nil {
			fmt.Printf("skipped %d bytes\n", adv)
		} else {
			f, _, err := dnp3.Parse(tok)
			fmt.Printf("frame of %d bytes, %d -> %d, %s: %v\n", len(tok), f.Src, f.Dst, f.Control.Function(), err)
		}
		stream = stream[adv:]
	}
	// Output:
	// skipped 2 bytes
	// frame of 27 bytes, 1 -> 10, unconfirmed user data: <nil>
	// frame of 12 bytes, 1 -> 10, unconfirmed user data: dnp3: truncated
}

// Frame a stream picked up in the middle of a frame: Resync until the first
// frame, then Split. A header with a good CRC that claims 255 octets
// (injected, or left by damage) does not swallow the frames behind it.
func ExampleResync() {
	a := mustHex("056414c40a0001008fedc0c0013c02063c03063c04063c01068a51")
	bogus := mustHex("0564ffc401000200bae5") // length 255, good header CRC
	stream := append(append(append(a[15:], a...), bogus...), a...)
	split := dnp3.Resync
	for len(stream) > 0 {
		adv, tok, _ := split(stream, true)
		if tok == nil {
			fmt.Printf("skipped %d bytes\n", adv)
		} else {
			_, _, err := dnp3.Parse(tok)
			fmt.Printf("frame of %d bytes: %v\n", len(tok), err)
			split = dnp3.Split
		}
		stream = stream[adv:]
	}
	// Output:
	// skipped 12 bytes
	// frame of 27 bytes: <nil>
	// skipped 10 bytes
	// frame of 27 bytes: <nil>
}

// Bad CRCs are errors of their frame; Explain says where.
func ExampleExplain() {
	wire := mustHex("056414c40a0001008fedc0c0013c02063c03063c04063c01068a51")
	wire[12] ^= 0xFF
	_, n, err := dnp3.Parse(wire)
	fmt.Println(n, err, err == dnp3.ErrCRC)
	fmt.Println(dnp3.Explain(wire))
	// Output:
	// 27 dnp3: bad data block CRC true
	// dnp3: bad data block CRC: dnp3.data_chunk_crc at offset 25
}

// Follow a DNP3 connection with a Conn: a select and an operate of a CROB
// with their responses (iti-dnp3-select_operate_and_responses.pcap frames
// 4, 6, 7 and 8). The Conn pairs each response with its request, checks
// that the operate follows its select, and decodes the fragments in place;
// the control blocks come out of the point cursor.
func ExampleConn() {
	frames := []struct {
		hex      string
		toServer bool
	}{
		{"05641ac40a0001008a1cc0c0030c012801000000030164000000fd6b6400000000005b", true},
		{"05641c4401000a007636c6c08100000c01280100000003016400c39600006400000000005b", false},
		{"05641ac40a0001008a1cc1c1040c012801000000030164000000b9f06400000000005b", true},
		{"05641c4401000a007636c7c18100000c0128010000000301640057b500006400000000005b", false},
	}
	var (
		c    dnp3.Conn
		objs dnp3.Objects
	)
	for i, fr := range frames {
		m, err := c.Decode(mustHex(fr.hex), fr.toServer, int64(i)*1e6)
		if err != nil || !m.Complete {
			continue
		}
		a := &m.Fragment
		fmt.Printf("%d -> %d %s seq %d", m.Frame.Src, m.Frame.Dst, a.Func, a.Control.Seq())
		if m.Paired {
			fmt.Printf(", answers %s after %d ms", m.Request.Func, (m.Time-m.RequestTime)/1e6)
		}
		if m.Selected {
			fmt.Print(", selected")
		}
		fmt.Println()
		objs.Reset(a.Body, a.Func)
		for objs.Next() {
			pts := objs.Points()
			for pts.Next() {
				if crob, ok := pts.CROB(); ok {
					fmt.Printf("  CROB %d: %s, on %d ms, off %d ms, status %s\n",
						pts.Point().Index(), crob.Code.Op(), crob.OnTime, crob.OffTime, crob.Status)
				}
			}
		}
	}
	s := c.Stats()
	fmt.Printf("%d requests, %d paired, %d pending\n", s.Requests, s.Paired, s.Pending)
	// Output:
	// 1 -> 10 select seq 0
	//   CROB 0: latch on, on 100 ms, off 100 ms, status success
	// 10 -> 1 response seq 0, answers select after 1 ms
	//   CROB 0: latch on, on 100 ms, off 100 ms, status success
	// 1 -> 10 operate seq 1, selected
	//   CROB 0: latch on, on 100 ms, off 100 ms, status success
	// 10 -> 1 response seq 1, answers operate after 1 ms
	//   CROB 0: latch on, on 100 ms, off 100 ms, status success
	// 2 requests, 2 paired, 0 pending
}
