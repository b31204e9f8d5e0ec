package iec104

import "time"

// This file reduces an information object to what a monitoring consumer
// (package asset) keeps: one typed value, one set of quality flags, one
// time, and what the ASDU's type does. Everything here is computed from the
// typed accessors of Object and does not allocate.

// ValueKind says how to read a [Value].
type ValueKind uint8

// Kinds of value.
const (
	KindNone        ValueKind = iota // no value: qualifiers and system commands
	KindSingle                       // single point (SPI) or single command state (SCS): Int 0 or 1
	KindDouble                       // double point (DPI, ES) or double command state (DCS): Int 0..3
	KindStep                         // step position (VTI): Int -64..63
	KindStepCommand                  // regulating step command state (RCS): Int 1 lower, 2 higher
	KindBitstring                    // 32-bit bitstring (BSI): Int the 32 bits, first octet least significant
	KindNormalized                   // normalized value (NVA): Int the raw -32768..32767, Float Int/32768
	KindScaled                       // scaled value (SVA): Int -32768..32767
	KindFloat                        // short floating point value: Float
	KindCounter                      // binary counter reading (BCR): Int the count
	KindPacked                       // packed single points (SCD): Int status | change<<16
	KindProtection                   // start events (SPE) or output circuit information (OCI): Int the bits
)

var valueKindNames = [12]string{"none", "single", "double", "step", "step command", "bitstring",
	"normalized", "scaled", "float", "counter", "packed", "protection"}

// Known reports whether k is one of the kinds above.
func (k ValueKind) Known() bool { return k <= KindProtection }

// String returns the kind's name or "kind 0x0c".
func (k ValueKind) String() string { return enumString(valueKindNames[:], "kind", uint8(k)) }

// AppendText appends the text of String to b.
func (k ValueKind) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, valueKindNames[:], "kind", uint8(k)), nil
}

// Value is the value of an information element, typed by Kind.
type Value struct {
	Kind  ValueKind
	Int   int64
	Float float64
}

// Value returns the element's value: the point state, step position,
// bitstring, measured value, counter reading, protection event state or
// command state or set point. It is false for elements without a value
// (qualifiers, system commands, file transfer).
func (o Object) Value() (Value, bool) {
	if v, ok := o.SIQ(); ok {
		return Value{Kind: KindSingle, Int: int64(v & 1)}, true
	}
	if v, ok := o.DIQ(); ok {
		return Value{Kind: KindDouble, Int: int64(v.DPI())}, true
	}
	if v, ok := o.VTI(); ok {
		return Value{Kind: KindStep, Int: int64(v.Value())}, true
	}
	if v, ok := o.BSI(); ok {
		return Value{Kind: KindBitstring, Int: int64(v)}, true
	}
	if v, ok := o.Normalized(); ok {
		return Value{Kind: KindNormalized, Int: int64(v), Float: float64(NormalizedValue(v))}, true
	}
	if v, ok := o.Scaled(); ok {
		return Value{Kind: KindScaled, Int: int64(v), Float: float64(v)}, true
	}
	if v, ok := o.Float(); ok {
		return Value{Kind: KindFloat, Float: float64(v)}, true
	}
	if v, ok := o.BCR(); ok {
		return Value{Kind: KindCounter, Int: int64(v.Value), Float: float64(v.Value)}, true
	}
	if v, ok := o.SCD(); ok {
		return Value{Kind: KindPacked, Int: int64(v.Status) | int64(v.Change)<<16}, true
	}
	if v, ok := o.SEP(); ok {
		return Value{Kind: KindDouble, Int: int64(v.ES())}, true
	}
	if v, _, ok := o.SPE(); ok {
		return Value{Kind: KindProtection, Int: int64(v)}, true
	}
	if v, _, ok := o.OCI(); ok {
		return Value{Kind: KindProtection, Int: int64(v)}, true
	}
	if v, ok := o.SCO(); ok {
		return Value{Kind: KindSingle, Int: int64(v & 1)}, true
	}
	if v, ok := o.DCO(); ok {
		return Value{Kind: KindDouble, Int: int64(v.State())}, true
	}
	if v, ok := o.RCO(); ok {
		return Value{Kind: KindStepCommand, Int: int64(v.Step())}, true
	}
	return Value{}, false
}

// Quality is the quality of an information element, from whichever
// descriptor its type carries (SIQ, DIQ, QDS, QDP, SEP, BCR) and the
// invalid bit of its time tag. It is a flag set.
type Quality uint16

// Quality flags.
const (
	QualityOverflow       Quality = 1 << iota // OV: value beyond the predefined range (QDS)
	QualityElapsedInvalid                     // EI: elapsed time invalid (QDP, SEP)
	QualityBlocked                            // BL
	QualitySubstituted                        // SB
	QualityNotTopical                         // NT
	QualityInvalid                            // IV
	QualityCarry                              // CY: counter overflow (BCR)
	QualityAdjusted                           // CA: counter adjusted (BCR)
	QualityTransient                          // T: equipment in transient state (VTI)
	QualityTimeInvalid                        // IV of the CP24Time2a or CP56Time2a time tag
	numQuality            = iota
)

var qualityNames = [numQuality]string{"overflow", "elapsed_invalid", "blocked", "substituted",
	"not_topical", "invalid", "carry", "adjusted", "transient", "time_invalid"}

// Has reports whether every flag of x is set in q.
func (q Quality) Has(x Quality) bool { return q&x == x }

// All yields each flag set in q, lowest first.
func (q Quality) All(yield func(Quality) bool) {
	for q != 0 {
		bit := q & -q
		q &^= bit
		if !yield(bit) {
			return
		}
	}
}

// String returns the names of the flags in q joined by "|", "" for none.
// It does not allocate for none or a single flag.
func (q Quality) String() string {
	if q == 0 {
		return ""
	}
	if q&(q-1) == 0 {
		if i := bitIndex(Anomaly(q)); i < numQuality {
			return qualityNames[i]
		}
	}
	var buf [128]byte
	b, _ := q.AppendText(buf[:0])
	return string(b)
}

// AppendText appends the text of String to b. It allocates only if b must
// grow.
func (q Quality) AppendText(b []byte) ([]byte, error) {
	first := true
	for q != 0 {
		bit := q & -q
		q &^= bit
		if !first {
			b = append(b, '|')
		}
		first = false
		if i := bitIndex(Anomaly(bit)); i < numQuality {
			b = append(b, qualityNames[i]...)
		} else {
			b = append(b, "bit"...)
			b = appendUint(b, uint64(i))
		}
	}
	return b, nil
}

// common maps the BL, SB, NT and IV bits (0x10..0x80) shared by every
// descriptor.
func common(d uint8) Quality {
	return Quality(d>>4&0xf) << 2
}

// Quality returns the element's quality flags, false when its type
// carries no quality descriptor and no time tag.
func (o Object) Quality() (Quality, bool) {
	var q Quality
	ok := false
	switch {
	case o.parts()&(pSIQ|pDIQ) != 0 && len(o.Raw) > 0:
		q, ok = common(o.Raw[0]), true
	case o.parts()&pBCR != 0:
		if v, has := o.BCR(); has {
			ok = true
			if v.Carry {
				q |= QualityCarry
			}
			if v.Adjusted {
				q |= QualityAdjusted
			}
			if v.Invalid {
				q |= QualityInvalid
			}
		}
	}
	if v, has := o.QDS(); has {
		q |= common(uint8(v))
		if v.OV() {
			q |= QualityOverflow
		}
		ok = true
	}
	if v, has := o.VTI(); has && v.Transient() {
		q |= QualityTransient
	}
	if v, has := o.SEP(); has {
		q |= common(uint8(v))
		if v.EI() {
			q |= QualityElapsedInvalid
		}
		ok = true
	}
	if _, d, has := o.SPE(); has {
		q |= qdp(d)
		ok = true
	}
	if _, d, has := o.OCI(); has {
		q |= qdp(d)
		ok = true
	}
	if t, has := o.CP56(); has {
		ok = true
		if t.Invalid {
			q |= QualityTimeInvalid
		}
	} else if t, has := o.CP24(); has {
		ok = true
		if t.Invalid {
			q |= QualityTimeInvalid
		}
	}
	return q, ok
}

func qdp(d QDP) Quality {
	q := common(uint8(d))
	if d.EI() {
		q |= QualityElapsedInvalid
	}
	return q
}

// Time returns the element's time tag as a time. A CP56Time2a is read as
// [CP56Time2a.Time] does, in UTC; a CP24Time2a, which holds only the
// minute and millisecond, is placed in the hour that brings it nearest to
// ref (the capture time), as [CP24Time2a.Time] does. It is false for
// elements without a time tag. It does not allocate.
func (o Object) Time(ref time.Time) (time.Time, bool) {
	if t, ok := o.CP56(); ok {
		return t.Time(nil), true
	}
	if t, ok := o.CP24(); ok {
		return t.Time(ref), true
	}
	return time.Time{}, false
}

// Command is a decoded command: a single, double or regulating step
// command, a set point or a bitstring command (types 45..51, 58..64).
type Command struct {
	// Value is the command state (KindSingle, KindDouble,
	// KindStepCommand), the set point (KindNormalized, KindScaled,
	// KindFloat) or the bitstring (KindBitstring).
	Value Value
	// Select is the S/E bit: select (true) or execute. Bitstring commands
	// have none.
	Select bool
	// Qualifier is the qualifier of command (QU) of single, double and
	// regulating step commands.
	Qualifier CommandQualifier
	// QL is the qualifier (QL) of a set point's QOS.
	QL uint8
}

// Command returns the element of a command type, false for other types.
func (o Object) Command() (Command, bool) {
	var c Command
	switch {
	case o.Type >= C_SC_NA_1 && o.Type <= C_BO_NA_1, o.Type >= C_SC_TA_1 && o.Type <= C_BO_TA_1:
	default:
		return c, false
	}
	v, ok := o.Value()
	if !ok {
		return c, false
	}
	c.Value = v
	if s, ok := o.SCO(); ok {
		c.Select, c.Qualifier = s.Select(), s.QU()
	}
	if d, ok := o.DCO(); ok {
		c.Select, c.Qualifier = d.Select(), d.QU()
	}
	if r, ok := o.RCO(); ok {
		c.Select, c.Qualifier = r.Select(), r.QU()
	}
	if q, ok := o.QOS(); ok {
		c.Select, c.QL = q.Select(), q.QL()
	}
	return c, true
}

// Operation says what an ASDU type does, for a monitoring tool that alerts
// on operations rather than on type ids. See [TypeID.Operation].
type Operation uint8

// Operations.
const (
	OpMonitor       Operation = iota // monitoring data (types 1..40): no operation
	OpRead                           // read (102), station and counter interrogation (100, 101)
	OpControl                        // single, double, regulating step and bitstring commands (45..47, 51, 58..60, 64)
	OpWrite                          // set points (48..50, 61..63)
	OpRestart                        // reset process (105): control of the station, a restart
	OpTimeSync                       // clock synchronisation (103) and delay acquisition (106)
	OpDiagnostics                    // test commands (104, 107 with time tag)
	OpConfiguration                  // parameters of measured values and parameter activation (110..113)
	OpFile                           // file transfer (120..127)
	OpInitialized                    // end of initialisation (70): the station reports a (re)start
	OpUnknown                        // a type id the package does not know
)

var operationNames = [11]string{"monitor", "read", "control", "write", "restart", "time sync",
	"diagnostics", "configuration", "file", "initialized", "unknown"}

// Known reports whether op is one of the operations above.
func (op Operation) Known() bool { return op <= OpUnknown }

// String returns the operation's name or "operation 0x0b".
func (op Operation) String() string { return enumString(operationNames[:], "operation", uint8(op)) }

// AppendText appends the text of String to b.
func (op Operation) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, operationNames[:], "operation", uint8(op)), nil
}

// Operation classifies the type id:
//
//	OpMonitor        1..40 (process information in monitor direction)
//	OpInitialized    70 M_EI_NA_1 end of initialisation
//	OpControl        45..47, 51, 58..60, 64 (single, double, regulating step, bitstring commands)
//	OpWrite          48..50, 61..63 (set points)
//	OpRead           100 C_IC_NA_1, 101 C_CI_NA_1, 102 C_RD_NA_1
//	OpTimeSync       103 C_CS_NA_1, 106 C_CD_NA_1
//	OpDiagnostics    104 C_TS_NA_1, 107 C_TS_TA_1
//	OpRestart        105 C_RP_NA_1
//	OpConfiguration  110..113 (P_ME_NA_1, P_ME_NB_1, P_ME_NC_1, P_AC_NA_1)
//	OpFile           120..127 (F_*)
//	OpUnknown        any type id the package does not know
func (t TypeID) Operation() Operation {
	switch {
	case !t.Known():
		return OpUnknown
	case t <= M_EP_TF_1:
		return OpMonitor
	case t == M_EI_NA_1:
		return OpInitialized
	case t >= C_SE_NA_1 && t <= C_SE_NC_1, t >= C_SE_TA_1 && t <= C_SE_TC_1:
		return OpWrite
	case t >= C_SC_NA_1 && t <= C_BO_TA_1:
		return OpControl
	case t == C_IC_NA_1, t == C_CI_NA_1, t == C_RD_NA_1:
		return OpRead
	case t == C_CS_NA_1, t == C_CD_NA_1:
		return OpTimeSync
	case t == C_TS_NA_1, t == C_TS_TA_1:
		return OpDiagnostics
	case t == C_RP_NA_1:
		return OpRestart
	case t >= P_ME_NA_1 && t <= P_AC_NA_1:
		return OpConfiguration
	}
	return OpFile
}
