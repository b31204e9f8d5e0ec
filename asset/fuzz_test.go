package asset

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"testing"
	"time"

	"github.com/icsdissect/icsdissect/pcapx"
)

// fuzzObserver reads every event the way a user would: each value by All
// and At, the JSON encoding (which must be valid), and the inventory.
type fuzzObserver struct {
	t   *testing.T
	inv *Inventory
	enc Encoder
	buf []byte
}

func (o *fuzzObserver) check(b []byte) {
	if !json.Valid(b) {
		o.t.Fatalf("invalid JSON: %s", b)
	}
}

func (o *fuzzObserver) Access(a Access) {
	n := 0
	for i, v := range a.Values.All {
		// At walks the protocol's cursor for S7 and DNP3: check the first
		// elements only, so that a long fragment stays quick.
		if i < 32 {
			w, ok := a.Values.At(i)
			if !ok || w.Kind != v.Kind || w.Addr != v.Addr {
				o.t.Fatalf("At(%d) = %v %v, All gave %v", i, w, ok, v)
			}
		}
		_ = v.String()
		n++
	}
	if n > a.Values.Len() {
		o.t.Fatalf("All yielded %d values, Len is %d", n, a.Values.Len())
	}
	_, _ = a.Values.At(a.Values.Len())
	o.buf = o.enc.AppendAccess(o.buf[:0], &a)
	o.check(o.buf)
	o.inv.Access(a)
}

func (o *fuzzObserver) Operation(op Op) {
	o.buf = o.enc.AppendOp(o.buf[:0], &op)
	o.check(o.buf)
	o.inv.Operation(op)
}

func (o *fuzzObserver) Identity(id Identity) {
	o.buf = o.enc.AppendIdentity(o.buf[:0], &id)
	o.check(o.buf)
	o.inv.Identity(id)
}

func (o *fuzzObserver) Change(c Change) {
	o.buf = o.enc.AppendChange(o.buf[:0], &c)
	o.check(o.buf)
}

// fuzzPorts are the server ports of each protocol in the fuzz input.
var fuzzPorts = [numProtocols]uint16{Modbus: 502, S7comm: 102, ENIP: 44818, DNP3: 20000, IEC104: 2404}

// FuzzEngine feeds a sequence of PDUs of one protocol through an engine:
// the first byte picks the protocol (and UDP when its high bit is set),
// then each PDU is a byte whose low bit says its direction (toward the
// server when set) and whose bit 1 a lost segment before it, a length byte
// and the PDU. Nothing may panic; every event must encode as valid JSON,
// its values must agree between All and At, and the inventory and device
// records must take them.
func FuzzEngine(f *testing.F) {
	for _, name := range []string{"../testdata/modbus_example.pcap", "../testdata/s7comm_snap7.pcapng"} {
		for _, seed := range fuzzSeeds(f, name) {
			f.Add(seed)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzEngine(t, data) })
}

// fuzzEngine runs one input of FuzzEngine.
func fuzzEngine(t *testing.T, data []byte) {
	{
		if len(data) < 1 {
			return
		}
		proto := Protocol(data[0]&0x7f%5 + 1)
		transport := TCP
		if data[0]&0x80 != 0 {
			transport = UDP
		}
		obs := &fuzzObserver{t: t, inv: NewInventory(InventoryConfig{MaxTags: 1000})}
		e := New(Config{Observer: obs, MaxFlows: 2})
		cli := netip.MustParseAddrPort("10.0.0.2:40000")
		srv := netip.AddrPortFrom(netip.MustParseAddr("10.0.0.1"), fuzzPorts[proto])
		ts := time.Unix(1e9, 0)
		data = data[1:]
		for frame := uint64(1); len(data) >= 2; frame++ {
			flags, n := data[0], int(data[1])
			data = data[2:]
			n = min(n, len(data))
			p := Packet{Proto: proto, Transport: transport, Src: cli, Dst: srv, ToServer: flags&1 != 0, Gap: flags&2 != 0,
				Time: ts.Add(time.Duration(frame) * time.Millisecond), Frame: frame, Data: data[:n]}
			if !p.ToServer {
				p.Src, p.Dst = srv, cli
			}
			e.Packet(&p)
			data = data[n:]
		}
		e.Flush()
		for _, d := range obs.inv.Devices() {
			obs.check(obs.enc.AppendDevice(nil, d))
		}
	}
}

// fuzzSeeds turns the flows of a capture into fuzz inputs of FuzzEngine's
// format (PDUs up to 255 bytes).
func fuzzSeeds(tb testing.TB, name string) [][]byte {
	flows := map[pcapx.FlowKey][]byte{}
	var order []pcapx.FlowKey
	cfg := pcapx.Config{Handler: func(p *pcapx.PDU) error {
		if len(p.Data) > 255 {
			return nil
		}
		b, ok := flows[p.Flow]
		if !ok {
			order = append(order, p.Flow)
			b = []byte{byte(p.Proto) - 1}
			if p.Transport == pcapx.UDP {
				b[0] |= 0x80
			}
		}
		dir := byte(0)
		if p.ToServer {
			dir = 1
		}
		flows[p.Flow] = append(append(b, dir, byte(len(p.Data))), p.Data...)
		return nil
	}}
	if _, err := pcapx.ReadFile(name, cfg); err != nil {
		tb.Fatal(err)
	}
	var out [][]byte
	for _, k := range order {
		out = append(out, bytes.Clone(flows[k]))
	}
	return out
}
