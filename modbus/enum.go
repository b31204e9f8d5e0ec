package modbus

// Helpers shared by the String and AppendText methods of this package's
// enums. Known values have constant names; unknown ones print as
// "<noun> 0x%02x" (or 0x%04x for 16-bit types), built by hand.

const hexDigits = "0123456789abcdef"

// appendUnknown appends noun, a space and v in hex with width digits.
func appendUnknown(b []byte, noun string, v uint, width int) []byte {
	b = append(b, noun...)
	b = append(b, ' ', '0', 'x')
	for i := width - 1; i >= 0; i-- {
		b = append(b, hexDigits[(v>>(4*uint(i)))&0xf])
	}
	return b
}

// unknownString is the String form of an unknown value. It allocates the
// result once; unknown values are the rare path.
func unknownString(noun string, v uint, width int) string {
	var buf [32]byte
	return string(appendUnknown(buf[:0], noun, v, width))
}

// appendName appends name when it is not empty, else the unknown form.
func appendName(b []byte, name, noun string, v uint, width int) []byte {
	if name != "" {
		return append(b, name...)
	}
	return appendUnknown(b, noun, v, width)
}
