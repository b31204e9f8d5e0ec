//go:build linux && !386

package pcapx

import (
	"syscall"
	"unsafe"
)

// recvfrom is recvfrom(2) without allocating: the sender's address goes to
// sa, its length to salen.
func recvfrom(fd int, p []byte, flags int, sa unsafe.Pointer, salen *uint32) (int, syscall.Errno) {
	n, _, errno := syscall.Syscall6(syscall.SYS_RECVFROM, uintptr(fd),
		uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)), uintptr(flags),
		uintptr(sa), uintptr(unsafe.Pointer(salen)))
	return int(n), errno
}
