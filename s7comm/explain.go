package s7comm

// Explain decodes the TPKT packet b again, slowly, and says where decoding
// stopped: nil when b decodes without error (its read and write var items
// and data items included), else a *[FieldError] with the sentinel, the
// field (Wireshark's name where it has one) and its byte offset from the
// start of b. It is the opt-in rich error of the package and allocates.
func Explain(b []byte) error {
	var f Frame
	_, err := f.Decode(b)
	if err == nil {
		return explainItems(&f)
	}
	e, _ := err.(Error)
	fe := &FieldError{Err: e}
	switch {
	case len(b) == 0:
		fe.Field, fe.Offset = "tpkt.version", 0
	case b[0] != tpktVersion:
		fe.Field, fe.Offset = "tpkt.version", 0
	case len(b) < tpktHeader || e == ErrTruncated:
		fe.Field, fe.Offset = "tpkt.length", len(b)
	case int(f.TPKTLength) < minTPKT:
		fe.Field, fe.Offset = "tpkt.length", 2
	case e == ErrCOTP:
		fe.Field, fe.Offset = "cotp.li", tpktHeader
	default:
		fe.Field, fe.Offset = explainS7(&f)
	}
	return fe
}

// explainS7 names the S7comm or S7comm-plus header field a decoding error
// stopped at.
func explainS7(f *Frame) (string, int) {
	o := cotpDataOffset(f)
	if f.Kind == KindS7Plus {
		// The data length follows the protocol id and version; where the
		// bytes stop before it, that is where decoding stopped.
		return "s7comm.plus.datlg", o + min(2, len(f.COTP.Data))
	}
	n := len(f.COTP.Data)
	switch {
	case n < 10:
		return "s7comm.header", o + n
	case f.PDU.ROSCTR == Ack || f.PDU.ROSCTR == AckData:
		return "s7comm.header.errcls", o + 10
	}
	return "s7comm.header", o
}

// explainItems reports the first item or data item cut short.
func explainItems(f *Frame) error {
	p := &f.PDU
	if f.Kind != KindS7 {
		return nil
	}
	items := p.Items()
	for {
		before := len(items.r)
		if !items.Next() {
			if items.Err() != nil {
				off := paramOffset(f) + len(p.Param) - before
				return &FieldError{Err: ErrTruncated, Field: "s7comm.param.item", Offset: off}
			}
			break
		}
	}
	data := p.DataItems()
	for {
		before := len(data.r)
		if !data.Next() {
			break
		}
		if data.Err() != nil {
			off := paramOffset(f) + len(p.Param) + len(p.Data) - before
			return &FieldError{Err: ErrTruncated, Field: "s7comm.data.item", Offset: off}
		}
	}
	return nil
}

// cotpDataOffset returns the offset of the COTP user data in the packet:
// after the TPKT header, the length indicator and the header it counts.
func cotpDataOffset(f *Frame) int { return tpktHeader + 1 + int(f.COTP.LI) }

// paramOffset returns the offset of the S7 parameter part in the packet.
func paramOffset(f *Frame) int {
	o := cotpDataOffset(f) + 10
	if f.PDU.HasError {
		o += 2
	}
	return o
}
