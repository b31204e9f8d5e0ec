package dnp3

// Explain decodes the link frame at the start of b again, and the
// application fragment it carries when its transport segment is a whole
// fragment (FIR and FIN), with its object headers and objects. It returns
// nil, or a *FieldError naming the field where decoding stopped
// (Wireshark's name: dnp3.hdr.CRC, dnp3.data_chunk_crc, dnp3.al.iin,
// dnp3.al.range.stop, ...) and its offset in b. It is the slow path, for
// diagnostics: it allocates the error.
func Explain(b []byte) error {
	fe := func(err Error, field string, off int) error {
		return &FieldError{Err: err, Field: field, Offset: off}
	}
	switch {
	case len(b) >= 1 && b[0] != 0x05, len(b) >= 2 && b[1] != 0x64:
		return fe(ErrStart, "dnp3.start", 0)
	case len(b) < HeaderLen:
		name, off := headerField(len(b))
		return fe(ErrTruncated, name, off)
	case !headerOK((*[HeaderLen]byte)(b)):
		return fe(ErrHeaderCRC, "dnp3.hdr.CRC", 8)
	case b[2] < 5:
		return fe(ErrLength, "dnp3.len", 2)
	}
	// The data blocks, each with its CRC. A frame cut short is truncated
	// wherever its CRCs fail, as Parse reports it.
	cut := len(b) < FrameLen(b[2])
	p := HeaderLen
	for u := int(b[2]) - 5; u > 0; {
		k := min(u, blockLen)
		switch {
		case len(b) < p+k:
			return fe(ErrTruncated, "dnp3.data_chunk", p)
		case len(b) < p+k+2:
			return fe(ErrTruncated, "dnp3.data_chunk_crc", p+k)
		case !cut && !crcOK(b[p:], k):
			return fe(ErrCRC, "dnp3.data_chunk_crc", p+k)
		}
		p += k + 2
		u -= k
	}
	var f Frame
	f.Decode(b) // cannot fail: the checks above cover its errors
	seg := f.UserData()
	if len(seg) == 0 || TransportHeader(seg[0])&0xC0 != 0xC0 {
		return nil
	}
	// Offsets in the fragment map to the wire through the user data,
	// which has a CRC after every 16 octets.
	wire := func(frag int) int {
		u := 1 + frag
		return HeaderLen + u + 2*(u/blockLen)
	}
	frag := seg[1:]
	a, _, err := ParseFragment(frag)
	switch err {
	case nil:
	case ErrLength:
		return fe(ErrLength, "dnp3.al.func", wire(len(frag)))
	default:
		return fe(ErrTruncated, "dnp3.al.iin", wire(2))
	}
	base := len(frag) - len(a.Body)
	objs := a.Objects()
	for objs.Next() {
		h := objs.Object()
		pts := h.Points()
		for pts.Next() {
		}
		switch {
		case pts.err == 0:
		case !h.Known:
			return fe(pts.err, "dnp3.al.obj", wire(base+h.Offset))
		case pts.err == ErrUnknownObject:
			return fe(pts.err, "dnp3.al.datatype", wire(base+h.Offset+int(h.HeaderLen)+pts.pos))
		default:
			return fe(pts.err, "dnp3.al.point_index", wire(base+h.Offset+int(h.HeaderLen)+pts.pos))
		}
	}
	if objs.err == 0 {
		return nil
	}
	if h, ok := objs.Partial(); ok {
		at := base + h.Offset
		switch {
		case objs.err == ErrRange:
			return fe(ErrRange, "dnp3.al.range.stop", wire(at+3+int(h.RangeLen)/2))
		case h.HeaderLen < 3:
			return fe(ErrTruncated, "dnp3.al.objq", wire(at+int(h.HeaderLen)))
		}
		field := "dnp3.al.range.quantity"
		switch r := h.Qualifier.Range(); {
		case r <= 2:
			field = "dnp3.al.range.start"
		case r <= 5:
			field = "dnp3.al.range.abs"
		}
		return fe(ErrTruncated, field, wire(at+3))
	}
	// The header has fewer than two octets.
	return fe(objs.err, "dnp3.al.obj", wire(base+objs.off))
}

// headerField names the link header field at offset off and returns its
// start.
func headerField(off int) (string, int) {
	switch {
	case off < 2:
		return "dnp3.start", 0
	case off == 2:
		return "dnp3.len", 2
	case off == 3:
		return "dnp3.ctl", 3
	case off < 6:
		return "dnp3.dst", 4
	case off < 8:
		return "dnp3.src", 6
	}
	return "dnp3.hdr.CRC", 8
}
