package dissect

import (
	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/pcapx"
)

// modbusState holds the free modbus.Conns (each flow's Conn pairs its
// responses with their requests, so that registers and bits are numbered as
// Wireshark numbers them) and a scratch buffer for anomaly names. It reads
// no bytes itself: every field below comes from the modbus package's
// accessors.
type modbusState struct {
	pool    connPool[modbus.Conn]
	scratch []byte
}

// conn returns the Conn of p's flow.
func (st *modbusState) conn(p *pcapx.PDU) *modbus.Conn { return connFor(&st.pool, p) }

func (d *Dissector) modbus(s Sink, p *pcapx.PDU) Result {
	return modbusPDU(&d.mb, s, p)
}

// modbusPDU decodes one Modbus ADU (TCP or UDP) through its flow's Conn and
// emits Wireshark's mbtcp.* and modbus.* fields in Wireshark's order.
func modbusPDU(st *modbusState, s Sink, p *pcapx.PDU) Result {
	m, err := st.conn(p).Decode(p.Data, p.ToServer, p.Time.UnixNano())
	f := &m.Frame
	// Wireshark shows nothing of an ADU without a function code, nor, over
	// TCP, of one cut short (it waits for the rest).
	if len(f.PDU) == 0 || (err == modbus.ErrTruncated && p.Transport == pcapx.TCP) {
		modbusAnomalies(st, s, f.Anomalies|m.Anomalies)
		return Result{Func: "truncated", Err: err}
	}
	s.Uint("mbtcp.trans_id", uint64(f.TransactionID))
	s.Uint("mbtcp.prot_id", uint64(f.ProtocolID))
	s.Uint("mbtcp.len", uint64(f.Length))
	s.Uint("mbtcp.unit_id", uint64(f.UnitID))
	s.Uint("modbus.func_code", uint64(f.Function))
	switch {
	case f.IsException():
		if err == nil {
			s.Uint("modbus.exception_code", uint64(f.Exception))
		}
	case m.ToServer:
		modbusRequest(s, m)
	default:
		modbusResponse(s, m)
	}
	modbusAnomalies(st, s, f.Anomalies|m.Anomalies)
	return Result{Func: modbusFunc(f), Err: err}
}

// modbusFunc names the PDU's function with a constant string.
func modbusFunc(f *modbus.Frame) string {
	switch {
	case f.IsException():
		return "exception"
	case f.Function.Known():
		return f.Function.String()
	}
	switch f.Function.Class() {
	case modbus.ClassUserDefined:
		return "User-defined Function"
	case modbus.ClassReserved:
		return "Reserved Function"
	}
	return "Unassigned Function"
}

// modbusAnomalies emits one modbus.anomaly field per flag, its name built
// in the state's scratch buffer.
func modbusAnomalies(st *modbusState, s Sink, a modbus.Anomaly) {
	for flag := range a.All {
		st.scratch, _ = flag.AppendText(st.scratch[:0])
		s.Text("modbus.anomaly", st.scratch)
	}
}

// data emits modbus.data when b is not empty.
func data(s Sink, b []byte) {
	if len(b) > 0 {
		s.Bytes("modbus.data", b)
	}
}

func modbusRequest(s Sink, m *modbus.Message) {
	f := &m.Frame
	switch f.Function {
	case modbus.ReadCoils, modbus.ReadDiscreteInputs, modbus.ReadHoldingRegisters, modbus.ReadInputRegisters:
		r, ok := f.ReadRequest()
		modbusRange(s, f, r, ok)
	case modbus.WriteSingleCoil, modbus.WriteSingleRegister:
		modbusWriteSingle(s, f)
	case modbus.ReadExceptionStatus:
	case modbus.Diagnostics:
		modbusDiag(s, f, false)
	case modbus.WriteMultipleCoils:
		w, ok := f.WriteMultipleCoils()
		if !ok {
			modbusWords(s, f, mbBitRange[:])
			return
		}
		s.Uint("modbus.reference_num", uint64(w.Start))
		s.Uint("modbus.bit_cnt", uint64(w.Quantity))
		s.Uint("modbus.byte_cnt", uint64(w.ByteCount))
		_, rest, _ := f.Counted()
		s.Bytes("modbus.data", rest)
	case modbus.WriteMultipleRegisters:
		w, ok := f.WriteMultipleRegisters()
		if !ok {
			modbusWords(s, f, mbWordRange[:])
			return
		}
		s.Uint("modbus.reference_num", uint64(w.Start))
		s.Uint("modbus.word_cnt", uint64(w.Quantity))
		s.Uint("modbus.byte_cnt", uint64(w.ByteCount))
		n, rest, _ := f.Counted()
		modbusRegisters(s, w.Values, n, rest)
	case modbus.ReadFileRecord, modbus.WriteFileRecord:
		modbusFileRecords(s, m)
	case modbus.MaskWriteRegister:
		modbusMask(s, f)
	case modbus.ReadWriteMultipleRegisters:
		rw, ok := f.ReadWriteRequest()
		if !ok {
			modbusWords(s, f, mbReadWrite[:])
			return
		}
		s.Uint("modbus.read_reference_num", uint64(rw.Read.Start))
		s.Uint("modbus.read_word_cnt", uint64(rw.Read.Quantity))
		s.Uint("modbus.write_reference_num", uint64(rw.Write.Start))
		s.Uint("modbus.write_word_cnt", uint64(rw.Write.Quantity))
		s.Uint("modbus.byte_cnt", uint64(rw.ByteCount))
		_, rest, _ := f.Counted()
		s.Bytes("modbus.data", rest)
	case modbus.ReadFIFOQueue:
		if p, ok := f.FIFOPointer(); ok {
			s.Uint("modbus.reference_num", uint64(p))
		} else {
			modbusWords(s, f, mbReference[:])
		}
	case modbus.EncapsulatedInterfaceTransport:
		t, _, ok := f.MEI()
		if !ok {
			return
		}
		s.Uint("modbus.mei", uint64(t))
		if t == modbus.MEIReadDeviceID {
			if r, ok := f.DeviceIDRequest(); ok {
				s.Uint("modbus.read_device_id", uint64(r.Code))
				s.Uint("modbus.object_id", uint64(r.Object))
			}
			return
		}
		modbusMEIData(s, f)
	default:
		data(s, f.Data())
	}
}

func modbusResponse(s Sink, m *modbus.Message) {
	f := &m.Frame
	switch f.Function {
	case modbus.ReadCoils, modbus.ReadDiscreteInputs:
		n, rest, ok := f.Counted()
		if !ok {
			return
		}
		s.Uint("modbus.byte_cnt", uint64(n))
		if n != len(rest) {
			// Wireshark shows every byte after the count when the two
			// disagree.
			s.Bytes("modbus.data", rest)
			return
		}
		bits, _ := m.Bits()
		for i, on := range bits.All {
			s.Uint("modbus.bitnum", uint64(bits.Start()+uint16(i)))
			s.Bool("modbus.bitval", on)
		}
	case modbus.ReadHoldingRegisters, modbus.ReadInputRegisters:
		n, rest, ok := f.Counted()
		if !ok {
			return
		}
		s.Uint("modbus.byte_cnt", uint64(n))
		regs, _ := m.Registers()
		modbusRegisters(s, regs, n, rest)
	case modbus.WriteSingleCoil, modbus.WriteSingleRegister:
		modbusWriteSingle(s, f)
	case modbus.ReadExceptionStatus:
		data(s, f.Data())
	case modbus.Diagnostics:
		modbusDiag(s, f, true)
	case modbus.GetCommEventCounter:
		if c, ok := f.CommEventCounter(); ok {
			s.Uint("modbus.ev_status", uint64(c.Status))
			s.Uint("modbus.ev_count", uint64(c.EventCount))
		} else {
			modbusWords(s, f, mbEventCounter[:])
		}
	case modbus.GetCommEventLog:
		if l, ok := f.CommEventLog(); ok {
			s.Uint("modbus.byte_cnt", uint64(l.ByteCount))
			s.Uint("modbus.ev_status", uint64(l.Status))
			s.Uint("modbus.ev_count", uint64(l.EventCount))
			s.Uint("modbus.ev_msg_count", uint64(l.MessageCount))
			for _, e := range l.Events {
				s.Uint("modbus.event", uint64(e))
			}
		}
	case modbus.WriteMultipleCoils, modbus.WriteMultipleRegisters:
		r, ok := f.WriteMultipleResponse()
		modbusRange(s, f, r, ok)
	case modbus.ReadFileRecord, modbus.WriteFileRecord:
		modbusFileRecords(s, m)
	case modbus.MaskWriteRegister:
		modbusMask(s, f)
	case modbus.ReadWriteMultipleRegisters:
		if n, rest, ok := f.Counted(); ok {
			s.Uint("modbus.byte_cnt", uint64(n))
			s.Bytes("modbus.data", rest)
		}
	case modbus.ReadFIFOQueue:
		if q, ok := f.FIFOQueue(); ok {
			s.Uint("modbus.byte_cnt_16", uint64(q.ByteCount))
			s.Uint("modbus.word_cnt", uint64(q.Count))
			s.Bytes("modbus.data", q.Raw)
		}
	case modbus.EncapsulatedInterfaceTransport:
		modbusMEIResponse(s, f)
	default:
		data(s, f.Data())
	}
}

// Names of the leading 16-bit fields of the layouts made of words, in
// order, for modbusWords.
var (
	mbReference    = [...]string{"modbus.reference_num"}
	mbBitRange     = [...]string{"modbus.reference_num", "modbus.bit_cnt"}
	mbWordRange    = [...]string{"modbus.reference_num", "modbus.word_cnt"}
	mbMask         = [...]string{"modbus.reference_num", "modbus.and_mask", "modbus.or_mask"}
	mbReadWrite    = [...]string{"modbus.read_reference_num", "modbus.read_word_cnt", "modbus.write_reference_num", "modbus.write_word_cnt"}
	mbEventCounter = [...]string{"modbus.ev_status", "modbus.ev_count"}
)

// modbusWords emits the leading word fields of a layout, names[i] for word
// i of the data, as far as the PDU holds whole words: Wireshark shows the
// fields of a PDU too short for its layout up to the first one missing.
func modbusWords(s Sink, f *modbus.Frame, names []string) {
	words := f.Words()
	for i, name := range names {
		v, ok := words.At(i)
		if !ok {
			return
		}
		s.Uint(name, uint64(v))
	}
}

func modbusWriteSingle(s Sink, f *modbus.Frame) {
	w, ok := f.WriteSingle()
	if !ok {
		modbusWords(s, f, mbReference[:])
		return
	}
	s.Uint("modbus.reference_num", uint64(w.Address))
	s.Bytes("modbus.data", w.Raw)
}

// modbusRange emits the start and quantity of functions 1–4 and 15–16,
// the quantity named for bits or words.
func modbusRange(s Sink, f *modbus.Frame, r modbus.Range, ok bool) {
	names := mbWordRange[:]
	if f.Function == modbus.ReadCoils || f.Function == modbus.ReadDiscreteInputs || f.Function == modbus.WriteMultipleCoils {
		names = mbBitRange[:]
	}
	if !ok {
		modbusWords(s, f, names)
		return
	}
	s.Uint(names[0], uint64(r.Start))
	s.Uint(names[1], uint64(r.Quantity))
}

func modbusMask(s Sink, f *modbus.Frame) {
	mw, ok := f.MaskWrite()
	if !ok {
		modbusWords(s, f, mbMask[:])
		return
	}
	s.Uint("modbus.reference_num", uint64(mw.Address))
	s.Uint("modbus.and_mask", uint64(mw.AndMask))
	s.Uint("modbus.or_mask", uint64(mw.OrMask))
}

// modbusRegisters emits register values the way Wireshark does: numbered
// from the request's start when the byte count n matches the bytes that
// follow it, else those bytes as raw data.
func modbusRegisters(s Sink, regs modbus.Registers, n int, rest []byte) {
	if n != len(rest) {
		s.Bytes("modbus.data", rest)
		return
	}
	for i, v := range regs.All {
		s.Uint("modbus.regnum16", uint64(regs.Start()+uint16(i)))
		s.Uint("modbus.regval_uint16", uint64(v))
	}
}

// modbusDiagNames are Wireshark's names for the data word of the
// Diagnostics sub-functions that name it, in responses; requests name only
// 0x00, 0x01 and 0x03 and show the rest as modbus.data.
var modbusDiagNames = [...]string{
	modbus.DiagRestartCommunicationsOption:    "modbus.diagnostic.restart_communication_option",
	modbus.DiagReturnDiagnosticRegister:       "modbus.diagnostic.return_diag_register",
	modbus.DiagClearCountersAndDiagRegister:   "modbus.diagnostic.clear_ctr_diag_reg",
	modbus.DiagReturnBusMessageCount:          "modbus.diagnostic.bus_message_count",
	modbus.DiagReturnBusCommErrorCount:        "modbus.diagnostic.bus_comm_error_count",
	modbus.DiagReturnBusExceptionErrorCount:   "modbus.diagnostic.bus_exception_error_count",
	modbus.DiagReturnServerMessageCount:       "modbus.diagnostic.slave_message_count",
	modbus.DiagReturnServerNoResponseCount:    "modbus.diagnostic.no_slave_response_count",
	modbus.DiagReturnServerNAKCount:           "modbus.diagnostic.slave_nak_count",
	modbus.DiagReturnServerBusyCount:          "modbus.diagnostic.slave_busy_count",
	modbus.DiagReturnBusCharacterOverrunCount: "modbus.diagnostic.bus_char_overrun_count",
}

func modbusDiag(s Sink, f *modbus.Frame, resp bool) {
	d, ok := f.Diagnostic()
	if !ok {
		return
	}
	s.Uint("modbus.diagnostic_code", uint64(d.Sub))
	switch d.Sub {
	case modbus.DiagReturnQueryData:
		if len(d.Data) == 0 {
			return
		}
		if resp {
			s.Bytes("modbus.diagnostic.return_query_data.echo", d.Data)
		} else {
			s.Bytes("modbus.diagnostic.return_query_data.request", d.Data)
		}
		return
	case modbus.DiagChangeASCIIInputDelimiter:
		if c, ok := d.Delimiter(); ok {
			s.Uint("modbus.diagnostic.ascii_input_delimiter", uint64(c))
		}
		return
	}
	name := ""
	if int(d.Sub) < len(modbusDiagNames) && (resp || d.Sub == modbus.DiagRestartCommunicationsOption) {
		name = modbusDiagNames[d.Sub]
	}
	if name == "" {
		data(s, d.Data)
		return
	}
	if w, ok := d.Word(); ok {
		s.Uint(name, uint64(w))
	}
}

// modbusFileRecords emits the sub-requests of functions 20 and 21:
// reference type, Wireshark's 32-bit reference (file number and record
// number), word count and data, and in Read File Record responses each
// group's own byte count, reference type and data. modbus.file_groups, a
// field Wireshark does not have, counts the groups (the known divergence
// of Wireshark 4.0 concerns PDUs of several).
func modbusFileRecords(s Sink, m *modbus.Message) {
	f := &m.Frame
	n, _, ok := f.Counted()
	if !ok {
		return
	}
	s.Uint("modbus.byte_cnt", uint64(n))
	recs, ok := m.FileRecords()
	if !ok {
		return
	}
	groups := 0
	for count := recs; count.Next(); {
		groups++
	}
	s.Uint("modbus.file_groups", uint64(groups))
	readResp := f.Function == modbus.ReadFileRecord && !m.ToServer
	for recs.Next() {
		r := recs.FileRecord()
		if readResp {
			s.Uint("modbus.byte_cnt", uint64(len(r.Data)+1))
			s.Uint("modbus.reference_type", uint64(r.RefType))
			data(s, r.Data)
			continue
		}
		s.Uint("modbus.reference_type", uint64(r.RefType))
		s.Uint("modbus.reference_num_32", uint64(r.File)<<16|uint64(r.Record))
		s.Uint("modbus.word_cnt", uint64(r.Length))
		if f.Function == modbus.WriteFileRecord {
			data(s, r.Data)
		}
	}
}

// modbusMEIData emits the data of an MEI type other than 14: Wireshark
// shows every byte after the function code, the MEI type included.
func modbusMEIData(s Sink, f *modbus.Frame) {
	if d := f.Data(); len(d) > 1 {
		s.Bytes("modbus.data", d)
	}
}

func modbusMEIResponse(s Sink, f *modbus.Frame) {
	t, _, ok := f.MEI()
	if !ok {
		return
	}
	s.Uint("modbus.mei", uint64(t))
	if t != modbus.MEIReadDeviceID {
		modbusMEIData(s, f)
		return
	}
	id, ok := f.DeviceID()
	if !ok {
		return
	}
	s.Uint("modbus.read_device_id", uint64(id.Code))
	s.Uint("modbus.conformity_level", uint64(id.Conformity))
	s.Uint("modbus.more_follows", uint64(id.MoreFollows))
	s.Uint("modbus.next_object_id", uint64(id.NextObject))
	s.Uint("modbus.num_objects", uint64(id.Count))
	// Wireshark walks as many objects as the header announces. Standard
	// objects (below 0x80) are text, private ones bytes.
	objs := id.Objects()
	for k := 0; k < int(id.Count) && objs.Next(); k++ {
		o := objs.Object()
		s.Uint("modbus.object_id", uint64(o.ID))
		s.Uint("modbus.objects_len", uint64(len(o.Value)))
		switch {
		case o.ID.Standard():
			s.Text("modbus.object_str_value", o.Value)
		case len(o.Value) > 0:
			s.Bytes("modbus.object_value", o.Value)
		}
	}
}
