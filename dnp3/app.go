package dnp3

// AppControl is the application control octet that starts every fragment.
type AppControl uint8

// FIR reports the first-fragment bit.
func (c AppControl) FIR() bool { return c&0x80 != 0 }

// FIN reports the final-fragment bit.
func (c AppControl) FIN() bool { return c&0x40 != 0 }

// CON reports the confirmation-requested bit.
func (c AppControl) CON() bool { return c&0x20 != 0 }

// UNS reports the unsolicited bit.
func (c AppControl) UNS() bool { return c&0x10 != 0 }

// Seq returns the 4-bit application sequence number.
func (c AppControl) Seq() uint8 { return uint8(c) & 0x0F }

// FunctionCode is an application-layer function code. It is an open enum:
// unknown values are kept.
type FunctionCode uint8

// Application function codes (IEEE 1815 clause 4.2.2.5).
const (
	FuncConfirm                  FunctionCode = 0
	FuncRead                     FunctionCode = 1
	FuncWrite                    FunctionCode = 2
	FuncSelect                   FunctionCode = 3
	FuncOperate                  FunctionCode = 4
	FuncDirectOperate            FunctionCode = 5
	FuncDirectOperateNoAck       FunctionCode = 6
	FuncImmediateFreeze          FunctionCode = 7
	FuncImmediateFreezeNoAck     FunctionCode = 8
	FuncFreezeClear              FunctionCode = 9
	FuncFreezeClearNoAck         FunctionCode = 10
	FuncFreezeAtTime             FunctionCode = 11
	FuncFreezeAtTimeNoAck        FunctionCode = 12
	FuncColdRestart              FunctionCode = 13
	FuncWarmRestart              FunctionCode = 14
	FuncInitializeData           FunctionCode = 15
	FuncInitializeApplication    FunctionCode = 16
	FuncStartApplication         FunctionCode = 17
	FuncStopApplication          FunctionCode = 18
	FuncSaveConfiguration        FunctionCode = 19
	FuncEnableUnsolicited        FunctionCode = 20
	FuncDisableUnsolicited       FunctionCode = 21
	FuncAssignClass              FunctionCode = 22
	FuncDelayMeasure             FunctionCode = 23
	FuncRecordCurrentTime        FunctionCode = 24
	FuncOpenFile                 FunctionCode = 25
	FuncCloseFile                FunctionCode = 26
	FuncDeleteFile               FunctionCode = 27
	FuncGetFileInfo              FunctionCode = 28
	FuncAuthenticateFile         FunctionCode = 29
	FuncAbortFile                FunctionCode = 30
	FuncActivateConfig           FunctionCode = 31
	FuncAuthenticateRequest      FunctionCode = 32
	FuncAuthenticateRequestNoAck FunctionCode = 33
	FuncResponse                 FunctionCode = 129
	FuncUnsolicitedResponse      FunctionCode = 130
	FuncAuthenticateResponse     FunctionCode = 131
)

var funcNames = [34]string{
	"confirm", "read", "write", "select", "operate", "direct operate",
	"direct operate no ack", "immediate freeze", "immediate freeze no ack",
	"freeze and clear", "freeze and clear no ack", "freeze at time",
	"freeze at time no ack", "cold restart", "warm restart",
	"initialize data", "initialize application", "start application",
	"stop application", "save configuration", "enable unsolicited",
	"disable unsolicited", "assign class", "delay measure",
	"record current time", "open file", "close file", "delete file",
	"get file info", "authenticate file", "abort file", "activate config",
	"authenticate request", "authenticate request no ack",
}

func (f FunctionCode) name() string {
	if int(f) < len(funcNames) {
		return funcNames[f]
	}
	switch f {
	case FuncResponse:
		return "response"
	case FuncUnsolicitedResponse:
		return "unsolicited response"
	case FuncAuthenticateResponse:
		return "authenticate response"
	}
	return ""
}

// String names the function code ("direct operate"); an unknown one prints
// as "function 0x5a". It does not allocate for known values.
func (f FunctionCode) String() string {
	if s := f.name(); s != "" {
		return s
	}
	return unknownName("function", uint64(f), 2)
}

// AppendText appends the text of String to b. It never allocates when b
// has room.
func (f FunctionCode) AppendText(b []byte) ([]byte, error) {
	if s := f.name(); s != "" {
		return append(b, s...), nil
	}
	return appendUnknown(b, "function", uint64(f), 2), nil
}

// Known reports whether f is a defined function code.
func (f FunctionCode) Known() bool {
	return f < FunctionCode(len(funcNames)) || f >= FuncResponse && f <= FuncAuthenticateResponse
}

// IsResponse reports whether fragments with this function code carry
// internal indications: responses, unsolicited responses and
// authentication responses.
func (f FunctionCode) IsResponse() bool { return f >= FuncResponse && f <= FuncAuthenticateResponse }

// IsRequest reports whether f is sent by a master as a request: every code
// below 0x80 but confirm.
func (f FunctionCode) IsRequest() bool { return f != FuncConfirm && f < 0x80 }

// NoResponse reports whether an outstation answers requests with this
// function code with no response: the "no ack" variants of direct operate,
// freeze and authentication request (and confirm, which is no request).
func (f FunctionCode) NoResponse() bool {
	switch f {
	case FuncConfirm, FuncDirectOperateNoAck, FuncImmediateFreezeNoAck, FuncFreezeClearNoAck,
		FuncFreezeAtTimeNoAck, FuncAuthenticateRequestNoAck:
		return true
	}
	return false
}

// Operation classifies what a function code does to an outstation, for
// monitoring: what a tool would alert on. Use [FunctionCode.Operation], or
// [Fragment.Operation], which also tells a time synchronisation (a write of
// group 50) from other writes.
type Operation uint8

// Operations. The function codes of each are in brackets (IEEE 1815 clause
// 4.2.2.5).
const (
	// OpOther: a reserved or unknown function code.
	OpOther Operation = iota
	// OpConfirm: an application confirm [0].
	OpConfirm
	// OpRead: read [1].
	OpRead
	// OpWrite: write [2], other than of time objects.
	OpWrite
	// OpControl: select, operate, direct operate and direct operate no
	// ack [3-6]: CROB, pattern control and analog output commands.
	OpControl
	// OpFreeze: immediate freeze, freeze and clear, freeze at time, with
	// or without ack [7-12].
	OpFreeze
	// OpColdRestart: cold restart [13].
	OpColdRestart
	// OpWarmRestart: warm restart [14].
	OpWarmRestart
	// OpApplication: initialize data, initialize, start and stop
	// application [15-18].
	OpApplication
	// OpSaveConfiguration: save configuration [19].
	OpSaveConfiguration
	// OpUnsolicited: enable and disable unsolicited responses [20, 21].
	OpUnsolicited
	// OpAssignClass: assign class [22].
	OpAssignClass
	// OpTimeSync: delay measurement and record current time [23, 24], and
	// a write of time objects (group 50), which sets the outstation's
	// clock.
	OpTimeSync
	// OpFile: open, close, delete, get info of, authenticate and abort
	// files [25-30]: file transfer.
	OpFile
	// OpActivateConfig: activate configuration [31] (of files or strings
	// sent before).
	OpActivateConfig
	// OpAuthentication: secure authentication requests and responses
	// [32, 33, 131].
	OpAuthentication
	// OpResponse: responses and unsolicited responses [129, 130].
	OpResponse
	numOperations
)

var opNames = [numOperations]string{
	"other", "confirm", "read", "write", "control", "freeze", "cold restart",
	"warm restart", "application", "save configuration", "unsolicited",
	"assign class", "time sync", "file", "activate config", "authentication",
	"response",
}

// Known reports whether o is one of the constants above.
func (o Operation) Known() bool { return o < numOperations }

// String names the operation ("control"); an unknown value prints as
// "operation 0x20". It does not allocate for known values.
func (o Operation) String() string {
	if o < numOperations {
		return opNames[o]
	}
	return unknownName("operation", uint64(o), 2)
}

// AppendText appends the text of String to b. It never allocates when b
// has room.
func (o Operation) AppendText(b []byte) ([]byte, error) {
	if o < numOperations {
		return append(b, opNames[o]...), nil
	}
	return appendUnknown(b, "operation", uint64(o), 2), nil
}

// opOfFunc is the Operation of each function code below 34.
var opOfFunc = [34]Operation{
	OpConfirm, OpRead, OpWrite, OpControl, OpControl, OpControl, OpControl,
	OpFreeze, OpFreeze, OpFreeze, OpFreeze, OpFreeze, OpFreeze,
	OpColdRestart, OpWarmRestart,
	OpApplication, OpApplication, OpApplication, OpApplication,
	OpSaveConfiguration, OpUnsolicited, OpUnsolicited, OpAssignClass,
	OpTimeSync, OpTimeSync,
	OpFile, OpFile, OpFile, OpFile, OpFile, OpFile, OpActivateConfig,
	OpAuthentication, OpAuthentication,
}

// Operation returns the operation of function code f. A write is OpWrite
// here; [Fragment.Operation] looks at its objects.
func (f FunctionCode) Operation() Operation {
	if int(f) < len(opOfFunc) {
		return opOfFunc[f]
	}
	switch f {
	case FuncResponse, FuncUnsolicitedResponse:
		return OpResponse
	case FuncAuthenticateResponse:
		return OpAuthentication
	}
	return OpOther
}

// IIN holds the two internal indication octets of a response: the first
// octet (IIN1) in the high byte, the second (IIN2) in the low byte, as
// Wireshark shows them. It is a set of flags.
type IIN uint16

// IIN bits (IEEE 1815 clause 4.2.2.7).
const (
	IINBroadcast           IIN = 0x0100
	IINClass1Events        IIN = 0x0200
	IINClass2Events        IIN = 0x0400
	IINClass3Events        IIN = 0x0800
	IINNeedTime            IIN = 0x1000
	IINLocalControl        IIN = 0x2000
	IINDeviceTrouble       IIN = 0x4000
	IINDeviceRestart       IIN = 0x8000
	IINNoFuncCodeSupport   IIN = 0x0001
	IINObjectUnknown       IIN = 0x0002
	IINParameterError      IIN = 0x0004
	IINEventBufferOverflow IIN = 0x0008
	IINAlreadyExecuting    IIN = 0x0010
	IINConfigCorrupt       IIN = 0x0020
	IINReserved6           IIN = 0x0040 // IIN2.6, reserved
	IINReserved7           IIN = 0x0080 // IIN2.7, reserved
)

// iinReserved is both reserved bits.
const iinReserved = IINReserved6 | IINReserved7

var iinText = [16]string{
	"no_func_code_support", "object_unknown", "parameter_error", "event_buffer_overflow",
	"already_executing", "config_corrupt", "reserved6", "reserved7",
	"broadcast", "class1_events", "class2_events", "class3_events",
	"need_time", "local_control", "device_trouble", "device_restart",
}

// Has reports whether every bit of x is set in i.
func (i IIN) Has(x IIN) bool { return i&x == x }

// All yields each bit set in i, lowest first. It does not allocate.
func (i IIN) All(yield func(IIN) bool) {
	for i != 0 {
		f := i & -i
		if !yield(f) {
			return
		}
		i &^= f
	}
}

// String returns the names of the bits set in i, lowest first, joined by
// "|" ("need_time|device_restart"), or "" for none. It does not allocate
// for a single bit or none.
func (i IIN) String() string {
	if i == 0 {
		return ""
	}
	if i&(i-1) == 0 {
		return iinText[bitIndex(uint32(i))]
	}
	b, _ := i.AppendText(make([]byte, 0, 64))
	return string(b)
}

// AppendText appends the text of String to b. It never allocates when b
// has room.
func (i IIN) AppendText(b []byte) ([]byte, error) {
	return appendFlags(b, uint32(i), iinText[:]), nil
}

// Fragment is a decoded application fragment header plus a view of its
// object headers and data.
type Fragment struct {
	Control AppControl
	Func    FunctionCode
	// IIN is set on responses (HasIIN).
	IIN    IIN
	HasIIN bool
	// Body holds the object headers and data after the application header.
	// It aliases the input.
	Body []byte
	// Anomalies seen in the header.
	Anomalies Anomaly
}

// ParseFragment decodes the application header of a reassembled fragment.
// The result's Body aliases b; n is len(b) (a fragment takes all of its
// bytes). Errors: ErrLength (n == 0) for fewer than two octets, which
// hold no function code (Control is set when there is one);
// ErrTruncated (n == 0) for a response that ends inside its IIN (Control
// and Func are set). It does not allocate, and b does not escape.
func ParseFragment(b []byte) (f Fragment, n int, err error) {
	// Not through fragmentHeader: built here, the result keeps b from
	// escaping when the call is inlined into a walk of its objects.
	if len(b) < 2 {
		if len(b) == 1 {
			f.Control = AppControl(b[0])
		}
		return f, 0, ErrLength
	}
	f.Control, f.Func = AppControl(b[0]), FunctionCode(b[1])
	r := b[2:]
	if !f.Func.Known() {
		f.Anomalies |= AnomalyAppFunction
	}
	if f.Func.IsResponse() {
		if len(r) < 2 {
			return f, 0, ErrTruncated
		}
		f.IIN, f.HasIIN = IIN(r[0])<<8|IIN(r[1]), true
		if f.IIN&iinReserved != 0 {
			f.Anomalies |= AnomalyIINReserved
		}
		r = r[2:]
	}
	f.Body = r[:len(r):len(r)]
	return f, len(b), nil
}

// Decode is ParseFragment into a Fragment the caller keeps. Every field of
// f is overwritten. The Fragment keeps a view of b, so b escapes when f
// does.
func (f *Fragment) Decode(b []byte) (n int, err error) {
	f.Control, f.Func, f.IIN, f.HasIIN, f.Anomalies, f.Body, n, err = fragmentHeader(b)
	return n, err
}

// fragmentHeader decodes the application header at the start of b for
// Fragment.Decode, which then stores each field once. ParseFragment does
// the same; FuzzParse holds the two together.
func fragmentHeader(b []byte) (ctl AppControl, fn FunctionCode, iin IIN, hasIIN bool, an Anomaly, body []byte, n int, err error) {
	if len(b) < 2 {
		if len(b) == 1 {
			ctl = AppControl(b[0])
		}
		return ctl, 0, 0, false, 0, nil, 0, ErrLength
	}
	ctl, fn = AppControl(b[0]), FunctionCode(b[1])
	r := b[2:]
	if !fn.Known() {
		an |= AnomalyAppFunction
	}
	if fn.IsResponse() {
		if len(r) < 2 {
			return ctl, fn, 0, false, an, nil, 0, ErrTruncated
		}
		iin, hasIIN = IIN(r[0])<<8|IIN(r[1]), true
		if iin&iinReserved != 0 {
			an |= AnomalyIINReserved
		}
		r = r[2:]
	}
	return ctl, fn, iin, hasIIN, an, r[:len(r):len(r)], len(b), nil
}

// Objects returns a cursor over the fragment's object headers. Whether the
// headers are followed by object data depends on the function code: read,
// freeze, confirm, assign class and unsolicited enable/disable requests
// carry headers (and index prefixes) only.
func (f *Fragment) Objects() Objects {
	return NewObjects(f.Body, f.Func)
}

// Operation returns the operation of the fragment's function code, with a
// write whose first object is a time object (group 50) classed as
// OpTimeSync.
func (f *Fragment) Operation() Operation {
	if f.Func == FuncWrite && len(f.Body) > 0 && f.Body[0] == 50 {
		return OpTimeSync
	}
	return f.Func.Operation()
}

// headerOnly reports whether objects of group g in a fragment with function
// fn are sent without data.
func headerOnly(fn FunctionCode, g uint8) bool {
	switch fn {
	case FuncConfirm, FuncRead, FuncImmediateFreeze, FuncImmediateFreezeNoAck,
		FuncFreezeClear, FuncFreezeClearNoAck, FuncEnableUnsolicited,
		FuncDisableUnsolicited, FuncAssignClass:
		return true
	case FuncFreezeAtTime, FuncFreezeAtTimeNoAck:
		return g != 50
	}
	return false
}
