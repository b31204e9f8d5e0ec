package pcapx

import (
	"encoding/binary"
	"runtime"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// segmenter builds TCP segments of many flows in one buffer: flow i is
// client 10.x.y.z:40000 to 10.0.0.2 on port.
type segmenter struct {
	buf  []byte
	port uint16
}

func newSegmenter(port uint16, payload int) *segmenter {
	g := &segmenter{buf: make([]byte, 14+20+20+payload), port: port}
	b := g.buf
	copy(b, []byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0})
	ip := b[14:]
	ip[0], ip[8], ip[9] = 0x45, 64, 6
	binary.BigEndian.PutUint16(ip[2:], uint16(len(ip)))
	copy(ip[16:20], []byte{10, 0, 0, 2})
	tcp := ip[20:]
	binary.BigEndian.PutUint16(tcp[0:], 40000)
	binary.BigEndian.PutUint16(tcp[2:], port)
	tcp[12], tcp[13] = 5<<4, 0x18
	return g
}

// segment returns the packet of flow i at sequence number seq with the
// given payload (which must have the segmenter's size).
func (g *segmenter) segment(i int, seq uint32, payload []byte) []byte {
	ip := g.buf[14:]
	copy(ip[12:16], []byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
	binary.BigEndian.PutUint32(ip[24:], seq)
	copy(ip[40:], payload)
	return g.buf
}

// TestBudgetManyPartialPDUs: 16,384 EtherNet/IP flows each send 64 KB of
// a PDU that never completes (1 GiB in all). The bytes buffered stay
// within the memory budget throughout, drops are counted, the heap stays
// near the budget and the flow table, and the buffers go back when the
// flows end.
func TestBudgetManyPartialPDUs(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 1 GiB")
	}
	const flows, seg, segs = 16384, 1400, 46
	d := NewDecoder(Config{})
	g := newSegmenter(44818, seg)
	first := make([]byte, seg) // a SendRRData header announcing 65000 bytes
	first[0], first[1] = 0x6f, 0
	binary.LittleEndian.PutUint16(first[2:], 65000)
	rest := make([]byte, seg)
	ts := time.Unix(1700000000, 0)
	var peakHeap uint64
	for r := range segs {
		p := rest
		if r == 0 {
			p = first
		}
		for i := range flows {
			ts = ts.Add(time.Microsecond)
			d.Packet(gopacket.CaptureInfo{Timestamp: ts}, g.segment(i, uint32(1+r*seg), p))
		}
		st := d.Stats()
		require.LessOrEqual(t, st.Buffered+st.Pooled, st.MemoryBudget, "round %d", r)
		if r == segs/2 || r == segs-1 {
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peakHeap = max(peakHeap, ms.HeapInuse)
		}
	}
	st := d.Stats()
	ps := st.Protocols[ENIP]
	t.Logf("budget %d, peak %d, held %d, drops %d (%d bytes), table %d bytes, heap in use %d",
		st.MemoryBudget, st.BufferedPeak, st.Buffered, ps.BudgetDrops, ps.BudgetDropBytes, st.TableBytes, peakHeap)
	assert.Equal(t, DefaultMemoryBudget, st.MemoryBudget)
	assert.LessOrEqual(t, st.BufferedPeak, st.MemoryBudget)
	assert.NotZero(t, ps.BudgetDrops)
	assert.Equal(t, flows, st.ActiveFlows)
	assert.Less(t, peakHeap, uint64(st.MemoryBudget+st.TableBytes+32<<20), "heap in use")
	require.NoError(t, d.Flush())
	st = d.Stats()
	assert.Zero(t, st.Buffered, "buffers go back when flows end")
	assert.LessOrEqual(t, st.Pooled, st.MemoryBudget)
	assert.Zero(t, st.ActiveFlows)
	checkStats(t, st)
}

// TestBudgetOldestFirst: with a small budget, the partial PDUs that went
// longest without growing are dropped first, counted, and their next PDU
// comes after a gap; the others complete.
func TestBudgetOldestFirst(t *testing.T) {
	var r recorder
	d := NewDecoder(Config{Handler: r.handle, Split: lenSplit, MemoryBudget: MinMemoryBudget, MaxPDU: 1 << 18})
	// lenSplit PDUs are at most 256 bytes: use a Split whose PDUs have a
	// 3-byte length instead.
	d.cfg.Split = func(p Protocol, data []byte, atEOF bool) (int, []byte, error) {
		if len(data) < 3 {
			return 0, nil, nil
		}
		n := 3 + (int(data[0])<<16 | int(data[1])<<8 | int(data[2]))
		if len(data) < n {
			if atEOF {
				return len(data), nil, nil
			}
			return 0, nil, nil
		}
		return n, data[:n], nil
	}
	const size = 100_000 // each flow's PDU, in 100 segments
	g := newSegmenter(502, 1000)
	chunk := make([]byte, 1000)
	head := make([]byte, 1000)
	n := size - 3
	head[0], head[1], head[2] = byte(n>>16), byte(n>>8), byte(n)
	ts := time.Unix(1700000000, 0)
	send := func(i, k int) {
		p := chunk
		if k == 0 {
			p = head
		}
		ts = ts.Add(time.Millisecond)
		d.Packet(gopacket.CaptureInfo{Timestamp: ts}, g.segment(i, uint32(1+k*1000), p))
	}
	// Flows 0..6 each buffer 90 KB, in order: seven 128 KiB buffers, most
	// of the budget.
	for i := range 7 {
		for k := range 90 {
			send(i, k)
		}
	}
	require.Zero(t, d.Stats().Protocols[Modbus].BudgetDrops)
	// Flow 7 needs room while its buffer moves to the 128 KiB class (both
	// are held for the copy): the oldest, flow 0, loses its bytes.
	for k := range 90 {
		send(7, k)
	}
	st := d.Stats()
	ps := st.Protocols[Modbus]
	require.Equal(t, uint64(1), ps.BudgetDrops)
	assert.LessOrEqual(t, st.BufferedPeak, st.MemoryBudget)
	// The rest of every PDU: the flows that kept their bytes complete.
	for i := range 8 {
		for k := 90; k < 100; k++ {
			send(i, k)
		}
	}
	require.NoError(t, d.Flush())
	complete := map[int]bool{}
	for _, p := range r.pdus {
		if len(p.Data) == size {
			complete[int(p.Flow.Client.Addr().As4()[3])] = true
		}
	}
	assert.False(t, complete[0], "the oldest partial PDU was dropped")
	for i := 1; i < 8; i++ {
		assert.True(t, complete[i], "flow %d completes", i)
	}
	st = d.Stats()
	assert.Zero(t, st.Buffered)
	assert.LessOrEqual(t, st.Pooled, st.MemoryBudget)
	checkStats(t, st)
}
