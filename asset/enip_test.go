package asset

import (
	"encoding/hex"
	"net/netip"
	"testing"
	"time"

	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sendRRData builds a SendRRData encapsulation frame carrying a CIP message
// as unconnected data.
func sendRRData(cip string) []byte {
	c := testkit.Hex(cip)
	n := 16 + len(c)
	b := []byte{0x6f, 0x00, byte(n), byte(n >> 8), 0x00, 0x01, 0x02, 0x11, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0,
		0, 0, 0, 0, 0x0a, 0x00, 0x02, 0x00, 0, 0, 0, 0, 0xb2, 0x00, byte(len(c)), byte(len(c) >> 8)}
	return append(b, c...)
}

const motorSpeed = "910c50726f6772616d3a4d61696e" + "91054d6f746f7200" + "2803" + "9105537065656400" // Program:Main.Motor[3].Speed

func enipPkt(b []byte, toServer bool, ms int, frame uint64) *Packet {
	cli, srv := netip.MustParseAddrPort("10.0.0.20:50000"), netip.MustParseAddrPort("10.0.0.10:44818")
	p := &Packet{Proto: ENIP, Transport: TCP, Src: cli, Dst: srv, ToServer: toServer, Time: t0.Add(time.Duration(ms) * time.Millisecond),
		Frame: frame, Data: b}
	if !toServer {
		p.Src, p.Dst = srv, cli
	}
	return p
}

func TestEngineENIPTags(t *testing.T) {
	var rec recorder
	e := New(Config{Observer: &rec})
	// Read Tag of one REAL, and its reply 1500.5.
	e.Packet(enipPkt(sendRRData("4c10"+motorSpeed+"0100"), true, 0, 1))
	e.Packet(enipPkt(sendRRData("cc000000"+"ca00"+"0090bb44"), false, 2, 2))
	// Write Tag of one DINT 42, and its reply.
	e.Packet(enipPkt(sendRRData("4d10"+motorSpeed+"c400"+"0100"+"2a000000"), true, 10, 3))
	e.Packet(enipPkt(sendRRData("cd000000"), false, 12, 4))
	// Write Tag to a tag that does not exist: general status 0x05.
	e.Packet(enipPkt(sendRRData("4d10"+motorSpeed+"c400"+"0100"+"07000000"), true, 20, 5))
	e.Packet(enipPkt(sendRRData("cd000500"), false, 22, 6))
	require.Len(t, rec.accesses, 3)
	r, w, x := rec.accesses[0], rec.accesses[1], rec.accesses[2]
	assert.Equal(t, OpRead, r.Kind)
	assert.Equal(t, SpaceCIPTag, r.Space)
	assert.Equal(t, "Program:Main.Motor[3].Speed", string(r.Symbol))
	assert.Equal(t, uint32(1), r.Count)
	assert.Equal(t, "REAL", r.Values.TypeName())
	v, ok := r.Values.At(0)
	require.True(t, ok)
	assert.Equal(t, "1500.5", v.String())
	assert.Equal(t, KindFloat32, v.Kind)
	assert.Equal(t, uint64(1), r.RequestFrame)
	assert.Equal(t, 2*time.Millisecond, r.Latency())
	assert.Equal(t, "Read Tag", r.FunctionName)

	assert.Equal(t, OpWrite, w.Kind)
	assert.Equal(t, "DINT", w.Values.TypeName())
	v, _ = w.Values.At(0)
	assert.Equal(t, "42", v.String())
	assert.Equal(t, uint64(3), w.RequestFrame)
	assert.False(t, w.Status.Failed)

	assert.True(t, x.Status.Failed)
	assert.Equal(t, uint32(5), x.Status.Code)
	assert.True(t, x.Flags.Has(FlagException))

	inv := NewInventory(InventoryConfig{})
	for _, a := range rec.accesses {
		inv.Access(a)
	}
	tags := inv.Device(netip.MustParseAddr("10.0.0.10")).Tags()
	require.Len(t, tags, 1)
	assert.Equal(t, "Program:Main.Motor[3].Speed", tags[0].Name())
	assert.Equal(t, uint64(1), tags[0].Writes, "the failed write does not count")
	assert.Equal(t, "42", tags[0].Value.String())
}

func TestCIPValues(t *testing.T) {
	b := func(s string) []byte { v, _ := hex.DecodeString(s); return v }
	logixString := append(b("05000000"), []byte("Hello")...)
	for _, c := range []struct {
		v    enip.Value
		typ  string
		want []string
	}{
		{enip.Value{Type: enip.TagType{Code: enip.TypeDINT}, Data: b("ffffffff02000000")}, "DINT", []string{"-1", "2"}},
		{enip.Value{Type: enip.TagType{Code: enip.TypeUINT}, Data: b("ffff")}, "UINT", []string{"65535"}},
		{enip.Value{Type: enip.TagType{Code: enip.TypeBool}, Data: b("0100")}, "BOOL", []string{"true", "false"}},
		{enip.Value{Type: enip.TagType{Code: enip.TypeLREAL}, Data: b("000000000000f03f")}, "LREAL", []string{"1"}},
		{enip.Value{Type: enip.TagType{Code: enip.TypeREAL}, Data: b("cdcccc3d")}, "REAL", []string{"0.1"}},
		{enip.Value{Type: enip.TagType{Code: enip.TypeStruct, Handle: enip.LogixStringHandle}, Data: logixString}, "STRING", []string{"Hello"}},
		{enip.Value{Type: enip.TagType{Code: enip.TypeShortString}, Data: append([]byte{2}, "ok"...)}, "SHORT_STRING", []string{"ok"}},
		{enip.Value{Type: enip.TagType{Code: enip.TypeStruct, Handle: 0x1234}, Data: b("0102")}, "STRUCT", []string{"0102"}},
	} {
		vals := enipValues(c.v)
		assert.Equal(t, c.typ, vals.TypeName(), c.typ)
		var got []string
		for i, v := range vals.All {
			w, ok := vals.At(i)
			assert.True(t, ok)
			assert.Equal(t, v, w)
			got = append(got, v.String())
		}
		assert.Equal(t, c.want, got, c.typ)
		_, ok := vals.At(len(c.want))
		assert.False(t, ok)
	}
	raw := rawBytes([]byte{1, 2})
	v, ok := raw.At(0)
	assert.True(t, ok)
	assert.Equal(t, "0102", v.String())
	assert.Equal(t, "bytes", raw.TypeName())
	assert.Equal(t, Values{}, rawBytes(nil))
}
