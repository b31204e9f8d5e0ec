package s7comm

import "github.com/icsdissect/icsdissect/internal/wire"

// Protocol identifiers carried after COTP.
const (
	ProtocolS7     = 0x32
	ProtocolS7Plus = 0x72
)

// Kind says what a COTP TPDU carries.
type Kind uint8

// Kinds of COTP payload.
const (
	// KindNone: a TPDU without user data (CR, CC, DR, AK, an empty DT ...).
	KindNone Kind = iota
	// KindS7: an S7comm PDU (protocol id 0x32), in [Frame.PDU].
	KindS7
	// KindS7Plus: an S7comm-plus PDU (protocol id 0x72), see [Frame.Plus].
	KindS7Plus
	// KindFragment: a DT without the EOT bit, part of a longer message
	// (a [Conn] reassembles them).
	KindFragment
	// KindOther: user data that is neither S7comm nor S7comm-plus.
	KindOther
)

func (k Kind) name() string {
	switch k {
	case KindNone:
		return "none"
	case KindS7:
		return "s7comm"
	case KindS7Plus:
		return "s7comm-plus"
	case KindFragment:
		return "fragment"
	case KindOther:
		return "other"
	}
	return ""
}

// Known reports whether k is one of the kinds above.
func (k Kind) Known() bool { return k.name() != "" }

// String names the kind ("s7comm"), or "kind 0x07".
func (k Kind) String() string { return enumText(k.name(), "kind", uint32(k), 2) }

// AppendText appends String's text to b. It does not allocate.
func (k Kind) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, k.name(), "kind", uint32(k), 2), nil
}

// Frame is one decoded TPKT packet: TPKT, COTP and, for a complete data
// TPDU, the S7comm or S7comm-plus PDU. It is a small value; its byte
// slices alias the input (or, in a [Message], the [Conn]'s buffers).
type Frame struct {
	// TPKTVersion is 3; TPKTLength counts the whole packet.
	TPKTVersion  uint8
	TPKTReserved uint8
	TPKTLength   uint16
	// COTP is the transport header.
	COTP COTP
	// Kind says what the COTP user data is.
	Kind Kind
	// PDU is the S7comm PDU when Kind is KindS7.
	PDU PDU
	// Anomalies collects oddities of every layer.
	Anomalies Anomaly

	// reassembled is the joined COTP payload when a Conn reassembled DT
	// TPDUs.
	reassembled []byte
}

// Parse decodes one TPKT packet from the front of b (as cut by [Split]) and
// returns the frame and the number of bytes it used. A COTP data TPDU with
// the EOT bit set is decoded as S7comm or S7comm-plus; without it the frame
// has Kind KindFragment (a [Conn] reassembles those).
//
// n is the TPKT length once the TPKT header is read and its length is
// possible, whatever the error after it, so that a loop can step over a
// malformed packet; ErrTruncated (the packet is not all there) and the
// errors of an unusable TPKT header come with n == 0. Parse does not
// allocate; the frame's views alias b.
func Parse(b []byte) (f Frame, n int, err error) {
	n, err = f.parse(b)
	return f, n, err
}

// Decode is Parse into an existing Frame, which it overwrites: the form for
// hot loops, as it builds the frame in place instead of returning a copy.
// It does not allocate.
func (f *Frame) Decode(b []byte) (n int, err error) {
	*f = Frame{}
	return f.parse(b)
}

// parse decodes b into the zeroed *f.
func (f *Frame) parse(b []byte) (n int, err error) {
	if len(b) < tpktHeader {
		if len(b) > 0 && b[0] != tpktVersion {
			return 0, ErrTPKT
		}
		return 0, ErrTruncated
	}
	f.TPKTVersion, f.TPKTReserved = b[0], b[1]
	f.TPKTLength = wire.BE16(b[2:])
	if f.TPKTVersion != tpktVersion {
		return 0, ErrTPKT
	}
	if f.TPKTReserved != 0 {
		f.Anomalies |= AnomalyTPKTReserved
	}
	n = int(f.TPKTLength)
	if n < minTPKT {
		if n < tpktHeader || n > len(b) {
			return 0, ErrLength
		}
		return n, ErrLength
	}
	if n > len(b) {
		return 0, ErrTruncated
	}
	c := b[tpktHeader:n]
	if c[0] == 2 && c[1] == 0xf0 {
		// Fast path: a class-0 data TPDU.
		f.COTP.LI, f.COTP.Type = 2, TPDUData
		f.COTP.TPDUNumber, f.COTP.EOT = c[2]&0x7f, c[2]&0x80 != 0
		f.COTP.Data = c[3:]
		if f.COTP.EOT && len(c) > 3 && c[3] == ProtocolS7 {
			f.Kind = KindS7
			err = parsePDU(&f.PDU, c[3:])
			f.Anomalies |= f.PDU.Anomalies
			return n, inner(err)
		}
	} else {
		var an Anomaly
		an, err = parseCOTP(&f.COTP, c)
		f.Anomalies |= an
		if err != nil {
			return n, inner(err)
		}
	}
	return n, inner(f.decodePayload(f.COTP.Data))
}

// inner maps the error of a layer inside a whole TPKT packet: a header cut
// short there is a bad length, not a need for more bytes.
func inner(err error) error {
	if err == ErrTruncated {
		return ErrLength
	}
	return err
}

// decodePayload decodes the COTP user data of a DT TPDU.
func (f *Frame) decodePayload(data []byte) error {
	f.Kind = KindNone
	if f.COTP.Type != TPDUData || len(data) == 0 {
		return nil
	}
	if !f.COTP.EOT {
		f.Kind = KindFragment
		return nil
	}
	switch data[0] {
	case ProtocolS7:
		f.Kind = KindS7
		f.PDU = PDU{}
		err := parsePDU(&f.PDU, data)
		f.Anomalies |= f.PDU.Anomalies
		return err
	case ProtocolS7Plus:
		f.Kind = KindS7Plus
		h, err := ParsePlus(data)
		f.Anomalies |= h.Anomalies
		return err
	}
	f.Kind = KindOther
	f.Anomalies |= AnomalyProtocolID
	return nil
}

// Plus returns the S7comm-plus header of a frame of Kind KindS7Plus,
// decoded from the COTP data on each call. It does not allocate.
func (f *Frame) Plus() (PlusHeader, bool) {
	if f.Kind != KindS7Plus {
		return PlusHeader{}, false
	}
	h, err := ParsePlus(f.payload())
	return h, err == nil
}

// payload returns the COTP user data the frame's PDU was decoded from.
func (f *Frame) payload() []byte {
	if f.reassembled != nil {
		return f.reassembled
	}
	return f.COTP.Data
}

// Header is the S7comm header.
type Header struct {
	ProtocolID   uint8
	ROSCTR       ROSCTR
	RedundancyID uint16
	PDURef       uint16
	ParamLen     uint16
	DataLen      uint16
	// ErrorClass and ErrorCode are present in Ack and AckData only
	// (HasError).
	ErrorClass uint8
	ErrorCode  uint8
	HasError   bool
}

// PDU is a decoded S7comm PDU: header plus parameter and data views.
type PDU struct {
	Header
	// Param and Data are the parameter and data parts, cut to the lengths
	// in the header (or to what is present, with AnomalyLength).
	Param []byte
	Data  []byte
	// Anomalies seen in the header and in decoded parts.
	Anomalies Anomaly

	// ud overrides the userdata payload after reassembly.
	ud      []byte
	udState uint8
	udFrags uint16
}

// userdata reassembly states
const (
	udPlain uint8 = iota
	udFragment
	udReassembled
)

// ParsePDU decodes an S7comm PDU (starting with protocol id 0x32) without
// TPKT/COTP. Parameter and data parts longer than the bytes present are cut
// and flagged with AnomalyLength. It does not allocate.
func ParsePDU(b []byte) (p PDU, err error) {
	err = parsePDU(&p, b)
	return p, err
}

// parsePDU decodes into a zeroed *p. The header's fields and the
// anomalies are kept in locals and the views cut from b directly, so that
// each field of *p is stored once.
func parsePDU(p *PDU, b []byte) error {
	if len(b) < 10 {
		return ErrTruncated
	}
	ros := ROSCTR(b[1])
	pl, dl := wire.BE16(b[6:]), wire.BE16(b[8:])
	p.ProtocolID, p.ROSCTR = b[0], ros
	p.RedundancyID, p.PDURef = wire.BE16(b[2:]), wire.BE16(b[4:])
	p.ParamLen, p.DataLen = pl, dl
	if b[0] != ProtocolS7 {
		return ErrProtocolID
	}
	r := b[10:]
	var an Anomaly
	switch ros {
	case Ack, AckData:
		if len(r) < 2 {
			return ErrTruncated
		}
		p.ErrorClass, p.ErrorCode, p.HasError = r[0], r[1], true
		r = r[2:]
	case Job, Userdata:
	default:
		an |= AnomalyROSCTR
	}
	if b[2] != 0 || b[3] != 0 {
		an |= AnomalyReserved
	}
	// The parameter and data parts, or what is left of them.
	var param, data []byte
	if int(pl) <= len(r) {
		param, r = r[:pl:pl], r[pl:]
	} else {
		param, r = r, r[len(r):]
		an |= AnomalyLength
	}
	if int(dl) <= len(r) {
		data, r = r[:dl:dl], r[dl:]
	} else {
		data, r = r, r[len(r):]
		an |= AnomalyLength
	}
	if len(r) != 0 {
		an |= AnomalyLength
	}
	p.Param, p.Data = param, data
	if (ros == Job || ros == AckData) && len(param) > 0 {
		switch f := Function(param[0]); {
		case !f.Known():
			an |= AnomalyFunction
		case f == FuncSetupComm && len(param) < 8,
			(f == FuncReadVar || f == FuncWriteVar) && len(param) < 2:
			an |= AnomalyLength
		}
	}
	if ros == Userdata && len(param) >= 7 {
		if g := FuncGroup(param[5] & 0x0f); !g.Known() {
			an |= AnomalyFuncGroup
		} else if !subfuncKnown(g, param[6]) {
			an |= AnomalySubfunction
		}
	}
	p.Anomalies |= an
	return nil
}

// Function returns the function code of a Job or AckData parameter.
func (p *PDU) Function() (Function, bool) {
	if (p.ROSCTR != Job && p.ROSCTR != AckData) || len(p.Param) == 0 {
		return 0, false
	}
	return Function(p.Param[0]), true
}

// ItemCount returns the item count of a read or write var parameter.
func (p *PDU) ItemCount() (int, bool) {
	f, ok := p.Function()
	if !ok || (f != FuncReadVar && f != FuncWriteVar) || len(p.Param) < 2 {
		return 0, false
	}
	return int(p.Param[1]), true
}

// SetupComm is the setup-communication parameter.
type SetupComm struct {
	Reserved      uint8
	MaxAmQCalling uint16
	MaxAmQCalled  uint16
	PDULength     uint16
	// Fields counts the fields present (4 in a well-formed parameter; a
	// short parameter sets the leading ones only).
	Fields uint8
}

// SetupComm returns the setup-communication parameter of a job or its
// ack-data; ok is false when it is not one or is cut short, in which case
// the fields present are still set (see Fields). It does not allocate.
func (p *PDU) SetupComm() (s SetupComm, ok bool) {
	f, isFn := p.Function()
	if !isFn || f != FuncSetupComm {
		return s, false
	}
	r := wire.Reader(p.Param[1:])
	if !r.U8(&s.Reserved) {
		return s, false
	}
	s.Fields++
	if !r.U16(&s.MaxAmQCalling) {
		return s, false
	}
	s.Fields++
	if !r.U16(&s.MaxAmQCalled) {
		return s, false
	}
	s.Fields++
	if !r.U16(&s.PDULength) {
		return s, false
	}
	s.Fields++
	return s, true
}

// Items returns a cursor over the variable specifications of a read or
// write var job. It does not allocate.
func (p *PDU) Items() Items {
	f, ok := p.Function()
	if !ok || p.ROSCTR != Job || (f != FuncReadVar && f != FuncWriteVar) || len(p.Param) < 2 {
		return Items{done: true}
	}
	return Items{r: p.Param[2:], left: int(p.Param[1])}
}

// DataItems returns a cursor over the data items of a read var ack-data or a
// write var job. It does not allocate.
func (p *PDU) DataItems() DataItems {
	if !p.hasDataItems() {
		return DataItems{done: true}
	}
	n := int(p.Param[1])
	return DataItems{r: p.Data, left: n, count: n}
}

// hasDataItems reports whether the data part holds read or write data items.
func (p *PDU) hasDataItems() bool {
	if len(p.Param) < 2 {
		return false
	}
	f := Function(p.Param[0])
	return (p.ROSCTR == AckData && f == FuncReadVar) || (p.ROSCTR == Job && f == FuncWriteVar)
}

// WriteResults returns the per-item return codes of a write var ack-data.
func (p *PDU) WriteResults() (ReturnCodes, bool) {
	f, ok := p.Function()
	if !ok || p.ROSCTR != AckData || f != FuncWriteVar || len(p.Param) < 2 {
		return nil, false
	}
	n := int(p.Param[1])
	if n > len(p.Data) {
		n = len(p.Data)
	}
	return ReturnCodes(p.Data[:n:n]), true
}

// ReturnCodes is a list of one-byte item return codes.
type ReturnCodes []byte

// Len returns the number of codes.
func (rc ReturnCodes) Len() int { return len(rc) }

// At returns the i-th code; ok is false when i is out of range.
func (rc ReturnCodes) At(i int) (code ReturnCode, ok bool) {
	if i < 0 || i >= len(rc) {
		return 0, false
	}
	return ReturnCode(rc[i]), true
}

// All yields each code with its index:
//
//	for i, code := range rc.All { ... }
func (rc ReturnCodes) All(yield func(int, ReturnCode) bool) {
	for i, c := range rc {
		if !yield(i, ReturnCode(c)) {
			return
		}
	}
}

// FunctionStatus returns the function status byte that follows the
// function code in the parameter of a block transfer, PI service or PLC
// stop job or ack-data (bit 0: more data follows, bit 1: error).
func (p *PDU) FunctionStatus() (uint8, bool) {
	f, ok := p.Function()
	if !ok || len(p.Param) < 2 {
		return 0, false
	}
	switch {
	case f >= FuncRequestDownload && f <= FuncEndUpload, f == FuncPIService, f == FuncPLCStop:
		return p.Param[1], true
	}
	return 0, false
}
