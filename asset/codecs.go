package asset

import (
	"math"

	"github.com/icsdissect/icsdissect/dnp3"
	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/iec104"
	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/s7comm"
)

// decodeAt decodes element i of v with the protocol decoder its codec names.
// i is in range.
func decodeAt(v Values, i int) (Value, bool) {
	switch v.codec {
	case codecS7:
		return s7At(v, i)
	case codecIEC104:
		return iec104At(v, i)
	case codecCIP:
		return cipAt(v, i)
	case codecDNP3:
		return dnp3At(v, i)
	}
	return Value{}, false
}

// allCursor yields every element of v for the codecs whose protocol
// decoder is a cursor, walking it once; it reports false for the others.
func allCursor(v Values, yield func(int, Value) bool) bool {
	switch v.codec {
	case codecS7:
		s7All(v, yield)
		return true
	case codecIEC104:
		iec104All(v, yield)
		return true
	case codecDNP3:
		dnp3All(v, yield)
		return true
	}
	return false
}

// typeName names the protocol type code typ of codec c.
func typeName(c codec, typ uint16, aux uint64) string {
	switch c {
	case codecS7:
		return s7TypeName(typ, aux)
	case codecIEC104:
		return iec104.TypeID(typ).String()
	case codecCIP:
		return cipTypeName(typ, aux)
	case codecDNP3:
		return dnp3TypeName(typ)
	}
	return ""
}

// FunctionName returns the protocol's name of function code code (the
// Meta.Function of its events), or "" when the protocol is unknown.
func FunctionName(p Protocol, code uint16) string {
	switch p {
	case Modbus:
		return modbus.FunctionCode(code).String()
	case S7comm:
		if code>>8 == s7UserdataFunction>>8 {
			return s7comm.FuncGroup(code & 0xff).String()
		}
		return s7comm.Function(code).String()
	case IEC104:
		return iec104.TypeID(code).String()
	case DNP3:
		return dnp3.FunctionCode(code).String()
	case ENIP:
		if code >= 0x100 || code == 0 {
			return enip.Command(code).String()
		}
		return enip.Service(code).String()
	}
	return ""
}

func float32bits(f float32) uint32 { return math.Float32bits(f) }

func math64bits(f float64) uint64 { return math.Float64bits(f) }
