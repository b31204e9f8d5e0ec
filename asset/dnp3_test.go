package asset

import (
	"net/netip"
	"testing"
	"time"

	"github.com/icsdissect/icsdissect/dnp3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dnp3Pkt builds a one-frame DNP3 packet carrying an application fragment
// (after a transport header with FIR and FIN).
func dnp3Pkt(app []byte, toServer bool, ms int, frame uint64) *Packet {
	cli, srv := netip.MustParseAddrPort("10.0.0.20:50001"), netip.MustParseAddrPort("10.0.0.10:20000")
	ctl, dst, src := dnp3.Control(0xc4), uint16(10), uint16(1)
	if !toServer {
		ctl, dst, src = 0x44, 1, 10
	}
	b := dnp3.AppendLinkFrame(nil, ctl, dst, src, append([]byte{0xc0}, app...))
	p := &Packet{Proto: DNP3, Transport: TCP, Src: cli, Dst: srv, ToServer: toServer,
		Time: t0.Add(time.Duration(ms) * time.Millisecond), Frame: frame, Data: b}
	if !toServer {
		p.Src, p.Dst = srv, cli
	}
	return p
}

// TestEngineDNP3 reads device attributes (group 0) and an analog input
// event with its time, and direct-operates a CROB.
func TestEngineDNP3(t *testing.T) {
	var rec recorder
	e := New(Config{Observer: &rec})
	// Read g0v252 (manufacturer) and g0v248 (serial number).
	e.Packet(dnp3Pkt([]byte{0xc1, 0x01, 0x00, 0xfc, 0x06, 0x00, 0xf8, 0x06}, true, 0, 1))
	e.Packet(dnp3Pkt(append(append([]byte{0xc1, 0x81, 0x00, 0x00,
		0x00, 0xfc, 0x00, 0x00, 0x00, 0x01, 0x04}, "Acme"...),
		append([]byte{0x00, 0xf8, 0x00, 0x00, 0x00, 0x01, 0x03}, "S42"...)...), false, 3, 2))
	// Direct operate: latch on point 3, count 1, on 100 ms, off 200 ms.
	crob := []byte{0x0c, 0x01, 0x28, 0x01, 0x00, 0x03, 0x00, 0x03, 0x01, 0x64, 0, 0, 0, 0xc8, 0, 0, 0, 0x00}
	e.Packet(dnp3Pkt(append([]byte{0xc2, 0x05}, crob...), true, 10, 3))
	e.Packet(dnp3Pkt(append([]byte{0xc2, 0x81, 0x00, 0x00}, crob...), false, 12, 4))
	// An unsolicited analog input event with its time (g32v3), point 5.
	ms := uint64(t0.UnixMilli())
	ev := []byte{0xf0, 0x82, 0x00, 0x00, 0x20, 0x03, 0x17, 0x01, 0x05, 0x01, 0x2a, 0x00, 0x00, 0x00,
		byte(ms), byte(ms >> 8), byte(ms >> 16), byte(ms >> 24), byte(ms >> 32), byte(ms >> 40)}
	e.Packet(dnp3Pkt(ev, false, 20, 5))
	e.Flush()

	var id *Identity
	for i := range rec.identities {
		if rec.identities[i].Attrs[0].Name != "outstation_address" && rec.identities[i].Attrs[0].Name != "master_address" {
			id = &rec.identities[i]
		}
	}
	require.NotNil(t, id)
	assert.Equal(t, "link 10", id.Module)
	v, _ := id.Get(FieldVendor)
	assert.Equal(t, "Acme", v)
	s, _ := id.Get(FieldSerial)
	assert.Equal(t, "S42", s)

	require.Len(t, rec.accesses, 2)
	w := rec.accesses[0]
	assert.Equal(t, ActionDirectOperate, w.Action)
	assert.Equal(t, Address{Space: SpaceDNP3Points, Block: 12, Instance: 1, Start: 3, Count: 1}, w.Address)
	x, ok := w.Values.At(0)
	require.True(t, ok)
	cr, ok := x.CROB()
	require.True(t, ok)
	assert.Equal(t, CROB{Code: 3, Count: 1, OnTime: 100, OffTime: 200}, cr)
	assert.Equal(t, uint64(3), x.Addr)
	assert.Equal(t, "g12v1", w.Values.TypeName())

	r := rec.accesses[1]
	assert.Equal(t, ActionReport, r.Action)
	assert.True(t, r.Flags.Has(FlagUnsolicited))
	x, ok = r.Values.At(0)
	require.True(t, ok)
	assert.Equal(t, "42", x.String())
	assert.Equal(t, uint64(5), x.Addr)
	assert.True(t, x.HasFlags)
	assert.Equal(t, uint32(1), x.Flags)
	assert.True(t, x.HasTime)
	assert.Equal(t, t0.UnixNano(), x.Time)
}
