package modbus

import (
	"bufio"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// enum is what every enum of the package offers.
type enum interface {
	Known() bool
	String() string
	AppendText([]byte) ([]byte, error)
}

// TestEnums: for every value of every 8-bit enum (and a range of the
// 16-bit one), AppendText gives String's text, an unknown value prints
// "<noun> 0x..", and a known one does not.
func TestEnums(t *testing.T) {
	nouns := map[string]func(uint16) enum{
		"function ":            func(v uint16) enum { return FunctionCode(v) },
		"class ":               func(v uint16) enum { return FunctionClass(v) },
		"exception ":           func(v uint16) enum { return ExceptionCode(v) },
		"sub-function ":        func(v uint16) enum { return DiagSubFunction(v) },
		"MEI type ":            func(v uint16) enum { return MEIType(v) },
		"read device id code ": func(v uint16) enum { return ReadDeviceIDCode(v) },
		"conformity level ":    func(v uint16) enum { return ConformityLevel(v) },
		"object ":              func(v uint16) enum { return ObjectID(v) },
		"UMAS function ":       func(v uint16) enum { return UMASFunction(v) },
		"operation ":           func(v uint16) enum { return Operation(v) },
		"direction ":           func(v uint16) enum { return Direction(v) },
		"word order ":          func(v uint16) enum { return WordOrder(v) },
	}
	for noun, mk := range nouns {
		known := 0
		for v := range uint16(256) {
			e := mk(v)
			s := e.String()
			b, err := e.AppendText([]byte("x"))
			require.NoError(t, err)
			assert.Equal(t, "x"+s, string(b), "%s%d", noun, v)
			if e.Known() {
				known++
				assert.False(t, strings.HasPrefix(s, noun+"0x"), s)
				assert.NotEmpty(t, s)
			} else {
				width := "%02x"
				if noun == "sub-function " {
					width = "%04x"
				}
				assert.Equal(t, noun+hexOf(v, width), s)
			}
		}
		assert.NotZero(t, known, noun)
	}
}

func hexOf(v uint16, width string) string {
	n := 2
	if width == "%04x" {
		n = 4
	}
	out := []byte("0x")
	for i := n - 1; i >= 0; i-- {
		out = append(out, hexDigits[(v>>(4*uint(i)))&0xf])
	}
	return string(out)
}

// TestEverySentinel: each exported error is returned by the package.
func TestEverySentinel(t *testing.T) {
	_, n, err := Parse(h("0001000000060a"), Request)
	assert.Equal(t, ErrTruncated, err)
	assert.Zero(t, n)
	_, n, err = Parse(h("0001000000010a03"), Request)
	assert.Equal(t, ErrLength, err)
	assert.Equal(t, 7, n)
	_, n, err = Parse(h("0001000000060a0309000900"), Response)
	assert.Equal(t, ErrByteCount, err)
	assert.Equal(t, 12, n)
	for _, e := range []Error{ErrTruncated, ErrLength, ErrByteCount} {
		assert.True(t, strings.HasPrefix(e.Error(), "modbus: "))
		assert.True(t, errors.Is(e, e))
	}
	assert.Equal(t, "modbus: error", Error(99).Error())
}

// TestEveryAnomaly: each flag is set by some input.
func TestEveryAnomaly(t *testing.T) {
	frame := func(hex string, dir Direction) Anomaly {
		f, _, _ := Parse(h(hex), dir)
		return f.Anomalies
	}
	conn := func(steps ...step) Anomaly {
		var c Conn
		var a Anomaly
		for _, s := range steps {
			m, _ := c.Decode(s.adu, s.toServer, 0)
			a = m.Anomalies
		}
		return a
	}
	req := h("000100000006010300000001")
	reqTid := func(tid byte) []byte { b := append([]byte(nil), req...); b[1] = tid; return b }
	var overflow []step
	for i := range MaxPending + 1 {
		overflow = append(overflow, step{adu: reqTid(byte(i)), toServer: true})
	}
	got := map[Anomaly]Anomaly{
		AnomalyProtocolID:         frame("0001000100060a0300050002", Request),
		AnomalyLength:             frame("0001000000090a0300050002", Request),
		AnomalyByteCount:          frame("0001000000060a0303000900", Response),
		AnomalyQuantity:           frame("0001000000060a0300050100", Request),
		AnomalyReservedFunction:   frame("000000000006010900000000", Request),
		AnomalyUnassignedFunction: frame("000000000002011200", Request),
		AnomalyTrailing:           frame("0001000000060a03020009ff", Response),
		AnomalyValue:              frame("0001000000060a0500020001", Request),
		AnomalyExceptionCode:      frame("000000000003018163", Response),
		AnomalySubFunction:        frame("00000000000301 2b07", Request),
		AnomalyObjectCount:        frame("00000000000c002b0e01004db70000000000", Response),
		AnomalyOversize:           frame("000700000100005a"+strings.Repeat("00", 254), Request),
		AnomalyUnmatchedResponse:  conn(step{adu: h("00010000000501030200 01")}),
		AnomalyMismatchedResponse: conn(step{adu: req, toServer: true}, step{adu: h("00010000000501040200 01")}),
		AnomalyPendingOverflow:    conn(overflow...),
		AnomalyDuplicateRequest:   conn(step{adu: req, toServer: true}, step{adu: req, toServer: true}),
	}
	var all Anomaly
	for flag, set := range got {
		assert.True(t, set.Has(flag), "%s not produced (got %s)", flag, set)
		all |= flag
	}
	// Every named flag is in the table.
	for i, name := range anomalyNames {
		if name != "" {
			assert.True(t, all.Has(1<<i), name)
		}
	}
}

// TestExplain: the field and offset where decoding stopped.
func TestExplain(t *testing.T) {
	tests := []struct {
		hex    string
		dir    Direction
		err    Error
		field  string
		offset int
	}{
		{"0001", Request, ErrTruncated, "mbtcp.prot_id", 2},
		{"000100000006", Request, ErrTruncated, "mbtcp.unit_id", 6},
		{"0001000000060a03", Request, ErrTruncated, "modbus.reference_num", 8},
		{"0001000000060a0300", Request, ErrTruncated, "modbus.reference_num", 8},
		{"0001000000090a0300050002", Request, ErrTruncated, "mbtcp.len", 4},
		{"000100000001", Request, ErrLength, "mbtcp.len", 4},
		{"0001000000040a030005", Request, ErrLength, "modbus.word_cnt", 10},
		{"0001000000060a0309000900", Response, ErrByteCount, "modbus.regval_uint16", 9},
		{"0000000000020181", Response, ErrLength, "modbus.exception_code", 8},
		{"0000000000040108000b", Request, ErrLength, "modbus.data", 10},
		{"0000000000040108000b", Response, ErrLength, "modbus.diagnostic.bus_message_count", 10},
		{"00000000000b012b0e010100000100 0541", Response, ErrByteCount, "modbus.object_str_value", 16},
		{"000000000008011800080001 1234", Response, ErrByteCount, "modbus.data", 12},
	}
	for _, tt := range tests {
		err := Explain(h(tt.hex), tt.dir)
		var fe *FieldError
		require.ErrorAs(t, err, &fe, tt.hex)
		assert.Equal(t, tt.err, fe.Err, tt.hex)
		assert.Equal(t, tt.field, fe.Field, tt.hex)
		assert.Equal(t, tt.offset, fe.Offset, tt.hex)
		assert.True(t, errors.Is(err, tt.err))
	}
	assert.NoError(t, Explain(adu(t, "fc3 req").adu, Request))
	assert.Equal(t, "modbus: truncated: mbtcp.prot_id at offset 2", Explain(h("0001"), Request).Error())
}

// TestSplitEOF: at EOF a partial ADU with a plausible header is the last
// token, and Parse reports it truncated; garbage is skipped.
func TestSplitEOF(t *testing.T) {
	whole := adu(t, "fc3 req").adu
	for cut := 6; cut < len(whole); cut++ {
		stream := append(append([]byte(nil), whole...), whole[:cut]...)
		sc := bufio.NewScanner(bytes.NewReader(stream))
		sc.Split(Split)
		var toks [][]byte
		for sc.Scan() {
			toks = append(toks, append([]byte(nil), sc.Bytes()...))
		}
		require.NoError(t, sc.Err())
		require.Len(t, toks, 2, "cut %d", cut)
		assert.Equal(t, whole, toks[0])
		assert.Equal(t, whole[:cut], toks[1])
		_, n, err := Parse(toks[1], Request)
		assert.Equal(t, ErrTruncated, err)
		assert.Zero(t, n)
	}
	// Garbage at EOF is skipped, not returned.
	adv, tok, _ := Split([]byte{0xff, 0xff, 0xff}, true)
	assert.Equal(t, 3, adv)
	assert.Nil(t, tok)
	adv, tok, _ = Split([]byte{0x00, 0x01, 0x00, 0x00, 0x00}, true)
	assert.Equal(t, 5, adv)
	assert.Nil(t, tok, "five bytes are not a header")
	adv, tok, _ = Split([]byte{0x00, 0x01, 0x00, 0x00, 0x09, 0x00, 0x01}, true)
	assert.Equal(t, 2, adv, "a length above MaxLengthField is not plausible")
	assert.Nil(t, tok)
	// Not at EOF, a partial ADU waits.
	adv, tok, _ = Split(whole[:9], false)
	assert.Zero(t, adv)
	assert.Nil(t, tok)
}
