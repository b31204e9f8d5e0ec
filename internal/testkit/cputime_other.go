//go:build !unix

package testkit

import "time"

// CPUTime returns 0: process CPU time is read only on Unix systems.
// ReportCPU then reports nothing.
func CPUTime() time.Duration { return 0 }
