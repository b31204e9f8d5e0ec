package enip

// PCCCCommandName names a PCCC command code (the low nibble of CMD; the
// reply bit 0x40 is ignored). It does not allocate.
func PCCCCommandName(cmd uint8) string {
	switch cmd & 0x0F {
	case 0x01:
		return "Unprotected Read"
	case 0x02:
		return "Protected Write"
	case 0x03:
		return "Protected Read"
	case 0x05:
		return "Unprotected Bit Write"
	case 0x06:
		return "Diagnostic"
	case 0x07:
		return "Command 0x07"
	case 0x08:
		return "Unprotected Write"
	case 0x0F:
		return "Command 0x0F"
	}
	return "Unknown"
}

// PCCCFunctionName names the function code fnc of PCCC command cmd (0x06,
// 0x07 or 0x0F), following the DF1 protocol manual. It does not allocate.
func PCCCFunctionName(cmd, fnc uint8) string {
	switch cmd & 0x0F {
	case 0x06:
		switch fnc {
		case 0x00:
			return "Echo"
		case 0x01:
			return "Read Diagnostic Counters"
		case 0x02:
			return "Set Variables"
		case 0x03:
			return "Diagnostic Status"
		case 0x04:
			return "Set Timeout"
		case 0x05:
			return "Set NAKs"
		case 0x06:
			return "Set ENQs"
		case 0x07:
			return "Reset Diagnostic Counters"
		}
	case 0x07:
		switch fnc {
		case 0x00:
			return "Disable Outputs"
		case 0x01:
			return "Enable Outputs"
		case 0x03:
			return "Enter Download Mode"
		case 0x04:
			return "Exit Download/Upload Mode"
		case 0x05:
			return "Enter Upload Mode"
		case 0x06:
			return "Enter PLC Test Mode"
		}
	case 0x0F:
		switch fnc {
		case 0x00:
			return "Word Range Write"
		case 0x01:
			return "Word Range Read"
		case 0x02:
			return "Bit Write"
		case 0x11:
			return "Get Edit Resource"
		case 0x12:
			return "Return Edit Resource"
		case 0x17:
			return "Read Bytes Physical"
		case 0x18:
			return "Write Bytes Physical"
		case 0x26:
			return "Read-Modify-Write"
		case 0x29:
			return "Read Section Size"
		case 0x3A:
			return "Set CPU Mode"
		case 0x41:
			return "Disable Forces"
		case 0x50:
			return "Change Mode"
		case 0x52:
			return "Upload All Request"
		case 0x53:
			return "Upload Completed"
		case 0x55:
			return "Download All Request"
		case 0x56:
			return "Download Completed"
		case 0x67:
			return "Typed Write"
		case 0x68:
			return "Typed Read"
		case 0x80:
			return "Change Mode"
		case 0x88:
			return "Apply Port Configuration"
		case 0xA1:
			return "Protected Typed Logical Read (2 address fields)"
		case 0xA2:
			return "Protected Typed Logical Read (3 address fields)"
		case 0xA9:
			return "Protected Typed Logical Write (2 address fields)"
		case 0xAA:
			return "Protected Typed Logical Write (3 address fields)"
		case 0xAB:
			return "Protected Typed Logical Masked Write (3 address fields)"
		}
	}
	return "Unknown"
}
