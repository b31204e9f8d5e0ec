package asset

import (
	"strconv"

	"github.com/icsdissect/icsdissect/enip"
)

// enipState is the per-flow state of an EtherNet/IP flow: the Conn (pairing,
// service contexts, connections) and the data of pending write requests,
// which the Conn does not keep (it keeps contexts, not values).
type enipState struct {
	conn   enip.Conn
	frames frameRing
	writes enipWrites
}

func (s *enipState) reset() {
	s.conn.Reset()
	s.frames.reset()
	s.writes.reset()
}

// enipWrites keeps the writes of pending requests (their address and
// data), which the Conn does not keep (it keeps contexts, not values), so
// that each write is reported with its values when its reply arrives. A
// write whose request the Conn drops (a full pending table, a new request
// reusing its sender context) is reported as unanswered when it leaves
// this table or the flow ends. It is bounded: enipMaxWrites entries (the
// Conn's MaxCalls, so that an entry still in use is never the oldest) and
// a ring of enipWriteBuf bytes, both allocated on the first write (a flow
// that writes nothing does not pay for them) and kept across flows.
type enipWrites struct {
	ent  *[enipMaxWrites]enipWrite
	buf  *[enipWriteBuf]byte
	head int // next byte of the ring
	next int // next entry
}

const (
	enipMaxWrites = enip.MaxCalls
	enipWriteBuf  = 16384
)

// enipWrite is one write of a pending request.
type enipWrite struct {
	used        bool
	ts          int64
	frame       uint64
	req         *enip.Request
	svc         enip.Service
	class       enip.Class
	inst, attr  uint32
	symbolic    bool
	typ         enip.TagType
	elements    uint16
	offset      uint32
	unit        uint32
	routed      bool
	session     uint64
	transaction uint64
	off, n      int // data in the ring
	symOff      int // symbol text in the ring, after the data
	symN        int
}

func (w *enipWrites) reset() {
	if w.ent != nil {
		*w.ent = [enipMaxWrites]enipWrite{}
	}
	w.head, w.next = 0, 0
}

// entries returns the table's entries, none before the first write.
func (w *enipWrites) entries() []enipWrite {
	if w.ent == nil {
		return nil
	}
	return w.ent[:]
}

// room makes n bytes of the ring available at w.head and returns the
// entries whose bytes they overwrite (to report before they go).
func (w *enipWrites) room(n int, drop func(*enipWrite)) {
	if w.buf == nil {
		w.buf = new([enipWriteBuf]byte)
		w.ent = new([enipMaxWrites]enipWrite)
	}
	if w.head+n > enipWriteBuf {
		w.head = 0
	}
	for i := range w.ent {
		e := &w.ent[i]
		if e.used && e.off < w.head+n && w.head < e.symOff+e.symN {
			drop(e)
		}
	}
}

// put keeps one write; drop reports an entry pushed out unanswered.
func (w *enipWrites) put(x enipWrite, data, sym []byte, drop func(*enipWrite)) {
	data = data[:min(len(data), enipWriteBuf/4)]
	sym = sym[:min(len(sym), enipWriteBuf/4)]
	w.room(len(data)+len(sym), drop)
	e := &w.ent[w.next%enipMaxWrites]
	w.next++
	if e.used {
		drop(e)
	}
	x.used = true
	x.off, x.n = w.head, copy(w.buf[w.head:], data)
	x.symOff = w.head + x.n
	x.symN = copy(w.buf[x.symOff:], sym)
	w.head = x.symOff + x.symN
	*e = x
}

// get takes the write whose context is req, sent at ts.
func (w *enipWrites) get(ts int64, req *enip.Request) (*enipWrite, bool) {
	if req == nil || w.ent == nil {
		return nil, false
	}
	for i := range w.ent {
		e := &w.ent[i]
		if e.used && e.req == req && e.ts == ts {
			e.used = false
			return e, true
		}
	}
	return nil, false
}

func (w *enipWrites) data(e *enipWrite) []byte { return w.buf[e.off : e.off+e.n : e.off+e.n] }
func (w *enipWrites) sym(e *enipWrite) []byte {
	return w.buf[e.symOff : e.symOff+e.symN : e.symOff+e.symN]
}

// enip decodes one EtherNet/IP PDU, or an implicit I/O datagram on the I/O
// port.
func (e *Engine) enip(f *flow, p pkt) {
	st := f.st.enip
	if st == nil {
		st = new(enipState)
		f.st.enip = st
	}
	if f.key.transport == UDP && f.key.server.Port() == enip.IOPort {
		e.enipIO(f, p)
		return
	}
	m, err := st.conn.Decode(p.data, p.toServer, p.ts)
	if err != nil {
		e.stats.Errors++
	}
	if m.Anomalies.Has(enip.AnomalyPendingOverflow) {
		e.stats.Dropped++
	}
	if m.Opened != nil {
		e.io.Open(m.Opened)
	}
	if m.Closed != nil {
		e.io.Close(m.Closed.Triad)
	}
	if p.toServer {
		st.frames.put(p.ts, p.frame)
		e.enipRequest(f, st, m, p.frame)
		return
	}
	e.enipEvent(f, st, m, p.frame, p.gap)
}

// enipFlush reports a flow's unanswered requests and resets it.
func (e *Engine) enipFlush(f *flow) {
	st := f.st.enip
	if st == nil {
		return
	}
	st.conn.Flush(func(m *enip.Message) bool {
		e.enipEvent(f, st, m, 0, false)
		return true
	})
	// Writes still kept were dropped by the Conn before their reply.
	ent := st.writes.entries()
	for i := range ent {
		if w := &ent[i]; w.used {
			e.enipDropped(f, st, w)
		}
	}
	st.reset()
}

// enipRequest keeps the request's writes, and reports the requests that
// get no reply (UnRegisterSession).
func (e *Engine) enipRequest(f *flow, st *enipState, m *enip.Message, frame uint64) {
	if m.Frame.Command == enip.CmdUnRegisterSession {
		meta := e.enipMeta(f, st, m, frame)
		o := Op{Meta: meta, Kind: OpOther, Action: ActionSessionEnd}
		e.emitOp(&o)
		return
	}
	meta := e.enipMeta(f, st, m, frame)
	drop := func(w *enipWrite) { e.enipDropped(f, st, w) }
	calls := m.Calls()
	for calls.Next() {
		c := calls.Call()
		r := c.Request
		if r == nil {
			continue
		}
		x := enipWrite{ts: m.Time, frame: frame, req: r, svc: r.Service, class: r.Class, inst: r.Instance, attr: r.Attribute,
			symbolic: r.Symbolic, typ: r.Type, elements: r.Elements, offset: r.Offset,
			session: meta.Session, transaction: meta.Transaction}
		if c.Via != nil {
			x.routed = true
			if rt, ok := c.Via.Route(); ok {
				slot, _ := rt.Slot()
				x.unit = uint32(rt.Port)<<8 | uint32(slot)
			}
		}
		var data []byte
		switch c.Msg.Service {
		case enip.SvcWriteTag, enip.SvcWriteTagFragmented:
			t, ok := c.Msg.TagRequest()
			if !ok || !r.Symbolic {
				continue
			}
			data = t.Data
		case enip.SvcSetAttributeSingle, enip.SvcSetAttributeList, enip.SvcSetAttributesAll:
			data = c.Msg.Data
			if c.Msg.Service == enip.SvcSetAttributeSingle {
				if _, v, ok := c.Msg.SetAttributeSingle(); ok {
					data = v
				}
			}
		default:
			continue
		}
		var sym []byte
		if r.Symbolic {
			e.scratch = r.AppendTag(e.scratch[:0])
			sym = e.scratch
		}
		st.writes.put(x, data, sym, drop)
	}
}

// enipDropped reports a write whose request the Conn dropped without a
// reply.
func (e *Engine) enipDropped(f *flow, st *enipState, w *enipWrite) {
	w.used = false
	meta := f.meta
	meta.Time, meta.RequestTime, meta.Frame, meta.RequestFrame = w.ts, w.ts, w.frame, w.frame
	meta.Flags |= FlagUnanswered | FlagOverflow
	meta.Function, meta.FunctionName = uint16(w.svc), enipServiceStrings[w.svc]
	meta.Session, meta.Transaction = w.session, w.transaction
	if w.routed {
		meta.Flags |= FlagRouted
		meta.Unit = w.unit
	}
	a := Access{Meta: meta, Kind: OpWrite, Action: ActionWrite}
	e.enipWriteAccess(&a, st, w)
	e.emitAccess(&a)
}

// enipWriteAccess fills the address and values of a write from what the
// table kept.
func (e *Engine) enipWriteAccess(a *Access, st *enipState, w *enipWrite) {
	if w.symbolic {
		a.Space = SpaceCIPTag
		a.Symbol = st.writes.sym(w)
		a.Count = uint32(w.elements)
		a.Start = uint64(w.offset)
		if w.svc != enip.SvcReadModifyWriteTag {
			a.Values = enipValues(enip.Value{Type: w.typ, Data: st.writes.data(w)})
		}
		return
	}
	a.Address = Address{Space: SpaceCIPAttribute, Block: uint32(w.class), Instance: w.inst, Attribute: w.attr, Count: 1}
	a.Values = rawBytes(st.writes.data(w))
}

// enipMeta fills the fields every event of the message has.
func (e *Engine) enipMeta(f *flow, st *enipState, m *enip.Message, frame uint64) Meta {
	meta := f.meta
	switch {
	case m.Unanswered:
		meta.Flags |= FlagUnanswered
		meta.Time, meta.RequestTime = m.Time, m.Time
		meta.Frame = st.frames.get(m.Time)
		meta.RequestFrame = meta.Frame
	case m.Paired:
		meta.Flags |= FlagPaired
		meta.Time, meta.RequestTime = m.Time, m.RequestTime
		meta.Frame, meta.RequestFrame = frame, st.frames.get(m.RequestTime)
	case m.ToServer:
		meta.Time, meta.RequestTime = m.Time, m.Time
		meta.Frame, meta.RequestFrame = frame, frame
	default:
		meta.Time, meta.Frame = m.Time, frame
		if m.Anomalies.Has(enip.AnomalyMismatchedResponse) {
			meta.Flags |= FlagMismatched
		} else {
			meta.Flags |= FlagUnmatched
		}
	}
	h := &m.Frame.Header
	meta.Function = uint16(h.Command)
	meta.FunctionName = e.enipCommandName(h.Command)
	meta.Session = uint64(h.Session)
	meta.Transaction = uint64(h.Context[0]) | uint64(h.Context[1])<<8 | uint64(h.Context[2])<<16 | uint64(h.Context[3])<<24 |
		uint64(h.Context[4])<<32 | uint64(h.Context[5])<<40 | uint64(h.Context[6])<<48 | uint64(h.Context[7])<<56
	if m.CIP.Connected {
		meta.Session, meta.Transaction = uint64(m.CIP.ConnID), uint64(m.CIP.Seq)
	}
	if h.Status != enip.StatusSuccess && !m.ToServer {
		meta.Status = Status{Code: uint32(h.Status), Name: e.enipStatusName(h.Status), Failed: true}
		meta.Flags |= FlagException
	}
	return meta
}

// enipEvent turns a reply (paired or not) or an unanswered request into
// events.
func (e *Engine) enipEvent(f *flow, st *enipState, m *enip.Message, frame uint64, gap bool) {
	meta := e.enipMeta(f, st, m, frame)
	if gap {
		meta.Flags |= FlagGap
	}
	switch m.Frame.Command {
	case enip.CmdListIdentity, enip.CmdListServices, enip.CmdListInterfaces:
		if m.Unanswered || meta.Flags&FlagUnmatched == 0 {
			o := Op{Meta: meta, Kind: OpIdentity, Action: ActionReadIdentity}
			e.emitOp(&o)
		}
		if m.Frame.Command == enip.CmdListIdentity && !m.ToServer {
			e.enipListIdentity(&meta, m)
		}
		return
	case enip.CmdRegisterSession:
		if m.Paired || m.Unanswered {
			o := Op{Meta: meta, Kind: OpOther, Action: ActionSessionStart}
			e.emitOp(&o)
		}
		return
	}
	if m.Unanswered {
		// The Conn keeps the contexts of an unanswered request, not its
		// services: report each from its context.
		var via *enip.Request
		for _, r := range m.Requests().All {
			switch r.Service {
			case enip.SvcUnconnectedSend:
				if r.Context == enip.ContextConnectionManager {
					via = r
					continue
				}
			case enip.SvcMultipleServicePacket:
				continue
			}
			e.enipCall(st, meta, m, nil, r, via)
		}
		return
	}
	calls := m.Calls()
	for calls.Next() {
		c := calls.Call()
		if c.Msg.Service == enip.SvcMultipleServicePacket ||
			c.Msg.Service == enip.SvcUnconnectedSend && c.Context() == enip.ContextConnectionManager && !c.Msg.Response {
			continue
		}
		if c.Request == nil && meta.Flags&FlagPaired != 0 {
			continue // not answering its request: not readable in a context
		}
		e.enipCall(st, meta, m, &c, c.Request, c.Via)
	}
}

// enipCall reports one CIP service: its reply c (nil for an unanswered
// request) in the context of its request req, routed through via.
func (e *Engine) enipCall(st *enipState, meta Meta, m *enip.Message, c *enip.Call, req, via *enip.Request) {
	module := ""
	if via != nil {
		meta.Flags |= FlagRouted
		if r, ok := via.Route(); ok {
			slot, _ := r.Slot()
			meta.Unit = uint32(r.Port)<<8 | uint32(slot)
			module = "port " + strconv.Itoa(int(r.Port)) + " slot " + strconv.Itoa(int(slot))
		}
	}
	var svc enip.Service
	var op enip.Operation
	name := ""
	switch {
	case req != nil:
		svc, op, name = req.Service, req.Operation(), enipServiceName(req.Service, req.Context)
	case c != nil:
		svc, op, name = c.Msg.Service, c.Operation(), enipServiceName(c.Msg.Service, c.Context())
	default:
		return
	}
	meta.Function, meta.FunctionName = uint16(svc), name
	if c != nil && c.Msg.Response {
		if c.Msg.Status != enip.StatusOK {
			meta.Status = Status{Code: uint32(c.Msg.Status), Name: e.cipStatusName(c.Msg.Status), Failed: true}
			if w, ok := c.Msg.ExtStatus.At(0); ok {
				meta.Status.Ext = uint32(w)
			}
			meta.Flags |= FlagException
		}
	}
	var class enip.Class
	var inst, attr uint32
	if req != nil {
		class, inst, attr = req.Class, req.Instance, req.Attribute
	} else if c != nil {
		t := c.Msg.Path.Target()
		class, inst, attr = t.Class, t.Instance, t.Attribute
	}
	ok := !meta.Status.Failed && c != nil && c.Msg.Response
	e.scratch = e.scratch[:0]

	switch {
	case svc == enip.SvcReadTag || svc == enip.SvcReadTagFragmented,
		svc == enip.SvcWriteTag || svc == enip.SvcWriteTagFragmented || svc == enip.SvcReadModifyWriteTag:
		if req == nil || !req.Symbolic {
			break
		}
		a := Access{Meta: meta, Kind: OpRead, Action: ActionRead}
		a.Space = SpaceCIPTag
		e.scratch = req.AppendTag(e.scratch)
		a.Symbol = e.scratch
		a.Count = uint32(req.Elements)
		a.Start = uint64(req.Offset)
		if svc == enip.SvcReadTag || svc == enip.SvcReadTagFragmented {
			if ok {
				if t, has := c.TagReply(); has {
					a.Values = enipValues(t.Value())
				}
			}
		} else {
			a.Kind, a.Action = OpWrite, ActionWrite
			if w, has := st.writes.get(meta.RequestTime, req); has && svc != enip.SvcReadModifyWriteTag {
				a.Values = enipValues(enip.Value{Type: w.typ, Data: st.writes.data(w)})
			}
		}
		e.emitAccess(&a)
		return
	case svc == enip.SvcGetAttributeSingle || svc == enip.SvcGetAttributeList || svc == enip.SvcGetAttributesAll:
		if class == enip.ClassIdentity || class == enip.ClassTCPIP || class == enip.ClassEthernetLink {
			if ok {
				e.enipIdentity(&meta, module, c, class, attr)
			}
			if class == enip.ClassIdentity {
				o := Op{Meta: meta, Kind: OpIdentity, Action: ActionReadIdentity}
				o.Target = appendCIPTarget(e.scratch, class, inst, attr)
				e.emitOp(&o)
				return
			}
		}
		a := Access{Meta: meta, Kind: OpRead, Action: ActionRead,
			Address: Address{Space: SpaceCIPAttribute, Block: uint32(class), Instance: inst, Attribute: attr, Count: 1}}
		if svc == enip.SvcGetAttributeList && ok {
			attrs := c.Attributes()
			n := 0
			for attrs.Next() {
				at := attrs.Attribute()
				x := a
				x.Attribute = at.ID
				if at.HasStatus && at.Status != enip.StatusOK {
					x.Status = Status{Code: uint32(at.Status), Name: e.cipStatusName(at.Status), Failed: true}
				} else {
					x.Values = rawBytes(at.Value)
				}
				e.emitAccess(&x)
				n++
			}
			if n > 0 {
				return
			}
		}
		if ok {
			a.Values = rawBytes(c.Msg.Data)
		}
		e.emitAccess(&a)
		return
	case svc == enip.SvcSetAttributeSingle || svc == enip.SvcSetAttributeList || svc == enip.SvcSetAttributesAll:
		a := Access{Meta: meta, Kind: OpWrite, Action: ActionWrite,
			Address: Address{Space: SpaceCIPAttribute, Block: uint32(class), Instance: inst, Attribute: attr, Count: 1}}
		if w, has := st.writes.get(meta.RequestTime, req); has {
			a.Values = rawBytes(st.writes.data(w))
		} else if req == nil && c != nil && !c.Msg.Response {
			// A request sent by the server, which the Conn reads as an
			// unmatched reply: its data is the value written.
			if _, v, ok := c.Msg.SetAttributeSingle(); ok {
				a.Values = rawBytes(v)
			} else {
				a.Values = rawBytes(c.Msg.Data)
			}
		}
		e.emitAccess(&a)
		if op == enip.OpConfigure {
			o := Op{Meta: meta, Kind: OpConfig, Action: ActionSetConfig}
			o.Target = appendCIPTarget(e.scratch[:0], class, inst, attr)
			e.emitOp(&o)
		}
		return
	}

	o := Op{Meta: meta}
	switch op {
	case enip.OpRead:
		o.Kind, o.Action = OpRead, ActionRead
	case enip.OpWrite:
		o.Kind, o.Action = OpWrite, ActionWrite
	case enip.OpConfigure:
		o.Kind, o.Action = OpConfig, ActionSetConfig
	case enip.OpStart:
		o.Kind, o.Action = OpControl, ActionStart
	case enip.OpStop:
		o.Kind, o.Action = OpControl, ActionStop
	case enip.OpReset:
		o.Kind, o.Action = OpControl, ActionReset
	case enip.OpModeChange:
		o.Kind, o.Action = OpControl, ActionVendor
	case enip.OpUpload:
		o.Kind, o.Action = OpProgram, ActionUpload
	case enip.OpDownload:
		o.Kind, o.Action = OpProgram, ActionDownload
	case enip.OpConnect:
		o.Kind, o.Action = OpOther, ActionSessionStart
		if req != nil {
			e.enipKey(&meta, module, req)
		}
	case enip.OpDisconnect:
		o.Kind, o.Action = OpOther, ActionSessionEnd
	case enip.OpIdentity:
		o.Kind, o.Action = OpIdentity, ActionReadIdentity
	case enip.OpDiagnostics:
		o.Kind, o.Action = OpDiagnostics, ActionDiagnostics
	default:
		o.Kind, o.Action = OpOther, ActionVendor
	}
	if req != nil && req.Service == enip.SvcExecutePCCC {
		e.scratch = append(e.scratch, enip.PCCCFunctionName(req.PCCCCommand, req.PCCCFunction)...)
	} else if class != 0 {
		e.scratch = appendCIPTarget(e.scratch, class, inst, attr)
	}
	o.Target = e.scratch
	e.emitOp(&o)
}

// appendCIPTarget appends "class 0x01 instance 1 attribute 7".
func appendCIPTarget(b []byte, class enip.Class, inst, attr uint32) []byte {
	b = appendUnknown(b, "class", uint64(class), false)
	if inst != 0 {
		b = append(b, " instance "...)
		b = strconv.AppendUint(b, uint64(inst), 10)
	}
	if attr != 0 {
		b = append(b, " attribute "...)
		b = strconv.AppendUint(b, uint64(attr), 10)
	}
	return b
}

// rawBytes returns bytes whose type the protocol does not state as one
// KindBytes value.
func rawBytes(b []byte) Values {
	if b == nil {
		return Values{}
	}
	return Values{raw: b, n: 1, codec: codecCIP, proto: ENIP}
}

// enipValues returns a CIP value: the elements of an atomic type, or one
// string or structure.
func enipValues(v enip.Value) Values {
	n := v.Len()
	if n == 0 && v.Data != nil {
		n = 1 // a string or a structure
	}
	return Values{raw: v.Data, n: uint32(n), codec: codecCIP, proto: ENIP, typ: uint16(v.Type.Code), aux: uint64(v.Type.Handle)}
}

// cipAt decodes element i of CIP values.
func cipAt(v Values, i int) (Value, bool) {
	if v.typ == 0 {
		return Value{Kind: KindBytes, b: v.raw, Proto: ENIP}, i == 0
	}
	ev := enip.Value{Type: enip.TagType{Code: enip.DataType(v.typ), Handle: uint16(v.aux)}, Data: v.raw}
	x := Value{Proto: ENIP, Type: v.typ, Addr: v.start + uint64(i)}
	if t, ok := ev.Text(); ok && i == 0 {
		x.Kind, x.b = KindText, t
		return x, true
	}
	s, ok := ev.At(i)
	if !ok {
		if i == 0 && ev.Len() == 0 {
			x.Kind, x.b = KindBytes, v.raw // a structure
			return x, true
		}
		return Value{}, false
	}
	switch s.Type {
	case enip.TypeREAL:
		f, _ := s.Float32()
		x.Kind, x.n = KindFloat32, uint64(float32bits(f))
	case enip.TypeLREAL:
		f, _ := s.Float64()
		return Float64Value(f).WithAddr(x.Addr), true
	case enip.TypeBool:
		b, _ := s.Bool()
		x.Kind = KindBool
		if b {
			x.n = 1
		}
	default:
		if n, ok := s.Int(); ok {
			x.Kind, x.n = KindInt, uint64(n)
		} else {
			x.Kind, x.n = KindUint, s.Bits()
		}
	}
	return x, true
}

// cipTypeName names a CIP data type.
func cipTypeName(typ uint16, aux uint64) string {
	if typ == 0 {
		return "bytes"
	}
	if enip.DataType(typ) == enip.TypeStruct && aux == enip.LogixStringHandle {
		return "STRING"
	}
	return enip.DataType(typ).String()
}

// enipListIdentity reports the identity items of a ListIdentity reply.
func (e *Engine) enipListIdentity(meta *Meta, m *enip.Message) {
	items := m.Frame.Items()
	for items.Next() {
		id, ok := items.Item().Identity()
		if !ok {
			continue
		}
		fr := meta.Frame
		attrs := []Attr{
			{Field: FieldVendorID, Name: "vendor_id", Value: strconv.Itoa(int(id.VendorID)), Frame: fr},
			{Field: FieldDeviceType, Name: "device_type", Value: id.DeviceType.String(), Frame: fr},
			{Field: FieldOther, Name: "device_type_id", Value: strconv.Itoa(int(id.DeviceType)), Frame: fr},
			{Field: FieldProductCode, Name: "product_code", Value: strconv.Itoa(int(id.ProductCode)), Frame: fr},
			{Field: FieldFirmware, Name: "revision", Value: revision(id.Revision), Frame: fr},
			{Field: FieldStatus, Name: "status", Value: hex16(id.Status), Frame: fr},
			{Field: FieldSerial, Name: "serial_number", Value: hex32(id.SerialNumber), Frame: fr},
			{Field: FieldProduct, Name: "product_name", Value: printable(id.ProductName), Frame: fr},
			{Field: FieldOther, Name: "encapsulation_version", Value: strconv.Itoa(int(id.ProtocolVersion)), Frame: fr},
			{Field: FieldOther, Name: "socket_address", Value: sockaddr(id.Socket), Frame: fr},
		}
		if id.VendorID.Known() {
			attrs = append(attrs, Attr{Field: FieldVendor, Name: "vendor", Value: id.VendorID.String(), Frame: fr})
		}
		if id.HasState {
			attrs = append(attrs, Attr{Field: FieldOther, Name: "state", Value: hex8(id.State), Frame: fr})
		}
		e.emitIdentity(Identity{Proto: ENIP, Device: meta.Server, Peer: meta.Client, Time: meta.Time, Frame: fr, Attrs: attrs})
	}
}

// enipIdentity reports what a Get reply on the Identity, TCP/IP Interface
// or Ethernet Link object says about the device (or the module the request
// was routed to).
func (e *Engine) enipIdentity(meta *Meta, module string, c *enip.Call, class enip.Class, attr uint32) {
	fr := meta.Frame
	var attrs []Attr
	switch class {
	case enip.ClassIdentity:
		var id enip.Identity
		switch c.Request.Service {
		case enip.SvcGetAttributesAll:
			id, _ = enip.ParseIdentity(c.Msg.Data)
		case enip.SvcGetAttributeSingle:
			id.SetAttribute(attr, c.Msg.Data)
		default:
			attrs := c.Attributes()
			for attrs.Next() {
				a := attrs.Attribute()
				id.SetAttribute(a.ID, a.Value)
			}
		}
		has := func(n int) bool { return id.Has&(1<<n) != 0 }
		if has(1) {
			attrs = append(attrs, Attr{Field: FieldVendorID, Name: "identity attribute 1", Value: strconv.Itoa(int(id.VendorID)), Frame: fr})
			if id.VendorID.Known() {
				attrs = append(attrs, Attr{Field: FieldVendor, Name: "identity attribute 1 name", Value: id.VendorID.String(), Frame: fr})
			}
		}
		if has(2) {
			attrs = append(attrs, Attr{Field: FieldDeviceType, Name: "identity attribute 2", Value: id.DeviceType.String(), Frame: fr})
		}
		if has(3) {
			attrs = append(attrs, Attr{Field: FieldProductCode, Name: "identity attribute 3", Value: strconv.Itoa(int(id.ProductCode)), Frame: fr})
		}
		if has(4) {
			attrs = append(attrs, Attr{Field: FieldFirmware, Name: "identity attribute 4", Value: revision(id.Revision), Frame: fr})
		}
		if has(5) {
			attrs = append(attrs, Attr{Field: FieldStatus, Name: "identity attribute 5", Value: hex16(id.Status), Frame: fr})
		}
		if has(6) {
			attrs = append(attrs, Attr{Field: FieldSerial, Name: "identity attribute 6", Value: hex32(id.SerialNumber), Frame: fr})
		}
		if has(7) {
			attrs = append(attrs, Attr{Field: FieldProduct, Name: "identity attribute 7", Value: printable(id.ProductName), Frame: fr})
		}
		if has(8) {
			attrs = append(attrs, Attr{Field: FieldOther, Name: "identity attribute 8 state", Value: hex8(id.State), Frame: fr})
		}
	case enip.ClassTCPIP:
		var t enip.TCPIPInterface
		if c.Request.Service == enip.SvcGetAttributeSingle {
			t.SetAttribute(attr, c.Msg.Data)
		} else {
			attrs := c.Attributes()
			for attrs.Next() {
				a := attrs.Attribute()
				t.SetAttribute(a.ID, a.Value)
			}
		}
		if t.Has&(1<<6) != 0 && len(t.HostName) > 0 {
			attrs = append(attrs, Attr{Field: FieldHostName, Name: "tcp/ip attribute 6", Value: printable(t.HostName), Frame: fr})
		}
	case enip.ClassEthernetLink:
		var l enip.EthernetLink
		if c.Request.Service == enip.SvcGetAttributeSingle {
			l.SetAttribute(attr, c.Msg.Data)
		} else {
			attrs := c.Attributes()
			for attrs.Next() {
				a := attrs.Attribute()
				l.SetAttribute(a.ID, a.Value)
			}
		}
		if l.Has&(1<<3) != 0 {
			attrs = append(attrs, Attr{Field: FieldMAC, Name: "ethernet link attribute 3", Value: MAC(l.MAC).String(), Frame: fr})
		}
	}
	if len(attrs) > 0 {
		e.emitIdentity(Identity{Proto: ENIP, Device: meta.Server, Peer: meta.Client, Module: module, Time: meta.Time, Frame: fr, Attrs: attrs})
	}
}

// enipKey reports the electronic key of a Forward Open: what the originator
// expects the target (module) to be.
func (e *Engine) enipKey(meta *Meta, module string, req *enip.Request) {
	p, _, ok := req.ConnPath()
	if !ok {
		return
	}
	k, ok := p.Key()
	if !ok {
		return
	}
	if r, ok := p.Route(); ok {
		slot, _ := r.Slot()
		module = "port " + strconv.Itoa(int(r.Port)) + " slot " + strconv.Itoa(int(slot))
	}
	if module == "" {
		module = "key"
	} else {
		module += " key"
	}
	fr := meta.RequestFrame
	if fr == 0 {
		fr = meta.Frame
	}
	attrs := []Attr{
		{Field: FieldVendorID, Name: "electronic key vendor", Value: strconv.Itoa(int(k.VendorID)), Frame: fr},
		{Field: FieldDeviceType, Name: "electronic key device type", Value: k.DeviceType.String(), Frame: fr},
		{Field: FieldProductCode, Name: "electronic key product code", Value: strconv.Itoa(int(k.ProductCode)), Frame: fr},
		{Field: FieldFirmware, Name: "electronic key revision", Value: strconv.Itoa(int(k.Major)) + "." + strconv.Itoa(int(k.Minor)), Frame: fr},
	}
	if k.VendorID == 0 && k.ProductCode == 0 && k.DeviceType == 0 {
		return // a key that matches any device says nothing
	}
	if k.VendorID.Known() {
		attrs = append(attrs, Attr{Field: FieldVendor, Name: "electronic key vendor name", Value: k.VendorID.String(), Frame: fr})
	}
	e.emitIdentity(Identity{Proto: ENIP, Device: meta.Server, Peer: meta.Client, Module: module, Time: meta.Time, Frame: fr, Attrs: attrs})
}

// enipIO reports an implicit I/O datagram as an access to the assembly its
// connection carries: a write of outputs from the originator, a read
// (report) of inputs from the target.
func (e *Engine) enipIO(f *flow, p pkt) {
	io, err := enip.ParseIO(p.data)
	if err != nil || !io.HasData {
		e.stats.Errors++
		return
	}
	meta := f.meta
	meta.Time, meta.Frame = p.ts, p.frame
	meta.Function, meta.FunctionName = 0, "implicit I/O"
	meta.Session = uint64(io.ConnID)
	meta.Transaction = uint64(io.EncapSeq)
	meta.Flags |= FlagUnsolicited
	a := Access{Meta: meta, Kind: OpRead, Action: ActionReport,
		Address: Address{Space: SpaceCIPAttribute, Block: 4, Attribute: 3, Count: 1}}
	data := io.Data
	if cn, fromOrig, ok := e.io.Lookup(io.ConnID); ok {
		d := cn.IO(io.Data, fromOrig)
		meta.Transaction = uint64(d.Seq)
		a.Transaction = meta.Transaction
		data = d.Data
		if fromOrig {
			a.Kind, a.Action = OpWrite, ActionWrite
		}
		if t := cn.ConnPath().Target(); t.HasConnPoint {
			a.Instance = t.ConnPoint
		} else if t.HasInstance {
			a.Instance = t.Instance
		}
	}
	a.Values = rawBytes(data)
	e.emitAccess(&a)
}

func revision(r enip.Revision) string {
	return strconv.Itoa(int(r.Major)) + "." + strconv.Itoa(int(r.Minor))
}

func hex8(v uint8) string   { return string(appendHexN(nil, uint64(v), 2)) }
func hex16(v uint16) string { return string(appendHexN(nil, uint64(v), 4)) }
func hex32(v uint32) string { return string(appendHexN(nil, uint64(v), 8)) }

// appendHexN appends "0x" and v in n hex digits.
func appendHexN(b []byte, v uint64, n int) []byte {
	b = append(b, '0', 'x')
	for i := n - 1; i >= 0; i-- {
		b = append(b, hexDigits[v>>(4*i)&0xf])
	}
	return b
}

// sockaddr prints the socket address a ListIdentity item reports.
func sockaddr(s enip.Sockaddr) string {
	ip := s.IPv4()
	return strconv.Itoa(int(ip>>24)) + "." + strconv.Itoa(int(ip>>16&0xff)) + "." + strconv.Itoa(int(ip>>8&0xff)) + "." +
		strconv.Itoa(int(ip&0xff)) + ":" + strconv.Itoa(int(s.Port))
}
