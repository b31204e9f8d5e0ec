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

// String names the function code. It does not allocate.
func (f FunctionCode) String() string {
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
	return "unknown"
}

// Known reports whether f is a defined function code.
func (f FunctionCode) Known() bool {
	return f < FunctionCode(len(funcNames)) || f >= FuncResponse && f <= FuncAuthenticateResponse
}

// IsResponse reports whether fragments with this function code carry
// internal indications: responses, unsolicited responses and
// authentication responses.
func (f FunctionCode) IsResponse() bool { return f >= FuncResponse && f <= FuncAuthenticateResponse }

// IIN holds the two internal indication octets of a response: the first
// octet (IIN1) in the high byte, the second (IIN2) in the low byte, as
// Wireshark shows them.
type IIN uint16

// IIN bits.
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
	IINReserved            IIN = 0x00C0
)

// Has reports whether all bits of b are set.
func (i IIN) Has(b IIN) bool { return i&b == b }

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
// The result's Body aliases b. It does not allocate.
func ParseFragment(b []byte) (Fragment, error) {
	var f Fragment
	err := f.Decode(b)
	return f, err
}

// Decode is ParseFragment into a Fragment the caller keeps, which spares
// the copy of a returned one. Every field of f is overwritten.
func (f *Fragment) Decode(b []byte) error {
	f.Control, f.Func, f.IIN, f.HasIIN, f.Body, f.Anomalies = 0, 0, 0, false, nil, 0
	if len(b) < 2 {
		if len(b) == 1 {
			f.Control = AppControl(b[0])
		}
		return ErrTruncated
	}
	f.Control = AppControl(b[0])
	f.Func = FunctionCode(b[1])
	b = b[2:]
	if !f.Func.Known() {
		f.Anomalies |= AnomalyAppFunction
	}
	if f.Func.IsResponse() {
		if len(b) < 2 {
			return ErrTruncated
		}
		f.IIN = IIN(b[0])<<8 | IIN(b[1])
		f.HasIIN = true
		if f.IIN&IINReserved != 0 {
			f.Anomalies |= AnomalyIINReserved
		}
		b = b[2:]
	}
	f.Body = b[:len(b):len(b)]
	return nil
}

// Objects returns a cursor over the fragment's object headers. Whether the
// headers are followed by object data depends on the function code: read,
// freeze, confirm, assign class and unsolicited enable/disable requests
// carry headers (and index prefixes) only.
func (f *Fragment) Objects() Objects {
	return NewObjects(f.Body, f.Func)
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
