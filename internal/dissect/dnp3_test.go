package dissect

import (
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"net/netip"
	"slices"
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/icsdissect/icsdissect/pcapx"
)

var dnp3TestFlow = pcapx.FlowKey{
	Client:    netip.MustParseAddrPort("192.168.60.1:50594"),
	Server:    netip.MustParseAddrPort("192.168.60.130:20000"),
	Transport: pcapx.TCP,
}

func dnp3TestPDU(t testing.TB, h string, toServer bool) *pcapx.PDU {
	b, err := hex.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	p := &pcapx.PDU{Proto: pcapx.DNP3, Transport: pcapx.TCP, ToServer: toServer, Flow: dnp3TestFlow, Data: b}
	if toServer {
		p.Src, p.Dst = dnp3TestFlow.Client, dnp3TestFlow.Server
	} else {
		p.Src, p.Dst = dnp3TestFlow.Server, dnp3TestFlow.Client
	}
	return p
}

// Frames from iti-dnp3-read_and_response.pcap (4: read class 0-3; 6 and 8:
// a response in two transport segments) and iti-opendnp3conf-8.18.2.2.pcap
// frame 6 (class 0 response with g30v2); see dnp3/testdata/README.md.
const (
	dnp3Read      = "056414c40a0001008fedc0c0013c02063c03063c04063c01068a51"
	dnp3Resp1     = "0564ff4401000a005aeb53c081000001020000090202020202022d3a0202020203020000090202020202020270da02020214010000090200000000020000e30b000002000000000200000000020000004dba000200000000020000000002000000007eae02000000000200000000150100000902d3420000000002000000000200000000020069ce00000002000000000200000000020000dd5e000002000000000200000000020000004dba001e0100000902000000000200000000cd6302000000000200000000020000000002f0030000000002000000000200000000020069ce00000002000000000a0200000902020217100202020202020228010000090200000058e4000200000000020000000002000000007eae020000000002000000004e72"
	dnp3Resp2     = "05641a4401000a00af5d9402000000000200000000020000000066420200000000f3b9"
	dnp3AnalogHex = "0564324401000004f89bc0c08198001e0201000000000100001eaec80201290029000164001e020100040004692701c8001e0201ffffffff0100001355"
)

func TestDNP3Fields(t *testing.T) {
	var d Dissector
	s := &recordSink{}
	r := d.PDU(s, dnp3TestPDU(t, dnp3Read, true))
	if r.Err != nil || r.Func != "read" {
		t.Fatalf("read: %+v", r)
	}
	// As tshark shows frame 4.
	for name, want := range map[string][]string{
		"dnp3.ctl.dir": {"true"}, "dnp3.ctl.prifunc": {"4"}, "dnp3.dst": {"10"}, "dnp3.src": {"1"},
		"dnp3.tr.fir": {"true"}, "dnp3.tr.seq": {"0"}, "dnp3.al.func": {"1"},
		"dnp3.al.obj":         {"15362", "15363", "15364", "15361"},
		"dnp3.al.objq.range":  {"6", "6", "6", "6"},
		"dnp3.al.objq.prefix": {"0", "0", "0", "0"},
	} {
		if got := s.values(name); !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}

	// The first segment of the response shows link and transport fields
	// only; the second completes the fragment.
	s = &recordSink{}
	r = d.PDU(s, dnp3TestPDU(t, dnp3Resp1, false))
	if r.Err != nil || r.Func != "transport" || len(s.values("dnp3.al.func")) != 0 {
		t.Fatalf("first segment: %+v %v", r, s.fields)
	}
	s = &recordSink{}
	r = d.PDU(s, dnp3TestPDU(t, dnp3Resp2, false))
	if r.Err != nil || r.Func != "response" {
		t.Fatalf("second segment: %+v", r)
	}
	if got := s.values("dnp3.al.obj"); !slices.Equal(got, []string{"258", "770", "5121", "5377", "7681", "2562", "10241"}) {
		t.Errorf("objects %v", got)
	}
	if got := s.values("dnp3.al.anaout.int"); len(got) != 10 {
		t.Errorf("analog outputs %v", got)
	}

	s = &recordSink{}
	d.PDU(s, dnp3TestPDU(t, dnp3AnalogHex, false))
	if got := s.values("dnp3.al.ana.int"); !slices.Equal(got, []string{"0", "100", "200", "0"}) {
		t.Errorf("analog values %v", got)
	}
	if got := s.values("dnp3.al.range.start"); !slices.Equal(got, []string{"0", "41", "1024", "65535"}) {
		t.Errorf("ranges %v", got)
	}
	if got := s.values("dnp3.al.iin"); !slices.Equal(got, []string{"38912"}) {
		t.Errorf("iin %v", got)
	}
}

func TestDNP3ErrorsAndAnomalies(t *testing.T) {
	var d Dissector
	// A bad data CRC: link and transport fields, then ErrCRC.
	b, _ := hex.DecodeString(dnp3Read)
	b[12] ^= 0xFF
	p := dnp3TestPDU(t, "", true)
	p.Data = b
	s := &recordSink{}
	r := d.PDU(s, p)
	if r.Err == nil || len(s.values("dnp3.tr.seq")) != 1 || len(s.values("dnp3.al.func")) != 0 {
		t.Errorf("bad CRC: %+v %v", r, s.fields)
	}
	// A FIN segment without FIR is an anomaly.
	s = &recordSink{}
	d.PDU(s, dnp3TestPDU(t, dnp3Resp2, false))
	if got := s.values("dnp3.anomaly"); !slices.Equal(got, []string{"missing_fir"}) {
		t.Errorf("anomalies %v", got)
	}
	// Garbage.
	s = &recordSink{}
	if r := d.PDU(s, dnp3TestPDU(t, "0102030405", true)); r.Err == nil || len(s.fields) != 0 {
		t.Errorf("garbage: %+v %v", r, s.fields)
	}
	// A gap resets reassembly.
	d.PDU(nopSink{}, dnp3TestPDU(t, dnp3Resp1, false))
	p = dnp3TestPDU(t, dnp3Resp2, false)
	p.Gap = true
	s = &recordSink{}
	d.PDU(s, p)
	if len(s.values("dnp3.al.func")) != 0 {
		t.Errorf("fragment completed across a gap")
	}
}

func TestDNP3UDPSeveralFrames(t *testing.T) {
	var d Dissector
	b, _ := hex.DecodeString(dnp3Read + dnp3AnalogHex)
	p := &pcapx.PDU{Proto: pcapx.DNP3, Transport: pcapx.UDP, Flow: dnp3TestFlow, Data: b}
	s := &recordSink{}
	d.PDU(s, p)
	if got := s.values("dnp3.al.func"); !slices.Equal(got, []string{"1", "129"}) {
		t.Errorf("functions %v", got)
	}
}

func TestDNP3ZeroAllocs(t *testing.T) {
	var d Dissector
	bad, _ := hex.DecodeString(dnp3Read)
	bad[12] ^= 0xFF
	badPDU := dnp3TestPDU(t, "", true)
	badPDU.Data = bad
	pdus := []*pcapx.PDU{
		dnp3TestPDU(t, dnp3Read, true), dnp3TestPDU(t, dnp3Resp1, false), dnp3TestPDU(t, dnp3Resp2, false),
		dnp3TestPDU(t, dnp3AnalogHex, false), badPDU, dnp3TestPDU(t, "0564", true),
	}
	var s Sink = nopSink{}
	var cases []testkit.AllocCase
	for i, p := range pdus {
		cases = append(cases, testkit.AllocCase{Name: fmt.Sprint("pdu ", i), Fn: func() { d.PDU(s, p) }})
	}
	cases = append(cases, testkit.AllocCase{Name: "a flow after another", Fn: func() {
		for _, p := range pdus {
			d.PDU(s, p)
		}
	}})
	testkit.ZeroAllocs(t, cases)
}

// TestDNP3ConnAnomalies: the connection-level anomalies of the Conn show
// as dnp3.anomaly fields.
func TestDNP3ConnAnomalies(t *testing.T) {
	var d Dissector
	s := &recordSink{}
	d.PDU(s, dnp3TestPDU(t, dnp3AnalogHex, false))
	if got := s.values("dnp3.anomaly"); !slices.Equal(got, []string{"unmatched_response"}) {
		t.Errorf("anomalies %v", got)
	}
}

// TestDNP3NoByteOffsets keeps the dnp3 dissector a mapper over the dnp3
// package's accessors: it indexes no bytes (its only index and slice
// expressions step over the frames of a datagram by the length the package
// reports and read its own table of anomaly names).
func TestDNP3NoByteOffsets(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "dnp3.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		var x ast.Expr
		switch e := n.(type) {
		case *ast.IndexExpr:
			x = e.X
		case *ast.SliceExpr:
			x = e.X
		default:
			return true
		}
		if id, ok := x.(*ast.Ident); ok && id.Name == "connPool" {
			return true // a generic type's instantiation
		}
		if id, ok := x.(*ast.Ident); !ok || id.Name != "data" && id.Name != "t" && id.Name != "dnp3AnomalyNames" {
			t.Errorf("dnp3.go indexes %s", types.ExprString(n.(ast.Expr)))
		}
		return true
	})
}

// FuzzDNP3Dissect runs arbitrary bytes through the dnp3 dissector over TCP
// in both directions and over UDP, checking that it never panics.
func FuzzDNP3Dissect(f *testing.F) {
	for _, h := range []string{dnp3Read, dnp3Resp1, dnp3Resp2, dnp3AnalogHex} {
		b, _ := hex.DecodeString(h)
		f.Add(b, true)
		f.Add(b, false)
	}
	var d Dissector
	f.Fuzz(func(t *testing.T, b []byte, toServer bool) {
		p := dnp3TestPDU(t, "", toServer)
		p.Data = b
		d.PDU(nopSink{}, p)
		p.Transport = pcapx.UDP
		d.PDU(nopSink{}, p)
	})
}
