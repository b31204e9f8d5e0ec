package enip

// Anomaly is a set of oddities found while decoding. Anomalies are not
// errors: decoding goes on and the values are kept.
type Anomaly uint32

// Anomaly flags. Those up to AnomalyItemCount come from decoding one PDU;
// the connection-level flags from AnomalyUnmatchedResponse on are set by a
// [Conn].
const (
	// AnomalyUnknownCommand: the encapsulation command is not defined.
	AnomalyUnknownCommand Anomaly = 1 << iota
	// AnomalyUnknownStatus: the encapsulation status is not defined.
	AnomalyUnknownStatus
	// AnomalyNonzeroOptions: the encapsulation options field is not zero.
	AnomalyNonzeroOptions
	// AnomalyUnknownItem: a CPF item type is not defined.
	AnomalyUnknownItem
	// AnomalyTrailingBytes: bytes are left after the last CPF item.
	AnomalyTrailingBytes
	// AnomalyUnknownService: a CIP service code is not defined for the
	// class its request addresses (set by a Conn, which knows the class of
	// a reply's request).
	AnomalyUnknownService
	// AnomalyUnknownSegment: an EPATH holds a reserved segment type or
	// format, or a malformed segment.
	AnomalyUnknownSegment
	// AnomalyUnknownGeneralStatus: a CIP general status code is not
	// defined.
	AnomalyUnknownGeneralStatus
	// AnomalyUnknownDataType: a Logix tag service carries a data type code
	// that is neither an elementary type nor the structure marker (set by
	// a Conn).
	AnomalyUnknownDataType
	// AnomalyItemCount: the CPF item count announces more items than the
	// bytes hold.
	AnomalyItemCount
	// AnomalyUnmatchedResponse: no pending request answers the reply.
	AnomalyUnmatchedResponse
	// AnomalyMismatchedResponse: a request is pending under the reply's key
	// but the reply's service does not answer it; the reply is not decoded
	// in the request's context.
	AnomalyMismatchedResponse
	// AnomalyPendingOverflow: the pending table was full; the oldest
	// request was dropped and counted unanswered.
	AnomalyPendingOverflow
	// AnomalyDuplicateRequest: a new request reuses the key (sender
	// context, or connection and sequence count) of a pending one; the old
	// one is dropped and counted unanswered.
	AnomalyDuplicateRequest
	// AnomalyContextTruncated: a request holds more than a Conn keeps of
	// it (a path longer than [RequestPathMax] bytes, or more services than
	// [MaxCalls]); replies to the part cut off are not decoded in context.
	AnomalyContextTruncated
	numAnomalies = iota
)

var anomalyNames = [numAnomalies]string{
	"unknown_command",
	"unknown_status",
	"nonzero_options",
	"unknown_item",
	"trailing_bytes",
	"unknown_service",
	"unknown_segment",
	"unknown_general_status",
	"unknown_data_type",
	"item_count",
	"unmatched_response",
	"mismatched_response",
	"pending_overflow",
	"duplicate_request",
	"context_truncated",
}

// Has reports whether every flag of x is set in a.
func (a Anomaly) Has(x Anomaly) bool { return a&x == x }

// All calls yield with each flag set in a, lowest first, until yield
// returns false: for f := range a.All { ... }. It does not allocate.
func (a Anomaly) All(yield func(Anomaly) bool) {
	for i := 0; i < 32; i++ {
		if f := Anomaly(1) << i; a&f != 0 && !yield(f) {
			return
		}
	}
}

// String returns the flags' names joined by "|" ("unknown_item|item_count"),
// or "" for none; an undefined bit prints as "bit31". It allocates only
// when more than one flag is set.
func (a Anomaly) String() string {
	if a == 0 {
		return ""
	}
	if a&(a-1) == 0 {
		for i := 0; i < numAnomalies; i++ {
			if a == 1<<i {
				return anomalyNames[i]
			}
		}
	}
	var buf [64]byte
	b, _ := a.AppendText(buf[:0])
	return string(b)
}

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (a Anomaly) AppendText(b []byte) ([]byte, error) {
	first := true
	for i := 0; i < 32; i++ {
		if a&(1<<i) == 0 {
			continue
		}
		if !first {
			b = append(b, '|')
		}
		first = false
		if i < numAnomalies {
			b = append(b, anomalyNames[i]...)
		} else {
			b = append(b, "bit"...)
			b = appendUint(b, uint64(i))
		}
	}
	return b, nil
}
