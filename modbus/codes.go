package modbus

// FunctionCode is a Modbus function code with the exception bit cleared. It
// is an open enum: codes without a name are kept as they are.
type FunctionCode uint8

// Public function codes of the Modbus Application Protocol v1.1b3, and the
// vendor codes commonly seen on the wire.
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
	// UMAS is Schneider Electric's Unity/UMAS management protocol carried in
	// function code 90 (0x5A), a code the specification reserves.
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

// String returns the function's name from the specification, "User-defined
// Function", "Reserved Function" or "Unknown Function". It does not allocate.
func (c FunctionCode) String() string {
	if c < 128 && functionNames[c] != "" {
		return functionNames[c]
	}
	switch c.Class() {
	case ClassUserDefined:
		return "User-defined Function"
	case ClassReserved:
		return "Reserved Function"
	}
	return "Unknown Function"
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

// Known reports whether e is an exception code the specification defines.
func (e ExceptionCode) Known() bool { return int(e) < len(exceptionNames) && exceptionNames[e] != "" }

// String returns the exception's name, or "unknown exception". It does not
// allocate.
func (e ExceptionCode) String() string {
	if e.Known() {
		return exceptionNames[e]
	}
	return "unknown exception"
}

// Error implements error. It does not allocate.
func (e ExceptionCode) Error() string {
	if e.Known() {
		return exceptionErrors[e]
	}
	return "modbus: exception: unknown code"
}

// DiagSubFunction is a Diagnostics (function code 8) sub-function code. It
// is an open enum.
type DiagSubFunction uint16

// Diagnostics sub-functions.
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

// Known reports whether s is a sub-function the specification defines.
func (s DiagSubFunction) Known() bool { return int(s) < len(diagNames) && diagNames[s] != "" }

// String returns the sub-function's name, or "Unknown Sub-function". It does
// not allocate.
func (s DiagSubFunction) String() string {
	if s.Known() {
		return diagNames[s]
	}
	return "Unknown Sub-function"
}

// MEIType is the Modbus Encapsulated Interface type of function code 43.
type MEIType uint8

// MEI types.
const (
	MEICANopen      MEIType = 13
	MEIReadDeviceID MEIType = 14
)

// String returns the MEI type's name. It does not allocate.
func (m MEIType) String() string {
	switch m {
	case MEICANopen:
		return "CANopen General Reference"
	case MEIReadDeviceID:
		return "Read Device Identification"
	}
	return "Unknown MEI Type"
}

// ReadDeviceIDCode is the access type of a Read Device Identification
// request.
type ReadDeviceIDCode uint8

// Read Device ID codes.
const (
	ReadDeviceIDBasic    ReadDeviceIDCode = 1
	ReadDeviceIDRegular  ReadDeviceIDCode = 2
	ReadDeviceIDExtended ReadDeviceIDCode = 3
	ReadDeviceIDSpecific ReadDeviceIDCode = 4
)

// String returns the code's name. It does not allocate.
func (c ReadDeviceIDCode) String() string {
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
	return "Unknown Read Device ID Code"
}

// ObjectID identifies a device identification object (function 43/14).
type ObjectID uint8

// Standard device identification objects; 0x07–0x7F are reserved and
// 0x80–0xFF are private (vendor) objects.
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

// Private reports whether the object is a vendor-private one (0x80 and up).
func (o ObjectID) Private() bool { return o >= 0x80 }

// String returns the object's name as the specification spells it,
// "Private" or "Reserved". It does not allocate.
func (o ObjectID) String() string {
	if int(o) < len(objectNames) {
		return objectNames[o]
	}
	if o.Private() {
		return "Private"
	}
	return "Reserved"
}
