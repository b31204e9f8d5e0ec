package pcapx

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestCorpusByteAccounting reads every capture of the corpus and checks,
// per protocol, that every stream byte is delivered in a PDU or dropped
// under a reason; it logs the TCP anomalies of each capture and the totals.
func TestCorpusByteAccounting(t *testing.T) {
	names, _ := filepath.Glob(filepath.Join(capturesDir, "*", "*"))
	if len(names) == 0 {
		t.Skipf("capture corpus not found at %s", capturesDir)
	}
	var tot Stats
	for _, name := range names {
		st, err := ReadFile(name, Config{})
		if err != nil && st.Frames == 0 {
			continue
		}
		line := ""
		for p := range st.Protocols {
			ps := &st.Protocols[p]
			if ps.StreamBytes != ps.StreamPDUBytes+ps.DroppedBytes() {
				t.Errorf("%s %v: stream %d != pdu %d + dropped %d", filepath.Base(name), Protocol(p), ps.StreamBytes, ps.StreamPDUBytes, ps.DroppedBytes())
			}
			for a, n := range ps.Anomalies {
				if n > 0 {
					line += fmt.Sprintf(" %v/%v=%d", Protocol(p), TCPAnomaly(a), n)
				}
			}
		}
		if line != "" {
			t.Logf("%s:%s", filepath.Base(name), line)
		}
		mergeStats(&tot, &st)
	}
	for p := range tot.Protocols {
		ps := &tot.Protocols[p]
		t.Logf("%v: stream %d pdu %d dropped %v missing %d anomalies %v gaps %d", Protocol(p), ps.StreamBytes, ps.StreamPDUBytes, ps.Dropped, ps.MissingBytes, ps.Anomalies, ps.Gaps)
	}
}
