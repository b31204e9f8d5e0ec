package s7comm

// Error is a sentinel error of this package. Its values are comparable with
// == and errors.Is; Error() does not allocate.
type Error uint8

// Sentinel errors.
const (
	// ErrTruncated means the input ends before a header or a counted field.
	ErrTruncated Error = iota + 1
	// ErrLength means a length field is impossible (TPKT shorter than its
	// header, COTP length indicator past the packet, S7 lengths past the PDU).
	ErrLength
	// ErrTPKT means the packet does not start with a TPKT version 3 header.
	ErrTPKT
	// ErrCOTP means the COTP header is malformed.
	ErrCOTP
	// ErrProtocolID means the COTP payload is neither S7comm (0x32) nor
	// S7comm-plus (0x72).
	ErrProtocolID
	// ErrNotS7 means an accessor was called on a frame that does not carry
	// the message it decodes.
	ErrNotS7
	// ErrOverflow means a reassembly would exceed its fixed buffer; the
	// partial message is dropped.
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
	case ErrNotS7:
		return "s7comm: frame does not carry this message"
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
	anomalyEnd
)

// Has reports whether all flags in b are set in a.
func (a Anomaly) Has(b Anomaly) bool { return a&b == b }

// String names a single flag; for a set with several flags it names the
// lowest. It does not allocate.
func (a Anomaly) String() string {
	switch a & -a {
	case 0:
		return "none"
	case AnomalyTPKTReserved:
		return "tpkt_reserved"
	case AnomalyCOTPType:
		return "cotp_type"
	case AnomalyCOTPParam:
		return "cotp_param"
	case AnomalyROSCTR:
		return "rosctr"
	case AnomalyFunction:
		return "function"
	case AnomalyReturnCode:
		return "return_code"
	case AnomalySyntaxID:
		return "syntax_id"
	case AnomalyArea:
		return "area"
	case AnomalyTransportSize:
		return "transport_size"
	case AnomalyLength:
		return "length"
	case AnomalyItemCount:
		return "item_count"
	case AnomalyFuncGroup:
		return "func_group"
	case AnomalySubfunction:
		return "subfunction"
	case AnomalyReserved:
		return "reserved"
	case AnomalyFragment:
		return "fragment"
	case AnomalyProtocolID:
		return "protocol_id"
	case AnomalyPlusTrailer:
		return "plus_trailer"
	}
	return "unknown"
}

// Next returns the lowest flag of a and a without it, for walking a set:
//
//	for rest := f.Anomalies; rest != 0; {
//		var flag Anomaly
//		flag, rest = rest.Next()
//		...
//	}
func (a Anomaly) Next() (flag, rest Anomaly) {
	flag = a & -a
	return flag, a &^ flag
}
