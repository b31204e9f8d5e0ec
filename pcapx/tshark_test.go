package pcapx

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// capturesDir holds the shared real captures; tests that need them skip
// when it is absent.
const capturesDir = "../../shared/captures"

func captureFile(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(capturesDir, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("capture %s not available: %v", name, err)
	}
	return p
}

// tsharkField is the field that occurs once per PDU of each protocol in
// tshark's output.
var tsharkField = [NumProtocols]string{
	Modbus: "mbtcp.len",
	S7comm: "tpkt.length",
	ENIP:   "enip.command",
	DNP3:   "dnp3.start",
	IEC104: "iec60870_104.apdulen",
}

// tsharkPDUs runs tshark on file and counts the occurrences of field per
// frame number.
func tsharkPDUs(t testing.TB, file, field string) map[int]int {
	t.Helper()
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	cmd := exec.Command(tshark, "-n", "-r", file, "-T", "fields", "-E", "occurrence=a", "-e", "frame.number", "-e", field)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %s: %v", file, err)
	}
	m := map[int]int{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		frame, vals, _ := strings.Cut(sc.Text(), "\t")
		if vals == "" {
			continue
		}
		n, err := strconv.Atoi(frame)
		if err != nil {
			t.Fatalf("tshark output %q", sc.Text())
		}
		m[n] = strings.Count(vals, ",") + 1
	}
	return m
}

// ourPDUs counts our PDUs per frame number.
func ourPDUs(t testing.TB, file string, proto Protocol) (map[int]int, Stats) {
	t.Helper()
	m := map[int]int{}
	st, err := ReadFile(file, Config{Handler: func(p *PDU) error {
		if p.Proto == proto {
			m[p.Frame]++
		}
		return nil
	}})
	if err != nil {
		t.Fatalf("ReadFile %s: %v", file, err)
	}
	return m, st
}

// diffPDUs returns the frames where the counts differ.
func diffPDUs(ours, theirs map[int]int) (diff []int) {
	for f, n := range ours {
		if theirs[f] != n {
			diff = append(diff, f)
		}
	}
	for f := range theirs {
		if _, ok := ours[f]; !ok {
			diff = append(diff, f)
		}
	}
	return diff
}

// TestTsharkFrameNumbers checks that PDUs are delivered on the frames where
// tshark shows them, as many per frame, on real captures: PDUs across
// segments, several PDUs per segment, pcap and pcapng.
func TestTsharkFrameNumbers(t *testing.T) {
	cases := []struct {
		file  string
		proto Protocol
	}{
		{"modbus/iti-modbustcp-modbus_test.pcap", Modbus},
		{"modbus/zeek-modbusSmall.pcap", Modbus},
		{"s7comm/gymgit-wincc_s400_production.pcapng", S7comm},
		{"s7comm/gymgit-tia_s300_goOnline.pcapng", S7comm},
		{"iec104/fkie-iec104.pcap", IEC104},
		{"iec104/automayt-IEC104_SQ.pcapng", IEC104},
		{"enip/cipdip-baseline_mixed_adapter.pcap", ENIP},
		{"dnp3/icsnpp-dnp3_example.pcap", DNP3},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			file := captureFile(t, c.file)
			theirs := tsharkPDUs(t, file, tsharkField[c.proto])
			ours, st := ourPDUs(t, file, c.proto)
			if len(theirs) == 0 {
				t.Fatalf("tshark shows no %v PDUs", c.proto)
			}
			if d := diffPDUs(ours, theirs); len(d) > 0 {
				f := d[0]
				t.Errorf("%d frames differ, e.g. frame %d: ours %d PDUs, tshark %d", len(d), f, ours[f], theirs[f])
			}
			if st.Frames != st.Decoded+st.Malformed+st.NotOurs {
				t.Errorf("frames %d != decoded %d + malformed %d + not ours %d", st.Frames, st.Decoded, st.Malformed, st.NotOurs)
			}
		})
	}
}

// TestTsharkAll compares every shared capture with tshark when
// PCAPX_TSHARK_ALL is set, logging the captures that differ.
func TestTsharkAll(t *testing.T) {
	if os.Getenv("PCAPX_TSHARK_ALL") == "" {
		t.Skip("set PCAPX_TSHARK_ALL=1")
	}
	for _, pr := range []Protocol{Modbus, S7comm, ENIP, DNP3, IEC104} {
		files, _ := filepath.Glob(filepath.Join(capturesDir, pr.String(), "*"))
		for _, file := range files {
			theirs := tsharkPDUs(t, file, tsharkField[pr])
			ours, st := ourPDUs(t, file, pr)
			if d := diffPDUs(ours, theirs); len(d) > 0 {
				f := d[0]
				for _, g := range d {
					f = min(f, g)
				}
				t.Logf("%s: %d frames differ (ours %d PDU frames, tshark %d), first frame %d: ours %d tshark %d; resync %d gaps %d",
					filepath.Base(file), len(d), len(ours), len(theirs), f, ours[f], theirs[f], st.Protocols[pr].Dropped[DropResync], st.Protocols[pr].Gaps)
			}
		}
	}
}
