package enip

import "github.com/icsdissect/icsdissect/internal/wire"

// Service is a CIP service code without the reply bit. The same code means
// different things on different classes; see [Service.Name].
type Service uint8

// Common services (CIP Vol. 1, Appendix A).
const (
	SvcGetAttributesAll       Service = 0x01
	SvcSetAttributesAll       Service = 0x02
	SvcGetAttributeList       Service = 0x03
	SvcSetAttributeList       Service = 0x04
	SvcReset                  Service = 0x05
	SvcStart                  Service = 0x06
	SvcStop                   Service = 0x07
	SvcCreate                 Service = 0x08
	SvcDelete                 Service = 0x09
	SvcMultipleServicePacket  Service = 0x0A
	SvcApplyAttributes        Service = 0x0D
	SvcGetAttributeSingle     Service = 0x0E
	SvcSetAttributeSingle     Service = 0x10
	SvcFindNextObjectInstance Service = 0x11
	SvcRestore                Service = 0x15
	SvcSave                   Service = 0x16
	SvcNOP                    Service = 0x17
	SvcGetMember              Service = 0x18
	SvcSetMember              Service = 0x19
	SvcInsertMember           Service = 0x1A
	SvcRemoveMember           Service = 0x1B
	SvcGroupSync              Service = 0x1C
)

// Object-specific services of the Connection Manager (class 0x06).
const (
	SvcForwardClose         Service = 0x4E
	SvcUnconnectedSend      Service = 0x52
	SvcForwardOpen          Service = 0x54
	SvcGetConnectionData    Service = 0x56
	SvcSearchConnectionData Service = 0x57
	SvcGetConnectionOwner   Service = 0x5A
	SvcLargeForwardOpen     Service = 0x5B
)

// Object-specific services of Logix controllers (symbol class 0x6B,
// template class 0x6C, or symbolic paths).
const (
	SvcReadTag                  Service = 0x4C
	SvcWriteTag                 Service = 0x4D
	SvcReadModifyWriteTag       Service = 0x4E
	SvcReadTagFragmented        Service = 0x52
	SvcWriteTagFragmented       Service = 0x53
	SvcGetInstanceAttributeList Service = 0x55
)

// SvcExecutePCCC is the PCCC object's (class 0x67) Execute PCCC service.
const SvcExecutePCCC Service = 0x4B

// Classes with their own service or attribute decoding.
const (
	ClassIdentity          uint32 = 0x01
	ClassMessageRouter     uint32 = 0x02
	ClassAssembly          uint32 = 0x04
	ClassConnectionManager uint32 = 0x06
	ClassPCCC              uint32 = 0x67
	ClassSymbol            uint32 = 0x6B
	ClassTemplate          uint32 = 0x6C
	ClassTCPIP             uint32 = 0xF5
	ClassEthernetLink      uint32 = 0xF6
)

// Context tells how object-specific service codes (0x32-0x63) are read.
// It comes from the class of the request path; a path that starts with a
// symbolic segment is a Logix tag ([ContextLogix]).
type Context uint8

// Service contexts.
const (
	ContextGeneric Context = iota
	ContextConnectionManager
	ContextLogix
	ContextPCCC
)

// ContextOf returns the service context of a request on class (0 when the
// path has no class) and whether its path is symbolic.
func ContextOf(class uint32, symbolic bool) Context {
	switch class {
	case ClassConnectionManager:
		return ContextConnectionManager
	case ClassPCCC:
		return ContextPCCC
	case ClassSymbol, ClassTemplate:
		return ContextLogix
	}
	if symbolic {
		return ContextLogix
	}
	return ContextGeneric
}

// Known reports whether s is a common service or, in context c, a known
// object-specific service.
func (s Service) Known(c Context) bool { return s.Name(c) != "Unknown Service" }

// String returns the service's name when read as a common service. It does
// not allocate.
func (s Service) String() string { return s.Name(ContextGeneric) }

// Name returns the service's name in context c. It does not allocate.
func (s Service) Name(c Context) string {
	switch s {
	case SvcGetAttributesAll:
		return "Get Attributes All"
	case SvcSetAttributesAll:
		return "Set Attributes All"
	case SvcGetAttributeList:
		return "Get Attribute List"
	case SvcSetAttributeList:
		return "Set Attribute List"
	case SvcReset:
		return "Reset"
	case SvcStart:
		return "Start"
	case SvcStop:
		return "Stop"
	case SvcCreate:
		return "Create"
	case SvcDelete:
		return "Delete"
	case SvcMultipleServicePacket:
		return "Multiple Service Packet"
	case SvcApplyAttributes:
		return "Apply Attributes"
	case SvcGetAttributeSingle:
		return "Get Attribute Single"
	case SvcSetAttributeSingle:
		return "Set Attribute Single"
	case SvcFindNextObjectInstance:
		return "Find Next Object Instance"
	case SvcRestore:
		return "Restore"
	case SvcSave:
		return "Save"
	case SvcNOP:
		return "Nop"
	case SvcGetMember:
		return "Get Member"
	case SvcSetMember:
		return "Set Member"
	case SvcInsertMember:
		return "Insert Member"
	case SvcRemoveMember:
		return "Remove Member"
	case SvcGroupSync:
		return "Group Sync"
	}
	switch c {
	case ContextConnectionManager:
		switch s {
		case SvcForwardClose:
			return "Forward Close"
		case SvcUnconnectedSend:
			return "Unconnected Send"
		case SvcForwardOpen:
			return "Forward Open"
		case SvcGetConnectionData:
			return "Get Connection Data"
		case SvcSearchConnectionData:
			return "Search Connection Data"
		case SvcGetConnectionOwner:
			return "Get Connection Owner"
		case SvcLargeForwardOpen:
			return "Large Forward Open"
		}
	case ContextLogix:
		switch s {
		case SvcReadTag:
			return "Read Tag"
		case SvcWriteTag:
			return "Write Tag"
		case SvcReadModifyWriteTag:
			return "Read Modify Write Tag"
		case SvcReadTagFragmented:
			return "Read Tag Fragmented"
		case SvcWriteTagFragmented:
			return "Write Tag Fragmented"
		case SvcGetInstanceAttributeList:
			return "Get Instance Attribute List"
		}
	case ContextPCCC:
		if s == SvcExecutePCCC {
			return "Execute PCCC"
		}
	}
	return "Unknown Service"
}

// GeneralStatus is a CIP general status code. A non-zero GeneralStatus
// implements error.
type GeneralStatus uint8

// Some general status codes (CIP Vol. 1, Appendix B).
const (
	StatusOK                  GeneralStatus = 0x00
	StatusConnectionFailure   GeneralStatus = 0x01
	StatusPathSegmentError    GeneralStatus = 0x04
	StatusPathUnknown         GeneralStatus = 0x05
	StatusPartialTransfer     GeneralStatus = 0x06
	StatusServiceNotSupported GeneralStatus = 0x08
	StatusEmbeddedServiceErr  GeneralStatus = 0x1E
	StatusVendorSpecific      GeneralStatus = 0x1F
)

var generalStatusNames = [...]string{
	"Success",
	"Connection failure",
	"Resource unavailable",
	"Invalid parameter value",
	"Path segment error",
	"Path destination unknown",
	"Partial transfer",
	"Connection lost",
	"Service not supported",
	"Invalid attribute value",
	"Attribute list error",
	"Already in requested mode/state",
	"Object state conflict",
	"Object already exists",
	"Attribute not settable",
	"Privilege violation",
	"Device state conflict",
	"Reply data too large",
	"Fragmentation of a primitive value",
	"Not enough data",
	"Attribute not supported",
	"Too much data",
	"Object does not exist",
	"Service fragmentation sequence not in progress",
	"No stored attribute data",
	"Store operation failure",
	"Routing failure, request packet too large",
	"Routing failure, response packet too large",
	"Missing attribute list entry data",
	"Invalid attribute value list",
	"Embedded service error",
	"Vendor specific error",
	"Invalid parameter",
	"Write-once value or medium already written",
	"Invalid reply received",
	"Buffer overflow",
	"Invalid message format",
	"Key failure in path",
	"Path size invalid",
	"Unexpected attribute in list",
	"Invalid Member ID",
	"Member not settable",
	"Group 2 only server general failure",
	"Unknown Modbus error",
	"Attribute not gettable",
	"Instance not deletable",
	"Service not supported for specified path",
}

// Known reports whether g is a defined general status.
func (g GeneralStatus) Known() bool { return int(g) < len(generalStatusNames) }

// String returns the status's description. It does not allocate.
func (g GeneralStatus) String() string {
	if int(g) < len(generalStatusNames) {
		return generalStatusNames[g]
	}
	return "Reserved"
}

// Error implements error.
func (g GeneralStatus) Error() string { return "cip: " + g.String() }

// Message is one decoded CIP message router request or response. Its views
// alias the input.
type Message struct {
	// Service is the service code without the reply bit.
	Service Service
	// Response is the reply bit (0x80) of the service byte.
	Response bool
	// PathWords is the request path size in 16-bit words, as sent.
	PathWords uint8
	// Status is the general status (responses only).
	Status GeneralStatus
	// Anomalies flags oddities in the message header.
	Anomalies Anomaly
	// Path is the request path (requests only).
	Path Path
	// ExtStatus views the additional status words (responses only).
	ExtStatus []byte
	// Data is the request or response data.
	Data []byte
}

// ParseMessage decodes a CIP message router request or response. It does
// not allocate.
func ParseMessage(b []byte) (m Message, err error) {
	err = m.Decode(b)
	return m, err
}

// Decode is [ParseMessage] into a caller-owned Message, which it
// overwrites. It does not allocate.
func (m *Message) Decode(b []byte) error {
	if len(b) >= 4 && b[0]&0x80 != 0 {
		// Reply: every field is written once.
		end := 4 + 2*int(b[3])
		if end <= len(b) {
			m.Service = Service(b[0] & 0x7F)
			m.Response = true
			m.PathWords = 0
			m.Status = GeneralStatus(b[2])
			m.Anomalies = 0
			if !m.Status.Known() {
				m.Anomalies = AnomUnknownGeneralStatus
			}
			m.Path = nil
			m.ExtStatus = b[4:end:end]
			m.Data = b[end:]
			return nil
		}
	}
	*m = Message{}
	if len(b) == 0 {
		return ErrTruncated
	}
	m.Service = Service(b[0] & 0x7F)
	m.Response = b[0]&0x80 != 0
	if len(b) < 2 {
		return ErrTruncated
	}
	if m.Response {
		if len(b) < 4 {
			return ErrTruncated
		}
		m.Status = GeneralStatus(b[2])
		if !m.Status.Known() {
			m.Anomalies |= AnomUnknownGeneralStatus
		}
		end := 4 + 2*int(b[3])
		if end > len(b) {
			return ErrTruncated
		}
		m.ExtStatus = b[4:end:end]
		m.Data = b[end:]
		return nil
	}
	m.PathWords = b[1]
	end := 2 + 2*int(b[1])
	if end > len(b) {
		m.Path = Path(b[2:])
		return ErrTruncated
	}
	m.Path = Path(b[2:end:end])
	m.Data = b[end:]
	return nil
}

// ExtStatusLen returns the number of additional status words.
func (m *Message) ExtStatusLen() int { return len(m.ExtStatus) / 2 }

// ExtStatusAt returns additional status word i.
func (m *Message) ExtStatusAt(i int) uint16 { return wire.LE16(m.ExtStatus[2*i:]) }

// Target returns the summary of the request path (see [Path.Target]).
func (m *Message) Target() Target { return m.Path.Target() }

// Context returns the service context of a request from its path.
func (m *Message) Context() Context {
	t := m.Path.Target()
	return ContextOf(t.Class, t.Symbolic)
}
