package modbus

// Operation is what a request does to the device, for monitoring tools that
// alert on kinds of access rather than on function codes. The classification
// is this package's own reading of the specification (and, for UMAS, of the
// public reverse-engineering work cited in [UMASFunction]); it is documented
// per value below and by [FunctionCode.Operation],
// [DiagSubFunction.Operation], [UMASFunction.Operation] and
// [Frame.Operation].
type Operation uint8

// Operations.
const (
	// OpOther is anything not listed below: unknown, user-defined and
	// reserved function codes, CANopen General Reference (43/13), UMAS
	// session set-up, echo and response codes.
	OpOther Operation = iota
	// OpRead reads process data: functions 1–4 and 24, UMAS reads of
	// memory blocks, variables, coils and registers, data dictionary, I/O
	// objects and PLC status.
	OpRead
	// OpWrite changes process data: functions 5, 6, 15, 16, 22 and 23
	// (which reads as well, and is classed by its write), UMAS writes of
	// memory blocks, variables, coils, registers, physical addresses and
	// I/O objects.
	OpWrite
	// OpDiagnostics reads or clears diagnostic state: function 8 except
	// sub-functions 1 and 4, functions 7, 11 and 12, UMAS Check PLC.
	OpDiagnostics
	// OpControl changes the device's operating state: Diagnostics 8/01
	// (restart communications) and 8/04 (force listen only mode), UMAS
	// Start PLC, Stop PLC and Set Breakpoint.
	OpControl
	// OpIdentity asks the device who it is: Read Device Identification
	// (43/14), Report Server ID (17), UMAS Read ID, Read Project Info, Read
	// PLC Info and Read Card Info.
	OpIdentity
	// OpFile transfers file records: Read File Record (20) and Write File
	// Record (21).
	OpFile
	// OpProgram transfers the PLC's program (UMAS initialize, block and end
	// of download to the PLC or upload from it, preload, backup and
	// restore).
	OpProgram
	// OpReservation takes, keeps or releases the PLC's reservation for one
	// engineering station, or authenticates it (UMAS Take and Release
	// Reservation, Keep Alive, Enhanced Reservation, Private Message).
	OpReservation
)

var operationNames = [...]string{
	"other", "read", "write", "diagnostics", "control", "identity", "file", "program", "reservation",
}

// Known reports whether op is one of the operations above.
func (op Operation) Known() bool { return int(op) < len(operationNames) }

// String returns the operation's name ("read", "write", "diagnostics",
// "control", "identity", "file", "program", "reservation", "other"), or
// "operation 0x09" for another value.
func (op Operation) String() string {
	if op.Known() {
		return operationNames[op]
	}
	return unknownString("operation", uint(op), 2)
}

// AppendText appends the String form of op to b. It never fails.
func (op Operation) AppendText(b []byte) ([]byte, error) {
	if op.Known() {
		return append(b, operationNames[op]...), nil
	}
	return appendUnknown(b, "operation", uint(op), 2), nil
}

// Operation returns the operation of function code c (exception bit
// ignored) when the code alone decides it. Codes whose operation depends
// on what follows them (8, 43 and 90) give OpDiagnostics, OpOther and
// OpOther here; [Frame.Operation] looks at the sub-function, MEI type or
// UMAS function.
func (c FunctionCode) Operation() Operation {
	switch c & 0x7f {
	case ReadCoils, ReadDiscreteInputs, ReadHoldingRegisters, ReadInputRegisters, ReadFIFOQueue:
		return OpRead
	case WriteSingleCoil, WriteSingleRegister, WriteMultipleCoils, WriteMultipleRegisters,
		MaskWriteRegister, ReadWriteMultipleRegisters:
		return OpWrite
	case ReadExceptionStatus, Diagnostics, GetCommEventCounter, GetCommEventLog:
		return OpDiagnostics
	case ReportServerID:
		return OpIdentity
	case ReadFileRecord, WriteFileRecord:
		return OpFile
	}
	return OpOther
}

// Operation returns OpControl for Restart Communications Option (0x01) and
// Force Listen Only Mode (0x04), which change the server's state, and
// OpDiagnostics for every other sub-function, known or not.
func (s DiagSubFunction) Operation() Operation {
	switch s {
	case DiagRestartCommunicationsOption, DiagForceListenOnlyMode:
		return OpControl
	}
	return OpDiagnostics
}

// Operation returns the operation of the frame's request: the function
// code's, refined by the Diagnostics sub-function (8), the MEI type (43/14
// is OpIdentity) and the UMAS function (90). A response gives the operation
// its own bytes show, which for UMAS (whose responses carry only a status)
// is OpOther: take the operation from the request, which [Conn] pairs with
// it. It does not allocate.
func (f *Frame) Operation() Operation {
	switch f.Function {
	case Diagnostics:
		if d, ok := f.Diagnostic(); ok {
			return d.Sub.Operation()
		}
		return OpDiagnostics
	case EncapsulatedInterfaceTransport:
		if t, _, ok := f.MEI(); ok && t == MEIReadDeviceID {
			return OpIdentity
		}
		return OpOther
	case UMAS:
		if u, ok := f.UMAS(); ok {
			return u.Function.Operation()
		}
		return OpOther
	}
	return f.Function.Operation()
}
