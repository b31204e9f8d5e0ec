package bench

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"

	"github.com/icsdissect/icsdissect/internal/dissect"
	"github.com/icsdissect/icsdissect/pcapx"
)

// BenchmarkWorkers reads the mixed capture (see buildMixed) from memory
// with one Decoder's ReadCapture and 1 or 2 workers: "pcapx" with a handler
// that does nothing, "dissect" with internal/dissect's field dissection
// into a sink that drops the fields. proc-cpu-ns/pkt is the CPU time of the
// whole process per packet (every thread), ns/pkt the wall time; with two
// workers on two free cores the wall time should fall and the CPU time stay
// about the same. The Decoder is made once, as a sensor keeps one, and
// each op is one pass (after one untimed pass).
func BenchmarkWorkers(b *testing.B) {
	c := loadMixed(b)
	for _, h := range []string{"pcapx", "dissect"} {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/workers=%d", h, w), func(b *testing.B) {
				cfg := pcapx.Config{Workers: w}
				if h == "dissect" {
					newHandlers := func() (pcapx.Handler, func(*pcapx.FlowEvent)) {
						d := new(dissect.Dissector)
						var s dropSink
						return func(p *pcapx.PDU) error { d.PDU(s, p); return nil }, d.OnFlow
					}
					cfg.Handler, cfg.OnFlow = newHandlers()
					cfg.Worker = func(int) (pcapx.Handler, func(*pcapx.FlowEvent)) { return newHandlers() }
				}
				d := pcapx.NewDecoder(cfg)
				pass := func() {
					d.Reset()
					if err := d.ReadCapture(bytes.NewReader(c.file)); err != nil {
						b.Fatal(err)
					}
				}
				pass()
				runtime.GC()
				b.SetBytes(int64(len(c.file)))
				start := processCPU()
				for b.Loop() {
					pass()
				}
				n := len(c.pkts)
				b.ReportMetric(float64(processCPU()-start)/float64(b.N*n), "proc-cpu-ns/pkt")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/pkt")
				b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "pkts/s")
			})
		}
	}
}

// dropSink drops every field.
type dropSink struct{}

func (dropSink) Uint(string, uint64)   {}
func (dropSink) Int(string, int64)     {}
func (dropSink) Float(string, float64) {}
func (dropSink) Bool(string, bool)     {}
func (dropSink) Text(string, []byte)   {}
func (dropSink) Bytes(string, []byte)  {}
