package asset

import (
	"math"
	"strconv"
	"time"
)

// Kind is the type of a Value.
type Kind uint8

// Value kinds.
const (
	KindNone     Kind = iota
	KindBool          // Bool
	KindInt           // Int: signed integers of every width
	KindUint          // Uint: unsigned integers and bit strings (BYTE, WORD, registers)
	KindFloat32       // Float: a 32-bit float (S7 REAL, CIP REAL, IEC 104 short float), printed as float32
	KindFloat64       // Float: a 64-bit float
	KindText          // Text: characters (S7 STRING and CHAR arrays, CIP strings, DNP3 strings)
	KindBytes         // Bytes: octets with no stated type
	KindTime          // Time: an absolute time
	KindDuration      // Duration: a time span (S7 S5TIME and TIME, CIP TIME types)
	KindCROB          // CROB: a DNP3 control relay output block
	numKinds
)

var kindNames = [numKinds]string{
	"none", "bool", "int", "uint", "float32", "float64", "text", "bytes", "time", "duration", "crob",
}

// Known reports whether k is a defined kind.
func (k Kind) Known() bool { return k < numKinds }

// String returns the kind's name. It does not allocate for known values.
func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return unknownString("kind", uint64(k), false)
}

// AppendText appends the name. It never allocates.
func (k Kind) AppendText(b []byte) ([]byte, error) {
	if k < numKinds {
		return append(b, kindNames[k]...), nil
	}
	return appendUnknown(b, "kind", uint64(k), false), nil
}

// Value is one element of an access: a register, a tag element, a point, an
// information object. It is a small tagged union: Kind says which accessor
// gives the value. Text and Bytes view the PDU (or the Conn's buffer) and
// are valid only during the Observer call; Clone copies them.
type Value struct {
	Kind Kind
	// Proto is the protocol that stated the type.
	Proto Protocol
	// Type is the protocol's type code of the element: the S7 transport
	// size, the CIP data type, the DNP3 group<<8|variation, the IEC 104 type
	// identification; 0 for Modbus.
	Type uint16
	// HasFlags and HasTime say whether Flags and Time are set.
	HasFlags, HasTime bool
	// Flags holds the element's quality or qualifier as the protocol sends
	// it: the DNP3 flags octet, the IEC 104 quality descriptor or command
	// qualifier, the DNP3 analog output status.
	Flags uint32
	// Addr is the element's address: the register or coil number, the S7
	// byte offset, the DNP3 point index, the IEC 104 information object
	// address, the CIP array element.
	Addr uint64
	// Time is the element's own time stamp in nanoseconds since the Unix
	// epoch (DNP3 event times, IEC 104 CP56Time2a), when HasTime.
	Time int64
	n    uint64
	aux  uint64
	b    []byte
}

// BoolValue returns a KindBool value.
func BoolValue(v bool) Value {
	var n uint64
	if v {
		n = 1
	}
	return Value{Kind: KindBool, n: n}
}

// IntValue returns a KindInt value.
func IntValue(v int64) Value { return Value{Kind: KindInt, n: uint64(v)} }

// UintValue returns a KindUint value.
func UintValue(v uint64) Value { return Value{Kind: KindUint, n: v} }

// Float32Value returns a KindFloat32 value.
func Float32Value(v float32) Value {
	return Value{Kind: KindFloat32, n: uint64(math.Float32bits(v))}
}

// Float64Value returns a KindFloat64 value.
func Float64Value(v float64) Value { return Value{Kind: KindFloat64, n: math.Float64bits(v)} }

// TextValue returns a KindText value viewing b.
func TextValue(b []byte) Value { return Value{Kind: KindText, b: b} }

// BytesValue returns a KindBytes value viewing b.
func BytesValue(b []byte) Value { return Value{Kind: KindBytes, b: b} }

// TimeValue returns a KindTime value of ns nanoseconds since the Unix epoch.
func TimeValue(ns int64) Value { return Value{Kind: KindTime, n: uint64(ns)} }

// DurationValue returns a KindDuration value.
func DurationValue(d time.Duration) Value { return Value{Kind: KindDuration, n: uint64(d)} }

// CROB is a DNP3 control relay output block (group 12 variation 1) as a
// value: the control code, the count, the on and off times in milliseconds
// and the status.
type CROB struct {
	Code    uint8
	Count   uint8
	OnTime  uint32
	OffTime uint32
	Status  uint8
}

// CROBValue returns a KindCROB value.
func CROBValue(c CROB) Value {
	return Value{Kind: KindCROB, n: uint64(c.Code) | uint64(c.Count)<<8 | uint64(c.Status)<<16,
		aux: uint64(c.OnTime)<<32 | uint64(c.OffTime)}
}

// Bool returns the value of a KindBool, or of an integer as "not zero".
func (v Value) Bool() (bool, bool) {
	switch v.Kind {
	case KindBool, KindInt, KindUint:
		return v.n != 0, true
	}
	return false, false
}

// Int returns an integer value (KindInt, KindUint below 1<<63, KindBool as
// 0 or 1, KindDuration in nanoseconds, KindTime in nanoseconds since the
// epoch).
func (v Value) Int() (int64, bool) {
	switch v.Kind {
	case KindInt, KindBool, KindDuration, KindTime:
		return int64(v.n), true
	case KindUint:
		return int64(v.n), v.n <= math.MaxInt64
	}
	return 0, false
}

// Uint returns an unsigned value (KindUint, KindBool, KindInt when not
// negative).
func (v Value) Uint() (uint64, bool) {
	switch v.Kind {
	case KindUint, KindBool:
		return v.n, true
	case KindInt:
		return v.n, int64(v.n) >= 0
	}
	return 0, false
}

// Float returns a number as float64 (floats, and integers converted).
func (v Value) Float() (float64, bool) {
	switch v.Kind {
	case KindFloat32:
		return float64(math.Float32frombits(uint32(v.n))), true
	case KindFloat64:
		return math.Float64frombits(v.n), true
	case KindInt:
		return float64(int64(v.n)), true
	case KindUint, KindBool:
		return float64(v.n), true
	}
	return 0, false
}

// Float32 returns a KindFloat32 value as the protocol sent it.
func (v Value) Float32() (float32, bool) {
	if v.Kind == KindFloat32 {
		return math.Float32frombits(uint32(v.n)), true
	}
	return 0, false
}

// Text returns the characters of a KindText value (a view).
func (v Value) Text() ([]byte, bool) {
	if v.Kind == KindText {
		return v.b, true
	}
	return nil, false
}

// Bytes returns the octets of a KindBytes or KindText value (a view).
func (v Value) Bytes() ([]byte, bool) {
	if v.Kind == KindBytes || v.Kind == KindText {
		return v.b, true
	}
	return nil, false
}

// TimeValue returns a KindTime value in nanoseconds since the Unix epoch.
func (v Value) TimeValue() (int64, bool) {
	if v.Kind == KindTime {
		return int64(v.n), true
	}
	return 0, false
}

// Duration returns a KindDuration value.
func (v Value) Duration() (time.Duration, bool) {
	if v.Kind == KindDuration {
		return time.Duration(v.n), true
	}
	return 0, false
}

// CROB returns a KindCROB value.
func (v Value) CROB() (CROB, bool) {
	if v.Kind != KindCROB {
		return CROB{}, false
	}
	return CROB{Code: uint8(v.n), Count: uint8(v.n >> 8), Status: uint8(v.n >> 16),
		OnTime: uint32(v.aux >> 32), OffTime: uint32(v.aux)}, true
}

// WithFlags returns v with its quality flags set.
func (v Value) WithFlags(f uint32) Value {
	v.Flags, v.HasFlags = f, true
	return v
}

// WithTime returns v with its own time stamp set.
func (v Value) WithTime(ns int64) Value {
	v.Time, v.HasTime = ns, true
	return v
}

// WithAddr returns v with its address set.
func (v Value) WithAddr(a uint64) Value {
	v.Addr = a
	return v
}

// Equal reports whether v and w hold the same kind and value (quality,
// time and address aside).
func (v Value) Equal(w Value) bool {
	if v.Kind != w.Kind || v.n != w.n || v.aux != w.aux {
		return false
	}
	return string(v.b) == string(w.b)
}

// Clone returns v with its bytes copied, so that it outlives the Observer
// call. It allocates only when v holds bytes.
func (v Value) Clone() Value {
	if v.b != nil {
		v.b = append([]byte(nil), v.b...)
	}
	return v
}

// String returns the value as AppendText writes it. It allocates.
func (v Value) String() string {
	b, _ := v.AppendText(nil)
	return string(b)
}

// AppendText appends the value in its plain form: true/false, decimal
// integers, floats in the shortest form that reads back the same (float32
// values as float32, so a REAL 0.1 prints 0.1), text as is, bytes in hex,
// times in RFC 3339 with nanoseconds (UTC), durations as Go prints them, a
// CROB as "code=0x41 count=1 on=100ms off=100ms status=0". It never
// allocates beyond growing b.
func (v Value) AppendText(b []byte) ([]byte, error) {
	switch v.Kind {
	case KindBool:
		return strconv.AppendBool(b, v.n != 0), nil
	case KindInt:
		return strconv.AppendInt(b, int64(v.n), 10), nil
	case KindUint:
		return strconv.AppendUint(b, v.n, 10), nil
	case KindFloat32:
		return strconv.AppendFloat(b, float64(math.Float32frombits(uint32(v.n))), 'g', -1, 32), nil
	case KindFloat64:
		return strconv.AppendFloat(b, math.Float64frombits(v.n), 'g', -1, 64), nil
	case KindText:
		return append(b, v.b...), nil
	case KindBytes:
		return appendHex(b, v.b), nil
	case KindTime:
		return time.Unix(0, int64(v.n)).UTC().AppendFormat(b, time.RFC3339Nano), nil
	case KindDuration:
		return appendDuration(b, time.Duration(v.n)), nil
	case KindCROB:
		c, _ := v.CROB()
		b = append(b, "code=0x"...)
		b = append(b, hexDigits[c.Code>>4], hexDigits[c.Code&0xf])
		b = append(b, " count="...)
		b = strconv.AppendUint(b, uint64(c.Count), 10)
		b = append(b, " on="...)
		b = strconv.AppendUint(b, uint64(c.OnTime), 10)
		b = append(b, "ms off="...)
		b = strconv.AppendUint(b, uint64(c.OffTime), 10)
		b = append(b, "ms status="...)
		return strconv.AppendUint(b, uint64(c.Status), 10), nil
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

func appendHex(b, src []byte) []byte {
	for _, x := range src {
		b = append(b, hexDigits[x>>4], hexDigits[x&0xf])
	}
	return b
}

// appendDuration appends d as time.Duration.String does, without allocating.
func appendDuration(b []byte, d time.Duration) []byte {
	var buf [32]byte
	// Duration.String allocates; format into the stack buffer by hand for
	// the common cases (whole units), else fall back to seconds.
	switch {
	case d == 0:
		return append(b, "0s"...)
	case d%time.Hour == 0:
		return append(strconv.AppendInt(b, int64(d/time.Hour), 10), 'h')
	case d%time.Minute == 0:
		return append(strconv.AppendInt(b, int64(d/time.Minute), 10), 'm')
	case d%time.Second == 0:
		return append(strconv.AppendInt(b, int64(d/time.Second), 10), 's')
	case d%time.Millisecond == 0:
		return append(strconv.AppendInt(b, int64(d/time.Millisecond), 10), "ms"...)
	}
	out := strconv.AppendFloat(buf[:0], d.Seconds(), 'g', -1, 64)
	b = append(b, out...)
	return append(b, 's')
}

// WordOrder says how a 32-bit quantity is spread over two 16-bit Modbus
// registers.
type WordOrder uint8

// Word orders.
const (
	// HighFirst: the first register holds the high word (the specification's
	// big-endian order, "ABCD").
	HighFirst WordOrder = iota
	// LowFirst: the first register holds the low word ("CDAB", common in
	// PLCs that store 32-bit values little-endian by word).
	LowFirst
)

// Values is a view of the elements an access read or wrote: the protocol's
// bytes, its type code and the element count, decoded on demand by the
// protocol package's decoders. It is a fixed-size value and holding it
// allocates nothing; the bytes it views are valid only during the Observer
// call (Clone keeps them).
type Values struct {
	raw   []byte
	start uint64
	aux   uint64 // the protocol decoder's parameters
	n     uint32
	codec codec
	proto Protocol
	typ   uint16
}

// codec selects the decoder of a Values.
type codec uint8

const (
	codecNone      codec = iota
	codecRegisters       // 16-bit big-endian registers (Modbus)
	codecBits            // packed bits, least significant first (Modbus coils)
	codecMask            // a Modbus mask write: AND mask, OR mask, both at one address
	codecFIFO            // Modbus FIFO registers, all read from one address
	codecS7              // S7 data item elements, typed by the request item's transport size
	codecIEC104          // IEC 104 information objects of one ASDU
	codecCIP             // CIP elementary types, strings and structures (typ 0: bytes of no stated type)
	codecDNP3            // the points of one DNP3 object header
)

// Len returns the number of elements.
func (v Values) Len() int { return int(v.n) }

// Proto returns the protocol that stated the type.
func (v Values) Proto() Protocol { return v.proto }

// Type returns the protocol's type code for the elements (see Value.Type).
func (v Values) Type() uint16 { return v.typ }

// Start returns the address of the first element.
func (v Values) Start() uint64 { return v.start }

// Raw returns the protocol bytes the values are decoded from (a view).
func (v Values) Raw() []byte { return v.raw }

// TypeName returns the protocol's name for the element type ("REAL",
// "DINT", "g30v5", "M_ME_NC_1", "register", "coil"). It does not allocate
// for known types.
func (v Values) TypeName() string {
	switch v.codec {
	case codecRegisters:
		return "register"
	case codecBits:
		return "bit"
	case codecMask:
		return "and_or_mask"
	case codecFIFO:
		return "register"
	}
	return typeName(v.codec, v.typ, v.aux)
}

// At returns element i. It reports false when i is out of range or the
// element cannot be decoded from the bytes present. It does not allocate.
// For Modbus, CIP and IEC 104 values it decodes element i directly; for S7
// and DNP3 values, whose protocol decoders are cursors, it walks the cursor
// to element i: walk every element with All.
func (v Values) At(i int) (Value, bool) {
	if i < 0 || i >= int(v.n) {
		return Value{}, false
	}
	var x Value
	var ok bool
	switch v.codec {
	case codecRegisters:
		if 2*i+2 <= len(v.raw) {
			x, ok = Value{Kind: KindUint, n: uint64(v.raw[2*i])<<8 | uint64(v.raw[2*i+1])}, true
		}
	case codecBits:
		if i/8 < len(v.raw) {
			x, ok = Value{Kind: KindBool, n: uint64(v.raw[i/8]>>(i%8)) & 1}, true
		}
	case codecMask, codecFIFO:
		if 2*i+2 <= len(v.raw) {
			x = Value{Kind: KindUint, n: uint64(v.raw[2*i])<<8 | uint64(v.raw[2*i+1]), Proto: v.proto, Addr: v.start}
			return x, true
		}
	default:
		return decodeAt(v, i)
	}
	if !ok {
		return Value{}, false
	}
	x.Proto = v.proto
	x.Addr = v.start + uint64(i)
	return x, true
}

// All yields each element that decodes, with its index. It does not
// allocate.
func (v Values) All(yield func(int, Value) bool) {
	switch v.codec {
	case codecRegisters:
		n := min(int(v.n), len(v.raw)/2)
		for i := 0; i < n; i++ {
			x := Value{Kind: KindUint, Proto: v.proto, Addr: v.start + uint64(i), n: uint64(v.raw[2*i])<<8 | uint64(v.raw[2*i+1])}
			if !yield(i, x) {
				return
			}
		}
		return
	case codecBits:
		n := min(int(v.n), 8*len(v.raw))
		for i := 0; i < n; i++ {
			x := Value{Kind: KindBool, Proto: v.proto, Addr: v.start + uint64(i), n: uint64(v.raw[i/8]>>(i%8)) & 1}
			if !yield(i, x) {
				return
			}
		}
		return
	}
	if allCursor(v, yield) {
		return
	}
	for i := 0; i < int(v.n); i++ {
		x, ok := v.At(i)
		if ok && !yield(i, x) {
			return
		}
	}
}

// Uint32 returns the 32-bit value held by registers 2*i and 2*i+1 in the
// given word order. It reports false for values that are not 16-bit
// registers or when the registers are missing.
func (v Values) Uint32(i int, o WordOrder) (uint32, bool) {
	if v.codec != codecRegisters || i < 0 || 4*i+4 > len(v.raw) || 2*i+2 > int(v.n) {
		return 0, false
	}
	b := v.raw[4*i:]
	hi := uint32(b[0])<<8 | uint32(b[1])
	lo := uint32(b[2])<<8 | uint32(b[3])
	if o == LowFirst {
		hi, lo = lo, hi
	}
	return hi<<16 | lo, true
}

// Int32 is Uint32 read as two's complement.
func (v Values) Int32(i int, o WordOrder) (int32, bool) {
	u, ok := v.Uint32(i, o)
	return int32(u), ok
}

// Float32 returns the IEEE 754 single-precision value held by registers
// 2*i and 2*i+1 in the given word order.
func (v Values) Float32(i int, o WordOrder) (float32, bool) {
	u, ok := v.Uint32(i, o)
	return math.Float32frombits(u), ok
}

// Clone returns v with its bytes copied, so that it outlives the Observer
// call. It allocates.
func (v Values) Clone() Values {
	v.raw = append([]byte(nil), v.raw...)
	return v
}

// RegisterValues returns the values of n 16-bit big-endian registers
// starting at address start (the Modbus layout), viewing raw.
func RegisterValues(start uint64, raw []byte, n int) Values {
	n = min(max(n, 0), len(raw)/2)
	return Values{raw: raw, start: start, n: uint32(n), codec: codecRegisters, proto: Modbus}
}

// BitValues returns the values of n packed bits starting at address start,
// least significant bit of the first byte first (the Modbus coil layout),
// viewing raw.
func BitValues(start uint64, raw []byte, n int) Values {
	n = min(max(n, 0), 8*len(raw))
	return Values{raw: raw, start: start, n: uint32(n), codec: codecBits, proto: Modbus}
}
