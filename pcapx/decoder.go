package pcapx

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Handler receives each PDU. The PDU and its Data are valid only until the
// handler returns; copy what must be kept. A non-nil error marks the frame
// malformed (reason [HandlerError]) and decoding goes on, unless the error
// wraps [ErrStop].
type Handler func(p *PDU) error

// ErrStop, returned (or wrapped) by a Handler, stops decoding: Packet returns
// the handler's error and the reader functions return it.
var ErrStop = errors.New("pcapx: stopped by handler")

// Defaults for the zero values of Config.
const (
	DefaultMaxFlows = 16384
	DefaultMaxPDU   = 65536 + 1024
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
	// MaxFlows bounds the flow table (TCP and UDP flows); when it is full
	// the least recently used flow is evicted. Default DefaultMaxFlows.
	MaxFlows int
	// MaxPDU bounds the bytes buffered per stream direction while Split
	// waits for a complete PDU; a larger PDU is dropped and its frame counted
	// malformed (PDUTooLarge). Default DefaultMaxPDU.
	MaxPDU int
	// MaxOutOfOrder is how many TCP segments that arrive ahead of the next
	// expected sequence number a stream direction keeps (up to 16, and 64
	// KiB) while waiting for the hole before them to fill. The default, 0,
	// declares the hole a gap at once, as tshark does by default; captures
	// that reorder segments (several capture points, multipath) decode
	// better with a few.
	MaxOutOfOrder int
	// IdleTimeout, when positive, ends flows (TCP and UDP) that saw no
	// packet for this long in capture time. Zero keeps flows until the
	// table is full, the connection ends or the input ends.
	IdleTimeout time.Duration
	// OnFlow, when non-nil, is called when a flow (a TCP connection or a
	// UDP exchange between two ports) starts and when it ends, with the
	// reason. A flow starts with its first packet that carries payload (or
	// a TCP SYN) and gets a slot (FlowEvent.State, PDU.State) for the
	// caller's per-flow value. FlowEnd comes once per flow, after every PDU
	// of the flow, those that its end flushes included; when it returns the
	// slot is cleared. OnFlow must not call the Decoder.
	OnFlow func(e *FlowEvent)
	// Split, when non-nil, replaces the protocols' own Split functions
	// (for tests, or to wrap or replace a protocol's framing).
	Split func(p Protocol, data []byte, atEOF bool) (advance int, token []byte, err error)
}

// Decoder turns packets into PDUs. It keeps the flow table, the port
// table and the counts. A Decoder is not safe for concurrent use.
//
// Once its flows and buffers have grown, a Decoder allocates nothing per
// packet: creating a flow reuses an evicted or ended flow's memory when there
// is one, and only a new flow beyond those may allocate.
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
	curCut    bool // the IP length claimed more bytes than the frame holds
	stopErr   error
	flushing  bool // PDUs delivered now do not belong to the current frame

	pdu   PDU
	event FlowEvent

	curLink linkInfo  // link-layer facts of the current frame
	curTS   time.Time // its timestamp

	flows  flowTable
	closed closedCache
	bufs   bufPool
	maxOOO int
}

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
	if cfg.MaxPDU <= 0 {
		cfg.MaxPDU = DefaultMaxPDU
	}
	d.cfg = cfg
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
	d.flows.init(cfg.MaxFlows)
	d.bufs.init(max(cfg.MaxPDU, maxOOOBytes))
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

// Stats returns the counts so far.
func (d *Decoder) Stats() Stats {
	s := d.stats
	s.ActiveFlows = d.flows.n
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
	for d.flows.tail != nil {
		d.endFlow(d.flows.tail, EndReset)
	}
	d.flows.reset()
	d.closed.reset()
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

func (d *Decoder) packet(lt layers.LinkType, ts time.Time, data []byte) error {
	d.frame++
	d.stats.Frames++
	d.curClass, d.curReason, d.curSkip, d.curProto = NotOurs, ReasonNone, SkipNone, Unknown
	d.curCut = false
	d.curTS = ts
	d.decode(lt, ts, data)
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
	if d.stopErr != nil {
		err := d.stopErr
		return err
	}
	return nil
}

// malformed marks the current frame malformed; the first reason wins.
func (d *Decoder) malformed(r Reason) {
	if d.curReason == ReasonNone {
		d.curReason = r
	}
}

func (d *Decoder) skip(s Skip) { d.curSkip = s }

// Ethertypes.
const (
	etIPv4  = 0x0800
	etIPv6  = 0x86dd
	etVLAN  = 0x8100
	etQinQ  = 0x88a8
	etQinQ2 = 0x9100
)

// maxVLANTags bounds the VLAN tags pcapx walks through.
const maxVLANTags = 8

// linkInfo is what a PDU tells of its packet's link layer.
type linkInfo struct {
	src, dst [6]byte
	vlan     [2]uint16
	vlans    uint8
}

// decode walks the link, IP and transport headers.
func (d *Decoder) decode(lt layers.LinkType, ts time.Time, b []byte) {
	var et uint16
	d.curLink = linkInfo{}
	switch lt {
	case layers.LinkTypeEthernet:
		if len(b) < 14 {
			d.malformed(TruncatedLink)
			return
		}
		d.curLink.dst = [6]byte(b[0:6])
		d.curLink.src = [6]byte(b[6:12])
		et = binary.BigEndian.Uint16(b[12:14])
		b = b[14:]
	case layers.LinkTypeLinuxSLL:
		if len(b) < 16 {
			d.malformed(TruncatedLink)
			return
		}
		if b[4] == 0 && b[5] == 6 {
			d.curLink.src = [6]byte(b[6:12])
		}
		et = binary.BigEndian.Uint16(b[14:16])
		b = b[16:]
	case layers.LinkTypeLinuxSLL2:
		if len(b) < 20 {
			d.malformed(TruncatedLink)
			return
		}
		if b[11] == 6 {
			d.curLink.src = [6]byte(b[12:18])
		}
		et = binary.BigEndian.Uint16(b[0:2])
		b = b[20:]
	case layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6, 12, 14:
		if len(b) < 1 {
			d.malformed(TruncatedIP)
			return
		}
		switch b[0] >> 4 {
		case 4:
			et = etIPv4
		case 6:
			et = etIPv6
		default:
			d.skip(SkipNonIP)
			return
		}
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		if len(b) < 4 {
			d.malformed(TruncatedLink)
			return
		}
		var fam uint32
		if lt == layers.LinkTypeLoop {
			fam = binary.BigEndian.Uint32(b)
		} else {
			// Host byte order of the capturing machine: a family is
			// small, so the order that gives a small value is right.
			fam = binary.LittleEndian.Uint32(b)
			if fam > 0xffff {
				fam = binary.BigEndian.Uint32(b)
			}
		}
		b = b[4:]
		switch fam {
		case 2:
			et = etIPv4
		case 10, 24, 28, 30:
			et = etIPv6
		default:
			d.skip(SkipNonIP)
			return
		}
	default:
		d.skip(SkipLinkType)
		return
	}
	for i := 0; et == etVLAN || et == etQinQ || et == etQinQ2; i++ {
		if len(b) < 4 {
			d.malformed(TruncatedLink)
			return
		}
		if i == maxVLANTags {
			d.skip(SkipNonIP)
			return
		}
		if i < len(d.curLink.vlan) {
			d.curLink.vlan[i] = binary.BigEndian.Uint16(b[0:2]) & 0x0fff
		}
		d.curLink.vlans++
		et = binary.BigEndian.Uint16(b[2:4])
		b = b[4:]
	}
	switch et {
	case etIPv4:
		d.ipv4(ts, b)
	case etIPv6:
		d.ipv6(ts, b)
	default:
		d.skip(SkipNonIP)
	}
}

func (d *Decoder) ipv4(ts time.Time, b []byte) {
	if len(b) < 20 {
		d.malformed(TruncatedIP)
		return
	}
	if b[0]>>4 != 4 {
		d.malformed(BadIPHeader)
		return
	}
	hl := int(b[0]&0x0f) * 4
	if hl < 20 {
		d.malformed(BadIPHeader)
		return
	}
	if len(b) < hl {
		d.malformed(TruncatedIP)
		return
	}
	total := int(binary.BigEndian.Uint16(b[2:4]))
	switch {
	case total == 0:
		// TCP segmentation offload: the stack left the length to the
		// hardware. Take what was captured.
		total = len(b)
	case total < hl:
		d.malformed(BadIPHeader)
		return
	case total > len(b):
		// Cut short by the snap length, or a bad length field: decode the
		// bytes that are there, as tshark does.
		d.ipCut()
		total = len(b)
	}
	frag := binary.BigEndian.Uint16(b[6:8])
	proto := b[9]
	src := netip.AddrFrom4([4]byte(b[12:16]))
	dst := netip.AddrFrom4([4]byte(b[16:20]))
	payload := b[hl:total]
	if frag&0x1fff != 0 {
		d.skip(SkipFragment)
		return
	}
	d.transport(ts, proto, src, dst, payload, frag&0x2000 != 0)
}

func (d *Decoder) ipv6(ts time.Time, b []byte) {
	if len(b) < 40 {
		d.malformed(TruncatedIP)
		return
	}
	if b[0]>>4 != 6 {
		d.malformed(BadIPHeader)
		return
	}
	plen := int(binary.BigEndian.Uint16(b[4:6]))
	next := b[6]
	src := netip.AddrFrom16([16]byte(b[8:24]))
	dst := netip.AddrFrom16([16]byte(b[24:40]))
	b = b[40:]
	switch {
	case plen == 0:
		// Jumbo payload or offload: take what was captured.
	case plen > len(b):
		// As for IPv4: decode what was captured.
		d.ipCut()
	default:
		b = b[:plen]
	}
	fragmented := false
	for hops := 0; ; hops++ {
		if hops == 16 {
			d.skip(SkipTransport)
			return
		}
		switch next {
		case 0, 43, 60, 135, 139, 140: // hop-by-hop, routing, destination, mobility, HIP, shim6
			if len(b) < 8 {
				d.malformed(TruncatedIP)
				return
			}
			n := (int(b[1]) + 1) * 8
			if len(b) < n {
				d.malformed(TruncatedIP)
				return
			}
			next = b[0]
			b = b[n:]
			continue
		case 51: // authentication header
			if len(b) < 8 {
				d.malformed(TruncatedIP)
				return
			}
			n := (int(b[1]) + 2) * 4
			if len(b) < n {
				d.malformed(TruncatedIP)
				return
			}
			next = b[0]
			b = b[n:]
			continue
		case 44: // fragment
			if len(b) < 8 {
				d.malformed(TruncatedIP)
				return
			}
			fo := binary.BigEndian.Uint16(b[2:4])
			if fo&0xfff8 != 0 {
				d.skip(SkipFragment)
				return
			}
			if fo&1 != 0 {
				fragmented = true
			}
			next = b[0]
			b = b[8:]
			continue
		}
		break
	}
	d.transport(ts, next, src, dst, b, fragmented)
}

// ipCut notes that the IP length of the current frame claims more bytes than
// it holds.
func (d *Decoder) ipCut() {
	d.curCut = true
	d.stats.IPTruncated++
}

// transport decodes TCP or UDP and hands the payload on.
func (d *Decoder) transport(ts time.Time, proto uint8, src, dst netip.Addr, b []byte, fragmented bool) {
	var tr Transport
	switch proto {
	case 6:
		tr = TCP
		if len(b) < 20 {
			if fragmented && len(b) >= 4 {
				break
			}
			d.malformed(TruncatedTCP)
			return
		}
	case 17:
		tr = UDP
		if len(b) < 8 {
			if fragmented && len(b) >= 4 {
				break
			}
			d.malformed(TruncatedUDP)
			return
		}
	default:
		d.skip(SkipTransport)
		return
	}
	sport := binary.BigEndian.Uint16(b[0:2])
	dport := binary.BigEndian.Uint16(b[2:4])
	sp := d.ports.lookup(tr, sport)
	dp := d.ports.lookup(tr, dport)
	var p Protocol
	var toServer bool
	switch {
	case sp == Unknown && dp == Unknown:
		d.skip(SkipPort)
		return
	case sp == Unknown:
		p, toServer = dp, true
	case dp == Unknown:
		p, toServer = sp, false
	case dport < sport:
		p, toServer = dp, true
	case sport < dport:
		p, toServer = sp, false
	default:
		// Same port on both sides: the lower address is the server, so
		// that both directions have the same key.
		p, toServer = dp, dst.Less(src)
	}
	if fragmented {
		d.curProto = p
		d.malformed(IPFragment)
		return
	}
	s := netip.AddrPortFrom(src, sport)
	t := netip.AddrPortFrom(dst, dport)
	var key FlowKey
	key.Transport = tr
	if toServer {
		key.Client, key.Server = s, t
	} else {
		key.Client, key.Server = t, s
	}
	d.curProto = p
	if tr == UDP {
		ulen := int(binary.BigEndian.Uint16(b[4:6]))
		switch {
		case ulen == 0:
			ulen = len(b) // jumbogram or offload
		case ulen < 8:
			d.malformed(BadUDPLength)
			return
		case ulen > len(b):
			d.malformed(TruncatedUDP)
			return
		}
		payload := b[8:ulen]
		if len(payload) == 0 {
			d.skip(SkipNoPayload)
			return
		}
		d.curClass = Decoded
		f := d.flowFor(&key, p, ts, true)
		d.pdu = PDU{
			Frame:     d.frame,
			Time:      ts,
			Proto:     p,
			Transport: UDP,
			Src:       s,
			Dst:       t,
			ToServer:  toServer,
			Flow:      key,
			Data:      payload,
			State:     &f.state,
		}
		d.pdu.setLink(&d.curLink)
		d.deliver(&d.stats.Protocols[p], true)
		return
	}
	off := int(b[12]>>4) * 4
	if off < 20 {
		d.malformed(BadTCPHeader)
		return
	}
	if off > len(b) {
		d.malformed(TruncatedTCP)
		return
	}
	seg := segment{
		seq:     binary.BigEndian.Uint32(b[4:8]),
		ack:     binary.BigEndian.Uint32(b[8:12]),
		flags:   b[13],
		payload: b[off:],
		ts:      ts,
	}
	d.tcp(&key, p, toServer, &seg)
	if d.curCut && len(seg.payload) == 0 {
		// The IP length promised payload, and none of it was captured.
		d.malformed(TruncatedTCP)
	}
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
		ps.HandlerErrors++
		if errors.Is(err, ErrStop) {
			d.stopErr = err
			return
		}
		if current {
			d.malformed(HandlerError)
		}
	}
}
