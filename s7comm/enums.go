package s7comm

// Every enum of the package has the same three methods: Known reports a
// value the protocol defines, String names it ("read var") or prints an
// unknown value with its number ("function 0x5a"), and AppendText appends
// the same text without allocating. String does not allocate for known
// values. Each type's name method is the table String and AppendText share;
// Known derives from it too, except for the types whose Known runs on every
// PDU or item, which test ranges instead (TestEnums keeps both in step).

// TPDUType is the COTP TPDU code (the high nibble of the code byte), as
// Wireshark's cotp.type shows it.
type TPDUType uint8

// COTP TPDU codes (ISO 8073 section 13).
const (
	TPDUExpeditedData  TPDUType = 0x1 // ED
	TPDUExpeditedAck   TPDUType = 0x2 // EA
	TPDUReject         TPDUType = 0x5 // RJ
	TPDUDataAck        TPDUType = 0x6 // AK
	TPDUError          TPDUType = 0x7 // ER
	TPDUDisconnectReq  TPDUType = 0x8 // DR
	TPDUDisconnectConf TPDUType = 0xC // DC
	TPDUConnectConfirm TPDUType = 0xD // CC
	TPDUConnectRequest TPDUType = 0xE // CR
	TPDUData           TPDUType = 0xF // DT
)

func (t TPDUType) name() string {
	switch t {
	case TPDUExpeditedData:
		return "ED"
	case TPDUExpeditedAck:
		return "EA"
	case TPDUReject:
		return "RJ"
	case TPDUDataAck:
		return "AK"
	case TPDUError:
		return "ER"
	case TPDUDisconnectReq:
		return "DR"
	case TPDUDisconnectConf:
		return "DC"
	case TPDUConnectConfirm:
		return "CC"
	case TPDUConnectRequest:
		return "CR"
	case TPDUData:
		return "DT"
	}
	return ""
}

// Known reports whether t is a TPDU code of ISO 8073.
func (t TPDUType) Known() bool { return t.name() != "" }

// String returns the TPDU's short name ("DT"), or "tpdu type 0x0b".
func (t TPDUType) String() string { return enumText(t.name(), "tpdu type", uint32(t), 2) }

// AppendText appends String's text to b. It does not allocate.
func (t TPDUType) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, t.name(), "tpdu type", uint32(t), 2), nil
}

// ROSCTR is the S7 PDU type in the header.
type ROSCTR uint8

// ROSCTR values.
const (
	Job      ROSCTR = 1
	Ack      ROSCTR = 2
	AckData  ROSCTR = 3
	Userdata ROSCTR = 7
)

func (r ROSCTR) name() string {
	switch r {
	case Job:
		return "job"
	case Ack:
		return "ack"
	case AckData:
		return "ack-data"
	case Userdata:
		return "userdata"
	}
	return ""
}

// Known reports whether r is a defined PDU type.
func (r ROSCTR) Known() bool { return r.name() != "" }

// String returns the PDU type's name ("job"), or "rosctr 0x05".
func (r ROSCTR) String() string { return enumText(r.name(), "rosctr", uint32(r), 2) }

// AppendText appends String's text to b. It does not allocate.
func (r ROSCTR) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, r.name(), "rosctr", uint32(r), 2), nil
}

// Function is the function code of a job or ack-data parameter.
type Function uint8

// Job functions.
const (
	FuncCPUServices     Function = 0x00
	FuncSetupComm       Function = 0xf0
	FuncReadVar         Function = 0x04
	FuncWriteVar        Function = 0x05
	FuncRequestDownload Function = 0x1a
	FuncDownloadBlock   Function = 0x1b
	FuncDownloadEnded   Function = 0x1c
	FuncStartUpload     Function = 0x1d
	FuncUpload          Function = 0x1e
	FuncEndUpload       Function = 0x1f
	FuncPIService       Function = 0x28
	FuncPLCStop         Function = 0x29
)

func (f Function) name() string {
	switch f {
	case FuncCPUServices:
		return "cpu services"
	case FuncSetupComm:
		return "setup communication"
	case FuncReadVar:
		return "read var"
	case FuncWriteVar:
		return "write var"
	case FuncRequestDownload:
		return "request download"
	case FuncDownloadBlock:
		return "download block"
	case FuncDownloadEnded:
		return "download ended"
	case FuncStartUpload:
		return "start upload"
	case FuncUpload:
		return "upload"
	case FuncEndUpload:
		return "end upload"
	case FuncPIService:
		return "pi service"
	case FuncPLCStop:
		return "plc stop"
	}
	return ""
}

// Known reports whether f is a job function Wireshark knows.
func (f Function) Known() bool {
	// A switch of its own rather than name() != "": parsePDU calls it on
	// every job and ack-data.
	switch f {
	case FuncCPUServices, FuncSetupComm, FuncReadVar, FuncWriteVar, FuncRequestDownload,
		FuncDownloadBlock, FuncDownloadEnded, FuncStartUpload, FuncUpload, FuncEndUpload,
		FuncPIService, FuncPLCStop:
		return true
	}
	return false
}

// String returns the function's name ("read var"), or "function 0x5a".
func (f Function) String() string { return enumText(f.name(), "function", uint32(f), 2) }

// AppendText appends String's text to b. It does not allocate.
func (f Function) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, f.name(), "function", uint32(f), 2), nil
}

// SyntaxID is the addressing syntax of a variable specification.
type SyntaxID uint8

// Syntax ids.
const (
	SyntaxS7Any         SyntaxID = 0x10
	SyntaxPBCID         SyntaxID = 0x13
	SyntaxAlarmLockFree SyntaxID = 0x15
	SyntaxAlarmInd      SyntaxID = 0x16
	SyntaxAlarmAck      SyntaxID = 0x19
	SyntaxAlarmQueryReq SyntaxID = 0x1a
	SyntaxNotifyInd     SyntaxID = 0x1c
	SyntaxNCK           SyntaxID = 0x82
	SyntaxNCKMetric     SyntaxID = 0x83
	SyntaxNCKInch       SyntaxID = 0x84
	SyntaxDriveESAny    SyntaxID = 0xa2
	Syntax1200Sym       SyntaxID = 0xb2
	SyntaxDBRead        SyntaxID = 0xb0
)

func (s SyntaxID) name() string {
	switch s {
	case SyntaxS7Any:
		return "S7ANY"
	case SyntaxPBCID:
		return "PBC-R_ID"
	case SyntaxAlarmLockFree:
		return "ALARM_LOCKFREE"
	case SyntaxAlarmInd:
		return "ALARM_IND"
	case SyntaxAlarmAck:
		return "ALARM_ACK"
	case SyntaxAlarmQueryReq:
		return "ALARM_QUERYREQ"
	case SyntaxNotifyInd:
		return "NOTIFY_IND"
	case SyntaxNCK:
		return "NCK"
	case SyntaxNCKMetric:
		return "NCK_METRIC"
	case SyntaxNCKInch:
		return "NCK_INCH"
	case SyntaxDriveESAny:
		return "DRIVEESANY"
	case Syntax1200Sym:
		return "1200SYM"
	case SyntaxDBRead:
		return "DBREAD"
	}
	return ""
}

// Known reports whether s is a syntax id Wireshark knows.
func (s SyntaxID) Known() bool {
	switch s {
	case SyntaxS7Any, SyntaxPBCID, SyntaxAlarmLockFree, SyntaxAlarmInd, SyntaxAlarmAck,
		SyntaxAlarmQueryReq, SyntaxNotifyInd, SyntaxNCK, SyntaxNCKMetric, SyntaxNCKInch,
		SyntaxDriveESAny, Syntax1200Sym, SyntaxDBRead:
		return true
	}
	return false
}

// String returns Wireshark's name for the syntax id ("S7ANY"), or
// "syntax id 0x11".
func (s SyntaxID) String() string { return enumText(s.name(), "syntax id", uint32(s), 2) }

// AppendText appends String's text to b. It does not allocate.
func (s SyntaxID) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, s.name(), "syntax id", uint32(s), 2), nil
}

// Area is the memory area of an S7ANY address.
type Area uint8

// Memory areas.
const (
	AreaSysInfo200    Area = 0x03
	AreaSysFlags200   Area = 0x05
	AreaAnaIn200      Area = 0x06
	AreaAnaOut200     Area = 0x07
	AreaCounter       Area = 0x1c
	AreaTimer         Area = 0x1d
	AreaIECCounter200 Area = 0x1e
	AreaIECTimer200   Area = 0x1f
	AreaPeripheral    Area = 0x80
	AreaInputs        Area = 0x81
	AreaOutputs       Area = 0x82
	AreaFlags         Area = 0x83
	AreaDB            Area = 0x84
	AreaDI            Area = 0x85
	AreaLocal         Area = 0x86
	AreaPreviousLocal Area = 0x87
)

func (a Area) name() string {
	switch a {
	case AreaSysInfo200:
		return "SI200"
	case AreaSysFlags200:
		return "SF200"
	case AreaAnaIn200:
		return "AI200"
	case AreaAnaOut200:
		return "AQ200"
	case AreaCounter:
		return "C"
	case AreaTimer:
		return "T"
	case AreaIECCounter200:
		return "IEC-C200"
	case AreaIECTimer200:
		return "IEC-T200"
	case AreaPeripheral:
		return "P"
	case AreaInputs:
		return "I"
	case AreaOutputs:
		return "Q"
	case AreaFlags:
		return "M"
	case AreaDB:
		return "DB"
	case AreaDI:
		return "DI"
	case AreaLocal:
		return "L"
	case AreaPreviousLocal:
		return "V"
	}
	return ""
}

// Known reports whether a is a memory area Wireshark knows.
func (a Area) Known() bool {
	switch a {
	case AreaSysInfo200, AreaSysFlags200, AreaAnaIn200, AreaAnaOut200, AreaCounter, AreaTimer,
		AreaIECCounter200, AreaIECTimer200:
		return true
	}
	return a >= AreaPeripheral && a <= AreaPreviousLocal
}

// String returns the area's usual S7 letter or name ("DB"), or
// "area 0x90".
func (a Area) String() string { return enumText(a.name(), "area", uint32(a), 2) }

// AppendText appends String's text to b. It does not allocate.
func (a Area) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, a.name(), "area", uint32(a), 2), nil
}

// Numbered reports whether items of the area are addressed by number (the
// timers and counters: T and C, and the IEC timers and counters of the
// S7-200) rather than by byte and bit offset.
func (a Area) Numbered() bool {
	return a == AreaCounter || a == AreaTimer || a == AreaIECCounter200 || a == AreaIECTimer200
}

// TransportSize is the element type of an S7ANY item.
type TransportSize uint8

// Item transport sizes.
const (
	TSBit        TransportSize = 0x01
	TSByte       TransportSize = 0x02
	TSChar       TransportSize = 0x03
	TSWord       TransportSize = 0x04
	TSInt        TransportSize = 0x05
	TSDWord      TransportSize = 0x06
	TSDInt       TransportSize = 0x07
	TSReal       TransportSize = 0x08
	TSDate       TransportSize = 0x09
	TSTOD        TransportSize = 0x0a
	TSTime       TransportSize = 0x0b
	TSS5Time     TransportSize = 0x0c
	TSDateTime   TransportSize = 0x0f
	TSCounter    TransportSize = 0x1c
	TSTimer      TransportSize = 0x1d
	TSIECTimer   TransportSize = 0x1e
	TSIECCounter TransportSize = 0x1f
	TSHSCounter  TransportSize = 0x20
)

func (t TransportSize) name() string {
	switch t {
	case TSBit:
		return "BIT"
	case TSByte:
		return "BYTE"
	case TSChar:
		return "CHAR"
	case TSWord:
		return "WORD"
	case TSInt:
		return "INT"
	case TSDWord:
		return "DWORD"
	case TSDInt:
		return "DINT"
	case TSReal:
		return "REAL"
	case TSDate:
		return "DATE"
	case TSTOD:
		return "TOD"
	case TSTime:
		return "TIME"
	case TSS5Time:
		return "S5TIME"
	case TSDateTime:
		return "DATE_AND_TIME"
	case TSCounter:
		return "COUNTER"
	case TSTimer:
		return "TIMER"
	case TSIECTimer:
		return "IEC TIMER"
	case TSIECCounter:
		return "IEC COUNTER"
	case TSHSCounter:
		return "HS COUNTER"
	}
	return ""
}

// Known reports whether t is a transport size Wireshark knows.
func (t TransportSize) Known() bool {
	return (t >= TSBit && t <= TSS5Time) || t == TSDateTime || (t >= TSCounter && t <= TSHSCounter)
}

// String returns the transport size's S7 type name ("REAL"), or
// "transport size 0x0d".
func (t TransportSize) String() string { return enumText(t.name(), "transport size", uint32(t), 2) }

// AppendText appends String's text to b. It does not allocate.
func (t TransportSize) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, t.name(), "transport size", uint32(t), 2), nil
}

// DataSize is the transport size of a data item, which also says whether
// its length counts bits or bytes.
type DataSize uint8

// Data item transport sizes.
const (
	DSNull        DataSize = 0x00
	DSBit         DataSize = 0x03
	DSByte        DataSize = 0x04 // BYTE/WORD/DWORD, length in bits
	DSInt         DataSize = 0x05 // length in bits
	DSDInt        DataSize = 0x06
	DSReal        DataSize = 0x07
	DSOctetString DataSize = 0x09
)

func (d DataSize) name() string {
	switch d {
	case DSNull:
		return "NULL"
	case DSBit:
		return "BIT"
	case DSByte:
		return "BYTE/WORD/DWORD"
	case DSInt:
		return "INTEGER"
	case DSDInt:
		return "DINTEGER"
	case DSReal:
		return "REAL"
	case DSOctetString:
		return "OCTET STRING"
	}
	return ""
}

// Known reports whether d is a data transport size Wireshark knows.
func (d DataSize) Known() bool {
	return d == DSNull || (d >= DSBit && d <= DSReal) || d == DSOctetString
}

// String returns the data transport size's name ("OCTET STRING"), or
// "data size 0x08".
func (d DataSize) String() string { return enumText(d.name(), "data size", uint32(d), 2) }

// AppendText appends String's text to b. It does not allocate.
func (d DataSize) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, d.name(), "data size", uint32(d), 2), nil
}

// lengthInBits reports whether a data item's length field counts bits.
func (d DataSize) lengthInBits() bool { return d == DSBit || d == DSByte || d == DSInt }

// ReturnCode is the status of a data item. ReturnSuccess is 0xff.
type ReturnCode uint8

// Return codes.
const (
	ReturnReserved           ReturnCode = 0x00
	ReturnHardwareFault      ReturnCode = 0x01
	ReturnAccessDenied       ReturnCode = 0x03
	ReturnInvalidAddress     ReturnCode = 0x05
	ReturnTypeNotSupported   ReturnCode = 0x06
	ReturnTypeInconsistent   ReturnCode = 0x07
	ReturnObjectDoesNotExist ReturnCode = 0x0a
	ReturnSuccess            ReturnCode = 0xff
)

func (r ReturnCode) name() string {
	switch r {
	case ReturnReserved:
		return "reserved"
	case ReturnHardwareFault:
		return "hardware fault"
	case ReturnAccessDenied:
		return "accessing the object not allowed"
	case ReturnInvalidAddress:
		return "invalid address"
	case ReturnTypeNotSupported:
		return "data type not supported"
	case ReturnTypeInconsistent:
		return "data type inconsistent"
	case ReturnObjectDoesNotExist:
		return "object does not exist"
	case ReturnSuccess:
		return "success"
	}
	return ""
}

// Known reports whether r is a return code Wireshark knows.
func (r ReturnCode) Known() bool {
	switch r {
	case ReturnReserved, ReturnHardwareFault, ReturnAccessDenied, ReturnInvalidAddress,
		ReturnTypeNotSupported, ReturnTypeInconsistent, ReturnObjectDoesNotExist, ReturnSuccess:
		return true
	}
	return false
}

// String returns the return code's meaning ("success"), or
// "return code 0x02".
func (r ReturnCode) String() string { return enumText(r.name(), "return code", uint32(r), 2) }

// AppendText appends String's text to b. It does not allocate.
func (r ReturnCode) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, r.name(), "return code", uint32(r), 2), nil
}

// FuncGroup is the function group of a userdata parameter.
type FuncGroup uint8

// Userdata function groups.
const (
	GroupModeTransition FuncGroup = 0x0
	GroupProgrammer     FuncGroup = 0x1
	GroupCyclic         FuncGroup = 0x2
	GroupBlock          FuncGroup = 0x3
	GroupCPU            FuncGroup = 0x4
	GroupSecurity       FuncGroup = 0x5
	GroupPBCBSend       FuncGroup = 0x6
	GroupTime           FuncGroup = 0x7
	GroupNCProgramming  FuncGroup = 0xf
)

func (g FuncGroup) name() string {
	switch g {
	case GroupModeTransition:
		return "mode transition"
	case GroupProgrammer:
		return "programmer commands"
	case GroupCyclic:
		return "cyclic data"
	case GroupBlock:
		return "block functions"
	case GroupCPU:
		return "cpu functions"
	case GroupSecurity:
		return "security"
	case GroupPBCBSend:
		return "pbc bsend/brecv"
	case GroupTime:
		return "time functions"
	case GroupNCProgramming:
		return "nc programming"
	}
	return ""
}

// Known reports whether g is a function group Wireshark knows.
func (g FuncGroup) Known() bool { return g <= GroupTime || g == GroupNCProgramming }

// String returns the group's name ("cpu functions"), or
// "function group 0x08".
func (g FuncGroup) String() string { return enumText(g.name(), "function group", uint32(g), 2) }

// AppendText appends String's text to b. It does not allocate.
func (g FuncGroup) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, g.name(), "function group", uint32(g), 2), nil
}

// UDType is the type nibble of a userdata parameter.
type UDType uint8

// Userdata types.
const (
	UDPush       UDType = 0x0
	UDRequest    UDType = 0x4
	UDResponse   UDType = 0x8
	UDNCPush     UDType = 0x3
	UDNCRequest  UDType = 0x7
	UDNCResponse UDType = 0xb
)

func (t UDType) name() string {
	switch t {
	case UDPush:
		return "push"
	case UDRequest:
		return "request"
	case UDResponse:
		return "response"
	case UDNCPush:
		return "nc push"
	case UDNCRequest:
		return "nc request"
	case UDNCResponse:
		return "nc response"
	}
	return ""
}

// Known reports whether t is a userdata type Wireshark knows.
func (t UDType) Known() bool { return t.name() != "" }

// String returns the type's name ("request"), or "userdata type 0x01".
func (t UDType) String() string { return enumText(t.name(), "userdata type", uint32(t), 2) }

// AppendText appends String's text to b. It does not allocate.
func (t UDType) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, t.name(), "userdata type", uint32(t), 2), nil
}

// IsRequest reports a request type (request or NC request).
func (t UDType) IsRequest() bool { return t == UDRequest || t == UDNCRequest }

// IsResponse reports a response type (response or NC response).
func (t UDType) IsResponse() bool { return t == UDResponse || t == UDNCResponse }

// IsPush reports a push type (push or NC push): a message the PLC sends
// without a request, such as a cyclic-data or programmer-command result.
func (t UDType) IsPush() bool { return t == UDPush || t == UDNCPush }

// Subfunction codes of the userdata function groups that the package
// decodes further. Other subfunctions are kept as raw bytes.
const (
	// Block functions.
	SubListBlocks       uint8 = 0x01
	SubListBlocksOfType uint8 = 0x02
	SubGetBlockInfo     uint8 = 0x03
	// CPU functions.
	SubReadSZL         uint8 = 0x01
	SubMessageService  uint8 = 0x02
	SubDiagMessage     uint8 = 0x03
	SubAlarm8Ind       uint8 = 0x05
	SubNotifyInd       uint8 = 0x06
	SubAlarm8Lock      uint8 = 0x07
	SubAlarm8Unlock    uint8 = 0x08
	SubScanInd         uint8 = 0x09
	SubAlarmAck        uint8 = 0x0b
	SubAlarmAckInd     uint8 = 0x0c
	SubAlarm8LockInd   uint8 = 0x0d
	SubAlarm8UnlockInd uint8 = 0x0e
	SubAlarmSQInd      uint8 = 0x11
	SubAlarmSInd       uint8 = 0x12
	SubAlarmQuery      uint8 = 0x13
	SubNotify8Ind      uint8 = 0x16
	// Time functions.
	SubReadClock          uint8 = 0x01
	SubSetClock           uint8 = 0x02
	SubReadClockFollowing uint8 = 0x03
	SubSetClock2          uint8 = 0x04
	// Security.
	SubPLCPassword    uint8 = 0x01
	SubCancelPassword uint8 = 0x02
	// Cyclic data.
	SubCyclicMemory       uint8 = 0x01
	SubCyclicUnsubscribe  uint8 = 0x04
	SubCyclicChangeDriven uint8 = 0x05
	SubCyclicChangeModify uint8 = 0x07
)

// subfuncKnown reports whether sub is a known subfunction of g.
func subfuncKnown(g FuncGroup, sub uint8) bool {
	switch g {
	case GroupModeTransition:
		return sub <= 0x0b
	case GroupProgrammer:
		return sub >= 0x01 && sub <= 0x1b
	case GroupCyclic:
		return sub == 0x01 || sub == 0x04 || sub == 0x05 || sub == 0x07 || sub == 0x08
	case GroupBlock:
		return sub >= 0x01 && sub <= 0x03
	case GroupCPU:
		return (sub >= 0x01 && sub <= 0x0e) || (sub >= 0x11 && sub <= 0x13) || sub == 0x16
	case GroupSecurity:
		return sub == 0x01 || sub == 0x02
	case GroupPBCBSend:
		return true
	case GroupTime:
		return sub >= 0x01 && sub <= 0x04
	case GroupNCProgramming:
		return true
	}
	return false
}
