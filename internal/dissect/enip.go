package dissect

import (
	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/pcapx"
)

// enipState keeps, per flow, the enip.Conn that pairs replies with requests
// and, across flows, the enip.Tracker that ties implicit I/O to the Forward
// Open that created its connection. Everything decoded comes from those
// and from the enip package's accessors.
type enipState struct {
	pool    connPool[enip.Conn]
	tracker enip.Tracker
	// text is scratch space for anomaly names.
	text [256]byte
}

func (d *Dissector) enipPDU(s Sink, p *pcapx.PDU) Result {
	st := &d.enip
	if p.Transport == pcapx.UDP && (p.Src.Port() == enip.IOPort || p.Dst.Port() == enip.IOPort) {
		return st.io(s, p)
	}
	m, err := connFor(&st.pool, p).Decode(p.Data, p.ToServer, p.Time.UnixNano())
	if err == enip.ErrTruncated && len(p.Data) < enip.HeaderLen {
		return Result{Func: "truncated", Err: err}
	}
	f := &m.Frame
	s.Uint("enip.command", uint64(f.Command))
	s.Uint("enip.length", uint64(f.Length))
	s.Uint("enip.session", uint64(f.Session))
	s.Uint("enip.status", uint64(f.Status))
	s.Bytes("enip.context", f.Context[:])
	s.Uint("enip.options", uint64(f.Options))
	switch f.Command {
	case enip.CmdListIdentity, enip.CmdListServices, enip.CmdListInterfaces:
		if !p.ToServer {
			st.cpf(s, m)
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
			st.cpf(s, m)
		}
	case enip.CmdNOP, enip.CmdUnRegisterSession, enip.CmdStartDTLS:
	default:
		s.Bytes("enip.encap_data", f.Data)
	}
	if m.Opened != nil {
		st.tracker.Open(m.Opened)
	}
	if m.Closed != nil {
		st.tracker.Close(m.Closed.Triad)
	}
	st.anomalies(s, "enip.anomaly", m.Anomalies)
	name := "unknown command"
	if f.Command.Known() {
		name = f.Command.String()
	}
	return Result{Func: name, Err: err}
}

// anomalies emits one field per flag.
func (st *enipState) anomalies(s Sink, name string, a enip.Anomaly) {
	for flag := range a.All {
		b, _ := flag.AppendText(st.text[:0])
		s.Text(name, b)
	}
}

// cpf emits the items of a Common Packet Format list and the CIP message
// they carry.
func (st *enipState) cpf(s Sink, m *enip.Message) {
	f := &m.Frame
	it := f.Items()
	if it.Err() == nil && it.Count() == 0 && len(f.Data) <= 6 && (f.Command == enip.CmdSendRRData || f.Command == enip.CmdSendUnitData) {
		return
	}
	s.Uint("enip.cpf.itemcount", uint64(it.Count()))
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
			}
		case enip.ItemUnconnectedData:
			if m.HasCIP && !m.CIP.Connected {
				st.calls(s, m)
			}
		case enip.ItemConnectedData:
			if m.HasCIP && m.CIP.Connected {
				s.Uint("cip.seq", uint64(m.CIP.Seq))
				if m.Connection != nil {
					// Wireshark shows the connection's Forward Open path.
					enipPath(s, m.Connection.ConnPath())
				}
				st.calls(s, m)
			}
		case enip.ItemListIdentity:
			if id, ok := item.Identity(); ok {
				s.Uint("enip.encapver", uint64(id.ProtocolVersion))
				enipSockaddr(s, &id.Socket)
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
				enipSockaddr(s, &sa)
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
}

// enipSockaddr emits a socket address.
func enipSockaddr(s Sink, sa *enip.Sockaddr) {
	s.Uint("enip.sinfamily", uint64(sa.Family))
	s.Uint("enip.sinport", uint64(sa.Port))
	s.Uint("enip.sinaddr", uint64(sa.IPv4()))
	s.Bytes("enip.sinzero", sa.Zero)
}

// io decodes an implicit I/O datagram (UDP 2222), tied to its connection
// by the tracker.
func (st *enipState) io(s Sink, p *pcapx.PDU) Result {
	it := enip.NewItems(p.Data)
	s.Uint("enip.cpf.itemcount", uint64(it.Count()))
	var c *enip.Connection
	fromOriginator := false
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
				c, fromOriginator, _ = st.tracker.Lookup(id)
				if c != nil {
					enipPath(s, c.ConnPath())
				}
			}
		case enip.ItemConnectedData:
			data := item.Data
			if c != nil {
				io := c.IO(data, fromOriginator)
				if io.HasSeq {
					s.Uint("cip.seq", uint64(io.Seq))
				}
				if io.HasHeader {
					s.Uint("cip.32bitheader", uint64(io.Header))
				}
				data = io.Data
				s.Uint("cip.cm.otrpi", uint64(c.OTRPI))
				s.Uint("cip.cm.torpi", uint64(c.TORPI))
				// Our own: the direction (1 O->T, 2 T->O) and the
				// Forward Open's size for it.
				if fromOriginator {
					s.Uint("enip.io.direction", 1)
					s.Uint("enip.io.connection_size", uint64(c.OTSize))
				} else {
					s.Uint("enip.io.direction", 2)
					s.Uint("enip.io.connection_size", uint64(c.TOSize))
				}
			}
			s.Bytes("cipio.data", data)
		default:
			s.Bytes("enip.cpf.data", item.Data)
		}
	}
	st.anomalies(s, "enip.anomaly", it.Anomalies())
	return Result{Func: "I/O", Err: it.Err()}
}

// calls emits each CIP service of m with its request's context. Fields
// come in Wireshark's order: an Unconnected Send's route path follows the
// service it carries.
func (st *enipState) calls(s Sink, m *enip.Message) {
	calls := m.Calls()
	var route enip.UnconnectedSend
	routeDepth := -1
	for calls.Next() {
		call := calls.Call()
		if routeDepth >= 0 && int(call.Depth) <= routeDepth {
			enipRoute(s, route.RoutePathWords, route.RoutePath)
			routeDepth = -1
		}
		if us, ok := st.call(s, &call); ok {
			route, routeDepth = us, int(call.Depth)
		}
	}
	if routeDepth >= 0 {
		enipRoute(s, route.RoutePathWords, route.RoutePath)
	}
}

func enipRoute(s Sink, words uint8, p enip.Path) {
	s.Uint("cip.cm.route_path_size", uint64(words))
	enipPath(s, p)
}

// call emits one CIP service. For an Unconnected Send request it returns
// the request, whose route path is emitted after the service it carries.
func (st *enipState) call(s Sink, c *enip.Call) (enip.UnconnectedSend, bool) {
	m := &c.Msg
	svc := uint64(m.Service)
	if m.Response {
		svc |= 0x80
	}
	s.Uint("cip.service", svc)
	r := c.Request
	if m.Response {
		s.Uint("cip.genstat", uint64(m.Status))
		s.Uint("cip.addstat_size", uint64(m.ExtStatus.Len()))
		for _, w := range m.ExtStatus.All {
			s.Uint("cip.addstat", uint64(w))
		}
		if r != nil {
			// Wireshark shows the request's path with the reply; the reply
			// to an Unconnected Send is its embedded request's, shown with
			// the Unconnected Send's path and route.
			if v := c.Via; v != nil {
				s.Uint("cip.request_path_size", uint64(v.PathWords()))
				enipPath(s, v.Path())
			}
			s.Uint("cip.request_path_size", uint64(r.PathWords()))
			enipPath(s, r.Path())
			if v := c.Via; v != nil {
				if p, words, ok := v.RoutePath(); ok {
					enipRoute(s, words, p)
				}
			}
		}
	} else {
		s.Uint("cip.request_path_size", uint64(m.PathWords))
		enipPath(s, m.Path)
	}
	if c.Err != nil {
		return enip.UnconnectedSend{}, false
	}
	ctx := c.Context()
	if m.Service < 0x32 {
		// Common services mean the same on every class.
		ctx = enip.ContextGeneric
	}
	switch {
	case m.Service == enip.SvcMultipleServicePacket:
		if len(m.Data) >= 2 {
			msgs := m.Multiple()
			s.Uint("cip.msp.num_services", uint64(msgs.Count()))
		}
	case ctx == enip.ContextConnectionManager:
		return st.connMgr(s, c)
	case ctx == enip.ContextLogix:
		if m.Response {
			if tr, ok := c.TagReply(); ok {
				s.Uint("cip.data_type", uint64(tr.Type.Code))
				st.tagValue(s, tr.Value())
			}
		} else if tr, ok := m.TagRequest(); ok {
			switch tr.Service {
			case enip.SvcReadTag, enip.SvcReadTagFragmented:
				s.Uint("cip.rtd.elements", uint64(tr.Elements))
			case enip.SvcWriteTag, enip.SvcWriteTagFragmented:
				s.Uint("cip.rtd.elements", uint64(tr.Elements))
				st.tagValue(s, tr.Value())
			}
		}
	case ctx == enip.ContextPCCC:
		var pc enip.PCCC
		var ok bool
		if m.Response {
			pc, ok = m.PCCCReply(ctx)
		} else {
			pc, ok = m.PCCC()
		}
		if ok {
			enipPCCC(s, m.Response, &pc)
		}
	default:
		enipGeneric(s, c)
	}
	return enip.UnconnectedSend{}, false
}

// tagValue emits a tag value read or written, as text, element by element
// (our own field: Wireshark shows Logix data as bytes). A REAL prints as the
// float32 it is.
func (st *enipState) tagValue(s Sink, v enip.Value) {
	if txt, ok := v.Text(); ok {
		s.Text("cip.tag.value", txt)
		return
	}
	for _, e := range v.All {
		b, _ := e.AppendText(st.text[:0])
		s.Text("cip.tag.value", b)
	}
}

func enipPCCC(s Sink, response bool, pc *enip.PCCC) {
	if response {
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
	if pc.Status == 0xF0 && response {
		s.Uint("cip.pccc.es.status", uint64(pc.ExtStatus))
	}
}

// enipPath emits the fields of each segment of a path.
func enipPath(s Sink, p enip.Path) {
	it := p.Segments()
	for it.Next() {
		seg := it.Segment()
		switch seg.Type {
		case enip.SegPort:
			route, _ := seg.Route()
			s.Uint("cip.port", uint64(route.Port))
			if slot, ok := route.Slot(); ok {
				s.Uint("cip.linkaddress.byte", uint64(slot))
			} else {
				s.Text("cip.linkaddress.string", route.Link)
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
}

// connMgr emits Connection Manager services. For an Unconnected Send
// request it returns the request, whose route the caller emits after the
// embedded service.
func (st *enipState) connMgr(s Sink, c *enip.Call) (enip.UnconnectedSend, bool) {
	m := &c.Msg
	r := c.Request
	switch m.Service {
	case enip.SvcForwardOpen, enip.SvcLargeForwardOpen:
		if !m.Response {
			fo, ok := m.ForwardOpen()
			enipForwardOpen(s, &fo)
			if ok {
				enipPath(s, fo.ConnPath)
			}
		} else if rep, ok := m.ForwardOpenReply(c.Context()); ok {
			s.Uint("cip.cm.ot_connid", uint64(rep.OTConnID))
			s.Uint("cip.cm.to_connid", uint64(rep.TOConnID))
			enipTriad(s, rep.Triad)
			s.Uint("cip.cm.otapi", uint64(rep.OTAPI))
			s.Uint("cip.cm.toapi", uint64(rep.TOAPI))
			s.Uint("cip.cm.app_reply_size", uint64(len(rep.AppReply)/2))
			if r != nil {
				// Wireshark shows the request's connection path.
				if p, words, ok := r.ConnPath(); ok {
					s.Uint("cip.cm.connpath_size", uint64(words))
					enipPath(s, p)
				}
			}
		} else if f, ok := m.ConnectionReplyTriad(c.Context()); ok {
			enipTriad(s, f.Triad)
		}
	case enip.SvcForwardClose:
		if !m.Response {
			if fc, ok := m.ForwardClose(); ok {
				enipTriad(s, fc.Triad)
				s.Uint("cip.cm.connpath_size", uint64(fc.ConnPathWords))
				enipPath(s, fc.ConnPath)
				if conn, ok := st.tracker.LookupTriad(fc.Triad); ok {
					enipPath(s, conn.ConnPath())
				}
			}
		} else if f, ok := m.ConnectionReplyTriad(c.Context()); ok {
			enipTriad(s, f.Triad)
			// Wireshark shows the Forward Close request's connection path.
			if r != nil {
				if p, words, ok := r.ConnPath(); ok {
					s.Uint("cip.cm.connpath_size", uint64(words))
					enipPath(s, p)
				}
			} else if conn, ok := st.tracker.LookupTriad(f.Triad); ok {
				p := conn.ConnPath()
				s.Uint("cip.cm.connpath_size", uint64(len(p)/2))
				enipPath(s, p)
			}
		}
	case enip.SvcUnconnectedSend:
		if m.Response {
			// The failed reply shows the request's route path.
			if r != nil {
				if p, words, ok := r.RoutePath(); ok {
					enipRoute(s, words, p)
				}
			}
			break
		}
		if us, ok := m.UnconnectedSend(); ok {
			s.Uint("cip.cm.msg_req_size", uint64(len(us.Embedded)))
			return us, true
		}
	}
	return enip.UnconnectedSend{}, false
}

func enipTriad(s Sink, t enip.ConnectionTriad) {
	s.Uint("cip.cm.conn_serial_num", uint64(t.SerialNumber))
	s.Uint("cip.cm.vendor", uint64(t.VendorID))
	s.Uint("cip.cm.orig_serial_num", uint64(t.OrigSerial))
}

// enipForwardOpen emits the fields a Forward Open request decoded, as far
// as it could.
func enipForwardOpen(s Sink, fo *enip.ForwardOpen) {
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
}

// enipGeneric emits common services: attribute ids and, for the classes
// whose attributes the enip package decodes, their values.
func enipGeneric(s Sink, c *enip.Call) {
	m := &c.Msg
	r := c.Request
	switch m.Service {
	case enip.SvcGetAttributeList:
		if !m.Response {
			if al, _ := m.AttributeList(); al.Len() > 0 {
				for _, id := range al.All {
					s.Uint("cip.attribute", uint64(id))
				}
			}
			return
		}
		// Without the request the class is unknown: Wireshark then shows
		// the first attribute id and stops.
		enipAttributes(s, c, 0)
	case enip.SvcSetAttributeList:
		if m.Response || m.Target().HasClass {
			enipAttributes(s, c, 0)
		}
	case enip.SvcGetAttributesAll:
		if m.Response && r != nil && r.HasClass && m.Status == enip.StatusOK {
			// Wireshark shows Identity attributes 1-7 only.
			last := uint32(0)
			if r.Class == enip.ClassIdentity {
				last = 7
			}
			enipAttributes(s, c, last)
		}
	case enip.SvcGetAttributeSingle:
		if m.Response && r != nil && r.HasClass && r.HasAttribute && m.Status == enip.StatusOK {
			v := m.Data
			if n, ok := enip.AttributeSize(r.Class, r.Attribute, v); ok {
				v = v[:n]
			}
			enipAttr(s, r.Class, r.Attribute, v)
		}
	}
}

// enipAttributes emits the attributes of a list service or of Get
// Attributes All, up to attribute last when it is not 0.
func enipAttributes(s Sink, c *enip.Call, last uint32) {
	var class enip.Class
	if c.Request != nil {
		class = c.Request.Class
	}
	attrs := c.Attributes()
	for attrs.Next() {
		a := attrs.Attribute()
		if last != 0 && a.ID > last {
			return
		}
		s.Uint("cip.attribute", uint64(a.ID))
		if a.Value != nil {
			enipAttr(s, class, a.ID, a.Value)
		}
	}
}

// enipAttr emits the value of attribute id of class.
func enipAttr(s Sink, class enip.Class, id uint32, b []byte) {
	switch class {
	case enip.ClassIdentity:
		var o enip.Identity
		if !o.SetAttribute(id, b) {
			return
		}
		switch id {
		case 1:
			s.Uint("cip.id.vendor_id", uint64(o.VendorID))
		case 2:
			s.Uint("cip.id.device_type", uint64(o.DeviceType))
		case 3:
			s.Uint("cip.id.product_code", uint64(o.ProductCode))
		case 4:
			s.Uint("cip.id.major_rev", uint64(o.Revision.Major))
			s.Uint("cip.id.minor_rev", uint64(o.Revision.Minor))
		case 5:
			s.Uint("cip.id.status", uint64(o.Status))
		case 6:
			s.Uint("cip.id.serial_number", uint64(o.SerialNumber))
		case 7:
			s.Text("cip.id.product_name", o.ProductName)
		case 8:
			s.Uint("cip.id.state", uint64(o.State))
		case 9:
			s.Uint("cip.id.config_consistency_value", uint64(o.ConfigConsistency))
		case 10:
			s.Uint("cip.id.heartbeat_interval", uint64(o.HeartbeatInterval))
		}
	case enip.ClassTCPIP:
		var o enip.TCPIPInterface
		if !o.SetAttribute(id, b) {
			return
		}
		switch id {
		case 1:
			s.Uint("cip.tcpip.status", uint64(o.Status))
		case 2:
			s.Uint("cip.tcpip.config_cap", uint64(o.ConfigCapability))
		case 3:
			s.Uint("cip.tcpip.config_control", uint64(o.ConfigControl))
		case 4:
			enipPath(s, o.PhysicalLink)
		case 5:
			s.Text("cip.tcpip.domain_name", o.Config.DomainName)
		case 6:
			s.Text("cip.tcpip.hostname", o.HostName)
		}
	case enip.ClassEthernetLink:
		var o enip.EthernetLink
		if !o.SetAttribute(id, b) {
			return
		}
		switch id {
		case 1:
			s.Uint("cip.elink.interface_speed", uint64(o.Speed))
		case 2:
			s.Uint("cip.elink.iflags", uint64(o.Flags))
		case 3:
			// b is the attribute's value, the six address bytes.
			s.Bytes("cip.elink.physical_address", b)
		}
	}
}
