package iec104

// Format is the APCI frame format, numbered as Wireshark's
// iec60870_104.type: I = 0, S = 1, U = 3.
type Format uint8

// Frame formats.
const (
	FormatI Format = 0 // numbered information transfer
	FormatS Format = 1 // numbered supervisory (acknowledgement)
	FormatU Format = 3 // unnumbered control (STARTDT, STOPDT, TESTFR)
)

// Known reports whether f is I, S or U.
func (f Format) Known() bool { return f == FormatI || f == FormatS || f == FormatU }

// String returns "I", "S" or "U", or "format 0x02" for another value. It
// does not allocate for known values.
func (f Format) String() string {
	switch f {
	case FormatI:
		return "I"
	case FormatS:
		return "S"
	case FormatU:
		return "U"
	}
	return unknownString("format", uint8(f))
}

// AppendText appends the text of String to b. It allocates only if b must
// grow.
func (f Format) AppendText(b []byte) ([]byte, error) {
	if f.Known() {
		return append(b, f.String()...), nil
	}
	return appendUnknown(b, "format", uint8(f)), nil
}

// UFunction is the function of a U-frame: bits 3..8 of the first control
// octet, shifted down by two (Wireshark's iec60870_104.utype). A valid
// U-frame has exactly one bit set; other values are kept.
type UFunction uint8

// U-frame functions.
const (
	StartDTAct UFunction = 0x01
	StartDTCon UFunction = 0x02
	StopDTAct  UFunction = 0x04
	StopDTCon  UFunction = 0x08
	TestFRAct  UFunction = 0x10
	TestFRCon  UFunction = 0x20
)

var uFunctionNames = [0x21]string{
	StartDTAct: "STARTDT act", StartDTCon: "STARTDT con",
	StopDTAct: "STOPDT act", StopDTCon: "STOPDT con",
	TestFRAct: "TESTFR act", TestFRCon: "TESTFR con",
}

// Known reports whether u is one of the six functions.
func (u UFunction) Known() bool { return int(u) < len(uFunctionNames) && uFunctionNames[u] != "" }

// String returns the function's name ("STARTDT act", ...), or "function
// 0x05" for another value. It does not allocate for known values.
func (u UFunction) String() string {
	if u.Known() {
		return uFunctionNames[u]
	}
	return unknownString("function", uint8(u))
}

// AppendText appends the text of String to b. It allocates only if b must
// grow.
func (u UFunction) AppendText(b []byte) ([]byte, error) {
	if u.Known() {
		return append(b, uFunctionNames[u]...), nil
	}
	return appendUnknown(b, "function", uint8(u)), nil
}

// IsAct reports whether u is one of the three activations (STARTDT act,
// STOPDT act, TESTFR act).
func (u UFunction) IsAct() bool { return u == StartDTAct || u == StopDTAct || u == TestFRAct }

// IsCon reports whether u is one of the three confirmations.
func (u UFunction) IsCon() bool { return u == StartDTCon || u == StopDTCon || u == TestFRCon }

// Cause is the cause of transmission (6 bits; the P/N and test bits are kept
// apart in [ASDU]).
type Cause uint8

// Causes of transmission (IEC 60870-5-101 7.2.3; -104 adds none; 14..16 are
// the IEC 62351-5 security causes).
const (
	CausePeriodic        Cause = 1
	CauseBackground      Cause = 2
	CauseSpontaneous     Cause = 3
	CauseInitialized     Cause = 4
	CauseRequest         Cause = 5
	CauseActivation      Cause = 6
	CauseActivationCon   Cause = 7
	CauseDeactivation    Cause = 8
	CauseDeactivationCon Cause = 9
	CauseActivationTerm  Cause = 10
	CauseReturnRemote    Cause = 11
	CauseReturnLocal     Cause = 12
	CauseFile            Cause = 13
	CauseAuthentication  Cause = 14
	CauseSessionKey      Cause = 15
	CauseUserKey         Cause = 16
	CauseInterrogated    Cause = 20 // station interrogation; 21..36 are groups 1..16
	CauseCounterRequest  Cause = 37 // general counter request; 38..41 are groups 1..4
	CauseUnknownType     Cause = 44
	CauseUnknownCause    Cause = 45
	CauseUnknownCA       Cause = 46
	CauseUnknownIOA      Cause = 47
)

var causeNames = [48]string{
	1: "Per/Cyc", 2: "Back", 3: "Spont", 4: "Init", 5: "Req", 6: "Act", 7: "ActCon",
	8: "Deact", 9: "DeactCon", 10: "ActTerm", 11: "Retrem", 12: "Retloc", 13: "File",
	14: "Auth", 15: "Seskey", 16: "Usrkey",
	20: "Inrogen", 21: "Inro1", 22: "Inro2", 23: "Inro3", 24: "Inro4", 25: "Inro5",
	26: "Inro6", 27: "Inro7", 28: "Inro8", 29: "Inro9", 30: "Inro10", 31: "Inro11",
	32: "Inro12", 33: "Inro13", 34: "Inro14", 35: "Inro15", 36: "Inro16",
	37: "Reqcogen", 38: "Reqco1", 39: "Reqco2", 40: "Reqco3", 41: "Reqco4",
	44: "UkTypeId", 45: "UkCauseTx", 46: "UkComAdrASDU", 47: "UkIOA",
}

// Known reports whether c is a defined cause (1..16, 20..41, 44..47).
func (c Cause) Known() bool { return c < 64 && knownCauses>>c&1 != 0 }

// knownCauses has bit c set for each defined cause c (the non-empty
// entries of causeNames).
const knownCauses uint64 = 1<<17 - 1<<1 | 1<<42 - 1<<20 | 1<<48 - 1<<44

// String returns the cause's short name as Wireshark shows it ("Spont",
// "ActCon", ...), or "cause 0x3f" for an undefined value. It does not
// allocate for known values.
func (c Cause) String() string {
	if c.Known() {
		return causeNames[c]
	}
	return unknownString("cause", uint8(c))
}

// AppendText appends the text of String to b. It allocates only if b must
// grow.
func (c Cause) AppendText(b []byte) ([]byte, error) {
	if c.Known() {
		return append(b, causeNames[c]...), nil
	}
	return appendUnknown(b, "cause", uint8(c)), nil
}

// Interrogated reports whether c answers a station or group interrogation
// (20..36).
func (c Cause) Interrogated() bool { return c >= 20 && c <= 36 }

// CounterRequested reports whether c answers a counter interrogation
// (37..41).
func (c Cause) CounterRequested() bool { return c >= 37 && c <= 41 }

const hexDigits = "0123456789abcdef"

// appendUnknown appends "<noun> 0x<v>" to b.
func appendUnknown(b []byte, noun string, v uint8) []byte {
	b = append(b, noun...)
	b = append(b, " 0x"...)
	return append(b, hexDigits[v>>4], hexDigits[v&15])
}

// unknownString is the String of an unknown enum value; it allocates once.
func unknownString(noun string, v uint8) string {
	var buf [24]byte
	return string(appendUnknown(buf[:0], noun, v))
}

// TypeID is the ASDU type identification. Unknown values are kept.
type TypeID uint8

// Standard type ids of IEC 60870-5-101/104.
const (
	M_SP_NA_1 TypeID = 1   // single-point information
	M_SP_TA_1 TypeID = 2   // single-point information with CP24 time tag
	M_DP_NA_1 TypeID = 3   // double-point information
	M_DP_TA_1 TypeID = 4   // double-point information with CP24 time tag
	M_ST_NA_1 TypeID = 5   // step position information
	M_ST_TA_1 TypeID = 6   // step position information with CP24 time tag
	M_BO_NA_1 TypeID = 7   // bitstring of 32 bits
	M_BO_TA_1 TypeID = 8   // bitstring of 32 bits with CP24 time tag
	M_ME_NA_1 TypeID = 9   // measured value, normalized
	M_ME_TA_1 TypeID = 10  // measured value, normalized, CP24 time tag
	M_ME_NB_1 TypeID = 11  // measured value, scaled
	M_ME_TB_1 TypeID = 12  // measured value, scaled, CP24 time tag
	M_ME_NC_1 TypeID = 13  // measured value, short float
	M_ME_TC_1 TypeID = 14  // measured value, short float, CP24 time tag
	M_IT_NA_1 TypeID = 15  // integrated totals
	M_IT_TA_1 TypeID = 16  // integrated totals with CP24 time tag
	M_EP_TA_1 TypeID = 17  // event of protection equipment, CP24 time tag
	M_EP_TB_1 TypeID = 18  // packed start events of protection equipment, CP24
	M_EP_TC_1 TypeID = 19  // packed output circuit information, CP24
	M_PS_NA_1 TypeID = 20  // packed single-point information with status change detection
	M_ME_ND_1 TypeID = 21  // measured value, normalized, no quality descriptor
	M_SP_TB_1 TypeID = 30  // single-point information with CP56 time tag
	M_DP_TB_1 TypeID = 31  // double-point information with CP56 time tag
	M_ST_TB_1 TypeID = 32  // step position information with CP56 time tag
	M_BO_TB_1 TypeID = 33  // bitstring of 32 bits with CP56 time tag
	M_ME_TD_1 TypeID = 34  // measured value, normalized, CP56 time tag
	M_ME_TE_1 TypeID = 35  // measured value, scaled, CP56 time tag
	M_ME_TF_1 TypeID = 36  // measured value, short float, CP56 time tag
	M_IT_TB_1 TypeID = 37  // integrated totals with CP56 time tag
	M_EP_TD_1 TypeID = 38  // event of protection equipment, CP56 time tag
	M_EP_TE_1 TypeID = 39  // packed start events of protection equipment, CP56
	M_EP_TF_1 TypeID = 40  // packed output circuit information, CP56
	C_SC_NA_1 TypeID = 45  // single command
	C_DC_NA_1 TypeID = 46  // double command
	C_RC_NA_1 TypeID = 47  // regulating step command
	C_SE_NA_1 TypeID = 48  // set point command, normalized
	C_SE_NB_1 TypeID = 49  // set point command, scaled
	C_SE_NC_1 TypeID = 50  // set point command, short float
	C_BO_NA_1 TypeID = 51  // bitstring of 32 bits command
	C_SC_TA_1 TypeID = 58  // single command with CP56 time tag
	C_DC_TA_1 TypeID = 59  // double command with CP56 time tag
	C_RC_TA_1 TypeID = 60  // regulating step command with CP56 time tag
	C_SE_TA_1 TypeID = 61  // set point command, normalized, CP56 time tag
	C_SE_TB_1 TypeID = 62  // set point command, scaled, CP56 time tag
	C_SE_TC_1 TypeID = 63  // set point command, short float, CP56 time tag
	C_BO_TA_1 TypeID = 64  // bitstring of 32 bits command with CP56 time tag
	M_EI_NA_1 TypeID = 70  // end of initialisation
	C_IC_NA_1 TypeID = 100 // interrogation command
	C_CI_NA_1 TypeID = 101 // counter interrogation command
	C_RD_NA_1 TypeID = 102 // read command
	C_CS_NA_1 TypeID = 103 // clock synchronisation command
	C_TS_NA_1 TypeID = 104 // test command (IEC 101 only)
	C_RP_NA_1 TypeID = 105 // reset process command
	C_CD_NA_1 TypeID = 106 // delay acquisition command (IEC 101 only)
	C_TS_TA_1 TypeID = 107 // test command with CP56 time tag
	P_ME_NA_1 TypeID = 110 // parameter of measured value, normalized
	P_ME_NB_1 TypeID = 111 // parameter of measured value, scaled
	P_ME_NC_1 TypeID = 112 // parameter of measured value, short float
	P_AC_NA_1 TypeID = 113 // parameter activation
	F_FR_NA_1 TypeID = 120 // file ready
	F_SR_NA_1 TypeID = 121 // section ready
	F_SC_NA_1 TypeID = 122 // call directory, select file, call file, call section
	F_LS_NA_1 TypeID = 123 // last section, last segment
	F_AF_NA_1 TypeID = 124 // ack file, ack section
	F_SG_NA_1 TypeID = 125 // segment
	F_DR_TA_1 TypeID = 126 // directory
	F_SC_NB_1 TypeID = 127 // query log, request archive file
)

// Element parts, used in the layout table.
const (
	pSIQ uint16 = 1 << iota
	pDIQ
	pVTI
	pQDS
	pBSI
	pNVA
	pSVA
	pFLT
	pBCR
	pSCD
	pCP16
	pCP24
	pCP56
	pProt // SEP / SPE+QDP / OCI+QDP
	pCmd  // SCO/DCO/RCO/QOS/QPM/QPA/COI/QOI/QCC/QRP
	pFile
)

// layout describes one type id's information element: its size in octets
// (0 with known = false for unknown types; F_SG_NA_1 has a variable size)
// and which parts it holds. Multi-part offsets follow from the type.
type layout struct {
	size  uint8
	known bool
	qual  uint8 // offset of the QDS, QOS or QPM after the value; 0xff if none
	parts uint16
}

// layouts is indexed by type id; it has 256 entries so that indexing by a
// TypeID needs no bounds check. It is a read-only table, completed by
// withQual.
var layouts = withQual([256]layout{
	M_SP_NA_1: {1, true, 0, pSIQ},
	M_SP_TA_1: {4, true, 0, pSIQ | pCP24},
	M_DP_NA_1: {1, true, 0, pDIQ},
	M_DP_TA_1: {4, true, 0, pDIQ | pCP24},
	M_ST_NA_1: {2, true, 0, pVTI | pQDS},
	M_ST_TA_1: {5, true, 0, pVTI | pQDS | pCP24},
	M_BO_NA_1: {5, true, 0, pBSI | pQDS},
	M_BO_TA_1: {8, true, 0, pBSI | pQDS | pCP24},
	M_ME_NA_1: {3, true, 0, pNVA | pQDS},
	M_ME_TA_1: {6, true, 0, pNVA | pQDS | pCP24},
	M_ME_NB_1: {3, true, 0, pSVA | pQDS},
	M_ME_TB_1: {6, true, 0, pSVA | pQDS | pCP24},
	M_ME_NC_1: {5, true, 0, pFLT | pQDS},
	M_ME_TC_1: {8, true, 0, pFLT | pQDS | pCP24},
	M_IT_NA_1: {5, true, 0, pBCR},
	M_IT_TA_1: {8, true, 0, pBCR | pCP24},
	M_EP_TA_1: {6, true, 0, pProt | pCP16 | pCP24},
	M_EP_TB_1: {7, true, 0, pProt | pCP16 | pCP24},
	M_EP_TC_1: {7, true, 0, pProt | pCP16 | pCP24},
	M_PS_NA_1: {5, true, 0, pSCD | pQDS},
	M_ME_ND_1: {2, true, 0, pNVA},
	M_SP_TB_1: {8, true, 0, pSIQ | pCP56},
	M_DP_TB_1: {8, true, 0, pDIQ | pCP56},
	M_ST_TB_1: {9, true, 0, pVTI | pQDS | pCP56},
	M_BO_TB_1: {12, true, 0, pBSI | pQDS | pCP56},
	M_ME_TD_1: {10, true, 0, pNVA | pQDS | pCP56},
	M_ME_TE_1: {10, true, 0, pSVA | pQDS | pCP56},
	M_ME_TF_1: {12, true, 0, pFLT | pQDS | pCP56},
	M_IT_TB_1: {12, true, 0, pBCR | pCP56},
	M_EP_TD_1: {10, true, 0, pProt | pCP16 | pCP56},
	M_EP_TE_1: {11, true, 0, pProt | pCP16 | pCP56},
	M_EP_TF_1: {11, true, 0, pProt | pCP16 | pCP56},
	C_SC_NA_1: {1, true, 0, pCmd},
	C_DC_NA_1: {1, true, 0, pCmd},
	C_RC_NA_1: {1, true, 0, pCmd},
	C_SE_NA_1: {3, true, 0, pNVA | pCmd},
	C_SE_NB_1: {3, true, 0, pSVA | pCmd},
	C_SE_NC_1: {5, true, 0, pFLT | pCmd},
	C_BO_NA_1: {4, true, 0, pBSI},
	C_SC_TA_1: {8, true, 0, pCmd | pCP56},
	C_DC_TA_1: {8, true, 0, pCmd | pCP56},
	C_RC_TA_1: {8, true, 0, pCmd | pCP56},
	C_SE_TA_1: {10, true, 0, pNVA | pCmd | pCP56},
	C_SE_TB_1: {10, true, 0, pSVA | pCmd | pCP56},
	C_SE_TC_1: {12, true, 0, pFLT | pCmd | pCP56},
	C_BO_TA_1: {11, true, 0, pBSI | pCP56},
	M_EI_NA_1: {1, true, 0, pCmd},
	C_IC_NA_1: {1, true, 0, pCmd},
	C_CI_NA_1: {1, true, 0, pCmd},
	C_RD_NA_1: {0, true, 0, 0},
	C_CS_NA_1: {7, true, 0, pCP56},
	C_TS_NA_1: {2, true, 0, 0},
	C_RP_NA_1: {1, true, 0, pCmd},
	C_CD_NA_1: {2, true, 0, pCP16},
	C_TS_TA_1: {9, true, 0, pCP56},
	P_ME_NA_1: {3, true, 0, pNVA | pCmd},
	P_ME_NB_1: {3, true, 0, pSVA | pCmd},
	P_ME_NC_1: {5, true, 0, pFLT | pCmd},
	P_AC_NA_1: {1, true, 0, pCmd},
	F_FR_NA_1: {6, true, 0, pFile},
	F_SR_NA_1: {7, true, 0, pFile},
	F_SC_NA_1: {4, true, 0, pFile},
	F_LS_NA_1: {5, true, 0, pFile},
	F_AF_NA_1: {4, true, 0, pFile},
	F_SG_NA_1: {0, true, 0, pFile}, // NOF, NOS, LOS, then LOS octets
	F_DR_TA_1: {13, true, 0, pFile | pCP56},
	F_SC_NB_1: {16, true, 0, pFile | pCP56},
})

// withQual fills in each layout's qualifier offset.
func withQual(t [256]layout) [256]layout {
	for i := range t {
		t[i].qual = t[i].qualOff()
	}
	return t
}

// qualOff returns the offset in the element of the qualifier that follows
// the value (QDS, QOS, QPM), or 0xff when there is none.
func (l layout) qualOff() uint8 {
	switch {
	case l.parts&(pQDS|pCmd) == 0:
		return 0xff
	case l.parts&pVTI != 0:
		return 1
	case l.parts&(pBSI|pFLT|pSCD) != 0:
		return 4
	case l.parts&(pNVA|pSVA) != 0:
		return 2
	}
	return 0xff
}

func (t TypeID) layout() layout { return layouts[t] }

// Known reports whether t is a standard type id that the package decodes.
func (t TypeID) Known() bool { return t.layout().known }

// ElementSize returns the size in octets of one information element of type
// t (without its object address), or -1 for unknown types and for
// F_SG_NA_1, whose size is carried in the element.
func (t TypeID) ElementSize() int {
	l := t.layout()
	if !l.known || (l.size == 0 && t != C_RD_NA_1) {
		return -1
	}
	return int(l.size)
}

var typeNames = [128]string{
	M_SP_NA_1: "M_SP_NA_1", M_SP_TA_1: "M_SP_TA_1", M_DP_NA_1: "M_DP_NA_1", M_DP_TA_1: "M_DP_TA_1",
	M_ST_NA_1: "M_ST_NA_1", M_ST_TA_1: "M_ST_TA_1", M_BO_NA_1: "M_BO_NA_1", M_BO_TA_1: "M_BO_TA_1",
	M_ME_NA_1: "M_ME_NA_1", M_ME_TA_1: "M_ME_TA_1", M_ME_NB_1: "M_ME_NB_1", M_ME_TB_1: "M_ME_TB_1",
	M_ME_NC_1: "M_ME_NC_1", M_ME_TC_1: "M_ME_TC_1", M_IT_NA_1: "M_IT_NA_1", M_IT_TA_1: "M_IT_TA_1",
	M_EP_TA_1: "M_EP_TA_1", M_EP_TB_1: "M_EP_TB_1", M_EP_TC_1: "M_EP_TC_1", M_PS_NA_1: "M_PS_NA_1",
	M_ME_ND_1: "M_ME_ND_1", M_SP_TB_1: "M_SP_TB_1", M_DP_TB_1: "M_DP_TB_1", M_ST_TB_1: "M_ST_TB_1",
	M_BO_TB_1: "M_BO_TB_1", M_ME_TD_1: "M_ME_TD_1", M_ME_TE_1: "M_ME_TE_1", M_ME_TF_1: "M_ME_TF_1",
	M_IT_TB_1: "M_IT_TB_1", M_EP_TD_1: "M_EP_TD_1", M_EP_TE_1: "M_EP_TE_1", M_EP_TF_1: "M_EP_TF_1",
	C_SC_NA_1: "C_SC_NA_1", C_DC_NA_1: "C_DC_NA_1", C_RC_NA_1: "C_RC_NA_1", C_SE_NA_1: "C_SE_NA_1",
	C_SE_NB_1: "C_SE_NB_1", C_SE_NC_1: "C_SE_NC_1", C_BO_NA_1: "C_BO_NA_1", C_SC_TA_1: "C_SC_TA_1",
	C_DC_TA_1: "C_DC_TA_1", C_RC_TA_1: "C_RC_TA_1", C_SE_TA_1: "C_SE_TA_1", C_SE_TB_1: "C_SE_TB_1",
	C_SE_TC_1: "C_SE_TC_1", C_BO_TA_1: "C_BO_TA_1", M_EI_NA_1: "M_EI_NA_1", C_IC_NA_1: "C_IC_NA_1",
	C_CI_NA_1: "C_CI_NA_1", C_RD_NA_1: "C_RD_NA_1", C_CS_NA_1: "C_CS_NA_1", C_TS_NA_1: "C_TS_NA_1",
	C_RP_NA_1: "C_RP_NA_1", C_CD_NA_1: "C_CD_NA_1", C_TS_TA_1: "C_TS_TA_1", P_ME_NA_1: "P_ME_NA_1",
	P_ME_NB_1: "P_ME_NB_1", P_ME_NC_1: "P_ME_NC_1", P_AC_NA_1: "P_AC_NA_1", F_FR_NA_1: "F_FR_NA_1",
	F_SR_NA_1: "F_SR_NA_1", F_SC_NA_1: "F_SC_NA_1", F_LS_NA_1: "F_LS_NA_1", F_AF_NA_1: "F_AF_NA_1",
	F_SG_NA_1: "F_SG_NA_1", F_DR_TA_1: "F_DR_TA_1", F_SC_NB_1: "F_SC_NB_1",
}

// String returns the type's standard mnemonic ("M_ME_NC_1"), or "type 0x18"
// for a type id the package does not know. It does not allocate for known
// values.
func (t TypeID) String() string {
	if t.Known() {
		return typeNames[t&0x7f]
	}
	return unknownString("type", uint8(t))
}

// AppendText appends the text of String to b. It allocates only if b must
// grow.
func (t TypeID) AppendText(b []byte) ([]byte, error) {
	if t.Known() {
		return append(b, typeNames[t&0x7f]...), nil
	}
	return appendUnknown(b, "type", uint8(t)), nil
}
