// Package gopacketx adapts icsdissect's protocol decoders to gopacket:
// Modbus, S7comm, EtherNet/IP with CIP, CIP implicit I/O, DNP3 and IEC
// 60870-5-104 as gopacket DecodingLayers, so that a DecodingLayerParser
// decodes them beside gopacket's own layers, in place and without
// allocating per packet.
//
// # Use
//
//	gopacketx.RegisterPorts() // once, before decoding
//
//	var (
//		eth layers.Ethernet
//		ip4 layers.IPv4
//		tcp layers.TCP
//		udp layers.UDP
//		ics gopacketx.Layers
//	)
//	parser := gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &eth, &ip4, &tcp, &udp)
//	ics.AddTo(parser, &tcp, &udp)
//	...
//	err := parser.DecodeLayers(data, &decoded)
//	// decoded ends with gopacketx.LayerTypeModbus: read ics.Modbus.Frame
//
// Each layer holds the protocol package's frame (modbus.Frame,
// s7comm.Frame, enip.Frame and enip.Message, enip.IOFrame, dnp3.LinkFrame
// and dnp3.Fragment, iec104.Frame) and decodes into it in place; the frame's
// accessors and cursors then read the PDU. The same layers are gopacket
// ApplicationLayers, and gopacket.NewPacket decodes them too once the layer
// types are registered (with DecodeOptions.DecodeStreamsAsDatagrams for TCP,
// as for any of gopacket's application layers over TCP).
//
// # Layer types and registration
//
// The layer types are constants in the range FirstLayerType to
// LastLayerType (1815-1830), inside the numbers gopacket leaves to
// applications. Nothing is registered when the package loads (it has no
// init function): RegisterLayerTypes gives gopacket their names and NewPacket
// decoders, and RegisterPorts also maps the protocols' well-known ports to
// them in gopacket's port tables, replacing gopacket's own layers.ModbusTCP
// and layers.ENIP there. Both change gopacket's global tables: call them once,
// before decoding starts. RegisterLayerTypes reports an error instead of
// registering when another package took a number of the range.
//
// # Segments, not streams
//
// A layer decodes the first PDU of a TCP segment or UDP datagram:
// LayerContents holds it and LayerPayload the bytes after it (further PDUs,
// which DecodeFromBytes decodes when given them; gopacket.NewPacket makes a
// layer of each). NextLayerType is gopacket.LayerTypeZero. A PDU cut across
// segments is the protocol's ErrTruncated, and the parser's Truncated is
// set. Industrial protocols mostly send one PDU per segment, but TCP does not
// promise it: for byte streams reassembled across segments, and for request
// and response pairing, use package pcapx.
//
// Modbus needs the direction of an ADU to decode its data: the Modbus layer
// takes it from the ports of the TCP or UDP layer that carried the ADU (see
// [Modbus]). DNP3 decodes the application header of a fragment that fits in
// one link frame; longer fragments need a dnp3.Transport fed with the link
// frames. S7comm COTP messages split over TPDUs need an s7comm.Decoder.
//
// # Lifetime and allocation
//
// A layer's frame views the packet's bytes (the DNP3 layer's user data lives
// in the layer's own buffer) and is valid until the next decode and as long as
// the packet's bytes are. DecodeFromBytes allocates nothing, on error paths
// too; errors are the protocol packages' sentinel values. A Layers value
// is about 1.2 KiB: keep one per parser. gopacket.NewPacket allocates each
// layer, as it does its own.
package gopacketx
