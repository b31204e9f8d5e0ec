package enip

// PCCC command codes (the low nibble of the CMD byte; the reply bit 0x40 and
// the priority bit are ignored), from the DF1 protocol manual.
const (
	PCCCProtectedWrite      = 0x00
	PCCCUnprotectedRead     = 0x01
	PCCCProtectedBitWrite   = 0x02
	PCCCUnprotectedBitWrite = 0x05
	PCCCDiagnostic          = 0x06
	PCCCOutputsAndMode      = 0x07
	PCCCUnprotectedWrite    = 0x08
	PCCCExtended            = 0x0F
)

// PCCCCommandName names a PCCC command code, or returns "" for a code the
// package does not know. It does not allocate.
func PCCCCommandName(cmd uint8) string {
	switch cmd & 0x0F {
	case PCCCProtectedWrite:
		return "Protected Write"
	case PCCCUnprotectedRead:
		return "Unprotected Read"
	case PCCCProtectedBitWrite:
		return "Protected Bit Write"
	case PCCCUnprotectedBitWrite:
		return "Unprotected Bit Write"
	case PCCCDiagnostic:
		return "Diagnostic"
	case PCCCOutputsAndMode:
		return "Outputs and Mode"
	case PCCCUnprotectedWrite:
		return "Unprotected Write"
	case PCCCExtended:
		return "Extended"
	}
	return ""
}

// pcccHasFunction reports whether command cmd carries a function code.
func pcccHasFunction(cmd uint8) bool {
	switch cmd & 0x0F {
	case PCCCDiagnostic, PCCCOutputsAndMode, 0x0E, PCCCExtended:
		return true
	}
	return false
}

// PCCCFunctionName names the function code fnc of PCCC command cmd (0x06,
// 0x07 or 0x0F), following the DF1 protocol manual, or returns "" for a
// code the package does not know. It does not allocate.
func PCCCFunctionName(cmd, fnc uint8) string {
	switch cmd & 0x0F {
	case PCCCDiagnostic:
		switch fnc {
		case 0x00:
			return "Echo"
		case 0x01:
			return "Read diagnostic counters"
		case 0x02:
			return "Set variables"
		case 0x03:
			return "Diagnostic status"
		case 0x04:
			return "Set timeout"
		case 0x05:
			return "Set NAKs"
		case 0x06:
			return "Set ENQs"
		case 0x07:
			return "Reset diagnostic counters"
		case 0x08:
			return "Set data table size"
		case 0x09:
			return "Read link parameters"
		case 0x0A:
			return "Set link parameters"
		}
	case PCCCOutputsAndMode:
		switch fnc {
		case 0x00:
			return "Disable outputs"
		case 0x01:
			return "Enable outputs"
		case 0x03:
			return "Enable PLC scanning"
		case 0x04:
			return "Enter download mode"
		case 0x05:
			return "Exit download/upload mode"
		case 0x06:
			return "Enter upload mode"
		}
	case PCCCExtended:
		return pccc0FName(fnc)
	}
	return ""
}

func pccc0FName(fnc uint8) string {
	switch fnc {
	case 0x00:
		return "Word range write"
	case 0x01:
		return "Word range read"
	case 0x02:
		return "Bit write"
	case 0x03:
		return "File write"
	case 0x04:
		return "File read"
	case 0x05:
		return "Download request"
	case 0x06:
		return "Upload"
	case 0x07:
		return "Shutdown"
	case 0x08:
		return "Physical write"
	case 0x09:
		return "Physical read"
	case 0x0A:
		return "Restart request"
	case 0x11:
		return "Get edit resource"
	case 0x12:
		return "Return edit resource"
	case 0x17:
		return "Read bytes physical"
	case 0x18:
		return "Write bytes physical"
	case 0x26:
		return "Read-modify-write"
	case 0x29:
		return "Read section size"
	case 0x3A:
		return "Set CPU mode"
	case 0x41:
		return "Disable forces"
	case 0x50:
		return "Download all request"
	case 0x52:
		return "Download completed"
	case 0x53:
		return "Upload all request"
	case 0x55:
		return "Upload completed"
	case 0x57:
		return "Initialize memory"
	case 0x5E:
		return "Modify PLC-2 compatibility file"
	case 0x67:
		return "Typed write"
	case 0x68:
		return "Typed read"
	case 0x79:
		return "Read-modify-write N"
	case 0x80:
		return "Change CPU mode"
	case 0x81:
		return "Open file"
	case 0x82:
		return "Close file"
	case 0x88:
		return "Execute multiple commands"
	case 0x8F:
		return "Apply port configuration"
	case 0xA1:
		return "Protected typed logical read with two address fields"
	case 0xA2:
		return "Protected typed logical read with three address fields"
	case 0xA7:
		return "Protected typed file read"
	case 0xA9:
		return "Protected typed logical write with two address fields"
	case 0xAA:
		return "Protected typed logical write with three address fields"
	case 0xAB:
		return "Protected typed logical masked-write with three address fields"
	case 0xAF:
		return "Protected typed file write"
	}
	return ""
}

// PCCCOperation classifies PCCC command cmd with function fnc (ignored for
// commands without one). It does not allocate.
func PCCCOperation(cmd, fnc uint8) Operation {
	switch cmd & 0x0F {
	case PCCCUnprotectedRead:
		return OpRead
	case PCCCProtectedWrite, PCCCProtectedBitWrite, PCCCUnprotectedBitWrite, PCCCUnprotectedWrite:
		return OpWrite
	case PCCCDiagnostic:
		return OpDiagnostics
	case PCCCOutputsAndMode:
		switch fnc {
		case 0x04:
			return OpDownload
		case 0x06:
			return OpUpload
		case 0x00, 0x01, 0x03, 0x05:
			return OpModeChange
		}
	case PCCCExtended:
		switch fnc {
		case 0x01, 0x04, 0x09, 0x17, 0x29, 0x68, 0xA1, 0xA2, 0xA7:
			return OpRead
		case 0x00, 0x02, 0x03, 0x08, 0x18, 0x26, 0x5E, 0x67, 0x79, 0xA9, 0xAA, 0xAB, 0xAF:
			return OpWrite
		case 0x05, 0x50, 0x52, 0x57, 0x11, 0x12:
			return OpDownload
		case 0x06, 0x53, 0x55:
			return OpUpload
		case 0x07:
			return OpStop
		case 0x0A:
			return OpReset
		case 0x3A, 0x80, 0x41:
			return OpModeChange
		case 0x8F:
			return OpConfigure
		}
	}
	return OpOther
}
