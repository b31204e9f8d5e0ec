package asset

import (
	"bytes"
	"net/netip"
	"slices"
	"strconv"
)

// Role is what a device does in a protocol: client, server or both. A DNP3
// client is a master and a server an outstation; an IEC 104 client is the
// controlling station and a server the controlled one (RoleName says so).
type Role uint8

// Roles.
const (
	RoleClient Role = 1 << iota
	RoleServer
)

// Has reports whether every role of x is set.
func (r Role) Has(x Role) bool { return r&x == x }

// RoleName returns the protocol's name for one role: "client" and "server",
// "master" and "outstation" for DNP3, "controlling" and "controlled" for IEC
// 104. It does not allocate.
func RoleName(p Protocol, r Role) string {
	switch r {
	case RoleClient:
		switch p {
		case DNP3:
			return "master"
		case IEC104:
			return "controlling"
		}
		return "client"
	case RoleServer:
		switch p {
		case DNP3:
			return "outstation"
		case IEC104:
			return "controlled"
		}
		return "server"
	}
	return ""
}

// Defaults for the zero values of InventoryConfig.
const (
	DefaultMaxDevices = 65536
	DefaultMaxTags    = 65536
	DefaultMaxPeers   = 4096
	// maxIdentityValues bounds the values kept per identity attribute: the
	// first, and the most recent ones.
	maxIdentityValues = 8
	maxMACs           = 8
	maxFunctions      = 512
	maxUnits          = 256
	// maxElements bounds the elements of one access that update the tag
	// table (a read of 2000 coils updates 2000 tags; beyond this they are
	// counted, not kept).
	maxElements = 4096
)

// InventoryConfig bounds an Inventory. Zero values take the defaults.
type InventoryConfig struct {
	// Next receives every event the inventory receives, and the changes it
	// notices; nil discards them.
	Next Observer
	// MaxDevices bounds the devices (addresses) kept; MaxTags the tags per
	// device; MaxPeers the peers per device. Events beyond a bound are
	// counted in InventoryStats, not kept.
	MaxDevices, MaxTags, MaxPeers int
}

// InventoryStats counts what an Inventory saw and what its bounds dropped.
type InventoryStats struct {
	Accesses, Ops, Identities, Changes                         uint64
	DroppedDevices, DroppedTags, DroppedPeers, DroppedElements uint64
}

// Inventory builds, from the events it observes, the devices of a network:
// their roles, protocols, peers, first and last time seen, merged identity
// (values that disagree are all kept) and tag table; and it reports what
// changed as Change events. It is an Observer: put it between the engine
// and your own observer, which then receives every event followed by the
// changes it caused.
//
// Updating the inventory with an access to a known tag allocates nothing; a
// new device, peer or tag allocates once, and a value longer than the
// tag's buffer grows it. An Inventory is not safe for concurrent use.
type Inventory struct {
	cfg     InventoryConfig
	next    Observer
	devices map[netip.Addr]*Device
	stats   InventoryStats
	key     []byte
	// last is the conversation of the last event.
	last touchCache
}

// NewInventory returns an empty inventory.
func NewInventory(cfg InventoryConfig) *Inventory {
	if cfg.MaxDevices <= 0 {
		cfg.MaxDevices = DefaultMaxDevices
	}
	if cfg.MaxTags <= 0 {
		cfg.MaxTags = DefaultMaxTags
	}
	if cfg.MaxPeers <= 0 {
		cfg.MaxPeers = DefaultMaxPeers
	}
	next := cfg.Next
	if next == nil {
		next = NopObserver{}
	}
	return &Inventory{cfg: cfg, next: next, devices: make(map[netip.Addr]*Device)}
}

// Stats returns the counts so far.
func (inv *Inventory) Stats() InventoryStats { return inv.stats }

// Len returns the number of devices.
func (inv *Inventory) Len() int { return len(inv.devices) }

// Device returns the device with address a, or nil.
func (inv *Inventory) Device(a netip.Addr) *Device { return inv.devices[a] }

// Devices returns the devices ordered by address. The Devices belong to the
// inventory and change as it observes more events.
func (inv *Inventory) Devices() []*Device {
	out := make([]*Device, 0, len(inv.devices))
	for _, d := range inv.devices {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b *Device) int { return a.Addr.Compare(b.Addr) })
	return out
}

// Device is one address of the network and what was learnt about it.
type Device struct {
	Addr netip.Addr
	// MACs are the hardware addresses seen with this address, first seen
	// first (several when the address sits behind a router or moved).
	MACs []MAC
	// First and Last are the capture times (ns) it was first and last seen.
	First, Last int64
	// Mode is the operating mode last commanded or reported ("run",
	// "stop", "listen_only"), "" when unknown.
	Mode string
	// Accesses counts reads and writes served or made; Ops the operations
	// by kind.
	Reads, Writes uint64
	Ops           [numOperations]uint64

	roles     [numProtocols]Role
	peers     map[peerKey]*Peer
	identity  []IdentityValue
	pages     map[pageKey]*tagPage // addressed tags, 256 addresses a page
	ntags     int                  // addressed tags in pages
	symTags   map[string]*Tag
	functions map[funcKey]*uint64
	units     map[funcKey]struct{}
}

// Roles returns the device's roles in protocol p.
func (d *Device) Roles(p Protocol) Role {
	if p < numProtocols {
		return d.roles[p]
	}
	return 0
}

// Protocols returns the protocols the device used or served, in Protocol
// order.
func (d *Device) Protocols() []Protocol {
	var out []Protocol
	for p := Protocol(1); p < numProtocols; p++ {
		if d.roles[p] != 0 {
			out = append(out, p)
		}
	}
	return out
}

// Peer is a device this device talked to in one protocol.
type Peer struct {
	Addr  netip.Addr
	Proto Protocol
	// Role is the peer's role toward this device: RoleClient when the peer
	// is a client of this device.
	Role        Role
	First, Last int64
	// Events counts the accesses and operations between the two.
	Events uint64
}

type peerKey struct {
	addr  netip.Addr
	proto Protocol
	role  Role
}

// Peers returns the device's peers ordered by address, protocol and role.
func (d *Device) Peers() []Peer {
	out := make([]Peer, 0, len(d.peers))
	for _, p := range d.peers {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Peer) int {
		if c := a.Addr.Compare(b.Addr); c != 0 {
			return c
		}
		if a.Proto != b.Proto {
			return int(a.Proto) - int(b.Proto)
		}
		return int(a.Role) - int(b.Role)
	})
	return out
}

// IdentityValue is one value an identity attribute took, with where and when
// it was stated. Values of one attribute that disagree are all kept, in the
// order first seen.
type IdentityValue struct {
	Proto  Protocol
	Module string
	Field  Field
	Name   string
	Value  string
	Raw    []byte
	// First and Last are the times (ns) it was first and last stated;
	// Frame the first frame that stated it, LastFrame the last; Count how
	// many messages stated it.
	First, Last      int64
	Frame, LastFrame uint64
	Count            uint64
}

func (v *IdentityValue) sameAttr(p Protocol, module string, a *Attr) bool {
	return v.Proto == p && v.Module == module && v.Field == a.Field && v.Name == a.Name
}

// Identity returns every identity value, grouped by module, protocol, field
// and name (values of one attribute in the order first seen).
func (d *Device) Identity() []IdentityValue {
	out := slices.Clone(d.identity)
	slices.SortStableFunc(out, func(a, b IdentityValue) int {
		switch {
		case a.Module != b.Module:
			return cmpStr(a.Module, b.Module)
		case a.Proto != b.Proto:
			return int(a.Proto) - int(b.Proto)
		case a.Field != b.Field:
			return int(a.Field) - int(b.Field)
		}
		return cmpStr(a.Name, b.Name)
	})
	return out
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Get returns the device's value of field f: from the device itself (module
// "") before its modules, the most recently stated value first. It reports
// false when no message stated the field.
func (d *Device) Get(f Field) (string, bool) {
	best := -1
	for i := range d.identity {
		v := &d.identity[i]
		if v.Field != f || v.Value == "" {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		b := &d.identity[best]
		if (v.Module == "") != (b.Module == "") {
			if v.Module == "" {
				best = i
			}
			continue
		}
		if v.Last > b.Last {
			best = i
		}
	}
	if best < 0 {
		return "", false
	}
	return d.identity[best].Value, true
}

// Tag is one register, coil, tag element, point or information object of a
// device, and what was done with it.
type Tag struct {
	Proto Protocol
	// Unit is the station (see Meta.Unit).
	Unit uint32
	Space
	Block, Instance, Attribute uint32
	Addr                       uint64
	Bit                        uint8
	// Symbol is the tag's symbolic name (CIP), "" for addressed tags.
	Symbol string
	// Reads and Writes count the accesses; Elements is the element count
	// of the last access to a symbolic tag (arrays).
	Reads, Writes uint64
	Elements      uint32
	// Value is the last value read or written (its Text and Bytes are owned
	// by the tag); HasValue says whether one was seen.
	Value    Value
	HasValue bool
	// TypeName is the protocol's name of the last value's type.
	TypeName string
	// LastWriter is the client of the last write; LastWrite its time.
	LastWriter Endpoint
	LastWrite  int64
	// First and Last are the times of the first and last access.
	First, Last int64
	buf         []byte
}

// touchCache is what touch found for the last event's conversation.
type touchCache struct {
	ok             bool
	client, server Endpoint
	proto          Protocol
	fn             uint16
	unit           uint32
	cdev, sdev     *Device
	cpeer, speer   *Peer
	fnCount        *uint64
}

// pageKey names 256 consecutive addresses of one address space of one
// unit: the tags of an access usually sit in one page, so that one map
// lookup finds them all.
type pageKey struct {
	proto                   Protocol
	space                   Space
	bit                     uint8
	unit, block, inst, attr uint32
	page                    uint64 // address >> 8
}

// tagPage holds the tags of one page, by the low 8 bits of their address.
type tagPage [256]*Tag

type funcKey struct {
	proto Protocol
	code  uint32
}

// Tags returns the device's tags ordered by protocol, unit, space, block and
// address, symbols last by name.
func (d *Device) Tags() []*Tag {
	out := make([]*Tag, 0, d.ntags+len(d.symTags))
	for _, pg := range d.pages {
		for _, t := range pg {
			if t != nil {
				out = append(out, t)
			}
		}
	}
	for _, t := range d.symTags {
		out = append(out, t)
	}
	slices.SortFunc(out, compareTags)
	return out
}

func compareTags(a, b *Tag) int {
	switch {
	case a.Proto != b.Proto:
		return int(a.Proto) - int(b.Proto)
	case a.Unit != b.Unit:
		return cmpU(uint64(a.Unit), uint64(b.Unit))
	case a.Space != b.Space:
		return int(a.Space) - int(b.Space)
	case a.Block != b.Block:
		return cmpU(uint64(a.Block), uint64(b.Block))
	case a.Instance != b.Instance:
		return cmpU(uint64(a.Instance), uint64(b.Instance))
	case a.Attribute != b.Attribute:
		return cmpU(uint64(a.Attribute), uint64(b.Attribute))
	case a.Symbol != b.Symbol:
		return cmpStr(a.Symbol, b.Symbol)
	case a.Addr != b.Addr:
		return cmpU(a.Addr, b.Addr)
	}
	return int(a.Bit) - int(b.Bit)
}

func cmpU(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Functions returns the function codes (Meta.Function) seen on the device
// as a server, per protocol, with their counts.
func (d *Device) Functions() []FunctionCount {
	out := make([]FunctionCount, 0, len(d.functions))
	for k, n := range d.functions {
		out = append(out, FunctionCount{Proto: k.proto, Code: uint16(k.code), Count: *n})
	}
	slices.SortFunc(out, func(a, b FunctionCount) int {
		if a.Proto != b.Proto {
			return int(a.Proto) - int(b.Proto)
		}
		return int(a.Code) - int(b.Code)
	})
	return out
}

// FunctionCount is how often a device served one function code.
type FunctionCount struct {
	Proto Protocol
	Code  uint16
	Count uint64
}

// Units returns the stations the device served (Modbus unit ids, S7
// rack<<8|slot, DNP3 outstation addresses, IEC 104 common addresses, CIP
// routes), per protocol.
func (d *Device) Units() []FunctionCount {
	out := make([]FunctionCount, 0, len(d.units))
	for k := range d.units {
		out = append(out, FunctionCount{Proto: k.proto, Code: uint16(k.code)})
	}
	slices.SortFunc(out, func(a, b FunctionCount) int {
		if a.Proto != b.Proto {
			return int(a.Proto) - int(b.Proto)
		}
		return int(a.Code) - int(b.Code)
	})
	return out
}

// device returns the device for e, creating it (and reporting a new device)
// when needed; nil when the bound is reached.
func (inv *Inventory) device(e Endpoint, p Protocol, ts int64, frame uint64) *Device {
	if !e.Addr.IsValid() {
		return nil
	}
	d := inv.devices[e.Addr]
	if d == nil {
		if len(inv.devices) >= inv.cfg.MaxDevices {
			inv.stats.DroppedDevices++
			return nil
		}
		d = &Device{Addr: e.Addr, First: ts, Last: ts}
		inv.devices[e.Addr] = d
		inv.change(Change{Kind: ChangeNewDevice, Proto: p, Device: e, Item: "device", After: e.Addr.String(), Time: ts, Frame: frame})
	}
	if ts > d.Last {
		d.Last = ts
	}
	if ts != 0 && (ts < d.First || d.First == 0) {
		d.First = ts
	}
	if !e.MAC.IsZero() && !slices.Contains(d.MACs, e.MAC) && len(d.MACs) < maxMACs {
		d.MACs = append(d.MACs, e.MAC)
	}
	return d
}

func (inv *Inventory) change(c Change) {
	inv.stats.Changes++
	inv.next.Change(c)
}

// touch records one event between client and server: devices, roles,
// peers. It returns the server's device (nil when dropped).
func (inv *Inventory) touch(m *Meta) (client, server *Device) {
	ts := m.Time
	// Events come in runs from one conversation: the last one's devices,
	// peers and function counter serve the next without map lookups.
	if c := &inv.last; c.ok && c.client == m.Client && c.server == m.Server && c.proto == m.Proto &&
		c.fn == m.Function && c.unit == m.Unit {
		for _, d := range [2]*Device{c.cdev, c.sdev} {
			if ts > d.Last {
				d.Last = ts
			}
			if ts != 0 && ts < d.First {
				d.First = ts
			}
		}
		for _, p := range [2]*Peer{c.cpeer, c.speer} {
			if p != nil {
				p.Events++
				if ts > p.Last {
					p.Last = ts
				}
			}
		}
		if c.fnCount != nil {
			*c.fnCount++
		}
		return c.cdev, c.sdev
	}
	inv.last.ok = false
	client = inv.device(m.Client, m.Proto, ts, m.Frame)
	server = inv.device(m.Server, m.Proto, ts, m.Frame)
	if m.Proto >= numProtocols {
		return client, server
	}
	var fnCount *uint64
	if client != nil {
		inv.role(client, m.Client, RoleClient, m)
	}
	if server != nil {
		inv.role(server, m.Server, RoleServer, m)
		if m.Function != 0 || m.FunctionName != "" {
			k := funcKey{m.Proto, uint32(m.Function)}
			fnCount = server.functions[k]
			if fnCount == nil && len(server.functions) < maxFunctions {
				if server.functions == nil {
					server.functions = make(map[funcKey]*uint64)
				}
				fnCount = new(uint64)
				server.functions[k] = fnCount
			}
			if fnCount != nil {
				*fnCount++
			}
		}
		k := funcKey{m.Proto, m.Unit}
		if _, ok := server.units[k]; !ok && len(server.units) < maxUnits {
			if server.units == nil {
				server.units = make(map[funcKey]struct{})
			}
			server.units[k] = struct{}{}
		}
	}
	var cpeer, speer *Peer
	if client != nil && server != nil && client != server {
		var newClient bool
		cpeer, newClient = inv.peer(server, m.Client.Addr, m.Proto, RoleClient, ts)
		speer, _ = inv.peer(client, m.Server.Addr, m.Proto, RoleServer, ts)
		if newClient {
			inv.change(Change{Kind: ChangeNewClient, Proto: m.Proto, Device: m.Server, Peer: m.Client,
				Item: "client", After: m.Client.Addr.String(), Time: ts, Frame: m.Frame})
		}
	}
	if client != nil && server != nil {
		inv.last = touchCache{ok: true, client: m.Client, server: m.Server, proto: m.Proto, fn: m.Function, unit: m.Unit,
			cdev: client, sdev: server, cpeer: cpeer, speer: speer, fnCount: fnCount}
	}
	return client, server
}

func (inv *Inventory) role(d *Device, e Endpoint, r Role, m *Meta) {
	if d.roles[m.Proto]&r != 0 {
		return
	}
	first := d.roles[m.Proto] == 0
	d.roles[m.Proto] |= r
	if first {
		inv.change(Change{Kind: ChangeNewProtocol, Proto: m.Proto, Device: e, Item: m.Proto.String(),
			After: RoleName(m.Proto, r), Time: m.Time, Frame: m.Frame})
	}
}

// peer records a peer of d and returns it (nil when the bound is reached),
// and whether it is new.
func (inv *Inventory) peer(d *Device, a netip.Addr, p Protocol, r Role, ts int64) (*Peer, bool) {
	k := peerKey{a, p, r}
	if pr := d.peers[k]; pr != nil {
		pr.Events++
		if ts > pr.Last {
			pr.Last = ts
		}
		return pr, false
	}
	if len(d.peers) >= inv.cfg.MaxPeers {
		inv.stats.DroppedPeers++
		return nil, false
	}
	if d.peers == nil {
		d.peers = make(map[peerKey]*Peer)
	}
	pr := &Peer{Addr: a, Proto: p, Role: r, First: ts, Last: ts, Events: 1}
	d.peers[k] = pr
	return pr, true
}

// Access records a read or write and passes it on.
func (inv *Inventory) Access(a Access) {
	inv.stats.Accesses++
	inv.next.Access(a)
	_, server := inv.touch(&a.Meta)
	if server == nil {
		return
	}
	write := a.Kind == OpWrite
	if write {
		server.Writes++
	} else {
		server.Reads++
	}
	// A write that failed changed nothing; a read that failed read nothing.
	if a.Status.Failed {
		return
	}
	n := a.Values.Len()
	if a.Values.codec == codecMask {
		n = 0 // masks, not the value the register took
	}
	if a.Flags&(FlagUnmatched|FlagMismatched) != 0 {
		return // addresses unknown without the request
	}
	if n == 0 {
		// No values (an unanswered read, a write seen only by its
		// response): count the access on the tags it names.
		cnt := int(a.Count)
		if a.Space == SpaceCIPTag || a.Space == SpaceS7Symbol || a.Space == SpaceCIPAttribute {
			cnt = 1
		}
		for i := range min(cnt, maxElements) {
			inv.tag(server, &a, a.Start+uint64(i), Value{}, false, write, "")
		}
		if cnt > maxElements {
			inv.stats.DroppedElements += uint64(cnt - maxElements)
		}
		return
	}
	if a.Space == SpaceCIPTag || a.Space == SpaceS7Symbol || a.Space == SpaceCIPAttribute {
		v, ok := a.Values.At(0)
		inv.tag(server, &a, a.Start, v, ok, write, a.Values.TypeName())
		return
	}
	// The elements of one access share their address space: one map
	// lookup per page of 256 addresses finds their tags.
	typ := a.Values.TypeName()
	key := pageKey{a.Proto, a.Space, a.Bit, a.Unit, a.Block, a.Instance, a.Attribute, ^uint64(0)}
	var pg *tagPage
	k := 0
	for _, v := range a.Values.All {
		if k == maxElements {
			break
		}
		k++
		if p := v.Addr >> 8; p != key.page || pg == nil {
			key.page = p
			pg = inv.pageOf(server, key)
		}
		t := pg[v.Addr&0xff]
		if t == nil {
			if t = inv.newTag(server, &a, v.Addr); t == nil {
				continue
			}
			pg[v.Addr&0xff] = t
			server.ntags++
		}
		if write {
			inv.written(t, &a, v, true, typ)
			continue
		}
		t.Last = a.Time
		t.Reads++
		t.setValue(&v, typ)
	}
	if n > maxElements {
		inv.stats.DroppedElements += uint64(n - maxElements)
	}
}

// pageOf returns the page of key in device d, making it when needed.
func (inv *Inventory) pageOf(d *Device, key pageKey) *tagPage {
	pg := d.pages[key]
	if pg == nil {
		if d.pages == nil {
			d.pages = make(map[pageKey]*tagPage)
		}
		pg = new(tagPage)
		d.pages[key] = pg
	}
	return pg
}

// newTag returns a new tag of addr in a's address space, or nil when the
// device's tag table is full.
func (inv *Inventory) newTag(d *Device, a *Access, addr uint64) *Tag {
	if d.ntags+len(d.symTags) >= inv.cfg.MaxTags {
		inv.stats.DroppedTags++
		return nil
	}
	return &Tag{Proto: a.Proto, Unit: a.Unit, Space: a.Space, Block: a.Block, Instance: a.Instance,
		Attribute: a.Attribute, Addr: addr, Bit: a.Bit, First: a.Time}
}

// tag records one element of an access: the tag of addr (or of a's symbol),
// with value v when hasValue.
func (inv *Inventory) tag(d *Device, a *Access, addr uint64, v Value, hasValue, write bool, typ string) {
	var t *Tag
	symbolic := len(a.Symbol) > 0
	var pg *tagPage
	if symbolic {
		inv.key = strconv.AppendUint(append(inv.key[:0], byte(a.Proto)), uint64(a.Unit), 10)
		inv.key = append(append(inv.key, ' '), a.Symbol...)
		t = d.symTags[string(inv.key)]
	} else {
		pg = inv.pageOf(d, pageKey{a.Proto, a.Space, a.Bit, a.Unit, a.Block, a.Instance, a.Attribute, addr >> 8})
		t = pg[addr&0xff]
	}
	if t == nil {
		if t = inv.newTag(d, a, addr); t == nil {
			return
		}
		if symbolic {
			t.Symbol = string(a.Symbol)
			if d.symTags == nil {
				d.symTags = make(map[string]*Tag)
			}
			d.symTags[string(inv.key)] = t
		} else {
			pg[addr&0xff] = t
			d.ntags++
		}
	}
	if symbolic {
		t.Elements = uint32(a.Values.Len())
	}
	if write {
		inv.written(t, a, v, hasValue, typ)
		return
	}
	t.Last = a.Time
	t.Reads++
	if hasValue {
		t.setValue(&v, typ)
	}
}

// setValue keeps v as the tag's last value, its bytes copied into the
// tag's buffer.
func (t *Tag) setValue(v *Value, typ string) {
	t.Value = *v
	if v.b != nil {
		t.buf = append(t.buf[:0], v.b...)
		t.Value.b = t.buf
	}
	t.HasValue = true
	if t.TypeName != typ {
		t.TypeName = typ
	}
}

// written records a write of v to tag t, and reports the tag's first write.
func (inv *Inventory) written(t *Tag, a *Access, v Value, hasValue bool, typ string) {
	t.Last = a.Time
	first := t.Writes == 0
	t.Writes++
	t.LastWriter = a.Client
	t.LastWrite = a.Time
	var before string
	if first && t.HasValue {
		before = t.Value.String()
	}
	if hasValue {
		t.setValue(&v, typ)
	}
	if first {
		var after string
		if hasValue {
			after = t.Value.String()
		}
		inv.change(Change{Kind: ChangeFirstWrite, Proto: a.Proto, Device: a.Server, Peer: a.Client,
			Item: t.Name(), Before: before, After: after, Time: a.Time, Frame: a.Frame})
	}
}

// Operation records an operation and passes it on. Program and firmware
// transfers are reported as changes; run/stop commands that succeeded
// change the device's mode.
func (inv *Inventory) Operation(o Op) {
	inv.stats.Ops++
	inv.next.Operation(o)
	_, server := inv.touch(&o.Meta)
	if server == nil {
		return
	}
	if o.Kind < numOperations {
		server.Ops[o.Kind]++
	}
	if o.Status.Failed || o.Flags&(FlagUnsolicited|FlagUnmatched) != 0 {
		return
	}
	// A request: report it once, when its answer (or its lack) is known.
	switch o.Kind {
	case OpProgram, OpFirmware:
		k := ChangeProgram
		switch o.Action {
		case ActionDownload, ActionUpload, ActionDelete, ActionCopyRAMToROM, ActionCompress:
		case ActionFirmwareUpdate:
			k = ChangeFirmware
		default:
			return // the blocks and end of a transfer, listings
		}
		inv.change(Change{Kind: k, Proto: o.Proto, Device: o.Server, Peer: o.Client, Item: string(o.Target),
			After: o.Action.String(), Time: o.Time, Frame: o.Frame})
	case OpControl:
		if o.Flags&FlagUnanswered != 0 {
			return
		}
		mode := ""
		switch o.Action {
		case ActionStop:
			mode = "stop"
		case ActionStart, ActionResume, ActionRestart, ActionColdRestart, ActionWarmRestart, ActionReset:
			mode = "run"
		case ActionListenOnly:
			mode = "listen_only"
		}
		if mode != "" {
			inv.setMode(server, &o.Meta, mode)
		}
	}
}

func (inv *Inventory) setMode(d *Device, m *Meta, mode string) {
	if d.Mode == mode {
		return
	}
	before := d.Mode
	d.Mode = mode
	inv.change(Change{Kind: ChangeMode, Proto: m.Proto, Device: m.Server, Peer: m.Client, Item: "mode",
		Before: before, After: mode, Time: m.Time, Frame: m.Frame})
}

// Identity merges an identity into the device's and passes it on. A value
// that differs from the one the same source stated before is kept beside it
// and reported as a change (a mode as a mode change).
func (inv *Inventory) Identity(id Identity) {
	inv.stats.Identities++
	inv.next.Identity(id)
	d := inv.device(id.Device, id.Proto, id.Time, id.Frame)
	if d == nil {
		return
	}
	if id.Proto < numProtocols && d.roles[id.Proto]&RoleServer == 0 {
		m := Meta{Proto: id.Proto, Server: id.Device, Time: id.Time, Frame: id.Frame}
		inv.role(d, id.Device, RoleServer, &m)
	}
	for i := range id.Attrs {
		a := &id.Attrs[i]
		frame := a.Frame
		if frame == 0 {
			frame = id.Frame
		}
		if a.Field == FieldMode {
			m := Meta{Proto: id.Proto, Server: id.Device, Client: id.Peer, Time: id.Time, Frame: frame}
			inv.setMode(d, &m, a.Value)
		}
		last := -1
		same := -1
		for j := range d.identity {
			v := &d.identity[j]
			if !v.sameAttr(id.Proto, id.Module, a) {
				continue
			}
			if last < 0 || v.Last >= d.identity[last].Last {
				last = j
			}
			if v.Value == a.Value && bytes.Equal(v.Raw, a.Raw) {
				same = j
			}
		}
		if same >= 0 {
			v := &d.identity[same]
			v.Count++
			if id.Time >= v.Last {
				v.Last, v.LastFrame = id.Time, frame
			}
			continue
		}
		nv := IdentityValue{Proto: id.Proto, Module: id.Module, Field: a.Field, Name: a.Name, Value: a.Value,
			Raw: bytes.Clone(a.Raw), First: id.Time, Last: id.Time, Frame: frame, LastFrame: frame, Count: 1}
		if last >= 0 {
			d.trimIdentity(id.Proto, id.Module, a)
			last = d.lastValue(id.Proto, id.Module, a)
			before := d.identity[last].Value
			if a.Field != FieldMode && a.Field != FieldStatus {
				inv.change(Change{Kind: ChangeIdentity, Proto: id.Proto, Device: id.Device, Peer: id.Peer,
					Module: id.Module, Item: attrItem(a), Before: before, After: a.Value, Time: id.Time, Frame: frame})
			}
		}
		d.identity = append(d.identity, nv)
	}
}

// trimIdentity makes room for one more value of attribute a: it keeps at
// most maxIdentityValues values per attribute, dropping the least recently
// stated one other than the first stated.
func (d *Device) trimIdentity(p Protocol, module string, a *Attr) {
	n, first, oldest := 0, -1, -1
	for j := range d.identity {
		v := &d.identity[j]
		if !v.sameAttr(p, module, a) {
			continue
		}
		n++
		if first < 0 {
			first = j
			continue
		}
		if oldest < 0 || v.Last < d.identity[oldest].Last {
			oldest = j
		}
	}
	if n >= maxIdentityValues && oldest >= 0 {
		d.identity = slices.Delete(d.identity, oldest, oldest+1)
	}
}

// lastValue returns the index of the most recently stated value of
// attribute a, or -1.
func (d *Device) lastValue(p Protocol, module string, a *Attr) int {
	last := -1
	for j := range d.identity {
		v := &d.identity[j]
		if v.sameAttr(p, module, a) && (last < 0 || v.Last >= d.identity[last].Last) {
			last = j
		}
	}
	return last
}

func attrItem(a *Attr) string {
	if a.Field == FieldOther {
		return a.Name
	}
	return a.Field.String()
}

// Change passes c on.
func (inv *Inventory) Change(c Change) {
	inv.stats.Changes++
	inv.next.Change(c)
}

// Name returns the tag's printable name: the symbol, or the address in the
// protocol's notation ("holding_registers 40", "DB1.DBW4", "M10.3",
// "g30v1 index 5", "ioa 1001 (M_ME_NC_1)", "class 0x01 instance 1
// attribute 7"), prefixed by the unit where the protocol has several
// per device ("unit 1 ..."). It allocates.
func (t *Tag) Name() string {
	return string(t.AppendName(nil))
}

// AppendName appends the tag's printable name (see Name).
func (t *Tag) AppendName(b []byte) []byte {
	if t.Symbol != "" {
		return append(b, t.Symbol...)
	}
	switch t.Space {
	case SpaceS7Inputs, SpaceS7Outputs, SpaceS7Flags, SpaceS7DB, SpaceS7DI, SpaceS7Local, SpaceS7PreviousLocal,
		SpaceS7Peripheral, SpaceS7Timers, SpaceS7Counters, SpaceS7IECTimers, SpaceS7IECCounters:
		return appendS7Address(b, t.Space, t.Block, t.Addr, t.Bit, t.TypeName)
	case SpaceCIPAttribute:
		b = append(b, "class 0x"...)
		b = strconv.AppendUint(b, uint64(t.Block), 16)
		b = append(b, " instance "...)
		b = strconv.AppendUint(b, uint64(t.Instance), 10)
		b = append(b, " attribute "...)
		return strconv.AppendUint(b, uint64(t.Attribute), 10)
	case SpaceDNP3Points:
		b = append(b, 'g')
		b = strconv.AppendUint(b, uint64(t.Block), 10)
		b = append(b, " index "...)
		return strconv.AppendUint(b, t.Addr, 10)
	case SpaceIEC104Objects:
		b = append(b, "ca "...)
		b = strconv.AppendUint(b, uint64(t.Unit), 10)
		b = append(b, " ioa "...)
		return strconv.AppendUint(b, t.Addr, 10)
	case SpaceFileRecords:
		b = append(b, "file "...)
		b = strconv.AppendUint(b, uint64(t.Block), 10)
		b = append(b, " record "...)
		return strconv.AppendUint(b, t.Addr, 10)
	case SpaceCoils, SpaceDiscreteInputs, SpaceHoldingRegisters, SpaceInputRegisters, SpaceFIFO:
		b = append(b, "unit "...)
		b = strconv.AppendUint(b, uint64(t.Unit), 10)
		b = append(b, ' ')
	}
	b, _ = t.Space.AppendText(b)
	b = append(b, ' ')
	return strconv.AppendUint(b, t.Addr, 10)
}

// appendS7Address appends an S7 address in STEP 7 notation: "DB1.DBX0.1",
// "DB1.DBW4", "MB10", "I0.3", "T5", "C2". The width letter follows the
// element size of the type name (BIT, BYTE/CHAR, WORD/INT, DWORD/DINT/REAL).
func appendS7Address(b []byte, s Space, db uint32, off uint64, bit uint8, typ string) []byte {
	w := byte('B')
	switch typ {
	case "BIT", "BOOL":
		w = 'X'
	case "WORD", "INT", "DATE", "S5TIME", "COUNTER", "TIMER":
		w = 'W'
	case "DWORD", "DINT", "REAL", "TIME", "TIME_OF_DAY", "UDINT":
		w = 'D'
	}
	switch s {
	case SpaceS7Timers, SpaceS7IECTimers:
		return strconv.AppendUint(append(b, 'T'), off, 10)
	case SpaceS7Counters, SpaceS7IECCounters:
		return strconv.AppendUint(append(b, 'C'), off, 10)
	case SpaceS7DB, SpaceS7DI:
		if s == SpaceS7DB {
			b = append(b, "DB"...)
		} else {
			b = append(b, "DI"...)
		}
		b = strconv.AppendUint(b, uint64(db), 10)
		b = append(b, '.')
		if s == SpaceS7DB {
			b = append(b, "DB"...)
		} else {
			b = append(b, "DI"...)
		}
	case SpaceS7Inputs:
		b = append(b, 'I')
	case SpaceS7Outputs:
		b = append(b, 'Q')
	case SpaceS7Flags:
		b = append(b, 'M')
	case SpaceS7Local:
		b = append(b, 'L')
	case SpaceS7PreviousLocal:
		b = append(b, 'V')
	case SpaceS7Peripheral:
		b = append(b, 'P')
	}
	if w == 'X' {
		if s == SpaceS7DB || s == SpaceS7DI {
			b = append(b, 'X')
		}
		b = strconv.AppendUint(b, off, 10)
		b = append(b, '.')
		return strconv.AppendUint(b, uint64(bit), 10)
	}
	b = append(b, w)
	return strconv.AppendUint(b, off, 10)
}
