package dnp3

// crcTables are the position tables of CRC-16/DNP (polynomial 0x3D65,
// input and output reflected, initial value 0, final XOR 0xFFFF):
// crcTables[0] is the byte-wise table, crcTables[k][i] the CRC register
// after byte i followed by k zero bytes, from a zero register.
//
// Every CRC a link frame carries starts from a zero register and covers at
// most 16 octets, and a CRC from zero is linear in its input: the register
// after octets b[0..n) is the XOR of crcTables[n-1-j][b[j]]. Each octet is
// then looked up on its own, without the chain of dependent steps of the
// byte-wise algorithm. The tables are computed once, at package
// initialisation, by crcTablesOf.
var crcTables = crcTablesOf()

func crcTablesOf() (t [blockLen][256]uint16) {
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
	for k := 1; k < len(t); k++ {
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
	for len(b) >= 16 {
		x := c ^ (uint16(b[0]) | uint16(b[1])<<8)
		c = t[15][byte(x)] ^ t[14][x>>8] ^ t[13][b[2]] ^ t[12][b[3]] ^
			t[11][b[4]] ^ t[10][b[5]] ^ t[9][b[6]] ^ t[8][b[7]] ^
			t[7][b[8]] ^ t[6][b[9]] ^ t[5][b[10]] ^ t[4][b[11]] ^
			t[3][b[12]] ^ t[2][b[13]] ^ t[1][b[14]] ^ t[0][b[15]]
		b = b[16:]
	}
	if len(b) >= 8 {
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

// crcOK reports whether the two bytes after b[:n] hold the CRC of b[:n],
// for n <= 16 (a header or a data block): a lookup per octet in the
// position tables. The caller guarantees len(b) >= n+2.
func crcOK(b []byte, n int) bool {
	t := &crcTables
	var c uint16
	for j, x := range b[:n] {
		c ^= t[(n-1-j)&(blockLen-1)][x]
	}
	return ^c == uint16(b[n])|uint16(b[n+1])<<8
}

// headerOK reports whether the last two octets of a link header hold the
// CRC of the first eight: crcOK unrolled.
func headerOK(hb *[HeaderLen]byte) bool {
	t := &crcTables
	c := t[7][hb[0]] ^ t[6][hb[1]] ^ t[5][hb[2]] ^ t[4][hb[3]] ^
		t[3][hb[4]] ^ t[2][hb[5]] ^ t[1][hb[6]] ^ t[0][hb[7]]
	return ^c == uint16(hb[8])|uint16(hb[9])<<8
}
