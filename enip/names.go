package enip

// VendorID is a CIP vendor id, as the Identity object, ListIdentity and
// electronic keys carry it. It is an open enum; names come from ODVA's
// vendor id list.
type VendorID uint16

// Some vendor ids.
const (
	VendorRockwell  VendorID = 0x0001
	VendorSchneider VendorID = 0x00F3
	VendorSiemens   VendorID = 0x04E3
)

// Known reports whether v is assigned in the ODVA vendor list.
func (v VendorID) Known() bool { return int(v) < len(vendorNames) && vendorNames[v] != "" }

func (v VendorID) name() string {
	if int(v) < len(vendorNames) {
		return vendorNames[v]
	}
	return ""
}

// String returns the vendor's name ("Rockwell Automation/Allen-Bradley"),
// or "vendor 0x1234" for an id the list does not assign. It allocates only
// for unassigned ids.
func (v VendorID) String() string { return nameOr(v.name(), "vendor", uint64(v), 4) }

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (v VendorID) AppendText(b []byte) ([]byte, error) {
	return appendName(b, v.name(), "vendor", uint64(v), 4), nil
}

// DeviceType is a CIP device type (device profile), as the Identity object
// carries it. It is an open enum; names come from the ODVA device profile
// list.
type DeviceType uint16

// Some device types.
const (
	DeviceGeneric               DeviceType = 0x00
	DeviceACDrive               DeviceType = 0x02
	DeviceCommunicationsAdapter DeviceType = 0x0C
	DevicePLC                   DeviceType = 0x0E
	DeviceHMI                   DeviceType = 0x18
	DeviceManagedSwitch         DeviceType = 0x2C
	DeviceEmbeddedComponent     DeviceType = 0xC8
)

// Known reports whether t is a profile of the ODVA list.
func (t DeviceType) Known() bool { return t.name() != "" }

// String returns the profile's name ("Programmable Logic Controller"), or
// "device type 0x0099". It allocates only for unlisted types.
func (t DeviceType) String() string { return nameOr(t.name(), "device type", uint64(t), 4) }

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (t DeviceType) AppendText(b []byte) ([]byte, error) {
	return appendName(b, t.name(), "device type", uint64(t), 4), nil
}

func (t DeviceType) name() string {
	switch t {
	case 0x00:
		return "Generic Device (deprecated)"
	case 0x02:
		return "AC Drive"
	case 0x03:
		return "Motor Overload"
	case 0x04:
		return "Limit Switch"
	case 0x05:
		return "Inductive Proximity Switch"
	case 0x06:
		return "Photoelectric Sensor"
	case 0x07:
		return "General Purpose Discrete I/O"
	case 0x09:
		return "Resolver"
	case 0x0C:
		return "Communications Adapter"
	case 0x0E:
		return "Programmable Logic Controller"
	case 0x10:
		return "Position Controller"
	case 0x13:
		return "DC Drive"
	case 0x15:
		return "Contactor"
	case 0x16:
		return "Motor Starter"
	case 0x17:
		return "Soft Start"
	case 0x18:
		return "Human-Machine Interface"
	case 0x1A:
		return "Mass Flow Controller"
	case 0x1B:
		return "Pneumatic Valve"
	case 0x1C:
		return "Vacuum Pressure Gauge"
	case 0x1D:
		return "Process Control Value"
	case 0x1E:
		return "Residual Gas Analyzer"
	case 0x1F:
		return "DC Power Generator"
	case 0x20:
		return "RF Power Generator"
	case 0x21:
		return "Turbomolecular Vacuum Pump"
	case 0x22:
		return "Encoder"
	case 0x23:
		return "Safety Discrete I/O Device"
	case 0x24:
		return "Fluid Flow Controller"
	case 0x25:
		return "CIP Motion Drive"
	case 0x26:
		return "CompoNet Repeater"
	case 0x27:
		return "Mass Flow Controller, Enhanced"
	case 0x28:
		return "CIP Modbus Device"
	case 0x29:
		return "CIP Modbus Translator"
	case 0x2A:
		return "Safety Analog I/O Device"
	case 0x2B:
		return "Generic Device (keyable)"
	case 0x2C:
		return "Managed Ethernet Switch"
	case 0x2D:
		return "CIP Motion Safety Drive Device"
	case 0x2E:
		return "Safety Drive Device"
	case 0x2F:
		return "CIP Motion Encoder"
	case 0x30:
		return "CIP Motion Converter"
	case 0x31:
		return "CIP Motion I/O"
	case 0x32:
		return "ControlNet Physical Layer Component"
	case 0x33:
		return "Circuit Breaker"
	case 0x34:
		return "HART Device"
	case 0x35:
		return "CIP-HART Translator"
	case 0xC8:
		return "Embedded Component"
	}
	return ""
}

// ExtendedStatus is the Connection Manager's extended status: the first
// additional status word of a reply with general status 0x01 (connection
// failure). It is an open enum.
type ExtendedStatus uint16

// Some extended status codes.
const (
	ExtConnectionInUse          ExtendedStatus = 0x0100
	ExtTargetConnectionNotFound ExtendedStatus = 0x0107
	ExtUnconnectedTimeout       ExtendedStatus = 0x0204
	ExtPortNotAvailable         ExtendedStatus = 0x0311
	ExtLinkAddressNotValid      ExtendedStatus = 0x0312
)

// Known reports whether e is a code the specification defines.
func (e ExtendedStatus) Known() bool { return e.name() != "" }

// String returns the code's description ("Unconnected request timed out"),
// or "extended status 0x0999". It allocates only for undefined codes.
func (e ExtendedStatus) String() string { return nameOr(e.name(), "extended status", uint64(e), 4) }

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (e ExtendedStatus) AppendText(b []byte) ([]byte, error) {
	return appendName(b, e.name(), "extended status", uint64(e), 4), nil
}

func (e ExtendedStatus) name() string {
	switch e {
	case 0x0100:
		return "Connection in use or duplicate Forward Open"
	case 0x0103:
		return "Transport class and trigger combination not supported"
	case 0x0106:
		return "Ownership conflict"
	case 0x0107:
		return "Target connection not found"
	case 0x0108:
		return "Invalid network connection parameter"
	case 0x0109:
		return "Invalid connection size"
	case 0x0110:
		return "Target for connection not configured"
	case 0x0111:
		return "RPI not supported"
	case 0x0112:
		return "RPI value(s) not acceptable"
	case 0x0113:
		return "Out of connections"
	case 0x0114:
		return "Vendor ID or product code mismatch"
	case 0x0115:
		return "Device type mismatch"
	case 0x0116:
		return "Revision mismatch"
	case 0x0117:
		return "Invalid produced or consumed application path"
	case 0x0118:
		return "Invalid or inconsistent configuration application path"
	case 0x0119:
		return "Non-listen only connection not opened"
	case 0x011A:
		return "Target object out of connections"
	case 0x011B:
		return "RPI is smaller than the production inhibit time"
	case 0x011C:
		return "Transport class not supported"
	case 0x011D:
		return "Production trigger not supported"
	case 0x011E:
		return "Direction not supported"
	case 0x011F:
		return "Invalid O->T Fixed/Variable"
	case 0x0120:
		return "Invalid T->O Fixed/Variable"
	case 0x0121:
		return "Invalid O->T Priority"
	case 0x0122:
		return "Invalid T->O Priority"
	case 0x0123:
		return "Invalid O->T connection type"
	case 0x0124:
		return "Invalid T->O connection type"
	case 0x0125:
		return "Invalid O->T redundant owner"
	case 0x0126:
		return "Invalid configuration size"
	case 0x0127:
		return "Invalid O->T size"
	case 0x0128:
		return "Invalid T->O size"
	case 0x0129:
		return "Invalid configuration application path"
	case 0x012A:
		return "Invalid consuming application path"
	case 0x012B:
		return "Invalid producing application path"
	case 0x012C:
		return "Configuration symbol does not exist"
	case 0x012D:
		return "Consuming symbol does not exist"
	case 0x012E:
		return "Producing symbol does not exist"
	case 0x012F:
		return "Inconsistent application path combination"
	case 0x0130:
		return "Inconsistent consume data format"
	case 0x0131:
		return "Inconsistent produce data format"
	case 0x0132:
		return "NULL ForwardOpen not supported"
	case 0x0203:
		return "Connection timed out"
	case 0x0204:
		return "Unconnected request timed out"
	case 0x0205:
		return "Parameter error in unconnected request"
	case 0x0206:
		return "Message too large for UnconnectedSend"
	case 0x0207:
		return "Unconnected acknowledged without reply"
	case 0x0301:
		return "No buffer memory available"
	case 0x0302:
		return "Network bandwidth not available for data"
	case 0x0303:
		return "No consumed connection ID filter available"
	case 0x0304:
		return "Not configured to send scheduled priority data"
	case 0x0305:
		return "Schedule signature mismatch"
	case 0x0306:
		return "Schedule signature validation not possible"
	case 0x0311:
		return "Port not available"
	case 0x0312:
		return "Link address not valid"
	case 0x0315:
		return "Invalid segment in connection path"
	case 0x0316:
		return "ForwardClose connection path mismatch"
	case 0x0317:
		return "Scheduling not specified"
	case 0x0318:
		return "Link address to self invalid"
	case 0x0319:
		return "Secondary resources unavailable"
	case 0x031A:
		return "Rack connection already established"
	case 0x031B:
		return "Module connection already established"
	case 0x031C:
		return "Miscellaneous"
	case 0x031D:
		return "Redundant connection mismatch"
	case 0x031E:
		return "No more user configurable link consumer resources available in the producing module"
	case 0x031F:
		return "No more user configurable link consumer resources configured in the producing module"
	case 0x0800:
		return "Network link offline"
	case 0x0801:
		return "Incompatible Multicast RPI"
	case 0x0802:
		return "Invalid Safety Connection Size"
	case 0x0803:
		return "Invalid Safety Connection Format"
	case 0x0804:
		return "Invalid Time Correction Connection Parameters"
	case 0x0805:
		return "Invalid Ping Interval EPI Multiplier"
	case 0x0806:
		return "Time Coordination Msg Min Multiplier"
	case 0x0807:
		return "Network Time Expectation Multiplier"
	case 0x0808:
		return "Timeout Multiplier"
	case 0x0809:
		return "Invalid Max Consumer Number"
	case 0x080A:
		return "Invalid CPCRC"
	case 0x080B:
		return "Time Correction Connection ID Invalid"
	case 0x080C:
		return "SCID Mismatch"
	case 0x080D:
		return "TUNID not set"
	case 0x080E:
		return "TUNID Mismatch"
	case 0x080F:
		return "Configuration operation not allowed"
	case 0x0810:
		return "No target application data available"
	case 0x0811:
		return "No originator application data available"
	case 0x0812:
		return "Node address has changed since the network was scheduled"
	case 0x0813:
		return "Not configured for off-subnet multicast"
	case 0x0814:
		return "Invalid produce/consume data format"
	}
	return ""
}
