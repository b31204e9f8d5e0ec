// Package conformance compares icsdissect's decode of real captures with
// Wireshark's, field by field.
//
// For each capture and protocol it runs tshark with the protocol's field
// list (caching the output by the capture's hash, the tshark version and the
// arguments), decodes the same capture through pcapx and internal/dissect,
// and compares the values frame by frame. Values are compared as numbers
// where both sides are numbers (decimal or hex), as floats with a small
// relative tolerance, as hex bytes ignoring separators, and as text
// otherwise; repeated fields are compared as ordered lists.
//
// A mismatch that Wireshark gets wrong is explained, with evidence, by a
// rule in testdata/divergences/<protocol>.rules (a systematic divergence:
// a condition on the PDU, the fields concerned and the kind of difference;
// rules can also explain frames one side only decodes) or by a per-frame
// entry in testdata/divergences/<protocol>.tsv (a one-off case). Reports
// count the two apart.
//
// A protocol plugs in with one Spec (see Specs): its capture folder, the
// tshark protocol names that mark a frame as ours, the field list, and any
// decode-as arguments with the matching ports for our side.
package conformance

import (
	"github.com/icsdissect/icsdissect/pcapx"
)

// Spec describes how one protocol is compared with tshark.
type Spec struct {
	// Proto is the protocol on our side.
	Proto pcapx.Protocol
	// Dir is the folder under the capture corpus holding this protocol's
	// captures, e.g. "dnp3".
	Dir string
	// Detect lists tshark protocol names (as in frame.protocols) that mark a
	// frame as this protocol, e.g. {"mbtcp"}.
	Detect []string
	// Fields lists the tshark field names compared. Our dissector emits them
	// under the same names.
	Fields []string
	// TsharkArgs are extra tshark arguments, e.g. decode-as rules.
	TsharkArgs []string
	// Ports are extra ports our side maps to Proto, matching TsharkArgs.
	Ports []Port
	// Normalize, when set, rewrites a tshark value of a field before it is
	// compared (for display formats such as absolute times).
	Normalize func(field, value string) string
}

// Port is an extra port mapped to a Spec's protocol.
type Port struct {
	Transport pcapx.Transport
	Port      uint16
}

// Specs returns the specs of every protocol, in a fixed order.
func Specs() []Spec {
	return []Spec{modbusSpec(), s7commSpec(), enipSpec(), dnp3Spec(), iec104Spec()}
}

// SpecFor returns the spec of the protocol named name ("modbus", "s7comm",
// "enip", "dnp3", "iec104").
func SpecFor(name string) (Spec, bool) {
	for _, s := range Specs() {
		if s.Proto.String() == name {
			return s, true
		}
	}
	return Spec{}, false
}
