package s7comm

import "github.com/icsdissect/icsdissect/internal/wire"

// PlusVersion is the protocol version byte of an S7comm-plus PDU. It tells
// which generation of the protocol a device speaks. Public analyses of the
// protocol (the s7commwireshark plugin, academic work on S7comm-plus
// security) associate them roughly as follows; the mapping is indicative,
// not a firmware identification:
//
//   - PlusV1: the first generation, S7-1200 firmware before V4 (TIA Portal
//     V11-V12 era), without session integrity.
//   - PlusV2: S7-1200 firmware V4 and early S7-1500 firmware, with a
//     session key negotiated at connection set-up.
//   - PlusV3: later S7-1200 V4.x and S7-1500 firmware, with an integrity
//     digest in every PDU (see [PlusHeader.Digest]).
//
// PlusExtKeepAlive (0xfe) and PlusKeepAlive (0xff) mark keep-alive PDUs.
type PlusVersion uint8

// S7comm-plus versions.
const (
	PlusV1           PlusVersion = 0x01
	PlusV2           PlusVersion = 0x02
	PlusV3           PlusVersion = 0x03
	PlusExtKeepAlive PlusVersion = 0xfe
	PlusKeepAlive    PlusVersion = 0xff
)

func (v PlusVersion) name() string {
	switch v {
	case PlusV1:
		return "V1"
	case PlusV2:
		return "V2"
	case PlusV3:
		return "V3"
	case PlusExtKeepAlive:
		return "extended keep alive"
	case PlusKeepAlive:
		return "keep alive"
	}
	return ""
}

// Known reports whether v is one of the versions above.
func (v PlusVersion) Known() bool { return v.name() != "" }

// String names the version ("V3"), or "version 0x04".
func (v PlusVersion) String() string { return enumText(v.name(), "version", uint32(v), 2) }

// AppendText appends String's text to b. It does not allocate.
func (v PlusVersion) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, v.name(), "version", uint32(v), 2), nil
}

// PlusOpcode is the opcode of an S7comm-plus PDU.
type PlusOpcode uint8

// S7comm-plus opcodes.
const (
	PlusRequest      PlusOpcode = 0x31
	PlusResponse     PlusOpcode = 0x32
	PlusNotification PlusOpcode = 0x33
	PlusResponse2    PlusOpcode = 0x02
)

func (o PlusOpcode) name() string {
	switch o {
	case PlusRequest:
		return "request"
	case PlusResponse:
		return "response"
	case PlusNotification:
		return "notification"
	case PlusResponse2:
		return "response2"
	}
	return ""
}

// Known reports whether o is one of the opcodes above.
func (o PlusOpcode) Known() bool { return o.name() != "" }

// String names the opcode ("request"), or "opcode 0x34".
func (o PlusOpcode) String() string { return enumText(o.name(), "opcode", uint32(o), 2) }

// AppendText appends String's text to b. It does not allocate.
func (o PlusOpcode) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, o.name(), "opcode", uint32(o), 2), nil
}

// PlusFunction is the function code of an S7comm-plus request or response.
type PlusFunction uint16

// S7comm-plus functions.
const (
	PlusError               PlusFunction = 0x04b1
	PlusExplore             PlusFunction = 0x04bb
	PlusCreateObject        PlusFunction = 0x04ca
	PlusDeleteObject        PlusFunction = 0x04d4
	PlusSetVariable         PlusFunction = 0x04f2
	PlusGetVariable         PlusFunction = 0x04fc
	PlusAddLink             PlusFunction = 0x0506
	PlusRemoveLink          PlusFunction = 0x051a
	PlusGetLink             PlusFunction = 0x0524
	PlusSetMultiVariables   PlusFunction = 0x0542
	PlusGetMultiVariables   PlusFunction = 0x054c
	PlusBeginSequence       PlusFunction = 0x0556
	PlusEndSequence         PlusFunction = 0x0560
	PlusInvoke              PlusFunction = 0x056b
	PlusSetVarSubStreamed   PlusFunction = 0x057c
	PlusGetVarSubStreamed   PlusFunction = 0x0586
	PlusGetVariablesAddress PlusFunction = 0x0590
	PlusAbort               PlusFunction = 0x059a
)

func (f PlusFunction) name() string {
	switch f {
	case PlusError:
		return "error"
	case PlusExplore:
		return "explore"
	case PlusCreateObject:
		return "create object"
	case PlusDeleteObject:
		return "delete object"
	case PlusSetVariable:
		return "set variable"
	case PlusGetVariable:
		return "get variable"
	case PlusAddLink:
		return "add link"
	case PlusRemoveLink:
		return "remove link"
	case PlusGetLink:
		return "get link"
	case PlusSetMultiVariables:
		return "set multi variables"
	case PlusGetMultiVariables:
		return "get multi variables"
	case PlusBeginSequence:
		return "begin sequence"
	case PlusEndSequence:
		return "end sequence"
	case PlusInvoke:
		return "invoke"
	case PlusSetVarSubStreamed:
		return "set var sub streamed"
	case PlusGetVarSubStreamed:
		return "get var sub streamed"
	case PlusGetVariablesAddress:
		return "get variables address"
	case PlusAbort:
		return "abort"
	}
	return ""
}

// Known reports whether f is one of the functions above.
func (f PlusFunction) Known() bool { return f.name() != "" }

// String names the function ("get multi variables"), or
// "function 0x04c0".
func (f PlusFunction) String() string { return enumText(f.name(), "function", uint32(f), 4) }

// AppendText appends String's text to b. It does not allocate.
func (f PlusFunction) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, f.name(), "function", uint32(f), 4), nil
}

// PlusHeader is the decoded header of an S7comm-plus PDU (protocol id
// 0x72), as used by S7-1200 and S7-1500 controllers. The body is kept as
// bytes.
type PlusHeader struct {
	// Version is the protocol version byte (see [PlusVersion]).
	Version PlusVersion
	// DataLen is the header's length field: the bytes between header and
	// trailer.
	DataLen uint16
	// Digest is the integrity digest that version 3 PDUs carry in front of
	// the data (nil when absent). Its length is not fixed by this package,
	// so newer firmware digests are kept whatever their size.
	Digest []byte
	// Opcode, Function and Seq come from the data head when present.
	Opcode   PlusOpcode
	Function PlusFunction
	Seq      uint16
	// SessionID and TransportFlags are the request head's session id and
	// flags byte (HasSession); responses carry TransportFlags only.
	SessionID      uint32
	TransportFlags uint8
	HasSession     bool
	HasFunction    bool
	// Body is the data after the decoded head, up to the trailer.
	Body []byte
	// Trailer is true when the PDU ends with a trailer (0x72, version,
	// length 0).
	Trailer bool
	// Anomalies seen.
	Anomalies Anomaly
}

// ParsePlus decodes the header of an S7comm-plus PDU. It never rejects a
// PDU for an unknown version, opcode or digest: those are kept as found.
// It does not allocate.
func ParsePlus(b []byte) (h PlusHeader, err error) {
	r := wire.Reader(b)
	var id uint8
	if !(r.U8(&id) && r.U8((*uint8)(&h.Version)) && r.U16(&h.DataLen)) {
		return h, ErrTruncated
	}
	if id != ProtocolS7Plus {
		return h, ErrProtocolID
	}
	var data wire.Reader
	if !r.Sub(&data, int(h.DataLen)) {
		data = wire.Reader(r.Rest())
		h.Anomalies |= AnomalyLength
	}
	// Trailer: 0x72, version, 0x0000.
	if r.Len() >= 4 {
		t := r.Rest()
		h.Trailer = t[0] == ProtocolS7Plus && t[2] == 0 && t[3] == 0
	}
	if !h.Trailer && h.Version != PlusExtKeepAlive {
		h.Anomalies |= AnomalyPlusTrailer
	}
	// Version 3 puts a length-prefixed integrity digest before the data.
	if h.Version == PlusV3 {
		if n, ok := data.Peek(0); ok && n >= 1 && int(n) < data.Len() {
			data.Skip(1)
			data.Bytes(&h.Digest, int(n))
		}
	}
	var op uint8
	if !data.U8(&op) {
		return h, nil
	}
	h.Opcode = PlusOpcode(op)
	switch h.Opcode {
	case PlusRequest:
		var res1, fn, res2 uint16
		if data.U16(&res1) && data.U16(&fn) && data.U16(&res2) && data.U16(&h.Seq) {
			h.Function, h.HasFunction = PlusFunction(fn), true
			if data.U32(&h.SessionID) && data.U8(&h.TransportFlags) {
				h.HasSession = true
			}
		}
	case PlusResponse, PlusResponse2:
		var res1, fn, res2 uint16
		if data.U16(&res1) && data.U16(&fn) && data.U16(&res2) && data.U16(&h.Seq) {
			h.Function, h.HasFunction = PlusFunction(fn), true
			data.U8(&h.TransportFlags)
		}
	}
	h.Body = data.Rest()
	return h, nil
}
