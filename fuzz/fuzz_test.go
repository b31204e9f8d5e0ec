package fuzz

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/icsdissect/icsdissect/pcapx"
)

// Seeds come from testdata/fuzz/<Target>/ (written by
// go run ./fuzz/internal/seedgen from the capture corpus); go test runs them
// as unit tests, go test -fuzz explores from them.

// runner returns the Runner of a target, with the waivers of WaiveEnv. The
// fuzzing engine calls a target's function from one goroutine per worker
// process, so one Runner per target suffices.
func runner() *Runner {
	r := NewRunner()
	r.Waive = WaiversFromEnv()
	return r
}

func pduTarget(f *testing.F, proto pcapx.Protocol) {
	p, _ := ProtocolOf(proto)
	r := runner()
	f.Fuzz(func(t *testing.T, toServer bool, b []byte) {
		if err := r.PDU(p, b, toServer); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzModbusPDU runs one Modbus ADU through its package (see Runner.PDU).
func FuzzModbusPDU(f *testing.F) { pduTarget(f, pcapx.Modbus) }

// FuzzS7commPDU runs one TPKT packet through package s7comm.
func FuzzS7commPDU(f *testing.F) { pduTarget(f, pcapx.S7comm) }

// FuzzENIPPDU runs one encapsulation PDU through package enip.
func FuzzENIPPDU(f *testing.F) { pduTarget(f, pcapx.ENIP) }

// FuzzDNP3PDU runs one link frame through package dnp3.
func FuzzDNP3PDU(f *testing.F) { pduTarget(f, pcapx.DNP3) }

// FuzzIEC104PDU runs one APDU through package iec104.
func FuzzIEC104PDU(f *testing.F) { pduTarget(f, pcapx.IEC104) }

// deepPDUs is how many PDUs per flow the stream targets check deeply: the
// PDU targets check every PDU in depth already.
const deepPDUs = 4

// FuzzPacket runs raw link-layer frames (see ParsePackets) through pcapx,
// internal/dissect and each flow's Conn (see Runner.Packets).
func FuzzPacket(f *testing.F) {
	r := runner()
	f.Fuzz(func(t *testing.T, b []byte) {
		lt, frames := ParsePackets(b)
		if err := r.Packets(lt, frames...); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzStream runs a TCP conversation on a protocol's port, the protocol
// chosen by the first byte (see ParseConversation and Runner.Conversation).
func FuzzStream(f *testing.F) {
	r := runner()
	r.Deep = deepPDUs
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := r.Conversation(ParseConversation(b)); err != nil {
			t.Fatal(err)
		}
	})
}

var (
	streamsOnce sync.Once
	streams     []Conversation
	streamsErr  error
)

// FuzzAdversarial damages a real conversation: the first byte picks one of
// the stream seeds (LoadStreams), the rest is a Damage (ParseDamage). See
// Runner.Adversarial for what is checked, and StrictEnv for the choice of
// checks.
func FuzzAdversarial(f *testing.F) {
	streamsOnce.Do(func() {
		streams, streamsErr = LoadStreams(filepath.Join("testdata", "fuzz", "FuzzStream"))
	})
	if streamsErr != nil {
		f.Fatal(streamsErr)
	}
	if len(streams) == 0 {
		f.Skip("no stream seeds in testdata/fuzz/FuzzStream (run go run ./fuzz/internal/seedgen)")
	}
	checks := ChecksFromEnv()
	r := runner()
	r.Deep = 1
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 {
			return
		}
		c := streams[int(b[0])%len(streams)]
		if err := r.Adversarial(c, ParseDamage(b[1:]), checks); err != nil {
			t.Fatal(err)
		}
	})
}
