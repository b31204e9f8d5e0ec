package modbus

// Explain decodes b as [Parse] does and, when Parse reports an error,
// returns a [*FieldError] that names the field where decoding stopped
// (Wireshark's field name: "mbtcp.len", "modbus.word_cnt", ...) and its
// byte offset in b. It returns nil when Parse does. It is the slow, opt-in
// path: it decodes again and allocates the error.
func Explain(b []byte, dir Direction) error {
	f, _, err := Parse(b, dir)
	if err == nil {
		return nil
	}
	e, _ := err.(Error)
	w := walker{end: len(b)}
	if !w.fixed("mbtcp.trans_id", 2) || !w.fixed("mbtcp.prot_id", 2) || !w.fixed("mbtcp.len", 2) {
		return &FieldError{Err: e, Field: w.field, Offset: w.at}
	}
	if f.Length < 2 {
		return &FieldError{Err: e, Field: "mbtcp.len", Offset: 4}
	}
	if !w.fixed("mbtcp.unit_id", 1) || !w.fixed("modbus.func_code", 1) {
		return &FieldError{Err: e, Field: w.field, Offset: w.at}
	}
	w.end = min(len(b), 6+int(f.Length))
	w.off = 8
	if !w.pdu(&f, b) {
		return &FieldError{Err: e, Field: w.field, Offset: w.at}
	}
	// The PDU's layout fits the bytes present, but the length field
	// announces more of them.
	return &FieldError{Err: e, Field: "mbtcp.len", Offset: 4}
}

// walker steps over the fields of an ADU and records the first one that
// does not fit before end.
type walker struct {
	off, end int
	field    string
	at       int
}

// fixed steps over a field of n bytes.
func (w *walker) fixed(name string, n int) bool {
	if w.off+n > w.end {
		w.field, w.at = name, w.off
		return false
	}
	w.off += n
	return true
}

// byte8 returns the byte back bytes before the walker's offset (which
// fixed checked).
func (w *walker) byte8(b []byte, back int) int { return int(b[w.off-back]) }

// word returns the big-endian word ending back bytes before the offset.
func (w *walker) word(b []byte, back int) int { return int(b[w.off-back])<<8 | int(b[w.off-back+1]) }

// counted steps over a byte count of size cn and the count bytes after it,
// named name.
func (w *walker) counted(b []byte, cn int, name string) bool {
	if !w.fixed("modbus.byte_cnt", cn) {
		return false
	}
	n := w.byte8(b, 1)
	if cn == 2 {
		n = w.word(b, 2)
	}
	return w.fixed(name, n)
}

// pdu walks the layout of f's function and direction over b.
func (w *walker) pdu(f *Frame, b []byte) bool {
	req, resp := f.Dir == Request, f.Dir == Response
	if f.exception {
		return w.fixed("modbus.exception_code", 1)
	}
	switch f.Function {
	case ReadCoils, ReadDiscreteInputs:
		if req {
			return w.fixed("modbus.reference_num", 2) && w.fixed("modbus.bit_cnt", 2)
		}
		if resp {
			return w.counted(b, 1, "modbus.bitval")
		}
	case ReadHoldingRegisters, ReadInputRegisters:
		if req {
			return w.fixed("modbus.reference_num", 2) && w.fixed("modbus.word_cnt", 2)
		}
		if resp {
			return w.counted(b, 1, "modbus.regval_uint16")
		}
	case WriteSingleCoil, WriteSingleRegister:
		return w.fixed("modbus.reference_num", 2) && w.fixed("modbus.data", 2)
	case ReadExceptionStatus:
		if resp {
			return w.fixed("modbus.data", 1)
		}
	case Diagnostics:
		if !w.fixed("modbus.diagnostic_code", 2) {
			return false
		}
		sub := DiagSubFunction(w.word(b, 2))
		if sub.Known() && sub != DiagReturnQueryData {
			return w.fixed(diagField(sub, resp), 2)
		}
	case GetCommEventCounter:
		if resp {
			return w.fixed("modbus.ev_status", 2) && w.fixed("modbus.ev_count", 2)
		}
	case GetCommEventLog:
		if resp {
			return w.counted(b, 1, "modbus.ev_status")
		}
	case WriteMultipleCoils, WriteMultipleRegisters:
		cnt, vals := "modbus.bit_cnt", "modbus.data"
		if f.Function == WriteMultipleRegisters {
			cnt, vals = "modbus.word_cnt", "modbus.regval_uint16"
		}
		if !w.fixed("modbus.reference_num", 2) || !w.fixed(cnt, 2) {
			return false
		}
		if req {
			return w.counted(b, 1, vals)
		}
	case ReportServerID:
		if resp {
			return w.counted(b, 1, "modbus.data")
		}
	case ReadFileRecord, WriteFileRecord:
		if req || resp {
			return w.counted(b, 1, "modbus.reference_type")
		}
	case MaskWriteRegister:
		return w.fixed("modbus.reference_num", 2) && w.fixed("modbus.and_mask", 2) && w.fixed("modbus.or_mask", 2)
	case ReadWriteMultipleRegisters:
		if req {
			return w.fixed("modbus.read_reference_num", 2) && w.fixed("modbus.read_word_cnt", 2) &&
				w.fixed("modbus.write_reference_num", 2) && w.fixed("modbus.write_word_cnt", 2) &&
				w.counted(b, 1, "modbus.data")
		}
		if resp {
			return w.counted(b, 1, "modbus.data")
		}
	case ReadFIFOQueue:
		if req {
			return w.fixed("modbus.reference_num", 2)
		}
		if resp {
			if !w.fixed("modbus.byte_cnt_16", 2) {
				return false
			}
			n := max(w.word(b, 2)-2, 0)
			return w.fixed("modbus.word_cnt", 2) && w.fixed("modbus.data", n)
		}
	case EncapsulatedInterfaceTransport:
		if !w.fixed("modbus.mei", 1) || MEIType(w.byte8(b, 1)) != MEIReadDeviceID {
			return w.off <= w.end
		}
		if req {
			return w.fixed("modbus.read_device_id", 1) && w.fixed("modbus.object_id", 1)
		}
		if resp {
			if !(w.fixed("modbus.read_device_id", 1) && w.fixed("modbus.conformity_level", 1) &&
				w.fixed("modbus.more_follows", 1) && w.fixed("modbus.next_object_id", 1) &&
				w.fixed("modbus.num_objects", 1)) {
				return false
			}
			for w.off < w.end {
				if !w.fixed("modbus.object_id", 1) || !w.fixed("modbus.objects_len", 1) {
					return false
				}
				if !w.fixed("modbus.object_str_value", w.byte8(b, 1)) {
					return false
				}
			}
		}
	}
	return true
}

// diagField is Wireshark's name for the data word of a known Diagnostics
// sub-function other than Return Query Data, in a request or a response.
func diagField(sub DiagSubFunction, resp bool) string {
	switch sub {
	case DiagRestartCommunicationsOption:
		return "modbus.diagnostic.restart_communication_option"
	case DiagChangeASCIIInputDelimiter:
		return "modbus.diagnostic.ascii_input_delimiter"
	}
	if !resp {
		return "modbus.data"
	}
	switch sub {
	case DiagReturnDiagnosticRegister:
		return "modbus.diagnostic.return_diag_register"
	case DiagClearCountersAndDiagRegister:
		return "modbus.diagnostic.clear_ctr_diag_reg"
	case DiagReturnBusMessageCount:
		return "modbus.diagnostic.bus_message_count"
	case DiagReturnBusCommErrorCount:
		return "modbus.diagnostic.bus_comm_error_count"
	case DiagReturnBusExceptionErrorCount:
		return "modbus.diagnostic.bus_exception_error_count"
	case DiagReturnServerMessageCount:
		return "modbus.diagnostic.slave_message_count"
	case DiagReturnServerNoResponseCount:
		return "modbus.diagnostic.no_slave_response_count"
	case DiagReturnServerNAKCount:
		return "modbus.diagnostic.slave_nak_count"
	case DiagReturnServerBusyCount:
		return "modbus.diagnostic.slave_busy_count"
	case DiagReturnBusCharacterOverrunCount:
		return "modbus.diagnostic.bus_char_overrun_count"
	}
	return "modbus.data"
}
