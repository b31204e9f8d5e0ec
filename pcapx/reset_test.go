package pcapx

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestResetAllocs: after a first pass over a capture, Reset and the same
// pass again allocate nothing, from the first repeat on; nor does a pass
// over another capture that needs no more flows or buffered bytes at once
// (here: the first capture's packets in another order of flows, and a
// smaller capture).
func TestResetAllocs(t *testing.T) {
	for _, c := range []struct{ first, second string }{
		{"s7comm/gymgit-wincc_s400_production.pcapng", "s7comm/gymgit-tia_s300_goOnline.pcapng"},
		{"mixed/zeek-modbusBig.pcap", "modbus/arkime-modbus.pcap"},
		{"enip/cipdip-baseline_churn_adapter.pcap", "enip/cipdip-baseline_mixed_adapter.pcap"},
		{"iec104/iti-iec104-TestDissectIec104.pcap", "iec104/iti-iec104-TestDissectIec104.pcap"},
	} {
		a, _ := loadCapture(t, captureFile(t, c.first))
		b, _ := loadCapture(t, captureFile(t, c.second))
		for _, cfg := range []Config{{}, {MaxOutOfOrder: 16}} {
			cfg.Handler = func(p *PDU) error { return nil }
			d := NewDecoder(cfg)
			pass := func(pkts []memPacket) {
				d.Reset()
				for i := range pkts {
					d.PacketLinkType(pkts[i].lt, pkts[i].ci, pkts[i].data)
				}
				d.Flush()
			}
			pass(a)
			pass(b)
			// Each repeat is measured on its own (testing.AllocsPerRun
			// would run it once unmeasured first): the first after the
			// warm passes must already be free of allocations.
			for k := range 3 {
				assert.Zero(t, mallocs(func() { pass(a) }), "%s, repeat %d after Reset (MaxOutOfOrder %d)", c.first, k, cfg.MaxOutOfOrder)
				assert.Zero(t, mallocs(func() { pass(b) }), "%s after %s, repeat %d (MaxOutOfOrder %d)", c.second, c.first, k, cfg.MaxOutOfOrder)
			}
			assert.Zero(t, testing.AllocsPerRun(5, func() { pass(a) }))
		}
	}
}

// TestResetAllocsCorpus: the whole corpus as one input (flows that end
// with a candidate kept, out-of-window segments, gaps): after a first
// pass, Reset and the same pass again allocate nothing. Flows that Reset
// ended while they held a candidate once lost their stream state to the
// garbage collector, and each later pass allocated it again.
func TestResetAllocsCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("whole corpus")
	}
	var all []memPacket
	for _, name := range hCorpus(t) {
		p, _ := loadCapture(t, name)
		all = append(all, p...)
	}
	d := NewDecoder(Config{Handler: func(p *PDU) error { return nil }})
	pass := func() {
		d.Reset()
		for i := range all {
			d.PacketLinkType(all[i].lt, all[i].ci, all[i].data)
		}
		d.Flush()
	}
	pass()
	for k := range 2 {
		assert.Zero(t, mallocs(pass), "pass %d after Reset", k+1)
	}
}

// mallocs returns the number of allocations one call of f makes.
func mallocs(f func()) uint64 {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	f()
	runtime.ReadMemStats(&m1)
	return m1.Mallocs - m0.Mallocs
}
