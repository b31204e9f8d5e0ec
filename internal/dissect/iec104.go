package dissect

import "github.com/icsdissect/icsdissect/pcapx"

// iec104State is the per-flow state of the iec104 dissector.
type iec104State struct{}

func (d *Dissector) iec104PDU(s Sink, p *pcapx.PDU) Result {
	return Result{Func: "unknown", Err: ErrUnknownProtocol}
}
