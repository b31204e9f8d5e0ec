package fuzz

import (
	"encoding/json"
	"runtime"

	"github.com/gopacket/gopacket/layers"

	"github.com/icsdissect/icsdissect/asset"
	"github.com/icsdissect/icsdissect/pcapx"
)

// assetCheck is the Observer of a Runner's asset Engine: it reads each
// event as a user would (Walk over it, its JSON encoding) and checks what
// the asset package promises of it.
type assetCheck struct {
	r    *Runner
	enc  asset.Encoder
	buf  []byte
	data []byte // the PDU being given to the engine, which views may alias

	accesses, ops, identities uint64

	// The Clone of the last access, with its fingerprint: it must outlive
	// the call.
	kept      *asset.Access
	keptPrint []byte
}

func (o *assetCheck) Access(a asset.Access) {
	o.accesses++
	o.checkKept()
	o.walk("asset Access", &a)
	o.json("asset Access", o.enc.AppendAccess(o.buf[:0], &a))
	cl := a.Clone()
	o.kept, o.keptPrint = &cl, Fingerprint(&cl)
	if err := o.r.wk.Walk(&cl); err != nil {
		o.r.setErr(fail("asset clone", "an Access's Clone does not own its bytes: %v", err))
	}
}

func (o *assetCheck) Operation(op asset.Op) {
	o.ops++
	o.checkKept()
	o.walk("asset Op", &op)
	o.json("asset Op", o.enc.AppendOp(o.buf[:0], &op))
}

func (o *assetCheck) Identity(id asset.Identity) {
	o.identities++
	o.checkKept()
	o.walk("asset Identity", &id)
	o.json("asset Identity", o.enc.AppendIdentity(o.buf[:0], &id))
}

func (o *assetCheck) Change(c asset.Change) {
	o.walk("asset Change", &c)
	o.json("asset Change", o.enc.AppendChange(o.buf[:0], &c))
}

func (o *assetCheck) walk(what string, v any) {
	if err := o.r.wk.Walk(v, o.data, o.r.eng); err != nil {
		o.r.setErr(fail("asset event", "%s: %v", what, err))
	}
}

func (o *assetCheck) json(what string, b []byte) {
	o.buf = b
	if !json.Valid(b) {
		o.r.setErr(fail("asset JSON", "%s encodes as invalid JSON: %.200s", what, b))
	}
}

func (o *assetCheck) checkKept() {
	if o.kept != nil && string(Fingerprint(o.kept)) != string(o.keptPrint) {
		o.r.setErr(fail("asset clone", "an Access's Clone changed after the Observer call"))
	}
	o.kept = nil
}

// assetPacket gives a pcapx PDU to the Runner's engine, as a packet source
// other than pcapx would.
func (r *Runner) assetPacket(p *pcapx.PDU) {
	pkt := asset.Packet{
		Proto:     asset.Protocol(p.Proto),
		Transport: asset.Transport(p.Transport),
		Src:       p.Src, Dst: p.Dst,
		SrcMAC: asset.MAC(p.SrcMAC), DstMAC: asset.MAC(p.DstMAC),
		ToServer: p.ToServer,
		Time:     p.Time,
		Frame:    uint64(p.Frame),
		Gap:      p.Gap,
		Data:     p.Data,
	}
	if p.VLANs > 0 {
		pkt.VLAN = p.VLAN[0]
	}
	r.obs.data = p.Data
	r.eng.Packet(&pkt)
	r.obs.data = nil
	r.obs.checkKept()
}

// assetEnd flushes the engine at the end of an input and checks its counts
// against the events observed.
func (r *Runner) assetEnd() {
	before := r.eng.Stats()
	r.eng.Flush()
	r.obs.checkKept()
	st := r.eng.Stats()
	if st.Active != 0 {
		r.setErr(fail("asset flush", "%d flows active after Flush", st.Active))
	}
	if st.Accesses != r.obs.accesses || st.Ops != r.obs.ops || st.Identities != r.obs.identities {
		r.setErr(fail("asset counts", "Stats says %d accesses, %d ops, %d identities; the Observer saw %d, %d, %d",
			st.Accesses, st.Ops, st.Identities, r.obs.accesses, r.obs.ops, r.obs.identities))
	}
	_ = before
}

// countObserver counts events and allocates nothing.
type countObserver struct {
	accesses, ops, rare uint64
}

func (o *countObserver) Access(asset.Access)     { o.accesses++ }
func (o *countObserver) Operation(asset.Op)      { o.ops++ }
func (o *countObserver) Identity(asset.Identity) { o.rare++ }
func (o *countObserver) Change(asset.Change)     { o.rare++ }

// allocPath is pcapx feeding an asset Engine (Engine.Attach) with nothing
// else: the production path whose steady state must not allocate.
type allocPath struct {
	dec *pcapx.Decoder
	eng *asset.Engine
	obs countObserver
}

// allocFree runs frames twice through the allocation path, the second time
// counting heap allocations: once flows, stream buffers and per-flow state
// exist and were given back (the first pass ended every flow), delivering
// the same PDUs and their access and operation events must allocate
// nothing. Inputs that bring identity or change events the second time
// (which may allocate) are not counted, nor runs under the race detector.
func (r *Runner) allocFree(lt layers.LinkType, frames [][]byte) error {
	if raceEnabled {
		return nil
	}
	if r.alloc == nil {
		a := &allocPath{}
		a.eng = asset.New(asset.Config{Observer: &a.obs})
		cfg := pcapx.Config{}
		a.eng.Attach(&cfg)
		a.dec = pcapx.NewDecoder(cfg)
		r.alloc = a
	}
	a := r.alloc
	pass := func() {
		a.dec.Reset()
		a.dec.SetLinkType(lt)
		for i, f := range frames {
			a.dec.Packet(captureInfo(i, len(f)), f)
		}
		a.dec.Flush()
		a.eng.Flush()
	}
	pass()
	// Other goroutines (the fuzzing engine's, the runtime's) allocate too
	// and the count is the process's: a pass that allocates is run again,
	// and the input fails when every one of three passes allocated.
	least := uint64(0)
	for try := range 3 {
		rare := a.obs.rare
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		pass()
		runtime.ReadMemStats(&m1)
		if a.obs.rare != rare {
			return nil
		}
		n := m1.Mallocs - m0.Mallocs
		if n == 0 {
			return nil
		}
		if try == 0 || n < least {
			least = n
		}
	}
	return fail("asset allocation-free delivery", "every pass over %d frames after the first allocated, at least %d times (%d accesses, %d ops so far)", len(frames), least, a.obs.accesses, a.obs.ops)
}
