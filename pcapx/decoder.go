package pcapx

import (
	"errors"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Handler receives each PDU. The PDU and its Data are valid only until the
// handler returns; copy what must be kept. The handler must not change the
// PDU (pcapx keeps its address fields from one PDU of a flow to the next).
// With Config.Workers above 1 it is called from several goroutines at once,
// each flow from one of them (see Config.Workers). A non-nil error marks the frame
// malformed (reason [HandlerError]) and decoding goes on, unless the error
// wraps [ErrStop].
type Handler func(p *PDU) error

// ErrStop, returned (or wrapped) by a Handler, stops decoding: Packet returns
// the handler's error and the reader functions return it.
var ErrStop = errors.New("pcapx: stopped by handler")

// Defaults for the zero values of Config.
const (
	// DefaultMaxFlows is the default bound of the flow table. A flow
	// record costs FlowRecordBytes (plus 16 bytes of index), so a full
	// table of the default size holds about 250 MB; it is allocated as
	// flows arrive, not up front.
	DefaultMaxFlows = 1 << 20
	DefaultMaxPDU   = 65536 + 1024
	// DefaultIdleTimeout ends flows that saw no packet for five minutes
	// of capture time, as Zeek's inactivity timeout does.
	DefaultIdleTimeout = 5 * time.Minute
	// DefaultMemoryBudget bounds the bytes buffered across all flows.
	DefaultMemoryBudget = 64 << 20
	// MinMemoryBudget is the smallest budget: a smaller one is raised to
	// it.
	MinMemoryBudget = 1 << 20
)

// Config configures a Decoder. The zero value decodes Ethernet frames on the
// default ports and discards the PDUs.
type Config struct {
	// Handler receives each PDU; nil discards them (they are still counted).
	Handler Handler
	// LinkType of the packets given to Packet; the reader functions set it
	// from the capture file. The zero value is Ethernet unless
	// LinkTypeSet is true (link type 0 is BSD loopback, LINKTYPE_NULL).
	LinkType    layers.LinkType
	LinkTypeSet bool
	// Ports are added to the default ports (or replace them when
	// NoDefaultPorts is set). A later entry for the same transport and port
	// wins; Proto Unknown removes a port.
	Ports          []Port
	NoDefaultPorts bool
	// MaxFlows bounds the flow table (TCP and UDP flows). When it is full,
	// a new flow takes the place of the least recently active flow that has
	// not seen both directions, among a sample of 8 (EndEvicted); when the
	// sample holds none, the new flow is not tracked and its packets count
	// as refused (ProtoStats.Refused; a frame with payload is malformed,
	// FlowTableFull), so that a flood of new flows cannot push established
	// ones out. Default DefaultMaxFlows.
	MaxFlows int
	// MaxPDU bounds the bytes buffered per stream direction while Split
	// waits for a complete PDU; a larger PDU is dropped and its frame counted
	// malformed (PDUTooLarge). Default DefaultMaxPDU; at most a quarter of
	// the memory budget.
	MaxPDU int
	// MaxRecord bounds the capture records the reader functions read: a
	// longer record (or one longer than its link type allows, 256 KiB for
	// the link types pcapx decodes) is skipped without reading it into
	// memory and its frame counted malformed (RecordTooLarge). Zero means
	// DefaultMaxRecord.
	MaxRecord int
	// MemoryBudget bounds the bytes buffered across all flows: partial
	// PDUs waiting for Split and out-of-order segments waiting for a hole,
	// held or free for reuse. When a stream needs room the budget does not
	// have, free buffers are released first, then the bytes of the streams
	// that have gone longest without adding any are dropped (oldest first),
	// counted in ProtoStats.BudgetDrops and BudgetDropBytes. Default
	// DefaultMemoryBudget; at least MinMemoryBudget.
	MemoryBudget int
	// MaxOutOfOrder is how many TCP segments that arrive ahead of the next
	// expected sequence number a stream direction keeps (up to 16, and 64
	// KiB) while waiting for the hole before them to fill. The default, 0,
	// declares the hole a gap at once, as tshark does by default; captures
	// that reorder segments (several capture points, multipath) decode
	// better with a few.
	MaxOutOfOrder int
	// IdleTimeout ends flows (TCP and UDP) that saw no packet for this long
	// in capture time (EndIdle). A flow is ended when its next packet
	// arrives, or earlier by a sweep that looks at every flow once per half
	// timeout of capture time; a flow idle at the end of the input ends as
	// idle. Zero means DefaultIdleTimeout; a negative value keeps flows
	// until the table is full, the connection ends or the input ends.
	IdleTimeout time.Duration
	// OnFlow, when non-nil, is called when a flow (a TCP connection or a
	// UDP exchange between two ports) starts and when it ends, with the
	// reason. A flow starts with its first packet that carries payload (or
	// a TCP SYN) and gets a slot (FlowEvent.State, PDU.State) for the
	// caller's per-flow value. FlowEnd comes once per flow, after every PDU
	// of the flow, those that its end flushes included; when it returns the
	// slot is cleared. OnFlow must not call the Decoder.
	OnFlow func(e *FlowEvent)
	// Accept, when non-nil, is asked about each packet the reader
	// functions read (ReadFile, Read, ReadCapture, ReadSource, ReadLive):
	// a packet it refuses is dropped before it becomes a frame, as a
	// capture filter would drop it, so frame numbers count the packets
	// accepted. It is called from the reading goroutine only. Records too
	// long to read (RecordTooLarge) are frames whatever it says.
	Accept func(lt layers.LinkType, data []byte) bool
	// Workers, above 1, makes the reader functions decode in parallel:
	// one goroutine reads the packets and parses their headers, and hands
	// each packet, in batches, to one of Workers Decoders picked by its
	// flow's hash, so that both directions of a flow, all its PDUs and its
	// flow events go to one worker, in order. Frame numbers still count
	// the capture's packets; Stats merges the workers' counts. IPv4
	// fragments are reassembled by the reading goroutine. Each worker has
	// MaxFlows/Workers flows and MemoryBudget/Workers bytes of its own,
	// and up to about 6 MB of packets read for it and waiting. Packet and
	// Packets are not parallel.
	//
	// Handler and OnFlow are then called from Workers goroutines at once:
	// state kept in a flow's slot needs no lock (a flow is decoded by one
	// goroutine), state shared across flows does, or can be kept per
	// worker (see Worker). PDUs of different flows come in no set order;
	// see Sync.
	Workers int
	// Worker, when non-nil and Workers is above 1, gives worker w (0 to
	// Workers-1) a Handler and OnFlow of its own; nil results keep
	// Config's. It is called once per worker, before decoding.
	Worker func(w int) (Handler, func(e *FlowEvent))
	// Sync, when non-nil and Workers is above 1, is called by each worker
	// when it has decoded every packet of its share up to frame, at every
	// 4096th frame of the capture and once more at the end (after Flush):
	// what the workers delivered until their Sync calls for one frame can
	// be merged, in frame order, into an output that does not depend on
	// timing.
	Sync func(w int, frame int)
	// Split, when non-nil, replaces the protocols' own Split functions
	// (for tests, or to wrap or replace a protocol's framing), and their
	// Resync functions too unless Resync is set.
	Split func(p Protocol, data []byte, atEOF bool) (advance int, token []byte, err error)
	// Resync, when non-nil, replaces the protocols' own Resync functions,
	// which frame a stream after a gap and at a connection picked up
	// without its SYN until they deliver a PDU (see Streams).
	Resync func(p Protocol, data []byte, atEOF bool) (advance int, token []byte, err error)
	// KeepState keeps a flow's slot (PDU.State, FlowEvent.State) with its
	// record when the flow ends, instead of clearing it: the next flow that
	// takes the record finds the value the last one left, so that a caller
	// can reuse its per-flow state (resetting it on FlowEnd) without a free
	// list. Records are taken in the same order after Reset as in a new
	// Decoder, so a replay of the same packets gives each flow the value it
	// had the first time: per-flow state that grew for a flow does not
	// have to grow again (see Lifetime and allocation).
	KeepState bool
}

// Decoder turns packets into PDUs. It keeps the flow table, the port
// table and the counts. A Decoder is not safe for concurrent use.
//
// Once its flows and buffers have grown, a Decoder allocates nothing per
// packet: creating a flow reuses an ended flow's record when there is one,
// and only a new flow beyond those may allocate (a chunk of 1024 records, or
// a larger index).
type Decoder struct {
	cfg      Config
	linkType layers.LinkType
	ports    portTable
	stats    Stats
	frame    int

	// class of the current frame
	curClass  Class
	curReason Reason
	curSkip   Skip
	curProto  Protocol
	stopErr   error
	flushing  bool // PDUs delivered now do not belong to the current frame

	pdu     PDU
	pduFlow *flow // the flow and direction whose addresses are in pdu
	pduDir  int
	event   FlowEvent

	pk    parsed // the current packet's headers
	pk2   parsed // a datagram reassembled from fragments
	frags reassembler
	cur   segInfo   // the current frame: number, time, link-layer facts
	curTS time.Time // its timestamp as given

	flows    flowTable
	closed   closedCache
	mem      memory
	hist     history // the bytes last taken into TCP streams, made on first need
	histSize int
	order    []flushItem // scratch for Flush
	maxOOO   int
	maxPDU   int
	idle     int64 // idle timeout in ns, or 0

	sweepNS   int64   // capture time the sweep last ran
	sweepTick int64   // capture time between sweeps
	sweepDue  float64 // records the sweep owes
	sweepMore bool    // it owes some now

	ring [aheadRing]parsed // Packets parses ahead into this
	rb   readBatch         // ReadCapture's batch
	par  []*parWorker      // the workers of parallel reads
}

// FlowRecordBytes is the size of a flow record: the memory an idle flow
// costs, besides its 16 bytes of index (which is at most half full).
const FlowRecordBytes = flowSize

// NewDecoder returns a Decoder for cfg. It allocates the port table (128 KiB)
// and the flow table's index.
func NewDecoder(cfg Config) *Decoder {
	d := &Decoder{}
	d.init(cfg)
	return d
}

func (d *Decoder) init(cfg Config) {
	if cfg.MaxFlows <= 0 {
		cfg.MaxFlows = DefaultMaxFlows
	}
	if cfg.MemoryBudget <= 0 {
		cfg.MemoryBudget = DefaultMemoryBudget
	}
	cfg.MemoryBudget = max(cfg.MemoryBudget, MinMemoryBudget)
	if cfg.MaxPDU <= 0 {
		cfg.MaxPDU = DefaultMaxPDU
	}
	cfg.MaxPDU = min(cfg.MaxPDU, cfg.MemoryBudget/4)
	switch {
	case cfg.IdleTimeout == 0:
		cfg.IdleTimeout = DefaultIdleTimeout
	case cfg.IdleTimeout < 0:
		cfg.IdleTimeout = -1
	}
	d.cfg = cfg
	d.maxPDU = cfg.MaxPDU
	d.idle = max(int64(cfg.IdleTimeout), 0)
	d.sweepTick = max(d.idle/1024, 1)
	d.maxOOO = min(max(cfg.MaxOutOfOrder, 0), maxOOO)
	d.linkType = layers.LinkTypeEthernet
	if cfg.LinkTypeSet || cfg.LinkType != 0 {
		d.linkType = cfg.LinkType
	}
	if !cfg.NoDefaultPorts {
		for _, p := range DefaultPorts() {
			d.ports.add(p.Transport, p.Port, p.Proto)
		}
	}
	for _, p := range cfg.Ports {
		d.ports.add(p.Transport, p.Port, p.Proto)
	}
	d.flows.init(cfg.MaxFlows, newHashSeed())
	d.flows.keep = cfg.KeepState
	d.histSize = historySize(cfg.MemoryBudget)
	d.mem.init(max(cfg.MaxPDU, maxOOOBytes), cfg.MemoryBudget-d.histSize)
}

// AddPort makes port on transport t select protocol p for this Decoder
// (Unknown removes the port). It does not allocate.
func (d *Decoder) AddPort(t Transport, port uint16, p Protocol) { d.ports.add(t, port, p) }

// PortProtocol returns the protocol selected by port on transport t, or
// Unknown.
func (d *Decoder) PortProtocol(t Transport, port uint16) Protocol { return d.ports.lookup(t, port) }

// SetLinkType sets the link type of the packets that follow.
func (d *Decoder) SetLinkType(lt layers.LinkType) { d.linkType = lt }

// LinkType returns the link type Packet decodes.
func (d *Decoder) LinkType() layers.LinkType { return d.linkType }

// Stats returns the counts so far; after a parallel read, those of every
// worker added up.
func (d *Decoder) Stats() Stats {
	s := d.own()
	if d.par != nil {
		// The workers have the table and the budget.
		s.MaxFlows, s.MemoryBudget = 0, 0
		for _, w := range d.par {
			ws := w.d.own()
			mergeStats(&s, &ws)
		}
	}
	return s
}

// own returns the Decoder's own counts.
func (d *Decoder) own() Stats {
	s := d.stats
	s.ActiveFlows = d.flows.n
	s.MaxFlows = d.flows.max
	s.PeakFlows = d.flows.peak
	s.TableBytes = d.flows.bytes()
	s.Buffered = d.mem.held
	s.Pooled = d.mem.pooled
	s.BufferedPeak = d.mem.peak
	s.History = len(d.hist.buf)
	s.MemoryBudget = d.mem.budget + d.histSize
	return s
}

// Frame returns the number of packets given so far: the frame number of the
// last packet.
func (d *Decoder) Frame() int { return d.frame }

// Last returns how the last packet was counted and, for a malformed frame,
// the reason, for a frame not ours, the skip reason.
func (d *Decoder) Last() (Class, Reason, Skip) { return d.curClass, d.curReason, d.curSkip }

// Reset forgets all flows, counts and the frame number, keeping the memory
// of flows and buffers for reuse, so that a new capture can be decoded
// without allocating again. Buffered stream bytes are discarded, not
// flushed; each flow still in the table ends with EndReset.
func (d *Decoder) Reset() {
	for _, w := range d.par {
		w.d.Reset()
	}
	d.flows.each(func(f *flow) { d.endFlow(f, EndReset) })
	d.flows.restart()
	d.sweepNS, d.sweepDue, d.sweepMore = 0, 0, false
	d.sweepTick = max(d.idle/1024, 1)
	d.closed.reset()
	d.frags.reset(&d.mem)
	d.stats = Stats{}
	d.frame = 0
	d.stopErr = nil
	d.curClass, d.curReason, d.curSkip = NotOurs, ReasonNone, SkipNone
}

// Packet decodes one captured packet of the current link type: it is the
// next frame (frame numbers count calls from 1). PDUs it completes are given
// to the handler. It returns nil, or the handler's error when that wraps
// ErrStop. Malformed frames are not errors here: see Last and Stats.
//
// Packet does not keep data after it returns and allocates nothing in steady
// state.
func (d *Decoder) Packet(ci gopacket.CaptureInfo, data []byte) error {
	return d.packet(d.linkType, ci.Timestamp, data)
}

// PacketLinkType is Packet for a packet of link type lt (as in pcapng files
// whose interfaces differ).
func (d *Decoder) PacketLinkType(lt layers.LinkType, ci gopacket.CaptureInfo, data []byte) error {
	return d.packet(lt, ci.Timestamp, data)
}

// Packet is a captured packet, for Packets.
type Packet struct {
	Data     []byte
	Time     time.Time
	LinkType layers.LinkType
}

// Packets' read-ahead: it parses packets idxAhead packets before decoding
// them, then requests the index entry of their flow, and idxAhead-recAhead
// packets later reads that entry and requests the flow's record. The
// distances cover a memory read's latency many times over; the parsed
// packets wait in a ring of aheadRing entries.
const (
	idxAhead  = 16
	recAhead  = 8
	aheadRing = 32 // a power of two above idxAhead
)

// flowHash returns a pointer to the packet's flow hash, or nil if it has
// no flow.
func (pk *parsed) flowHash() *uint64 {
	if !pk.flow {
		return nil
	}
	return &pk.hash
}

// Packets decodes pkts in order, as that many calls of PacketLinkType
// would, and returns as Packet does. It is faster when the flow table is
// large: it parses packets ahead of decoding them and asks the processor
// to load the table's entries for their flows while it decodes the packets
// before them, so that the memory reads of many flows overlap with the
// work instead of following one another. It allocates nothing in steady
// state.
func (d *Decoder) Packets(pkts []Packet) error {
	ring := &d.ring
	t := &d.flows
	for j := range min(idxAhead, len(pkts)) {
		d.parse(&ring[j], pkts[j].LinkType, pkts[j].Data)
	}
	hash := func(k int) *uint64 { return ring[k%aheadRing].flowHash() }
	for j := range pkts {
		if k := j + idxAhead; k < len(pkts) {
			d.parse(&ring[k%aheadRing], pkts[k].LinkType, pkts[k].Data)
		}
		if t.n >= prefetchFlows {
			t.warmAhead(j, len(pkts), hash)
		}
		d.frame++
		d.begin(pkts[j].Time)
		d.process(&ring[j%aheadRing])
		if err := d.end(); err != nil {
			return err
		}
	}
	return nil
}

// prefetchFlows is the table size from which Packets and the workers
// prefetch: smaller tables stay in the caches.
const prefetchFlows = 1 << 14

func (d *Decoder) packet(lt layers.LinkType, ts time.Time, data []byte) error {
	d.frame++
	d.begin(ts)
	d.parse(&d.pk, lt, data)
	d.process(&d.pk)
	return d.end()
}

// begin starts decoding the frame numbered d.frame, captured at ts.
func (d *Decoder) begin(ts time.Time) {
	d.stats.Frames++
	d.curClass, d.curReason, d.curSkip, d.curProto = NotOurs, ReasonNone, SkipNone, Unknown
	d.curTS = ts
	d.cur = segInfo{frame: d.frame, ns: ts.UnixNano()}
}

// end counts the current frame, once, as decoded, malformed or not ours.
func (d *Decoder) end() error {
	switch {
	case d.curReason != ReasonNone:
		d.curClass = Malformed
		d.curSkip = SkipNone
		d.stats.Malformed++
		d.stats.MalformedBy[d.curReason]++
	case d.curClass == Decoded:
		d.stats.Decoded++
		d.stats.Protocols[d.curProto].Frames++
	default:
		d.curClass = NotOurs
		if d.curSkip == SkipNone {
			d.curSkip = SkipNonIP
		}
		d.stats.NotOurs++
		d.stats.NotOursBy[d.curSkip]++
	}
	return d.stopErr
}

// malformed marks the current frame malformed; the first reason wins.
func (d *Decoder) malformed(r Reason) {
	if d.curReason == ReasonNone {
		d.curReason = r
	}
}

func (d *Decoder) skip(s Skip) { d.curSkip = s }

// process decodes a parsed packet of the current frame: flows, streams,
// PDUs.
func (d *Decoder) process(pk *parsed) {
	d.cur.link = pk.link
	d.curProto = pk.proto
	if pk.cut {
		d.stats.IPTruncated++
	}
	if pk.frag && pk.reason == ReasonNone {
		d.fragment(pk)
		return
	}
	d.curReason, d.curSkip = pk.reason, pk.skip
	if !pk.flow {
		return
	}
	if pk.tr == UDP {
		d.udp(pk)
		return
	}
	d.tcp(pk)
	if pk.cut && len(pk.payload) == 0 {
		// The IP length promised payload, and none of it was captured.
		d.malformed(TruncatedTCP)
	}
}

// udp delivers a UDP payload as one PDU.
func (d *Decoder) udp(pk *parsed) {
	f := d.flowAt(pk.hash, &pk.key)
	if f == nil {
		if f = d.newFlow(pk.hash, &pk.key, pk.proto); f == nil {
			d.malformed(FlowTableFull)
			return
		}
	}
	f.lastNS = d.cur.ns
	dir := 1
	if pk.toServer {
		dir = 0
	}
	f.seen |= 1 << dir
	d.curClass = Decoded
	d.setAddrs(f, dir)
	p := &d.pdu
	p.Frame = d.frame
	p.Time = d.curTS
	p.Gap, p.Overlap, p.Seq = false, false, 0
	p.Data = pk.payload
	p.State = &f.state
	p.setLink(&pk.link)
	d.deliver(&d.stats.Protocols[pk.proto], true)
}

// setAddrs sets the PDU's protocol, transport, direction and addresses for
// direction dir of f, unless they are those of the previous PDU.
func (d *Decoder) setAddrs(f *flow, dir int) {
	if d.pduFlow != f {
		d.setFlow(f)
	}
	if d.pduDir != dir {
		d.setDir(dir)
	}
}

// setFlow sets the PDU's protocol, transport and flow for f; its direction
// is then unset.
func (d *Decoder) setFlow(f *flow) {
	p := &d.pdu
	d.pduFlow, d.pduDir = f, -1
	p.Proto = f.proto
	p.Transport = f.key.tr()
	p.Flow = f.key.public()
}

// setDir sets the PDU's direction and addresses for direction dir of the
// PDU's flow. It is small enough to be inlined into the per-PDU paths.
func (d *Decoder) setDir(dir int) {
	p := &d.pdu
	d.pduDir = dir
	p.ToServer = dir == 0
	if dir == 0 {
		p.Src, p.Dst = p.Flow.Client, p.Flow.Server
	} else {
		p.Src, p.Dst = p.Flow.Server, p.Flow.Client
	}
}

// streamPDU sets up the PDU for a token Split cut out of direction dir of
// f's stream, starting at sequence number seq; in is the segment that added
// its last bytes.
func (d *Decoder) streamPDU(f *flow, dir int, tok []byte, seq uint32, in *segInfo) {
	d.setAddrs(f, dir)
	p := &d.pdu
	p.Seq = seq
	p.Overlap = f.dirs[dir].has(sOverlap)
	p.Frame = in.frame
	if in.frame == d.frame {
		p.Time = d.curTS
	} else {
		p.Time = d.timeAt(in.ns)
	}
	p.Gap = f.dirs[dir].has(sGap)
	p.Data = tok
	p.State = &f.state
	p.setLink(&in.link)
}

// timeAt returns a capture time kept in ns as a time.Time in the location
// of the current packet's timestamp.
func (d *Decoder) timeAt(ns int64) time.Time {
	return time.Unix(0, ns).In(d.curTS.Location())
}

// setLink copies link-layer facts into the PDU.
func (p *PDU) setLink(l *linkInfo) {
	p.SrcMAC, p.DstMAC = l.src, l.dst
	p.VLAN, p.VLANs = l.vlan, int(l.vlans)
}

// deliver hands d.pdu to the handler and counts it. current says whether
// the PDU belongs to the frame being decoded (a handler error then marks it
// malformed).
func (d *Decoder) deliver(ps *ProtoStats, current bool) {
	ps.PDUs++
	ps.Bytes += uint64(len(d.pdu.Data))
	if d.cfg.Handler == nil || d.stopErr != nil {
		return
	}
	if err := d.cfg.Handler(&d.pdu); err != nil {
		d.handlerError(ps, err, current)
	}
}

// handlerError counts an error the handler returned for d.pdu: ErrStop
// stops decoding; other errors mark the PDU's frame malformed when it is
// the one being decoded (current).
func (d *Decoder) handlerError(ps *ProtoStats, err error, current bool) {
	ps.HandlerErrors++
	if errors.Is(err, ErrStop) {
		d.stopErr = err
		return
	}
	if current {
		d.malformed(HandlerError)
	}
}
