package pcapx

import (
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/require"
)

// quietSource returns its packets, then reports itself idle (as a live
// capture does when the network is quiet) until check passes or a few
// seconds go by, then ends.
type quietSource struct {
	pkts  [][]byte
	i     int
	check func() bool
	ok    bool
	until time.Time
}

func (s *quietSource) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	for {
		data, ci, err := s.readOrIdle()
		if err != errIdle {
			return data, ci, err
		}
	}
}

func (s *quietSource) readOrIdle() ([]byte, gopacket.CaptureInfo, error) {
	if s.i < len(s.pkts) {
		s.i++
		return s.pkts[s.i-1], ci(s.i), nil
	}
	if s.until.IsZero() {
		s.until = time.Now().Add(5 * time.Second)
	}
	if s.ok = s.check(); s.ok || time.Now().After(s.until) {
		return nil, gopacket.CaptureInfo{}, io.EOF
	}
	time.Sleep(time.Millisecond)
	return nil, gopacket.CaptureInfo{}, errIdle
}

// TestIdleDelivers: when a live source goes quiet, every PDU of the
// packets read so far is delivered before the next packet comes, with one
// Decoder whose table is large enough to read ahead in batches and with
// workers (whose batches would otherwise wait to fill), and the workers
// Sync for the frames read.
func TestIdleDelivers(t *testing.T) {
	pkts := manyFlowPackets(t, prefetchFlows+1000, 1)
	want := 0
	{
		d := NewDecoder(Config{MaxFlows: 2 * prefetchFlows, Handler: func(*PDU) error { want++; return nil }})
		for i, p := range pkts {
			require.NoError(t, d.Packet(ci(i), p))
		}
	}
	for _, workers := range []int{1, 2} {
		var n, synced atomic.Int64
		cfg := Config{MaxFlows: 2 * prefetchFlows, Workers: workers, LinkType: layers.LinkTypeEthernet, LinkTypeSet: true,
			Handler: func(*PDU) error { n.Add(1); return nil }}
		if workers > 1 {
			cfg.Sync = func(w, frame int) {
				if frame == len(pkts) {
					synced.Add(1)
				}
			}
		}
		src := &quietSource{pkts: pkts, check: func() bool {
			return n.Load() == int64(want) && (workers == 1 || synced.Load() == int64(workers))
		}}
		d := NewDecoder(cfg)
		require.NoError(t, d.ReadSource(src))
		require.True(t, src.ok, "workers=%d: %d of %d PDUs and %d Syncs before the source ended", workers, n.Load(), want, synced.Load())
	}
}
