package fuzz

import (
	"encoding/hex"
	"errors"
	"reflect"
	"strconv"

	"github.com/icsdissect/icsdissect/dnp3"
	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/iec104"
	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/pcapx"
	"github.com/icsdissect/icsdissect/s7comm"
)

// Protocol is what the checks need of one protocol package, in the terms of
// doc/grammar.md: its port, framing, a validity test and the checks of one
// PDU and of its Conn. Get them with Protocols or ProtocolOf.
type Protocol struct {
	// Proto is pcapx's name of the protocol; Port its TCP port.
	Proto pcapx.Protocol
	Port  uint16
	// Split cuts PDUs out of a stream; Resync is the package's Resync,
	// which frames after damage.
	Split, Resync SplitFunc
	// Valid reports whether b decodes as one PDU without error in the
	// direction given (Parse returns no error). A token that is no PDU of
	// the stream yet is Valid is a phantom.
	Valid func(b []byte, toServer bool) bool
	// MaxPending bounds ConnStats.Pending.
	MaxPending int

	// recoverable reports whether a PDU after damage must be delivered
	// (nil: when Valid).
	recoverable func(b []byte, toServer bool) bool

	frame     func(wk *Walker, b []byte, toServer bool) error
	parse     func(b []byte, toServer bool) (int, error)
	truncated error
	newConn   func() connDriver
}

// NumProtocols is the number of protocol packages: the length of
// Protocols.
const NumProtocols = 5

// Protocols returns the protocol packages, in pcapx's order (Modbus,
// S7comm, ENIP, DNP3, IEC104).
func Protocols() [NumProtocols]Protocol {
	return [NumProtocols]Protocol{
		{
			Proto: pcapx.Modbus, Port: modbus.Port, Split: modbus.Split, Resync: modbus.Resync,
			Valid: func(b []byte, toServer bool) bool {
				_, _, err := modbus.Parse(b, modbusDir(toServer))
				return err == nil
			},
			MaxPending: modbus.MaxPending,
			frame:      modbusFrame,
			parse: func(b []byte, toServer bool) (int, error) {
				_, n, err := modbus.Parse(b, modbusDir(toServer))
				return n, err
			},
			truncated: modbus.ErrTruncated,
			newConn: func() connDriver {
				return newConn((*modbus.Conn).Decode, (*modbus.Conn).Flush, (*modbus.Conn).Reset, (*modbus.Conn).Stats)
			},
		},
		{
			Proto: pcapx.S7comm, Port: s7comm.Port, Split: s7comm.Split, Resync: s7comm.Resync,
			Valid: func(b []byte, _ bool) bool {
				_, _, err := s7comm.Parse(b)
				return err == nil
			},
			MaxPending: s7comm.MaxPending,
			frame:      s7commFrame,
			parse: func(b []byte, _ bool) (int, error) {
				_, n, err := s7comm.Parse(b)
				return n, err
			},
			truncated: s7comm.ErrTruncated,
			newConn: func() connDriver {
				return newConn((*s7comm.Conn).Decode, (*s7comm.Conn).Flush, (*s7comm.Conn).Reset, (*s7comm.Conn).Stats)
			},
		},
		{
			Proto: pcapx.ENIP, Port: enip.Port, Split: enip.Split, Resync: enip.Resync,
			Valid: func(b []byte, _ bool) bool {
				_, _, err := enip.Parse(b)
				return err == nil
			},
			MaxPending: enip.MaxPending,
			frame:      enipFrame,
			parse: func(b []byte, _ bool) (int, error) {
				_, n, err := enip.Parse(b)
				return n, err
			},
			truncated: enip.ErrTruncated,
			newConn: func() connDriver {
				return newConn((*enip.Conn).Decode, (*enip.Conn).Flush, (*enip.Conn).Reset, (*enip.Conn).Stats)
			},
		},
		{
			Proto: pcapx.DNP3, Port: dnp3.Port, Split: dnp3.Split, Resync: dnp3.Resync,
			Valid: func(b []byte, _ bool) bool {
				_, _, err := dnp3.Parse(b)
				return err == nil
			},
			MaxPending: dnp3.MaxPending,
			frame:      dnp3Frame,
			parse: func(b []byte, _ bool) (int, error) {
				_, n, err := dnp3.Parse(b)
				return n, err
			},
			truncated: dnp3.ErrTruncated,
			newConn: func() connDriver {
				return newConn((*dnp3.Conn).Decode, (*dnp3.Conn).Flush, (*dnp3.Conn).Reset, (*dnp3.Conn).Stats)
			},
		},
		{
			Proto: pcapx.IEC104, Port: iec104.Port, Split: iec104.Split, Resync: iec104.Resync,
			Valid: func(b []byte, _ bool) bool {
				_, _, err := iec104.Parse(b)
				return err == nil
			},
			// iec104.Resync accepts only APDUs whose APCI and ASDU
			// header are wholly consistent: an APDU that parses with
			// anomalies (an S-frame with ASDU octets, say, as in
			// Wireshark's IEC 104 test capture) may be skipped right
			// after damage.
			recoverable: func(b []byte, _ bool) bool {
				f, _, err := iec104.Parse(b)
				return err == nil && f.Anomalies == 0
			},
			// ConnStats.Pending counts up to three U-frame acts per
			// direction beside the table (see iec104.ConnStats).
			MaxPending: iec104.MaxPending + 6,
			frame:      iec104Frame,
			parse: func(b []byte, _ bool) (int, error) {
				_, n, err := iec104.Parse(b)
				return n, err
			},
			truncated: iec104.ErrTruncated,
			newConn: func() connDriver {
				return newConn((*iec104.Conn).Decode, (*iec104.Conn).Flush, (*iec104.Conn).Reset, (*iec104.Conn).Stats)
			},
		},
	}
}

// ProtocolOf returns the Protocol of p, and false for Unknown or a value
// pcapx does not define.
func ProtocolOf(p pcapx.Protocol) (Protocol, bool) {
	if p == pcapx.Unknown || int(p) > NumProtocols {
		return Protocol{}, false
	}
	return Protocols()[p-1], true
}

func modbusDir(toServer bool) modbus.Direction {
	if toServer {
		return modbus.Request
	}
	return modbus.Response
}

// Samples of real PDUs, decoded into a Frame before the input so that
// Decode is tested over a used Frame.
func sample(s string) []byte {
	b, _ := hex.DecodeString(s)
	return b
}

const (
	modbusSample = "60910000002fff042c0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	s7commSample = "0300002402f080320100000001000e00050501120a1001000103e8840000050003000100"
	enipSample   = "70002c000001021000000000aee330000000000000000000000000000a000200a100040001033500b10018007ed70a0220022401010004004c022072240068a207000900"
	dnp3Sample   = "056426c401000200be0dc0c202000102030405060708090a0b0c6b7c0d0e0f101112131415161718191a1b1c1b251d3b5d"
	iec104Sample = "681d04000200019014001e0410000000010000000101000100000001010001"
)

// parseResult checks the grammar's rules on Parse's results: n within the
// input, ErrTruncated with n == 0, no error with n > 0.
func parseResult(name string, b []byte, n int, err, truncated error) error {
	switch {
	case n < 0 || n > len(b):
		return fail("parse n in input", "%s: n = %d for %d bytes (error %v)", name, n, len(b), err)
	case err == truncated && n != 0:
		return fail("parse truncated n 0", "%s: ErrTruncated with n = %d", name, n)
	case err == nil && n == 0:
		return fail("parse n in input", "%s: no error with n = 0", name)
	}
	return nil
}

// sameDecode checks that Decode into a used Frame gives Parse's result:
// the same n and error, and the same transcript (what the API shows; bytes
// left over in a Frame's storage beyond what it uses do not count). f and
// g are pointers to the frames, both decoded from b; making the
// transcripts walks both (Walk's checks included).
func sameDecode(wk *Walker, name string, b []byte, f, g any, n, gn int, err, gerr error) error {
	if n != gn || err != gerr {
		return fail("decode equals parse", "%s: Parse gave n %d error %v, Decode over a used Frame n %d error %v", name, n, err, gn, gerr)
	}
	tf, e1 := wk.Transcript(f, b)
	tg, e2 := wk.Transcript(g, b)
	if e1 != nil {
		return e1
	}
	if e2 != nil {
		return e2
	}
	if string(tf) != string(tg) {
		return fail("decode equals parse", "%s: Decode over a used Frame differs from Parse (transcripts of %d and %d bytes differ at %d)", name, len(tf), len(tg), firstDiff(tf, tg))
	}
	return nil
}

// explained checks Explain against Parse: when Explain is nil Parse must
// accept the bytes, and when Parse fails Explain must name the field, with
// Parse's sentinel and an offset inside the input.
func explained(name string, b []byte, perr, xerr error) error {
	if xerr == nil {
		if perr != nil {
			return fail("explain agrees with parse", "%s: Parse error %v, Explain nil", name, perr)
		}
		return nil
	}
	v := reflect.ValueOf(xerr)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fail("explain field error", "%s: Explain returned %T, not a *FieldError", name, xerr)
	}
	e := v.Elem()
	field, off := e.FieldByName("Field"), e.FieldByName("Offset")
	if !field.IsValid() || !off.IsValid() || field.Kind() != reflect.String || off.Kind() != reflect.Int {
		return fail("explain field error", "%s: Explain returned %T without Field and Offset", name, xerr)
	}
	if field.String() == "" || off.Int() < 0 || off.Int() > int64(len(b)) {
		return fail("explain field error", "%s: field %q offset %d for %d bytes", name, field.String(), off.Int(), len(b))
	}
	if perr != nil && !errors.Is(xerr, perr) {
		return fail("explain agrees with parse", "%s: Parse error %v, Explain %v", name, perr, xerr)
	}
	_ = xerr.Error()
	return nil
}

func modbusFrame(wk *Walker, b []byte, toServer bool) error {
	dir := modbusDir(toServer)
	f, n, err := modbus.Parse(b, dir)
	if e := parseResult("modbus", b, n, err, modbus.ErrTruncated); e != nil {
		return e
	}
	var g modbus.Frame
	g.Decode(sample(modbusSample), modbus.Response)
	gn, gerr := g.Decode(b, dir)
	if e := sameDecode(wk, "modbus", b, &f, &g, n, gn, err, gerr); e != nil {
		return e
	}
	if e := explained("modbus", b, err, modbus.Explain(b, dir)); e != nil {
		return e
	}
	if w, ok := f.WriteMultipleRegisters(); ok && err == nil && !f.Anomalies.Has(modbus.AnomalyByteCount) && !f.Anomalies.Has(modbus.AnomalyLength) {
		if e := Count("modbus write multiple registers", int(w.Quantity), w.Values.Len()); e != nil {
			return e
		}
	}
	u, _ := modbus.ParseUDP(b, dir)
	if e := wk.Walk(&u, b); e != nil {
		return e
	}
	p, _ := modbus.ParsePDU(b, dir)
	return wk.Walk(&p, b)
}

func s7commFrame(wk *Walker, b []byte, _ bool) error {
	f, n, err := s7comm.Parse(b)
	if e := parseResult("s7comm", b, n, err, s7comm.ErrTruncated); e != nil {
		return e
	}
	var g s7comm.Frame
	g.Decode(sample(s7commSample))
	gn, gerr := g.Decode(b)
	if e := sameDecode(wk, "s7comm", b, &f, &g, n, gn, err, gerr); e != nil {
		return e
	}
	if e := explained("s7comm", b, err, s7comm.Explain(b)); e != nil {
		return e
	}
	if count, ok := f.PDU.ItemCount(); ok && f.PDU.ROSCTR == s7comm.Job {
		items := f.PDU.Items()
		walked := 0
		for items.Next() {
			walked++
		}
		if items.Err() == nil && !items.Anomalies().Has(s7comm.AnomalyItemCount) {
			if e := Count("s7comm items", count, walked); e != nil {
				return e
			}
		}
	}
	return nil
}

func enipFrame(wk *Walker, b []byte, _ bool) error {
	f, n, err := enip.Parse(b)
	if e := parseResult("enip", b, n, err, enip.ErrTruncated); e != nil {
		return e
	}
	var g enip.Frame
	g.Decode(sample(enipSample))
	gn, gerr := g.Decode(b)
	if e := sameDecode(wk, "enip", b, &f, &g, n, gn, err, gerr); e != nil {
		return e
	}
	if e := explained("enip", b, err, enip.Explain(b)); e != nil {
		return e
	}
	items := f.Items()
	walked := 0
	for items.Next() {
		walked++
	}
	if items.Err() == nil && f.HasCPF() && !items.Anomalies().Has(enip.AnomalyItemCount) {
		if e := Count("enip CPF items", items.Count(), walked); e != nil {
			return e
		}
	}
	io, _ := enip.ParseIO(b)
	return wk.Walk(&io, b)
}

func dnp3Frame(wk *Walker, b []byte, _ bool) error {
	f, n, err := dnp3.Parse(b)
	if e := parseResult("dnp3", b, n, err, dnp3.ErrTruncated); e != nil {
		return e
	}
	g := new(dnp3.Frame)
	g.Decode(sample(dnp3Sample))
	gn, gerr := g.Decode(b)
	if e := sameDecode(wk, "dnp3", b, &f, g, n, gn, err, gerr); e != nil {
		return e
	}
	if e := explained("dnp3", b, err, dnp3.Explain(b)); e != nil {
		return e
	}
	// The fragment of a segment that is one whole fragment.
	if t, ok := f.Transport(); ok && t.FIR() && t.FIN() {
		seg := f.Segment()
		frag, _, ferr := dnp3.ParseFragment(seg)
		if ferr != nil {
			return nil
		}
		if e := wk.Walk(&frag, seg, &f); e != nil {
			return e
		}
		objs := frag.Objects()
		for objs.Next() {
			h := objs.Object()
			pts := h.Points()
			walked := 0
			for pts.Next() {
				walked++
			}
			// A count of objects of size 0 (a variation 0 in a response,
			// say) is flagged, not walked.
			empty := walked == 0 && objs.Anomalies().Has(dnp3.AnomalyCountOnEmpty)
			if pts.Err() == nil && h.Known && !h.Truncated && !h.HeaderOnly && h.Count > 0 && !empty {
				if e := Count("dnp3 points of g"+strconv.Itoa(int(h.Group))+"v"+strconv.Itoa(int(h.Variation)), int(h.Count), walked); e != nil {
					return e
				}
			}
		}
	}
	return nil
}

func iec104Frame(wk *Walker, b []byte, _ bool) error {
	f, n, err := iec104.Parse(b)
	if e := parseResult("iec104", b, n, err, iec104.ErrTruncated); e != nil {
		return e
	}
	var g iec104.Frame
	g.Decode(sample(iec104Sample))
	gn, gerr := g.Decode(b)
	if e := sameDecode(wk, "iec104", b, &f, &g, n, gn, err, gerr); e != nil {
		return e
	}
	if e := explained("iec104", b, err, iec104.Explain(b)); e != nil {
		return e
	}
	if f.Format == iec104.FormatI && err == nil {
		a := &f.ASDU
		objs := a.Objects()
		walked := 0
		for objs.Next() {
			walked++
		}
		if objs.Err() == nil && a.Type.Known() && a.Count > 0 {
			if e := Count("iec104 objects", int(a.Count), walked); e != nil {
				return e
			}
		}
	}
	return nil
}
