//go:build linux

package pcapx

import (
	"syscall"
	"unsafe"
)

// sysRecvfrom is recvfrom's number for socketcall(2), through which
// linux/386 makes its socket calls.
const sysRecvfrom = 12

// recvfrom is recvfrom(2) without allocating: the sender's address goes to
// sa, its length to salen.
func recvfrom(fd int, p []byte, flags int, sa unsafe.Pointer, salen *uint32) (int, syscall.Errno) {
	args := [6]uintptr{uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)),
		uintptr(flags), uintptr(sa), uintptr(unsafe.Pointer(salen))}
	n, _, errno := syscall.Syscall(syscall.SYS_SOCKETCALL, sysRecvfrom, uintptr(unsafe.Pointer(&args)), 0)
	return int(n), errno
}
