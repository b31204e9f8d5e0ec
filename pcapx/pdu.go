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
	// Overlap is true when, since the previous PDU of this direction, a
	// TCP segment carried other bytes than pcapx had already taken for the
	// same sequence numbers (an overlapping retransmission that differs, as
	// an evasion attempt would send): pcapx kept the first copy, so the
	// bytes of this PDU, or of those before it, may not be what the
	// receiver took. See Streams in the package doc.
	Overlap bool
	// Seq is the TCP sequence number of the PDU's first byte (zero for
	// UDP), as in tshark's tcp.seq_raw.
	Seq uint32
	// Data holds the PDU's bytes. It aliases pcapx's buffers and is valid
	// only until the handler returns.
	Data []byte
	// SrcMAC and DstMAC are the link-layer addresses of the packet that
	// completed the PDU: Ethernet's source and destination, or the source
	// address of a Linux cooked capture (SLL, SLL2) when it is 6 bytes long.
	// They are zero when the link layer has none (raw IP, loopback).
	SrcMAC, DstMAC [6]byte
	// VLAN holds the VLAN ids (the 12-bit VID of each 802.1Q or QinQ tag) of
	// that packet, outer first; VLANs is how many tags it carried (up to 8,
	// of which the first two are in VLAN).
	VLAN  [2]uint16
	VLANs int
	// State is the flow's slot: a value the caller keeps per flow (its
	// per-connection state, such as a *modbus.Conn), the same for both
	// directions and every PDU of the flow, nil on the flow's first PDU until
	// the caller stores something. pcapx clears it when the flow ends, after
	// Config.OnFlow has seen the FlowEnd event, unless Config.KeepState is
	// set (then a new flow may find the value a flow before it left). It is
	// non-nil for every PDU. Storing a pointer in it does not allocate.
	State *any
}

// FlowEventKind says whether a FlowEvent starts or ends a flow.
type FlowEventKind uint8

// Flow event kinds.
const (
	// FlowStart: a flow entered the flow table, before any of its PDUs.
	FlowStart FlowEventKind = iota + 1
	// FlowEnd: a flow left the table, after its last PDU.
	FlowEnd
)

// String returns "start" or "end". It does not allocate.
func (k FlowEventKind) String() string {
	switch k {
	case FlowStart:
		return "start"
	case FlowEnd:
		return "end"
	}
	return "unknown"
}

// EndReason says why a flow ended.
type EndReason uint8

// Reasons a flow ends.
const (
	EndNone       EndReason = iota // a FlowStart event
	EndFIN                         // both directions of a TCP connection sent FIN
	EndRST                         // a TCP reset
	EndIdle                        // no packet for Config.IdleTimeout of capture time
	EndEvicted                     // the table was full and the flow was the least recently used
	EndInput                       // the end of the input: Flush
	EndReset                       // Decoder.Reset; buffered bytes are discarded, not delivered
	NumEndReasons                  // number of end reasons
)

var endReasonNames = [NumEndReasons]string{"none", "fin", "rst", "idle", "evicted", "end of input", "reset"}

// String returns the reason's short name. It does not allocate.
func (r EndReason) String() string {
	if r < NumEndReasons {
		return endReasonNames[r]
	}
	return "unknown"
}

// FlowEvent tells Config.OnFlow that a flow started or ended. It is valid
// only during the call.
type FlowEvent struct {
	Kind FlowEventKind
	// Reason says why a flow ended; EndNone for FlowStart.
	Reason EndReason
	// Flow is the flow's key, Proto its protocol.
	Flow  FlowKey
	Proto Protocol
	// Frame and Time are those of the packet being decoded when the event
	// fired: the packet that started the flow; the FIN or RST that ended
	// it; the packet whose arrival found it idle or evicted it. For
	// EndInput and EndReset they are the last packet given to the Decoder.
	Frame int
	Time  time.Time
	// Last is the capture time of the flow's last packet.
	Last time.Time
	// State is the flow's slot, as in PDU.State. On FlowEnd the caller
	// takes its value back (to reuse it for another flow, say); pcapx
	// clears the slot when OnFlow returns, unless KeepState is set.
	State *any
	// KeepState is Config.KeepState: the slot's value stays with the
	// flow's record when the flow ends, and the next flow that takes the
	// record finds it in its slot (on FlowStart already).
	KeepState bool
}
