package asset

import (
	"net/netip"
	"testing"

	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/s7comm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnknownCodesAllocs: an event naming an unknown code (Modbus function
// 0x64, an unknown Modbus exception code, an unknown CIP service) does not
// allocate the code's text.
func TestUnknownCodesAllocs(t *testing.T) {
	var obs countingObserver
	e := New(Config{Observer: &obs})
	unknownFn := modbusPkt(testkit.Hex("0007 0000 0002 01 64"), true, 0, 1)
	unknownFnResp := modbusPkt(testkit.Hex("0007 0000 0002 01 64"), false, 1, 2)
	excReq := modbusPkt(testkit.Hex("0008 0000 0006 01 03 0064 0002"), true, 2, 3)
	excResp := modbusPkt(testkit.Hex("0008 0000 0003 01 83 2a"), false, 3, 4)
	assert.False(t, modbus.FunctionCode(0x64).Known())
	assert.False(t, modbus.ExceptionCode(0x2a).Known())
	assert.Equal(t, "function 0x64", modbusFunctionName(0x64))
	assert.Equal(t, modbus.ExceptionCode(0x2a).String(), modbusExceptionName(0x2a))
	assert.Equal(t, enip.Service(0x7e).Name(enip.Context(0)), enipServiceName(0x7e, 0))
	assert.Equal(t, enip.Service(0x4c).Name(enip.Context(0)), enipServiceName(0x4c, 0))
	var sink string
	testkit.ZeroAllocs(t, append(textTables(t, &sink),
		testkit.AllocCase{Name: "unknown Modbus function request and response", Fn: func() { e.Packet(unknownFn); e.Packet(unknownFnResp) }},
		testkit.AllocCase{Name: "unknown Modbus exception code", Fn: func() { e.Packet(excReq); e.Packet(excResp) }},
		testkit.AllocCase{Name: "unknown CIP service name", Fn: func() { sink = enipServiceName(0x7e, 0) }},
		testkit.AllocCase{Name: "unknown Modbus function name", Fn: func() { sink = modbusFunctionName(0x64) }},
	))
	_ = sink
	assert.NotZero(t, obs.n)
}

// TestFlowReuseByKey: a flow that ends and comes back with the same key
// takes back its own state (with the buffers its Conn grew), whatever the
// order the flows ended in; another key takes the most recently ended.
func TestFlowReuseByKey(t *testing.T) {
	e := New(Config{})
	key := func(port uint16) flowKey {
		return flowKey{Modbus, TCP, netip.AddrPortFrom(cliAP.Addr(), port), srvAP}
	}
	a, b := e.newFlow(key(1000)), e.newFlow(key(1001))
	a.init(key(1000))
	b.init(key(1001))
	// They end in the order they started: b is on top of the free list.
	e.free[Modbus] = append(e.free[Modbus], a, b)
	require.Same(t, a, e.newFlow(key(1000)))
	require.Same(t, b, e.newFlow(key(1001)))
	e.free[Modbus] = append(e.free[Modbus], a, b)
	require.Same(t, b, e.newFlow(key(2000)), "no flow of the key: the most recent")
	require.Same(t, a, e.newFlow(key(1001)))
	assert.Empty(t, e.free[Modbus])
	// Steady state: a conversation of two flows delivered again allocates
	// nothing, in either order of their ends.
	req := modbusPkt(readReq, true, 0, 1)
	resp := modbusPkt(readResp, false, 1, 2)
	other := *req
	other.Src = netip.AddrPortFrom(cliAP.Addr(), 40000)
	otherResp := *resp
	otherResp.Dst = other.Src
	run := func() { e.Packet(req); e.Packet(&other); e.Packet(resp); e.Packet(&otherResp); e.Flush() }
	run()
	testkit.ZeroAllocs(t, []testkit.AllocCase{{Name: "two flows delivered again", Fn: run}})
}

// TestNameCacheAllocs: an unknown encapsulation command or status, or CIP
// general status, allocates its text the first time only; known codes
// never allocate; the texts are the packages'.
func TestNameCacheAllocs(t *testing.T) {
	e := New(Config{})
	cmd, st, gs := enip.Command(0x7777), enip.Status(0x12345678), enip.GeneralStatus(0xee)
	require.False(t, cmd.Known())
	require.False(t, st.Known())
	require.False(t, gs.Known())
	assert.Equal(t, cmd.String(), e.enipCommandName(cmd))
	assert.Equal(t, st.String(), e.enipStatusName(st))
	assert.Equal(t, gs.String(), e.cipStatusName(gs))
	var sink string
	testkit.ZeroAllocs(t, append(textTables(t, &sink),
		testkit.AllocCase{Name: "unknown encapsulation command seen before", Fn: func() { sink = e.enipCommandName(cmd) }},
		testkit.AllocCase{Name: "unknown encapsulation status seen before", Fn: func() { sink = e.enipStatusName(st) }},
		testkit.AllocCase{Name: "unknown CIP general status seen before", Fn: func() { sink = e.cipStatusName(gs) }},
		testkit.AllocCase{Name: "known command", Fn: func() { sink = e.enipCommandName(enip.CmdListTargets) }},
	))
	_ = sink
	// A code pushed out of its entry gets its text made again, correctly.
	for c := range uint32(1000) {
		s := enip.Status(0x10000 + c)
		require.Equal(t, s.String(), e.enipStatusName(s))
	}
	assert.Equal(t, st.String(), e.enipStatusName(st))
}

// textTables checks the tables of CIP service and S7 operation texts
// against the packages' String methods, and returns the allocation cases
// of looking up an undefined code in each (the text goes to sink).
func textTables(t *testing.T, sink *string) []testkit.AllocCase {
	t.Helper()
	for c := range 256 {
		assert.Equal(t, enip.Service(c).String(), enipServiceStrings[c])
		assert.Equal(t, s7comm.Operation(c).String(), s7OperationStrings[c])
	}
	return []testkit.AllocCase{
		{Name: "undefined CIP service text (overflow path)", Fn: func() { *sink = enipServiceStrings[enip.Service(0x7f)] }},
		{Name: "undefined S7 operation text", Fn: func() { *sink = s7OperationStrings[s7comm.Operation(0xfe)] }},
	}
}
