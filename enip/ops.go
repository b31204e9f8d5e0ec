package enip

// Operation classifies what a request does to a device, for monitoring:
// reads, writes, configuration changes, control (start, stop, reset, mode
// change), program transfer (upload, download), connection management and
// identity queries. It is derived from the service, the class and, for
// PCCC, the command and function ([ServiceOperation], [PCCCOperation],
// [CommandOperation], [Request.Operation]).
type Operation uint8

// Operations.
const (
	// OpOther: anything else (No Operation, Multiple Service Packet and
	// Unconnected Send themselves, whose embedded services are classified
	// on their own, unknown services).
	OpOther Operation = iota
	// OpRead: Get attribute services, Logix tag reads, template reads,
	// PCCC reads.
	OpRead
	// OpWrite: Set attribute services on application objects, Create,
	// Delete, Logix tag writes, PCCC writes.
	OpWrite
	// OpConfigure: Set attribute services on the device's configuration
	// objects (Identity, TCP/IP Interface, Ethernet Link, Port, QoS, DLR,
	// Time Sync, security objects), PCCC port configuration.
	OpConfigure
	// OpStart: Start (0x06).
	OpStart
	// OpStop: Stop (0x07), PCCC shutdown.
	OpStop
	// OpReset: Reset (0x05), PCCC restart.
	OpReset
	// OpModeChange: PCCC run/program mode changes, output enables, force
	// disables.
	OpModeChange
	// OpUpload: program or file transfer from the device (File object
	// uploads, PCCC uploads).
	OpUpload
	// OpDownload: program or file transfer to the device (File object
	// downloads, PCCC downloads and edits).
	OpDownload
	// OpConnect: Forward Open and Large Forward Open.
	OpConnect
	// OpDisconnect: Forward Close.
	OpDisconnect
	// OpIdentity: identity queries: ListIdentity, ListServices,
	// ListInterfaces, Get services on the Identity object.
	OpIdentity
	// OpDiagnostics: PCCC diagnostic commands.
	OpDiagnostics
	numOperations
)

var operationNames = [numOperations]string{
	"other", "read", "write", "configure", "start", "stop", "reset", "mode_change",
	"upload", "download", "connect", "disconnect", "identity", "diagnostics",
}

// Known reports whether o is one of the defined operations.
func (o Operation) Known() bool { return o < numOperations }

// String returns the operation's name ("read", "mode_change"), or
// "operation 0x20" for an undefined value.
func (o Operation) String() string {
	if o < numOperations {
		return operationNames[o]
	}
	return unknownString("operation", uint64(o), 2)
}

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (o Operation) AppendText(b []byte) ([]byte, error) {
	if o < numOperations {
		return append(b, operationNames[o]...), nil
	}
	return appendUnknown(b, "operation", uint64(o), 2), nil
}

// configClass reports whether class holds the device's own configuration.
func configClass(c Class) bool {
	switch c {
	case ClassIdentity, ClassTimeSync, 0x47, 0x48, 0x5D, 0x5E, 0x5F, 0xF3, ClassPort, ClassTCPIP, ClassEthernetLink:
		return true
	}
	return false
}

// ServiceOperation classifies service svc read in context ctx on class.
// Execute PCCC is classified by its command ([PCCCOperation]); here it is
// OpOther. It does not allocate.
func ServiceOperation(svc Service, ctx Context, class Class) Operation {
	switch svc {
	case SvcGetAttributesAll, SvcGetAttributeList, SvcGetAttributeSingle, SvcGetMember,
		SvcFindNextObjectInstance, SvcGetConnectionPointMemberList:
		if class == ClassIdentity {
			return OpIdentity
		}
		return OpRead
	case SvcSetAttributesAll, SvcSetAttributeList, SvcSetAttributeSingle, SvcSetMember,
		SvcInsertMember, SvcRemoveMember, SvcCreate, SvcDelete, SvcApplyAttributes,
		SvcRestore, SvcSave:
		if configClass(class) {
			return OpConfigure
		}
		return OpWrite
	case SvcReset:
		return OpReset
	case SvcStart:
		return OpStart
	case SvcStop:
		return OpStop
	}
	switch ctx {
	case ContextConnectionManager:
		switch svc {
		case SvcForwardOpen, SvcLargeForwardOpen:
			return OpConnect
		case SvcForwardClose:
			return OpDisconnect
		case SvcGetConnectionData, SvcSearchConnectionData, SvcGetConnectionOwner:
			return OpRead
		}
	case ContextLogix:
		switch svc {
		case SvcReadTag, SvcReadTagFragmented, SvcGetInstanceAttributeList:
			return OpRead
		case SvcWriteTag, SvcWriteTagFragmented, SvcReadModifyWriteTag:
			return OpWrite
		}
	case ContextTemplate:
		if svc == SvcReadTemplate {
			return OpRead
		}
	case ContextFile:
		switch svc {
		case SvcInitiateUpload, SvcUploadTransfer, SvcInitiatePartialRead:
			return OpUpload
		case SvcInitiateDownload, SvcDownloadTransfer, SvcInitiatePartialWrite, SvcClearFile:
			return OpDownload
		}
	}
	return OpOther
}

// CommandOperation classifies an encapsulation command: the list commands
// are identity queries; SendRRData and SendUnitData are classified by the
// CIP services they carry. It does not allocate.
func CommandOperation(c Command) Operation {
	switch c {
	case CmdListIdentity, CmdListServices, CmdListInterfaces:
		return OpIdentity
	}
	return OpOther
}
