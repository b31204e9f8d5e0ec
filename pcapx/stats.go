package pcapx

// Class is how a frame was counted: every frame is counted exactly once as
// decoded, malformed or not ours.
type Class uint8

// Frame classes.
const (
	// NotOurs: the frame carried no ICS bytes (see [Skip] for why).
	NotOurs Class = iota
	// Decoded: the frame carried ICS bytes (a UDP payload or TCP stream
	// bytes on an ICS port) and nothing about it was malformed.
	Decoded
	// Malformed: the frame was cut short, had a bad header, or its bytes
	// could not be delivered (see [Reason]).
	Malformed
)

var classNames = [...]string{"not ours", "decoded", "malformed"}

// String returns the class's name. It does not allocate.
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "unknown"
}

// Reason says why a frame was counted as malformed. It implements error
// without allocating.
type Reason uint8

// Reasons a frame is malformed.
const (
	ReasonNone     Reason = iota
	TruncatedLink         // shorter than its link-layer header or VLAN tags
	TruncatedIP           // shorter than its IP header (or an IPv6 extension header)
	TruncatedTCP          // shorter than its TCP header, or the IP length claims TCP payload and none was captured
	TruncatedUDP          // shorter than its UDP header or UDP length
	BadIPHeader           // IP version or header length out of range
	BadTCPHeader          // TCP data offset below 5
	BadUDPLength          // UDP length field below 8
	IPFragment            // first fragment of a fragmented IPv6 datagram on an ICS port (IPv6 fragments are not reassembled)
	PDUTooLarge           // the stream held more than Config.MaxPDU bytes without a complete PDU; dropped
	SplitError            // the protocol's Split returned an error or an impossible advance
	HandlerError          // the Handler returned an error for a PDU of this frame
	FlowTableFull         // the frame's payload started a flow that the full flow table refused
	RecordTooLarge        // the capture record was longer than the link type allows or Config.MaxRecord; its bytes were skipped unread
	NumReasons            // number of reasons; the length of Stats.MalformedBy
)

var reasonNames = [NumReasons]string{
	"none",
	"truncated link",
	"truncated ip",
	"truncated tcp",
	"truncated udp",
	"bad ip header",
	"bad tcp header",
	"bad udp length",
	"ip fragment",
	"pdu too large",
	"split",
	"pdu",
	"flow table full",
	"record too large",
}

// String returns the reason's short name. It does not allocate.
func (r Reason) String() string {
	if r < NumReasons {
		return reasonNames[r]
	}
	return "unknown"
}

// Error returns "pcapx: " and the reason's name, so that a Reason can be
// returned as an error without allocating.
func (r Reason) Error() string { return "pcapx: malformed frame: " + r.String() }

// Skip says why a frame was counted as not ours.
type Skip uint8

// Reasons a frame is not ours.
const (
	SkipNone      Skip = iota
	SkipLinkType       // link type pcapx does not decode
	SkipNonIP          // not IPv4 or IPv6 (ARP, LLDP, 802.3 LLC, ...)
	SkipTransport      // IP but neither TCP nor UDP (ICMP, ...)
	SkipFragment       // an IPv4 fragment held for reassembly or dropped, or a non-first IPv6 fragment
	SkipPort           // TCP or UDP on ports that are not ICS ports
	SkipNoPayload      // TCP segment with no payload (handshake, ACK, FIN, RST) or empty UDP datagram on an ICS port
	NumSkips           // number of skip reasons; the length of Stats.NotOursBy
)

var skipNames = [NumSkips]string{
	"none",
	"link type",
	"not ip",
	"not tcp/udp",
	"ip fragment",
	"other port",
	"no payload",
}

// String returns the skip reason's short name. It does not allocate.
func (s Skip) String() string {
	if s < NumSkips {
		return skipNames[s]
	}
	return "unknown"
}

// ProtoStats counts what happened on the flows of one protocol.
type ProtoStats struct {
	// PDUs delivered to the handler.
	PDUs uint64
	// Bytes in delivered PDUs.
	Bytes uint64
	// Frames counted as decoded for this protocol.
	Frames uint64
	// ResyncBytes is the number of stream bytes Split skipped (advance > 0
	// with a nil token), including a partial PDU that Split dropped at the
	// end of a stream.
	ResyncBytes uint64
	// Gaps counts losses in a TCP stream: a missing segment, a buffer
	// overflow, or an out-of-order segment that could not be buffered.
	Gaps uint64
	// Duplicates counts TCP segments whose payload had been seen already
	// (retransmissions); their bytes are dropped.
	Duplicates uint64
	// Oversize counts PDUs dropped because they exceeded Config.MaxPDU.
	Oversize uint64
	// SplitErrors counts errors returned by the protocol's Split.
	SplitErrors uint64
	// HandlerErrors counts errors returned by the handler, including those
	// for PDUs flushed at the end of input or on eviction, which do not
	// change the class of an already counted frame.
	HandlerErrors uint64
	// Flows counts flows created in the flow table: one per TCP
	// connection (unless a connection reuses the ports of one still in the
	// table) and one per UDP exchange between two ports (until it ends).
	Flows uint64
	// Evicted counts flows that left the full table to make room for a
	// new one (EndEvicted).
	Evicted uint64
	// Idle counts flows ended after Config.IdleTimeout without a packet
	// (EndIdle).
	Idle uint64
	// Refused counts packets that would have started a flow while the
	// table was full of established flows; the flow was not tracked.
	Refused uint64
	// BudgetDrops counts the times a stream direction lost its buffered
	// bytes (a partial PDU, or segments waiting for a hole) because the
	// memory budget was spent; BudgetDropBytes counts those bytes.
	BudgetDrops     uint64
	BudgetDropBytes uint64
}

// Stats counts frames and PDUs. Frames == Decoded + Malformed + NotOurs.
type Stats struct {
	Frames    uint64
	Decoded   uint64
	Malformed uint64
	NotOurs   uint64
	// MalformedBy counts malformed frames by reason; entries sum to
	// Malformed.
	MalformedBy [NumReasons]uint64
	// NotOursBy counts not-ours frames by skip reason; entries sum to
	// NotOurs.
	NotOursBy [NumSkips]uint64
	// IPTruncated counts frames whose IPv4 total length or IPv6 payload
	// length claims more bytes than the frame holds: cut short by the
	// capture's snap length, or a bad length field. Their captured bytes
	// are decoded, as tshark does, so each is also counted above as
	// decoded, malformed or not ours. This is not a class of its own.
	IPTruncated uint64
	// Reassembled counts IPv4 datagrams put together from fragments (and
	// decoded in the frame of their last fragment); FragmentDrops counts
	// datagrams whose fragments were dropped (incomplete in time, at the
	// end of the input, overlapping with different bytes, too long, too
	// many, or no room in the memory budget).
	Reassembled, FragmentDrops uint64
	// Protocols holds per-protocol counts, indexed by Protocol.
	Protocols [NumProtocols]ProtoStats
	// ActiveFlows is the number of flows (TCP and UDP) in the table now,
	// and MaxFlows its bound.
	ActiveFlows int
	MaxFlows    int
	// PeakFlows is the most flows the table held at once (after a
	// parallel read, the workers' peaks added up).
	PeakFlows int
	// TableBytes is the memory the flow table holds: its records (which
	// are kept for reuse when flows end) and its index.
	TableBytes int
	// Buffered is the memory that streams hold for bytes waiting for
	// Split or for a hole to fill, and Pooled the free buffers kept for
	// reuse; together they stay within MemoryBudget. BufferedPeak is the
	// most they held at once.
	Buffered, Pooled, BufferedPeak int
	MemoryBudget                   int
}

// PDUs returns the number of PDUs delivered across all protocols.
func (s Stats) PDUs() uint64 {
	var n uint64
	for i := range s.Protocols {
		n += s.Protocols[i].PDUs
	}
	return n
}
