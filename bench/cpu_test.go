package bench

import (
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// processCPU returns the CPU time of the whole process in ns: every
// thread, the garbage collector's included, or 0 where it is unknown.
func processCPU() int64 {
	return int64(testkit.CPUTime())
}

// reportProcessCPU, called after the timed loop with the processCPU value
// read before it, reports proc-cpu-ns/op: the CPU time the whole process
// spent per op, which counts the garbage collection an allocating decoder
// causes on other threads (wall time misses the part that runs on another
// core while the benchmark runs).
func reportProcessCPU(b *testing.B, start int64) {
	if start == 0 {
		return
	}
	b.ReportMetric(float64(processCPU()-start)/float64(b.N), "proc-cpu-ns/op")
}
