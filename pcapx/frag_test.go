package pcapx

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// fragments cuts an IPv4 datagram (header without options) into Ethernet
// frames of fragments whose payloads end at the given offsets (multiples
// of 8 but the last), with identification id.
func fragments(dg []byte, id uint16, ends ...int) [][]byte {
	hdr, payload := dg[:20], dg[20:]
	var out [][]byte
	off := 0
	for i, end := range ends {
		h := bytes.Clone(hdr)
		binary.BigEndian.PutUint16(h[2:], uint16(20+end-off))
		binary.BigEndian.PutUint16(h[4:], id)
		fo := uint16(off / 8)
		if i < len(ends)-1 {
			fo |= 0x2000
		}
		binary.BigEndian.PutUint16(h[6:], fo)
		out = append(out, ethIP(append(h, payload[off:end]...)))
		off = end
	}
	return out
}

func bigUDP(dport uint16, n int, v byte) ([]byte, []byte) {
	payload := bytes.Repeat([]byte{v}, n)
	payload[0] = 5
	return ipv4(cli4, srv4, 17, udpDatagram(40000, dport, payload)), payload
}

// TestReassembly: IPv4 fragments are put together and their datagram
// decoded in the frame of the last fragment to arrive; the other fragments
// count as not ours; broken datagrams are dropped and counted.
func TestReassembly(t *testing.T) {
	dg, payload := bigUDP(20000, 3000, 7)
	fr := fragments(dg, 77, 1480, 2960, 3008)
	dg2, payload2 := bigUDP(20000, 3000, 9)
	fr2 := fragments(dg2, 78, 1480, 2960, 3008)
	bad := bytes.Clone(fr[1])
	bad[len(bad)-1] ^= 0xff
	other, _ := bigUDP(80, 3000, 1)
	frOther := fragments(other, 79, 1480, 2960, 3008)
	tcpDg := ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: 1, flags: fACK, payload: modbusADU(3)}))
	frTCP := fragments(tcpDg, 80, 16, len(tcpDg)-20)

	type step struct {
		pkt []byte
		ms  int // capture time
	}
	cases := []struct {
		name        string
		steps       []step
		pdus        [][]byte // PDUs' data
		frames      []int    // and frames
		reassembled uint64
		drops       uint64
		decoded     uint64
	}{
		{"in order", []step{{fr[0], 0}, {fr[1], 1}, {fr[2], 2}}, [][]byte{payload}, []int{3}, 1, 0, 1},
		{"out of order", []step{{fr[2], 0}, {fr[0], 1}, {fr[1], 2}}, [][]byte{payload}, []int{3}, 1, 0, 1},
		{"a fragment twice", []step{{fr[0], 0}, {fr[0], 1}, {fr[1], 2}, {fr[2], 3}}, [][]byte{payload}, []int{4}, 1, 0, 1},
		{"two datagrams interleaved", []step{{fr[0], 0}, {fr2[0], 1}, {fr2[2], 2}, {fr[2], 3}, {fr2[1], 4}, {fr[1], 5}}, [][]byte{payload2, payload}, []int{5, 6}, 2, 0, 2},
		{"overlap with other bytes", []step{{fr[0], 0}, {fr[1], 1}, {bad, 2}, {fr[2], 3}}, nil, nil, 0, 2, 0},
		{"timeout", []step{{fr[0], 0}, {fr[1], 1}, {fr[2], 31000}}, nil, nil, 0, 2, 0},
		{"incomplete at the end", []step{{fr[0], 0}, {fr[2], 1}}, nil, nil, 0, 1, 0},
		{"not ours", []step{{frOther[1], 0}, {frOther[0], 1}, {frOther[2], 2}}, nil, nil, 0, 0, 0},
		{"tcp", []step{{frTCP[1], 0}, {frTCP[0], 1}}, [][]byte{modbusADU(3)}, []int{2}, 1, 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r recorder
			d := NewDecoder(Config{Handler: r.handle})
			for _, s := range c.steps {
				d.Packet(gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(s.ms) * time.Millisecond)}, s.pkt)
			}
			require.NoError(t, d.Flush())
			var data [][]byte
			var frames []int
			for _, p := range r.pdus {
				data = append(data, p.Data)
				frames = append(frames, p.Frame)
			}
			assert.Equal(t, c.pdus, data)
			assert.Equal(t, c.frames, frames)
			st := d.Stats()
			assert.Equal(t, c.reassembled, st.Reassembled, "reassembled")
			assert.Equal(t, c.drops, st.FragmentDrops, "drops")
			assert.Equal(t, c.decoded, st.Decoded, "decoded frames")
			assert.Equal(t, uint64(len(c.steps))-c.decoded, st.NotOurs, "not ours")
			checkStats(t, st)
		})
	}
}

// TestReassemblyBounds: at most 64 datagrams wait at once (the oldest is
// dropped) and their buffers stay within the memory budget; reassembly
// allocates nothing in steady state.
func TestReassemblyBounds(t *testing.T) {
	d := NewDecoder(Config{})
	dg, _ := bigUDP(20000, 3000, 7)
	for i := range maxFragDatagrams + 6 {
		d.Packet(ci(i), fragments(dg, uint16(i), 1480, 2960, 3008)[0])
	}
	st := d.Stats()
	assert.Equal(t, uint64(6), st.FragmentDrops)
	assert.LessOrEqual(t, st.Buffered+st.Pooled, st.MemoryBudget)
	require.NoError(t, d.Flush())
	st = d.Stats()
	assert.Equal(t, uint64(maxFragDatagrams+6), st.FragmentDrops)
	assert.Zero(t, st.Buffered)

	fr := fragments(dg, 1, 1480, 2960, 3008)
	n := 0
	d = NewDecoder(Config{Handler: func(p *PDU) error { n++; return nil }})
	testkit.ZeroAllocs(t, []testkit.AllocCase{{Name: "reassembly", Fn: func() {
		for i, p := range fr {
			d.Packet(ci(i), p)
		}
	}}})
	assert.NotZero(t, n)
}
