// Package pcapx turns capture files and packets into industrial protocol
// PDUs: it decodes link, IP and transport headers in place, keys flows,
// assembles each direction of a TCP connection into a byte stream, lets the
// protocol's Split cut PDUs out of it, and hands each PDU to a handler. In
// steady state decoding allocates nothing per packet, and neither does
// reading pcap files; reading pcapng allocates in a few cases listed under
// Lifetime and allocation. It is built for sensors that see many flows for
// a long time from traffic that attackers choose: every table and buffer
// is bounded (see Flow table, Memory, Records), and a capture can be
// decoded on several cores (see Workers).
//
// # Input
//
// [ReadFile] and [Read] take pcap and pcapng files, plain or gzipped,
// detected by magic number and read by [Reader]: pcap files by pcapx itself,
// straight from its read buffer (as pcapgo.Reader would read them: the same
// records, times and errors), pcapng files through gopacket's
// pcapgo.NgReader, with each packet's link type taken from its interface,
// so that pcapng files whose interfaces differ keep every packet.
// [Decoder.Packet] takes one packet at a time from any source,
// [Decoder.Packets] a batch, and [Decoder.ReadSource] loops over a
// [PacketSource]. [Config.Accept] can drop packets before they become
// frames, as a capture filter would. On Linux,
// [OpenLive] and [ReadLive] read a network interface through an AF_PACKET
// socket, without cgo; [OpenLiveFilter] and [ReadLiveFilter] attach a
// capture filter in pcap-filter syntax ([Filter], compiled to classic BPF
// without libpcap), which [Filter.Match] also applies to packets read from
// files. When the interface has been quiet for 200 ms, [Decoder.ReadSource]
// decodes the packets it holds in batches (its read-ahead, the workers'
// partial batches, with a [Config.Sync] for the frames read), so that PDUs
// are not held back until traffic resumes. Link types: Ethernet,
// Linux SLL and SLL2, raw IP (LINKTYPE_RAW 101, DLT 12 and 14, IPv4 228,
// IPv6 229), BSD loopback NULL (0) and LOOP (108). 802.1Q and QinQ tags
// (0x8100, 0x88a8, 0x9100) are skipped, up to 8 deep. IPv4 with options and
// IPv6 with its ordinary extension headers (hop-by-hop, routing, destination
// options, fragment, AH, mobility, HIP, shim6) carry TCP or UDP.
//
// Frame numbers count packets from 1, as tshark's frame.number does.
//
// Like pcapgo, the readers do not read some files that tshark reads: the
// modified (Kuznetzov) pcap format and pcap versions other than 2.4 are
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
// bytes are appended and given to the protocol's Split. A segment ahead of
// the next expected sequence number means bytes are missing: by default
// that is a gap at once, as in tshark's default reassembly, which suits
// captures that simply lost or filtered segments; with
// [Config.MaxOutOfOrder] set, up to that many segments (at most 16, 64 KiB)
// wait for the hole to fill first, for captures that reorder segments. A
// gap drops the partial PDU buffered before it ([DropGap]) and sets
// [PDU.Gap] on the next PDU of that direction. After a gap, and on a
// connection picked up without its SYN, framing uses the protocol's Resync
// instead of Split until Resync has delivered a PDU; a PDU that Resync would
// take if the stream ended at the end of a segment, and that Split takes
// whole, is taken there (senders end segments at PDU boundaries). FIN or
// RST ends a stream, and Split then sees the rest with atEOF set, as it does
// for every stream at the end of a file ([Decoder.Flush]).
//
// Each stream learns the window the other side advertises (scaled by the
// window scale options of both SYNs; when the SYNs were not seen, the
// largest scale is assumed, so that no real segment looks out of window).
// A data segment further from the next expected byte than the window
// allows is dropped ([OutOfWindow], [DropOutOfWindow]); two such segments
// in a row that continue each other move the stream there after a gap
// ([Relocated]).
//
// SYN and RST are honoured only when their sequence number fits the stream
// they would change, as RFC 5961 receivers do; otherwise they are counted
// ([SYNIgnored], [RSTIgnored] in [ProtoStats.Anomalies]) and the stream goes
// on untouched. A RST is honoured at exactly the next sequence number the
// receiver expects (the next byte the capture expects of the sender, the
// receiver's own acknowledgment when it acknowledged bytes the capture
// missed, or a FIN's own number), or, from a side that sent nothing, when
// its sequence number is the other side's last acknowledgment or it
// acknowledges exactly what the other side sent (a reset answering a
// segment, RFC 793). A SYN starts a stream that has none yet or that its
// FIN closed; the same SYN again is a retransmission. A SYN on a live stream
// is ignored but kept as a candidate: the stream restarts there only if the
// other side answers it with a SYN-ACK or the next segment starts right
// after it ([SYNConfirmed]), which is what ports reused before the end of
// the old connection was seen look like; the flow and its slot are kept. A
// SYN that came first but that nothing confirmed (no SYN-ACK answering the
// other side's SYN, no acknowledgment of exactly it) gives way when the
// first bytes come elsewhere: the stream starts at them, as at a pickup.
//
// Bytes sent again (a retransmission, or a segment that overlaps bytes
// already taken) are compared with the first copy, which a history ring
// keeps (its size is [Stats.History], carved out of the memory budget; it
// keeps the bytes last taken into all streams, and each direction's last
// 64 segments can be walked). In order, the first copy always wins: bytes
// already taken are never replaced. Bytes sent again that are the same are
// duplicates ([DropDuplicate]); bytes that differ are a differing overlap
// ([OverlapDiffers], [DropOverlap]), the next PDU of that direction has
// [PDU.Overlap] set, and, if a PDU is in progress, framing re-checks with
// the protocol's Resync as after a gap, from the first PDU buffered that
// reaches the bytes sent again (the copy that came first may be an
// attacker's, with a header whose length would shift the framing); bytes the history holds no first copy of (overwritten
// since, or never taken because they lay in a hole already declared a gap)
// are dropped uncompared ([DropUncompared]). Segments waiting out of order
// are taken in sequence order when the hole before them fills; where two of
// them overlap, the bytes of the one taken first win and the other's are
// compared with them as above. A segment of at most one byte just before
// the next expected byte is a keep-alive probe and is not compared
// ([DropKeepAlive]). Bytes of a flow that ended (FIN or RST) sent again
// within two minutes are compared with the ended flow's copy the same way.
//
// Bytes lost just before a FIN or a RST (the FIN's or RST's sequence
// number lies beyond the bytes seen) or before the end of the input (the
// receiver acknowledged bytes never seen) are a gap at the end
// ([GapAtEnd]): the partial PDU is dropped as cut ([DropGap]) and the
// missing bytes are counted in [ProtoStats.MissingBytes].
//
// Every payload byte of a TCP segment on a protocol's flows is counted in
// [ProtoStats.StreamBytes] and, once pcapx is done with it, either in a
// delivered PDU ([ProtoStats.StreamPDUBytes]) or in [ProtoStats.Dropped]
// under its [Drop] reason: duplicate, overlap, uncompared, keep-alive, out of
// window, control (RST payloads, ignored SYNs' payloads), gap, resync (bytes
// Split or Resync skipped, a partial PDU left at the end of a stream),
// oversize, budget and refused. After Flush, StreamBytes equals
// StreamPDUBytes plus the sum of Dropped, so that decoded frames never hide
// lost bytes.
//
// A PDU spanning segments is delivered with the frame number and time of its
// last segment; several PDUs in one segment are delivered in order with the
// same frame number.
//
// Each direction buffers at most [Config.MaxPDU] bytes waiting for a
// complete PDU: a larger PDU is dropped, its frame counted malformed with
// [PDUTooLarge], and the next PDU marked as after a gap.
//
// # IP fragments
//
// IPv4 fragments are reassembled: the fragments of a datagram (source,
// destination, protocol, identification) are kept, at most 64 datagrams at
// once, for at most 30 seconds of capture time, in buffers taken from the
// memory budget; the whole datagram is then decoded as if it had come in
// the frame of its last fragment, and the other fragments count as not ours
// ([SkipFragment]). A datagram is dropped and counted
// ([Stats.FragmentDrops]) when it stays incomplete, when fragments overlap
// with different bytes, when it would exceed 65,535 bytes or come in more
// than 32 pieces, when the table is full (the oldest goes), when the budget
// has no room, and at the end of the input; its first fragment shows
// whether it is ours at all. IPv6 fragments are not reassembled: the first
// fragment of a datagram on an ICS port is malformed ([IPFragment]), the
// others are not ours.
//
// # Flows
//
// A flow is a TCP connection or a UDP exchange between two ports, keyed the
// same way in both directions ([FlowKey]). It starts with its first packet
// that carries payload (or a TCP SYN) and ends exactly once, for one
// [EndReason]: both sides sent FIN ([EndFIN]), a reset ([EndRST]), no packet
// for [Config.IdleTimeout] ([EndIdle]), the table was full and it was
// chosen to make room ([EndEvicted]), the end of the input ([Decoder.Flush],
// [EndInput]; a flow already idle for longer than the idle timeout then
// ends as idle) or [Decoder.Reset] ([EndReset]). UDP flows have no end of
// their own: they end by idle time, eviction or the end of the input. An
// ended flow leaves the table at once; a later packet with the same key
// starts a new flow, except TCP bytes sent again within two minutes after a
// TCP flow ended (a retransmitted FIN with data, say), which count as
// duplicates of the old one.
//
// [Config.OnFlow] sees a [FlowEvent] when a flow starts, before any of its
// PDUs, and when it ends, after all of them: the PDUs its end flushes (a
// partial PDU before a FIN, an evicted flow's buffered bytes) are delivered
// first. At the end of the input every flow's remaining PDUs are delivered in
// frame order, then the flows end in the order of their last packets. Reset
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
// # Flow table
//
// Flows live in a table of 128-byte records (the key, the hash, each
// direction's sequence numbers and flags, the slot; two cache lines) kept in
// chunks of 1024 that never move, found through an open-addressing index
// (linear probing, at most half full, deletion by backward shift) whose
// 8-byte entries hold 32 bits of the hash and the record's number. The key
// (both addresses, both ports, the transport) is hashed once per packet into
// 64 bits with a seed each Decoder draws at random, so that traffic cannot be
// made to collide in the index without knowing it. An idle flow costs its
// record ([FlowRecordBytes], 128 bytes) and 16 to 32 bytes of index (which
// is between a quarter and half full);
// stream buffers and segments waiting out of order live out of line, taken
// only while bytes wait (see Memory). Records and index grow as flows
// arrive, up to [Config.MaxFlows] (default [DefaultMaxFlows], 1 M flows,
// about 150 MB), and are kept for reuse when flows end.
//
// Flows idle for [Config.IdleTimeout] of capture time (default
// [DefaultIdleTimeout], five minutes) end when their next packet arrives, or
// before that by a sweep that looks at the records in turn, as many per
// packet as capture time allows: every record once per half idle timeout, so
// that a busy table costs little per packet and an idle flow ends at most
// one and a half timeouts after its last packet.
//
// When the table is full, a new flow takes the place of the least recently
// active of 8 sampled flows that have not seen both directions
// ([EndEvicted], counted in [ProtoStats.Evicted]). When the sample holds only
// established flows, the new flow is not tracked: its packets count as
// refused ([ProtoStats.Refused]), and a frame whose payload is lost that way
// is malformed ([FlowTableFull]). So a flood of new flows, each a single
// packet or a single direction, evicts only its own kind, and established
// conversations stay until they end or go idle; with a bound at least as
// large as the number of live flows nothing is evicted, and a table of 1 M
// flows costs per packet about what one of 1 k flows costs plus the cache
// misses of reading one index entry and one record. [Decoder.Packets], the
// reader functions and the workers hide those misses once the table holds
// 16,384 flows: they parse packets 16 ahead of decoding them and ask the
// processor to load the index entry of each one's flow, then, 8 packets
// before decoding it, the flow's record (prefetch instructions, on amd64
// and arm64), so that the loads overlap with decoding. On Linux, a table
// of more than 65,536 flows takes its records in slabs of 8 MiB and asks
// for transparent huge pages for them and for its index (madvise), so that
// reading it at random misses the TLB less; where huge pages are turned
// off this is ignored.
//
// # Memory
//
// One budget ([Config.MemoryBudget], default [DefaultMemoryBudget], 64 MiB)
// bounds the bytes buffered across all flows: partial PDUs waiting for
// Split, segments waiting for a hole to fill, IP fragments, whether held by
// a stream or free in the pool for reuse. Buffers come in size classes from
// 512 bytes up to MaxPDU (at most a quarter of the budget), so that a
// steady state needs no allocation. A stream direction holds a buffer only
// while bytes wait and gives it back when they are consumed or its flow
// ends. When a stream needs room the budget does not have, the pool first
// gives free buffers up to the garbage collector; then the streams that have
// gone longest without adding bytes lose theirs, oldest first: their partial
// PDU or waiting segments are dropped, counted in [ProtoStats.BudgetDrops]
// and [ProtoStats.BudgetDropBytes], and their next PDU comes after a gap. No
// traffic can make the Decoder hold more than the budget in stream buffers;
// [Stats.Buffered], [Stats.Pooled] and [Stats.BufferedPeak] show how much it
// does.
//
// # Records
//
// The readers skip a capture record longer than [Config.MaxRecord] (default
// [DefaultMaxRecord], 256 KiB, libpcap's and Wireshark's largest snap
// length) without reading it into memory, whatever the file's snap length
// claims: the record's frame still counts (malformed, [RecordTooLarge]) and
// the frames after it keep their numbers. pcapng blocks other than packets,
// section and interface headers that exceed the limit are left out, so that
// pcapgo reads none of them.
//
// # Workers
//
// With [Config.Workers] above 1, the reader functions decode a capture with
// that many Decoders in parallel. One goroutine reads the packets, parses
// their headers, decodes itself what belongs to no flow, reassembles IPv4
// fragments, and hands each packet to the worker that its flow's hash picks
// (both directions of a flow go to one worker), in batches of 1,024 with a few
// in flight. Frame numbers still count the capture's packets, and
// [Decoder.Stats] adds up the workers' counts. Each worker has
// MaxFlows/Workers flows and MemoryBudget/Workers bytes.
//
// The handler contract changes: [Config.Handler] and [Config.OnFlow] are
// called from Workers goroutines at once. Every PDU and flow event of one
// flow comes from one goroutine, in order, so state kept in a flow's slot
// needs no lock; state shared across flows must be guarded, or kept per
// worker with [Config.Worker], which gives each worker handlers of its own.
// PDUs of different flows come in no set order; [Config.Sync] tells when a
// worker has delivered everything up to a frame (every 4096 frames and at
// the end), so that the workers' outputs can be merged into one that does
// not depend on timing. A handler's [ErrStop] stops every worker.
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
// only retransmits bytes already seen, and the last fragment of a datagram
// reassembled); malformed if it was cut short with nothing left to decode
// (see Short frames), had a bad header, was the first fragment of an IPv6
// datagram on an ICS port, overflowed the PDU bound, made Split fail, would
// have started a flow the full table refused, was a record too long to read,
// or if the handler returned an error for one of its PDUs ([Reason]);
// otherwise not ours ([Skip]): other link types, non-IP, neither TCP nor UDP,
// IP fragments held or dropped, other ports, and TCP segments without
// payload on ICS flows (handshakes, pure ACKs, FIN and RST; a payload in a
// RST segment is ignored). Per protocol, [ProtoStats] counts PDUs, stream
// bytes delivered and dropped by reason, TCP anomalies, gaps, duplicates,
// oversize PDUs, flows made, evicted, ended idle and refused, and buffers
// dropped for the budget; [Stats] also reports the
// flow table (peak, bound, memory) and the stream buffers against the
// budget.
//
// # Lifetime and allocation
//
// The [PDU] given to the handler and its Data alias the Decoder's buffers or
// the packet, and are valid only until the handler returns; so does the
// [FlowEvent] given to OnFlow. The handler must not change the PDU: pcapx
// rebuilds its addresses only when the flow or direction changes. A Decoder
// allocates when it is made (its port table, 144 KiB), when its flow table
// grows (a chunk of 1024 records, or a larger index), when it needs more
// stream buffers than it ever had at once, and on the first parallel read
// (the workers and their batches); after that Packet, Packets and the
// reader functions allocate nothing per packet. [Decoder.Reset] keeps that
// memory for the next capture.
//
// Reading a file allocates per file: the reader, a 64 KiB read buffer (and a
// gzip reader), and, for pcapng, pcapgo's packet buffer, sized to the snap
// length up to 256 KiB; a pcap record longer than the read buffer is copied
// into a buffer of the Reader's own, made once. Per packet nothing is
// allocated for pcap files, nor for pcapng packets on interfaces with a
// link type below 256 (Ethernet, raw IP, Linux SLL, NULL, LOOP) in enhanced
// packet blocks without options. pcapgo does allocate, per pcapng packet:
// one small allocation on an interface whose link type is 256 or more
// (Linux SLL2, 276, for one), where it boxes the link type into
// CaptureInfo.AncillaryData; one for each epb_flags, epb_dropcount,
// epb_packetid or epb_queue option and two for each comment, epb_hash or
// epb_verdict option of an enhanced packet block. TestReaderAllocs pins
// these counts.
//
// # Errors
//
// Malformed frames are counted, not returned. The reader functions return
// errors wrapping [ErrNotCapture], [ErrTruncatedFile] (the frames before the
// cut were decoded) or [ErrCorruptFile], with the counts so far. A handler
// error that wraps [ErrStop] stops decoding and is returned.
package pcapx
