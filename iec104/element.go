package iec104

import "math"

// Object is one information object: its address and the octets of its
// element, decoded on demand by the typed accessors. An accessor reports
// false when the object's type has no such part. Neither Object nor its
// accessors allocate.
type Object struct {
	// IOA is the information object address.
	IOA uint32
	// Type is the ASDU's type id.
	Type TypeID
	// Raw is the element's octets, without the address.
	Raw []byte
}

// Object has at most four fields and 32 bytes so that the compiler keeps it
// in registers; the accessors look the type's layout up.

func (o Object) parts() uint16 { return o.Type.layout().parts }

// qual returns the offset of the QDS, QOS or QPM after the value.
func (o Object) qual() int { return int(o.Type.layout().qual) }

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// part returns the element's part of n octets at off when the type holds p.
func (o *Object) part(p uint16, off, n int) ([]byte, bool) {
	if o.parts()&p == 0 || len(o.Raw) < off+n {
		return nil, false
	}
	return o.Raw[off : off+n], true
}

// SIQ returns the single-point information with quality (types 1, 2, 30).
func (o Object) SIQ() (SIQ, bool) {
	b, ok := o.part(pSIQ, 0, 1)
	if !ok {
		return 0, false
	}
	return SIQ(b[0]), true
}

// DIQ returns the double-point information with quality (types 3, 4, 31).
func (o Object) DIQ() (DIQ, bool) {
	b, ok := o.part(pDIQ, 0, 1)
	if !ok {
		return 0, false
	}
	return DIQ(b[0]), true
}

// VTI returns the step position value with transient state (types 5, 6, 32).
func (o Object) VTI() (VTI, bool) {
	b, ok := o.part(pVTI, 0, 1)
	if !ok {
		return 0, false
	}
	return VTI(b[0]), true
}

// QDS returns the quality descriptor of a monitored value (types 5..14, 20,
// 32..36).
func (o Object) QDS() (QDS, bool) {
	l := o.Type.layout()
	if q := int(l.qual); l.parts&pQDS != 0 && q < len(o.Raw) {
		return QDS(o.Raw[q]), true
	}
	return 0, false
}

// BSI returns the 32-bit bitstring (types 7, 8, 33, 51, 64), its first octet
// the least significant.
func (o Object) BSI() (uint32, bool) {
	b, ok := o.part(pBSI, 0, 4)
	if !ok {
		return 0, false
	}
	return le32(b), true
}

// Normalized returns the raw normalized value (types 9, 10, 21, 34, 48, 61,
// 110); the value it stands for is n/32768, see [NormalizedValue].
func (o Object) Normalized() (int16, bool) {
	b, ok := o.part(pNVA, 0, 2)
	if !ok {
		return 0, false
	}
	return int16(le16(b)), true
}

// NormalizedValue converts a raw normalized value to its value in
// [-1, 1-2^-15]. It does not allocate.
func NormalizedValue(n int16) float32 { return float32(n) / 32768 }

// Scaled returns the scaled value (types 11, 12, 35, 49, 62, 111).
func (o Object) Scaled() (int16, bool) {
	b, ok := o.part(pSVA, 0, 2)
	if !ok {
		return 0, false
	}
	return int16(le16(b)), true
}

// Float returns the short floating point value (types 13, 14, 36, 50, 63,
// 112).
func (o Object) Float() (float32, bool) {
	if o.parts()&pFLT == 0 || len(o.Raw) < 4 {
		return 0, false
	}
	return math.Float32frombits(le32(o.Raw)), true
}

// BCR returns the binary counter reading (types 15, 16, 37).
func (o Object) BCR() (BCR, bool) {
	b, ok := o.part(pBCR, 0, 5)
	if !ok {
		return BCR{}, false
	}
	s := b[4]
	return BCR{
		Value:    int32(le32(b)),
		Seq:      s & 0x1f,
		Carry:    s&0x20 != 0,
		Adjusted: s&0x40 != 0,
		Invalid:  s&0x80 != 0,
	}, true
}

// SCD returns the packed single-point status and change detection (type 20).
func (o Object) SCD() (SCD, bool) {
	b, ok := o.part(pSCD, 0, 4)
	if !ok {
		return SCD{}, false
	}
	return SCD{Status: le16(b), Change: le16(b[2:])}, true
}

// SEP returns the single event of protection equipment (types 17, 38).
func (o Object) SEP() (SEP, bool) {
	if o.Type != M_EP_TA_1 && o.Type != M_EP_TD_1 || len(o.Raw) < 1 {
		return 0, false
	}
	return SEP(o.Raw[0]), true
}

// SPE returns the packed start events of protection equipment and their
// quality (types 18, 39).
func (o Object) SPE() (SPE, QDP, bool) {
	if o.Type != M_EP_TB_1 && o.Type != M_EP_TE_1 || len(o.Raw) < 2 {
		return 0, 0, false
	}
	return SPE(o.Raw[0]), QDP(o.Raw[1]), true
}

// OCI returns the packed output circuit information of protection equipment
// and its quality (types 19, 40).
func (o Object) OCI() (OCI, QDP, bool) {
	if o.Type != M_EP_TC_1 && o.Type != M_EP_TF_1 || len(o.Raw) < 2 {
		return 0, 0, false
	}
	return OCI(o.Raw[0]), QDP(o.Raw[1]), true
}

// CP16 returns a CP16Time2a in milliseconds: the relay duration or
// operating time of protection events (types 17..19, 38..40), the delay of
// C_CD_NA_1 (106).
func (o Object) CP16() (uint16, bool) {
	off := 2
	switch o.Type {
	case M_EP_TA_1, M_EP_TD_1:
		off = 1
	case C_CD_NA_1:
		off = 0
	case M_EP_TB_1, M_EP_TC_1, M_EP_TE_1, M_EP_TF_1:
	default:
		return 0, false
	}
	if len(o.Raw) < off+2 {
		return 0, false
	}
	return le16(o.Raw[off:]), true
}

// SCO returns the single command (types 45, 58).
func (o Object) SCO() (SCO, bool) {
	if o.Type != C_SC_NA_1 && o.Type != C_SC_TA_1 || len(o.Raw) < 1 {
		return 0, false
	}
	return SCO(o.Raw[0]), true
}

// DCO returns the double command (types 46, 59).
func (o Object) DCO() (DCO, bool) {
	if o.Type != C_DC_NA_1 && o.Type != C_DC_TA_1 || len(o.Raw) < 1 {
		return 0, false
	}
	return DCO(o.Raw[0]), true
}

// RCO returns the regulating step command (types 47, 60).
func (o Object) RCO() (RCO, bool) {
	if o.Type != C_RC_NA_1 && o.Type != C_RC_TA_1 || len(o.Raw) < 1 {
		return 0, false
	}
	return RCO(o.Raw[0]), true
}

// QOS returns the qualifier of a set point command (types 48..50, 61..63).
func (o Object) QOS() (QOS, bool) {
	switch o.Type {
	case C_SE_NA_1, C_SE_NB_1, C_SE_NC_1, C_SE_TA_1, C_SE_TB_1, C_SE_TC_1:
	default:
		return 0, false
	}
	q := o.qual()
	if q >= len(o.Raw) {
		return 0, false
	}
	return QOS(o.Raw[q]), true
}

// QPM returns the qualifier of a parameter of measured value (types
// 110..112).
func (o Object) QPM() (QPM, bool) {
	switch o.Type {
	case P_ME_NA_1, P_ME_NB_1, P_ME_NC_1:
	default:
		return 0, false
	}
	q := o.qual()
	if q >= len(o.Raw) {
		return 0, false
	}
	return QPM(o.Raw[q]), true
}

func (o *Object) single(t TypeID) (uint8, bool) {
	if o.Type != t || len(o.Raw) < 1 {
		return 0, false
	}
	return o.Raw[0], true
}

// COI returns the cause of initialisation (type 70).
func (o Object) COI() (COI, bool) { v, ok := o.single(M_EI_NA_1); return COI(v), ok }

// QOI returns the qualifier of interrogation (type 100): 20 station, 21..36
// groups 1..16.
func (o Object) QOI() (QOI, bool) { v, ok := o.single(C_IC_NA_1); return QOI(v), ok }

// QCC returns the qualifier of counter interrogation (type 101).
func (o Object) QCC() (QCC, bool) { v, ok := o.single(C_CI_NA_1); return QCC(v), ok }

// QRP returns the qualifier of reset process command (type 105).
func (o Object) QRP() (QRP, bool) { v, ok := o.single(C_RP_NA_1); return QRP(v), ok }

// QPA returns the qualifier of parameter activation (type 113).
func (o Object) QPA() (QPA, bool) { v, ok := o.single(P_AC_NA_1); return QPA(v), ok }

// TSC returns the test sequence counter (type 107).
func (o Object) TSC() (uint16, bool) {
	if o.Type != C_TS_TA_1 || len(o.Raw) < 2 {
		return 0, false
	}
	return le16(o.Raw), true
}

// FBP returns the fixed test bit pattern of C_TS_NA_1 (type 104), 0x55AA
// when well formed.
func (o Object) FBP() (uint16, bool) {
	if o.Type != C_TS_NA_1 || len(o.Raw) < 2 {
		return 0, false
	}
	return le16(o.Raw), true
}

// CP24 returns the three-octet time tag of types 2, 4, 6, 8, 10, 12, 14, 16,
// 17..19.
func (o Object) CP24() (CP24Time2a, bool) {
	if o.parts()&pCP24 == 0 || len(o.Raw) < 3 {
		return CP24Time2a{}, false
	}
	return decodeCP24(o.Raw[len(o.Raw)-3:]), true
}

// CP56 returns the seven-octet time tag that ends the element of the time
// tagged types (30..40, 58..64, 103, 107, 126). For F_SC_NB_1 use
// [Object.File].
func (o Object) CP56() (CP56Time2a, bool) {
	if o.parts()&pCP56 == 0 || o.Type == F_SC_NB_1 || len(o.Raw) < 7 {
		return CP56Time2a{}, false
	}
	return DecodeCP56(o.Raw[len(o.Raw)-7:]), true
}

// File returns the file transfer fields of types 120..127.
func (o Object) File() (File, bool) {
	if o.parts()&pFile == 0 {
		return File{}, false
	}
	b := o.Raw
	var f File
	if len(b) < 2 {
		return f, false
	}
	f.NOF = le16(b)
	b = b[2:]
	switch o.Type {
	case F_FR_NA_1: // NOF LOF FRQ
		if len(b) < 4 {
			return f, false
		}
		f.Length = uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16
		f.Qualifier = b[3]
	case F_SR_NA_1: // NOF NOS LOF SRQ
		if len(b) < 5 {
			return f, false
		}
		f.NOS = b[0]
		f.Length = uint32(b[1]) | uint32(b[2])<<8 | uint32(b[3])<<16
		f.Qualifier = b[4]
	case F_SC_NA_1, F_AF_NA_1: // NOF NOS SCQ/AFQ
		if len(b) < 2 {
			return f, false
		}
		f.NOS = b[0]
		f.Qualifier = b[1]
	case F_LS_NA_1: // NOF NOS LSQ CHS
		if len(b) < 3 {
			return f, false
		}
		f.NOS = b[0]
		f.Qualifier = b[1]
		f.Checksum = b[2]
	case F_SG_NA_1: // NOF NOS LOS segment
		if len(b) < 2 || len(b) < 2+int(b[1]) {
			return f, false
		}
		f.NOS = b[0]
		f.Length = uint32(b[1])
		f.Segment = b[2 : 2+int(b[1])]
	case F_DR_TA_1: // NOF LOF SOF CP56
		if len(b) < 11 {
			return f, false
		}
		f.Length = uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16
		f.Qualifier = b[3]
		f.Start = DecodeCP56(b[4:])
	case F_SC_NB_1: // NOF range start, range stop
		if len(b) < 14 {
			return f, false
		}
		f.Start = DecodeCP56(b)
		f.Stop = DecodeCP56(b[7:])
	}
	return f, true
}

// File holds the fields of the file transfer types. Which are set depends
// on the type: NOF always; NOS for sections and segments; Length is LOF
// (file or section length) or LOS (segment length); Qualifier is FRQ, SRQ,
// SCQ, LSQ, AFQ or SOF; Checksum is CHS of F_LS_NA_1; Segment the data of
// F_SG_NA_1 (a view); Start the directory entry time of F_DR_TA_1 and,
// with Stop, the range of F_SC_NB_1.
type File struct {
	NOF       uint16
	NOS       uint8
	Length    uint32
	Qualifier uint8
	Checksum  uint8
	Segment   []byte
	Start     CP56Time2a
	Stop      CP56Time2a
}

// SIQ is a single-point information with quality descriptor.
type SIQ uint8

func (q SIQ) SPI() bool { return q&0x01 != 0 } // on
func (q SIQ) BL() bool  { return q&0x10 != 0 } // blocked
func (q SIQ) SB() bool  { return q&0x20 != 0 } // substituted
func (q SIQ) NT() bool  { return q&0x40 != 0 } // not topical
func (q SIQ) IV() bool  { return q&0x80 != 0 } // invalid

// DIQ is a double-point information with quality descriptor.
type DIQ uint8

// DPI returns the double point state.
func (q DIQ) DPI() DoublePoint { return DoublePoint(q & 0x03) }
func (q DIQ) BL() bool         { return q&0x10 != 0 }
func (q DIQ) SB() bool         { return q&0x20 != 0 }
func (q DIQ) NT() bool         { return q&0x40 != 0 }
func (q DIQ) IV() bool         { return q&0x80 != 0 }

// QDS is the quality descriptor of measured values.
type QDS uint8

func (q QDS) OV() bool { return q&0x01 != 0 } // overflow
func (q QDS) BL() bool { return q&0x10 != 0 }
func (q QDS) SB() bool { return q&0x20 != 0 }
func (q QDS) NT() bool { return q&0x40 != 0 }
func (q QDS) IV() bool { return q&0x80 != 0 }

// QDP is the quality descriptor of protection events.
type QDP uint8

func (q QDP) EI() bool { return q&0x08 != 0 } // elapsed time invalid
func (q QDP) BL() bool { return q&0x10 != 0 }
func (q QDP) SB() bool { return q&0x20 != 0 }
func (q QDP) NT() bool { return q&0x40 != 0 }
func (q QDP) IV() bool { return q&0x80 != 0 }

// VTI is a value with transient state indication.
type VTI uint8

// Value returns the step position, -64..63.
func (v VTI) Value() int8 { return int8(v<<1) >> 1 }

// Transient reports whether the equipment is in transient state.
func (v VTI) Transient() bool { return v&0x80 != 0 }

// BCR is a binary counter reading.
type BCR struct {
	Value    int32
	Seq      uint8 // sequence number, 0..31
	Carry    bool  // CY: counter overflow
	Adjusted bool  // CA: counter adjusted
	Invalid  bool  // IV
}

// SCD is a status and status change detection of 16 packed single points.
type SCD struct {
	Status uint16 // ST: bit i is point i
	Change uint16 // CD: bit i set when point i changed
}

// SEP is a single event of protection equipment.
type SEP uint8

// ES returns the event state.
func (s SEP) ES() DoublePoint { return DoublePoint(s & 0x03) }
func (s SEP) EI() bool        { return s&0x08 != 0 }
func (s SEP) BL() bool        { return s&0x10 != 0 }
func (s SEP) SB() bool        { return s&0x20 != 0 }
func (s SEP) NT() bool        { return s&0x40 != 0 }
func (s SEP) IV() bool        { return s&0x80 != 0 }

// SPE is the start events of protection equipment: bit 0 general start, 1..3
// start of phases L1..L3, 4 earth current, 5 reverse direction.
type SPE uint8

// OCI is the output circuit information of protection equipment: bit 0
// general command, 1..3 commands to phases L1..L3.
type OCI uint8

// SCO is a single command.
type SCO uint8

// On returns the single command state (SCS).
func (c SCO) On() bool { return c&0x01 != 0 }

// QU returns the qualifier of command (5 bits; 0..3 defined).
func (c SCO) QU() CommandQualifier { return CommandQualifier(c>>2) & 0x1f }

// Select reports select (true) or execute (false).
func (c SCO) Select() bool { return c&0x80 != 0 }

// DCO is a double command.
type DCO uint8

// State returns the double command state (DCS): 1 off, 2 on, 0 and 3 not
// permitted.
func (c DCO) State() uint8         { return uint8(c) & 0x03 }
func (c DCO) QU() CommandQualifier { return CommandQualifier(c>>2) & 0x1f }
func (c DCO) Select() bool         { return c&0x80 != 0 }

// RCO is a regulating step command.
type RCO uint8

// Step returns the regulating step state (RCS): 1 next step lower, 2 next
// step higher, 0 and 3 not permitted.
func (c RCO) Step() uint8          { return uint8(c) & 0x03 }
func (c RCO) QU() CommandQualifier { return CommandQualifier(c>>2) & 0x1f }
func (c RCO) Select() bool         { return c&0x80 != 0 }

// QOS is the qualifier of a set point command.
type QOS uint8

// QL returns the qualifier (0 default).
func (q QOS) QL() uint8    { return uint8(q) & 0x7f }
func (q QOS) Select() bool { return q&0x80 != 0 }

// QPM is the qualifier of a parameter of measured value.
type QPM uint8

// KPA returns the kind of parameter.
func (q QPM) KPA() KPA { return KPA(q) & 0x3f }

// LPC reports a local parameter change.
func (q QPM) LPC() bool { return q&0x40 != 0 }

// POP reports the parameter not in operation.
func (q QPM) POP() bool { return q&0x80 != 0 }

// COI is the cause of initialisation.
type COI uint8

// Cause returns the cause of initialisation.
func (c COI) Cause() InitCause { return InitCause(c) & 0x7f }

// Changed reports initialisation after a change of local parameters.
func (c COI) Changed() bool { return c&0x80 != 0 }

// QCC is the qualifier of counter interrogation.
type QCC uint8

// RQT returns the request.
func (q QCC) RQT() CounterRequest { return CounterRequest(q) & 0x3f }

// FRZ returns the freeze.
func (q QCC) FRZ() Freeze { return Freeze(q >> 6) }
