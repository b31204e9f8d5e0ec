package dnp3

// crcTables are the slicing-by-8 tables of CRC-16/DNP (polynomial 0x3D65,
// input and output reflected, initial value 0, final XOR 0xFFFF):
// crcTables[0] is the byte-wise table, crcTables[k][i] the CRC of byte i
// followed by k zero bytes. They are computed once, at package
// initialisation, by crcTablesOf.
var crcTables = crcTablesOf()

func crcTablesOf() (t [8][256]uint16) {
	for i := range t[0] {
		c := uint16(i)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0xA6BC // 0x3D65 reflected
			} else {
				c >>= 1
			}
		}
		t[0][i] = c
	}
	for k := 1; k < 8; k++ {
		for i := range t[k] {
			c := t[k-1][i]
			t[k][i] = c>>8 ^ t[0][byte(c)]
		}
	}
	return t
}

// CRC returns the CRC-16/DNP of b, as DNP3 link frames carry it (least
// significant byte first on the wire). It does not allocate.
func CRC(b []byte) uint16 {
	var c uint16
	t := &crcTables
	for len(b) >= 8 {
		x := c ^ (uint16(b[0]) | uint16(b[1])<<8)
		c = t[7][byte(x)] ^ t[6][x>>8] ^ t[5][b[2]] ^ t[4][b[3]] ^
			t[3][b[4]] ^ t[2][b[5]] ^ t[1][b[6]] ^ t[0][b[7]]
		b = b[8:]
	}
	for _, x := range b {
		c = c>>8 ^ t[0][byte(c)^x]
	}
	return ^c
}

// crcOK reports whether the two bytes after b[:n] hold the CRC of b[:n].
// The caller guarantees len(b) >= n+2.
func crcOK(b []byte, n int) bool {
	c := CRC(b[:n])
	return b[n] == byte(c) && b[n+1] == byte(c>>8)
}

// blockOK reports whether the last two octets of a full data block (16
// octets and their CRC) hold the CRC of the first 16: two unrolled
// slicing-by-8 steps, without a loop.
func blockOK(b *[blockLen + 2]byte) bool {
	t := &crcTables
	x := uint16(b[0]) | uint16(b[1])<<8
	c := t[7][byte(x)] ^ t[6][x>>8] ^ t[5][b[2]] ^ t[4][b[3]] ^
		t[3][b[4]] ^ t[2][b[5]] ^ t[1][b[6]] ^ t[0][b[7]]
	x = c ^ (uint16(b[8]) | uint16(b[9])<<8)
	c = t[7][byte(x)] ^ t[6][x>>8] ^ t[5][b[10]] ^ t[4][b[11]] ^
		t[3][b[12]] ^ t[2][b[13]] ^ t[1][b[14]] ^ t[0][b[15]]
	return ^c == uint16(b[16])|uint16(b[17])<<8
}
