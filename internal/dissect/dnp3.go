package dissect

import (
	"github.com/icsdissect/icsdissect/dnp3"
	"github.com/icsdissect/icsdissect/pcapx"
)

// dnp3FlowCap bounds the flows whose transport reassembly is kept; when it
// is reached the state of an arbitrary flow is dropped.
const dnp3FlowCap = 1024

// dnp3MaxFragment bounds a reassembled fragment. It is larger than the
// standard 2048 octets because Wireshark reassembles up to 60 segments of
// 249 octets, and real captures exceed the standard size.
const dnp3MaxFragment = 16384

// dnp3Flow holds the transport reassembly of both directions of a flow.
type dnp3Flow struct {
	dir [2]dnp3.Transport
}

// dnp3State is the per-flow state of the dnp3 dissector: a link decoder
// with its scratch buffer and, per flow and direction, the transport
// reassembly of each link.
type dnp3State struct {
	dec   dnp3.Decoder
	flows map[pcapx.FlowKey]*dnp3Flow
}

func (st *dnp3State) transport(p *pcapx.PDU) *dnp3.Transport {
	f := st.flows[p.Flow]
	if f == nil {
		if st.flows == nil {
			st.flows = make(map[pcapx.FlowKey]*dnp3Flow)
		}
		if len(st.flows) >= dnp3FlowCap {
			for k := range st.flows {
				delete(st.flows, k)
				break
			}
		}
		f = &dnp3Flow{}
		f.dir[0].Init(dnp3MaxFragment)
		f.dir[1].Init(dnp3MaxFragment)
		st.flows[p.Flow] = f
	}
	i := 0
	if p.ToServer {
		i = 1
	}
	t := &f.dir[i]
	if p.Gap {
		t.Reset()
	}
	return t
}

// DNP3 field names, as Wireshark names them.
const (
	fDNP3Len        = "dnp3.len"
	fDNP3Ctl        = "dnp3.ctl"
	fDNP3Dir        = "dnp3.ctl.dir"
	fDNP3Prm        = "dnp3.ctl.prm"
	fDNP3Fcb        = "dnp3.ctl.fcb"
	fDNP3Fcv        = "dnp3.ctl.fcv"
	fDNP3Dfc        = "dnp3.ctl.dfc"
	fDNP3PriFunc    = "dnp3.ctl.prifunc"
	fDNP3SecFunc    = "dnp3.ctl.secfunc"
	fDNP3Dst        = "dnp3.dst"
	fDNP3Src        = "dnp3.src"
	fDNP3TrCtl      = "dnp3.tr.ctl"
	fDNP3TrFin      = "dnp3.tr.fin"
	fDNP3TrFir      = "dnp3.tr.fir"
	fDNP3TrSeq      = "dnp3.tr.seq"
	fDNP3AlCtl      = "dnp3.al.ctl"
	fDNP3AlFir      = "dnp3.al.fir"
	fDNP3AlFin      = "dnp3.al.fin"
	fDNP3AlCon      = "dnp3.al.con"
	fDNP3AlUns      = "dnp3.al.uns"
	fDNP3AlSeq      = "dnp3.al.seq"
	fDNP3AlFunc     = "dnp3.al.func"
	fDNP3AlIIN      = "dnp3.al.iin"
	fDNP3AlObj      = "dnp3.al.obj"
	fDNP3AlPrefix   = "dnp3.al.objq.prefix"
	fDNP3AlRange    = "dnp3.al.objq.range"
	fDNP3AlStart    = "dnp3.al.range.start"
	fDNP3AlStop     = "dnp3.al.range.stop"
	fDNP3AlAbs      = "dnp3.al.range.abs"
	fDNP3AlQuantity = "dnp3.al.range.quantity"
	fDNP3AlIndex    = "dnp3.al.index"
	fDNP3AlSize     = "dnp3.al.size"
	fDNP3AlPoint    = "dnp3.al.point_index"
	fDNP3AlBit      = "dnp3.al.bit"
	fDNP3Al2Bit     = "dnp3.al.2bit"
	fDNP3AlAnaInt   = "dnp3.al.ana.int"
	fDNP3AlAnaFlt   = "dnp3.al.ana.float"
	fDNP3AlAnaDbl   = "dnp3.al.ana.double"
	fDNP3AlAoInt    = "dnp3.al.anaout.int"
	fDNP3AlAoFlt    = "dnp3.al.anaout.float"
	fDNP3AlAoDbl    = "dnp3.al.anaout.double"
	fDNP3AlCnt      = "dnp3.al.cnt"
	fDNP3AlCtlSt    = "dnp3.al.ctrlstatus"
	fDNP3AlCount    = "dnp3.al.count"
	fDNP3AlOnTime   = "dnp3.al.on_time"
	fDNP3AlOffTime  = "dnp3.al.off_time"
	fDNP3AlDType    = "dnp3.al.datatype"
	fDNP3AlDALen    = "dnp3.al.da.length"
	fDNP3AlDAValue  = "dnp3.al.da.value"
	fDNP3AlOctet    = "dnp3.al.octet_string"
	fDNP3Anomaly    = "dnp3.anomaly"
	fDNP3CRCError   = "dnp3.crc_error"
)

func (d *Dissector) dnp3PDU(s Sink, p *pcapx.PDU) Result {
	st := &d.dnp3
	res := Result{Func: "unknown"}
	data := p.Data
	// A UDP datagram may hold several link frames; a TCP PDU from Split
	// holds one.
	for len(data) > 0 {
		f, n, err := st.dec.Decode(data)
		if err == dnp3.ErrStart || err == dnp3.ErrHeaderCRC || err == dnp3.ErrLength ||
			(err == dnp3.ErrTruncated && len(data) < dnp3.HeaderLen) {
			if res.Err == nil {
				res.Err = err
			}
			return res
		}
		fn, ferr := dnp3Frame(st, s, p, data, &f, err)
		if res.Func == "unknown" || fn != "" && res.Func == "link" {
			res.Func = fn
		}
		if res.Err == nil {
			res.Err = ferr
		}
		if n <= 0 || n > len(data) {
			break
		}
		data = data[n:]
	}
	return res
}

// dnp3Frame emits the fields of one decoded link frame and, when it
// completes an application fragment, the fragment's.
func dnp3Frame(st *dnp3State, s Sink, p *pcapx.PDU, wire []byte, f *dnp3.LinkFrame, err error) (string, error) {
	c := f.Control
	s.Uint(fDNP3Len, uint64(f.Length))
	s.Uint(fDNP3Ctl, uint64(c))
	s.Bool(fDNP3Dir, c.Dir())
	s.Bool(fDNP3Prm, c.PRM())
	if c.PRM() {
		s.Bool(fDNP3Fcb, c.FCB())
		s.Bool(fDNP3Fcv, c.FCV())
		s.Uint(fDNP3PriFunc, uint64(c.Code()))
	} else {
		s.Bool(fDNP3Dfc, c.DFC())
		s.Uint(fDNP3SecFunc, uint64(c.Code()))
	}
	s.Uint(fDNP3Dst, uint64(f.Dst))
	s.Uint(fDNP3Src, uint64(f.Src))
	dnp3Anomalies(s, f.Anomalies)
	// Wireshark reads a transport header for every function except
	// reset link states / ack and the link status pair.
	switch c.Code() {
	case 0, 9, 11:
		return "link", err
	}
	if f.UserDataLen() == 0 {
		return "link", err
	}
	if len(wire) <= dnp3.HeaderLen {
		return "link", err
	}
	// The transport octet is read from the wire, so that it shows even
	// when its block fails the CRC check.
	th := dnp3.TransportHeader(wire[dnp3.HeaderLen])
	s.Uint(fDNP3TrCtl, uint64(th))
	s.Bool(fDNP3TrFin, th.FIN())
	s.Bool(fDNP3TrFir, th.FIR())
	s.Uint(fDNP3TrSeq, uint64(th.Seq()))
	if err != nil {
		if err == dnp3.ErrCRC {
			s.Bool(fDNP3CRCError, true)
		}
		return "transport", err
	}
	frag, done, an := st.transport(p).Add(f)
	dnp3Anomalies(s, an)
	if !done {
		return "transport", nil
	}
	return dnp3App(s, frag)
}

// dnp3App emits the fields of a reassembled application fragment in
// Wireshark's order.
func dnp3App(s Sink, frag []byte) (string, error) {
	a, err := dnp3.ParseFragment(frag)
	if len(frag) < 2 {
		return "application", err
	}
	s.Uint(fDNP3AlCtl, uint64(a.Control))
	s.Bool(fDNP3AlFir, a.Control.FIR())
	s.Bool(fDNP3AlFin, a.Control.FIN())
	s.Bool(fDNP3AlCon, a.Control.CON())
	s.Bool(fDNP3AlUns, a.Control.UNS())
	s.Uint(fDNP3AlSeq, uint64(a.Control.Seq()))
	s.Uint(fDNP3AlFunc, uint64(a.Func))
	name := a.Func.String()
	if err != nil {
		return name, err
	}
	if a.HasIIN && a.Func != dnp3.FuncAuthenticateResponse {
		// Wireshark 4.0 shows no IIN (nor objects) on authentication
		// responses.
		s.Uint(fDNP3AlIIN, uint64(a.IIN))
	}
	dnp3Anomalies(s, a.Anomalies)
	if !dnp3ShowsObjects(a.Func) {
		return name, nil
	}
	it := a.Objects()
	for it.Next() {
		h := it.Header()
		dnp3Header(s, h)
		dnp3Points(s, h)
	}
	if it.Err() == dnp3.ErrTruncated || it.Err() == dnp3.ErrRange {
		dnp3PartialHeader(s, it.Rest())
	}
	dnp3Anomalies(s, it.Anomalies())
	err = it.Err()
	if err == dnp3.ErrUnknownObject {
		// An unknown object ends the walk; it is an anomaly, not an
		// error.
		err = nil
	}
	return name, err
}

// dnp3ShowsObjects reports whether Wireshark walks the objects of a
// fragment with function code fn.
func dnp3ShowsObjects(fn dnp3.FunctionCode) bool {
	switch {
	case fn <= dnp3.FuncFreezeClearNoAck:
		return true
	case fn == dnp3.FuncEnableUnsolicited, fn == dnp3.FuncDisableUnsolicited:
		return true
	case fn >= dnp3.FuncOpenFile && fn <= dnp3.FuncDeleteFile:
		return true
	}
	return fn == dnp3.FuncResponse || fn == dnp3.FuncUnsolicitedResponse
}

func dnp3Header(s Sink, h *dnp3.ObjectHeader) {
	s.Uint(fDNP3AlObj, uint64(h.Type()))
	s.Uint(fDNP3AlPrefix, uint64(h.Qualifier.Prefix()))
	s.Uint(fDNP3AlRange, uint64(h.Qualifier.Range()))
	switch h.Qualifier.Range() {
	case 0, 1, 2:
		s.Uint(fDNP3AlStart, uint64(h.Start))
		s.Uint(fDNP3AlStop, uint64(h.Stop))
	case 3, 4, 5:
		s.Uint(fDNP3AlAbs, uint64(h.Start))
	case 7, 8, 9, 11:
		s.Uint(fDNP3AlQuantity, uint64(h.Count))
	}
}

// dnp3PartialHeader emits what Wireshark shows of an object header cut
// short by the end of the fragment.
func dnp3PartialHeader(s Sink, b []byte) {
	if len(b) < 2 {
		return
	}
	s.Uint(fDNP3AlObj, uint64(b[0])<<8|uint64(b[1]))
	if len(b) < 3 {
		return
	}
	q := dnp3.Qualifier(b[2])
	s.Uint(fDNP3AlPrefix, uint64(q.Prefix()))
	s.Uint(fDNP3AlRange, uint64(q.Range()))
	r := b[3:]
	le := func(n int) uint64 {
		var v uint64
		for i := n - 1; i >= 0; i-- {
			v = v<<8 | uint64(r[i])
		}
		return v
	}
	switch q.Range() {
	case 0, 1, 2:
		n := 1 << q.Range()
		if len(r) >= 2*n {
			start := le(n)
			r = r[n:]
			stop := le(n)
			s.Uint(fDNP3AlStart, start)
			s.Uint(fDNP3AlStop, stop)
		}
	case 3, 4, 5:
		if n := 1 << (q.Range() - 3); len(r) >= n {
			s.Uint(fDNP3AlAbs, le(n))
		}
	case 7, 8, 9, 11:
		n := 1 << (q.Range() - 7)
		if q.Range() == 11 {
			n = 1
		}
		if len(r) >= n {
			s.Uint(fDNP3AlQuantity, le(n))
		}
	}
}

// dnp3Points emits the points of one object header.
func dnp3Points(s Sink, h *dnp3.ObjectHeader) {
	q := h.Qualifier
	if !h.Known {
		// Wireshark shows the first prefix, then gives up.
		if pl := q.PrefixLen(); pl > 0 && len(h.Data) >= pl && h.Count > 0 {
			var v uint64
			for i := pl - 1; i >= 0; i-- {
				v = v<<8 | uint64(h.Data[i])
			}
			if q.IndexPrefix() {
				s.Uint(fDNP3AlIndex, v)
			} else {
				s.Uint(fDNP3AlSize, v)
			}
		}
		return
	}
	pt := h.Points()
	for pt.Next() {
		dnp3Point(s, h, pt.Point())
	}
	if p, ok := pt.Partial(); ok {
		dnp3Point(s, h, &p)
	}
}

func dnp3Point(s Sink, h *dnp3.ObjectHeader, p *dnp3.Point) {
	q := h.Qualifier
	switch {
	case q.IndexPrefix():
		s.Uint(fDNP3AlIndex, uint64(p.Index))
	case q.SizePrefix():
		s.Uint(fDNP3AlSize, uint64(p.Size))
	}
	g, v := h.Group, h.Variation
	if (g == 13 || g == 43) && p.HasStatus {
		s.Uint(fDNP3AlCtlSt, uint64(p.Status))
	}
	switch p.Kind {
	case dnp3.KindBit:
		if g == 1 && v == 1 || g == 10 && v == 1 || g == 12 && v == 3 || g == 80 {
			s.Bool(fDNP3AlBit, p.Int != 0)
		}
	case dnp3.KindDoubleBit:
		if g == 3 && v == 1 {
			s.Uint(fDNP3Al2Bit, uint64(p.Int))
		}
	case dnp3.KindInt:
		dnp3Analog(s, g, v, p)
	case dnp3.KindFloat:
		dnp3Analog(s, g, v, p)
	case dnp3.KindCounter:
		switch {
		case g == 34:
			// Wireshark shows deadbands as signed analog values.
			if v == 1 {
				s.Int(fDNP3AlAnaInt, int64(int16(p.Int)))
			} else {
				s.Int(fDNP3AlAnaInt, int64(int32(p.Int)))
			}
		default:
			s.Uint(fDNP3AlCnt, uint64(p.Int))
		}
	case dnp3.KindControl:
		// Field by field, as far as the octets go (a truncated block
		// shows its first fields).
		r := p.Raw
		if len(r) >= 2 {
			s.Uint(fDNP3AlCount, uint64(r[1]))
		}
		if len(r) >= 6 {
			s.Uint(fDNP3AlOnTime, uint64(r[2])|uint64(r[3])<<8|uint64(r[4])<<16|uint64(r[5])<<24)
		}
		if len(r) >= 10 {
			s.Uint(fDNP3AlOffTime, uint64(r[6])|uint64(r[7])<<8|uint64(r[8])<<16|uint64(r[9])<<24)
		}
		if len(r) >= 11 {
			s.Uint(fDNP3AlCtlSt, uint64(r[10]&0x7F))
		}
	case dnp3.KindAttribute:
		if a, ok := p.Attribute(); ok {
			s.Uint(fDNP3AlDType, uint64(a.Type))
			if a.Type == dnp3.AttrNone {
				break
			}
			s.Uint(fDNP3AlDALen, uint64(len(a.Value)))
			if a.Type == dnp3.AttrVString {
				s.Text(fDNP3AlDAValue, a.Value)
			}
		}
	case dnp3.KindBytes:
		if g == 110 || g == 111 {
			if len(p.Raw) > 0 {
				s.Bytes(fDNP3AlOctet, p.Raw)
			}
		}
	}
}

// dnp3Analog emits an analog value under Wireshark's input or output field.
func dnp3Analog(s Sink, g, v uint8, p *dnp3.Point) {
	out := g == 40 || g == 41 || g == 42 || g == 43
	if p.Kind == dnp3.KindInt {
		if out {
			s.Int(fDNP3AlAoInt, p.Int)
		} else {
			s.Int(fDNP3AlAnaInt, p.Int)
		}
		if g == 41 && p.HasStatus {
			s.Uint(fDNP3AlCtlSt, uint64(p.Status))
		}
		return
	}
	double := len(p.Raw) >= 8 && dnp3IsDouble(g, v)
	switch {
	case out && double:
		s.Float(fDNP3AlAoDbl, p.Float)
	case out:
		s.Float(fDNP3AlAoFlt, p.Float)
	case double:
		s.Float(fDNP3AlAnaDbl, p.Float)
	default:
		s.Float(fDNP3AlAnaFlt, p.Float)
	}
	if g == 41 && p.HasStatus {
		s.Uint(fDNP3AlCtlSt, uint64(p.Status))
	}
}

func dnp3IsDouble(g, v uint8) bool {
	switch g {
	case 30:
		return v == 6
	case 31:
		return v == 8
	case 32, 33, 42, 43:
		return v == 6 || v == 8
	case 40, 41:
		return v == 4
	}
	return false
}

func dnp3Anomalies(s Sink, a dnp3.Anomaly) {
	a.Each(func(f dnp3.Anomaly) {
		s.Text(fDNP3Anomaly, dnp3AnomalyBytes(f))
	})
}

// dnp3AnomalyBytes returns the name of anomaly flag f as bytes without
// allocating: the names are kept in a fixed table of byte slices.
func dnp3AnomalyBytes(f dnp3.Anomaly) []byte {
	for i, n := range dnp3AnomalyNames {
		if f == 1<<i {
			return n
		}
	}
	return dnp3AnomalyUnknown
}

var dnp3AnomalyUnknown = []byte("unknown")

var dnp3AnomalyNames = func() (t [32][]byte) {
	for i := range t {
		t[i] = []byte(dnp3.Anomaly(1 << i).String())
	}
	return t
}()
