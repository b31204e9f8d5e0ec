package enip_test

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/icsdissect/icsdissect/enip"
)

// A ListIdentity reply (suricata-enip-alert-enip_test1.pcap, frame 6):
// print the device's product name, vendor and revision.
func ExampleItem_Identity() {
	pdu := hexBytes("63003300000000000000000000000000c1debed10000000001000c002d0001000002af120a0101a4000000000000000001000c003a00040330008e4d52000b313735362d454e42542f4103")
	f, _, err := enip.Parse(pdu)
	if err != nil {
		panic(err)
	}
	items := f.Items()
	for items.Next() {
		if id, ok := items.Item().Identity(); ok {
			fmt.Printf("%s (%s, %s) rev %d.%d serial %#08x\n", id.ProductName, id.VendorID, id.DeviceType,
				id.Revision.Major, id.Revision.Minor, id.SerialNumber)
		}
	}
	// Output: 1756-ENBT/A (Rockwell Automation/Allen-Bradley, Communications Adapter) rev 4.3 serial 0x00524d8e
}

// A Conn pairs each reply with its request and reads the reply in the
// request's context: here a Logix Read Tag and its REAL value.
func ExampleConn() {
	req := hexBytes("6f003400000102110000000001020304050607080000000000000000" +
		"0a000200" + "00000000" + "b2002400" +
		"4c10910c50726f6772616d3a4d61696e91054d6f746f72002803910553706565640001" + "00")
	rep := hexBytes("6f001a00000102110000000001020304050607080000000000000000" +
		"0a000200" + "00000000" + "b2000a00" + "cc000000ca0071cd0744")

	var c enip.Conn
	c.Decode(req, true, 1_000)
	m, _ := c.Decode(rep, false, 3_500)
	calls := m.Calls()
	for calls.Next() {
		call := calls.Call()
		tr, ok := call.TagReply()
		if !ok {
			continue
		}
		v, _ := tr.Value().At(0)
		fmt.Printf("%s %s = %s (%s) after %dns, %s\n", call.Name(), call.Request.AppendTag(nil), v, tr.Type.Code,
			m.Time-m.RequestTime, call.Operation())
	}
	st := c.Stats()
	fmt.Println(st.Requests, st.Responses, st.Paired, st.Pending)
	// Output:
	// Read Tag Program:Main.Motor[3].Speed = 543.21 (REAL) after 2500ns, read
	// 1 1 1 0
}

// The same service code means different things on different classes: a
// reply is read in its request's context.
func ExampleService_Name() {
	fmt.Println(enip.SvcReadTag.Name(enip.ContextLogix))
	fmt.Println(enip.SvcReadTag.Name(enip.ContextTemplate))
	fmt.Println(enip.SvcReadTag.Name(enip.ContextFile))
	fmt.Println(enip.SvcReadTag)
	// Output:
	// Read Tag
	// Read Template
	// Initiate Download
	// object-specific service 0x4c
}

// Split cuts encapsulation PDUs out of a TCP byte stream.
func ExampleSplit() {
	a := hexBytes("6500040000000000000000000000000000000000000000000100" + "0000")
	b := hexBytes("66000000010203040000000000000000000000000000000000")
	stream := append(append([]byte{0xff, 0xff}, a...), b[:24]...)
	for len(stream) > 0 {
		adv, tok, _ := enip.Split(stream, true)
		if tok != nil {
			f, _, err := enip.Parse(tok)
			fmt.Println(f.Command, err)
		} else {
			fmt.Println("skipped", adv)
		}
		stream = stream[adv:]
	}
	// Output:
	// skipped 2
	// Register Session <nil>
	// Unregister Session <nil>
}

// The EPATH cursor walks every segment of a path.
func ExamplePath_Segments() {
	p := enip.Path(hexBytes("01002006240130072c01"))
	segs := p.Segments()
	for segs.Next() {
		s := segs.Segment()
		switch s.Type {
		case enip.SegPort:
			fmt.Println("port", s.Value, "link", s.Link[0])
		case enip.SegLogical:
			fmt.Println(s.Logical, s.Value)
		}
	}
	// Output:
	// port 1 link 0
	// Class ID 6
	// Instance ID 1
	// Attribute ID 7
	// Connection Point 1
}

// Explain names the field where a malformed PDU stops decoding.
func ExampleExplain() {
	// A SendRRData whose Multiple Service Packet announces 9 services in 2
	// bytes.
	pdu := hexBytes("6f001a00000000000000000000000000000000000000000000000000" +
		"0000" + "0200" + "00000000" + "b2000a00" + "0a02200224010900ffff")
	err := enip.Explain(pdu)
	var fe *enip.FieldError
	if errors.As(err, &fe) {
		fmt.Println(fe.Field, fe.Offset, errors.Is(err, enip.ErrCount))
	}
	fmt.Println(err)
	// Output:
	// cip.msp.num_services 46 true
	// enip: count exceeds data: cip.msp.num_services at offset 46
}

// hexBytes decodes the hex text of a PDU, spaces allowed; the examples'
// inputs are valid.
func hexBytes(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}
