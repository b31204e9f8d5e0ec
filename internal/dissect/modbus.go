package dissect

import (
	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/pcapx"
)

// modbusPending is a request remembered until its response arrives, so that
// the response's bits and registers can be numbered as Wireshark numbers
// them (a read coils response carries whole bytes; the request says how many
// bits count).
type modbusPending struct {
	flow     pcapx.FlowKey
	tid      uint16
	unit     uint8
	fc       modbus.FunctionCode
	base     uint16
	quantity uint16
	used     bool
}

// modbusPendingCap bounds the requests remembered across all flows; the
// oldest is overwritten first.
const modbusPendingCap = 64

// modbusState pairs Modbus responses with their requests by flow,
// transaction id, unit id and function code, as Wireshark does. It is a
// fixed ring: no allocation, bounded memory. A stream gap needs no reset:
// pairing does not depend on stream continuity.
type modbusState struct {
	ring [modbusPendingCap]modbusPending
	next int
}

func (st *modbusState) remember(p *pcapx.PDU, f *modbus.Frame) {
	if st == nil || f.IsException() {
		return
	}
	e := &st.ring[st.next]
	st.next = (st.next + 1) % modbusPendingCap
	*e = modbusPending{flow: p.Flow, tid: f.TransactionID, unit: f.UnitID, fc: f.Function, used: true}
	// Wireshark keeps the two words after the function code of every
	// request as "base address" and "count".
	if d := f.Data(); len(d) >= 4 {
		e.base = uint16(d[0])<<8 | uint16(d[1])
		e.quantity = uint16(d[2])<<8 | uint16(d[3])
	}
}

// lookup finds the most recent request of the same flow, transaction, unit
// and function.
func (st *modbusState) lookup(p *pcapx.PDU, f *modbus.Frame) (base, quantity uint16, ok bool) {
	if st == nil {
		return 0, 0, false
	}
	for i := 1; i <= modbusPendingCap; i++ {
		e := &st.ring[(st.next-i+modbusPendingCap)%modbusPendingCap]
		if e.used && e.tid == f.TransactionID && e.unit == f.UnitID && e.fc == f.Function && e.flow == p.Flow {
			return e.base, e.quantity, true
		}
	}
	return 0, 0, false
}

func (d *Dissector) modbus(s Sink, p *pcapx.PDU) Result {
	return modbusPDU(&d.mb, s, p)
}

// modbusPDU decodes one Modbus ADU (TCP or UDP) and emits Wireshark's
// mbtcp.* and modbus.* fields in Wireshark's order. st may be nil, in which
// case responses are decoded without their requests.
func modbusPDU(st *modbusState, s Sink, p *pcapx.PDU) Result {
	dir := modbus.Response
	if p.ToServer {
		dir = modbus.Request
	}
	var f modbus.Frame
	var err error
	if p.Transport == pcapx.UDP {
		f, err = modbus.ParseUDP(p.Data, dir)
	} else {
		f, _, err = modbus.Parse(p.Data, dir)
	}
	if len(p.Data) < 6 {
		return Result{Func: "truncated", Err: err}
	}
	s.Uint("mbtcp.trans_id", uint64(f.TransactionID))
	s.Uint("mbtcp.prot_id", uint64(f.ProtocolID))
	s.Uint("mbtcp.len", uint64(f.Length))
	if len(p.Data) < 7 {
		return Result{Func: "truncated", Err: err}
	}
	s.Uint("mbtcp.unit_id", uint64(f.UnitID))
	if len(f.PDU) == 0 {
		modbusAnomalies(s, f.Anomalies)
		return Result{Func: "truncated", Err: err}
	}
	s.Uint("modbus.func_code", uint64(f.Function))
	if f.IsException() {
		if len(f.PDU) >= 2 {
			s.Uint("modbus.exception_code", uint64(f.Exception))
		}
	} else if dir == modbus.Request {
		modbusRequest(s, &f)
		st.remember(p, &f)
	} else {
		modbusResponse(st, s, p, &f)
	}
	modbusAnomalies(s, f.Anomalies)
	if f.IsException() {
		return Result{Func: "exception", Err: err}
	}
	return Result{Func: f.Function.String(), Err: err}
}

func modbusAnomalies(s Sink, a modbus.Anomaly) {
	for rest := a; rest != 0; {
		var flag modbus.Anomaly
		flag, rest = rest.Next()
		s.Text("modbus.anomaly", anomalyText(flag))
	}
}

// modbusAnomalyNames holds each anomaly flag's name as bytes, indexed by
// bit position, so that emitting one does not allocate. It is never written.
var modbusAnomalyNames = [...][]byte{
	[]byte("protocol_id"), []byte("length"), []byte("byte_count"), []byte("quantity"),
	[]byte("reserved_function"), []byte("unassigned_function"), []byte("trailing_bytes"),
	[]byte("value"), []byte("exception_code"), []byte("sub_function"), []byte("object_count"),
	[]byte("oversize"),
}

// anomalyText returns a single flag's name as bytes without allocating.
func anomalyText(a modbus.Anomaly) []byte {
	for i := range modbusAnomalyNames {
		if a == 1<<i {
			return modbusAnomalyNames[i]
		}
	}
	return []byte(a.Name())
}

// u16 emits the big-endian word at d[i:] if present and reports whether it
// was.
func u16(s Sink, name string, d []byte, i int) bool {
	if i+2 > len(d) {
		return false
	}
	s.Uint(name, uint64(d[i])<<8|uint64(d[i+1]))
	return true
}

func u8(s Sink, name string, d []byte, i int) bool {
	if i+1 > len(d) {
		return false
	}
	s.Uint(name, uint64(d[i]))
	return true
}

func bytesFrom(s Sink, name string, d []byte, i, n int) {
	if i >= len(d) || n <= 0 {
		return
	}
	if i+n > len(d) {
		n = len(d) - i
	}
	s.Bytes(name, d[i:i+n])
}

func modbusRequest(s Sink, f *modbus.Frame) {
	d := f.Data()
	switch f.Function {
	case modbus.ReadCoils, modbus.ReadDiscreteInputs:
		_ = u16(s, "modbus.reference_num", d, 0) && u16(s, "modbus.bit_cnt", d, 2)
	case modbus.ReadHoldingRegisters, modbus.ReadInputRegisters:
		_ = u16(s, "modbus.reference_num", d, 0) && u16(s, "modbus.word_cnt", d, 2)
	case modbus.WriteSingleCoil, modbus.WriteSingleRegister:
		modbusWriteSingle(s, f, d)
	case modbus.Diagnostics:
		modbusDiag(s, d, true)
	case modbus.WriteMultipleCoils:
		if u16(s, "modbus.reference_num", d, 0) && u16(s, "modbus.bit_cnt", d, 2) && u8(s, "modbus.byte_cnt", d, 4) {
			s.Bytes("modbus.data", d[5:])
		}
	case modbus.WriteMultipleRegisters:
		if u16(s, "modbus.reference_num", d, 0) && u16(s, "modbus.word_cnt", d, 2) && u8(s, "modbus.byte_cnt", d, 4) {
			modbusRegisters(s, d[5:], len(d)-5, be(d))
		}
	case modbus.ReadFileRecord, modbus.WriteFileRecord:
		u8(s, "modbus.byte_cnt", d, 0)
	case modbus.MaskWriteRegister:
		modbusMask(s, d)
	case modbus.ReadWriteMultipleRegisters:
		if u16(s, "modbus.read_reference_num", d, 0) && u16(s, "modbus.read_word_cnt", d, 2) &&
			u16(s, "modbus.write_reference_num", d, 4) && u16(s, "modbus.write_word_cnt", d, 6) &&
			u8(s, "modbus.byte_cnt", d, 8) {
			s.Bytes("modbus.data", d[9:])
		}
	case modbus.ReadFIFOQueue:
		u16(s, "modbus.reference_num", d, 0)
	case modbus.EncapsulatedInterfaceTransport:
		if !u8(s, "modbus.mei", d, 0) {
			return
		}
		if modbus.MEIType(d[0]) == modbus.MEIReadDeviceID {
			_ = u8(s, "modbus.read_device_id", d, 1) && u8(s, "modbus.object_id", d, 2)
		} else {
			bytesFrom(s, "modbus.data", d, 1, len(d))
		}
	default:
		bytesFrom(s, "modbus.data", d, 0, len(d))
	}
}

func be(d []byte) uint16 { return uint16(d[0])<<8 | uint16(d[1]) }

func modbusWriteSingle(s Sink, f *modbus.Frame, d []byte) {
	if !u16(s, "modbus.reference_num", d, 0) {
		return
	}
	if f.Function == modbus.WriteSingleCoil {
		bytesFrom(s, "modbus.data", d, 2, 2)
		return
	}
	bytesFrom(s, "modbus.data", d, 2, 2)
}

func modbusMask(s Sink, d []byte) {
	_ = u16(s, "modbus.reference_num", d, 0) && u16(s, "modbus.and_mask", d, 2) && u16(s, "modbus.or_mask", d, 4)
}

func modbusDiag(s Sink, d []byte, req bool) {
	if !u16(s, "modbus.diagnostic_code", d, 0) {
		return
	}
	sub := modbus.DiagSubFunction(be(d))
	rest := d[2:]
	switch sub {
	case modbus.DiagReturnQueryData:
		if req {
			bytesFrom(s, "modbus.diagnostic.return_query_data.request", rest, 0, len(rest))
		} else {
			bytesFrom(s, "modbus.diagnostic.return_query_data.echo", rest, 0, len(rest))
		}
	case modbus.DiagRestartCommunicationsOption:
		u16(s, "modbus.diagnostic.restart_communication_option", rest, 0)
	case modbus.DiagReturnDiagnosticRegister:
		if req {
			bytesFrom(s, "modbus.data", rest, 0, len(rest))
		} else {
			u16(s, "modbus.diagnostic.return_diag_register", rest, 0)
		}
	case modbus.DiagClearCountersAndDiagRegister:
		if req {
			bytesFrom(s, "modbus.data", rest, 0, len(rest))
		} else {
			u16(s, "modbus.diagnostic.clear_ctr_diag_reg", rest, 0)
		}
	default:
		bytesFrom(s, "modbus.data", rest, 0, len(rest))
	}
}

// modbusRegisters emits register values the way Wireshark does: only when
// the byte count matches the bytes that follow, else as raw data.
func modbusRegisters(s Sink, rest []byte, n int, base uint16) {
	if n != len(rest) {
		bytesFrom(s, "modbus.data", rest, 0, n)
		return
	}
	for i := 0; i+2 <= n; i += 2 {
		s.Uint("modbus.regnum16", uint64(base)+uint64(i/2))
		s.Uint("modbus.regval_uint16", uint64(rest[i])<<8|uint64(rest[i+1]))
	}
}

func modbusResponse(st *modbusState, s Sink, p *pcapx.PDU, f *modbus.Frame) {
	d := f.Data()
	switch f.Function {
	case modbus.ReadCoils, modbus.ReadDiscreteInputs:
		if !u8(s, "modbus.byte_cnt", d, 0) {
			return
		}
		n, rest := int(d[0]), d[1:]
		if n != len(rest) {
			bytesFrom(s, "modbus.data", rest, 0, n)
			return
		}
		base, q, ok := st.lookup(p, f)
		limit := 8 * n
		if ok && int(q) < limit {
			limit = int(q)
		}
		for i := 0; i < limit; i++ {
			s.Uint("modbus.bitnum", uint64(base)+uint64(i))
			s.Bool("modbus.bitval", rest[i>>3]&(1<<(uint(i)&7)) != 0)
		}
	case modbus.ReadHoldingRegisters, modbus.ReadInputRegisters:
		if !u8(s, "modbus.byte_cnt", d, 0) {
			return
		}
		base, _, _ := st.lookup(p, f)
		modbusRegisters(s, d[1:], int(d[0]), base)
	case modbus.WriteSingleCoil, modbus.WriteSingleRegister:
		modbusWriteSingle(s, f, d)
	case modbus.ReadExceptionStatus:
		bytesFrom(s, "modbus.data", d, 0, len(d))
	case modbus.Diagnostics:
		modbusDiag(s, d, false)
	case modbus.GetCommEventCounter:
		_ = u16(s, "modbus.ev_status", d, 0) && u16(s, "modbus.ev_count", d, 2)
	case modbus.GetCommEventLog:
		if u8(s, "modbus.byte_cnt", d, 0) && u16(s, "modbus.ev_status", d, 1) && u16(s, "modbus.ev_count", d, 3) {
			u16(s, "modbus.ev_msg_count", d, 5)
		}
	case modbus.WriteMultipleCoils:
		_ = u16(s, "modbus.reference_num", d, 0) && u16(s, "modbus.bit_cnt", d, 2)
	case modbus.WriteMultipleRegisters:
		_ = u16(s, "modbus.reference_num", d, 0) && u16(s, "modbus.word_cnt", d, 2)
	case modbus.ReportServerID:
		bytesFrom(s, "modbus.data", d, 0, len(d))
	case modbus.ReadFileRecord, modbus.WriteFileRecord:
		u8(s, "modbus.byte_cnt", d, 0)
	case modbus.MaskWriteRegister:
		modbusMask(s, d)
	case modbus.ReadWriteMultipleRegisters:
		if u8(s, "modbus.byte_cnt", d, 0) {
			s.Bytes("modbus.data", d[1:])
		}
	case modbus.ReadFIFOQueue:
		if u16(s, "modbus.byte_cnt_16", d, 0) && u16(s, "modbus.word_cnt", d, 2) {
			s.Bytes("modbus.data", d[4:])
		}
	case modbus.EncapsulatedInterfaceTransport:
		modbusMEIResponse(s, d)
	default:
		bytesFrom(s, "modbus.data", d, 0, len(d))
	}
}

func modbusMEIResponse(s Sink, d []byte) {
	if !u8(s, "modbus.mei", d, 0) {
		return
	}
	if modbus.MEIType(d[0]) != modbus.MEIReadDeviceID {
		bytesFrom(s, "modbus.data", d, 1, len(d))
		return
	}
	if !(u8(s, "modbus.read_device_id", d, 1) && u8(s, "modbus.conformity_level", d, 2) &&
		u8(s, "modbus.more_follows", d, 3) && u8(s, "modbus.next_object_id", d, 4) &&
		u8(s, "modbus.num_objects", d, 5)) {
		return
	}
	// Wireshark walks as many objects as the header announces.
	r := d[6:]
	for k := 0; k < int(d[5]) && len(r) >= 2; k++ {
		s.Uint("modbus.object_id", uint64(r[0]))
		n := int(r[1])
		s.Uint("modbus.objects_len", uint64(n))
		if 2+n > len(r) {
			return
		}
		s.Text("modbus.object_str_value", r[2:2+n])
		r = r[2+n:]
	}
}
