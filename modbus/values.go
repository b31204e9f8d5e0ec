package modbus

import "math"

// Bits is a packed list of coil or discrete input states, least significant
// bit of the first byte first, viewing the input. Start is the address of
// the first bit when it is known (see [Message.Bits]).
type Bits struct {
	b     []byte
	n     uint16 // at most 8*255
	start uint16
}

// Len returns the number of bits: the quantity when known, else 8 per byte.
func (b Bits) Len() int { return int(b.n) }

// At returns bit i and true, or false, false when i is out of range. It
// never panics.
func (b Bits) At(i int) (bool, bool) {
	if uint(i) >= uint(b.n) {
		return false, false
	}
	return b.b[i>>3]&(1<<(uint(i)&7)) != 0, true
}

// All yields each bit's index and state, for use as
// for i, on := range bits.All.
func (b Bits) All(yield func(int, bool) bool) {
	for i := 0; i < int(b.n); i++ {
		if !yield(i, b.b[i>>3]&(1<<(uint(i)&7)) != 0) {
			return
		}
	}
}

// Bytes returns the packed bytes, a view of the input.
func (b Bits) Bytes() []byte { return b.b }

// Start returns the address of bit 0: the start address of the request
// that asked for these bits when it is known, else 0. Bit i is at address
// Start()+i (modulo 65536).
func (b Bits) Start() uint16 { return b.start }

// WithQuantity returns b limited to its first q bits (a response carries
// whole bytes; the request says how many bits count). q larger than the
// bits present, or negative, is ignored.
func (b Bits) WithQuantity(q int) Bits {
	if q >= 0 && q < int(b.n) {
		b.n = uint16(q)
	}
	return b
}

// Registers is a list of big-endian 16-bit register values viewing the
// input. Start is the address of the first register when it is known (see
// [Message.Registers]).
type Registers struct {
	b     []byte
	start uint16
}

// Len returns the number of whole registers.
func (r Registers) Len() int { return len(r.b) >> 1 }

// At returns register i and true, or 0, false when i is out of range. It
// never panics.
func (r Registers) At(i int) (uint16, bool) {
	if uint(i) >= uint(len(r.b)>>1) {
		return 0, false
	}
	return uint16(r.b[2*i])<<8 | uint16(r.b[2*i+1]), true
}

// All yields each register's index and value, for use as
// for i, v := range regs.All.
func (r Registers) All(yield func(int, uint16) bool) {
	b := r.b
	for i := 0; len(b) >= 2; i++ {
		if !yield(i, uint16(b[0])<<8|uint16(b[1])) {
			return
		}
		b = b[2:]
	}
}

// Bytes returns the register bytes, a view of the input (an odd trailing byte
// included).
func (r Registers) Bytes() []byte { return r.b }

// Start returns the address of register 0: the start address of the request
// (or of the write) when it is known, else 0. Register i is at address
// Start()+i (modulo 65536), the number Wireshark shows as modbus.regnum16.
func (r Registers) Start() uint16 { return r.start }

// WordOrder is the order of the 16-bit registers that make up a 32- or
// 64-bit value. Modbus says nothing about it: devices use either, and the
// device's documentation says which. Bytes within a register are always
// big-endian.
type WordOrder uint8

// Word orders.
const (
	// HighWordFirst puts the most significant register first (big-endian,
	// "ABCD"), as in the specification's own examples and Wireshark's
	// UINT32 and IEEE float register formats.
	HighWordFirst WordOrder = iota
	// LowWordFirst puts the least significant register first ("CDAB",
	// word-swapped), as Modicon controllers store 32-bit values.
	LowWordFirst
)

// Known reports whether o is HighWordFirst or LowWordFirst.
func (o WordOrder) Known() bool { return o <= LowWordFirst }

// String returns "high word first", "low word first", or "word order 0x02".
func (o WordOrder) String() string {
	switch o {
	case HighWordFirst:
		return "high word first"
	case LowWordFirst:
		return "low word first"
	}
	return unknownString("word order", uint(o), 2)
}

// AppendText appends the String form of o to b. It never fails.
func (o WordOrder) AppendText(b []byte) ([]byte, error) {
	switch o {
	case HighWordFirst, LowWordFirst:
		return append(b, o.String()...), nil
	}
	return appendUnknown(b, "word order", uint(o), 2), nil
}

// Uint32 returns the 32-bit value held by registers i and i+1 in word order
// o, or false when they are not both present (or o is unknown). It does
// not allocate.
func (r Registers) Uint32(i int, o WordOrder) (uint32, bool) {
	if i < 0 || i > len(r.b)/2-2 || !o.Known() {
		return 0, false
	}
	p := r.b[2*i : 2*i+4]
	hi := uint32(p[0])<<8 | uint32(p[1])
	lo := uint32(p[2])<<8 | uint32(p[3])
	if o == LowWordFirst {
		hi, lo = lo, hi
	}
	return hi<<16 | lo, true
}

// Int32 is [Registers.Uint32] read as a two's complement signed value.
func (r Registers) Int32(i int, o WordOrder) (int32, bool) {
	v, ok := r.Uint32(i, o)
	return int32(v), ok
}

// Float32 is [Registers.Uint32] read as an IEEE 754 single-precision value.
func (r Registers) Float32(i int, o WordOrder) (float32, bool) {
	v, ok := r.Uint32(i, o)
	return math.Float32frombits(v), ok
}

// Float64 returns the IEEE 754 double-precision value held by registers i
// to i+3 in word order o (LowWordFirst reverses all four), or false when
// they are not all present. It does not allocate.
func (r Registers) Float64(i int, o WordOrder) (float64, bool) {
	if i < 0 || i > len(r.b)/2-4 || !o.Known() {
		return 0, false
	}
	var v uint64
	for k := 0; k < 4; k++ {
		w := k
		if o == LowWordFirst {
			w = 3 - k
		}
		v = v<<16 | uint64(r.b[2*(i+w)])<<8 | uint64(r.b[2*(i+w)+1])
	}
	return math.Float64frombits(v), true
}
