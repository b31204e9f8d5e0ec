package pcapx

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Hand-built packets for the tests. Checksums are left zero: pcapx does not
// check them.

var (
	cli4 = netip.MustParseAddr("10.0.0.1")
	srv4 = netip.MustParseAddr("10.0.0.2")
	cli6 = netip.MustParseAddr("2001:db8::1")
	srv6 = netip.MustParseAddr("2001:db8::2")
)

// tcpSeg is a TCP segment to build.
type tcpSeg struct {
	src, dst     netip.Addr
	sport, dport uint16
	seq, ack     uint32
	flags        uint8
	payload      []byte
}

const (
	fACK = 0x10
	fPSH = 0x08
)

func tcpHeader(s tcpSeg) []byte {
	h := make([]byte, 20, 20+len(s.payload))
	binary.BigEndian.PutUint16(h[0:], s.sport)
	binary.BigEndian.PutUint16(h[2:], s.dport)
	binary.BigEndian.PutUint32(h[4:], s.seq)
	binary.BigEndian.PutUint32(h[8:], s.ack)
	h[12] = 5 << 4
	h[13] = s.flags
	binary.BigEndian.PutUint16(h[14:], 65535)
	return append(h, s.payload...)
}

func udpDatagram(sport, dport uint16, payload []byte) []byte {
	h := make([]byte, 8, 8+len(payload))
	binary.BigEndian.PutUint16(h[0:], sport)
	binary.BigEndian.PutUint16(h[2:], dport)
	binary.BigEndian.PutUint16(h[4:], uint16(8+len(payload)))
	return append(h, payload...)
}

// ipv4 wraps an L4 payload in an IPv4 header with the given options.
func ipv4(src, dst netip.Addr, proto uint8, l4 []byte, opts ...byte) []byte {
	hl := 20 + len(opts)
	h := make([]byte, hl, hl+len(l4))
	h[0] = 0x40 | byte(hl/4)
	binary.BigEndian.PutUint16(h[2:], uint16(hl+len(l4)))
	h[6] = 0x40 // DF
	h[8] = 64
	h[9] = proto
	s, d := src.As4(), dst.As4()
	copy(h[12:], s[:])
	copy(h[16:], d[:])
	copy(h[20:], opts)
	return append(h, l4...)
}

// ipv6 wraps an L4 payload in an IPv6 header, with extension headers given
// as (next header, body) pairs in order.
func ipv6(src, dst netip.Addr, proto uint8, l4 []byte, ext ...[]byte) []byte {
	var body []byte
	next := proto
	// Build extension headers from the innermost out.
	for i := len(ext) - 1; i >= 0; i-- {
		e := append([]byte{next}, ext[i][1:]...)
		next = ext[i][0]
		body = append(e, body...)
	}
	body = append(body, l4...)
	h := make([]byte, 40, 40+len(body))
	h[0] = 0x60
	binary.BigEndian.PutUint16(h[4:], uint16(len(body)))
	h[6] = next
	h[7] = 64
	s, d := src.As16(), dst.As16()
	copy(h[8:], s[:])
	copy(h[24:], d[:])
	return append(h, body...)
}

// extHdr returns an 8-byte IPv6 extension header of type typ: its first
// byte is the type here and is replaced by the next header by ipv6.
func extHdr(typ uint8) []byte { return []byte{typ, 0, 1, 4, 0, 0, 0, 0} }

func eth(et uint16, payload []byte, vlans ...uint16) []byte {
	h := []byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}
	for _, tpid := range vlans {
		h = binary.BigEndian.AppendUint16(h, tpid)
		h = binary.BigEndian.AppendUint16(h, 100)
	}
	h = binary.BigEndian.AppendUint16(h, et)
	return append(h, payload...)
}

func ethIP(ip []byte) []byte {
	if ip[0]>>4 == 6 {
		return eth(0x86dd, ip)
	}
	return eth(0x0800, ip)
}

func sll(et uint16, payload []byte) []byte {
	h := []byte{0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0}
	h = binary.BigEndian.AppendUint16(h, et)
	return append(h, payload...)
}

func sll2(et uint16, payload []byte) []byte {
	h := binary.BigEndian.AppendUint16(nil, et)
	h = append(h, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0)
	return append(h, payload...)
}

func null(fam uint32, order binary.AppendByteOrder, payload []byte) []byte {
	h := order.AppendUint32(nil, fam)
	return append(h, payload...)
}

// modbusADU returns a Modbus/TCP read holding registers request.
func modbusADU(tid uint16) []byte {
	return []byte{byte(tid >> 8), byte(tid), 0, 0, 0, 6, 1, 3, 0, 0, 0, 10}
}

// lenSplit is a test Split: PDUs are a 1-byte length n and n bytes; a byte
// 0xff is garbage to skip; at EOF a partial PDU is returned as a token.
func lenSplit(p Protocol, data []byte, atEOF bool) (int, []byte, error) {
	if data[0] == 0xff {
		i := 1
		for i < len(data) && data[i] == 0xff {
			i++
		}
		return i, nil, nil
	}
	n := 1 + int(data[0])
	if n <= len(data) {
		return n, data[:n], nil
	}
	if atEOF {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// lpdu returns a lenSplit PDU with n bytes of value v.
func lpdu(n int, v byte) []byte {
	return append([]byte{byte(n)}, bytes.Repeat([]byte{v}, n)...)
}

// recorder collects delivered PDUs, copying their data.
type recorder struct {
	pdus []PDU
}

func (r *recorder) handle(p *PDU) error {
	q := *p
	q.Data = bytes.Clone(p.Data)
	r.pdus = append(r.pdus, q)
	return nil
}

var t0 = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

func ci(i int) gopacket.CaptureInfo {
	return gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Millisecond)}
}

// pcapFile writes packets as a little-endian microsecond pcap file.
func pcapFile(lt layers.LinkType, pkts ...[]byte) []byte {
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, 0xa1b2c3d4)
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = binary.LittleEndian.AppendUint16(b, 4)
	b = append(b, make([]byte, 8)...)
	b = binary.LittleEndian.AppendUint32(b, 65535)
	b = binary.LittleEndian.AppendUint32(b, uint32(lt))
	for i, p := range pkts {
		ts := t0.Add(time.Duration(i) * time.Millisecond)
		b = binary.LittleEndian.AppendUint32(b, uint32(ts.Unix()))
		b = binary.LittleEndian.AppendUint32(b, uint32(ts.Nanosecond()/1000))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	return b
}

// ngBlock appends a pcapng block.
func ngBlock(b []byte, order binary.AppendByteOrder, typ uint32, body []byte) []byte {
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	total := uint32(12 + len(body))
	b = order.AppendUint32(b, typ)
	b = order.AppendUint32(b, total)
	b = append(b, body...)
	return order.AppendUint32(b, total)
}

// ngPacket is a packet for pcapngFile: the interface it was captured on.
type ngPacket struct {
	iface int
	data  []byte
}

// pcapngFile writes a pcapng file with one interface per link type
// (nanosecond resolution on the second and later ones) and the packets as
// enhanced packet blocks, plus a name resolution block and a statistics
// block that are not packets.
func pcapngFile(order binary.AppendByteOrder, lts []layers.LinkType, pkts ...ngPacket) []byte {
	shb := order.AppendUint32(nil, 0x1a2b3c4d)
	shb = order.AppendUint16(shb, 1)
	shb = order.AppendUint16(shb, 0)
	shb = order.AppendUint64(shb, ^uint64(0))
	b := ngBlock(nil, order, 0x0a0d0d0a, shb)
	for i, lt := range lts {
		idb := order.AppendUint16(nil, uint16(lt))
		idb = order.AppendUint16(idb, 0)
		idb = order.AppendUint32(idb, 0)
		if i > 0 {
			idb = order.AppendUint16(idb, 9)
			idb = order.AppendUint16(idb, 1)
			idb = append(idb, 9, 0, 0, 0)
		}
		idb = order.AppendUint16(idb, 0)
		idb = order.AppendUint16(idb, 0)
		b = ngBlock(b, order, 1, idb)
	}
	b = ngBlock(b, order, 4, []byte{0, 0, 0, 0}) // name resolution, empty
	for i, p := range pkts {
		ts := uint64(t0.Add(time.Duration(i)*time.Millisecond).UnixNano() / 1000)
		if p.iface > 0 {
			ts *= 1000
		}
		epb := order.AppendUint32(nil, uint32(p.iface))
		epb = order.AppendUint32(epb, uint32(ts>>32))
		epb = order.AppendUint32(epb, uint32(ts))
		epb = order.AppendUint32(epb, uint32(len(p.data)))
		epb = order.AppendUint32(epb, uint32(len(p.data)))
		epb = append(epb, p.data...)
		b = ngBlock(b, order, 6, epb)
	}
	return ngBlock(b, order, 5, make([]byte, 12)) // interface statistics
}
