package pcapx

import (
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFlowTable adds and removes flows at random, with keys from a small
// set so that probe runs collide and deletions shift them, and checks the
// table against a map after every step: each live flow is found, ended
// flows are not, and the index holds exactly the live flows.
func TestFlowTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var tab flowTable
	tab.init(1<<20, hashSeed{1, 2, 3, 5})
	live := map[flowKey]*flow{}
	keys := make([]flowKey, 300)
	for i := range keys {
		keys[i] = flowKey{cli: [2]uint64{uint64(i % 7), 0}, srv: [2]uint64{uint64(i / 7), 0}, ports: makePorts(uint16(i), 502, TCP, i%3 == 0)}
	}
	for step := range 200_000 {
		k := &keys[rng.IntN(len(keys))]
		h := k.hash(&tab.seed)
		f := tab.lookup(h, k)
		require.Equal(t, live[*k], f, "step %d", step)
		if f == nil {
			f = tab.add(h, k, Modbus)
			live[*k] = f
		} else if rng.IntN(2) == 0 {
			tab.remove(f)
			delete(live, *k)
		}
		if step%1000 == 0 || step > 199_000 {
			n := 0
			for _, e := range tab.idx {
				if e != 0 {
					n++
					f := tab.rec(uint32(e) - 1)
					require.True(t, f.live)
					require.Equal(t, f, tab.lookup(f.hash, &f.key))
				}
			}
			require.Equal(t, len(live), n)
			require.Equal(t, len(live), tab.n)
		}
	}
	for k, f := range live {
		require.Equal(t, f, tab.lookup(k.hash(&tab.seed), &k))
	}
}

// TestFlowKey: keys are the same in both directions, differ by every
// field, and give back the addresses.
func TestFlowKey(t *testing.T) {
	var d Decoder
	d.init(Config{})
	var a, b parsed
	d.parse(&a, 1, ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: 1, payload: []byte{1}}))))
	d.parse(&b, 1, ethIP(ipv4(srv4, cli4, 6, tcpHeader(tcpSeg{sport: 502, dport: 40000, seq: 1, payload: []byte{1}}))))
	require.True(t, a.flow && b.flow)
	assert.True(t, a.key.eq(&b.key))
	assert.Equal(t, a.hash, b.hash)
	assert.Equal(t, FlowKey{Client: mustAP("10.0.0.1:40000"), Server: mustAP("10.0.0.2:502"), Transport: TCP}, a.key.public())
	d.parse(&b, 1, ethIP(ipv6(cli6, srv6, 17, udpDatagram(40000, 502, []byte{1}))))
	assert.Equal(t, FlowKey{Client: mustAP("[2001:db8::1]:40000"), Server: mustAP("[2001:db8::2]:502"), Transport: UDP}, b.key.public())
	assert.False(t, a.key.eq(&b.key))
	for _, other := range []flowKey{
		{cli: [2]uint64{a.key.cli[0] + 1}, srv: a.key.srv, ports: a.key.ports},
		{cli: a.key.cli, srv: [2]uint64{a.key.srv[0] ^ 1<<20}, ports: a.key.ports},
		{cli: a.key.cli, srv: a.key.srv, ports: a.key.ports ^ 1<<40},
	} {
		assert.False(t, a.key.eq(&other))
		assert.NotEqual(t, a.hash, other.hash(&d.flows.seed))
	}
}

// TestTablePolicy: a full table evicts a flow that has seen one direction
// only, the least recently active of a sample; when every flow is
// established it refuses new ones, counted, and the frame is malformed.
func TestTablePolicy(t *testing.T) {
	d := NewDecoder(Config{MaxFlows: 4})
	g := newSegmenter(502, 12)
	ts := time.Unix(1700000000, 0)
	pkt := func(i int) {
		ts = ts.Add(time.Millisecond)
		d.Packet(gopacket.CaptureInfo{Timestamp: ts}, g.segment(i, 1, modbusADU(uint16(i))))
	}
	reply := func(i int) {
		ts = ts.Add(time.Millisecond)
		d.Packet(gopacket.CaptureInfo{Timestamp: ts}, ethIP(ipv4(srv4, netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}), 6,
			tcpHeader(tcpSeg{sport: 502, dport: 40000, seq: 1, payload: modbusADU(uint16(i))}))))
	}
	for i := 1; i <= 4; i++ {
		pkt(i)
	}
	reply(2)
	reply(3)
	reply(4)
	pkt(5) // evicts flow 1, the one flow not established
	st := d.Stats()
	assert.Equal(t, uint64(1), st.Protocols[Modbus].Evicted)
	reply(5)
	pkt(6) // every flow in the table is established now
	st = d.Stats()
	assert.Equal(t, uint64(1), st.Protocols[Modbus].Refused)
	assert.Equal(t, uint64(1), st.MalformedBy[FlowTableFull])
	assert.Equal(t, 4, st.ActiveFlows)
	checkStats(t, st)
}

func mustAP(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

// TestInlining asserts that the small steps of the per-packet and per-PDU
// paths stay inlinable: each one pushed over the inliner's budget costs a
// call, and the values live across it, on every packet.
func TestInlining(t *testing.T) {
	testkit.Inlinable(t,
		"(*portTable).lookup",
		"(*Decoder).setDir",
		"(*Decoder).begin",
		"(*Decoder).end",
		"(*PDU).setLink",
		"(*flowKey).eq",
	)
}
