package asset

import "strconv"

// appendUnknown appends "<noun> 0x%02x" (or 0x%04x when wide) without
// allocating: the form every enum of the project uses for values it does not
// know.
func appendUnknown(b []byte, noun string, v uint64, wide bool) []byte {
	b = append(b, noun...)
	b = append(b, " 0x"...)
	const hex = "0123456789abcdef"
	digits := 2
	if wide {
		digits = 4
	}
	for v>>(4*digits) != 0 {
		digits += 2
	}
	for i := digits - 1; i >= 0; i-- {
		b = append(b, hex[(v>>(4*i))&0xf])
	}
	return b
}

// unknownString is appendUnknown as a string; it allocates (a rare path).
func unknownString(noun string, v uint64, wide bool) string {
	return string(appendUnknown(make([]byte, 0, len(noun)+8), noun, v, wide))
}

// Protocol names an industrial protocol. Its values are those of
// pcapx.Protocol, so a pcapx protocol converts with Protocol(p.Proto).
type Protocol uint8

// Protocols.
const (
	Unknown Protocol = iota
	Modbus
	S7comm
	ENIP
	DNP3
	IEC104
	numProtocols
)

var protocolNames = [numProtocols]string{"unknown", "modbus", "s7comm", "enip", "dnp3", "iec104"}

// Known reports whether p is one of the five protocols.
func (p Protocol) Known() bool { return p > Unknown && p < numProtocols }

// String returns the protocol's lower-case name ("modbus", "s7comm", "enip",
// "dnp3", "iec104"), the value of ECS network.protocol. It does not allocate
// for known values.
func (p Protocol) String() string {
	if p < numProtocols {
		return protocolNames[p]
	}
	return unknownString("protocol", uint64(p), false)
}

// AppendText appends the name. It never allocates.
func (p Protocol) AppendText(b []byte) ([]byte, error) {
	if p < numProtocols {
		return append(b, protocolNames[p]...), nil
	}
	return appendUnknown(b, "protocol", uint64(p), false), nil
}

// Transport is the layer-4 protocol that carried a PDU. Its values are the
// IP protocol numbers, as in pcapx.
type Transport uint8

// Transports.
const (
	TCP Transport = 6
	UDP Transport = 17
)

// Known reports whether t is TCP or UDP.
func (t Transport) Known() bool { return t == TCP || t == UDP }

// String returns "tcp" or "udp", the value of ECS network.transport. It does
// not allocate for known values.
func (t Transport) String() string {
	switch t {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	}
	return unknownString("transport", uint64(t), false)
}

// AppendText appends the name. It never allocates.
func (t Transport) AppendText(b []byte) ([]byte, error) {
	switch t {
	case TCP, UDP:
		return append(b, t.String()...), nil
	}
	return appendUnknown(b, "transport", uint64(t), false), nil
}

// Operation is what a PDU does, in the taxonomy a monitoring tool alerts on.
// Every access event is OpRead or OpWrite; operation events carry the others.
type Operation uint8

// Operations.
const (
	// OpOther is a PDU that matters but fits no other kind (session set-up,
	// connection management, vendor functions).
	OpOther Operation = iota
	// OpRead reads values: registers, tags, points, objects.
	OpRead
	// OpWrite writes values, including commands to outputs (DNP3 CROB, IEC
	// 104 commands).
	OpWrite
	// OpControl changes the run state of a device: run, stop, restart, reset.
	OpControl
	// OpProgram transfers or changes the control program: block upload,
	// download and delete, copy RAM to ROM, program transfer.
	OpProgram
	// OpFirmware updates firmware.
	OpFirmware
	// OpConfig changes or reads a device's configuration (network settings,
	// unsolicited reporting, class assignment, listen-only mode).
	OpConfig
	// OpTimeSync sets or reads the device clock.
	OpTimeSync
	// OpFile transfers, lists or deletes files.
	OpFile
	// OpAuth authenticates: passwords, security sessions, key changes.
	OpAuth
	// OpDiagnostics reads diagnostics, counters and status, or clears them.
	OpDiagnostics
	// OpIdentity asks a device who it is.
	OpIdentity
	numOperations
)

var operationNames = [numOperations]string{
	"other", "read", "write", "control", "program", "firmware", "configuration",
	"time_sync", "file", "authentication", "diagnostics", "identity",
}

// Known reports whether o is a defined operation.
func (o Operation) Known() bool { return o < numOperations }

// String returns the operation's snake_case name ("read", "time_sync", ...).
// It does not allocate for known values.
func (o Operation) String() string {
	if o < numOperations {
		return operationNames[o]
	}
	return unknownString("operation", uint64(o), false)
}

// AppendText appends the name. It never allocates.
func (o Operation) AppendText(b []byte) ([]byte, error) {
	if o < numOperations {
		return append(b, operationNames[o]...), nil
	}
	return appendUnknown(b, "operation", uint64(o), false), nil
}

// Action is the precise act within an Operation: the value of ECS
// event.action.
type Action uint8

// Actions.
const (
	ActionNone Action = iota
	// OpRead and OpWrite.
	ActionRead
	ActionWrite
	ActionReadWrite // a read and a write in one PDU (Modbus 23): two access events carry it
	ActionSelect    // DNP3 select, IEC 104 command with S/E = select
	ActionOperate   // DNP3 operate after select, IEC 104 command with S/E = execute
	ActionDirectOperate
	ActionDirectOperateNoAck
	ActionCommand        // IEC 104 command in the control direction (activation)
	ActionInterrogation  // IEC 104 general interrogation, DNP3 class poll
	ActionCounterRequest // IEC 104 counter interrogation
	ActionFreeze         // DNP3 freeze functions
	ActionReport         // values sent without a request (spontaneous, unsolicited, cyclic)
	// OpControl.
	ActionStop
	ActionStart
	ActionResume // S7 PI "hot restart" / warm start of the program
	ActionRestart
	ActionColdRestart
	ActionWarmRestart
	ActionReset
	ActionListenOnly // Modbus 8/04 force listen only mode
	ActionLock       // CIP / vendor lock requests
	ActionUnlock
	// OpProgram.
	ActionDownload
	ActionUpload
	ActionDelete
	ActionCopyRAMToROM
	ActionCompress
	ActionProgramTransfer
	ActionListBlocks
	// OpFirmware.
	ActionFirmwareUpdate
	// OpConfig.
	ActionSetConfig
	ActionGetConfig
	ActionEnableUnsolicited
	ActionDisableUnsolicited
	ActionAssignClass
	// OpTimeSync.
	ActionSetTime
	ActionGetTime
	ActionDelayMeasure
	// OpFile.
	ActionFileOpen
	ActionFileRead
	ActionFileWrite
	ActionFileDelete
	ActionFileList
	ActionFileClose
	ActionFileTransfer // a file service whose direction the protocol does not say
	// OpAuth.
	ActionLogin
	ActionLogout
	ActionKeyChange
	ActionChallenge
	// OpDiagnostics.
	ActionDiagnostics
	ActionClearCounters
	// OpIdentity.
	ActionReadIdentity
	// OpOther.
	ActionSessionStart
	ActionSessionEnd
	ActionVendor
	numActions
)

var actionNames = [numActions]string{
	"none", "read", "write", "read_write", "select", "operate", "direct_operate",
	"direct_operate_no_ack", "command", "interrogation", "counter_interrogation",
	"freeze", "report",
	"stop", "start", "resume", "restart", "cold_restart", "warm_restart", "reset",
	"listen_only", "lock", "unlock",
	"program_download", "program_upload", "program_delete", "copy_ram_to_rom",
	"compress_memory", "program_transfer", "list_blocks",
	"firmware_update",
	"set_configuration", "get_configuration", "enable_unsolicited", "disable_unsolicited", "assign_class",
	"set_time", "get_time", "delay_measurement",
	"file_open", "file_read", "file_write", "file_delete", "file_list", "file_close", "file_transfer",
	"login", "logout", "key_change", "challenge",
	"diagnostics", "clear_counters",
	"read_identity",
	"session_start", "session_end", "vendor_function",
}

// Known reports whether a is a defined action.
func (a Action) Known() bool { return a < numActions }

// String returns the action's snake_case name ("stop", "program_download",
// "set_time", ...). It does not allocate for known values.
func (a Action) String() string {
	if a < numActions {
		return actionNames[a]
	}
	return unknownString("action", uint64(a), false)
}

// AppendText appends the name. It never allocates.
func (a Action) AppendText(b []byte) ([]byte, error) {
	if a < numActions {
		return append(b, actionNames[a]...), nil
	}
	return appendUnknown(b, "action", uint64(a), false), nil
}

// Operation returns the operation kind an action belongs to.
func (a Action) Operation() Operation {
	switch {
	case a == ActionRead || a == ActionInterrogation || a == ActionCounterRequest || a == ActionReport:
		return OpRead
	case a >= ActionWrite && a <= ActionCommand:
		return OpWrite
	case a >= ActionStop && a <= ActionUnlock:
		return OpControl
	case a >= ActionDownload && a <= ActionListBlocks:
		return OpProgram
	case a == ActionFirmwareUpdate:
		return OpFirmware
	case a >= ActionSetConfig && a <= ActionAssignClass:
		return OpConfig
	case a >= ActionSetTime && a <= ActionDelayMeasure:
		return OpTimeSync
	case a >= ActionFileOpen && a <= ActionFileTransfer:
		return OpFile
	case a >= ActionLogin && a <= ActionChallenge:
		return OpAuth
	case a == ActionDiagnostics || a == ActionClearCounters:
		return OpDiagnostics
	case a == ActionReadIdentity:
		return OpIdentity
	}
	return OpOther
}

// Changes reports whether the action changes the device (its program,
// firmware, configuration, clock, run state or outputs) rather than only
// reading from it.
func (a Action) Changes() bool {
	switch a {
	case ActionWrite, ActionReadWrite, ActionOperate, ActionDirectOperate, ActionDirectOperateNoAck, ActionCommand,
		ActionStop, ActionStart, ActionResume, ActionRestart, ActionColdRestart, ActionWarmRestart, ActionReset,
		ActionListenOnly, ActionLock, ActionUnlock,
		ActionDownload, ActionDelete, ActionCopyRAMToROM, ActionCompress,
		ActionFirmwareUpdate, ActionSetConfig, ActionEnableUnsolicited, ActionDisableUnsolicited, ActionAssignClass,
		ActionSetTime, ActionFileWrite, ActionFileDelete, ActionKeyChange, ActionClearCounters:
		return true
	}
	return false
}

// Space is the address space of an access: a Modbus table, an S7 memory
// area, CIP tags or attributes, DNP3 points, IEC 104 information objects.
type Space uint8

// Address spaces.
const (
	SpaceNone Space = iota
	// Modbus tables.
	SpaceCoils
	SpaceDiscreteInputs
	SpaceHoldingRegisters
	SpaceInputRegisters
	SpaceFileRecords // Block is the file number, Start the record number
	SpaceFIFO        // Start is the FIFO pointer address
	// S7 areas; Block is the DB number for SpaceS7DB and SpaceS7DI, Start
	// the byte offset (the timer or counter number for timers and
	// counters) and Bit the bit.
	SpaceS7Inputs
	SpaceS7Outputs
	SpaceS7Flags
	SpaceS7DB
	SpaceS7DI
	SpaceS7Local
	SpaceS7PreviousLocal
	SpaceS7Peripheral
	SpaceS7Timers
	SpaceS7Counters
	SpaceS7IECTimers
	SpaceS7IECCounters
	SpaceS7Other  // other S7 areas (system info, NCK, drives); Block holds the area code
	SpaceS7Symbol // S7-1200 symbolic access; Symbol holds the symbol bytes as sent
	// CIP.
	SpaceCIPTag       // symbolic tag: Symbol is the tag path text, Start the first element
	SpaceCIPAttribute // Block class, Instance, Attribute
	// DNP3: Block is the object group, Instance the variation, Start the
	// first point index.
	SpaceDNP3Points
	// IEC 104: Start is the information object address of the first element,
	// Block the type identification.
	SpaceIEC104Objects
	numSpaces
)

var spaceNames = [numSpaces]string{
	"none", "coils", "discrete_inputs", "holding_registers", "input_registers", "file_records", "fifo",
	"inputs", "outputs", "flags", "db", "di", "local", "previous_local", "peripheral",
	"timers", "counters", "iec_timers", "iec_counters", "s7_area", "s7_symbol",
	"tag", "attribute",
	"points",
	"information_objects",
}

// Known reports whether s is a defined space.
func (s Space) Known() bool { return s < numSpaces }

// String returns the space's snake_case name ("holding_registers", "db",
// "tag", ...). It does not allocate for known values.
func (s Space) String() string {
	if s < numSpaces {
		return spaceNames[s]
	}
	return unknownString("space", uint64(s), false)
}

// AppendText appends the name. It never allocates.
func (s Space) AppendText(b []byte) ([]byte, error) {
	if s < numSpaces {
		return append(b, spaceNames[s]...), nil
	}
	return appendUnknown(b, "space", uint64(s), false), nil
}

// Flags describe how an event's request and response were seen.
type Flags uint16

// Event flags.
const (
	// FlagPaired: the response was matched to its request.
	FlagPaired Flags = 1 << iota
	// FlagUnanswered: the request got no response before the connection
	// ended, was evicted, or its pending entry was dropped.
	FlagUnanswered
	// FlagUnmatched: a response for which no request was pending.
	FlagUnmatched
	// FlagMismatched: a request was pending but this response does not
	// answer it.
	FlagMismatched
	// FlagOverflow: the connection's pending table overflowed while this
	// request was pending.
	FlagOverflow
	// FlagDuplicate: a request reused the id of a pending request.
	FlagDuplicate
	// FlagUnsolicited: values sent by a server without a request
	// (DNP3 unsolicited responses, IEC 104 spontaneous and cyclic data).
	FlagUnsolicited
	// FlagBroadcast: a request sent to every station (DNP3 broadcast
	// addresses, Modbus unit 0, IEC 104 common address 0xFFFF).
	FlagBroadcast
	// FlagException: the response is an error (exception, negative
	// confirmation, non-zero status).
	FlagException
	// FlagGap: bytes were lost in the stream before this PDU.
	FlagGap
	// FlagRouted: the request travelled through a router (CIP Unconnected
	// Send), so the device addressed is behind the server.
	FlagRouted
	numFlags = iota
)

var flagNames = [numFlags]string{
	"paired", "unanswered", "unmatched", "mismatched", "overflow", "duplicate",
	"unsolicited", "broadcast", "exception", "gap", "routed",
}

// Has reports whether every flag of x is set.
func (f Flags) Has(x Flags) bool { return f&x == x }

// All yields each flag set, lowest first.
func (f Flags) All(yield func(Flags) bool) {
	for i := 0; i < 16; i++ {
		if x := Flags(1) << i; f&x != 0 && !yield(x) {
			return
		}
	}
}

// String returns the snake_case names of the flags joined by "|", "" for
// none. A single flag does not allocate.
func (f Flags) String() string {
	if f == 0 {
		return ""
	}
	if f&(f-1) == 0 {
		for i := 0; i < numFlags; i++ {
			if f == 1<<i {
				return flagNames[i]
			}
		}
	}
	b, _ := f.AppendText(nil)
	return string(b)
}

// AppendText appends the names joined by "|". It never allocates beyond
// growing b.
func (f Flags) AppendText(b []byte) ([]byte, error) {
	first := true
	for i := 0; i < 16; i++ {
		if f&(1<<i) == 0 {
			continue
		}
		if !first {
			b = append(b, '|')
		}
		first = false
		if i < numFlags {
			b = append(b, flagNames[i]...)
		} else {
			b = append(b, "bit"...)
			b = strconv.AppendInt(b, int64(i), 10)
		}
	}
	return b, nil
}
