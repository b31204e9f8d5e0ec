package conformance

import (
	"strings"
	"testing"
)

func TestValuesEqual(t *testing.T) {
	for _, c := range []struct {
		t, o string
		eq   bool
	}{
		{"3", "3", true},
		{"0x0003", "3", true},
		{"0x00000010", "16", true},
		{"True", "1", true},
		{"False", "0", true},
		{"-5", "-5", true},
		{"12.3400001525879", "12.34000015258789", true},
		{"1.5", "1.6", false},
		{"142.493", "142.49325561523438", true},
		{"269.262", "269.26165771484375", true},
		{"269.262", "269.26365771484375", false},
		{"1.5e-07", "1.4999999e-07", true},
		{"01:02:0a", "01020a", true},
		{"01:02:0a", "01020b", false},
		{"abc", "abc", true},
		{"abc", "abd", false},
		{"4", "5", false},
		{"0x10", "0x10", true},
	} {
		if got := valuesEqual(c.t, c.o); got != c.eq {
			t.Errorf("valuesEqual(%q, %q) = %v", c.t, c.o, got)
		}
	}
	if listsEqual([]string{"1"}, []string{"1", "2"}) || !listsEqual([]string{"1", "0x2"}, []string{"1", "2"}) {
		t.Error("listsEqual")
	}
}

func TestTextString(t *testing.T) {
	if got := textString([]byte("ab\x00c\xff\n")); got != `ab\x00c\xff\n` {
		t.Errorf("textString = %q", got)
	}
}

func TestDivergences(t *testing.T) {
	d := &Divergences{m: map[string]string{}}
	d.load("modbus", strings.NewReader("# comment\na.pcap\t7\tmodbus.x\t1\t2\tspec 6.3\nb.pcap\t*\tmodbus.y\t1\t2\tbytes\nc.pcap\t1\tmodbus.z\t1\t2\t\n"))
	if d.Lookup("modbus", "a.pcap", 7, "modbus.x") != "spec 6.3" || d.Lookup("modbus", "a.pcap", 8, "modbus.x") != "" {
		t.Error("frame entry")
	}
	if d.Lookup("modbus", "b.pcap", 99, "modbus.y") == "" {
		t.Error("wildcard entry")
	}
	if d.Lookup("modbus", "c.pcap", 1, "modbus.z") != "" {
		t.Error("entry without evidence must not explain")
	}
	if Embedded() == nil || Embedded().Err != nil {
		t.Errorf("embedded divergences: %v", Embedded().Err)
	}
}

func TestJobs(t *testing.T) {
	jobs := Jobs([]string{"x/dnp3/a.pcap", "x/mixed/b.pcap"}, "")
	if len(jobs) != 1+len(Specs()) || jobs[0].Spec.Dir != "dnp3" {
		t.Errorf("Jobs = %d", len(jobs))
	}
	if jobs := Jobs([]string{"x/mixed/b.pcap"}, "enip"); len(jobs) != 1 || jobs[0].Spec.Dir != "enip" {
		t.Error("Jobs with -proto")
	}
}
