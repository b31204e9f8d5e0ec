package modbus

import "github.com/icsdissect/icsdissect/internal/testkit"

// realADU is one ADU taken from a capture of ../shared/captures (see
// testdata/README.md for provenance): capture file, frame number and the
// direction tshark classified it as.
type realADU struct {
	name string
	src  string
	dir  Direction
	adu  []byte
}

// h is testkit.Hex, short for the tables.
var h = testkit.Hex

var realADUs = []realADU{
	{"fc1 req", "arkime-modbus.pcap#51", Request, h("0001000000060a0100000001")},
	{"fc1 resp", "arkime-modbus.pcap#52", Response, h("0001000000040a010100")},
	{"fc3 req", "arkime-modbus.pcap#57", Request, h("0001000000060a0300050002")},
	{"fc3 resp", "arkime-modbus.pcap#58", Response, h("0001000000070a030400090018")},
	{"fc3 resp 8 regs", "icsnpp-modbus_example.pcap#26", Response, h("00060000001305031000aa00aa00bb00ccef84e3eb9f8be4c1")},
	{"fc5 req", "arkime-modbus.pcap#60", Request, h("0001000000060a0500020000")},
	{"fc5 resp", "arkime-modbus.pcap#61", Response, h("0001000000060a0500020000")},
	{"fc6 req", "arkime-modbus.pcap#66", Request, h("0001000000060a060005000b")},
	{"fc7 req", "arkime-modbus.pcap#143", Request, h("0000000000020107")},
	{"fc7 resp", "arkime-modbus.pcap#145", Response, h("000000000003010715")},
	{"fc8 req", "arkime-modbus.pcap#8", Request, h("0000000000060a0800040000")},
	{"fc8 exception", "suricata-modbus-modbus.pcap#9", Response, h("0000000000030a880b")},
	{"fc15 req", "icsnpp-modbus_example.pcap#52", Request, h("000d00000008070f000100040109")},
	{"fc16 req", "icsnpp-modbus_example.pcap#56", Request, h("000e0000000f0710000100040800aa00bb00cc00dd")},
	{"fc17 req", "arkime-modbus.pcap#40", Request, h("0000000000020a11")},
	{"fc17 resp", "arkime-modbus.pcap#41", Response, h("0000000000150a111200ff57696e6770617468204c696d69746564")},
	{"fc22 req", "icsnpp-modbus_example.pcap#72", Request, h("0012000000080416000adead0000")},
	{"fc23 req", "icsnpp-modbus_example.pcap#84", Request, h("001500000011061700010004000200030600aa00bb00cc")},
	{"fc23 resp", "icsnpp-modbus_example.pcap#86", Response, h("00150000000b06170800aa00aa00bb00cc")},
	{"fc24 req", "icsnpp-modbus_example.pcap#90", Request, h("0016000000060a1800020000")},
	{"fc43/14 req", "arkime-modbus.pcap#32", Request, h("0001000000060a2b0e030100")},
	{"fc43/14 resp", "icsnpp-modbus_example.pcap#94", Response, h("00170000003d012b0e018300000300105a65656b204d6f646275732054657374011850726f746f636f6c2050617273696e672069732066756e210207312e322e332e36")},
	{"fc43/14 resp odd", "zeek-modbus-eit.pcap#2", Response, h("00000000000c002b0e01004db70000000000")},
	{"fc90 umas req", "arkime-modbus.pcap#347", Request, h("000000000006015a00000000")},
	{"fc0 req", "arkime-modbus.pcap#124", Request, h("000000000006010000000000")},
	{"fc9 req", "arkime-modbus.pcap#148", Request, h("000000000006010900000000")},
	{"fc65 req", "arkime-modbus.pcap#288", Request, h("000000000006014100000000")},
	{"exception 0x81", "arkime-modbus.pcap#127", Response, h("000000000003018001")},
	{"fc90 umas read id", "iti-modicon-modicon_test.pcap#4", Request, h("000000000004005a0002")},
	{"fc90 umas take reservation", "iti-modicon-modicon_test.pcap#49", Request, h("001600000018005a0010434c00000f555345522d37313445373446323142")},
	{"fc90 umas ok", "iti-modicon-modicon_test.pcap#50", Response, h("001600000005005a00fe01")},
	{"fc90 umas init upload", "iti-modicon-modicon_test.pcap#76", Request, h("002300000008005a01330001fb00")},
}
