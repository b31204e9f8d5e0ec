package enip_test

import (
	"encoding/hex"
	"fmt"

	"github.com/icsdissect/icsdissect/enip"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// A ListIdentity reply (suricata-enip-alert-enip_test1.pcap, frame 6):
// print the device's product name and revision.
func ExampleItem_Identity() {
	pdu := unhex("63003300000000000000000000000000c1debed10000000001000c002d0001000002af120a0101a4000000000000000001000c003a00040330008e4d52000b313735362d454e42542f4103")
	f, _, err := enip.Parse(pdu)
	if err != nil {
		panic(err)
	}
	for it := f.Items(); it.Next(); {
		if id, ok := it.Item().Identity(); ok {
			fmt.Printf("%s rev %d.%d serial %#08x\n", id.ProductName, id.Revision.Major, id.Revision.Minor, id.SerialNumber)
		}
	}
	// Output: 1756-ENBT/A rev 4.3 serial 0x00524d8e
}

// A Read Tag request and its reply carried by SendRRData: print the tag's
// symbol and the value read.
func ExampleMessage_TagRequest() {
	req := unhex("6f003400000102110000000001020304050607080000000000000000" +
		"0a000200" + "00000000" + "b2002400" +
		"4c10910c50726f6772616d3a4d61696e91054d6f746f72002803910553706565640001" + "00")
	rep := unhex("6f001a00000102110000000001020304050607080000000000000000" +
		"0a000200" + "00000000" + "b2000a00" + "cc000000ca000090bb44")

	cipOf := func(pdu []byte) enip.Message {
		f, _, _ := enip.Parse(pdu)
		for it := f.Items(); it.Next(); {
			if it.Item().Type == enip.ItemUnconnectedData {
				m, _ := enip.ParseMessage(it.Item().Data)
				return m
			}
		}
		return enip.Message{}
	}

	q := cipOf(req)
	tr, _ := q.TagRequest()
	fmt.Printf("%s %s x%d\n", q.Service.Name(q.Context()), tr.Tag.AppendTag(nil), tr.Elements)

	r := cipOf(rep)
	val, _ := r.TagReply()
	v := val.Value()
	f, _ := v.Float(0)
	fmt.Printf("%s = %g (%s)\n", tr.Tag.AppendTag(nil), f, val.Type.Code)
	// Output:
	// Read Tag Program:Main.Motor[3].Speed x1
	// Program:Main.Motor[3].Speed = 1500.5 (REAL)
}

// Split cuts encapsulation PDUs out of a TCP byte stream.
func ExampleSplit() {
	a := unhex("6500040000000000000000000000000000000000000000000100" + "0000")
	b := unhex("66000000010203040000000000000000000000000000000000")
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
	p := enip.Path(unhex("01002006240130072c01"))
	for it := p.Segments(); it.Next(); {
		s := it.Segment()
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
