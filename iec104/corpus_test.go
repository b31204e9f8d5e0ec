package iec104

import (
	"bufio"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"testing"
)

// apdu is one APDU of a real capture, as listed in testdata/apdus.tsv.
type apdu struct {
	frame    int
	stream   int
	toServer bool
	b        []byte
}

type capture struct {
	name  string
	apdus []apdu
}

// corpus reads testdata/apdus.tsv: every APDU of the IEC 104 captures of
// the shared corpus, cut by the same rules as Split, in stream order.
func corpus(t testing.TB) []capture {
	t.Helper()
	f, err := os.Open("testdata/apdus.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var caps []capture
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 5 {
			t.Fatalf("bad line %q", line)
		}
		n, _ := strconv.Atoi(cols[1])
		stream, _ := strconv.Atoi(cols[2])
		b, err := hex.DecodeString(cols[4])
		if err != nil {
			t.Fatal(err)
		}
		if len(caps) == 0 || caps[len(caps)-1].name != cols[0] {
			caps = append(caps, capture{name: cols[0]})
		}
		c := &caps[len(caps)-1]
		c.apdus = append(c.apdus, apdu{frame: n, stream: stream, toServer: cols[3] == "1", b: b})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return caps
}

// TestCorpus parses every APDU of the captures: the clean captures parse
// without error; nothing panics; the object cursor agrees with Len.
func TestCorpus(t *testing.T) {
	clean := map[string]bool{
		"automayt-IEC104_SQ.pcapng":            true,
		"fkie-iec104.pcap":                     true,
		"iti-iec104-090813_diverse.pcap":       true,
		"iti-iec104-JavaRMI_and_IEC_Misc.pcap": true,
		"ndpi-IEC104.pcap":                     true,
	}
	total := 0
	for _, c := range corpus(t) {
		for _, p := range c.apdus {
			total++
			f, n, err := Parse(p.b)
			if clean[c.name] {
				if err != nil {
					t.Errorf("%s frame %d: %v", c.name, p.frame, err)
				}
				if f.Anomalies&^AnomalyUnknownCause != 0 {
					t.Errorf("%s frame %d: anomalies %s", c.name, p.frame, f.Anomalies)
				}
			}
			if err == nil && n != len(p.b) {
				t.Errorf("%s frame %d: n %d, want %d", c.name, p.frame, n, len(p.b))
			}
			if f.Format != FormatI {
				continue
			}
			k := 0
			for it := f.ASDU.Objects(); it.Next(); {
				k++
			}
			if k != f.ASDU.Len() {
				t.Errorf("%s frame %d: cursor %d objects, Len %d", c.name, p.frame, k, f.ASDU.Len())
			}
		}
	}
	if total < 500 {
		t.Errorf("only %d APDUs in the corpus", total)
	}
}

// TestSharedCaptures checks that the capture files testdata/apdus.tsv was
// cut from are still the ones in the shared corpus.
func TestSharedCaptures(t *testing.T) {
	dir := "../../shared/captures/iec104"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("shared capture corpus not present at " + dir)
	}
	for _, c := range corpus(t) {
		if _, err := os.Stat(dir + "/" + c.name); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
