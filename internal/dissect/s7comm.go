package dissect

import "github.com/icsdissect/icsdissect/pcapx"

// s7State is the per-flow state of the s7comm dissector.
type s7State struct{}

func (d *Dissector) s7comm(s Sink, p *pcapx.PDU) Result {
	return Result{Func: "unknown", Err: ErrUnknownProtocol}
}
