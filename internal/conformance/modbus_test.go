package conformance

import (
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite testdata/modbus/modbus-classes.pcap")

// modbusClasses are the ADUs of the synthetic capture that exercises the
// Modbus layouts the public corpus lacks: file records (20, 21) in both
// directions, every Diagnostics sub-function, device identification with
// standard, reserved and private objects and an answer in two parts,
// Report Server ID and the comm event log. "C" lines go from the client to
// port 502, "S" lines back. The MBAP length is written as given.
var modbusClasses = []string{
	// Read File Record, specification 6.14: two groups each way.
	"C 0001 0000 0011 01 14 0e 06 0004 0001 0002 06 0003 0009 0002",
	"S 0001 0000 000f 01 14 0c 05 06 0dfe 0020 05 06 33cd 0040",
	// One group each way.
	"C 0002 0000 000a 01 14 07 06 0001 0002 0003",
	"S 0002 0000 000b 01 14 08 07 06 1111 2222 3333",
	// Write File Record, specification 6.15: one group, echoed.
	"C 0003 0000 0010 01 15 0d 06 0004 0007 0003 06af 04be 100d",
	"S 0003 0000 0010 01 15 0d 06 0004 0007 0003 06af 04be 100d",
	// Two groups.
	"C 0004 0000 0017 01 15 14 06 0001 0002 0001 1234 06 0001 0003 0002 abcd ef01",
	"S 0004 0000 0017 01 15 14 06 0001 0002 0001 1234 06 0001 0003 0002 abcd ef01",
	// Diagnostics: every sub-function of the specification, request and
	// response.
	"C 0010 0000 0008 01 08 0000 a537 1234",
	"S 0010 0000 0008 01 08 0000 a537 1234",
	"C 0011 0000 0006 01 08 0001 ff00",
	"S 0011 0000 0006 01 08 0001 ff00",
	"C 0012 0000 0006 01 08 0002 0000",
	"S 0012 0000 0006 01 08 0002 abcd",
	"C 0013 0000 0006 01 08 0003 3a00",
	"S 0013 0000 0006 01 08 0003 3a00",
	"C 0014 0000 0006 01 08 0004 0000",
	"C 0015 0000 0006 01 08 000a 0000",
	"S 0015 0000 0006 01 08 000a 0000",
	"C 0016 0000 0006 01 08 000b 0000",
	"S 0016 0000 0006 01 08 000b 1234",
	"C 0017 0000 0006 01 08 000c 0000",
	"S 0017 0000 0006 01 08 000c 0001",
	"C 0018 0000 0006 01 08 000d 0000",
	"S 0018 0000 0006 01 08 000d 0002",
	"C 0019 0000 0006 01 08 000e 0000",
	"S 0019 0000 0006 01 08 000e 0003",
	"C 001a 0000 0006 01 08 000f 0000",
	"S 001a 0000 0006 01 08 000f 0004",
	"C 001b 0000 0006 01 08 0010 0000",
	"S 001b 0000 0006 01 08 0010 0005",
	"C 001c 0000 0006 01 08 0011 0000",
	"S 001c 0000 0006 01 08 0011 0006",
	"C 001d 0000 0006 01 08 0012 0000",
	"S 001d 0000 0006 01 08 0012 0007",
	"C 001e 0000 0006 01 08 0014 0000",
	"S 001e 0000 0006 01 08 0014 0000",
	"C 001f 0000 0006 01 08 0015 0003",
	"S 001f 0000 0006 01 08 0015 0003",
	// Read Device Identification: basic objects, a reserved object (0x07)
	// and private ones (0x80, and 0x81 empty).
	"C 0020 0000 0005 01 2b 0e 03 00",
	"S 0020 0000 0018 01 2b 0e 03 83 00 00 04 00 03 414243 07 02 5859 80 03 010203 81 00",
	// An answer in two parts.
	"C 0021 0000 0005 01 2b 0e 01 00",
	"S 0021 0000 0017 01 2b 0e 01 01 ff 02 02 00 04 41636d65 01 07 504c432d333030",
	"C 0022 0000 0005 01 2b 0e 01 02",
	"S 0022 0000 000e 01 2b 0e 01 01 00 00 01 02 04 76312e32",
	// Report Server ID.
	"C 0030 0000 0002 01 11",
	"S 0030 0000 0008 01 11 05 2a ff 414243",
	// Get Comm Event Log with three events.
	"C 0031 0000 0002 01 0c",
	"S 0031 0000 000c 01 0c 09 0000 0108 0121 20 00 04",
}

// writePcap writes lines as a pcap of one TCP connection between
// 10.0.0.1:40000 and 10.0.0.2:502, one ADU per segment.
func writePcap(lines []string) []byte {
	var out bytes.Buffer
	le := binary.LittleEndian
	gh := make([]byte, 24)
	le.PutUint32(gh[0:], 0xa1b2c3d4)
	le.PutUint16(gh[4:], 2)
	le.PutUint16(gh[6:], 4)
	le.PutUint32(gh[16:], 65535)
	le.PutUint32(gh[20:], 1) // Ethernet
	out.Write(gh)
	seq := [2]uint32{1000, 5000}
	for i, line := range lines {
		d := 0
		if line[0] == 'S' {
			d = 1
		}
		payload := testkit.Hex(line[1:])
		ip := make([]byte, 20)
		ip[0] = 0x45
		binary.BigEndian.PutUint16(ip[2:], uint16(40+len(payload)))
		ip[8], ip[9] = 64, 6
		src, dst, sp, dp := []byte{10, 0, 0, 1}, []byte{10, 0, 0, 2}, uint16(40000), uint16(502)
		if d == 1 {
			src, dst, sp, dp = dst, src, dp, sp
		}
		copy(ip[12:], src)
		copy(ip[16:], dst)
		var sum uint32
		for k := 0; k < 20; k += 2 {
			sum += uint32(binary.BigEndian.Uint16(ip[k:]))
		}
		for sum > 0xffff {
			sum = sum&0xffff + sum>>16
		}
		binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
		tcp := make([]byte, 20)
		binary.BigEndian.PutUint16(tcp[0:], sp)
		binary.BigEndian.PutUint16(tcp[2:], dp)
		binary.BigEndian.PutUint32(tcp[4:], seq[d])
		binary.BigEndian.PutUint32(tcp[8:], seq[1-d])
		tcp[12], tcp[13] = 0x50, 0x18
		binary.BigEndian.PutUint16(tcp[14:], 65535)
		seq[d] += uint32(len(payload))
		eth := []byte{0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 8, 0}
		if d == 1 {
			eth = []byte{0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 8, 0}
		}
		pkt := append(append(append(eth, ip...), tcp...), payload...)
		ph := make([]byte, 16)
		le.PutUint32(ph[0:], uint32(1_700_000_000+i))
		le.PutUint32(ph[8:], uint32(len(pkt)))
		le.PutUint32(ph[12:], uint32(len(pkt)))
		out.Write(ph)
		out.Write(pkt)
	}
	return out.Bytes()
}

// TestModbusClasses compares the synthetic capture's fields with tshark's:
// no unexplained mismatch, no frame only one side decodes. The capture is
// also kept as testdata/modbus/modbus-classes.pcap (rewritten with -update)
// for tsharkdiff.
func TestModbusClasses(t *testing.T) {
	pcap := writePcap(modbusClasses)
	kept := filepath.Join("testdata", "modbus", "modbus-classes.pcap")
	if *update {
		if err := os.WriteFile(kept, pcap, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if b, err := os.ReadFile(kept); err != nil || !bytes.Equal(b, pcap) {
		t.Errorf("%s is missing or stale: run go test ./internal/conformance/ -run TestModbusClasses -update", kept)
	}
	requireTshark(t)
	file := filepath.Join(t.TempDir(), "modbus-classes.pcap")
	if err := os.WriteFile(file, pcap, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Compare(context.Background(), file, modbusSpec(), Options{CacheDir: DefaultCacheDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.TsharkOnly) != 0 || len(r.OursOnly) != 0 {
		t.Errorf("tshark-only frames %v, ours-only frames %v", r.TsharkOnly, r.OursOnly)
	}
	if r.Frames != len(modbusClasses) {
		t.Errorf("%d frames compared, want %d", r.Frames, len(modbusClasses))
	}
	for _, m := range r.Mismatches {
		if !m.Explained() {
			t.Errorf("frame %d %s: tshark [%s] ours [%s]", m.Frame, m.Field, strings.Join(m.Tshark, " "), strings.Join(m.Ours, " "))
		}
	}
	// The fields of the classes were compared, not left out.
	if r.Fields < 200 {
		t.Errorf("only %d fields compared", r.Fields)
	}
}

// TestModbusRulesOnRealFields checks each Modbus rule on the fields of the
// frames of modbus-classes.pcap it explains, and that it explains nothing
// once a condition fails or the difference is another one.
func TestModbusRulesOnRealFields(t *testing.T) {
	d := Embedded()
	if d.Err != nil {
		t.Fatal(d.Err)
	}
	l := func(v ...string) []string { return v }
	explained := func(name, field string, theirs, ours frameFields) bool {
		r := d.FieldRule("modbus", field, theirs, ours)
		return r != nil && r.Name == name
	}
	copyOf := func(f frameFields) frameFields {
		c := frameFields{}
		for k, v := range f {
			c[k] = append([]string(nil), v...)
		}
		return c
	}

	// Frame 2: a Read File Record response of two groups.
	const files = "modbus-file-record-groups-wireshark-4.0"
	theirs := frameFields{
		"modbus.func_code":      l("20"),
		"modbus.byte_cnt":       l("12", "5", "5"),
		"modbus.reference_type": l("6", "6"),
		"modbus.data":           l("0d:fe:00:20:05:06:33:cd:00:40", "33:cd:00:40"),
	}
	ours := frameFields{
		"modbus.func_code":      l("20"),
		"modbus.byte_cnt":       l("12", "5", "5"),
		"modbus.file_groups":    l("2"),
		"modbus.reference_type": l("6", "6"),
		"modbus.data":           l("0dfe0020", "33cd0040"),
	}
	if !explained(files, "modbus.data", theirs, ours) {
		t.Error("frame 2 not explained")
	}
	for name, change := range map[string]func(th, o frameFields){
		"one group":             func(th, o frameFields) { o["modbus.file_groups"] = l("1") },
		"another function":      func(th, o frameFields) { th["modbus.func_code"], o["modbus.func_code"] = l("3"), l("3") },
		"a data value of ours":  func(th, o frameFields) { o["modbus.data"] = l("0dfe0021", "33cd0040") },
		"a group less":          func(th, o frameFields) { o["modbus.data"] = l("0dfe0020") },
		"tshark shows the same": func(th, o frameFields) { th["modbus.data"] = l("0dfe0020", "33cd0040") },
		"ours longer":           func(th, o frameFields) { th["modbus.data"] = l("0dfe", "33cd0040") },
	} {
		th, o := copyOf(theirs), copyOf(ours)
		change(th, o)
		if explained(files, "modbus.data", th, o) {
			t.Errorf("file records, %s: explained", name)
		}
	}
	th, o := copyOf(theirs), copyOf(ours)
	th["modbus.reference_type"] = l("6", "7")
	if explained(files, "modbus.reference_type", th, o) {
		t.Error("file records: another field explained")
	}

	// Frame 41: objects 0x00 "ABC", 0x07 "XY", 0x80 010203.
	const objects = "modbus-device-id-objects-7-127-wireshark-4.0"
	theirs = frameFields{
		"modbus.func_code":        l("43"),
		"modbus.object_id":        l("0", "7", "128"),
		"modbus.object_str_value": l("ABC"),
		"modbus.object_value":     l("58:59", "01:02:03"),
	}
	ours = frameFields{
		"modbus.func_code":        l("43"),
		"modbus.object_id":        l("0", "7", "128"),
		"modbus.object_str_value": l("ABC", "XY"),
		"modbus.object_value":     l("010203"),
	}
	for _, f := range []string{"modbus.object_str_value", "modbus.object_value"} {
		if !explained(objects, f, theirs, ours) {
			t.Errorf("frame 41 %s not explained", f)
		}
		for name, change := range map[string]func(th, o frameFields){
			"standard and private objects only": func(th, o frameFields) {
				th["modbus.object_id"], o["modbus.object_id"] = l("0", "6", "128"), l("0", "6", "128")
			},
			"another function": func(th, o frameFields) { th["modbus.func_code"], o["modbus.func_code"] = l("3"), l("3") },
			"a value of ours": func(th, o frameFields) {
				if f == "modbus.object_str_value" {
					o[f] = l("ABD", "XY")
				} else {
					o[f] = l("010204")
				}
			},
			"tshark shows the same": func(th, o frameFields) { th[f] = o[f] },
		} {
			th, o := copyOf(theirs), copyOf(ours)
			change(th, o)
			if explained(objects, f, th, o) {
				t.Errorf("objects %s, %s: explained", f, name)
			}
		}
	}
}
