package dissect

import (
	"math/bits"

	"github.com/icsdissect/icsdissect/iec104"
	"github.com/icsdissect/icsdissect/pcapx"
)

// iec104State holds the free iec104.Conns and scratch space for text
// fields.
type iec104State struct {
	pool connPool[iec104.Conn]
	text [64]byte
}

// cp56Layout is how Wireshark shows an absolute time in UTC.
const cp56Layout = "Jan _2, 2006 15:04:05.000000000 UTC"

func (d *Dissector) iec104PDU(s Sink, p *pcapx.PDU) Result {
	return d.iec104.pdu(s, p)
}

// conn returns the Conn of p's connection. A gap before p tells the Conn
// that bytes of p's direction were lost: its sequence numbers start afresh,
// its pending activations are kept.
func (st *iec104State) conn(p *pcapx.PDU) *iec104.Conn {
	c := connFor(&st.pool, p)
	if p.Gap {
		c.Gap(p.ToServer)
	}
	return c
}

// pdu decodes one APDU through its connection's Conn and emits Wireshark's
// iec60870_104.* and iec60870_asdu.* fields in Wireshark's order, then the
// frame's and the connection's anomalies.
func (st *iec104State) pdu(s Sink, p *pcapx.PDU) Result {
	m, err := st.conn(p).Decode(p.Data, p.ToServer, p.Time.UnixNano())
	f := &m.Frame
	if err == iec104.ErrStart || err == iec104.ErrTruncated && f.Raw == nil {
		// No APDU: garbage, or one cut by the end of the stream.
		return Result{Func: "malformed", Err: err}
	}
	s.Uint("iec60870_104.apdulen", uint64(f.Length))
	if err == iec104.ErrLength {
		return Result{Func: "malformed", Err: err}
	}
	s.Uint("iec60870_104.type", uint64(f.Format))
	fn := "malformed"
	switch f.Format {
	case iec104.FormatI:
		s.Uint("iec60870_104.tx", uint64(f.SendSeq))
		s.Uint("iec60870_104.rx", uint64(f.RecvSeq))
		st.asdu(s, &f.ASDU)
		fn = "I-frame"
		if f.ASDU.HeaderFields() > 0 {
			fn = "unknown"
			if f.ASDU.Type.Known() {
				fn = f.ASDU.Type.String()
			}
		}
	case iec104.FormatS:
		s.Uint("iec60870_104.rx", uint64(f.RecvSeq))
		fn = "S-frame"
	case iec104.FormatU:
		s.Uint("iec60870_104.utype", uint64(f.UFunc))
		fn = "U-frame"
		if f.UFunc.Known() {
			fn = f.UFunc.String()
		}
	}
	if m.Paired {
		s.Int("iec60870_104.latency", m.Latency())
	}
	if m.Selected {
		s.Bool("iec60870_104.after_select", true)
	}
	for a := range (f.Anomalies | m.Anomalies).All {
		b, _ := a.AppendText(st.text[:0])
		s.Text("iec60870_104.anomaly", b)
	}
	return Result{Func: fn, Err: err}
}

// asdu emits the ASDU header fields that are present (Wireshark stops at
// the first missing octet) and the information objects.
func (st *iec104State) asdu(s Sink, a *iec104.ASDU) {
	n := a.HeaderFields()
	if n < 1 {
		return
	}
	s.Uint("iec60870_asdu.typeid", uint64(a.Type))
	if n < 2 {
		return
	}
	s.Bool("iec60870_asdu.sq", a.SQ)
	s.Uint("iec60870_asdu.numix", uint64(a.Count))
	if n < 3 {
		return
	}
	s.Uint("iec60870_asdu.causetx", uint64(a.Cause))
	s.Bool("iec60870_asdu.nega", a.Negative)
	s.Bool("iec60870_asdu.test", a.Test)
	if a.Config().COTSize == 2 {
		if n < 4 {
			return
		}
		s.Uint("iec60870_asdu.oa", uint64(a.Originator))
	}
	if n < 5 {
		return
	}
	s.Uint("iec60870_asdu.addr", uint64(a.CommonAddr))
	if !a.Type.Known() {
		// Wireshark shows the first address and raw data.
		if ioa, rest, ok := a.Undecoded(); ok {
			s.Uint("iec60870_asdu.ioa", uint64(ioa))
			if len(rest) > 0 {
				s.Bytes("iec60870_asdu.rawdata", rest)
			}
		}
		return
	}
	objs := a.Objects()
	for objs.Next() {
		o := objs.Object()
		s.Uint("iec60870_asdu.ioa", uint64(o.IOA))
		st.element(s, &o)
	}
	if ioa, ok := a.Cut(); ok {
		// Wireshark shows the address of the first object that does not
		// fit when its address does.
		s.Uint("iec60870_asdu.ioa", uint64(ioa))
	}
}

// element emits the parts of one information element under Wireshark's
// names; parts Wireshark does not decode get names of ours under the same
// prefix.
func (st *iec104State) element(s Sink, o *iec104.Object) {
	if v, ok := o.SIQ(); ok {
		s.Uint("iec60870_asdu.siq", uint64(v))
		s.Bool("iec60870_asdu.siq.spi", v.SPI())
		s.Bool("iec60870_asdu.siq.bl", v.BL())
		s.Bool("iec60870_asdu.siq.sb", v.SB())
		s.Bool("iec60870_asdu.siq.nt", v.NT())
		s.Bool("iec60870_asdu.siq.iv", v.IV())
	}
	if v, ok := o.DIQ(); ok {
		s.Uint("iec60870_asdu.diq", uint64(v))
		s.Uint("iec60870_asdu.diq.dpi", uint64(v.DPI()))
		s.Bool("iec60870_asdu.diq.bl", v.BL())
		s.Bool("iec60870_asdu.diq.sb", v.SB())
		s.Bool("iec60870_asdu.diq.nt", v.NT())
		s.Bool("iec60870_asdu.diq.iv", v.IV())
	}
	if v, ok := o.VTI(); ok {
		s.Uint("iec60870_asdu.vti", uint64(v))
		s.Int("iec60870_asdu.vti.v", int64(v.Value()))
		s.Bool("iec60870_asdu.vti.t", v.Transient())
	}
	if v, ok := o.BSI(); ok {
		// Wireshark reads the four octets big-endian; the standard sends
		// the first octet first as bits 1..8, which BSI holds.
		s.Uint("iec60870_asdu.bitstring", uint64(bits.ReverseBytes32(v)))
		s.Uint("iec60870_asdu.bsi", uint64(v))
	}
	if v, ok := o.Normalized(); ok {
		s.Float("iec60870_asdu.normval", float64(iec104.NormalizedValue(v)))
	}
	if v, ok := o.Scaled(); ok {
		s.Int("iec60870_asdu.scalval", int64(v))
	}
	if v, ok := o.Float(); ok {
		s.Float("iec60870_asdu.float", float64(v))
	}
	if v, ok := o.SCD(); ok {
		s.Uint("iec60870_asdu.scd.st", uint64(v.Status))
		s.Uint("iec60870_asdu.scd.cd", uint64(v.Change))
	}
	if v, ok := o.BCR(); ok {
		s.Int("iec60870_asdu.bcr.count", int64(v.Value))
		s.Uint("iec60870_asdu.bcr.sq", uint64(v.Seq))
		s.Bool("iec60870_asdu.bcr.cy", v.Carry)
		s.Bool("iec60870_asdu.bcr.ca", v.Adjusted)
		s.Bool("iec60870_asdu.bcr.iv", v.Invalid)
	}
	if v, ok := o.SEP(); ok {
		s.Uint("iec60870_asdu.sep", uint64(v))
		s.Uint("iec60870_asdu.sep.es", uint64(v.ES()))
		s.Bool("iec60870_asdu.sep.ei", v.EI())
		s.Bool("iec60870_asdu.sep.iv", v.IV())
	}
	if v, q, ok := o.SPE(); ok {
		s.Uint("iec60870_asdu.spe", uint64(v))
		st.qdp(s, q)
	}
	if v, q, ok := o.OCI(); ok {
		s.Uint("iec60870_asdu.oci", uint64(v))
		st.qdp(s, q)
	}
	if v, ok := o.CP16(); ok {
		s.Uint("iec60870_asdu.cp16time", uint64(v))
	}
	if v, ok := o.QDS(); ok {
		s.Uint("iec60870_asdu.qds", uint64(v))
		s.Bool("iec60870_asdu.qds.ov", v.OV())
		s.Bool("iec60870_asdu.qds.bl", v.BL())
		s.Bool("iec60870_asdu.qds.sb", v.SB())
		s.Bool("iec60870_asdu.qds.nt", v.NT())
		s.Bool("iec60870_asdu.qds.iv", v.IV())
	}
	if v, ok := o.SCO(); ok {
		s.Uint("iec60870_asdu.sco", uint64(v))
		s.Bool("iec60870_asdu.sco.on", v.On())
		s.Uint("iec60870_asdu.sco.qu", uint64(v.QU()))
		s.Bool("iec60870_asdu.sco.se", v.Select())
	}
	if v, ok := o.DCO(); ok {
		s.Uint("iec60870_asdu.dco", uint64(v))
		s.Uint("iec60870_asdu.dco.on", uint64(v.State()))
		s.Uint("iec60870_asdu.dco.qu", uint64(v.QU()))
		s.Bool("iec60870_asdu.dco.se", v.Select())
	}
	if v, ok := o.RCO(); ok {
		s.Uint("iec60870_asdu.rco", uint64(v))
		s.Uint("iec60870_asdu.rco.up", uint64(v.Step()))
		s.Uint("iec60870_asdu.rco.qu", uint64(v.QU()))
		s.Bool("iec60870_asdu.rco.se", v.Select())
	}
	if v, ok := o.QOS(); ok {
		s.Uint("iec60870_asdu.qos", uint64(v))
		s.Uint("iec60870_asdu.qos.ql", uint64(v.QL()))
		s.Bool("iec60870_asdu.qos.se", v.Select())
	}
	if v, ok := o.QPM(); ok {
		s.Uint("iec60870_asdu.qpm", uint64(v))
		s.Uint("iec60870_asdu.qpm.kpa", uint64(v.KPA()))
		s.Bool("iec60870_asdu.qpm.lpc", v.LPC())
		s.Bool("iec60870_asdu.qpm.pop", v.POP())
	}
	if v, ok := o.COI(); ok {
		s.Uint("iec60870_asdu.coi", uint64(v))
		s.Uint("iec60870_asdu.coi_r", uint64(v.Cause()))
		s.Bool("iec60870_asdu.coi_i", v.Changed())
	}
	if v, ok := o.QOI(); ok {
		s.Uint("iec60870_asdu.qoi", uint64(v))
	}
	if v, ok := o.QCC(); ok {
		s.Uint("iec60870_asdu.qcc", uint64(v))
		s.Uint("iec60870_asdu.rqt", uint64(v.RQT()))
		s.Uint("iec60870_asdu.frz", uint64(v.FRZ()))
	}
	if v, ok := o.QRP(); ok {
		s.Uint("iec60870_asdu.qrp", uint64(v))
	}
	if v, ok := o.QPA(); ok {
		s.Uint("iec60870_asdu.qpa", uint64(v))
	}
	if v, ok := o.TSC(); ok {
		s.Uint("iec60870_asdu.tsc", uint64(v))
	}
	if v, ok := o.FBP(); ok {
		s.Uint("iec60870_asdu.fbp", uint64(v))
	}
	if v, ok := o.File(); ok {
		s.Uint("iec60870_asdu.nof", uint64(v.NOF))
		s.Uint("iec60870_asdu.nos", uint64(v.NOS))
		s.Uint("iec60870_asdu.lof", uint64(v.Length))
		s.Uint("iec60870_asdu.file_qualifier", uint64(v.Qualifier))
		switch o.Type {
		case iec104.F_LS_NA_1:
			s.Uint("iec60870_asdu.chs", uint64(v.Checksum))
		case iec104.F_SG_NA_1:
			s.Bytes("iec60870_asdu.segment", v.Segment)
		case iec104.F_SC_NB_1:
			st.cp56(s, "iec60870_asdu.range_start", v.Start)
			st.cp56(s, "iec60870_asdu.range_stop", v.Stop)
		}
	}
	if v, ok := o.CP24(); ok {
		s.Float("iec60870_asdu.cp24time", float64(v.Duration().Seconds()))
		s.Uint("iec60870_asdu.cp24time.ms", uint64(v.Millis))
		s.Uint("iec60870_asdu.cp24time.min", uint64(v.Minute))
		s.Bool("iec60870_asdu.cp24time.iv", v.Invalid)
	}
	if v, ok := o.CP56(); ok {
		st.cp56(s, "iec60870_asdu.cp56time", v)
		s.Uint("iec60870_asdu.cp56time.ms", uint64(v.Millis))
		s.Uint("iec60870_asdu.cp56time.min", uint64(v.Minute))
		s.Bool("iec60870_asdu.cp56time.gen", v.Substituted)
		s.Bool("iec60870_asdu.cp56time.iv", v.Invalid)
		s.Uint("iec60870_asdu.cp56time.hour", uint64(v.Hour))
		s.Bool("iec60870_asdu.cp56time.su", v.Summer)
		s.Uint("iec60870_asdu.cp56time.day", uint64(v.Day))
		s.Uint("iec60870_asdu.cp56time.dow", uint64(v.DayOfWeek))
		s.Uint("iec60870_asdu.cp56time.month", uint64(v.Month))
		s.Uint("iec60870_asdu.cp56time.year", uint64(v.Year))
	}
}

func (st *iec104State) qdp(s Sink, q iec104.QDP) {
	s.Uint("iec60870_asdu.qdp", uint64(q))
	s.Bool("iec60870_asdu.qdp.ei", q.EI())
	s.Bool("iec60870_asdu.qdp.iv", q.IV())
}

// cp56 emits a CP56Time2a as Wireshark shows it: an absolute time in UTC.
func (st *iec104State) cp56(s Sink, name string, v iec104.CP56Time2a) {
	t := v.Time(nil)
	if v.Summer {
		// Wireshark builds the time with mktime and tm_isdst set, which in
		// a zone without summer time moves it back one hour.
		t = t.Add(-3600 * 1e9)
	}
	s.Text(name, t.AppendFormat(st.text[:0], cp56Layout))
}
