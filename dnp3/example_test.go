package dnp3_test

import (
	"encoding/hex"
	"fmt"

	"github.com/icsdissect/icsdissect/dnp3"
)

// A class 0 response from an outstation (iti-opendnp3conf-8.18.2.2.pcap
// frame 6): decode the link frame, reassemble the transport segment and
// read the analog inputs.
func Example_analogValues() {
	wire, _ := hex.DecodeString("0564324401000004f89bc0c08198001e0201000000000100001eaec80201290029000164001e020100040004692701c8001e0201ffffffff0100001355")
	var d dnp3.Decoder
	var tr dnp3.Transport
	f, _, err := d.Decode(wire)
	if err != nil {
		panic(err)
	}
	frag, done, _ := tr.Add(&f)
	if !done {
		return
	}
	a, err := dnp3.ParseFragment(frag)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s from %d, IIN %#04x\n", a.Func, f.Src, uint16(a.IIN))
	it := a.Objects()
	for it.Next() {
		h, pt := it.Header(), it.Points()
		for pt.Next() {
			p := pt.Point()
			if p.Kind == dnp3.KindInt {
				fmt.Printf("g%dv%d index %d = %d (flags %#02x)\n", h.Group, h.Variation, p.Index, p.Int, p.Flags)
			}
		}
	}
	// Output:
	// response from 1024, IIN 0x9800
	// g30v2 index 0 = 0 (flags 0x01)
	// g30v2 index 41 = 100 (flags 0x01)
	// g30v2 index 1024 = 200 (flags 0x01)
	// g30v2 index 65535 = 0 (flags 0x01)
}

// Print a device's group 0 attributes. The response is built here with
// AppendLinkFrame: software version, product and manufacturer as visible
// strings, the maximum receive fragment size as an unsigned integer.
func Example_deviceAttributes() {
	app := []byte{0xC0 | 0x00, 0xC3, 0x81, 0x00, 0x00} // transport FIR|FIN, app FIR|FIN seq 3, response, IIN
	attr := func(v byte, typ byte, val []byte) {
		app = append(app, 0x00, v, 0x07, 0x01, typ, byte(len(val))) // g0vN, count 1
		app = append(app, val...)
	}
	attr(dnp3.AttrVarSoftware, dnp3.AttrVString, []byte("4.2.1"))
	attr(dnp3.AttrVarProduct, dnp3.AttrVString, []byte("RTU-560"))
	attr(dnp3.AttrVarManufacturer, dnp3.AttrVString, []byte("Acme Grid"))
	attr(241, dnp3.AttrUint, []byte{0x00, 0x08})
	wire := dnp3.AppendLinkFrame(nil, 0x44, 1, 10, app)

	var d dnp3.Decoder
	f, _, err := d.Decode(wire)
	if err != nil {
		panic(err)
	}
	a, _ := dnp3.ParseFragment(f.Segment())
	for it := a.Objects(); it.Next(); {
		h := it.Header()
		for pt := h.Points(); pt.Next(); {
			p := pt.Point()
			at, ok := p.Attribute()
			if !ok {
				continue
			}
			if v, ok := at.Uint(); ok {
				fmt.Printf("%s: %d\n", dnp3.AttributeName(h.Variation), v)
			} else {
				fmt.Printf("%s: %s\n", dnp3.AttributeName(h.Variation), at.Value)
			}
		}
	}
	// Output:
	// software version: 4.2.1
	// product name and model: RTU-560
	// manufacturer: Acme Grid
	// max receive fragment size: 2048
}

// Cut link frames out of a TCP byte stream that starts with garbage.
func ExampleSplit() {
	a, _ := hex.DecodeString("056414c40a0001008fedc0c0013c02063c03063c04063c01068a51")
	stream := append([]byte{0xde, 0xad}, a...)
	for len(stream) > 0 {
		adv, tok, _ := dnp3.Split(stream, true)
		if tok == nil {
			fmt.Printf("skipped %d bytes\n", adv)
		} else {
			h, _ := dnp3.ParseLinkHeader(tok)
			fmt.Printf("frame %d bytes, %d -> %d, %s\n", len(tok), h.Src, h.Dst, h.Control.Function())
		}
		stream = stream[adv:]
	}
	// Output:
	// skipped 2 bytes
	// frame 27 bytes, 1 -> 10, unconfirmed user data
}

// Bad CRCs are errors of their frame.
func ExampleDecoder_Decode() {
	wire, _ := hex.DecodeString("056414c40a0001008fedc0c0013c02063c03063c04063c01068a51")
	wire[12] ^= 0xFF
	var d dnp3.Decoder
	_, n, err := d.Decode(wire)
	fmt.Println(n, err, err == dnp3.ErrCRC)
	// Output:
	// 27 dnp3: bad data block CRC true
}

// Decode a stream of link frames in place, as a monitor would: the frame,
// the fragment and the cursors are variables kept across frames, so that
// nothing is copied or allocated. The frames are a read of the analog
// inputs and its response (iti-opendnp3conf-8.18.2.2.pcap frames 4 and 6).
func Example_inPlace() {
	var frames [][]byte
	for _, s := range []string{
		"05640bc400040100ca8ac0c0011e00064a28",
		"0564324401000004f89bc0c08198001e0201000000000100001eaec80201290029000164001e020100040004692701c8001e0201ffffffff0100001355",
	} {
		b, _ := hex.DecodeString(s)
		frames = append(frames, b)
	}
	var (
		d  dnp3.Decoder
		tr dnp3.Transport
		f  dnp3.LinkFrame
		a  dnp3.Fragment
		it dnp3.Objects
	)
	for _, wire := range frames {
		if _, err := d.DecodeFrame(&f, wire); err != nil {
			fmt.Println(err)
			continue
		}
		frag, done, _ := tr.Add(&f)
		if !done || a.Decode(frag) != nil {
			continue
		}
		fmt.Printf("%d -> %d: %s\n", f.Src, f.Dst, a.Func)
		it.Reset(a.Body, a.Func)
		for it.Next() {
			h, pt := it.Header(), it.Points()
			n := 0
			for pt.Next() {
				n++
			}
			fmt.Printf("  g%dv%d qualifier %#02x: %d points\n", h.Group, h.Variation, uint8(h.Qualifier), n)
		}
	}
	// Output:
	// 1 -> 1024: read
	//   g30v0 qualifier 0x06: 0 points
	// 1024 -> 1: response
	//   g30v2 qualifier 0x01: 1 points
	//   g30v2 qualifier 0x01: 1 points
	//   g30v2 qualifier 0x01: 1 points
	//   g30v2 qualifier 0x01: 1 points
}
