package gopacketx

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/pcapx"
)

// parser is a DecodingLayerParser over gopacket's L2-L4 layers and ours.
type parser struct {
	eth     layers.Ethernet
	ip4     layers.IPv4
	ip6     layers.IPv6
	tcp     layers.TCP
	udp     layers.UDP
	ics     Layers
	p       *gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
}

func newParser(t testing.TB) *parser {
	t.Helper()
	require.NoError(t, RegisterPorts())
	x := &parser{decoded: make([]gopacket.LayerType, 0, 8)}
	x.p = gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &x.eth, &x.ip4, &x.ip6, &x.tcp, &x.udp)
	x.p.IgnoreUnsupported = true
	x.ics.AddTo(x.p, &x.tcp, &x.udp)
	return x
}

// decode returns the last layer type decoded and the error.
func (x *parser) decode(data []byte) (gopacket.LayerType, error) {
	err := x.p.DecodeLayers(data, &x.decoded)
	if len(x.decoded) == 0 {
		return gopacket.LayerTypeZero, err
	}
	return x.decoded[len(x.decoded)-1], err
}

// streams are the NewPacket options under which TCP payloads are decoded.
var streams = gopacket.DecodeOptions{NoCopy: true, DecodeStreamsAsDatagrams: true}

type packet struct {
	data []byte
	ci   gopacket.CaptureInfo
}

func readPackets(t testing.TB, file string) (pkts []packet, lt layers.LinkType) {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	r, err := pcapx.NewReader(f)
	require.NoError(t, err)
	for {
		data, ci, plt, err := r.ReadPacket()
		if err == io.EOF {
			return pkts, lt
		}
		require.NoError(t, err)
		lt = plt
		pkts = append(pkts, packet{append([]byte(nil), data...), ci})
	}
}

// TestSample decodes the sample capture packet by packet and checks what
// each layer holds.
func TestSample(t *testing.T) {
	x := newParser(t)
	pkts, _ := readPackets(t, "testdata/ics.pcap")
	want := []gopacket.LayerType{
		LayerTypeModbus, LayerTypeModbus, LayerTypeS7comm, LayerTypeS7comm, LayerTypeS7comm, LayerTypeS7comm,
		LayerTypeENIP, LayerTypeENIP, LayerTypeDNP3, LayerTypeDNP3, LayerTypeIEC104, LayerTypeIEC104,
	}
	require.Len(t, pkts, len(want))
	for i, p := range pkts {
		last, err := x.decode(p.data)
		require.NoError(t, err, "packet %d", i+1)
		require.Equal(t, want[i], last, "packet %d", i+1)
		var l gopacket.Layer
		switch last {
		case LayerTypeModbus:
			l = &x.ics.Modbus
			wantDir := modbus.Request
			if i == 1 {
				wantDir = modbus.Response
			}
			assert.Equal(t, wantDir, x.ics.Modbus.Dir, "packet %d", i+1)
			assert.Equal(t, modbus.ReadCoils, x.ics.Modbus.Frame.Function)
		case LayerTypeS7comm:
			l = &x.ics.S7comm
		case LayerTypeENIP:
			l = &x.ics.ENIP
			assert.True(t, x.ics.ENIP.HasMessage)
		case LayerTypeDNP3:
			l = &x.ics.DNP3
			assert.Equal(t, i == 8, x.ics.DNP3.HasApp, "packet %d", i+1)
			assert.True(t, x.ics.DNP3.HasTransport)
		case LayerTypeIEC104:
			l = &x.ics.IEC104
			assert.True(t, x.ics.IEC104.Frame.HasASDU())
		}
		assert.Equal(t, x.tcp.Payload, l.LayerContents(), "packet %d: one PDU per segment", i+1)
		assert.Empty(t, l.LayerPayload())
		assert.True(t, testkit.Inside(l.LayerContents(), p.data))
		assert.Equal(t, last, l.LayerType())
	}
}

// TestZeroAllocs: decoding through a DecodingLayerParser with the ICS layers
// allocates nothing, error paths included.
func TestZeroAllocs(t *testing.T) {
	x := newParser(t)
	pkts, _ := readPackets(t, "testdata/ics.pcap")
	var cases []testkit.AllocCase
	for i, p := range pkts {
		cases = append(cases, testkit.AllocCase{Name: fmt.Sprint("packet ", i+1), Fn: func() { x.decode(p.data) }})
	}
	// Cut PDUs: the layers' errors.
	for i, p := range pkts {
		cut := p.data[:len(p.data)-1]
		cases = append(cases, testkit.AllocCase{Name: fmt.Sprint("cut packet ", i+1), Fn: func() { x.decode(cut) }})
	}
	var l Layers
	raw := [][]byte{{}, {0x03, 0x00}, {0xff, 0xff, 0xff}}
	for i, b := range raw {
		cases = append(cases,
			testkit.AllocCase{Name: "modbus bad " + fmt.Sprint(i), Fn: func() { l.Modbus.DecodeFromBytes(b, gopacket.NilDecodeFeedback) }},
			testkit.AllocCase{Name: "s7comm bad " + fmt.Sprint(i), Fn: func() { l.S7comm.DecodeFromBytes(b, gopacket.NilDecodeFeedback) }},
			testkit.AllocCase{Name: "enip bad " + fmt.Sprint(i), Fn: func() { l.ENIP.DecodeFromBytes(b, gopacket.NilDecodeFeedback) }},
			testkit.AllocCase{Name: "enipio bad " + fmt.Sprint(i), Fn: func() { l.ENIPIO.DecodeFromBytes(b, nil) }},
			testkit.AllocCase{Name: "dnp3 bad " + fmt.Sprint(i), Fn: func() { l.DNP3.DecodeFromBytes(b, nil) }},
			testkit.AllocCase{Name: "iec104 bad " + fmt.Sprint(i), Fn: func() { l.IEC104.DecodeFromBytes(b, nil) }},
		)
	}
	testkit.ZeroAllocs(t, cases)
}

// TestTruncated: a PDU cut short is the protocol's ErrTruncated and marks
// the parser's Truncated.
func TestTruncated(t *testing.T) {
	x := newParser(t)
	pkts, _ := readPackets(t, "testdata/ics.pcap")
	for i, p := range pkts {
		// gopacket's IP layer trims its payload to what the frame holds.
		_, err := x.decode(p.data[:len(p.data)-3])
		require.Error(t, err, "packet %d", i+1)
		assert.True(t, x.p.Truncated, "packet %d", i+1)
		assert.Contains(t, err.Error(), "truncated", "packet %d", i+1)
	}
}

// TestDirection: Modbus takes its direction from the transport layer whose
// payload it decodes, never from a stale one.
func TestDirection(t *testing.T) {
	adu := testkit.Hex("0001 0000 0006 04 01 0000 0001")
	var tcp layers.TCP
	var udp layers.UDP
	m := Modbus{TCP: &tcp, UDP: &udp}

	tcp.SrcPort, tcp.DstPort, tcp.Payload = 40000, 502, adu
	require.NoError(t, m.DecodeFromBytes(adu, nil))
	assert.Equal(t, modbus.Request, m.Dir)

	udp.SrcPort, udp.DstPort, udp.Payload = 502, 40000, adu[:len(adu):len(adu)]
	require.NoError(t, m.DecodeFromBytes(adu, nil))
	assert.Equal(t, modbus.DirUnknown, m.Dir, "both layers view the same bytes: neither is trusted")

	other := append([]byte(nil), adu...)
	udp.Payload = other
	require.NoError(t, m.DecodeFromBytes(other, nil))
	assert.Equal(t, modbus.Response, m.Dir, "UDP from port 502")

	m.ServerPort = 5020
	tcp.SrcPort, tcp.DstPort, tcp.Payload = 40000, 5020, adu
	udp.Payload = nil
	require.NoError(t, m.DecodeFromBytes(adu, nil))
	assert.Equal(t, modbus.Request, m.Dir)

	var lone Modbus
	require.NoError(t, lone.DecodeFromBytes(adu, nil))
	assert.Equal(t, modbus.DirUnknown, lone.Dir)
}

// twoADUs is an Ethernet/IPv4/TCP packet to port 502 holding two Modbus
// requests.
func twoADUs(t *testing.T) []byte {
	t.Helper()
	eth := &layers.Ethernet{SrcMAC: make([]byte, 6), DstMAC: make([]byte, 6), EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: []byte{10, 0, 0, 1}, DstIP: []byte{10, 0, 0, 2}}
	tcp := &layers.TCP{SrcPort: 40000, DstPort: 502, Seq: 1, DataOffset: 5, ACK: true, PSH: true, Window: 1000}
	require.NoError(t, tcp.SetNetworkLayerForChecksum(ip))
	payload := testkit.Hex("0001 0000 0006 04 03 0000 000a  0002 0000 0006 04 04 0010 0002")
	buf := gopacket.NewSerializeBuffer()
	require.NoError(t, gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		eth, ip, tcp, gopacket.Payload(payload)))
	return buf.Bytes()
}

// TestSeveralPDUs: a segment with two ADUs. The parser decodes the first
// and leaves the second in LayerPayload; NewPacket makes a layer of each.
func TestSeveralPDUs(t *testing.T) {
	data := twoADUs(t)
	x := newParser(t)
	last, err := x.decode(data)
	require.NoError(t, err)
	require.Equal(t, LayerTypeModbus, last)
	assert.Equal(t, modbus.ReadHoldingRegisters, x.ics.Modbus.Frame.Function)
	assert.Len(t, x.ics.Modbus.LayerContents(), 12)
	rest := x.ics.Modbus.LayerPayload()
	require.Len(t, rest, 12)
	require.NoError(t, x.ics.Modbus.DecodeFromBytes(rest, x.p))
	assert.Equal(t, modbus.ReadInputRegisters, x.ics.Modbus.Frame.Function)
	assert.Equal(t, modbus.Request, x.ics.Modbus.Dir, "the rest ends the TCP payload")
	require.NoError(t, x.ics.Modbus.DecodeFromBytes(append([]byte(nil), rest...), x.p))
	assert.Equal(t, modbus.DirUnknown, x.ics.Modbus.Dir, "a copy: no direction")

	pkt := gopacket.NewPacket(data, layers.LayerTypeEthernet, streams)
	require.Nil(t, pkt.ErrorLayer())
	var fcs []modbus.FunctionCode
	for _, l := range pkt.Layers() {
		if m, ok := l.(*Modbus); ok {
			assert.Equal(t, modbus.Request, m.Dir)
			fcs = append(fcs, m.Frame.Function)
		}
	}
	assert.Equal(t, []modbus.FunctionCode{modbus.ReadHoldingRegisters, modbus.ReadInputRegisters}, fcs)
	assert.IsType(t, &Modbus{}, pkt.ApplicationLayer())
}

// TestNewPacket decodes the sample with gopacket.NewPacket: each packet's
// application layer is the package's layer, with the same result as the
// parser's.
func TestNewPacket(t *testing.T) {
	x := newParser(t)
	pkts, _ := readPackets(t, "testdata/ics.pcap")
	for i, p := range pkts {
		last, err := x.decode(p.data)
		require.NoError(t, err)
		pkt := gopacket.NewPacket(p.data, layers.LayerTypeEthernet, streams)
		require.Nil(t, pkt.ErrorLayer(), "packet %d", i+1)
		app := pkt.ApplicationLayer()
		require.NotNil(t, app, "packet %d", i+1)
		l := app.(gopacket.Layer)
		assert.Equal(t, last, l.LayerType(), "packet %d", i+1)
		assert.Equal(t, last.String(), l.LayerType().String())
		switch v := l.(type) {
		case *Modbus:
			assert.Equal(t, x.ics.Modbus.Frame, v.Frame)
			assert.Equal(t, x.ics.Modbus.Dir, v.Dir)
		case *S7comm:
			assert.Equal(t, x.ics.S7comm.Frame, v.Frame)
		case *ENIP:
			assert.Equal(t, x.ics.ENIP.Message, v.Message)
		case *DNP3:
			assert.Equal(t, x.ics.DNP3.Link.LinkHeader, v.Link.LinkHeader)
			assert.Equal(t, x.ics.DNP3.HasApp, v.HasApp)
		case *IEC104:
			assert.Equal(t, x.ics.IEC104.Frame, v.Frame)
		default:
			t.Fatalf("packet %d: application layer %T", i+1, l)
		}
	}
}

// TestRegister: registering twice is fine; the names are gopacket's; the
// ports map to the layers.
func TestRegister(t *testing.T) {
	require.NoError(t, RegisterLayerTypes())
	require.NoError(t, RegisterPorts())
	assert.Equal(t, "icsdissect.Modbus", LayerTypeModbus.String())
	assert.Equal(t, "icsdissect.IEC104", LayerTypeIEC104.String())
	for _, p := range Ports() {
		assert.True(t, p.Layer >= FirstLayerType && p.Layer <= LastLayerType)
		if p.TCP {
			assert.Equal(t, p.Layer, layers.TCPPort(p.Port).LayerType())
		} else {
			assert.Equal(t, p.Layer, layers.UDPPort(p.Port).LayerType())
		}
	}
	assert.Less(t, int(LastLayerType), 2000)
	assert.GreaterOrEqual(t, int(FirstLayerType), 1000)
}

// TestCorpus decodes every Ethernet capture of ../shared/captures through a
// parser with the ICS layers: no panic, and each PDU that fills a segment
// is decoded by the layer its port picks.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../shared/captures/*/*.pcap*")
	if len(files) == 0 {
		t.Skip("no corpus in ../../shared/captures")
	}
	x := newParser(t)
	x.p.IgnorePanic = true // a panic must fail the test, not become an error
	counts := map[gopacket.LayerType]int{}
	for _, file := range files {
		pkts, lt := readPackets(t, file)
		if lt != layers.LinkTypeEthernet {
			continue
		}
		for _, p := range pkts {
			last, err := x.decode(p.data)
			if last >= FirstLayerType && last <= LastLayerType {
				counts[last]++
				_ = err
			}
		}
	}
	t.Logf("layers decoded: %v", counts)
	for _, lt := range []gopacket.LayerType{LayerTypeModbus, LayerTypeS7comm, LayerTypeENIP, LayerTypeENIPIO, LayerTypeDNP3, LayerTypeIEC104} {
		assert.Positive(t, counts[lt], lt.String())
	}
}

// FuzzLayers: every layer decodes any bytes without panicking, and what it
// keeps views them.
func FuzzLayers(f *testing.F) {
	pkts, _ := readPackets(f, "testdata/ics.pcap")
	for _, p := range pkts {
		if len(p.data) > 54 {
			f.Add(p.data[54:]) // past Ethernet, IPv4 and TCP without options
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var l Layers
		var tcp layers.TCP
		tcp.SrcPort, tcp.DstPort, tcp.Payload = 40000, 502, b
		l.Modbus.TCP = &tcp
		for _, d := range []interface {
			gopacket.DecodingLayer
			gopacket.Layer
		}{&l.Modbus, &l.S7comm, &l.ENIP, &l.ENIPIO, &l.DNP3, &l.IEC104} {
			d.DecodeFromBytes(b, gopacket.NilDecodeFeedback)
			if !testkit.Inside(d.LayerContents(), b) || !testkit.Inside(d.LayerPayload(), b) {
				t.Fatalf("%v: views outside the input", d.LayerType())
			}
			if len(d.LayerContents())+len(d.LayerPayload()) != len(b) {
				t.Fatalf("%v: contents and payload do not add up to the input", d.LayerType())
			}
		}
	})
}
