package pcapx

import (
	"bytes"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/require"
)

// manyFlowPackets returns rounds Modbus requests on each of n flows, every
// flow in turn (so that no flow's record stays in the caches), with the
// packets of the synthetic capture mixed in.
func manyFlowPackets(t *testing.T, n, rounds int) [][]byte {
	g := newSegmenter(502, 12)
	synth, _ := loadBytes(t, syntheticCapture())
	var pkts [][]byte
	for r := range rounds {
		for i := range n {
			pkts = append(pkts, bytes.Clone(g.segment(i, uint32(1+12*r), modbusADU(uint16(r)))))
			if k := len(pkts) / 97; len(pkts)%97 == 0 && k < len(synth) {
				pkts = append(pkts, synth[k].data)
			}
		}
	}
	return pkts
}

// TestReadAheadSame: with a flow table large enough that Packets and the
// workers prefetch its entries, Packets in batches of any size decodes as
// Packet does one packet at a time, and two workers as one Decoder.
func TestReadAheadSame(t *testing.T) {
	const flows = 3 * prefetchFlows
	pkts := manyFlowPackets(t, flows, 3)
	var mu sync.Mutex
	var got []string
	cfg := Config{MaxFlows: 2 * flows, Handler: func(p *PDU) error {
		mu.Lock()
		got = append(got, pduLine(p))
		mu.Unlock()
		return nil
	}}

	d := NewDecoder(cfg)
	for i, p := range pkts {
		require.NoError(t, d.Packet(ci(i), p))
	}
	require.NoError(t, d.Flush())
	want, wantSt := got, d.Stats()
	require.GreaterOrEqual(t, wantSt.PeakFlows, flows)
	require.Equal(t, uint64(0), wantSt.Malformed)

	got = nil
	d = NewDecoder(cfg)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < len(pkts); {
		n := min(len(pkts)-i, 1+rng.IntN(150))
		batch := make([]Packet, n)
		for j := range batch {
			batch[j] = Packet{Data: pkts[i+j], Time: ci(i + j).Timestamp, LinkType: layers.LinkTypeEthernet}
		}
		require.NoError(t, d.Packets(batch))
		i += n
	}
	require.NoError(t, d.Flush())
	require.Empty(t, cmp.Diff(want, got), "Packets against Packet")
	require.Equal(t, wantSt, d.Stats())

	// A file, read by one Decoder (through Packets once the table is
	// large) and by two workers (each with more than prefetchFlows flows).
	file := pcapFile(layers.LinkTypeEthernet, pkts...)
	byFlow := func(workers int) (map[FlowKey][]string, Stats) {
		m := map[FlowKey][]string{}
		c := cfg
		c.Workers = workers
		c.Handler = func(p *PDU) error {
			mu.Lock()
			m[p.Flow] = append(m[p.Flow], pduLine(p))
			mu.Unlock()
			return nil
		}
		st, err := Read(bytes.NewReader(file), c)
		require.NoError(t, err)
		return m, st
	}
	one, st1 := byFlow(1)
	two, st2 := byFlow(2)
	require.Len(t, one, len(two))
	require.Empty(t, cmp.Diff(one, two), "two workers against one")
	require.Equal(t, st1.Decoded, st2.Decoded)
	require.Equal(t, st1.Protocols, st2.Protocols)
	require.Equal(t, wantSt.Decoded, st1.Decoded)
}
