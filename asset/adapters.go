package asset

// protoState holds a flow's protocol state: one field per protocol, set on
// first use and kept when the flow's memory is reused.
type protoState struct {
	modbus *modbusState
	s7     *s7State
	iec104 *iec104State
	enip   *enipState
	dnp3   *dnp3State
}

// decode runs one PDU through its flow's protocol adapter.
func (e *Engine) decode(f *flow, p pkt) {
	e.stats.PDUs++
	switch f.key.proto {
	case Modbus:
		e.modbus(f, p)
	case S7comm:
		e.s7comm(f, p)
	case IEC104:
		e.iec104(f, p)
	case ENIP:
		e.enip(f, p)
	case DNP3:
		e.dnp3(f, p)
	}
}

// flush reports the unanswered requests of a flow that ends, and resets its
// state for reuse.
func (e *Engine) flush(f *flow) {
	switch f.key.proto {
	case Modbus:
		e.modbusFlush(f)
	case S7comm:
		e.s7Flush(f)
	case IEC104:
		e.iec104Flush(f)
	case ENIP:
		e.enipFlush(f)
	case DNP3:
		e.dnp3Flush(f)
	}
}
