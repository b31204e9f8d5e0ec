package dnp3

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEverySentinelProduced shows each Error constant returned by the
// package for some input.
func TestEverySentinelProduced(t *testing.T) {
	good := unhex(t, hexReadClass)
	badStart := bytes.Clone(good)
	badStart[0] = 0x06
	badHdr := bytes.Clone(good)
	badHdr[8] ^= 1
	shortLen := unhex(t, "056404c9010000040000")
	shortLen[8], shortLen[9] = byte(CRC(shortLen[:8])), byte(CRC(shortLen[:8])>>8)
	badData := bytes.Clone(good)
	badData[12] ^= 1
	parseErr := func(b []byte) error { _, _, err := Parse(b); return err }
	walkErr := func(fn FunctionCode, body string) error {
		objs := NewObjects(unhex(t, body), fn)
		for objs.Next() {
		}
		return objs.Err()
	}
	got := map[error]bool{}
	for _, err := range []error{
		parseErr(good[:20]),
		parseErr(badStart),
		parseErr(badHdr),
		parseErr(shortLen),
		parseErr(badData),
		walkErr(FuncResponse, "fe01070100"),
		walkErr(FuncResponse, "1e02000500"),
	} {
		got[err] = true
	}
	for e := Error(1); e < numErrors; e++ {
		assert.True(t, got[e], "%v is not produced", e)
	}
}

// TestEveryAnomalyProduced shows each Anomaly flag set by the package for
// some input.
func TestEveryAnomalyProduced(t *testing.T) {
	var got Anomaly
	// The link header.
	reserved := AppendLinkFrame(nil, 0xC5, 10, 1, []byte{0xC0, 0xC0, 0x01})
	f, _, _ := Parse(reserved)
	got |= f.Anomalies
	// The application header.
	a, _, _ := ParseFragment([]byte{0xC0, 0x5A})
	got |= a.Anomalies
	a, _, _ = ParseFragment([]byte{0xC0, 0x81, 0x00, 0xC0})
	got |= a.Anomalies
	// Object walks.
	for _, body := range []string{"fe01070100", "1e02000504", "1e020a", "3c010701", "00f007010b0100", "1e02f0"} {
		objs := NewObjects(unhex(t, body), FuncResponse)
		for objs.Next() {
		}
		got |= objs.Anomalies()
	}
	// Transport and connection, from the frames of the Conn tests.
	var c Conn
	run := func(frames ...[]byte) {
		for _, b := range frames {
			m, _ := c.Decode(b, b[3]&0x80 != 0, 0)
			got |= m.Anomalies
		}
	}
	read := func(seq byte) []byte { return appFrame(true, 0xC0, 0xC0|seq, 0x01, 0x3C, 0x01, 0x06) }
	run(appFrame(false, 0x81, 1), appFrame(false, 0x42, 0xC0), appFrame(false, 0x82, 0),
		appFrame(false, 0x85, 0), appFrame(false, 0x45, 0xC0), appFrame(false, 0xC6, 0xC0, 0x81, 0, 0))
	run(read(0), read(0), read(5), read(6), read(7), read(8), read(9))
	run(unhex(t, hexConfirm), unhex(t, hexOperate))
	run(unhex(t, hexSelect))
	badOperate := unhex(t, hexOperate)
	fr, _, _ := Parse(badOperate)
	ud := bytes.Clone(fr.UserData())
	ud[12]++
	run(AppendLinkFrame(nil, fr.Control, fr.Dst, fr.Src, ud))
	run(appFrame(true, 0xC0, 0xCA, 0x20, 0x78, 0x04, 0x07, 0x01, 0x01, 0x00), appFrame(false, 0xC0, 0xCA, 0x81, 0, 0))
	c.Reset()
	payload := bytes.Repeat([]byte{0}, MaxUserData-1)
	for i := 0; i < 70; i++ {
		run(appFrame(false, byte(0x40|i)&^byte(min(i, 1)<<6), payload...))
	}
	for i := range numAnomalies {
		assert.True(t, got.Has(1<<i), "%v is not produced", Anomaly(1<<i))
	}
}
