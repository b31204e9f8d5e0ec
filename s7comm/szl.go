package s7comm

import "github.com/icsdissect/icsdissect/internal/wire"

// SZL list ids with typed record decoders. The low byte is the partial
// list number, the high byte selects the extract; records of ids with the
// same partial list share a layout (0x0011 and 0x0111 both hold module
// identification records).
const (
	SZLModuleID       uint16 = 0x0011
	SZLModuleIDByIdx  uint16 = 0x0111
	SZLComponentID    uint16 = 0x001c
	SZLCommCapability uint16 = 0x0131
	SZLProtection     uint16 = 0x0132
	SZLCPUMode        uint16 = 0x0424
	SZLLEDs           uint16 = 0x0074
	SZLDiagBuffer     uint16 = 0x00a0
	// SZLList is the list of the SZL ids a module has (0x0000), two bytes
	// per record; see ParseSZLID.
	SZLList uint16 = 0x0000
)

// ParseSZLID decodes a record of SZL 0x0000 (the SZL ids the module has).
func ParseSZLID(rec []byte) (uint16, bool) {
	if len(rec) < 2 {
		return 0, false
	}
	return wire.BE16(rec), true
}

// Module identification indexes (SZL 0xXY11).
const (
	ModIDModule      uint16 = 0x0001 // the module: order number and hardware version
	ModIDHardware    uint16 = 0x0006 // the basic hardware
	ModIDFirmware    uint16 = 0x0007 // the basic firmware: its version
	ModIDFirmwareExt uint16 = 0x0081 // a firmware extension (the boot loader)
)

// ModuleID is a module identification record (SZL 0xXY11, 28 bytes).
type ModuleID struct {
	Index uint16
	// OrderNumber is the 20-byte MLFB, such as "6ES7 315-2EH14-0AB0 ";
	// for the firmware indexes it holds spaces or the extension's name.
	OrderNumber []byte
	ModuleType  uint16
	// Version (Ausbg) is the version of the module (the hardware version,
	// for indexes 0x0001 and 0x0006) or, for the firmware indexes, a
	// letter and the major number ('V', 3 for V3.2.7); Release (Ausbe) is
	// the release of the PG description file, or the firmware's minor and
	// patch numbers. See HardwareVersion and FirmwareVersion.
	Version uint16
	Release uint16
}

// OrderNumberText returns the order number without its trailing spaces
// and NULs.
func (m ModuleID) OrderNumberText() []byte { return trimRight(m.OrderNumber) }

// HardwareVersion returns the hardware version of a module or basic
// hardware record (indexes 0x0001 and 0x0006).
func (m ModuleID) HardwareVersion() (uint16, bool) {
	if m.Index != ModIDModule && m.Index != ModIDHardware {
		return 0, false
	}
	return m.Version, true
}

// ParseModuleID decodes a module identification record. It does not
// allocate.
func ParseModuleID(rec []byte) (ModuleID, bool) {
	var m ModuleID
	r := wire.Reader(rec)
	ok := r.U16(&m.Index) && r.Bytes(&m.OrderNumber, 20) && r.U16(&m.ModuleType) && r.U16(&m.Version) && r.U16(&m.Release)
	return m, ok
}

// FirmwareVersion returns the version of a basic-firmware record (index
// 0x0007) or of a firmware extension (0x0081): Version holds a letter
// ('V' for the firmware, 'A' or 'V' for a boot loader) and the major
// number, Release the minor and patch numbers. ok is false for other
// indexes and when Version does not start with a letter.
func (m ModuleID) FirmwareVersion() (letter byte, major, minor, patch uint8, ok bool) {
	l := byte(m.Version >> 8)
	if (m.Index != ModIDFirmware && m.Index != ModIDFirmwareExt) || l < 'A' || l > 'Z' {
		return 0, 0, 0, 0, false
	}
	return l, uint8(m.Version), uint8(m.Release >> 8), uint8(m.Release), true
}

// ComponentID is a component identification record (SZL 0x001C, 34
// bytes): one text per index.
type ComponentID struct {
	Index uint16
	// Text is the record's text field up to its first NUL: the PLC
	// name (index 1), module name (2), plant id (3), copyright (4), serial
	// number (5), module type name (7), memory card serial (8), OEM
	// copyright string (0x0a) or location id (0x0b).
	Text []byte
	// Manufacturer, Profile and ProfileSpec are set for index 9.
	Manufacturer, Profile, ProfileSpec uint16
	// OEMID and OEMAddID are set for index 0x0a.
	OEMID    uint16
	OEMAddID uint32
	// Raw is the 32 bytes after the index.
	Raw []byte
}

// Component identification indexes.
const (
	CompPLCName        uint16 = 0x0001
	CompModuleName     uint16 = 0x0002
	CompPlantID        uint16 = 0x0003
	CompCopyright      uint16 = 0x0004
	CompSerialNumber   uint16 = 0x0005
	CompModuleTypeName uint16 = 0x0007
	CompMemCardSerial  uint16 = 0x0008
	CompManufacturer   uint16 = 0x0009
	CompOEMID          uint16 = 0x000a
	CompLocation       uint16 = 0x000b
)

// textLen is the text length of each component identification index.
func textLen(idx uint16) int {
	switch idx {
	case CompPLCName, CompModuleName, CompSerialNumber:
		return 24
	case CompCopyright, CompOEMID:
		return 26
	case CompManufacturer:
		return 0
	}
	return 32
}

// trimRight cuts trailing spaces and NULs.
func trimRight(b []byte) []byte {
	n := len(b)
	for n > 0 && (b[n-1] == ' ' || b[n-1] == 0) {
		n--
	}
	return b[:n:n]
}

func trimNUL(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i:i]
		}
	}
	return b
}

// ParseComponentID decodes a component identification record. It does not
// allocate.
func ParseComponentID(rec []byte) (ComponentID, bool) {
	var c ComponentID
	r := wire.Reader(rec)
	if !(r.U16(&c.Index) && r.Bytes(&c.Raw, 32)) {
		return c, false
	}
	c.Text = trimNUL(c.Raw[:textLen(c.Index)])
	switch c.Index {
	case CompManufacturer:
		c.Manufacturer, c.Profile, c.ProfileSpec = wire.BE16(c.Raw), wire.BE16(c.Raw[2:]), wire.BE16(c.Raw[4:])
	case CompOEMID:
		c.OEMID, c.OEMAddID = wire.BE16(c.Raw[26:]), wire.BE32(c.Raw[28:])
	}
	return c, true
}

// CommCapability is a communication capability record (SZL 0x0131). The
// general-data index (0x0001) is decoded; other indexes are in Raw.
type CommCapability struct {
	Index uint16
	// For index 1: maximum PDU size, connections, MPI and K-bus rates.
	MaxPDU         uint16
	MaxConnections uint16
	MPIRate        uint32
	KBusRate       uint32
	Raw            []byte
}

// ParseCommCapability decodes a 0x0131 record (40 bytes).
func ParseCommCapability(rec []byte) (CommCapability, bool) {
	var c CommCapability
	r := wire.Reader(rec)
	if !r.U16(&c.Index) {
		return c, false
	}
	c.Raw = []byte(r)
	if c.Index == 0x0001 {
		if !(r.U16(&c.MaxPDU) && r.U16(&c.MaxConnections) && r.U32(&c.MPIRate) && r.U32(&c.KBusRate)) {
			return c, false
		}
	}
	return c, true
}

// Protection is the protection record of SZL 0x0132 index 4.
type Protection struct {
	Index uint16
	// KeySwitch is the key switch protection level, Assigned the
	// configured level, Valid the level in force.
	KeySwitch uint16
	Assigned  uint16
	Valid     uint16
	// ModeSwitch is the mode selector position (1 RUN, 2 RUN-P, 3 STOP,
	// 4 MRES), ResetSwitch the CRST/WRST switch.
	ModeSwitch  uint16
	ResetSwitch uint16
	Reserved    uint16
	// VersionID and the checksums identify the hardware configuration and
	// user program. The four checksums are little-endian on the wire (as
	// Wireshark reads them).
	VersionID    uint16
	HWChecksum1  uint16
	HWChecksum2  uint16
	PrgChecksum1 uint16
	PrgChecksum2 uint16
	Raw          []byte
}

// ParseProtection decodes a 0x0132 record; the fields other than Index and
// Raw are set for index 4.
func ParseProtection(rec []byte) (Protection, bool) {
	var p Protection
	r := wire.Reader(rec)
	if !r.U16(&p.Index) {
		return p, false
	}
	p.Raw = []byte(r)
	if p.Index != 0x0004 {
		return p, true
	}
	ok := r.U16(&p.KeySwitch) && r.U16(&p.Assigned) && r.U16(&p.Valid) && r.U16(&p.ModeSwitch) &&
		r.U16(&p.ResetSwitch) && r.U16(&p.Reserved) && r.U16(&p.VersionID) && r.U16LE(&p.HWChecksum1) &&
		r.U16LE(&p.HWChecksum2) && r.U16LE(&p.PrgChecksum1) && r.U16LE(&p.PrgChecksum2)
	return p, ok
}

// CPUState is an operating mode of a CPU as SZL 0x0424 reports it.
type CPUState uint8

// CPU operating modes (Wireshark's names for the bzu-id nibbles).
const (
	CPUStopUpdate   CPUState = 0x1 // STOP (update)
	CPUStopReset    CPUState = 0x2 // STOP (memory reset)
	CPUStopSelfInit CPUState = 0x3 // STOP (self initialization)
	CPUStopInternal CPUState = 0x4 // STOP (internal)
	CPUStartup      CPUState = 0x5 // STARTUP (complete restart)
	CPURestart      CPUState = 0x7 // RESTART
	CPURun          CPUState = 0x8 // RUN
	CPUHold         CPUState = 0xa // HOLD
	CPUDefect       CPUState = 0xd // DEFECT
)

func (s CPUState) name() string {
	switch s {
	case CPUStopUpdate:
		return "STOP (update)"
	case CPUStopReset:
		return "STOP (memory reset)"
	case CPUStopSelfInit:
		return "STOP (self initialization)"
	case CPUStopInternal:
		return "STOP (internal)"
	case CPUStartup:
		return "STARTUP (complete restart)"
	case CPURestart:
		return "RESTART"
	case CPURun:
		return "RUN"
	case CPUHold:
		return "HOLD"
	case CPUDefect:
		return "DEFECT"
	}
	return ""
}

// Known reports whether s is one of the modes above.
func (s CPUState) Known() bool { return s.name() != "" }

// String names the mode ("RUN"), or "cpu state 0x06".
func (s CPUState) String() string { return enumText(s.name(), "cpu state", uint32(s), 2) }

// AppendText appends String's text to b. It does not allocate.
func (s CPUState) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, s.name(), "cpu state", uint32(s), 2), nil
}

// Running reports RUN.
func (s CPUState) Running() bool { return s == CPURun }

// Stopped reports one of the STOP modes.
func (s CPUState) Stopped() bool { return s >= CPUStopUpdate && s <= CPUStopInternal }

// CPUMode is a CPU mode record (SZL 0x0424, 20 bytes): the CPU's last mode
// transition, which gives its current mode.
type CPUMode struct {
	Event uint16
	AE    uint8
	// Requested is the requested (current) mode, the low nibble of
	// bzu-id; Previous the mode before, its high nibble.
	Requested CPUState
	Previous  CPUState
	Reserved  uint32
	Info      [4]uint8
	// Time is the BCD timestamp of the mode change.
	Time Timestamp
}

// ParseCPUMode decodes a 0x0424 record.
func ParseCPUMode(rec []byte) (CPUMode, bool) {
	var m CPUMode
	r := wire.Reader(rec)
	var bzu uint8
	var ts []byte
	if !(r.U16(&m.Event) && r.U8(&m.AE) && r.U8(&bzu) && r.U32(&m.Reserved) &&
		r.U8(&m.Info[0]) && r.U8(&m.Info[1]) && r.U8(&m.Info[2]) && r.U8(&m.Info[3]) && r.Bytes(&ts, 8)) {
		return m, false
	}
	m.Requested, m.Previous = CPUState(bzu&0x0f), CPUState(bzu>>4)
	m.Time, _ = ParseTimestamp(ts)
	return m, true
}

// LED is an LED status record (SZL 0xXY74, 4 bytes).
type LED struct {
	// LEDID is the two-byte LED id as a whole (Wireshark's
	// s7comm.szl.xy74.0000.cpu_led_id).
	LEDID uint16
	// Rack and Master come from the high byte of the LED id, ID from the
	// low byte (1 SF, 4 RUN, 5 STOP, 6 FRCE, 0x0b BUS1F ...).
	Rack   uint8
	Master bool
	ID     uint8
	On     uint8
	Blink  uint8
}

// ParseLED decodes an LED record.
func ParseLED(rec []byte) (LED, bool) {
	if len(rec) < 4 {
		return LED{}, false
	}
	return LED{LEDID: wire.BE16(rec), Rack: rec[0] & 7, Master: rec[0]&8 != 0, ID: rec[1], On: rec[2], Blink: rec[3]}, true
}

// DiagEntry is a diagnostic buffer entry (SZL 0x00A0, 20 bytes).
type DiagEntry struct {
	EventID  uint16
	Priority uint8
	OBNumber uint8
	DatID    uint16
	Info1    uint16
	Info2    uint32
	Time     Timestamp
}

// ParseDiagEntry decodes a diagnostic buffer entry.
func ParseDiagEntry(rec []byte) (DiagEntry, bool) {
	var d DiagEntry
	r := wire.Reader(rec)
	var ts []byte
	if !(r.U16(&d.EventID) && r.U8(&d.Priority) && r.U8(&d.OBNumber) && r.U16(&d.DatID) &&
		r.U16(&d.Info1) && r.U32(&d.Info2) && r.Bytes(&ts, 8)) {
		return d, false
	}
	d.Time, _ = ParseTimestamp(ts)
	return d, true
}
