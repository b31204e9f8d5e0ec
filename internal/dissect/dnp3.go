package dissect

import (
	"github.com/icsdissect/icsdissect/dnp3"
	"github.com/icsdissect/icsdissect/pcapx"
)

// dnp3State holds the free dnp3.Conns; transport reassembly, pairing and
// sequence tracking all live in each flow's Conn.
type dnp3State struct {
	pool connPool[dnp3.Conn]
}

// conn returns the Conn of p's flow. When bytes were lost in p's direction
// before it (p.Gap: pcapx dropped the partial PDU before the hole and
// framed the bytes after it anew), the Conn is told before it decodes p:
// it drops the fragments in progress in that direction and does not hold
// the lost frames against the ones after (dnp3.Conn.Gap says which checks
// it skips once). The fields of p itself are decoded as usual.
func (st *dnp3State) conn(p *pcapx.PDU) *dnp3.Conn {
	c := connFor(&st.pool, p)
	if p.Gap {
		c.Gap(p.ToServer)
	}
	return c
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
	c := d.dnp3.conn(p)
	res := Result{Func: "unknown"}
	ts := p.Time.UnixNano()
	data := p.Data
	// A UDP datagram may hold several link frames; a TCP PDU from Split
	// holds one.
	for len(data) > 0 {
		m, err := c.Decode(data, p.ToServer, ts)
		f := &m.Frame
		if err == dnp3.ErrStart || err == dnp3.ErrHeaderCRC || err == dnp3.ErrLength || f.Length < 5 {
			// No link header to show.
			if res.Err == nil {
				res.Err = err
			}
			return res
		}
		fn, ferr := dnp3Frame(s, m, err)
		if res.Func == "unknown" || fn != "" && res.Func == "link" {
			res.Func = fn
		}
		if res.Err == nil {
			res.Err = ferr
		}
		n := f.WireLen()
		if err == dnp3.ErrTruncated || n > len(data) {
			break
		}
		data = data[n:]
	}
	return res
}

// dnp3Frame emits the fields of one link frame and, when it completes an
// application fragment, the fragment's.
func dnp3Frame(s Sink, m *dnp3.Message, err error) (string, error) {
	f := &m.Frame
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
	// The transport header shows even when its block fails the CRC
	// check.
	th, ok := f.Transport()
	if !ok {
		return "link", err
	}
	s.Uint(fDNP3TrCtl, uint64(th))
	s.Bool(fDNP3TrFin, th.FIN())
	s.Bool(fDNP3TrFir, th.FIR())
	s.Uint(fDNP3TrSeq, uint64(th.Seq()))
	if err != nil && !m.Complete {
		if err == dnp3.ErrCRC {
			s.Bool(fDNP3CRCError, true)
		}
		return "transport", err
	}
	dnp3Anomalies(s, m.Anomalies)
	if !m.Complete {
		return "transport", nil
	}
	return dnp3App(s, &m.Fragment, err)
}

// dnp3App emits the fields of a reassembled application fragment in
// Wireshark's order; err is the error of its header.
func dnp3App(s Sink, a *dnp3.Fragment, err error) (string, error) {
	if err == dnp3.ErrLength {
		// No function code.
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
	objs := a.Objects()
	for objs.Next() {
		h := objs.Object()
		dnp3Header(s, &h)
		dnp3Points(s, &h, objs.Points())
	}
	if h, ok := objs.Partial(); ok {
		dnp3Header(s, &h)
	}
	dnp3Anomalies(s, objs.Anomalies())
	err = objs.Err()
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

// dnp3Header emits an object header, as far as its octets go (a header
// cut short by the end of the fragment shows its first fields).
func dnp3Header(s Sink, h *dnp3.Object) {
	s.Uint(fDNP3AlObj, uint64(h.Type()))
	if h.HeaderLen < 3 {
		return
	}
	q := h.Qualifier
	s.Uint(fDNP3AlPrefix, uint64(q.Prefix()))
	s.Uint(fDNP3AlRange, uint64(q.Range()))
	if h.HeaderLen < 3+h.RangeLen {
		return
	}
	switch q.Range() {
	case 0, 1, 2:
		s.Uint(fDNP3AlStart, uint64(h.Start))
		s.Uint(fDNP3AlStop, uint64(h.Stop))
	case 3, 4, 5:
		s.Uint(fDNP3AlAbs, uint64(h.Start))
	case 7, 8, 9, 11:
		s.Uint(fDNP3AlQuantity, uint64(h.Count))
	}
}

// dnp3Points emits the points of one object header, and the one cut short
// by the end of the fragment (for an object of unknown size, Wireshark
// shows the first prefix, then gives up: so does Partial).
func dnp3Points(s Sink, h *dnp3.Object, pts *dnp3.Points) {
	for pts.Next() {
		dnp3Point(s, h, pts, pts.Point())
	}
	if p, ok := pts.Partial(); ok {
		dnp3Point(s, h, pts, p)
	}
}

func dnp3Point(s Sink, h *dnp3.Object, pts *dnp3.Points, p dnp3.Point) {
	q := h.Qualifier
	switch {
	case q.IndexPrefix():
		s.Uint(fDNP3AlIndex, uint64(p.Index()))
	case q.SizePrefix():
		s.Uint(fDNP3AlSize, uint64(pts.Size()))
	}
	g, v := h.Group, h.Variation
	if (g == 13 || g == 43) && p.HasStatus() {
		s.Uint(fDNP3AlCtlSt, uint64(p.Status()))
	}
	switch p.Kind() {
	case dnp3.KindBit:
		if g == 1 && v == 1 || g == 10 && v == 1 || g == 12 && v == 3 || g == 80 {
			s.Bool(fDNP3AlBit, p.Int() != 0)
		}
	case dnp3.KindDoubleBit:
		if g == 3 && v == 1 {
			s.Uint(fDNP3Al2Bit, uint64(p.Int()))
		}
	case dnp3.KindInt, dnp3.KindFloat:
		dnp3Analog(s, g, p)
	case dnp3.KindCounter:
		switch {
		case g == 34:
			// Wireshark shows deadbands as signed analog values.
			if v == 1 {
				s.Int(fDNP3AlAnaInt, int64(int16(p.Int())))
			} else {
				s.Int(fDNP3AlAnaInt, int64(int32(p.Int())))
			}
		default:
			s.Uint(fDNP3AlCnt, uint64(p.Int()))
		}
	case dnp3.KindControl:
		// Field by field, as far as the octets go (a block cut short
		// shows its first fields).
		if c, ok := pts.CROB(); ok {
			if c.Fields >= 2 {
				s.Uint(fDNP3AlCount, uint64(c.Count))
			}
			if c.Fields >= 3 {
				s.Uint(fDNP3AlOnTime, uint64(c.OnTime))
			}
			if c.Fields >= 4 {
				s.Uint(fDNP3AlOffTime, uint64(c.OffTime))
			}
			if c.Fields >= 5 {
				s.Uint(fDNP3AlCtlSt, uint64(c.Status))
			}
		}
	case dnp3.KindAttribute:
		if a, ok := pts.Attribute(); ok {
			s.Uint(fDNP3AlDType, uint64(a.Type))
			if a.Type == dnp3.AttrTypeNone {
				break
			}
			s.Uint(fDNP3AlDALen, uint64(len(a.Value)))
			if a.Type == dnp3.AttrTypeVString {
				s.Text(fDNP3AlDAValue, a.Value)
			}
		}
	case dnp3.KindBytes:
		if g == 110 || g == 111 {
			if r := pts.Raw(); len(r) > 0 {
				s.Bytes(fDNP3AlOctet, r)
			}
		}
	}
}

// dnp3Analog emits an analog value under Wireshark's input or output field.
func dnp3Analog(s Sink, g uint8, p dnp3.Point) {
	out := g == 40 || g == 41 || g == 42 || g == 43
	switch {
	case p.Kind() == dnp3.KindInt && out:
		s.Int(fDNP3AlAoInt, p.Int())
	case p.Kind() == dnp3.KindInt:
		s.Int(fDNP3AlAnaInt, p.Int())
	case out && p.Double():
		s.Float(fDNP3AlAoDbl, p.Float())
	case out:
		s.Float(fDNP3AlAoFlt, p.Float())
	case p.Double():
		s.Float(fDNP3AlAnaDbl, p.Float())
	default:
		s.Float(fDNP3AlAnaFlt, p.Float())
	}
	if g == 41 && p.HasStatus() {
		s.Uint(fDNP3AlCtlSt, uint64(p.Status()))
	}
}

func dnp3Anomalies(s Sink, a dnp3.Anomaly) {
	for f := range a.All {
		s.Text(fDNP3Anomaly, dnp3AnomalyBytes(f))
	}
}

// dnp3AnomalyBytes returns the name of anomaly flag f as bytes without
// allocating: the names are kept in a fixed table of byte slices.
func dnp3AnomalyBytes(f dnp3.Anomaly) []byte {
	for i, n := range dnp3AnomalyNames {
		if f == 1<<i {
			return n
		}
	}
	return nil
}

var dnp3AnomalyNames = func() (t [32][]byte) {
	for i := range t {
		t[i] = []byte(dnp3.Anomaly(1 << i).String())
	}
	return t
}()
