package dissect

import (
	"encoding/hex"
	"go/ast"
	"go/parser"
	"go/token"
	"net/netip"
	"strconv"
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/icsdissect/icsdissect/pcapx"
	"github.com/stretchr/testify/require"
)

var (
	enipTCPFlow = pcapx.FlowKey{
		Client:    netip.MustParseAddrPort("10.0.0.1:50000"),
		Server:    netip.MustParseAddrPort("10.0.0.2:44818"),
		Transport: pcapx.TCP,
	}
	enipIOFlow = pcapx.FlowKey{
		Client:    netip.MustParseAddrPort("10.0.0.1:2222"),
		Server:    netip.MustParseAddrPort("10.0.0.2:2222"),
		Transport: pcapx.UDP,
	}
)

func enipPDU(t testing.TB, h string, toServer bool) *pcapx.PDU {
	b, err := hex.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	p := &pcapx.PDU{Proto: pcapx.ENIP, Transport: pcapx.TCP, ToServer: toServer, Flow: enipTCPFlow, Data: b}
	if toServer {
		p.Src, p.Dst = enipTCPFlow.Client, enipTCPFlow.Server
	} else {
		p.Src, p.Dst = enipTCPFlow.Server, enipTCPFlow.Client
	}
	return p
}

// Frames from iti-cip-cip_only.pcap (475, 478: Forward Open), and built
// Read Tag request/reply and I/O datagrams (see enip/testdata/README.md).
const (
	enipFO      = "6f003e0009a6183f000000005936060038bc270c00000000000000001400020000000000b2002e00540220062401079b060000800500fe8006004d00e0312b3d023d0600d01213001243d01213001243a30220022401"
	enipFOReply = "6f002e0009a6183f000000005936060038bc270c00000000000000000004020000000000b2001e00d40000006ef3240a0500fe8006004d00e0312b3dd0121300d01213000000"
	enipReadReq = "6f003400000102110000000001020304050607080000000000000000" + "0a000200" + "00000000" + "b2002400" +
		"4c10910c50726f6772616d3a4d61696e91054d6f746f72002803910553706565640001" + "00"
	enipReadRep = "6f001a00000102110000000001020304050607080000000000000000" + "0a000200" + "00000000" + "b2000a00" + "cc000000ca000090bb44"
	// A class 3 SendUnitData on the connection opened above (T->O id
	// 0x80fe0005 is the target's; O->T 0x0a24f36e), sequence 7, Get
	// Attribute Single Identity attribute 7.
	enipConnReq = "70001e00" + "0009a618" + "00000000" + "0000000000000000" + "00000000" + "00000000" + "0000" + "0200" +
		"a10004006ef3240a" + "b1000a00" + "0700" + "0e03200124013007"
	enipConnRep = "70001f00" + "0009a618" + "00000000" + "0000000000000000" + "00000000" + "00000000" + "0000" + "0200" +
		"a10004000500fe80" + "b1000b00" + "0700" + "8e000000" + "0441424344"
	// An unknown command (anomaly).
	enipOdd = "99000000000000000000000000000000000000000100000000"
)

func TestENIPReadTagPairing(t *testing.T) {
	var d Dissector
	s := &recordSink{}
	r := d.PDU(s, enipPDU(t, enipReadReq, true))
	if r.Err != nil || r.Func != "Send RR Data" {
		t.Fatalf("request: %+v", r)
	}
	s.has(t, "enip.command=111", "cip.service=76", "cip.symbol=Program:Main", "cip.symbol=Motor",
		"cip.member=3", "cip.symbol=Speed", "cip.rtd.elements=1")
	s = &recordSink{}
	d.PDU(s, enipPDU(t, enipReadRep, false))
	// The reply shows the request path and the value's type.
	s.has(t, "cip.service=204", "cip.genstat=0", "cip.symbol=Program:Main", "cip.symbol=Speed", "cip.data_type=202",
		"cip.tag.value=1500.5")
}

// TestENIPRealValue is class 9: a REAL prints as the float32 it is.
func TestENIPRealValue(t *testing.T) {
	var d Dissector
	d.PDU(nopSink{}, enipPDU(t, enipReadReq, true))
	s := &recordSink{}
	d.PDU(s, enipPDU(t, enipReadRep[:len(enipReadRep)-8]+"71cd0744", false))
	require.Equal(t, []string{"543.21"}, s.values("cip.tag.value"))
}

func TestENIPForwardOpenConnection(t *testing.T) {
	var d Dissector
	s := &recordSink{}
	d.PDU(s, enipPDU(t, enipFO, true))
	s.has(t, "cip.cm.ot_connid="+strconv.FormatUint(0x80000006, 10), "cip.cm.otrpi=1250000", "cip.class=2")
	s = &recordSink{}
	d.PDU(s, enipPDU(t, enipFOReply, false))
	s.has(t, "cip.cm.ot_connid="+strconv.Itoa(0x0a24f36e), "cip.cm.to_connid="+strconv.FormatUint(0x80fe0005, 10), "cip.cm.otapi=1250000")

	// Connected messages on the connection show its path and pair by
	// sequence count.
	s = &recordSink{}
	d.PDU(s, enipPDU(t, enipConnReq, true))
	s.has(t, "enip.cpf.cai.connid="+strconv.Itoa(0x0a24f36e), "cip.seq=7", "cip.class=2", "cip.class=1", "cip.attribute=7")
	s = &recordSink{}
	d.PDU(s, enipPDU(t, enipConnRep, false))
	s.has(t, "cip.service=142", "cip.attribute=7", "cip.id.product_name=ABCD")

	// I/O on UDP 2222 with the T->O id is mapped to the connection.
	io := "0200" + "02800800" + "0500fe80" + "01000000" + "b1000600" + "0300" + "01020304"
	b, _ := hex.DecodeString(io)
	p := &pcapx.PDU{Proto: pcapx.ENIP, Transport: pcapx.UDP, Flow: enipIOFlow,
		Src: enipIOFlow.Server, Dst: enipIOFlow.Client, Data: b}
	s = &recordSink{}
	if r := d.PDU(s, p); r.Err != nil {
		t.Fatal(r.Err)
	}
	s.has(t, "enip.cpf.sai.connid="+strconv.FormatUint(0x80fe0005, 10), "enip.cpf.sai.seq=1",
		"cip.cm.torpi=1250000", "cipio.data=030001020304")
}

func TestENIPAnomalyAndErrors(t *testing.T) {
	var d Dissector
	s := &recordSink{}
	d.PDU(s, enipPDU(t, enipOdd, true))
	s.has(t, "enip.anomaly=unknown_command")
	s = &recordSink{}
	if r := d.PDU(s, enipPDU(t, "6f00", true)); r.Err == nil {
		t.Fatal("want error for a cut header")
	}
	// Every prefix of every PDU decodes without panicking.
	for _, h := range []string{enipFO, enipFOReply, enipReadReq, enipReadRep, enipConnReq, enipConnRep} {
		b, _ := hex.DecodeString(h)
		for i := range b {
			p := enipPDU(t, "", true)
			p.Data = b[:i]
			d.PDU(nopSink{}, p)
		}
	}
}

func TestENIPZeroAllocs(t *testing.T) {
	var d Dissector
	pdus := []*pcapx.PDU{
		enipPDU(t, enipFO, true), enipPDU(t, enipFOReply, false),
		enipPDU(t, enipReadReq, true), enipPDU(t, enipReadRep, false),
		enipPDU(t, enipConnReq, true), enipPDU(t, enipConnRep, false),
		enipPDU(t, enipOdd, true), enipPDU(t, "6f00", true),
		enipPDU(t, enipUSReq, true), enipPDU(t, enipUSMismatch, false),
	}
	var s Sink = nopSink{}
	var cases []testkit.AllocCase
	for i, p := range pdus {
		cases = append(cases, testkit.AllocCase{Name: strconv.Itoa(i), Fn: func() { d.PDU(s, p) }})
	}
	testkit.ZeroAllocs(t, cases)
}

// An Unconnected Send carrying Get Attribute Single (Identity attribute 7)
// to slot 0, over a class 3 connection, and replies that do not answer the
// Get Attribute Single.
const (
	enipUSReq = "70002c00" + "0009a618" + "00000000" + "0000000000000000" + "00000000" + "00000000" + "0000" + "0200" +
		"a100040009133500" + "b1001800" + "0300" + "52022006240107f9" + "0800" + "0e03200124013007" + "0100" + "0100"
	// The device answers with the Unconnected Send's reply service 0xD2.
	enipUSOwnReply = "70001f00" + "0009a618" + "00000000" + "0000000000000000" + "00000000" + "00000000" + "0000" + "0200" +
		"a1000400d7f10080" + "b1000b00" + "0300" + "d20000000441424344"
	// The device answers with Get Attributes All.
	enipUSMismatch = "70001f00" + "0009a618" + "00000000" + "0000000000000000" + "00000000" + "00000000" + "0000" + "0200" +
		"a1000400d7f10080" + "b1000b00" + "0300" + "810000000441424344"
	// The device answers with the Get Attribute Single reply.
	enipUSReply = "70001f00" + "0009a618" + "00000000" + "0000000000000000" + "00000000" + "00000000" + "0000" + "0200" +
		"a1000400d7f10080" + "b1000b00" + "0300" + "8e0000000441424344"
)

// TestENIPReplyContext is class 4: a reply is read in its request's
// context only when its service answers the request.
func TestENIPReplyContext(t *testing.T) {
	for _, c := range []struct {
		name  string
		reply string
		want  []string
		none  []string
	}{
		{"embedded reply", enipUSReply, []string{"cip.service=142", "cip.class=6", "cip.class=1", "cip.attribute=7",
			"cip.cm.route_path_size=1", "cip.port=1", "cip.linkaddress.byte=0", "cip.id.product_name=ABCD"}, nil},
		{"Unconnected Send reply", enipUSOwnReply, []string{"cip.service=210", "cip.class=6", "cip.cm.route_path_size=1", "cip.port=1"},
			[]string{"cip.id.product_name", "cip.attribute"}},
		{"mismatched reply", enipUSMismatch, []string{"cip.service=129", "enip.anomaly=mismatched_response"},
			[]string{"cip.id.product_name", "cip.attribute", "cip.id.vendor_id", "cip.class"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var d Dissector
			d.PDU(nopSink{}, enipPDU(t, enipUSReq, true))
			s := &recordSink{}
			d.PDU(s, enipPDU(t, c.reply, false))
			s.has(t, c.want...)
			for _, n := range c.none {
				require.Empty(t, s.values(n), "%s in %v", n, s.fields)
			}
		})
	}
}

// TestENIPTemplateRead is class 6: a template read is not a tag service.
func TestENIPTemplateRead(t *testing.T) {
	var d Dissector
	s := &recordSink{}
	req := "6f002000" + "00010211" + "00000000" + "0102030405060708" + "00000000" +
		"00000000" + "0a00" + "0200" + "00000000" + "b2001000" + "4c03206c25005e0c" + "00000000" + "f401"
	d.PDU(s, enipPDU(t, req, true))
	s.has(t, "cip.service=76", "cip.class=108")
	require.Empty(t, s.values("cip.rtd.elements"))
	require.Empty(t, s.values("enip.anomaly"))
}

// TestENIPDissectorIsAMapper keeps internal/dissect/enip.go a mapper over the
// enip package's accessors: no byte-offset reads, no encoding/binary, no
// unsafe.
func TestENIPDissectorIsAMapper(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "enip.go", nil, 0)
	require.NoError(t, err)
	for _, imp := range f.Imports {
		require.NotContains(t, []string{`"unsafe"`, `"encoding/binary"`}, imp.Path.Value)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if ix, ok := n.(*ast.IndexExpr); ok {
			if lit, ok := ix.Index.(*ast.BasicLit); ok && lit.Kind == token.INT {
				t.Errorf("%s: byte-offset read", fset.Position(ix.Pos()))
			}
		}
		return true
	})
}

// FuzzENIPDissect runs arbitrary bytes through the enip dissector as TCP
// requests and replies and as UDP I/O, checking that it never panics.
func FuzzENIPDissect(f *testing.F) {
	for _, h := range []string{enipFO, enipFOReply, enipReadReq, enipReadRep, enipConnReq, enipConnRep, enipOdd} {
		b, _ := hex.DecodeString(h)
		f.Add(b, true)
		f.Add(b, false)
	}
	var d Dissector
	f.Fuzz(func(t *testing.T, b []byte, toServer bool) {
		p := enipPDU(t, "", toServer)
		p.Data = b
		d.PDU(nopSink{}, p)
		io := &pcapx.PDU{Proto: pcapx.ENIP, Transport: pcapx.UDP, Flow: enipIOFlow,
			Src: enipIOFlow.Server, Dst: enipIOFlow.Client, Data: b}
		d.PDU(nopSink{}, io)
	})
}
