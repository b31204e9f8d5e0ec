package enip

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
func firstMessage(t *testing.T, f *Frame) Message {
	t.Helper()
	for it := f.Items(); it.Next(); {
		item := it.Item()
		switch item.Type {
		case ItemUnconnectedData:
			m, err := ParseMessage(item.Data)
			require.NoError(t, err)
			return m
		case ItemConnectedData:
			_, msg, ok := item.ConnectedMessage()
			require.True(t, ok)
			m, err := ParseMessage(msg)
			require.NoError(t, err)
			return m
		}
	}
	t.Fatal("no data item")
	return Message{}
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
	require.Equal(t, uint16(1), id.VendorID)
	require.Equal(t, uint16(12), id.DeviceType)
	require.Equal(t, uint16(58), id.ProductCode)
	require.Equal(t, Revision{4, 3}, id.Revision)
	require.Equal(t, uint32(0x00524d8e), id.SerialNumber)
	require.Equal(t, "1756-ENBT/A", string(id.ProductName))
	require.True(t, id.HasState)
	require.Equal(t, uint8(3), id.State)
	require.Equal(t, uint16(44818), id.Socket.Port)
	require.Equal(t, [4]byte{10, 1, 1, 164}, id.Socket.Addr)
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
	require.Equal(t, uint32(2), tg.Class)

	rf := parseOne(t, hexForwardOpenReply)
	rm := firstMessage(t, &rf)
	require.True(t, rm.Response)
	r, ok := rm.ForwardOpenReply()
	require.True(t, ok)
	require.Equal(t, uint32(0x0a24f36e), r.OTConnID)
	require.Equal(t, uint32(0x80fe0005), r.TOConnID)
	require.Equal(t, uint32(1250000), r.OTAPI)

	var tr Tracker
	tr.Request(&fo)
	c, found := tr.Reply(&r)
	require.True(t, found)
	require.Equal(t, uint32(2), c.Class)
	got, dir, ok := tr.Lookup(0x80fe0005)
	require.True(t, ok)
	require.Equal(t, DirTO, dir)
	require.Equal(t, uint32(1250000), got.TORPI)
	_, dir, ok = tr.Lookup(0x0a24f36e)
	require.True(t, ok)
	require.Equal(t, DirOT, dir)
	_, ok = tr.LookupTriad(fo.Triad)
	require.True(t, ok)
	tr.Close(fo.Triad)
	_, _, ok = tr.Lookup(0x80fe0005)
	require.False(t, ok)
}

func TestUnconnectedSendIdentity(t *testing.T) {
	f := parseOne(t, hexUnconnectedSend)
	m := firstMessage(t, &f)
	us, ok := m.UnconnectedSend()
	require.True(t, ok)
	emb, err := ParseMessage(us.Embedded)
	require.NoError(t, err)
	require.Equal(t, SvcGetAttributesAll, emb.Service)
	tg := emb.Target()
	require.Equal(t, ClassIdentity, tg.Class)
	require.Equal(t, uint32(1), tg.Instance)
	var ports int
	for it := us.RoutePath.Segments(); it.Next(); {
		s := it.Segment()
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
	require.Equal(t, uint16(1), id.VendorID)
	require.Equal(t, uint16(14), id.DeviceType)
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
	classes := []uint32{}
	for it.Next() {
		e := it.Message()
		require.Equal(t, SvcGetAttributeList, e.Service)
		al, ok := e.AttributeList()
		require.True(t, ok)
		require.Equal(t, int(al.Count), al.Len())
		classes = append(classes, e.Target().Class)
		n++
	}
	require.NoError(t, it.Err())
	require.Equal(t, 11, n)
	require.Equal(t, []uint32{0x01, 0x69, 0x73, 0xac, 0x68, 0x70, 0x8e, 0x69, 0x68, 0x77, 0x8b}, classes)
}

func TestSymbolicReadModifyWrite(t *testing.T) {
	f := parseOne(t, hexMSPSymbolic)
	m := firstMessage(t, &f)
	it := m.Multiple()
	var names []string
	for it.Next() {
		e := it.Message()
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
	rep, ok := rm.TagReply()
	require.True(t, ok)
	require.Equal(t, TypeREAL, rep.Type.Code)
	v := rep.Value()
	require.Equal(t, 1, v.Len())
	fv, ok := v.Float(0)
	require.True(t, ok)
	require.Equal(t, 1500.5, fv)
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
	seq, hasSeq, hdr, hasHdr, data := c.Split(f.Data, true)
	require.True(t, hasSeq)
	require.Equal(t, uint16(3), seq)
	require.True(t, hasHdr)
	require.Equal(t, uint32(0xfffffffd), hdr)
	require.Len(t, data, 6)
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
		{"numeric symbol", "60c70500", []Segment{
			{Type: SegSymbolic, Code: 0x60, Format: 6, Value: 5},
		}, 0, nil},
		{"reserved segment type", "e0", nil, AnomUnknownSegment, nil},
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
	require.Equal(t, uint32(0x0134), tg.Class)
	require.Equal(t, uint32(0x00010001), tg.Instance)
	require.False(t, tg.HasAttribute)
	// Tag with two indices.
	p := Path(mustHex("9103417272002801280291014200"))
	require.Equal(t, "Arr[1,2].B", string(p.AppendTag(nil)))
}

func TestValues(t *testing.T) {
	v := Value{Type: TagType{Code: TypeDINT}, Data: []byte{0xfe, 0xff, 0xff, 0xff, 2, 0, 0, 0}}
	require.Equal(t, 2, v.Len())
	i, ok := v.Int(0)
	require.True(t, ok)
	require.Equal(t, int64(-2), i)
	u, ok := v.Uint(1)
	require.True(t, ok)
	require.Equal(t, uint64(2), u)
	_, ok = v.Int(2)
	require.False(t, ok)
	_, ok = v.Float(0)
	require.False(t, ok)
	b := Value{Type: TagType{Code: TypeBool}, Data: []byte{1}}
	bv, ok := b.Bool(0)
	require.True(t, ok && bv)
	s := Value{Type: TagType{Code: TypeShortString}, Data: []byte{2, 'h', 'i'}}
	txt, ok := s.Text()
	require.True(t, ok)
	require.Equal(t, "hi", string(txt))
	s2 := Value{Type: TagType{Code: TypeSTRING}, Data: []byte{2, 0, 'o', 'k'}}
	txt, ok = s2.Text()
	require.True(t, ok)
	require.Equal(t, "ok", string(txt))
	l := Value{Type: TagType{Code: TypeLREAL}, Data: []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x3f}}
	f, ok := l.Float(0)
	require.True(t, ok)
	require.Equal(t, 1.5, f)
	require.Equal(t, "SHORT_STRING", TypeShortString.String())
	require.Equal(t, "STRUCT", TypeStruct.String())
	require.False(t, DataType(0x99).Known())
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
}

func TestPCCC(t *testing.T) {
	// Execute PCCC request: requestor id (7 bytes: length, vendor,
	// serial), CMD 0x0F, STS 0, TNS 0x1234, FNC 0xA2.
	m, err := ParseMessage(mustHex("4b0220672401" + "07" + "4d00e0312b3d0f003412a2"))
	require.NoError(t, err)
	require.Equal(t, ContextPCCC, m.Context())
	p, ok := m.PCCC()
	require.True(t, ok)
	require.Equal(t, uint8(0x0F), p.Command)
	require.Equal(t, uint16(0x1234), p.TNS)
	require.True(t, p.HasFunction)
	require.Equal(t, uint8(0xA2), p.Function)
}

func TestParseErrors(t *testing.T) {
	_, _, err := Parse(nil)
	require.Equal(t, ErrTruncated, err)
	b := mustHex(hexListIdentityReply)
	f, n, err := Parse(b[:30])
	require.Equal(t, ErrTruncated, err)
	require.Equal(t, 30, n)
	require.Len(t, f.Data, 6)
	// Unknown command, non-zero options and unknown status are anomalies.
	h := mustHex("990000000000000007000000000000000000000001000000")
	f, _, err = Parse(h)
	require.NoError(t, err)
	require.True(t, f.Anomalies.Has(AnomUnknownCommand|AnomOptions|AnomUnknownStatus))
	require.Equal(t, "Reserved", f.Command.String())
	_, err = ParseMessage([]byte{0x8e, 0})
	require.Equal(t, ErrTruncated, err)
	m, err := ParseMessage([]byte{0x8e, 0, 0x77, 0})
	require.NoError(t, err)
	require.True(t, m.Anomalies.Has(AnomUnknownGeneralStatus))
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
	require.Equal(t, "Unknown Service", SvcUnconnectedSend.Name(ContextGeneric))
	require.Equal(t, "Execute PCCC", SvcExecutePCCC.Name(ContextPCCC))
	require.Equal(t, "unknown_item", AnomUnknownItem.String())
	require.Equal(t, "multiple", (AnomUnknownItem | AnomTrailing).String())
	var seen []Anomaly
	(AnomUnknownItem | AnomTrailing).Each(func(a Anomaly) { seen = append(seen, a) })
	require.Equal(t, []Anomaly{AnomUnknownItem, AnomTrailing}, seen)
	require.Equal(t, "enip: truncated", ErrTruncated.Error())
	require.Equal(t, "enip: status: Invalid session handle", StatusInvalidSession.Error())
	require.Equal(t, "Socket Address Info O->T", ItemSockaddrOT.String())
}

// TestNoForbiddenImports keeps the package free of fmt, errors and
// encoding/binary in non-test files, and of init functions.
func TestNoForbiddenImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			require.NotContains(t, []string{"fmt", "errors", "encoding/binary", "unsafe", "reflect"}, p, name)
		}
		require.NotContains(t, string(src), "func init(", name)
		require.NotContains(t, string(src), "panic(", name)
	}
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
	m, err := ParseMessage(b)
	if err != nil || depth > 3 {
		return 0
	}
	sum := int(m.Service)
	for it := m.Path.Segments(); it.Next(); {
		sum += len(it.Segment().Raw)
	}
	sum += len(m.Path.AppendTag(nil))
	_ = m.Target()
	for i := 0; i < m.ExtStatusLen(); i++ {
		sum += int(m.ExtStatusAt(i))
	}
	msp := m.Multiple()
	for msp.Next() {
		sum += walkMessage(msp.Raw(), depth+1)
	}
	if fo, ok := m.ForwardOpen(); ok {
		var tr Tracker
		tr.Request(&fo)
		sum += int(fo.OTSize())
	}
	_, _ = m.ForwardOpenReply()
	_, _ = m.ForwardClose()
	_, _ = m.ConnectionReplyTriad()
	if us, ok := m.UnconnectedSend(); ok {
		sum += walkMessage(us.Embedded, depth+1)
	}
	if tr, ok := m.TagRequest(); ok {
		v := tr.Value()
		sum += v.Len()
	}
	if tr, ok := m.TagReply(); ok {
		v := tr.Value()
		for i := 0; i < v.Len(); i++ {
			x, _ := v.Uint(i)
			sum += int(x)
			_, _ = v.Int(i)
			_, _ = v.Float(i)
			_, _ = v.Bool(i)
		}
		_, _ = v.Text()
	}
	if al, ok := m.AttributeList(); ok {
		for i := 0; i < al.Len(); i++ {
			sum += int(al.At(i))
		}
	}
	_, _ = m.PCCC()
	if id, ok := ParseIdentity(m.Data); ok {
		sum += len(id.ProductName)
	}
	_, _ = ParseInterfaceConfig(m.Data)
	_, _ = ParseHostName(m.Data)
	_, _ = ParseMAC(m.Data)
	return sum
}

func TestPCCCNames(t *testing.T) {
	require.Equal(t, "Protected Typed Logical Read (3 address fields)", PCCCFunctionName(0x0F, 0xA2))
	require.Equal(t, "Echo", PCCCFunctionName(0x06, 0x00))
	require.Equal(t, "Unknown", PCCCFunctionName(0x01, 0x00))
	require.Equal(t, "Command 0x0F", PCCCCommandName(0x4F))
	for c := 0; c < 256; c++ {
		require.NotEmpty(t, PCCCCommandName(uint8(c)))
		require.NotEmpty(t, PCCCFunctionName(0x0F, uint8(c)))
	}
}

func TestSetAttributeSingleAndReset(t *testing.T) {
	m, err := ParseMessage(mustHex("100320f52401300601020304"))
	require.NoError(t, err)
	attr, v, ok := m.SetAttributeSingle()
	require.True(t, ok)
	require.Equal(t, uint32(6), attr)
	require.Equal(t, []byte{1, 2, 3, 4}, v)
	m, err = ParseMessage(mustHex("0502200124010100"))
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
	var m Message
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
		wm, werr := ParseMessage(c.Msg)
		require.Equal(t, werr, m.Decode(c.Msg))
		require.Equal(t, wm, m)
	}
	// A short input clears a reused frame.
	_, err := f.Decode([]byte{1, 2})
	require.Equal(t, ErrTruncated, err)
	require.Equal(t, Frame{}, f)
}
