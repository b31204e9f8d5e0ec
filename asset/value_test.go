package asset

import (
	"math"
	"net/netip"
	"testing"
	"time"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

func TestValueText(t *testing.T) {
	ts := time.Date(2020, 7, 25, 7, 3, 28, 237928000, time.UTC).UnixNano()
	for _, c := range []struct {
		v    Value
		text string
		json string
	}{
		{BoolValue(true), "true", "true"},
		{IntValue(-5), "-5", "-5"},
		{UintValue(65535), "65535", "65535"},
		{Float32Value(0.1), "0.1", "0.1"},
		{Float64Value(0.1), "0.1", "0.1"},
		{Float32Value(float32(math.NaN())), "NaN", `"NaN"`},
		{Float64Value(math.Inf(-1)), "-Inf", `"-Inf"`},
		{TextValue([]byte("Motor \"1\"\n")), "Motor \"1\"\n", `"Motor \"1\"\n"`},
		{TextValue([]byte{'a', 0xff, 0}), "a\xff\x00", `"a\ufffd\u0000"`},
		{BytesValue([]byte{0xde, 0xad}), "dead", `"dead"`},
		{TimeValue(ts), "2020-07-25T07:03:28.237928Z", `"2020-07-25T07:03:28.237928Z"`},
		{DurationValue(1500 * time.Millisecond), "1500ms", "1500000000"},
		{DurationValue(2 * time.Hour), "2h", "7200000000000"},
		{DurationValue(1500 * time.Microsecond), "0.0015s", "1500000"},
		{CROBValue(CROB{Code: 0x41, Count: 1, OnTime: 100, OffTime: 200}), "code=0x41 count=1 on=100ms off=200ms status=0",
			`{"code":65,"count":1,"on_ms":100,"off_ms":200,"status":0}`},
		{Value{}, "", "null"},
	} {
		assert.Equal(t, c.text, c.v.String())
		assert.Equal(t, c.json, string(appendValueJSON(nil, c.v)))
	}
}

func TestValueAccessors(t *testing.T) {
	v := IntValue(-1)
	_, ok := v.Uint()
	assert.False(t, ok)
	i, ok := v.Int()
	assert.True(t, ok)
	assert.Equal(t, int64(-1), i)
	f, ok := v.Float()
	assert.True(t, ok)
	assert.Equal(t, -1.0, f)
	u, ok := UintValue(math.MaxUint64).Uint()
	assert.True(t, ok)
	assert.Equal(t, uint64(math.MaxUint64), u)
	_, ok = UintValue(math.MaxUint64).Int()
	assert.False(t, ok)
	f32, ok := Float32Value(1.5).Float32()
	assert.True(t, ok)
	assert.Equal(t, float32(1.5), f32)
	_, ok = Float64Value(1.5).Float32()
	assert.False(t, ok)
	b, ok := BoolValue(true).Bool()
	assert.True(t, ok && b)
	_, ok = TextValue(nil).Bool()
	assert.False(t, ok)
	txt, ok := TextValue([]byte("x")).Text()
	assert.True(t, ok)
	assert.Equal(t, "x", string(txt))
	raw, ok := TextValue([]byte("x")).Bytes()
	assert.True(t, ok)
	assert.Equal(t, "x", string(raw))
	_, ok = BytesValue([]byte("x")).Text()
	assert.False(t, ok)
	ns, ok := TimeValue(42).TimeValue()
	assert.True(t, ok)
	assert.Equal(t, int64(42), ns)
	d, ok := DurationValue(time.Second).Duration()
	assert.True(t, ok)
	assert.Equal(t, time.Second, d)
	c, ok := CROBValue(CROB{Code: 3, Count: 2, OnTime: 1, OffTime: 2, Status: 4}).CROB()
	assert.True(t, ok)
	assert.Equal(t, CROB{Code: 3, Count: 2, OnTime: 1, OffTime: 2, Status: 4}, c)
	_, ok = IntValue(0).CROB()
	assert.False(t, ok)
	q := UintValue(1).WithFlags(0x81).WithTime(5).WithAddr(7)
	assert.Equal(t, Value{Kind: KindUint, n: 1, HasFlags: true, Flags: 0x81, HasTime: true, Time: 5, Addr: 7}, q)
	assert.True(t, TextValue([]byte("ab")).Equal(TextValue([]byte("ab"))))
	assert.False(t, TextValue([]byte("ab")).Equal(BytesValue([]byte("ab"))))
	src := []byte("abc")
	cl := TextValue(src).Clone()
	src[0] = 'x'
	txt, _ = cl.Text()
	assert.Equal(t, "abc", string(txt))
}

func TestRegisterValues(t *testing.T) {
	// 0x3f800000 = 1.0 high word first; 0x0000 0x3f80 low word first.
	raw := testkit.Hex("3f80 0000 0000 3f80 ffff")
	v := RegisterValues(100, raw, 5)
	require.Equal(t, 5, v.Len())
	assert.Equal(t, "register", v.TypeName())
	x, ok := v.At(4)
	require.True(t, ok)
	assert.Equal(t, uint64(104), x.Addr)
	u, _ := x.Uint()
	assert.Equal(t, uint64(0xffff), u)
	_, ok = v.At(5)
	assert.False(t, ok)
	_, ok = v.At(-1)
	assert.False(t, ok)
	f, ok := v.Float32(0, HighFirst)
	assert.True(t, ok)
	assert.Equal(t, float32(1), f)
	f, ok = v.Float32(1, LowFirst)
	assert.True(t, ok)
	assert.Equal(t, float32(1), f)
	_, ok = v.Float32(2, HighFirst) // only one register left
	assert.False(t, ok)
	i, ok := v.Int32(0, LowFirst)
	assert.True(t, ok)
	assert.Equal(t, int32(0x00003f80), i)
	var n int
	for i, x := range v.All {
		assert.Equal(t, uint64(100+i), x.Addr)
		n++
	}
	assert.Equal(t, 5, n)
	assert.Equal(t, 2, RegisterValues(0, raw[:5], 9).Len(), "count bounded by the bytes")
	_, ok = BitValues(0, raw, 3).Float32(0, HighFirst)
	assert.False(t, ok)
}

func TestBitValues(t *testing.T) {
	v := BitValues(20, []byte{0xcd, 0x01}, 10)
	var got []bool
	for _, x := range v.All {
		b, _ := x.Bool()
		got = append(got, b)
	}
	assert.Equal(t, []bool{true, false, true, true, false, false, true, true, true, false}, got)
	assert.Equal(t, 16, BitValues(0, []byte{1, 2}, 99).Len())
	c := v.Clone()
	assert.Equal(t, v.Raw(), c.Raw())
	assert.Equal(t, Modbus, c.Proto())
	assert.Equal(t, uint64(20), c.Start())
}

func TestValuesAllocs(t *testing.T) {
	raw := testkit.Hex("3f80 0000 0000 3f80 ffff")
	regs := RegisterValues(100, raw, 5)
	var sink float32
	var buf []byte
	buf = make([]byte, 0, 256)
	testkit.ZeroAllocs(t, []testkit.AllocCase{
		{Name: "Values.At", Fn: func() { x, _ := regs.At(3); sink += float32(x.n) }},
		{Name: "Values.All", Fn: func() {
			for _, x := range regs.All {
				sink += float32(x.n)
			}
		}},
		{Name: "Values.Float32", Fn: func() { f, _ := regs.Float32(0, LowFirst); sink += f }},
		{Name: "Value.AppendText float32", Fn: func() { buf, _ = Float32Value(0.1).AppendText(buf[:0]) }},
		{Name: "Value.AppendText time", Fn: func() { buf, _ = TimeValue(1e18).AppendText(buf[:0]) }},
		{Name: "Value.AppendText duration", Fn: func() { buf, _ = DurationValue(1234567).AppendText(buf[:0]) }},
		{Name: "appendValueJSON text", Fn: func() { buf = appendValueJSON(buf[:0], TextValue(raw)) }},
		{Name: "Operation.String", Fn: func() { _ = OpFirmware.String() }},
		{Name: "Flags.AppendText", Fn: func() { buf, _ = (FlagPaired | FlagRouted).AppendText(buf[:0]) }},
		{Name: "Action.AppendText unknown", Fn: func() { buf, _ = Action(250).AppendText(buf[:0]) }},
	})
	_ = sink
}
