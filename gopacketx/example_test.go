package gopacketx_test

import (
	"fmt"
	"log"
	"os"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/icsdissect/icsdissect/gopacketx"
)

// Example decodes a capture that holds every protocol with gopacket's
// DecodingLayerParser: gopacket's own Ethernet, IP, TCP and UDP layers and
// the package's ICS layers, all decoded in place.
func Example() {
	// Once, before decoding: the ICS ports pick the package's layers.
	if err := gopacketx.RegisterPorts(); err != nil {
		log.Fatal(err)
	}
	var (
		eth layers.Ethernet
		ip4 layers.IPv4
		ip6 layers.IPv6
		tcp layers.TCP
		udp layers.UDP
		ics gopacketx.Layers
	)
	parser := gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &eth, &ip4, &ip6, &tcp, &udp)
	parser.IgnoreUnsupported = true
	ics.AddTo(parser, &tcp, &udp) // Modbus, S7comm, EtherNet/IP, CIP I/O, DNP3, IEC 104

	f, err := os.Open("testdata/ics.pcap")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		log.Fatal(err)
	}
	decoded := make([]gopacket.LayerType, 0, 8)
	for {
		data, _, err := r.ZeroCopyReadPacketData()
		if err != nil {
			break
		}
		if err := parser.DecodeLayers(data, &decoded); err != nil {
			fmt.Println("error:", err)
			continue
		}
		switch last := decoded[len(decoded)-1]; last {
		case gopacketx.LayerTypeModbus:
			m := &ics.Modbus
			fmt.Println(last, m.Dir, m.Frame.Function, "transaction", m.Frame.TransactionID)
		case gopacketx.LayerTypeS7comm:
			s := &ics.S7comm.Frame
			fmt.Println(last, s.Kind, s.PDU.ROSCTR)
		case gopacketx.LayerTypeENIP:
			e := &ics.ENIP
			fmt.Println(last, e.Frame.Command, e.HasMessage, e.Message.Service, "reply", e.Message.Response)
		case gopacketx.LayerTypeDNP3:
			d := &ics.DNP3
			if d.HasApp {
				fmt.Println(last, d.Link.Src, "->", d.Link.Dst, d.App.Func)
			} else { // the first of several segments: feed d.Link to a dnp3.Transport
				fmt.Println(last, d.Link.Src, "->", d.Link.Dst, "segment, first", d.Transport.FIR(), "last", d.Transport.FIN())
			}
		case gopacketx.LayerTypeIEC104:
			a := &ics.IEC104.Frame.ASDU
			fmt.Println(last, a.Type, a.Cause, "common address", a.CommonAddr)
		}
	}
	// Output:
	// icsdissect.Modbus request Read Coils transaction 1
	// icsdissect.Modbus response Read Coils transaction 1
	// icsdissect.S7comm s7comm job
	// icsdissect.S7comm s7comm ack-data
	// icsdissect.S7comm s7comm userdata
	// icsdissect.S7comm s7comm userdata
	// icsdissect.ENIP Send Unit Data true Multiple Service Packet reply false
	// icsdissect.ENIP Send Unit Data true Multiple Service Packet reply true
	// icsdissect.DNP3 100 -> 5 read
	// icsdissect.DNP3 5 -> 100 segment, first true last false
	// icsdissect.IEC104 C_SC_TA_1 Act common address 3
	// icsdissect.IEC104 C_SC_TA_1 ActCon common address 3
}
