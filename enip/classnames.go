package enip

// className names CIP object classes (the ODVA class list, as Wireshark
// carries it, and the Logix symbol and template objects).
func className(c Class) string {
	switch c {
	case 0x01:
		return "Identity"
	case 0x02:
		return "Message Router"
	case 0x03:
		return "DeviceNet"
	case 0x04:
		return "Assembly"
	case 0x05:
		return "Connection"
	case 0x06:
		return "Connection Manager"
	case 0x07:
		return "Register"
	case 0x08:
		return "Discrete Input Point"
	case 0x09:
		return "Discrete Output Point"
	case 0x0A:
		return "Analog Input Point"
	case 0x0B:
		return "Analog Output Point"
	case 0x0E:
		return "Presence Sensing"
	case 0x0F:
		return "Parameter"
	case 0x10:
		return "Parameter Group"
	case 0x12:
		return "Group"
	case 0x1D:
		return "Discrete Input Group"
	case 0x1E:
		return "Discrete Output Group"
	case 0x1F:
		return "Discrete Group"
	case 0x20:
		return "Analog Input Group"
	case 0x21:
		return "Analog Output Group"
	case 0x22:
		return "Analog Group"
	case 0x23:
		return "Position Sensor"
	case 0x24:
		return "Position Controller Supervisor"
	case 0x25:
		return "Position Controller"
	case 0x26:
		return "Block Sequencer"
	case 0x27:
		return "Command Block"
	case 0x28:
		return "Motor Data"
	case 0x29:
		return "Control Supervisor"
	case 0x2A:
		return "AC/DC Drive"
	case 0x2B:
		return "Acknowledge Handler"
	case 0x2C:
		return "Overload"
	case 0x2D:
		return "Softstart"
	case 0x2E:
		return "Selection"
	case 0x30:
		return "S-Device Supervisor"
	case 0x31:
		return "S-Analog Sensor"
	case 0x32:
		return "S-Analog Actuator"
	case 0x33:
		return "S-Single Stage Controller"
	case 0x34:
		return "S-Gas Calibration"
	case 0x35:
		return "Trip Point"
	case 0x37:
		return "File"
	case 0x38:
		return "S-Partial Pressure"
	case 0x39:
		return "Safety Supervisor"
	case 0x3A:
		return "Safety Validator"
	case 0x3B:
		return "Safety Discrete Output Point"
	case 0x3C:
		return "Safety Discrete Output Group"
	case 0x3D:
		return "Safety Discrete Input Point"
	case 0x3E:
		return "Safety Discrete Input Group"
	case 0x3F:
		return "Safety Dual Channel Output"
	case 0x40:
		return "S-Sensor Calibration"
	case 0x41:
		return "Event Log"
	case 0x42:
		return "Motion Device Axis"
	case 0x43:
		return "Time Sync"
	case 0x44:
		return "Modbus"
	case 0x45:
		return "Originator Connection List"
	case 0x46:
		return "Modbus Serial Link"
	case 0x47:
		return "Device Level Ring (DLR)"
	case 0x48:
		return "QoS"
	case 0x49:
		return "Safety Analog Input Point"
	case 0x4A:
		return "Safety Analog Input Group"
	case 0x4B:
		return "Safety Dual Channel Analog Input"
	case 0x4C:
		return "SERCOS III Link"
	case 0x4D:
		return "Target Connection List"
	case 0x4E:
		return "Base Energy"
	case 0x4F:
		return "Electrical Energy"
	case 0x50:
		return "Non-Electrical Energy"
	case 0x51:
		return "Base Switch"
	case 0x52:
		return "SNMP"
	case 0x53:
		return "Power Management"
	case 0x54:
		return "RSTP Bridge"
	case 0x55:
		return "RSTP Port"
	case 0x56:
		return "PRP/HSR Protocol"
	case 0x57:
		return "PRP/HSR Nodes Table"
	case 0x58:
		return "Safety Feedback"
	case 0x59:
		return "Safety Dual Channel Feedback"
	case 0x5A:
		return "Safety Stop Functions"
	case 0x5B:
		return "Safety Limit Functions"
	case 0x5C:
		return "Power Curtailment"
	case 0x5D:
		return "CIP Security"
	case 0x5E:
		return "EtherNet/IP Security"
	case 0x5F:
		return "Certificate Management"
	case 0x60:
		return "Authority"
	case 0x61:
		return "Password Authenticator"
	case 0x62:
		return "Certificate Authenticator"
	case 0x67:
		return "PCCC Class"
	case 0x6B:
		return "Symbol"
	case 0x6C:
		return "Template"
	case 0xF0:
		return "ControlNet"
	case 0xF1:
		return "ControlNet Keeper"
	case 0xF2:
		return "ControlNet Scheduling"
	case 0xF3:
		return "Connection Configuration"
	case 0xF4:
		return "Port"
	case 0xF5:
		return "TCP/IP Interface"
	case 0xF6:
		return "Ethernet Link"
	case 0xF7:
		return "CompoNet"
	case 0xF8:
		return "CompoNet Repeater"
	case 0xF9:
		return "HART Master Port"
	case 0xFA:
		return "I/O Aggregation"
	case 0x100:
		return "Protection Trip"
	case 0x101:
		return "Protection Alarm"
	case 0x102:
		return "Circuit Breaker Supervisor"
	case 0x103:
		return "Circuit Breaker Statistics"
	case 0x104:
		return "Electrical Demand"
	case 0x105:
		return "Electrical Statistics"
	case 0x106:
		return "Machine Base Data"
	case 0x107:
		return "HART Process Device"
	case 0x108:
		return "Process Device Diagnostics"
	case 0x109:
		return "LLDP Management"
	case 0x10A:
		return "LLDP Data Table"
	case 0x10B:
		return "IO-Link Service Parameter"
	case 0x10C:
		return "IO-Link Master PHY"
	case 0x10D:
		return "IO-Link Device PHY"
	case 0x10E:
		return "Pilot Light Supervisor"
	case 0x10F:
		return "Select Line Link"
	case 0x110:
		return "In-Cabinet Actual Topology"
	case 0x111:
		return "In-Cabinet Commissioning"
	}
	return ""
}
