package dnp3

// crcTable is the byte-wise table of CRC-16/DNP (polynomial 0x3D65, input
// and output reflected, initial value 0, final XOR 0xFFFF), built at compile
// time by crcTableOf.
var crcTable = crcTableOf()

func crcTableOf() (t [256]uint16) {
	for i := range t {
		c := uint16(i)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0xA6BC // 0x3D65 reflected
			} else {
				c >>= 1
			}
		}
		t[i] = c
	}
	return t
}

// CRC returns the CRC-16/DNP of b, as DNP3 link frames carry it (least
// significant byte first on the wire). It does not allocate.
func CRC(b []byte) uint16 {
	var c uint16
	for _, x := range b {
		c = c>>8 ^ crcTable[byte(c)^x]
	}
	return ^c
}

// crcOK reports whether the two bytes after b[:n] hold the CRC of b[:n].
// The caller guarantees len(b) >= n+2.
func crcOK(b []byte, n int) bool {
	c := CRC(b[:n])
	return b[n] == byte(c) && b[n+1] == byte(c>>8)
}
