package fuzz

import (
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/icsdissect/icsdissect/asset"
	"github.com/icsdissect/icsdissect/internal/dissect"
	"github.com/icsdissect/icsdissect/pcapx"
)

// Runner runs inputs through the whole path, pcapx → internal/dissect →
// each protocol's Conn, with every check of this package, and returns the
// first invariant broken. It keeps its decoders and Conns between inputs,
// so that a fuzz target does not allocate them per input. A Runner is not
// safe for concurrent use. Panics are not recovered: they are failures the
// fuzzing engine reports with their stack.
type Runner struct {
	dec  [maxOOOConfigs]*pcapx.Decoder
	cur  *pcapx.Decoder
	diss dissect.Dissector
	sink checkSink

	// Per-flow state of the checks, and free checkers by protocol.
	flows  map[pcapx.FlowKey]*flowCheck
	free   [NumProtocols + 1][]*ConnChecker
	protos [NumProtocols]Protocol
	wk     Walker

	// The asset Engine, fed each PDU, and its checking Observer; the
	// allocation path of Packets.
	eng   *asset.Engine
	obs   assetCheck
	alloc *allocPath

	// Waive lists failures to let pass (see WaiveEnv).
	Waive []string

	err error
	// onPDU, when set, sees every PDU after the checks (the adversarial
	// target records the tokens).
	onPDU func(p *pcapx.PDU)
	// Deep is how many PDUs of each flow get every check (the PDU's
	// Parse, Decode, Explain and Walk, and the Conn's Walk, stability and
	// Clone); the others get the Conn's cheap checks (ConnChecker.
	// DecodeLight). 0 means every PDU.
	Deep int
}

// maxOOOConfigs is the number of Config.MaxOutOfOrder values a Runner keeps
// a decoder for (0 to maxOOOConfigs-1).
const maxOOOConfigs = 5

type flowCheck struct {
	conn    *ConnChecker
	started bool
	pdus    int
}

// NewRunner returns a Runner.
func NewRunner() *Runner {
	r := &Runner{flows: map[pcapx.FlowKey]*flowCheck{}, protos: Protocols()}
	r.obs.r = r
	r.eng = asset.New(asset.Config{Observer: &r.obs})
	return r
}

// decoder returns the Runner's decoder for a MaxOutOfOrder value, reset.
func (r *Runner) decoder(maxOOO int) *pcapx.Decoder {
	maxOOO = min(max(maxOOO, 0), maxOOOConfigs-1)
	d := r.dec[maxOOO]
	if d == nil {
		d = pcapx.NewDecoder(pcapx.Config{
			Handler:       r.handle,
			OnFlow:        r.onFlow,
			MaxOutOfOrder: maxOOO,
		})
		r.dec[maxOOO] = d
	}
	d.Reset()
	d.SetLinkType(layers.LinkTypeEthernet)
	r.cur = d
	r.err = nil
	clear(r.flows)
	return d
}

func (r *Runner) setErr(err error) {
	if r.err == nil && err != nil && !Waived(err, r.Waive) {
		r.err = err
	}
}

// handle is the pcapx handler: per-PDU checks, the dissector, the flow's
// Conn.
func (r *Runner) handle(p *pcapx.PDU) error {
	if r.err != nil {
		return nil
	}
	if len(p.Data) == 0 {
		r.setErr(fail("pcapx PDU", "empty PDU in frame %d", p.Frame))
		return nil
	}
	if p.State == nil {
		r.setErr(fail("pcapx PDU", "PDU without a flow slot in frame %d", p.Frame))
		return nil
	}
	if p.Frame < 1 || p.Frame > r.cur.Frame() {
		r.setErr(fail("pcapx PDU", "frame number %d outside 1..%d", p.Frame, r.cur.Frame()))
		return nil
	}
	if (p.ToServer && p.Dst != p.Flow.Server) || (!p.ToServer && p.Src != p.Flow.Server) {
		r.setErr(fail("pcapx PDU", "direction: ToServer %v, %v -> %v, server %v", p.ToServer, p.Src, p.Dst, p.Flow.Server))
		return nil
	}
	if p.Transport == pcapx.TCP && len(p.Data) > pcapx.DefaultMaxPDU {
		r.setErr(fail("pcapx PDU", "TCP PDU of %d bytes, bound %d", len(p.Data), pcapx.DefaultMaxPDU))
		return nil
	}
	fc := r.flows[p.Flow]
	if fc == nil || !fc.started {
		r.setErr(fail("pcapx flow events", "PDU of flow %v before its FlowStart", p.Flow))
		return nil
	}
	fc.pdus++
	pr, ok := ProtocolOf(p.Proto)
	if !ok {
		r.setErr(fail("pcapx PDU", "protocol %d", p.Proto))
		return nil
	}
	// The dissector, with its per-flow Conn in the slot.
	r.sink.data = p.Data
	if res := r.diss.PDU(&r.sink, p); res.Func == "" {
		r.setErr(fail("dissect result", "%s PDU without a function name", p.Proto))
		return nil
	}
	deep := r.Deep == 0 || fc.pdus <= r.Deep
	if deep {
		r.setErr(pr.frame(&r.wk, p.Data, p.ToServer))
	}
	if fc.conn == nil {
		fc.conn = r.checker(pr)
	}
	if p.Gap {
		fc.conn.Gap(p.ToServer)
	}
	if deep {
		r.setErr(fc.conn.Decode(p.Data, p.ToServer, p.Time.UnixNano()))
	} else {
		r.setErr(fc.conn.DecodeLight(p.Data, p.ToServer, p.Time.UnixNano()))
	}
	r.assetPacket(p)
	if r.onPDU != nil {
		r.onPDU(p)
	}
	return nil
}

func (r *Runner) checker(p Protocol) *ConnChecker {
	l := r.free[p.Proto]
	if n := len(l); n > 0 {
		k := l[n-1]
		r.free[p.Proto] = l[:n-1]
		return k
	}
	k := NewConnChecker(p)
	k.wk = &r.wk
	return k
}

// onFlow checks the flow events and ends the flow's Conns.
func (r *Runner) onFlow(e *pcapx.FlowEvent) {
	r.diss.OnFlow(e)
	fc := r.flows[e.Flow]
	switch e.Kind {
	case pcapx.FlowStart:
		if fc != nil {
			r.setErr(fail("pcapx flow events", "flow %v starts twice", e.Flow))
			return
		}
		r.flows[e.Flow] = &flowCheck{started: true}
	case pcapx.FlowEnd:
		if fc == nil {
			r.setErr(fail("pcapx flow events", "flow %v ends without a start (%v)", e.Flow, e.Reason))
			return
		}
		delete(r.flows, e.Flow)
		if fc.conn != nil {
			if r.err == nil {
				r.setErr(fc.conn.Flush())
			}
			fc.conn.Reset()
			r.free[fc.conn.p.Proto] = append(r.free[fc.conn.p.Proto], fc.conn)
		}
	}
}

// finish flushes the decoder and checks what must hold at the end.
func (r *Runner) finish() error {
	r.cur.Flush()
	r.assetEnd()
	if len(r.flows) != 0 && r.err == nil {
		r.setErr(fail("pcapx flow events", "%d flows live after Flush", len(r.flows)))
	}
	r.setErr(FrameCounts(r.cur.Stats()))
	return r.err
}

func captureInfo(i int, n int) gopacket.CaptureInfo {
	return gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, int64(i)*1000), CaptureLength: n, Length: n}
}

// Packets runs frames of link type lt through the whole path: pcapx (one
// decoder, frames numbered from 1), internal/dissect with its OnFlow, every
// PDU's Parse, Decode, Explain and accessors, each flow's Conn through a
// ConnChecker, and the asset Engine (given each PDU with Engine.Packet);
// then Flush. It checks pcapx's PDUs (non-empty, a slot, frame number,
// direction, bound), flow events (start before PDUs, one end, none left),
// counting (FrameCounts), every PDU and Conn check, and the asset events
// (each passes Walk and encodes as valid JSON, an Access's Clone outlives
// the call, the engine's counts match the events, no flow is left after
// Flush). Then it runs the frames twice more through pcapx feeding an
// asset Engine alone (Engine.Attach), the production path, and checks that
// the second pass allocates nothing. It returns the first failure.
func (r *Runner) Packets(lt layers.LinkType, frames ...[]byte) error {
	d := r.decoder(0)
	d.SetLinkType(lt)
	for i, f := range frames {
		d.Packet(captureInfo(i, len(f)), f)
	}
	if err := r.finish(); err != nil {
		return err
	}
	if err := r.allocFree(lt, frames); !Waived(err, r.Waive) {
		return err
	}
	return nil
}

// Conversation runs c through the whole path as Ethernet frames, as Packets
// does, and checks in addition that no stream byte goes uncounted: with no
// gap and no oversize PDU, the bytes of delivered PDUs plus the bytes Split
// skipped equal the bytes sent.
func (r *Runner) Conversation(c Conversation) error {
	p, ok := ProtocolOf(c.Proto)
	if !ok {
		return nil
	}
	d := r.decoder(0)
	var buf []byte
	sent := 0
	for i, s := range c.Segments() {
		buf = s.AppendFrame(buf[:0], p.Port)
		sent += len(s.Payload)
		d.Packet(captureInfo(i, len(buf)), buf)
	}
	if err := r.finish(); err != nil {
		return err
	}
	ps := d.Stats().Protocols[c.Proto]
	if ps.StreamBytes != uint64(sent) || ps.StreamPDUBytes+ps.DroppedBytes() != ps.StreamBytes {
		return fail("every stream byte counted", "%s: %d bytes sent, %d seen, %d taken by PDUs + %d dropped %v",
			c.Proto, sent, ps.StreamBytes, ps.StreamPDUBytes, ps.DroppedBytes(), ps.Dropped)
	}
	return nil
}

// PDU runs one PDU of protocol p through its package: Parse (the grammar's
// rules on n and ErrTruncated), Decode over a used Frame (the same result),
// Explain (agreeing with Parse), Walk over the frame and the protocol's
// declared counts; Split and Resync over the bytes (SplitProgress), tokens
// that are not last not cut short; and a fresh Conn given the PDU as
// request, as reply and again, then flushed, through a ConnChecker.
func (r *Runner) PDU(p Protocol, b []byte, toServer bool) error {
	if err := r.pdu(p, b, toServer); !Waived(err, r.Waive) {
		return err
	}
	return nil
}

func (r *Runner) pdu(p Protocol, b []byte, toServer bool) error {
	if err := p.frame(&r.wk, b, toServer); err != nil && !Waived(err, r.Waive) {
		return err
	}
	for _, sf := range []struct {
		name  string
		split SplitFunc
	}{{"Split", p.Split}, {"Resync", p.Resync}} {
		if sf.split == nil {
			continue
		}
		toks, err := SplitProgress(p.Proto.String()+" "+sf.name, sf.split, b)
		if err != nil {
			return err
		}
		for i, tok := range toks {
			if i == len(toks)-1 {
				break
			}
			if _, err := p.parse(tok, toServer); err == p.truncated {
				return fail("split and parse agree on length", "%s %s: token %d of %d (%d bytes) is not the last, yet Parse says it is cut short", p.Proto, sf.name, i, len(toks), len(tok))
			}
		}
	}
	k := r.checker(p)
	defer func() {
		k.Reset()
		r.free[p.Proto] = append(r.free[p.Proto], k)
	}()
	for i, dir := range []bool{toServer, !toServer, toServer} {
		if err := k.Decode(b, dir, int64(i+1)); err != nil && !Waived(err, r.Waive) {
			return err
		}
	}
	return k.Flush()
}

// checkSink is the dissector's Sink: it reads each value, which must not
// panic, and counts the fields.
type checkSink struct {
	data   []byte
	fields int
}

func (s *checkSink) Uint(string, uint64)   { s.fields++ }
func (s *checkSink) Int(string, int64)     { s.fields++ }
func (s *checkSink) Float(string, float64) { s.fields++ }
func (s *checkSink) Bool(string, bool)     { s.fields++ }
func (s *checkSink) Text(_ string, v []byte) {
	s.fields++
	_ = string(v)
}
func (s *checkSink) Bytes(_ string, v []byte) {
	s.fields++
	_ = len(v)
}

// Packets is Runner.Packets with a new Runner.
func Packets(lt layers.LinkType, frames ...[]byte) error {
	return NewRunner().Packets(lt, frames...)
}

// Stream is Runner.Conversation with a new Runner.
func Stream(c Conversation) error {
	return NewRunner().Conversation(c)
}

// PDU is Runner.PDU with a new Runner.
func PDU(p Protocol, b []byte, toServer bool) error {
	return NewRunner().PDU(p, b, toServer)
}
