package dnp3

import "math"

// AttrType is the data type code of a device attribute (group 0).
type AttrType uint8

// Device attribute data types (IEEE 1815 A.1).
const (
	AttrTypeNone      AttrType = 0
	AttrTypeVString   AttrType = 1 // visible ASCII string
	AttrTypeUint      AttrType = 2
	AttrTypeInt       AttrType = 3
	AttrTypeFloat     AttrType = 4
	AttrTypeOString   AttrType = 5 // octet string
	AttrTypeBString   AttrType = 6 // bit string
	AttrTypeTime      AttrType = 7 // DNP3 time
	AttrTypeUnicode   AttrType = 8
	AttrTypeU8BS8List AttrType = 254 // list of UINT8-BSTR8 pairs
)

func (t AttrType) name() string {
	switch t {
	case AttrTypeNone:
		return "none"
	case AttrTypeVString:
		return "visible string"
	case AttrTypeUint:
		return "unsigned integer"
	case AttrTypeInt:
		return "signed integer"
	case AttrTypeFloat:
		return "float"
	case AttrTypeOString:
		return "octet string"
	case AttrTypeBString:
		return "bit string"
	case AttrTypeTime:
		return "time"
	case AttrTypeUnicode:
		return "unicode string"
	case AttrTypeU8BS8List:
		return "uint8-bstr8 list"
	}
	return ""
}

// Known reports whether t is one of the constants above.
func (t AttrType) Known() bool { return t.name() != "" }

// String names the type ("visible string"); an unknown one prints as
// "attribute type 0x0b". It does not allocate for known values.
func (t AttrType) String() string {
	if s := t.name(); s != "" {
		return s
	}
	return unknownName("attribute type", uint64(t), 2)
}

// AppendText appends the text of String to b. It never allocates when b
// has room.
func (t AttrType) AppendText(b []byte) ([]byte, error) {
	if s := t.name(); s != "" {
		return append(b, s...), nil
	}
	return appendUnknown(b, "attribute type", uint64(t), 2), nil
}

// DeviceAttribute is a device attribute: the variation of a group 0
// object (IEEE 1815 A.2). The attributes for which Identity is true name
// the device: a monitor takes them as identity sources.
type DeviceAttribute uint8

// Device attributes.
const (
	AttrConfigID              DeviceAttribute = 196
	AttrConfigVersion         DeviceAttribute = 197
	AttrConfigBuildDate       DeviceAttribute = 198
	AttrConfigLastChange      DeviceAttribute = 199
	AttrConfigDigest          DeviceAttribute = 200
	AttrConfigDigestAlgorithm DeviceAttribute = 201
	AttrMasterResourceID      DeviceAttribute = 202
	AttrAltitude              DeviceAttribute = 203
	AttrLongitude             DeviceAttribute = 204
	AttrLatitude              DeviceAttribute = 205
	AttrSecondaryOperator     DeviceAttribute = 206
	AttrPrimaryOperator       DeviceAttribute = 207
	AttrSystemName            DeviceAttribute = 208
	AttrSecureAuthVersion     DeviceAttribute = 209
	AttrMaxRxFragment         DeviceAttribute = 241
	AttrMaxTxFragment         DeviceAttribute = 240
	AttrSoftwareVersion       DeviceAttribute = 242 // the manufacturer's software (firmware) version
	AttrHardwareVersion       DeviceAttribute = 243 // the manufacturer's hardware version
	AttrOwnerName             DeviceAttribute = 244 // user-assigned owner name
	AttrLocation              DeviceAttribute = 245 // user-assigned location name
	AttrDeviceID              DeviceAttribute = 246 // user-assigned ID code
	AttrDeviceName            DeviceAttribute = 247 // user-assigned device name
	AttrSerialNumber          DeviceAttribute = 248 // device serial number
	AttrSubset                DeviceAttribute = 249 // DNP3 subset and conformance
	AttrProductName           DeviceAttribute = 250 // the manufacturer's product name and model
	AttrManufacturer          DeviceAttribute = 252 // the manufacturer's name
	AttrAll                   DeviceAttribute = 254 // non-specific all attributes request
	AttrList                  DeviceAttribute = 255 // list of attribute variations
)

var attrNames = [60]string{
	"configuration id", "configuration version", "configuration build date",
	"configuration last change date", "configuration digest", "configuration digest algorithm",
	"master resource id", "device location altitude", "device location longitude",
	"device location latitude", "user-assigned secondary operator name",
	"user-assigned primary operator name", "user-assigned system name",
	"secure authentication version", "number of security statistics per association",
	"user-specific attributes", "number of master-defined data set prototypes",
	"number of outstation-defined data set prototypes", "number of master-defined data sets",
	"number of outstation-defined data sets", "max binary output per request",
	"local timing accuracy", "duration of time accuracy", "support for analog output events",
	"max analog output index", "number of analog outputs", "support for binary output events",
	"max binary output index", "number of binary outputs", "support for frozen counter events",
	"support for frozen counters", "support for counter events", "max counter index",
	"number of counter points", "support for frozen analog inputs",
	"support for analog input events", "max analog input index", "number of analog input points",
	"support for double-bit binary input events", "max double-bit binary input index",
	"number of double-bit binary input points", "support for binary input events",
	"max binary input index", "number of binary input points", "max transmit fragment size",
	"max receive fragment size", "software version", "hardware version",
	"user-assigned owner name", "user-assigned location name", "user-assigned id code",
	"user-assigned device name", "serial number", "dnp3 subset and conformance",
	"product name and model", "", "manufacturer", "", "all attributes",
	"list of attribute variations",
}

func (a DeviceAttribute) name() string {
	if a >= 196 {
		return attrNames[a-196]
	}
	return ""
}

// Known reports whether a is a device attribute the standard defines
// (variations 196-250, 252, 254 and 255).
func (a DeviceAttribute) Known() bool { return a.name() != "" }

// String names the attribute ("serial number"); an unknown one prints as
// "attribute 0x05". It does not allocate for known values.
func (a DeviceAttribute) String() string {
	if s := a.name(); s != "" {
		return s
	}
	return unknownName("attribute", uint64(a), 2)
}

// AppendText appends the text of String to b. It never allocates when b
// has room.
func (a DeviceAttribute) AppendText(b []byte) ([]byte, error) {
	if s := a.name(); s != "" {
		return append(b, s...), nil
	}
	return appendUnknown(b, "attribute", uint64(a), 2), nil
}

// Identity reports whether the attribute names or identifies the device:
// manufacturer, product name and model, serial number, software
// (firmware) and hardware versions, the user-assigned owner, location,
// device name and ID code, and the configuration id and version.
func (a DeviceAttribute) Identity() bool {
	switch a {
	case AttrManufacturer, AttrProductName, AttrSerialNumber, AttrSoftwareVersion,
		AttrHardwareVersion, AttrOwnerName, AttrLocation, AttrDeviceID, AttrDeviceName,
		AttrConfigID, AttrConfigVersion:
		return true
	}
	return false
}

// Attribute is a decoded device attribute (group 0 object).
type Attribute struct {
	// Attr is the attribute: the object's variation.
	Attr DeviceAttribute
	// Type is the data type.
	Type AttrType
	// Value holds the value octets; for strings, the text. It aliases the
	// fragment.
	Value []byte
}

// Uint returns an unsigned integer attribute's value.
func (a Attribute) Uint() (uint64, bool) {
	if a.Type != AttrTypeUint || len(a.Value) == 0 || len(a.Value) > 8 {
		return 0, false
	}
	var v uint64
	for i := len(a.Value) - 1; i >= 0; i-- {
		v = v<<8 | uint64(a.Value[i])
	}
	return v, true
}

// Int returns a signed integer attribute's value.
func (a Attribute) Int() (int64, bool) {
	if a.Type != AttrTypeInt || len(a.Value) == 0 || len(a.Value) > 8 {
		return 0, false
	}
	var v uint64
	for i := len(a.Value) - 1; i >= 0; i-- {
		v = v<<8 | uint64(a.Value[i])
	}
	shift := 64 - 8*uint(len(a.Value))
	return int64(v<<shift) >> shift, true
}

// Float returns a floating-point attribute's value.
func (a Attribute) Float() (float64, bool) {
	if a.Type != AttrTypeFloat {
		return 0, false
	}
	switch len(a.Value) {
	case 4:
		return float64(math.Float32frombits(le32(a.Value))), true
	case 8:
		return math.Float64frombits(uint64(le32(a.Value)) | uint64(le32(a.Value[4:]))<<32), true
	}
	return 0, false
}

// Time returns a time attribute's value, DNP3 milliseconds.
func (a Attribute) Time() (uint64, bool) {
	if a.Type != AttrTypeTime || len(a.Value) != 6 {
		return 0, false
	}
	return le48(a.Value), true
}

// Text reports whether the attribute is text (a visible or unicode
// string): Value then holds it.
func (a Attribute) Text() bool { return a.Type == AttrTypeVString || a.Type == AttrTypeUnicode }

// Attribute returns the device attribute held by the current object of a
// group 0 header.
func (c *Points) Attribute() (Attribute, bool) {
	r := c.Raw()
	if c.p.h.m.kind != KindAttribute || len(r) < 1 {
		return Attribute{}, false
	}
	a := Attribute{Attr: DeviceAttribute(c.v), Type: AttrType(r[0])}
	if len(r) >= 2 {
		a.Value = r[2:]
	}
	return a, true
}

// ControlCode is the control code octet of a CROB: operation type in bits
// 0-3, queue bit 4, clear bit 5, trip-close code in bits 6-7.
type ControlCode uint8

// Op returns the operation type.
func (c ControlCode) Op() ControlOp { return ControlOp(c & 0x0F) }

// Queue reports the queue bit (obsolete).
func (c ControlCode) Queue() bool { return c&0x10 != 0 }

// Clear reports the clear bit: cancel queued and running operations.
func (c ControlCode) Clear() bool { return c&0x20 != 0 }

// TripClose returns the trip-close code.
func (c ControlCode) TripClose() TripClose { return TripClose(c >> 6) }

// ControlOp is the operation type of a CROB control code.
type ControlOp uint8

// Operation types.
const (
	ControlNul      ControlOp = 0
	ControlPulseOn  ControlOp = 1
	ControlPulseOff ControlOp = 2
	ControlLatchOn  ControlOp = 3
	ControlLatchOff ControlOp = 4
)

var controlOpNames = [5]string{"nul", "pulse on", "pulse off", "latch on", "latch off"}

// Known reports whether o is one of the constants above.
func (o ControlOp) Known() bool { return o <= ControlLatchOff }

// String names the operation type ("pulse on"); an unknown one prints as
// "control op 0x07". It does not allocate for known values.
func (o ControlOp) String() string {
	if o.Known() {
		return controlOpNames[o]
	}
	return unknownName("control op", uint64(o), 2)
}

// AppendText appends the text of String to b. It never allocates when b
// has room.
func (o ControlOp) AppendText(b []byte) ([]byte, error) {
	if o.Known() {
		return append(b, controlOpNames[o]...), nil
	}
	return appendUnknown(b, "control op", uint64(o), 2), nil
}

// TripClose is the trip-close code of a CROB control code.
type TripClose uint8

// Trip-close codes.
const (
	TripCloseNul   TripClose = 0
	TripCloseClose TripClose = 1
	TripCloseTrip  TripClose = 2
)

var tripCloseNames = [3]string{"nul", "close", "trip"}

// Known reports whether t is one of the constants above (3 is reserved).
func (t TripClose) Known() bool { return t <= TripCloseTrip }

// String names the code ("trip"); an unknown one prints as "trip-close
// 0x03". It does not allocate for known values.
func (t TripClose) String() string {
	if t.Known() {
		return tripCloseNames[t]
	}
	return unknownName("trip-close", uint64(t), 2)
}

// AppendText appends the text of String to b. It never allocates when b
// has room.
func (t TripClose) AppendText(b []byte) ([]byte, error) {
	if t.Known() {
		return append(b, tripCloseNames[t]...), nil
	}
	return appendUnknown(b, "trip-close", uint64(t), 2), nil
}

// CommandStatus is the status of a command object (CROB, analog output
// block, command events) in a response: the control status codes of IEEE
// 1815; requests carry 0.
type CommandStatus uint8

// Command statuses.
const (
	StatusSuccess            CommandStatus = 0
	StatusTimeout            CommandStatus = 1
	StatusNoSelect           CommandStatus = 2
	StatusFormatError        CommandStatus = 3
	StatusNotSupported       CommandStatus = 4
	StatusAlreadyActive      CommandStatus = 5
	StatusHardwareError      CommandStatus = 6
	StatusLocal              CommandStatus = 7
	StatusTooManyObjects     CommandStatus = 8
	StatusNotAuthorized      CommandStatus = 9
	StatusAutomationInhibit  CommandStatus = 10
	StatusProcessingLimited  CommandStatus = 11
	StatusOutOfRange         CommandStatus = 12
	StatusDownstreamLocal    CommandStatus = 13
	StatusAlreadyComplete    CommandStatus = 14
	StatusBlocked            CommandStatus = 15
	StatusCanceled           CommandStatus = 16
	StatusBlockedOtherMaster CommandStatus = 17
	StatusDownstreamFail     CommandStatus = 18
	StatusNonParticipating   CommandStatus = 126
	StatusUndefined          CommandStatus = 127
)

var statusNames = [19]string{
	"success", "timeout", "no select", "format error", "not supported", "already active",
	"hardware error", "local", "too many objects", "not authorized", "automation inhibit",
	"processing limited", "out of range", "downstream local", "already complete", "blocked",
	"canceled", "blocked other master", "downstream fail",
}

func (s CommandStatus) name() string {
	switch {
	case int(s) < len(statusNames):
		return statusNames[s]
	case s == StatusNonParticipating:
		return "non participating"
	case s == StatusUndefined:
		return "undefined"
	}
	return ""
}

// Known reports whether s is one of the constants above.
func (s CommandStatus) Known() bool { return s.name() != "" }

// String names the status ("no select"); an unknown one prints as "status
// 0x20". It does not allocate for known values.
func (s CommandStatus) String() string {
	if n := s.name(); n != "" {
		return n
	}
	return unknownName("status", uint64(s), 2)
}

// AppendText appends the text of String to b. It never allocates when b
// has room.
func (s CommandStatus) AppendText(b []byte) ([]byte, error) {
	if n := s.name(); n != "" {
		return append(b, n...), nil
	}
	return appendUnknown(b, "status", uint64(s), 2), nil
}

// CROB is a control relay output block (g12v1) or pattern control block
// (g12v2).
type CROB struct {
	Code  ControlCode
	Count uint8
	// OnTime and OffTime are in milliseconds.
	OnTime, OffTime uint32
	Status          CommandStatus
	// Fields is how many of the fields above, in order, the object's
	// octets hold: 5 for a whole block, fewer for a block cut short (see
	// Points.Partial).
	Fields uint8
}

// CROB returns the control block of the current object of a g12v1 or
// g12v2 header, as far as its octets go (Fields). ok is false for other
// objects.
func (c *Points) CROB() (CROB, bool) {
	r := c.Raw()
	if c.p.h.m.kind != KindControl || len(r) == 0 {
		return CROB{}, false
	}
	b := CROB{Code: ControlCode(r[0]), Fields: 1}
	if len(r) >= 2 {
		b.Count, b.Fields = r[1], 2
	}
	if len(r) >= 6 {
		b.OnTime, b.Fields = le32(r[2:]), 3
	}
	if len(r) >= 10 {
		b.OffTime, b.Fields = le32(r[6:]), 4
	}
	if len(r) >= 11 {
		b.Status, b.Fields = CommandStatus(r[10]&0x7F), 5
	}
	return b, true
}

// AnalogOutput is an analog output block (g41) or analog output command
// event (g43): the value to set and the command status.
type AnalogOutput struct {
	// Int is the value of the integer variations, Float of the
	// floating-point ones (IsFloat), which were 64 bits on the wire when
	// Double.
	Int             int64
	Float           float64
	IsFloat, Double bool
	Status          CommandStatus
	// Time is the event time (g43v3, v4, v7, v8), when HasTime.
	Time    uint64
	HasTime bool
}

// AnalogOutput returns the analog output block of the current object of a
// group 41 or 43 header. ok is false for other objects, or one too short
// for its value.
func (c *Points) AnalogOutput() (AnalogOutput, bool) {
	p := c.p
	if c.g != 41 && c.g != 43 || p.h.m.kind != KindInt && p.h.m.kind != KindFloat {
		return AnalogOutput{}, false
	}
	return AnalogOutput{Int: p.Int(), Float: p.Float(), IsFloat: p.h.m.kind == KindFloat, Double: p.Double(),
		Status: p.Status(), Time: p.Time(), HasTime: p.HasTime()}, true
}

// Interval returns the interval of a time object with one: g50v2 (time and
// interval, in milliseconds: unit 1) and g50v4 (indexed absolute time and
// long interval: count and unit code, 0 no repeat, 1 milliseconds, 2
// seconds, 3 minutes, 4 hours, 5 days, 6 weeks, 7-9 months counted three
// ways, 10 seasons).
func (c *Points) Interval() (count uint32, unit uint8, ok bool) {
	r := c.Raw()
	if c.g != 50 || len(r) < 10 {
		return 0, 0, false
	}
	switch c.v {
	case 2:
		return le32(r[6:]), 1, true
	case 4:
		if len(r) >= 11 {
			return le32(r[6:]), r[10], true
		}
	}
	return 0, 0, false
}
