package enip

import (
	"math"
	"strconv"

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

// LogixStringHandle is the structure handle of the Logix STRING type: a
// DINT length and 82 characters (88 bytes with padding).
const LogixStringHandle = 0x0FCE

// logixStringMax is how many characters a Logix STRING holds.
const logixStringMax = 82

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

func (t DataType) name() string {
	if t >= TypeBool && t <= TypeSTRINGI {
		return typeNames[t-TypeBool]
	}
	if t == TypeStruct {
		return "STRUCT"
	}
	return ""
}

// String returns the type's name ("REAL"), or "data type 0x0099" for an
// undefined code. It allocates only for undefined codes.
func (t DataType) String() string { return nameOr(t.name(), "data type", uint64(t), 4) }

// AppendText appends the text of String to b. It does not allocate when b
// has room.
func (t DataType) AppendText(b []byte) ([]byte, error) {
	return appendName(b, t.name(), "data type", uint64(t), 4), nil
}

// typeSizes are the element sizes of the elementary types from BOOL (0xC1)
// to STRINGI (0xDE); 0 for strings and paths.
var typeSizes = [TypeSTRINGI - TypeBool + 1]uint8{
	1, 1, 2, 4, 8, 1, 2, 4, 8, // BOOL SINT INT DINT LINT USINT UINT UDINT ULINT
	4, 8, 8, 2, 4, 6, 0, // REAL LREAL STIME DATE TIME_OF_DAY DATE_AND_TIME STRING
	1, 2, 4, 8, 0, 4, 8, 2, // BYTE WORD DWORD LWORD STRING2 FTIME LTIME ITIME
	0, 0, 4, 0, 0, 0, // STRINGN SHORT_STRING TIME EPATH ENGUNIT STRINGI
}

// Size returns the size in bytes of one element of a fixed-size type, or 0
// for strings, structures and unknown types.
func (t DataType) Size() int {
	if i := t - TypeBool; i < DataType(len(typeSizes)) {
		return int(typeSizes[i])
	}
	return 0
}

// signed reports whether t is a signed integer type.
func (t DataType) signed() bool {
	switch t {
	case TypeSINT, TypeINT, TypeDINT, TypeLINT, TypeSTIME, TypeFTIME, TypeLTIME, TypeITIME, TypeTIME:
		return true
	}
	return false
}

// TagType is a Logix data type as it appears in tag services: an
// elementary type code, or [TypeStruct] followed by a structure handle.
type TagType struct {
	Code DataType
	// Handle is the structure handle when Code is [TypeStruct].
	Handle uint16
}

func readTagType(r *wire.Reader, t *TagType) bool {
	var c uint16
	if !r.U16LE(&c) {
		return false
	}
	t.Code = DataType(c)
	if t.Code == TypeStruct {
		return r.U16LE(&t.Handle)
	}
	return true
}

// Value is a typed CIP value: a type and a view of its little-endian bytes.
// A value of a fixed-size type is an array of [Value.Len] elements, read
// with [Value.At]; strings read with [Value.Text]; structures stay raw
// ([Value.Struct]).
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

// At returns element i of a fixed-size type; ok is false out of range and
// for strings and structures. It does not allocate.
func (v Value) At(i int) (s Scalar, ok bool) {
	n := v.Type.Code.Size()
	if n == 0 || uint(i) >= uint(len(v.Data)) || i*n+n > len(v.Data) {
		return Scalar{}, false
	}
	b := v.Data[i*n : i*n+n]
	s.Type = v.Type.Code
	switch n {
	case 4:
		s.bits = uint64(wire.LE32(b))
	case 1:
		s.bits = uint64(b[0])
	case 2:
		s.bits = uint64(wire.LE16(b))
	case 8:
		s.bits = uint64(wire.LE32(b)) | uint64(wire.LE32(b[4:]))<<32
	default: // 6: DATE_AND_TIME
		s.bits = uint64(wire.LE32(b)) | uint64(wire.LE16(b[4:]))<<32
	}
	return s, true
}

// Float32 returns element i of a REAL: the same as At(i) and
// [Scalar.Float32], on the shortest path.
func (v Value) Float32(i int) (float32, bool) {
	if v.Type.Code != TypeREAL || uint(i) >= uint(len(v.Data)/4) {
		return 0, false
	}
	return math.Float32frombits(wire.LE32(v.Data[4*i:])), true
}

// All calls yield with each element and its index: for i, s := range v.All.
func (v Value) All(yield func(int, Scalar) bool) {
	for i := 0; ; i++ {
		s, ok := v.At(i)
		if !ok || !yield(i, s) {
			return
		}
	}
}

// Text returns the characters of a CIP STRING (16-bit length), a
// SHORT_STRING (8-bit length) or a Logix STRING (the structure with handle
// [LogixStringHandle]: a DINT length and up to 82 characters). It does not
// allocate.
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
	case TypeStruct:
		var n uint32
		if v.Type.Handle != LogixStringHandle || !r.U32LE(&n) || n > logixStringMax || !r.Bytes(&out, int(n)) {
			return nil, false
		}
		return out, true
	}
	return nil, false
}

// Struct returns the handle and raw bytes of a structure value.
func (v Value) Struct() (handle uint16, data []byte, ok bool) {
	if v.Type.Code != TypeStruct {
		return 0, nil, false
	}
	return v.Type.Handle, v.Data, true
}

// Scalar is one element of an atomic CIP type. Read it with the accessor
// that fits its type: Int for SINT, INT, DINT and LINT (and the signed time
// types), Uint for USINT, UINT, UDINT, ULINT and the bit strings BYTE, WORD,
// DWORD, LWORD, Float32 for REAL, Float64 for LREAL, Bool for BOOL.
type Scalar struct {
	Type DataType
	bits uint64
}

// Bits returns the element's raw bits, zero-extended.
func (s Scalar) Bits() uint64 { return s.bits }

// Int returns a signed integer element, sign-extended.
func (s Scalar) Int() (int64, bool) {
	if !s.Type.signed() {
		return 0, false
	}
	switch s.Type.Size() {
	case 1:
		return int64(int8(s.bits)), true
	case 2:
		return int64(int16(s.bits)), true
	case 4:
		return int64(int32(s.bits)), true
	}
	return int64(s.bits), true
}

// Uint returns an unsigned integer or bit-string element (DATE and
// DATE_AND_TIME too).
func (s Scalar) Uint() (uint64, bool) {
	switch s.Type {
	case TypeUSINT, TypeUINT, TypeUDINT, TypeULINT, TypeBYTE, TypeWORD, TypeDWORD, TypeLWORD,
		TypeDATE, TypeTimeOfDay, TypeDateAndTime:
		return s.bits, true
	}
	return 0, false
}

// Float32 returns a REAL element. REAL is single precision: it is kept as a
// float32 so that it prints as the value sent (543.21, not
// 543.2100219726562).
func (s Scalar) Float32() (float32, bool) {
	if s.Type != TypeREAL {
		return 0, false
	}
	return math.Float32frombits(uint32(s.bits)), true
}

// Float64 returns an LREAL element.
func (s Scalar) Float64() (float64, bool) {
	if s.Type != TypeLREAL {
		return 0, false
	}
	return math.Float64frombits(s.bits), true
}

// Bool returns a BOOL element (any non-zero byte is true).
func (s Scalar) Bool() (bool, bool) {
	if s.Type != TypeBool {
		return false, false
	}
	return s.bits != 0, true
}

// AppendText appends the element as text: a decimal integer, the shortest
// text of a REAL as float32 or an LREAL as float64, "true"/"false" for
// BOOL, and 0x-prefixed hex for bit strings. It does not allocate when b
// has room.
func (s Scalar) AppendText(b []byte) ([]byte, error) {
	switch s.Type {
	case TypeREAL:
		return strconv.AppendFloat(b, float64(math.Float32frombits(uint32(s.bits))), 'g', -1, 32), nil
	case TypeLREAL:
		return strconv.AppendFloat(b, math.Float64frombits(s.bits), 'g', -1, 64), nil
	case TypeBool:
		return strconv.AppendBool(b, s.bits != 0), nil
	case TypeBYTE, TypeWORD, TypeDWORD, TypeLWORD:
		return appendHex(b, s.bits, 2*s.Type.Size()), nil
	}
	if v, ok := s.Int(); ok {
		return strconv.AppendInt(b, v, 10), nil
	}
	return strconv.AppendUint(b, s.bits, 10), nil
}

// String returns the text of AppendText. It allocates.
func (s Scalar) String() string {
	var buf [32]byte
	b, _ := s.AppendText(buf[:0])
	return string(b)
}
