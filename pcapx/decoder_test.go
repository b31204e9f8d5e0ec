package pcapx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

func modbusReq4() []byte {
	return ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: 1000, flags: fACK | fPSH, payload: modbusADU(7)}))
}

func modbusReq6(ext ...[]byte) []byte {
	return ipv6(cli6, srv6, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: 1000, flags: fACK | fPSH, payload: modbusADU(7)}), ext...)
}

// TestLinkPaths decodes one Modbus request over each link type, VLAN
// stacking, IPv4 with options and IPv6 with extension headers.
func TestLinkPaths(t *testing.T) {
	req4, req6 := modbusReq4(), modbusReq6()
	cases := []struct {
		name string
		lt   layers.LinkType
		pkt  []byte
		v6   bool
	}{
		{"ethernet", layers.LinkTypeEthernet, ethIP(req4), false},
		{"ethernet ipv6", layers.LinkTypeEthernet, ethIP(req6), true},
		{"802.1Q", layers.LinkTypeEthernet, eth(0x0800, req4, 0x8100), false},
		{"QinQ 88a8", layers.LinkTypeEthernet, eth(0x0800, req4, 0x88a8, 0x8100), false},
		{"QinQ 9100 ipv6", layers.LinkTypeEthernet, eth(0x86dd, req6, 0x9100, 0x8100), true},
		{"ipv4 options", layers.LinkTypeEthernet, ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: 1, payload: modbusADU(7)}), 1, 1, 1, 0)), false},
		{"ipv6 hop dst routing", layers.LinkTypeEthernet, ethIP(modbusReq6(extHdr(0), extHdr(60), extHdr(43))), true},
		{"ipv6 atomic fragment and AH", layers.LinkTypeEthernet, ethIP(modbusReq6([]byte{44, 0, 0, 0, 0, 0, 0, 1}, extHdr(51))), true},
		{"sll", layers.LinkTypeLinuxSLL, sll(0x0800, req4), false},
		{"sll vlan", layers.LinkTypeLinuxSLL, sll(0x8100, append([]byte{0, 100, 0x08, 0x00}, req4...)), false},
		{"sll2", layers.LinkTypeLinuxSLL2, sll2(0x86dd, req6), true},
		{"raw 101", layers.LinkTypeRaw, req4, false},
		{"raw 101 ipv6", layers.LinkTypeRaw, req6, true},
		{"raw dlt 12", 12, req4, false},
		{"raw dlt 14", 14, req6, true},
		{"ipv4 228", layers.LinkTypeIPv4, req4, false},
		{"ipv6 229", layers.LinkTypeIPv6, req6, true},
		{"null le", layers.LinkTypeNull, null(2, binary.LittleEndian, req4), false},
		{"null be", layers.LinkTypeNull, null(2, binary.BigEndian, req4), false},
		{"null ipv6 darwin", layers.LinkTypeNull, null(30, binary.LittleEndian, req6), true},
		{"null ipv6 freebsd be", layers.LinkTypeNull, null(28, binary.BigEndian, req6), true},
		{"loop", layers.LinkTypeLoop, null(2, binary.BigEndian, req4), false},
		{"loop ipv6", layers.LinkTypeLoop, null(24, binary.BigEndian, req6), true},
		{"ethernet padding", layers.LinkTypeEthernet, append(ethIP(req4), 0, 0, 0, 0), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r recorder
			d := NewDecoder(Config{Handler: r.handle, LinkType: c.lt, LinkTypeSet: true})
			if err := d.Packet(ci(0), c.pkt); err != nil {
				t.Fatal(err)
			}
			if cl, reason, skip := d.Last(); cl != Decoded {
				t.Fatalf("class %v reason %v skip %v", cl, reason, skip)
			}
			if len(r.pdus) != 1 {
				t.Fatalf("%d PDUs", len(r.pdus))
			}
			p := r.pdus[0]
			cli, srv := cli4, srv4
			if c.v6 {
				cli, srv = cli6, srv6
			}
			want := PDU{
				Frame: 1, Time: t0, Proto: Modbus, Transport: TCP,
				Src: netip.AddrPortFrom(cli, 40000), Dst: netip.AddrPortFrom(srv, 502),
				ToServer: true,
				Flow:     FlowKey{Client: netip.AddrPortFrom(cli, 40000), Server: netip.AddrPortFrom(srv, 502), Transport: TCP},
				Data:     modbusADU(7),
			}
			if !pduEqual(p, want) {
				t.Errorf("got  %+v\nwant %+v", p, want)
			}
			st := d.Stats()
			if st.Frames != 1 || st.Decoded != 1 || st.Protocols[Modbus].PDUs != 1 || st.Protocols[Modbus].Frames != 1 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func pduEqual(a, b PDU) bool {
	return a.Frame == b.Frame && a.Time.Equal(b.Time) && a.Proto == b.Proto && a.Transport == b.Transport &&
		a.Src == b.Src && a.Dst == b.Dst && a.ToServer == b.ToServer && a.Flow == b.Flow && a.Gap == b.Gap &&
		bytes.Equal(a.Data, b.Data)
}

// TestUDP delivers each UDP payload whole, in both directions, with the
// server picked by port.
func TestUDP(t *testing.T) {
	var r recorder
	d := NewDecoder(Config{Handler: r.handle})
	req := []byte{0x05, 0x64, 0x05, 0xc9, 0x01, 0x00, 0x02, 0x00}
	d.Packet(ci(0), ethIP(ipv4(cli4, srv4, 17, udpDatagram(51000, 20000, req))))
	d.Packet(ci(1), ethIP(ipv6(srv6, cli6, 17, udpDatagram(20000, 51000, req[:5]))))
	d.Packet(ci(2), ethIP(ipv4(cli4, srv4, 17, udpDatagram(51000, 20000, nil))))
	d.Packet(ci(3), ethIP(ipv4(cli4, srv4, 17, udpDatagram(2222, 2222, req))))
	d.Packet(ci(4), ethIP(ipv4(srv4, cli4, 17, udpDatagram(2222, 2222, req))))
	if len(r.pdus) != 4 {
		t.Fatalf("%d PDUs", len(r.pdus))
	}
	p := r.pdus[0]
	if p.Proto != DNP3 || p.Transport != UDP || !p.ToServer || !bytes.Equal(p.Data, req) || p.Flow.Server != netip.AddrPortFrom(srv4, 20000) {
		t.Errorf("first %+v", p)
	}
	p = r.pdus[1]
	if p.Proto != DNP3 || p.ToServer || p.Frame != 2 || !bytes.Equal(p.Data, req[:5]) || p.Flow.Server != netip.AddrPortFrom(srv6, 20000) {
		t.Errorf("second %+v", p)
	}
	// Same port on both sides: the lower address is the server, both ways.
	if r.pdus[2].Proto != ENIP || r.pdus[2].Flow != r.pdus[3].Flow || r.pdus[2].Flow.Server.Addr() != cli4 || r.pdus[2].ToServer || !r.pdus[3].ToServer {
		t.Errorf("equal ports: %+v / %+v", r.pdus[2], r.pdus[3])
	}
	st := d.Stats()
	if st.Decoded != 4 || st.NotOurs != 1 || st.NotOursBy[SkipNoPayload] != 1 {
		t.Errorf("stats %+v", st)
	}
}

// TestPorts checks both-ports-match, added and removed ports.
func TestPorts(t *testing.T) {
	var r recorder
	d := NewDecoder(Config{Handler: r.handle, Ports: []Port{{TCP, 5020, Modbus}, {TCP, 2404, Unknown}}})
	d.AddPort(UDP, 47808, S7comm)
	seg := func(sp, dp uint16) []byte {
		return ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: sp, dport: dp, seq: 1, payload: modbusADU(1)})))
	}
	d.Packet(ci(0), seg(40000, 5020))                                                        // added port
	d.Packet(ci(1), seg(40000, 2404))                                                        // removed port
	d.Packet(ci(2), seg(20000, 502))                                                         // both match: 502 is the server
	d.Packet(ci(3), ethIP(ipv4(cli4, srv4, 17, udpDatagram(47808, 40000, []byte{1, 2, 3})))) // AddPort
	if len(r.pdus) != 3 {
		t.Fatalf("%d PDUs", len(r.pdus))
	}
	if r.pdus[0].Proto != Modbus || !r.pdus[0].ToServer {
		t.Errorf("added port: %+v", r.pdus[0])
	}
	if r.pdus[1].Proto != Modbus || !r.pdus[1].ToServer || r.pdus[1].Flow.Server.Port() != 502 {
		t.Errorf("both ports: %+v", r.pdus[1])
	}
	if r.pdus[2].Proto != S7comm || r.pdus[2].ToServer {
		t.Errorf("AddPort: %+v", r.pdus[2])
	}
	if d.PortProtocol(TCP, 2404) != Unknown || d.PortProtocol(TCP, 102) != S7comm {
		t.Error("PortProtocol")
	}
	d2 := NewDecoder(Config{NoDefaultPorts: true})
	if d2.PortProtocol(TCP, 502) != Unknown {
		t.Error("NoDefaultPorts")
	}
}

// TestClassification checks that bad and foreign frames are counted with
// the right reason, once each.
func TestClassification(t *testing.T) {
	req4 := modbusReq4()
	frag := func(flags uint16, ip []byte) []byte {
		ip = bytes.Clone(ip)
		binary.BigEndian.PutUint16(ip[6:], flags)
		return ip
	}
	badIHL := bytes.Clone(req4)
	badIHL[0] = 0x44
	ihl6 := bytes.Clone(req4)
	ihl6[0] = 0x46
	badOff := bytes.Clone(req4)
	badOff[20+12] = 0x40
	smallTotal := bytes.Clone(req4)
	binary.BigEndian.PutUint16(smallTotal[2:], 10)
	badUDP := ipv4(cli4, srv4, 17, udpDatagram(40000, 502, []byte{1, 2}))
	badUDP[20+5] = 4
	longUDP := ipv4(cli4, srv4, 17, udpDatagram(40000, 502, []byte{1, 2}))
	longUDP[20+5] = 40
	ackOnly := ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: 1, flags: fACK}))
	icmp := ipv4(cli4, srv4, 1, []byte{8, 0, 0, 0, 0, 0, 0, 0})
	other := ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 80, seq: 1, payload: []byte("GET /")}))
	v6frag := ipv6(cli6, srv6, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: 1, payload: modbusADU(1)}), []byte{44, 0, 0, 1, 0, 0, 0, 1})
	v6later := ipv6(cli6, srv6, 6, []byte{1, 2, 3, 4}, []byte{44, 0, 0, 8, 0, 0, 0, 1})
	ver := bytes.Clone(req4)
	ver[0] = 0x55
	cases := []struct {
		name   string
		lt     layers.LinkType
		pkt    []byte
		class  Class
		reason Reason
		skip   Skip
	}{
		{"short ethernet", layers.LinkTypeEthernet, []byte{1, 2, 3}, Malformed, TruncatedLink, 0},
		{"short vlan", layers.LinkTypeEthernet, eth(0x8100, []byte{0, 1}), Malformed, TruncatedLink, 0},
		{"deep vlan", layers.LinkTypeEthernet, eth(0x0800, req4, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100), NotOurs, 0, SkipNonIP},
		{"short sll", layers.LinkTypeLinuxSLL, make([]byte, 15), Malformed, TruncatedLink, 0},
		{"short sll2", layers.LinkTypeLinuxSLL2, make([]byte, 19), Malformed, TruncatedLink, 0},
		{"short null", layers.LinkTypeNull, []byte{2, 0}, Malformed, TruncatedLink, 0},
		{"empty raw", layers.LinkTypeRaw, nil, Malformed, TruncatedIP, 0},
		{"raw not ip", layers.LinkTypeRaw, []byte{0x10, 0}, NotOurs, 0, SkipNonIP},
		{"null unknown family", layers.LinkTypeNull, null(7, binary.LittleEndian, req4), NotOurs, 0, SkipNonIP},
		{"arp", layers.LinkTypeEthernet, eth(0x0806, make([]byte, 28)), NotOurs, 0, SkipNonIP},
		{"802.3 llc", layers.LinkTypeEthernet, eth(0x0026, make([]byte, 38)), NotOurs, 0, SkipNonIP},
		{"link type", layers.LinkTypeIEEE802_11, req4, NotOurs, 0, SkipLinkType},
		{"short ipv4", layers.LinkTypeEthernet, eth(0x0800, req4[:19]), Malformed, TruncatedIP, 0},
		{"ipv4 version", layers.LinkTypeEthernet, eth(0x0800, ver), Malformed, BadIPHeader, 0},
		{"ipv4 ihl beyond", layers.LinkTypeEthernet, eth(0x0800, ihl6[:22]), Malformed, TruncatedIP, 0},
		{"ipv4 ihl 4", layers.LinkTypeEthernet, eth(0x0800, badIHL), Malformed, BadIPHeader, 0},
		{"ipv4 total < header", layers.LinkTypeEthernet, eth(0x0800, smallTotal), Malformed, BadIPHeader, 0},
		{"short ipv6", layers.LinkTypeEthernet, eth(0x86dd, modbusReq6()[:39]), Malformed, TruncatedIP, 0},
		{"short tcp", layers.LinkTypeRaw, ipv4(cli4, srv4, 6, make([]byte, 10)), Malformed, TruncatedTCP, 0},
		{"tcp offset 4", layers.LinkTypeRaw, badOff, Malformed, BadTCPHeader, 0},
		{"tcp offset beyond", layers.LinkTypeRaw, ipv4(cli4, srv4, 6, append([]byte{0, 1, 1, 246, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0}, make([]byte, 7)...)), Malformed, TruncatedTCP, 0},
		{"short udp", layers.LinkTypeRaw, ipv4(cli4, srv4, 17, make([]byte, 7)), Malformed, TruncatedUDP, 0},
		{"udp length 4", layers.LinkTypeRaw, badUDP, Malformed, BadUDPLength, 0},
		{"udp length beyond", layers.LinkTypeRaw, longUDP, Malformed, TruncatedUDP, 0},
		{"first fragment, held for reassembly", layers.LinkTypeRaw, frag(0x2000, req4), NotOurs, 0, SkipFragment},
		{"first fragment other port", layers.LinkTypeRaw, frag(0x2000, other), NotOurs, 0, SkipPort},
		{"later fragment", layers.LinkTypeRaw, frag(0x0010, req4), NotOurs, 0, SkipFragment},
		{"ipv6 first fragment", layers.LinkTypeRaw, v6frag, Malformed, IPFragment, 0},
		{"ipv6 later fragment", layers.LinkTypeRaw, v6later, NotOurs, 0, SkipFragment},
		{"ipv6 no next header", layers.LinkTypeRaw, ipv6(cli6, srv6, 59, nil), NotOurs, 0, SkipTransport},
		{"ipv6 ext truncated", layers.LinkTypeRaw, ipv6(cli6, srv6, 6, nil, []byte{0, 0, 1, 4}), Malformed, TruncatedIP, 0},
		{"icmp", layers.LinkTypeRaw, icmp, NotOurs, 0, SkipTransport},
		{"other port", layers.LinkTypeRaw, other, NotOurs, 0, SkipPort},
		{"ack only", layers.LinkTypeRaw, ackOnly, NotOurs, 0, SkipNoPayload},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := NewDecoder(Config{LinkType: c.lt, LinkTypeSet: true})
			d.Packet(ci(0), c.pkt)
			cl, reason, skip := d.Last()
			if cl != c.class || reason != c.reason || skip != c.skip {
				t.Errorf("got %v/%v/%v, want %v/%v/%v", cl, reason, skip, c.class, c.reason, c.skip)
			}
			st := d.Stats()
			if st.Frames != 1 || st.Decoded+st.Malformed+st.NotOurs != 1 {
				t.Errorf("stats %+v", st)
			}
			if c.class == Malformed && st.MalformedBy[c.reason] != 1 {
				t.Errorf("MalformedBy %v", st.MalformedBy)
			}
			if c.class == NotOurs && st.NotOursBy[c.skip] != 1 {
				t.Errorf("NotOursBy %v", st.NotOursBy)
			}
		})
	}
}

// TestIPLengthBeyondFrame: a frame whose IP length claims more bytes than it
// holds (snap length, or a bad length field) is decoded as far as its bytes
// go, and counted in Stats.IPTruncated; it is malformed only when the cut
// leaves no header or no payload to decode.
func TestIPLengthBeyondFrame(t *testing.T) {
	req4, req6 := modbusReq4(), modbusReq6()
	// A whole request whose IPv4 total length is too large, as in frame 20
	// of zeek-fuzz-72.pcap (35124 in a 66-byte frame).
	bigTotal := bytes.Clone(req4)
	binary.BigEndian.PutUint16(bigTotal[2:], 35124)
	bigPlen := bytes.Clone(req6)
	binary.BigEndian.PutUint16(bigPlen[4:], 9000)
	udp := ipv4(cli4, srv4, 17, udpDatagram(40000, 20000, []byte{5, 0x64, 5, 0xc9, 1, 0, 2, 0}))
	other := ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 80, seq: 1, payload: []byte("GET /")}))
	cases := []struct {
		name   string
		pkt    []byte
		class  Class
		reason Reason
		skip   Skip
		data   []byte // the PDU delivered, if any
	}{
		{"ipv4 total beyond, whole segment", bigTotal, Decoded, 0, 0, modbusADU(7)},
		{"ipv6 payload beyond, whole segment", bigPlen, Decoded, 0, 0, modbusADU(7)},
		{"ipv4 cut in payload", req4[:len(req4)-3], Decoded, 0, 0, nil},
		{"ipv6 cut in payload", req6[:len(req6)-3], Decoded, 0, 0, nil},
		{"ipv4 cut after tcp header", req4[:40], Malformed, TruncatedTCP, 0, nil},
		{"ipv6 cut after tcp header", req6[:60], Malformed, TruncatedTCP, 0, nil},
		{"ipv4 cut in tcp header", req4[:30], Malformed, TruncatedTCP, 0, nil},
		{"ipv4 cut in udp payload", udp[:len(udp)-1], Malformed, TruncatedUDP, 0, nil},
		{"ipv4 cut, other port", other[:len(other)-2], NotOurs, 0, SkipPort, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r recorder
			d := NewDecoder(Config{Handler: r.handle, LinkType: layers.LinkTypeRaw, LinkTypeSet: true})
			d.Packet(ci(0), c.pkt)
			if cl, reason, skip := d.Last(); cl != c.class || reason != c.reason || skip != c.skip {
				t.Errorf("got %v/%v/%v, want %v/%v/%v", cl, reason, skip, c.class, c.reason, c.skip)
			}
			if st := d.Stats(); st.IPTruncated != 1 || st.Frames != 1 || st.Decoded+st.Malformed+st.NotOurs != 1 {
				t.Errorf("stats %+v", st)
			}
			switch {
			case c.data == nil && len(r.pdus) != 0:
				t.Errorf("PDU %+v", r.pdus[0])
			case c.data != nil && (len(r.pdus) != 1 || !bytes.Equal(r.pdus[0].Data, c.data)):
				t.Errorf("PDUs %+v, want %x", r.pdus, c.data)
			}
		})
	}
	// A cut segment leaves a hole in the stream: the next PDU comes after
	// a gap.
	var r recorder
	d := NewDecoder(Config{Handler: r.handle, LinkType: layers.LinkTypeRaw, LinkTypeSet: true})
	d.Packet(ci(0), req4[:len(req4)-3])
	next := ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502, seq: 1000 + uint32(len(modbusADU(7))), flags: fACK | fPSH, payload: modbusADU(8)}))
	d.Packet(ci(1), next)
	if len(r.pdus) != 1 || !r.pdus[0].Gap || !bytes.Equal(r.pdus[0].Data, modbusADU(8)) {
		t.Errorf("after the cut: %+v", r.pdus)
	}
	if st := d.Stats(); st.IPTruncated != 1 || st.Protocols[Modbus].Gaps != 1 || st.Decoded != 2 {
		t.Errorf("stats %+v", st)
	}
}

// TestHandlerErrors: a handler error marks the frame malformed ("pdu") and
// decoding goes on; ErrStop stops it.
func TestHandlerErrors(t *testing.T) {
	fail := errors.New("bad pdu")
	n := 0
	d := NewDecoder(Config{Handler: func(p *PDU) error {
		n++
		if n == 1 {
			return fail
		}
		if n == 3 {
			return ErrStop
		}
		return nil
	}})
	pkt := ethIP(ipv4(cli4, srv4, 17, udpDatagram(40000, 502, modbusADU(1))))
	if err := d.Packet(ci(0), pkt); err != nil {
		t.Fatal(err)
	}
	if cl, r, _ := d.Last(); cl != Malformed || r != HandlerError || r.String() != "pdu" {
		t.Errorf("got %v %v", cl, r)
	}
	if err := d.Packet(ci(1), pkt); err != nil {
		t.Fatal(err)
	}
	if err := d.Packet(ci(2), pkt); !errors.Is(err, ErrStop) {
		t.Fatalf("got %v, want ErrStop", err)
	}
	st := d.Stats()
	if st.Malformed != 1 || st.Decoded != 2 || st.Protocols[Modbus].HandlerErrors != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestStrings(t *testing.T) {
	for r := Reason(0); r <= NumReasons; r++ {
		if r.String() == "" || r.Error() == "" {
			t.Errorf("reason %d has no name", r)
		}
	}
	for s := Skip(0); s <= NumSkips; s++ {
		if s.String() == "" {
			t.Errorf("skip %d has no name", s)
		}
	}
	for c := Class(0); c <= Malformed+1; c++ {
		if c.String() == "" {
			t.Errorf("class %d has no name", c)
		}
	}
	if Reason(HandlerError).String() != "pdu" || IPFragment.String() != "ip fragment" || NotOurs.String() != "not ours" {
		t.Error("names")
	}
}
