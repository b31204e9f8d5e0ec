package iec104

// The qualifiers and codes of information elements that are enumerations.
// Each has Known, String (the name, or "<noun> 0x%02x" for a value the
// standard does not define) and AppendText.

// enumText returns names[v], or "" when v has no name.
func enumText(names []string, v uint8) string {
	if int(v) < len(names) {
		return names[v]
	}
	return ""
}

func enumString(names []string, noun string, v uint8) string {
	if s := enumText(names, v); s != "" {
		return s
	}
	return unknownString(noun, v)
}

func enumAppend(b []byte, names []string, noun string, v uint8) []byte {
	if s := enumText(names, v); s != "" {
		return append(b, s...)
	}
	return appendUnknown(b, noun, v)
}

// QOI is the qualifier of interrogation of C_IC_NA_1: station interrogation
// (20) or the interrogation of group 1..16 (21..36). The data answering it
// carries the same value as its cause of transmission.
type QOI uint8

// Qualifiers of interrogation; group n is QOIGroup1 + n - 1.
const (
	QOIStation QOI = 20
	QOIGroup1  QOI = 21
	QOIGroup16 QOI = 36
)

var qoiNames = [37]string{
	20: "station", 21: "group 1", 22: "group 2", 23: "group 3", 24: "group 4", 25: "group 5",
	26: "group 6", 27: "group 7", 28: "group 8", 29: "group 9", 30: "group 10", 31: "group 11",
	32: "group 12", 33: "group 13", 34: "group 14", 35: "group 15", 36: "group 16",
}

// Known reports whether q is 20..36.
func (q QOI) Known() bool { return q >= QOIStation && q <= QOIGroup16 }

// Group returns the group 1..16, or 0 for the station interrogation and
// undefined values.
func (q QOI) Group() int {
	if q >= QOIGroup1 && q <= QOIGroup16 {
		return int(q-QOIGroup1) + 1
	}
	return 0
}

// String returns "station", "group 1".."group 16" or "qoi 0x05".
func (q QOI) String() string { return enumString(qoiNames[:], "qoi", uint8(q)) }

// AppendText appends the text of String to b.
func (q QOI) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, qoiNames[:], "qoi", uint8(q)), nil
}

// CounterRequest is the request (RQT) of a qualifier of counter
// interrogation: the counters of group 1..4, or all of them.
type CounterRequest uint8

// Counter requests.
const (
	RequestGroup1  CounterRequest = 1
	RequestGroup2  CounterRequest = 2
	RequestGroup3  CounterRequest = 3
	RequestGroup4  CounterRequest = 4
	RequestGeneral CounterRequest = 5
)

var counterRequestNames = [6]string{1: "group 1", 2: "group 2", 3: "group 3", 4: "group 4", 5: "general"}

// Known reports whether r is 1..5.
func (r CounterRequest) Known() bool { return r >= 1 && r <= 5 }

// String returns "group 1".."group 4", "general" or "request 0x00".
func (r CounterRequest) String() string {
	return enumString(counterRequestNames[:], "request", uint8(r))
}

// AppendText appends the text of String to b.
func (r CounterRequest) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, counterRequestNames[:], "request", uint8(r)), nil
}

// Freeze is the freeze (FRZ) of a qualifier of counter interrogation.
type Freeze uint8

// Freezes.
const (
	FreezeRead         Freeze = 0 // read, no freeze or reset
	FreezeNoReset      Freeze = 1 // counter freeze without reset
	FreezeWithReset    Freeze = 2 // counter freeze with reset
	FreezeCounterReset Freeze = 3 // counter reset
)

var freezeNames = [4]string{"read", "freeze without reset", "freeze with reset", "reset"}

// Known reports whether f is 0..3.
func (f Freeze) Known() bool { return f <= FreezeCounterReset }

// String returns the freeze's name or "freeze 0x04".
func (f Freeze) String() string { return enumString(freezeNames[:], "freeze", uint8(f)) }

// AppendText appends the text of String to b.
func (f Freeze) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, freezeNames[:], "freeze", uint8(f)), nil
}

// QRP is the qualifier of the reset process command C_RP_NA_1.
type QRP uint8

// Qualifiers of reset process.
const (
	QRPGeneralReset QRP = 1 // general reset of process
	QRPResetEvents  QRP = 2 // reset of pending information with time tag of the event buffer
)

var qrpNames = [3]string{1: "general reset", 2: "reset events"}

// Known reports whether q is 1 or 2.
func (q QRP) Known() bool { return q == QRPGeneralReset || q == QRPResetEvents }

// String returns "general reset", "reset events" or "qrp 0x00".
func (q QRP) String() string { return enumString(qrpNames[:], "qrp", uint8(q)) }

// AppendText appends the text of String to b.
func (q QRP) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, qrpNames[:], "qrp", uint8(q)), nil
}

// QPA is the qualifier of parameter activation of P_AC_NA_1.
type QPA uint8

// Qualifiers of parameter activation.
const (
	QPALoaded QPA = 1 // act/deact of the previously loaded parameters (address 0)
	QPAObject QPA = 2 // act/deact of the parameter of the addressed object
	QPACyclic QPA = 3 // act/deact of persistent cyclic or periodic transmission of the addressed object
)

var qpaNames = [4]string{1: "loaded parameters", 2: "object parameter", 3: "cyclic transmission"}

// Known reports whether q is 1..3.
func (q QPA) Known() bool { return q >= QPALoaded && q <= QPACyclic }

// String returns the qualifier's name or "qpa 0x00".
func (q QPA) String() string { return enumString(qpaNames[:], "qpa", uint8(q)) }

// AppendText appends the text of String to b.
func (q QPA) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, qpaNames[:], "qpa", uint8(q)), nil
}

// KPA is the kind of parameter of a qualifier of parameter of measured
// value (QPM).
type KPA uint8

// Kinds of parameter.
const (
	KPAThreshold KPA = 1
	KPASmoothing KPA = 2
	KPALowLimit  KPA = 3
	KPAHighLimit KPA = 4
)

var kpaNames = [5]string{1: "threshold", 2: "smoothing factor", 3: "low limit", 4: "high limit"}

// Known reports whether k is 1..4.
func (k KPA) Known() bool { return k >= KPAThreshold && k <= KPAHighLimit }

// String returns the kind's name or "kpa 0x00".
func (k KPA) String() string { return enumString(kpaNames[:], "kpa", uint8(k)) }

// AppendText appends the text of String to b.
func (k KPA) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, kpaNames[:], "kpa", uint8(k)), nil
}

// InitCause is the cause of a cause of initialisation (COI) of
// M_EI_NA_1, without its "after a change of local parameters" bit.
type InitCause uint8

// Causes of initialisation.
const (
	InitPowerOn     InitCause = 0 // local power switch on
	InitManualReset InitCause = 1 // local manual reset
	InitRemoteReset InitCause = 2 // remote reset
)

var initCauseNames = [3]string{"power on", "local reset", "remote reset"}

// Known reports whether c is 0..2.
func (c InitCause) Known() bool { return c <= InitRemoteReset }

// String returns the cause's name or "coi 0x03".
func (c InitCause) String() string { return enumString(initCauseNames[:], "coi", uint8(c)) }

// AppendText appends the text of String to b.
func (c InitCause) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, initCauseNames[:], "coi", uint8(c)), nil
}

// CommandQualifier is the qualifier of command (QU) of a single, double or
// regulating step command.
type CommandQualifier uint8

// Qualifiers of command.
const (
	QUDefault    CommandQualifier = 0 // no additional definition
	QUShortPulse CommandQualifier = 1
	QULongPulse  CommandQualifier = 2
	QUPersistent CommandQualifier = 3
)

var quNames = [4]string{"default", "short pulse", "long pulse", "persistent"}

// Known reports whether q is 0..3.
func (q CommandQualifier) Known() bool { return q <= QUPersistent }

// String returns the qualifier's name or "qu 0x04".
func (q CommandQualifier) String() string { return enumString(quNames[:], "qu", uint8(q)) }

// AppendText appends the text of String to b.
func (q CommandQualifier) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, quNames[:], "qu", uint8(q)), nil
}

// DoublePoint is the state of a double point (DPI) or of an event of
// protection equipment (ES).
type DoublePoint uint8

// Double point states.
const (
	DPIntermediate  DoublePoint = 0 // indeterminate or intermediate
	DPOff           DoublePoint = 1
	DPOn            DoublePoint = 2
	DPIndeterminate DoublePoint = 3
)

var doublePointNames = [4]string{"intermediate", "off", "on", "indeterminate"}

// Known reports whether d is 0..3.
func (d DoublePoint) Known() bool { return d <= DPIndeterminate }

// String returns the state's name or "dpi 0x04".
func (d DoublePoint) String() string { return enumString(doublePointNames[:], "dpi", uint8(d)) }

// AppendText appends the text of String to b.
func (d DoublePoint) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, doublePointNames[:], "dpi", uint8(d)), nil
}
