package iec104

// Error is the type of the package's sentinel errors. Its values are small
// constants, so returning one never allocates and errors.Is works with ==.
type Error uint8

// Sentinel errors.
const (
	// ErrTruncated: incomplete, more bytes are needed (fewer bytes than the
	// APDU length octet says). Parse returns it with n == 0; ASDU decoding
	// on its own returns it when the bytes are shorter than the header.
	ErrTruncated Error = 1 + iota
	// ErrStart: the first byte is not the start byte 0x68.
	ErrStart
	// ErrLength: the APDU length octet is below 4, the minimum control
	// field.
	ErrLength
	// ErrCount: the ASDU's number of objects does not fit its bytes. The
	// ASDU header is still decoded and the object cursor yields the whole
	// objects that fit.
	ErrCount
	// ErrConfig: a [Config] field size is out of range.
	ErrConfig
	// ErrShortASDU: the APDU is whole but too short for the ASDU header of
	// an I-frame (its length octet is below 4 plus the header). Parse
	// returns it with n, the APDU's length, and the header fields present
	// set.
	ErrShortASDU
	numErrors = iota
)

var errorText = [numErrors + 1]string{
	ErrTruncated: "iec104: truncated",
	ErrStart:     "iec104: missing start byte 0x68",
	ErrLength:    "iec104: APDU length below 4",
	ErrCount:     "iec104: object count does not fit the ASDU",
	ErrConfig:    "iec104: field size out of range",
	ErrShortASDU: "iec104: ASDU header cut by the APDU length",
}

// Error returns the error's text. It does not allocate.
func (e Error) Error() string {
	if int(e) < len(errorText) && errorText[e] != "" {
		return errorText[e]
	}
	return "iec104: unknown error"
}

// FieldError is the rich error of [Explain]: the sentinel, the field where
// decoding stopped (Wireshark's name: iec60870_104.* and iec60870_asdu.*)
// and the byte offset of that field in the input.
type FieldError struct {
	Err    Error
	Field  string
	Offset int
}

// Error returns "iec104: truncated: iec60870_asdu.ioa at offset 12". It
// allocates.
func (e *FieldError) Error() string {
	b := append([]byte(e.Err.Error()), ": "...)
	b = append(b, e.Field...)
	b = append(b, " at offset "...)
	b = appendUint(b, uint64(e.Offset))
	return string(b)
}

// Unwrap returns the sentinel, so that errors.Is(err, ErrCount) works.
func (e *FieldError) Unwrap() error { return e.Err }

func appendUint(b []byte, v uint64) []byte {
	var d [20]byte
	i := len(d)
	for {
		i--
		d[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, d[i:]...)
}

// Explain decodes b again, as [Parse] does, and returns nil when Parse
// accepts it, or a *[FieldError] naming the field and offset where decoding
// stopped. It is the slow path for diagnostics and may allocate.
func Explain(b []byte) error { return Config{}.Explain(b) }

// Explain is [Explain] with c's field sizes.
func (c Config) Explain(b []byte) error {
	c, err := c.norm()
	if err != nil {
		return &FieldError{Err: ErrConfig, Field: "config", Offset: 0}
	}
	fe := func(e Error, field string, off int) error { return &FieldError{Err: e, Field: field, Offset: off} }
	switch {
	case len(b) == 0:
		return fe(ErrTruncated, "iec60870_104.start", 0)
	case b[0] != StartByte:
		return fe(ErrStart, "iec60870_104.start", 0)
	case len(b) < 2:
		return fe(ErrTruncated, "iec60870_104.apdulen", 1)
	}
	// As Parse: a cut APDU first, then a length below 4.
	n := 2 + int(b[1])
	if len(b) >= n && b[1] < 4 {
		return fe(ErrLength, "iec60870_104.apdulen", 1)
	}
	if len(b) < n {
		if len(b) < HeaderLen {
			return fe(ErrTruncated, "iec60870_104.type", 2)
		}
		if b[2]&1 != 0 {
			// An S- or U-frame longer than its 4 control octets.
			return fe(ErrTruncated, "iec60870_104.data", len(b))
		}
		field, off := c.stop(b[HeaderLen:], true)
		return fe(ErrTruncated, field, HeaderLen+off)
	}
	if b[2]&1 != 0 {
		return nil
	}
	asdu := b[HeaderLen:n]
	if len(asdu) < c.headerLen() {
		field, off := c.stop(asdu, true)
		return fe(ErrShortASDU, field, HeaderLen+off)
	}
	var a ASDU
	if err := c.parseASDU(&a, asdu); err == nil {
		return nil
	}
	field, off := c.stop(asdu, false)
	return fe(ErrCount, field, HeaderLen+off)
}

// stop walks the ASDU header and objects in asdu and returns the field
// where they stop and its offset: the first header field cut, or the first
// part (address or element) of the first object that is not whole. With
// all set it walks as far as the bytes go (an APDU cut short); else it
// walks Count objects (ErrCount).
func (c Config) stop(asdu []byte, all bool) (string, int) {
	hdr := [...]struct {
		name string
		end  int
	}{
		{"iec60870_asdu.typeid", 1},
		{"iec60870_asdu.numix", 2},
		{"iec60870_asdu.causetx", 3},
		{"iec60870_asdu.oa", 4},
		{"iec60870_asdu.addr", c.headerLen()},
	}
	start := 0
	for _, h := range hdr {
		if h.name == "iec60870_asdu.oa" && c.COTSize != 2 {
			continue
		}
		if len(asdu) < h.end {
			return h.name, start
		}
		start = h.end
	}
	t := TypeID(asdu[0])
	sq := asdu[1]&0x80 != 0
	count := int(asdu[1] & 0x7f)
	if all {
		count = len(asdu) + 1 // more than can fit: walk to the cut
	}
	body := asdu[start:]
	ioa := int(c.IOASize)
	off := 0
	for i := 0; i < count; i++ {
		if i == 0 || !sq {
			if len(body)-off < ioa {
				return "iec60870_asdu.ioa", start + off
			}
			off += ioa
		}
		size := int(t.layout().size)
		if t == F_SG_NA_1 {
			if len(body)-off < 4 {
				return t.elementField(), start + off
			}
			size = 4 + int(body[off+3])
		}
		if len(body)-off < size || !t.Known() || size == 0 && all {
			return t.elementField(), start + off
		}
		off += size
	}
	return t.elementField(), start + off
}

// elementField is the Wireshark name of the first part of t's element.
func (t TypeID) elementField() string {
	p := t.layout().parts
	switch {
	case !t.Known():
		return "iec60870_asdu.rawdata"
	case p&pSIQ != 0:
		return "iec60870_asdu.siq"
	case p&pDIQ != 0:
		return "iec60870_asdu.diq"
	case p&pVTI != 0:
		return "iec60870_asdu.vti"
	case p&pBSI != 0:
		return "iec60870_asdu.bitstring"
	case p&pNVA != 0:
		return "iec60870_asdu.normval"
	case p&pSVA != 0:
		return "iec60870_asdu.scalval"
	case p&pFLT != 0:
		return "iec60870_asdu.float"
	case p&pBCR != 0:
		return "iec60870_asdu.bcr.count"
	case p&pSCD != 0:
		return "iec60870_asdu.scd"
	case p&pProt != 0:
		return "iec60870_asdu.sep"
	case p&pFile != 0:
		return "iec60870_asdu.nof"
	}
	switch t {
	case C_SC_NA_1, C_SC_TA_1:
		return "iec60870_asdu.sco"
	case C_DC_NA_1, C_DC_TA_1:
		return "iec60870_asdu.dco"
	case C_RC_NA_1, C_RC_TA_1:
		return "iec60870_asdu.rco"
	case M_EI_NA_1:
		return "iec60870_asdu.coi"
	case C_IC_NA_1:
		return "iec60870_asdu.qoi"
	case C_CI_NA_1:
		return "iec60870_asdu.qcc"
	case C_RP_NA_1:
		return "iec60870_asdu.qrp"
	case P_AC_NA_1:
		return "iec60870_asdu.qpa"
	case C_TS_NA_1:
		return "iec60870_asdu.fbp"
	case C_TS_TA_1:
		return "iec60870_asdu.tsc"
	case C_CD_NA_1:
		return "iec60870_asdu.cp16time"
	}
	return "iec60870_asdu.cp56time"
}
