package pcapx_test

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/icsdissect/icsdissect/pcapx"
)

// tinyCapture builds a pcap file with one Ethernet/IPv4/TCP packet that
// carries two Modbus/TCP requests to port 502.
func tinyCapture() []byte {
	adu := func(tid byte) []byte { return []byte{0, tid, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10} }
	payload := append(adu(1), adu(2)...)
	tcp := make([]byte, 20)
	binary.BigEndian.PutUint16(tcp[0:], 40000)
	binary.BigEndian.PutUint16(tcp[2:], 502)
	tcp[12], tcp[13] = 5<<4, 0x18
	ip := []byte{0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2}
	binary.BigEndian.PutUint16(ip[2:], uint16(20+20+len(payload)))
	frame := append([]byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0}, ip...)
	frame = append(append(frame, tcp...), payload...)

	var b []byte
	for _, v := range []uint32{0xa1b2c3d4, 4<<16 | 2, 0, 0, 65535, 1} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	for _, v := range []uint32{1700000000, 0, uint32(len(frame)), uint32(len(frame))} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return append(b, frame...)
}

func Example() {
	cfg := pcapx.Config{
		Handler: func(p *pcapx.PDU) error {
			fmt.Printf("frame %d %v %v %v -> %v toServer=%v vlans=%d % x\n",
				p.Frame, p.Proto, p.Transport, p.Src, p.Dst, p.ToServer, p.VLANs, p.Data[:2])
			fmt.Printf("  %x -> %x\n", p.SrcMAC, p.DstMAC)
			return nil
		},
	}
	st, err := pcapx.Read(bytes.NewReader(tinyCapture()), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("frames %d, decoded %d, modbus PDUs %d\n", st.Frames, st.Decoded, st.Protocols[pcapx.Modbus].PDUs)
	// Output:
	// frame 1 modbus tcp 10.0.0.1:40000 -> 10.0.0.2:502 toServer=true vlans=0 00 01
	//   020000000001 -> 020000000002
	// frame 1 modbus tcp 10.0.0.1:40000 -> 10.0.0.2:502 toServer=true vlans=0 00 02
	//   020000000001 -> 020000000002
	// frames 1, decoded 1, modbus PDUs 2
}

// A Decoder takes packets one at a time, from any source, and has a port
// table of its own.
func ExampleDecoder_AddPort() {
	d := pcapx.NewDecoder(pcapx.Config{})
	d.AddPort(pcapx.TCP, 5020, pcapx.Modbus)
	fmt.Println(d.PortProtocol(pcapx.TCP, 5020), d.PortProtocol(pcapx.TCP, 102), d.PortProtocol(pcapx.UDP, 102))
	// Output: modbus s7comm unknown
}

// conn is a caller's per-flow state, such as a protocol package's Conn.
type conn struct {
	pdus, bytes int
}

// A handler keeps its per-flow state in the flow's slot, PDU.State, with
// no map of its own. OnFlow sees each flow start and end; at the end the
// state is read out and goes back to a free list, so that a capture with
// many flows allocates per-flow state only for the most flows alive at
// once.
func Example_flowState() {
	var free []*conn
	cfg := pcapx.Config{
		Handler: func(p *pcapx.PDU) error {
			c, _ := (*p.State).(*conn)
			if c == nil {
				if n := len(free); n > 0 {
					c, free = free[n-1], free[:n-1]
				} else {
					c = new(conn)
				}
				*p.State = c // a pointer in an interface: no allocation
			}
			c.pdus++
			c.bytes += len(p.Data)
			return nil
		},
		OnFlow: func(e *pcapx.FlowEvent) {
			if e.Kind == pcapx.FlowStart {
				fmt.Printf("%v flow %v -> %v starts at frame %d\n", e.Proto, e.Flow.Client, e.Flow.Server, e.Frame)
				return
			}
			c, ok := (*e.State).(*conn)
			if !ok {
				return // no PDU stored anything
			}
			fmt.Printf("%v flow %v -> %v ends (%v): %d PDUs, %d bytes\n", e.Proto, e.Flow.Client, e.Flow.Server, e.Reason, c.pdus, c.bytes)
			*c = conn{}
			free = append(free, c)
		},
	}
	if _, err := pcapx.Read(bytes.NewReader(tinyCapture()), cfg); err != nil {
		fmt.Println(err)
	}
	// Output:
	// modbus flow 10.0.0.1:40000 -> 10.0.0.2:502 starts at frame 1
	// modbus flow 10.0.0.1:40000 -> 10.0.0.2:502 ends (end of input): 2 PDUs, 24 bytes
}

// With Workers, a capture is decoded by several goroutines, each flow by
// one of them. Worker gives each its own handler and counts, which are
// added up at the end: no lock is needed.
func ExampleConfig_workers() {
	const n = 2
	var pdus [n]int
	cfg := pcapx.Config{
		Workers: n,
		Worker: func(w int) (pcapx.Handler, func(*pcapx.FlowEvent)) {
			return func(p *pcapx.PDU) error {
				pdus[w]++
				return nil
			}, nil
		},
	}
	st, err := pcapx.Read(bytes.NewReader(tinyCapture()), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("frames %d, PDUs %d, handled %d\n", st.Frames, st.PDUs(), pdus[0]+pdus[1])
	// Output: frames 1, PDUs 2, handled 2
}
