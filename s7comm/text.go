package s7comm

// appendCode appends "<noun> 0x" and v in hex with digits digits, the form
// in which every enum of the package prints a value it does not know.
func appendCode(b []byte, noun string, v uint32, digits int) []byte {
	const hex = "0123456789abcdef"
	b = append(b, noun...)
	b = append(b, " 0x"...)
	for i := digits - 1; i >= 0; i-- {
		b = append(b, hex[(v>>(4*uint(i)))&0xf])
	}
	return b
}

// codeString is appendCode as a string; it allocates once, on the rare
// path of a value without a name.
func codeString(noun string, v uint32, digits int) string {
	var a [48]byte
	return string(appendCode(a[:0], noun, v, digits))
}

// enumText is the String method of every enum: the name, or the noun and
// the number.
func enumText(name, noun string, v uint32, digits int) string {
	if name != "" {
		return name
	}
	return codeString(noun, v, digits)
}

// enumAppend is the AppendText method of every enum.
func enumAppend(b []byte, name, noun string, v uint32, digits int) []byte {
	if name != "" {
		return append(b, name...)
	}
	return appendCode(b, noun, v, digits)
}
