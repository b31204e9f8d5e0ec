package dnp3

// AppendLinkFrame appends to dst a link frame with header fields from h
// (its Length is computed) carrying userData (at most MaxUserData octets:
// the transport octet and application bytes), with the header CRC and one
// CRC per 16-octet block. It returns dst unchanged when userData is too
// long. It allocates only when dst lacks capacity.
func AppendLinkFrame(dst []byte, ctl Control, dstAddr, srcAddr uint16, userData []byte) []byte {
	if len(userData) > MaxUserData {
		return dst
	}
	start := len(dst)
	dst = append(dst, 0x05, 0x64, byte(5+len(userData)), byte(ctl),
		byte(dstAddr), byte(dstAddr>>8), byte(srcAddr), byte(srcAddr>>8))
	c := CRC(dst[start:])
	dst = append(dst, byte(c), byte(c>>8))
	for len(userData) > 0 {
		k := min(len(userData), blockLen)
		c := CRC(userData[:k])
		dst = append(dst, userData[:k]...)
		dst = append(dst, byte(c), byte(c>>8))
		userData = userData[k:]
	}
	return dst
}
