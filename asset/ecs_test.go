package asset

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icsdissect/icsdissect/pcapx"
)

// ecsField is one row of the ECS field list.
type ecsField struct{ typ, norm string }

const ecsCSV = "../../shared/ecs/fields.csv"

// loadECS reads ../shared/ecs/fields.csv, or skips the test when the shared
// folder is absent.
func loadECS(t testing.TB) map[string]ecsField {
	t.Helper()
	f, err := os.Open(ecsCSV)
	if err != nil {
		t.Skipf("ECS field list not found (%v): the ECS check needs ../shared beside the repository", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]ecsField, len(rows))
	for _, r := range rows[1:] {
		out[r[3]] = ecsField{typ: r[4], norm: r[6]}
	}
	return out
}

// checkECS checks every field name of one JSON object against ECS: a name
// outside ics.* must be an ECS field whose type fits the JSON value, with
// arrays only where ECS normalises to an array. It returns the ECS names
// seen.
func checkECS(t testing.TB, ecs map[string]ecsField, line []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, line)
	}
	var seen []string
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			name := prefix + k
			if name == "ics" {
				if _, ok := v.(map[string]any); !ok {
					t.Errorf("ics is not an object")
				}
				continue
			}
			f, isField := ecs[name]
			if sub, ok := v.(map[string]any); ok && (!isField || f.typ != "object" && f.typ != "flattened") {
				if !ecsPrefix(ecs, name+".") {
					t.Errorf("%s: not an ECS field set or object\n%s", name, line)
					continue
				}
				walk(name+".", sub)
				continue
			}
			if !isField {
				t.Errorf("%s: not an ECS field\n%s", name, line)
				continue
			}
			seen = append(seen, name)
			if arr, ok := v.([]any); ok {
				if f.norm != "array" {
					t.Errorf("%s: array, but ECS does not normalise it to one", name)
				}
				for _, x := range arr {
					checkType(t, name, f.typ, x)
				}
				continue
			}
			if f.norm == "array" && (name == "event.category" || name == "event.type") {
				t.Errorf("%s: ECS wants an array", name)
			}
			checkType(t, name, f.typ, v)
		}
	}
	walk("", obj)
	return seen
}

func ecsPrefix(ecs map[string]ecsField, p string) bool {
	for name := range ecs {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// checkType checks one JSON value against an ECS type, as
// ../shared/ecs/README.md maps them.
func checkType(t testing.TB, name, typ string, v any) {
	t.Helper()
	switch typ {
	case "keyword", "text", "match_only_text", "wildcard", "constant_keyword":
		if _, ok := v.(string); !ok {
			t.Errorf("%s: ECS type %s wants a string, got %T %v", name, typ, v, v)
		}
	case "long", "integer", "short", "byte", "unsigned_long":
		n, ok := v.(json.Number)
		if _, err := n.Int64(); !ok || err != nil {
			t.Errorf("%s: ECS type %s wants an integer, got %T %v", name, typ, v, v)
		}
	case "float", "double", "scaled_float", "half_float":
		if _, ok := v.(json.Number); !ok {
			t.Errorf("%s: ECS type %s wants a number, got %T %v", name, typ, v, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			t.Errorf("%s: ECS type boolean, got %T %v", name, v, v)
		}
	case "date":
		s, ok := v.(string)
		if _, err := time.Parse(time.RFC3339Nano, s); !ok || err != nil {
			t.Errorf("%s: ECS type date wants an RFC 3339 string, got %v", name, v)
		}
	case "ip":
		s, ok := v.(string)
		if _, err := netip.ParseAddr(s); !ok || err != nil {
			t.Errorf("%s: ECS type ip wants an address, got %v", name, v)
		}
	case "object", "flattened", "nested":
		if _, ok := v.(map[string]any); !ok {
			t.Errorf("%s: ECS type %s wants an object, got %T", name, typ, v)
		}
	default:
		t.Errorf("%s: ECS type %s not handled by the check", name, typ)
	}
}

// sampleEvents returns one event of each kind with every optional field set.
func sampleEvents() (Access, Op, Identity, Change) {
	a := writeRegs(hmi, base, 2, []byte{0, 1, 0, 2})
	a.VLAN = 10
	a.Status = Status{Code: 4, Ext: 1, Name: "x", Failed: true}
	a.Flags |= FlagException
	a.Symbol = []byte("Motor")
	a.Bit = 1
	a.Block = 3
	o := Op{Meta: a.Meta, Kind: OpProgram, Action: ActionDownload, Target: []byte("OB1")}
	id := Identity{Proto: ENIP, Device: plc, Peer: hmi, Module: "port 1 slot 2", Time: base, Frame: 4, Attrs: []Attr{
		{Field: FieldVendor, Name: "vendor", Value: "Rockwell Automation/Allen-Bradley"},
		{Field: FieldVendorID, Name: "vendor id", Value: "1"},
		{Field: FieldProduct, Name: "product name", Value: "1756-L61/B LOGIX5561"},
		{Field: FieldProductCode, Name: "product code", Value: "54"},
		{Field: FieldModel, Name: "model", Value: "1756-L61"},
		{Field: FieldSerial, Name: "serial", Value: "0x00c0ffee"},
		{Field: FieldDeviceType, Name: "device type", Value: "Programmable Logic Controller"},
		{Field: FieldOther, Name: "raw", Raw: []byte{1}, Frame: 3},
	}}
	c := Change{Kind: ChangeIdentity, Proto: ENIP, Device: plc, Peer: hmi, Module: "m", Item: "firmware", Before: "1", After: "2", Time: base, Frame: 9}
	return a, o, id, c
}

func TestJSONECS(t *testing.T) {
	ecs := loadECS(t)
	a, o, id, c := sampleEvents()
	enc := Encoder{ObserverName: "sensor-1", ObserverHostname: "host-1"}
	inv := NewInventory(InventoryConfig{})
	inv.Access(a)
	a2 := a
	a2.Status, a2.Flags = Status{}, FlagPaired
	inv.Access(a2)
	inv.Identity(id)
	inv.Operation(o)
	id.Attrs = append(id.Attrs, Attr{Field: FieldHostName, Value: "plc1"}, Attr{Field: FieldName, Value: "Line 1"})
	id.Module = ""
	inv.Identity(id)
	seen := map[string]bool{}
	lines := [][]byte{
		enc.AppendAccess(nil, &a), enc.AppendOp(nil, &o), enc.AppendIdentity(nil, &id), enc.AppendChange(nil, &c),
	}
	for _, d := range inv.Devices() {
		lines = append(lines, enc.AppendDevice(nil, d))
	}
	for _, l := range lines {
		for _, n := range checkECS(t, ecs, l) {
			seen[n] = true
		}
	}
	for _, want := range []string{"@timestamp", "event.kind", "event.category", "event.type", "event.action", "event.outcome",
		"event.duration", "event.start", "source.ip", "source.port", "destination.mac", "network.protocol",
		"network.transport", "network.vlan.id", "related.ip", "observer.product", "observer.name", "host.ip", "host.mac",
		"host.hostname", "device.vendor.id", "device.vendor.name", "device.model.identifier", "device.serial_number",
		"device.product.id", "device.type"} {
		if !seen[want] {
			t.Errorf("sample events never emit %s", want)
		}
	}
}

func TestAccessJSON(t *testing.T) {
	a := writeRegs(hmi, base, 2, []byte{0, 1, 0xff, 0xfe})
	var enc Encoder
	got := string(enc.AppendAccess(nil, &a))
	want := `{"@timestamp":"2020-07-25T07:03:28Z",` +
		`"event":{"kind":"event","category":["network"],"type":["change","protocol"],"action":"write","dataset":"icsdissect.access","module":"icsdissect","outcome":"success","start":"2020-07-25T07:03:27.999999Z","end":"2020-07-25T07:03:28Z","duration":1000},` +
		`"network":{"protocol":"modbus","transport":"tcp","type":"ipv4","community_id":"1:QW5xkC6hy1WKBsLXKrHUTo2SKgA="},` +
		`"source":{"ip":"10.0.0.20","port":40000},"destination":{"ip":"10.0.0.10","port":502,"mac":"00-01-02-03-04-05"},` +
		`"related":{"ip":["10.0.0.20","10.0.0.10"]},` +
		`"observer":{"product":"icsdissect","vendor":"icsdissect","type":"sensor"},` +
		`"ics":{"frame":2,"request_frame":1,"operation":"write","unit":1,"transaction":7,"function":{"code":16,"name":"Write Multiple Registers"},"flags":["paired"],` +
		`"address":{"space":"holding_registers","start":100,"count":2},"value_type":"register",` +
		`"values":[{"address":100,"value":1},{"address":101,"value":65534}]}}`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestJSONLines(t *testing.T) {
	var buf bytes.Buffer
	j := NewJSONLines(&buf)
	a, o, id, c := sampleEvents()
	j.Access(a)
	j.Operation(o)
	j.Identity(id)
	j.Change(c)
	j.Accesses = false
	j.Access(a)
	if j.Err() != nil {
		t.Fatal(j.Err())
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4", len(lines))
	}
	for _, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Errorf("invalid JSON: %s", l)
		}
	}
}

func TestJSONAllocs(t *testing.T) {
	a, o, _, _ := sampleEvents()
	j := NewJSONLines(discard{})
	var obs Observer = j
	var enc Encoder
	buf := make([]byte, 0, 4096)
	allocCases := []struct {
		name string
		fn   func()
	}{
		{"Encoder.AppendAccess", func() { buf = enc.AppendAccess(buf[:0], &a) }},
		{"Encoder.AppendOp", func() { buf = enc.AppendOp(buf[:0], &o) }},
		{"JSONLines.Access through Observer", func() { obs.Access(a) }},
		{"JSONLines.Operation through Observer", func() { obs.Operation(o) }},
	}
	for _, c := range allocCases {
		c.fn()
		if n := testing.AllocsPerRun(100, c.fn); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", c.name, n)
		}
	}
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }

// TestJSONECSCorpus checks the ECS names of every event and device record
// the package writes for the captures of the corpus.
func TestJSONECSCorpus(t *testing.T) {
	ecs := loadECS(t)
	files := corpusFiles(t)
	var buf bytes.Buffer
	lines := NewJSONLines(&buf)
	inv := NewInventory(InventoryConfig{Next: lines})
	for _, file := range files {
		eng := New(Config{Observer: inv})
		var cfg pcapx.Config
		eng.Attach(&cfg)
		pcapx.ReadFile(file, cfg)
		eng.Flush()
	}
	var enc Encoder
	for _, d := range inv.Devices() {
		buf.Write(enc.AppendDevice(nil, d))
		buf.WriteByte('\n')
	}
	seen := map[string]bool{}
	n := 0
	for _, line := range bytes.Split(buf.Bytes(), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		n++
		for _, name := range checkECS(t, ecs, line) {
			seen[name] = true
		}
		if t.Failed() {
			return
		}
	}
	names := make([]string, 0, len(seen))
	for name := range seen {
		names = append(names, name)
	}
	slices.Sort(names)
	t.Logf("ECS: %d JSON objects of %d captures, %d ECS field names, all in ECS with their types: %s",
		n, len(files), len(names), strings.Join(names, " "))
}
