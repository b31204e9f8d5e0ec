package dissect

import (
	"github.com/icsdissect/icsdissect/pcapx"
	"github.com/icsdissect/icsdissect/s7comm"
)

// s7State holds the free s7comm.Conns and scratch space for anomaly names.
type s7State struct {
	pool connPool[s7comm.Conn]
	// text is scratch space for anomaly names.
	text [64]byte
}

func (d *Dissector) s7comm(s Sink, p *pcapx.PDU) Result {
	c := connFor(&d.s7.pool, p)
	if p.Gap {
		c.Gap(p.ToServer)
	}
	m, err := c.Decode(p.Data, p.ToServer, p.Time.UnixNano())
	return s7commMessage(s, m, err, &d.s7.text)
}

// s7commMessage emits Wireshark's tpkt.*, cotp.* and s7comm.* fields of one
// decoded packet in Wireshark's order, and the anomaly flags of the packet
// and of its connection.
func s7commMessage(s Sink, m *s7comm.Message, err error, text *[64]byte) Result {
	f := &m.Frame
	if f.TPKTVersion == 0 && err != nil {
		return Result{Func: "malformed", Err: err}
	}
	s.Uint("tpkt.version", uint64(f.TPKTVersion))
	s.Uint("tpkt.reserved", uint64(f.TPKTReserved))
	s.Uint("tpkt.length", uint64(f.TPKTLength))
	if err == s7comm.ErrTPKT || err == s7comm.ErrTruncated ||
		(err == s7comm.ErrLength && f.TPKTLength < 7) {
		return Result{Func: "malformed", Err: err}
	}
	fn := s7cotpFields(s, f)
	switch f.Kind {
	case s7comm.KindS7:
		fn = s7pduFields(s, &f.PDU)
	case s7comm.KindS7Plus:
		if h, ok := f.Plus(); ok {
			fn = s7plusFields(s, &h)
		}
	}
	for a := range (f.Anomalies | m.Anomalies).All {
		b, _ := a.AppendText(text[:0])
		s.Text("s7comm.anomaly", b)
	}
	return Result{Func: fn, Err: err}
}

func s7cotpFields(s Sink, f *s7comm.Frame) string {
	c := &f.COTP
	s.Uint("cotp.li", uint64(c.LI))
	s.Uint("cotp.type", uint64(c.Type))
	switch c.Type {
	case s7comm.TPDUConnectRequest, s7comm.TPDUConnectConfirm:
		s.Uint("cotp.destref", uint64(c.DstRef))
		s.Uint("cotp.srcref", uint64(c.SrcRef))
		s.Uint("cotp.class", uint64(c.Class))
		s.Bool("cotp.opts.extended_formats", c.Options&2 != 0)
		s.Bool("cotp.opts.no_explicit_flow_control", c.Options&1 != 0)
	case s7comm.TPDUDisconnectReq:
		s.Uint("cotp.destref", uint64(c.DstRef))
		s.Uint("cotp.srcref", uint64(c.SrcRef))
		s.Uint("cotp.reason", uint64(c.Reason))
	case s7comm.TPDUDisconnectConf:
		s.Uint("cotp.destref", uint64(c.DstRef))
		s.Uint("cotp.srcref", uint64(c.SrcRef))
	case s7comm.TPDUData, s7comm.TPDUExpeditedData:
		if c.Type == s7comm.TPDUExpeditedData || c.LI >= 4 {
			s.Uint("cotp.destref", uint64(c.DstRef))
		}
		s.Uint("cotp.tpdu-number", uint64(c.TPDUNumber))
		s.Bool("cotp.eot", c.EOT)
	case s7comm.TPDUDataAck, s7comm.TPDUExpeditedAck, s7comm.TPDUReject:
		s.Uint("cotp.destref", uint64(c.DstRef))
		s.Uint("cotp.next-tpdu-number", uint64(c.TPDUNumber))
	case s7comm.TPDUError:
		s.Uint("cotp.destref", uint64(c.DstRef))
		s.Uint("cotp.reject-cause", uint64(c.Reason))
	}
	params := c.Parameters()
	for params.Next() {
		pr := params.COTPParam()
		switch pr.Code {
		case s7comm.ParamTPDUSize:
			if size, ok := c.TPDUSize(); ok {
				s.Uint("cotp.tpdu_size", uint64(size))
			}
		case s7comm.ParamCallingTSAP, s7comm.ParamCalledTSAP:
			if c.Type != s7comm.TPDUConnectRequest && c.Type != s7comm.TPDUConnectConfirm {
				break
			}
			name := "cotp.src-tsap"
			if pr.Code == s7comm.ParamCalledTSAP {
				name = "cotp.dst-tsap"
			}
			s7tsap(s, name, s7comm.TSAP(pr.Value))
			if rack, slot, ok := s7comm.TSAP(pr.Value).RackSlot(); ok {
				if pr.Code == s7comm.ParamCalledTSAP {
					s.Uint("s7comm.cotp.dst_rack", uint64(rack))
					s.Uint("s7comm.cotp.dst_slot", uint64(slot))
				} else {
					s.Uint("s7comm.cotp.src_rack", uint64(rack))
					s.Uint("s7comm.cotp.src_slot", uint64(slot))
				}
			}
		}
	}
	switch c.Type {
	case s7comm.TPDUConnectRequest:
		return "COTP connect request"
	case s7comm.TPDUConnectConfirm:
		return "COTP connect confirm"
	case s7comm.TPDUDisconnectReq:
		return "COTP disconnect request"
	case s7comm.TPDUDisconnectConf:
		return "COTP disconnect confirm"
	case s7comm.TPDUData:
		if f.Kind == s7comm.KindFragment {
			return "COTP fragment"
		}
		return "COTP data"
	}
	return "COTP"
}

// s7tsap emits a TSAP as Wireshark shows it: text when printable, else a
// number (hex in tshark) or bytes.
func s7tsap(s Sink, name string, t s7comm.TSAP) {
	if t.Printable() {
		s.Text(name, t)
	} else if v, ok := t.Uint(); ok {
		s.Uint(name, v)
	} else {
		s.Bytes(name, t)
	}
}

func s7pduFields(s Sink, p *s7comm.PDU) string {
	s.Uint("s7comm.header.protid", uint64(p.ProtocolID))
	s.Uint("s7comm.header.rosctr", uint64(p.ROSCTR))
	s.Uint("s7comm.header.redid", uint64(p.RedundancyID))
	s.Uint("s7comm.header.pduref", uint64(p.PDURef))
	s.Uint("s7comm.header.parlg", uint64(p.ParamLen))
	s.Uint("s7comm.header.datlg", uint64(p.DataLen))
	if p.HasError {
		s.Uint("s7comm.header.errcls", uint64(p.ErrorClass))
		s.Uint("s7comm.header.errcod", uint64(p.ErrorCode))
		if p.ErrorClass != 0 || p.ErrorCode != 0 {
			s.Uint("s7comm.param.errcod", uint64(p.ErrorClass)<<8|uint64(p.ErrorCode))
		}
	}
	switch p.ROSCTR {
	case s7comm.Job, s7comm.AckData:
		return s7jobFields(s, p)
	case s7comm.Userdata:
		return s7userdataFields(s, p)
	case s7comm.Ack:
		return "ack"
	}
	return "unknown"
}

func s7jobFields(s Sink, p *s7comm.PDU) string {
	fn, ok := p.Function()
	if !ok {
		return p.ROSCTR.String()
	}
	s.Uint("s7comm.param.func", uint64(fn))
	switch fn {
	case s7comm.FuncSetupComm:
		sc, _ := p.SetupComm()
		if sc.Fields > 0 {
			s.Uint("s7comm.param.setup_reserved1", uint64(sc.Reserved))
		}
		if sc.Fields > 1 {
			s.Uint("s7comm.param.maxamq_calling", uint64(sc.MaxAmQCalling))
		}
		if sc.Fields > 2 {
			s.Uint("s7comm.param.maxamq_called", uint64(sc.MaxAmQCalled))
		}
		if sc.Fields > 3 {
			s.Uint("s7comm.param.pdu_length", uint64(sc.PDULength))
		}
	case s7comm.FuncReadVar, s7comm.FuncWriteVar:
		n, ok := p.ItemCount()
		if !ok {
			break
		}
		s.Uint("s7comm.param.itemcount", uint64(n))
		if p.ROSCTR == s7comm.Job {
			it := p.Items()
			s7items(s, &it)
		}
		if rc, ok := p.WriteResults(); ok {
			s7returnCodes(s, rc)
		} else {
			it := p.DataItems()
			s7dataItems(s, &it)
		}
	case s7comm.FuncRequestDownload, s7comm.FuncDownloadBlock, s7comm.FuncDownloadEnded,
		s7comm.FuncStartUpload, s7comm.FuncUpload, s7comm.FuncEndUpload:
		if bc, ok := p.BlockControl(); ok {
			if bc.HasStatus {
				s.Uint("s7comm.param.blockcontrol.functionstatus", uint64(bc.Status))
			}
			if len(bc.FileName) > 0 {
				s.Uint("s7comm.param.blockcontrol.filename_len", uint64(len(bc.FileName)))
				s.Text("s7comm.param.blockcontrol.filename", bc.FileName)
				if bn, ok := bc.Block(); ok && bn.Ident != nil {
					s.Text("s7comm.data.blockcontrol.file_identifier", bn.Ident)
					s.Text("s7comm.data.blockcontrol.block_type", bn.Type)
					s.Text("s7comm.data.blockcontrol.block_number", bn.Number)
					s.Text("s7comm.data.blockcontrol.dest_filesys", bn.FileSystem)
				}
			}
			if bc.HasUploadID && (fn == s7comm.FuncStartUpload || fn == s7comm.FuncUpload || fn == s7comm.FuncEndUpload) {
				s.Uint("s7comm.data.blockcontrol.uploadid", uint64(bc.UploadID))
			}
		}
		if bd, ok := p.BlockData(); ok {
			s.Uint("s7comm.data.length", uint64(bd.Length))
			s.Bytes("s7comm.resp.data", bd.Data)
		}
	case s7comm.FuncPIService, s7comm.FuncPLCStop:
		if st, ok := p.FunctionStatus(); ok && p.ROSCTR == s7comm.AckData {
			s.Uint("s7comm.param.blockcontrol.functionstatus", uint64(st))
		}
		if pi, ok := p.PIService(); ok {
			if fn == s7comm.FuncPIService {
				s.Uint("s7comm.param.pistart.parameterblock_len", uint64(len(pi.Params)))
				s.Bytes("s7comm.param.pistart.parameterblock", pi.Params)
				if a, ok := pi.Argument(); ok && len(a) > 0 {
					s.Text("s7comm.param.pistart.argument", a)
				}
				if bl, ok := pi.Blocks(); ok {
					for bl.Next() {
						name := bl.BlockName()
						s.Text("s7comm.param.blockcontrol.filename", name.Name)
						s.Text("s7comm.data.blockcontrol.block_type", name.Type)
						s.Text("s7comm.data.blockcontrol.block_number", name.Number)
						s.Text("s7comm.data.blockcontrol.dest_filesys", name.FileSystem)
					}
				}
			}
			s.Text("s7comm.param.pistart.servicename", pi.Service)
		}
	}
	return fn.String()
}

func s7returnCodes(s Sink, rc s7comm.ReturnCodes) {
	for _, c := range rc.All {
		s.Uint("s7comm.data.returncode", uint64(c))
	}
}

func s7items(s Sink, it *s7comm.Items) {
	for it.Next() {
		item := it.Item()
		s.Uint("s7comm.param.item.varspec", uint64(item.VarSpec))
		s.Uint("s7comm.param.item.varspec_length", uint64(item.AddrLen))
		s.Uint("s7comm.param.item.syntaxid", uint64(item.Syntax))
		switch item.Syntax {
		case s7comm.SyntaxS7Any:
			s.Uint("s7comm.param.item.transp_size", uint64(item.TransportSize))
			s.Uint("s7comm.param.item.length", uint64(item.Count))
			s.Uint("s7comm.param.item.db", uint64(item.DB))
			s.Uint("s7comm.param.item.area", uint64(item.Area))
			if n, ok := item.Number(); ok {
				s.Uint("s7comm.param.item.address.number", uint64(n))
			} else {
				b, _ := item.Byte()
				bit, _ := item.Bit()
				s.Uint("s7comm.param.item.address.byte", uint64(b))
				s.Uint("s7comm.param.item.address.bit", uint64(bit))
			}
		case s7comm.SyntaxDBRead:
			s.Uint("s7comm.param.item.dbread.numareas", uint64(item.NumAreas))
			areas := item.DBReadAreas()
			for areas.Next() {
				ar := areas.DBReadArea()
				s.Uint("s7comm.param.item.dbread.length", uint64(ar.Length))
				s.Uint("s7comm.param.item.dbread.db", uint64(ar.DB))
				s.Uint("s7comm.param.item.dbread.startaddress", uint64(ar.Start))
			}
		default:
			s.Bytes("s7comm.param.item.spec", item.Spec)
		}
	}
}

func s7dataItems(s Sink, it *s7comm.DataItems) {
	for it.Next() {
		d := it.DataItem()
		s.Uint("s7comm.data.returncode", uint64(d.ReturnCode))
		s.Uint("s7comm.data.transportsize", uint64(d.Size))
		s.Uint("s7comm.data.length", uint64(d.Length))
		if len(d.Value) > 0 {
			s.Bytes("s7comm.resp.data", d.Value)
		}
		if d.Fill {
			s.Uint("s7comm.data.fillbyte", 0)
		}
	}
}

func s7userdataFields(s Sink, p *s7comm.PDU) string {
	u, ok := p.Userdata()
	if !ok {
		return "userdata"
	}
	s.Uint("s7comm.param.userdata.head", uint64(u.Head))
	s.Uint("s7comm.param.userdata.length", uint64(u.Len))
	s.Uint("s7comm.param.userdata.reqres1", uint64(u.Method))
	s.Uint("s7comm.param.userdata.type", uint64(u.Type))
	s.Uint("s7comm.param.userdata.funcgroup", uint64(u.Group))
	if u.Group == s7comm.GroupModeTransition {
		s.Uint("s7comm.param.modetrans.subfunc", uint64(u.Subfunc))
	} else {
		s.Uint("s7comm.param.userdata.subfunc", uint64(u.Subfunc))
	}
	s.Uint("s7comm.param.userdata.seq_num", uint64(u.Seq))
	if u.HasDataUnit {
		s.Uint("s7comm.param.userdata.dataunitref", uint64(u.DataUnitRef))
		s.Uint("s7comm.param.userdata.lastdataunit", uint64(u.LastDataUnit))
		s.Uint("s7comm.param.errcod", uint64(u.ErrorCode))
	}
	d, ok := p.UserdataData()
	if !ok {
		return u.Group.String()
	}
	s.Uint("s7comm.data.returncode", uint64(d.ReturnCode))
	s.Uint("s7comm.data.transportsize", uint64(d.Size))
	s.Uint("s7comm.data.length", uint64(d.Length))
	switch u.Group {
	case s7comm.GroupCPU:
		if req, resp, isResp, ok := p.ReadSZL(); ok {
			s.Uint("s7comm.data.userdata.szl_id", uint64(req.ID))
			s.Uint("s7comm.data.userdata.szl_index", uint64(req.Index))
			if isResp && resp.HasCounts {
				s.Uint("s7comm.data.userdata.szl_id.partlist_len", uint64(resp.RecordLen))
				s.Uint("s7comm.data.userdata.szl_id.partlist_cnt", uint64(resp.RecordCount))
				s7szlFields(s, resp)
			}
		} else if a, ok := p.Alarm(); ok {
			if a.HasTimestamp {
				s7timestamp(s, a.Timestamp)
			}
			s.Uint("s7comm.alarm.function", uint64(a.Function))
			s.Uint("s7comm.alarm.nr_objects", uint64(a.NumObjects))
			objs := a.Objects()
			for objs.Next() {
				o := objs.AlarmObject()
				if a.Response {
					s.Uint("s7comm.data.returncode", uint64(o.ReturnCode))
					continue
				}
				s.Uint("s7comm.param.item.varspec", uint64(o.VarSpec))
				s.Uint("s7comm.param.item.varspec_length", uint64(o.AddrLen))
				s.Uint("s7comm.param.item.syntaxid", uint64(o.Syntax))
				switch o.Syntax {
				case s7comm.SyntaxAlarmQueryReq:
					if o.QueryType == 1 {
						s.Uint("s7comm.alarm.query.alarmtype", uint64(o.EventID))
					} else if o.QueryType == 2 {
						s.Uint("s7comm.alarm.event_id", uint64(o.EventID))
					}
				case s7comm.SyntaxAlarmLockFree, s7comm.SyntaxAlarmInd, s7comm.SyntaxNotifyInd, s7comm.SyntaxAlarmAck:
					s.Uint("s7comm.alarm.event_id", uint64(o.EventID))
				}
				vi := o.AssociatedValues()
				s7dataItems(s, &vi)
			}
		} else if e, ok := p.DiagMessage(); ok {
			s7diagFields(s, e)
		} else if q, ok := p.AlarmQuery(); ok {
			s.Uint("s7comm.alarm.function", uint64(q.Function))
			s.Uint("s7comm.alarm.nr_objects", uint64(q.NumObjects))
			if q.HasHead {
				s.Uint("s7comm.data.returncode", uint64(q.ReturnCode))
				s.Uint("s7comm.data.transportsize", uint64(q.Size))
				s.Uint("s7comm.alarm.query.complete_length", uint64(q.CompleteLen))
			}
			sets := q.Datasets()
			for sets.Next() {
				ds := sets.AlarmDataset()
				s.Uint("s7comm.alarm.query.alarmtype", uint64(ds.AlarmType))
				s.Uint("s7comm.alarm.event_id", uint64(ds.EventID))
				if c, g, ok := ds.AssociatedValues(); ok {
					s7timestamp(s, ds.Coming)
					s7dataItems(s, &c)
					s7timestamp(s, ds.Going)
					s7dataItems(s, &g)
				}
			}
		}
	case s7comm.GroupProgrammer:
		if t, ok := p.TIS(); ok {
			s.Uint("s7comm.tis.parametersize", uint64(t.ParamSize))
			s.Uint("s7comm.tis.datasize", uint64(t.DataSize))
			if n, ok := t.ItemCount(); ok {
				s.Uint("s7comm.varstat.item_count", uint64(n))
				addrs := t.Addresses()
				for addrs.Next() {
					ad := addrs.VarAddr()
					s.Uint("s7comm.varstat.req.memory_area", uint64(ad.Area))
					s.Uint("s7comm.varstat.req.db_number", uint64(ad.DB))
					s.Uint("s7comm.varstat.req.startaddress", uint64(ad.Start))
				}
				vi := t.DataItems()
				s7dataItems(s, &vi)
				if rc, ok := t.Results(); ok {
					s7returnCodes(s, rc)
				}
			}
		}
	case s7comm.GroupCyclic:
		if c, ok := p.Cyclic(); ok {
			s.Uint("s7comm.param.itemcount", uint64(c.ItemCount))
			s.Uint("s7comm.cyclic.interval_timebase", uint64(c.TimeBase))
			s.Uint("s7comm.cyclic.interval_time", uint64(c.TimeFactor))
			it := c.Items()
			s7items(s, &it)
		} else if it, ok := p.CyclicData(); ok {
			s.Uint("s7comm.param.itemcount", uint64(it.Count()))
			s7dataItems(s, &it)
		}
	case s7comm.GroupTime:
		if t, ok := p.Clock(); ok {
			s7timestamp(s, t)
		}
	case s7comm.GroupBlock:
		if bi, ok := p.BlockInfo(); ok {
			s.Uint("s7comm.blockinfo.flags", uint64(bi.Flags))
			s.Uint("s7comm.blockinfo.block_lang", uint64(bi.Language))
			s.Uint("s7comm.blockinfo.subblk_type", uint64(bi.SubblockType))
			s.Uint("s7comm.blockinfo.block_num", uint64(bi.Number))
			s.Uint("s7comm.blockinfo.load_mem_len", uint64(bi.LoadMemLen))
			s.Uint("s7comm.blockinfo.ssb_len", uint64(bi.SSBLen))
			s.Uint("s7comm.blockinfo.add_len", uint64(bi.AddLen))
			s.Uint("s7comm.blockinfo.localdata_len", uint64(bi.LocalDataLen))
			s.Uint("s7comm.blockinfo.mc7_len", uint64(bi.MC7Len))
			s.Text("s7comm.blockinfo.author", bi.Author)
			s.Text("s7comm.blockinfo.family", bi.Family)
			s.Text("s7comm.blockinfo.headername", bi.Name)
			s.Uint("s7comm.blockinfo.checksum", uint64(bi.Checksum))
		} else if l, ok := p.BlockCounts(); ok {
			for _, c := range l.All {
				s.Uint("s7comm.blockinfo.block_type", uint64(c.Type))
				s.Uint("s7comm.blockinfo.block_count", uint64(c.Count))
			}
		} else if l, ok := p.BlockEntries(); ok {
			for _, e := range l.All {
				s.Uint("s7comm.blockinfo.block_num", uint64(e.Number))
				s.Uint("s7comm.blockinfo.flags", uint64(e.Flags))
				s.Uint("s7comm.blockinfo.block_lang", uint64(e.Language))
			}
		}
	}
	return u.Group.String()
}

func s7szlFields(s Sink, z s7comm.SZL) {
	for _, rec := range z.Records().All {
		switch {
		case z.PartialList() == 0x11:
			if m, ok := s7comm.ParseModuleID(rec); ok {
				s.Uint("s7comm.szl.xy11.0001.index", uint64(m.Index))
				s.Text("s7comm.szl.xy11.0001.anz", m.OrderNumber)
				s.Uint("s7comm.szl.xy11.0001.bgtyp", uint64(m.ModuleType))
				s.Uint("s7comm.szl.xy11.0001.ausbg", uint64(m.Version))
				s.Uint("s7comm.szl.xy11.0001.ausbe", uint64(m.Release))
			}
		case z.PartialList() == 0x1c:
			if c, ok := s7comm.ParseComponentID(rec); ok {
				s7componentFields(s, c)
			}
		case z.ID == s7comm.SZLList:
			if id, ok := s7comm.ParseSZLID(rec); ok {
				s.Uint("s7comm.szl.0000.0000.szl_id", uint64(id))
			}
		case z.ID == s7comm.SZLCommCapability && z.Index == 0x0001:
			if c, ok := s7comm.ParseCommCapability(rec); ok {
				s.Uint("s7comm.szl.0131.0001.index", uint64(c.Index))
				s.Uint("s7comm.szl.0131.0001.pdu", uint64(c.MaxPDU))
				s.Uint("s7comm.szl.0131.0001.anz", uint64(c.MaxConnections))
				s.Uint("s7comm.szl.0131.0001.mpi_bps", uint64(c.MPIRate))
				s.Uint("s7comm.szl.0131.0001.kbus_bps", uint64(c.KBusRate))
			}
		case z.ID == s7comm.SZLProtection && z.Index == 0x0004:
			if pr, ok := s7comm.ParseProtection(rec); ok {
				s.Uint("s7comm.szl.0132.0004.index", uint64(pr.Index))
				s.Uint("s7comm.szl.0132.0004.key", uint64(pr.KeySwitch))
				s.Uint("s7comm.szl.0132.0004.param", uint64(pr.Assigned))
				s.Uint("s7comm.szl.0132.0004.real", uint64(pr.Valid))
				s.Uint("s7comm.szl.0132.0004.bart_sch", uint64(pr.ModeSwitch))
				s.Uint("s7comm.szl.0132.0004.crst_wrst", uint64(pr.ResetSwitch))
				s.Uint("s7comm.szl.0132.0004.ken_rel", uint64(pr.VersionID))
				s.Uint("s7comm.szl.0132.0004.ken_ver1_hw", uint64(pr.HWChecksum1))
				s.Uint("s7comm.szl.0132.0004.ken_ver2_hw", uint64(pr.HWChecksum2))
				s.Uint("s7comm.szl.0132.0004.ken_ver1_awp", uint64(pr.PrgChecksum1))
				s.Uint("s7comm.szl.0132.0004.ken_ver2_awp", uint64(pr.PrgChecksum2))
			}
		case z.PartialList() == 0x24:
			if m, ok := s7comm.ParseCPUMode(rec); ok {
				s.Uint("s7comm.szl.0424.0000.ereig", uint64(m.Event))
				s.Uint("s7comm.szl.0424.0000.ae", uint64(m.AE))
				s.Uint("s7comm.szl.0424.0000.bzu_id", uint64(m.Previous)<<4|uint64(m.Requested))
				s.Uint("s7comm.szl.0424.0000.anlinfo1", uint64(m.Info[0]))
				s.Uint("s7comm.szl.0424.0000.anlinfo2", uint64(m.Info[1]))
				s.Uint("s7comm.szl.0424.0000.anlinfo3", uint64(m.Info[2]))
				s.Uint("s7comm.szl.0424.0000.anlinfo4", uint64(m.Info[3]))
			}
		case z.PartialList() == 0x74 || z.ID == 0x0019:
			if l, ok := s7comm.ParseLED(rec); ok {
				s.Uint("s7comm.szl.xy74.0000.cpu_led_id", uint64(l.LEDID))
				s.Uint("s7comm.szl.xy74.0000.led_on", uint64(l.On))
				s.Uint("s7comm.szl.xy74.0000.led_blink", uint64(l.Blink))
			}
		case z.ID == s7comm.SZLDiagBuffer:
			if d, ok := s7comm.ParseDiagEntry(rec); ok {
				s7diagFields(s, d)
			}
		default:
			s.Bytes("s7comm.szl.record", rec)
		}
	}
}

func s7diagFields(s Sink, d s7comm.DiagEntry) {
	s.Uint("s7comm.cpu.diag_msg.eventid", uint64(d.EventID))
	s.Uint("s7comm.cpu.diag_msg.prioclass", uint64(d.Priority))
	s.Uint("s7comm.cpu.diag_msg.obnumber", uint64(d.OBNumber))
	s.Uint("s7comm.cpu.diag_msg.datid", uint64(d.DatID))
	s.Uint("s7comm.cpu.diag_msg.info1", uint64(d.Info1))
	s.Uint("s7comm.cpu.diag_msg.info2", uint64(d.Info2))
	s7timestamp(s, d.Time)
}

// s7timestamp emits an S7 BCD timestamp as Wireshark's s7comm.data.ts_*.
func s7timestamp(s Sink, t s7comm.Timestamp) {
	if t.HasYear1 {
		s.Uint("s7comm.data.ts_reserved", uint64(t.Reserved))
		s.Uint("s7comm.data.ts_year1", uint64(t.Year1))
	}
	s.Uint("s7comm.data.ts_year2", uint64(t.Year%100))
	s.Uint("s7comm.data.ts_month", uint64(t.Month))
	s.Uint("s7comm.data.ts_day", uint64(t.Day))
	s.Uint("s7comm.data.ts_hour", uint64(t.Hour))
	s.Uint("s7comm.data.ts_minute", uint64(t.Minute))
	s.Uint("s7comm.data.ts_second", uint64(t.Second))
	s.Uint("s7comm.data.ts_millisecond", uint64(t.Millisecond))
	s.Uint("s7comm.data.ts_weekday", uint64(t.Weekday))
}

func s7componentFields(s Sink, c s7comm.ComponentID) {
	s.Uint("s7comm.szl.001c.000x.index", uint64(c.Index))
	switch c.Index {
	case s7comm.CompPLCName:
		s.Text("s7comm.szl.001c.0001.name", c.Text)
	case s7comm.CompModuleName:
		s.Text("s7comm.szl.001c.0002.name", c.Text)
	case s7comm.CompPlantID:
		s.Text("s7comm.szl.001c.0003.tag", c.Text)
	case s7comm.CompCopyright:
		s.Text("s7comm.szl.001c.0004.copyright", c.Text)
	case s7comm.CompSerialNumber:
		s.Text("s7comm.szl.001c.0005.serialn", c.Text)
	case s7comm.CompModuleTypeName:
		s.Text("s7comm.szl.001c.0007.cputypname", c.Text)
	case s7comm.CompMemCardSerial:
		s.Text("s7comm.szl.001c.0008.snmcmmc", c.Text)
	case s7comm.CompManufacturer:
		s.Uint("s7comm.szl.001c.0009.manufacturer_id", uint64(c.Manufacturer))
		s.Uint("s7comm.szl.001c.0009.profile_id", uint64(c.Profile))
		s.Uint("s7comm.szl.001c.0009.profile_spec_typ", uint64(c.ProfileSpec))
	case s7comm.CompOEMID:
		s.Text("s7comm.szl.001c.000a.oem_copyright_string", c.Text)
		s.Uint("s7comm.szl.001c.000a.oem_id", uint64(c.OEMID))
		s.Uint("s7comm.szl.001c.000a.oem_add_id", uint64(c.OEMAddID))
	case s7comm.CompLocation:
		s.Text("s7comm.szl.001c.000b.loc_id", c.Text)
	}
}

func s7plusFields(s Sink, h *s7comm.PlusHeader) string {
	s.Uint("s7comm.plus.version", uint64(h.Version))
	s.Uint("s7comm.plus.datlg", uint64(h.DataLen))
	if len(h.Digest) > 0 {
		s.Bytes("s7comm.plus.digest", h.Digest)
	}
	s.Uint("s7comm.plus.opcode", uint64(h.Opcode))
	if h.HasFunction {
		s.Uint("s7comm.plus.function", uint64(h.Function))
		s.Uint("s7comm.plus.seqnum", uint64(h.Seq))
	}
	if h.HasSession {
		s.Uint("s7comm.plus.session_id", uint64(h.SessionID))
	}
	return "s7comm-plus"
}
