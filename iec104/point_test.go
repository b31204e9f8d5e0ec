package iec104

import (
	"testing"
	"time"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPointValues checks the value, quality and time that a monitoring
// consumer reads from elements of real captures.
func TestPointValues(t *testing.T) {
	first := func(h string) (Object, *ASDU) {
		t.Helper()
		f, _, err := Parse(testkit.Hex(h))
		require.NoError(t, err)
		o, ok := f.ASDU.At(0)
		require.True(t, ok)
		return o, &f.ASDU
	}
	o, a := first(hexFloatCP56)
	v, ok := o.Value()
	require.True(t, ok)
	assert.Equal(t, KindFloat, v.Kind)
	assert.InDelta(t, 0.16875, v.Float, 1e-7)
	q, ok := o.Quality()
	require.True(t, ok)
	assert.Equal(t, Quality(0), q)
	ts, ok := o.Time(time.Time{})
	require.True(t, ok)
	assert.Equal(t, time.Date(2011, 10, 3, 10, 2, 56, 468e6, time.UTC), ts)
	assert.Equal(t, uint16(10516), a.CommonAddr)
	assert.Equal(t, CauseSpontaneous, a.Cause)
	assert.Equal(t, OpMonitor, a.Type.Operation())
	_, ok = o.Command()
	assert.False(t, ok)

	o, _ = first(hexSQ)
	v, _ = o.Value()
	assert.Equal(t, Value{Kind: KindSingle}, v)
	_, ok = o.Time(time.Time{})
	assert.False(t, ok)

	o, _ = first(hexDCO)
	c, ok := o.Command()
	require.True(t, ok)
	assert.Equal(t, Command{Value: Value{Kind: KindDouble, Int: 2}, Qualifier: QUShortPulse}, c)

	o, _ = first(hexSetpointCP56)
	c, ok = o.Command()
	require.True(t, ok)
	assert.Equal(t, Command{Value: Value{Kind: KindFloat, Float: 123}, Select: true}, c)
	q, ok = o.Quality()
	require.True(t, ok)
	assert.Equal(t, Quality(0), q)

	o, _ = first(hexEndOfInit)
	coi, ok := o.COI()
	require.True(t, ok)
	assert.Equal(t, InitManualReset, coi.Cause())
	_, ok = o.Value()
	assert.False(t, ok)

	o, _ = first(hexScaledNeg)
	v, _ = o.Value()
	assert.Equal(t, Value{Kind: KindScaled, Int: 2, Float: 2}, v)
}

// TestPointEveryType checks Value, Quality and Time over an element of
// every type whose octets are 0xff: every quality bit set.
func TestPointEveryType(t *testing.T) {
	for ti := range 256 {
		typ := TypeID(ti)
		size := typ.ElementSize()
		if size < 0 {
			continue
		}
		el := make([]byte, size)
		for i := range el {
			el[i] = 0xff
		}
		a, err := ParseASDU(append([]byte{byte(typ), 1, 3, 0, 1, 0, 7, 0, 0}, el...))
		require.NoError(t, err)
		o, _ := a.At(0)
		v, hasValue := o.Value()
		q, hasQuality := o.Quality()
		_, hasTime := o.Time(time.Time{})
		_, isCmd := o.Command()
		op := typ.Operation()
		assert.True(t, op.Known(), typ.String())
		switch {
		case typ <= M_EP_TF_1:
			assert.Equal(t, OpMonitor, op, typ.String())
			assert.True(t, hasValue, typ.String())
			if typ != M_ME_ND_1 {
				assert.True(t, hasQuality, typ.String())
				assert.True(t, q.Has(QualityInvalid), "%s %s", typ, q)
			}
			_, cp24 := o.CP24()
			_, cp56 := o.CP56()
			assert.Equal(t, cp24 || cp56, hasTime, typ.String())
			if hasTime {
				assert.True(t, q.Has(QualityTimeInvalid), "%s %s", typ, q)
			}
		case typ >= C_SC_NA_1 && typ <= C_BO_TA_1:
			assert.True(t, isCmd, typ.String())
			assert.True(t, hasValue, typ.String())
			assert.Contains(t, []Operation{OpControl, OpWrite}, op)
		default:
			assert.False(t, isCmd, typ.String())
		}
		if hasValue {
			assert.True(t, v.Kind.Known() && v.Kind != KindNone, typ.String())
		}
	}
	for typ, op := range map[TypeID]Operation{
		C_SC_NA_1: OpControl, C_DC_TA_1: OpControl, C_RC_NA_1: OpControl, C_BO_NA_1: OpControl, C_BO_TA_1: OpControl,
		C_SE_NA_1: OpWrite, C_SE_NB_1: OpWrite, C_SE_NC_1: OpWrite, C_SE_TA_1: OpWrite, C_SE_TC_1: OpWrite,
		M_EI_NA_1: OpInitialized, C_IC_NA_1: OpRead, C_CI_NA_1: OpRead, C_RD_NA_1: OpRead,
		C_CS_NA_1: OpTimeSync, C_CD_NA_1: OpTimeSync, C_TS_NA_1: OpDiagnostics, C_TS_TA_1: OpDiagnostics,
		C_RP_NA_1: OpRestart, P_ME_NA_1: OpConfiguration, P_AC_NA_1: OpConfiguration,
		F_FR_NA_1: OpFile, F_SC_NB_1: OpFile, TypeID(200): OpUnknown, TypeID(41): OpUnknown,
	} {
		assert.Equal(t, op, typ.Operation(), typ.String())
	}
}

// TestCP24Time checks that a three-octet time tag is placed in the hour
// nearest the reference time.
func TestCP24Time(t *testing.T) {
	ref := time.Date(2024, 5, 1, 10, 0, 30, 0, time.UTC)
	assert.Equal(t, time.Date(2024, 5, 1, 9, 59, 0, 500e6, time.UTC), CP24Time2a{Minute: 59, Millis: 500}.Time(ref))
	assert.Equal(t, time.Date(2024, 5, 1, 10, 1, 2, 0, time.UTC), CP24Time2a{Minute: 1, Millis: 2000}.Time(ref))
	ref = time.Date(2024, 5, 1, 10, 59, 0, 0, time.UTC)
	assert.Equal(t, time.Date(2024, 5, 1, 11, 0, 1, 0, time.UTC), CP24Time2a{Millis: 1000}.Time(ref))
	// M_SP_TA_1 with a CP24 tag of minute 2, 1.5 s.
	a, err := ParseASDU(testkit.Hex("02 01 03 00 0100 070000 01 dc05 02"))
	require.NoError(t, err)
	o, _ := a.At(0)
	ts, ok := o.Time(time.Date(2024, 5, 1, 10, 3, 0, 0, time.UTC))
	require.True(t, ok)
	assert.Equal(t, time.Date(2024, 5, 1, 10, 2, 1, 500e6, time.UTC), ts)
}
