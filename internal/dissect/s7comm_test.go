package dissect

import (
	"encoding/hex"
	"go/ast"
	"go/parser"
	"go/token"
	"net/netip"
	"testing"

	"github.com/icsdissect/icsdissect/pcapx"
)

// s7Sink records field names and unsigned values.
type s7Sink struct {
	names []string
	uints []uint64
}

func (s *s7Sink) Uint(name string, v uint64) {
	s.names = append(s.names, name)
	s.uints = append(s.uints, v)
}
func (s *s7Sink) Int(name string, v int64) { s.Uint(name, uint64(v)) }
func (s *s7Sink) Float(name string, v float64) {
	s.Uint(name, uint64(v))
}
func (s *s7Sink) Bool(name string, v bool) {
	var u uint64
	if v {
		u = 1
	}
	s.Uint(name, u)
}
func (s *s7Sink) Text(name string, v []byte)  { s.Uint(name, uint64(len(v))) }
func (s *s7Sink) Bytes(name string, v []byte) { s.Uint(name, uint64(len(v))) }

func (s *s7Sink) values(name string) []uint64 {
	var out []uint64
	for i, n := range s.names {
		if n == name {
			out = append(out, s.uints[i])
		}
	}
	return out
}

func s7pdu(t *testing.T, hx string, toServer bool) *pcapx.PDU {
	t.Helper()
	b, err := hex.DecodeString(hx)
	if err != nil {
		t.Fatal(err)
	}
	c := netip.MustParseAddrPort("10.0.0.1:49152")
	srv := netip.MustParseAddrPort("10.0.0.2:102")
	return &pcapx.PDU{Proto: pcapx.S7comm, Transport: pcapx.TCP, ToServer: toServer, Data: b,
		Flow: pcapx.FlowKey{Client: c, Server: srv, Transport: pcapx.TCP}}
}

func equalU(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestS7commFields(t *testing.T) {
	var d Dissector
	// gymgit-wincc_s300_setup-alarm-read_2.pcapng frame 16: read var
	// response with four items.
	p := s7pdu(t, "0300003102f0803203000000020002001c00000404ff0300010100ff070004aabbccddff040020feadbeefff040010babe", false)
	var s s7Sink
	r := d.PDU(&s, p)
	if r.Err != nil || r.Func != "read var" {
		t.Fatalf("result %+v", r)
	}
	if got := s.values("s7comm.data.returncode"); !equalU(got, []uint64{0xff, 0xff, 0xff, 0xff}) {
		t.Errorf("returncodes %v", got)
	}
	if got := s.values("s7comm.param.itemcount"); !equalU(got, []uint64{4}) {
		t.Errorf("itemcount %v", got)
	}
	if got := s.values("cotp.type"); !equalU(got, []uint64{0x0f}) {
		t.Errorf("cotp.type %v", got)
	}

	// A COTP connect request (iti-s7-s7comm_varservice_libnodavedemo.pcap
	// frame 7): TPDU size and rack/slot.
	s = s7Sink{}
	d.PDU(&s, s7pdu(t, "0300001611e00000000100c1020100c2020102c00109", true))
	if got := s.values("cotp.tpdu_size"); !equalU(got, []uint64{512}) {
		t.Errorf("tpdu_size %v", got)
	}
	if got := s.values("cotp.dst-tsap"); !equalU(got, []uint64{0x0102}) {
		t.Errorf("dst-tsap %v", got)
	}
	if got := s.values("s7comm.cotp.dst_slot"); !equalU(got, []uint64{2}) {
		t.Errorf("slot %v", got)
	}
}

func TestS7commReassemblyAndAllocs(t *testing.T) {
	var d Dissector
	// gymgit-snap7_s300_everything.pcapng frames 6 and 8: an SZL 0x001C
	// response in two data units.
	f1 := s7pdu(t, "030000f702f080320700000200000c00da0001120812840102d5010000ff0900d6001c00000022000a000153373330302f45543230304d2073746174696f6e5f31000000000000000000000002504c435f310000000000000000000000000000000000000000000000000000000003000000000000000000000000000000000000000000000000000000000000000000044f726967696e616c205369656d656e732045717569706d656e7400000000000000055320432d423155333933313432303131000000000000000000000000000000000007435055203331352d3220504e2f445000000000000000000000000000000000000008", false)
	f2 := s7pdu(t, "030000a702f080320700000300000c008a0001120812840102d5000000ff0900864d4d4320344131414330313900000000000000000000000000000000000000000009002af60000010000000000000000000000000000000000000000000000000000000a0000000000000000000000000000000000000000000000000000000000000000000b0000000000000000000000000000000000000000000000000000000000000000", false)
	var s s7Sink
	d.PDU(&s, f1)
	if got := s.values("s7comm.data.userdata.szl_id"); len(got) != 0 {
		t.Errorf("first fragment decoded: %v", got)
	}
	s = s7Sink{}
	d.PDU(&s, f2)
	if got := s.values("s7comm.data.userdata.szl_id"); !equalU(got, []uint64{0x001c}) {
		t.Errorf("szl_id %v", got)
	}
	if got := s.values("s7comm.szl.001c.000x.index"); len(got) != 10 {
		t.Errorf("component records %v", got)
	}
	// Once the flow exists, a PDU allocates nothing.
	var sink Sink = nopSink{}
	if n := testing.AllocsPerRun(100, func() {
		d.PDU(sink, f1)
		d.PDU(sink, f2)
	}); n != 0 {
		t.Errorf("%v allocations per PDU pair", n)
	}
	// A gap resets the direction's reassembly.
	f2.Gap = true
	s = s7Sink{}
	d.PDU(&s, f1)
	d.PDU(&s, f2)
}

// TestS7commTimerNumbers: items of the timer and counter areas are
// addressed by number. gymgit-snap7_s300_everything.pcapng frame 55 reads
// T0-T7 and C0-C7; here the timer item is moved to T6, once with the TIMER
// transport size and once with BYTE, which the area alone must decide.
func TestS7commTimerNumbers(t *testing.T) {
	const job = "0300004f02f080320100001b00003e00000405120a10020010000083000000120a10020010000081000000" +
		"120a10020010000082000000120a101d000800001d000006120a101c000800001c000000"
	for _, ts := range []string{"1d", "02"} {
		hx := job[:2*58] + ts + job[2*59:]
		var d Dissector
		var s s7Sink
		d.PDU(&s, s7pdu(t, hx, true))
		if got := s.values("s7comm.param.item.address.number"); !equalU(got, []uint64{6, 0}) {
			t.Errorf("transport size %s: numbers %v", ts, got)
		}
		if got := s.values("s7comm.param.item.address.byte"); !equalU(got, []uint64{0, 0, 0}) {
			t.Errorf("transport size %s: byte addresses %v", ts, got)
		}
	}
}

// TestS7commNoByteOffsets keeps the mapper free of byte-offset reads: no
// index or slice of the input by a constant, no encoding/binary, no unsafe.
func TestS7commNoByteOffsets(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "s7comm.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range f.Imports {
		if p := imp.Path.Value; p == `"encoding/binary"` || p == `"unsafe"` {
			t.Errorf("imports %s", p)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		var x ast.Expr
		var lit bool
		switch e := n.(type) {
		case *ast.IndexExpr:
			x = e.X
			_, lit = e.Index.(*ast.BasicLit)
		case *ast.SliceExpr:
			x = e.X
			_, lo := e.Low.(*ast.BasicLit)
			hi, _ := e.High.(*ast.BasicLit)
			// b[:0] empties a scratch buffer for appending.
			lit = lo || (hi != nil && hi.Value != "0")
		}
		// Decoded arrays of the package (CPUMode.Info) may be indexed.
		if sel, ok := x.(*ast.SelectorExpr); lit && !(ok && sel.Sel.Name == "Info") {
			t.Errorf("%s: constant index into bytes", fset.Position(n.Pos()))
		}
		return true
	})
}
