// Package dissect turns the PDUs that pcapx cuts out of a capture into named
// fields, for the command line's JSON output, its summaries and the Wireshark
// differential test.
//
// Fields are named as Wireshark names them (modbus.func_code, dnp3.al.obj,
// ...) wherever Wireshark has a name, so that our output can be compared with
// tshark's field by field; fields Wireshark lacks use the same prefix with a
// name of our own. Anomaly flags are emitted as text fields named
// "<protocol>.anomaly", one per flag.
//
// A Dissector keeps the per-flow state that some protocols need (DNP3
// transport reassembly, COTP reassembly, IEC 104 sequence tracking). Per PDU
// it allocates nothing once a flow's state exists; a Sink that stores what it
// is given may allocate.
package dissect

import (
	"github.com/icsdissect/icsdissect/pcapx"
)

// Sink receives the fields of one PDU in decoding order. A name may repeat
// (one value per register, object, item ...). Byte slices alias the PDU and
// are valid only during the call.
type Sink interface {
	Uint(name string, v uint64)
	Int(name string, v int64)
	Float(name string, v float64)
	Bool(name string, v bool)
	// Text is a text value held in bytes.
	Text(name string, v []byte)
	// Bytes is an opaque value, shown as hex.
	Bytes(name string, v []byte)
}

// Result sums up one PDU for counting.
type Result struct {
	// Func names the function, service or type of the PDU ("read holding
	// registers", "I-frame", ...). It is a constant string.
	Func string
	// Err is nil, or why the PDU is malformed.
	Err error
}

// Dissector decodes PDUs from any protocol pcapx knows, keeping the state
// each protocol needs per flow. The zero value is ready to use. A Dissector
// is not safe for concurrent use.
type Dissector struct {
	mb     modbusState
	s7     s7State
	enip   enipState
	dnp3   dnp3State
	iec104 iec104State
}

// PDU decodes p, emits its fields to s and returns its summary.
func (d *Dissector) PDU(s Sink, p *pcapx.PDU) Result {
	switch p.Proto {
	case pcapx.Modbus:
		return d.modbus(s, p)
	case pcapx.S7comm:
		return d.s7comm(s, p)
	case pcapx.ENIP:
		return d.enipPDU(s, p)
	case pcapx.DNP3:
		return d.dnp3PDU(s, p)
	case pcapx.IEC104:
		return d.iec104PDU(s, p)
	}
	return Result{Func: "unknown", Err: ErrUnknownProtocol}
}

// ErrUnknownProtocol is returned for a PDU whose protocol has no dissector.
var ErrUnknownProtocol = errUnknown{}

type errUnknown struct{}

func (errUnknown) Error() string { return "dissect: unknown protocol" }
