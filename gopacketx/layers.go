package gopacketx

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/icsdissect/icsdissect/dnp3"
	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/iec104"
	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/s7comm"
)

// pdu holds what every layer keeps besides its decoded frame: the bytes of
// the PDU it decoded and the bytes after it in the same payload.
type pdu struct {
	contents, rest []byte
}

// set records that the first n bytes of data were decoded. n beyond data
// (a decoder reporting a declared length it did not have) keeps all of it.
func (p *pdu) set(data []byte, n int) {
	if n <= 0 || n > len(data) {
		n = len(data)
	}
	p.contents, p.rest = data[:n:n], data[n:]
}

// LayerContents returns the bytes of the PDU decoded last.
func (p *pdu) LayerContents() []byte { return p.contents }

// LayerPayload returns the bytes that follow the decoded PDU in the same
// TCP segment or UDP datagram: usually none, else further PDUs, which
// DecodeFromBytes decodes when given them.
func (p *pdu) LayerPayload() []byte { return p.rest }

// Payload returns the PDU's bytes, as gopacket.ApplicationLayer wants.
func (p *pdu) Payload() []byte { return p.contents }

// NextLayerType returns gopacket.LayerTypeZero: a PDU is the last layer
// a parser decodes.
func (p *pdu) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// truncated tells df (which may be nil) that the packet is cut short.
func truncated(df gopacket.DecodeFeedback) {
	if df != nil {
		df.SetTruncated()
	}
}

// Modbus is a gopacket DecodingLayer for one Modbus ADU over TCP or UDP,
// decoded in place into Frame with modbus.Frame.Decode.
//
// A Modbus PDU's layout depends on its direction, which nothing in its bytes
// tells. Modbus takes it from the ports of the TCP or UDP layer that carried
// the ADU: toward ServerPort (modbus.Port when zero) is a request, from it
// a response, as modbus.DirectionFromPorts says. In a DecodingLayerParser
// those are the parser's own TCP and UDP layers, which [Layers.AddTo] puts
// in the TCP and UDP fields; the one whose payload holds the bytes being
// decoded (the same memory, not a copy: the whole payload, or its end for a
// second ADU in the segment) is the one that carried them. Decoded by
// gopacket.NewPacket, the packet's transport layer gives the ports. Without
// either, the direction is modbus.DirUnknown: the header, exceptions and the
// layouts that are the same both ways are decoded.
type Modbus struct {
	// Frame is the ADU decoded last. Its views alias the packet.
	Frame modbus.Frame
	// Dir is the direction Frame was decoded with.
	Dir modbus.Direction
	// ServerPort is the Modbus server's port; zero means modbus.Port.
	ServerPort uint16
	// TCP and UDP, when set, are the transport layers decoded before this
	// one in the same parser, whose ports give the direction.
	TCP *layers.TCP
	UDP *layers.UDP
	pdu
}

// LayerType returns LayerTypeModbus.
func (*Modbus) LayerType() gopacket.LayerType { return LayerTypeModbus }

// CanDecode returns LayerTypeModbus.
func (*Modbus) CanDecode() gopacket.LayerClass { return LayerTypeModbus }

// DecodeFromBytes decodes the ADU at the front of data in place. It does
// not allocate. The error is the modbus package's (modbus.ErrTruncated also
// marks the packet truncated through df).
func (m *Modbus) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if src, dst, ok := transportPorts(data, m.TCP, m.UDP); ok {
		m.Dir = m.direction(src, dst)
	} else {
		m.Dir = modbus.DirUnknown
	}
	return m.decode(data, df)
}

func (m *Modbus) direction(src, dst uint16) modbus.Direction {
	server := m.ServerPort
	if server == 0 {
		server = modbus.Port
	}
	return modbus.DirectionFromPorts(src, dst, server)
}

func (m *Modbus) decode(data []byte, df gopacket.DecodeFeedback) error {
	n, err := m.Frame.Decode(data, m.Dir)
	m.set(data, n)
	if err == modbus.ErrTruncated {
		truncated(df)
	}
	return err
}

// transportPorts returns the ports of whichever of tcp and udp carried data:
// data is its payload, or the end of it (a PDU after the first in the same
// segment), in the same memory, not a copy. A DecodingLayerParser hands a
// layer exactly the payload of the transport layer before it. A transport
// layer left from an earlier packet views other memory, unless the packet
// buffer is reused and its payload happens to end where data ends; then
// both layers match, neither can be trusted, and ok is false.
func transportPorts(data []byte, tcp *layers.TCP, udp *layers.UDP) (src, dst uint16, ok bool) {
	var t, u bool
	if tcp != nil {
		t = endsWith(tcp.Payload, data)
	}
	if udp != nil {
		u = endsWith(udp.Payload, data)
	}
	switch {
	case t && !u:
		return uint16(tcp.SrcPort), uint16(tcp.DstPort), true
	case u && !t:
		return uint16(udp.SrcPort), uint16(udp.DstPort), true
	}
	return 0, 0, false
}

// endsWith reports whether b is non-empty and is the end of a in memory.
func endsWith(a, b []byte) bool {
	return len(b) > 0 && len(b) <= len(a) && &a[len(a)-len(b)] == &b[0]
}

// S7comm is a gopacket DecodingLayer for one TPKT packet (RFC 1006) with
// its COTP header and, in a data TPDU that ends a message, the S7comm or
// S7comm-plus PDU, decoded in place into Frame with s7comm.Frame.Decode.
// A COTP message split over several TPDUs is not joined here (Frame.Kind is
// s7comm.KindFragment): an s7comm.Decoder per direction does that.
type S7comm struct {
	// Frame is the packet decoded last. Its views alias the packet.
	Frame s7comm.Frame
	pdu
}

// LayerType returns LayerTypeS7comm.
func (*S7comm) LayerType() gopacket.LayerType { return LayerTypeS7comm }

// CanDecode returns LayerTypeS7comm.
func (*S7comm) CanDecode() gopacket.LayerClass { return LayerTypeS7comm }

// DecodeFromBytes decodes the TPKT packet at the front of data in place.
// It does not allocate.
func (s *S7comm) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	n, err := s.Frame.Decode(data)
	s.set(data, n)
	if err == s7comm.ErrTruncated {
		truncated(df)
	}
	return err
}

// ENIP is a gopacket DecodingLayer for one EtherNet/IP encapsulation PDU
// (TCP or UDP 44818) and the CIP message it carries, decoded in place: the
// encapsulation into Frame (enip.Frame.Decode), and for SendRRData and
// SendUnitData the CIP payload into CIP (enip.Frame.DecodeCIP) and the
// message router request or reply into Message (enip.CIPMessage.Decode).
type ENIP struct {
	// Frame is the encapsulation PDU decoded last. Its views alias the
	// packet.
	Frame enip.Frame
	// CIP and Message hold the CIP payload and message when HasMessage
	// is set.
	CIP     enip.CIPData
	Message enip.CIPMessage
	// HasMessage reports that Frame carried a CIP message that decoded.
	HasMessage bool
	pdu
}

// LayerType returns LayerTypeENIP.
func (*ENIP) LayerType() gopacket.LayerType { return LayerTypeENIP }

// CanDecode returns LayerTypeENIP.
func (*ENIP) CanDecode() gopacket.LayerClass { return LayerTypeENIP }

// DecodeFromBytes decodes the encapsulation PDU at the front of data and
// its CIP message in place. It does not allocate. A CIP message that does
// not decode is not an error of the layer: HasMessage is false.
func (e *ENIP) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	e.HasMessage = false
	n, err := e.Frame.Decode(data)
	e.set(data, n)
	if err != nil {
		if err == enip.ErrTruncated {
			truncated(df)
		}
		return err
	}
	e.HasMessage = e.Frame.DecodeCIP(&e.CIP) && e.Message.Decode(e.CIP.Msg) == nil
	return nil
}

// ENIPIO is a gopacket DecodingLayer for one CIP implicit I/O datagram
// (UDP 2222), decoded with enip.ParseIO.
type ENIPIO struct {
	// Frame is the datagram decoded last. Its Data aliases the packet.
	Frame enip.IOFrame
	pdu
}

// LayerType returns LayerTypeENIPIO.
func (*ENIPIO) LayerType() gopacket.LayerType { return LayerTypeENIPIO }

// CanDecode returns LayerTypeENIPIO.
func (*ENIPIO) CanDecode() gopacket.LayerClass { return LayerTypeENIPIO }

// DecodeFromBytes decodes the I/O datagram data. It does not allocate.
func (e *ENIPIO) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	f, err := enip.ParseIO(data)
	e.Frame = f
	e.set(data, len(data))
	if err == enip.ErrTruncated {
		truncated(df)
	}
	return err
}

// DNP3 is a gopacket DecodingLayer for one DNP3 link frame (TCP or UDP
// 20000): the link header, with the header and block CRCs checked and
// stripped into Link's own storage; the transport header into Transport;
// and, when the segment is a whole application fragment (FIR and FIN, the
// common case), its application header into App. A fragment spread over
// several segments needs a dnp3.Conn fed with the link frames across packets.
type DNP3 struct {
	// Link is the link frame decoded last. Its UserData lives in Link
	// and is valid until the next decode.
	Link dnp3.Frame
	// Transport is the transport header, when the frame carried user
	// data (HasTransport).
	Transport    dnp3.TransportHeader
	HasTransport bool
	// App is the application fragment when HasApp is set: its Body
	// aliases Link.UserData; walk it with App.Objects.
	App    dnp3.Fragment
	HasApp bool
	pdu
}

// LayerType returns LayerTypeDNP3.
func (*DNP3) LayerType() gopacket.LayerType { return LayerTypeDNP3 }

// CanDecode returns LayerTypeDNP3.
func (*DNP3) CanDecode() gopacket.LayerClass { return LayerTypeDNP3 }

// DecodeFromBytes decodes the link frame at the front of data in place,
// and the application header of a single-segment fragment. It does not
// allocate. An application header that does not decode is not an error of
// the layer: HasApp is false.
func (d *DNP3) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	d.HasTransport, d.HasApp = false, false
	n, err := d.Link.Decode(data)
	d.set(data, n)
	if err != nil {
		if err == dnp3.ErrTruncated {
			truncated(df)
		}
		return err
	}
	d.Transport, d.HasTransport = d.Link.Transport()
	if d.HasTransport && d.Transport.FIR() && d.Transport.FIN() {
		_, err := d.App.Decode(d.Link.Segment())
		d.HasApp = err == nil
	}
	return nil
}

// IEC104 is a gopacket DecodingLayer for one IEC 60870-5-104 APDU (TCP
// 2404): the APCI and, for I-frames, the ASDU header, decoded with
// iec104.Parse into Frame; walk the information objects with
// Frame.ASDU.Objects.
type IEC104 struct {
	// Frame is the APDU decoded last. Its views alias the packet.
	Frame iec104.Frame
	pdu
}

// LayerType returns LayerTypeIEC104.
func (*IEC104) LayerType() gopacket.LayerType { return LayerTypeIEC104 }

// CanDecode returns LayerTypeIEC104.
func (*IEC104) CanDecode() gopacket.LayerClass { return LayerTypeIEC104 }

// DecodeFromBytes decodes the APDU at the front of data. It does not
// allocate.
func (c *IEC104) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	f, n, err := iec104.Parse(data)
	c.Frame = f
	c.set(data, n)
	if err == iec104.ErrTruncated {
		truncated(df)
	}
	return err
}

// Layers holds one decoding layer per protocol, so that a
// DecodingLayerParser decodes every protocol with one call to AddTo:
//
//	var ics gopacketx.Layers
//	ics.AddTo(parser, &tcp, &udp)
//
// The parser picks a layer by the TCP or UDP port, from gopacket's port
// tables: call [RegisterPorts] once first.
type Layers struct {
	Modbus Modbus
	S7comm S7comm
	ENIP   ENIP
	ENIPIO ENIPIO
	DNP3   DNP3
	IEC104 IEC104
}

// AddTo adds every layer of l to p. tcp and udp are the parser's transport
// layers (either may be nil), from whose ports Modbus takes each ADU's
// direction.
func (l *Layers) AddTo(p *gopacket.DecodingLayerParser, tcp *layers.TCP, udp *layers.UDP) {
	l.Modbus.TCP, l.Modbus.UDP = tcp, udp
	p.AddDecodingLayer(&l.Modbus)
	p.AddDecodingLayer(&l.S7comm)
	p.AddDecodingLayer(&l.ENIP)
	p.AddDecodingLayer(&l.ENIPIO)
	p.AddDecodingLayer(&l.DNP3)
	p.AddDecodingLayer(&l.IEC104)
}

// The layers are gopacket DecodingLayers and ApplicationLayers.
var (
	_ gopacket.DecodingLayer    = (*Modbus)(nil)
	_ gopacket.ApplicationLayer = (*Modbus)(nil)
	_ gopacket.DecodingLayer    = (*S7comm)(nil)
	_ gopacket.ApplicationLayer = (*S7comm)(nil)
	_ gopacket.DecodingLayer    = (*ENIP)(nil)
	_ gopacket.ApplicationLayer = (*ENIP)(nil)
	_ gopacket.DecodingLayer    = (*ENIPIO)(nil)
	_ gopacket.ApplicationLayer = (*ENIPIO)(nil)
	_ gopacket.DecodingLayer    = (*DNP3)(nil)
	_ gopacket.ApplicationLayer = (*DNP3)(nil)
	_ gopacket.DecodingLayer    = (*IEC104)(nil)
	_ gopacket.ApplicationLayer = (*IEC104)(nil)
)
