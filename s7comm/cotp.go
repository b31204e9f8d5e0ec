package s7comm

import "github.com/icsdissect/icsdissect/internal/wire"

// COTP is a decoded COTP (ISO 8073 / X.224) TPDU header. Params and Data
// alias the input.
type COTP struct {
	// LI is the length indicator: header length without the LI byte.
	LI uint8
	// Type is the TPDU code.
	Type TPDUType
	// Credit is the low nibble of the code byte (CDT for CR, CC, AK, RJ).
	Credit uint8
	// DstRef and SrcRef are the references; SrcRef is only in CR, CC, DR
	// and DC, DstRef in all but class-0 DT.
	DstRef, SrcRef uint16
	// Class and Options are the class and option nibbles of CR and CC.
	Class, Options uint8
	// Reason is the disconnect reason of DR or the reject cause of ER.
	Reason uint8
	// TPDUNumber is the sequence number of DT, ED, AK, EA and RJ.
	TPDUNumber uint8
	// EOT is the end-of-TSDU bit of DT and ED: the last TPDU of a message.
	EOT bool
	// Params is the variable part of the header (code, length, value
	// triples); walk it with [COTP.Parameters].
	Params []byte
	// Data is the user data after the header.
	Data []byte
}

// COTP parameter codes.
const (
	ParamTPDUSize    uint8 = 0xc0
	ParamCallingTSAP uint8 = 0xc1
	ParamCalledTSAP  uint8 = 0xc2
	ParamChecksum    uint8 = 0xc3
	ParamVersion     uint8 = 0xc4
	ParamProtection  uint8 = 0xc5
	ParamAddOptions  uint8 = 0xc6
	ParamAltClasses  uint8 = 0xc7
	ParamInvalidTPDU uint8 = 0xc1 // in ER TPDUs
)

// ParseCOTP decodes a COTP TPDU from b (the TPKT payload). It does not
// allocate.
func ParseCOTP(b []byte) (COTP, Anomaly, error) {
	var c COTP
	an, err := parseCOTP(&c, b)
	return c, an, err
}

// parseCOTP decodes into a zeroed *c.
func parseCOTP(c *COTP, b []byte) (an Anomaly, err error) {
	// Fast path: the class-0 data TPDU that carries almost all traffic.
	if len(b) >= 3 && b[0] == 2 && b[1] == 0xf0 {
		c.LI, c.Type = 2, TPDUData
		c.TPDUNumber, c.EOT = b[2]&0x7f, b[2]&0x80 != 0
		c.Data = b[3:]
		return an, nil
	}
	r := wire.Reader(b)
	if !r.U8(&c.LI) {
		return an, ErrTruncated
	}
	var hdr wire.Reader
	if c.LI == 0 || !r.Sub(&hdr, int(c.LI)) {
		return an, ErrCOTP
	}
	var code uint8
	hdr.U8(&code)
	c.Type = TPDUType(code >> 4)
	c.Credit = code & 0x0f
	ok := true
	switch c.Type {
	case TPDUConnectRequest, TPDUConnectConfirm:
		var co uint8
		ok = hdr.U16(&c.DstRef) && hdr.U16(&c.SrcRef) && hdr.U8(&co)
		c.Class, c.Options = co>>4, co&0x0f
	case TPDUDisconnectReq:
		ok = hdr.U16(&c.DstRef) && hdr.U16(&c.SrcRef) && hdr.U8(&c.Reason)
	case TPDUDisconnectConf:
		ok = hdr.U16(&c.DstRef) && hdr.U16(&c.SrcRef)
	case TPDUData, TPDUExpeditedData:
		if c.Type == TPDUExpeditedData || c.LI >= 4 {
			ok = hdr.U16(&c.DstRef)
		}
		var nr uint8
		ok = ok && hdr.U8(&nr)
		c.TPDUNumber, c.EOT = nr&0x7f, nr&0x80 != 0
	case TPDUDataAck, TPDUExpeditedAck, TPDUReject:
		ok = hdr.U16(&c.DstRef) && hdr.U8(&c.TPDUNumber)
	case TPDUError:
		ok = hdr.U16(&c.DstRef) && hdr.U8(&c.Reason)
	default:
		an |= AnomalyCOTPType
	}
	if !ok {
		return an, ErrCOTP
	}
	c.Params = hdr.Rest()
	c.Data = r.Rest()
	// Check the parameters once so callers can trust the iterator.
	if len(c.Params) > 0 {
		if it := c.Parameters(); !it.valid() {
			an |= AnomalyCOTPParam
		}
	}
	return an, nil
}

// COTPParam is one parameter of the COTP variable part.
type COTPParam struct {
	Code  uint8
	Value []byte
}

// COTPParams walks the COTP variable part.
type COTPParams struct {
	r   wire.Reader
	cur COTPParam
	err error
}

// Parameters returns a cursor over c's parameters. It does not allocate.
func (c *COTP) Parameters() COTPParams { return COTPParams{r: c.Params} }

// Next advances to the next parameter and reports whether there is one.
func (it *COTPParams) Next() bool {
	if it.err != nil || it.r.Empty() {
		return false
	}
	var n uint8
	if !it.r.U8(&it.cur.Code) || !it.r.U8(&n) || !it.r.Bytes(&it.cur.Value, int(n)) {
		it.err = ErrTruncated
		return false
	}
	return true
}

// COTPParam returns the current parameter.
func (it *COTPParams) COTPParam() COTPParam { return it.cur }

// Err returns ErrTruncated when a parameter overran the header.
func (it *COTPParams) Err() error { return it.err }

func (it COTPParams) valid() bool {
	for it.Next() {
	}
	return it.err == nil
}

// Param returns the value of the first parameter with the given code.
func (c *COTP) Param(code uint8) ([]byte, bool) {
	it := c.Parameters()
	for it.Next() {
		if p := it.COTPParam(); p.Code == code {
			return p.Value, true
		}
	}
	return nil, false
}

// TPDUSize returns the maximum TPDU size in bytes from the TPDU-size
// parameter (2^value), as Wireshark's cotp.tpdu_size shows it.
func (c *COTP) TPDUSize() (int, bool) {
	v, ok := c.Param(ParamTPDUSize)
	if !ok || len(v) != 1 || v[0] > 16 {
		return 0, false
	}
	return 1 << v[0], true
}

// CallingTSAP returns the calling (source) TSAP of a CR or CC.
func (c *COTP) CallingTSAP() (TSAP, bool) {
	if c.Type != TPDUConnectRequest && c.Type != TPDUConnectConfirm {
		return nil, false
	}
	v, ok := c.Param(ParamCallingTSAP)
	return TSAP(v), ok
}

// CalledTSAP returns the called (destination) TSAP of a CR or CC.
func (c *COTP) CalledTSAP() (TSAP, bool) {
	if c.Type != TPDUConnectRequest && c.Type != TPDUConnectConfirm {
		return nil, false
	}
	v, ok := c.Param(ParamCalledTSAP)
	return TSAP(v), ok
}

// TSAP is a transport service access point as carried in COTP CR/CC.
// Siemens uses two bytes: a connection type (1 PG, 2 OP, 3 S7 basic, 0x10+
// other) and rack<<5|slot; TIA-era peers also use text TSAPs such as
// "SIMATIC-ROOT-HMI".
type TSAP []byte

// RackSlot returns the rack and slot encoded in a two-byte S7 TSAP.
func (t TSAP) RackSlot() (rack, slot uint8, ok bool) {
	if len(t) != 2 {
		return 0, 0, false
	}
	return t[1] >> 5, t[1] & 0x1f, true
}

// ConnType returns the connection type byte of a two-byte S7 TSAP.
func (t TSAP) ConnType() (uint8, bool) {
	if len(t) != 2 {
		return 0, false
	}
	return t[0], true
}

// Uint returns a TSAP of at most eight bytes as a big-endian number, the
// form in which Wireshark shows a TSAP that is not text.
func (t TSAP) Uint() (uint64, bool) {
	if len(t) == 0 || len(t) > 8 {
		return 0, false
	}
	var v uint64
	for _, c := range t {
		v = v<<8 | uint64(c)
	}
	return v, true
}

// Printable reports whether every byte is printable ASCII, in which case
// Wireshark shows the TSAP as text.
func (t TSAP) Printable() bool {
	if len(t) == 0 {
		return false
	}
	for _, c := range t {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}
