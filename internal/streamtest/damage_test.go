package streamtest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icsdissect/icsdissect/dnp3"
	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/iec104"
	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/pcapx"
	"github.com/icsdissect/icsdissect/s7comm"
)

// framings are the protocols under test, with a bogus header each: a
// plausible start that claims far more bytes than follow it.
var framings = []struct {
	proto pcapx.Protocol
	f     Framing
	bogus []byte
}{
	{pcapx.Modbus, Framing{modbus.Split, modbus.Resync, func(b []byte, toServer bool) bool {
		dir := modbus.Response
		if toServer {
			dir = modbus.Request
		}
		_, _, err := modbus.Parse(b, dir)
		return err == nil
	}}, []byte{0x12, 0x34, 0x00, 0x00, 0x01, 0x00, 0x01, 0x03}},
	{pcapx.S7comm, Framing{s7comm.Split, s7comm.Resync, func(b []byte, _ bool) bool {
		_, _, err := s7comm.Parse(b)
		return err == nil
	}}, []byte{0x03, 0x00, 0xff, 0xff, 0x02, 0xf0, 0x80, 0x32, 0x01, 0x00, 0x00, 0x12, 0x34, 0x00, 0x0e, 0x00, 0x00}},
	{pcapx.ENIP, Framing{enip.Split, enip.Resync, func(b []byte, _ bool) bool {
		_, _, err := enip.Parse(b)
		return err == nil
	}}, []byte{0x6f, 0x00, 0xf0, 0xff, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0}},
	{pcapx.DNP3, Framing{dnp3.Split, dnp3.Resync, func(b []byte, _ bool) bool {
		_, _, err := dnp3.Parse(b)
		return err == nil
	}}, dnp3Bogus()},
	{pcapx.IEC104, Framing{iec104.Split, iec104.Resync, func(b []byte, _ bool) bool {
		_, _, err := iec104.Parse(b)
		return err == nil
	}}, []byte{0x68, 0xfd, 0x00, 0x00, 0x00, 0x00}},
}

// dnp3Bogus is a link header with a correct header CRC claiming 255 octets.
func dnp3Bogus() []byte {
	h := []byte{0x05, 0x64, 0xff, 0xc4, 0x01, 0x00, 0x02, 0x00}
	crc := dnp3.CRC(h)
	return append(h, byte(crc), byte(crc>>8))
}

// maxPDUs bounds the PDUs of one stream used per trial, so that long
// captures do not dominate the run.
const maxPDUs = 400

// TestDamageTable prints, per protocol, what framing makes of one lost
// segment, of a capture starting mid-stream and of a bogus header claiming a
// large length, over every clean TCP stream of the corpus: PDUs lost beyond
// those the damage touched, and phantom PDUs (tokens that are no PDU of the
// stream yet decode as valid). A capture not in lossy must lose none, and
// none may yield a phantom.
func TestDamageTable(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	dir, ok := CapturesDir(root)
	if !ok {
		t.Skipf("capture corpus not found at %s (set ICSDISSECT_CAPTURES or put shared/ beside the repository)", dir)
	}
	var table strings.Builder
	fmt.Fprintf(&table, "%-7s %-10s %s\n", "proto", "damage", "result")
	for _, fr := range framings {
		streams, err := Load(dir, fr.proto, 3)
		if err != nil {
			t.Fatal(err)
		}
		var hole, mid, bogus Result
		rnd := Rand(0x9e3779b97f4a7c15)
		for i := range streams {
			s := &streams[i]
			if len(s.Starts) > maxPDUs {
				s.Data = s.Data[:s.Starts[maxPDUs]]
				s.Starts = s.Starts[:maxPDUs]
			}
			var h, m, bo Result
			for range 4 {
				a := rnd.Intn(len(s.Data))
				n := []int{1, 9, 120, 536}[rnd.Intn(4)]
				b := min(a+n, len(s.Data))
				Hole(fr.f, s, a, b, &h)
				MidStart(fr.f, s, rnd.Intn(len(s.Data)), &m)
				Bogus(fr.f, s, s.Starts[rnd.Intn(len(s.Starts))], fr.bogus, &bo)
			}
			hole.Add(h)
			mid.Add(m)
			bogus.Add(bo)
			for _, r := range []Result{h, m, bo} {
				if r.Phantom > 0 || (r.Lost > 0 && !testkit.ResyncLossy[s.File]) {
					t.Errorf("%s %s: %d lost, %d phantom: %v", fr.proto, s.File, r.Lost, r.Phantom, r.Examples)
				}
			}
		}
		for _, row := range []struct {
			name string
			r    Result
		}{{"hole", hole}, {"mid-start", mid}, {"bogus", bogus}} {
			fmt.Fprintf(&table, "%-7s %-10s %s (%d streams)\n", fr.proto, row.name, row.r, len(streams))
			for _, e := range row.r.Examples[:min(3, len(row.r.Examples))] {
				fmt.Fprintf(&table, "        e.g. %s\n", e)
			}
		}
	}
	t.Log("\n" + table.String())
}
