//go:build (!amd64 && !arm64) || purego

package pcapx

// prefetchLines does nothing on architectures without an assembly version
// (and with the purego build tag): a prefetch is only a hint.
func prefetchLines(p *uintptr, n int) {}
