package modbus_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/icsdissect/icsdissect/internal/streamtest"
	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/pcapx"
)

// nonModbus is the capture of the corpus that carries other protocols on
// port 502 beside one Modbus connection (zeek's test of its Modbus
// analyzer): scanners' probes, one or two per connection (a DCE/RPC bind,
// an RDP connection request "Cookie: mstshash=", a TLS client hello, an
// 8-byte Read Coils without data followed by a function 0). Split cuts
// them as ADUs, as Wireshark does; Resync rightly finds nothing in them.
const nonModbus = "zeek-modbus-and-non-modbus-p502.pcap"

// fuzzMade reports whether a capture of the corpus was made by a fuzzer
// (zeek's fuzzing seeds): its transaction ids jump at random and its
// quantities break the specification, so what Resync misses there is
// logged, not an error; Split from the start of such a stream still cuts
// every ADU.
func fuzzMade(file string) bool { return strings.HasPrefix(file, "zeek-fuzz-") }

// TestResyncFindsEveryCorpusADU starts Resync at every ADU of every Modbus
// stream of the corpus (as after a gap that ends right before it): it must
// return that ADU, whole. Resync has no false negatives on real traffic.
func TestResyncFindsEveryCorpusADU(t *testing.T) {
	root, _ := filepath.Abs("..")
	dir, ok := streamtest.CapturesDir(root)
	if !ok {
		t.Skipf("capture corpus not found at %s", dir)
	}
	streams, err := streamtest.Load(dir, pcapx.Modbus, 1)
	if err != nil {
		t.Fatal(err)
	}
	adus, missed, fuzzMissed := 0, 0, 0
	for _, s := range streams {
		if s.File == nonModbus && len(s.Starts) < 3 {
			continue
		}
		for i := range s.Starts {
			a, b := s.PDU(i)
			adus++
			adv, tok, _ := modbus.Resync(s.Data[a:], true)
			if tok == nil || adv != b-a {
				if fuzzMade(s.File) {
					fuzzMissed++
					continue
				}
				missed++
				if missed <= 10 {
					t.Errorf("%s (to server %v) ADU %d at %d: Resync advances %d with a token of %d, want the ADU of %d bytes: % x",
						s.File, s.ToServer, i, a, adv, len(tok), b-a, s.Data[a:min(b, a+24)])
				}
			}
		}
	}
	if adus < 30000 {
		t.Fatalf("only %d Modbus ADUs in the corpus", adus)
	}
	t.Logf("%d streams, %d ADUs, %d missed, %d missed in fuzzer-made captures", len(streams), adus, missed, fuzzMissed)
}
