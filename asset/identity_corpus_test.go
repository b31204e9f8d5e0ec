package asset

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// identitySources are the tshark fields that show what a device states about
// itself: Modbus device identification objects, S7 SZL 0x0011 and 0x001C
// strings, ListIdentity items and CIP Identity attributes, the CIP TCP/IP
// host name, DNP3 group 0 attributes.
var identitySources = []struct {
	proto  Protocol
	filter string
	fields []string
}{
	{Modbus, "modbus.object_str_value", []string{"modbus.object_str_value"}},
	{S7comm, "s7comm.szl.xy11.0001.anz || s7comm.szl.001c.000x.index", []string{
		"s7comm.szl.xy11.0001.anz", "s7comm.szl.001c.0001.name", "s7comm.szl.001c.0002.name", "s7comm.szl.001c.0003.tag",
		"s7comm.szl.001c.0004.copyright", "s7comm.szl.001c.0005.serialn", "s7comm.szl.001c.0007.cputypname",
		"s7comm.szl.001c.0008.snmcmmc", "s7comm.szl.001c.000a.oem_copyright_string", "s7comm.szl.001c.000b.loc_id"}},
	{ENIP, "enip.lir.name || cip.id.product_name || cip.id.serial_number || cip.tcpip.hostname", []string{
		"enip.lir.name", "enip.lir.serial", "cip.id.product_name", "cip.id.serial_number", "cip.tcpip.hostname"}},
	{DNP3, "dnp3.al.da.value", []string{"dnp3.al.da.value"}},
}

// deviceStrings returns, per device address, every identity value the
// device's JSON record (icsdissect assets -json) holds.
func deviceStrings(t *testing.T, inv *Inventory) map[string]map[string]bool {
	t.Helper()
	var enc Encoder
	out := map[string]map[string]bool{}
	for _, d := range inv.Devices() {
		var rec struct {
			Host struct{ IP []string }
			ICS  struct {
				Identity []struct{ Value string }
			}
		}
		line := enc.AppendDevice(nil, d)
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("device JSON: %v\n%s", err, line)
		}
		set := map[string]bool{}
		for _, v := range rec.ICS.Identity {
			set[normIdentity(v.Value)] = true
		}
		out[rec.Host.IP[0]] = set
	}
	return out
}

// normIdentity removes what tshark and the package may disagree on without
// disagreeing on the identity: surrounding blanks.
func normIdentity(s string) string { return strings.TrimSpace(s) }

// TestIdentityMatchesTshark checks that every identity string tshark shows
// in the corpus appears among the identity values of the device that sent
// it, in the JSON that icsdissect assets -json prints.
func TestIdentityMatchesTshark(t *testing.T) {
	files := corpusFiles(t)
	requireTshark(t)
	var checked, frames, captures int
	for _, file := range files {
		var rows []tsharkRow
		for _, src := range identitySources {
			if !forProtocol(file, src.proto) {
				continue
			}
			rows = append(rows, tsharkFields(t, file, src.filter, src.fields...)...)
		}
		if len(rows) == 0 {
			continue
		}
		captures++
		_, inv := run(t, file)
		have := deviceStrings(t, inv)
		for _, r := range rows {
			frames++
			for _, vals := range r.fields {
				for _, v := range vals {
					v = normIdentity(v)
					if v == "" {
						continue
					}
					checked++
					if !have[r.src][v] {
						t.Errorf("%s frame %s: %q from %s not in the device's identity", filepath.Base(file), r.frame, v, r.src)
					}
				}
			}
		}
	}
	t.Logf("identity: %d strings in %d frames of %d captures compared with tshark", checked, frames, captures)
}
