//go:build unix

package testkit

import (
	"syscall"
	"time"
)

// CPUTime returns the CPU time (user plus system) the whole process has used,
// every thread and the garbage collector included, or 0 where the system does
// not say. Benchmarks report it per op next to wall time, which on a shared
// machine also counts time other processes ran.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
