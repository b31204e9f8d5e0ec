package enip

import "github.com/icsdissect/icsdissect/internal/wire"

// Command is an encapsulation command code. It is an open enum: unknown
// values are kept.
type Command uint16

// Encapsulation commands (CIP Vol. 2, Table 2-3.2). 0x0001-0x0003 and
// 0x0005-0x0062 are reserved for legacy use.
const (
	CmdNOP               Command = 0x0000
	CmdListTargets       Command = 0x0001 // legacy
	CmdLegacy2           Command = 0x0002 // legacy
	CmdLegacy3           Command = 0x0003 // legacy
	CmdListServices      Command = 0x0004
	CmdListIdentity      Command = 0x0063
	CmdListInterfaces    Command = 0x0064
	CmdRegisterSession   Command = 0x0065
	CmdUnRegisterSession Command = 0x0066
	CmdSendRRData        Command = 0x006F
	CmdSendUnitData      Command = 0x0070
	CmdIndicateStatus    Command = 0x0072
	CmdCancel            Command = 0x0073
	CmdStartDTLS         Command = 0x00C8
)

// Known reports whether c is a command defined by the specification,
// including the legacy codes 0x0001-0x0003.
func (c Command) Known() bool {
	switch c >> 6 {
	case 0: // NOP, legacy 1-3, ListServices
		return c <= CmdListServices
	case 1: // 0x63-0x66, 0x6F, 0x70, 0x72, 0x73
		const mask uint64 = 1<<(0x63-64) | 1<<(0x64-64) | 1<<(0x65-64) | 1<<(0x66-64) |
			1<<(0x6F-64) | 1<<(0x70-64) | 1<<(0x72-64) | 1<<(0x73-64)
		return mask>>(c-64)&1 != 0
	case 3:
		return c == CmdStartDTLS
	}
	return false
}

// Legacy reports whether c lies in a range reserved for legacy commands
// (0x0001-0x0003, 0x0005-0x0062).
func (c Command) Legacy() bool {
	return (c >= 0x0001 && c <= 0x0003) || (c >= 0x0005 && c <= 0x0062)
}

func (c Command) name() string {
	switch c {
	case CmdNOP:
		return "NOP"
	case CmdListTargets:
		return "List Targets (legacy)"
	case CmdLegacy2:
		return "Legacy 0x0002"
	case CmdLegacy3:
		return "Legacy 0x0003"
	case CmdListServices:
		return "List Services"
	case CmdListIdentity:
		return "List Identity"
	case CmdListInterfaces:
		return "List Interfaces"
	case CmdRegisterSession:
		return "Register Session"
	case CmdUnRegisterSession:
		return "Unregister Session"
	case CmdSendRRData:
		return "Send RR Data"
	case CmdSendUnitData:
		return "Send Unit Data"
	case CmdIndicateStatus:
		return "Indicate Status"
	case CmdCancel:
		return "Cancel"
	case CmdStartDTLS:
		return "StartDTLS"
	}
	return ""
}

// String returns the command's name, or "command 0x0099" for an undefined
// code. It allocates only for undefined codes.
func (c Command) String() string { return nameOr(c.name(), "command", uint64(c), 4) }

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (c Command) AppendText(b []byte) ([]byte, error) {
	return appendName(b, c.name(), "command", uint64(c), 4), nil
}

// Status is an encapsulation status code. A non-zero Status implements
// error.
type Status uint32

// Encapsulation status codes (CIP Vol. 2, Table 2-3.3).
const (
	StatusSuccess            Status = 0x0000
	StatusInvalidCommand     Status = 0x0001
	StatusNoMemory           Status = 0x0002
	StatusIncorrectData      Status = 0x0003
	StatusInvalidSession     Status = 0x0064
	StatusInvalidLength      Status = 0x0065
	StatusUnsupportedVersion Status = 0x0069
	StatusEncapHeaderError   Status = 0x006A // Wireshark's name for 0x6A
)

// Known reports whether s is a status code the specification defines.
func (s Status) Known() bool {
	switch s {
	case StatusSuccess, StatusInvalidCommand, StatusNoMemory, StatusIncorrectData,
		StatusInvalidSession, StatusInvalidLength, StatusUnsupportedVersion,
		StatusEncapHeaderError:
		return true
	}
	return false
}

func (s Status) name() string {
	switch s {
	case StatusSuccess:
		return "Success"
	case StatusInvalidCommand:
		return "Unsupported command"
	case StatusNoMemory:
		return "Insufficient memory"
	case StatusIncorrectData:
		return "Poorly formed or incorrect data"
	case StatusInvalidSession:
		return "Invalid session handle"
	case StatusInvalidLength:
		return "Invalid length"
	case StatusUnsupportedVersion:
		return "Unsupported encapsulation protocol revision"
	case StatusEncapHeaderError:
		return "Encapsulated CIP service not allowed on this port"
	}
	return ""
}

// String returns the status's description, or "status 0x0099" for an
// undefined code. It allocates only for undefined codes.
func (s Status) String() string { return nameOr(s.name(), "status", uint64(s), 4) }

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (s Status) AppendText(b []byte) ([]byte, error) {
	return appendName(b, s.name(), "status", uint64(s), 4), nil
}

// Error implements error for non-zero status codes. It allocates.
func (s Status) Error() string { return "enip: status: " + s.String() }

// Header is the 24-byte encapsulation header.
type Header struct {
	Command Command
	// Length is the byte count of the data after the header, as sent.
	Length  uint16
	Session uint32
	Status  Status
	// Context is the sender context, echoed by the target.
	Context [8]byte
	Options uint32
}

// Frame is one decoded encapsulation PDU. Data and the views reached through
// its accessors alias the input given to [Parse].
type Frame struct {
	Header
	// Data is the command-specific data (Length bytes, or fewer when the
	// input was cut).
	Data []byte
	// Anomalies flags oddities of the header that did not stop decoding.
	Anomalies Anomaly
}

// Parse decodes the encapsulation PDU at the start of b. n is the number of
// bytes it spans (24 + Length). When b is shorter than that, err is
// [ErrTruncated] and n is 0; when at least the header is there, the
// returned Frame still holds the header and the data present. Parse does
// not allocate.
func Parse(b []byte) (f Frame, n int, err error) {
	n, err = f.Decode(b)
	return f, n, err
}

// Decode is [Parse] into a caller-owned Frame, which it overwrites: the
// decode-in-place form for loops that reuse one Frame. It does not
// allocate.
func (f *Frame) Decode(b []byte) (n int, err error) {
	if len(b) < HeaderLen {
		*f = Frame{}
		return 0, ErrTruncated
	}
	// The fields are checked in registers, before they are stored.
	_ = b[23]
	cmd := Command(b[0]) | Command(b[1])<<8
	length := uint16(b[2]) | uint16(b[3])<<8
	st := Status(b[8]) | Status(b[9])<<8 | Status(b[10])<<16 | Status(b[11])<<24
	opts := uint32(b[20]) | uint32(b[21])<<8 | uint32(b[22])<<16 | uint32(b[23])<<24
	var a Anomaly
	if (cmd != CmdSendRRData && cmd != CmdSendUnitData) || st != StatusSuccess || opts != 0 {
		a = headerAnomalies(cmd, st, opts)
	}
	f.Command = cmd
	f.Length = length
	f.Session = wire.LE32(b[4:])
	f.Status = st
	f.Context = [8]byte(b[12:20])
	f.Options = opts
	f.Anomalies = a
	n = HeaderLen + int(length)
	if n > len(b) {
		return f.cut(b)
	}
	f.Data = b[HeaderLen:n:n]
	return n, nil
}

// cut keeps the data of a PDU cut short; Decode calls it off its common
// path.
//
//go:noinline
func (f *Frame) cut(b []byte) (int, error) {
	f.Data = b[HeaderLen:len(b):len(b)]
	return 0, ErrTruncated
}

// headerAnomalies flags unknown commands and status codes and non-zero
// options; Decode calls it off its common path.
func headerAnomalies(c Command, st Status, opts uint32) Anomaly {
	var a Anomaly
	if !c.Known() {
		a |= AnomalyUnknownCommand
	}
	if st != StatusSuccess && !st.Known() {
		a |= AnomalyUnknownStatus
	}
	if opts != 0 {
		a |= AnomalyNonzeroOptions
	}
	return a
}

// HasCPF reports whether the command's data is (or may be) a Common Packet
// Format item list: SendRRData and SendUnitData (after the interface handle
// and timeout), and the replies to ListIdentity, ListServices and
// ListInterfaces.
func (f *Frame) HasCPF() bool {
	switch f.Command {
	case CmdSendRRData, CmdSendUnitData, CmdListIdentity, CmdListServices, CmdListInterfaces:
		return true
	}
	return false
}

// cpfData returns the CPF section of the command data.
func (f *Frame) cpfData() ([]byte, bool) {
	switch f.Command {
	case CmdSendRRData, CmdSendUnitData:
		if len(f.Data) < 6 {
			return nil, false
		}
		return f.Data[6:], true
	case CmdListIdentity, CmdListServices, CmdListInterfaces:
		return f.Data, true
	}
	return nil, false
}

// SendData holds the fixed fields in front of the CPF of SendRRData and
// SendUnitData.
type SendData struct {
	// InterfaceHandle is 0 for CIP.
	InterfaceHandle uint32
	Timeout         uint16
}

// SendData returns the interface handle and timeout of a SendRRData or
// SendUnitData frame.
func (f *Frame) SendData() (SendData, bool) {
	if (f.Command != CmdSendRRData && f.Command != CmdSendUnitData) || len(f.Data) < 6 {
		return SendData{}, false
	}
	return SendData{InterfaceHandle: wire.LE32(f.Data), Timeout: wire.LE16(f.Data[4:])}, true
}

// RegisterSession is the data of RegisterSession requests and replies.
type RegisterSession struct {
	ProtocolVersion uint16
	Options         uint16
}

// RegisterSession returns the data of a RegisterSession frame.
func (f *Frame) RegisterSession() (RegisterSession, bool) {
	if f.Command != CmdRegisterSession || len(f.Data) < 4 {
		return RegisterSession{}, false
	}
	return RegisterSession{ProtocolVersion: wire.LE16(f.Data), Options: wire.LE16(f.Data[2:])}, true
}

// Items returns a cursor over the CPF items of the frame. For commands
// without a CPF, or an empty request (ListIdentity request), the cursor
// yields nothing.
func (f *Frame) Items() Items {
	b, ok := f.cpfData()
	if !ok {
		if f.Command == CmdSendRRData || f.Command == CmdSendUnitData {
			return Items{err: ErrTruncated}
		}
		return Items{}
	}
	return NewItems(b)
}

// CIPData is the CIP payload of a SendRRData or SendUnitData frame.
type CIPData struct {
	// Connected is true for a Connected Data item (SendUnitData), false
	// for an Unconnected Data item.
	Connected bool
	// ConnID is the Connected Address item's connection id (0 with a Null
	// Address item).
	ConnID uint32
	// Seq is the 16-bit sequence count that starts connected data.
	Seq uint16
	// Msg is the CIP message: decode it with [ParseCIP].
	Msg []byte
}

// CIP returns the CIP message of a SendRRData or SendUnitData frame: the
// fast path for the usual address item plus data item, falling back to the
// [Items] cursor for other layouts (extra sockaddr items, other orders).
// It does not allocate.
func (f *Frame) CIP() (CIPData, bool) {
	var c CIPData
	ok := f.DecodeCIP(&c)
	return c, ok
}

// DecodeCIP is [Frame.CIP] into a caller-owned CIPData, which it
// overwrites. It does not allocate.
func (f *Frame) DecodeCIP(c *CIPData) bool {
	d := f.Data
	if (f.Command == CmdSendRRData || f.Command == CmdSendUnitData) && len(d) >= 16 && wire.LE16(d[6:]) == 2 {
		// The address item's type and length as one word: a Null Address
		// item (0x0000, 0 bytes) or a Connected Address item (0x00A1, 4
		// bytes). The data item follows.
		var id uint32
		var r []byte
		switch uint32(d[8]) | uint32(d[9])<<8 | uint32(d[10])<<16 | uint32(d[11])<<24 {
		case uint32(ItemNullAddress):
			r = d[12:]
		case uint32(ItemConnectedAddress) | 4<<16:
			id, r = wire.LE32(d[12:]), d[16:]
		default:
			return f.cipSlow(c)
		}
		if len(r) >= 4 {
			n1 := int(r[2]) | int(r[3])<<8
			if 4+n1 == len(r) {
				switch ItemType(r[0]) | ItemType(r[1])<<8 {
				case ItemUnconnectedData:
					c.Connected, c.ConnID, c.Seq, c.Msg = false, id, 0, r[4:]
					return true
				case ItemConnectedData:
					if n1 >= 2 {
						c.Connected, c.ConnID, c.Seq, c.Msg = true, id, uint16(r[4])|uint16(r[5])<<8, r[6:]
						return true
					}
				}
			}
		}
	}
	return f.cipSlow(c)
}

// cipSlow walks the items with the cursor; it is kept out of DecodeCIP so
// that the fast path has a small stack frame.
//
//go:noinline
func (f *Frame) cipSlow(out *CIPData) bool {
	*out = CIPData{}
	if f.Command != CmdSendRRData && f.Command != CmdSendUnitData {
		return false
	}
	var c CIPData
	for it := f.Items(); it.Next(); {
		item := it.Item()
		switch item.Type {
		case ItemConnectedAddress:
			c.ConnID, _ = item.ConnectedAddress()
		case ItemUnconnectedData, ItemConnectedData:
			var ok bool
			*out, ok = c.fill(item.Type, item.Data)
			return ok
		}
	}
	return false
}

func (c CIPData) fill(t ItemType, b []byte) (CIPData, bool) {
	switch t {
	case ItemUnconnectedData:
		c.Msg = b
		return c, true
	case ItemConnectedData:
		if len(b) < 2 {
			return c, false
		}
		c.Connected = true
		c.Seq = wire.LE16(b)
		c.Msg = b[2:]
		return c, true
	}
	return c, false
}
