package modbus

// UMASFunction is the function code of a Schneider Electric UMAS message,
// the byte after the session key in function code 90. UMAS has no public
// specification: the codes and names here are those published by
// Wireshark's UMAS dissector (packet-mbtcp.h), NetworkMiner and the
// reverse-engineering articles they cite (Luis Rosa, "The Unity (UMAS)
// protocol", 2017; Kaspersky ICS CERT). It is an open enum.
//
// Schneider's engineering software speaks of "download" for a transfer from
// the engineering station to the PLC and "upload" for the other way; the
// constants follow that usage. (Wireshark and the 2017 articles call 0x30–0x32
// "upload" and 0x33–0x35 "download", from the PLC's point of view: the
// bytes on the wire are the same.)
type UMASFunction uint8

// UMAS function codes.
const (
	UMASInitComm               UMASFunction = 0x01 // open a session: maximum frame size, firmware version
	UMASReadID                 UMASFunction = 0x02 // PLC identification: model, versions, name, memory banks
	UMASReadProjectInfo        UMASFunction = 0x03 // project name, version, build time
	UMASReadPLCInfo            UMASFunction = 0x04 // internal PLC information
	UMASReadCardInfo           UMASFunction = 0x06 // memory card information
	UMASGetBlockInfo           UMASFunction = 0x07 // memory block information
	UMASRepeat                 UMASFunction = 0x0A // echo, used for synchronisation
	UMASTakeReservation        UMASFunction = 0x10 // reserve the PLC for one engineering station
	UMASReleaseReservation     UMASFunction = 0x11 // release the reservation
	UMASKeepAlive              UMASFunction = 0x12 // keep the reservation alive
	UMASReadMemoryBlock        UMASFunction = 0x20
	UMASWriteMemoryBlock       UMASFunction = 0x21
	UMASReadVariables          UMASFunction = 0x22 // system bits and words, strategy variables
	UMASWriteVariables         UMASFunction = 0x23
	UMASReadCoilsRegisters     UMASFunction = 0x24
	UMASWriteCoilsRegisters    UMASFunction = 0x25
	UMASReadDataDictionary     UMASFunction = 0x26 // variable names and types
	UMASDataDictionaryPreload  UMASFunction = 0x27
	UMASReadPhysicalAddress    UMASFunction = 0x28
	UMASWritePhysicalAddress   UMASFunction = 0x29
	UMASBrowseEvents           UMASFunction = 0x2A
	UMASInitializeDownload     UMASFunction = 0x30 // start a program transfer to the PLC
	UMASDownloadBlock          UMASFunction = 0x31 // one block of it
	UMASEndDownload            UMASFunction = 0x32 // end of it
	UMASInitializeUpload       UMASFunction = 0x33 // start a program transfer from the PLC
	UMASUploadBlock            UMASFunction = 0x34
	UMASEndUpload              UMASFunction = 0x35
	UMASBackupRestore          UMASFunction = 0x36 // back up or restore the application (memory card)
	UMASPreloadBlocks          UMASFunction = 0x37
	UMASReadEthernetMasterData UMASFunction = 0x39
	UMASStartPLC               UMASFunction = 0x40
	UMASStopPLC                UMASFunction = 0x41
	UMASMonitorPLC             UMASFunction = 0x50 // monitor variables, system bits and words
	UMASCheckPLC               UMASFunction = 0x58 // connection status
	UMASSetBreakpoint          UMASFunction = 0x60 // halts the program at a breakpoint
	UMASPrivateMessage         UMASFunction = 0x6D
	UMASEnhancedReservation    UMASFunction = 0x6E // reservation with authentication
	UMASReadIOObject           UMASFunction = 0x70
	UMASWriteIOObject          UMASFunction = 0x71
	UMASGetStatusModule        UMASFunction = 0x73
	UMASResponseError          UMASFunction = 0xFD // the request failed
	UMASResponseOK             UMASFunction = 0xFE // the request succeeded
)

var umasNames = [256]string{
	UMASInitComm:               "Init Comm",
	UMASReadID:                 "Read ID",
	UMASReadProjectInfo:        "Read Project Info",
	UMASReadPLCInfo:            "Read PLC Info",
	UMASReadCardInfo:           "Read Card Info",
	UMASGetBlockInfo:           "Get Block Info",
	UMASRepeat:                 "Repeat",
	UMASTakeReservation:        "Take PLC Reservation",
	UMASReleaseReservation:     "Release PLC Reservation",
	UMASKeepAlive:              "Keep Alive",
	UMASReadMemoryBlock:        "Read Memory Block",
	UMASWriteMemoryBlock:       "Write Memory Block",
	UMASReadVariables:          "Read Variables",
	UMASWriteVariables:         "Write Variables",
	UMASReadCoilsRegisters:     "Read Coils/Registers",
	UMASWriteCoilsRegisters:    "Write Coils/Registers",
	UMASReadDataDictionary:     "Read Data Dictionary",
	UMASDataDictionaryPreload:  "Data Dictionary Preload",
	UMASReadPhysicalAddress:    "Read Physical Address",
	UMASWritePhysicalAddress:   "Write Physical Address",
	UMASBrowseEvents:           "Browse Events",
	UMASInitializeDownload:     "Initialize Download",
	UMASDownloadBlock:          "Download Block",
	UMASEndDownload:            "End Download",
	UMASInitializeUpload:       "Initialize Upload",
	UMASUploadBlock:            "Upload Block",
	UMASEndUpload:              "End Upload",
	UMASBackupRestore:          "Backup/Restore",
	UMASPreloadBlocks:          "Preload Blocks",
	UMASReadEthernetMasterData: "Read Ethernet Master Data",
	UMASStartPLC:               "Start PLC",
	UMASStopPLC:                "Stop PLC",
	UMASMonitorPLC:             "Monitor PLC",
	UMASCheckPLC:               "Check PLC",
	UMASSetBreakpoint:          "Set Breakpoint",
	UMASPrivateMessage:         "Private Message",
	UMASEnhancedReservation:    "Enhanced Reservation",
	UMASReadIOObject:           "Read IO Object",
	UMASWriteIOObject:          "Write IO Object",
	UMASGetStatusModule:        "Get Status Module",
	UMASResponseError:          "Error",
	UMASResponseOK:             "OK",
}

// Known reports whether u is one of the codes above.
func (u UMASFunction) Known() bool { return umasNames[u] != "" }

// String returns the function's name ("Stop PLC"), or "UMAS function 0x08".
func (u UMASFunction) String() string {
	if n := umasNames[u]; n != "" {
		return n
	}
	return unknownString("UMAS function", uint(u), 2)
}

// AppendText appends the String form of u to b. It never fails.
func (u UMASFunction) AppendText(b []byte) ([]byte, error) {
	return appendName(b, umasNames[u], "UMAS function", uint(u), 2), nil
}

// Response reports whether u is a response status (0xFE OK, 0xFD error).
// UMAS responses carry no function code of their own: the request they
// answer says what they are.
func (u UMASFunction) Response() bool { return u == UMASResponseOK || u == UMASResponseError }

// Operation classifies the UMAS function:
//
//   - OpProgram: 0x30–0x37 (program transfer to and from the PLC, preload,
//     backup and restore);
//   - OpControl: Start PLC, Stop PLC, Set Breakpoint;
//   - OpReservation: Take and Release PLC Reservation, Keep Alive, Enhanced
//     Reservation, Private Message (reservation and authentication);
//   - OpIdentity: Read ID, Read Project Info, Read PLC Info, Read Card Info;
//   - OpWrite: Write Memory Block, Write Variables, Write Coils/Registers,
//     Write Physical Address, Write IO Object;
//   - OpRead: Get Block Info, the reads of memory blocks, variables, coils
//     and registers, data dictionary, physical addresses, events, Ethernet
//     master data and I/O objects, Monitor PLC, Get Status Module;
//   - OpDiagnostics: Check PLC;
//   - OpOther: Init Comm, Repeat, the response codes and unknown codes.
func (u UMASFunction) Operation() Operation {
	switch u {
	case UMASInitializeDownload, UMASDownloadBlock, UMASEndDownload,
		UMASInitializeUpload, UMASUploadBlock, UMASEndUpload,
		UMASBackupRestore, UMASPreloadBlocks:
		return OpProgram
	case UMASStartPLC, UMASStopPLC, UMASSetBreakpoint:
		return OpControl
	case UMASTakeReservation, UMASReleaseReservation, UMASKeepAlive,
		UMASEnhancedReservation, UMASPrivateMessage:
		return OpReservation
	case UMASReadID, UMASReadProjectInfo, UMASReadPLCInfo, UMASReadCardInfo:
		return OpIdentity
	case UMASWriteMemoryBlock, UMASWriteVariables, UMASWriteCoilsRegisters,
		UMASWritePhysicalAddress, UMASWriteIOObject:
		return OpWrite
	case UMASGetBlockInfo, UMASReadMemoryBlock, UMASReadVariables, UMASReadCoilsRegisters,
		UMASReadDataDictionary, UMASDataDictionaryPreload, UMASReadPhysicalAddress,
		UMASBrowseEvents, UMASReadEthernetMasterData, UMASMonitorPLC,
		UMASReadIOObject, UMASGetStatusModule:
		return OpRead
	case UMASCheckPLC:
		return OpDiagnostics
	}
	return OpOther
}

// UMASHeader is the header of a UMAS message (function code 90): the
// session key (Wireshark's "pairing key", 0x00 before a reservation, then
// the value the PLC gave with it) and the UMAS function code, followed by
// the function's data, a view of the input. In a response the function code
// is a status (UMASResponseOK, UMASResponseError).
type UMASHeader struct {
	Session  uint8
	Function UMASFunction
	Data     []byte
}

// UMAS returns the header of a function 90 PDU, in either direction. It
// reports false for other functions, exceptions and PDUs shorter than the
// two header bytes. It does not allocate.
func (f *Frame) UMAS() (UMASHeader, bool) {
	d, ok := f.data(UMAS)
	if !ok || len(d) < 2 {
		return UMASHeader{}, false
	}
	return UMASHeader{Session: d[0], Function: UMASFunction(d[1]), Data: d[2:len(d):len(d)]}, true
}
