package asset

import (
	"net/netip"
	"strconv"

	"github.com/icsdissect/icsdissect/dnp3"
	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/iec104"
	"github.com/icsdissect/icsdissect/s7comm"
	"testing"
	"time"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	cliAP  = netip.MustParseAddrPort("10.0.0.20:40000")
	srvAP  = netip.MustParseAddrPort("10.0.0.10:502")
	cliMAC = MAC{0x02, 0, 0, 0, 0, 0x20}
	srvMAC = MAC{0x02, 0, 0, 0, 0, 0x10}
	t0     = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
)

// modbusPkt returns a Packet carrying adu, toward the server when toServer.
func modbusPkt(adu []byte, toServer bool, ms int, frame uint64) *Packet {
	p := &Packet{Proto: Modbus, Transport: TCP, Src: cliAP, Dst: srvAP, SrcMAC: cliMAC, DstMAC: srvMAC,
		VLAN: 7, ToServer: toServer, Time: t0.Add(time.Duration(ms) * time.Millisecond), Frame: frame, Data: adu}
	if !toServer {
		p.Src, p.Dst, p.SrcMAC, p.DstMAC = p.Dst, p.Src, p.DstMAC, p.SrcMAC
	}
	return p
}

var (
	readReq  = testkit.Hex("0001 0000 0006 01 03 0064 0002")
	readResp = testkit.Hex("0001 0000 0007 01 03 04 000a fffe")
	writeReq = testkit.Hex("0002 0000 000b 01 10 0064 0002 04 0001 0002")
	writeRsp = testkit.Hex("0002 0000 0006 01 10 0064 0002")
	excResp  = testkit.Hex("0003 0000 0003 01 83 02")
	stopReq  = testkit.Hex("0004 0000 0006 01 08 0004 0000")
)

func TestEnginePacket(t *testing.T) {
	var rec recorder
	e := New(Config{Observer: &rec})
	e.Packet(modbusPkt(readReq, true, 0, 4))
	assert.Empty(t, rec.accesses, "a request waits for its response")
	e.Packet(modbusPkt(readResp, false, 3, 6))
	require.Len(t, rec.accesses, 1)
	a := rec.accesses[0]
	assert.Equal(t, Meta{Proto: Modbus, Transport: TCP,
		Client: Endpoint{Addr: cliAP.Addr(), Port: 40000, MAC: cliMAC}, Server: Endpoint{Addr: srvAP.Addr(), Port: 502, MAC: srvMAC},
		VLAN: 7, Unit: 1, Transaction: 1, Function: 3, FunctionName: "Read Holding Registers",
		Time: t0.Add(3 * time.Millisecond).UnixNano(), RequestTime: t0.UnixNano(), Frame: 6, RequestFrame: 4, Flags: FlagPaired}, a.Meta)
	assert.Equal(t, 3*time.Millisecond, a.Latency())
	assert.Equal(t, OpRead, a.Kind)
	assert.Equal(t, Address{Space: SpaceHoldingRegisters, Start: 100, Count: 2}, a.Address)
	var vals []string
	for i, v := range a.Values.All {
		assert.Equal(t, uint64(100+i), v.Addr)
		vals = append(vals, v.String())
	}
	assert.Equal(t, []string{"10", "65534"}, vals)

	e.Packet(modbusPkt(writeReq, true, 10, 8))
	e.Packet(modbusPkt(writeRsp, false, 11, 9))
	require.Len(t, rec.accesses, 2)
	w := rec.accesses[1]
	assert.Equal(t, OpWrite, w.Kind)
	assert.Equal(t, uint64(8), w.RequestFrame)
	i32, ok := w.Values.Int32(0, HighFirst)
	assert.True(t, ok)
	assert.Equal(t, int32(0x00010002), i32)

	// An exception names its code; a request left unanswered is reported
	// when the flow ends.
	e.Packet(modbusPkt(testkit.Hex("0003 0000 0006 01 03 9999 0001"), true, 20, 10))
	e.Packet(modbusPkt(excResp, false, 21, 11))
	require.Len(t, rec.accesses, 3)
	x := rec.accesses[2]
	assert.Equal(t, Status{Code: 2, Name: "illegal data address", Failed: true}, x.Status)
	assert.True(t, x.Flags.Has(FlagPaired|FlagException))
	assert.Equal(t, 0, x.Values.Len())

	e.Packet(modbusPkt(stopReq, true, 30, 12))
	assert.Empty(t, rec.ops)
	assert.Equal(t, 1, e.Stats().Active)
	e.Flush()
	require.Len(t, rec.ops, 1)
	o := rec.ops[0]
	assert.Equal(t, OpControl, o.Kind)
	assert.Equal(t, ActionListenOnly, o.Action)
	assert.Equal(t, FlagUnanswered, o.Flags)
	assert.Equal(t, uint64(12), o.Frame)
	assert.True(t, o.HasSub)
	assert.Equal(t, uint16(4), o.Sub)
	assert.Equal(t, "Force Listen Only Mode", string(o.Target))
	st := e.Stats()
	assert.Equal(t, Stats{PDUs: 7, Accesses: 3, Ops: 1, Flows: 1}, st)

	// A response with no request is reported as unmatched, without
	// addresses.
	e.Packet(modbusPkt(readResp, false, 40, 13))
	require.Len(t, rec.accesses, 4)
	assert.True(t, rec.accesses[3].Flags.Has(FlagUnmatched))
}

func TestEngineEviction(t *testing.T) {
	var rec recorder
	e := New(Config{Observer: &rec, MaxFlows: 2})
	for i := range 3 {
		p := modbusPkt(readReq, true, i, uint64(i+1))
		p.Src = netip.AddrPortFrom(cliAP.Addr(), uint16(40000+i))
		e.Packet(p)
	}
	st := e.Stats()
	assert.Equal(t, uint64(3), st.Flows)
	assert.Equal(t, uint64(1), st.Evicted)
	assert.Equal(t, 2, st.Active)
	require.Len(t, rec.accesses, 1, "the evicted flow's request is unanswered")
	assert.Equal(t, uint16(40000), rec.accesses[0].Client.Port)
	assert.True(t, rec.accesses[0].Flags.Has(FlagUnanswered))
	e.Flush()
	assert.Len(t, rec.accesses, 3)
	assert.Equal(t, 0, e.Stats().Active)
	// The flows' memory is reused.
	assert.Len(t, e.free[Modbus], 2, "the evicted flow's memory served the third flow")
	e.Packet(modbusPkt(readReq, true, 9, 9))
	assert.Len(t, e.free[Modbus], 1)
}

// pendingCase is, for one protocol, a request that gets no answer: mk
// writes request i (with its own id) into b.
type pendingCase struct {
	proto   Protocol
	port    uint16
	mk      func(b []byte, i int) []byte
	pending func(f *flow) (int, int) // the flow's pending requests and its bound
}

var (
	s7ReadJob    = testkit.Hex("0300001f 02f080 32010000 0000 000e 0000 0401 120a10020004000184000000")
	enipWriteTag = sendRRData("4d10" + motorSpeed + "c400" + "0100" + "2a000000")
	iecCommand   = testkit.Hex("680e 0000 0000 2d01 0600 0100 000000 01")
)

func pendingCases() []pendingCase {
	return []pendingCase{
		{Modbus, 502, func(b []byte, i int) []byte {
			b = append(b[:0], readReq...)
			b[0], b[1] = byte(i>>8), byte(i)
			return b
		}, func(f *flow) (int, int) { return f.st.modbus.conn.Stats().Pending, modbusMaxPending }},
		{S7comm, 102, func(b []byte, i int) []byte {
			// A read var job of DB1.DBB0, PDU reference i.
			b = append(b[:0], s7ReadJob...)
			b[11], b[12] = byte(i>>8), byte(i)
			return b
		}, func(f *flow) (int, int) { return f.st.s7.conn.Stats().Pending, s7comm.MaxPending }},
		{ENIP, 44818, func(b []byte, i int) []byte {
			// A Write Tag, sender context i: its data is kept until its
			// reply, within the engine's bound.
			b = append(b[:0], enipWriteTag...)
			b[12], b[13], b[14] = byte(i), byte(i>>8), byte(i>>16)
			return b
		}, func(f *flow) (int, int) { return f.st.enip.conn.Stats().Pending, enip.MaxPending }},
		{DNP3, 20000, func(b []byte, i int) []byte {
			// A direct operate of a CROB, application sequence i.
			app := [...]byte{0xc0, 0xc0 | byte(i&0x0f), 0x05, 0x0c, 0x01, 0x28, 0x01, 0x00, 0x00, 0x00,
				0x03, 0x01, 0x64, 0, 0, 0, 0x64, 0, 0, 0, 0}
			return dnp3.AppendLinkFrame(b[:0], 0xc4, 10, 1, app[:])
		}, func(f *flow) (int, int) { return f.st.dnp3.conn.Stats().Pending, dnp3.MaxPending }},
		{IEC104, 2404, func(b []byte, i int) []byte {
			// A single command activation (C_SC_NA_1) on IOA i.
			b = append(b[:0], iecCommand...)
			b[2], b[3] = byte(i<<1), byte(i>>7)
			b[12], b[13], b[14] = byte(i), byte(i>>8), byte(i>>16)
			return b
		}, func(f *flow) (int, int) { return f.st.iec104.conn.Stats().Pending, iec104.MaxPending }},
	}
}

// TestPendingBound drives, for each protocol, 1,000,000 requests that never
// get an answer through the engine twice: over 50 flows, which fills each
// Conn's pending table (and the engine's tables of pending writes), and
// over 1,000 flows, which fills the engine's flow table. It checks that
// the tables stay within their bounds, that what they drop is counted, and
// that nothing is allocated once they are full.
func TestPendingBound(t *testing.T) {
	n := 1_000_000
	if testkit.Race {
		n = 50_000 // the bounds are reached after 10,000
	}
	for _, pc := range pendingCases() {
		for _, ports := range []int{50, 1000} {
			t.Run(pc.proto.String()+"/"+strconv.Itoa(ports)+" flows", func(t *testing.T) {
				var obs countingObserver
				e := New(Config{Observer: &obs, MaxFlows: 64})
				var buf []byte
				p := &Packet{Proto: pc.proto, Transport: TCP, ToServer: true, Time: t0,
					Dst: netip.AddrPortFrom(srvAP.Addr(), pc.port)}
				i := 0
				send := func() {
					p.Data = pc.mk(buf, i)
					buf = p.Data
					p.Frame = uint64(i)
					p.Src = netip.AddrPortFrom(cliAP.Addr(), uint16(1024+i%ports))
					e.Packet(p)
					i++
				}
				for range 10_000 {
					send()
				}
				allocs := testing.AllocsPerRun(n-10_000, send)
				if !testkit.Race {
					assert.Zero(t, allocs, "allocations per request once the tables are full")
				}
				st := e.Stats()
				assert.Equal(t, min(ports, 64), st.Active)
				assert.LessOrEqual(t, len(e.flows.m), 64)
				pending := 0
				for f := e.flows.head; f != nil; f = f.next {
					k, bound := pc.pending(f)
					assert.LessOrEqual(t, k, bound)
					pending += k
				}
				t.Logf("%s: %d requests: %d flows open, %d evicted, %d pending, %d dropped from full tables, %d events",
					pc.proto, i, st.Active, st.Evicted, pending, st.Dropped, obs.n)
				if ports > 64 {
					assert.Greater(t, st.Evicted, uint64(0))
				}
				e.Flush()
				assert.Equal(t, 0, e.Stats().Active)
			})
		}
	}
}

func TestEngineAllocs(t *testing.T) {
	var obs countingObserver
	var o Observer = &obs
	e := New(Config{Observer: o})
	req, resp := modbusPkt(readReq, true, 0, 1), modbusPkt(readResp, false, 1, 2)
	wreq, wresp := modbusPkt(writeReq, true, 2, 3), modbusPkt(writeRsp, false, 3, 4)
	inv := NewInventory(InventoryConfig{Next: o})
	e2 := New(Config{Observer: inv})
	testkit.ZeroAllocs(t, []testkit.AllocCase{
		{Name: "read request and response through an Observer", Fn: func() { e.Packet(req); e.Packet(resp) }},
		{Name: "write request and response through an Observer", Fn: func() { e.Packet(wreq); e.Packet(wresp) }},
		{Name: "read and write through an Inventory", Fn: func() { e2.Packet(req); e2.Packet(resp); e2.Packet(wreq); e2.Packet(wresp) }},
	})
}

// TestEngineModbusDeviceID joins a Read Device Identification answered in
// two responses (MoreFollows, NextObject) into one identity, and keeps a
// private object's bytes.
func TestEngineModbusDeviceID(t *testing.T) {
	var rec recorder
	e := New(Config{Observer: &rec})
	// Request regular identification from object 0; the response has
	// objects 0 and 1 and asks for object 2 next.
	e.Packet(modbusPkt(testkit.Hex("0010 0000 0005 01 2b 0e 02 00"), true, 0, 1))
	e.Packet(modbusPkt(testkit.Hex("0010 0000 0016 01 2b 0e 02 02 ff 02 02 00 05 41 63 6d 65 20 01 05 50 43 2d 31 30"), false, 1, 2))
	assert.Empty(t, rec.identities, "the identity waits for the rest")
	e.Packet(modbusPkt(testkit.Hex("0011 0000 0005 01 2b 0e 02 02"), true, 2, 3))
	e.Packet(modbusPkt(testkit.Hex("0011 0000 0014 01 2b 0e 02 02 00 00 02 02 04 76 31 2e 32 80 03 01 02 ff"), false, 3, 4))
	require.Len(t, rec.identities, 1)
	id := rec.identities[0]
	assert.Equal(t, "unit 1", id.Module)
	var got []string
	for _, a := range id.Attrs {
		got = append(got, a.Field.String()+"="+a.Value+"@"+strconv.FormatUint(a.Frame, 10))
	}
	assert.Equal(t, []string{"other=regular (stream access)@2", "vendor=Acme@2", "product_code=PC-10@2", "firmware=v1.2@4", "other=...@4"}, got)
	assert.Equal(t, []byte{1, 2, 0xff}, id.Attrs[4].Raw)
	assert.Len(t, rec.ops, 2)
	assert.Equal(t, ActionReadIdentity, rec.ops[0].Action)
}
