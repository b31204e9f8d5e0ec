package dissect

import (
	"encoding/hex"
	"net/netip"
	"strings"
	"testing"

	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/pcapx"
)

func mbPDU(hexs string, toServer bool) *pcapx.PDU {
	b, err := hex.DecodeString(hexs)
	if err != nil {
		panic(err)
	}
	flow := pcapx.FlowKey{
		Client:    netip.MustParseAddrPort("10.0.0.1:47785"),
		Server:    netip.MustParseAddrPort("10.0.0.2:502"),
		Transport: pcapx.TCP,
	}
	return &pcapx.PDU{Proto: pcapx.Modbus, Transport: pcapx.TCP, Flow: flow, ToServer: toServer, Data: b}
}

// icsnpp-modbus_example.pcap frames 8 and 10: Read Coils for 8 bits and its
// response; frames 4 and 6: for 1 bit. tshark numbers and limits the bits by
// the request.
func TestModbusPairsBits(t *testing.T) {
	var st modbusState
	s := &recordSink{}
	modbusPDU(&st, s, mbPDU("000100000006040100010001", true))
	s.fields = nil
	r := modbusPDU(&st, s, mbPDU("0001000000040401010d", false))
	if r.Err != nil || r.Func != "Read Coils" {
		t.Fatalf("result %+v", r)
	}
	want := "modbus.bitnum=1 modbus.bitval=true"
	if got := strings.Join(s.only("modbus.bit"), " "); got != want {
		t.Errorf("paired: %s, want %s", got, want)
	}
	// Without the request, every bit of the byte is shown, numbered from 0.
	s.fields = nil
	modbusPDU(nil, s, mbPDU("0001000000040401010d", false))
	if n := len(s.only("modbus.bitval")); n != 8 {
		t.Errorf("unpaired: %d bits, want 8", n)
	}
}

func TestModbusFields(t *testing.T) {
	tests := []struct {
		name     string
		hex      string
		toServer bool
		want     string
	}{
		{"fc3 request (icsnpp #24)", "000600000006050300010008", true,
			"mbtcp.trans_id=6 mbtcp.prot_id=0 mbtcp.len=6 mbtcp.unit_id=5 modbus.func_code=3 modbus.reference_num=1 modbus.word_cnt=8"},
		{"exception (suricata #9)", "0000000000030a880b", false,
			"mbtcp.trans_id=0 mbtcp.prot_id=0 mbtcp.len=3 mbtcp.unit_id=10 modbus.func_code=8 modbus.exception_code=11"},
		{"mask write (icsnpp #72)", "0012000000080416000adead0000", true,
			"mbtcp.trans_id=18 mbtcp.prot_id=0 mbtcp.len=8 mbtcp.unit_id=4 modbus.func_code=22 modbus.reference_num=10 modbus.and_mask=57005 modbus.or_mask=0"},
		{"device id (icsnpp #94, first object)", "00170000001a012b0e018300000100105a65656b204d6f646275732054657374", false,
			"mbtcp.trans_id=23 mbtcp.prot_id=0 mbtcp.len=26 mbtcp.unit_id=1 modbus.func_code=43 modbus.mei=14 modbus.read_device_id=1 modbus.conformity_level=131 modbus.more_follows=0 modbus.next_object_id=0 modbus.num_objects=1 modbus.object_id=0 modbus.objects_len=16 modbus.object_str_value=Zeek Modbus Test"},
		{"protocol id anomaly", "000100010006050300010008", true,
			"mbtcp.trans_id=1 mbtcp.prot_id=1 mbtcp.len=6 mbtcp.unit_id=5 modbus.func_code=3 modbus.reference_num=1 modbus.word_cnt=8 modbus.anomaly=protocol_id"},
	}
	for _, tt := range tests {
		s := &recordSink{}
		var st modbusState
		modbusPDU(&st, s, mbPDU(tt.hex, tt.toServer))
		if got := strings.Join(s.fields, " "); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestModbusTruncated(t *testing.T) {
	s := &recordSink{}
	r := modbusPDU(nil, s, mbPDU("00010000000405", true))
	if r.Err == nil {
		t.Errorf("no error for a header-only ADU: %v", s.fields)
	}
}

func TestModbusDissectAllocs(t *testing.T) {
	var st modbusState
	var c discard
	pdus := []*pcapx.PDU{
		mbPDU("000100000006040100010008", true),
		mbPDU("0001000000040401010d", false),
		mbPDU("000600000006050300010008", true),
		mbPDU("00060000001305031000aa00aa00bb00ccef84e3eb9f8be4c1", false),
		mbPDU("00170000001a012b0e018300000100105a65656b204d6f646275732054657374", false),
		mbPDU("0000000000030a880b", false),
		mbPDU("000100010006050300010008", true),
	}
	n := testing.AllocsPerRun(100, func() {
		for _, p := range pdus {
			modbusPDU(&st, &c, p)
		}
	})
	if n != 0 {
		t.Errorf("%v allocs per run, want 0", n)
	}
}

func TestModbusAnomalyNames(t *testing.T) {
	for i := range modbusAnomalyNames {
		a := modbus.Anomaly(1) << i
		if string(anomalyText(a)) != a.Name() {
			t.Errorf("flag %d: %s, package says %s", i, anomalyText(a), a.Name())
		}
	}
}
