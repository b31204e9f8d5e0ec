package asset

import (
	"strconv"
	"time"

	"github.com/icsdissect/icsdissect/iec104"
)

// iec104State is the per-flow state of an IEC 104 connection: the Conn
// (sequence tracking, activation and confirmation pairing), the frames of
// pending activations and the common addresses the station reported.
type iec104State struct {
	conn   iec104.Conn
	frames frameRing
	cas    [16]uint16
	ncas   uint8
}

func (s *iec104State) reset() {
	s.conn.Reset()
	s.frames.reset()
	s.ncas = 0
}

// iec104 decodes one APDU of an IEC 104 connection.
func (e *Engine) iec104(f *flow, p pkt) {
	st := f.st.iec104
	if st == nil {
		st = new(iec104State)
		f.st.iec104 = st
	}
	m, err := st.conn.Decode(p.data, p.toServer, p.ts)
	if err != nil {
		e.stats.Errors++
	}
	if m.Anomalies.Has(iec104.AnomalyPendingOverflow) {
		e.stats.Dropped++
	}
	fr := &m.Frame
	switch fr.Format {
	case iec104.FormatU:
		if m.Paired {
			e.iec104U(f, st, m, p.frame)
		}
		return
	case iec104.FormatI:
	default:
		return
	}
	if !fr.HasASDU() {
		return
	}
	a := &fr.ASDU
	if p.toServer {
		switch {
		case a.Cause == iec104.CauseActivation || a.Cause == iec104.CauseDeactivation,
			a.Cause == iec104.CauseRequest && a.Type == iec104.C_RD_NA_1:
			// An activation: reported with its confirmation, which does
			// not say whether it executes a selected command.
			st.frames.putMark(p.ts, p.frame, m.Selected)
		}
		return
	}
	e.iec104Event(f, st, m, p.frame, p.gap)
}

// iec104Flush reports a connection's unconfirmed activations and resets it.
func (e *Engine) iec104Flush(f *flow) {
	st := f.st.iec104
	if st == nil {
		return
	}
	st.conn.Flush(func(m *iec104.Message) bool {
		if m.Frame.Format == iec104.FormatI && m.Frame.HasASDU() {
			e.iec104Event(f, st, m, 0, false)
		}
		return true
	})
	st.reset()
}

// iec104U reports STARTDT and STOPDT confirmations as session operations.
func (e *Engine) iec104U(f *flow, st *iec104State, m *iec104.Message, frame uint64) {
	var a Action
	switch m.Frame.UFunc {
	case iec104.StartDTCon:
		a = ActionSessionStart
	case iec104.StopDTCon:
		a = ActionSessionEnd
	default:
		return // test frames keep the link alive
	}
	meta := f.meta
	meta.Flags |= FlagPaired
	meta.Time, meta.RequestTime = m.Time, m.RequestTime
	meta.Frame, meta.RequestFrame = frame, st.frames.get(m.RequestTime)
	meta.Function = uint16(m.Frame.UFunc)
	if a == ActionSessionStart {
		meta.FunctionName = "STARTDT"
	} else {
		meta.FunctionName = "STOPDT"
	}
	o := Op{Meta: meta, Kind: OpOther, Action: a}
	e.emitOp(&o)
}

// iec104Event turns an ASDU from the controlled station (data, a
// confirmation, a termination, a mirror) or an unconfirmed activation into
// events.
func (e *Engine) iec104Event(f *flow, st *iec104State, m *iec104.Message, frame uint64, gap bool) {
	meta := f.meta
	a := &m.Frame.ASDU // the ASDU carrying the values
	cause := a.Cause
	selected := m.Selected
	switch {
	case m.Unanswered:
		meta.Flags |= FlagUnanswered
		meta.Time, meta.RequestTime = m.Time, m.Time
		meta.Frame = st.frames.get(m.Time)
		meta.RequestFrame = meta.Frame
		meta.Transaction = uint64(m.Frame.SendSeq)
	case m.Paired:
		meta.Flags |= FlagPaired
		meta.Time, meta.RequestTime = m.Time, m.RequestTime
		meta.Frame, meta.RequestFrame = frame, 0
		meta.RequestFrame, selected = st.frames.getMark(m.RequestTime)
		meta.Transaction = uint64(m.Request.SendSeq)
	default:
		meta.Time, meta.Frame = m.Time, frame
		meta.Transaction = uint64(m.Frame.SendSeq)
		switch {
		case m.Anomalies.Has(iec104.AnomalyMismatchedResponse):
			meta.Flags |= FlagMismatched
		case m.Anomalies.Has(iec104.AnomalyUnmatchedResponse):
			meta.Flags |= FlagUnmatched
		default:
			meta.Flags |= FlagUnsolicited
		}
	}
	if gap {
		meta.Flags |= FlagGap
	}
	typ := a.Type
	meta.Unit = uint32(a.CommonAddr)
	meta.Function = uint16(typ)
	meta.FunctionName = codeName(&e.names, nameIEC104Type, typ)
	meta.Sub, meta.HasSub = uint16(cause), true
	if a.CommonAddr == 0xffff {
		meta.Flags |= FlagBroadcast
	}
	if a.Negative || (cause >= iec104.CauseUnknownType && cause <= iec104.CauseUnknownIOA) {
		meta.Status = Status{Code: uint32(cause), Name: codeName(&e.names, nameIEC104Cause, cause), Failed: true}
		if a.Negative && cause < iec104.CauseUnknownType {
			meta.Status.Name = "negative confirmation"
		}
		meta.Flags |= FlagException
	}
	e.iec104Station(st, &meta, a)
	ref := time.Unix(0, meta.Time)
	switch op := typ.Operation(); op {
	case iec104.OpMonitor:
		x := Access{Meta: meta, Kind: OpRead, Action: ActionReport}
		switch {
		case cause == iec104.CauseRequest:
			x.Action = ActionRead
		case cause.Interrogated():
			x.Action = ActionInterrogation
		case cause.CounterRequested():
			x.Action = ActionCounterRequest
		}
		e.iec104Access(&x, a, ref)
	case iec104.OpControl, iec104.OpWrite:
		if cause == iec104.CauseActivationTerm && !m.Paired && !m.Unanswered && meta.Flags&FlagUnsolicited != 0 {
			meta.Flags = meta.Flags&^FlagUnsolicited | FlagUnmatched
		}
		x := Access{Meta: meta, Kind: OpWrite, Action: ActionDirectOperate}
		src := a
		if m.Paired {
			src = &m.Request.ASDU // the activation as sent
		}
		if o, ok := src.At(0); ok {
			if c, ok := o.Command(); ok {
				switch {
				case c.Select:
					x.Action = ActionSelect
				case selected:
					x.Action = ActionOperate
				}
			}
		}
		if cause == iec104.CauseDeactivation || cause == iec104.CauseDeactivationCon {
			x.Action = ActionCommand
		}
		e.iec104Access(&x, src, ref)
	default:
		if cause == iec104.CauseActivationTerm {
			return // the confirmation reported the operation
		}
		o := Op{Meta: meta}
		e.scratch = e.scratch[:0]
		obj, hasObj := a.At(0)
		switch op {
		case iec104.OpRead:
			o.Kind, o.Action = OpRead, ActionInterrogation
			switch typ {
			case iec104.C_CI_NA_1:
				o.Action = ActionCounterRequest
			case iec104.C_RD_NA_1:
				o.Action = ActionRead
			}
			if q, ok := obj.QOI(); ok {
				e.scratch, _ = q.AppendText(e.scratch)
			}
		case iec104.OpTimeSync:
			o.Kind, o.Action = OpTimeSync, ActionSetTime
			if typ == iec104.C_CD_NA_1 {
				o.Action = ActionDelayMeasure
			} else if t, ok := obj.CP56(); ok {
				e.scratch = t.Time(nil).AppendFormat(e.scratch, time.RFC3339Nano)
			}
		case iec104.OpDiagnostics:
			o.Kind, o.Action = OpDiagnostics, ActionDiagnostics
		case iec104.OpRestart:
			o.Kind, o.Action = OpControl, ActionReset
			if q, ok := obj.QRP(); ok {
				e.scratch, _ = q.AppendText(e.scratch)
			}
		case iec104.OpConfiguration:
			o.Kind, o.Action = OpConfig, ActionSetConfig
		case iec104.OpFile:
			o.Kind, o.Action = OpFile, ActionFileTransfer
		case iec104.OpInitialized:
			// The station reports that it (re)started.
			o.Kind, o.Action = OpControl, ActionRestart
			if c, ok := obj.COI(); ok {
				e.emitIdentity(Identity{Proto: IEC104, Device: meta.Server, Peer: meta.Client,
					Module: "ca " + strconv.Itoa(int(a.CommonAddr)), Time: meta.Time, Frame: meta.Frame,
					Attrs: []Attr{{Field: FieldOther, Name: "end_of_initialization", Value: c.Cause().String(), Frame: meta.Frame}}})
			}
		default:
			o.Kind, o.Action = OpOther, ActionNone
		}
		if hasObj && o.Target == nil && len(e.scratch) == 0 && op != iec104.OpInitialized {
			e.scratch = append(e.scratch, "ioa "...)
			e.scratch = strconv.AppendUint(e.scratch, uint64(obj.IOA), 10)
		}
		o.Target = e.scratch
		e.emitOp(&o)
	}
}

// iec104Station reports, once per connection, each common address the
// controlled station uses.
func (e *Engine) iec104Station(st *iec104State, meta *Meta, a *iec104.ASDU) {
	ca := a.CommonAddr
	if ca == 0xffff || meta.Flags&(FlagUnanswered|FlagUnmatched|FlagMismatched) != 0 {
		return
	}
	for _, c := range st.cas[:st.ncas] {
		if c == ca {
			return
		}
	}
	if int(st.ncas) < len(st.cas) {
		st.cas[st.ncas] = ca
		st.ncas++
	}
	e.emitIdentity(Identity{Proto: IEC104, Device: meta.Server, Peer: meta.Client, Module: "ca " + strconv.Itoa(int(ca)),
		Time: meta.Time, Frame: meta.Frame,
		Attrs: []Attr{{Field: FieldAddress, Name: "common_address", Value: strconv.Itoa(int(ca)), Frame: meta.Frame}}})
}

// iec104Access fills the address and values of an access from an ASDU and
// delivers it.
func (e *Engine) iec104Access(x *Access, a *iec104.ASDU, ref time.Time) {
	x.Space = SpaceIEC104Objects
	x.Block = uint32(a.Type)
	x.Count = uint32(a.Len())
	if o, ok := a.At(0); ok {
		x.Start = uint64(o.IOA)
	}
	x.Values = iec104Values(a, x.Start, ref)
	e.emitAccess(x)
}

// iec104Values returns the elements of an ASDU as values.
func iec104Values(a *iec104.ASDU, start uint64, ref time.Time) Values {
	cfg := a.Config()
	aux := uint64(cfg.COTSize) | uint64(cfg.CASize)<<2 | uint64(cfg.IOASize)<<4 | uint64(ref.UnixMilli())<<8
	return Values{raw: a.Raw, start: start, n: uint32(a.Len()), codec: codecIEC104, proto: IEC104, typ: uint16(a.Type), aux: aux}
}

// iec104ASDU decodes the ASDU of v again.
func iec104ASDU(v Values) (iec104.ASDU, time.Time, bool) {
	cfg := iec104.Config{COTSize: uint8(v.aux & 3), CASize: uint8(v.aux >> 2 & 3), IOASize: uint8(v.aux >> 4 & 3)}
	a, err := cfg.ParseASDU(v.raw)
	return a, time.UnixMilli(int64(v.aux >> 8)), err == nil || a.Len() > 0
}

// iec104At decodes element i of IEC 104 values.
func iec104At(v Values, i int) (Value, bool) {
	a, ref, ok := iec104ASDU(v)
	if !ok {
		return Value{}, false
	}
	o, ok := a.At(i)
	if !ok {
		return Value{}, false
	}
	return iec104Value(o, ref), true
}

// iec104All yields every element of IEC 104 values.
func iec104All(v Values, yield func(int, Value) bool) {
	a, ref, ok := iec104ASDU(v)
	if !ok {
		return
	}
	for i, o := range a.All {
		if i >= int(v.n) || !yield(i, iec104Value(o, ref)) {
			return
		}
	}
}

// iec104Value converts one information object: its value (or a command's
// state or set point), its quality descriptor as Flags (for commands, the
// select/execute bit 0x80 and the qualifier QU<<2 or QL), and its time tag.
func iec104Value(o iec104.Object, ref time.Time) Value {
	x := Value{Proto: IEC104, Type: uint16(o.Type), Addr: uint64(o.IOA)}
	v, ok := o.Value()
	if c, isCmd := o.Command(); isCmd {
		v, ok = c.Value, true
		fl := uint32(c.Qualifier)<<2 | uint32(c.QL)
		if c.Select {
			fl |= 0x80
		}
		x.Flags, x.HasFlags = fl, true
	} else if q, has := o.Quality(); has {
		x.Flags, x.HasFlags = uint32(q), true
	}
	if ok {
		switch v.Kind {
		case iec104.KindSingle:
			x.Kind, x.n = KindBool, uint64(v.Int&1)
		case iec104.KindNormalized:
			x.Kind, x.n = KindFloat32, uint64(float32bits(float32(v.Float)))
		case iec104.KindFloat:
			x.Kind, x.n = KindFloat32, uint64(float32bits(float32(v.Float)))
		case iec104.KindStep, iec104.KindScaled, iec104.KindCounter:
			x.Kind, x.n = KindInt, uint64(v.Int)
		default:
			x.Kind, x.n = KindUint, uint64(v.Int)
		}
	} else if t, has := o.CP56(); has && o.Type == iec104.C_CS_NA_1 {
		x.Kind, x.n = KindTime, uint64(t.Time(nil).UnixNano())
	} else if q, has := o.QOI(); has {
		x.Kind, x.n = KindUint, uint64(q)
	} else if q, has := o.QCC(); has {
		x.Kind, x.n = KindUint, uint64(q)
	} else if q, has := o.QRP(); has {
		x.Kind, x.n = KindUint, uint64(q)
	} else {
		x.Kind, x.b = KindBytes, o.Raw
	}
	if t, has := o.Time(ref); has && o.Type != iec104.C_CS_NA_1 {
		x.Time, x.HasTime = t.UnixNano(), true
	}
	return x
}
