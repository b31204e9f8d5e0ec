//go:build !linux

package pcapx

import "unsafe"

// hugePages does nothing outside Linux: it is only a hint.
func hugePages(p unsafe.Pointer, n uintptr) {}
