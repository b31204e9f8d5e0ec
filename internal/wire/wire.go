// Package wire is the bounded byte reader shared by every icsdissect protocol
// package.
//
// A [Reader] is a byte slice that consumes itself: each read takes bytes off
// its front and reports with a bool whether enough bytes were there. A short
// read consumes nothing, writes nothing and never panics, so parsers can chain
// reads and test once. Length-prefixed or counted sections are cut out with
// [Reader.Sub], which hands back a child Reader that cannot read past the
// section, whatever the section's contents claim.
//
// Nothing in this package allocates. Slices returned by [Reader.Bytes] and
// [Reader.Rest] alias the input.
package wire

// Reader reads big- and little-endian integers and byte views from the front
// of a byte slice, consuming what it reads.
type Reader []byte

// Len reports how many bytes are left.
func (r *Reader) Len() int { return len(*r) }

// Empty reports whether no bytes are left.
func (r *Reader) Empty() bool { return len(*r) == 0 }

// Rest returns the unread bytes and leaves the Reader empty.
func (r *Reader) Rest() []byte {
	b := *r
	*r = b[len(b):]
	return b
}

// Skip drops n bytes. It reports false, dropping nothing, when fewer than n
// bytes are left or n is negative.
func (r *Reader) Skip(n int) bool {
	if n < 0 || n > len(*r) {
		return false
	}
	*r = (*r)[n:]
	return true
}

// Bytes sets *out to a view of the next n bytes and consumes them. The view
// aliases the input and has its capacity clipped to n, so appending to it
// cannot overwrite the bytes that follow.
func (r *Reader) Bytes(out *[]byte, n int) bool {
	if n < 0 || n > len(*r) {
		return false
	}
	b := *r
	*out = b[:n:n]
	*r = b[n:]
	return true
}

// Sub sets *out to a child Reader over the next n bytes and consumes them from
// r. The child cannot read beyond those n bytes.
func (r *Reader) Sub(out *Reader, n int) bool {
	if n < 0 || n > len(*r) {
		return false
	}
	b := *r
	*out = Reader(b[:n:n])
	*r = b[n:]
	return true
}

// Peek returns the byte at offset i without consuming anything; ok is false
// when i is out of range.
func (r *Reader) Peek(i int) (v byte, ok bool) {
	if i < 0 || i >= len(*r) {
		return 0, false
	}
	return (*r)[i], true
}

// U8 reads one byte.
func (r *Reader) U8(out *uint8) bool {
	b := *r
	if len(b) < 1 {
		return false
	}
	*out = b[0]
	*r = b[1:]
	return true
}

// U16 reads a big-endian uint16.
func (r *Reader) U16(out *uint16) bool {
	b := *r
	if len(b) < 2 {
		return false
	}
	*out = uint16(b[0])<<8 | uint16(b[1])
	*r = b[2:]
	return true
}

// U16LE reads a little-endian uint16.
func (r *Reader) U16LE(out *uint16) bool {
	b := *r
	if len(b) < 2 {
		return false
	}
	*out = uint16(b[1])<<8 | uint16(b[0])
	*r = b[2:]
	return true
}

// U24 reads a big-endian 24-bit unsigned integer into a uint32.
func (r *Reader) U24(out *uint32) bool {
	b := *r
	if len(b) < 3 {
		return false
	}
	*out = uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2])
	*r = b[3:]
	return true
}

// U24LE reads a little-endian 24-bit unsigned integer into a uint32.
func (r *Reader) U24LE(out *uint32) bool {
	b := *r
	if len(b) < 3 {
		return false
	}
	*out = uint32(b[2])<<16 | uint32(b[1])<<8 | uint32(b[0])
	*r = b[3:]
	return true
}

// U32 reads a big-endian uint32.
func (r *Reader) U32(out *uint32) bool {
	b := *r
	if len(b) < 4 {
		return false
	}
	*out = BE32(b)
	*r = b[4:]
	return true
}

// U32LE reads a little-endian uint32.
func (r *Reader) U32LE(out *uint32) bool {
	b := *r
	if len(b) < 4 {
		return false
	}
	*out = LE32(b)
	*r = b[4:]
	return true
}

// U48LE reads a little-endian 48-bit unsigned integer into a uint64
// (DNP3 timestamps).
func (r *Reader) U48LE(out *uint64) bool {
	b := *r
	if len(b) < 6 {
		return false
	}
	*out = uint64(LE32(b)) | uint64(b[4])<<32 | uint64(b[5])<<40
	*r = b[6:]
	return true
}

// U64 reads a big-endian uint64.
func (r *Reader) U64(out *uint64) bool {
	b := *r
	if len(b) < 8 {
		return false
	}
	*out = uint64(BE32(b))<<32 | uint64(BE32(b[4:]))
	*r = b[8:]
	return true
}

// U64LE reads a little-endian uint64.
func (r *Reader) U64LE(out *uint64) bool {
	b := *r
	if len(b) < 8 {
		return false
	}
	*out = uint64(LE32(b)) | uint64(LE32(b[4:]))<<32
	*r = b[8:]
	return true
}

// BE16 decodes a big-endian uint16 from the first two bytes of b, which the
// caller has bounds-checked.
func BE16(b []byte) uint16 {
	_ = b[1]
	return uint16(b[0])<<8 | uint16(b[1])
}

// LE16 decodes a little-endian uint16 from the first two bytes of b, which the
// caller has bounds-checked.
func LE16(b []byte) uint16 {
	_ = b[1]
	return uint16(b[1])<<8 | uint16(b[0])
}

// BE32 decodes a big-endian uint32 from the first four bytes of b, which the
// caller has bounds-checked.
func BE32(b []byte) uint32 {
	_ = b[3]
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// LE32 decodes a little-endian uint32 from the first four bytes of b, which
// the caller has bounds-checked.
func LE32(b []byte) uint32 {
	_ = b[3]
	return uint32(b[3])<<24 | uint32(b[2])<<16 | uint32(b[1])<<8 | uint32(b[0])
}
