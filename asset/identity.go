package asset

// Field is what an identity attribute says about a device.
type Field uint8

// Identity fields.
const (
	FieldOther       Field = iota // a protocol extra: Attr.Name says what it is
	FieldVendor                   // vendor name
	FieldVendorID                 // vendor id (ODVA vendor id, as a decimal number)
	FieldProduct                  // product name
	FieldModel                    // model or order number (S7 order number, Modbus ModelName)
	FieldProductCode              // product code (ODVA product code, Modbus ProductCode)
	FieldDeviceType               // device type (ODVA device type name, S7 module type)
	FieldHardware                 // hardware revision
	FieldFirmware                 // firmware or software revision
	FieldSerial                   // serial number
	FieldName                     // station, PLC or device name given by the user
	FieldLocation                 // location or plant designation
	FieldHostName                 // network host name (CIP TCP/IP object)
	FieldMAC                      // hardware address reported by the device (CIP Ethernet Link object)
	FieldAddress                  // protocol station address (DNP3 link address, IEC 104 common address, S7 rack/slot)
	FieldMode                     // operating mode (run, stop) as the device reports it
	FieldStatus                   // device status word or state
	numFields
)

var fieldNames = [numFields]string{
	"other", "vendor", "vendor_id", "product", "model", "product_code", "device_type",
	"hardware", "firmware", "serial", "name", "location", "host_name", "mac", "address",
	"mode", "status",
}

// Known reports whether f is a defined field.
func (f Field) Known() bool { return f < numFields }

// String returns the field's snake_case name ("vendor", "firmware", ...).
// It does not allocate for known values.
func (f Field) String() string {
	if f < numFields {
		return fieldNames[f]
	}
	return unknownString("field", uint64(f), false)
}

// AppendText appends the name. It never allocates.
func (f Field) AppendText(b []byte) ([]byte, error) {
	if f < numFields {
		return append(b, fieldNames[f]...), nil
	}
	return appendUnknown(b, "field", uint64(f), false), nil
}

// Attr is one identity attribute as one message stated it.
type Attr struct {
	Field Field
	// Name is the protocol's own name for the item: "VendorName" (Modbus
	// object 0x00), "szl 0x001c index 5", "identity attribute 6",
	// "g0v248", "list_identity.serial_number". For FieldOther it says what
	// the attribute is.
	Name string
	// Value is the attribute as text: strings as sent (trailing NULs and
	// blanks removed), numbers in decimal, revisions as "major.minor",
	// serial numbers of CIP devices as 0x%08x as tshark prints them.
	Value string
	// Raw keeps the bytes of attributes whose layout is vendor-specific
	// (Modbus private objects 0x80–0xFF, Report Server ID); nil otherwise.
	Raw []byte
	// Frame is the frame the attribute came from.
	Frame uint64
}

// Identity is what one message, or a set of messages answering one query
// (a Read Device Identification answered over several responses), said
// about a device. Identity events are rare; building them allocates.
type Identity struct {
	Proto Protocol
	// Device is the device described (the server, or the sender of a
	// ListIdentity reply); Peer is the other side (the client that asked),
	// zero for unsolicited messages.
	Device, Peer Endpoint
	// Module names the part of the device described: "" for the device
	// itself, "unit 3" (a Modbus unit behind a gateway), "port 1 slot 2"
	// (a CIP module reached through an Unconnected Send route), "rack 0
	// slot 2" (an S7 CPU), "link 10" (a DNP3 outstation address),
	// "ca 1" (an IEC 104 common address), "key" (what a Forward Open's
	// electronic key expects of the target).
	Module string
	Time   int64
	Frame  uint64
	Attrs  []Attr
}

// Get returns the value of the first attribute of field f, and whether
// there is one.
func (id *Identity) Get(f Field) (string, bool) {
	for i := range id.Attrs {
		if id.Attrs[i].Field == f {
			return id.Attrs[i].Value, true
		}
	}
	return "", false
}
