// Package pcapx turns capture files and packets into industrial protocol
// PDUs: it decodes link, IP and transport headers in place, keys flows,
// assembles each direction of a TCP connection into a byte stream, lets the
// protocol's Split cut PDUs out of it, and hands each PDU to a handler. In
// steady state decoding allocates nothing per packet, and neither does
// reading pcap files; reading pcapng allocates in a few cases listed under
// Lifetime and allocation.
//
// # Input
//
// [ReadFile] and [Read] take pcap and pcapng files, plain or gzipped,
// detected by magic number and read by [Reader] through gopacket's pcapgo
// (pcapgo.Reader, or pcapgo.NgReader with each packet's link type taken
// from its interface, so that pcapng files whose interfaces differ keep
// every packet). [Decoder.Packet] takes one packet at a time from any
// source, and [Decoder.ReadSource] loops over a [PacketSource]. On Linux,
// [OpenLive] and [ReadLive] read a network interface through an AF_PACKET
// socket, without cgo; [OpenLiveFilter] and [ReadLiveFilter] attach a
// capture filter in pcap-filter syntax ([Filter], compiled to classic BPF
// without libpcap), which [Filter.Match] also applies to packets read from
// files. Link types: Ethernet,
// Linux SLL and SLL2, raw IP (LINKTYPE_RAW 101, DLT 12 and 14, IPv4 228,
// IPv6 229), BSD loopback NULL (0) and LOOP (108). 802.1Q and QinQ tags
// (0x8100, 0x88a8, 0x9100) are skipped, up to 8 deep. IPv4 with options and
// IPv6 with its ordinary extension headers (hop-by-hop, routing, destination
// options, fragment, AH, mobility, HIP, shim6) carry TCP or UDP.
//
// Frame numbers count packets from 1, as tshark's frame.number does.
//
// pcapgo does not read some files that tshark reads: the modified
// (Kuznetzov) pcap format and pcap versions other than 2.4 are
// [ErrNotCapture], as are pcapng sections of a version other than 1.0; a
// pcap record whose capture length exceeds its original length (tshark
// decodes it, with the expert error "Frame length is less than captured
// length") stops the read with [ErrCorruptFile]. pcapgo does not check
// pcapng block lengths against the block's contents or trailer, so a
// corrupt block length reads as [ErrTruncatedFile] or as misaligned records
// before an error, where a stricter reader would report [ErrCorruptFile].
//
// # Protocols and ports
//
// The protocol is picked by well-known port ([DefaultPorts]): Modbus TCP/UDP
// 502, S7comm TCP 102, EtherNet/IP TCP/UDP 44818 and UDP 2222, DNP3 TCP/UDP
// 20000, IEC 60870-5-104 TCP 2404. [Config.Ports] and [Decoder.AddPort] add
// or remove ports; the table belongs to the Decoder (there is no package
// state). The side whose port matched is the server ([PDU.ToServer],
// [FlowKey.Server]); when both ports match, the lower port is the server's,
// and when both ports are equal the lower address is the server, so that the
// key is the same in both directions.
//
// # Streams
//
// A UDP payload is one PDU. TCP bytes are assembled per direction: in-order
// bytes are appended; retransmitted bytes are dropped and overlaps trimmed.
// A segment ahead of the next expected sequence number means bytes are
// missing: by default that is a gap at once, as in tshark's default
// reassembly, which suits captures that simply lost or filtered segments;
// with [Config.MaxOutOfOrder] set, up to that many segments (at most 16, 64
// KiB) wait for the hole to fill first, for captures that reorder segments.
// A gap drops the partial PDU buffered before it and sets [PDU.Gap] on the
// next PDU of that direction; the protocol's Split resyncs on the bytes after
// it. A SYN starts a new stream; FIN or RST ends it, and Split then sees the
// rest with atEOF set, as it does for every stream at the end of a file
// ([Decoder.Flush]). A connection picked up without its SYN starts at the
// first segment seen. Bytes Split skips (advance > 0, nil token) are counted
// as resync bytes, as is a partial PDU left at the end of a stream. A SYN
// that starts a new stream on a flow still in the table (ports reused before
// the end of the old connection was seen) keeps the flow and its slot.
//
// A PDU spanning segments is delivered with the frame number and time of its
// last segment; several PDUs in one segment are delivered in order with the
// same frame number.
//
// Bounds: each direction buffers at most [Config.MaxPDU] bytes waiting for a
// complete PDU (a larger PDU is dropped, its frame counted malformed with
// [PDUTooLarge], and the next PDU marked as after a gap); the flow table
// holds at most [Config.MaxFlows] flows and evicts the least recently used
// (counted in [ProtoStats.Evicted]), and optionally flows idle for
// [Config.IdleTimeout] of capture time. Evicted flows are flushed as at the
// end of a file.
//
// # Flows
//
// A flow is a TCP connection or a UDP exchange between two ports, keyed the
// same way in both directions ([FlowKey]). It starts with its first packet
// that carries payload (or a TCP SYN) and ends exactly once, for one
// [EndReason]: both sides sent FIN ([EndFIN]), a reset ([EndRST]), no packet
// for [Config.IdleTimeout] ([EndIdle]), the table was full and it was the
// least recently used ([EndEvicted]), the end of the input ([Decoder.Flush],
// [EndInput]) or [Decoder.Reset] ([EndReset]). UDP flows have no end of
// their own: they end by idle time, eviction or the end of the input. An
// ended flow leaves the table at once; a later packet with the same key
// starts a new flow, except TCP bytes sent again just after a FIN or RST
// (retransmissions), which count as duplicates of the old one.
//
// [Config.OnFlow] sees a [FlowEvent] when a flow starts, before any of its
// PDUs, and when it ends, after all of them: the PDUs its end flushes (a
// partial PDU before a FIN, an evicted flow's buffered bytes) are delivered
// first. At the end of the input every flow's remaining PDUs are delivered in
// frame order, then the flows end in least recently used order. Reset
// discards buffered bytes and delivers nothing.
//
// Each flow has a slot, [PDU.State] and [FlowEvent.State], where the caller
// keeps its own per-flow value (a protocol package's Conn, say) without a
// map of its own: the same slot for both directions and every PDU, empty on
// the flow's first PDU, cleared after FlowEnd. Storing a pointer in it does
// not allocate; taking values from a free list and giving them back on
// FlowEnd makes per-flow state allocation-free in steady state (see the
// example).
//
// # Link-layer facts
//
// Each PDU carries the MAC addresses and VLAN ids of the packet that
// completed it ([PDU.SrcMAC], [PDU.DstMAC], [PDU.VLAN], [PDU.VLANs]): for
// PDUs delivered when their flow ends or at the end of the input, those of
// the packet that added their last bytes, kept per direction. Ethernet gives
// both addresses, Linux cooked captures (SLL, SLL2) the source address;
// other link types none (zero).
//
// # Short frames
//
// A frame whose IPv4 total length or IPv6 payload length claims more bytes
// than it holds (cut by the capture's snap length, or a bad length field)
// is decoded as far as its bytes go, as tshark does, and counted in
// [Stats.IPTruncated] as well as in its class. It is malformed only when the
// cut leaves nothing to decode: a partial IP or TCP header
// ([TruncatedIP], [TruncatedTCP]), a TCP segment whose payload is missing
// entirely ([TruncatedTCP]), or a UDP datagram shorter than its UDP length
// ([TruncatedUDP]). The TCP bytes that are missing leave a hole in the
// stream, which the next segment of that direction turns into a gap.
//
// # Counting
//
// Every frame is counted exactly once ([Stats]): decoded if it carried ICS
// bytes (a UDP payload, or TCP payload on an ICS flow, including payload that
// only retransmits bytes already seen); malformed if it was cut short with
// nothing left to decode (see Short frames), had a bad header, was the first
// fragment of a fragmented datagram on an ICS port (fragments are not
// reassembled), overflowed the PDU bound, made Split fail, or if the handler
// returned an error for one of its PDUs ([Reason]);
// otherwise not ours ([Skip]): other link types, non-IP, neither TCP nor UDP,
// non-first fragments, other ports, and TCP segments without payload on ICS
// flows (handshakes, pure ACKs, FIN and RST; a payload in a RST segment is
// ignored). Per protocol, [ProtoStats]
// counts PDUs, resync bytes, gaps, duplicates, oversize PDUs and evicted
// flows.
//
// # Lifetime and allocation
//
// The [PDU] given to the handler and its Data alias the Decoder's buffers or
// the packet, and are valid only until the handler returns; so does the
// [FlowEvent] given to OnFlow. A Decoder allocates when it is made (its 128
// KiB port table), when a flow beyond those it has seen is created, and when
// it needs more stream buffers than it ever had at once; after that Packet
// allocates nothing. Stream buffers are not part of a flow: a direction takes
// one from the Decoder's pool (in size classes from 512 bytes up to MaxPDU)
// only while bytes wait for Split and gives it back when they are consumed or
// the flow ends. [Decoder.Reset] keeps that memory for the next capture.
//
// Reading a file allocates per file: the reader, a 64 KiB read buffer (and a
// gzip reader), and pcapgo's packet buffer, sized to the snap length up to
// 256 KiB. Per packet, pcapgo allocates nothing for pcap files, nor for
// pcapng packets on interfaces with a link type below 256 (Ethernet, raw
// IP, Linux SLL, NULL, LOOP) in enhanced packet blocks without options. It
// does allocate, per packet: one small allocation on an interface whose link
// type is 256 or more (Linux SLL2, 276, for one), where pcapgo boxes the
// link type into CaptureInfo.AncillaryData; one for each epb_flags,
// epb_dropcount, epb_packetid or epb_queue option and two for each comment,
// epb_hash or epb_verdict option of an enhanced packet block; and a new
// buffer for each record longer than 256 KiB (files with a larger snap
// length). TestReaderAllocs pins these counts.
//
// # Errors
//
// Malformed frames are counted, not returned. The reader functions return
// errors wrapping [ErrNotCapture], [ErrTruncatedFile] (the frames before the
// cut were decoded) or [ErrCorruptFile], with the counts so far. A handler
// error that wraps [ErrStop] stops decoding and is returned.
package pcapx
