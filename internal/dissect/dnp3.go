package dissect

import "github.com/icsdissect/icsdissect/pcapx"

// dnp3State is the per-flow state of the dnp3 dissector.
type dnp3State struct{}

func (d *Dissector) dnp3PDU(s Sink, p *pcapx.PDU) Result {
	return Result{Func: "unknown", Err: ErrUnknownProtocol}
}
