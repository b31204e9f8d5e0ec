package dissect

import (
	"encoding/hex"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icsdissect/icsdissect/pcapx"
)

func iec104TestPDU(t testing.TB, h string, toServer bool) *pcapx.PDU {
	b, err := hex.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	return &pcapx.PDU{
		Proto:     pcapx.IEC104,
		Transport: pcapx.TCP,
		ToServer:  toServer,
		Flow: pcapx.FlowKey{
			Client:    netip.MustParseAddrPort("10.0.0.1:46413"),
			Server:    netip.MustParseAddrPort("10.0.0.2:2404"),
			Transport: pcapx.TCP,
		},
		Data: b,
	}
}

func TestIEC104Fields(t *testing.T) {
	tests := []struct {
		name, hex string
		up        bool
		fn        string
		want      []string // fields that must be present, in order
	}{
		{"STARTDT act", "680407000000", true, "STARTDT act",
			[]string{"iec60870_104.apdulen=4", "iec60870_104.type=3", "iec60870_104.utype=1"}},
		// ndpi-IEC104.pcap frame 7.
		{"M_ME_TF_1", "68192c7e42b9240103001429cbb202cdcc2c3e0094dc028a230a0b", false, "M_ME_TF_1",
			[]string{"iec60870_104.type=0", "iec60870_104.tx=16150", "iec60870_104.rx=23713",
				"iec60870_asdu.typeid=36", "iec60870_asdu.numix=1", "iec60870_asdu.causetx=3",
				"iec60870_asdu.oa=0", "iec60870_asdu.addr=10516", "iec60870_asdu.ioa=176843",
				"iec60870_asdu.float=0.16875000298023224", "iec60870_asdu.qds.iv=false",
				// Summer time: Wireshark's mktime moves the time back an hour.
				"iec60870_asdu.cp56time=Oct  3, 2011 09:02:56.468000000 UTC",
				"iec60870_asdu.cp56time.su=true"}},
		// iti-iec104-090813_diverse.pcap frame 25.
		{"C_SC_NA_1 select", "680e2c00a2002d010600030094110081", true, "C_SC_NA_1",
			[]string{"iec60870_asdu.ioa=4500", "iec60870_asdu.sco.on=true", "iec60870_asdu.sco.se=true"}},
		// Wireshark's garbage test: an I-frame whose ASDU stops after two octets.
		{"cut ASDU", "680618181818" + "1818", true, "unknown",
			[]string{"iec60870_104.apdulen=6", "iec60870_asdu.typeid=24", "iec60870_asdu.sq=false", "iec60870_asdu.numix=24"}},
		{"short length", "68020268", true, "malformed", []string{"iec60870_104.apdulen=2"}},
		{"unknown type", "680e0000000018010600010001000014", true, "unknown",
			[]string{"iec60870_asdu.ioa=1", "iec60870_asdu.rawdata=14", "iec60870_104.anomaly=unknown_type"}},
	}
	var d Dissector
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s recordSink
			r := d.PDU(&s, iec104TestPDU(t, tt.hex, tt.up))
			if r.Func != tt.fn {
				t.Errorf("Func %q, want %q", r.Func, tt.fn)
			}
			got := strings.Join(s.fields, "\n")
			i := 0
			for _, f := range s.fields {
				if i < len(tt.want) && f == tt.want[i] {
					i++
				}
			}
			if i != len(tt.want) {
				t.Errorf("missing %q in:\n%s", tt.want[i], got)
			}
		})
	}
}

func TestIEC104Tracking(t *testing.T) {
	var d Dissector
	var s recordSink
	d.PDU(&s, iec104TestPDU(t, "680e00000000640106000a0000000014", true))
	d.PDU(&s, iec104TestPDU(t, "680e04000000640106000a0000000014", true))
	if !strings.Contains(strings.Join(s.fields, "\n"), "iec60870_104.anomaly=seq_gap") {
		t.Errorf("no seq_gap anomaly:\n%s", strings.Join(s.fields, "\n"))
	}
}

// TestIEC104Pairing checks the Conn's results the dissector shows: the
// latency of a paired confirmation, an execute after its select, and the
// pairing anomalies.
func TestIEC104Pairing(t *testing.T) {
	var d Dissector
	at := func(h string, up bool, ms int64) []string {
		p := iec104TestPDU(t, h, up)
		p.Time = time.Unix(0, ms*1e6)
		var s recordSink
		d.PDU(&s, p)
		return s.fields
	}
	// iti-iec104-090813_diverse.pcap frames 25..31.
	at("680e2c00a2002d010600030094110081", true, 100)
	got := at("680ea2002e002d010700030094110081", false, 112)
	if !slices.Contains(got, "iec60870_104.latency=12000000") {
		t.Errorf("no latency:\n%s", strings.Join(got, "\n"))
	}
	got = at("680e2e00a4002d010600030094110001", true, 120)
	if !slices.Contains(got, "iec60870_104.after_select=true") {
		t.Errorf("execute not after select:\n%s", strings.Join(got, "\n"))
	}
	got = at("680ea40030002d010700030099990001", false, 130)
	if !slices.Contains(got, "iec60870_104.anomaly=unmatched_response") {
		t.Errorf("no unmatched_response:\n%s", strings.Join(got, "\n"))
	}
	// A gap before a client APDU: its N(S) jumps (frames were lost) without
	// a seq_gap, and the execute still waiting is confirmed after it.
	p := iec104TestPDU(t, "680e"+"5000"+"a600"+"6401"+"0600"+"0300"+"000000"+"14", true)
	p.Gap = true
	p.Time = time.Unix(0, 140*1e6)
	var s recordSink
	d.PDU(&s, p)
	if slices.ContainsFunc(s.fields, func(f string) bool { return strings.HasPrefix(f, "iec60870_104.anomaly=") }) {
		t.Errorf("anomaly after a gap:\n%s", strings.Join(s.fields, "\n"))
	}
	got = at("680e"+"a600"+"5200"+"2d01"+"0700"+"0300"+"941100"+"01", false, 150)
	if !slices.Contains(got, "iec60870_104.latency=30000000") || slices.ContainsFunc(got, func(f string) bool { return strings.HasPrefix(f, "iec60870_104.anomaly=") }) {
		t.Errorf("confirmation after a gap not paired, or flagged:\n%s", strings.Join(got, "\n"))
	}
}

func TestIEC104ZeroAllocs(t *testing.T) {
	var d Dissector
	pdus := []*pcapx.PDU{
		iec104TestPDU(t, "68192c7e42b9240103001429cbb202cdcc2c3e0094dc028a230a0b", false),
		iec104TestPDU(t, "680e2c00a2002d010600030094110081", true),
		iec104TestPDU(t, "680401001a00", true),
		iec104TestPDU(t, "680e0000000018010600010001000014", true),
		iec104TestPDU(t, "68020268", true),
	}
	for _, p := range pdus {
		d.PDU(nopSink{}, p) // the flow's state is made here
	}
	n := testing.AllocsPerRun(100, func() {
		for _, p := range pdus {
			d.PDU(nopSink{}, p)
		}
	})
	if n != 0 {
		t.Errorf("%v allocations per run, want 0", n)
	}
}
