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
	for it := id.Objects(); it.Next(); {
		obj := it.Object()
		fmt.Printf("%s: %s\n", obj.ID, obj.Value)
	}
	// Output:
	// VendorName: Acme Co
	// ProductCode: PLC1
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
		fmt.Println(a.Name())
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
