package asset

import (
	"strconv"
	"time"

	"github.com/icsdissect/icsdissect/s7comm"
)

// s7UserdataFunction is the Meta.Function of userdata PDUs: 0x0700 (the
// userdata ROSCTR) with the function group in the low byte; Sub holds the
// subfunction.
const s7UserdataFunction = 0x0700

// s7State is the per-flow state of an S7 connection.
type s7State struct {
	conn     s7comm.Conn
	frames   frameRing
	plusSeen bool
}

func (s *s7State) reset() {
	s.conn.Reset()
	s.frames.reset()
	s.plusSeen = false
}

// s7comm decodes one TPKT packet of an S7 connection.
func (e *Engine) s7comm(f *flow, p pkt) {
	st := f.st.s7
	if st == nil {
		st = new(s7State)
		f.st.s7 = st
	}
	if p.gap {
		st.conn.Gap(p.toServer)
	}
	m, err := st.conn.Decode(p.data, p.toServer, p.ts)
	if err != nil {
		e.stats.Errors++
	}
	if m.Anomalies.Has(s7comm.AnomalyPendingOverflow) {
		e.stats.Dropped++
	}
	fr := &m.Frame
	switch fr.Kind {
	case s7comm.KindS7Plus:
		e.s7Plus(f, st, m, p.frame)
		return
	case s7comm.KindS7:
	default:
		if fr.COTP.Type == s7comm.TPDUConnectRequest || fr.COTP.Type == s7comm.TPDUDisconnectReq {
			e.s7COTP(f, st, m, p.frame)
		}
		return
	}
	if err != nil {
		return
	}
	pdu := &fr.PDU
	request := pdu.ROSCTR == s7comm.Job || (pdu.ROSCTR == s7comm.Userdata && m.ToServer && !m.JobResult)
	if request && m.ToServer {
		st.frames.put(p.ts, p.frame)
		return
	}
	e.s7Event(f, st, m, p.frame, p.gap)
}

// s7Flush reports an S7 flow's unanswered requests and resets it.
func (e *Engine) s7Flush(f *flow) {
	st := f.st.s7
	if st == nil {
		return
	}
	st.conn.Flush(func(m *s7comm.Message) bool {
		e.s7Event(f, st, m, 0, false)
		return true
	})
	st.reset()
}

// s7Meta fills the fields every event of the message has.
func (e *Engine) s7Meta(f *flow, st *s7State, m *s7comm.Message, frame uint64) (Meta, *s7comm.PDU, *s7comm.PDU) {
	meta := f.meta
	meta.Unit = 0xffff
	if rack, slot, ok := st.conn.RackSlot(); ok {
		meta.Unit = uint32(rack)<<8 | uint32(slot)
	}
	var req, resp *s7comm.PDU
	switch {
	case m.Unanswered:
		req = &m.Request
		meta.Flags |= FlagUnanswered
		meta.Time, meta.RequestTime = m.Time, m.Time
		meta.Frame = st.frames.get(m.Time)
		meta.RequestFrame = meta.Frame
	case m.Paired:
		req, resp = &m.Request, &m.Frame.PDU
		meta.Flags |= FlagPaired
		meta.Time, meta.RequestTime = m.Time, m.RequestTime
		meta.Frame, meta.RequestFrame = frame, st.frames.get(m.RequestTime)
	case m.JobResult:
		// A push carrying the results of a job or subscription the
		// client set up earlier.
		req, resp = &m.Request, &m.Frame.PDU
		meta.Flags |= FlagUnsolicited
		meta.Time, meta.Frame = m.Time, frame
		meta.RequestTime, meta.RequestFrame = m.RequestTime, st.frames.get(m.RequestTime)
	default:
		resp = &m.Frame.PDU
		meta.Time, meta.Frame = m.Time, frame
		switch {
		case m.Anomalies.Has(s7comm.AnomalyMismatchedResponse):
			meta.Flags |= FlagMismatched
		case m.Frame.PDU.ROSCTR == s7comm.Userdata && !m.ToServer:
			if u, ok := m.Frame.PDU.Userdata(); ok && u.Type == s7comm.UDPush {
				meta.Flags |= FlagUnsolicited
			} else {
				meta.Flags |= FlagUnmatched
			}
		default:
			meta.Flags |= FlagUnmatched
		}
	}
	src := req
	if src == nil {
		src = resp
	}
	meta.Transaction = uint64(src.PDURef)
	if src.ROSCTR == s7comm.Userdata {
		if u, ok := src.Userdata(); ok {
			meta.Function = s7UserdataFunction | uint16(u.Group)
			meta.Sub, meta.HasSub = uint16(u.Subfunc), true
		}
	} else if fn, ok := src.Function(); ok {
		meta.Function = uint16(fn)
	}
	if op, ok := src.Operation(); ok {
		meta.FunctionName = s7OperationStrings[op]
	}
	if resp != nil {
		if resp.HasError && (resp.ErrorClass != 0 || resp.ErrorCode != 0) {
			meta.Status = Status{Code: uint32(resp.ErrorClass)<<8 | uint32(resp.ErrorCode), Name: s7ErrorClassName(resp.ErrorClass), Failed: true}
			meta.Flags |= FlagException
		} else if u, ok := resp.Userdata(); ok && u.HasDataUnit && u.ErrorCode != 0 {
			meta.Status = Status{Code: uint32(u.ErrorCode), Name: "userdata error", Failed: true}
			meta.Flags |= FlagException
		}
	}
	return meta, req, resp
}

// s7ErrorClassName names the error class of an S7 Ack or Ack_Data header.
func s7ErrorClassName(c uint8) string {
	switch c {
	case 0x00:
		return "no error"
	case 0x81:
		return "application relationship"
	case 0x82:
		return "object definition"
	case 0x83:
		return "no resources available"
	case 0x84:
		return "error on service processing"
	case 0x85:
		return "error on supplies"
	case 0x87:
		return "access error"
	}
	return "unknown error class"
}

// s7Event turns a response, an unanswered request or a push into events.
func (e *Engine) s7Event(f *flow, st *s7State, m *s7comm.Message, frame uint64, gap bool) {
	meta, req, resp := e.s7Meta(f, st, m, frame)
	if gap {
		meta.Flags |= FlagGap
	}
	src := req
	if src == nil {
		src = resp
	}
	if resp != nil {
		e.s7Identity(f, st, &meta, m, resp)
	}
	op, ok := src.Operation()
	if !ok {
		return
	}
	class, _ := src.Class()
	if req == nil {
		// Unmatched: without the request there are no addresses, and an
		// Ack_Data alone does not say what was asked. Pushes still say
		// what they are.
		if meta.Flags&FlagUnsolicited == 0 {
			return
		}
	}
	switch op {
	case s7comm.OpReadVar, s7comm.OpWriteVar, s7comm.OpCyclicData:
		e.s7Vars(&meta, m, op)
		return
	case s7comm.OpProgrammerRead, s7comm.OpProgrammerWrite:
		if e.s7TIS(&meta, m, op) {
			return
		}
	}
	o := Op{Meta: meta, Kind: s7Class(class)}
	e.scratch = e.scratch[:0]
	switch op {
	case s7comm.OpSetupComm:
		o.Action = ActionSessionStart
		if s, ok := src.SetupComm(); ok {
			if resp != nil {
				if r, ok := resp.SetupComm(); ok {
					s = r
				}
			}
			e.scratch = append(e.scratch, "pdu length "...)
			e.scratch = strconv.AppendUint(e.scratch, uint64(s.PDULength), 10)
		}
	case s7comm.OpPLCStop:
		o.Action = ActionStop
	case s7comm.OpPLCStart:
		o.Action = ActionStart
		e.s7PIArgs(src)
	case s7comm.OpRequestDownload, s7comm.OpStartUpload, s7comm.OpDownloadBlock, s7comm.OpDownloadEnded,
		s7comm.OpUpload, s7comm.OpEndUpload:
		o.Action = ActionProgramTransfer
		switch op {
		case s7comm.OpRequestDownload:
			o.Action = ActionDownload
		case s7comm.OpStartUpload:
			o.Action = ActionUpload
		}
		if bc, ok := src.BlockControl(); ok {
			e.s7Block(bc.FileName)
			if bc.HasUploadID {
				o.Session = uint64(bc.UploadID)
			}
		}
		if resp != nil {
			if bc, ok := resp.BlockControl(); ok {
				if bc.HasUploadID {
					o.Session = uint64(bc.UploadID)
				}
				if op == s7comm.OpStartUpload {
					o.Size = s7Length(bc.Part2)
				}
			}
		}
		if op == s7comm.OpRequestDownload {
			if bc, ok := src.BlockControl(); ok {
				o.Size = s7DownloadLength(bc.Part2)
			}
		}
	case s7comm.OpActivateBlock, s7comm.OpDeleteBlock, s7comm.OpCompressMemory, s7comm.OpCopyRAMToROM:
		switch op {
		case s7comm.OpActivateBlock:
			o.Action = ActionProgramTransfer
		case s7comm.OpDeleteBlock:
			o.Action = ActionDelete
		case s7comm.OpCompressMemory:
			o.Action = ActionCompress
		default:
			o.Action = ActionCopyRAMToROM
		}
		e.s7PIArgs(src)
	case s7comm.OpNCLogin:
		o.Action = ActionLogin
	case s7comm.OpNCFile, s7comm.OpNCProgramming:
		o.Action = ActionFileTransfer
	case s7comm.OpPIService, s7comm.OpBSend, s7comm.OpCPUServices, s7comm.OpOther:
		o.Action = ActionVendor
		if op == s7comm.OpPIService {
			e.s7PIArgs(src)
		}
	case s7comm.OpModeTransition, s7comm.OpMessageService, s7comm.OpDiagnostic, s7comm.OpAlarm:
		o.Action = ActionDiagnostics
	case s7comm.OpProgrammerRead:
		o.Action = ActionRead
	case s7comm.OpProgrammerWrite:
		o.Action = ActionWrite
	case s7comm.OpProgrammerControl:
		o.Action = ActionVendor
	case s7comm.OpListBlocks, s7comm.OpBlockInfo:
		o.Action = ActionListBlocks
		if br, ok := src.BlockRequest(); ok {
			e.scratch, _ = br.Type.AppendText(e.scratch)
			if n := s7Length(br.Number); len(br.Number) > 0 {
				e.scratch = strconv.AppendUint(e.scratch, n, 10)
			}
		}
	case s7comm.OpReadSZL:
		o.Action = ActionReadIdentity
		if class == s7comm.ClassDiagnostics {
			o.Action = ActionDiagnostics
		}
		r, hasReq := m.SZLRequest()
		if !hasReq {
			r, _, _, hasReq = src.ReadSZL()
		}
		if hasReq {
			e.scratch = appendSZL(e.scratch, r.ID, r.Index)
		}
	case s7comm.OpReadClock:
		o.Action = ActionGetTime
		if resp != nil {
			e.s7Clock(resp)
		}
	case s7comm.OpSetClock:
		o.Action = ActionSetTime
		e.s7Clock(src)
	case s7comm.OpPassword:
		o.Action = ActionLogin
	case s7comm.OpCancelPassword:
		o.Action = ActionLogout
	}
	o.Target = e.scratch
	if class == s7comm.ClassConfiguration && o.Action == ActionProgramTransfer {
		o.Action = ActionSetConfig
	}
	e.emitOp(&o)
}

// s7Class maps the protocol package's operation class to the taxonomy.
func s7Class(c s7comm.OpClass) Operation {
	switch c {
	case s7comm.ClassRead:
		return OpRead
	case s7comm.ClassWrite:
		return OpWrite
	case s7comm.ClassControl:
		return OpControl
	case s7comm.ClassProgram:
		return OpProgram
	case s7comm.ClassConfiguration:
		return OpConfig
	case s7comm.ClassTimeSync:
		return OpTimeSync
	case s7comm.ClassDiagnostics:
		return OpDiagnostics
	case s7comm.ClassFile:
		return OpFile
	case s7comm.ClassIdentity:
		return OpIdentity
	case s7comm.ClassAuthentication:
		return OpAuth
	}
	return OpOther
}

// appendSZL appends "szl 0x0011 index 0x0001".
func appendSZL(b []byte, id, index uint16) []byte {
	b = appendUnknown(b, "szl", uint64(id), true)
	return appendUnknown(append(b, ' '), "index", uint64(index), true)
}

// s7Block appends a block file name ("_0A00001P") to the scratch as the
// block it names ("DB1"), with the file name when it names no block.
func (e *Engine) s7Block(name []byte) {
	bn, ok := s7comm.ParseBlockName(name)
	if !ok {
		e.scratch = append(e.scratch, name...)
		return
	}
	num, ok := bn.BlockNumber()
	if !ok {
		e.scratch = append(e.scratch, name...)
		return
	}
	e.scratch, _ = bn.BlockType().AppendText(e.scratch)
	e.scratch = strconv.AppendUint(e.scratch, uint64(num), 10)
	if len(bn.FileSystem) > 0 {
		e.scratch = append(e.scratch, " ("...)
		e.scratch = append(e.scratch, bn.FileSystem...)
		e.scratch = append(e.scratch, ')')
	}
}

// s7PIArgs appends a PI service's name and its blocks or arguments to the
// scratch: "_DELE OB1,FC2", "P_PROGRAM".
func (e *Engine) s7PIArgs(p *s7comm.PDU) {
	pi, ok := p.PIService()
	if !ok {
		return
	}
	e.scratch = append(e.scratch, pi.Service...)
	if names, ok := pi.Blocks(); ok {
		sep := byte(' ')
		for names.Next() {
			e.scratch = append(e.scratch, sep)
			sep = ','
			bn := names.BlockName()
			if num, ok := bn.BlockNumber(); ok {
				e.scratch, _ = bn.BlockType().AppendText(e.scratch)
				e.scratch = strconv.AppendUint(e.scratch, uint64(num), 10)
			} else {
				e.scratch = append(e.scratch, bn.Name...)
			}
		}
		return
	}
	args := pi.Args()
	sep := byte(' ')
	for args.Next() {
		e.scratch = append(e.scratch, sep)
		sep = ','
		e.scratch = append(e.scratch, args.PIArg()...)
	}
}

// s7Clock appends the time of a clock PDU to the scratch.
func (e *Engine) s7Clock(p *s7comm.PDU) {
	if ts, ok := p.Clock(); ok {
		if t, ok := ts.Time(); ok {
			e.scratch = t.AppendFormat(e.scratch, time.RFC3339Nano)
		}
	}
}

// s7Length reads the decimal length a start-upload response carries.
func s7Length(b []byte) uint64 {
	var n uint64
	for _, c := range b {
		if c >= '0' && c <= '9' {
			n = n*10 + uint64(c-'0')
		}
	}
	return n
}

// s7DownloadLength reads the load memory length of a request download's
// second string ("1" then six digits of load memory length and six of MC7
// code length).
func s7DownloadLength(b []byte) uint64 {
	if len(b) < 7 {
		return 0
	}
	return s7Length(b[1:7])
}

// s7Space maps an S7 area to an address space.
func s7Space(a s7comm.Area) Space {
	switch a {
	case s7comm.AreaInputs:
		return SpaceS7Inputs
	case s7comm.AreaOutputs:
		return SpaceS7Outputs
	case s7comm.AreaFlags:
		return SpaceS7Flags
	case s7comm.AreaDB:
		return SpaceS7DB
	case s7comm.AreaDI:
		return SpaceS7DI
	case s7comm.AreaLocal:
		return SpaceS7Local
	case s7comm.AreaPreviousLocal:
		return SpaceS7PreviousLocal
	case s7comm.AreaPeripheral:
		return SpaceS7Peripheral
	case s7comm.AreaTimer:
		return SpaceS7Timers
	case s7comm.AreaCounter:
		return SpaceS7Counters
	case s7comm.AreaIECTimer200:
		return SpaceS7IECTimers
	case s7comm.AreaIECCounter200:
		return SpaceS7IECCounters
	}
	return SpaceS7Other
}

// s7Vars delivers one access per variable of a read var, write var or
// cyclic data exchange.
func (e *Engine) s7Vars(meta *Meta, m *s7comm.Message, op s7comm.Operation) {
	a := Access{Meta: *meta, Kind: OpRead, Action: ActionRead}
	if op == s7comm.OpWriteVar {
		a.Kind, a.Action = OpWrite, ActionWrite
	}
	if op == s7comm.OpCyclicData && meta.Flags&FlagUnsolicited != 0 {
		a.Action = ActionReport
	}
	headerFailed := meta.Status.Failed
	vars := m.VarResults()
	n := 0
	for vars.Next() {
		n++
		r := vars.VarResult()
		x := a
		s7Address(&x.Address, r.Item)
		if r.Answered && !headerFailed {
			x.Status = Status{Code: uint32(r.ReturnCode), Name: codeName(&e.names, nameS7ReturnCode, r.ReturnCode),
				Failed: r.ReturnCode != s7comm.ReturnSuccess && !(a.Kind == OpWrite && r.ReturnCode == s7comm.ReturnReserved)}
			if x.Status.Failed {
				x.Flags |= FlagException
			}
		}
		if a.Kind == OpWrite || (r.Answered && !x.Status.Failed) {
			x.Values = s7Values(r.Item, r.Data, x.Start)
		}
		if len(x.Symbol) > 0 {
			e.scratch = appendHex(e.scratch[:0], x.Symbol)
			x.Symbol = e.scratch
		}
		e.emitAccess(&x)
	}
	if n > 0 || op == s7comm.OpCyclicData {
		return
	}
	// No results (an unanswered read, a job the CPU refused): each item
	// the request names, without values.
	items := m.Request.Items()
	for items.Next() {
		x := a
		s7Address(&x.Address, items.Item())
		if len(x.Symbol) > 0 {
			e.scratch = appendHex(e.scratch[:0], x.Symbol)
			x.Symbol = e.scratch
		}
		e.emitAccess(&x)
	}
}

// s7Address fills an address from an S7 item.
func s7Address(a *Address, it s7comm.Item) {
	a.Count = uint32(it.Count)
	switch it.Syntax {
	case s7comm.SyntaxS7Any:
		a.Space = s7Space(it.Area)
		if a.Space == SpaceS7DB || a.Space == SpaceS7DI {
			a.Block = uint32(it.DB)
		}
		if a.Space == SpaceS7Other {
			a.Block = uint32(it.Area)
		}
		if n, ok := it.Number(); ok {
			a.Start = uint64(n)
		} else if off, ok := it.Byte(); ok {
			a.Start = uint64(off)
			a.Bit, _ = it.Bit()
		}
	case s7comm.Syntax1200Sym:
		a.Space = SpaceS7Symbol
		a.Symbol = it.Spec
	default:
		a.Space = SpaceS7Other
		a.Block = uint32(it.Syntax)
		a.Symbol = it.Spec
	}
}

// s7Values returns the typed values of a data item as the request item asks
// for them.
func s7Values(it s7comm.Item, d s7comm.DataItem, start uint64) Values {
	d.ReturnCode = s7comm.ReturnSuccess
	vals := s7comm.NewValues(it, d)
	n := 0
	var kind s7comm.ValueKind
	for vals.Next() {
		if n == 0 {
			kind = vals.Value().Kind
		}
		n++
	}
	if n == 0 {
		return Values{}
	}
	numbered := uint64(0)
	if it.Area.Numbered() {
		numbered = 1
	}
	return Values{raw: d.Value, start: start, n: uint32(n), codec: codecS7, proto: S7comm, typ: uint16(it.TransportSize),
		aux: uint64(it.Syntax) | uint64(it.Count)<<8 | uint64(kind)<<24 | numbered<<32}
}

// s7Cursor rebuilds the protocol's value cursor of v.
func s7Cursor(v Values) s7comm.Values {
	it := s7comm.Item{Syntax: s7comm.SyntaxID(v.aux), TransportSize: s7comm.TransportSize(v.typ), Count: uint16(v.aux >> 8)}
	return s7comm.NewValues(it, s7comm.DataItem{ReturnCode: s7comm.ReturnSuccess, Value: v.raw})
}

// s7At decodes element i of S7 values by walking the protocol's cursor.
func s7At(v Values, i int) (Value, bool) {
	vals := s7Cursor(v)
	for k := 0; vals.Next(); k++ {
		if k == i {
			return s7Value(v, k, vals.Value()), true
		}
	}
	return Value{}, false
}

// s7All yields every element of S7 values.
func s7All(v Values, yield func(int, Value) bool) {
	vals := s7Cursor(v)
	for k := 0; k < int(v.n) && vals.Next(); k++ {
		if !yield(k, s7Value(v, k, vals.Value())) {
			return
		}
	}
}

// s7Value converts element k of an S7 item.
func s7Value(v Values, k int, x s7comm.Value) Value {
	var out Value
	switch x.Kind {
	case s7comm.ValueBool:
		out = Value{Kind: KindBool, n: uint64(x.Int)}
	case s7comm.ValueByte, s7comm.ValueWord, s7comm.ValueDWord, s7comm.ValueCounter:
		out = Value{Kind: KindUint, n: uint64(x.Int)}
	case s7comm.ValueInt, s7comm.ValueDInt:
		out = Value{Kind: KindInt, n: uint64(x.Int)}
	case s7comm.ValueReal:
		out = Float32Value(float32(x.Float))
	case s7comm.ValueChar, s7comm.ValueString:
		out = Value{Kind: KindText, b: x.Bytes}
	case s7comm.ValueDate, s7comm.ValueDateTime:
		if t, ok := x.Time.Time(); ok {
			out = Value{Kind: KindTime, n: uint64(t.UnixNano())}
		} else {
			out = Value{Kind: KindBytes, b: x.Bytes}
		}
	case s7comm.ValueTimeOfDay, s7comm.ValueTime, s7comm.ValueS5Time, s7comm.ValueTimer:
		d, _ := x.Duration()
		out = Value{Kind: KindDuration, n: uint64(d)}
	default:
		out = Value{Kind: KindBytes, b: x.Bytes}
	}
	out.Proto = S7comm
	out.Type = v.typ
	if v.aux>>32&1 != 0 {
		out.Addr = v.start + uint64(k) // timers and counters by number
	} else {
		out.Addr = v.start + uint64(k*len(x.Bytes))
	}
	return out
}

// s7TypeName names the element type of S7 values: the S7 type of the
// first element ("REAL", "STRING", "DATE_AND_TIME"), "raw" for data whose
// type the item does not state.
func s7TypeName(typ uint16, aux uint64) string {
	if k := s7comm.ValueKind(aux >> 24); k.Known() {
		return k.String()
	}
	return s7comm.TransportSize(typ).String()
}

// s7TIS delivers the variables of a programmer command (variable status,
// modify variable, force) as accesses; it reports false when the message
// has none.
func (e *Engine) s7TIS(meta *Meta, m *s7comm.Message, op s7comm.Operation) bool {
	res := m.TISResults()
	a := Access{Meta: *meta, Kind: OpRead, Action: ActionRead}
	if op == s7comm.OpProgrammerWrite {
		a.Kind, a.Action = OpWrite, ActionWrite
	}
	n := 0
	for res.Next() {
		r := res.TISResult()
		x := a
		ts := s7comm.TSByte
		switch r.Addr.Area & 0x0f {
		case 0:
			ts = s7comm.TSBit
		case 2:
			ts = s7comm.TSWord
		case 3:
			ts = s7comm.TSDWord
		}
		count := uint16(r.Addr.Repetition)
		x.Start = uint64(r.Addr.Start)
		switch r.Addr.Area >> 4 {
		case 0:
			x.Space = SpaceS7Flags
		case 1:
			x.Space = SpaceS7Inputs
		case 2:
			x.Space = SpaceS7Outputs
		case 3:
			x.Space = SpaceS7Peripheral
		case 5:
			x.Space, ts = SpaceS7Timers, s7comm.TSTimer
		case 6:
			x.Space, ts = SpaceS7Counters, s7comm.TSCounter
		case 7:
			x.Space, x.Block = SpaceS7DB, uint32(r.Addr.DB)
		default:
			x.Space, x.Block = SpaceS7Other, uint32(r.Addr.Area)
		}
		if ts == s7comm.TSBit {
			x.Bit, count = r.Addr.Repetition, 1
		}
		x.Count = uint32(count)
		if r.Answered {
			x.Status = Status{Code: uint32(r.ReturnCode), Name: codeName(&e.names, nameS7ReturnCode, r.ReturnCode), Failed: r.ReturnCode != s7comm.ReturnSuccess}
		}
		it := s7comm.Item{Syntax: s7comm.SyntaxS7Any, TransportSize: ts, Count: count}
		if x.Space == SpaceS7Timers || x.Space == SpaceS7Counters {
			it.Area = s7comm.AreaTimer
		}
		if !x.Status.Failed {
			x.Values = s7Values(it, r.Data, x.Start)
		}
		e.emitAccess(&x)
		n++
	}
	return n > 0
}

// s7COTP reports a COTP connection request (with the rack and slot it
// addresses) or disconnect request as a session operation.
func (e *Engine) s7COTP(f *flow, st *s7State, m *s7comm.Message, frame uint64) {
	c := &m.Frame.COTP
	meta := f.meta
	meta.Time, meta.RequestTime, meta.Frame, meta.RequestFrame = m.Time, m.Time, frame, frame
	meta.Function = uint16(c.Type)
	meta.FunctionName = codeName(&e.names, nameS7UserDataType, c.Type)
	meta.Unit = 0xffff
	o := Op{Meta: meta, Kind: OpOther, Action: ActionSessionStart}
	e.scratch = e.scratch[:0]
	rackSlot := ""
	if c.Type == s7comm.TPDUDisconnectReq {
		o.Action = ActionSessionEnd
	} else if called, ok := c.CalledTSAP(); ok {
		if rack, slot, ok := called.RackSlot(); ok {
			o.Unit = uint32(rack)<<8 | uint32(slot)
			e.scratch = append(e.scratch, "rack "...)
			e.scratch = strconv.AppendUint(e.scratch, uint64(rack), 10)
			e.scratch = append(e.scratch, " slot "...)
			e.scratch = strconv.AppendUint(e.scratch, uint64(slot), 10)
			rackSlot = string(e.scratch)
		}
	}
	o.Target = e.scratch
	e.emitOp(&o)
	if rackSlot != "" {
		// The CPU the client connects to: where it sits in its rack.
		e.emitIdentity(Identity{Proto: S7comm, Device: meta.Server, Peer: meta.Client, Module: rackSlot, Time: meta.Time, Frame: frame,
			Attrs: []Attr{{Field: FieldAddress, Name: "cotp called tsap", Value: rackSlot, Frame: frame}}})
	}
}

// s7Plus reports an S7comm-plus request as an operation, and the first
// S7comm-plus PDU of a connection as an identity attribute of the server.
func (e *Engine) s7Plus(f *flow, st *s7State, m *s7comm.Message, frame uint64) {
	h, ok := m.Frame.Plus()
	if !ok {
		return
	}
	meta := f.meta
	meta.Time, meta.Frame = m.Time, frame
	meta.Unit = 0xffff
	if !st.plusSeen {
		st.plusSeen = true
		e.emitIdentity(Identity{Proto: S7comm, Device: meta.Server, Peer: meta.Client, Time: meta.Time, Frame: frame,
			Attrs: []Attr{{Field: FieldOther, Name: "s7comm_plus", Value: h.Version.String(), Frame: frame}}})
	}
	if !m.ToServer || !h.HasFunction {
		return
	}
	meta.RequestTime, meta.RequestFrame = m.Time, frame
	meta.Function = uint16(h.Function)
	meta.FunctionName = codeName(&e.names, nameS7PlusFunction, h.Function)
	meta.Sub, meta.HasSub = uint16(h.Opcode), true
	meta.Transaction = uint64(h.Seq)
	if h.HasSession {
		meta.Session = uint64(h.SessionID)
	}
	o := Op{Meta: meta, Kind: OpOther, Action: ActionVendor}
	e.emitOp(&o)
}

// s7Identity reports what a read-SZL response says about the module:
// module identification (0xXY11: order number, hardware and firmware
// versions), component identification (0xXY1C: names, serial numbers,
// plant and location) and the CPU mode (0x0424).
func (e *Engine) s7Identity(f *flow, st *s7State, meta *Meta, m *s7comm.Message, resp *s7comm.PDU) {
	_, szl, isResp, ok := resp.ReadSZL()
	if !ok || !isResp || !szl.HasCounts {
		return
	}
	var attrs []Attr
	frame := meta.Frame
	name := func(idx uint16) string { return string(appendSZL(nil, szl.ID, idx)) }
	switch {
	case uint8(szl.ID) == 0x11:
		for _, rec := range szl.Records().All {
			mid, ok := s7comm.ParseModuleID(rec)
			if !ok {
				continue
			}
			if order := mid.OrderNumberText(); len(order) > 0 {
				fld := FieldOther
				switch mid.Index {
				case 0x0001:
					fld = FieldModel
				}
				attrs = append(attrs, Attr{Field: fld, Name: name(mid.Index), Value: printable(order), Frame: frame})
			}
			if hw, ok := mid.HardwareVersion(); ok && mid.Index == 0x0001 {
				attrs = append(attrs, Attr{Field: FieldHardware, Name: name(mid.Index) + " version", Value: strconv.Itoa(int(hw)), Frame: frame})
			}
			if l, maj, min, patch, ok := mid.FirmwareVersion(); ok {
				fld := FieldFirmware
				if mid.Index != 0x0007 {
					fld = FieldOther // the boot loader (0x0081) and other parts
				}
				attrs = append(attrs, Attr{Field: fld, Name: name(mid.Index) + " version",
					Value: string(l) + strconv.Itoa(int(maj)) + "." + strconv.Itoa(int(min)) + "." + strconv.Itoa(int(patch)), Frame: frame})
			}
		}
	case uint8(szl.ID) == 0x1c:
		for _, rec := range szl.Records().All {
			c, ok := s7comm.ParseComponentID(rec)
			if !ok {
				continue
			}
			fld, n := FieldOther, name(c.Index)
			switch c.Index {
			case s7comm.CompPLCName:
				fld = FieldName
			case s7comm.CompModuleName:
				n = "module_name"
			case s7comm.CompPlantID:
				n = "plant_id"
			case s7comm.CompCopyright:
				n = "copyright"
			case s7comm.CompSerialNumber:
				fld = FieldSerial
			case s7comm.CompModuleTypeName:
				fld = FieldProduct
			case s7comm.CompMemCardSerial:
				n = "memory_card_serial"
			case s7comm.CompLocation:
				fld = FieldLocation
			case s7comm.CompManufacturer:
				attrs = append(attrs, Attr{Field: FieldOther, Name: "manufacturer_id", Value: strconv.Itoa(int(c.Manufacturer)), Frame: frame})
				continue
			case s7comm.CompOEMID:
				n = "oem_copyright"
				if c.OEMID != 0 {
					attrs = append(attrs, Attr{Field: FieldOther, Name: "oem_id", Value: strconv.Itoa(int(c.OEMID)), Frame: frame})
				}
			}
			if len(c.Text) > 0 {
				attrs = append(attrs, Attr{Field: fld, Name: n, Value: printable(c.Text), Frame: frame})
			}
		}
	case szl.ID == 0x0424:
		for _, rec := range szl.Records().All {
			cm, ok := s7comm.ParseCPUMode(rec)
			if !ok {
				continue
			}
			mode := ""
			switch {
			case cm.Requested.Running():
				mode = "run"
			case cm.Requested.Stopped():
				mode = "stop"
			default:
				mode = cm.Requested.String()
			}
			attrs = append(attrs, Attr{Field: FieldMode, Name: "szl 0x0424", Value: mode, Frame: frame})
		}
	}
	if len(attrs) == 0 {
		return
	}
	module := ""
	if rack, slot, ok := st.conn.RackSlot(); ok {
		module = "rack " + strconv.Itoa(int(rack)) + " slot " + strconv.Itoa(int(slot))
	}
	e.emitIdentity(Identity{Proto: S7comm, Device: meta.Server, Peer: meta.Client, Module: module,
		Time: meta.Time, Frame: frame, Attrs: attrs})
}
