package dnp3

import "math"

// Device attribute data types (group 0).
const (
	AttrNone      uint8 = 0
	AttrVString   uint8 = 1 // visible ASCII string
	AttrUint      uint8 = 2
	AttrInt       uint8 = 3
	AttrFloat     uint8 = 4
	AttrOString   uint8 = 5 // octet string
	AttrBString   uint8 = 6 // bit string
	AttrTime      uint8 = 7 // DNP3 time
	AttrUnicode   uint8 = 8
	AttrU8BS8List uint8 = 254 // list of UINT8-BSTR8 pairs
)

// Group 0 variations commonly read from outstations.
const (
	AttrVarConfigID      uint8 = 196
	AttrVarSoftware      uint8 = 242 // device manufacturer's software version
	AttrVarHardware      uint8 = 243 // device manufacturer's hardware version
	AttrVarLocation      uint8 = 245 // user-assigned location name
	AttrVarDeviceID      uint8 = 246 // user-assigned ID code
	AttrVarDeviceName    uint8 = 247 // user-assigned device name
	AttrVarSerial        uint8 = 248 // device serial number
	AttrVarSubset        uint8 = 249 // DNP3 subset and conformance
	AttrVarProduct       uint8 = 250 // device product name and model
	AttrVarManufacturer  uint8 = 252 // device manufacturer's name
	AttrVarAll           uint8 = 254 // non-specific all attributes request
	AttrVarListOfAttribs uint8 = 255 // list of attribute variations
)

// AttributeName names a group 0 variation ("software version", ...), or
// returns "" for one without a standard name. It does not allocate.
func AttributeName(v uint8) string {
	switch v {
	case 196:
		return "configuration id"
	case 197:
		return "configuration version"
	case 198:
		return "configuration build date"
	case 199:
		return "configuration last change date"
	case 200:
		return "configuration digest"
	case 201:
		return "configuration digest algorithm"
	case 202:
		return "master resource id"
	case 203:
		return "device location altitude"
	case 204:
		return "device location longitude"
	case 205:
		return "device location latitude"
	case 206:
		return "user-assigned secondary operator name"
	case 207:
		return "user-assigned primary operator name"
	case 208:
		return "user-assigned system name"
	case 209:
		return "secure authentication version"
	case 210:
		return "number of security statistics per association"
	case 211:
		return "user-specific attributes"
	case 212:
		return "number of master-defined data set prototypes"
	case 213:
		return "number of outstation-defined data set prototypes"
	case 214:
		return "number of master-defined data sets"
	case 215:
		return "number of outstation-defined data sets"
	case 216:
		return "max binary output per request"
	case 217:
		return "local timing accuracy"
	case 218:
		return "duration of time accuracy"
	case 219:
		return "support for analog output events"
	case 220:
		return "max analog output index"
	case 221:
		return "number of analog outputs"
	case 222:
		return "support for binary output events"
	case 223:
		return "max binary output index"
	case 224:
		return "number of binary outputs"
	case 225:
		return "support for frozen counter events"
	case 226:
		return "support for frozen counters"
	case 227:
		return "support for counter events"
	case 228:
		return "max counter index"
	case 229:
		return "number of counter points"
	case 230:
		return "support for frozen analog inputs"
	case 231:
		return "support for analog input events"
	case 232:
		return "max analog input index"
	case 233:
		return "number of analog input points"
	case 234:
		return "support for double-bit binary input events"
	case 235:
		return "max double-bit binary input index"
	case 236:
		return "number of double-bit binary input points"
	case 237:
		return "support for binary input events"
	case 238:
		return "max binary input index"
	case 239:
		return "number of binary input points"
	case 240:
		return "max transmit fragment size"
	case 241:
		return "max receive fragment size"
	case AttrVarSoftware:
		return "software version"
	case AttrVarHardware:
		return "hardware version"
	case AttrVarLocation:
		return "location"
	case AttrVarDeviceID:
		return "device id"
	case AttrVarDeviceName:
		return "device name"
	case AttrVarSerial:
		return "serial number"
	case AttrVarSubset:
		return "dnp3 subset and conformance"
	case AttrVarProduct:
		return "product name and model"
	case AttrVarManufacturer:
		return "manufacturer"
	case AttrVarAll:
		return "all attributes"
	case AttrVarListOfAttribs:
		return "list of attribute variations"
	}
	return ""
}

// Attribute is a decoded device attribute (group 0 object).
type Attribute struct {
	// Type is the data type code (AttrVString, AttrUint, ...).
	Type uint8
	// Value holds the value octets; for strings, the text. It aliases the
	// fragment.
	Value []byte
}

// Uint returns an unsigned integer attribute's value.
func (a Attribute) Uint() (uint64, bool) {
	if a.Type != AttrUint || len(a.Value) == 0 || len(a.Value) > 8 {
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
	if a.Type != AttrInt || len(a.Value) == 0 || len(a.Value) > 8 {
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
	if a.Type != AttrFloat {
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

// Attribute returns the device attribute held by a group 0 point.
func (p *Point) Attribute() (Attribute, bool) {
	if p.Kind != KindAttribute || len(p.Raw) < 1 {
		return Attribute{}, false
	}
	if len(p.Raw) < 2 {
		return Attribute{Type: p.Raw[0]}, true
	}
	return Attribute{Type: p.Raw[0], Value: p.Raw[2:]}, true
}

// CROB is a control relay output block (g12v1) or pattern control block
// (g12v2).
type CROB struct {
	// Code is the control code octet: operation type in bits 0-3, queue
	// bit 4, clear bit 5, trip-close code in bits 6-7.
	Code        uint8
	Count       uint8
	OnMs, OffMs uint32
	Status      uint8
}

// Operation returns the operation type (0 nul, 1 pulse on, 2 pulse off, 3
// latch on, 4 latch off).
func (c CROB) Operation() uint8 { return c.Code & 0x0F }

// TripClose returns the trip-close code (0 nul, 1 close, 2 trip).
func (c CROB) TripClose() uint8 { return c.Code >> 6 }

// CROB returns the control block of a group 12 variation 1 or 2 point.
func (p *Point) CROB() (CROB, bool) {
	if p.Kind != KindControl || len(p.Raw) != 11 {
		return CROB{}, false
	}
	r := p.Raw
	return CROB{Code: r[0], Count: r[1], OnMs: le32(r[2:]), OffMs: le32(r[6:]), Status: r[10] & 0x7F}, true
}
