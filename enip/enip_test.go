package enip

import (
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/require"
)

func parseOne(t *testing.T, h string) Frame {
	t.Helper()
	b := mustHex(h)
	f, n, err := Parse(b)
	require.NoError(t, err)
	require.Equal(t, len(b), n)
	return f
}

// firstMessage returns the CIP message of the frame's data item.
func firstMessage(t *testing.T, f *Frame) CIPMessage {
	t.Helper()
	items := f.Items()
	for items.Next() {
		item := items.Item()
		switch item.Type {
		case ItemUnconnectedData:
			m, err := ParseCIP(item.Data)
			require.NoError(t, err)
			return m
		case ItemConnectedData:
			_, msg, ok := item.ConnectedMessage()
			require.True(t, ok)
			m, err := ParseCIP(msg)
			require.NoError(t, err)
			return m
		}
	}
	t.Fatal("no data item")
	return CIPMessage{}
}

func TestListIdentityReply(t *testing.T) {
	f := parseOne(t, hexListIdentityReply)
	require.Equal(t, CmdListIdentity, f.Command)
	require.Equal(t, "List Identity", f.Command.String())
	require.Zero(t, f.Anomalies)
	it := f.Items()
	require.True(t, it.Next())
	id, ok := it.Item().Identity()
	require.True(t, ok)
	require.Equal(t, VendorID(1), id.VendorID)
	require.Equal(t, "Rockwell Automation/Allen-Bradley", id.VendorID.String())
	require.Equal(t, DeviceType(12), id.DeviceType)
	require.Equal(t, "Communications Adapter", id.DeviceType.String())
	require.Equal(t, uint16(58), id.ProductCode)
	require.Equal(t, Revision{4, 3}, id.Revision)
	require.Equal(t, uint32(0x00524d8e), id.SerialNumber)
	require.Equal(t, "1756-ENBT/A", string(id.ProductName))
	require.True(t, id.HasState)
	require.Equal(t, uint8(3), id.State)
	require.Equal(t, uint16(44818), id.Socket.Port)
	require.Equal(t, [4]byte{10, 1, 1, 164}, id.Socket.Addr)
	require.Len(t, id.Socket.Zero, 8)
	require.False(t, it.Next())
	require.NoError(t, it.Err())
	require.Equal(t, 1, it.Count())
}

func TestListServicesReply(t *testing.T) {
	f := parseOne(t, hexListServicesReply)
	it := f.Items()
	require.True(t, it.Next())
	sv, ok := it.Item().Service()
	require.True(t, ok)
	require.Equal(t, uint16(1), sv.Version)
	require.Equal(t, uint16(0x0120), sv.Capabilities)
	require.Equal(t, "Communications", string(sv.Name))
}

func TestForwardOpenAndTracker(t *testing.T) {
	f := parseOne(t, hexForwardOpen)
	sd, ok := f.SendData()
	require.True(t, ok)
	require.Equal(t, uint32(0), sd.InterfaceHandle)
	m := firstMessage(t, &f)
	require.Equal(t, SvcForwardOpen, m.Service)
	require.Equal(t, ContextConnectionManager, m.Context())
	require.Equal(t, "Forward Open", m.Service.Name(m.Context()))
	fo, ok := m.ForwardOpen()
	require.True(t, ok)
	require.Equal(t, uint32(0x80000006), fo.OTConnID)
	require.Equal(t, uint32(0x80fe0005), fo.TOConnID)
	require.Equal(t, ConnectionTriad{SerialNumber: 6, VendorID: 0x4d, OrigSerial: 0x3d2b31e0}, fo.Triad)
	require.Equal(t, uint32(1250000), fo.OTRPI)
	require.Equal(t, uint32(1250000), fo.TORPI)
	require.Equal(t, uint8(3), fo.TransportClass())
	require.Equal(t, uint32(0x4312&0x1FF), fo.OTSize())
	tg := fo.ConnPath.Target()
	require.True(t, tg.HasClass)
	require.Equal(t, ClassMessageRouter, tg.Class)
	_, ok = fo.Key()
	require.False(t, ok, "this connection path has no electronic key")

	rf := parseOne(t, hexForwardOpenReply)
	rm := firstMessage(t, &rf)
	require.True(t, rm.Response)
	_, ok = rm.ForwardOpenReply(ContextGeneric)
	require.False(t, ok, "a reply is read in its request's context")
	r, ok := rm.ForwardOpenReply(ContextConnectionManager)
	require.True(t, ok)
	require.Equal(t, uint32(0x0a24f36e), r.OTConnID)
	require.Equal(t, uint32(0x80fe0005), r.TOConnID)
	require.Equal(t, uint32(1250000), r.OTAPI)

	var c Connection
	c.setRequest(&fo)
	c.setReply(&r)
	var tr Tracker
	tr.Open(&c)
	require.Equal(t, 1, tr.Len())
	got, fromOriginator, ok := tr.Lookup(0x80fe0005)
	require.True(t, ok)
	require.False(t, fromOriginator)
	require.Equal(t, uint32(1250000), got.TORPI)
	require.Equal(t, ClassMessageRouter, got.Class)
	_, fromOriginator, ok = tr.Lookup(0x0a24f36e)
	require.True(t, ok)
	require.True(t, fromOriginator)
	_, ok = tr.LookupTriad(fo.Triad)
	require.True(t, ok)
	tr.Close(fo.Triad)
	_, _, ok = tr.Lookup(0x80fe0005)
	require.False(t, ok)
	tr.Open(&c)
	tr.Reset()
	require.Zero(t, tr.Len())
}

func TestUnconnectedSendIdentity(t *testing.T) {
	f := parseOne(t, hexUnconnectedSend)
	m := firstMessage(t, &f)
	us, ok := m.UnconnectedSend()
	require.True(t, ok)
	emb, err := ParseCIP(us.Embedded)
	require.NoError(t, err)
	require.Equal(t, SvcGetAttributesAll, emb.Service)
	tg := emb.Target()
	require.Equal(t, ClassIdentity, tg.Class)
	require.Equal(t, uint32(1), tg.Instance)
	route, ok := us.Route()
	require.True(t, ok)
	slot, ok := route.Slot()
	require.True(t, ok)
	require.Equal(t, uint16(1), route.Port)
	require.Equal(t, uint8(0), slot)
	var ports int
	segs := us.RoutePath.Segments()
	for segs.Next() {
		s := segs.Segment()
		require.Equal(t, SegPort, s.Type)
		require.Equal(t, uint32(1), s.Value)
		require.Equal(t, []byte{0}, s.Link)
		ports++
	}
	require.Equal(t, 1, ports)

	rf := parseOne(t, hexIdentityReply)
	rm := firstMessage(t, &rf)
	require.Equal(t, StatusOK, rm.Status)
	id, ok := ParseIdentity(rm.Data)
	require.True(t, ok)
	require.Equal(t, VendorID(1), id.VendorID)
	require.Equal(t, DevicePLC, id.DeviceType)
	require.Equal(t, uint16(54), id.ProductCode)
	require.Equal(t, Revision{16, 20}, id.Revision)
	require.Equal(t, uint32(0x0051823f), id.SerialNumber)
	require.Equal(t, "1756-L61/B LOGIX5561", string(id.ProductName))
}

func TestMultipleServicePacket(t *testing.T) {
	f := parseOne(t, hexMSPRequest)
	m := firstMessage(t, &f)
	require.Equal(t, SvcMultipleServicePacket, m.Service)
	it := m.Multiple()
	require.Equal(t, 11, it.Count())
	n := 0
	classes := []Class{}
	for it.Next() {
		e := it.CIPMessage()
		require.Equal(t, SvcGetAttributeList, e.Service)
		al, ok := e.AttributeList()
		require.True(t, ok)
		require.Equal(t, int(al.Count), al.Len())
		classes = append(classes, e.Target().Class)
		n++
	}
	require.NoError(t, it.Err())
	require.Equal(t, 11, n)
	require.Equal(t, []Class{0x01, 0x69, 0x73, 0xac, 0x68, 0x70, 0x8e, 0x69, 0x68, 0x77, 0x8b}, classes)
}

// TestMultipleRaw checks Raw against the offsets table: nil before the
// first message, each message's bytes up to the next offset (the last to
// the end), and the last one kept once the cursor is done.
func TestMultipleRaw(t *testing.T) {
	f := parseOne(t, hexMSPRequest)
	m := firstMessage(t, &f)
	it := m.Multiple()
	require.Nil(t, it.Raw())
	d := m.Data
	var last []byte
	for it.Next() {
		i := it.Index()
		off, end := int(d[2+2*i])|int(d[3+2*i])<<8, len(d)
		if i+1 < it.Count() {
			end = int(d[4+2*i]) | int(d[5+2*i])<<8
		}
		raw := it.Raw()
		require.Equal(t, d[off:end], raw)
		require.Equal(t, end-off, cap(raw))
		e, err := ParseCIP(raw)
		require.NoError(t, err)
		require.Equal(t, e, it.CIPMessage())
		last = raw
	}
	require.Equal(t, last, it.Raw())
}

func TestSymbolicReadModifyWrite(t *testing.T) {
	f := parseOne(t, hexMSPSymbolic)
	m := firstMessage(t, &f)
	it := m.Multiple()
	var names []string
	for it.Next() {
		e := it.CIPMessage()
		require.Equal(t, ContextLogix, e.Context())
		tr, ok := e.TagRequest()
		require.True(t, ok)
		require.Equal(t, SvcReadModifyWriteTag, tr.Service)
		require.Len(t, tr.OrMask, 1)
		require.Len(t, tr.AndMask, 1)
		names = append(names, string(tr.Tag.AppendTag(nil)))
	}
	require.NoError(t, it.Err())
	require.Equal(t, []string{"LMS_DISABLE_2DSCANNER1", "LMS_DISABLE_2DSCANNER2",
		"LMS_DISABLE_BARCODE_SCANNER", "LMS_SETPOINTCHANGE_RECEIVED"}, names)
}

func TestReadTag(t *testing.T) {
	f := parseOne(t, hexReadTagRequest)
	m := firstMessage(t, &f)
	require.Equal(t, ContextLogix, m.Context())
	require.Equal(t, "Read Tag", m.Service.Name(m.Context()))
	tr, ok := m.TagRequest()
	require.True(t, ok)
	require.Equal(t, uint16(1), tr.Elements)
	require.Equal(t, "Program:Main.Motor[3].Speed", string(tr.Tag.AppendTag(nil)))

	rf := parseOne(t, hexReadTagReply)
	rm := firstMessage(t, &rf)
	_, ok = rm.TagReply(ContextGeneric)
	require.False(t, ok, "0x4C is Read Tag only in the Logix context")
	rep, ok := rm.TagReply(ContextLogix)
	require.True(t, ok)
	require.Equal(t, TypeREAL, rep.Type.Code)
	v := rep.Value()
	require.Equal(t, 1, v.Len())
	sc, ok := v.At(0)
	require.True(t, ok)
	fv, ok := sc.Float32()
	require.True(t, ok)
	require.Equal(t, float32(1500.5), fv)
}

func TestImplicitIO(t *testing.T) {
	f, err := ParseIO(mustHex(hexIO))
	require.NoError(t, err)
	require.True(t, f.HasAddress)
	require.True(t, f.HasData)
	require.Equal(t, uint32(0x003a7b78), f.ConnID)
	require.Equal(t, uint32(73321448), f.EncapSeq)
	require.Len(t, f.Data, 12)
	c := Connection{TransportTrigger: 1}
	io := c.IO(f.Data, true)
	require.True(t, io.HasSeq)
	require.Equal(t, uint16(3), io.Seq)
	require.True(t, io.HasHeader)
	require.Equal(t, uint32(0xfffffffd), io.Header)
	require.Len(t, io.Data, 6)
	io = c.IO(f.Data, false)
	require.False(t, io.HasHeader)
	require.Len(t, io.Data, 10)
}

func TestPathSegments(t *testing.T) {
	cases := []struct {
		name string
		path string
		want []Segment
		anom Anomaly
		err  error
	}{
		{"8-bit class instance attribute", "200124013003", []Segment{
			{Type: SegLogical, Code: 0x20, Logical: LogicalClass, Value: 1},
			{Type: SegLogical, Code: 0x24, Logical: LogicalInstance, Value: 1},
			{Type: SegLogical, Code: 0x30, Logical: LogicalAttribute, Value: 3},
		}, 0, nil},
		{"16 and 32-bit", "21003401260001000100", []Segment{
			{Type: SegLogical, Code: 0x21, Logical: LogicalClass, Format: 1, Value: 0x0134},
		}, 0, nil},
		{"port with extended link", "120831302e312e312e31", []Segment{
			{Type: SegPort, Code: 0x12, Value: 2, Link: []byte("10.1.1.1")},
		}, 0, nil},
		{"electronic key", "34040100020003000480", []Segment{
			{Type: SegLogical, Code: 0x34, Logical: LogicalSpecial,
				Key: ElectronicKey{Format: 4, VendorID: 1, DeviceType: 2, ProductCode: 3, Major: 4, Minor: 0x80}},
		}, 0, nil},
		{"key format 5", "340501000200", nil, AnomalyUnknownSegment, ErrSegment},
		{"numeric symbol", "60c70500", []Segment{
			{Type: SegSymbolic, Code: 0x60, Format: 6, Value: 5},
		}, 0, nil},
		{"reserved segment type", "e0", nil, AnomalyUnknownSegment, nil},
		{"cut ANSI symbol", "9105414243", nil, 0, ErrSegment},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			it := Path(mustHex(c.path)).Segments()
			var got []Segment
			for it.Next() {
				s := it.Segment()
				s.Raw = nil
				got = append(got, s)
			}
			require.Equal(t, c.err, it.Err())
			require.Equal(t, c.anom, it.Anomalies()&c.anom)
			if c.want != nil {
				require.Equal(t, c.want[0], got[0])
			}
		})
	}
	// 16-bit and 32-bit logical values.
	tg := Path(mustHex("21003401260001000100")).Target()
	require.Equal(t, Class(0x0134), tg.Class)
	require.Equal(t, uint32(0x00010001), tg.Instance)
	require.False(t, tg.HasAttribute)
	// An electronic key and a route in a Forward Open's connection path.
	kp := Path(mustHex("010234040100020003008401" + "20042402"))
	key, ok := kp.Key()
	require.True(t, ok)
	require.Equal(t, ElectronicKey{Format: 4, VendorID: 1, DeviceType: 2, ProductCode: 3, Compatibility: true, Major: 4, Minor: 1}, key)
	route, ok := kp.Route()
	require.True(t, ok)
	require.Equal(t, Route{Port: 1, Link: []byte{2}}, route)
	_, ok = Path(mustHex("20042402")).Route()
	require.False(t, ok)
	// Tag with two indices.
	p := Path(mustHex("9103417272002801280291014200"))
	require.Equal(t, "Arr[1,2].B", string(p.AppendTag(nil)))
}

func TestValues(t *testing.T) {
	v := Value{Type: TagType{Code: TypeDINT}, Data: []byte{0xfe, 0xff, 0xff, 0xff, 2, 0, 0, 0}}
	require.Equal(t, 2, v.Len())
	e, ok := v.At(0)
	require.True(t, ok)
	i, ok := e.Int()
	require.True(t, ok)
	require.Equal(t, int64(-2), i)
	_, ok = e.Uint()
	require.False(t, ok, "DINT is signed")
	_, ok = v.At(2)
	require.False(t, ok)
	_, ok = v.At(-1)
	require.False(t, ok)
	_, ok = e.Float32()
	require.False(t, ok)
	var elems []int64
	for _, s := range v.All {
		x, _ := s.Int()
		elems = append(elems, x)
	}
	require.Equal(t, []int64{-2, 2}, elems)

	u := Value{Type: TagType{Code: TypeUDINT}, Data: []byte{2, 0, 0, 0}}
	e, _ = u.At(0)
	n, ok := e.Uint()
	require.True(t, ok)
	require.Equal(t, uint64(2), n)

	b := Value{Type: TagType{Code: TypeBool}, Data: []byte{1}}
	e, _ = b.At(0)
	bv, ok := e.Bool()
	require.True(t, ok && bv)
	require.Equal(t, "true", e.String())

	s := Value{Type: TagType{Code: TypeShortString}, Data: []byte{2, 'h', 'i'}}
	txt, ok := s.Text()
	require.True(t, ok)
	require.Equal(t, "hi", string(txt))
	s2 := Value{Type: TagType{Code: TypeSTRING}, Data: []byte{2, 0, 'o', 'k'}}
	txt, ok = s2.Text()
	require.True(t, ok)
	require.Equal(t, "ok", string(txt))
	// A Logix STRING: DINT length and 82 characters.
	ls := make([]byte, 88)
	ls[0] = 5
	copy(ls[4:], "Pump1")
	lv := Value{Type: TagType{Code: TypeStruct, Handle: LogixStringHandle}, Data: ls}
	txt, ok = lv.Text()
	require.True(t, ok)
	require.Equal(t, "Pump1", string(txt))
	ls[0] = 83
	_, ok = lv.Text()
	require.False(t, ok, "longer than a Logix STRING holds")
	h, raw, ok := lv.Struct()
	require.True(t, ok)
	require.Equal(t, uint16(LogixStringHandle), h)
	require.Len(t, raw, 88)
	_, ok = Value{Type: TagType{Code: TypeStruct, Handle: 0x1234}, Data: ls}.Text()
	require.False(t, ok, "another structure is not a string")

	l := Value{Type: TagType{Code: TypeLREAL}, Data: []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x3f}}
	e, _ = l.At(0)
	f, ok := e.Float64()
	require.True(t, ok)
	require.Equal(t, 1.5, f)
	w := Value{Type: TagType{Code: TypeWORD}, Data: []byte{0x1f, 0}}
	e, _ = w.At(0)
	require.Equal(t, "0x001f", e.String())
	sint := Value{Type: TagType{Code: TypeSINT}, Data: []byte{0x80}}
	e, _ = sint.At(0)
	require.Equal(t, "-128", e.String())
	require.Equal(t, "SHORT_STRING", TypeShortString.String())
	require.Equal(t, "STRUCT", TypeStruct.String())
	require.False(t, DataType(0x99).Known())
	require.Equal(t, "data type 0x0099", DataType(0x99).String())
}

// TestREALIsFloat32 is class 9: a REAL is single precision and prints as
// the value sent, not widened to float64.
func TestREALIsFloat32(t *testing.T) {
	// 543.21 as IEEE 754 single precision: 0x4407CD71.
	v := Value{Type: TagType{Code: TypeREAL}, Data: mustHex("71cd0744")}
	e, ok := v.At(0)
	require.True(t, ok)
	f, ok := e.Float32()
	require.True(t, ok)
	require.Equal(t, float32(543.21), f)
	require.Equal(t, "543.21", e.String())
	b, _ := e.AppendText(nil)
	require.Equal(t, "543.21", string(b))
	_, ok = e.Float64()
	require.False(t, ok, "REAL is not LREAL")
}

func TestObjects(t *testing.T) {
	hn, ok := ParseHostName([]byte{3, 0, 'p', 'l', 'c', 0})
	require.True(t, ok)
	require.Equal(t, "plc", string(hn))
	cfg, ok := ParseInterfaceConfig(mustHex("790aa8c000ffffff010aa8c0000000000000000000000000"))
	require.True(t, ok)
	require.Equal(t, [4]byte{192, 168, 10, 121}, cfg.IP)
	require.Equal(t, [4]byte{255, 255, 255, 0}, cfg.Mask)
	mac, ok := ParseMAC(mustHex("00000bc0ffee"))
	require.True(t, ok)
	require.Equal(t, [6]byte{0, 0, 0x0b, 0xc0, 0xff, 0xee}, mac)
	var id Identity
	require.True(t, id.SetAttribute(7, []byte{2, 'A', 'B'}))
	require.Equal(t, "AB", string(id.ProductName))
	require.False(t, id.SetAttribute(99, []byte{1}))
	// Every Identity attribute, 1-10.
	for attr, v := range map[uint32]string{1: "0100", 2: "0e00", 3: "3600", 4: "1014", 5: "6030",
		6: "3f825100", 8: "03", 9: "3412", 10: "05"} {
		require.True(t, id.SetAttribute(attr, mustHex(v)), "attribute %d", attr)
		require.False(t, id.SetAttribute(attr, nil), "attribute %d short", attr)
	}
	require.Equal(t, Identity{VendorID: 1, DeviceType: DevicePLC, ProductCode: 0x36, Revision: Revision{16, 20},
		Status: 0x3060, SerialNumber: 0x0051823f, ProductName: []byte("AB"), State: 3, ConfigConsistency: 0x1234,
		HeartbeatInterval: 5, Has: 0x7FE}, id)

	var ti TCPIPInterface
	require.True(t, ti.SetAttribute(6, []byte{3, 0, 'p', 'l', 'c', 0}))
	require.True(t, ti.SetAttribute(5, mustHex("790aa8c000ffffff010aa8c0000000000000000003006c616e")))
	require.True(t, ti.SetAttribute(4, mustHex("020020f62401")))
	require.True(t, ti.SetAttribute(1, mustHex("01000000")))
	require.True(t, ti.SetAttribute(2, mustHex("94000000")))
	require.True(t, ti.SetAttribute(3, mustHex("02000000")))
	require.False(t, ti.SetAttribute(7, mustHex("00")))
	require.Equal(t, "plc", string(ti.HostName))
	require.Equal(t, "lan", string(ti.Config.DomainName))
	require.Equal(t, [4]byte{192, 168, 10, 1}, ti.Config.Gateway)
	require.Equal(t, EthernetLinkClassPath, ti.PhysicalLink.Target().Class)
	require.Equal(t, uint16(0x7E), ti.Has)

	var el EthernetLink
	require.True(t, el.SetAttribute(1, mustHex("64000000")))
	require.True(t, el.SetAttribute(2, mustHex("0f000000")))
	require.True(t, el.SetAttribute(3, mustHex("00000bc0ffee")))
	require.False(t, el.SetAttribute(4, mustHex("00")))
	require.Equal(t, EthernetLink{Speed: 100, Flags: 15, MAC: [6]byte{0, 0, 0x0b, 0xc0, 0xff, 0xee}, Has: 0xE}, el)
}

// EthernetLinkClassPath is the class the TCP/IP object's physical link path
// names in TestObjects.
const EthernetLinkClassPath = ClassEthernetLink

func TestPCCC(t *testing.T) {
	// Execute PCCC request: requestor id (7 bytes: length, vendor,
	// serial), CMD 0x0F, STS 0, TNS 0x1234, FNC 0xA2.
	m, err := ParseCIP(mustHex("4b0220672401" + "07" + "4d00e0312b3d0f003412a2"))
	require.NoError(t, err)
	require.Equal(t, ContextPCCC, m.Context())
	p, ok := m.PCCC()
	require.True(t, ok)
	require.Equal(t, uint8(0x0F), p.Command)
	require.Equal(t, uint16(0x1234), p.TNS)
	require.True(t, p.HasFunction)
	require.Equal(t, uint8(0xA2), p.Function)
	require.Equal(t, OpRead, PCCCOperation(p.Command, p.Function))
	// The same service on another class is not Execute PCCC.
	m, err = ParseCIP(mustHex("4b0220012401" + "07" + "4d00e0312b3d0f003412a2"))
	require.NoError(t, err)
	_, ok = m.PCCC()
	require.False(t, ok)
	// A reply with extended status.
	m, err = ParseCIP(mustHex("cb000000" + "07" + "4d00e0312b3d" + "4f" + "f0" + "3412" + "10"))
	require.NoError(t, err)
	_, ok = m.PCCCReply(ContextGeneric)
	require.False(t, ok)
	p, ok = m.PCCCReply(ContextPCCC)
	require.True(t, ok)
	require.Equal(t, uint8(0x10), p.ExtStatus)
}

func TestParseErrors(t *testing.T) {
	_, _, err := Parse(nil)
	require.Equal(t, ErrTruncated, err)
	b := mustHex(hexListIdentityReply)
	f, n, err := Parse(b[:30])
	require.Equal(t, ErrTruncated, err)
	require.Zero(t, n, "ErrTruncated comes with n == 0")
	require.Len(t, f.Data, 6, "the frame holds what is there")
	// Unknown command, non-zero options and unknown status are anomalies.
	h := mustHex("990000000000000007000000000000000000000001000000")
	f, _, err = Parse(h)
	require.NoError(t, err)
	require.True(t, f.Anomalies.Has(AnomalyUnknownCommand|AnomalyNonzeroOptions|AnomalyUnknownStatus))
	require.Equal(t, "command 0x0099", f.Command.String())
	_, err = ParseCIP([]byte{0x8e, 0})
	require.Equal(t, ErrTruncated, err)
	m, err := ParseCIP([]byte{0x8e, 0, 0x77, 0})
	require.NoError(t, err)
	require.True(t, m.Anomalies.Has(AnomalyUnknownGeneralStatus))
	// Every prefix of every vector decodes without panicking.
	for _, v := range allVectors() {
		for i := range v {
			walkAll(v[:i])
		}
	}
}

func TestSplit(t *testing.T) {
	a := mustHex(hexListIdentityReply)
	b := mustHex(hexForwardOpen)
	stream := append(append([]byte{}, a...), b...)
	adv, tok, err := Split(stream, false)
	require.NoError(t, err)
	require.Equal(t, len(a), adv)
	require.Equal(t, a, tok)
	adv, tok, _ = Split(stream[adv:], false)
	require.Equal(t, b, tok)
	require.Equal(t, len(b), adv)
	// A PDU cut across segments asks for more.
	adv, tok, _ = Split(b[:40], false)
	require.Zero(t, adv)
	require.Nil(t, tok)
	adv, tok, _ = Split(b[:10], false)
	require.Zero(t, adv)
	require.Nil(t, tok)
	// At EOF the cut PDU is returned for Parse to report.
	adv, tok, _ = Split(b[:40], true)
	require.Equal(t, 40, adv)
	require.Len(t, tok, 40)
	// Garbage is skipped up to the next plausible header.
	g := append([]byte{0xde, 0xad, 0xbe, 0xef, 0x99}, a...)
	adv, tok, _ = Split(g, false)
	require.Equal(t, 5, adv)
	require.Nil(t, tok)
	adv, tok, _ = Split(g[adv:], false)
	require.Equal(t, a, tok)
	require.Equal(t, len(a), adv)
	adv, tok, err = Split([]byte{0xff, 0xff, 0xff}, true)
	require.NoError(t, err)
	require.Equal(t, 3, adv)
	require.Nil(t, tok)
	// At most MaxSkip bytes are skipped per call.
	junk := make([]byte, 3*MaxSkip)
	for i := range junk {
		junk[i] = 0xff
	}
	adv, tok, _ = Split(junk, false)
	require.Equal(t, MaxSkip, adv)
	require.Nil(t, tok)
	// At EOF a cut header is the last token; Parse reports it.
	adv, tok, _ = Split(b[:10], true)
	require.Equal(t, 10, adv)
	_, n, err := Parse(tok)
	require.Equal(t, ErrTruncated, err)
	require.Zero(t, n)
}

func TestStrings(t *testing.T) {
	for c := Command(0); c < 0x100; c++ {
		require.NotEmpty(t, c.String())
	}
	for s := 0; s < 256; s++ {
		require.NotEmpty(t, GeneralStatus(s).String())
		require.NotEmpty(t, Service(s&0x7f).Name(ContextLogix))
		require.NotEmpty(t, SegmentType(s>>5).String())
	}
	require.Equal(t, "Read Tag Fragmented", SvcReadTagFragmented.Name(ContextLogix))
	require.Equal(t, "Unconnected Send", SvcUnconnectedSend.Name(ContextConnectionManager))
	require.Equal(t, "service 0x52", SvcUnconnectedSend.Name(ContextGeneric))
	require.Equal(t, "Execute PCCC", SvcExecutePCCC.Name(ContextPCCC))
	require.Equal(t, "Read Template", SvcReadTemplate.Name(ContextTemplate))
	require.Equal(t, "Initiate Upload", SvcInitiateUpload.Name(ContextFile))
	// Object-specific codes print their number without a context, never
	// as unknown.
	require.Equal(t, "object-specific service 0x4c", SvcReadTag.String())
	require.True(t, SvcReadTag.Known())
	require.False(t, SvcReadTag.KnownIn(ContextGeneric))
	require.True(t, SvcReadTag.KnownIn(ContextLogix))
	require.Equal(t, "Get Attribute Single", SvcGetAttributeSingle.String())
	require.Equal(t, "service 0x7f", Service(0x7f).String())
	require.False(t, Service(0x7f).Known())
	require.Equal(t, "unknown_item", AnomalyUnknownItem.String())
	require.Equal(t, "unknown_item|trailing_bytes", (AnomalyUnknownItem | AnomalyTrailingBytes).String())
	require.Equal(t, "", Anomaly(0).String())
	require.Equal(t, "item_count|bit31", (AnomalyItemCount | 1<<31).String())
	var seen []Anomaly
	for a := range (AnomalyUnknownItem | AnomalyTrailingBytes).All {
		seen = append(seen, a)
	}
	require.Equal(t, []Anomaly{AnomalyUnknownItem, AnomalyTrailingBytes}, seen)
	require.Equal(t, "enip: truncated", ErrTruncated.Error())
	require.Equal(t, "enip: unknown error", Error(99).Error())
	require.Equal(t, "enip: status: Invalid session handle", StatusInvalidSession.Error())
	require.Equal(t, "enip: general status: Path destination unknown", StatusPathUnknown.Error())
	require.Equal(t, "Socket Address Info O->T", ItemSockaddrOT.String())
	require.Equal(t, "item type 0x0099", ItemType(0x99).String())
	require.Equal(t, "Unconnected request timed out", ExtUnconnectedTimeout.String())
	require.Equal(t, "TCP/IP Interface", ClassTCPIP.String())
	require.Equal(t, "Template", ClassTemplate.String())
	require.Equal(t, "class 0x0399", Class(0x399).String())
	require.Equal(t, "Siemens AG", VendorSiemens.String())
	require.Equal(t, "vendor 0x0006", VendorID(6).String(), "a reserved id")
	require.Equal(t, "Programmable Logic Controller", DevicePLC.String())
	require.Equal(t, "Logix", ContextLogix.String())
	require.Equal(t, "mode_change", OpModeChange.String())
}

// TestHouseRules keeps the package free of fmt, errors and encoding/binary
// in non-test files, and of init functions and panics.
func TestHouseRules(t *testing.T) {
	testkit.HouseRules(t, ".", testkit.ProtocolImports...)
}

// walkAll decodes b every way the package can and touches every result.
func walkAll(b []byte) int {
	sum := 0
	f, _, _ := Parse(b)
	sum += int(f.Command)
	_, _ = f.SendData()
	_, _ = f.RegisterSession()
	if c, ok := f.CIP(); ok {
		sum += walkMessage(c.Msg, 0)
	}
	it := f.Items()
	for it.Next() {
		sum += walkItem(it.Item())
	}
	io, _ := ParseIO(b)
	sum += len(io.Data)
	sum += walkMessage(b, 0)
	var c Conn
	for _, toServer := range []bool{true, false} {
		m, _ := c.Decode(b, toServer, 0)
		calls := m.Calls()
		for calls.Next() {
			call := calls.Call()
			sum += int(call.Operation()) + len(call.Name())
			attrs := call.Attributes()
			for attrs.Next() {
				sum += len(attrs.Attribute().Value)
			}
		}
		for _, r := range m.Requests().All {
			sum += len(r.AppendTag(nil)) + int(r.Operation())
			_, _ = r.Route()
		}
	}
	_ = Explain(b)
	return sum
}

func walkItem(item Item) int {
	sum := int(item.Type)
	if id, ok := item.Identity(); ok {
		sum += len(id.ProductName)
	}
	_, _ = item.Service()
	_, _ = item.Sockaddr()
	_, _, _ = item.SequencedAddress()
	_, _ = item.ConnectedAddress()
	if _, msg, ok := item.ConnectedMessage(); ok {
		sum += walkMessage(msg, 0)
	}
	if item.Type == ItemUnconnectedData {
		sum += walkMessage(item.Data, 0)
	}
	return sum
}

func walkMessage(b []byte, depth int) int {
	m, err := ParseCIP(b)
	if err != nil || depth > 3 {
		return 0
	}
	sum := int(m.Service)
	segs := m.Path.Segments()
	for segs.Next() {
		sum += len(segs.Segment().Raw)
	}
	sum += len(m.Path.AppendTag(nil))
	_ = m.Target()
	for _, w := range m.ExtStatus.All {
		sum += int(w)
	}
	_, _ = m.ExtendedStatus()
	msp := m.Multiple()
	for msp.Next() {
		sum += walkMessage(msp.Raw(), depth+1)
	}
	if fo, ok := m.ForwardOpen(); ok {
		var c Connection
		c.setRequest(&fo)
		sum += int(fo.OTSize()) + int(c.TOSize)
	}
	_, _ = m.ForwardOpenReply(ContextConnectionManager)
	_, _ = m.ForwardClose()
	_, _ = m.ConnectionReplyTriad(ContextConnectionManager)
	_, _ = m.TemplateRead()
	if us, ok := m.UnconnectedSend(); ok {
		sum += walkMessage(us.Embedded, depth+1)
	}
	if tr, ok := m.TagRequest(); ok {
		v := tr.Value()
		sum += v.Len()
	}
	if tr, ok := m.TagReply(ContextLogix); ok {
		v := tr.Value()
		for _, s := range v.All {
			x, _ := s.Uint()
			sum += int(x)
			_, _ = s.Int()
			_, _ = s.Float32()
			_, _ = s.Float64()
			_, _ = s.Bool()
			_, _ = s.AppendText(nil)
		}
		_, _ = v.Text()
		_, _, _ = v.Struct()
	}
	if al, ok := m.AttributeList(); ok {
		for _, id := range al.All {
			sum += int(id)
		}
	}
	for _, class := range []Class{ClassIdentity, ClassTCPIP, ClassEthernetLink, ClassMessageRouter} {
		attrs := m.Attributes(class)
		for attrs.Next() {
			a := attrs.Attribute()
			var id Identity
			var ti TCPIPInterface
			var el EthernetLink
			id.SetAttribute(a.ID, a.Value)
			ti.SetAttribute(a.ID, a.Value)
			el.SetAttribute(a.ID, a.Value)
		}
	}
	_, _ = m.PCCC()
	_, _ = m.PCCCReply(ContextPCCC)
	if id, ok := ParseIdentity(m.Data); ok {
		sum += len(id.ProductName)
	}
	_, _ = ParseInterfaceConfig(m.Data)
	_, _ = ParseHostName(m.Data)
	_, _ = ParseMAC(m.Data)
	return sum
}

func TestPCCCNames(t *testing.T) {
	require.Equal(t, "Protected typed logical read with three address fields", PCCCFunctionName(0x0F, 0xA2))
	require.Equal(t, "Echo", PCCCFunctionName(0x06, 0x00))
	require.Equal(t, "Enter download mode", PCCCFunctionName(0x07, 0x04))
	require.Equal(t, "", PCCCFunctionName(0x01, 0x00))
	require.Equal(t, "Extended", PCCCCommandName(0x4F))
	require.Equal(t, "", PCCCCommandName(0x03))
	require.Equal(t, OpDownload, PCCCOperation(0x07, 0x04))
	require.Equal(t, OpUpload, PCCCOperation(0x0F, 0x53))
	require.Equal(t, OpModeChange, PCCCOperation(0x0F, 0x80))
	require.Equal(t, OpWrite, PCCCOperation(0x08, 0))
	require.Equal(t, OpDiagnostics, PCCCOperation(0x06, 0))
	require.Equal(t, OpOther, PCCCOperation(0x0F, 0xEE))
}

func TestSetAttributeSingleAndReset(t *testing.T) {
	m, err := ParseCIP(mustHex("100320f52401300601020304"))
	require.NoError(t, err)
	attr, v, ok := m.SetAttributeSingle()
	require.True(t, ok)
	require.Equal(t, uint32(6), attr)
	require.Equal(t, []byte{1, 2, 3, 4}, v)
	m, err = ParseCIP(mustHex("0502200124010100"))
	require.NoError(t, err)
	typ, ok := m.ResetType()
	require.True(t, ok)
	require.Equal(t, uint8(1), typ)
}

func TestFrameCIP(t *testing.T) {
	f := parseOne(t, hexReadTagReply)
	c, ok := f.CIP()
	require.True(t, ok)
	require.False(t, c.Connected)
	require.Equal(t, mustHex("cc000000ca000090bb44"), c.Msg)

	f = parseOne(t, hexMSPRequest)
	c, ok = f.CIP()
	require.True(t, ok)
	require.True(t, c.Connected)
	require.Equal(t, uint32(0x007c0b01), c.ConnID)
	require.Equal(t, uint16(0x0789), c.Seq)
	require.Equal(t, byte(0x0a), c.Msg[0])

	// A Forward Open with a trailing sockaddr item takes the cursor path.
	b := mustHex(hexForwardOpen)
	b = append(b, mustHex("01801000000208ae0a010101"+"0000000000000000")...)
	b[2] += 20
	b[30] = 3
	fr, _, err := Parse(b)
	require.NoError(t, err)
	c, ok = fr.CIP()
	require.True(t, ok)
	require.Equal(t, byte(0x54), c.Msg[0])
	fo := parseOne(t, hexListIdentityReply)
	_, ok = fo.CIP()
	require.False(t, ok)
}

func TestDecodeInPlace(t *testing.T) {
	var f Frame
	var m CIPMessage
	var c CIPData
	for _, h := range []string{hexReadTagReply, hexMSPRequest, hexForwardOpen} {
		b := mustHex(h)
		want, wn, werr := Parse(b)
		n, err := f.Decode(b)
		require.Equal(t, want, f)
		require.Equal(t, wn, n)
		require.Equal(t, werr, err)
		wc, wok := want.CIP()
		require.Equal(t, wok, f.DecodeCIP(&c))
		require.Equal(t, wc, c)
		wm, werr := ParseCIP(c.Msg)
		require.Equal(t, werr, m.Decode(c.Msg))
		require.Equal(t, wm, m)
	}
	// A short input clears a reused frame.
	_, err := f.Decode([]byte{1, 2})
	require.Equal(t, ErrTruncated, err)
	require.Equal(t, Frame{}, f)
}
