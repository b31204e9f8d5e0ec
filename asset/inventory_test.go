package asset

import (
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder keeps every event it observes (cloned), for tests.
type recorder struct {
	accesses   []Access
	ops        []Op
	identities []Identity
	changes    []Change
	nChanges   int
}

func (r *recorder) Access(a Access)      { r.accesses = append(r.accesses, a.Clone()) }
func (r *recorder) Operation(o Op)       { r.ops = append(r.ops, o.Clone()) }
func (r *recorder) Identity(id Identity) { r.identities = append(r.identities, id) }
func (r *recorder) Change(c Change) {
	r.changes = append(r.changes, c)
	r.nChanges++
}

func (r *recorder) changeKinds() []string {
	var out []string
	for _, c := range r.changes {
		out = append(out, c.Kind.String()+" "+c.Item+" "+c.Before+"->"+c.After)
	}
	return out
}

var (
	plc  = Endpoint{Addr: mustAddr("10.0.0.10"), Port: 502, MAC: MAC{0, 1, 2, 3, 4, 5}}
	hmi  = Endpoint{Addr: mustAddr("10.0.0.20"), Port: 40000}
	eng  = Endpoint{Addr: mustAddr("10.0.0.30"), Port: 40001}
	sec  = int64(1e9)
	base = int64(1595660608) * sec
)

func writeRegs(client Endpoint, ts int64, frame uint64, raw []byte) Access {
	return Access{
		Meta: Meta{Proto: Modbus, Transport: TCP, Client: client, Server: plc, Unit: 1, Transaction: 7,
			Function: 16, FunctionName: "Write Multiple Registers", Time: ts, RequestTime: ts - 1000,
			Frame: frame, RequestFrame: frame - 1, Flags: FlagPaired},
		Kind: OpWrite, Action: ActionWrite,
		Address: Address{Space: SpaceHoldingRegisters, Start: 100, Count: uint32(len(raw) / 2)},
		Values:  RegisterValues(100, raw, len(raw)/2),
	}
}

func TestInventory(t *testing.T) {
	var rec recorder
	inv := NewInventory(InventoryConfig{Next: &rec})

	inv.Access(writeRegs(hmi, base, 2, testkit.Hex("0001 0002")))
	assert.Equal(t, []string{
		"new_device device ->10.0.0.20", "new_device device ->10.0.0.10",
		"new_protocol modbus ->client", "new_protocol modbus ->server", "new_client client ->10.0.0.20",
		"first_write unit 1 holding_registers 100 ->1", "first_write unit 1 holding_registers 101 ->2",
	}, rec.changeKinds())
	require.Len(t, rec.accesses, 1)

	rec.changes = nil
	read := writeRegs(hmi, base+sec, 4, testkit.Hex("0001 0003"))
	read.Kind, read.Action, read.Function = OpRead, ActionRead, 3
	inv.Access(read)
	assert.Empty(t, rec.changes)

	inv.Access(writeRegs(eng, base+2*sec, 6, testkit.Hex("0009")))
	assert.Equal(t, []string{"new_device device ->10.0.0.30", "new_protocol modbus ->client", "new_client client ->10.0.0.30"}, rec.changeKinds())

	// A failed write changes no tag.
	rec.changes = nil
	failed := writeRegs(eng, base+3*sec, 8, testkit.Hex("0005 0006 0007"))
	failed.Status = Status{Code: 2, Name: "Illegal Data Address", Failed: true}
	inv.Access(failed)
	assert.Empty(t, rec.changes)

	d := inv.Device(plc.Addr)
	require.NotNil(t, d)
	assert.Equal(t, []MAC{plc.MAC}, d.MACs)
	assert.Equal(t, base, d.First)
	assert.Equal(t, base+3*sec, d.Last)
	assert.Equal(t, RoleServer, d.Roles(Modbus))
	assert.Equal(t, []Protocol{Modbus}, d.Protocols())
	assert.Equal(t, uint64(3), d.Writes)
	assert.Equal(t, uint64(1), d.Reads)
	tags := d.Tags()
	require.Len(t, tags, 2)
	assert.Equal(t, "unit 1 holding_registers 100", tags[0].Name())
	assert.Equal(t, uint64(2), tags[0].Writes)
	assert.Equal(t, uint64(1), tags[0].Reads)
	assert.Equal(t, "9", tags[0].Value.String())
	assert.Equal(t, eng, tags[0].LastWriter)
	assert.Equal(t, base+2*sec, tags[0].LastWrite)
	assert.Equal(t, "3", tags[1].Value.String(), "the read's value is the last")
	assert.Equal(t, hmi, tags[1].LastWriter)
	peers := d.Peers()
	require.Len(t, peers, 2)
	assert.Equal(t, Peer{Addr: hmi.Addr, Proto: Modbus, Role: RoleClient, First: base, Last: base + sec, Events: 2}, peers[0])
	assert.Equal(t, eng.Addr, peers[1].Addr)
	assert.Equal(t, []FunctionCount{{Modbus, 3, 1}, {Modbus, 16, 3}}, d.Functions())
	assert.Equal(t, []FunctionCount{{Proto: Modbus, Code: 1}}, d.Units())
	h := inv.Device(hmi.Addr)
	assert.Equal(t, RoleClient, h.Roles(Modbus))
	assert.Equal(t, []Peer{{Addr: plc.Addr, Proto: Modbus, Role: RoleServer, First: base, Last: base + sec, Events: 2}}, h.Peers())
	assert.Len(t, inv.Devices(), 3)
	assert.Equal(t, hmi.Addr, inv.Devices()[1].Addr)

	// Identity: a changed firmware is kept beside the old one.
	rec.changes = nil
	id := Identity{Proto: Modbus, Device: plc, Peer: hmi, Time: base + 4*sec, Frame: 10, Attrs: []Attr{
		{Field: FieldVendor, Name: "VendorName", Value: "Schneider Electric", Frame: 10},
		{Field: FieldFirmware, Name: "MajorMinorRevision", Value: "v1.0", Frame: 10},
		{Field: FieldOther, Name: "object 0x80", Raw: []byte{1, 2}, Frame: 10},
	}}
	inv.Identity(id)
	id.Time, id.Frame = base+5*sec, 12
	for i := range id.Attrs {
		id.Attrs[i].Frame = 12
	}
	inv.Identity(id)
	assert.Empty(t, rec.changes)
	id.Attrs[1].Value = "v1.1"
	id.Time, id.Frame = base+6*sec, 14
	inv.Identity(id)
	assert.Equal(t, []string{"identity_changed firmware v1.0->v1.1"}, rec.changeKinds())
	fw, ok := d.Get(FieldFirmware)
	assert.True(t, ok)
	assert.Equal(t, "v1.1", fw)
	vals := d.Identity() // ordered by field: other, vendor, firmware
	require.Len(t, vals, 4)
	assert.Equal(t, []byte{1, 2}, vals[0].Raw)
	assert.Equal(t, "Schneider Electric", vals[1].Value)
	assert.Equal(t, uint64(3), vals[1].Count)
	assert.Equal(t, uint64(10), vals[1].Frame)
	assert.Equal(t, uint64(12), vals[1].LastFrame, "the attribute's own frame")
	assert.Equal(t, []string{"v1.0", "v1.1"}, []string{vals[2].Value, vals[3].Value})
	_, ok = d.Get(FieldSerial)
	assert.False(t, ok)

	// Operations: mode changes and program transfers.
	rec.changes = nil
	op := Op{Meta: Meta{Proto: Modbus, Client: eng, Server: plc, Time: base + 7*sec, Frame: 20, Flags: FlagPaired},
		Kind: OpControl, Action: ActionStop}
	inv.Operation(op)
	op.Status.Failed = true
	op.Action = ActionStart
	inv.Operation(op)
	op.Status.Failed = false
	inv.Operation(op)
	op.Kind, op.Action, op.Target = OpProgram, ActionDownload, []byte("OB1")
	inv.Operation(op)
	op.Action = ActionListBlocks
	inv.Operation(op)
	assert.Equal(t, []string{"mode_changed mode ->stop", "mode_changed mode stop->run", "program_transfer OB1 ->program_download"}, rec.changeKinds())
	assert.Equal(t, "run", d.Mode)
	assert.Equal(t, uint64(3), d.Ops[OpControl])
	assert.Equal(t, uint64(2), d.Ops[OpProgram])

	// A reported mode is a mode change too.
	rec.changes = nil
	inv.Identity(Identity{Proto: S7comm, Device: plc, Time: base + 8*sec, Frame: 30, Attrs: []Attr{{Field: FieldMode, Name: "szl 0x0424", Value: "stop"}}})
	assert.Equal(t, []string{"new_protocol s7comm ->server", "mode_changed mode run->stop"}, rec.changeKinds())

	st := inv.Stats()
	assert.Equal(t, uint64(4), st.Accesses)
	assert.Equal(t, uint64(5), st.Ops)
	assert.Equal(t, uint64(4), st.Identities)
	assert.Equal(t, uint64(rec.nChanges), st.Changes)
}

func TestInventoryBounds(t *testing.T) {
	inv := NewInventory(InventoryConfig{MaxDevices: 2, MaxTags: 3, MaxPeers: 1})
	inv.Access(writeRegs(hmi, base, 2, testkit.Hex("0001 0002 0003 0004")))
	inv.Access(writeRegs(eng, base, 2, testkit.Hex("0001")))
	st := inv.Stats()
	assert.Equal(t, 2, inv.Len())
	assert.Equal(t, uint64(1), st.DroppedDevices)
	assert.Equal(t, uint64(1), st.DroppedTags)
	other := writeRegs(hmi, base, 2, testkit.Hex("0001"))
	other.Proto = S7comm // another protocol is another peer
	inv.Access(other)
	assert.Equal(t, uint64(2), inv.Stats().DroppedPeers, "one on each side")

	// Identity values per attribute are bounded too: the first and the
	// most recent are kept.
	id := Identity{Proto: Modbus, Device: plc, Attrs: []Attr{{Field: FieldFirmware, Name: "x"}}}
	for i := range 20 {
		id.Time = base + int64(i)
		id.Attrs[0].Value = string(rune('a' + i))
		inv.Identity(id)
	}
	var got []string
	for _, v := range inv.Device(plc.Addr).Identity() {
		got = append(got, v.Value)
	}
	assert.Equal(t, []string{"a", "n", "o", "p", "q", "r", "s", "t"}, got)
}

func TestInventoryNoValues(t *testing.T) {
	inv := NewInventory(InventoryConfig{})
	a := writeRegs(hmi, base, 2, nil)
	a.Kind, a.Action, a.Count = OpRead, ActionRead, 3
	a.Flags = FlagUnanswered
	inv.Access(a)
	tags := inv.Device(plc.Addr).Tags()
	require.Len(t, tags, 3)
	assert.False(t, tags[0].HasValue)
	assert.Equal(t, uint64(1), tags[2].Reads)

	sym := Access{Meta: Meta{Proto: ENIP, Client: hmi, Server: plc, Time: base}, Kind: OpWrite, Action: ActionWrite,
		Address: Address{Space: SpaceCIPTag, Symbol: []byte("Program:Main.Speed"), Count: 1}}
	inv.Access(sym)
	sym.Symbol = []byte("Program:Main.Speed")
	inv.Access(sym)
	tags = inv.Device(plc.Addr).Tags()
	require.Len(t, tags, 4)
	assert.Equal(t, "Program:Main.Speed", tags[3].Name())
	assert.Equal(t, uint64(2), tags[3].Writes)
}

func TestTagNames(t *testing.T) {
	for _, c := range []struct {
		tag  Tag
		want string
	}{
		{Tag{Space: SpaceS7DB, Block: 1, Addr: 4, TypeName: "WORD"}, "DB1.DBW4"},
		{Tag{Space: SpaceS7DB, Block: 1, Addr: 0, Bit: 1, TypeName: "BIT"}, "DB1.DBX0.1"},
		{Tag{Space: SpaceS7DI, Block: 3, Addr: 8, TypeName: "REAL"}, "DI3.DID8"},
		{Tag{Space: SpaceS7Flags, Addr: 10, Bit: 3, TypeName: "BOOL"}, "M10.3"},
		{Tag{Space: SpaceS7Flags, Addr: 10, TypeName: "BYTE"}, "MB10"},
		{Tag{Space: SpaceS7Inputs, Addr: 2, TypeName: "DINT"}, "ID2"},
		{Tag{Space: SpaceS7Outputs, Addr: 0}, "QB0"},
		{Tag{Space: SpaceS7Timers, Addr: 5}, "T5"},
		{Tag{Space: SpaceS7Counters, Addr: 2}, "C2"},
		{Tag{Space: SpaceS7Local, Addr: 2}, "LB2"},
		{Tag{Space: SpaceS7Peripheral, Addr: 256, TypeName: "WORD"}, "PW256"},
		{Tag{Space: SpaceCIPAttribute, Block: 0xf5, Instance: 1, Attribute: 6}, "class 0xf5 instance 1 attribute 6"},
		{Tag{Space: SpaceDNP3Points, Block: 30, Addr: 5}, "g30 index 5"},
		{Tag{Space: SpaceIEC104Objects, Unit: 1, Addr: 1001}, "ca 1 ioa 1001"},
		{Tag{Space: SpaceFileRecords, Block: 4, Addr: 1}, "file 4 record 1"},
		{Tag{Space: SpaceCoils, Unit: 255, Addr: 7}, "unit 255 coils 7"},
		{Tag{Space: SpaceS7Other, Block: 0x84, Addr: 7}, "s7_area 7"},
		{Tag{Space: SpaceCIPTag, Symbol: "Motor[3]"}, "Motor[3]"},
	} {
		assert.Equal(t, c.want, c.tag.Name())
	}
}

// countingObserver counts events without keeping them.
type countingObserver struct {
	NopObserver
	n int
}

func (c *countingObserver) Access(Access) { c.n++ }

func TestInventoryAllocs(t *testing.T) {
	var next countingObserver
	inv := NewInventory(InventoryConfig{Next: &next})
	var obs Observer = inv
	w := writeRegs(hmi, base, 2, testkit.Hex("0001 0002 0003"))
	r := w
	r.Kind, r.Action = OpRead, ActionRead
	sym := Access{Meta: Meta{Proto: ENIP, Client: hmi, Server: plc, Time: base}, Kind: OpWrite, Action: ActionWrite,
		Address: Address{Space: SpaceCIPTag, Symbol: []byte("Program:Main.Speed"), Count: 1},
		Values:  RegisterValues(0, []byte{0, 1}, 1)}
	testkit.ZeroAllocs(t, []testkit.AllocCase{
		{Name: "Inventory.Access write known tags", Fn: func() { obs.Access(w) }},
		{Name: "Inventory.Access read known tags", Fn: func() { obs.Access(r) }},
		{Name: "Inventory.Access symbolic tag", Fn: func() { obs.Access(sym) }},
	})
}
