package pcapx

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// step is one packet of a TCP assembly test: a segment from the client
// (toSrv) or the server at a sequence number relative to that side's ISN.
type step struct {
	acked   bool
	ackn    uint32
	toSrv   bool
	seq     uint32
	flags   uint8
	payload []byte
}

const (
	cISN = 1_000_000
	sISN = 4_294_967_000 // wraps around during the tests
)

func c(seq uint32, payload ...[]byte) step {
	return step{toSrv: true, seq: seq, flags: fACK | fPSH, payload: bytes.Join(payload, nil)}
}

func s(seq uint32, payload ...[]byte) step {
	return step{toSrv: false, seq: seq, flags: fACK | fPSH, payload: bytes.Join(payload, nil)}
}

func (st step) with(flags uint8) step { st.flags = flags; return st }

// ack sets the acknowledgment number, relative to the other side's ISN.
func (st step) ack(n uint32) step { st.acked, st.ackn = true, n; return st }

// run feeds steps to a decoder with the test Split on Modbus's port and
// returns the PDUs as "frame:dir:len[:gap]" strings.
func run(t *testing.T, cfg Config, steps []step) (string, Stats) {
	t.Helper()
	var r recorder
	cfg.Handler = r.handle
	cfg.Split = lenSplit
	d := NewDecoder(cfg)
	for i, st := range steps {
		var seg tcpSeg
		if st.toSrv {
			seg = tcpSeg{src: cli4, dst: srv4, sport: 40000, dport: 502, seq: cISN + st.seq}
		} else {
			seg = tcpSeg{src: srv4, dst: cli4, sport: 502, dport: 40000, seq: sISN + st.seq}
		}
		seg.flags, seg.payload = st.flags, st.payload
		if st.acked {
			seg.ack = sISN + st.ackn
			if !st.toSrv {
				seg.ack = cISN + st.ackn
			}
		} else {
			seg.flags &^= fACK
		}
		d.Packet(ci(i), ethIP(ipv4(seg.src, seg.dst, 6, tcpHeader(seg))))
	}
	if err := d.Flush(); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range r.pdus {
		dir := "c"
		if !p.ToServer {
			dir = "s"
		}
		e := fmt.Sprintf("%d:%s:%d", p.Frame, dir, len(p.Data)-1)
		if p.Gap {
			e += ":gap"
		}
		if !p.Time.Equal(t0.Add(time.Duration(p.Frame-1) * time.Millisecond)) {
			e += ":badtime"
		}
		out = append(out, e)
	}
	st := d.Stats()
	if st.Frames != st.Decoded+st.Malformed+st.NotOurs {
		t.Errorf("frames %d != %d+%d+%d", st.Frames, st.Decoded, st.Malformed, st.NotOurs)
	}
	return strings.Join(out, " "), st
}

func TestTCPAssembly(t *testing.T) {
	const syn, synack, fin, rst = 0x02, 0x12, 0x11, 0x14
	a, b, cc := lpdu(3, 'a'), lpdu(5, 'b'), lpdu(7, 'c')
	cases := []struct {
		name  string
		cfg   Config
		steps []step
		want  string
		check func(t *testing.T, st Stats)
	}{
		{
			name:  "handshake then one PDU each way",
			steps: []step{c(0).with(syn), s(0).with(synack), c(1, a), s(1, b)},
			want:  "3:c:3 4:s:5",
			check: func(t *testing.T, st Stats) {
				if st.NotOursBy[SkipNoPayload] != 2 || st.Decoded != 2 || st.Protocols[Modbus].Flows != 1 {
					t.Errorf("stats %+v", st)
				}
			},
		},
		{
			name:  "PDU across three segments has the last frame",
			steps: []step{c(1, cc[:2]), c(3, cc[2:5]), c(6, cc[5:])},
			want:  "3:c:7",
		},
		{
			name:  "several PDUs in one segment, in order, same frame",
			steps: []step{c(1, a, b, cc, a[:1]), c(1+4+6+8+1, a[1:])},
			want:  "1:c:3 1:c:5 1:c:7 2:c:3",
		},
		{
			name:  "retransmission dropped",
			steps: []step{c(1, a), c(1, a), c(5, b), c(5, b)},
			want:  "1:c:3 3:c:5",
			check: func(t *testing.T, st Stats) {
				if st.Protocols[Modbus].Duplicates != 2 || st.Decoded != 4 {
					t.Errorf("stats %+v", st.Protocols[Modbus])
				}
			},
		},
		{
			name:  "overlapping segment trimmed",
			steps: []step{c(1, a, b[:2]), c(5, b, cc)},
			want:  "1:c:3 2:c:5 2:c:7",
		},
		{
			name:  "gap ends the partial PDU and marks the next",
			steps: []step{c(1, a, b[:3]), c(20, cc), c(28, a)},
			want:  "1:c:3 2:c:7:gap 3:c:3",
			check: func(t *testing.T, st Stats) {
				if st.Protocols[Modbus].Gaps != 1 {
					t.Errorf("gaps %d", st.Protocols[Modbus].Gaps)
				}
			},
		},
		{
			name:  "gap into the middle of a PDU: Split resyncs",
			steps: []step{c(1, a), c(7, []byte{0xff, 0xff}, b)},
			want:  "1:c:3 2:c:5:gap",
			check: func(t *testing.T, st Stats) {
				if st.Protocols[Modbus].ResyncBytes != 2 {
					t.Errorf("resync %d", st.Protocols[Modbus].ResyncBytes)
				}
			},
		},
		{
			name:  "out of order is a gap by default; the late segment is dropped",
			steps: []step{c(1, a), c(11, cc), c(5, b)},
			want:  "1:c:3 2:c:7:gap",
		},
		{
			name:  "out of order buffered when asked",
			cfg:   Config{MaxOutOfOrder: 4},
			steps: []step{c(1, a), c(11, cc), c(5, b), c(19, a)},
			want:  "1:c:3 3:c:5 2:c:7 4:c:3",
		},
		{
			name:  "out of order: buffer full declares the gap",
			cfg:   Config{MaxOutOfOrder: 2},
			steps: []step{c(1, a), c(11, cc), c(19, a), c(23, b)},
			want:  "1:c:3 2:c:7:gap 3:c:3 4:c:5",
		},
		{
			name:  "out of order: hole never filled, flushed at end",
			cfg:   Config{MaxOutOfOrder: 4},
			steps: []step{c(1, a[:2]), c(11, cc)},
			want:  "2:c:7:gap",
		},
		{
			name:  "out of order: an ACK past the hole declares it lost",
			cfg:   Config{MaxOutOfOrder: 4},
			steps: []step{c(1, a), c(11, cc), s(1, b).ack(30), c(19, a)},
			want:  "1:c:3 2:c:7:gap 3:s:5 4:c:3",
		},
		{
			name:  "out of order: already acknowledged hole is a gap at once",
			cfg:   Config{MaxOutOfOrder: 4},
			steps: []step{s(1, b).ack(11), c(1, a), c(11, cc)},
			want:  "1:s:5 2:c:3 3:c:7:gap",
		},
		{
			name:  "out of order: an ACK below the hole keeps waiting",
			cfg:   Config{MaxOutOfOrder: 4},
			steps: []step{c(1, a), c(11, cc), s(1, b).ack(5), c(5, b)},
			want:  "1:c:3 3:s:5 4:c:5 2:c:7",
		},
		{
			name:  "mid-stream pickup",
			steps: []step{s(500, b), c(77, a)},
			want:  "1:s:5 2:c:3",
		},
		{
			name:  "FIN flushes the partial PDU with atEOF",
			steps: []step{c(1, a, b[:2]), c(7, b[2:4]).with(fin | fACK), c(7, b[2:4]).with(fin | fACK), c(10, b[4:])},
			want:  "1:c:3 2:c:3 4:c:1",
			check: func(t *testing.T, st Stats) {
				if st.Protocols[Modbus].Duplicates != 1 {
					t.Errorf("duplicates %d", st.Protocols[Modbus].Duplicates)
				}
			},
		},
		{
			name:  "RST flushes both directions",
			steps: []step{c(1, b[:3]), s(1, a[:2]), c(4).with(rst)},
			want:  "1:c:2 2:s:1",
		},
		{
			name:  "RST payload is not stream data",
			steps: []step{c(1, a), s(1, []byte("reset")).with(rst)},
			want:  "1:c:3",
			check: func(t *testing.T, st Stats) {
				if st.NotOursBy[SkipNoPayload] != 1 || st.Decoded != 1 {
					t.Errorf("stats %+v", st)
				}
			},
		},
		{
			name:  "SYN on a reused flow starts a new stream",
			steps: []step{c(1, b[:3]), c(5000).with(syn), c(5001, a)},
			want:  "1:c:2 3:c:3",
		},
		{
			name:  "retransmitted SYN keeps the stream",
			steps: []step{c(0).with(syn), c(1, b[:3]), c(0).with(syn), c(4, b[3:])},
			want:  "4:c:5",
		},
		{
			name:  "end of file flushes with atEOF in frame order",
			steps: []step{s(1, b[:3]), c(1, a[:2])},
			want:  "1:s:2 2:c:1",
		},
		{
			name:  "server sequence numbers wrap",
			steps: []step{s(290, cc), s(298, cc), s(306, cc[:3]), s(309, cc[3:])},
			want:  "1:s:7 2:s:7 4:s:7",
		},
		{
			name:  "PDU larger than MaxPDU is dropped",
			cfg:   Config{MaxPDU: 20},
			steps: []step{c(1, a), c(5, lpdu(30, 0xff)[:15]), c(20, lpdu(30, 0xff)[15:]), c(36, b)},
			want:  "1:c:3 4:c:5:gap",
			check: func(t *testing.T, st Stats) {
				if st.MalformedBy[PDUTooLarge] != 1 || st.Protocols[Modbus].Oversize != 1 {
					t.Errorf("stats %+v %+v", st.MalformedBy, st.Protocols[Modbus])
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, st := run(t, tc.cfg, tc.steps)
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if tc.check != nil {
				tc.check(t, st)
			}
		})
	}
}

// TestSplitMisbehaves: errors and impossible advances from Split count as
// malformed and make progress.
func TestSplitMisbehaves(t *testing.T) {
	calls := 0
	cfg := Config{Split: func(p Protocol, data []byte, atEOF bool) (int, []byte, error) {
		calls++
		switch data[0] {
		case 'e':
			return 0, nil, fmt.Errorf("bad")
		case 'n':
			return -1, nil, nil
		case 'b':
			return len(data) + 1, nil, nil
		case 'z':
			return 0, data[:1], nil
		}
		return 1, data[:1], nil
	}}
	var r recorder
	cfg.Handler = r.handle
	d := NewDecoder(cfg)
	pkt := func(seq uint32, payload string) []byte {
		return ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: seq, payload: []byte(payload)})))
	}
	d.Packet(ci(0), pkt(1, "xenbx"))
	d.Packet(ci(1), pkt(6, "zq"))
	st := d.Stats()
	if st.MalformedBy[SplitError] != 1 || st.Protocols[Modbus].SplitErrors != 3 || st.Protocols[Modbus].ResyncBytes != 3 {
		t.Errorf("stats %+v %+v", st.MalformedBy, st.Protocols[Modbus])
	}
	if len(r.pdus) != 3 || string(r.pdus[1].Data) != "x" || string(r.pdus[2].Data) != "z" {
		t.Errorf("pdus %d", len(r.pdus))
	}
}

// TestEviction: a full flow table evicts the least recently used flow,
// flushing it and counting it.
func TestEviction(t *testing.T) {
	var r recorder
	d := NewDecoder(Config{Handler: r.handle, Split: lenSplit, MaxFlows: 2})
	pkt := func(sport uint16, payload []byte) []byte {
		return ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: sport, dport: 502, seq: 1, payload: payload})))
	}
	d.Packet(ci(0), pkt(1, lpdu(3, 'a')[:2]))
	d.Packet(ci(1), pkt(2, lpdu(3, 'a')[:2]))
	d.Packet(ci(2), pkt(3, lpdu(3, 'a')[:2])) // evicts port 1
	d.Packet(ci(3), pkt(2, lpdu(3, 'a')[:2])) // retransmission on port 2, keeps it
	d.Packet(ci(4), pkt(4, lpdu(3, 'a')[:2])) // evicts port 3
	st := d.Stats()
	if st.Protocols[Modbus].Evicted != 2 || st.ActiveFlows != 2 || st.Protocols[Modbus].Flows != 4 {
		t.Errorf("stats %+v active %d", st.Protocols[Modbus], st.ActiveFlows)
	}
	if len(r.pdus) != 2 || r.pdus[0].Frame != 1 || r.pdus[1].Frame != 3 {
		t.Errorf("pdus %+v", r.pdus)
	}

	// Idle timeout evicts by capture time.
	r.pdus = nil
	d = NewDecoder(Config{Handler: r.handle, Split: lenSplit, IdleTimeout: time.Second})
	d.Packet(ci(0), pkt(1, lpdu(3, 'a')[:2]))
	d.Packet(ci(5000), pkt(2, lpdu(3, 'a')[:2]))
	if st := d.Stats(); st.Protocols[Modbus].Idle != 1 || st.Protocols[Modbus].Evicted != 0 || st.ActiveFlows != 1 {
		t.Errorf("idle: %+v", st.Protocols[Modbus])
	}
}

// TestReset: a reset decoder decodes the same packets the same way.
func TestReset(t *testing.T) {
	var r recorder
	d := NewDecoder(Config{Handler: r.handle, Split: lenSplit})
	pkts := [][]byte{
		ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 1, dport: 502, seq: 1, payload: lpdu(3, 'a')[:2]}))),
		ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 1, dport: 502, seq: 3, payload: lpdu(3, 'a')[2:]}))),
	}
	for i := 0; i < 2; i++ {
		d.Reset()
		r.pdus = nil
		for j, p := range pkts {
			d.Packet(ci(j), p)
		}
		if len(r.pdus) != 1 || r.pdus[0].Frame != 2 || d.Stats().Frames != 2 {
			t.Fatalf("round %d: %+v", i, r.pdus)
		}
	}
}
