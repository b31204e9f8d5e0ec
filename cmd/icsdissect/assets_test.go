package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

const s7sample = "../../testdata/s7comm_snap7.pcapng"

func TestAssets(t *testing.T) {
	code, out, errOut := runCmd(t, "assets", s7sample)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{
		"ADDRESS", "134.217.61.211  00:0e:8c:d0:f9:cb  s7comm server  -       CPU 315-2 PN/DP  V3.2.7    S C-B1U393142011  S7300/ET200M station_1",
		"mode run", `model     "6ES7 315-2EH14-0AB0"         s7comm szl 0x0011 index 0x0001, frame 4`,
		"peers: 134.217.61.131 (s7comm client", "tags (72):", "MW16  1      2       61374  WORD     134.217.61.131",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("assets output lacks %q:\n%s", want, out)
		}
	}
	code, brief, _ := runCmd(t, "assets", "-brief", s7sample)
	if code != 0 || strings.Contains(brief, "tags (") || len(strings.Split(strings.TrimSpace(brief), "\n")) != 3 {
		t.Errorf("assets -brief: exit %d\n%s", code, brief)
	}
}

func TestAssetsJSON(t *testing.T) {
	code, out, errOut := runCmd(t, "assets", "-json", s7sample, sample)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	byIP := map[string]map[string]any{}
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, l)
		}
		host := rec["host"].(map[string]any)
		byIP[host["ip"].([]any)[0].(string)] = rec
	}
	if len(byIP) != 5 {
		t.Fatalf("%d devices, want 5 (2 of the S7 sample, 3 of the Modbus sample)", len(byIP))
	}
	plc := byIP["134.217.61.211"]
	dev := plc["device"].(map[string]any)
	if dev["serial_number"] != "S C-B1U393142011" || dev["model"].(map[string]any)["identifier"] != "6ES7 315-2EH14-0AB0" {
		t.Errorf("device = %v", dev)
	}
	if plc["ics"].(map[string]any)["mode"] != "run" {
		t.Errorf("ics = %v", plc["ics"])
	}
	mb := byIP["127.0.0.1"]["device"].(map[string]any)
	if mb["vendor"].(map[string]any)["name"] != "Zeek Modbus Test" {
		t.Errorf("modbus device = %v", mb)
	}
}

func TestEvents(t *testing.T) {
	code, out, errOut := runCmd(t, "events", s7sample)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	counts := map[string]int{}
	actions := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec struct {
			Event struct{ Dataset, Action string }
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, l)
		}
		counts[rec.Event.Dataset]++
		actions[rec.Event.Action] = true
	}
	if counts["icsdissect.access"] != 12 || counts["icsdissect.operation"] == 0 || counts["icsdissect.identity"] == 0 ||
		counts["icsdissect.change"] == 0 {
		t.Errorf("events: %v", counts)
	}
	for _, a := range []string{"write", "read", "stop", "start", "copy_ram_to_rom", "program_upload", "set_time", "mode_changed", "first_write"} {
		if !actions[a] {
			t.Errorf("no %s event", a)
		}
	}
	code, out, _ = runCmd(t, "events", "-kinds", "operation", s7sample)
	if code != 0 || strings.Contains(out, "icsdissect.access") || !strings.Contains(out, "icsdissect.operation") {
		t.Errorf("events -kinds operation: exit %d", code)
	}
	if code, _, _ := runCmd(t, "events", "-kinds", "nothing", s7sample); code != 2 {
		t.Errorf("unknown kind: exit %d, want 2", code)
	}
	if code, _, _ := runCmd(t, "assets"); code != 2 {
		t.Errorf("no file: exit %d, want 2", code)
	}
	if code, _, errOut := runCmd(t, "assets", "no-such-file.pcap"); code != 1 || !strings.Contains(errOut, "no-such-file.pcap") {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}
}

func TestAssetsFilterAndOutputErrors(t *testing.T) {
	code, out, errOut := runCmd(t, "events", "-f", "tcp port 502", s7sample)
	if code != 0 || out != "" || errOut != "" {
		t.Errorf("events -f 'tcp port 502' on an S7 capture: exit %d, %d bytes, stderr %q", code, len(out), errOut)
	}
	if code, _, errOut := runCmd(t, "events", "-f", "tcp port", s7sample); code != 2 || errOut == "" {
		t.Errorf("bad filter: exit %d, stderr %q", code, errOut)
	}
	var errBuf bytes.Buffer
	if code := run([]string{"events", s7sample}, failWriter{}, &errBuf); code != 1 || !strings.Contains(errBuf.String(), "writing output: no space left on device") {
		t.Errorf("events to a failing output: exit %d, stderr %q", code, errBuf.String())
	}
	errBuf.Reset()
	if code := run([]string{"assets", s7sample}, failWriter{}, &errBuf); code != 1 || !strings.Contains(errBuf.String(), "writing output: no space left on device") {
		t.Errorf("assets to a failing output: exit %d, stderr %q", code, errBuf.String())
	}
	if code, _, errOut := runCmd(t, "assets", "-i", "lo", s7sample); code != 2 || errOut == "" {
		t.Errorf("-i with a file: exit %d, stderr %q", code, errOut)
	}
}
