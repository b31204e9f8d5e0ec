package s7comm_test

import (
	"bufio"
	"bytes"
	"fmt"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/icsdissect/icsdissect/s7comm"
)

// A read var job and its response (gymgit-snap7_s300_everything.pcapng,
// frames 51 and 52): the address of each item and the value read.
func ExampleParse() {
	job := testkit.Hex("0300001f02f080320100001900000e00000401120a10080001000083000080")
	resp := testkit.Hex("0300001d02f0803203000019000002000800000401ff07000400000000")

	f, _, err := s7comm.Parse(job)
	if err != nil {
		panic(err)
	}
	fn, _ := f.PDU.Function()
	fmt.Println(f.PDU.ROSCTR, fn)
	items := f.PDU.Items()
	for items.Next() {
		item := items.Item()
		off, _ := item.Byte()
		bit, _ := item.Bit()
		fmt.Printf("%s%d.%d %s x%d\n", item.Area, off, bit, item.TransportSize, item.Count)
	}

	f, _, _ = s7comm.Parse(resp)
	data := f.PDU.DataItems()
	for data.Next() {
		d := data.DataItem()
		v, _ := d.Float32()
		fmt.Println(d.ReturnCode, d.Size, v)
	}
	// Output:
	// job read var
	// M16.0 REAL x1
	// success REAL 0
}

// A Conn pairs a read var job with its response and types the values by
// the request's transport sizes: here bytes of M, I and Q, timers T0-T7
// (addressed by number) and counters C0-C7, C0 holding 11
// (gymgit-snap7_s300_everything.pcapng, frames 55 and 56).
func ExampleConn() {
	job := testkit.Hex("0300004f02f080320100001b00003e00000405120a10020010000083000000120a10020010000081000000" +
		"120a10020010000082000000120a101d000800001d000000120a101c000800001c000000")
	resp := testkit.Hex("0300007902f080320300001b000002006400000405ff040080acde000daddeaddeaddeaddeaddeaddeff04" +
		"0080aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbff040080bbbbbbbbbbbbbbbbaddeaddeaddeaddeff090010000000000000000000" +
		"00000000000000ff09001000110000000000000000000000000000")
	var c s7comm.Conn
	c.Decode(job, true, 1_000_000)
	m, err := c.Decode(resp, false, 3_500_000)
	if err != nil {
		panic(err)
	}
	fmt.Println("paired:", m.Paired, "latency:", m.Time-m.RequestTime, "ns")
	vars := m.VarResults()
	for vars.Next() {
		v := vars.VarResult()
		addr := ""
		if n, ok := v.Item.Number(); ok {
			addr = fmt.Sprintf("%s%d", v.Item.Area, n)
		} else if off, ok := v.Item.Byte(); ok {
			addr = fmt.Sprintf("%sB%d", v.Item.Area, off)
		}
		vals := v.Values()
		vals.Next()
		first := vals.Value()
		fmt.Printf("%s x%d %s: first %s = %d\n", addr, v.Item.Count, v.ReturnCode, first.Kind, first.Int)
	}
	// Output:
	// paired: true latency: 2500000 ns
	// MB0 x16 success: first BYTE = 172
	// IB0 x16 success: first BYTE = 170
	// QB0 x16 success: first BYTE = 187
	// T0 x8 success: first TIMER = 0
	// C0 x8 success: first COUNTER = 11
}

// Module identification from an SZL 0x0011 response
// (gymgit-snap7_s300_everything.pcapng, frame 14): the order number and the
// firmware version.
func ExampleParseModuleID() {
	resp := testkit.Hex(
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
	for _, rec := range szl.Records().All {
		m, _ := s7comm.ParseModuleID(rec)
		switch m.Index {
		case s7comm.ModIDModule:
			hw, _ := m.HardwareVersion()
			fmt.Printf("order number %q, hardware version %d\n", m.OrderNumberText(), hw)
		case s7comm.ModIDFirmware:
			l, major, minor, patch, _ := m.FirmwareVersion()
			fmt.Printf("firmware %c%d.%d.%d\n", l, major, minor, patch)
		}
	}
	// Output:
	// order number "6ES7 315-2EH14-0AB0", hardware version 3
	// firmware V3.2.7
}

// Split cuts TPKT packets out of a TCP stream.
func ExampleSplit() {
	stream := testkit.Hex("0300001902f08032010000000000080000f0000001000101e0" +
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

// A capture that starts in the middle of a packet: Resync skips the rest of
// it up to the first packet whose TPKT, COTP and S7 headers all agree, then
// Split takes over. The ack-data's S7 header holds 03 00 00 19, which a
// test of the TPKT header alone takes for a packet of 25 octets.
func ExampleResync() {
	stream := testkit.Hex("0300001f02f080320100001900000e00000401120a10080001000083000080" + // read var job
		"0300001d02f0803203000019000002000800000401ff07000400000000" + // its ack-data
		"0300001f02f080320100001a00000e00000401120a10080001000083000080") // the next job
	data := stream[32:] // the capture starts in the ack-data's TPKT header
	resync := true
	for len(data) > 0 {
		split := s7comm.Split
		if resync {
			split = s7comm.Resync
		}
		adv, tok, _ := split(data, true)
		if tok == nil {
			fmt.Println("skipped", adv, "bytes")
		} else {
			f, _, err := s7comm.Parse(tok)
			fmt.Printf("%v, pdu ref 0x%04x, %v\n", f.PDU.ROSCTR, f.PDU.PDURef, err)
			resync = false
		}
		data = data[adv:]
	}
	// Output:
	// skipped 28 bytes
	// job, pdu ref 0x1a00, <nil>
}

// A Conn joins the two data units of an SZL 0x001C response
// (gymgit-snap7_s300_everything.pcapng, frames 5 to 8: the request, the
// first data unit, the follow-up request and the last data unit) before
// decoding the component identification, and says which SZL was asked for.
func ExampleConn_reassembly() {
	var c s7comm.Conn
	for i, pkt := range componentIDFrames() {
		m, err := c.Decode(pkt, i%2 == 0, int64(i))
		if err != nil {
			panic(err)
		}
		_, szl, isResp, ok := m.Frame.PDU.ReadSZL()
		if !ok || !isResp {
			continue
		}
		req, _ := m.SZLRequest()
		fmt.Printf("SZL %#04x index %d\n", req.ID, req.Index)
		for _, rec := range szl.Records().All {
			c, _ := s7comm.ParseComponentID(rec)
			switch c.Index {
			case s7comm.CompPLCName, s7comm.CompModuleTypeName, s7comm.CompSerialNumber:
				fmt.Printf("%#04x %s\n", c.Index, c.Text)
			}
		}
	}
	// Output:
	// SZL 0x001c index 0
	// 0x0001 S7300/ET200M station_1
	// 0x0005 S C-B1U393142011
	// 0x0007 CPU 315-2 PN/DP
}

// A COTP connect request names the rack and slot in its called TSAP.
func ExampleTSAP_RackSlot() {
	f, _, _ := s7comm.Parse(testkit.Hex("0300001611e00000000100c1020100c2020102c00109"))
	tsap, _ := f.COTP.CalledTSAP()
	rack, slot, _ := tsap.RackSlot()
	size, _ := f.COTP.TPDUSize()
	fmt.Println(f.COTP.Type, "rack", rack, "slot", slot, "tpdu size", size)
	// Output:
	// CR rack 0 slot 2 tpdu size 512
}

// Operations and their classes: a PLC stop and a PI service that activates
// a downloaded block (gymgit-snap7_s300_everything.pcapng frame 57,
// gymgit-step7_s300_download.pcapng frame 93).
func ExamplePDU_Operation() {
	for _, hex := range []string{
		"0300002102f080320100001c000010000029000000000009505f50524f4752414d",
		"0300002b02f080320100008400001a000028000000000000fd000a01003041303030303150055f494e5345",
	} {
		f, _, _ := s7comm.Parse(testkit.Hex(hex))
		op, _ := f.PDU.Operation()
		class, _ := f.PDU.Class()
		pi, _ := f.PDU.PIService()
		fmt.Printf("%s (%s): %s %s\n", op, class, pi.Service, pi.Kind())
	}
	// Output:
	// plc stop (control): P_PROGRAM stop
	// activate block (program): _INSE activate block
}

// Typed values: a DATE_AND_TIME and an S5TIME, as a write var would carry
// them.
func ExampleValues() {
	dt := s7comm.NewValues(
		s7comm.Item{Syntax: s7comm.SyntaxS7Any, TransportSize: s7comm.TSDateTime, Count: 1},
		s7comm.DataItem{ReturnCode: s7comm.ReturnSuccess, Value: testkit.Hex("1602081451379162")})
	for dt.Next() {
		t, _ := dt.Value().Time.Time()
		fmt.Println(dt.Value().Kind, t)
	}
	s5 := s7comm.NewValues(
		s7comm.Item{Syntax: s7comm.SyntaxS7Any, TransportSize: s7comm.TSS5Time, Count: 2},
		s7comm.DataItem{ReturnCode: s7comm.ReturnSuccess, Value: testkit.Hex("2123 0500")})
	for s5.Next() {
		d, _ := s5.Value().Duration()
		fmt.Println(s5.Value().Kind, d)
	}
	// Output:
	// DATE_AND_TIME 2016-02-08 14:51:37.916 +0000 UTC
	// S5TIME 2m3s
	// S5TIME 5s
}

func componentIDFrames() [][]byte {
	return [][]byte{
		testkit.Hex("0300002102f080320700000200000800080001120411440100ff090004001c0000"),
		testkit.Hex(
			"030000f702f080320700000200000c00da0001120812840102d5010000ff0900d6001c00000022000a00015337333030" +
				"2f45543230304d2073746174696f6e5f31000000000000000000000002504c435f310000000000000000000000000000" +
				"000000000000000000000000000003000000000000000000000000000000000000000000000000000000000000000000" +
				"044f726967696e616c205369656d656e732045717569706d656e7400000000000000055320432d423155333933313432" +
				"303131000000000000000000000000000000000007435055203331352d3220504e2f4450000000000000000000000000" +
				"00000000000008"),
		testkit.Hex("0300002102f080320700000300000c00040001120812440102000000000a000000"),
		testkit.Hex(
			"030000a702f080320700000300000c008a0001120812840102d5000000ff0900864d4d43203441314143303139000000" +
				"00000000000000000000000000000000000009002af60000010000000000000000000000000000000000000000000000" +
				"000000000a0000000000000000000000000000000000000000000000000000000000000000000b000000000000000000" +
				"0000000000000000000000000000000000000000000000"),
	}
}
