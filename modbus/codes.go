package modbus

// FunctionCode is a Modbus function code with the exception bit cleared. It
// is an open enum: codes without a name are kept as they are.
type FunctionCode uint8

// Public function codes of the Modbus Application Protocol v1.1b3, and the
// vendor code commonly seen on the wire.
const (
	ReadCoils                      FunctionCode = 1
	ReadDiscreteInputs             FunctionCode = 2
	ReadHoldingRegisters           FunctionCode = 3
	ReadInputRegisters             FunctionCode = 4
	WriteSingleCoil                FunctionCode = 5
	WriteSingleRegister            FunctionCode = 6
	ReadExceptionStatus            FunctionCode = 7
	Diagnostics                    FunctionCode = 8
	GetCommEventCounter            FunctionCode = 11
	GetCommEventLog                FunctionCode = 12
	WriteMultipleCoils             FunctionCode = 15
	WriteMultipleRegisters         FunctionCode = 16
	ReportServerID                 FunctionCode = 17
	ReadFileRecord                 FunctionCode = 20
	WriteFileRecord                FunctionCode = 21
	MaskWriteRegister              FunctionCode = 22
	ReadWriteMultipleRegisters     FunctionCode = 23
	ReadFIFOQueue                  FunctionCode = 24
	EncapsulatedInterfaceTransport FunctionCode = 43
	// UMAS is Schneider Electric's Unity management protocol carried in
	// function code 90 (0x5A), a code the specification reserves. See
	// [Frame.UMAS].
	UMAS FunctionCode = 90
)

var functionNames = [128]string{
	ReadCoils:                      "Read Coils",
	ReadDiscreteInputs:             "Read Discrete Inputs",
	ReadHoldingRegisters:           "Read Holding Registers",
	ReadInputRegisters:             "Read Input Registers",
	WriteSingleCoil:                "Write Single Coil",
	WriteSingleRegister:            "Write Single Register",
	ReadExceptionStatus:            "Read Exception Status",
	Diagnostics:                    "Diagnostics",
	GetCommEventCounter:            "Get Comm Event Counter",
	GetCommEventLog:                "Get Comm Event Log",
	WriteMultipleCoils:             "Write Multiple Coils",
	WriteMultipleRegisters:         "Write Multiple Registers",
	ReportServerID:                 "Report Server ID",
	ReadFileRecord:                 "Read File Record",
	WriteFileRecord:                "Write File Record",
	MaskWriteRegister:              "Mask Write Register",
	ReadWriteMultipleRegisters:     "Read/Write Multiple Registers",
	ReadFIFOQueue:                  "Read FIFO Queue",
	EncapsulatedInterfaceTransport: "Encapsulated Interface Transport",
	UMAS:                           "UMAS",
}

func (c FunctionCode) name() string {
	if c < 128 {
		return functionNames[c]
	}
	return ""
}

// Known reports whether c has a name here: the public function codes of the
// specification, and 90 (Schneider UMAS), which this package decodes.
// User-defined, reserved and unassigned codes are not known; [FunctionCode.Class]
// tells them apart.
func (c FunctionCode) Known() bool { return c < 128 && functionNames[c] != "" }

// String returns the function's name from the specification ("Read Holding
// Registers"), or "function 0x41" for a code without one. It does not
// allocate for known codes.
func (c FunctionCode) String() string {
	if c < 128 && functionNames[c] != "" {
		return functionNames[c]
	}
	return unknownString("function", uint(c), 2)
}

// AppendText appends the String form of c to b. It never allocates beyond
// growing b, and never fails.
func (c FunctionCode) AppendText(b []byte) ([]byte, error) {
	return appendName(b, c.name(), "function", uint(c), 2), nil
}

// FunctionClass groups function codes as the specification does.
type FunctionClass uint8

// Function classes.
const (
	// ClassUnassigned codes have no meaning in the specification.
	ClassUnassigned FunctionClass = iota
	// ClassPublic codes are defined by the specification.
	ClassPublic
	// ClassUserDefined codes (65–72, 100–110) are for vendors.
	ClassUserDefined
	// ClassReserved codes (9, 10, 13, 14, 41, 42, 90, 91, 125–127) are
	// reserved for legacy products.
	ClassReserved
)

var classNames = [...]string{"unassigned", "public", "user-defined", "reserved"}

// Known reports whether k is one of the four classes.
func (k FunctionClass) Known() bool { return int(k) < len(classNames) }

// String returns "unassigned", "public", "user-defined", "reserved", or
// "class 0x07" for another value.
func (k FunctionClass) String() string {
	if k.Known() {
		return classNames[k]
	}
	return unknownString("class", uint(k), 2)
}

// AppendText appends the String form of k to b. It never fails.
func (k FunctionClass) AppendText(b []byte) ([]byte, error) {
	if k.Known() {
		return append(b, classNames[k]...), nil
	}
	return appendUnknown(b, "class", uint(k), 2), nil
}

// Class returns the specification's class of c (exception bit ignored).
func (c FunctionCode) Class() FunctionClass {
	c &= 0x7f
	switch c {
	case 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 15, 16, 17, 20, 21, 22, 23, 24, 43:
		return ClassPublic
	case 9, 10, 13, 14, 41, 42, 90, 91, 125, 126, 127:
		return ClassReserved
	}
	if (c >= 65 && c <= 72) || (c >= 100 && c <= 110) {
		return ClassUserDefined
	}
	return ClassUnassigned
}

// ExceptionCode is the code of an exception response. It implements error
// without allocating. It is an open enum.
type ExceptionCode uint8

// Exception codes of the specification (7 is from the older Modicon
// documents).
const (
	IllegalFunction                    ExceptionCode = 1
	IllegalDataAddress                 ExceptionCode = 2
	IllegalDataValue                   ExceptionCode = 3
	ServerDeviceFailure                ExceptionCode = 4
	Acknowledge                        ExceptionCode = 5
	ServerDeviceBusy                   ExceptionCode = 6
	NegativeAcknowledge                ExceptionCode = 7
	MemoryParityError                  ExceptionCode = 8
	GatewayPathUnavailable             ExceptionCode = 10
	GatewayTargetDeviceFailedToRespond ExceptionCode = 11
)

var exceptionNames = [12]string{
	IllegalFunction:                    "illegal function",
	IllegalDataAddress:                 "illegal data address",
	IllegalDataValue:                   "illegal data value",
	ServerDeviceFailure:                "server device failure",
	Acknowledge:                        "acknowledge",
	ServerDeviceBusy:                   "server device busy",
	NegativeAcknowledge:                "negative acknowledge",
	MemoryParityError:                  "memory parity error",
	GatewayPathUnavailable:             "gateway path unavailable",
	GatewayTargetDeviceFailedToRespond: "gateway target device failed to respond",
}

var exceptionErrors = [12]string{
	IllegalFunction:                    "modbus: exception: illegal function",
	IllegalDataAddress:                 "modbus: exception: illegal data address",
	IllegalDataValue:                   "modbus: exception: illegal data value",
	ServerDeviceFailure:                "modbus: exception: server device failure",
	Acknowledge:                        "modbus: exception: acknowledge",
	ServerDeviceBusy:                   "modbus: exception: server device busy",
	NegativeAcknowledge:                "modbus: exception: negative acknowledge",
	MemoryParityError:                  "modbus: exception: memory parity error",
	GatewayPathUnavailable:             "modbus: exception: gateway path unavailable",
	GatewayTargetDeviceFailedToRespond: "modbus: exception: gateway target device failed to respond",
}

func (e ExceptionCode) name() string {
	if int(e) < len(exceptionNames) {
		return exceptionNames[e]
	}
	return ""
}

// Known reports whether e is an exception code the specification defines.
func (e ExceptionCode) Known() bool { return e.name() != "" }

// String returns the exception's name ("illegal data address"), or
// "exception 0x63" for a code the specification does not define.
func (e ExceptionCode) String() string {
	if n := e.name(); n != "" {
		return n
	}
	return unknownString("exception", uint(e), 2)
}

// AppendText appends the String form of e to b. It never fails.
func (e ExceptionCode) AppendText(b []byte) ([]byte, error) {
	return appendName(b, e.name(), "exception", uint(e), 2), nil
}

// Error implements error. It does not allocate: an unknown code reads
// "modbus: exception: unknown code".
func (e ExceptionCode) Error() string {
	if e.Known() {
		return exceptionErrors[e]
	}
	return "modbus: exception: unknown code"
}

// DiagSubFunction is a Diagnostics (function code 8) sub-function code. It
// is an open enum.
type DiagSubFunction uint16

// Diagnostics sub-functions of the specification (6.8.1).
const (
	DiagReturnQueryData                DiagSubFunction = 0x00
	DiagRestartCommunicationsOption    DiagSubFunction = 0x01
	DiagReturnDiagnosticRegister       DiagSubFunction = 0x02
	DiagChangeASCIIInputDelimiter      DiagSubFunction = 0x03
	DiagForceListenOnlyMode            DiagSubFunction = 0x04
	DiagClearCountersAndDiagRegister   DiagSubFunction = 0x0A
	DiagReturnBusMessageCount          DiagSubFunction = 0x0B
	DiagReturnBusCommErrorCount        DiagSubFunction = 0x0C
	DiagReturnBusExceptionErrorCount   DiagSubFunction = 0x0D
	DiagReturnServerMessageCount       DiagSubFunction = 0x0E
	DiagReturnServerNoResponseCount    DiagSubFunction = 0x0F
	DiagReturnServerNAKCount           DiagSubFunction = 0x10
	DiagReturnServerBusyCount          DiagSubFunction = 0x11
	DiagReturnBusCharacterOverrunCount DiagSubFunction = 0x12
	DiagClearOverrunCounterAndFlag     DiagSubFunction = 0x14
)

var diagNames = [0x15]string{
	DiagReturnQueryData:                "Return Query Data",
	DiagRestartCommunicationsOption:    "Restart Communications Option",
	DiagReturnDiagnosticRegister:       "Return Diagnostic Register",
	DiagChangeASCIIInputDelimiter:      "Change ASCII Input Delimiter",
	DiagForceListenOnlyMode:            "Force Listen Only Mode",
	DiagClearCountersAndDiagRegister:   "Clear Counters and Diagnostic Register",
	DiagReturnBusMessageCount:          "Return Bus Message Count",
	DiagReturnBusCommErrorCount:        "Return Bus Communication Error Count",
	DiagReturnBusExceptionErrorCount:   "Return Bus Exception Error Count",
	DiagReturnServerMessageCount:       "Return Server Message Count",
	DiagReturnServerNoResponseCount:    "Return Server No Response Count",
	DiagReturnServerNAKCount:           "Return Server NAK Count",
	DiagReturnServerBusyCount:          "Return Server Busy Count",
	DiagReturnBusCharacterOverrunCount: "Return Bus Character Overrun Count",
	DiagClearOverrunCounterAndFlag:     "Clear Overrun Counter and Flag",
}

func (s DiagSubFunction) name() string {
	if int(s) < len(diagNames) {
		return diagNames[s]
	}
	return ""
}

// Known reports whether s is a sub-function the specification defines.
func (s DiagSubFunction) Known() bool { return s.name() != "" }

// String returns the sub-function's name, or "sub-function 0x0015" for one
// the specification does not define.
func (s DiagSubFunction) String() string {
	if n := s.name(); n != "" {
		return n
	}
	return unknownString("sub-function", uint(s), 4)
}

// AppendText appends the String form of s to b. It never fails.
func (s DiagSubFunction) AppendText(b []byte) ([]byte, error) {
	return appendName(b, s.name(), "sub-function", uint(s), 4), nil
}

// Counter reports whether s is one of the sub-functions 0x0B–0x12 whose
// response carries a counter (bus messages, CRC errors, exceptions, server
// messages, no responses, NAKs, busy, character overruns).
func (s DiagSubFunction) Counter() bool {
	return s >= DiagReturnBusMessageCount && s <= DiagReturnBusCharacterOverrunCount
}

// MEIType is the Modbus Encapsulated Interface type of function code 43.
type MEIType uint8

// MEI types.
const (
	MEICANopen      MEIType = 13
	MEIReadDeviceID MEIType = 14
)

func (m MEIType) name() string {
	switch m {
	case MEICANopen:
		return "CANopen General Reference"
	case MEIReadDeviceID:
		return "Read Device Identification"
	}
	return ""
}

// Known reports whether m is an MEI type the specification defines.
func (m MEIType) Known() bool { return m.name() != "" }

// String returns the MEI type's name, or "MEI type 0x07".
func (m MEIType) String() string {
	if n := m.name(); n != "" {
		return n
	}
	return unknownString("MEI type", uint(m), 2)
}

// AppendText appends the String form of m to b. It never fails.
func (m MEIType) AppendText(b []byte) ([]byte, error) {
	return appendName(b, m.name(), "MEI type", uint(m), 2), nil
}

// ReadDeviceIDCode is the access type of a Read Device Identification
// request (and its echo in the response).
type ReadDeviceIDCode uint8

// Read Device ID codes.
const (
	ReadDeviceIDBasic    ReadDeviceIDCode = 1
	ReadDeviceIDRegular  ReadDeviceIDCode = 2
	ReadDeviceIDExtended ReadDeviceIDCode = 3
	ReadDeviceIDSpecific ReadDeviceIDCode = 4
)

func (c ReadDeviceIDCode) name() string {
	switch c {
	case ReadDeviceIDBasic:
		return "Basic Device Identification"
	case ReadDeviceIDRegular:
		return "Regular Device Identification"
	case ReadDeviceIDExtended:
		return "Extended Device Identification"
	case ReadDeviceIDSpecific:
		return "Specific Identification Object"
	}
	return ""
}

// Known reports whether c is one of the four codes of the specification.
func (c ReadDeviceIDCode) Known() bool { return c.name() != "" }

// String returns the code's name, or "read device id code 0x05".
func (c ReadDeviceIDCode) String() string {
	if n := c.name(); n != "" {
		return n
	}
	return unknownString("read device id code", uint(c), 2)
}

// AppendText appends the String form of c to b. It never fails.
func (c ReadDeviceIDCode) AppendText(b []byte) ([]byte, error) {
	return appendName(b, c.name(), "read device id code", uint(c), 2), nil
}

// ConformityLevel is the identification conformity level of a device, sent
// in every Read Device Identification response: the highest category it
// supports (basic, regular, extended) and, with bit 0x80, whether it also
// answers individual accesses (code 4).
type ConformityLevel uint8

// Conformity levels of the specification (6.21).
const (
	ConformityBasicStream              ConformityLevel = 0x01
	ConformityRegularStream            ConformityLevel = 0x02
	ConformityExtendedStream           ConformityLevel = 0x03
	ConformityBasicStreamIndividual    ConformityLevel = 0x81
	ConformityRegularStreamIndividual  ConformityLevel = 0x82
	ConformityExtendedStreamIndividual ConformityLevel = 0x83
)

func (l ConformityLevel) name() string {
	switch l {
	case ConformityBasicStream:
		return "basic (stream access)"
	case ConformityRegularStream:
		return "regular (stream access)"
	case ConformityExtendedStream:
		return "extended (stream access)"
	case ConformityBasicStreamIndividual:
		return "basic (stream and individual access)"
	case ConformityRegularStreamIndividual:
		return "regular (stream and individual access)"
	case ConformityExtendedStreamIndividual:
		return "extended (stream and individual access)"
	}
	return ""
}

// Known reports whether l is one of the six levels of the specification.
func (l ConformityLevel) Known() bool { return l.name() != "" }

// String returns the level's name, or "conformity level 0x04".
func (l ConformityLevel) String() string {
	if n := l.name(); n != "" {
		return n
	}
	return unknownString("conformity level", uint(l), 2)
}

// AppendText appends the String form of l to b. It never fails.
func (l ConformityLevel) AppendText(b []byte) ([]byte, error) {
	return appendName(b, l.name(), "conformity level", uint(l), 2), nil
}

// Category returns the highest category the level supports
// (ReadDeviceIDBasic, ReadDeviceIDRegular or ReadDeviceIDExtended), the low
// bits of l.
func (l ConformityLevel) Category() ReadDeviceIDCode { return ReadDeviceIDCode(l & 0x7f) }

// Individual reports whether the device answers individual accesses
// (bit 0x80).
func (l ConformityLevel) Individual() bool { return l&0x80 != 0 }

// ObjectID identifies a device identification object (function 43/14).
type ObjectID uint8

// Standard device identification objects (6.21). 0x00–0x02 are the basic
// objects, 0x03–0x06 the regular ones; 0x07–0x7F are reserved by the
// standard; 0x80–0xFF are private (extended, device dependent) objects.
const (
	ObjectVendorName          ObjectID = 0x00
	ObjectProductCode         ObjectID = 0x01
	ObjectMajorMinorRevision  ObjectID = 0x02
	ObjectVendorURL           ObjectID = 0x03
	ObjectProductName         ObjectID = 0x04
	ObjectModelName           ObjectID = 0x05
	ObjectUserApplicationName ObjectID = 0x06
)

var objectNames = [7]string{
	"VendorName", "ProductCode", "MajorMinorRevision", "VendorURL",
	"ProductName", "ModelName", "UserApplicationName",
}

func (o ObjectID) name() string {
	if int(o) < len(objectNames) {
		return objectNames[o]
	}
	return ""
}

// Known reports whether o is one of the seven objects the specification
// names (0x00–0x06).
func (o ObjectID) Known() bool { return o.name() != "" }

// Standard reports whether o is a standard object (0x00–0x7F): defined, or
// reserved, by the specification, whose value is ASCII text.
func (o ObjectID) Standard() bool { return o < 0x80 }

// Private reports whether o is a private object (0x80–0xFF), whose value is
// device dependent bytes.
func (o ObjectID) Private() bool { return o >= 0x80 }

// String returns the object's name as the specification spells it
// ("VendorName"), or "object 0x80" for one without a name.
func (o ObjectID) String() string {
	if n := o.name(); n != "" {
		return n
	}
	return unknownString("object", uint(o), 2)
}

// AppendText appends the String form of o to b. It never fails.
func (o ObjectID) AppendText(b []byte) ([]byte, error) {
	return appendName(b, o.name(), "object", uint(o), 2), nil
}
