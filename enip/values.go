package enip

import (
	"math"

	"github.com/icsdissect/icsdissect/internal/wire"
)

// DataType is a CIP elementary data type code (CIP Vol. 1, C-6.1), as a
// 16-bit value the way Logix tag services carry it. It is an open enum.
type DataType uint16

// Elementary data types.
const (
	TypeBool        DataType = 0xC1
	TypeSINT        DataType = 0xC2
	TypeINT         DataType = 0xC3
	TypeDINT        DataType = 0xC4
	TypeLINT        DataType = 0xC5
	TypeUSINT       DataType = 0xC6
	TypeUINT        DataType = 0xC7
	TypeUDINT       DataType = 0xC8
	TypeULINT       DataType = 0xC9
	TypeREAL        DataType = 0xCA
	TypeLREAL       DataType = 0xCB
	TypeSTIME       DataType = 0xCC
	TypeDATE        DataType = 0xCD
	TypeTimeOfDay   DataType = 0xCE
	TypeDateAndTime DataType = 0xCF
	TypeSTRING      DataType = 0xD0
	TypeBYTE        DataType = 0xD1
	TypeWORD        DataType = 0xD2
	TypeDWORD       DataType = 0xD3
	TypeLWORD       DataType = 0xD4
	TypeSTRING2     DataType = 0xD5
	TypeFTIME       DataType = 0xD6
	TypeLTIME       DataType = 0xD7
	TypeITIME       DataType = 0xD8
	TypeSTRINGN     DataType = 0xD9
	TypeShortString DataType = 0xDA
	TypeTIME        DataType = 0xDB
	TypeEPATH       DataType = 0xDC
	TypeENGUNIT     DataType = 0xDD
	TypeSTRINGI     DataType = 0xDE
	// TypeStruct marks a structure; a 16-bit structure handle follows it.
	TypeStruct DataType = 0x02A0
)

var typeNames = [...]string{
	"BOOL", "SINT", "INT", "DINT", "LINT", "USINT", "UINT", "UDINT", "ULINT",
	"REAL", "LREAL", "STIME", "DATE", "TIME_OF_DAY", "DATE_AND_TIME", "STRING",
	"BYTE", "WORD", "DWORD", "LWORD", "STRING2", "FTIME", "LTIME", "ITIME",
	"STRINGN", "SHORT_STRING", "TIME", "EPATH", "ENGUNIT", "STRINGI",
}

// Known reports whether t is an elementary type or the structure marker.
func (t DataType) Known() bool {
	return (t >= TypeBool && t <= TypeSTRINGI) || t == TypeStruct
}

// String returns the type's name. It does not allocate.
func (t DataType) String() string {
	if t >= TypeBool && t <= TypeSTRINGI {
		return typeNames[t-TypeBool]
	}
	if t == TypeStruct {
		return "STRUCT"
	}
	return "UNKNOWN"
}

// Size returns the size in bytes of one element of a fixed-size type, or 0
// for strings, structures and unknown types.
func (t DataType) Size() int {
	switch t {
	case TypeBool, TypeSINT, TypeUSINT, TypeBYTE:
		return 1
	case TypeINT, TypeUINT, TypeWORD, TypeDATE, TypeITIME:
		return 2
	case TypeDINT, TypeUDINT, TypeREAL, TypeDWORD, TypeTimeOfDay, TypeTIME, TypeFTIME:
		return 4
	case TypeLINT, TypeULINT, TypeLREAL, TypeLWORD, TypeSTIME, TypeLTIME:
		return 8
	case TypeDateAndTime:
		return 6
	}
	return 0
}

// Value is a typed CIP value: a type and a view of its little-endian bytes,
// which may hold several elements of a fixed-size type.
type Value struct {
	Type TagType
	Data []byte
}

// Len returns how many whole elements of a fixed-size type Data holds, or
// 0 for strings and structures.
func (v Value) Len() int {
	if s := v.Type.Code.Size(); s > 0 {
		return len(v.Data) / s
	}
	return 0
}

func (v Value) elem(i int) ([]byte, bool) {
	s := v.Type.Code.Size()
	if s == 0 || i < 0 || (i+1)*s > len(v.Data) {
		return nil, false
	}
	return v.Data[i*s : (i+1)*s], true
}

// Int returns element i as a signed integer (SINT, INT, DINT, LINT and, as
// their two's-complement reading, the unsigned and bit-string types).
func (v Value) Int(i int) (int64, bool) {
	b, ok := v.elem(i)
	if !ok || v.Type.Code == TypeREAL || v.Type.Code == TypeLREAL {
		return 0, false
	}
	switch len(b) {
	case 1:
		return int64(int8(b[0])), true
	case 2:
		return int64(int16(wire.LE16(b))), true
	case 4:
		return int64(int32(wire.LE32(b))), true
	case 8:
		return int64(uint64(wire.LE32(b)) | uint64(wire.LE32(b[4:]))<<32), true
	}
	return 0, false
}

// Uint returns element i as an unsigned integer.
func (v Value) Uint(i int) (uint64, bool) {
	b, ok := v.elem(i)
	if !ok || v.Type.Code == TypeREAL || v.Type.Code == TypeLREAL {
		return 0, false
	}
	switch len(b) {
	case 1:
		return uint64(b[0]), true
	case 2:
		return uint64(wire.LE16(b)), true
	case 4:
		return uint64(wire.LE32(b)), true
	case 6:
		return uint64(wire.LE32(b)) | uint64(wire.LE16(b[4:]))<<32, true
	case 8:
		return uint64(wire.LE32(b)) | uint64(wire.LE32(b[4:]))<<32, true
	}
	return 0, false
}

// Float returns element i of a REAL or LREAL.
func (v Value) Float(i int) (float64, bool) {
	switch v.Type.Code {
	case TypeREAL:
		if i >= 0 && i < len(v.Data)/4 {
			return float64(math.Float32frombits(wire.LE32(v.Data[4*i:]))), true
		}
	case TypeLREAL:
		if i >= 0 && i < len(v.Data)/8 {
			b := v.Data[8*i:]
			return math.Float64frombits(uint64(wire.LE32(b)) | uint64(wire.LE32(b[4:]))<<32), true
		}
	}
	return 0, false
}

// Bool returns element i of a BOOL (any non-zero byte is true).
func (v Value) Bool(i int) (bool, bool) {
	if v.Type.Code != TypeBool {
		return false, false
	}
	b, ok := v.elem(i)
	if !ok {
		return false, false
	}
	return b[0] != 0, true
}

// Text returns the characters of a STRING (16-bit length) or SHORT_STRING
// (8-bit length) value.
func (v Value) Text() ([]byte, bool) {
	r := wire.Reader(v.Data)
	var out []byte
	switch v.Type.Code {
	case TypeSTRING:
		var n uint16
		if !r.U16LE(&n) || !r.Bytes(&out, int(n)) {
			return nil, false
		}
		return out, true
	case TypeShortString:
		var n uint8
		if !r.U8(&n) || !r.Bytes(&out, int(n)) {
			return nil, false
		}
		return out, true
	}
	return nil, false
}
