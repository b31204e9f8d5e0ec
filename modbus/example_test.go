package modbus_test

import (
	"bufio"
	"bytes"
	"fmt"

	"github.com/icsdissect/icsdissect/modbus"
)

// A Read Holding Registers request and its response, from
// icsnpp-modbus_example.pcap frames 24 and 26.
var (
	request  = []byte{0x00, 0x06, 0x00, 0x00, 0x00, 0x06, 0x05, 0x03, 0x00, 0x01, 0x00, 0x08}
	response = []byte{0x00, 0x06, 0x00, 0x00, 0x00, 0x13, 0x05, 0x03, 0x10,
		0x00, 0xaa, 0x00, 0xaa, 0x00, 0xbb, 0x00, 0xcc, 0xef, 0x84, 0xe3, 0xeb, 0x9f, 0x8b, 0xe4, 0xc1}
)

func ExampleParse() {
	f, n, err := modbus.Parse(request, modbus.Request)
	if err != nil {
		panic(err)
	}
	r, _ := f.ReadRequest()
	fmt.Println(n, f.TransactionID, f.UnitID, f.Function, r.Start, r.Quantity)

	f, _, _ = modbus.Parse(response, modbus.Response)
	regs, _ := f.Registers()
	for i, v := range regs.All {
		fmt.Printf("register %d = %d\n", int(r.Start)+i, v)
		if i == 2 {
			break
		}
	}
	// Output:
	// 12 6 5 Read Holding Registers 1 8
	// register 1 = 170
	// register 2 = 170
	// register 3 = 187
}

func ExampleDirectionFromPorts() {
	// A packet from port 49152 to port 502 is a request.
	dir := modbus.DirectionFromPorts(49152, 502, modbus.Port)
	f, _, _ := modbus.Parse(request, dir)
	fmt.Println(dir, f.Function)
	// Output: request Read Holding Registers
}

func ExampleExceptionCode() {
	// suricata-modbus-modbus.pcap frame 9: Diagnostics answered with
	// exception 11.
	adu := []byte{0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x0a, 0x88, 0x0b}
	f, _, _ := modbus.Parse(adu, modbus.Response)
	if err := f.Err(); err != nil {
		fmt.Println(f.Function, "->", err)
	}
	// Output: Diagnostics -> modbus: exception: gateway target device failed to respond
}

func ExampleFrame_DeviceID() {
	// A Read Device Identification response with two objects.
	adu := []byte{0x00, 0x01, 0x00, 0x00, 0x00, 0x17, 0x01, 0x2b, 0x0e, 0x01, 0x01, 0x00, 0x00, 0x02,
		0x00, 0x07, 'A', 'c', 'm', 'e', ' ', 'C', 'o', 0x01, 0x04, 'P', 'L', 'C', '1'}
	f, _, _ := modbus.Parse(adu, modbus.Response)
	id, _ := f.DeviceID()
	fmt.Println(id.Conformity, id.More())
	objs := id.Objects()
	for objs.Next() {
		obj := objs.Object()
		fmt.Printf("%s (standard %t): %s\n", obj.ID, obj.ID.Standard(), obj.Value)
	}
	// Output:
	// basic (stream access) false
	// VendorName (standard true): Acme Co
	// ProductCode (standard true): PLC1
}

func ExampleSplit() {
	// Two ADUs with two bytes of garbage between them, as one TCP stream.
	stream := append(append(append([]byte{}, request...), 0xff, 0xff), request...)
	sc := bufio.NewScanner(bytes.NewReader(stream))
	sc.Split(modbus.Split)
	for sc.Scan() {
		f, _, _ := modbus.Parse(sc.Bytes(), modbus.Request)
		fmt.Println(len(sc.Bytes()), f.TransactionID, f.Function)
	}
	// Output:
	// 12 6 Read Holding Registers
	// 12 6 Read Holding Registers
}

func ExampleAnomaly() {
	// Protocol id 1 and a Read Holding Registers request for 300 registers.
	adu := []byte{0x00, 0x01, 0x00, 0x01, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x01, 0x2c}
	f, _, err := modbus.Parse(adu, modbus.Request)
	fmt.Println(err, f.Anomalies)
	for a := range f.Anomalies.All {
		fmt.Println(a)
	}
	// Output:
	// <nil> protocol_id|quantity
	// protocol_id
	// quantity
}

func ExampleFrame_Decode() {
	// One Frame reused for a stream of ADUs: Decode overwrites it.
	var f modbus.Frame
	for _, adu := range [][]byte{request, response} {
		dir := modbus.Request
		if len(adu) > 12 {
			dir = modbus.Response
		}
		if _, err := f.Decode(adu, dir); err != nil {
			panic(err)
		}
		if regs, ok := f.Registers(); ok {
			fmt.Println(f.Dir, regs.Len(), "registers")
		} else {
			fmt.Println(f.Dir, f.Function)
		}
	}
	// Output:
	// request Read Holding Registers
	// response 8 registers
}

func ExampleConn() {
	// A Read Coils request for 1 coil at address 1 and its response, from
	// icsnpp-modbus_example.pcap frames 4 and 6: the response carries a
	// whole byte; the request says which bit counts and what it is called.
	var c modbus.Conn
	req := []byte{0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x04, 0x01, 0x00, 0x01, 0x00, 0x01}
	resp := []byte{0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x04, 0x01, 0x01, 0x0d}
	c.Decode(req, true, 1_000_000)
	m, _ := c.Decode(resp, false, 1_250_000)
	fmt.Println(m.Paired, m.Request.Function, "latency", m.Time-m.RequestTime, "ns")
	bits, _ := m.Bits()
	for i, on := range bits.All {
		fmt.Println("coil", int(bits.Start())+i, on)
	}
	// A response nobody asked for.
	m, _ = c.Decode(resp, false, 2_000_000)
	fmt.Println(m.Paired, m.Anomalies)
	// The connection ends with a request unanswered.
	c.Decode(req, true, 3_000_000)
	c.Flush(func(m *modbus.Message) bool {
		fmt.Println("unanswered:", m.Frame.TransactionID, m.Frame.Function)
		return true
	})
	s := c.Stats()
	fmt.Println(s.Requests, s.Responses, s.Paired, s.Unmatched, s.Unanswered)
	// Output:
	// true Read Coils latency 250000 ns
	// coil 1 true
	// false unmatched_response
	// unanswered: 1 Read Coils
	// 2 2 1 1 1
}

func ExampleRegisters_Float32() {
	// Two registers holding 59.991459 as an IEEE float, high word first,
	// and the same value as a Modicon controller stores it, low word first.
	adu := []byte{0x00, 0x01, 0x00, 0x00, 0x00, 0x0b, 0x01, 0x03, 0x08,
		0x42, 0x6f, 0xf7, 0x41, 0xf7, 0x41, 0x42, 0x6f}
	f, _, _ := modbus.Parse(adu, modbus.Response)
	regs, _ := f.Registers()
	a, _ := regs.Float32(0, modbus.HighWordFirst)
	b, _ := regs.Float32(2, modbus.LowWordFirst)
	_, ok := regs.Float32(3, modbus.HighWordFirst)
	fmt.Printf("%.4f %.4f %t\n", a, b, ok)
	// Output: 59.9915 59.9915 false
}

func ExampleFrame_Operation() {
	for _, pdu := range [][]byte{
		{0x03, 0x00, 0x00, 0x00, 0x0a},       // Read Holding Registers
		{0x08, 0x00, 0x01, 0x00, 0x00},       // Diagnostics: restart communications
		{0x2b, 0x0e, 0x01, 0x00},             // Read Device Identification
		{0x5a, 0x01, 0x41},                   // UMAS Stop PLC
		{0x5a, 0x01, 0x31, 0x00, 0x01, 0x00}, // UMAS Download Block
	} {
		f, _ := modbus.ParsePDU(pdu, modbus.Request)
		fmt.Println(f.Function, f.Operation())
	}
	// Output:
	// Read Holding Registers read
	// Diagnostics control
	// Encapsulated Interface Transport identity
	// UMAS control
	// UMAS program
}

func ExampleExplain() {
	// A Read Holding Registers request whose PDU ends before the quantity.
	adu := []byte{0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x01, 0x03, 0x00, 0x05}
	_, n, err := modbus.Parse(adu, modbus.Request)
	fmt.Println(n, err)
	fmt.Println(modbus.Explain(adu, modbus.Request))
	// Output:
	// 10 modbus: PDU too short for its layout
	// modbus: PDU too short for its layout: modbus.word_cnt at offset 10
}
