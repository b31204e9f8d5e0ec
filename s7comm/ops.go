package s7comm

// Operation names what an S7comm PDU asks for or answers: the job function,
// or the userdata function group and subfunction, with the PI services told
// apart by name. [PDU.Operation] computes it; [Operation.Class] maps it to
// the kind of operation a monitoring tool alerts on.
type Operation uint8

// Operations.
const (
	OpSetupComm         Operation = iota + 1 // setup communication (0xf0)
	OpReadVar                                // read var (0x04)
	OpWriteVar                               // write var (0x05)
	OpRequestDownload                        // request download (0x1a): block download starts
	OpDownloadBlock                          // download block (0x1b)
	OpDownloadEnded                          // download ended (0x1c)
	OpStartUpload                            // start upload (0x1d): block upload starts
	OpUpload                                 // upload (0x1e)
	OpEndUpload                              // end upload (0x1f)
	OpPLCStart                               // PI service P_PROGRAM (0x28): start (warm or cold restart)
	OpPLCStop                                // PLC stop (0x29)
	OpActivateBlock                          // PI service _INSE: activate downloaded blocks
	OpDeleteBlock                            // PI service _DELE: delete blocks
	OpCompressMemory                         // PI service _GARB: compress memory
	OpCopyRAMToROM                           // PI service _MODU: copy RAM to ROM
	OpNCLogin                                // PI service _N_LOGIN_, _N_LOGOUT or _N_NEWPWD of an NC
	OpNCFile                                 // PI service _N_F_...: NC file services
	OpPIService                              // any other PI service (other NC services, unknown names)
	OpCPUServices                            // cpu services (0x00)
	OpModeTransition                         // userdata group 0: a CPU mode transition
	OpProgrammerRead                         // programmer commands: variable status, block status, stack and job reads
	OpProgrammerWrite                        // programmer commands: modify variable, force
	OpProgrammerControl                      // programmer commands: breakpoints, exit HOLD, memory reset, job control, flash LED
	OpCyclicData                             // cyclic data: subscriptions and their data
	OpListBlocks                             // block functions: list blocks, list blocks of type
	OpBlockInfo                              // block functions: get block info
	OpReadSZL                                // cpu functions: read SZL
	OpMessageService                         // cpu functions: message service (event subscription)
	OpDiagnostic                             // cpu functions: diagnostic message
	OpAlarm                                  // cpu functions: alarm and notification messages, acknowledgements, alarm query
	OpReadClock                              // time functions: read clock
	OpSetClock                               // time functions: set clock
	OpPassword                               // security: PLC password
	OpCancelPassword                         // security: cancel password
	OpBSend                                  // PBC BSEND/BRECV data transfer
	OpNCProgramming                          // NC programming (group 15): NC file transfer
	OpOther                                  // a function, group or subfunction not named above
)

func (o Operation) name() string {
	switch o {
	case OpSetupComm:
		return "setup communication"
	case OpReadVar:
		return "read var"
	case OpWriteVar:
		return "write var"
	case OpRequestDownload:
		return "request download"
	case OpDownloadBlock:
		return "download block"
	case OpDownloadEnded:
		return "download ended"
	case OpStartUpload:
		return "start upload"
	case OpUpload:
		return "upload"
	case OpEndUpload:
		return "end upload"
	case OpPLCStart:
		return "plc start"
	case OpPLCStop:
		return "plc stop"
	case OpActivateBlock:
		return "activate block"
	case OpDeleteBlock:
		return "delete block"
	case OpCompressMemory:
		return "compress memory"
	case OpCopyRAMToROM:
		return "copy ram to rom"
	case OpNCLogin:
		return "nc login"
	case OpNCFile:
		return "nc file"
	case OpPIService:
		return "pi service"
	case OpCPUServices:
		return "cpu services"
	case OpModeTransition:
		return "mode transition"
	case OpProgrammerRead:
		return "programmer read"
	case OpProgrammerWrite:
		return "programmer write"
	case OpProgrammerControl:
		return "programmer control"
	case OpCyclicData:
		return "cyclic data"
	case OpListBlocks:
		return "list blocks"
	case OpBlockInfo:
		return "block info"
	case OpReadSZL:
		return "read szl"
	case OpMessageService:
		return "message service"
	case OpDiagnostic:
		return "diagnostic message"
	case OpAlarm:
		return "alarm"
	case OpReadClock:
		return "read clock"
	case OpSetClock:
		return "set clock"
	case OpPassword:
		return "password"
	case OpCancelPassword:
		return "cancel password"
	case OpBSend:
		return "bsend"
	case OpNCProgramming:
		return "nc programming"
	case OpOther:
		return "other"
	}
	return ""
}

// Known reports whether o is one of the operations above.
func (o Operation) Known() bool { return o.name() != "" }

// String names the operation ("plc stop"), or "operation 0x40".
func (o Operation) String() string { return enumText(o.name(), "operation", uint32(o), 2) }

// AppendText appends String's text to b. It does not allocate.
func (o Operation) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, o.name(), "operation", uint32(o), 2), nil
}

// OpClass is the kind of an operation, in the taxonomy that a monitoring
// tool alerts on.
type OpClass uint8

// Operation classes.
const (
	ClassRead           OpClass = iota + 1 // process data read
	ClassWrite                             // process data written
	ClassControl                           // the CPU's run state changed: start, stop, memory reset, breakpoints
	ClassProgram                           // blocks uploaded, downloaded, activated, deleted, listed; memory compressed or copied to ROM
	ClassConfiguration                     // the hardware configuration (system data blocks) downloaded
	ClassTimeSync                          // the CPU clock read or set
	ClassDiagnostics                       // mode transitions, diagnostic and alarm messages, diagnostic SZL lists
	ClassFile                              // NC file services and NC program transfer
	ClassIdentity                          // identification: module and component identification, SZL lists of what the module has
	ClassAuthentication                    // passwords, NC login and logout
	ClassOther                             // anything else
)

func (c OpClass) name() string {
	switch c {
	case ClassRead:
		return "read"
	case ClassWrite:
		return "write"
	case ClassControl:
		return "control"
	case ClassProgram:
		return "program"
	case ClassConfiguration:
		return "configuration"
	case ClassTimeSync:
		return "time sync"
	case ClassDiagnostics:
		return "diagnostics"
	case ClassFile:
		return "file"
	case ClassIdentity:
		return "identity query"
	case ClassAuthentication:
		return "authentication"
	case ClassOther:
		return "other"
	}
	return ""
}

// Known reports whether c is one of the classes above.
func (c OpClass) Known() bool { return c.name() != "" }

// String names the class ("control"), or "class 0x20".
func (c OpClass) String() string { return enumText(c.name(), "class", uint32(c), 2) }

// AppendText appends String's text to b. It does not allocate.
func (c OpClass) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, c.name(), "class", uint32(c), 2), nil
}

// Class returns the operation's class. Setup communication is session
// set-up and classes as other; a read SZL classes as an identity query
// here, and [PDU.Class] refines it by the SZL id.
func (o Operation) Class() OpClass {
	switch o {
	case OpReadVar, OpProgrammerRead, OpCyclicData:
		return ClassRead
	case OpWriteVar, OpProgrammerWrite:
		return ClassWrite
	case OpPLCStart, OpPLCStop, OpProgrammerControl:
		return ClassControl
	case OpRequestDownload, OpDownloadBlock, OpDownloadEnded, OpStartUpload, OpUpload, OpEndUpload,
		OpActivateBlock, OpDeleteBlock, OpCompressMemory, OpCopyRAMToROM, OpListBlocks, OpBlockInfo:
		return ClassProgram
	case OpReadClock, OpSetClock:
		return ClassTimeSync
	case OpModeTransition, OpMessageService, OpDiagnostic, OpAlarm, OpCPUServices:
		return ClassDiagnostics
	case OpNCFile, OpNCProgramming:
		return ClassFile
	case OpReadSZL:
		return ClassIdentity
	case OpPassword, OpCancelPassword, OpNCLogin:
		return ClassAuthentication
	}
	return ClassOther
}

// Operation classifies the PDU: a job or ack-data by its function (a PI
// service by its name, which only the job carries: its ack-data gives
// OpPIService), a userdata PDU by its function group and subfunction. ok
// is false for an Ack without parameter and for PDUs too short to say.
// It does not allocate.
func (p *PDU) Operation() (op Operation, ok bool) {
	if p.ROSCTR == Userdata {
		u, ok := p.Userdata()
		if !ok {
			return 0, false
		}
		return udOperation(u.Group, u.Subfunc), true
	}
	f, ok := p.Function()
	if !ok {
		return 0, false
	}
	switch f {
	case FuncSetupComm:
		return OpSetupComm, true
	case FuncReadVar:
		return OpReadVar, true
	case FuncWriteVar:
		return OpWriteVar, true
	case FuncRequestDownload:
		return OpRequestDownload, true
	case FuncDownloadBlock:
		return OpDownloadBlock, true
	case FuncDownloadEnded:
		return OpDownloadEnded, true
	case FuncStartUpload:
		return OpStartUpload, true
	case FuncUpload:
		return OpUpload, true
	case FuncEndUpload:
		return OpEndUpload, true
	case FuncPLCStop:
		return OpPLCStop, true
	case FuncCPUServices:
		return OpCPUServices, true
	case FuncPIService:
		s, ok := p.PIService()
		if !ok {
			return OpPIService, true
		}
		switch s.Kind() {
		case PIStart:
			return OpPLCStart, true
		case PIActivateBlock:
			return OpActivateBlock, true
		case PIDeleteBlock:
			return OpDeleteBlock, true
		case PICompressMemory:
			return OpCompressMemory, true
		case PICopyRAMToROM:
			return OpCopyRAMToROM, true
		case PINCLogin, PINCLogout, PINCPassword:
			return OpNCLogin, true
		case PINCFile:
			return OpNCFile, true
		}
		return OpPIService, true
	}
	return OpOther, true
}

// udOperation classifies a userdata function group and subfunction.
func udOperation(g FuncGroup, sub uint8) Operation {
	switch g {
	case GroupModeTransition:
		return OpModeTransition
	case GroupProgrammer:
		switch sub {
		case SubTISBlockStatus, SubTISVarStatus, 0x03, 0x04, 0x05, 0x06, SubTISReadJobList, 0x11, SubTISBlockStat2:
			return OpProgrammerRead
		case SubTISModifyVar, SubTISForce, 0x07:
			return OpProgrammerWrite
		}
		return OpProgrammerControl
	case GroupCyclic:
		return OpCyclicData
	case GroupBlock:
		if sub == SubGetBlockInfo {
			return OpBlockInfo
		}
		return OpListBlocks
	case GroupCPU:
		switch {
		case sub == SubReadSZL:
			return OpReadSZL
		case sub == SubMessageService:
			return OpMessageService
		case sub == SubDiagMessage:
			return OpDiagnostic
		case isAlarmSubfunc(sub):
			return OpAlarm
		}
	case GroupSecurity:
		if sub == SubCancelPassword {
			return OpCancelPassword
		}
		return OpPassword
	case GroupPBCBSend:
		return OpBSend
	case GroupTime:
		if sub == SubSetClock || sub == SubSetClock2 {
			return OpSetClock
		}
		return OpReadClock
	case GroupNCProgramming:
		return OpNCProgramming
	}
	return OpOther
}

// Class returns the class of the PDU's operation, refined where the PDU
// says more than its operation: a read SZL of a diagnostic list (the
// diagnostic buffer 0x00A0, the CPU mode 0x0424, LEDs ...) is
// diagnostics, of an identification list (0x0000, module and component
// identification 0xXY11 and 0xXY1C, communication capabilities 0x0131 ...)
// an identity query (see SZLClass); the download of a system data block
// (SDB, the hardware configuration) is configuration. The SZL id and the
// block are read from the PDU itself
// (a request, or a response's first data unit); pass the request to class
// a response whose data has no SZL head. ok is false as for Operation.
func (p *PDU) Class() (c OpClass, ok bool) {
	op, ok := p.Operation()
	if !ok {
		return 0, false
	}
	switch op {
	case OpReadSZL:
		if req, _, _, ok := p.ReadSZL(); ok {
			return SZLClass(req.ID), true
		}
	case OpRequestDownload, OpDownloadBlock, OpDownloadEnded:
		// System data blocks hold the hardware configuration.
		if bc, ok := p.BlockControl(); ok {
			if n, ok := bc.Block(); ok && n.BlockType() == BlockSDB {
				return ClassConfiguration, true
			}
		}
	}
	return op.Class(), true
}

// SZLClass classes the read of an SZL list by its partial list (the low
// byte of the id): the lists that describe what the module is (the lists
// named below) are an identity query, the lists of its state (mode,
// diagnostic buffer, LEDs, module states, interrupt status ...)
// diagnostics.
func SZLClass(id uint16) OpClass {
	switch uint8(id) {
	case 0x00, // the SZL ids the module has
		0x11, // module identification
		0x12, // CPU characteristics
		0x13, // user memory areas
		0x14, // system areas
		0x15, // block types
		0x1c, // component identification
		0x31, // communication capability parameters
		0x37: // Ethernet interface details
		return ClassIdentity
	}
	return ClassDiagnostics
}
