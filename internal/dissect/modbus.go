package dissect

import "github.com/icsdissect/icsdissect/pcapx"

func (d *Dissector) modbus(s Sink, p *pcapx.PDU) Result {
	return Result{Func: "unknown", Err: ErrUnknownProtocol}
}
