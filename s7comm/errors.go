package s7comm

// Error is a sentinel error of this package. Its values are comparable with
// == and errors.Is; Error() does not allocate.
type Error uint8

// Sentinel errors.
const (
	// ErrTruncated means the input ends before the TPKT packet does: more
	// bytes are needed. It always comes with n == 0.
	ErrTruncated Error = iota + 1
	// ErrLength means a length field is impossible: a TPKT length shorter
	// than a COTP header, or an S7comm or S7comm-plus header longer than
	// the packet that carries it.
	ErrLength
	// ErrTPKT means the packet does not start with a TPKT version 3 header.
	ErrTPKT
	// ErrCOTP means the COTP header is malformed.
	ErrCOTP
	// ErrProtocolID means a PDU handed to ParsePDU or ParsePlus does not
	// start with its protocol id (0x32, 0x72).
	ErrProtocolID
	// ErrOverflow means a reassembly by a [Conn] would exceed its fixed
	// buffer; the partial message is dropped.
	ErrOverflow
)

// Error returns a constant description.
func (e Error) Error() string {
	switch e {
	case ErrTruncated:
		return "s7comm: truncated"
	case ErrLength:
		return "s7comm: bad length"
	case ErrTPKT:
		return "s7comm: not a TPKT header"
	case ErrCOTP:
		return "s7comm: malformed COTP header"
	case ErrProtocolID:
		return "s7comm: unknown protocol id"
	case ErrOverflow:
		return "s7comm: reassembly buffer overflow"
	}
	return "s7comm: error"
}

// Anomaly is a set of oddities seen while decoding. Anomalies are not
// errors: decoding goes on and unknown values are kept.
type Anomaly uint32

// Anomaly flags.
const (
	// AnomalyTPKTReserved: the TPKT reserved byte is not zero.
	AnomalyTPKTReserved Anomaly = 1 << iota
	// AnomalyCOTPType: unknown COTP TPDU code.
	AnomalyCOTPType
	// AnomalyCOTPParam: a COTP parameter overruns the header.
	AnomalyCOTPParam
	// AnomalyROSCTR: unknown S7 ROSCTR.
	AnomalyROSCTR
	// AnomalyFunction: unknown job function code.
	AnomalyFunction
	// AnomalyReturnCode: unknown data item return code.
	AnomalyReturnCode
	// AnomalySyntaxID: unknown item syntax id.
	AnomalySyntaxID
	// AnomalyArea: unknown S7ANY memory area.
	AnomalyArea
	// AnomalyTransportSize: unknown transport size.
	AnomalyTransportSize
	// AnomalyLength: S7 parameter/data lengths disagree with the bytes
	// present (extra bytes after the PDU, or a short PDU).
	AnomalyLength
	// AnomalyItemCount: the item count disagrees with the items present.
	AnomalyItemCount
	// AnomalyFuncGroup: unknown userdata function group.
	AnomalyFuncGroup
	// AnomalySubfunction: unknown userdata subfunction.
	AnomalySubfunction
	// AnomalyReserved: a reserved field is not zero.
	AnomalyReserved
	// AnomalyFragment: a fragment arrived out of order or was dropped.
	AnomalyFragment
	// AnomalyProtocolID: the COTP payload is neither 0x32 nor 0x72.
	AnomalyProtocolID
	// AnomalyPlusTrailer: an S7comm-plus trailer is missing or differs.
	AnomalyPlusTrailer
	// AnomalyValue: a value's length disagrees with the transport size and
	// count of its item, or the value is not a valid encoding of its type
	// (a BCD digit above 9); it is kept as raw bytes (see [Values]).
	AnomalyValue
	// AnomalyUnmatchedResponse: no pending request answers the response.
	AnomalyUnmatchedResponse
	// AnomalyMismatchedResponse: a request with the response's PDU
	// reference is pending but its function (or userdata group and
	// subfunction) does not answer it; the response is not decoded in the
	// request's context.
	AnomalyMismatchedResponse
	// AnomalyPendingOverflow: the pending table was full; the oldest
	// request was dropped and counted unanswered.
	AnomalyPendingOverflow
	// AnomalyDuplicateRequest: a new request reuses the PDU reference of a
	// pending one, which is dropped and counted unanswered.
	AnomalyDuplicateRequest
	anomalyEnd
)

// anomalyNames are the flags' names, indexed by bit.
var anomalyNames = [...]string{
	"tpkt_reserved", "cotp_type", "cotp_param", "rosctr", "function", "return_code",
	"syntax_id", "area", "transport_size", "length", "item_count", "func_group",
	"subfunction", "reserved", "fragment", "protocol_id", "plus_trailer", "value",
	"unmatched_response", "mismatched_response", "pending_overflow", "duplicate_request",
}

// Has reports whether every flag of x is set in a.
func (a Anomaly) Has(x Anomaly) bool { return a&x == x }

// All yields each flag of a, lowest first:
//
//	for flag := range f.Anomalies.All { ... }
func (a Anomaly) All(yield func(Anomaly) bool) {
	for a != 0 {
		flag := a & -a
		if !yield(flag) {
			return
		}
		a &^= flag
	}
}

// String returns the flags' snake_case names joined by "|" ("" for none;
// an unknown bit prints as "bit31"). A single known flag does not allocate.
func (a Anomaly) String() string {
	if a == 0 {
		return ""
	}
	if a&(a-1) == 0 {
		if i := bitIndex(a); i < len(anomalyNames) {
			return anomalyNames[i]
		}
	}
	var buf [256]byte
	b, _ := a.AppendText(buf[:0])
	return string(b)
}

// AppendText appends String's text to b. It does not allocate.
func (a Anomaly) AppendText(b []byte) ([]byte, error) {
	first := true
	for a != 0 {
		flag := a & -a
		a &^= flag
		if !first {
			b = append(b, '|')
		}
		first = false
		if i := bitIndex(flag); i < len(anomalyNames) {
			b = append(b, anomalyNames[i]...)
		} else {
			b = append(b, "bit"...)
			if i >= 10 {
				b = append(b, byte('0'+i/10))
			}
			b = append(b, byte('0'+i%10))
		}
	}
	return b, nil
}

// bitIndex returns the index of the single bit set in a.
func bitIndex(a Anomaly) int {
	i := 0
	for a > 1 {
		a >>= 1
		i++
	}
	return i
}

// FieldError is the rich error of [Explain]: the sentinel, the field
// (Wireshark's name where it has one) and the byte offset from the start
// of the packet where decoding stopped.
type FieldError struct {
	Err    Error
	Field  string
	Offset int
}

// Error describes the error with its field and offset. It allocates: it is
// for the slow, opt-in path.
func (e *FieldError) Error() string {
	b := append([]byte(e.Err.Error()), " at "...)
	b = append(b, e.Field...)
	b = append(b, " (offset "...)
	b = appendUint(b, uint64(e.Offset))
	return string(append(b, ')'))
}

// Unwrap returns the sentinel, for errors.Is.
func (e *FieldError) Unwrap() error { return e.Err }

// appendUint appends v in decimal.
func appendUint(b []byte, v uint64) []byte {
	var d [20]byte
	i := len(d)
	for {
		i--
		d[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, d[i:]...)
}
