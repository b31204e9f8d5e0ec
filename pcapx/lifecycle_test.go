package pcapx

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

var (
	macCli = [6]byte{0x02, 0xc1, 0, 0, 0, 1}
	macSrv = [6]byte{0x02, 0x5e, 0, 0, 0, 2}
)

// ethVLAN is an Ethernet frame from src to dst with 802.1Q tags carrying
// the given VLAN ids (outer first; the outer tag is QinQ when there are
// several).
func ethVLAN(src, dst [6]byte, ids []uint16, ip []byte) []byte {
	h := append(dst[:], src[:]...)
	for i, id := range ids {
		tpid := uint16(0x8100)
		if i == 0 && len(ids) > 1 {
			tpid = 0x88a8
		}
		h = binary.BigEndian.AppendUint16(h, tpid)
		h = binary.BigEndian.AppendUint16(h, 0x6000|id) // priority bits set
	}
	et := uint16(0x0800)
	if ip[0]>>4 == 6 {
		et = 0x86dd
	}
	h = binary.BigEndian.AppendUint16(h, et)
	return append(h, ip...)
}

// lifeLog records flow events and PDUs as text, and keeps a per-flow
// value in the slot: the number of the flow, counted from 1.
type lifeLog struct {
	t      *testing.T
	lines  []string
	flows  int
	events map[FlowKey]string // "se" per flow that started and ended
	cur    map[FlowKey]*int   // the slot value of each live flow
}

func newLifeLog(t *testing.T) *lifeLog {
	return &lifeLog{t: t, events: map[FlowKey]string{}, cur: map[FlowKey]*int{}}
}

func (l *lifeLog) name(k FlowKey) string {
	return fmt.Sprintf("%s/%d", k.Transport, k.Client.Port())
}

func (l *lifeLog) onFlow(e *FlowEvent) {
	require.NotNil(l.t, e.State)
	switch e.Kind {
	case FlowStart:
		require.Nil(l.t, *e.State, "a new flow's slot is empty")
		l.events[e.Flow] += "s"
		l.lines = append(l.lines, fmt.Sprintf("start %s @%d", l.name(e.Flow), e.Frame))
	case FlowEnd:
		l.events[e.Flow] += "e"
		if v, ok := (*e.State).(*int); ok {
			require.Same(l.t, l.cur[e.Flow], v, "the slot holds what the handler stored")
		}
		delete(l.cur, e.Flow)
		l.lines = append(l.lines, fmt.Sprintf("end %s %s @%d", l.name(e.Flow), e.Reason, e.Frame))
	default:
		l.t.Fatalf("event kind %v", e.Kind)
	}
}

func (l *lifeLog) handle(p *PDU) error {
	require.NotNil(l.t, p.State)
	v, _ := (*p.State).(*int)
	if v == nil {
		require.Nil(l.t, l.cur[p.Flow], "a live flow lost its slot")
		l.flows++
		v = new(int)
		*v = l.flows
		*p.State = v
		l.cur[p.Flow] = v
	}
	require.Same(l.t, l.cur[p.Flow], v, "both directions and every PDU see one slot")
	dir := "c"
	if !p.ToServer {
		dir = "s"
	}
	l.lines = append(l.lines, fmt.Sprintf("pdu %s #%d %s%d @%d", l.name(p.Flow), *v, dir, len(p.Data), p.Frame))
	return nil
}

// once checks that every flow started and ended exactly once: for each
// key (a key may be used again by a later flow), starts and ends alternate
// and the last flow ended.
func (l *lifeLog) once() {
	l.t.Helper()
	for k, ev := range l.events {
		assert.Equal(l.t, strings.Repeat("se", len(ev)/2), ev, "events of %v", k)
	}
	assert.Empty(l.t, l.cur, "flows left without an end")
}

func (l *lifeLog) String() string { return strings.Join(l.lines, "\n") }

// lifeDecoder is a Decoder for lenSplit PDUs on Modbus's ports with a
// lifeLog.
func lifeDecoder(t *testing.T, cfg Config) (*Decoder, *lifeLog) {
	l := newLifeLog(t)
	cfg.Handler, cfg.OnFlow, cfg.Split = l.handle, l.onFlow, lenSplit
	return NewDecoder(cfg), l
}

func tcpPkt(sport uint16, toSrv bool, seq uint32, flags uint8, payload []byte) []byte {
	seg := tcpSeg{src: cli4, dst: srv4, sport: sport, dport: 502, seq: seq, flags: flags, payload: payload}
	if !toSrv {
		seg = tcpSeg{src: srv4, dst: cli4, sport: 502, dport: sport, seq: seq, flags: flags, payload: payload}
	}
	return ethIP(ipv4(seg.src, seg.dst, 6, tcpHeader(seg)))
}

func udpPkt(sport uint16, toSrv bool, payload []byte) []byte {
	if toSrv {
		return ethIP(ipv4(cli4, srv4, 17, udpDatagram(sport, 502, payload)))
	}
	return ethIP(ipv4(srv4, cli4, 17, udpDatagram(502, sport, payload)))
}

// TestFlowLifecycle: each end reason fires exactly once per flow, after
// the flow's PDUs (those its end flushes included), and the slot holds the
// handler's value across both directions until then.
func TestFlowLifecycle(t *testing.T) {
	const syn, synack, fin, rst = 0x02, 0x12, 0x11, 0x14
	a := lpdu(3, 'a')
	cases := []struct {
		name string
		cfg  Config
		pkts [][]byte
		end  func(d *Decoder)
		want string
	}{
		{
			name: "fin",
			pkts: [][]byte{
				tcpPkt(1, true, 0, syn, nil),
				tcpPkt(1, false, 100, synack, nil),
				tcpPkt(1, true, 1, fACK, a),
				tcpPkt(1, false, 101, fACK, a),
				tcpPkt(1, true, 5, fin|fACK, a[:2]), // partial PDU flushed by the FIN
				tcpPkt(1, false, 105, fin|fACK, nil),
				tcpPkt(1, true, 8, fACK, nil),       // last ACK: no new flow
				tcpPkt(1, true, 5, fin|fACK, a[:2]), // retransmission after the end
			},
			want: `start tcp/1 @1
pdu tcp/1 #1 c4 @3
pdu tcp/1 #1 s4 @4
pdu tcp/1 #1 c2 @5
end tcp/1 fin @6`,
		},
		{
			name: "rst",
			pkts: [][]byte{
				tcpPkt(2, true, 1, fACK, a[:3]),
				tcpPkt(2, false, 1, fACK, a[:1]),
				tcpPkt(2, false, 2, rst, nil),
				tcpPkt(2, false, 2, rst, nil), // no flow
			},
			want: `start tcp/2 @1
pdu tcp/2 #1 c3 @1
pdu tcp/2 #1 s1 @2
end tcp/2 rst @3`,
		},
		{
			name: "idle",
			cfg:  Config{IdleTimeout: time.Second},
			pkts: [][]byte{
				tcpPkt(3, true, 1, fACK, a[:2]),
				udpPkt(4, true, a),
				nil, // 5 s pass
				tcpPkt(5, true, 1, fACK, a),
			},
			want: `start tcp/3 @1
start udp/4 @2
pdu udp/4 #1 c4 @2
pdu tcp/3 #2 c2 @1
end tcp/3 idle @3
end udp/4 idle @3
start tcp/5 @3
pdu tcp/5 #3 c4 @3
end tcp/5 end of input @3`,
		},
		{
			name: "evicted",
			cfg:  Config{MaxFlows: 1},
			pkts: [][]byte{
				udpPkt(6, true, a),
				udpPkt(6, true, a),
				tcpPkt(7, true, 1, fACK, a[:3]),
				udpPkt(6, true, a),
			},
			want: `start udp/6 @1
pdu udp/6 #1 c4 @1
pdu udp/6 #1 c4 @2
end udp/6 evicted @3
start tcp/7 @3
pdu tcp/7 #2 c3 @3
end tcp/7 evicted @4
start udp/6 @4
pdu udp/6 #3 c4 @4
end udp/6 end of input @4`,
		},
		{
			// An established flow (both directions seen) is not
			// evicted: the new flow is refused.
			name: "refused",
			cfg:  Config{MaxFlows: 1},
			pkts: [][]byte{
				udpPkt(6, true, a),
				udpPkt(6, false, a),
				tcpPkt(7, true, 1, fACK, a[:3]),
				udpPkt(6, true, a),
			},
			want: `start udp/6 @1
pdu udp/6 #1 c4 @1
pdu udp/6 #1 s4 @2
pdu udp/6 #1 c4 @4
end udp/6 end of input @4`,
		},
		{
			name: "end of input",
			pkts: [][]byte{
				tcpPkt(8, false, 1, fACK, a[:2]),
				tcpPkt(9, true, 1, fACK, a[:3]),
				tcpPkt(8, true, 1, fACK, a[:1]),
			},
			want: `start tcp/8 @1
start tcp/9 @2
pdu tcp/8 #1 s2 @1
pdu tcp/9 #2 c3 @2
pdu tcp/8 #1 c1 @3
end tcp/9 end of input @3
end tcp/8 end of input @3`,
		},
		{
			name: "reset",
			pkts: [][]byte{
				tcpPkt(10, true, 1, fACK, a[:2]),
				udpPkt(11, true, a),
			},
			end: func(d *Decoder) { d.Reset() },
			want: `start tcp/10 @1
start udp/11 @2
pdu udp/11 #1 c4 @2
end tcp/10 reset @2
end udp/11 reset @2`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, l := lifeDecoder(t, c.cfg)
			ts := 0
			for _, p := range c.pkts {
				if p == nil {
					ts += 5000
					continue
				}
				require.NoError(t, d.Packet(ci(ts), p))
				ts++
			}
			if c.end == nil {
				require.NoError(t, d.Flush())
			} else {
				c.end(d)
			}
			assert.Equal(t, c.want, l.String())
			l.once()
			assert.Zero(t, d.Stats().ActiveFlows)
			st := d.Stats()
			assert.Equal(t, st.Frames, st.Decoded+st.Malformed+st.NotOurs)
		})
	}
}

// TestFlowLifecycleFinDuplicate: bytes sent again after a FIN closed the
// flow are duplicates, not a new flow.
func TestFlowLifecycleFinDuplicate(t *testing.T) {
	d, l := lifeDecoder(t, Config{})
	a := lpdu(3, 'a')
	d.Packet(ci(0), tcpPkt(1, true, 1, fACK, a))
	d.Packet(ci(1), tcpPkt(1, true, 5, 0x11, nil))
	d.Packet(ci(2), tcpPkt(1, false, 1, 0x11, a))
	d.Packet(ci(3), tcpPkt(1, false, 1, 0x11, a)) // retransmitted FIN with data
	st := d.Stats()
	assert.Equal(t, uint64(1), st.Protocols[Modbus].Flows)
	assert.Equal(t, uint64(1), st.Protocols[Modbus].Duplicates)
	assert.Equal(t, uint64(3), st.Decoded, "the data frames count as decoded")
	d.Packet(ci(4), tcpPkt(1, false, 100, fACK, a)) // new bytes: ports reused
	require.NoError(t, d.Flush())
	assert.Equal(t, uint64(2), d.Stats().Protocols[Modbus].Flows)
	l.once()
	assert.Equal(t, "sese", l.events[FlowKey{Client: netip.AddrPortFrom(cli4, 1), Server: netip.AddrPortFrom(srv4, 502), Transport: TCP}])
}

// TestLinkFacts: PDUs carry the MAC addresses and VLAN ids of the packet
// that completed them, also when they are delivered at the end of input or
// when their flow ends, after packets of other directions and flows.
func TestLinkFacts(t *testing.T) {
	var r recorder
	d := NewDecoder(Config{Handler: r.handle, Split: lenSplit, MaxOutOfOrder: 4})
	a := lpdu(5, 'a')
	cliPkt := func(vlans []uint16, seq uint32, payload []byte) []byte {
		return ethVLAN(macCli, macSrv, vlans, ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: seq, flags: fACK, payload: payload})))
	}
	srvPkt := func(vlans []uint16, seq uint32, payload []byte) []byte {
		return ethVLAN(macSrv, macCli, vlans, ipv4(srv4, cli4, 6, tcpHeader(tcpSeg{sport: 502, dport: 40000, seq: seq, flags: fACK, payload: payload})))
	}
	d.Packet(ci(0), cliPkt([]uint16{7}, 1, a[:2]))
	d.Packet(ci(1), cliPkt([]uint16{8, 9, 10}, 3, a[2:4]))               // completes nothing yet
	d.Packet(ci(2), srvPkt([]uint16{11}, 1, a))                          // whole PDU
	d.Packet(ci(3), srvPkt(nil, 20, a[:3]))                              // out of order: waits
	d.Packet(ci(4), ethIP(ipv4(cli4, srv4, 17, udpDatagram(1, 502, a)))) // other flow
	require.NoError(t, d.Flush())
	require.Len(t, r.pdus, 4)
	type facts struct {
		Frame          int
		SrcMAC, DstMAC [6]byte
		VLAN           [2]uint16
		VLANs          int
	}
	got := make([]facts, len(r.pdus))
	for i, p := range r.pdus {
		got[i] = facts{p.Frame, p.SrcMAC, p.DstMAC, p.VLAN, p.VLANs}
	}
	ethSrc, ethDst := [6]byte{2, 0, 0, 0, 0, 1}, [6]byte{2, 0, 0, 0, 0, 2}
	assert.Equal(t, []facts{
		{3, macSrv, macCli, [2]uint16{11, 0}, 1},
		{5, ethSrc, ethDst, [2]uint16{}, 0},
		{2, macCli, macSrv, [2]uint16{8, 9}, 3}, // flushed: the packet that added its last bytes
		{4, macSrv, macCli, [2]uint16{}, 0},     // flushed after the hole
	}, got)

	// Linux cooked captures give the source address only; raw IP none.
	r.pdus = nil
	d.SetLinkType(113) // SLL
	d.Packet(ci(5), sll(0x0800, ipv4(cli4, srv4, 17, udpDatagram(1, 502, a))))
	d.SetLinkType(276) // SLL2
	d.Packet(ci(6), sll2(0x0800, ipv4(cli4, srv4, 17, udpDatagram(1, 502, a))))
	d.SetLinkType(101) // raw
	d.Packet(ci(7), ipv4(cli4, srv4, 17, udpDatagram(1, 502, a)))
	require.Len(t, r.pdus, 3)
	assert.Equal(t, [6]byte{2, 0, 0, 0, 0, 1}, r.pdus[0].SrcMAC)
	assert.Equal(t, [6]byte{2, 0, 0, 0, 0, 1}, r.pdus[1].SrcMAC)
	assert.Zero(t, r.pdus[0].DstMAC)
	assert.Zero(t, r.pdus[2].SrcMAC)
}

// slotConn is a caller's per-flow state, kept in the flow's slot and
// recycled when the flow ends.
type slotConn struct {
	pdus  int
	bytes int
}

// slotUser keeps a slotConn per flow without a map of its own, taking
// them from a free list and giving them back on FlowEnd.
type slotUser struct {
	free  []*slotConn
	made  int
	pdus  int
	ended int
}

func (u *slotUser) handle(p *PDU) error {
	c, _ := (*p.State).(*slotConn)
	if c == nil {
		if n := len(u.free); n > 0 {
			c = u.free[n-1]
			u.free = u.free[:n-1]
		} else {
			c = new(slotConn)
			u.made++
		}
		*p.State = c
	}
	c.pdus++
	c.bytes += len(p.Data)
	u.pdus++
	return nil
}

func (u *slotUser) onFlow(e *FlowEvent) {
	if e.Kind != FlowEnd {
		return
	}
	if c, ok := (*e.State).(*slotConn); ok {
		*c = slotConn{}
		u.free = append(u.free, c)
		u.ended++
	}
}

// TestSlotAllocs: a handler that keeps a pointer in the slot, with values
// recycled on FlowEnd, allocates nothing per packet or per capture in
// steady state, on hand-built and real captures.
func TestSlotAllocs(t *testing.T) {
	check := func(t *testing.T, pkts []memPacket) {
		var u slotUser
		d := NewDecoder(Config{Handler: u.handle, OnFlow: u.onFlow})
		replay(d, pkts)
		replay(d, pkts)
		require.NotZero(t, u.pdus)
		require.NotZero(t, u.ended)
		made := u.made
		i := 0
		testkit.ZeroAllocs(t, []testkit.AllocCase{
			{Name: "capture", Fn: func() { replay(d, pkts) }},
			{Name: "packet", Fn: func() {
				d.PacketLinkType(pkts[i].lt, pkts[i].ci, pkts[i].data)
				i = (i + 1) % len(pkts)
			}},
		})
		assert.Equal(t, made, u.made, "values are reused, not made anew")
	}
	t.Run("synthetic", func(t *testing.T) {
		pkts, _ := loadBytes(t, syntheticCapture())
		check(t, pkts)
	})
	for _, name := range allocCaptures[:3] {
		t.Run(name, func(t *testing.T) {
			pkts, _ := loadCapture(t, captureFile(t, name))
			check(t, pkts)
		})
	}
}

// TestEventStrings: the kinds and reasons have names.
func TestEventStrings(t *testing.T) {
	for r := EndNone; r <= NumEndReasons; r++ {
		assert.NotEmpty(t, r.String())
	}
	assert.Equal(t, "start", FlowStart.String())
	assert.Equal(t, "end", FlowEnd.String())
	assert.Equal(t, "unknown", FlowEventKind(9).String())
	assert.Equal(t, "end of input", EndInput.String())
}
