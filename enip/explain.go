package enip

import "github.com/icsdissect/icsdissect/internal/wire"

// Explain decodes the encapsulation PDU b again, down to the CIP services,
// embedded messages and paths it carries, and returns nil or a
// *[FieldError] that names the field where decoding stopped (Wireshark's
// field name where it has one) and its byte offset in b. It is the slow,
// opt-in path behind an error of [Parse] or of a cursor; it allocates only
// the error it returns.
func Explain(b []byte) error {
	x := explainer{b: b}
	x.frame()
	if x.err == nil {
		return nil
	}
	return x.err
}

type explainer struct {
	b   []byte
	err *FieldError
}

// fail records the first failure.
func (x *explainer) fail(e Error, field string, off int) {
	if x.err == nil {
		x.err = &FieldError{Err: e, Field: field, Offset: off}
	}
}

// field checks that n bytes of field start at off within end.
func (x *explainer) field(off, n, end int, name string) bool {
	if x.err != nil {
		return false
	}
	if off+n > end {
		x.fail(ErrTruncated, name, off)
		return false
	}
	return true
}

// fields checks a run of fixed-size fields; it returns the offset after
// them, or -1.
func (x *explainer) fields(off, end int, sizes []int, names []string) int {
	for i, n := range sizes {
		if !x.field(off, n, end, names[i]) {
			return -1
		}
		off += n
	}
	return off
}

var headerSizes = []int{2, 2, 4, 4, 8, 4}
var headerNames = []string{"enip.command", "enip.length", "enip.session", "enip.status", "enip.context", "enip.options"}

func (x *explainer) frame() {
	b := x.b
	if x.fields(0, len(b), headerSizes, headerNames) < 0 {
		return
	}
	end := HeaderLen + int(wire.LE16(b[2:]))
	cut := end > len(b)
	if cut {
		end = len(b)
	}
	switch Command(wire.LE16(b)) {
	case CmdSendRRData, CmdSendUnitData:
		iface := "enip.srrd.iface"
		if Command(wire.LE16(b)) == CmdSendUnitData {
			iface = "enip.sud.iface"
		}
		if x.field(24, 4, end, iface) && x.field(28, 2, end, "enip.timeout") {
			x.cpf(30, end, wire.LE32(b[24:]) == 0)
		}
	case CmdListIdentity, CmdListServices, CmdListInterfaces:
		if end > HeaderLen {
			x.cpf(HeaderLen, end, false)
		}
	case CmdRegisterSession:
		x.fields(HeaderLen, end, []int{2, 2}, []string{"enip.rs.version", "enip.rs.flags"})
	}
	if cut && x.err != nil && x.err.Err != ErrTruncated {
		// Parse reports a cut PDU as ErrTruncated whatever its body
		// holds; Explain names where the bytes run out when it gets
		// there, else the length that claims more than there is.
		x.err = nil
	}
	if cut {
		x.fail(ErrTruncated, "enip.length", 2)
	}
}

var identitySizes = []int{2, 2, 2, 4, 8, 2, 2, 2, 2, 2, 4, 1}
var identityNames = []string{"enip.encapver", "enip.sinfamily", "enip.sinport", "enip.sinaddr", "enip.sinzero",
	"enip.lir.vendor", "enip.lir.devtype", "enip.lir.prodcode", "enip.lir.revision", "enip.lir.status",
	"enip.lir.serial", "enip.lir.namelen"}

func (x *explainer) cpf(off, end int, cip bool) {
	b := x.b
	if !x.field(off, 2, end, "enip.cpf.itemcount") {
		return
	}
	count := int(wire.LE16(b[off:]))
	off += 2
	connected := Command(wire.LE16(b)) == CmdSendUnitData
	for i := 0; i < count; i++ {
		if !x.field(off, 2, end, "enip.cpf.typeid") || !x.field(off+2, 2, end, "enip.cpf.length") {
			return
		}
		t := ItemType(wire.LE16(b[off:]))
		n := int(wire.LE16(b[off+2:]))
		off += 4
		if !x.field(off, n, end, "enip.cpf.data") {
			return
		}
		switch t {
		case ItemUnconnectedData:
			if cip && n > 0 {
				x.cip(off, off+n, 0)
			}
		case ItemConnectedData:
			if cip && connected && n > 0 && x.field(off, 2, off+n, "cip.seq") && n > 2 {
				x.cip(off+2, off+n, 0)
			}
		case ItemListIdentity:
			if p := x.fields(off, off+n, identitySizes, identityNames); p > 0 {
				x.field(p, int(b[p-1]), off+n, "enip.lir.name")
			}
		case ItemListServices:
			x.fields(off, off+n, []int{2, 2, 16}, []string{"enip.encapver", "enip.lsr.capaflags", "enip.lsr.servicename"})
		}
		off += n
	}
}

// path checks the EPATH at [off, end).
func (x *explainer) path(off, end int) {
	it := Path(x.b[off:end]).Segments()
	pos := off
	for it.Next() {
		pos += len(it.Segment().Raw)
	}
	if it.Err() != nil {
		x.fail(ErrSegment, "cip.path_segment", pos)
	}
}

func (x *explainer) cip(off, end, depth int) {
	b := x.b
	if !x.field(off, 1, end, "cip.service") {
		return
	}
	svc := Service(b[off] & 0x7F)
	if b[off]&0x80 != 0 {
		p := x.fields(off+1, end, []int{1, 1, 1}, []string{"cip.reserved", "cip.genstat", "cip.addstat_size"})
		if p > 0 && x.field(p, 2*int(b[p-1]), end, "cip.addstat") && svc == SvcMultipleServicePacket {
			x.msp(p+2*int(b[p-1]), end, depth)
		}
		return
	}
	if !x.field(off+1, 1, end, "cip.request_path_size") {
		return
	}
	words := int(b[off+1])
	if !x.field(off+2, 2*words, end, "cip.epath") {
		return
	}
	x.path(off+2, off+2+2*words)
	data := off + 2 + 2*words
	switch {
	case svc == SvcMultipleServicePacket:
		x.msp(data, end, depth)
	case Path(b[off+2:data]).Context() == ContextConnectionManager:
		x.connMgr(svc, data, end, depth)
	}
}

func (x *explainer) msp(off, end, depth int) {
	b := x.b
	if off == end || depth > 4 || !x.field(off, 2, end, "cip.msp.num_services") {
		return
	}
	count := int(wire.LE16(b[off:]))
	if off+2+2*count > end {
		x.fail(ErrCount, "cip.msp.num_services", off)
		return
	}
	for i := 0; i < count; i++ {
		o := off + int(wire.LE16(b[off+2+2*i:]))
		e := end
		if i+1 < count {
			e = off + int(wire.LE16(b[off+4+2*i:]))
		}
		if o < off+2+2*count || o > end || e < o || e > end {
			x.fail(ErrLength, "cip.msp.offset", off+2+2*i)
			return
		}
		x.cip(o, e, depth+1)
	}
}

var forwardOpenSizes = []int{1, 1, 4, 4, 2, 2, 4, 1, 3, 4, 2, 4, 2, 1, 1}
var largeForwardOpenSizes = []int{1, 1, 4, 4, 2, 2, 4, 1, 3, 4, 4, 4, 4, 1, 1}
var forwardOpenNames = []string{"cip.cm.priority", "cip.cm.timeout_ticks", "cip.cm.ot_connid", "cip.cm.to_connid",
	"cip.cm.conn_serial_num", "cip.cm.vendor", "cip.cm.orig_serial_num", "cip.cm.timeout_multiplier",
	"cip.cm.reserved", "cip.cm.otrpi", "cip.cm.ot_net_params", "cip.cm.torpi", "cip.cm.to_net_params",
	"cip.cm.transport_type_trigger", "cip.cm.connpath_size"}

func (x *explainer) connMgr(svc Service, off, end, depth int) {
	b := x.b
	switch svc {
	case SvcForwardOpen, SvcLargeForwardOpen:
		sizes := forwardOpenSizes
		if svc == SvcLargeForwardOpen {
			sizes = largeForwardOpenSizes
		}
		if p := x.fields(off, end, sizes, forwardOpenNames); p > 0 && x.field(p, 2*int(b[p-1]), end, "cip.cm.conn_path") {
			x.path(p, p+2*int(b[p-1]))
		}
	case SvcForwardClose:
		p := x.fields(off, end, []int{1, 1, 2, 2, 4, 1, 1}, []string{"cip.cm.priority", "cip.cm.timeout_ticks",
			"cip.cm.conn_serial_num", "cip.cm.vendor", "cip.cm.orig_serial_num", "cip.cm.connpath_size", "cip.cm.reserved"})
		if p > 0 && x.field(p, 2*int(b[p-2]), end, "cip.cm.conn_path") {
			x.path(p, p+2*int(b[p-2]))
		}
	case SvcUnconnectedSend:
		p := x.fields(off, end, []int{1, 1, 2}, []string{"cip.cm.priority", "cip.cm.timeout_ticks", "cip.cm.msg_req_size"})
		if p < 0 {
			return
		}
		n := int(wire.LE16(b[p-2:]))
		if !x.field(p, n, end, "cip.cm.msg_req") {
			return
		}
		if depth < 4 {
			x.cip(p, p+n, depth+1)
		}
		p += n + n%2
		if p >= end {
			return // the route path is optional
		}
		if q := x.fields(p, end, []int{1, 1}, []string{"cip.cm.route_path_size", "cip.cm.reserved"}); q > 0 &&
			x.field(q, 2*int(b[p]), end, "cip.cm.route_path") {
			x.path(q, q+2*int(b[p]))
		}
	}
}
