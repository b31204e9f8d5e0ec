package modbus

// decode checks f.PDU against the layout of its function code and direction,
// sets the function, exception and anomaly fields, and returns an error when
// the PDU is too short for its fixed fields or a byte count runs past its
// end. It never reads outside f.PDU.
func (f *Frame) decode() error {
	p := f.PDU
	fc := p[0]
	f.Function = FunctionCode(fc & 0x7f)
	d := p[1:]
	if fc&0x80 != 0 {
		f.exception = true
		return f.decodeException(d)
	}
	// Fast path: register and bit reads, the bulk of real traffic.
	switch f.Function {
	case ReadHoldingRegisters, ReadInputRegisters, ReadCoils, ReadDiscreteInputs:
		switch f.Dir {
		case Response:
			if len(d) == 0 {
				return ErrLength
			}
			n := int(d[0])
			if n+1 > len(d) {
				return ErrByteCount
			}
			if n+1 < len(d) {
				f.Anomalies |= AnomalyTrailing
			}
			if f.Function <= ReadDiscreteInputs {
				if n == 0 || n > 250 {
					f.Anomalies |= AnomalyQuantity
				}
			} else if n&1 != 0 || n == 0 || n > 250 {
				f.Anomalies |= AnomalyByteCount
			}
			return nil
		case Request:
			if len(d) < 4 {
				return ErrLength
			}
			if len(d) > 4 {
				f.Anomalies |= AnomalyTrailing
			}
			q := uint16(d[2])<<8 | uint16(d[3])
			max := uint16(125)
			if f.Function <= ReadDiscreteInputs {
				max = 2000
			}
			if q == 0 || q > max {
				f.Anomalies |= AnomalyQuantity
			}
			return nil
		}
		return nil
	}
	return f.decodeOther(d)
}

func (f *Frame) decodeException(d []byte) error {
	if len(d) == 0 {
		return ErrLength
	}
	f.Exception = ExceptionCode(d[0])
	if !f.Exception.Known() {
		f.Anomalies |= AnomalyExceptionCode
	}
	if len(d) > 1 {
		f.Anomalies |= AnomalyTrailing
	}
	f.classAnomaly()
	return nil
}

func (f *Frame) classAnomaly() {
	switch f.Function.Class() {
	case ClassReserved:
		if f.Function != UMAS {
			f.Anomalies |= AnomalyReservedFunction
		}
	case ClassUnassigned:
		f.Anomalies |= AnomalyUnassignedFunction
	}
}

// fixed checks a layout of exactly n bytes.
func (f *Frame) fixed(d []byte, n int) error {
	if len(d) < n {
		return ErrLength
	}
	if len(d) > n {
		f.Anomalies |= AnomalyTrailing
	}
	return nil
}

// counted checks a layout of a one-byte count followed by that many bytes,
// after skip fixed bytes, and returns the count.
func (f *Frame) counted(d []byte, skip int) (int, error) {
	if len(d) < skip+1 {
		return 0, ErrLength
	}
	n := int(d[skip])
	if skip+1+n > len(d) {
		return n, ErrByteCount
	}
	if skip+1+n < len(d) {
		f.Anomalies |= AnomalyTrailing
	}
	return n, nil
}

func (f *Frame) quantity(q, max uint16) {
	if q == 0 || q > max {
		f.Anomalies |= AnomalyQuantity
	}
}

func (f *Frame) decodeOther(d []byte) error {
	req, resp := f.Dir == Request, f.Dir == Response
	switch f.Function {
	case WriteSingleCoil:
		if err := f.fixed(d, 4); err != nil {
			return err
		}
		if v := be16(d[2:]); v != 0 && v != 0xFF00 {
			f.Anomalies |= AnomalyValue
		}
	case WriteSingleRegister:
		return f.fixed(d, 4)
	case ReadExceptionStatus:
		if req {
			return f.fixed(d, 0)
		}
		if resp {
			return f.fixed(d, 1)
		}
	case Diagnostics:
		if len(d) < 2 {
			return ErrLength
		}
		switch sub := DiagSubFunction(be16(d)); {
		case !sub.Known():
			f.Anomalies |= AnomalySubFunction
		case sub != DiagReturnQueryData:
			// Every sub-function but Return Query Data carries one word.
			return f.fixed(d, 4)
		}
	case GetCommEventCounter:
		if req {
			return f.fixed(d, 0)
		}
		if resp {
			return f.fixed(d, 4)
		}
	case GetCommEventLog:
		if req {
			return f.fixed(d, 0)
		}
		if resp {
			n, err := f.counted(d, 0)
			if err != nil {
				return err
			}
			if n < 6 {
				f.Anomalies |= AnomalyByteCount
			}
		}
	case WriteMultipleCoils, WriteMultipleRegisters:
		if resp {
			if err := f.fixed(d, 4); err != nil {
				return err
			}
			if f.Function == WriteMultipleCoils {
				f.quantity(be16(d[2:]), 0x7B0)
			} else {
				f.quantity(be16(d[2:]), 0x7B)
			}
		}
		if req {
			n, err := f.counted(d, 4)
			if err != nil {
				return err
			}
			q := be16(d[2:])
			if f.Function == WriteMultipleCoils {
				f.quantity(q, 0x7B0)
				if n != (int(q)+7)/8 {
					f.Anomalies |= AnomalyByteCount
				}
			} else {
				f.quantity(q, 0x7B)
				if n != 2*int(q) {
					f.Anomalies |= AnomalyByteCount
				}
			}
		}
	case ReportServerID:
		if req {
			return f.fixed(d, 0)
		}
		if resp {
			_, err := f.counted(d, 0)
			return err
		}
	case ReadFileRecord, WriteFileRecord:
		if req || resp {
			n, err := f.counted(d, 0)
			if err != nil {
				return err
			}
			var it FileRecords
			it.init(f.Function, f.Dir, d[1:1+n])
			for it.Next() {
			}
			if it.Err() != nil {
				f.Anomalies |= AnomalyByteCount
			}
		}
	case MaskWriteRegister:
		return f.fixed(d, 6)
	case ReadWriteMultipleRegisters:
		if req {
			n, err := f.counted(d, 8)
			if err != nil {
				return err
			}
			f.quantity(be16(d[2:]), 0x7D)
			q := be16(d[6:])
			f.quantity(q, 0x79)
			if n != 2*int(q) {
				f.Anomalies |= AnomalyByteCount
			}
		}
		if resp {
			n, err := f.counted(d, 0)
			if err != nil {
				return err
			}
			if n&1 != 0 || n == 0 || n > 250 {
				f.Anomalies |= AnomalyByteCount
			}
		}
	case ReadFIFOQueue:
		if req {
			return f.fixed(d, 2)
		}
		if resp {
			if len(d) < 4 {
				return ErrLength
			}
			bc, cnt := int(be16(d)), int(be16(d[2:]))
			if 2+bc > len(d) {
				return ErrByteCount
			}
			if 2+bc < len(d) {
				f.Anomalies |= AnomalyTrailing
			}
			if bc != 2+2*cnt {
				f.Anomalies |= AnomalyByteCount
			}
			if cnt > 31 {
				f.Anomalies |= AnomalyQuantity
			}
		}
	case EncapsulatedInterfaceTransport:
		if len(d) < 1 {
			return ErrLength
		}
		switch MEIType(d[0]) {
		case MEIReadDeviceID:
			return f.decodeDeviceID(d[1:])
		case MEICANopen:
		default:
			f.Anomalies |= AnomalySubFunction
		}
	default:
		f.classAnomaly()
	}
	return nil
}

func (f *Frame) decodeDeviceID(d []byte) error {
	if f.Dir == Request {
		if err := f.fixed(d, 2); err != nil {
			return err
		}
		if c := ReadDeviceIDCode(d[0]); c < 1 || c > 4 {
			f.Anomalies |= AnomalySubFunction
		}
		return nil
	}
	if f.Dir != Response {
		return nil
	}
	if len(d) < 5 {
		return ErrLength
	}
	if c := ReadDeviceIDCode(d[0]); c < 1 || c > 4 {
		f.Anomalies |= AnomalySubFunction
	}
	if !ConformityLevel(d[1]).Known() || (d[2] != 0 && d[2] != 0xFF) {
		f.Anomalies |= AnomalyValue
	}
	it := Objects{r: d[5:]}
	n := 0
	for it.Next() {
		n++
	}
	if it.Err() != nil {
		return it.Err()
	}
	if n != int(d[4]) {
		f.Anomalies |= AnomalyObjectCount
	}
	return nil
}
