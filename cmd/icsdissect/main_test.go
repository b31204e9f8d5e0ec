package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = "../../testdata/modbus_example.pcap"

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestDecode(t *testing.T) {
	code, out, errOut := runCmd(t, "decode", sample)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 48 {
		t.Fatalf("%d PDUs, want 48", len(lines))
	}
	var first struct {
		Frame  int
		Proto  string
		Src    string
		Dst    string
		Dir    string
		Func   string
		Fields map[string]any
	}
	for i, l := range lines {
		if err := json.Unmarshal([]byte(l), &first); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, l)
		}
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.Frame != 4 || first.Proto != "modbus" || first.Dst != "127.0.0.1:502" || first.Dir != "to-server" ||
		first.Fields["modbus.func_code"] != 1.0 || first.Fields["mbtcp.trans_id"] != 1.0 {
		t.Errorf("first PDU = %+v", first)
	}
}

func TestSummary(t *testing.T) {
	code, out, errOut := runCmd(t, "summary", sample)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"frames 100: decoded 48, malformed 0, not ours 52", "modbus: 48 PDUs", "Read Holding Registers"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestBadFiles(t *testing.T) {
	dir := t.TempDir()
	notPcap := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notPcap, []byte("this is not a capture file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{notPcap, filepath.Join(dir, "missing.pcap")} {
		code, _, errOut := runCmd(t, "decode", f)
		if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "icsdissect: ") {
			t.Errorf("%s: exit %d, stderr %q; want 1 and one line", filepath.Base(f), code, errOut)
		}
	}

	// A capture cut in the middle of a record decodes what is there.
	b, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.pcap")
	if err := os.WriteFile(cut, b[:len(b)-30], 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "decode", cut)
	if code != 0 || !strings.Contains(errOut, "cut short") || strings.Count(out, "\n") < 40 {
		t.Errorf("truncated capture: exit %d, %d lines, stderr %q", code, strings.Count(out, "\n"), errOut)
	}
}

func TestUsage(t *testing.T) {
	if code, _, _ := runCmd(t); code != 2 {
		t.Errorf("no args: exit %d", code)
	}
	if code, _, _ := runCmd(t, "frobnicate", sample); code != 2 {
		t.Errorf("unknown command: exit %d", code)
	}
	if code, _, _ := runCmd(t, "decode", "-port", "dnp3:sctp:1", sample); code != 2 {
		t.Errorf("bad -port: exit %d", code)
	}
	code, out, _ := runCmd(t, "decode", "-port", "modbus:tcp:5020", sample)
	if code != 0 || strings.Count(out, "\n") != 48 {
		t.Errorf("-port: exit %d", code)
	}
}
