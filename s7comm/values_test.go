package s7comm

import (
	"math"
	"testing"
	"time"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func values(ts TransportSize, count uint16, hx string) ([]Value, Anomaly, error) {
	v := NewValues(Item{Syntax: SyntaxS7Any, TransportSize: ts, Count: count},
		DataItem{ReturnCode: ReturnSuccess, Value: testkit.Hex(hx)})
	var out []Value
	for v.Next() {
		out = append(out, v.Value())
	}
	return out, v.Anomalies(), v.Err()
}

func TestValues(t *testing.T) {
	date := func(days int) Timestamp {
		d := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
		return Timestamp{Year: uint16(d.Year()), Month: uint8(d.Month()), Day: uint8(d.Day()), Weekday: uint8(d.Weekday()) + 1}
	}
	cases := []struct {
		name  string
		ts    TransportSize
		count uint16
		hex   string
		want  []Value
	}{
		{"bool", TSBit, 1, "01", []Value{{Kind: ValueBool, Int: 1}}},
		{"bytes", TSByte, 3, "01 02 ff", []Value{{Kind: ValueByte, Int: 1}, {Kind: ValueByte, Int: 2}, {Kind: ValueByte, Int: 255}}},
		{"chars", TSChar, 2, "41 42", []Value{{Kind: ValueChar, Int: 'A'}, {Kind: ValueChar, Int: 'B'}}},
		{"string", TSChar, 6, "04 03 616263 00", []Value{{Kind: ValueString, Max: 4}}},
		{"chars, not a string", TSChar, 4, "05 03 6162", []Value{{Kind: ValueChar, Int: 5}, {Kind: ValueChar, Int: 3},
			{Kind: ValueChar, Int: 'a'}, {Kind: ValueChar, Int: 'b'}}},
		{"word", TSWord, 1, "babe", []Value{{Kind: ValueWord, Int: 0xbabe}}},
		{"int", TSInt, 2, "fffe 7fff", []Value{{Kind: ValueInt, Int: -2}, {Kind: ValueInt, Int: 32767}}},
		{"dword", TSDWord, 1, "feadbeef", []Value{{Kind: ValueDWord, Int: 0xfeadbeef}}},
		{"dint", TSDInt, 1, "fffe7960", []Value{{Kind: ValueDInt, Int: -100000}}},
		{"real", TSReal, 1, "3fc00000", []Value{{Kind: ValueReal, Float: 1.5}}},
		{"date", TSDate, 1, "2000", []Value{{Kind: ValueDate, Int: 8192, Time: date(8192)}}},
		{"time of day", TSTOD, 1, "0038cf7c", []Value{{Kind: ValueTimeOfDay, Int: 3723132}}},
		{"time", TSTime, 1, "fffffc18", []Value{{Kind: ValueTime, Int: -1000}}},
		{"s5time", TSS5Time, 2, "2123 0999", []Value{{Kind: ValueS5Time, Int: 123000}, {Kind: ValueS5Time, Int: 9990}}},
		{"date and time", TSDateTime, 1, "1602081451379162", []Value{{Kind: ValueDateTime,
			Time: Timestamp{Year: 2016, Month: 2, Day: 8, Hour: 14, Minute: 51, Second: 37, Millisecond: 916, Weekday: 2}}}},
		{"counter", TSCounter, 2, "0011 0999", []Value{{Kind: ValueCounter, Int: 11}, {Kind: ValueCounter, Int: 999}}},
		{"timer", TSTimer, 1, "3001", []Value{{Kind: ValueTimer, Int: 10000}}},
	}
	for _, c := range cases {
		got, an, err := values(c.ts, c.count, c.hex)
		require.NoError(t, err, c.name)
		assert.Zero(t, an, c.name)
		require.Len(t, got, len(c.want), c.name)
		for i := range got {
			assert.NotEmpty(t, got[i].Bytes, c.name)
			got[i].Bytes = nil
		}
		assert.Equal(t, c.want, got, c.name)
	}

	got, _, _ := values(TSChar, 6, "04 03 616263 00")
	assert.Equal(t, "abc", string(got[0].Bytes), "a STRING's characters")
	got, _, _ = values(TSTimer, 1, "3001")
	d, ok := got[0].Duration()
	assert.True(t, ok)
	assert.Equal(t, 10*time.Second, d)
	_, ok = Value{Kind: ValueInt}.Duration()
	assert.False(t, ok)
	got, _, _ = values(TSDateTime, 1, "1602081451379162")
	tm, ok := got[0].Time.Time()
	assert.True(t, ok)
	assert.Equal(t, time.Date(2016, 2, 8, 14, 51, 37, 916e6, time.UTC), tm)
	got, _, _ = values(TSReal, 1, "7fc00000")
	assert.True(t, math.IsNaN(got[0].Float))
}

// TestValuesRaw: bytes that disagree with their type are kept raw with an
// anomaly; nothing panics.
func TestValuesRaw(t *testing.T) {
	cases := []struct {
		name  string
		ts    TransportSize
		count uint16
		hex   string
		err   error
		n     int
	}{
		{"word count vs length", TSWord, 2, "010203", ErrLength, 1},
		{"empty", TSInt, 1, "", ErrLength, 1},
		{"iec timer", TSIECTimer, 1, "0102030405", ErrLength, 1},
		{"unknown size", TransportSize(0x0d), 1, "01", ErrLength, 1},
		{"bad BCD counter", TSCounter, 2, "00af 0001", nil, 2},
		{"bad BCD s5time", TSS5Time, 1, "00a0", nil, 1},
		{"bad BCD timestamp", TSDateTime, 1, "1a02081451379162", nil, 1},
		{"bad ms digit", TSDateTime, 1, "16020814513791a2", nil, 1},
		{"time of day past midnight", TSTOD, 1, "05265c00", nil, 1},
	}
	for _, c := range cases {
		got, an, err := values(c.ts, c.count, c.hex)
		assert.Equal(t, c.err, err, c.name)
		assert.Equal(t, AnomalyValue, an, c.name)
		require.Len(t, got, c.n, c.name)
		assert.Equal(t, ValueRaw, got[0].Kind, c.name)
	}
	// A failed read has no values; a syntax that states no type is raw
	// without an anomaly.
	v := NewValues(Item{Syntax: SyntaxS7Any, TransportSize: TSWord, Count: 1},
		DataItem{ReturnCode: ReturnObjectDoesNotExist})
	assert.False(t, v.Next())
	v = NewValues(Item{Syntax: SyntaxDBRead}, DataItem{ReturnCode: ReturnSuccess, Value: []byte{1, 2}})
	require.True(t, v.Next())
	assert.Equal(t, Value{Kind: ValueRaw, Bytes: []byte{1, 2}}, v.Value())
	assert.False(t, v.Next())
	assert.Zero(t, v.Anomalies())
	assert.NoError(t, v.Err())
	var zero Values
	assert.False(t, zero.Next())
}

func TestS7String(t *testing.T) {
	s, ok := ParseS7String(testkit.Hex("0a 05 48656c6c6f 0000000000"))
	assert.True(t, ok)
	assert.Equal(t, S7String{Max: 10, Len: 5, Chars: []byte("Hello")}, s)
	s, ok = ParseS7String(testkit.Hex("02 05 4142"))
	assert.False(t, ok, "length above the maximum")
	assert.Equal(t, "AB", string(s.Chars))
	_, ok = ParseS7String([]byte{1})
	assert.False(t, ok)
	_, ok = Timestamp{Year: 2016, Month: 2, Day: 30}.Time()
	assert.False(t, ok, "30 February")
	_, ok = Timestamp{Year: 2016, Month: 13, Day: 1}.Time()
	assert.False(t, ok)
}
