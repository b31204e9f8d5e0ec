package dissect

import (
	"github.com/icsdissect/icsdissect/dnp3"
	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/iec104"
	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/pcapx"
	"github.com/icsdissect/icsdissect/s7comm"
)

// Per-flow state lives in pcapx's flow slot (PDU.State): each flow holds the
// Conn of its protocol, taken on the flow's first PDU and given back when
// Dissector.OnFlow sees the flow end. Given-back Conns wait in a free list,
// reset, for the next flow, so that a capture whose flows come and go
// reaches a steady state without allocating. The list never holds more Conns
// than there were flows alive at once, which pcapx bounds.
//
// A PDU without a slot (one not delivered by pcapx) uses one Conn per
// protocol kept in the Dissector: such callers follow a single connection.

// resetter is a protocol's Conn.
type resetter[T any] interface {
	*T
	Reset()
}

// connPool is the free list of one protocol's Conns, plus the Conn that
// PDUs without a slot share.
type connPool[T any] struct {
	free   []*T
	shared *T
}

// connFor returns the Conn of p's flow, taking one for a new flow.
func connFor[T any, P resetter[T]](pl *connPool[T], p *pcapx.PDU) P {
	if p.State == nil {
		if pl.shared == nil {
			pl.shared = new(T)
		}
		return pl.shared
	}
	if c, ok := (*p.State).(*T); ok {
		return c
	}
	var c *T
	if n := len(pl.free); n > 0 {
		c, pl.free = pl.free[n-1], pl.free[:n-1]
	} else {
		c = new(T)
	}
	*p.State = c
	return c
}

// put resets c and keeps it for another flow.
func put[T any, P resetter[T]](pl *connPool[T], c P) {
	c.Reset()
	pl.free = append(pl.free, (*T)(c))
}

// OnFlow is a pcapx.Config.OnFlow hook: when a flow ends it takes the flow's
// Conn back from the slot for reuse. Set it beside the handler that calls
// PDU. It allocates only to grow the free list.
func (d *Dissector) OnFlow(e *pcapx.FlowEvent) {
	if e.Kind != pcapx.FlowEnd || e.State == nil {
		return
	}
	switch c := (*e.State).(type) {
	case *enip.Conn:
		put(&d.enip.pool, c)
	case *iec104.Conn:
		put(&d.iec104.pool, c)
	case *s7comm.Conn:
		put(&d.s7.pool, c)
	case *dnp3.Conn:
		put(&d.dnp3.pool, c)
	case *modbus.Conn:
		put(&d.mb.pool, c)
	}
	*e.State = nil
}
