package iec104

// Anomaly is a set of oddities seen while decoding. Anomalies are not errors:
// decoding goes on and the frame's values stay usable. The frame parser sets
// the frame bits; a [Tracker] sets the sequence bits.
type Anomaly uint32

// Anomaly flags.
const (
	// AnomalyUnknownType: the ASDU type id is not a standard one; its
	// objects are kept raw.
	AnomalyUnknownType Anomaly = 1 << iota
	// AnomalyTrailingBytes: the ASDU has bytes after its last object.
	AnomalyTrailingBytes
	// AnomalyBadUFunction: a U-frame does not have exactly one function
	// bit set.
	AnomalyBadUFunction
	// AnomalyLengthOver253: the APDU length octet exceeds 253.
	AnomalyLengthOver253
	// AnomalyControlLength: an S- or U-frame whose length is not 4.
	AnomalyControlLength
	// AnomalyReservedBits: reserved control field bits are set (S-frame
	// octet 1 bits 3..8 or octet 2, U-frame octets 2..4, or bit 1 of
	// octet 3 in any frame).
	AnomalyReservedBits
	// AnomalyZeroCount: an ASDU with no objects.
	AnomalyZeroCount
	// AnomalyUnknownCause: cause of transmission 0 or a reserved value.
	AnomalyUnknownCause
	// AnomalySeqGap: an I-frame's N(S) skips ahead of the next expected.
	AnomalySeqGap
	// AnomalySeqDuplicate: an I-frame's N(S) repeats or goes back.
	AnomalySeqDuplicate
	// AnomalyAckUnsent: N(R) acknowledges I-frames the peer never sent.
	AnomalyAckUnsent
	// AnomalyAckBackwards: N(R) is behind an earlier acknowledgement.
	AnomalyAckBackwards
	// AnomalyKWindow: more than k I-frames outstanding without
	// acknowledgement.
	AnomalyKWindow
	// AnomalyWWindow: an acknowledgement covering more than w I-frames.
	AnomalyWWindow
	// AnomalyIBeforeStartDT: an I-frame while data transfer is not started
	// (before STARTDT con, or after STOPDT).
	AnomalyIBeforeStartDT
	// AnomalyUnexpectedCon: a STARTDT/STOPDT/TESTFR confirmation without a
	// matching activation.
	AnomalyUnexpectedCon
	numAnomalies = iota
)

// Has reports whether every flag of x is set in a.
func (a Anomaly) Has(x Anomaly) bool { return a&x == x }

// Lowest returns the lowest flag set in a, or 0.
func (a Anomaly) Lowest() Anomaly { return a & -a }

// String returns the name of a single flag, "" for none and "multiple" for
// several; use [Anomaly.Lowest] or [Anomaly.AppendText] to list a set. It
// does not allocate.
func (a Anomaly) String() string {
	switch a {
	case 0:
		return ""
	case AnomalyUnknownType:
		return "unknown_type"
	case AnomalyTrailingBytes:
		return "trailing_bytes"
	case AnomalyBadUFunction:
		return "bad_u_function"
	case AnomalyLengthOver253:
		return "length_over_253"
	case AnomalyControlLength:
		return "control_length"
	case AnomalyReservedBits:
		return "reserved_bits"
	case AnomalyZeroCount:
		return "zero_count"
	case AnomalyUnknownCause:
		return "unknown_cause"
	case AnomalySeqGap:
		return "seq_gap"
	case AnomalySeqDuplicate:
		return "seq_duplicate"
	case AnomalyAckUnsent:
		return "ack_unsent"
	case AnomalyAckBackwards:
		return "ack_backwards"
	case AnomalyKWindow:
		return "k_window"
	case AnomalyWWindow:
		return "w_window"
	case AnomalyIBeforeStartDT:
		return "i_before_startdt"
	case AnomalyUnexpectedCon:
		return "unexpected_con"
	}
	if a&(a-1) != 0 {
		return "multiple"
	}
	return "unknown"
}

// AppendText appends the names of the flags in a, lowest first, separated by
// commas. It allocates only if dst must grow.
func (a Anomaly) AppendText(dst []byte) ([]byte, error) {
	first := true
	for a != 0 {
		bit := a.Lowest()
		a &^= bit
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, bit.String()...)
	}
	return dst, nil
}
