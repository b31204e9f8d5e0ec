package asset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/icsdissect/icsdissect/pcapx"
)

// The corpus tests compare the package's events with what tshark shows, over
// the captures in ../shared/captures. They skip with a message when the
// captures or tshark are absent.

const capturesDir = "../../shared/captures"

// corpusFiles returns the captures of the given subfolders (all when none).
func corpusFiles(t testing.TB, dirs ...string) []string {
	t.Helper()
	if _, err := os.Stat(capturesDir); err != nil {
		t.Skipf("captures not found (%v): the corpus tests need ../shared beside the repository", err)
	}
	if len(dirs) == 0 {
		dirs = []string{"modbus", "s7comm", "enip", "dnp3", "iec104", "mixed"}
	}
	var out []string
	for _, d := range dirs {
		m, _ := filepath.Glob(filepath.Join(capturesDir, d, "*"))
		out = append(out, m...)
	}
	sort.Strings(out)
	return out
}

// forProtocol reports whether capture file holds traffic of protocol p:
// it sits in p's folder of the corpus, or in mixed/.
func forProtocol(file string, p Protocol) bool {
	dir := filepath.Base(filepath.Dir(file))
	return dir == "mixed" || dir == p.String()
}

var tsharkVersion struct {
	sync.Once
	v   string
	err error
}

func requireTshark(t testing.TB) string {
	t.Helper()
	tsharkVersion.Do(func() {
		out, err := exec.Command("tshark", "-v").Output()
		if err != nil {
			tsharkVersion.err = err
			return
		}
		tsharkVersion.v, _, _ = strings.Cut(string(out), "\n")
	})
	if tsharkVersion.err != nil {
		t.Skipf("tshark not available (%v): the corpus tests compare with it", tsharkVersion.err)
	}
	return tsharkVersion.v
}

// tsharkRow is one frame of tshark's -T fields output: the frame number, the
// source address, and each field's values.
type tsharkRow struct {
	frame  string
	src    string
	fields [][]string
}

// tsharkFields runs tshark over file with a display filter and returns, per
// frame, the values of fields. Results are cached under the user cache
// directory by capture hash, tshark version and arguments.
func tsharkFields(t testing.TB, file, filter string, fields ...string) []tsharkRow {
	t.Helper()
	version := requireTshark(t)
	args := []string{"-n", "-r", file, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=\x1f",
		"-E", "separator=\x1e", "-e", "frame.number", "-e", "ip.src", "-e", "ipv6.src"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	args = append(args, "-Y", filter)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	h.Write(data)
	h.Write([]byte(version))
	h.Write([]byte(strings.Join(args[3:], "\x00")))
	key := hex.EncodeToString(h.Sum(nil))[:32]
	dir, _ := os.UserCacheDir()
	cache := filepath.Join(dir, "icsdissect", "asset-tshark", key+".txt")
	out, err := os.ReadFile(cache)
	if err != nil {
		out, err = exec.Command("tshark", args...).Output()
		if err != nil {
			t.Fatalf("tshark %s: %v", file, err)
		}
		if os.MkdirAll(filepath.Dir(cache), 0o755) == nil {
			os.WriteFile(cache, out, 0o644)
		}
	}
	var rows []tsharkRow
	for _, line := range bytes.Split(out, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		cols := strings.Split(string(line), "\x1e")
		if len(cols) != 3+len(fields) {
			continue
		}
		r := tsharkRow{frame: cols[0], src: cols[1]}
		if r.src == "" {
			r.src = cols[2]
		}
		for _, c := range cols[3:] {
			var vals []string
			if c != "" {
				vals = strings.Split(c, "\x1f")
			}
			r.fields = append(r.fields, vals)
		}
		rows = append(rows, r)
	}
	return rows
}

// run decodes file through pcapx and an Engine into an Inventory whose Next
// is a recorder.
func run(t testing.TB, file string) (*recorder, *Inventory) {
	t.Helper()
	rec := new(recorder)
	inv := NewInventory(InventoryConfig{Next: rec})
	eng := New(Config{Observer: inv})
	var cfg pcapx.Config
	eng.Attach(&cfg)
	if _, err := pcapx.ReadFile(file, cfg); err != nil && !strings.Contains(err.Error(), "truncated") {
		t.Logf("%s: %v", file, err)
	}
	eng.Flush()
	return rec, inv
}

// tsharkPDU is one PDU as tshark's PDML shows it: its frame, the frame's
// source address, and the values of the fields asked for within the PDU.
type tsharkPDU struct {
	Frame  string
	Src    string
	Fields map[string][]string
}

// tsharkPDUs runs tshark -T pdml over file with a display filter and
// returns each PDU that starts with a proto element named boundary, with
// the values (the "show" attribute) of the given fields found up to the
// next boundary. Unlike -T fields, which repeats the fields of several PDUs
// of one frame, PDML keeps them apart. Results are cached like
// tsharkFields.
func tsharkPDUs(t testing.TB, file, filter, boundary string, fields ...string) []tsharkPDU {
	t.Helper()
	version := requireTshark(t)
	args := []string{"-n", "-r", file, "-T", "pdml", "-Y", filter}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	h.Write(data)
	h.Write([]byte(version))
	h.Write([]byte(strings.Join(args[3:], "\x00") + "\x00" + boundary + "\x00" + strings.Join(fields, "\x00")))
	key := hex.EncodeToString(h.Sum(nil))[:32]
	dir, _ := os.UserCacheDir()
	cache := filepath.Join(dir, "icsdissect", "asset-tshark", key+".json")
	if b, err := os.ReadFile(cache); err == nil {
		var out []tsharkPDU
		if json.Unmarshal(b, &out) == nil {
			return out
		}
	}
	cmd := exec.Command("tshark", args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("tshark %s: %v", file, err)
	}
	want := map[string]bool{}
	for _, f := range fields {
		want[f] = true
	}
	var out []tsharkPDU
	var frame, src string
	var cur *tsharkPDU
	dec := xml.NewDecoder(stdout)
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := func(n string) string {
			for _, a := range se.Attr {
				if a.Name.Local == n {
					return a.Value
				}
			}
			return ""
		}
		switch se.Name.Local {
		case "packet":
			frame, src, cur = "", "", nil
		case "proto":
			if attr("name") == boundary {
				out = append(out, tsharkPDU{Frame: frame, Src: src, Fields: map[string][]string{}})
				cur = &out[len(out)-1]
			}
		case "field":
			name := attr("name")
			switch {
			case name == "num" && frame == "":
				frame = attr("show")
			case (name == "ip.src" || name == "ipv6.src") && src == "":
				src = attr("show")
			case cur != nil && want[name]:
				cur.Fields[name] = append(cur.Fields[name], attr("show"))
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("tshark %s: %v", file, err)
	}
	if b, err := json.Marshal(out); err == nil && os.MkdirAll(filepath.Dir(cache), 0o755) == nil {
		os.WriteFile(cache, b, 0o644)
	}
	return out
}
