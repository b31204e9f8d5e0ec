package asset

import (
	"net/netip"
	"strconv"
	"time"

	"github.com/icsdissect/icsdissect/dnp3"
)

// dnp3State is the per-flow state of a DNP3 flow: the Conn (transport
// reassembly, sequence numbers, pairing), the frames of pending requests
// and the link addresses already reported.
type dnp3State struct {
	conn   dnp3.Conn
	frames frameRing
	links  [8]uint32 // master<<16 | outstation pairs reported
	nlinks uint8
	// writes keeps the pending writes and commands, so that one the Conn
	// drops (a request that reuses its sequence number, a full pending
	// table) is still reported, unanswered, with its values.
	writes [dnp3.MaxPending + 4]dnp3Write
	nreq   uint32 // requests seen, to tell which writes the Conn dropped
}

// dnp3Write is a pending write or command, as sent.
type dnp3Write struct {
	used               bool
	num                uint32
	ts                 int64
	frame              uint64
	fn                 dnp3.FunctionCode
	seq                uint8
	master, outstation uint16
	n                  uint8
	body               [dnp3WriteBody]byte
}

// dnp3WriteBody bounds the object area kept of a pending write: a few
// CROBs or analog outputs, a time.
const dnp3WriteBody = 64

func (s *dnp3State) reset() {
	s.conn.Reset()
	s.frames.reset()
	s.nlinks = 0
	s.writes = [len(s.writes)]dnp3Write{}
	s.nreq = 0
}

// consume marks the write sent at ts answered (or reported by Flush).
func (s *dnp3State) consume(ts int64) {
	for i := range s.writes {
		if w := &s.writes[i]; w.used && w.ts == ts {
			w.used = false
		}
	}
}

// dnp3Request keeps a write or command request until its response, and
// reports the ones the Conn dropped for it.
func (e *Engine) dnp3Request(f *flow, st *dnp3State, m *dnp3.Message, frame uint64) {
	st.nreq++
	fr := &m.Fragment
	master, outstation, seq := m.Frame.Src, m.Frame.Dst, fr.Control.Seq()
	if m.Anomalies.Has(dnp3.AnomalyDuplicateRequest) {
		for i := range st.writes {
			w := &st.writes[i]
			if w.used && w.master == master && w.outstation == outstation && w.seq == seq {
				e.dnp3Dropped(f, w, FlagDuplicate)
			}
		}
	}
	if m.Anomalies.Has(dnp3.AnomalyPendingOverflow) {
		for i := range st.writes {
			// The Conn keeps the MaxPending most recent requests.
			if w := &st.writes[i]; w.used && st.nreq-w.num >= dnp3.MaxPending {
				e.dnp3Dropped(f, w, FlagOverflow)
			}
		}
	}
	switch fr.Func {
	case dnp3.FuncWrite, dnp3.FuncSelect, dnp3.FuncOperate, dnp3.FuncDirectOperate:
	default:
		return
	}
	slot := &st.writes[0]
	for i := range st.writes {
		w := &st.writes[i]
		if !w.used {
			slot = w
			break
		}
		if w.num < slot.num {
			slot = w
		}
	}
	if slot.used {
		e.dnp3Dropped(f, slot, FlagOverflow)
	}
	*slot = dnp3Write{used: true, num: st.nreq, ts: m.Time, frame: frame, fn: fr.Func, seq: seq,
		master: master, outstation: outstation}
	slot.n = uint8(copy(slot.body[:], fr.Body))
}

// dnp3Dropped reports a write or command the Conn dropped before its
// response.
func (e *Engine) dnp3Dropped(f *flow, w *dnp3Write, why Flags) {
	w.used = false
	s := dnp3Src{meta: f.meta, reqFn: w.fn, bodyFn: w.fn, noVals: true}
	s.meta.Flags |= FlagUnanswered | why
	s.meta.Time, s.meta.RequestTime, s.meta.Frame, s.meta.RequestFrame = w.ts, w.ts, w.frame, w.frame
	s.meta.Unit, s.meta.Transaction = uint32(w.outstation), uint64(w.seq)
	s.reqBody = w.body[:w.n:w.n]
	s.body = s.reqBody
	e.dnp3Report(&s)
}

// dnp3 decodes one DNP3 link frame.
func (e *Engine) dnp3(f *flow, p pkt) {
	st := f.st.dnp3
	if st == nil {
		st = new(dnp3State)
		f.st.dnp3 = st
	}
	if p.gap {
		st.conn.Gap(p.toServer)
	}
	m, err := st.conn.Decode(p.data, p.toServer, p.ts)
	if err != nil {
		e.stats.Errors++
		if !m.Complete {
			return
		}
	}
	if m.Anomalies.Has(dnp3.AnomalyPendingOverflow) {
		e.stats.Dropped++
	}
	e.dnp3Link(f, st, m, p.frame)
	if !m.Complete {
		return
	}
	fr := &m.Fragment
	switch {
	case fr.Func == dnp3.FuncConfirm:
		return
	case fr.Func.IsRequest():
		st.frames.put(p.ts, p.frame)
		e.dnp3Request(f, st, m, p.frame)
		if fr.Func.NoResponse() {
			// No response will come: report the request now.
			e.dnp3Event(f, st, m, p.frame, p.gap)
		}
		return
	}
	e.dnp3Event(f, st, m, p.frame, p.gap)
}

// dnp3Flush reports a flow's unanswered requests and resets it.
func (e *Engine) dnp3Flush(f *flow) {
	st := f.st.dnp3
	if st == nil {
		return
	}
	st.conn.Flush(func(m *dnp3.Message) bool {
		e.dnp3Event(f, st, m, 0, false)
		return true
	})
	for i := range st.writes {
		if w := &st.writes[i]; w.used {
			e.dnp3Dropped(f, w, FlagOverflow)
		}
	}
	st.reset()
}

// dnp3LinkKey is a master and outstation address pair between two hosts.
type dnp3LinkKey struct {
	master, outstation netip.Addr
	link               uint32
}

// maxDNP3Links bounds the pairs the engine remembers having reported.
const maxDNP3Links = 4096

// dnp3Link reports, once per flow, the link addresses of each master and
// outstation pair: the outstation's as an identity of the server, the
// master's as one of the client.
func (e *Engine) dnp3Link(f *flow, st *dnp3State, m *dnp3.Message, frame uint64) {
	master, outstation := m.Frame.Src, m.Frame.Dst
	if !m.ToServer {
		master, outstation = outstation, master
	}
	key := uint32(master)<<16 | uint32(outstation)
	for _, k := range st.links[:st.nlinks] {
		if k == key {
			return
		}
	}
	if int(st.nlinks) == len(st.links) {
		return
	}
	st.links[st.nlinks] = key
	st.nlinks++
	// The engine remembers the pairs it reported for other flows of the
	// same endpoints, so that a connection opened again does not report
	// them again.
	meta := &f.meta
	lk := dnp3LinkKey{f.meta.Client.Addr, f.meta.Server.Addr, key}
	if _, ok := e.dnp3Links[lk]; ok {
		return
	}
	if len(e.dnp3Links) >= maxDNP3Links {
		clear(e.dnp3Links)
	}
	if e.dnp3Links == nil {
		e.dnp3Links = make(map[dnp3LinkKey]struct{})
	}
	e.dnp3Links[lk] = struct{}{}
	e.emitIdentity(Identity{Proto: DNP3, Device: meta.Server, Peer: meta.Client, Module: "link " + strconv.Itoa(int(outstation)),
		Time: m.Time, Frame: frame,
		Attrs: []Attr{{Field: FieldAddress, Name: "outstation_address", Value: strconv.Itoa(int(outstation)), Frame: frame}}})
	e.emitIdentity(Identity{Proto: DNP3, Device: meta.Client, Peer: meta.Server, Module: "link " + strconv.Itoa(int(master)),
		Time: m.Time, Frame: frame,
		Attrs: []Attr{{Field: FieldAddress, Name: "master_address", Value: strconv.Itoa(int(master)), Frame: frame}}})
}

// dnp3Src is what an event is made of: the request's function and object
// area, the objects to report, and the times, frames, station and status.
type dnp3Src struct {
	meta    Meta
	reqFn   dnp3.FunctionCode
	reqBody []byte // the request's object area, when it is known
	body    []byte // the objects to report
	bodyFn  dnp3.FunctionCode
	iin     dnp3.IIN
	hasIIN  bool
	noVals  bool // a request without a response: its read headers have no values
}

// dnp3Event turns a response (paired, unsolicited or unmatched), a request
// that takes no response, or an unanswered request into events.
func (e *Engine) dnp3Event(f *flow, st *dnp3State, m *dnp3.Message, frame uint64, gap bool) {
	s := dnp3Src{meta: f.meta}
	meta := &s.meta
	fr := &m.Fragment
	switch {
	case m.Unanswered:
		meta.Flags |= FlagUnanswered
		meta.Time, meta.RequestTime = m.RequestTime, m.RequestTime
		meta.Frame = st.frames.get(m.RequestTime)
		meta.RequestFrame = meta.Frame
		s.reqFn, s.reqBody = m.Request.Func, m.Request.Body()
		meta.Unit, meta.Transaction = uint32(m.Request.Outstation), uint64(m.Request.Seq())
		s.body, s.bodyFn, s.noVals = s.reqBody, s.reqFn, true
		st.consume(m.RequestTime)
	case m.ToServer:
		// A request that takes no response.
		meta.Time, meta.RequestTime, meta.Frame, meta.RequestFrame = m.Time, m.Time, frame, frame
		s.reqFn, s.reqBody = fr.Func, fr.Body
		meta.Unit, meta.Transaction = uint32(m.Frame.Dst), uint64(fr.Control.Seq())
		s.body, s.bodyFn, s.noVals = s.reqBody, s.reqFn, true
	case m.Paired:
		meta.Flags |= FlagPaired
		meta.Time, meta.RequestTime = m.Time, m.RequestTime
		meta.Frame, meta.RequestFrame = frame, st.frames.get(m.RequestTime)
		s.reqFn, s.reqBody = m.Request.Func, m.Request.Body()
		meta.Unit, meta.Transaction = uint32(m.Request.Outstation), uint64(m.Request.Seq())
		s.body, s.bodyFn = fr.Body, fr.Func
		s.iin, s.hasIIN = fr.IIN, fr.HasIIN
		st.consume(m.RequestTime)
	default:
		meta.Time, meta.Frame = m.Time, frame
		meta.Unit, meta.Transaction = uint32(m.Frame.Src), uint64(fr.Control.Seq())
		switch {
		case fr.Func == dnp3.FuncUnsolicitedResponse:
			meta.Flags |= FlagUnsolicited
		case m.Anomalies.Has(dnp3.AnomalyMismatchedResponse):
			meta.Flags |= FlagMismatched
		default:
			meta.Flags |= FlagUnmatched
		}
		s.reqFn = fr.Func
		s.body, s.bodyFn = fr.Body, fr.Func
		s.iin, s.hasIIN = fr.IIN, fr.HasIIN
	}
	if gap {
		meta.Flags |= FlagGap
	}
	e.dnp3Report(&s)
}

// dnp3Report delivers the events of one request, response or pair.
func (e *Engine) dnp3Report(s *dnp3Src) {
	meta := &s.meta
	reqFn, reqBody, body, bodyFn := s.reqFn, s.reqBody, s.body, s.bodyFn
	if meta.Unit == 0xffff || meta.Unit >= 0xfffd {
		meta.Flags |= FlagBroadcast
	}
	meta.Function, meta.FunctionName = uint16(reqFn), codeName(&e.names, nameDNP3Function, reqFn)
	if s.hasIIN {
		// IIN2: function not supported, object unknown, parameter error,
		// already executing, configuration corrupt.
		if bad := s.iin & 0x0037; bad != 0 {
			meta.Status = Status{Code: uint32(s.iin), Name: cachedText(&e.names, nameDNP3IIN, bad), Failed: true}
			meta.Flags |= FlagException
		}
	}
	op := reqFn.Operation()
	if reqFn == dnp3.FuncWrite && len(reqBody) > 0 && reqBody[0] == 50 {
		op = dnp3.OpTimeSync // a write of time objects sets the clock
	}
	if reqFn == dnp3.FuncUnsolicitedResponse || reqFn == dnp3.FuncResponse {
		op = dnp3.OpRead
	}
	switch op {
	case dnp3.OpRead:
		act := ActionRead
		if reqFn == dnp3.FuncUnsolicitedResponse {
			act = ActionReport
		} else if dnp3ClassRead(reqBody) {
			act = ActionInterrogation
		}
		if s.noVals {
			// An unanswered read: the request's headers, without values.
			e.dnp3Objects(meta, OpRead, act, body, bodyFn, false)
			return
		}
		e.dnp3Objects(meta, OpRead, act, body, bodyFn, true)
		e.dnp3Attributes(meta, body, bodyFn)
		return
	case dnp3.OpWrite:
		e.dnp3Objects(meta, OpWrite, ActionWrite, reqBody, reqFn, true)
		return
	case dnp3.OpControl:
		act := ActionDirectOperate
		switch reqFn {
		case dnp3.FuncSelect:
			act = ActionSelect
		case dnp3.FuncOperate:
			act = ActionOperate
		case dnp3.FuncDirectOperateNoAck:
			act = ActionDirectOperateNoAck
		}
		// The response echoes the commands with their status.
		e.dnp3Objects(meta, OpWrite, act, body, bodyFn, true)
		return
	}
	o := Op{Meta: *meta}
	e.scratch = e.scratch[:0]
	switch op {
	case dnp3.OpTimeSync:
		o.Kind, o.Action = OpTimeSync, ActionSetTime
		if reqFn == dnp3.FuncDelayMeasure {
			o.Action = ActionDelayMeasure
		}
		e.dnp3Time(reqBody, reqFn)
	case dnp3.OpFreeze:
		o.Kind, o.Action = OpOther, ActionFreeze
	case dnp3.OpColdRestart:
		o.Kind, o.Action = OpControl, ActionColdRestart
	case dnp3.OpWarmRestart:
		o.Kind, o.Action = OpControl, ActionWarmRestart
	case dnp3.OpApplication:
		o.Kind, o.Action = OpControl, ActionReset
		switch reqFn {
		case dnp3.FuncStartApplication:
			o.Action = ActionStart
		case dnp3.FuncStopApplication:
			o.Action = ActionStop
		}
	case dnp3.OpSaveConfiguration, dnp3.OpActivateConfig:
		o.Kind, o.Action = OpConfig, ActionSetConfig
	case dnp3.OpUnsolicited:
		o.Kind, o.Action = OpConfig, ActionEnableUnsolicited
		if reqFn == dnp3.FuncDisableUnsolicited {
			o.Action = ActionDisableUnsolicited
		}
	case dnp3.OpAssignClass:
		o.Kind, o.Action = OpConfig, ActionAssignClass
	case dnp3.OpFile:
		o.Kind, o.Action = OpFile, ActionFileTransfer
		switch reqFn {
		case dnp3.FuncOpenFile:
			o.Action = ActionFileOpen
		case dnp3.FuncCloseFile:
			o.Action = ActionFileClose
		case dnp3.FuncDeleteFile:
			o.Action = ActionFileDelete
		}
	case dnp3.OpAuthentication:
		o.Kind, o.Action = OpAuth, ActionChallenge
	default:
		o.Kind, o.Action = OpOther, ActionVendor
	}
	if len(e.scratch) == 0 {
		e.dnp3Headers(reqBody, reqFn)
	}
	o.Target = e.scratch
	e.emitOp(&o)
}

// dnp3ClassRead reports whether a read asks for class data (group 60).
func dnp3ClassRead(body []byte) bool {
	objs := dnp3.NewObjects(body, dnp3.FuncRead)
	for objs.Next() {
		if objs.Object().Group == 60 {
			return true
		}
	}
	return false
}

// dnp3Headers appends the object types of a request to the scratch
// ("g80v1 g60v2").
func (e *Engine) dnp3Headers(body []byte, fn dnp3.FunctionCode) {
	objs := dnp3.NewObjects(body, fn)
	for objs.Next() {
		if len(e.scratch) > 0 {
			e.scratch = append(e.scratch, ' ')
		}
		e.scratch, _ = objs.Object().Type().AppendText(e.scratch)
	}
}

// dnp3Time appends the time a time-setting write carries to the scratch.
func (e *Engine) dnp3Time(body []byte, fn dnp3.FunctionCode) {
	objs := dnp3.NewObjects(body, fn)
	for objs.Next() {
		if objs.Object().Group != 50 {
			continue
		}
		pts := objs.Points()
		for pts.Next() {
			if p := pts.Point(); p.HasTime() {
				e.scratch = time.UnixMilli(int64(p.Time())).UTC().AppendFormat(e.scratch, time.RFC3339Nano)
				return
			}
		}
	}
}

// dnp3Objects delivers one access per object header of body: the points
// of one group and variation.
func (e *Engine) dnp3Objects(meta *Meta, kind Operation, act Action, body []byte, fn dnp3.FunctionCode, values bool) {
	objs := dnp3.NewObjects(body, fn)
	for objs.Next() {
		h := objs.Object()
		switch h.Group {
		case 0, 51, 60, 80, 120:
			// Device attributes (identity), common times of occurrence
			// (folded into the points' times), class data, IIN and
			// authentication are not points.
			if !(h.Group == 80 && kind == OpWrite) {
				continue
			}
		}
		a := Access{Meta: *meta, Kind: kind, Action: act}
		a.Space = SpaceDNP3Points
		a.Block, a.Instance = uint32(h.Group), uint32(h.Variation)
		a.Start, a.Count = uint64(h.Start), h.Count
		if values && !h.HeaderOnly {
			a.Values = Values{raw: body, start: uint64(h.Start), n: h.Count, codec: codecDNP3, proto: DNP3,
				typ: uint16(h.Type()), aux: uint64(h.Offset) | uint64(fn)<<32}
			// The first point's address, and the first failed command.
			pts := objs.Points()
			first := true
			for pts.Next() {
				p := pts.Point()
				if first {
					a.Start, first = uint64(p.Index()), false
				}
				if p.HasStatus() && p.Status() != 0 && !a.Status.Failed {
					a.Status = Status{Code: uint32(p.Status()), Name: codeName(&e.names, nameDNP3Status, p.Status()), Failed: true}
					a.Flags |= FlagException
				}
			}
		}
		e.emitAccess(&a)
	}
}

// dnp3At decodes element i of DNP3 values: the i-th point of the header at
// the offset the values keep, walking the fragment's headers again so that
// relative times meet their common time of occurrence.
func dnp3At(v Values, i int) (Value, bool) {
	var out Value
	found := false
	dnp3Walk(v, func(k int, pts *dnp3.Points) bool {
		if k == i {
			out, found = dnp3Value(v, pts), true
			return false
		}
		return true
	})
	return out, found
}

// dnp3All yields every element of DNP3 values.
func dnp3All(v Values, yield func(int, Value) bool) {
	dnp3Walk(v, func(k int, pts *dnp3.Points) bool { return yield(k, dnp3Value(v, pts)) })
}

// dnp3Walk calls fn with each point of the header of v, in order, until it
// returns false.
func dnp3Walk(v Values, fn func(int, *dnp3.Points) bool) {
	off := int(uint32(v.aux))
	objs := dnp3.NewObjects(v.raw, dnp3.FunctionCode(v.aux>>32))
	for objs.Next() {
		if objs.Object().Offset != off {
			continue
		}
		pts := objs.Points()
		for k := 0; k < int(v.n) && pts.Next(); k++ {
			if !fn(k, pts) {
				return
			}
		}
		return
	}
}

// dnp3Value converts the current point of a cursor: its value (a CROB as
// KindCROB), its flags octet (an analog output's status) and its time.
func dnp3Value(v Values, pts *dnp3.Points) Value {
	p := pts.Point()
	x := Value{Proto: DNP3, Type: v.typ, Addr: uint64(p.Index())}
	switch p.Kind() {
	case dnp3.KindBit:
		x.Kind, x.n = KindBool, uint64(p.Int()&1)
	case dnp3.KindDoubleBit:
		x.Kind, x.n = KindUint, uint64(p.Int())
	case dnp3.KindInt:
		x.Kind, x.n = KindInt, uint64(p.Int())
	case dnp3.KindCounter:
		x.Kind, x.n = KindUint, uint64(p.Int())
	case dnp3.KindFloat:
		if p.Double() {
			x.Kind, x.n = KindFloat64, math64bits(p.Float())
		} else {
			x.Kind, x.n = KindFloat32, uint64(float32bits(float32(p.Float())))
		}
	case dnp3.KindTime:
		x.Kind, x.n = KindTime, uint64(int64(p.Time())*int64(time.Millisecond))
	case dnp3.KindDelay:
		unit := time.Second
		if v.typ&0xff == 2 {
			unit = time.Millisecond
		}
		x.Kind, x.n = KindDuration, uint64(time.Duration(p.Int())*unit)
	case dnp3.KindControl:
		if c, ok := pts.CROB(); ok {
			x = CROBValue(CROB{Code: uint8(c.Code), Count: c.Count, OnTime: c.OnTime, OffTime: c.OffTime, Status: uint8(c.Status)}).WithAddr(x.Addr)
			x.Proto, x.Type = DNP3, v.typ
		}
	case dnp3.KindAttribute:
		if a, ok := pts.Attribute(); ok {
			if a.Text() {
				x.Kind, x.b = KindText, a.Value
			} else if u, ok := a.Uint(); ok {
				x.Kind, x.n = KindUint, u
			} else if n, ok := a.Int(); ok {
				x.Kind, x.n = KindInt, uint64(n)
			} else if f, ok := a.Float(); ok {
				x.Kind, x.n = KindFloat64, math64bits(f)
			} else {
				x.Kind, x.b = KindBytes, a.Value
			}
		}
	default:
		x.Kind, x.b = KindBytes, pts.Raw()
	}
	if p.HasFlags() {
		x.Flags, x.HasFlags = uint32(p.Flags()), true
	} else if p.HasStatus() && p.Kind() != dnp3.KindControl {
		x.Flags, x.HasFlags = uint32(p.Status()), true
	}
	if p.HasTime() && !p.RelTime() && p.Kind() != dnp3.KindTime {
		x.Time, x.HasTime = int64(p.Time())*int64(time.Millisecond), true
	}
	return x
}

// dnp3TypeName names a DNP3 object type ("g30v5").
func dnp3TypeName(typ uint16) string {
	return "g" + strconv.Itoa(int(typ>>8)) + "v" + strconv.Itoa(int(typ&0xff))
}

// dnp3Attributes reports the device attributes (group 0) of a response as
// the outstation's identity.
func (e *Engine) dnp3Attributes(meta *Meta, body []byte, fn dnp3.FunctionCode) {
	var attrs []Attr
	objs := dnp3.NewObjects(body, fn)
	for objs.Next() {
		if objs.Object().Group != 0 {
			continue
		}
		pts := objs.Points()
		for pts.Next() {
			a, ok := pts.Attribute()
			if !ok {
				continue
			}
			fld := FieldOther
			switch a.Attr {
			case dnp3.AttrManufacturer:
				fld = FieldVendor
			case dnp3.AttrProductName:
				fld = FieldProduct
			case dnp3.AttrSerialNumber:
				fld = FieldSerial
			case dnp3.AttrSoftwareVersion:
				fld = FieldFirmware
			case dnp3.AttrHardwareVersion:
				fld = FieldHardware
			case dnp3.AttrLocation:
				fld = FieldLocation
			case dnp3.AttrDeviceName:
				fld = FieldName
			}
			val := ""
			switch {
			case a.Text():
				val = printable(a.Value)
			default:
				if u, ok := a.Uint(); ok {
					val = strconv.FormatUint(u, 10)
				} else if n, ok := a.Int(); ok {
					val = strconv.FormatInt(n, 10)
				} else if f, ok := a.Float(); ok {
					val = strconv.FormatFloat(f, 'g', -1, 64)
				} else {
					val = string(appendHex(nil, a.Value))
				}
			}
			attrs = append(attrs, Attr{Field: fld, Name: "g0v" + strconv.Itoa(int(a.Attr)) + " " + a.Attr.String(), Value: val, Frame: meta.Frame})
		}
	}
	if len(attrs) > 0 {
		e.emitIdentity(Identity{Proto: DNP3, Device: meta.Server, Peer: meta.Client, Module: "link " + strconv.Itoa(int(meta.Unit)),
			Time: meta.Time, Frame: meta.Frame, Attrs: attrs})
	}
}
