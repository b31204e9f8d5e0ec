package dissect

import (
	"unsafe"

	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/pcapx"
)

// enipPendingCap bounds the CIP requests remembered across all flows; the
// oldest is overwritten first.
const enipPendingCap = 64

// enipReqMax is how many bytes of a request are kept to decode its reply.
const enipReqMax = 512

// enipPending is a CIP request kept until its reply arrives, so that the
// reply can show the request path and be decoded by the request's class, as
// Wireshark does. Requests are keyed as Wireshark keys them: flow, session
// and sender context for unconnected messages; flow, session, connection and
// sequence count for connected ones.
type enipPending struct {
	flow      pcapx.FlowKey
	session   uint32
	connected bool
	context   [8]byte
	conn      uint32
	seq       uint16
	used      bool
	n         int
	msg       [enipReqMax]byte
}

// enipState is the per-capture state of the enip dissector: pending
// requests and the connections opened by Forward Open, both in fixed rings.
type enipState struct {
	ring    [enipPendingCap]enipPending
	next    int
	tracker enip.Tracker
	// conn is scratch space for the connection being shown, so that views
	// of its path do not force a copy to the heap.
	conn enip.Connection
}

func (st *enipState) remember(p *pcapx.PDU, h *enip.Header, connected bool, conn uint32, seq uint16, msg []byte) {
	// Replace an entry with the same key: the latest request wins.
	var e *enipPending
	for i := range st.ring {
		c := &st.ring[i]
		if c.used && c.flow == p.Flow && c.session == h.Session && c.connected == connected &&
			((connected && c.conn == conn && c.seq == seq) || (!connected && c.context == h.Context)) {
			e = c
			break
		}
	}
	if e == nil {
		e = &st.ring[st.next]
		st.next = (st.next + 1) % enipPendingCap
	}
	e.flow, e.session, e.connected, e.context, e.conn, e.seq, e.used = p.Flow, h.Session, connected, h.Context, conn, seq, true
	e.n = copy(e.msg[:], msg)
}

func (st *enipState) lookup(p *pcapx.PDU, h *enip.Header, connected bool, conn uint32, seq uint16) []byte {
	for i := range st.ring {
		c := &st.ring[i]
		if c.used && c.flow == p.Flow && c.session == h.Session && c.connected == connected &&
			((connected && c.conn == conn && c.seq == seq) || (!connected && c.context == h.Context)) {
			return c.msg[:c.n]
		}
	}
	return nil
}

func (d *Dissector) enipPDU(s Sink, p *pcapx.PDU) Result {
	st := &d.enip
	if p.Gap {
		// A gap loses nothing but the request being answered; pending
		// requests stay keyed by flow.
	}
	if p.Transport == pcapx.UDP && (p.Src.Port() == enip.IOPort || p.Dst.Port() == enip.IOPort) {
		return st.io(s, p)
	}
	f, _, err := enip.Parse(p.Data)
	if err == enip.ErrTruncated && len(p.Data) < enip.HeaderLen {
		return Result{Func: "truncated", Err: err}
	}
	s.Uint("enip.command", uint64(f.Command))
	s.Uint("enip.length", uint64(f.Length))
	s.Uint("enip.session", uint64(f.Session))
	s.Uint("enip.status", uint64(f.Status))
	s.Bytes("enip.context", p.Data[12:20])
	s.Uint("enip.options", uint64(f.Options))
	anom := f.Anomalies
	switch f.Command {
	case enip.CmdListIdentity, enip.CmdListServices, enip.CmdListInterfaces:
		if !p.ToServer {
			it := f.Items()
			anom |= st.cpf(s, p, &f, &it)
		}
	case enip.CmdRegisterSession:
		if rs, ok := f.RegisterSession(); ok {
			s.Uint("enip.rs.version", uint64(rs.ProtocolVersion))
			s.Uint("enip.rs.flags", uint64(rs.Options))
		}
	case enip.CmdSendRRData, enip.CmdSendUnitData:
		if sd, ok := f.SendData(); ok {
			if f.Command == enip.CmdSendRRData {
				s.Uint("enip.srrd.iface", uint64(sd.InterfaceHandle))
			} else {
				s.Uint("enip.sud.iface", uint64(sd.InterfaceHandle))
			}
			s.Uint("enip.timeout", uint64(sd.Timeout))
			it := f.Items()
			anom |= st.cpf(s, p, &f, &it)
		}
	case enip.CmdNOP, enip.CmdUnRegisterSession, enip.CmdStartDTLS:
	default:
		s.Bytes("enip.encap_data", f.Data)
	}
	enipAnomalies(s, "enip.anomaly", anom)
	return Result{Func: f.Command.String(), Err: err}
}

func enipAnomalies(s Sink, name string, a enip.Anomaly) {
	for i := 0; i < 32; i++ {
		if b := enip.Anomaly(1) << i; a&b != 0 {
			s.Text(name, enipAnomalyText(b))
		}
	}
}

// enipAnomalyText returns the flag's name as bytes without allocating: the
// bytes view the constant string and must not be modified (a Sink only reads
// them during the call).
func enipAnomalyText(a enip.Anomaly) []byte {
	name := a.String()
	return unsafe.Slice(unsafe.StringData(name), len(name))
}

// cpf emits the items of a Common Packet Format list and decodes the CIP
// messages they carry.
func (st *enipState) cpf(s Sink, p *pcapx.PDU, f *enip.Frame, it *enip.Items) enip.Anomaly {
	var anom enip.Anomaly
	if it.Err() == nil && it.Count() == 0 && len(f.Data) <= 6 && (f.Command == enip.CmdSendRRData || f.Command == enip.CmdSendUnitData) {
		return 0
	}
	s.Uint("enip.cpf.itemcount", uint64(it.Count()))
	var conn uint32
	connKnown := false
	for it.Next() {
		item := it.Item()
		s.Uint("enip.cpf.typeid", uint64(item.Type))
		s.Uint("enip.cpf.length", uint64(item.Length))
		if item.Length == 0 {
			continue
		}
		switch item.Type {
		case enip.ItemConnectedAddress:
			if id, ok := item.ConnectedAddress(); ok {
				s.Uint("enip.cpf.cai.connid", uint64(id))
				if c, _, ok := st.tracker.Lookup(id); ok {
					conn, connKnown = c.OTConnID, true
					st.conn = c
				}
			}
		case enip.ItemUnconnectedData:
			if len(item.Data) == 0 {
				continue
			}
			if sd, _ := f.SendData(); sd.InterfaceHandle != 0 {
				continue
			}
			var req []byte
			if p.ToServer {
				st.remember(p, &f.Header, false, 0, 0, item.Data)
			} else {
				req = st.lookup(p, &f.Header, false, 0, 0)
			}
			anom |= st.cip(s, item.Data, req, p.ToServer, 0)
		case enip.ItemConnectedData:
			seq, msg, ok := item.ConnectedMessage()
			if !ok || f.Command != enip.CmdSendUnitData {
				continue
			}
			s.Uint("cip.seq", uint64(seq))
			if !connKnown {
				conn = 0
			} else {
				// Wireshark shows the connection's Forward Open path.
				anom |= enipPath(s, st.conn.ConnPath())
			}
			var req []byte
			if p.ToServer {
				st.remember(p, &f.Header, true, conn, seq, msg)
			} else {
				req = st.lookup(p, &f.Header, true, conn, seq)
			}
			if len(msg) >= 2 {
				anom |= st.cip(s, msg, req, p.ToServer, 0)
			}
		case enip.ItemListIdentity:
			if id, ok := item.Identity(); ok {
				s.Uint("enip.encapver", uint64(id.ProtocolVersion))
				enipSockaddr(s, &id.Socket, item.Data[10:18])
				s.Uint("enip.lir.vendor", uint64(id.VendorID))
				s.Uint("enip.lir.devtype", uint64(id.DeviceType))
				s.Uint("enip.lir.prodcode", uint64(id.ProductCode))
				s.Uint("enip.lir.revision", uint64(id.Revision.Major)<<8|uint64(id.Revision.Minor))
				s.Uint("enip.lir.status", uint64(id.Status))
				s.Uint("enip.lir.serial", uint64(id.SerialNumber))
				s.Uint("enip.lir.namelen", uint64(len(id.ProductName)))
				s.Text("enip.lir.name", id.ProductName)
				if id.HasState {
					s.Uint("enip.lir.state", uint64(id.State))
				}
			}
		case enip.ItemSockaddrOT, enip.ItemSockaddrTO:
			if sa, ok := item.Sockaddr(); ok {
				enipSockaddr(s, &sa, item.Data[8:16])
			}
		case enip.ItemSequencedAddress:
			if id, seq, ok := item.SequencedAddress(); ok {
				s.Uint("enip.cpf.sai.connid", uint64(id))
				s.Uint("enip.cpf.sai.seq", uint64(seq))
			}
		case enip.ItemListServices:
			if sv, ok := item.Service(); ok {
				s.Uint("enip.encapver", uint64(sv.Version))
				s.Uint("enip.lsr.capaflags", uint64(sv.Capabilities))
				s.Text("enip.lsr.servicename", sv.Name)
			}
		default:
			s.Bytes("enip.cpf.data", item.Data)
		}
	}
	return anom | it.Anomalies()
}

// enipSockaddr emits a socket address; zero views its sin_zero bytes in the
// PDU.
func enipSockaddr(s Sink, sa *enip.Sockaddr, zero []byte) {
	s.Uint("enip.sinfamily", uint64(sa.Family))
	s.Uint("enip.sinport", uint64(sa.Port))
	s.Uint("enip.sinaddr", uint64(sa.Addr[0])<<24|uint64(sa.Addr[1])<<16|uint64(sa.Addr[2])<<8|uint64(sa.Addr[3]))
	s.Bytes("enip.sinzero", zero)
}

// io decodes an implicit I/O datagram (UDP 2222).
func (st *enipState) io(s Sink, p *pcapx.PDU) Result {
	it := enip.NewItems(p.Data)
	s.Uint("enip.cpf.itemcount", uint64(it.Count()))
	var dir enip.IODirection
	known := false
	c := &st.conn
	for it.Next() {
		item := it.Item()
		s.Uint("enip.cpf.typeid", uint64(item.Type))
		s.Uint("enip.cpf.length", uint64(item.Length))
		if item.Length == 0 {
			continue
		}
		switch item.Type {
		case enip.ItemSequencedAddress:
			if id, seq, ok := item.SequencedAddress(); ok {
				s.Uint("enip.cpf.sai.connid", uint64(id))
				s.Uint("enip.cpf.sai.seq", uint64(seq))
				*c, dir, known = st.tracker.Lookup(id)
				if known {
					enipPath(s, c.ConnPath())
				}
			}
		case enip.ItemConnectedData:
			data := item.Data
			if known {
				seq, hasSeq, hdr, hasHdr, rest := c.Split(data, dir == enip.DirOT)
				if hasSeq {
					s.Uint("cip.seq", uint64(seq))
				}
				if hasHdr {
					s.Uint("cip.32bitheader", uint64(hdr))
				}
				data = rest
				s.Uint("cip.cm.otrpi", uint64(c.OTRPI))
				s.Uint("cip.cm.torpi", uint64(c.TORPI))
				// Our own: the direction and the Forward Open's size for it.
				s.Uint("enip.io.direction", uint64(dir))
				if dir == enip.DirOT {
					s.Uint("enip.io.connection_size", uint64(c.OTSize))
				} else {
					s.Uint("enip.io.connection_size", uint64(c.TOSize))
				}
			}
			s.Bytes("cipio.data", data)
		default:
			s.Bytes("enip.cpf.data", item.Data)
		}
	}
	enipAnomalies(s, "enip.anomaly", it.Anomalies())
	return Result{Func: "I/O", Err: it.Err()}
}

// cip decodes one CIP message router request or response. req is the
// request a response answers, when known. depth bounds embedded messages.
func (st *enipState) cip(s Sink, b, req []byte, toServer bool, depth int) enip.Anomaly {
	m, err := enip.ParseMessage(b)
	if err != nil && len(b) == 0 {
		return 0
	}
	var svcByte uint64 = uint64(m.Service)
	if m.Response {
		svcByte |= 0x80
	}
	s.Uint("cip.service", svcByte)
	anom := m.Anomalies
	var rq enip.Message
	haveReq := false
	if m.Response {
		s.Uint("cip.genstat", uint64(m.Status))
		s.Uint("cip.addstat_size", uint64(m.ExtStatusLen()))
		for i := 0; i < m.ExtStatusLen(); i++ {
			s.Uint("cip.addstat", uint64(m.ExtStatusAt(i)))
		}
		if req != nil {
			if r, err := enip.ParseMessage(req); err == nil && !r.Response {
				rq, haveReq = r, true
				s.Uint("cip.request_path_size", uint64(r.PathWords))
				anom |= enipPath(s, r.Path)
				// The reply to an Unconnected Send is the embedded
				// request's reply: decode it with the embedded request.
				if t := r.Target(); r.Service == enip.SvcUnconnectedSend && m.Service != enip.SvcUnconnectedSend && t.HasClass && t.Class == enip.ClassConnectionManager {
					haveReq = false
					if us, ok := r.UnconnectedSend(); ok {
						if e, err := enip.ParseMessage(us.Embedded); err == nil && !e.Response {
							rq, haveReq = e, true
							s.Uint("cip.request_path_size", uint64(e.PathWords))
							anom |= enipPath(s, e.Path)
						}
						s.Uint("cip.cm.route_path_size", uint64(us.RoutePathWords))
						anom |= enipPath(s, us.RoutePath)
					}
				}
			}
		}
	} else {
		s.Uint("cip.request_path_size", uint64(m.PathWords))
		anom |= enipPath(s, m.Path)
		rq, haveReq = m, true
	}
	if err != nil || depth > 4 {
		return anom
	}
	ctx := enip.ContextGeneric
	var tg enip.Target
	if haveReq {
		tg = rq.Target()
		ctx = enip.ContextOf(tg.Class, tg.Symbolic)
	}
	if !m.Service.Known(ctx) && (haveReq || !m.Response) {
		anom |= enip.AnomUnknownService
	}
	if m.Service < 0x32 {
		// Common services mean the same on every class.
		ctx = enip.ContextGeneric
	}
	switch {
	case m.Service == enip.SvcMultipleServicePacket:
		anom |= st.msp(s, &m, &rq, haveReq, toServer, depth)
	case ctx == enip.ContextConnectionManager:
		anom |= st.connMgr(s, &m, &rq, haveReq, toServer, depth)
	case ctx == enip.ContextLogix:
		st.logix(s, &m, &rq)
	case ctx == enip.ContextPCCC:
		if pc, ok := m.PCCC(); ok {
			if m.Response {
				s.Uint("cip.pccc.resp.code", uint64(pc.Command))
			} else {
				s.Uint("cip.pccc.cmd.code", uint64(pc.Command))
			}
			s.Uint("cip.pccc.gs.status", uint64(pc.Status))
			s.Uint("cip.pccc.tns.code", uint64(pc.TNS))
			if pc.HasFunction {
				switch pc.Command & 0x0F {
				case 0x06:
					s.Uint("cip.pccc.fnc.code_06", uint64(pc.Function))
				case 0x07:
					s.Uint("cip.pccc.fnc.code_07", uint64(pc.Function))
				case 0x0F:
					s.Uint("cip.pccc.fnc.code_0f", uint64(pc.Function))
				default:
					s.Uint("cip.pccc.fnc.code", uint64(pc.Function))
				}
			}
			if pc.Status == 0xF0 && m.Response {
				s.Uint("cip.pccc.es.status", uint64(pc.ExtStatus))
			}
		}
	default:
		st.generic(s, &m, &rq, haveReq, tg)
	}
	return anom
}

// enipPath emits the fields of each segment of a path.
func enipPath(s Sink, p enip.Path) enip.Anomaly {
	it := p.Segments()
	for it.Next() {
		seg := it.Segment()
		switch seg.Type {
		case enip.SegPort:
			s.Uint("cip.port", uint64(seg.Value))
			if len(seg.Link) == 1 {
				s.Uint("cip.linkaddress.byte", uint64(seg.Link[0]))
			} else {
				s.Text("cip.linkaddress.string", seg.Link)
			}
		case enip.SegLogical:
			switch seg.Logical {
			case enip.LogicalClass:
				s.Uint("cip.class", uint64(seg.Value))
			case enip.LogicalInstance:
				s.Uint("cip.instance", uint64(seg.Value))
			case enip.LogicalMember:
				s.Uint("cip.member", uint64(seg.Value))
			case enip.LogicalConnectionPoint:
				s.Uint("cip.connpoint", uint64(seg.Value))
			case enip.LogicalAttribute:
				s.Uint("cip.attribute", uint64(seg.Value))
			case enip.LogicalSpecial:
				s.Uint("cip.ekey.vendor", uint64(seg.Key.VendorID))
				s.Uint("cip.ekey.devtype", uint64(seg.Key.DeviceType))
				s.Uint("cip.ekey.product_code", uint64(seg.Key.ProductCode))
				s.Uint("cip.ekey.major_rev", uint64(seg.Key.Major))
				s.Uint("cip.ekey.minor_rev", uint64(seg.Key.Minor))
			}
		case enip.SegSymbolic:
			if seg.Format == 0 {
				s.Text("cip.symbol", seg.Symbol)
			} else if seg.Format == 6 {
				s.Uint("cip.numeric_symbol", uint64(seg.Value))
			}
		case enip.SegData:
			if seg.Code == 0x91 {
				s.Text("cip.symbol", seg.Symbol)
			} else {
				s.Bytes("cip.data_segment.data", seg.Data)
			}
		}
	}
	a := it.Anomalies()
	if it.Err() != nil {
		a |= enip.AnomUnknownSegment
	}
	return a
}

// msp decodes a Multiple Service Packet request or reply; the embedded
// replies are decoded with the embedded requests of the same index.
func (st *enipState) msp(s Sink, m, rq *enip.Message, haveReq, toServer bool, depth int) enip.Anomaly {
	var anom enip.Anomaly
	it := m.Multiple()
	if len(m.Data) >= 2 {
		s.Uint("cip.msp.num_services", uint64(it.Count()))
	}
	var reqs enip.MultipleServices
	if m.Response && haveReq {
		reqs = rq.Multiple()
	}
	for it.Next() {
		var emb []byte
		if m.Response && haveReq && reqs.Next() {
			emb = reqs.Raw()
		}
		anom |= st.cip(s, it.Raw(), emb, toServer, depth+1)
	}
	return anom
}

// connMgr decodes Connection Manager services.
func (st *enipState) connMgr(s Sink, m, rq *enip.Message, haveReq, toServer bool, depth int) enip.Anomaly {
	var anom enip.Anomaly
	switch m.Service {
	case enip.SvcForwardOpen, enip.SvcLargeForwardOpen:
		if !m.Response {
			fo, ok := m.ForwardOpen()
			n := fo.Decoded
			if n >= 3 {
				s.Uint("cip.cm.ot_connid", uint64(fo.OTConnID))
			}
			if n >= 4 {
				s.Uint("cip.cm.to_connid", uint64(fo.TOConnID))
			}
			if n >= 5 {
				s.Uint("cip.cm.conn_serial_num", uint64(fo.Triad.SerialNumber))
			}
			if n >= 6 {
				s.Uint("cip.cm.vendor", uint64(fo.Triad.VendorID))
			}
			if n >= 7 {
				s.Uint("cip.cm.orig_serial_num", uint64(fo.Triad.OrigSerial))
			}
			if n >= 8 {
				s.Uint("cip.cm.timeout_multiplier", uint64(fo.TimeoutMultiplier))
			}
			if n >= 10 {
				s.Uint("cip.cm.otrpi", uint64(fo.OTRPI))
			}
			if n >= 11 {
				s.Uint("cip.cm.ot_net_params", uint64(fo.OTParams))
			}
			if n >= 12 {
				s.Uint("cip.cm.torpi", uint64(fo.TORPI))
			}
			if n >= 13 {
				s.Uint("cip.cm.to_net_params", uint64(fo.TOParams))
			}
			if n >= 14 {
				s.Uint("cip.cm.transport_type_trigger", uint64(fo.TransportTrigger))
			}
			if n >= 15 {
				s.Uint("cip.cm.connpath_size", uint64(fo.ConnPathWords))
			}
			if ok {
				anom |= enipPath(s, fo.ConnPath)
				st.tracker.Request(&fo)
			}
			return anom
		}
		if r, ok := m.ForwardOpenReply(); ok {
			s.Uint("cip.cm.ot_connid", uint64(r.OTConnID))
			s.Uint("cip.cm.to_connid", uint64(r.TOConnID))
			s.Uint("cip.cm.conn_serial_num", uint64(r.Triad.SerialNumber))
			s.Uint("cip.cm.vendor", uint64(r.Triad.VendorID))
			s.Uint("cip.cm.orig_serial_num", uint64(r.Triad.OrigSerial))
			s.Uint("cip.cm.otapi", uint64(r.OTAPI))
			s.Uint("cip.cm.toapi", uint64(r.TOAPI))
			s.Uint("cip.cm.app_reply_size", uint64(len(r.AppReply)/2))
			if haveReq {
				if fo, ok := rq.ForwardOpen(); ok {
					// Wireshark shows the request's connection path.
					s.Uint("cip.cm.connpath_size", uint64(fo.ConnPathWords))
					enipPath(s, fo.ConnPath)
					st.tracker.Request(&fo)
				}
			}
			st.tracker.Reply(&r)
		} else if f, ok := m.ConnectionReplyTriad(); ok {
			s.Uint("cip.cm.conn_serial_num", uint64(f.Triad.SerialNumber))
			s.Uint("cip.cm.vendor", uint64(f.Triad.VendorID))
			s.Uint("cip.cm.orig_serial_num", uint64(f.Triad.OrigSerial))
		}
	case enip.SvcForwardClose:
		if !m.Response {
			if fc, ok := m.ForwardClose(); ok {
				s.Uint("cip.cm.conn_serial_num", uint64(fc.Triad.SerialNumber))
				s.Uint("cip.cm.vendor", uint64(fc.Triad.VendorID))
				s.Uint("cip.cm.orig_serial_num", uint64(fc.Triad.OrigSerial))
				s.Uint("cip.cm.connpath_size", uint64(fc.ConnPathWords))
				anom |= enipPath(s, fc.ConnPath)
				var ok bool
				if st.conn, ok = st.tracker.LookupTriad(fc.Triad); ok {
					enipPath(s, st.conn.ConnPath())
				}
			}
		} else if f, ok := m.ConnectionReplyTriad(); ok {
			s.Uint("cip.cm.conn_serial_num", uint64(f.Triad.SerialNumber))
			s.Uint("cip.cm.vendor", uint64(f.Triad.VendorID))
			s.Uint("cip.cm.orig_serial_num", uint64(f.Triad.OrigSerial))
			// Wireshark shows the Forward Close request's connection path.
			if haveReq {
				if fc, ok := rq.ForwardClose(); ok {
					s.Uint("cip.cm.connpath_size", uint64(fc.ConnPathWords))
					enipPath(s, fc.ConnPath)
				}
			} else if st.conn, ok = st.tracker.LookupTriad(f.Triad); ok {
				p := st.conn.ConnPath()
				s.Uint("cip.cm.connpath_size", uint64(len(p)/2))
				enipPath(s, p)
			}
		}
	case enip.SvcUnconnectedSend:
		if m.Response && haveReq {
			// The failed reply shows the request's route path.
			if us, ok := rq.UnconnectedSend(); ok {
				s.Uint("cip.cm.route_path_size", uint64(us.RoutePathWords))
				anom |= enipPath(s, us.RoutePath)
			}
		}
		if !m.Response {
			us, ok := m.UnconnectedSend()
			if !ok {
				return 0
			}
			s.Uint("cip.cm.msg_req_size", uint64(len(us.Embedded)))
			anom |= st.cip(s, us.Embedded, nil, toServer, depth+1)
			s.Uint("cip.cm.route_path_size", uint64(us.RoutePathWords))
			anom |= enipPath(s, us.RoutePath)
		}
	}
	return anom
}

// unconnectedReply decodes the embedded reply carried in place of an
// Unconnected Send reply.
func (st *enipState) logix(s Sink, m, rq *enip.Message) {
	if m.Response {
		if tr, ok := m.TagReply(); ok {
			s.Uint("cip.data_type", uint64(tr.Type.Code))
		}
		return
	}
	if tr, ok := m.TagRequest(); ok {
		switch tr.Service {
		case enip.SvcReadTag, enip.SvcReadTagFragmented, enip.SvcWriteTag, enip.SvcWriteTagFragmented:
			s.Uint("cip.rtd.elements", uint64(tr.Elements))
		}
		_ = st
	}
}

// generic decodes common services by the request's class.
func (st *enipState) generic(s Sink, m, rq *enip.Message, haveReq bool, tg enip.Target) {
	switch m.Service {
	case enip.SvcGetAttributeList:
		if !m.Response {
			if al, _ := m.AttributeList(); al.Len() > 0 {
				for i := 0; i < al.Len(); i++ {
					s.Uint("cip.attribute", uint64(al.At(i)))
				}
			}
		} else {
			// Without the request the class is unknown: Wireshark then
			// shows the first attribute id and stops.
			enipAttrListReply(s, tg.Class, m.Data)
		}
	case enip.SvcSetAttributeList:
		if !m.Response {
			if tg.HasClass {
				enipSetAttrList(s, tg.Class, m.Data)
			}
		} else {
			b := m.Data
			if len(b) >= 2 {
				count := int(b[0]) | int(b[1])<<8
				b = b[2:]
				for i := 0; i < count && len(b) >= 4; i++ {
					s.Uint("cip.attribute", uint64(b[0])|uint64(b[1])<<8)
					b = b[4:]
				}
			}
		}
	case enip.SvcGetAttributesAll:
		if m.Response && haveReq && tg.HasClass && m.Status == enip.StatusOK {
			enipGetAll(s, tg.Class, m.Data)
		}
	case enip.SvcGetAttributeSingle:
		if m.Response && haveReq && tg.HasClass && tg.HasAttribute && m.Status == enip.StatusOK {
			enipAttr(s, tg.Class, tg.Attribute, m.Data)
		}
	}
}

// enipAttrListReply walks a Get Attribute List reply: id, status and, for
// attributes whose layout is known for the class, the value. Like
// Wireshark it stops at the first value it cannot size.
func enipAttrListReply(s Sink, class uint32, b []byte) {
	if len(b) < 2 {
		return
	}
	count := int(b[0]) | int(b[1])<<8
	b = b[2:]
	for i := 0; i < count && len(b) >= 4; i++ {
		id := uint32(b[0]) | uint32(b[1])<<8
		status := uint16(b[2]) | uint16(b[3])<<8
		s.Uint("cip.attribute", uint64(id))
		b = b[4:]
		if status != 0 {
			continue
		}
		n := enipAttr(s, class, id, b)
		if n <= 0 {
			return
		}
		b = b[min(n, len(b)):]
	}
}

// enipSetAttrList walks a Set Attribute List request: id and value while
// the class's attribute layout is known.
func enipSetAttrList(s Sink, class uint32, b []byte) {
	if len(b) < 2 {
		return
	}
	count := int(b[0]) | int(b[1])<<8
	b = b[2:]
	for i := 0; i < count && len(b) >= 2; i++ {
		id := uint32(b[0]) | uint32(b[1])<<8
		s.Uint("cip.attribute", uint64(id))
		b = b[2:]
		n := enipAttr(s, class, id, b)
		if n <= 0 {
			return
		}
		b = b[min(n, len(b)):]
	}
}

// enipGetAll decodes a Get_Attributes_All reply of the classes whose
// attribute layout is known, attribute by attribute while data is left.
func enipGetAll(s Sink, class uint32, b []byte) {
	var last uint32
	switch class {
	case enip.ClassIdentity:
		last = 7
	case enip.ClassTCPIP:
		last = 6
	case enip.ClassMessageRouter:
		last = 1
	case enip.ClassEthernetLink:
		last = 3
	default:
		return
	}
	for a := uint32(1); a <= last && len(b) > 0; a++ {
		s.Uint("cip.attribute", uint64(a))
		n := enipAttr(s, class, a, b)
		if n <= 0 {
			return
		}
		b = b[min(n, len(b)):]
	}
}

// enipAttr emits the value of attribute id of class from the front of b and
// returns its size, or 0 when the layout is unknown or b is short.
func enipAttr(s Sink, class, id uint32, b []byte) int {
	u16 := func(name string) int {
		if len(b) < 2 {
			return 0
		}
		s.Uint(name, uint64(b[0])|uint64(b[1])<<8)
		return 2
	}
	u32 := func(name string) int {
		if len(b) < 4 {
			return 0
		}
		s.Uint(name, uint64(b[0])|uint64(b[1])<<8|uint64(b[2])<<16|uint64(b[3])<<24)
		return 4
	}
	u8 := func(name string) int {
		if len(b) < 1 {
			return 0
		}
		s.Uint(name, uint64(b[0]))
		return 1
	}
	switch class {
	case enip.ClassIdentity:
		switch id {
		case 1:
			return u16("cip.id.vendor_id")
		case 2:
			return u16("cip.id.device_type")
		case 3:
			return u16("cip.id.product_code")
		case 4:
			if len(b) < 2 {
				return 0
			}
			s.Uint("cip.id.major_rev", uint64(b[0]))
			s.Uint("cip.id.minor_rev", uint64(b[1]))
			return 2
		case 5:
			return u16("cip.id.status")
		case 6:
			return u32("cip.id.serial_number")
		case 7:
			if len(b) < 1 || len(b) < 1+int(b[0]) {
				return 0
			}
			s.Text("cip.id.product_name", b[1:1+int(b[0])])
			return 1 + int(b[0])
		case 8:
			return u8("cip.id.state")
		case 9:
			return u16("cip.id.config_consistency_value")
		case 10:
			return u8("cip.id.heartbeat_interval")
		}
	case enip.ClassMessageRouter:
		if id == 1 {
			if len(b) < 2 {
				return 0
			}
			n := 2 + 2*(int(b[0])|int(b[1])<<8)
			if n > len(b) {
				return 0
			}
			return n
		}
	case enip.ClassTCPIP:
		switch id {
		case 1:
			return u32("cip.tcpip.status")
		case 2:
			return u32("cip.tcpip.config_cap")
		case 3:
			return u32("cip.tcpip.config_control")
		case 4:
			if len(b) < 2 {
				return 0
			}
			n := 2 * (int(b[0]) | int(b[1])<<8)
			if len(b) < 2+n {
				return 0
			}
			enipPath(s, enip.Path(b[2:2+n]))
			return 2 + n
		case 5:
			c, ok := enip.ParseInterfaceConfig(b)
			if !ok {
				return 0
			}
			s.Text("cip.tcpip.domain_name", c.DomainName)
			n := 22 + len(c.DomainName)
			return n + n%2
		case 6:
			h, ok := enip.ParseHostName(b)
			if !ok {
				return 0
			}
			s.Text("cip.tcpip.hostname", h)
			n := 2 + len(h)
			if n > len(b) {
				n = len(b)
			}
			return n + n%2
		}
	case enip.ClassEthernetLink:
		switch id {
		case 1:
			return u32("cip.elink.interface_speed")
		case 2:
			return u32("cip.elink.iflags")
		case 3:
			if _, ok := enip.ParseMAC(b); ok {
				s.Bytes("cip.elink.physical_address", b[:6])
				return 6
			}
		}
	}
	return 0
}
