package s7comm

import (
	"errors"
	"testing"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// errorCases are malformed packets with the error, n and the field and
// offset Explain names.
var errorCases = []struct {
	name   string
	in     []byte
	err    Error
	n      int
	field  string
	offset int
}{
	{"empty", nil, ErrTruncated, 0, "tpkt.version", 0},
	{"short", []byte{3, 0, 0}, ErrTruncated, 0, "tpkt.length", 3},
	{"not tpkt, short", []byte{4}, ErrTPKT, 0, "tpkt.version", 0},
	{"version", []byte{4, 0, 0, 7, 2, 0xf0, 0x80}, ErrTPKT, 0, "tpkt.version", 0},
	{"length below a header", []byte{3, 0, 0, 2, 2, 0xf0, 0x80}, ErrLength, 0, "tpkt.length", 2},
	{"length below COTP", []byte{3, 0, 0, 4, 2, 0xf0, 0x80}, ErrLength, 4, "tpkt.length", 2},
	{"cut", []byte{3, 0, 0, 9, 2, 0xf0, 0x80}, ErrTruncated, 0, "tpkt.length", 7},
	{"cotp li", []byte{3, 0, 0, 7, 9, 0xf0, 0x80}, ErrCOTP, 7, "cotp.li", 4},
	{"s7 header", []byte{3, 0, 0, 10, 2, 0xf0, 0x80, 0x32, 1, 0}, ErrLength, 10, "s7comm.header", 10},
	{"ack without error", testkit.Hex("03000011 02f080 32020000000100000000"), ErrLength, 17, "s7comm.header.errcls", 17},
	{"plus header", []byte{3, 0, 0, 9, 2, 0xf0, 0x80, 0x72, 1}, ErrLength, 9, "s7comm.plus.datlg", 9},
	{"plus header cut after the protocol id", []byte{3, 0x30, 0, 8, 2, 0xf0, 0x80, 0x72}, ErrLength, 8, "s7comm.plus.datlg", 8},
}

func TestErrors(t *testing.T) {
	for _, c := range errorCases {
		f, n, err := Parse(c.in)
		assert.ErrorIs(t, err, c.err, c.name)
		assert.Equal(t, c.n, n, c.name)
		assert.NotEmpty(t, err.Error())
		if c.err == ErrTruncated {
			assert.Zero(t, n, "ErrTruncated comes with n == 0")
		}
		var g Frame
		n2, err2 := g.Decode(c.in)
		assert.Equal(t, n, n2, c.name)
		assert.Equal(t, err, err2, c.name)
		assert.Equal(t, f, g, "Decode and Parse agree: "+c.name)

		ex := Explain(c.in)
		var fe *FieldError
		require.True(t, errors.As(ex, &fe), c.name)
		assert.Equal(t, c.err, fe.Err, c.name)
		assert.Equal(t, c.field, fe.Field, c.name)
		assert.Equal(t, c.offset, fe.Offset, c.name)
		assert.ErrorIs(t, ex, c.err)
		assert.Contains(t, ex.Error(), c.field)
	}
	// An unknown protocol id is kept as KindOther with an anomaly.
	f, _, err := Parse([]byte{3, 0, 0, 8, 2, 0xf0, 0x80, 0x55})
	assert.NoError(t, err)
	assert.Equal(t, KindOther, f.Kind)
	assert.True(t, f.Anomalies.Has(AnomalyProtocolID))
}

func TestExplainItems(t *testing.T) {
	for _, s := range samples {
		assert.NoError(t, Explain(testkit.Hex(s.hex)), s.name)
	}
	// The item list of a read job cut inside its one item: the header
	// lengths still agree, the item does not.
	b := sample("readJob1")
	b[20] = 0x0c // address length past the parameter
	err := Explain(b)
	var fe *FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, FieldError{Err: ErrTruncated, Field: "s7comm.param.item", Offset: 19}, *fe)

	// A data item longer than the data part.
	b = sample("readAck1")
	b[24] = 0x40
	require.True(t, errors.As(Explain(b), &fe))
	assert.Equal(t, FieldError{Err: ErrTruncated, Field: "s7comm.data.item", Offset: 21}, *fe)
}

func TestSentinelsProduced(t *testing.T) {
	got := map[Error]bool{}
	note := func(err error) {
		if e, ok := err.(Error); ok {
			got[e] = true
		}
	}
	for _, c := range errorCases {
		_, _, err := Parse(c.in)
		note(err)
	}
	_, err := ParsePDU([]byte{0x33, 1, 0, 0, 0, 0, 0, 0, 0, 0})
	note(err)
	var c Conn
	big := make([]byte, 7+4000)
	copy(big, []byte{3, 0, byte(len(big) >> 8), byte(len(big)), 2, 0xf0, 0, ProtocolS7})
	for i := 0; i < 3; i++ {
		_, err := c.Decode(big, true, 0)
		require.NoError(t, err)
	}
	big[6] = 0x80
	_, err = c.Decode(big, true, 0)
	note(err)
	for e := ErrTruncated; e <= ErrOverflow; e++ {
		assert.True(t, got[e], "%v is produced", e)
		assert.NotEqual(t, "s7comm: error", e.Error())
	}
	assert.Equal(t, "s7comm: error", Error(0).Error())
}

// TestAnomaliesProduced shows an input that sets each flag.
func TestAnomaliesProduced(t *testing.T) {
	got := Anomaly(0)
	parse := func(b []byte) Frame {
		f, _, _ := Parse(b)
		got |= f.Anomalies
		return f
	}
	items := func(b []byte) {
		f := parse(b)
		it := f.PDU.Items()
		for it.Next() {
		}
		got |= it.Anomalies()
		di := f.PDU.DataItems()
		for di.Next() {
		}
		got |= di.Anomalies()
	}
	mod := func(name string, at int, v byte) []byte {
		b := sample(name)
		b[at] = v
		return b
	}
	parse(mod("readJob1", 1, 1))                                 // tpkt_reserved
	parse(testkit.Hex("03000009 04 30 0000 00 00"))              // cotp_type
	parse(mod("cotpCR", 21, 3))                                  // cotp_param
	parse(mod("readJob1", 8, 5))                                 // rosctr
	parse(mod("readJob1", 17, 0x77))                             // function
	items(mod("readAck1", 21, 0x02))                             // return_code
	items(mod("readJob1", 21, 0x11))                             // syntax_id
	items(mod("readJob1", 27, 0x99))                             // area
	items(mod("readJob1", 22, 0x0d))                             // transport_size
	parse(mod("readJob1", 14, 0x20))                             // length
	items(mod("readJob4", 18, 5))                                // item_count
	parse(mod("szl11Req", 22, 0x48))                             // func_group
	parse(mod("szl11Req", 23, 0x20))                             // subfunction
	parse(mod("readJob1", 10, 1))                                // reserved
	parse([]byte{3, 0, 0, 8, 2, 0xf0, 0x80, 0x55})               // protocol_id
	parse(testkit.Hex("0300000f 02f080 72 02 0004 31000004 aa")) // plus_trailer
	v := NewValues(Item{Syntax: SyntaxS7Any, TransportSize: TSWord, Count: 2}, DataItem{ReturnCode: ReturnSuccess, Value: []byte{1, 2, 3}})
	got |= v.Anomalies()

	var c Conn
	dec := func(b []byte, toServer bool) {
		m, _ := c.Decode(b, toServer, 0)
		got |= m.Anomalies | m.Frame.Anomalies
	}
	dec(sample("readAck1"), false) // unmatched_response
	dec(sample("readJob1"), true)
	dec(sample("readJob1"), true) // duplicate_request
	ack := mod("writeAck5", 11, 0x19)
	ack[12] = 0
	dec(ack, false) // mismatched_response
	for i := 0; i <= MaxPending; i++ {
		dec(mod("readJob1", 12, byte(i)), true) // pending_overflow
	}
	frag := sample("szl1cFrag1")
	dec(frag, false)
	frag[25] = 0x44 // another data unit reference interleaves: fragment
	dec(frag, false)

	for flag := Anomaly(1); flag < anomalyEnd; flag <<= 1 {
		assert.True(t, got.Has(flag), "%v is produced", flag)
	}
}

func TestAnomalyText(t *testing.T) {
	assert.Equal(t, "", Anomaly(0).String())
	assert.Equal(t, "area", AnomalyArea.String())
	assert.Equal(t, "area|length", (AnomalyArea | AnomalyLength).String())
	assert.Equal(t, "duplicate_request|bit31", (AnomalyDuplicateRequest | 1<<31).String())
	b, err := (AnomalyTPKTReserved | AnomalyValue).AppendText([]byte("x="))
	assert.NoError(t, err)
	assert.Equal(t, "x=tpkt_reserved|value", string(b))
	var flags []Anomaly
	for f := range (AnomalyArea | AnomalyLength | AnomalyFragment).All {
		flags = append(flags, f)
	}
	assert.Equal(t, []Anomaly{AnomalyArea, AnomalyLength, AnomalyFragment}, flags)
	for f := range (AnomalyArea | AnomalyLength).All {
		assert.Equal(t, AnomalyArea, f)
		break
	}
	assert.True(t, (AnomalyArea | AnomalyLength).Has(AnomalyArea|AnomalyLength))
	assert.False(t, AnomalyArea.Has(AnomalyArea|AnomalyLength))
	for flag := Anomaly(1); flag < anomalyEnd; flag <<= 1 {
		assert.NotContains(t, flag.String(), "bit", "every flag has a name")
	}
}

// enum is the method set every enum of the package has.
type enum interface {
	Known() bool
	String() string
	AppendText([]byte) ([]byte, error)
}

func TestEnums(t *testing.T) {
	for i := 0; i < 0x10000; i++ {
		var es []enum
		if i < 0x100 {
			v := uint8(i)
			es = []enum{TPDUType(v), ROSCTR(v), Function(v), SyntaxID(v), Area(v), TransportSize(v), DataSize(v),
				ReturnCode(v), FuncGroup(v), UDType(v), Kind(v), PlusOpcode(v), PlusVersion(v), CPUState(v),
				PIServiceKind(v), ValueKind(v), Operation(v), OpClass(v)}
		}
		es = append(es, BlockType(i), PlusFunction(i))
		for _, e := range es {
			s := e.String()
			b, err := e.AppendText(nil)
			assert.NoError(t, err)
			if string(b) != s {
				t.Fatalf("%T(%#x): AppendText %q, String %q", e, i, b, s)
			}
			if e.Known() == containsHex(s) {
				// Unknown values print as "<noun> 0xNN"; names never do.
				t.Fatalf("%T(%#x): Known %v, String %q", e, i, e.Known(), s)
			}
		}
	}
	assert.Equal(t, "function 0x5a", Function(0x5a).String())
	assert.Equal(t, "block type 0x3039", BlockType(0x3039).String())
	assert.Equal(t, "function 0x04c0", PlusFunction(0x04c0).String())
	assert.Equal(t, "DT", TPDUData.String())
	assert.Equal(t, "ack-data", AckData.String())
	assert.Equal(t, "read var", FuncReadVar.String())
	assert.Equal(t, "S7ANY", SyntaxS7Any.String())
	assert.Equal(t, "DB", AreaDB.String())
	assert.Equal(t, "REAL", TSReal.String())
	assert.Equal(t, "OCTET STRING", DSOctetString.String())
	assert.Equal(t, "success", ReturnSuccess.String())
	assert.Equal(t, "cpu functions", GroupCPU.String())
	assert.Equal(t, "response", UDResponse.String())
	assert.Equal(t, "s7comm-plus", KindS7Plus.String())
	assert.Equal(t, "set multi variables", PlusSetMultiVariables.String())
	assert.Equal(t, "request", PlusRequest.String())
	assert.Equal(t, "V3", PlusV3.String())
	assert.Equal(t, "RUN", CPURun.String())
	assert.Equal(t, "activate block", PIActivateBlock.String())
	assert.Equal(t, "pi service kind 0x00", PIServiceKind(0).String())
}

// containsHex reports whether s ends in " 0x" and hex digits.
func containsHex(s string) bool {
	for i := len(s) - 1; i >= 2; i-- {
		c := s[i]
		if (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') {
			continue
		}
		return c == 'x' && s[i-1] == '0' && s[i-2] == ' ' && i < len(s)-1
	}
	return false
}
