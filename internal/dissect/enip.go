package dissect

import "github.com/icsdissect/icsdissect/pcapx"

// enipState is the per-flow state of the enip dissector.
type enipState struct{}

func (d *Dissector) enipPDU(s Sink, p *pcapx.PDU) Result {
	return Result{Func: "unknown", Err: ErrUnknownProtocol}
}
