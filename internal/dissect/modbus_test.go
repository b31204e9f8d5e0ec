package dissect

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/icsdissect/icsdissect/pcapx"
)

func mbPDU(hexs string, toServer bool) *pcapx.PDU {
	flow := pcapx.FlowKey{
		Client:    netip.MustParseAddrPort("10.0.0.1:47785"),
		Server:    netip.MustParseAddrPort("10.0.0.2:502"),
		Transport: pcapx.TCP,
	}
	return &pcapx.PDU{Proto: pcapx.Modbus, Transport: pcapx.TCP, Flow: flow, ToServer: toServer, Data: testkit.Hex(hexs)}
}

// mbRun dissects the ADUs in order through one state and returns the
// fields of the last.
func mbRun(st *modbusState, pdus ...*pcapx.PDU) (*recordSink, Result) {
	var s *recordSink
	var r Result
	for _, p := range pdus {
		s = &recordSink{}
		r = modbusPDU(st, s, p)
	}
	return s, r
}

// icsnpp-modbus_example.pcap frames 4 and 6: Read Coils for 1 bit at 1 and
// its response. tshark numbers and limits the bits by the request.
func TestModbusPairsBits(t *testing.T) {
	var st modbusState
	s, r := mbRun(&st, mbPDU("000100000006040100010001", true), mbPDU("0001000000040401010d", false))
	require.NoError(t, r.Err)
	assert.Equal(t, "Read Coils", r.Func)
	assert.Equal(t, "modbus.bitnum=1 modbus.bitval=true", strings.Join(s.only("modbus.bit"), " "))
	// The same response again has no request: every bit of the byte,
	// numbered from 0, and the anomaly.
	s, _ = mbRun(&st, mbPDU("0001000000040401010d", false))
	assert.Len(t, s.values("modbus.bitval"), 8)
	assert.Equal(t, []string{"unmatched_response"}, s.values("modbus.anomaly"))
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
			"mbtcp.trans_id=0 mbtcp.prot_id=0 mbtcp.len=3 mbtcp.unit_id=10 modbus.func_code=8 modbus.exception_code=11 modbus.anomaly=unmatched_response"},
		{"mask write (icsnpp #72)", "0012000000080416000adead0000", true,
			"mbtcp.trans_id=18 mbtcp.prot_id=0 mbtcp.len=8 mbtcp.unit_id=4 modbus.func_code=22 modbus.reference_num=10 modbus.and_mask=57005 modbus.or_mask=0"},
		{"device id (icsnpp #94, first object)", "00170000001a012b0e018300000100105a65656b204d6f646275732054657374", false,
			"mbtcp.trans_id=23 mbtcp.prot_id=0 mbtcp.len=26 mbtcp.unit_id=1 modbus.func_code=43 modbus.mei=14 modbus.read_device_id=1 modbus.conformity_level=131 modbus.more_follows=0 modbus.next_object_id=0 modbus.num_objects=1 modbus.object_id=0 modbus.objects_len=16 modbus.object_str_value=Zeek Modbus Test modbus.anomaly=unmatched_response"},
		{"protocol id anomaly", "000100010006050300010008", true,
			"mbtcp.trans_id=1 mbtcp.prot_id=1 mbtcp.len=6 mbtcp.unit_id=5 modbus.func_code=3 modbus.reference_num=1 modbus.word_cnt=8 modbus.anomaly=protocol_id"},
		{"mei type 0 (arkime #237)", "00000000000601 2b 00000000", true,
			"mbtcp.trans_id=0 mbtcp.prot_id=0 mbtcp.len=6 mbtcp.unit_id=1 modbus.func_code=43 modbus.mei=0 modbus.data=00000000 modbus.anomaly=sub_function"},
	}
	for _, tt := range tests {
		var st modbusState
		s, _ := mbRun(&st, mbPDU(tt.hex, tt.toServer))
		assert.Equal(t, tt.want, strings.Join(s.fields, " "), tt.name)
	}
}

// TestModbusClasses: the fields of the correctness classes, as tshark 4.0
// names them (checked against tshark on the synthetic capture of
// internal/conformance).
func TestModbusClasses(t *testing.T) {
	tests := []struct {
		name  string
		pdus  []*pcapx.PDU
		want  []string
		wantN map[string]int
	}{
		{"read file record request", []*pcapx.PDU{mbPDU("0001 0000 0011 01 14 0e 06 0004 0001 0002 06 0003 0009 0002", true)},
			[]string{"modbus.byte_cnt=14", "modbus.reference_type=6", "modbus.reference_num_32=262145", "modbus.word_cnt=2", "modbus.reference_num_32=196617"}, nil},
		{"read file record response", []*pcapx.PDU{
			mbPDU("0001 0000 0011 01 14 0e 06 0004 0001 0002 06 0003 0009 0002", true),
			mbPDU("0001 0000 000f 01 14 0c 05 06 0dfe 0020 05 06 33cd 0040", false)},
			[]string{"modbus.byte_cnt=12", "modbus.byte_cnt=5", "modbus.reference_type=6", "modbus.data=0dfe0020", "modbus.data=33cd0040"}, nil},
		{"write file record", []*pcapx.PDU{mbPDU("0002 0000 0010 01 15 0d 06 0004 0007 0003 06af 04be 100d", true)},
			[]string{"modbus.byte_cnt=13", "modbus.reference_type=6", "modbus.reference_num_32=262151", "modbus.word_cnt=3", "modbus.data=06af04be100d"}, nil},
		{"bus message count", []*pcapx.PDU{mbPDU("0003 0000 0006 01 08 000b 0000", true), mbPDU("0003 0000 0006 01 08 000b 1234", false)},
			[]string{"modbus.diagnostic_code=11", "modbus.diagnostic.bus_message_count=4660"}, nil},
		{"counter request", []*pcapx.PDU{mbPDU("0003 0000 0006 01 08 000b 0000", true)},
			[]string{"modbus.diagnostic_code=11", "modbus.data=0000"}, nil},
		{"char overrun count", []*pcapx.PDU{mbPDU("000a 0000 0006 01 08 0012 0007", false)},
			[]string{"modbus.diagnostic.bus_char_overrun_count=7"}, nil},
		{"ascii delimiter", []*pcapx.PDU{mbPDU("000b 0000 0006 01 08 0003 0a00", true)},
			[]string{"modbus.diagnostic.ascii_input_delimiter=10"}, nil},
		{"restart option", []*pcapx.PDU{mbPDU("000e 0000 0006 01 08 0001 ff00", true)},
			[]string{"modbus.diagnostic.restart_communication_option=65280"}, nil},
		{"device id objects", []*pcapx.PDU{mbPDU("0010 0000 0018 01 2b 0e 03 83 00 00 04 00 03 414243 07 02 5859 80 03 010203 81 00", false)},
			[]string{"modbus.object_str_value=ABC", "modbus.object_str_value=XY", "modbus.object_value=010203", "modbus.objects_len=0"},
			map[string]int{"modbus.object_value": 1, "modbus.object_str_value": 2, "modbus.object_id": 4}},
		{"report server id", []*pcapx.PDU{mbPDU("0011 0000 0008 01 11 05 2a ff 414243", false)},
			[]string{"modbus.data=052aff414243"}, nil},
	}
	for _, tt := range tests {
		var st modbusState
		s, r := mbRun(&st, tt.pdus...)
		assert.NoError(t, r.Err, tt.name)
		s.has(t, tt.want...)
		for name, n := range tt.wantN {
			assert.Len(t, s.values(name), n, "%s: %s", tt.name, name)
		}
	}
}

func TestModbusTruncated(t *testing.T) {
	var st modbusState
	s, r := mbRun(&st, mbPDU("00010000000405", true))
	assert.Error(t, r.Err)
	assert.Empty(t, s.values("mbtcp.trans_id"), "tshark shows nothing of an ADU cut short")
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
		mbPDU("0001 0000 0011 01 14 0e 06 0004 0001 0002 06 0003 0009 0002", true),
		mbPDU("0001 0000 000f 01 14 0c 05 06 0dfe 0020 05 06 33cd 0040", false),
		mbPDU("0003 0000 0006 01 08 000b 1234", false),
	}
	testkit.ZeroAllocs(t, []testkit.AllocCase{{Name: "modbusPDU", Fn: func() {
		for _, p := range pdus {
			modbusPDU(&st, &c, p)
		}
	}}})
}
