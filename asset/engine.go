package asset

import (
	"net/netip"
	"time"

	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/pcapx"
)

// DefaultMaxFlows is the default bound of the engine's own flow table (see
// Config.MaxFlows).
const DefaultMaxFlows = 16384

// Config configures an Engine.
type Config struct {
	// Observer receives the events; nil discards them. Put an Inventory
	// here (with your observer as its Next) to build an inventory and
	// receive changes.
	Observer Observer
	// MaxFlows bounds the engine's own table of per-flow state, used for
	// packets given to Packet and for pcapx PDUs that come without a flow
	// slot. When it is full the least recently used flow is ended: its
	// unanswered requests are reported. Default DefaultMaxFlows.
	MaxFlows int
}

// Stats counts what an Engine did.
type Stats struct {
	// PDUs counts the PDUs given; Errors those the protocol package could
	// not decode (counted, then skipped).
	PDUs, Errors uint64
	// Dropped counts requests dropped from a connection's full pending
	// table (the protocol's MaxPending): they are never reported as
	// events, answered or not.
	Dropped uint64
	// Accesses, Ops and Identities count the events delivered.
	Accesses, Ops, Identities uint64
	// Flows counts flows started; Evicted those ended because the
	// engine's own table was full; Active those open now (in the engine's
	// table and in pcapx slots).
	Flows, Evicted uint64
	Active         int
}

// Packet is one PDU from any packet source: what the engine needs to know
// about it. For TCP, Data must be one PDU as the protocol's Split cuts it
// from the stream (pcapx does that); for UDP, one datagram's payload.
type Packet struct {
	Proto     Protocol
	Transport Transport
	// Src and Dst are the sender's and receiver's addresses and ports;
	// SrcMAC and DstMAC their hardware addresses (zero when unknown).
	Src, Dst       netip.AddrPort
	SrcMAC, DstMAC MAC
	// VLAN is the outermost 802.1Q VLAN id, 0 when untagged.
	VLAN uint16
	// ToServer is true when the PDU travels toward the protocol's server
	// (a request, or a DNP3 master's message).
	ToServer bool
	// Time is the capture time; Frame the packet's number (0 when unknown).
	Time  time.Time
	Frame uint64
	// Gap is true when bytes were lost in this direction since the
	// previous PDU.
	Gap bool
	// Data is the PDU; it is read during the call only.
	Data []byte
}

// Engine turns PDUs into events: it keeps per-flow state (each protocol's
// Conn, which pairs requests with responses, reassembles and tracks
// sequence), maps each message to access, operation and identity events,
// and delivers them to the Observer by value.
//
// Feed it from pcapx in one line (Attach, or Config.Handler = e.PDU and
// Config.OnFlow = e.Flow), or from any other source with Packet; call Flush
// at the end of input to report requests left unanswered. Delivering an
// access or operation event allocates nothing; a new flow allocates its
// state once (reused after the flow ends). An Engine is not safe for
// concurrent use.
type Engine struct {
	obs Observer
	// names keeps the texts of unknown wide codes (see nameCache).
	names nameCache
	flows flowTable
	stats Stats
	// scratch holds text the events view (symbols, targets): valid during
	// the Observer call.
	scratch []byte
	free    [numProtocols][]*flow
	slotted int // flows kept in pcapx slots
	// io follows the CIP connections that Forward Opens make, across
	// flows, so that implicit I/O is read in its connection's context.
	io enip.Tracker
	// dnp3Links are the DNP3 link address pairs already reported.
	dnp3Links map[dnp3LinkKey]struct{}
}

// New returns an Engine.
func New(cfg Config) *Engine {
	if cfg.Observer == nil {
		cfg.Observer = NopObserver{}
	}
	if cfg.MaxFlows <= 0 {
		cfg.MaxFlows = DefaultMaxFlows
	}
	e := &Engine{obs: cfg.Observer, scratch: make([]byte, 0, 512)}
	e.flows.init(cfg.MaxFlows)
	return e
}

// Stats returns the counts so far.
func (e *Engine) Stats() Stats {
	s := e.stats
	s.Active = e.flows.n + e.slotted
	return s
}

// pkt is a PDU as the adapters see it.
type pkt struct {
	data     []byte
	toServer bool
	ts       int64
	frame    uint64
	gap      bool
}

// flowKey identifies a flow in the engine's own table.
type flowKey struct {
	proto          Protocol
	transport      Transport
	client, server netip.AddrPort
}

// flow is the state of one conversation.
type flow struct {
	key        flowKey
	prev, next *flow
	meta       Meta // protocol, transport, endpoints, VLAN: copied into each event
	st         protoState
	slot       bool // kept in a pcapx flow slot, not in the engine's table
}

// Packet decodes one PDU from a source other than pcapx. Its flow's state
// lives in the engine's own bounded table.
func (e *Engine) Packet(p *Packet) {
	client, server := p.Src, p.Dst
	cmac, smac := p.SrcMAC, p.DstMAC
	if !p.ToServer {
		client, server = server, client
		cmac, smac = smac, cmac
	}
	k := flowKey{p.Proto, p.Transport, client, server}
	f := e.lookup(k)
	if f == nil {
		return
	}
	f.setEndpoints(cmac, smac, p.VLAN)
	e.decode(f, pkt{data: p.Data, toServer: p.ToServer, ts: p.Time.UnixNano(), frame: p.Frame, gap: p.Gap})
}

// PDU is a pcapx.Handler: it decodes one PDU pcapx cut out of a capture.
// The flow's state lives in the PDU's flow slot (pcapx.PDU.State) and is
// released by Flow when pcapx ends the flow; without a slot it lives in the
// engine's own table. Use it as pcapx.Config.Handler (see Attach). It
// returns nil.
func (e *Engine) PDU(p *pcapx.PDU) error {
	var f *flow
	if p.State != nil {
		f, _ = (*p.State).(*flow)
		if f == nil {
			proto := Protocol(p.Proto)
			if !proto.Known() {
				return nil
			}
			k := flowKey{proto, Transport(p.Transport), p.Flow.Client, p.Flow.Server}
			f = e.newFlow(k)
			f.init(k)
			f.slot = true
			e.stats.Flows++
			e.slotted++
			*p.State = f
		}
	} else {
		f = e.lookup(flowKey{Protocol(p.Proto), Transport(p.Transport), p.Flow.Client, p.Flow.Server})
		if f == nil {
			return nil
		}
	}
	cmac, smac := MAC(p.SrcMAC), MAC(p.DstMAC)
	if !p.ToServer {
		cmac, smac = smac, cmac
	}
	var vlan uint16
	if p.VLANs > 0 {
		vlan = p.VLAN[0]
	}
	f.setEndpoints(cmac, smac, vlan)
	e.decode(f, pkt{data: p.Data, toServer: p.ToServer, ts: p.Time.UnixNano(), frame: uint64(p.Frame), gap: p.Gap})
	return nil
}

// Flow is a pcapx.Config.OnFlow function: when pcapx ends a flow (FIN, RST,
// idle, evicted, end of input), it reports the flow's unanswered requests
// and keeps its state's memory for the next flow.
func (e *Engine) Flow(ev *pcapx.FlowEvent) {
	if ev.Kind != pcapx.FlowEnd || ev.State == nil {
		return
	}
	f, _ := (*ev.State).(*flow)
	if f == nil || !f.slot {
		return
	}
	*ev.State = nil
	e.flush(f)
	f.slot = false
	e.slotted--
	e.free[f.key.proto] = append(e.free[f.key.proto], f)
}

// Attach makes cfg deliver its PDUs and flow events to the engine: it sets
// cfg.Handler to PDU and cfg.OnFlow to Flow, so that
//
//	cfg := pcapx.Config{}
//	eng.Attach(&cfg)
//	pcapx.ReadFile(name, cfg)
//
// feeds a capture to the engine.
func (e *Engine) Attach(cfg *pcapx.Config) {
	cfg.Handler = e.PDU
	cfg.OnFlow = e.Flow
}

// Flush ends every flow of the engine's own table, reporting each request
// left unanswered. Call it at the end of input.
func (e *Engine) Flush() {
	for e.flows.head != nil {
		e.end(e.flows.head)
	}
}

// lookup returns the flow for k, creating it (and evicting the least
// recently used flow when the table is full). It returns nil for a
// protocol the engine does not know.
func (e *Engine) lookup(k flowKey) *flow {
	if !k.proto.Known() {
		return nil
	}
	if f := e.flows.m[k]; f != nil {
		e.flows.touch(f)
		return f
	}
	if e.flows.n >= e.flows.max && e.flows.tail != nil {
		e.stats.Evicted++
		e.end(e.flows.tail)
	}
	f := e.newFlow(k)
	f.init(k)
	e.flows.add(f)
	e.stats.Flows++
	return f
}

// init sets up a flow for key k.
func (f *flow) init(k flowKey) {
	f.key = k
	f.meta = Meta{Proto: k.proto, Transport: k.transport,
		Client: Endpoint{Addr: k.client.Addr().Unmap(), Port: k.client.Port()},
		Server: Endpoint{Addr: k.server.Addr().Unmap(), Port: k.server.Port()}}
}

// setEndpoints records the MAC addresses and VLAN seen on the flow.
func (f *flow) setEndpoints(cmac, smac MAC, vlan uint16) {
	if !cmac.IsZero() {
		f.meta.Client.MAC = cmac
	}
	if !smac.IsZero() {
		f.meta.Server.MAC = smac
	}
	if vlan != 0 {
		f.meta.VLAN = vlan
	}
}

// reuseScan is how many of the most recently ended flows newFlow looks
// through for one of the same key.
const reuseScan = 8

// newFlow returns a flow for key k, reusing an ended flow's state: the one
// that last carried k when it is among the reuseScan most recently ended,
// else the most recently ended. A conversation that comes back (a replay, a
// reconnection from the same port) so finds the buffers its Conn grew on
// first need, and delivering it again allocates nothing whatever order its
// flows ended in.
func (e *Engine) newFlow(k flowKey) *flow {
	free := e.free[k.proto]
	n := len(free)
	if n == 0 {
		return new(flow)
	}
	i := n - 1
	for j := n - 1; j >= 0 && j >= n-reuseScan; j-- {
		if free[j].key == k {
			i = j
			break
		}
	}
	f := free[i]
	copy(free[i:], free[i+1:])
	e.free[k.proto] = free[:n-1]
	return f
}

// end flushes a flow's unanswered requests, takes it out of the table and
// keeps its memory for the next flow of its protocol.
func (e *Engine) end(f *flow) {
	e.flush(f)
	e.flows.remove(f)
	e.free[f.key.proto] = append(e.free[f.key.proto], f)
}

// flowTable is the bounded table of flows with a recency list.
type flowTable struct {
	m          map[flowKey]*flow
	head, tail *flow
	n, max     int
}

func (t *flowTable) init(max int) {
	t.m = make(map[flowKey]*flow)
	t.max = max
}

func (t *flowTable) unlink(f *flow) {
	if f.prev != nil {
		f.prev.next = f.next
	} else {
		t.head = f.next
	}
	if f.next != nil {
		f.next.prev = f.prev
	} else {
		t.tail = f.prev
	}
	f.prev, f.next = nil, nil
}

func (t *flowTable) pushFront(f *flow) {
	f.prev = nil
	f.next = t.head
	if t.head != nil {
		t.head.prev = f
	}
	t.head = f
	if t.tail == nil {
		t.tail = f
	}
}

func (t *flowTable) touch(f *flow) {
	if t.head != f {
		t.unlink(f)
		t.pushFront(f)
	}
}

func (t *flowTable) add(f *flow) {
	t.m[f.key] = f
	t.pushFront(f)
	t.n++
}

func (t *flowTable) remove(f *flow) {
	delete(t.m, f.key)
	t.unlink(f)
	t.n--
}

// emitAccess delivers an access event.
func (e *Engine) emitAccess(a *Access) {
	e.stats.Accesses++
	e.obs.Access(*a)
}

// emitOp delivers an operation event.
func (e *Engine) emitOp(o *Op) {
	e.stats.Ops++
	e.obs.Operation(*o)
}

// emitIdentity delivers an identity event.
func (e *Engine) emitIdentity(id Identity) {
	e.stats.Identities++
	e.obs.Identity(id)
}
