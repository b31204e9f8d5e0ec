package s7comm_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/icsdissect/icsdissect/s7comm"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// A read var job and its response (gymgit-snap7_s300_everything.pcapng,
// frames 51 and 52): the address of each item and the value read.
func ExampleParse() {
	job := unhex("0300001f02f080320100001900000e00000401120a10080001000083000080")
	resp := unhex("0300001d02f0803203000019000002000800000401ff07000400000000")

	f, _, err := s7comm.Parse(job)
	if err != nil {
		panic(err)
	}
	fn, _ := f.PDU.Function()
	fmt.Println(f.PDU.ROSCTR, fn)
	for it := f.PDU.Items(); it.Next(); {
		item := it.Item()
		fmt.Printf("%s%d.%d %s x%d\n", item.Area, item.Byte(), item.Bit(), item.TransportSize, item.Count)
	}

	f, _, _ = s7comm.Parse(resp)
	for it := f.PDU.DataItems(); it.Next(); {
		d := it.Item()
		v, _ := d.Float32()
		fmt.Println(d.ReturnCode, d.Size, v)
	}
	// Output:
	// job read var
	// M16.0 REAL x1
	// success REAL 0
}

// Module identification from an SZL 0x0011 response
// (gymgit-snap7_s300_everything.pcapng, frame 14): the order number and the
// firmware version.
func ExampleParseModuleID() {
	resp := unhex(
		"0300009902f080320700000600000c007c000112081284010200000000ff09007800110000001c000400013645533720" +
			"3331352d32454831342d304142302000c000030001000636455337203331352d32454831342d304142302000c0000300" +
			"010007202020202020202020202020202020202020202000c0560302070081426f6f74204c6f61646572202020202020" +
			"202020000041200909")
	f, _, err := s7comm.Parse(resp)
	if err != nil {
		panic(err)
	}
	_, szl, _, ok := f.PDU.ReadSZL()
	if !ok {
		panic("not an SZL response")
	}
	for it := szl.Records(); it.Next(); {
		m, _ := s7comm.ParseModuleID(it.Record())
		switch m.Index {
		case 0x0001:
			fmt.Printf("order number %q\n", bytes.TrimSpace(m.OrderNumber))
		case 0x0007:
			major, minor, patch, _ := m.FirmwareVersion()
			fmt.Printf("firmware V%d.%d.%d\n", major, minor, patch)
		}
	}
	// Output:
	// order number "6ES7 315-2EH14-0AB0"
	// firmware V3.2.7
}

// Split cuts TPKT packets out of a TCP stream.
func ExampleSplit() {
	stream := unhex("0300001902f08032010000000000080000f0000001000101e0" +
		"0300001b02f080320300000000000800000000f0000001000100f0")
	sc := bufio.NewScanner(bytes.NewReader(stream))
	sc.Split(s7comm.Split)
	for sc.Scan() {
		f, _, _ := s7comm.Parse(sc.Bytes())
		s, _ := f.PDU.SetupComm()
		fmt.Println(f.PDU.ROSCTR, "pdu length", s.PDULength)
	}
	// Output:
	// job pdu length 480
	// ack-data pdu length 240
}

// A Decoder joins the two data units of an SZL 0x001C response
// (gymgit-snap7_s300_everything.pcapng, frames 6 and 8) before decoding the
// component identification.
func ExampleDecoder() {
	var d s7comm.Decoder
	for _, pkt := range componentIDFrames() {
		f, err := d.Decode(pkt)
		if err != nil {
			panic(err)
		}
		_, szl, _, ok := f.PDU.ReadSZL()
		if !ok {
			continue
		}
		for it := szl.Records(); it.Next(); {
			c, _ := s7comm.ParseComponentID(it.Record())
			switch c.Index {
			case s7comm.CompPLCName, s7comm.CompModuleTypeName, s7comm.CompSerialNumber:
				fmt.Printf("%#04x %s\n", c.Index, c.Text)
			}
		}
	}
	// Output:
	// 0x0001 S7300/ET200M station_1
	// 0x0005 S C-B1U393142011
	// 0x0007 CPU 315-2 PN/DP
}

// A COTP connect request names the rack and slot in its called TSAP.
func ExampleTSAP_RackSlot() {
	f, _, _ := s7comm.Parse(unhex("0300001611e00000000100c1020100c2020102c00109"))
	tsap, _ := f.COTP.CalledTSAP()
	rack, slot, _ := tsap.RackSlot()
	size, _ := f.COTP.TPDUSize()
	fmt.Println(f.COTP.Type, "rack", rack, "slot", slot, "tpdu size", size)
	// Output:
	// CR rack 0 slot 2 tpdu size 512
}

func componentIDFrames() [][]byte {
	return [][]byte{
		unhex(
			"030000f702f080320700000200000c00da0001120812840102d5010000ff0900d6001c00000022000a00015337333030" +
				"2f45543230304d2073746174696f6e5f31000000000000000000000002504c435f310000000000000000000000000000" +
				"000000000000000000000000000003000000000000000000000000000000000000000000000000000000000000000000" +
				"044f726967696e616c205369656d656e732045717569706d656e7400000000000000055320432d423155333933313432" +
				"303131000000000000000000000000000000000007435055203331352d3220504e2f4450000000000000000000000000" +
				"00000000000008"),
		unhex(
			"030000a702f080320700000300000c008a0001120812840102d5000000ff0900864d4d43203441314143303139000000" +
				"00000000000000000000000000000000000009002af60000010000000000000000000000000000000000000000000000" +
				"000000000a0000000000000000000000000000000000000000000000000000000000000000000b000000000000000000" +
				"0000000000000000000000000000000000000000000000"),
	}
}
