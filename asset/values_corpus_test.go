package asset

import (
	"encoding/hex"
	"math/bits"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// writeSource is, for one protocol, the PDUs of write requests as tshark's
// PDML shows them, and how to read the values one PDU writes.
type writeSource struct {
	proto    Protocol
	filter   string
	boundary string
	fields   []string
	// want returns the values tshark shows for the writes of one PDU, as
	// ours prints them, or nil when tshark decodes none.
	want func(f map[string][]string) []string
	// ours prints the values of one of the package's write events.
	ours func(a *Access) []string
	// items is true when one request carries several write events (S7
	// items), which then share its frame and transaction.
	items bool
	// skip, when set, leaves out write events that repeat a request
	// reported by another (an IEC 104 termination after its confirmation).
	skip func(a *Access) bool
}

// typedValues prints each value as Value.String does.
func typedValues(a *Access) []string {
	var out []string
	for _, v := range a.Values.All {
		out = append(out, v.String())
	}
	return out
}

// rawValues prints the bytes the values were decoded from, for protocols
// whose values tshark shows only as bytes (S7).
func rawValues(a *Access) []string {
	if a.Values.Len() == 0 {
		return nil
	}
	return []string{hex.EncodeToString(a.Values.Raw())}
}

var writeSources = []writeSource{
	{Modbus, "(tcp.dstport == 502 || udp.dstport == 502) && modbus.func_code in {5, 6, 15, 16, 23}", "mbtcp",
		[]string{"modbus.func_code", "modbus.data", "modbus.regval_uint16", "modbus.bit_cnt"},
		modbusWrites, typedValues, false, nil},
	{S7comm, "s7comm.header.rosctr == 1 && s7comm.param.func == 0x05", "s7comm",
		[]string{"s7comm.resp.data"}, s7Writes, rawValues, true, nil},
	{IEC104, "iec60870_asdu.causetx == 6 && iec60870_asdu.typeid in {45, 46, 47, 48, 49, 50, 51, 58, 59, 60, 61, 62, 63, 64}",
		"iec60870_asdu", []string{"iec60870_asdu.sco.on", "iec60870_asdu.dco.on", "iec60870_asdu.rco.up",
			"iec60870_asdu.normval", "iec60870_asdu.scalval", "iec60870_asdu.float", "iec60870_asdu.bitstring"},
		iec104Writes, sixDigitValues, false, func(a *Access) bool { return a.HasSub && a.Sub == 10 }},
	{DNP3, "dnp3.al.func in {3, 4, 5, 6} && dnp3.ctl.dir == 1 && !_ws.malformed", "dnp3", []string{"dnp3.ctl.op", "dnp3.ctl.clr", "dnp3.ctl.trip",
		"dnp3.al.count", "dnp3.al.on_time", "dnp3.al.off_time", "dnp3.al.anaout.int", "dnp3.al.anaout.float", "dnp3.al.anaout.double"},
		dnp3Writes, dnp3Values, true, nil},
	{ENIP, "(tcp.dstport == 44818 || udp.dstport == 44818) && cip.rr == 0 && cip.service == 0x10", "cip", []string{"cip.data"}, hexField(cipData), rawValues, false, nil},
}

// sixDigitValues prints values as typedValues does, but floats with six
// significant digits, as tshark shows FT_FLOAT fields.
func sixDigitValues(a *Access) []string {
	var out []string
	for _, v := range a.Values.All {
		if f, ok := v.Float32(); ok {
			out = append(out, strconv.FormatFloat(float64(f), 'g', 6, 32))
			continue
		}
		out = append(out, v.String())
	}
	return out
}

// dnp3Writes reads the commands of a DNP3 select, operate or direct operate
// request: each CROB's operation type, queue/clear field, trip/close code,
// count and times, and each analog output's value.
func dnp3Writes(f map[string][]string) []string {
	var out []string
	op, clr, trip, cnt, on, off := f["dnp3.ctl.op"], f["dnp3.ctl.clr"], f["dnp3.ctl.trip"], f["dnp3.al.count"], f["dnp3.al.on_time"], f["dnp3.al.off_time"]
	for i := range op {
		if i >= len(clr) || i >= len(trip) || i >= len(cnt) || i >= len(on) || i >= len(off) {
			break
		}
		out = append(out, "op="+op[i]+" clr="+clr[i]+" trip="+trip[i]+" count="+cnt[i]+" on="+on[i]+" off="+off[i])
	}
	out = append(out, f["dnp3.al.anaout.int"]...)
	for _, k := range []string{"dnp3.al.anaout.float", "dnp3.al.anaout.double"} {
		for _, v := range f[k] {
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				v = strconv.FormatFloat(x, 'g', 6, 64)
			}
			out = append(out, v)
		}
	}
	return out
}

// dnp3Values prints a DNP3 command event's values as dnp3Writes reads them.
func dnp3Values(a *Access) []string {
	var out []string
	for _, v := range a.Values.All {
		if c, ok := v.CROB(); ok {
			out = append(out, "op="+strconv.Itoa(int(c.Code&0x0f))+" clr="+strconv.Itoa(int(c.Code>>4&3))+
				" trip="+strconv.Itoa(int(c.Code>>6))+" count="+strconv.Itoa(int(c.Count))+
				" on="+strconv.Itoa(int(c.OnTime))+" off="+strconv.Itoa(int(c.OffTime)))
			continue
		}
		if f, ok := v.Float(); ok && (v.Kind == KindFloat32 || v.Kind == KindFloat64) {
			out = append(out, strconv.FormatFloat(f, 'g', 6, 64))
			continue
		}
		out = append(out, v.String())
	}
	return out
}

// iec104Writes reads the command state or set point of an IEC 104 command
// activation: a single command's state as a boolean, floats (normalized and
// short floating point set points) in float32's shortest form.
func iec104Writes(f map[string][]string) []string {
	var out []string
	for _, v := range f["iec60870_asdu.sco.on"] {
		out = append(out, strconv.FormatBool(v == "1"))
	}
	for _, k := range []string{"iec60870_asdu.dco.on", "iec60870_asdu.rco.up", "iec60870_asdu.scalval"} {
		out = append(out, f[k]...)
	}
	// tshark reads the 32-bit bitstring most significant octet first; the
	// package takes the first octet as the low bits (BS1..BS8 first).
	for _, v := range f["iec60870_asdu.bitstring"] {
		x, err := strconv.ParseUint(v, 0, 32)
		if err != nil {
			out = append(out, v)
			continue
		}
		out = append(out, strconv.FormatUint(uint64(bits.ReverseBytes32(uint32(x))), 10))
	}
	for _, k := range []string{"iec60870_asdu.normval", "iec60870_asdu.float"} {
		for _, v := range f[k] {
			x, err := strconv.ParseFloat(v, 32)
			if err != nil {
				out = append(out, v)
				continue
			}
			out = append(out, strconv.FormatFloat(x, 'g', 6, 32))
		}
	}
	return out
}

// s7Writes reads the data of each item of an S7 write var job, which
// tshark shows as bytes only.
func s7Writes(f map[string][]string) []string { return hexField("s7comm.resp.data")(f) }

// cipData is the field of a Set Attribute Single request's value bytes.
const cipData = "cip.data"

// hexField returns a want function that reads the values of a bytes field.
func hexField(name string) func(f map[string][]string) []string {
	return func(f map[string][]string) []string {
		var out []string
		for _, d := range f[name] {
			out = append(out, strings.ReplaceAll(d, ":", ""))
		}
		return out
	}
}

// modbusWrites reads the values of one Modbus write request as tshark shows
// them: a single coil as ff00/0000 in modbus.data, a single register as four
// hex digits in modbus.data, multiple coils as packed bytes in modbus.data
// cut to modbus.bit_cnt, multiple registers in modbus.regval_uint16.
func modbusWrites(f map[string][]string) []string {
	fc := f["modbus.func_code"]
	if len(fc) != 1 {
		return nil
	}
	data := f["modbus.data"]
	var out []string
	switch fc[0] {
	case "5":
		if len(data) == 1 {
			out = append(out, strconv.FormatBool(strings.ReplaceAll(data[0], ":", "") == "ff00"))
		}
	case "6":
		if len(data) == 1 {
			if v, err := strconv.ParseUint(strings.ReplaceAll(data[0], ":", ""), 16, 16); err == nil {
				out = append(out, strconv.FormatUint(v, 10))
			}
		}
	case "15":
		cnt := f["modbus.bit_cnt"]
		if len(data) == 1 && len(cnt) == 1 {
			n, _ := strconv.Atoi(cnt[0])
			raw := strings.ReplaceAll(data[0], ":", "")
			for k := 0; k < n && k/8 < len(raw)/2; k++ {
				b, _ := strconv.ParseUint(raw[2*(k/8):2*(k/8)+2], 16, 8)
				out = append(out, strconv.FormatBool(b>>(k%8)&1 == 1))
			}
		}
	case "16", "23":
		out = append(out, f["modbus.regval_uint16"]...)
	}
	return out
}

// TestWrittenValuesMatchTshark checks, on every write request in the corpus
// whose values tshark decodes (in a frame it does not mark malformed), that the package's write event for it
// carries the same values in the same order. A frame may hold several
// requests: each frame's writes are compared as a set of per-request value
// lists.
func TestWrittenValuesMatchTshark(t *testing.T) {
	files := corpusFiles(t)
	requireTshark(t)
	var writes, values, captures int
	for _, file := range files {
		want := map[string][]string{}
		protos := map[string]Protocol{}
		ours := map[Protocol]func(*Access) []string{}
		items := map[Protocol]bool{}
		skip := map[Protocol]func(*Access) bool{}
		for _, src := range writeSources {
			if !forProtocol(file, src.proto) {
				continue
			}
			ours[src.proto] = src.ours
			items[src.proto] = src.items
			skip[src.proto] = src.skip
			if !forProtocol(file, src.proto) {
				continue
			}
			for _, p := range tsharkPDUs(t, file, src.filter, src.boundary, src.fields...) {
				if v := src.want(p.Fields); len(v) > 0 {
					want[p.Frame] = append(want[p.Frame], strings.Join(v, " "))
					protos[p.Frame] = src.proto
					writes++
					values += len(v)
				}
			}
		}
		if len(want) == 0 {
			continue
		}
		captures++
		rec, _ := run(t, file)
		// The package's writes of one request (one PDU: same frame and
		// transaction) in order.
		type pduKey struct {
			frame uint64
			tx    uint64
			event int
		}
		var order []pduKey
		byPDU := map[pduKey][]string{}
		for i := range rec.accesses {
			a := &rec.accesses[i]
			if a.Kind != OpWrite || a.RequestFrame == 0 || ours[a.Proto] == nil || skip[a.Proto] != nil && skip[a.Proto](a) {
				continue
			}
			k := pduKey{a.RequestFrame, a.Transaction, i}
			if items[a.Proto] {
				k.event = 0
			}
			if _, ok := byPDU[k]; !ok {
				order = append(order, k)
			}
			byPDU[k] = append(byPDU[k], ours[a.Proto](a)...)
		}
		got := map[string][]string{}
		for _, k := range order {
			if vs := byPDU[k]; len(vs) > 0 {
				f := strconv.FormatUint(k.frame, 10)
				got[f] = append(got[f], strings.Join(vs, " "))
			}
		}
		for frame, w := range want {
			g := got[frame]
			slices.Sort(g)
			slices.Sort(w)
			if !slices.Equal(g, w) {
				t.Errorf("%s frame %s (%s): wrote %q, tshark shows %q", filepath.Base(file), frame, protos[frame], g, w)
			}
		}
	}
	t.Logf("written values: %d write requests with %d values in %d captures compared with tshark", writes, values, captures)
}

// TestValuesAtMatchesAll checks, on the accesses of a capture of every
// protocol (kept with Clone), that At gives each element All gives.
func TestValuesAtMatchesAll(t *testing.T) {
	corpusFiles(t) // skips without the corpus
	checked := 0
	for _, name := range []string{"modbus/iti-modbustcp-ModbusTCP.pcap", "s7comm/gymgit-wincc_s400_production.pcapng",
		"enip/cipdip-baseline_mixed_adapter.pcap", "dnp3/iti-dnp3-dnp3_test_data_part1.pcap", "dnp3/icsnpp-dnp3_example.pcap",
		"iec104/iti-iec104-090813_diverse.pcap", "iec104/ndpi-IEC104.pcap"} {
		rec, _ := run(t, filepath.Join(capturesDir, name))
		for _, a := range rec.accesses {
			for i, v := range a.Values.All {
				if i >= 64 {
					break
				}
				w, ok := a.Values.At(i)
				if !ok || !w.Equal(v) || w.Addr != v.Addr || w.Flags != v.Flags || w.Time != v.Time {
					t.Fatalf("%s frame %d: At(%d) = %+v %v, All gave %+v", name, a.Frame, i, w, ok, v)
				}
				checked++
			}
		}
	}
	t.Logf("%d values compared", checked)
}
