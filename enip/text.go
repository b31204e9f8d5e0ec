package enip

// Helpers for the text of enums: a known value prints its name, an unknown
// one "<noun> 0x%0Nx".

const hexDigits = "0123456789abcdef"

// appendHex appends "0x" and v in lower-case hex, zero-padded to digits.
func appendHex(b []byte, v uint64, digits int) []byte {
	b = append(b, '0', 'x')
	n := 1
	for x := v >> 4; x != 0; x >>= 4 {
		n++
	}
	if n < digits {
		n = digits
	}
	for i := n - 1; i >= 0; i-- {
		b = append(b, hexDigits[v>>(4*uint(i))&0xF])
	}
	return b
}

// appendUnknown appends "<noun> 0x%0Nx".
func appendUnknown(b []byte, noun string, v uint64, digits int) []byte {
	b = append(b, noun...)
	b = append(b, ' ')
	return appendHex(b, v, digits)
}

// unknownString returns "<noun> 0x%0Nx"; it allocates once.
func unknownString(noun string, v uint64, digits int) string {
	var buf [48]byte
	return string(appendUnknown(buf[:0], noun, v, digits))
}

// appendName appends name, or the unknown form when name is empty.
func appendName(b []byte, name, noun string, v uint64, digits int) []byte {
	if name != "" {
		return append(b, name...)
	}
	return appendUnknown(b, noun, v, digits)
}

// nameOr returns name, or the unknown form when name is empty.
func nameOr(name, noun string, v uint64, digits int) string {
	if name != "" {
		return name
	}
	return unknownString(noun, v, digits)
}

func appendUint(dst []byte, v uint64) []byte {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(dst, buf[i:]...)
}
