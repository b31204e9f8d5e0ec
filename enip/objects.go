package enip

import "github.com/icsdissect/icsdissect/internal/wire"

// Identity holds the Identity object's (class 0x01) attributes: what a
// device says it is. Has tells which attributes were set.
type Identity struct {
	VendorID     VendorID   // attribute 1
	DeviceType   DeviceType // attribute 2
	ProductCode  uint16     // attribute 3
	Revision     Revision   // attribute 4
	Status       uint16     // attribute 5
	SerialNumber uint32     // attribute 6
	// ProductName views the SHORT_STRING's characters (attribute 7).
	ProductName []byte
	State       uint8 // attribute 8
	// ConfigConsistency is the configuration consistency value (attribute
	// 9).
	ConfigConsistency uint16
	// HeartbeatInterval is in seconds (attribute 10).
	HeartbeatInterval uint8
	// Has is a bitset of the attributes present: bit n for attribute n.
	Has uint16
}

// ParseIdentity decodes the Identity object's Get Attributes All reply
// data: attributes 1-7, then state, configuration consistency value and
// heartbeat interval as far as the data goes. It does not allocate.
func ParseIdentity(b []byte) (Identity, bool) {
	var id Identity
	for attr := uint32(1); attr <= 10 && len(b) > 0; attr++ {
		n, ok := AttributeSize(ClassIdentity, attr, b)
		if !ok || !id.SetAttribute(attr, b[:n]) {
			break
		}
		b = b[n:]
	}
	return id, id.Has&0xFE == 0xFE
}

// SetAttribute decodes the value of Identity attribute attr (1-10) from the
// front of b (a Get Attribute Single reply's data, or one attribute of a Get
// Attribute List reply) into id. It reports false for other attributes or
// short data. It does not allocate.
func (id *Identity) SetAttribute(attr uint32, b []byte) bool {
	r := wire.Reader(b)
	ok := false
	switch attr {
	case 1:
		ok = r.U16LE((*uint16)(&id.VendorID))
	case 2:
		ok = r.U16LE((*uint16)(&id.DeviceType))
	case 3:
		ok = r.U16LE(&id.ProductCode)
	case 4:
		ok = r.U8(&id.Revision.Major) && r.U8(&id.Revision.Minor)
	case 5:
		ok = r.U16LE(&id.Status)
	case 6:
		ok = r.U32LE(&id.SerialNumber)
	case 7:
		var n uint8
		ok = r.U8(&n) && r.Bytes(&id.ProductName, int(n))
	case 8:
		ok = r.U8(&id.State)
	case 9:
		ok = r.U16LE(&id.ConfigConsistency)
	case 10:
		ok = r.U8(&id.HeartbeatInterval)
	}
	if ok {
		id.Has |= 1 << attr
	}
	return ok
}

// InterfaceConfig is the TCP/IP Interface object's (class 0xF5) attribute
// 5. Addresses are in network order as dotted quads read them.
type InterfaceConfig struct {
	IP, Mask, Gateway, NameServer, NameServer2 [4]byte
	// DomainName views the STRING's characters.
	DomainName []byte
}

func readIPv4LE(r *wire.Reader, out *[4]byte) bool {
	var v uint32
	if !r.U32LE(&v) {
		return false
	}
	*out = [4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
	return true
}

// ParseInterfaceConfig decodes TCP/IP Interface attribute 5. It does not
// allocate.
func ParseInterfaceConfig(b []byte) (InterfaceConfig, bool) {
	var c InterfaceConfig
	r := wire.Reader(b)
	var n uint16
	if !readIPv4LE(&r, &c.IP) || !readIPv4LE(&r, &c.Mask) || !readIPv4LE(&r, &c.Gateway) ||
		!readIPv4LE(&r, &c.NameServer) || !readIPv4LE(&r, &c.NameServer2) || !r.U16LE(&n) ||
		!r.Bytes(&c.DomainName, int(n)) {
		return c, false
	}
	return c, true
}

// ParseHostName decodes TCP/IP Interface attribute 6 (a STRING with a
// 16-bit length). It does not allocate.
func ParseHostName(b []byte) ([]byte, bool) {
	r := wire.Reader(b)
	var n uint16
	var s []byte
	if !r.U16LE(&n) || !r.Bytes(&s, int(n)) {
		return nil, false
	}
	return s, true
}

// ParseMAC decodes Ethernet Link (class 0xF6) attribute 3, the physical
// address.
func ParseMAC(b []byte) ([6]byte, bool) {
	var m [6]byte
	if len(b) < 6 {
		return m, false
	}
	copy(m[:], b)
	return m, true
}

// TCPIPInterface holds the TCP/IP Interface object's (class 0xF5)
// attributes 1-6. Has tells which were set.
type TCPIPInterface struct {
	Status           uint32 // attribute 1
	ConfigCapability uint32 // attribute 2
	ConfigControl    uint32 // attribute 3
	// PhysicalLink is the path to the link object (attribute 4).
	PhysicalLink Path
	Config       InterfaceConfig // attribute 5
	// HostName views the host name's characters (attribute 6).
	HostName []byte
	// Has is a bitset of the attributes present: bit n for attribute n.
	Has uint16
}

// SetAttribute decodes TCP/IP Interface attribute attr (1-6) from the front
// of b into t. It reports false for other attributes or short data. It does
// not allocate.
func (t *TCPIPInterface) SetAttribute(attr uint32, b []byte) bool {
	r := wire.Reader(b)
	ok := false
	switch attr {
	case 1:
		ok = r.U32LE(&t.Status)
	case 2:
		ok = r.U32LE(&t.ConfigCapability)
	case 3:
		ok = r.U32LE(&t.ConfigControl)
	case 4:
		var words uint16
		var p []byte
		if ok = r.U16LE(&words) && r.Bytes(&p, 2*int(words)); ok {
			t.PhysicalLink = Path(p)
		}
	case 5:
		var c InterfaceConfig
		if c, ok = ParseInterfaceConfig(b); ok {
			t.Config = c
		}
	case 6:
		var h []byte
		if h, ok = ParseHostName(b); ok {
			t.HostName = h
		}
	}
	if ok {
		t.Has |= 1 << attr
	}
	return ok
}

// EthernetLink holds the Ethernet Link object's (class 0xF6) attributes
// 1-3. Has tells which were set.
type EthernetLink struct {
	Speed uint32 // attribute 1, Mbit/s
	Flags uint32 // attribute 2
	MAC   [6]byte
	// Has is a bitset of the attributes present: bit n for attribute n.
	Has uint16
}

// SetAttribute decodes Ethernet Link attribute attr (1-3) from the front of
// b into e. It reports false for other attributes or short data. It does
// not allocate.
func (e *EthernetLink) SetAttribute(attr uint32, b []byte) bool {
	r := wire.Reader(b)
	ok := false
	switch attr {
	case 1:
		ok = r.U32LE(&e.Speed)
	case 2:
		ok = r.U32LE(&e.Flags)
	case 3:
		var mac [6]byte
		if mac, ok = ParseMAC(b); ok {
			e.MAC = mac
		}
	}
	if ok {
		e.Has |= 1 << attr
	}
	return ok
}

// AttributeSize returns the size of the value of attribute attr of class at
// the front of b, for the attributes whose layout the package knows:
// Identity 1-10, Message Router 1, TCP/IP Interface 1-6 and Ethernet Link
// 1-3. Padding after a string is counted when present. ok is false for
// other attributes or when b is too short for the value.
func AttributeSize(class Class, attr uint32, b []byte) (n int, ok bool) {
	switch class {
	case ClassIdentity:
		switch attr {
		case 1, 2, 3, 4, 5, 9:
			n = 2
		case 6:
			n = 4
		case 7:
			if len(b) == 0 {
				return 0, false
			}
			n = 1 + int(b[0])
		case 8, 10:
			n = 1
		}
	case ClassMessageRouter:
		if attr == 1 && len(b) >= 2 {
			n = 2 + 2*int(wire.LE16(b))
		}
	case ClassTCPIP:
		switch attr {
		case 1, 2, 3:
			n = 4
		case 4:
			if len(b) >= 2 {
				n = 2 + 2*int(wire.LE16(b))
			}
		case 5:
			if len(b) >= 22 {
				n = 22 + int(wire.LE16(b[20:]))
				return padded(n, len(b))
			}
		case 6:
			if len(b) >= 2 {
				n = 2 + int(wire.LE16(b))
				return padded(n, len(b))
			}
		}
	case ClassEthernetLink:
		switch attr {
		case 1, 2:
			n = 4
		case 3:
			n = 6
		}
	}
	if n == 0 || n > len(b) {
		return 0, false
	}
	return n, true
}

// padded returns n rounded up to even when the pad byte is there.
func padded(n, have int) (int, bool) {
	if n > have {
		return 0, false
	}
	if n%2 == 1 && n < have {
		n++
	}
	return n, true
}

// gaaLast is the last attribute whose layout the package knows in a Get
// Attributes All reply of class c.
func gaaLast(c Class) uint32 {
	switch c {
	case ClassIdentity:
		return 10
	case ClassMessageRouter:
		return 1
	case ClassTCPIP:
		return 6
	case ClassEthernetLink:
		return 3
	}
	return 0
}

// Attribute is one attribute of an attribute list: its id, the status
// that list replies give each attribute, and a view of its value when the
// value is there and its size known.
type Attribute struct {
	ID uint32
	// Status is the attribute's status in Get and Set Attribute List
	// replies (HasStatus).
	Status    GeneralStatus
	HasStatus bool
	// Value views the attribute's value; nil when the list carries none
	// (a failed attribute, a Set Attribute List reply) or when its size is
	// unknown, which ends the walk.
	Value []byte
}

const (
	attrGetListReply = iota + 1
	attrSetListRequest
	attrSetListReply
	attrGetAllReply
)

// Attributes is a cursor over the attributes of a Get Attribute List reply
// (id, status, value), a Set Attribute List request (id, value) or reply
// (id, status), or a Get Attributes All reply (ids 1, 2, ... in order):
//
//	attrs := m.Attributes(class)
//	for attrs.Next() {
//		a := attrs.Attribute()
//	}
//	if err := attrs.Err(); err != nil { ... }
//
// Values are sized by the class's attribute layout ([AttributeSize]); the
// walk stops after an attribute whose value it cannot size, as Wireshark's
// does. It does not allocate.
type Attributes struct {
	r     wire.Reader
	kind  uint8
	class Class
	count uint16
	seen  uint16
	last  uint32
	cur   Attribute
	err   Error
	done  bool
}

// Attributes returns a cursor over the attributes of m, a Get Attribute
// List reply, a Set Attribute List request or reply, or a Get Attributes
// All reply; class is the class the request addresses (from its path, or
// a [Request]'s). For other messages it yields nothing and Err returns
// [ErrService].
func (m *CIPMessage) Attributes(class Class) Attributes {
	a := Attributes{r: wire.Reader(m.Data), class: class}
	switch {
	case m.Service == SvcGetAttributeList && m.Response:
		a.kind = attrGetListReply
	case m.Service == SvcSetAttributeList && !m.Response:
		a.kind = attrSetListRequest
	case m.Service == SvcSetAttributeList && m.Response:
		a.kind = attrSetListReply
	case m.Service == SvcGetAttributesAll && m.Response:
		a.kind = attrGetAllReply
		a.last = gaaLast(class)
		return a
	default:
		a.err = ErrService
		return a
	}
	if len(m.Data) == 0 {
		a.done = true
	} else if !a.r.U16LE(&a.count) {
		a.err = ErrTruncated
	}
	return a
}

// Count returns the attribute count field of list services (0 for Get
// Attributes All).
func (a *Attributes) Count() int { return int(a.count) }

// Next advances to the next attribute and reports whether there is one.
func (a *Attributes) Next() bool {
	if a.err != 0 || a.done {
		return false
	}
	a.cur = Attribute{}
	if a.kind == attrGetAllReply {
		id := a.seen + 1
		if uint32(id) > a.last || a.r.Len() == 0 {
			a.done = true
			return false
		}
		n, ok := AttributeSize(a.class, uint32(id), a.r)
		if !ok {
			a.done = true
			return false
		}
		a.seen = id
		a.cur.ID = uint32(id)
		a.r.Bytes(&a.cur.Value, n)
		return true
	}
	if a.seen >= a.count {
		a.done = true
		return false
	}
	var id, st uint16
	if !a.r.U16LE(&id) {
		a.err = ErrTruncated
		return false
	}
	a.cur.ID = uint32(id)
	if a.kind != attrSetListRequest {
		if !a.r.U16LE(&st) {
			a.err = ErrTruncated
			return false
		}
		a.cur.Status, a.cur.HasStatus = GeneralStatus(st), true
	}
	a.seen++
	if a.kind == attrSetListReply || st != 0 {
		return true
	}
	n, ok := AttributeSize(a.class, a.cur.ID, a.r)
	if !ok {
		// The value's size is unknown: nothing after it can be found.
		a.done = true
		return true
	}
	a.r.Bytes(&a.cur.Value, n)
	return true
}

// Attribute returns the current attribute.
func (a *Attributes) Attribute() Attribute { return a.cur }

// Err returns the error that stopped the cursor, if any.
func (a *Attributes) Err() error {
	if a.err == 0 {
		return nil
	}
	return a.err
}
