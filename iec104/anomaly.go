package iec104

import "math/bits"

// Anomaly is a set of oddities seen while decoding. Anomalies are not errors:
// decoding goes on and the frame's values stay usable. [Parse] sets the frame
// flags on [Frame.Anomalies]; a [Conn] sets the connection flags (sequence
// numbers, windows, pairing) on [Message.Anomalies].
type Anomaly uint32

// Anomaly flags of a frame.
const (
	// AnomalyUnknownType: the ASDU type id is not a standard one; its
	// objects are kept raw in [ASDU.Body].
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
	// (after STARTDT act before its con, or after STOPDT).
	AnomalyIBeforeStartDT
	// AnomalyUnmatchedResponse: a confirmation or termination (a U-frame
	// con, an ASDU with cause 7, 9, 10 or 44..47, a reply to a read) that
	// no pending activation answers.
	AnomalyUnmatchedResponse
	// AnomalyMismatchedResponse: an activation is pending at the address
	// (common address and object address, or the U-frame exchange) but the
	// response's type or function does not answer it; the response is not
	// decoded in the request's context.
	AnomalyMismatchedResponse
	// AnomalyPendingOverflow: the pending table was full; the oldest
	// activation was dropped and counted unanswered.
	AnomalyPendingOverflow
	// AnomalyDuplicateRequest: an activation of an object (or a U-frame
	// act) while the same one is still pending without confirmation.
	AnomalyDuplicateRequest
	// AnomalySelectMismatch: an execute that follows a confirmed select of
	// the same object with a different command (state, value or
	// qualifier).
	AnomalySelectMismatch
	numAnomalies = iota
)

var anomalyNames = [numAnomalies]string{
	"unknown_type", "trailing_bytes", "bad_u_function", "length_over_253", "control_length",
	"reserved_bits", "zero_count", "unknown_cause",
	"seq_gap", "seq_duplicate", "ack_unsent", "ack_backwards", "k_window", "w_window",
	"i_before_startdt", "unmatched_response", "mismatched_response", "pending_overflow",
	"duplicate_request", "select_mismatch",
}

// Has reports whether every flag of x is set in a.
func (a Anomaly) Has(x Anomaly) bool { return a&x == x }

// All yields each flag set in a, lowest first.
func (a Anomaly) All(yield func(Anomaly) bool) {
	for a != 0 {
		bit := a & -a
		a &^= bit
		if !yield(bit) {
			return
		}
	}
}

// String returns the names of the flags in a, lowest first, joined by "|"
// ("" for none, "bit31" for a bit without a name). It does not allocate for
// none or a single named flag.
func (a Anomaly) String() string {
	if a == 0 {
		return ""
	}
	if a&(a-1) == 0 {
		if i := bitIndex(a); i < numAnomalies {
			return anomalyNames[i]
		}
	}
	var buf [256]byte
	b, _ := a.AppendText(buf[:0])
	return string(b)
}

// AppendText appends the names of a's flags, as String returns them, to b.
// It allocates only if b must grow.
func (a Anomaly) AppendText(b []byte) ([]byte, error) {
	first := true
	for a != 0 {
		bit := a & -a
		a &^= bit
		if !first {
			b = append(b, '|')
		}
		first = false
		if i := bitIndex(bit); i < numAnomalies {
			b = append(b, anomalyNames[i]...)
		} else {
			b = append(b, "bit"...)
			b = appendUint(b, uint64(i))
		}
	}
	return b, nil
}

// bitIndex returns the index of the lowest bit set in a.
func bitIndex(a Anomaly) int { return bits.TrailingZeros32(uint32(a)) }
