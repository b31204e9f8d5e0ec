//go:build (amd64 || arm64) && !purego

package pcapx

// prefetchLines asks the processor to start loading the cache lines at the
// n addresses at p, without waiting for them: a hint that never faults,
// so stale addresses are harmless. It is written in assembly because Go
// has no prefetch instruction of its own.
//
//go:noescape
func prefetchLines(p *uintptr, n int)
