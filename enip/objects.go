package enip

import "github.com/icsdissect/icsdissect/internal/wire"

// Identity holds the Identity object's (class 0x01) attributes 1-7 and,
// from a Get_Attributes_All reply, attribute 8 (state).
type Identity struct {
	VendorID     uint16
	DeviceType   uint16
	ProductCode  uint16
	Revision     Revision
	Status       uint16
	SerialNumber uint32
	// ProductName views the SHORT_STRING's characters.
	ProductName []byte
	State       uint8
	// Has is a bitset of the attributes present: bit n for attribute n.
	Has uint16
}

// ParseIdentity decodes the Identity object's Get_Attributes_All reply
// data (attributes 1-7, then state when present). It does not allocate.
func ParseIdentity(b []byte) (Identity, bool) {
	var id Identity
	r := wire.Reader(b)
	var n uint8
	if !r.U16LE(&id.VendorID) || !r.U16LE(&id.DeviceType) || !r.U16LE(&id.ProductCode) ||
		!r.U8(&id.Revision.Major) || !r.U8(&id.Revision.Minor) || !r.U16LE(&id.Status) ||
		!r.U32LE(&id.SerialNumber) || !r.U8(&n) || !r.Bytes(&id.ProductName, int(n)) {
		return id, false
	}
	id.Has = 0xFE
	if r.U8(&id.State) {
		id.Has |= 1 << 8
	}
	return id, true
}

// SetAttribute decodes the value of Identity attribute attr (1-8) from b
// (a Get_Attribute_Single reply's data) into id. It reports false for other
// attributes or short data.
func (id *Identity) SetAttribute(attr uint32, b []byte) bool {
	r := wire.Reader(b)
	ok := false
	switch attr {
	case 1:
		ok = r.U16LE(&id.VendorID)
	case 2:
		ok = r.U16LE(&id.DeviceType)
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
