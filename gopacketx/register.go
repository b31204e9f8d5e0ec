package gopacketx

import (
	"fmt"
	"strconv"
	"sync"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/modbus"
)

// The layer types of this package. The package keeps the numbers
// FirstLayerType to LastLayerType (1815-1830, in the range gopacket leaves to
// applications, 1000-1999, whose lookups are fast) and uses the first six.
// A DecodingLayerParser needs no registration to use them; gopacket's names
// and NewPacket decoding need [RegisterLayerTypes].
const (
	LayerTypeModbus gopacket.LayerType = 1815 + iota
	LayerTypeS7comm
	LayerTypeENIP
	LayerTypeENIPIO // CIP implicit I/O, UDP 2222
	LayerTypeDNP3
	LayerTypeIEC104
)

// The range of layer type numbers the package keeps.
const (
	FirstLayerType = LayerTypeModbus
	LastLayerType  = FirstLayerType + 15
)

// layerInfo lists the layer types with their names and NewPacket decoders.
var layerInfo = [...]struct {
	t    gopacket.LayerType
	name string
	dec  gopacket.DecodeFunc
}{
	{LayerTypeModbus, "icsdissect.Modbus", decodeModbus},
	{LayerTypeS7comm, "icsdissect.S7comm", decodeWith(func() layer { return new(S7comm) })},
	{LayerTypeENIP, "icsdissect.ENIP", decodeWith(func() layer { return new(ENIP) })},
	{LayerTypeENIPIO, "icsdissect.ENIPIO", decodeWith(func() layer { return new(ENIPIO) })},
	{LayerTypeDNP3, "icsdissect.DNP3", decodeWith(func() layer { return new(DNP3) })},
	{LayerTypeIEC104, "icsdissect.IEC104", decodeWith(func() layer { return new(IEC104) })},
}

var registerOnce struct {
	sync.Once
	err error
}

// RegisterLayerTypes registers the package's layer types with gopacket:
// their names (LayerTypeModbus.String() is "icsdissect.Modbus") and the
// decoders gopacket.NewPacket uses. It changes gopacket's global tables, so
// call it once before decoding starts; later calls do nothing and return
// the first call's result. It returns an error, and registers nothing, when
// a number of the package's range is already taken by another layer type.
//
// A DecodingLayerParser does not need it: see [RegisterPorts].
func RegisterLayerTypes() error {
	registerOnce.Do(func() {
		for _, l := range layerInfo {
			if l.t.String() != strconv.Itoa(int(l.t)) {
				registerOnce.err = fmt.Errorf("gopacketx: layer type %d is already registered as %s", int(l.t), l.t)
				return
			}
		}
		for _, l := range layerInfo {
			gopacket.RegisterLayerType(int(l.t), gopacket.LayerTypeMetadata{Name: l.name, Decoder: l.dec})
		}
	})
	return registerOnce.err
}

// Ports lists the well-known ports RegisterPorts maps to the package's
// layer types.
func Ports() []Port {
	return []Port{
		{TCP: true, Port: modbus.Port, Layer: LayerTypeModbus},
		{TCP: false, Port: modbus.Port, Layer: LayerTypeModbus},
		{TCP: true, Port: 102, Layer: LayerTypeS7comm},
		{TCP: true, Port: 44818, Layer: LayerTypeENIP},
		{TCP: false, Port: 44818, Layer: LayerTypeENIP},
		{TCP: false, Port: enip.IOPort, Layer: LayerTypeENIPIO},
		{TCP: true, Port: 20000, Layer: LayerTypeDNP3},
		{TCP: false, Port: 20000, Layer: LayerTypeDNP3},
		{TCP: true, Port: 2404, Layer: LayerTypeIEC104},
	}
}

// Port maps a TCP or UDP port to a layer type.
type Port struct {
	TCP   bool // TCP, else UDP
	Port  uint16
	Layer gopacket.LayerType
}

// RegisterPorts registers the layer types (RegisterLayerTypes) and maps the
// protocols' well-known ports (Ports) to them in gopacket's port tables,
// with layers.RegisterTCPPortLayerType and RegisterUDPPortLayerType, so that
// the TCP and UDP layers' NextLayerType picks them, in a DecodingLayerParser
// and in gopacket.NewPacket. This replaces gopacket's own choice for those
// ports (layers.ModbusTCP on TCP 502, layers.ENIP on 44818 and UDP 2222) for
// the whole program. Like every change to gopacket's tables, call it once
// before decoding starts. Another port is mapped the same way:
//
//	layers.RegisterTCPPortLayerType(5020, gopacketx.LayerTypeModbus)
//
// (and, for Modbus, set the layer's ServerPort).
func RegisterPorts() error {
	if err := RegisterLayerTypes(); err != nil {
		return err
	}
	for _, p := range Ports() {
		if p.TCP {
			layers.RegisterTCPPortLayerType(layers.TCPPort(p.Port), p.Layer)
		} else {
			layers.RegisterUDPPortLayerType(layers.UDPPort(p.Port), p.Layer)
		}
	}
	return nil
}

// layer is what the NewPacket decoders need from a layer.
type layer interface {
	gopacket.DecodingLayer
	gopacket.ApplicationLayer
}

// decodeWith returns a NewPacket decoder for the layers newLayer makes:
// each PDU of the payload becomes one layer.
func decodeWith(newLayer func() layer) gopacket.DecodeFunc {
	return func(data []byte, p gopacket.PacketBuilder) error {
		return addLayer(newLayer(), data, p)
	}
}

func addLayer(l layer, data []byte, p gopacket.PacketBuilder) error {
	if err := l.DecodeFromBytes(data, p); err != nil {
		return err
	}
	p.AddLayer(l)
	p.SetApplicationLayer(l)
	if rest := l.LayerPayload(); len(rest) > 0 {
		return p.NextDecoder(l.LayerType())
	}
	return nil
}

// decodeModbus is the NewPacket decoder of Modbus: the direction comes from
// the packet's transport layer.
func decodeModbus(data []byte, p gopacket.PacketBuilder) error {
	m := new(Modbus)
	m.Dir = modbus.DirUnknown
	if pk, ok := p.(interface {
		TransportLayer() gopacket.TransportLayer
	}); ok {
		switch t := pk.TransportLayer().(type) {
		case *layers.TCP:
			m.Dir = m.direction(uint16(t.SrcPort), uint16(t.DstPort))
		case *layers.UDP:
			m.Dir = m.direction(uint16(t.SrcPort), uint16(t.DstPort))
		}
	}
	if err := m.decode(data, p); err != nil {
		return err
	}
	p.AddLayer(m)
	p.SetApplicationLayer(m)
	if len(m.rest) > 0 {
		return p.NextDecoder(LayerTypeModbus)
	}
	return nil
}
