package pcapx

import (
	"bytes"
	"encoding/binary"

	"github.com/gopacket/gopacket/layers"
)

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

// parsed is what the header walk finds in one packet, before any flow
// state is touched: how the frame is to be counted if nothing else
// happens, its link-layer facts and, for TCP or UDP on an ICS port, the
// flow key and its hash, the direction and the payload. Parsing does not
// change the Decoder, so that packets can be parsed ahead of decoding (a
// batch looks up its flows early; the parallel reader picks a worker by the
// hash).
type parsed struct {
	parsedHead
	seq, ack uint32 // TCP
	hash     uint64
	payload  []byte // the TCP or UDP payload
	key      flowKey

	// An IPv4 fragment (frag set): ip is the IP header and payload as
	// captured, the rest what reassembly needs.
	fragOff int // in bytes
	ip      []byte
	ipHL    int
}

// parsedHead is the part of parsed that every parse sets afresh; the rest
// is valid only as flow and frag say.
type parsedHead struct {
	reason Reason // malformed, if not ReasonNone; the first reason wins
	skip   Skip   // not ours, if set and the frame is not malformed
	cut    bool   // the IP length claimed more bytes than the frame holds
	flow   bool   // key, hash, tr, proto, payload (and for TCP seq, ack, flags) are set
	frag   bool   // an IPv4 fragment: fragOff, ip, ipHL are set
	// fragMore: the fragment's more-fragments flag.
	fragMore bool
	tr       Transport
	proto    Protocol
	// toServer: the packet travels toward the protocol's port.
	toServer bool
	flags    uint8 // TCP flags
	link     linkInfo
}

func (pk *parsed) malformed(r Reason) {
	if pk.reason == ReasonNone {
		pk.reason = r
	}
}

// parse walks the link, IP and transport headers of a packet of link type
// lt into pk.
func (d *Decoder) parse(pk *parsed, lt layers.LinkType, b []byte) {
	pk.parsedHead = parsedHead{}
	var et uint16
	switch lt {
	case layers.LinkTypeEthernet:
		if len(b) < 14 {
			pk.malformed(TruncatedLink)
			return
		}
		pk.link.dst = [6]byte(b[0:6])
		pk.link.src = [6]byte(b[6:12])
		et = binary.BigEndian.Uint16(b[12:14])
		b = b[14:]
	case layers.LinkTypeLinuxSLL:
		if len(b) < 16 {
			pk.malformed(TruncatedLink)
			return
		}
		if b[4] == 0 && b[5] == 6 {
			pk.link.src = [6]byte(b[6:12])
		}
		et = binary.BigEndian.Uint16(b[14:16])
		b = b[16:]
	case layers.LinkTypeLinuxSLL2:
		if len(b) < 20 {
			pk.malformed(TruncatedLink)
			return
		}
		if b[11] == 6 {
			pk.link.src = [6]byte(b[12:18])
		}
		et = binary.BigEndian.Uint16(b[0:2])
		b = b[20:]
	case layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6, 12, 14:
		if len(b) < 1 {
			pk.malformed(TruncatedIP)
			return
		}
		switch b[0] >> 4 {
		case 4:
			et = etIPv4
		case 6:
			et = etIPv6
		default:
			pk.skip = SkipNonIP
			return
		}
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		if len(b) < 4 {
			pk.malformed(TruncatedLink)
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
			pk.skip = SkipNonIP
			return
		}
	default:
		pk.skip = SkipLinkType
		return
	}
	for i := 0; et == etVLAN || et == etQinQ || et == etQinQ2; i++ {
		if len(b) < 4 {
			pk.malformed(TruncatedLink)
			return
		}
		if i == maxVLANTags {
			pk.skip = SkipNonIP
			return
		}
		if i < len(pk.link.vlan) {
			pk.link.vlan[i] = binary.BigEndian.Uint16(b[0:2]) & 0x0fff
		}
		pk.link.vlans++
		et = binary.BigEndian.Uint16(b[2:4])
		b = b[4:]
	}
	switch et {
	case etIPv4:
		d.parseIPv4(pk, b)
	case etIPv6:
		d.parseIPv6(pk, b)
	default:
		pk.skip = SkipNonIP
	}
}

func (d *Decoder) parseIPv4(pk *parsed, b []byte) {
	if len(b) < 20 {
		pk.malformed(TruncatedIP)
		return
	}
	if b[0]>>4 != 4 {
		pk.malformed(BadIPHeader)
		return
	}
	hl := int(b[0]&0x0f) * 4
	if hl < 20 {
		pk.malformed(BadIPHeader)
		return
	}
	if len(b) < hl {
		pk.malformed(TruncatedIP)
		return
	}
	total := int(binary.BigEndian.Uint16(b[2:4]))
	switch {
	case total == 0:
		// TCP segmentation offload: the stack left the length to the
		// hardware. Take what was captured.
		total = len(b)
	case total < hl:
		pk.malformed(BadIPHeader)
		return
	case total > len(b):
		// Cut short by the snap length, or a bad length field: decode the
		// bytes that are there, as tshark does.
		pk.cut = true
		total = len(b)
	}
	frag := binary.BigEndian.Uint16(b[6:8])
	if frag&0x3fff != 0 {
		// A fragment: reassembly takes it from here (see frag.go).
		pk.frag = true
		pk.fragMore = frag&0x2000 != 0
		pk.fragOff = int(frag&0x1fff) * 8
		pk.ip = b[:total]
		pk.ipHL = hl
		if pk.fragOff != 0 {
			pk.skip = SkipFragment
			return
		}
		// The first fragment: its ports pick the protocol.
		d.parseTransport(pk, b[9], b[12:16], b[16:20], b[hl:total], true)
		return
	}
	d.parseTransport(pk, b[9], b[12:16], b[16:20], b[hl:total], false)
}

func (d *Decoder) parseIPv6(pk *parsed, b []byte) {
	if len(b) < 40 {
		pk.malformed(TruncatedIP)
		return
	}
	if b[0]>>4 != 6 {
		pk.malformed(BadIPHeader)
		return
	}
	plen := int(binary.BigEndian.Uint16(b[4:6]))
	next := b[6]
	src, dst := b[8:24], b[24:40]
	b = b[40:]
	switch {
	case plen == 0:
		// Jumbo payload or offload: take what was captured.
	case plen > len(b):
		// As for IPv4: decode what was captured.
		pk.cut = true
	default:
		b = b[:plen]
	}
	fragmented := false
	for hops := 0; ; hops++ {
		if hops == 16 {
			pk.skip = SkipTransport
			return
		}
		switch next {
		case 0, 43, 60, 135, 139, 140: // hop-by-hop, routing, destination, mobility, HIP, shim6
			if len(b) < 8 {
				pk.malformed(TruncatedIP)
				return
			}
			n := (int(b[1]) + 1) * 8
			if len(b) < n {
				pk.malformed(TruncatedIP)
				return
			}
			next = b[0]
			b = b[n:]
			continue
		case 51: // authentication header
			if len(b) < 8 {
				pk.malformed(TruncatedIP)
				return
			}
			n := (int(b[1]) + 2) * 4
			if len(b) < n {
				pk.malformed(TruncatedIP)
				return
			}
			next = b[0]
			b = b[n:]
			continue
		case 44: // fragment
			if len(b) < 8 {
				pk.malformed(TruncatedIP)
				return
			}
			fo := binary.BigEndian.Uint16(b[2:4])
			if fo&0xfff8 != 0 {
				pk.skip = SkipFragment
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
	d.parseTransport(pk, next, src, dst, b, fragmented)
	if fragmented && pk.reason == ReasonNone && pk.skip == SkipNone {
		// The first fragment of an IPv6 datagram on an ICS port:
		// IPv6 fragments are not reassembled.
		pk.malformed(IPFragment)
	}
}

// parseTransport decodes TCP or UDP. src and dst are the IP addresses, 4 or
// 16 bytes. fragmented: b is the start of a fragmented datagram, whose
// ports alone are read.
func (d *Decoder) parseTransport(pk *parsed, proto uint8, src, dst []byte, b []byte, fragmented bool) {
	var tr Transport
	switch proto {
	case 6:
		tr = TCP
		if len(b) < 20 {
			if fragmented && len(b) >= 4 {
				break
			}
			pk.malformed(TruncatedTCP)
			return
		}
	case 17:
		tr = UDP
		if len(b) < 8 {
			if fragmented && len(b) >= 4 {
				break
			}
			pk.malformed(TruncatedUDP)
			return
		}
	default:
		pk.skip = SkipTransport
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
		pk.skip = SkipPort
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
		p, toServer = dp, bytes.Compare(dst, src) < 0
	}
	pk.proto, pk.tr, pk.toServer = p, tr, toServer
	if fragmented {
		return
	}
	k := &pk.key
	if toServer {
		setAddr(&k.cli, src)
		setAddr(&k.srv, dst)
		k.ports = makePorts(sport, dport, tr, len(src) == 16)
	} else {
		setAddr(&k.cli, dst)
		setAddr(&k.srv, src)
		k.ports = makePorts(dport, sport, tr, len(src) == 16)
	}
	if tr == UDP {
		ulen := int(binary.BigEndian.Uint16(b[4:6]))
		switch {
		case ulen == 0:
			ulen = len(b) // jumbogram or offload
		case ulen < 8:
			pk.malformed(BadUDPLength)
			return
		case ulen > len(b):
			pk.malformed(TruncatedUDP)
			return
		}
		pk.payload = b[8:ulen]
		if len(pk.payload) == 0 {
			pk.skip = SkipNoPayload
			return
		}
	} else {
		off := int(b[12]>>4) * 4
		if off < 20 {
			pk.malformed(BadTCPHeader)
			return
		}
		if off > len(b) {
			pk.malformed(TruncatedTCP)
			return
		}
		pk.seq = binary.BigEndian.Uint32(b[4:8])
		pk.ack = binary.BigEndian.Uint32(b[8:12])
		pk.flags = b[13]
		pk.payload = b[off:]
	}
	pk.flow = true
	pk.hash = k.hash(&d.flows.seed)
}
