package s7comm

import (
	"math"
	"time"

	"github.com/icsdissect/icsdissect/internal/wire"
)

// ValueKind says how to read a [Value]: the S7 data type of the element,
// from the transport size of the item that requested it.
type ValueKind uint8

// Value kinds.
const (
	// ValueRaw is a value whose type the item does not state (a syntax
	// other than S7ANY, an IEC timer or counter) or whose bytes disagree
	// with it: Bytes holds them.
	ValueRaw ValueKind = iota + 1
	ValueBool
	ValueByte
	ValueChar
	ValueWord
	ValueInt
	ValueDWord
	ValueDInt
	ValueReal
	// ValueString is an S7 STRING: a maximum length, a current length and
	// the characters.
	ValueString
	ValueDate
	ValueTimeOfDay
	ValueTime
	ValueS5Time
	ValueDateTime
	ValueCounter
	ValueTimer
)

func (k ValueKind) name() string {
	switch k {
	case ValueRaw:
		return "raw"
	case ValueBool:
		return "BOOL"
	case ValueByte:
		return "BYTE"
	case ValueChar:
		return "CHAR"
	case ValueWord:
		return "WORD"
	case ValueInt:
		return "INT"
	case ValueDWord:
		return "DWORD"
	case ValueDInt:
		return "DINT"
	case ValueReal:
		return "REAL"
	case ValueString:
		return "STRING"
	case ValueDate:
		return "DATE"
	case ValueTimeOfDay:
		return "TIME_OF_DAY"
	case ValueTime:
		return "TIME"
	case ValueS5Time:
		return "S5TIME"
	case ValueDateTime:
		return "DATE_AND_TIME"
	case ValueCounter:
		return "COUNTER"
	case ValueTimer:
		return "TIMER"
	}
	return ""
}

// Known reports whether k is one of the kinds above.
func (k ValueKind) Known() bool { return k.name() != "" }

// String names the kind by its S7 type ("REAL"), or "value kind 0x20".
func (k ValueKind) String() string { return enumText(k.name(), "value kind", uint32(k), 2) }

// AppendText appends String's text to b. It does not allocate.
func (k ValueKind) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, k.name(), "value kind", uint32(k), 2), nil
}

// Value is one typed value of a data item. Which field holds it depends on
// Kind:
//
//   - Int: BOOL (0 or 1), BYTE, CHAR, WORD and DWORD (unsigned), INT and
//     DINT (signed), COUNTER (0 to 999); DATE as days since 1990-01-01;
//     TIME_OF_DAY (since midnight), TIME (signed), S5TIME and TIMER as
//     milliseconds (see Duration).
//   - Float: REAL, the float32 on the wire converted exactly.
//   - Time: DATE (the date) and DATE_AND_TIME (the BCD timestamp).
//   - Bytes: the element's bytes on the wire for every kind; for a STRING
//     its characters (Len of them, at most Max), for a raw value all the
//     bytes.
//
// Bytes aliases the data item, and so the input.
type Value struct {
	Kind  ValueKind
	Int   int64
	Float float64
	Time  Timestamp
	Bytes []byte
	// Max is the maximum length of a STRING.
	Max uint8
}

// Duration returns a TIME_OF_DAY, TIME, S5TIME or TIMER value as a
// duration.
func (v Value) Duration() (time.Duration, bool) {
	switch v.Kind {
	case ValueTimeOfDay, ValueTime, ValueS5Time, ValueTimer:
		return time.Duration(v.Int) * time.Millisecond, true
	}
	return 0, false
}

// elemSize returns the bytes of one element of transport size t and the
// kind it decodes to; 0 for a size whose element format is not decoded.
func elemSize(t TransportSize) (int, ValueKind) {
	switch t {
	case TSBit:
		return 1, ValueBool
	case TSByte:
		return 1, ValueByte
	case TSChar:
		return 1, ValueChar
	case TSWord:
		return 2, ValueWord
	case TSInt:
		return 2, ValueInt
	case TSDWord:
		return 4, ValueDWord
	case TSDInt:
		return 4, ValueDInt
	case TSReal:
		return 4, ValueReal
	case TSDate:
		return 2, ValueDate
	case TSTOD:
		return 4, ValueTimeOfDay
	case TSTime:
		return 4, ValueTime
	case TSS5Time:
		return 2, ValueS5Time
	case TSDateTime:
		return 8, ValueDateTime
	case TSCounter:
		return 2, ValueCounter
	case TSTimer:
		return 2, ValueTimer
	}
	return 0, ValueRaw
}

// Values walks the typed values of a data item: the values a read returned
// or a write carried, typed by the transport size and count of the request
// item that asked for them. An item of count n yields n values, except a
// CHAR array that holds an S7 STRING, which yields one STRING value; a
// failed item (a return code other than success, or 0x00 in the data items
// of a write) yields none.
//
// When the item's syntax is not S7ANY, its transport size has no decoded
// element format (IEC timers and counters), or the data's length is not
// count times the element size, Values yields the data as one ValueRaw
// value; the last two cases also set AnomalyValue and make Err return
// ErrLength. An element that is not a valid encoding of its type (a BCD
// digit above 9) is yielded as ValueRaw with AnomalyValue. Values never
// allocates.
type Values struct {
	b    []byte
	kind ValueKind
	size int
	left int
	cur  Value
	an   Anomaly
	err  error
}

// NewValues returns the typed values of data as requested by item.
func NewValues(item Item, data DataItem) Values {
	if data.ReturnCode != ReturnSuccess && data.ReturnCode != ReturnReserved {
		return Values{} // a failed read; the data items of a write carry 0x00
	}
	b := data.Value
	if item.Syntax != SyntaxS7Any {
		return Values{b: b, kind: ValueRaw, left: 1}
	}
	size, kind := elemSize(item.TransportSize)
	n := int(item.Count)
	if size == 0 || n*size != len(b) {
		return Values{b: b, kind: ValueRaw, left: 1, an: AnomalyValue, err: ErrLength}
	}
	if kind == ValueChar && n >= 3 && int(b[0]) == n-2 && b[1] <= b[0] {
		return Values{b: b, kind: ValueString, left: 1}
	}
	return Values{b: b, kind: kind, size: size, left: n}
}

// Next decodes the next value and reports whether there is one.
func (v *Values) Next() bool {
	if v.left <= 0 {
		return false
	}
	v.left--
	switch v.kind {
	case ValueRaw:
		v.cur = Value{Kind: ValueRaw, Bytes: v.b}
		v.b = nil
		return true
	case ValueString:
		s, _ := ParseS7String(v.b)
		v.cur = Value{Kind: ValueString, Bytes: s.Chars, Max: s.Max}
		v.b = nil
		return true
	}
	e := v.b[:v.size:v.size]
	v.b = v.b[v.size:]
	v.cur = decodeElem(v.kind, e)
	if v.cur.Kind == ValueRaw {
		v.an |= AnomalyValue
	}
	return true
}

// Value returns the current value.
func (v *Values) Value() Value { return v.cur }

// Err returns ErrLength when the data's length disagrees with the item's
// count and transport size (the data was yielded raw).
func (v *Values) Err() error { return v.err }

// Anomalies returns AnomalyValue when a value was yielded raw because its
// bytes disagree with its type.
func (v *Values) Anomalies() Anomaly { return v.an }

// decodeElem decodes one element of kind k from e, which has the kind's
// size; an invalid encoding gives a raw value.
func decodeElem(k ValueKind, e []byte) Value {
	v := Value{Kind: k, Bytes: e}
	switch k {
	case ValueBool:
		v.Int = int64(e[0] & 1)
	case ValueByte, ValueChar:
		v.Int = int64(e[0])
	case ValueWord:
		v.Int = int64(wire.BE16(e))
	case ValueInt:
		v.Int = int64(int16(wire.BE16(e)))
	case ValueDWord:
		v.Int = int64(wire.BE32(e))
	case ValueDInt, ValueTime:
		v.Int = int64(int32(wire.BE32(e)))
	case ValueReal:
		v.Float = float64(math.Float32frombits(wire.BE32(e)))
	case ValueTimeOfDay:
		v.Int = int64(wire.BE32(e))
		if v.Int >= 24*3600*1000 {
			return Value{Kind: ValueRaw, Bytes: e}
		}
	case ValueDate:
		days := wire.BE16(e)
		v.Int = int64(days)
		v.Time = dateOf(days)
	case ValueS5Time, ValueTimer:
		ms, ok := s5time(wire.BE16(e))
		if !ok {
			return Value{Kind: ValueRaw, Bytes: e}
		}
		v.Int = ms
	case ValueCounter:
		w := wire.BE16(e) & 0x0fff // the high nibble is not part of the count
		if !bcdOK(uint8(w>>8)) || !bcdOK(uint8(w)) {
			return Value{Kind: ValueRaw, Bytes: e}
		}
		v.Int = int64(w>>8&0x0f)*100 + int64(bcd(uint8(w)))
	case ValueDateTime:
		for _, c := range e[:7] {
			if !bcdOK(c) {
				return Value{Kind: ValueRaw, Bytes: e}
			}
		}
		if e[7]>>4 > 9 {
			return Value{Kind: ValueRaw, Bytes: e}
		}
		v.Time, _ = ParseTimestamp(e)
	}
	return v
}

// s5time decodes an S5TIME (or TIMER) word: a time base in bits 12-13
// (10 ms, 100 ms, 1 s, 10 s) and three BCD digits; bits 14-15 are not
// relevant.
func s5time(w uint16) (int64, bool) {
	if !bcdOK(uint8(w>>8)&0x0f) || !bcdOK(uint8(w)) {
		return 0, false
	}
	n := int64(w>>8&0x0f)*100 + int64(bcd(uint8(w)))
	base := [4]int64{10, 100, 1000, 10000}[w>>12&3]
	return n * base, true
}

// dateOf returns the date days after 1990-01-01, with its S7 weekday
// (1 Sunday to 7 Saturday).
func dateOf(days uint16) Timestamp {
	t := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(days))
	return Timestamp{Year: uint16(t.Year()), Month: uint8(t.Month()), Day: uint8(t.Day()), Weekday: uint8(t.Weekday()) + 1}
}

// S7String is an S7 STRING: the maximum length, the current length and the
// characters (Len of them).
type S7String struct {
	Max   uint8
	Len   uint8
	Chars []byte
}

// ParseS7String decodes an S7 STRING: a maximum-length byte, a
// current-length byte and the characters. ok is false when the current
// length exceeds the maximum or the bytes present; Chars then holds what
// is there, up to the current length. It does not allocate.
func ParseS7String(b []byte) (s S7String, ok bool) {
	if len(b) < 2 {
		return s, false
	}
	s.Max, s.Len = b[0], b[1]
	rest := b[2:]
	n := int(s.Len)
	ok = s.Len <= s.Max && n <= len(rest)
	n = min(n, len(rest))
	s.Chars = rest[:n:n]
	return s, ok
}
