package pcapx

import (
	"net/netip"
	"time"
)

// Protocol names an industrial protocol that pcapx can pick by port.
type Protocol uint8

// Protocols known to pcapx.
const (
	Unknown Protocol = iota
	Modbus
	S7comm
	ENIP
	DNP3
	IEC104
	numProtocols
)

var protocolNames = [numProtocols]string{"unknown", "modbus", "s7comm", "enip", "dnp3", "iec104"}

// String returns the protocol's short lower-case name. It does not allocate.
func (p Protocol) String() string {
	if p < numProtocols {
		return protocolNames[p]
	}
	return "unknown"
}

// Transport is the layer-4 protocol that carried a PDU.
type Transport uint8

// Transports.
const (
	TCP Transport = 6
	UDP Transport = 17
)

// String returns "tcp", "udp" or "other". It does not allocate.
func (t Transport) String() string {
	switch t {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	}
	return "other"
}

// FlowKey identifies a conversation independently of direction: both
// directions of one TCP connection or UDP exchange have the same key. It is
// comparable and can be used as a map key.
type FlowKey struct {
	// Client and Server are the two endpoints; Server is the one whose port
	// picked the protocol.
	Client, Server netip.AddrPort
	Transport      Transport
}

// PDU is one protocol data unit cut out of a TCP stream by the protocol's
// Split function, or one UDP payload.
type PDU struct {
	// Frame is the 1-based index in the capture of the packet that completed
	// this PDU, equal to tshark's frame.number.
	Frame int
	// Time is that packet's capture timestamp.
	Time time.Time
	// Proto is the protocol picked for the flow.
	Proto Protocol
	// Transport is TCP or UDP.
	Transport Transport
	// Src and Dst are the addresses and ports of the packet that completed
	// the PDU.
	Src, Dst netip.AddrPort
	// ToServer is true when the PDU travels toward the protocol's port
	// (a request, for client/server protocols).
	ToServer bool
	// Flow is the direction-independent key of the conversation.
	Flow FlowKey
	// Gap is true when bytes were lost in this direction of the stream since
	// the previous PDU (a missing segment); protocols with state across PDUs
	// should reset it.
	Gap bool
	// Data holds the PDU's bytes. It aliases pcapx's buffers and is valid
	// only until the handler returns.
	Data []byte
}
