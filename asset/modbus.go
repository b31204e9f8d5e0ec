package asset

import (
	"strconv"

	"github.com/icsdissect/icsdissect/modbus"
)

// modbusState is the per-flow state of a Modbus flow: the Conn that pairs
// requests with responses, the frames of pending requests, a scratch for
// single written values, and a Read Device Identification being answered
// over several responses.
type modbusState struct {
	conn   modbus.Conn
	frames frameRing
	one    [2]byte
	devid  modbusDevID
}

// modbusDevID collects the objects of a Read Device Identification answered
// in several responses (MoreFollows 0xFF), until the last one.
type modbusDevID struct {
	active bool
	unit   uint8
	next   modbus.ObjectID
	id     Identity
}

func (s *modbusState) reset() {
	s.conn.Reset()
	s.frames.reset()
	s.devid = modbusDevID{}
}

// modbus decodes one Modbus ADU. Requests wait in the Conn; events are made
// when the response pairs with its request, or at the end of the flow.
func (e *Engine) modbus(f *flow, p pkt) {
	st := f.st.modbus
	if st == nil {
		st = new(modbusState)
		f.st.modbus = st
	}
	m, err := st.conn.Decode(p.data, p.toServer, p.ts)
	if err != nil {
		e.stats.Errors++
	}
	if len(m.Frame.PDU) == 0 {
		return
	}
	if m.ToServer {
		if m.Anomalies.Has(modbus.AnomalyPendingOverflow) {
			e.stats.Dropped++
		}
		st.frames.put(p.ts, p.frame)
		return
	}
	e.modbusEvent(f, st, m, p.frame, p.gap)
}

// modbusFlush reports a Modbus flow's unanswered requests and resets it.
func (e *Engine) modbusFlush(f *flow) {
	st := f.st.modbus
	if st == nil {
		return
	}
	st.conn.Flush(func(m *modbus.Message) bool {
		e.modbusEvent(f, st, m, 0, false)
		return true
	})
	if st.devid.active {
		e.emitIdentity(st.devid.id)
	}
	st.reset()
}

// modbusEvent turns a response (paired or not) or an unanswered request
// into events.
func (e *Engine) modbusEvent(f *flow, st *modbusState, m *modbus.Message, frame uint64, gap bool) {
	var req, resp *modbus.Frame
	meta := f.meta
	switch {
	case m.Unanswered:
		req = &m.Frame
		meta.Flags |= FlagUnanswered
		meta.Time, meta.RequestTime = m.Time, m.Time
		meta.Frame = st.frames.get(m.Time)
		meta.RequestFrame = meta.Frame
	case m.Paired:
		req, resp = &m.Request, &m.Frame
		meta.Flags |= FlagPaired
		meta.Time, meta.RequestTime = m.Time, m.RequestTime
		meta.Frame, meta.RequestFrame = frame, st.frames.get(m.RequestTime)
	default:
		resp = &m.Frame
		meta.Time, meta.Frame = m.Time, frame
		if m.Anomalies.Has(modbus.AnomalyMismatchedResponse) {
			meta.Flags |= FlagMismatched
		} else {
			meta.Flags |= FlagUnmatched
		}
	}
	if gap {
		meta.Flags |= FlagGap
	}
	src := req // the frame that names the function and addresses
	if src == nil {
		src = resp
	}
	fn := src.Function
	meta.Function = uint16(fn)
	meta.FunctionName = modbusFunctionName(fn)
	meta.Unit = uint32(src.UnitID)
	meta.Transaction = uint64(src.TransactionID)
	if src.UnitID == 0 && req != nil {
		meta.Flags |= FlagBroadcast
	}
	if resp != nil && resp.IsException() {
		meta.Status = Status{Code: uint32(resp.Exception), Name: modbusExceptionName(resp.Exception), Failed: true}
		meta.Flags |= FlagException
	}

	a := Access{Meta: meta, Kind: OpRead, Action: ActionRead}
	switch fn {
	case modbus.ReadCoils, modbus.ReadDiscreteInputs, modbus.ReadHoldingRegisters, modbus.ReadInputRegisters:
		if req != nil {
			if r, ok := req.ReadRequest(); ok {
				a.Start, a.Count = uint64(r.Start), uint32(r.Quantity)
			}
		}
		switch fn {
		case modbus.ReadCoils, modbus.ReadDiscreteInputs:
			a.Space = SpaceCoils
			if fn == modbus.ReadDiscreteInputs {
				a.Space = SpaceDiscreteInputs
			}
			if resp != nil {
				if b, ok := m.Bits(); ok {
					a.Values = BitValues(uint64(b.Start()), b.Bytes(), b.Len())
				}
			}
		default:
			a.Space = SpaceHoldingRegisters
			if fn == modbus.ReadInputRegisters {
				a.Space = SpaceInputRegisters
			}
			if resp != nil {
				if r, ok := m.Registers(); ok {
					a.Values = RegisterValues(uint64(r.Start()), r.Bytes(), r.Len())
				}
			}
		}
		e.emitAccess(&a)
	case modbus.WriteSingleCoil, modbus.WriteSingleRegister:
		a.Kind, a.Action = OpWrite, ActionWrite
		w, ok := src.WriteSingle()
		if !ok && resp != nil {
			w, ok = resp.WriteSingle()
		}
		if ok {
			a.Start, a.Count = uint64(w.Address), 1
			if fn == modbus.WriteSingleCoil {
				a.Space = SpaceCoils
				st.one[0] = 0
				if w.Coil() {
					st.one[0] = 1
				}
				a.Values = BitValues(a.Start, st.one[:1], 1)
			} else {
				a.Space = SpaceHoldingRegisters
				st.one[0], st.one[1] = byte(w.Value>>8), byte(w.Value)
				a.Values = RegisterValues(a.Start, st.one[:2], 1)
			}
		}
		e.emitAccess(&a)
	case modbus.WriteMultipleCoils:
		a.Kind, a.Action, a.Space = OpWrite, ActionWrite, SpaceCoils
		if req != nil {
			if w, ok := req.WriteMultipleCoils(); ok {
				a.Start, a.Count = uint64(w.Range.Start), uint32(w.Range.Quantity)
				a.Values = BitValues(a.Start, w.Values.Bytes(), w.Values.Len())
			}
		} else if r, ok := resp.WriteMultipleResponse(); ok {
			a.Start, a.Count = uint64(r.Start), uint32(r.Quantity)
		}
		e.emitAccess(&a)
	case modbus.WriteMultipleRegisters:
		a.Kind, a.Action, a.Space = OpWrite, ActionWrite, SpaceHoldingRegisters
		if req != nil {
			if w, ok := req.WriteMultipleRegisters(); ok {
				a.Start, a.Count = uint64(w.Range.Start), uint32(w.Range.Quantity)
				a.Values = RegisterValues(a.Start, w.Values.Bytes(), w.Values.Len())
			}
		} else if r, ok := resp.WriteMultipleResponse(); ok {
			a.Start, a.Count = uint64(r.Start), uint32(r.Quantity)
		}
		e.emitAccess(&a)
	case modbus.MaskWriteRegister:
		a.Kind, a.Action, a.Space = OpWrite, ActionWrite, SpaceHoldingRegisters
		if w, ok := src.MaskWrite(); ok {
			a.Start, a.Count = uint64(w.Address), 1
			// The masks, not a value: the register's new value depends on
			// its old one. Values hold AND then OR.
			a.Values = maskValues(a.Start, src)
		}
		e.emitAccess(&a)
	case modbus.ReadWriteMultipleRegisters:
		a.Action = ActionReadWrite
		if req != nil {
			if rw, ok := req.ReadWriteRequest(); ok {
				w := a
				w.Kind, w.Space = OpWrite, SpaceHoldingRegisters
				w.Start, w.Count = uint64(rw.Write.Start), uint32(rw.Write.Quantity)
				w.Values = RegisterValues(w.Start, rw.Values.Bytes(), rw.Values.Len())
				e.emitAccess(&w)
				a.Start, a.Count = uint64(rw.Read.Start), uint32(rw.Read.Quantity)
			}
		}
		a.Space = SpaceHoldingRegisters
		if resp != nil {
			if r, ok := m.Registers(); ok {
				a.Values = RegisterValues(uint64(r.Start()), r.Bytes(), r.Len())
			}
		}
		e.emitAccess(&a)
	case modbus.ReadFIFOQueue:
		a.Space = SpaceFIFO
		if req != nil {
			if ptr, ok := req.FIFOPointer(); ok {
				a.Start = uint64(ptr)
			}
		}
		if resp != nil {
			if q, ok := resp.FIFOQueue(); ok {
				a.Count = uint32(q.Values.Len())
				// Every value of a FIFO is read from the same address.
				a.Values = fifoValues(a.Start, q.Values.Bytes())
			}
		}
		e.emitAccess(&a)
	case modbus.ReadFileRecord, modbus.WriteFileRecord:
		e.modbusFileRecords(&a, m, req, resp)
	case modbus.EncapsulatedInterfaceTransport:
		e.modbusMEI(f, st, &meta, m, req, resp)
	case modbus.ReportServerID:
		e.modbusOp(&meta, OpIdentity, ActionReadIdentity, nil, nil)
		if resp != nil {
			if sid, ok := resp.ServerID(); ok {
				e.emitIdentity(Identity{Proto: Modbus, Device: meta.Server, Peer: meta.Client, Module: modbusModule(src.UnitID),
					Time: meta.Time, Frame: meta.Frame, Attrs: []Attr{{Field: FieldOther, Name: "report_server_id",
						Value: printable(sid.Raw), Raw: append([]byte{}, sid.Raw...), Frame: meta.Frame}}})
			}
		}
	case modbus.Diagnostics:
		d, ok := src.Diagnostic()
		act := ActionDiagnostics
		kind := OpDiagnostics
		if ok {
			meta.Sub, meta.HasSub = uint16(d.Sub), true
			switch d.Sub {
			case modbus.DiagRestartCommunicationsOption:
				kind, act = OpControl, ActionRestart
			case modbus.DiagForceListenOnlyMode:
				kind, act = OpControl, ActionListenOnly
			case modbus.DiagClearCountersAndDiagRegister, modbus.DiagClearOverrunCounterAndFlag:
				act = ActionClearCounters
			}
		}
		e.scratch, _ = d.Sub.AppendText(e.scratch[:0])
		e.modbusOp(&meta, kind, act, e.scratch, nil)
	case modbus.ReadExceptionStatus, modbus.GetCommEventCounter, modbus.GetCommEventLog:
		e.modbusOp(&meta, OpDiagnostics, ActionDiagnostics, nil, nil)
	case modbus.UMAS:
		e.modbusUMAS(&meta, req, resp)
	default:
		e.modbusOp(&meta, OpOther, ActionVendor, nil, src.Data())
	}
}

// modbusOp delivers an operation event.
func (e *Engine) modbusOp(meta *Meta, k Operation, a Action, target, data []byte) {
	o := Op{Meta: *meta, Kind: k, Action: a, Target: target, Data: data}
	e.emitOp(&o)
}

// modbusModule names the unit an identity describes: "" for units 0 and
// 255 (a device that is its own server), "unit N" for a unit behind a
// gateway.
func modbusModule(unit uint8) string {
	if unit == 0 || unit == 0xff {
		return ""
	}
	return "unit " + strconv.Itoa(int(unit))
}

// maskValues returns the AND and OR masks of a Mask Write Register as two
// register values, both at the register's address.
func maskValues(addr uint64, f *modbus.Frame) Values {
	d := f.Data()
	if len(d) < 6 {
		return Values{}
	}
	return Values{raw: d[2:6], start: addr, n: 2, codec: codecMask, proto: Modbus}
}

// fifoValues returns the registers of a FIFO queue, each read from addr.
func fifoValues(addr uint64, raw []byte) Values {
	return Values{raw: raw, start: addr, n: uint32(len(raw) / 2), codec: codecFIFO, proto: Modbus}
}

// modbusFileRecords delivers one access per file record of functions 20
// and 21.
func (e *Engine) modbusFileRecords(a *Access, m *modbus.Message, req, resp *modbus.Frame) {
	a.Space = SpaceFileRecords
	if a.Function == uint16(modbus.WriteFileRecord) {
		a.Kind, a.Action = OpWrite, ActionWrite
	}
	src := req
	if a.Kind == OpRead && resp != nil {
		// The response's records carry the data; paired, the Conn numbers
		// them from the request's sub-requests.
		recs, ok := m.FileRecords()
		if !ok {
			e.emitAccess(a)
			return
		}
		n := 0
		for recs.Next() {
			r := recs.FileRecord()
			x := *a
			x.Block, x.Start, x.Count = uint32(r.File), uint64(r.Record), uint32(r.Length)
			x.Values = RegisterValues(x.Start, r.Data, len(r.Data)/2)
			e.emitAccess(&x)
			n++
		}
		if n == 0 {
			e.emitAccess(a)
		}
		return
	}
	if src == nil {
		src = resp
	}
	recs, ok := src.FileRecords()
	if !ok {
		e.emitAccess(a)
		return
	}
	n := 0
	for recs.Next() {
		r := recs.FileRecord()
		x := *a
		x.Block, x.Start, x.Count = uint32(r.File), uint64(r.Record), uint32(r.Length)
		if a.Kind == OpWrite {
			x.Values = RegisterValues(x.Start, r.Data, len(r.Data)/2)
		}
		e.emitAccess(&x)
		n++
	}
	if n == 0 {
		e.emitAccess(a)
	}
}

// modbusMEI handles function 43: Read Device Identification (an identity
// query, and the identity its responses carry, joined over several
// responses) and CANopen General Reference.
func (e *Engine) modbusMEI(f *flow, st *modbusState, meta *Meta, m *modbus.Message, req, resp *modbus.Frame) {
	src := req
	if src == nil {
		src = resp
	}
	mei, data, _ := src.MEI()
	meta.Sub, meta.HasSub = uint16(mei), true
	if mei != modbus.MEIReadDeviceID {
		e.modbusOp(meta, OpOther, ActionNone, nil, data)
		return
	}
	e.scratch = e.scratch[:0]
	var rq modbus.DeviceIDRequest
	hasReq := false
	if req != nil {
		rq, hasReq = req.DeviceIDRequest()
		if hasReq {
			e.scratch, _ = rq.Code.AppendText(e.scratch)
			e.scratch = append(e.scratch, ", object "...)
			e.scratch, _ = rq.Object.AppendText(e.scratch)
		}
	}
	e.modbusOp(meta, OpIdentity, ActionReadIdentity, e.scratch, nil)
	if resp == nil || resp.IsException() {
		return
	}
	dr, ok := resp.DeviceID()
	if !ok {
		return
	}
	d := &st.devid
	unit := resp.UnitID
	// A response continues the identity being joined when its request
	// asked for the object the previous response named.
	if d.active && (!hasReq || rq.Object != d.next || d.unit != unit) {
		e.emitIdentity(d.id)
		d.active = false
	}
	if !d.active {
		d.active, d.unit = true, unit
		d.id = Identity{Proto: Modbus, Device: meta.Server, Peer: meta.Client, Module: modbusModule(unit),
			Time: meta.Time, Frame: meta.Frame,
			Attrs: []Attr{{Field: FieldOther, Name: "conformity_level", Value: dr.Conformity.String(), Frame: meta.Frame}}}
	}
	objs := dr.Objects()
	for objs.Next() {
		o := objs.Object()
		at := Attr{Name: o.ID.String(), Frame: meta.Frame}
		switch o.ID {
		case modbus.ObjectVendorName:
			at.Field = FieldVendor
		case modbus.ObjectProductCode:
			at.Field = FieldProductCode
		case modbus.ObjectMajorMinorRevision:
			at.Field = FieldFirmware
		case modbus.ObjectProductName:
			at.Field = FieldProduct
		case modbus.ObjectModelName:
			at.Field = FieldModel
		case modbus.ObjectUserApplicationName:
			at.Field = FieldName
		}
		if o.ID.Private() {
			at.Raw = append([]byte{}, o.Value...)
		}
		at.Value = printable(o.Value)
		d.id.Attrs = append(d.id.Attrs, at)
	}
	if dr.More() {
		d.next = dr.NextObject
		return
	}
	d.active = false
	e.emitIdentity(d.id)
	d.id = Identity{}
}

// modbusUMAS handles Schneider UMAS (function 90): an operation classified
// by the UMAS function of the request, with the response's status.
func (e *Engine) modbusUMAS(meta *Meta, req, resp *modbus.Frame) {
	src := req
	if src == nil {
		src = resp
	}
	u, ok := src.UMAS()
	if !ok {
		e.modbusOp(meta, OpOther, ActionVendor, nil, src.Data())
		return
	}
	meta.Sub, meta.HasSub = uint16(u.Function), true
	meta.Session = uint64(u.Session)
	if resp != nil {
		if r, ok := resp.UMAS(); ok && r.Function == modbus.UMASResponseError {
			meta.Status = Status{Code: uint32(r.Function), Name: r.Function.String(), Failed: true}
			meta.Flags |= FlagException
		}
	}
	k, a := OpOther, ActionVendor
	switch u.Function.Operation() {
	case modbus.OpRead:
		k, a = OpRead, ActionRead
	case modbus.OpWrite:
		k, a = OpWrite, ActionWrite
	case modbus.OpDiagnostics:
		k, a = OpDiagnostics, ActionDiagnostics
	case modbus.OpIdentity:
		k, a = OpIdentity, ActionReadIdentity
	case modbus.OpControl:
		k = OpControl
	case modbus.OpProgram:
		k, a = OpProgram, ActionProgramTransfer
	case modbus.OpReservation:
		k = OpAuth
	}
	switch u.Function {
	case modbus.UMASStartPLC:
		a = ActionStart
	case modbus.UMASStopPLC:
		a = ActionStop
	case modbus.UMASInitializeDownload:
		a = ActionDownload
	case modbus.UMASInitializeUpload:
		a = ActionUpload
	case modbus.UMASTakeReservation, modbus.UMASEnhancedReservation:
		a = ActionLogin
	case modbus.UMASReleaseReservation:
		a = ActionLogout
	case modbus.UMASInitComm:
		a = ActionSessionStart
	}
	e.scratch = append(e.scratch[:0], "UMAS "...)
	e.scratch, _ = u.Function.AppendText(e.scratch)
	e.modbusOp(meta, k, a, e.scratch, u.Data)
}

// modbusMaxPending is the bound of a Modbus Conn's pending table.
const modbusMaxPending = modbus.MaxPending
