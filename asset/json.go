package asset

import (
	"io"
	"math"
	"net/netip"
	"strconv"
	"time"
	"unicode/utf8"
)

// Encoder writes events and devices as JSON objects, one per line, with
// Elastic Common Schema names where ECS has the field (@timestamp, event.*,
// source.*, destination.*, network.*, related.ip, observer.*, host.*,
// device.*) and ics.* for the rest. The schema is documented in
// asset/SCHEMA.md. Appending an access or operation allocates nothing
// beyond growing the buffer.
type Encoder struct {
	// ObserverName and ObserverHostname fill observer.name and
	// observer.hostname (the sensor); empty leaves them out.
	ObserverName, ObserverHostname string
}

// jw is a small JSON object writer that tracks where commas go.
type jw struct {
	b     []byte
	comma bool
}

func (w *jw) sep() {
	if w.comma {
		w.b = append(w.b, ',')
	}
	w.comma = false
}

func (w *jw) key(k string) {
	w.sep()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

func (w *jw) open(k string) {
	w.key(k)
	w.b = append(w.b, '{')
}

func (w *jw) openElem() {
	w.sep()
	w.b = append(w.b, '{')
}

func (w *jw) close() {
	w.b = append(w.b, '}')
	w.comma = true
}

func (w *jw) openArr(k string) {
	w.key(k)
	w.b = append(w.b, '[')
}

func (w *jw) closeArr() {
	w.b = append(w.b, ']')
	w.comma = true
}

// strArr writes k as an array of one string, v.
func (w *jw) strArr(k, v string) {
	w.openArr(k)
	w.strElem(v)
	w.closeArr()
}

func (w *jw) str(k, v string) {
	w.key(k)
	w.b = appendJSONString(w.b, v)
	w.comma = true
}

func (w *jw) strb(k string, v []byte) {
	w.key(k)
	w.b = appendJSONBytes(w.b, v)
	w.comma = true
}

func (w *jw) strElem(v string) {
	w.sep()
	w.b = appendJSONString(w.b, v)
	w.comma = true
}

func (w *jw) uint(k string, v uint64) {
	w.key(k)
	w.b = strconv.AppendUint(w.b, v, 10)
	w.comma = true
}

func (w *jw) int(k string, v int64) {
	w.key(k)
	w.b = strconv.AppendInt(w.b, v, 10)
	w.comma = true
}

func (w *jw) time(k string, ns int64) {
	w.key(k)
	w.b = appendJSONTime(w.b, ns)
	w.comma = true
}

func (w *jw) ip(k string, a netip.Addr) {
	w.key(k)
	w.b = append(w.b, '"')
	w.b = a.AppendTo(w.b)
	w.b = append(w.b, '"')
	w.comma = true
}

func (w *jw) ipElem(a netip.Addr) {
	w.sep()
	w.b = append(w.b, '"')
	w.b = a.AppendTo(w.b)
	w.b = append(w.b, '"')
	w.comma = true
}

func (w *jw) text(k string, t interface {
	AppendText([]byte) ([]byte, error)
}) {
	w.key(k)
	w.b = append(w.b, '"')
	w.b, _ = t.AppendText(w.b)
	w.b = append(w.b, '"')
	w.comma = true
}

func appendJSONTime(b []byte, ns int64) []byte {
	b = append(b, '"')
	b = time.Unix(0, ns).UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes
// U+FFFD; control characters are escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = appendJSONByte(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}

// appendJSONBytes is appendJSONString for bytes.
func appendJSONBytes(b []byte, s []byte) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = appendJSONByte(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}

func appendJSONByte(b []byte, c byte) []byte {
	switch {
	case c == '"' || c == '\\':
		return append(b, '\\', c)
	case c == '\n':
		return append(b, '\\', 'n')
	case c == '\r':
		return append(b, '\\', 'r')
	case c == '\t':
		return append(b, '\\', 't')
	case c < 0x20 || c == 0x7f:
		return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
	}
	return append(b, c)
}

// appendValueJSON appends the JSON form of one value: a boolean, a number
// (float32 values in their shortest float32 form; NaN and infinities as the
// strings "NaN", "+Inf", "-Inf"), a string (text; bytes in hex; times in RFC
// 3339), a number of nanoseconds for durations, an object for a CROB.
func appendValueJSON(b []byte, v Value) []byte {
	switch v.Kind {
	case KindBool:
		return strconv.AppendBool(b, v.n != 0)
	case KindInt:
		return strconv.AppendInt(b, int64(v.n), 10)
	case KindUint:
		return strconv.AppendUint(b, v.n, 10)
	case KindFloat32, KindFloat64:
		f, _ := v.Float()
		switch {
		case math.IsNaN(f):
			return append(b, `"NaN"`...)
		case math.IsInf(f, 1):
			return append(b, `"+Inf"`...)
		case math.IsInf(f, -1):
			return append(b, `"-Inf"`...)
		}
		if v.Kind == KindFloat32 {
			return strconv.AppendFloat(b, f, 'g', -1, 32)
		}
		return strconv.AppendFloat(b, f, 'g', -1, 64)
	case KindText:
		return appendJSONBytes(b, v.b)
	case KindBytes:
		b = append(b, '"')
		b = appendHex(b, v.b)
		return append(b, '"')
	case KindTime:
		return appendJSONTime(b, int64(v.n))
	case KindDuration:
		return strconv.AppendInt(b, int64(v.n), 10)
	case KindCROB:
		c, _ := v.CROB()
		b = append(b, `{"code":`...)
		b = strconv.AppendUint(b, uint64(c.Code), 10)
		b = append(b, `,"count":`...)
		b = strconv.AppendUint(b, uint64(c.Count), 10)
		b = append(b, `,"on_ms":`...)
		b = strconv.AppendUint(b, uint64(c.OnTime), 10)
		b = append(b, `,"off_ms":`...)
		b = strconv.AppendUint(b, uint64(c.OffTime), 10)
		b = append(b, `,"status":`...)
		b = strconv.AppendUint(b, uint64(c.Status), 10)
		return append(b, '}')
	}
	return append(b, "null"...)
}

func (e *Encoder) begin(w *jw, ts int64) {
	w.b = append(w.b, '{')
	w.time("@timestamp", ts)
}

func (e *Encoder) observer(w *jw) {
	w.open("observer")
	w.str("product", "icsdissect")
	w.str("vendor", "icsdissect")
	w.str("type", "sensor")
	if e.ObserverName != "" {
		w.str("name", e.ObserverName)
	}
	if e.ObserverHostname != "" {
		w.str("hostname", e.ObserverHostname)
	}
	w.close()
}

func endpointJSON(w *jw, k string, ep Endpoint) {
	if !ep.Addr.IsValid() {
		return
	}
	w.open(k)
	w.ip("ip", ep.Addr)
	if ep.Port != 0 {
		w.uint("port", uint64(ep.Port))
	}
	if !ep.MAC.IsZero() {
		w.key("mac")
		w.b = append(w.b, '"')
		w.b = ep.MAC.appendECS(w.b)
		w.b = append(w.b, '"')
		w.comma = true
	}
	w.close()
}

func ipType(a netip.Addr) string {
	if a.Is4() || a.Is4In6() {
		return "ipv4"
	}
	return "ipv6"
}

// network writes network.*, source.* (the client), destination.* (the
// server) and related.ip.
func (e *Encoder) network(w *jw, m *Meta) {
	w.open("network")
	w.text("protocol", m.Proto)
	if m.Transport != 0 {
		w.text("transport", m.Transport)
	}
	if m.Server.Addr.IsValid() {
		w.str("type", ipType(m.Server.Addr))
		if m.Client.Addr.IsValid() && m.Transport.Known() {
			w.key("community_id")
			w.b = append(w.b, '"')
			w.b = appendCommunityID(w.b, m.Transport, m.Client.AddrPort(), m.Server.AddrPort())
			w.b = append(w.b, '"')
			w.comma = true
		}
	}
	if m.VLAN != 0 {
		w.open("vlan")
		w.key("id")
		w.b = append(w.b, '"')
		w.b = strconv.AppendUint(w.b, uint64(m.VLAN), 10)
		w.b = append(w.b, '"')
		w.comma = true
		w.close()
	}
	w.close()
	endpointJSON(w, "source", m.Client)
	endpointJSON(w, "destination", m.Server)
	related(w, m.Client.Addr, m.Server.Addr)
}

func related(w *jw, a, b netip.Addr) {
	if !a.IsValid() && !b.IsValid() {
		return
	}
	w.open("related")
	w.openArr("ip")
	if a.IsValid() {
		w.ipElem(a)
	}
	if b.IsValid() && b != a {
		w.ipElem(b)
	}
	w.closeArr()
	w.close()
}

func outcome(m *Meta) string {
	switch {
	case m.Status.Failed || m.Flags&FlagException != 0:
		return "failure"
	case m.Flags&FlagPaired != 0:
		return "success"
	}
	return "unknown"
}

// event writes the event.* object.
func (e *Encoder) event(w *jw, m *Meta, dataset, typ string, action Action) {
	w.open("event")
	w.str("kind", "event")
	w.strArr("category", "network")
	w.openArr("type")
	w.strElem(typ)
	w.strElem("protocol")
	w.closeArr()
	w.text("action", action)
	w.str("dataset", dataset)
	w.str("module", "icsdissect")
	w.str("outcome", outcome(m))
	if m.RequestTime != 0 {
		w.time("start", m.RequestTime)
		if m.Flags&FlagPaired != 0 {
			w.time("end", m.Time)
			w.int("duration", m.Time-m.RequestTime)
		}
	}
	w.close()
}

// meta writes the ics.* fields every access and operation has.
func metaICS(w *jw, m *Meta, kind Operation) {
	if m.Frame != 0 {
		w.uint("frame", m.Frame)
	}
	if m.RequestFrame != 0 {
		w.uint("request_frame", m.RequestFrame)
	}
	w.text("operation", kind)
	w.uint("unit", uint64(m.Unit))
	w.uint("transaction", m.Transaction)
	w.open("function")
	w.uint("code", uint64(m.Function))
	if m.FunctionName != "" {
		w.str("name", m.FunctionName)
	}
	if m.HasSub {
		w.uint("sub", uint64(m.Sub))
	}
	w.close()
	if m.Session != 0 {
		w.uint("session", m.Session)
	}
	if m.Status != (Status{}) {
		w.open("status")
		w.uint("code", uint64(m.Status.Code))
		if m.Status.Ext != 0 {
			w.uint("extended", uint64(m.Status.Ext))
		}
		if m.Status.Name != "" {
			w.str("name", m.Status.Name)
		}
		w.close()
	}
	if m.Flags != 0 {
		w.openArr("flags")
		for f := range m.Flags.All {
			w.sep()
			w.b = append(w.b, '"')
			w.b, _ = f.AppendText(w.b)
			w.b = append(w.b, '"')
			w.comma = true
		}
		w.closeArr()
	}
}

// AppendAccess appends a as one JSON object (no newline). It allocates
// nothing beyond growing b.
func (e *Encoder) AppendAccess(b []byte, a *Access) []byte {
	w := jw{b: b}
	e.begin(&w, a.Time)
	typ := "access"
	if a.Kind == OpWrite {
		typ = "change"
	}
	e.event(&w, &a.Meta, "icsdissect.access", typ, a.Action)
	e.network(&w, &a.Meta)
	e.observer(&w)
	w.open("ics")
	metaICS(&w, &a.Meta, a.Kind)
	w.open("address")
	w.text("space", a.Space)
	if a.Block != 0 {
		w.uint("block", uint64(a.Block))
	}
	if a.Space == SpaceCIPAttribute {
		w.uint("instance", uint64(a.Instance))
		w.uint("attribute", uint64(a.Attribute))
	} else if a.Space == SpaceDNP3Points {
		w.uint("variation", uint64(a.Instance))
	}
	w.uint("start", a.Start)
	if a.Bit != 0 {
		w.uint("bit", uint64(a.Bit))
	}
	w.uint("count", uint64(a.Count))
	if len(a.Symbol) > 0 {
		w.strb("symbol", a.Symbol)
	}
	w.close()
	if n := a.Values.Len(); n > 0 {
		w.str("value_type", a.Values.TypeName())
		w.openArr("values")
		for _, v := range a.Values.All {
			w.openElem()
			w.uint("address", v.Addr)
			w.key("value")
			w.b = appendValueJSON(w.b, v)
			w.comma = true
			if v.HasFlags {
				w.uint("flags", uint64(v.Flags))
			}
			if v.HasTime {
				w.time("time", v.Time)
			}
			w.close()
		}
		w.closeArr()
	}
	w.close()
	w.close()
	return w.b
}

// AppendOp appends o as one JSON object (no newline). It allocates nothing
// beyond growing b.
func (e *Encoder) AppendOp(b []byte, o *Op) []byte {
	w := jw{b: b}
	e.begin(&w, o.Time)
	typ := "info"
	if o.Action.Changes() {
		typ = "change"
	}
	e.event(&w, &o.Meta, "icsdissect.operation", typ, o.Action)
	e.network(&w, &o.Meta)
	e.observer(&w)
	w.open("ics")
	metaICS(&w, &o.Meta, o.Kind)
	if len(o.Target) > 0 {
		w.strb("target", o.Target)
	}
	if o.Size != 0 {
		w.uint("size", o.Size)
	}
	if len(o.Data) > 0 {
		w.key("data")
		w.b = append(w.b, '"')
		w.b = appendHex(w.b, o.Data)
		w.b = append(w.b, '"')
		w.comma = true
	}
	w.close()
	w.close()
	return w.b
}

// AppendIdentity appends id as one JSON object (no newline): host.* and
// device.* for the device, ics.identity for every attribute with its
// source.
func (e *Encoder) AppendIdentity(b []byte, id *Identity) []byte {
	w := jw{b: b}
	e.begin(&w, id.Time)
	w.open("event")
	w.str("kind", "event")
	w.strArr("category", "host")
	w.strArr("type", "info")
	w.str("action", "identity")
	w.str("dataset", "icsdissect.identity")
	w.str("module", "icsdissect")
	w.close()
	w.open("network")
	w.text("protocol", id.Proto)
	w.close()
	endpointJSON(&w, "source", id.Device)
	endpointJSON(&w, "destination", id.Peer)
	related(&w, id.Device.Addr, id.Peer.Addr)
	hostJSON(&w, id.Device.Addr, id.Device.MAC)
	deviceJSON(&w, func(f Field) (string, bool) { return id.Get(f) })
	e.observer(&w)
	w.open("ics")
	if id.Frame != 0 {
		w.uint("frame", id.Frame)
	}
	w.open("identity")
	if id.Module != "" {
		w.str("module", id.Module)
	}
	w.openArr("attributes")
	for i := range id.Attrs {
		a := &id.Attrs[i]
		w.openElem()
		w.text("field", a.Field)
		w.str("name", a.Name)
		w.str("value", a.Value)
		if a.Raw != nil {
			w.key("raw")
			w.b = append(w.b, '"')
			w.b = appendHex(w.b, a.Raw)
			w.b = append(w.b, '"')
			w.comma = true
		}
		if a.Frame != 0 {
			w.uint("frame", a.Frame)
		}
		w.close()
	}
	w.closeArr()
	w.close()
	w.close()
	w.close()
	return w.b
}

func hostJSON(w *jw, a netip.Addr, mac MAC) {
	w.open("host")
	w.openArr("ip")
	w.ipElem(a)
	w.closeArr()
	if !mac.IsZero() {
		w.openArr("mac")
		w.sep()
		w.b = append(w.b, '"')
		w.b = mac.appendECS(w.b)
		w.b = append(w.b, '"')
		w.comma = true
		w.closeArr()
	}
	w.close()
}

// deviceJSON writes device.* from the identity fields get returns.
func deviceJSON(w *jw, get func(Field) (string, bool)) {
	vendorID, hasVID := get(FieldVendorID)
	vendor, hasV := get(FieldVendor)
	code, hasCode := get(FieldProductCode)
	product, hasP := get(FieldProduct)
	model, hasM := get(FieldModel)
	serial, hasS := get(FieldSerial)
	typ, hasT := get(FieldDeviceType)
	if !hasVID && !hasV && !hasCode && !hasP && !hasM && !hasS && !hasT {
		return
	}
	w.open("device")
	if hasV {
		w.str("manufacturer", vendor)
	}
	if hasVID || hasV {
		w.open("vendor")
		if hasVID {
			w.str("id", vendorID)
		}
		if hasV {
			w.str("name", vendor)
		}
		w.close()
	}
	if hasCode || hasP {
		w.open("product")
		if hasCode {
			w.str("id", code)
		}
		if hasP {
			w.str("name", product)
		}
		w.close()
	}
	if hasM || hasP {
		w.open("model")
		if hasM {
			w.str("identifier", model)
		}
		if hasP {
			w.str("name", product)
		}
		w.close()
	}
	if hasS {
		w.str("serial_number", serial)
	}
	if hasT {
		w.str("type", typ)
	}
	w.close()
}

// AppendChange appends c as one JSON object (no newline).
func (e *Encoder) AppendChange(b []byte, c *Change) []byte {
	w := jw{b: b}
	e.begin(&w, c.Time)
	w.open("event")
	w.str("kind", "event")
	w.openArr("category")
	switch c.Kind {
	case ChangeNewDevice, ChangeNewClient, ChangeNewProtocol:
		w.strElem("network")
	default:
		w.strElem("configuration")
	}
	w.closeArr()
	w.openArr("type")
	switch c.Kind {
	case ChangeNewDevice, ChangeNewClient, ChangeNewProtocol:
		w.strElem("creation")
	default:
		w.strElem("change")
	}
	w.closeArr()
	w.text("action", c.Kind)
	w.str("dataset", "icsdissect.change")
	w.str("module", "icsdissect")
	w.close()
	w.open("network")
	w.text("protocol", c.Proto)
	w.close()
	endpointJSON(&w, "source", c.Peer)
	endpointJSON(&w, "destination", c.Device)
	related(&w, c.Peer.Addr, c.Device.Addr)
	hostJSON(&w, c.Device.Addr, c.Device.MAC)
	e.observer(&w)
	w.open("ics")
	if c.Frame != 0 {
		w.uint("frame", c.Frame)
	}
	w.open("change")
	w.text("kind", c.Kind)
	if c.Module != "" {
		w.str("module", c.Module)
	}
	w.str("item", c.Item)
	w.str("before", c.Before)
	w.str("after", c.After)
	w.close()
	w.close()
	w.close()
	return w.b
}

// AppendDevice appends d as one JSON object (no newline): host.* and
// device.* with its merged identity, and under ics its roles, protocols,
// peers, units, function codes, every identity value with its source, and
// its tag table. It allocates.
func (e *Encoder) AppendDevice(b []byte, d *Device) []byte {
	w := jw{b: b}
	e.begin(&w, d.Last)
	w.open("event")
	w.str("kind", "asset")
	w.strArr("category", "host")
	w.strArr("type", "info")
	w.str("dataset", "icsdissect.asset")
	w.str("module", "icsdissect")
	w.time("start", d.First)
	w.time("end", d.Last)
	w.close()
	w.open("host")
	w.openArr("ip")
	w.ipElem(d.Addr)
	w.closeArr()
	if len(d.MACs) > 0 {
		w.openArr("mac")
		for _, m := range d.MACs {
			w.sep()
			w.b = append(w.b, '"')
			w.b = m.appendECS(w.b)
			w.b = append(w.b, '"')
			w.comma = true
		}
		w.closeArr()
	}
	if h, ok := d.Get(FieldHostName); ok {
		w.str("hostname", h)
	}
	if n, ok := d.Get(FieldName); ok {
		w.str("name", n)
	}
	w.close()
	deviceJSON(&w, d.Get)
	peers := d.Peers()
	if len(peers) > 0 {
		w.open("related")
		w.openArr("ip")
		var last netip.Addr
		for _, p := range peers {
			if p.Addr != last {
				w.ipElem(p.Addr)
				last = p.Addr
			}
		}
		w.closeArr()
		w.close()
	}
	e.observer(&w)
	w.open("ics")
	w.openArr("roles")
	for p := Protocol(1); p < numProtocols; p++ {
		for _, r := range [2]Role{RoleClient, RoleServer} {
			if d.roles[p]&r != 0 {
				w.strElem(p.String() + " " + RoleName(p, r))
			}
		}
	}
	w.closeArr()
	w.openArr("protocols")
	for _, p := range d.Protocols() {
		w.strElem(p.String())
	}
	w.closeArr()
	if d.Mode != "" {
		w.str("mode", d.Mode)
	}
	w.uint("reads", d.Reads)
	w.uint("writes", d.Writes)
	w.open("operations")
	for k, n := range d.Ops {
		if n != 0 {
			w.uint(Operation(k).String(), n)
		}
	}
	w.close()
	if units := d.Units(); len(units) > 0 {
		w.openArr("units")
		for _, u := range units {
			w.openElem()
			w.text("protocol", u.Proto)
			w.uint("unit", uint64(u.Code))
			w.close()
		}
		w.closeArr()
	}
	if fns := d.Functions(); len(fns) > 0 {
		w.openArr("functions")
		for _, f := range fns {
			w.openElem()
			w.text("protocol", f.Proto)
			w.uint("code", uint64(f.Code))
			if n := FunctionName(f.Proto, f.Code); n != "" {
				w.str("name", n)
			}
			w.uint("count", f.Count)
			w.close()
		}
		w.closeArr()
	}
	if ids := d.Identity(); len(ids) > 0 {
		w.openArr("identity")
		for i := range ids {
			v := &ids[i]
			w.openElem()
			if v.Module != "" {
				w.str("module", v.Module)
			}
			w.text("protocol", v.Proto)
			w.text("field", v.Field)
			w.str("name", v.Name)
			w.str("value", v.Value)
			if v.Raw != nil {
				w.key("raw")
				w.b = append(w.b, '"')
				w.b = appendHex(w.b, v.Raw)
				w.b = append(w.b, '"')
				w.comma = true
			}
			w.uint("frame", v.Frame)
			w.uint("last_frame", v.LastFrame)
			w.uint("count", v.Count)
			w.time("first", v.First)
			w.time("last", v.Last)
			w.close()
		}
		w.closeArr()
	}
	if len(peers) > 0 {
		w.openArr("peers")
		for _, p := range peers {
			w.openElem()
			w.ip("ip", p.Addr)
			w.text("protocol", p.Proto)
			w.str("role", RoleName(p.Proto, p.Role))
			w.time("first", p.First)
			w.time("last", p.Last)
			w.uint("events", p.Events)
			w.close()
		}
		w.closeArr()
	}
	if tags := d.Tags(); len(tags) > 0 {
		w.openArr("tags")
		for _, t := range tags {
			w.openElem()
			w.key("name")
			w.b = append(w.b, '"')
			w.b = t.AppendName(w.b)
			w.b = append(w.b, '"')
			w.comma = true
			w.text("protocol", t.Proto)
			w.uint("unit", uint64(t.Unit))
			w.text("space", t.Space)
			if t.Symbol != "" {
				w.str("symbol", t.Symbol)
			} else {
				if t.Block != 0 {
					w.uint("block", uint64(t.Block))
				}
				if t.Space == SpaceCIPAttribute {
					w.uint("instance", uint64(t.Instance))
					w.uint("attribute", uint64(t.Attribute))
				}
				w.uint("address", t.Addr)
				if t.Bit != 0 {
					w.uint("bit", uint64(t.Bit))
				}
			}
			w.uint("reads", t.Reads)
			w.uint("writes", t.Writes)
			if t.HasValue {
				w.key("value")
				w.b = appendValueJSON(w.b, t.Value)
				w.comma = true
				if t.TypeName != "" {
					w.str("type", t.TypeName)
				}
				if t.Value.HasFlags {
					w.uint("flags", uint64(t.Value.Flags))
				}
			}
			if t.Elements > 1 {
				w.uint("elements", uint64(t.Elements))
			}
			if t.Writes > 0 {
				w.ip("last_writer", t.LastWriter.Addr)
				w.time("last_write", t.LastWrite)
			}
			w.time("first", t.First)
			w.time("last", t.Last)
			w.close()
		}
		w.closeArr()
	}
	w.close()
	w.close()
	return w.b
}

// JSONLines is an Observer that writes each event as one JSON line to a
// writer, with a reused buffer: writing an access or operation allocates
// nothing. Write errors are kept: Err returns the first.
type JSONLines struct {
	// Enc encodes the events.
	Enc Encoder
	// Accesses, Ops, Identities and Changes select what is written; New
	// sets all four.
	Accesses, Ops, Identities, Changes bool
	w                                  io.Writer
	buf                                []byte
	err                                error
}

// NewJSONLines returns a JSONLines writing every kind of event to w.
func NewJSONLines(w io.Writer) *JSONLines {
	return &JSONLines{w: w, Accesses: true, Ops: true, Identities: true, Changes: true, buf: make([]byte, 0, 4096)}
}

// Err returns the first write error.
func (j *JSONLines) Err() error { return j.err }

func (j *JSONLines) flush() {
	j.buf = append(j.buf, '\n')
	if j.err == nil {
		_, j.err = j.w.Write(j.buf)
	}
}

// Access writes a.
func (j *JSONLines) Access(a Access) {
	if j.Accesses {
		j.buf = j.Enc.AppendAccess(j.buf[:0], &a)
		j.flush()
	}
}

// Operation writes o.
func (j *JSONLines) Operation(o Op) {
	if j.Ops {
		j.buf = j.Enc.AppendOp(j.buf[:0], &o)
		j.flush()
	}
}

// Identity writes id.
func (j *JSONLines) Identity(id Identity) {
	if j.Identities {
		j.buf = j.Enc.AppendIdentity(j.buf[:0], &id)
		j.flush()
	}
}

// Change writes c.
func (j *JSONLines) Change(c Change) {
	if j.Changes {
		j.buf = j.Enc.AppendChange(j.buf[:0], &c)
		j.flush()
	}
}
