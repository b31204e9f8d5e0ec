//go:build linux

package pcapx

import (
	"syscall"
	"unsafe"
)

// hugePages asks the kernel to back the 2 MiB-aligned pages that lie
// inside the n bytes at p with transparent huge pages
// (madvise(MADV_HUGEPAGE)), so that reading a large flow table at random
// misses the TLB less. It is a hint: kernels with transparent huge pages
// turned off ignore it, and nothing depends on it.
func hugePages(p unsafe.Pointer, n uintptr) {
	const huge = 2 << 20
	start := (uintptr(p) + huge - 1) &^ (huge - 1)
	end := (uintptr(p) + n) &^ (huge - 1)
	if end <= start {
		return
	}
	_ = syscall.Madvise(unsafe.Slice((*byte)(unsafe.Add(p, start-uintptr(p))), end-start), syscall.MADV_HUGEPAGE)
}
