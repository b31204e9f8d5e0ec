package fuzz

import (
	"encoding/binary"
	"net/netip"
)

// TCP flags, as on the wire.
const (
	FlagFIN = 0x01
	FlagSYN = 0x02
	FlagRST = 0x04
	FlagPSH = 0x08
	FlagACK = 0x10
)

// Addresses of the conversations this package builds.
var (
	clientAddr = netip.AddrFrom4([4]byte{10, 0, 0, 1})
	serverAddr = netip.AddrFrom4([4]byte{10, 0, 0, 2})
)

// ClientPort is the client's port in the conversations built here.
const ClientPort = 40000

// Segment is one TCP segment of a conversation between the client
// 10.0.0.1:40000 and the server 10.0.0.2 on a protocol's port.
type Segment struct {
	ToServer bool
	Flags    uint8
	Seq, Ack uint32
	Payload  []byte
}

// AppendFrame appends s as an Ethernet frame (IPv4, TCP, checksums left
// zero as pcapx does not check them) to b, for a server on port.
func (s *Segment) AppendFrame(b []byte, port uint16) []byte {
	srcMAC, dstMAC := byte(1), byte(2)
	if !s.ToServer {
		srcMAC, dstMAC = dstMAC, srcMAC
	}
	total := min(20+20+len(s.Payload), 0xffff)
	b, sport, dport := appendIPv4(b, s.ToServer, port, 6, total, srcMAC, dstMAC)
	// TCP
	b = binary.BigEndian.AppendUint16(b, sport)
	b = binary.BigEndian.AppendUint16(b, dport)
	b = binary.BigEndian.AppendUint32(b, s.Seq)
	b = binary.BigEndian.AppendUint32(b, s.Ack)
	b = append(b, 5<<4, s.Flags, 0xff, 0xff, 0, 0, 0, 0)
	return append(b, s.Payload...)
}

// UDPFrame returns an Ethernet frame carrying payload in a UDP datagram
// between the client and the server's port.
func UDPFrame(toServer bool, port uint16, payload []byte) []byte {
	b, sport, dport := appendIPv4(nil, toServer, port, 17, 20+8+len(payload), 1, 2)
	b = binary.BigEndian.AppendUint16(b, sport)
	b = binary.BigEndian.AppendUint16(b, dport)
	b = binary.BigEndian.AppendUint16(b, uint16(8+len(payload)))
	b = append(b, 0, 0)
	return append(b, payload...)
}

// appendIPv4 appends the Ethernet header (MAC addresses ending in srcMAC
// and dstMAC) and the IPv4 header (protocol proto, total length total) of
// a packet between the client and the server, the way toServer says, and
// returns the source and destination ports of that direction.
func appendIPv4(b []byte, toServer bool, port uint16, proto uint8, total int, srcMAC, dstMAC byte) ([]byte, uint16, uint16) {
	src, dst := clientAddr, serverAddr
	sport, dport := uint16(ClientPort), port
	if !toServer {
		src, dst, sport, dport = dst, src, dport, sport
	}
	b = append(b, 0x02, 0, 0, 0, 0, dstMAC, 0x02, 0, 0, 0, 0, srcMAC, 0x08, 0x00)
	b = append(b, 0x45, 0, byte(total>>8), byte(total), 0, 0, 0x40, 0, 64, proto, 0, 0)
	s4, d4 := src.As4(), dst.As4()
	b = append(b, s4[:]...)
	b = append(b, d4[:]...)
	return b, sport, dport
}
