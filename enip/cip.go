package enip

import "github.com/icsdissect/icsdissect/internal/wire"

// Service is a CIP service code without the reply bit. Codes 0x01-0x1D are
// common services and mean the same on every class; codes from 0x32 on are
// object-specific and mean different things on different classes, so they
// are named only in a [Context] ([Service.Name]).
type Service uint8

// Common services (CIP Vol. 1, Appendix A).
const (
	SvcGetAttributesAll             Service = 0x01
	SvcSetAttributesAll             Service = 0x02
	SvcGetAttributeList             Service = 0x03
	SvcSetAttributeList             Service = 0x04
	SvcReset                        Service = 0x05
	SvcStart                        Service = 0x06
	SvcStop                         Service = 0x07
	SvcCreate                       Service = 0x08
	SvcDelete                       Service = 0x09
	SvcMultipleServicePacket        Service = 0x0A
	SvcApplyAttributes              Service = 0x0D
	SvcGetAttributeSingle           Service = 0x0E
	SvcSetAttributeSingle           Service = 0x10
	SvcFindNextObjectInstance       Service = 0x11
	SvcRestore                      Service = 0x15
	SvcSave                         Service = 0x16
	SvcNOP                          Service = 0x17
	SvcGetMember                    Service = 0x18
	SvcSetMember                    Service = 0x19
	SvcInsertMember                 Service = 0x1A
	SvcRemoveMember                 Service = 0x1B
	SvcGroupSync                    Service = 0x1C
	SvcGetConnectionPointMemberList Service = 0x1D
)

// Object-specific services of the Connection Manager (class 0x06,
// [ContextConnectionManager]).
const (
	SvcForwardClose         Service = 0x4E
	SvcUnconnectedSend      Service = 0x52
	SvcForwardOpen          Service = 0x54
	SvcGetConnectionData    Service = 0x56
	SvcSearchConnectionData Service = 0x57
	SvcGetConnectionOwner   Service = 0x5A
	SvcLargeForwardOpen     Service = 0x5B
)

// Object-specific services of Logix controllers on tags: symbolic paths and
// the symbol class 0x6B ([ContextLogix]).
const (
	SvcReadTag                  Service = 0x4C
	SvcWriteTag                 Service = 0x4D
	SvcReadModifyWriteTag       Service = 0x4E
	SvcReadTagFragmented        Service = 0x52
	SvcWriteTagFragmented       Service = 0x53
	SvcGetInstanceAttributeList Service = 0x55
)

// SvcReadTemplate is the Logix template object's (class 0x6C,
// [ContextTemplate]) Read service: a structure definition, by offset and
// length.
const SvcReadTemplate Service = 0x4C

// Object-specific services of the File object (class 0x37, [ContextFile]):
// uploads read a file from the device, downloads write one to it.
const (
	SvcInitiateUpload       Service = 0x4B
	SvcInitiateDownload     Service = 0x4C
	SvcInitiatePartialRead  Service = 0x4D
	SvcInitiatePartialWrite Service = 0x4E
	SvcUploadTransfer       Service = 0x4F
	SvcDownloadTransfer     Service = 0x50
	SvcClearFile            Service = 0x51
)

// SvcExecutePCCC is the PCCC object's (class 0x67, [ContextPCCC]) Execute
// PCCC service.
const SvcExecutePCCC Service = 0x4B

// Context tells how object-specific service codes are read. It comes from
// the class of a request's path ([ContextOf]); a reply has no path and is
// read in its request's context, which a [Conn] keeps.
type Context uint8

// Service contexts.
const (
	// ContextGeneric: common services only; object-specific codes have no
	// name.
	ContextGeneric Context = iota
	// ContextConnectionManager: class 0x06.
	ContextConnectionManager
	// ContextLogix: Logix tag services, on a symbolic path or on the symbol
	// class 0x6B.
	ContextLogix
	// ContextTemplate: the Logix template object, class 0x6C.
	ContextTemplate
	// ContextPCCC: the PCCC object, class 0x67.
	ContextPCCC
	// ContextFile: the File object, class 0x37.
	ContextFile
	numContexts
)

var contextNames = [numContexts]string{"Generic", "Connection Manager", "Logix", "Template", "PCCC", "File"}

// Known reports whether c is one of the defined contexts.
func (c Context) Known() bool { return c < numContexts }

// String returns the context's name ("Logix"), or "context 0x09" for an
// undefined value.
func (c Context) String() string {
	if c < numContexts {
		return contextNames[c]
	}
	return unknownString("context", uint64(c), 2)
}

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (c Context) AppendText(b []byte) ([]byte, error) {
	if c < numContexts {
		return append(b, contextNames[c]...), nil
	}
	return appendUnknown(b, "context", uint64(c), 2), nil
}

// ContextOf returns the service context of a request on class (0 when the
// path has no class) and whether its path is symbolic; a class of its own
// ([ClassConnectionManager], [ClassSymbol], ...) decides before a symbol.
func ContextOf(class Class, symbolic bool) Context {
	switch class {
	case ClassConnectionManager:
		return ContextConnectionManager
	case ClassPCCC:
		return ContextPCCC
	case ClassSymbol:
		return ContextLogix
	case ClassTemplate:
		return ContextTemplate
	case ClassFile:
		return ContextFile
	}
	if symbolic {
		return ContextLogix
	}
	return ContextGeneric
}

func (s Service) commonName() string {
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
	case SvcGetConnectionPointMemberList:
		return "Get Connection Point Member List"
	}
	return ""
}

func (s Service) specificName(c Context) string {
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
	case ContextTemplate:
		if s == SvcReadTemplate {
			return "Read Template"
		}
	case ContextPCCC:
		if s == SvcExecutePCCC {
			return "Execute PCCC"
		}
	case ContextFile:
		switch s {
		case SvcInitiateUpload:
			return "Initiate Upload"
		case SvcInitiateDownload:
			return "Initiate Download"
		case SvcInitiatePartialRead:
			return "Initiate Partial Read"
		case SvcInitiatePartialWrite:
			return "Initiate Partial Write"
		case SvcUploadTransfer:
			return "Upload Transfer"
		case SvcDownloadTransfer:
			return "Download Transfer"
		case SvcClearFile:
			return "Clear File"
		}
	}
	return ""
}

// objectSpecific reports whether some context names s.
func (s Service) objectSpecific() bool {
	for c := ContextConnectionManager; c < numContexts; c++ {
		if s.specificName(c) != "" {
			return true
		}
	}
	return false
}

// specificText is the text of String for object-specific codes, which
// cannot be named without their class.
var specificText = [...]string{
	"object-specific service 0x4b", "object-specific service 0x4c", "object-specific service 0x4d",
	"object-specific service 0x4e", "object-specific service 0x4f", "object-specific service 0x50",
	"object-specific service 0x51", "object-specific service 0x52", "object-specific service 0x53",
	"object-specific service 0x54", "object-specific service 0x55", "object-specific service 0x56",
	"object-specific service 0x57", "object-specific service 0x58", "object-specific service 0x59",
	"object-specific service 0x5a", "object-specific service 0x5b",
}

// Known reports whether s is a common service or an object-specific code
// that some context ([Service.KnownIn]) defines.
func (s Service) Known() bool { return s.commonName() != "" || s.objectSpecific() }

// KnownIn reports whether s has a name in context c: a common service, or an
// object-specific service of c's class.
func (s Service) KnownIn(c Context) bool { return s.commonName() != "" || s.specificName(c) != "" }

// String returns the name of a common service ("Get Attribute Single"). An
// object-specific code cannot be named without its class: it prints as
// "object-specific service 0x4c" (see [Service.Name]), an undefined code as
// "service 0x7f". It allocates only for undefined codes.
func (s Service) String() string {
	if n := s.commonName(); n != "" {
		return n
	}
	if s >= 0x4B && int(s-0x4B) < len(specificText) && s.objectSpecific() {
		return specificText[s-0x4B]
	}
	return unknownString("service", uint64(s), 2)
}

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (s Service) AppendText(b []byte) ([]byte, error) {
	if n := s.commonName(); n != "" {
		return append(b, n...), nil
	}
	if s >= 0x4B && int(s-0x4B) < len(specificText) && s.objectSpecific() {
		return append(b, specificText[s-0x4B]...), nil
	}
	return appendUnknown(b, "service", uint64(s), 2), nil
}

// Name returns the service's name in context c ("Read Tag" for 0x4C in
// [ContextLogix], "Read Template" in [ContextTemplate]), or "service 0x4c"
// when c does not define it. It allocates only in the latter case.
func (s Service) Name(c Context) string {
	if n := s.commonName(); n != "" {
		return n
	}
	return nameOr(s.specificName(c), "service", uint64(s), 2)
}

// AppendName appends the text of Name to b. It does not allocate when b has
// room.
func (s Service) AppendName(b []byte, c Context) []byte {
	if n := s.commonName(); n != "" {
		return append(b, n...)
	}
	return appendName(b, s.specificName(c), "service", uint64(s), 2)
}

// Class is a CIP object class id. It is an open enum; names come from the
// ODVA class list.
type Class uint16

// Classes with their own service or attribute decoding.
const (
	ClassIdentity          Class = 0x01
	ClassMessageRouter     Class = 0x02
	ClassAssembly          Class = 0x04
	ClassConnectionManager Class = 0x06
	ClassFile              Class = 0x37
	ClassTimeSync          Class = 0x43
	ClassPCCC              Class = 0x67
	ClassSymbol            Class = 0x6B
	ClassTemplate          Class = 0x6C
	ClassPort              Class = 0xF4
	ClassTCPIP             Class = 0xF5
	ClassEthernetLink      Class = 0xF6
)

// Known reports whether c is a class of the ODVA list (or a Logix symbol or
// template object).
func (c Class) Known() bool { return className(c) != "" }

// String returns the class's name ("TCP/IP Interface"), or "class 0x0399".
// It allocates only for unnamed classes.
func (c Class) String() string { return nameOr(className(c), "class", uint64(c), 4) }

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (c Class) AppendText(b []byte) ([]byte, error) {
	return appendName(b, className(c), "class", uint64(c), 4), nil
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
	StatusPrivilegeViolation  GeneralStatus = 0x0F
	StatusEmbeddedServiceErr  GeneralStatus = 0x1E
	StatusVendorSpecific      GeneralStatus = 0x1F
)

// gsPrefix starts every entry of generalStatusErrors, so that String can
// slice it off and Error need not allocate.
const gsPrefix = "enip: general status: "

var generalStatusErrors = [...]string{
	gsPrefix + "Success",
	gsPrefix + "Connection failure",
	gsPrefix + "Resource unavailable",
	gsPrefix + "Invalid parameter value",
	gsPrefix + "Path segment error",
	gsPrefix + "Path destination unknown",
	gsPrefix + "Partial transfer",
	gsPrefix + "Connection lost",
	gsPrefix + "Service not supported",
	gsPrefix + "Invalid attribute value",
	gsPrefix + "Attribute list error",
	gsPrefix + "Already in requested mode/state",
	gsPrefix + "Object state conflict",
	gsPrefix + "Object already exists",
	gsPrefix + "Attribute not settable",
	gsPrefix + "Privilege violation",
	gsPrefix + "Device state conflict",
	gsPrefix + "Reply data too large",
	gsPrefix + "Fragmentation of a primitive value",
	gsPrefix + "Not enough data",
	gsPrefix + "Attribute not supported",
	gsPrefix + "Too much data",
	gsPrefix + "Object does not exist",
	gsPrefix + "Service fragmentation sequence not in progress",
	gsPrefix + "No stored attribute data",
	gsPrefix + "Store operation failure",
	gsPrefix + "Routing failure, request packet too large",
	gsPrefix + "Routing failure, response packet too large",
	gsPrefix + "Missing attribute list entry data",
	gsPrefix + "Invalid attribute value list",
	gsPrefix + "Embedded service error",
	gsPrefix + "Vendor specific error",
	gsPrefix + "Invalid parameter",
	gsPrefix + "Write-once value or medium already written",
	gsPrefix + "Invalid reply received",
	gsPrefix + "Buffer overflow",
	gsPrefix + "Invalid message format",
	gsPrefix + "Key failure in path",
	gsPrefix + "Path size invalid",
	gsPrefix + "Unexpected attribute in list",
	gsPrefix + "Invalid Member ID",
	gsPrefix + "Member not settable",
	gsPrefix + "Group 2 only server general failure",
	gsPrefix + "Unknown Modbus error",
	gsPrefix + "Attribute not gettable",
	gsPrefix + "Instance not deletable",
	gsPrefix + "Service not supported for specified path",
}

// Known reports whether g is a defined general status.
func (g GeneralStatus) Known() bool { return int(g) < len(generalStatusErrors) }

// String returns the status's description, or "general status 0xd0" for an
// undefined code. It allocates only for undefined codes.
func (g GeneralStatus) String() string {
	if int(g) < len(generalStatusErrors) {
		return generalStatusErrors[g][len(gsPrefix):]
	}
	return unknownString("general status", uint64(g), 2)
}

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (g GeneralStatus) AppendText(b []byte) ([]byte, error) {
	if int(g) < len(generalStatusErrors) {
		return append(b, generalStatusErrors[g][len(gsPrefix):]...), nil
	}
	return appendUnknown(b, "general status", uint64(g), 2), nil
}

// Error implements error: "enip: general status: Path destination
// unknown". It does not allocate for defined codes.
func (g GeneralStatus) Error() string {
	if int(g) < len(generalStatusErrors) {
		return generalStatusErrors[g]
	}
	return gsPrefix + g.String()
}

// Words is a view of little-endian 16-bit words, such as the additional
// status of a reply.
type Words []byte

// Len returns the number of whole words.
func (w Words) Len() int { return len(w) / 2 }

// At returns word i; ok is false when i is out of range.
func (w Words) At(i int) (v uint16, ok bool) {
	if i < 0 || i >= len(w)/2 {
		return 0, false
	}
	return wire.LE16(w[2*i:]), true
}

// All calls yield with each word and its index: for i, v := range w.All.
func (w Words) All(yield func(int, uint16) bool) {
	for i := 0; i+1 < len(w); i += 2 {
		if !yield(i/2, wire.LE16(w[i:])) {
			return
		}
	}
}

// CIPMessage is one decoded CIP message router request or response. Its
// views alias the input.
type CIPMessage struct {
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
	// ExtStatus views the additional status words (responses only). With
	// general status 0x01 the first word is an [ExtendedStatus].
	ExtStatus Words
	// Data is the request or response data.
	Data []byte
}

// ParseCIP decodes a CIP message router request or response. It does not
// allocate.
func ParseCIP(b []byte) (m CIPMessage, err error) {
	err = m.Decode(b)
	return m, err
}

// Decode is [ParseCIP] into a caller-owned CIPMessage, which it overwrites.
// It does not allocate.
func (m *CIPMessage) Decode(b []byte) error {
	if err := m.decode(b); err != 0 {
		return err
	}
	return nil
}

// decode is Decode with its error as an Error (0 for none), which the
// Multiple Service Packet cursor keeps as it is.
func (m *CIPMessage) decode(b []byte) Error {
	// The whole forms first, field by field (a composite literal would be
	// built aside and copied): every field is written once.
	if len(b) >= 4 && b[0]&0x80 != 0 {
		if end := 4 + 2*int(b[3]); end <= len(b) {
			m.Service, m.Response, m.PathWords, m.Status, m.Anomalies = Service(b[0]&0x7F), true, 0, GeneralStatus(b[2]), 0
			m.Path, m.ExtStatus, m.Data = nil, Words(b[4:end:end]), b[end:]
			if !m.Status.Known() {
				m.Anomalies = AnomalyUnknownGeneralStatus
			}
			return 0
		}
	} else if len(b) >= 2 && b[0]&0x80 == 0 {
		if end := 2 + 2*int(b[1]); end <= len(b) {
			m.Service, m.Response, m.PathWords, m.Status, m.Anomalies = Service(b[0]), false, b[1], 0, 0
			m.Path, m.ExtStatus, m.Data = Path(b[2:end:end]), nil, b[end:]
			return 0
		}
	}
	*m = CIPMessage{}
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
			m.Anomalies |= AnomalyUnknownGeneralStatus
		}
		// The additional status is cut (a reply whose full form fits was
		// taken above).
		m.ExtStatus = Words(b[4:])
		return ErrTruncated
	}
	// The path is cut (a request whose full form fits was taken above).
	m.PathWords = b[1]
	m.Path = Path(b[2:])
	return ErrTruncated
}

// Target returns the summary of the request path (see [Path.Target]).
func (m *CIPMessage) Target() Target { return m.Path.Target() }

// Context returns the service context of a request from its path (see
// [Path.Context]). A reply has no path: its context is its request's.
func (m *CIPMessage) Context() Context { return m.Path.Context() }

// ExtendedStatus returns the first additional status word of a reply with
// general status 0x01 (connection failure): the Connection Manager's
// extended status.
func (m *CIPMessage) ExtendedStatus() (ExtendedStatus, bool) {
	if !m.Response || m.Status != StatusConnectionFailure {
		return 0, false
	}
	v, ok := m.ExtStatus.At(0)
	return ExtendedStatus(v), ok
}
