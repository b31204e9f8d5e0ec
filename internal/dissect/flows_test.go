package dissect

import (
	"net/netip"
	"testing"

	"github.com/icsdissect/icsdissect/iec104"
	"github.com/icsdissect/icsdissect/pcapx"
)

// TestFlowSlots checks that each flow keeps its own Conn in its slot, that
// OnFlow takes it back when the flow ends and gives it, reset, to the next
// flow, and that flows coming and going then allocate nothing.
func TestFlowSlots(t *testing.T) {
	var d Dissector
	var slotA, slotB any
	a := iec104TestPDU(t, "680e2c00a2002d010600030094110081", true)
	b := iec104TestPDU(t, "680e2c00a2002d010600030094110081", true)
	b.Flow.Client = netip.AddrPortFrom(b.Flow.Client.Addr(), 40000)
	a.State, b.State = &slotA, &slotB
	d.PDU(nopSink{}, a)
	d.PDU(nopSink{}, b)
	ca, _ := slotA.(*iec104.Conn)
	cb, _ := slotB.(*iec104.Conn)
	if ca == nil || cb == nil || ca == cb {
		t.Fatalf("flows share or lack Conns: %p %p", ca, cb)
	}
	if ca.Stats().Pending != 1 {
		t.Fatalf("flow A's Conn has %d pending, want 1", ca.Stats().Pending)
	}
	d.OnFlow(&pcapx.FlowEvent{Kind: pcapx.FlowEnd, Reason: pcapx.EndFIN, Flow: a.Flow, State: &slotA})
	if slotA != nil {
		t.Fatal("slot not cleared at flow end")
	}
	var slotC any
	c := iec104TestPDU(t, "680401001a00", true)
	c.State = &slotC
	d.PDU(nopSink{}, c)
	if slotC.(*iec104.Conn) != ca {
		t.Fatal("a new flow did not reuse the ended flow's Conn")
	}
	if ca.Stats().Pending != 0 {
		t.Fatal("reused Conn was not reset")
	}
	n := testing.AllocsPerRun(100, func() {
		d.PDU(nopSink{}, c)
		d.OnFlow(&pcapx.FlowEvent{Kind: pcapx.FlowEnd, State: &slotC})
	})
	if n != 0 {
		t.Errorf("%v allocations per flow, want 0", n)
	}
}

// TestNoSlot checks that PDUs without a slot (not from pcapx) share one Conn
// per protocol.
func TestNoSlot(t *testing.T) {
	var d Dissector
	d.PDU(nopSink{}, iec104TestPDU(t, "680e2c00a2002d010600030094110081", true))
	c := d.iec104.pool.shared
	d.PDU(nopSink{}, iec104TestPDU(t, "680401001a00", true))
	if c == nil || d.iec104.pool.shared != c || c.Stats().Requests == 0 {
		t.Error("PDUs without a slot do not share one Conn")
	}
}
