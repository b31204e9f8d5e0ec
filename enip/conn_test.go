package enip

import (
	"encoding/binary"
	"math"
	"testing"
	"unsafe"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/require"
)

// rr builds a SendRRData PDU (session 0x11020100) with sender context ctx
// carrying the CIP message cip (hex).
func rr(ctx byte, cip string) []byte {
	msg := mustHex(cip)
	b := make([]byte, 0, 40+len(msg))
	b = binary.LittleEndian.AppendUint16(b, uint16(CmdSendRRData))
	b = binary.LittleEndian.AppendUint16(b, uint16(16+len(msg)))
	b = binary.LittleEndian.AppendUint32(b, 0x11020100)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = append(b, ctx, 1, 2, 3, 4, 5, 6, 7)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = append(b, 0, 0, 0, 0, 10, 0, 2, 0, 0, 0, 0, 0, 0xb2, 0)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(msg)))
	return append(b, msg...)
}

// unit builds a SendUnitData PDU on connection id with sequence count seq
// carrying the CIP message cip (hex).
func unit(id uint32, seq uint16, cip string) []byte {
	msg := mustHex(cip)
	b := make([]byte, 0, 46+len(msg))
	b = binary.LittleEndian.AppendUint16(b, uint16(CmdSendUnitData))
	b = binary.LittleEndian.AppendUint16(b, uint16(24+len(msg)))
	b = binary.LittleEndian.AppendUint32(b, 0x11020100)
	b = append(b, make([]byte, 16)...)
	b = append(b, 0, 0, 0, 0, 0, 0, 2, 0, 0xa1, 0, 4, 0)
	b = binary.LittleEndian.AppendUint32(b, id)
	b = append(b, 0xb1, 0)
	b = binary.LittleEndian.AppendUint16(b, uint16(2+len(msg)))
	b = binary.LittleEndian.AppendUint16(b, seq)
	return append(b, msg...)
}

// callsOf returns the calls of m.
func callsOf(t *testing.T, m *Message) []Call {
	t.Helper()
	var out []Call
	calls := m.Calls()
	for calls.Next() {
		out = append(out, calls.Call())
	}
	require.NoError(t, calls.Err())
	return out
}

func TestConnPairing(t *testing.T) {
	cases := []struct {
		name     string
		req, rep string
		// check looks at the reply's calls.
		check func(t *testing.T, m *Message, calls []Call)
	}{
		{"ListIdentity", hexListIdentityRequest, hexListIdentityReply, func(t *testing.T, m *Message, calls []Call) {
			require.False(t, m.HasCIP)
			require.Empty(t, calls)
			require.Equal(t, OpIdentity, CommandOperation(m.Frame.Command))
		}},
		{"UCMM Read Tag", hexReadTagRequest, hexReadTagReply, func(t *testing.T, m *Message, calls []Call) {
			require.Len(t, calls, 1)
			c := calls[0]
			require.Equal(t, "Read Tag", c.Name())
			require.Equal(t, uint16(1), c.Request.Elements)
			require.Equal(t, "Program:Main.Motor[3].Speed", string(c.Request.AppendTag(nil)))
			tr, ok := c.TagReply()
			require.True(t, ok)
			f, ok := tr.Value().Float32(0)
			require.True(t, ok)
			require.Equal(t, float32(1500.5), f)
			require.Equal(t, OpRead, c.Operation())
		}},
		{"Unconnected Send to a slot", hexUnconnectedSend, hexIdentityReply, func(t *testing.T, m *Message, calls []Call) {
			require.Len(t, calls, 1)
			c := calls[0]
			require.Equal(t, SvcGetAttributesAll, c.Request.Service)
			require.Equal(t, ClassIdentity, c.Request.Class)
			require.NotNil(t, c.Via)
			require.Equal(t, SvcUnconnectedSend, c.Via.Service)
			route, ok := c.Via.Route()
			require.True(t, ok)
			require.Equal(t, Route{Port: 1, Link: []byte{0}}, route)
			id, ok := ParseIdentity(c.Msg.Data)
			require.True(t, ok)
			require.Equal(t, "1756-L61/B LOGIX5561", string(id.ProductName))
			require.Equal(t, OpIdentity, c.Operation())
			var ids []uint32
			attrs := c.Attributes()
			for attrs.Next() {
				ids = append(ids, attrs.Attribute().ID)
			}
			require.Equal(t, []uint32{1, 2, 3, 4, 5, 6, 7}, ids)
			require.Equal(t, 2, m.Requests().Len())
		}},
		{"connected Multiple Service Packet", hexConnMSPRequest, hexConnMSPReply, func(t *testing.T, m *Message, calls []Call) {
			require.True(t, m.CIP.Connected)
			require.Nil(t, m.Connection, "its Forward Open is not in the capture")
			require.Len(t, calls, 3)
			require.Equal(t, SvcMultipleServicePacket, calls[0].Request.Service)
			for i, c := range calls[1:] {
				require.Equal(t, i, c.Index)
				require.Equal(t, uint8(1), c.Depth)
				require.Equal(t, Class(0x72), c.Request.Class)
				require.Equal(t, "service 0x4c", c.Name(), "0x4C is not named on class 0x72")
				require.True(t, c.Anomalies.Has(AnomalyUnknownService))
			}
		}},
		{"connected Execute PCCC", hexPCCCRequest, hexPCCCReply, func(t *testing.T, m *Message, calls []Call) {
			require.Len(t, calls, 1)
			c := calls[0]
			require.Equal(t, ContextPCCC, c.Context())
			p, ok := c.Msg.PCCCReply(c.Context())
			require.True(t, ok)
			require.Equal(t, uint8(0x4F), p.Command)
			require.Equal(t, uint8(0x0F), c.Request.PCCCCommand)
			require.Equal(t, uint8(0xA3), c.Request.PCCCFunction, "a function the DF1 manual does not name")
			require.Equal(t, OpOther, c.Operation())
		}},
		{"Forward Open", hexForwardOpen, hexForwardOpenReply, func(t *testing.T, m *Message, calls []Call) {
			require.NotNil(t, m.Opened)
			require.Equal(t, uint32(0x0a24f36e), m.Opened.OTConnID)
			require.Equal(t, uint32(0x80fe0005), m.Opened.TOConnID)
			require.Equal(t, uint32(1250000), m.Opened.OTRPI)
			require.True(t, m.Opened.Requested)
			require.Equal(t, uint8(3), m.Opened.TransportClass())
			p, words, ok := calls[0].Request.ConnPath()
			require.True(t, ok)
			require.Equal(t, uint8(2), words)
			require.Equal(t, Path(mustHex("20022401")), p)
			require.Equal(t, OpConnect, calls[0].Operation())
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var conn Conn
			q, err := conn.Decode(mustHex(c.req), true, 100)
			require.NoError(t, err)
			require.Zero(t, q.Anomalies&(AnomalyUnmatchedResponse|AnomalyMismatchedResponse|AnomalyPendingOverflow))
			require.Equal(t, 1, conn.Stats().Pending)
			m, err := conn.Decode(mustHex(c.rep), false, 250)
			require.NoError(t, err)
			require.True(t, m.Paired)
			require.Equal(t, int64(100), m.RequestTime)
			require.Equal(t, int64(250), m.Time)
			require.Zero(t, m.Anomalies&(AnomalyUnmatchedResponse|AnomalyMismatchedResponse))
			c.check(t, m, callsOf(t, m))
			require.Equal(t, ConnStats{Requests: 1, Responses: 1, Paired: 1}, conn.Stats())
		})
	}
}

// TestConnConnectedAfterForwardOpen follows a class 3 connection: the
// Forward Open reply gives its ids, and a connected request on the O->T id
// pairs with the reply on the T->O id; Forward Close closes it.
func TestConnConnectedAfterForwardOpen(t *testing.T) {
	var c Conn
	c.Decode(mustHex(hexForwardOpen), true, 1)
	m, _ := c.Decode(mustHex(hexForwardOpenReply), false, 2)
	require.NotNil(t, m.Opened)
	// Two requests with the same sequence count on different
	// connections: the reply on 0x80fe0005 answers the one on 0x0a24f36e.
	c.Decode(unit(0x0b000001, 7, "0e03200124013001"), true, 3)
	q, _ := c.Decode(unit(0x0a24f36e, 7, "0e03200124013007"), true, 4)
	require.Equal(t, uint32(0x0a24f36e), q.Connection.OTConnID)
	m, _ = c.Decode(unit(0x80fe0005, 7, "8e0000000441424344"), false, 5)
	require.True(t, m.Paired)
	require.Equal(t, int64(4), m.RequestTime)
	require.NotNil(t, m.Connection)
	calls := callsOf(t, m)
	require.Equal(t, uint32(7), calls[0].Request.Attribute)
	var id Identity
	require.True(t, id.SetAttribute(calls[0].Request.Attribute, calls[0].Msg.Data))
	require.Equal(t, "ABCD", string(id.ProductName))

	// Forward Close with the Forward Open's triad.
	triad := "0600" + "4d00" + "e0312b3d"
	c.Decode(rr(9, "4e022006240107f9"+triad+"0200"+"20022401"), true, 6)
	m, _ = c.Decode(rr(9, "ce000000"+triad+"0000"), false, 7)
	require.True(t, m.Paired)
	require.NotNil(t, m.Closed)
	require.Equal(t, uint32(0x80fe0005), m.Closed.TOConnID)
	p, words, ok := callsOf(t, m)[0].Request.ConnPath()
	require.True(t, ok)
	require.Equal(t, uint8(2), words)
	require.Equal(t, Path(mustHex("20022401")), p)
	require.Equal(t, OpDisconnect, callsOf(t, m)[0].Operation())
	// Closed: connected messages on it are no longer known.
	q, _ = c.Decode(unit(0x0a24f36e, 8, "0e03200124013007"), true, 8)
	require.Nil(t, q.Connection)
}

// TestConnMismatchedReply is class 4: a reply whose service does not answer
// its request is not read in the request's context, and its data stays
// raw.
func TestConnMismatchedReply(t *testing.T) {
	// An Unconnected Send carrying Get Attribute Single (Identity
	// attribute 7) to slot 0, over a connection.
	us := "52022006240107f9" + "0800" + "0e03200124013007" + "0100" + "0100"
	t.Run("Unconnected Send reply service", func(t *testing.T) {
		// The device answers with the Unconnected Send's own reply service
		// 0xD2 and data: it answers the Unconnected Send, not the Get
		// Attribute Single, so nothing is read as a product name.
		var c Conn
		c.Decode(unit(0x00351309, 3, us), true, 1)
		m, _ := c.Decode(unit(0x8000f1d7, 3, "d20000000441424344"), false, 2)
		require.True(t, m.Paired)
		calls := callsOf(t, m)
		require.Len(t, calls, 1)
		require.Equal(t, SvcUnconnectedSend, calls[0].Request.Service)
		require.Equal(t, ContextConnectionManager, calls[0].Context())
		require.Nil(t, calls[0].Via)
		require.False(t, calls[0].Request.HasAttribute, "the request context is the Unconnected Send's")
		attrs := calls[0].Attributes()
		require.False(t, attrs.Next())
	})
	t.Run("another service", func(t *testing.T) {
		var c Conn
		c.Decode(unit(0x00351309, 3, us), true, 1)
		m, _ := c.Decode(unit(0x8000f1d7, 3, "810000000441424344"), false, 2)
		require.False(t, m.Paired)
		require.True(t, m.Anomalies.Has(AnomalyMismatchedResponse))
		calls := callsOf(t, m)
		require.Len(t, calls, 1)
		require.Nil(t, calls[0].Request)
		require.Equal(t, ContextGeneric, calls[0].Context())
		require.True(t, calls[0].Anomalies.Has(AnomalyMismatchedResponse))
		require.Equal(t, ConnStats{Requests: 1, Responses: 1, Mismatched: 1}, c.Stats())
	})
	t.Run("UCMM", func(t *testing.T) {
		var c Conn
		c.Decode(rr(1, "0e03200124013007"), true, 1)
		m, _ := c.Decode(rr(1, "8100000001000e00"), false, 2)
		require.True(t, m.Anomalies.Has(AnomalyMismatchedResponse))
		require.Nil(t, callsOf(t, m)[0].Request)
		require.Equal(t, 1, m.Requests().Len(), "the request it was pending under is still told")
	})
	t.Run("inside a Multiple Service Packet", func(t *testing.T) {
		var c Conn
		c.Decode(rr(2, "0a022002240102000600"+"0e00"+"0e032001240130070e03200124013001"), true, 1)
		m, _ := c.Decode(rr(2, "8a00000002000600"+"0f00"+"8e0000000441424344"+"81000000"), false, 2)
		require.True(t, m.Paired)
		require.True(t, m.Anomalies.Has(AnomalyMismatchedResponse))
		calls := callsOf(t, m)
		require.Len(t, calls, 3)
		require.Equal(t, ClassIdentity, calls[1].Request.Class)
		require.Nil(t, calls[2].Request)
		require.True(t, calls[2].Anomalies.Has(AnomalyMismatchedResponse))
	})
}

// TestTemplateIsNotTag is class 6: the template object's services are not
// Logix tag services.
func TestTemplateIsNotTag(t *testing.T) {
	// 0x4D on class 0x6C is not Write Tag.
	m, err := ParseCIP(mustHex("4d03206c25005e0c" + "0000000000"))
	require.NoError(t, err)
	require.Equal(t, ContextTemplate, m.Context())
	_, ok := m.TagRequest()
	require.False(t, ok)
	require.Equal(t, "service 0x4d", m.Service.Name(m.Context()))
	// 0x4C on class 0x6C is Read Template: offset and size.
	m, err = ParseCIP(mustHex("4c03206c25005e0c" + "00000000" + "f401"))
	require.NoError(t, err)
	_, ok = m.TagRequest()
	require.False(t, ok)
	tr, ok := m.TemplateRead()
	require.True(t, ok)
	require.Equal(t, TemplateRead{Offset: 0, Size: 500}, tr)
	// Through a Conn the reply is template data, not a tag value.
	var c Conn
	c.Decode(rr(3, "4c03206c25005e0c"+"00000000"+"f401"), true, 1)
	r, _ := c.Decode(rr(3, "cc000000"+"c40001000000"), false, 2)
	calls := callsOf(t, r)
	require.Equal(t, "Read Template", calls[0].Name())
	require.Equal(t, uint16(500), calls[0].Request.Size)
	_, ok = calls[0].TagReply()
	require.False(t, ok)
	require.Equal(t, OpRead, calls[0].Operation())
	require.Zero(t, r.Anomalies)
	// A tag write on a symbolic path is one, with its type.
	m, err = ParseCIP(mustHex("4d0391034d6f7400" + "c4000100" + "2a000000"))
	require.NoError(t, err)
	w, ok := m.TagRequest()
	require.True(t, ok)
	require.Equal(t, TypeDINT, w.Type.Code)
	v, _ := w.Value().At(0)
	n, _ := v.Int()
	require.Equal(t, int64(42), n)
	// A tag write with a type that is none.
	c.Decode(rr(4, "4d0391034d6f7400"+"99000100"+"2a000000"), true, 3)
	q, _ := c.Decode(rr(4, "4d0391034d6f7400"+"99000100"+"2a000000"), true, 3)
	require.True(t, q.Anomalies.Has(AnomalyUnknownDataType|AnomalyDuplicateRequest))
}

// TestAttributeListAt is class 10: At never panics.
func TestAttributeListAt(t *testing.T) {
	m, err := ParseCIP(mustHex("03022001240102000100070009"))
	require.NoError(t, err)
	al, ok := m.AttributeList()
	require.True(t, ok)
	require.Equal(t, 2, al.Len())
	id, ok := al.At(1)
	require.True(t, ok)
	require.Equal(t, uint16(7), id)
	for _, i := range []int{2, 3, -1, math.MaxInt} {
		id, ok = al.At(i)
		require.False(t, ok)
		require.Zero(t, id)
	}
	// A count larger than the data is cut to what is there.
	m, _ = ParseCIP(mustHex("030220012401050001000700"))
	al, ok = m.AttributeList()
	require.False(t, ok)
	require.Equal(t, 2, al.Len())
	_, ok = al.At(2)
	require.False(t, ok)
}

func TestConnUnmatchedDuplicateFlush(t *testing.T) {
	var c Conn
	m, _ := c.Decode(mustHex(hexReadTagReply), false, 1)
	require.True(t, m.Anomalies.Has(AnomalyUnmatchedResponse))
	require.False(t, m.Paired)
	m, _ = c.Decode(mustHex(hexListIdentityReply), false, 1)
	require.True(t, m.Anomalies.Has(AnomalyUnmatchedResponse))

	c.Decode(mustHex(hexReadTagRequest), true, 2)
	m, _ = c.Decode(mustHex(hexReadTagRequest), true, 3)
	require.True(t, m.Anomalies.Has(AnomalyDuplicateRequest))
	c.Decode(mustHex(hexConnMSPRequest), true, 4)
	c.Decode(mustHex(hexListIdentityRequest), true, 5)
	st := c.Stats()
	require.Equal(t, ConnStats{Requests: 4, Responses: 2, Unmatched: 2, Unanswered: 1, Duplicates: 1, Pending: 3}, st)

	var times []int64
	var kinds []Command
	for m := range c.Flush {
		require.True(t, m.Unanswered)
		times = append(times, m.Time)
		kinds = append(kinds, m.Frame.Command)
		if m.Frame.Command == CmdSendUnitData {
			require.True(t, m.CIP.Connected)
			require.Equal(t, uint16(27364), m.CIP.Seq)
			require.Equal(t, 3, m.Requests().Len())
			r, ok := m.Requests().At(0)
			require.True(t, ok)
			require.Equal(t, SvcMultipleServicePacket, r.Service)
			_, ok = m.Requests().At(3)
			require.False(t, ok)
		}
		require.Empty(t, callsOf(t, m))
	}
	require.Equal(t, []int64{3, 4, 5}, times)
	require.Equal(t, []Command{CmdSendRRData, CmdSendUnitData, CmdListIdentity}, kinds)
	require.Equal(t, uint64(4), c.Stats().Unanswered)
	require.Zero(t, c.Stats().Pending)

	// Flush can stop early; Reset forgets everything.
	c.Decode(mustHex(hexReadTagRequest), true, 6)
	c.Decode(mustHex(hexConnMSPRequest), true, 7)
	n := 0
	for range c.Flush {
		n++
		break
	}
	require.Equal(t, 1, n)
	require.Equal(t, 1, c.Stats().Pending)
	c.Decode(mustHex(hexForwardOpen), true, 8)
	c.Decode(mustHex(hexForwardOpenReply), false, 9)
	c.Reset()
	require.Equal(t, ConnStats{}, c.Stats())
	m, _ = c.Decode(mustHex(hexConnMSPReply), false, 10)
	require.True(t, m.Anomalies.Has(AnomalyUnmatchedResponse))
	q, _ := c.Decode(unit(0x0a24f36e, 1, "0e03200124013007"), true, 11)
	require.Nil(t, q.Connection, "Reset forgets connections")
}

// TestConnBounds fills the tables: the oldest request is dropped and
// counted, and requests with more than the Conn keeps are cut.
func TestConnBounds(t *testing.T) {
	var c Conn
	for i := 0; i < MaxPending+3; i++ {
		m, _ := c.Decode(rr(byte(i), "0e03200124013007"), true, int64(i))
		require.Equal(t, i >= MaxPending, m.Anomalies.Has(AnomalyPendingOverflow), "request %d", i)
	}
	st := c.Stats()
	require.Equal(t, MaxPending, st.Pending)
	require.Equal(t, uint64(3), st.Overflow)
	// The first three were dropped.
	m, _ := c.Decode(rr(0, "8e000000"), false, 100)
	require.True(t, m.Anomalies.Has(AnomalyUnmatchedResponse))
	m, _ = c.Decode(rr(3, "8e000000"), false, 100)
	require.True(t, m.Paired)
	require.Equal(t, int64(3), m.RequestTime)

	// A Multiple Service Packet of more services than MaxCalls keeps the
	// first ones.
	n := MaxCalls + 10
	msp := make([]byte, 0, 8+8*n)
	msp = append(msp, 0x0a, 0x02, 0x20, 0x02, 0x24, 0x01)
	msp = binary.LittleEndian.AppendUint16(msp, uint16(n))
	for i := 0; i < n; i++ {
		msp = binary.LittleEndian.AppendUint16(msp, uint16(2+2*n+6*i))
	}
	for i := 0; i < n; i++ {
		msp = append(msp, 0x0e, 0x02, 0x20, 0x01, 0x30, byte(i))
	}
	var d Conn
	q, _ := d.Decode(rr(1, testkitHex(msp)), true, 1)
	require.True(t, q.Anomalies.Has(AnomalyContextTruncated))
	require.Equal(t, MaxCalls, q.Requests().Len())
	require.Len(t, callsOf(t, q), n+1)

	// A path longer than RequestPathMax is cut.
	sym := make([]byte, 0x80)
	for i := range sym {
		sym[i] = 'A'
	}
	q, _ = d.Decode(rr(2, "4c4191"+"80"+testkitHex(sym)+"0100"), true, 2)
	require.True(t, q.Anomalies.Has(AnomalyContextTruncated))
	r, _ := q.Requests().At(0)
	require.True(t, r.Truncated())
	require.Len(t, r.Path(), RequestPathMax)
	require.Equal(t, uint8(0x41), r.PathWords())
}

func testkitHex(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// TestConnUnanswered drives 1,000,000 requests that are never answered
// through a Conn: the tables stay within their bounds, every dropped
// request is counted, and nothing is allocated.
func TestConnUnanswered(t *testing.T) {
	total := 1_000_000
	if testing.Short() {
		total = 100_000
	}
	ucmm := rr(0, "0e03200124013007")
	connected := mustHex(hexConnMSPRequest)
	var c Conn
	c.Decode(ucmm, true, 0) // the Conn's CIP state exists from here on
	c.Reset()
	step := func(i int) {
		if i%2 == 0 {
			binary.LittleEndian.PutUint32(ucmm[12:], uint32(i))
			c.Decode(ucmm, true, int64(i))
		} else {
			binary.LittleEndian.PutUint16(connected[44:], uint16(i))
			c.Decode(connected, true, int64(i))
		}
	}
	i := 0
	for ; i < total-1000; i++ {
		step(i)
		if i%100_000 == 0 {
			require.LessOrEqual(t, c.Stats().Pending, MaxPending)
		}
	}
	testkit.ZeroAllocs(t, []testkit.AllocCase{{Name: "unanswered request", Fn: func() { step(i); i++ }}})
	for ; i < total; i++ {
		step(i)
	}
	st := c.Stats()
	require.Equal(t, uint64(total), st.Requests)
	require.Equal(t, MaxPending, st.Pending)
	require.Equal(t, uint64(total-MaxPending), st.Overflow)
	require.Equal(t, uint64(total-MaxPending), st.Unanswered)
	require.Zero(t, st.Paired+st.Responses+st.Duplicates)
	flushed := 0
	for range c.Flush {
		flushed++
	}
	require.Equal(t, MaxPending, flushed)
	require.Equal(t, uint64(total), c.Stats().Unanswered)
}

// TestConnSize keeps the size the package doc states.
func TestConnSize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) == 8 {
		require.Equal(t, uintptr(912), unsafe.Sizeof(Conn{}))
	}
	require.Less(t, unsafe.Sizeof(cipState{}), uintptr(14000))
}
