package fuzz_test

import (
	"fmt"

	"github.com/icsdissect/icsdissect/fuzz"
	"github.com/icsdissect/icsdissect/pcapx"
)

// A Modbus request runs through Parse, Decode, Explain, every accessor,
// Split and a Conn without breaking an invariant.
func ExamplePDU() {
	p, _ := fuzz.ProtocolOf(pcapx.Modbus)
	readHolding := []byte{0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x11, 0x03, 0x00, 0x6b, 0x00, 0x03}
	fmt.Println(fuzz.PDU(p, readHolding, true))
	// Output: <nil>
}

// A SplitFunc that never advances is caught.
func ExampleSplitProgress() {
	stuck := func(data []byte, atEOF bool) (int, []byte, error) { return 0, nil, nil }
	_, err := fuzz.SplitProgress("stuck", stuck, []byte{1, 2, 3})
	fmt.Println(err)
	// Output: split progress: stuck: no advance and no token with 3 bytes left at EOF
}

// A request and its response, with the request's segment lost: the
// response still arrives, and nothing is delivered that was not sent.
func ExampleRunner_Adversarial() {
	c := fuzz.Conversation{Proto: pcapx.Modbus, Records: []fuzz.Record{
		{ToServer: true, Data: []byte{0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x11, 0x03, 0x00, 0x6b, 0x00, 0x01}},
		{ToServer: false, Data: []byte{0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x11, 0x03, 0x02, 0x00, 0x2a}},
		{ToServer: true, Data: []byte{0x00, 0x02, 0x00, 0x00, 0x00, 0x06, 0x11, 0x03, 0x00, 0x6b, 0x00, 0x01}},
	}}
	lose := fuzz.Damage{Ops: []fuzz.Op{{Kind: fuzz.OpDrop, Seg: 0}}}
	r := fuzz.NewRunner()
	fmt.Println(r.Adversarial(c, lose, fuzz.Checks{Resync: true}))
	// Output: <nil>
}
