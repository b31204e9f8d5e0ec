package enip_test

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/internal/streamtest"
	"github.com/icsdissect/icsdissect/pcapx"
)

// TestFramingCorpus runs the framing over every clean EtherNet/IP TCP
// stream of the capture corpus: in step, Split cuts exactly the PDUs pcapx
// delivered; from every offset of the stream (every eighth with -short),
// as after a gap or at a capture that starts mid-stream, Resync's first PDU
// is the first real PDU at or after that offset, never a phantom, and
// never missed.
func TestFramingCorpus(t *testing.T) {
	root, _ := filepath.Abs("..")
	dir, ok := streamtest.CapturesDir(root)
	if !ok {
		t.Skipf("capture corpus not found at %s", dir)
	}
	streams, err := streamtest.Load(dir, pcapx.ENIP, 1)
	if err != nil {
		t.Fatal(err)
	}
	step := 1
	if testing.Short() {
		step = 8
	}
	const maxBytes = 200000 // per stream, cut at a PDU boundary
	var starts, pdus int
	for _, s := range streams {
		if len(s.Data) > maxBytes {
			k := sort.SearchInts(s.Starts, maxBytes)
			s.Data, s.Starts = s.Data[:s.Starts[k]], s.Starts[:k]
		}
		// In step.
		data, off := s.Data, 0
		for i := range s.Starts {
			st, en := s.PDU(i)
			adv, tok, _ := enip.Split(data, true)
			if off != st || adv != en-st || len(tok) != adv {
				t.Fatalf("%s (to server %v): PDU %d at %d: Split gave (%d, %d bytes)", s.File, s.ToServer, i, st, adv, len(tok))
			}
			data, off = data[adv:], off+adv
			pdus++
		}
		// From every offset.
		for a := 0; a < len(s.Data); a += step {
			starts++
			want := s.Starts[sort.SearchInts(s.Starts, a)%len(s.Starts)]
			if want < a {
				want = -1 // no PDU starts at or after a
			}
			got := -1
			for data, off := s.Data[a:], a; len(data) > 0; {
				adv, tok, _ := enip.Resync(data, true)
				if tok != nil {
					got = off
					break
				}
				data, off = data[adv:], off+adv
			}
			if got != want {
				t.Fatalf("%s (to server %v): from %d, Resync's first PDU is at %d, want %d", s.File, s.ToServer, a, got, want)
			}
		}
	}
	t.Logf("%d streams, %d PDUs in step, %d starting offsets", len(streams), pdus, starts)
}
