package enip

import "github.com/icsdissect/icsdissect/internal/wire"

// ItemType is a Common Packet Format item type id. It is an open enum.
type ItemType uint16

// CPF item types (CIP Vol. 2, Table 2-6.3).
const (
	ItemNullAddress        ItemType = 0x0000
	ItemListIdentity       ItemType = 0x000C
	ItemSecurityInfo       ItemType = 0x0086
	ItemCapability         ItemType = 0x0087
	ItemConnectedAddress   ItemType = 0x00A1
	ItemConnectedData      ItemType = 0x00B1
	ItemUnconnectedData    ItemType = 0x00B2
	ItemListServices       ItemType = 0x0100
	ItemSockaddrOT         ItemType = 0x8000
	ItemSockaddrTO         ItemType = 0x8001
	ItemSequencedAddress   ItemType = 0x8002
	ItemUnconnectedMessage ItemType = 0x8003
)

// Known reports whether t is a defined item type.
func (t ItemType) Known() bool {
	switch t {
	case ItemNullAddress, ItemListIdentity, ItemSecurityInfo, ItemCapability,
		ItemConnectedAddress, ItemConnectedData, ItemUnconnectedData,
		ItemListServices, ItemSockaddrOT, ItemSockaddrTO,
		ItemSequencedAddress, ItemUnconnectedMessage:
		return true
	}
	return false
}

// String returns the item type's name, or "item type 0x0099" for an
// undefined one. It allocates only for undefined types.
func (t ItemType) String() string { return nameOr(t.name(), "item type", uint64(t), 4) }

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (t ItemType) AppendText(b []byte) ([]byte, error) {
	return appendName(b, t.name(), "item type", uint64(t), 4), nil
}

func (t ItemType) name() string {
	switch t {
	case ItemNullAddress:
		return "Null Address Item"
	case ItemListIdentity:
		return "CIP Identity"
	case ItemSecurityInfo:
		return "CIP Security Information"
	case ItemCapability:
		return "EtherNet/IP Capability"
	case ItemConnectedAddress:
		return "Connected Address Item"
	case ItemConnectedData:
		return "Connected Data Item"
	case ItemUnconnectedData:
		return "Unconnected Data Item"
	case ItemListServices:
		return "List Services Response"
	case ItemSockaddrOT:
		return "Socket Address Info O->T"
	case ItemSockaddrTO:
		return "Socket Address Info T->O"
	case ItemSequencedAddress:
		return "Sequenced Address Item"
	case ItemUnconnectedMessage:
		return "Unconnected Message over UDP"
	}
	return ""
}

// Item is one CPF item: its type and a view of its data.
type Item struct {
	Type ItemType
	// Length is the length field as sent; Data holds that many bytes.
	Length uint16
	Data   []byte
}

// Items is a cursor over the items of a Common Packet Format list:
//
//	items := f.Items()
//	for items.Next() {
//		item := items.Item()
//	}
//	if err := items.Err(); err != nil { ... }
//
// It does not allocate.
type Items struct {
	r     wire.Reader
	count uint16
	seen  uint16
	item  Item
	err   Error
	anom  Anomaly
}

// NewItems returns a cursor over the CPF list in b (item count first).
func NewItems(b []byte) Items {
	it := Items{r: b}
	if len(b) == 0 {
		return it
	}
	if !it.r.U16LE(&it.count) {
		it.err = ErrTruncated
	}
	return it
}

// Count returns the item count field.
func (it *Items) Count() int { return int(it.count) }

// Next advances to the next item and reports whether there is one.
func (it *Items) Next() bool {
	if it.seen >= it.count || it.err != 0 {
		if it.err == 0 && len(it.r) > 0 {
			it.anom |= AnomalyTrailingBytes
		}
		return false
	}
	b := []byte(it.r)
	if len(b) < 4 {
		it.err = ErrTruncated
		it.anom |= AnomalyItemCount
		return false
	}
	t := ItemType(uint16(b[0]) | uint16(b[1])<<8)
	n := uint16(b[2]) | uint16(b[3])<<8
	it.seen++
	it.item.Type, it.item.Length = t, n
	if end := 4 + int(n); end <= len(b) {
		it.item.Data = b[4:end:end]
		it.r = b[end:]
		if !t.Known() {
			it.anom |= AnomalyUnknownItem
		}
		return true
	}
	// The cut item is still handed out; Err reports the cut.
	it.item.Data = b[4:len(b):len(b)]
	it.r = b[len(b):]
	it.err = ErrTruncated
	return true
}

// Item returns the current item.
func (it *Items) Item() Item { return it.item }

// Err returns the error that stopped the cursor, if any.
func (it *Items) Err() error {
	if it.err == 0 {
		return nil
	}
	return it.err
}

// Anomalies returns the anomalies seen so far (unknown item types, trailing
// bytes, a count that the bytes cannot hold).
func (it *Items) Anomalies() Anomaly { return it.anom }

// ConnectedAddress returns the connection id of a Connected Address item.
func (i Item) ConnectedAddress() (connID uint32, ok bool) {
	if i.Type != ItemConnectedAddress || len(i.Data) < 4 {
		return 0, false
	}
	return wire.LE32(i.Data), true
}

// SequencedAddress returns the connection id and sequence number of a
// Sequenced Address item.
func (i Item) SequencedAddress() (connID, seq uint32, ok bool) {
	if i.Type != ItemSequencedAddress || len(i.Data) < 8 {
		return 0, 0, false
	}
	return wire.LE32(i.Data), wire.LE32(i.Data[4:]), true
}

// Sockaddr is the sockaddr info of items 0x8000/0x8001 and of ListIdentity.
// Family, Port and Addr are big-endian on the wire.
type Sockaddr struct {
	Family uint16
	Port   uint16
	Addr   [4]byte
	// Zero views the 8 sin_zero bytes.
	Zero []byte
}

// IPv4 returns the address as a number, most significant byte first
// (10.1.1.164 is 0x0a0101a4).
func (s *Sockaddr) IPv4() uint32 {
	return uint32(s.Addr[0])<<24 | uint32(s.Addr[1])<<16 | uint32(s.Addr[2])<<8 | uint32(s.Addr[3])
}

func readSockaddr(b []byte) Sockaddr {
	var s Sockaddr
	s.Family = wire.BE16(b)
	s.Port = wire.BE16(b[2:])
	copy(s.Addr[:], b[4:8])
	s.Zero = b[8:16:16]
	return s
}

// Sockaddr returns the socket address of a Sockaddr Info item.
func (i Item) Sockaddr() (Sockaddr, bool) {
	if (i.Type != ItemSockaddrOT && i.Type != ItemSockaddrTO) || len(i.Data) < 16 {
		return Sockaddr{}, false
	}
	return readSockaddr(i.Data), true
}

// IdentityItem is the CIP Identity item of a ListIdentity reply.
type IdentityItem struct {
	ProtocolVersion uint16
	Socket          Sockaddr
	VendorID        VendorID
	DeviceType      DeviceType
	ProductCode     uint16
	Revision        Revision
	// Status is the Identity object's status word (attribute 5).
	Status       uint16
	SerialNumber uint32
	// ProductName views the SHORT_STRING's characters.
	ProductName []byte
	State       uint8
	// HasState is false when the item ends before the state byte.
	HasState bool
}

// Revision is a major.minor revision.
type Revision struct{ Major, Minor uint8 }

// AppendText appends "major.minor" to b.
func (r Revision) AppendText(b []byte) ([]byte, error) {
	b = appendUint(b, uint64(r.Major))
	b = append(b, '.')
	return appendUint(b, uint64(r.Minor)), nil
}

// Identity decodes a ListIdentity (0x0C) item.
func (i Item) Identity() (IdentityItem, bool) {
	var id IdentityItem
	if i.Type != ItemListIdentity {
		return id, false
	}
	r := wire.Reader(i.Data)
	var sa []byte
	var n uint8
	if !r.U16LE(&id.ProtocolVersion) || !r.Bytes(&sa, 16) ||
		!r.U16LE((*uint16)(&id.VendorID)) || !r.U16LE((*uint16)(&id.DeviceType)) || !r.U16LE(&id.ProductCode) ||
		!r.U8(&id.Revision.Major) || !r.U8(&id.Revision.Minor) || !r.U16LE(&id.Status) ||
		!r.U32LE(&id.SerialNumber) || !r.U8(&n) || !r.Bytes(&id.ProductName, int(n)) {
		return id, false
	}
	id.Socket = readSockaddr(sa)
	id.HasState = r.U8(&id.State)
	return id, true
}

// ServiceItem is a ListServices reply item.
type ServiceItem struct {
	Version      uint16
	Capabilities uint16
	// Name views the 16-byte service name, cut at its first NUL.
	Name []byte
}

// Service decodes a ListServices (0x100) item.
func (i Item) Service() (ServiceItem, bool) {
	var s ServiceItem
	if i.Type != ItemListServices {
		return s, false
	}
	r := wire.Reader(i.Data)
	if !r.U16LE(&s.Version) || !r.U16LE(&s.Capabilities) || !r.Bytes(&s.Name, 16) {
		return s, false
	}
	for j, c := range s.Name {
		if c == 0 {
			s.Name = s.Name[:j:j]
			break
		}
	}
	return s, true
}

// ConnectedMessage splits the data of a Connected Data item carried by
// SendUnitData into its 16-bit sequence count and the CIP message.
func (i Item) ConnectedMessage() (seq uint16, msg []byte, ok bool) {
	if i.Type != ItemConnectedData || len(i.Data) < 2 {
		return 0, nil, false
	}
	return wire.LE16(i.Data), i.Data[2:], true
}
