package bench

import (
	"github.com/icsdissect/icsdissect/dnp3"
	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/iec104"
	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/pcapx"
	"github.com/icsdissect/icsdissect/s7comm"
)

// monitor reads, from each PDU, the fields a security monitor reads: who
// talks (addresses, ports, direction, flow), what it asks or answers
// (function, service or type id, status, exception), on what (unit, area,
// DB, address, quantity, object class/instance/attribute, tag name, point
// index, information object address) and the values (registers, coils,
// data items, tag values, points, measured values, with their quality and
// time). Everything goes through the protocol packages' public API, decoding
// in place into values kept here, so nothing is allocated per PDU. Each
// value read is folded into sum, so that the compiler keeps the reads.
//
// It keeps no per-connection state beyond DNP3 transport reassembly (one
// dnp3.Conn for every DNP3 flow, whose table holds four links).
type monitor struct {
	sum  uint64
	pdus [pcapx.NumProtocols]uint64
	errs [pcapx.NumProtocols]uint64

	mb    modbus.Frame
	s7    s7comm.Frame
	en    enip.Frame
	cip   enip.CIPData
	msg   enip.CIPMessage
	tag   [256]byte // a tag name spelled out
	dnp   dnp3.Conn
	dobjs dnp3.Objects
}

// reset clears the counts, for a new pass.
func (m *monitor) reset() {
	m.pdus = [pcapx.NumProtocols]uint64{}
	m.errs = [pcapx.NumProtocols]uint64{}
}

// pdu is a pcapx Handler.
func (m *monitor) pdu(p *pcapx.PDU) error {
	m.pdus[p.Proto]++
	// Who talks: a monitor keys its state and its events by these.
	m.sum += uint64(p.Src.Port()) + uint64(p.Dst.Port()) + uint64(p.Flow.Server.Port())
	if p.ToServer {
		m.sum++
	}
	var ok bool
	switch p.Proto {
	case pcapx.Modbus:
		ok = m.modbus(p)
	case pcapx.S7comm:
		ok = m.s7comm(p.Data)
	case pcapx.ENIP:
		if p.Transport == pcapx.UDP && (p.Src.Port() == enip.IOPort || p.Dst.Port() == enip.IOPort) {
			ok = m.enipIO(p.Data)
		} else {
			ok = m.enip(p.Data)
		}
	case pcapx.DNP3:
		ok = m.dnp3(p)
	case pcapx.IEC104:
		ok = m.iec104(p.Data)
	}
	if !ok {
		m.errs[p.Proto]++
	}
	return nil
}

func (m *monitor) modbus(p *pcapx.PDU) bool {
	dir := modbus.Response
	if p.ToServer {
		dir = modbus.Request
	}
	if _, err := m.mb.Decode(p.Data, dir); err != nil {
		return false
	}
	m.modbusFields(&m.mb)
	return true
}

// modbusFields reads a decoded Modbus ADU.
func (m *monitor) modbusFields(f *modbus.Frame) {
	m.sum += uint64(f.TransactionID) + uint64(f.UnitID) + uint64(f.Function) + uint64(f.Anomalies)
	if f.IsException() {
		m.sum += uint64(f.Exception)
		return
	}
	// Each function's layout, by its accessor.
	switch f.Function {
	case modbus.ReadCoils, modbus.ReadDiscreteInputs, modbus.ReadHoldingRegisters, modbus.ReadInputRegisters:
		if r, ok := f.ReadRequest(); ok {
			m.sum += uint64(r.Start) + uint64(r.Quantity)
		} else if regs, ok := f.Registers(); ok {
			for _, v := range regs.All {
				m.sum += uint64(v)
			}
		} else if bits, ok := f.Bits(); ok {
			for _, v := range bits.All {
				if v {
					m.sum++
				}
			}
		}
	case modbus.WriteSingleCoil, modbus.WriteSingleRegister:
		if w, ok := f.WriteSingle(); ok {
			m.sum += uint64(w.Address) + uint64(w.Value)
		}
	case modbus.WriteMultipleRegisters:
		if w, ok := f.WriteMultipleRegisters(); ok {
			m.sum += uint64(w.Start) + uint64(w.Quantity)
			for _, v := range w.Values.All {
				m.sum += uint64(v)
			}
		} else if r, ok := f.WriteMultipleResponse(); ok {
			m.sum += uint64(r.Start) + uint64(r.Quantity)
		}
	case modbus.WriteMultipleCoils:
		if w, ok := f.WriteMultipleCoils(); ok {
			m.sum += uint64(w.Start) + uint64(w.Quantity)
			for _, v := range w.Values.All {
				if v {
					m.sum++
				}
			}
		} else if r, ok := f.WriteMultipleResponse(); ok {
			m.sum += uint64(r.Start) + uint64(r.Quantity)
		}
	case modbus.ReadWriteMultipleRegisters:
		if rw, ok := f.ReadWriteRequest(); ok {
			m.sum += uint64(rw.Read.Start) + uint64(rw.Read.Quantity) + uint64(rw.Write.Start) + uint64(rw.Write.Quantity)
			for _, v := range rw.Values.All {
				m.sum += uint64(v)
			}
		} else if regs, ok := f.Registers(); ok {
			for _, v := range regs.All {
				m.sum += uint64(v)
			}
		}
	case modbus.MaskWriteRegister:
		if mw, ok := f.MaskWrite(); ok {
			m.sum += uint64(mw.Address) + uint64(mw.AndMask) + uint64(mw.OrMask)
		}
	case modbus.Diagnostics:
		if d, ok := f.Diagnostic(); ok {
			m.sum += uint64(d.Sub)
		}
	case modbus.EncapsulatedInterfaceTransport:
		if id, ok := f.DeviceID(); ok {
			objs := id.Objects()
			for objs.Next() {
				o := objs.Object()
				m.sum += uint64(o.ID) + uint64(len(o.Value))
			}
		}
	default:
		m.sum += uint64(len(f.Data())) // vendor and other codes: the raw bytes
	}
}

func (m *monitor) s7comm(b []byte) bool {
	if _, err := m.s7.Decode(b); err != nil {
		return false
	}
	m.s7Fields(&m.s7)
	return true
}

// s7Fields reads a decoded TPKT packet.
func (m *monitor) s7Fields(f *s7comm.Frame) {
	m.sum += uint64(f.COTP.Type) + uint64(f.Kind) + uint64(f.Anomalies)
	if f.Kind != s7comm.KindS7 {
		// Connection setup: the called TSAP names the rack and slot.
		m.sum += uint64(f.COTP.SrcRef) + uint64(f.COTP.DstRef)
		if t, ok := f.COTP.CalledTSAP(); ok {
			if rack, slot, ok := t.RackSlot(); ok {
				m.sum += uint64(rack) + uint64(slot)
			}
		}
		return
	}
	p := &f.PDU
	m.sum += uint64(p.ROSCTR) + uint64(p.PDURef) + uint64(p.ErrorClass) + uint64(p.ErrorCode)
	if fn, ok := p.Function(); ok {
		m.sum += uint64(fn)
		switch fn {
		case s7comm.FuncReadVar, s7comm.FuncWriteVar:
			items := p.Items()
			for items.Next() {
				it := items.Item()
				m.sum += uint64(it.Area) + uint64(it.DB) + uint64(it.Address) + uint64(it.Count) + uint64(it.TransportSize)
			}
			data := p.DataItems()
			for data.Next() {
				d := data.DataItem()
				m.sum += uint64(d.ReturnCode) + uint64(len(d.Value))
				if v, ok := d.Uint(); ok {
					m.sum += v
				}
			}
		case s7comm.FuncSetupComm:
			if s, ok := p.SetupComm(); ok {
				m.sum += uint64(s.PDULength) + uint64(s.MaxAmQCalling) + uint64(s.MaxAmQCalled)
			}
		case s7comm.FuncPIService, s7comm.FuncPLCStop:
			if s, ok := p.PIService(); ok {
				m.sum += uint64(len(s.Service))
			}
		}
	}
	if p.ROSCTR != s7comm.Userdata {
		return
	}
	if u, ok := p.Userdata(); ok {
		m.sum += uint64(u.Group) + uint64(u.Subfunc) + uint64(u.Type)
		if req, resp, isResp, ok := p.ReadSZL(); ok {
			if isResp {
				m.sum += uint64(resp.ID) + uint64(resp.Index) + uint64(resp.RecordCount)
			} else {
				m.sum += uint64(req.ID) + uint64(req.Index)
			}
		}
	}
}

func (m *monitor) enip(b []byte) bool {
	if _, err := m.en.Decode(b); err != nil {
		return false
	}
	hasMsg := m.en.DecodeCIP(&m.cip) && m.msg.Decode(m.cip.Msg) == nil
	m.enipFields(&m.en, &m.cip, &m.msg, hasMsg)
	return true
}

// enipFields reads a decoded encapsulation PDU and, when hasMsg, its CIP
// message.
func (m *monitor) enipFields(f *enip.Frame, cip *enip.CIPData, msg *enip.CIPMessage, hasMsg bool) {
	m.sum += uint64(f.Command) + uint64(f.Session) + uint64(f.Status) + uint64(f.Anomalies)
	if !hasMsg {
		// ListIdentity and the other commands: the identity of a device.
		if f.Command == enip.CmdListIdentity {
			items := f.Items()
			for items.Next() {
				if id, ok := items.Item().Identity(); ok {
					m.sum += uint64(id.VendorID) + uint64(id.ProductCode) + uint64(len(id.ProductName)) + uint64(id.SerialNumber)
				}
			}
		}
		return
	}
	m.sum += uint64(cip.ConnID) + uint64(cip.Seq)
	m.message(msg)
	if msg.Service == enip.SvcMultipleServicePacket {
		emb := msg.Multiple()
		for emb.Next() {
			e := emb.CIPMessage()
			m.message(&e)
		}
	}
}

// message reads a CIP request or reply.
func (m *monitor) message(msg *enip.CIPMessage) {
	m.sum += uint64(msg.Service) + uint64(msg.Status) + uint64(msg.Anomalies)
	if msg.Response {
		m.sum++
		if msg.Service != enip.SvcReadTag && msg.Service != enip.SvcReadTagFragmented {
			return
		}
		if r, ok := msg.TagReply(enip.ContextLogix); ok {
			if sc, ok := r.Value().At(0); ok {
				v, _ := sc.Int()
				m.sum += uint64(v)
			}
		}
		return
	}
	t := msg.Path.Target()
	m.sum += uint64(t.Class) + uint64(t.Instance) + uint64(t.Attribute)
	if t.Symbolic {
		m.sum += uint64(len(msg.Path.AppendTag(m.tag[:0])))
	}
	switch msg.Service {
	case enip.SvcReadTag, enip.SvcWriteTag, enip.SvcReadModifyWriteTag, enip.SvcReadTagFragmented, enip.SvcWriteTagFragmented:
		if r, ok := msg.TagRequest(); ok {
			m.sum += uint64(r.Elements)
			if sc, ok := r.Value().At(0); ok {
				v, _ := sc.Int()
				m.sum += uint64(v)
			}
		}
	case enip.SvcForwardOpen, enip.SvcLargeForwardOpen:
		if fo, ok := msg.ForwardOpen(); ok {
			m.sum += uint64(fo.OTConnID) + uint64(fo.TOConnID) + uint64(fo.OTRPI) + uint64(fo.TORPI)
		}
	}
}

func (m *monitor) enipIO(b []byte) bool {
	io, err := enip.ParseIO(b)
	if err != nil {
		return false
	}
	m.enipIOFields(&io)
	return true
}

func (m *monitor) enipIOFields(io *enip.IOFrame) {
	m.sum += uint64(io.ConnID) + uint64(io.EncapSeq) + uint64(len(io.Data))
}

func (m *monitor) dnp3(p *pcapx.PDU) bool {
	msg, err := m.dnp.Decode(p.Data, p.ToServer, 0)
	if err != nil {
		return false
	}
	m.sum += uint64(msg.Frame.Src) + uint64(msg.Frame.Dst) + uint64(msg.Frame.Control)
	if msg.Complete {
		m.dnp3Fields(&msg.Fragment)
	}
	return true
}

// dnp3Fields reads a decoded application fragment: its header, objects and
// points.
func (m *monitor) dnp3Fields(a *dnp3.Fragment) {
	m.sum += uint64(a.Func) + uint64(a.IIN) + uint64(a.Control)
	it := &m.dobjs
	it.Reset(a.Body, a.Func)
	for it.Next() {
		h := it.Object()
		m.sum += uint64(h.Group) + uint64(h.Variation)
		pt := it.Points()
		for pt.Next() {
			v := pt.Point()
			m.sum += uint64(v.Index()) + uint64(v.Flags()) + uint64(v.Int()) + uint64(v.Float()) + v.Time()
		}
	}
}

func (m *monitor) iec104(b []byte) bool {
	f, _, err := iec104.Parse(b)
	if err != nil {
		return false
	}
	m.iec104Fields(&f)
	return true
}

// iec104Fields reads a decoded APDU and its information objects.
func (m *monitor) iec104Fields(f *iec104.Frame) {
	m.sum += uint64(f.Format) + uint64(f.SendSeq) + uint64(f.RecvSeq) + uint64(f.UFunc)
	if !f.HasASDU() {
		return
	}
	a := &f.ASDU
	m.sum += uint64(a.Type) + uint64(a.Cause) + uint64(a.CommonAddr) + uint64(a.Originator)
	objs := a.Objects()
	for objs.Next() {
		o := objs.Object()
		m.sum += uint64(o.IOA)
		// The value, by the type's element.
		switch o.Type {
		case iec104.M_SP_NA_1, iec104.M_SP_TA_1, iec104.M_SP_TB_1:
			v, _ := o.SIQ()
			m.sum += uint64(v)
		case iec104.M_DP_NA_1, iec104.M_DP_TA_1, iec104.M_DP_TB_1:
			v, _ := o.DIQ()
			m.sum += uint64(v)
		case iec104.M_ST_NA_1, iec104.M_ST_TA_1, iec104.M_ST_TB_1:
			v, _ := o.VTI()
			m.sum += uint64(v)
		case iec104.M_BO_NA_1, iec104.M_BO_TA_1, iec104.M_BO_TB_1:
			v, _ := o.BSI()
			m.sum += uint64(v)
		case iec104.M_ME_NA_1, iec104.M_ME_TA_1, iec104.M_ME_ND_1, iec104.M_ME_TD_1, iec104.C_SE_NA_1, iec104.C_SE_TA_1:
			v, _ := o.Normalized()
			m.sum += uint64(v)
		case iec104.M_ME_NB_1, iec104.M_ME_TB_1, iec104.M_ME_TE_1, iec104.C_SE_NB_1, iec104.C_SE_TB_1:
			v, _ := o.Scaled()
			m.sum += uint64(v)
		case iec104.M_ME_NC_1, iec104.M_ME_TC_1, iec104.M_ME_TF_1, iec104.C_SE_NC_1, iec104.C_SE_TC_1:
			v, _ := o.Float()
			m.sum += uint64(v)
		case iec104.M_IT_NA_1, iec104.M_IT_TA_1, iec104.M_IT_TB_1:
			v, _ := o.BCR()
			m.sum += uint64(v.Value)
		case iec104.C_SC_NA_1, iec104.C_SC_TA_1:
			v, _ := o.SCO()
			m.sum += uint64(v)
		case iec104.C_DC_NA_1, iec104.C_DC_TA_1:
			v, _ := o.DCO()
			m.sum += uint64(v)
		default:
			m.sum += uint64(len(o.Raw))
		}
		if q, ok := o.QDS(); ok {
			m.sum += uint64(q)
		}
		if t, ok := o.CP56(); ok {
			m.sum += uint64(t.Millis) + uint64(t.Minute) + uint64(t.Hour) + uint64(t.Day)
		}
	}
}
