package iec104

import (
	"strconv"
	"testing"
	"unsafe"

	"github.com/icsdissect/icsdissect/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// step is one APDU fed to a Conn and what the Message must say.
type step struct {
	hex      string
	up       bool    // toward the server
	paired   bool    // Message.Paired
	req      TypeID  // the paired activation's type
	reqCause Cause   // and cause
	selected bool    // Message.Selected
	anom     Anomaly // Message.Anomalies
}

func runSteps(t *testing.T, c *Conn, steps []step) {
	t.Helper()
	for i, s := range steps {
		m, err := c.Decode(testkit.Hex(s.hex), s.up, int64(i+1)*1000)
		require.NoError(t, err, "step %d", i)
		assert.Equal(t, s.paired, m.Paired, "step %d paired", i)
		assert.Equal(t, s.selected, m.Selected, "step %d selected", i)
		assert.Equal(t, s.anom, m.Anomalies, "step %d anomalies %s", i, m.Anomalies)
		if s.paired {
			assert.Equal(t, s.req, m.Request.ASDU.Type, "step %d request type", i)
			assert.Equal(t, s.reqCause, m.Request.ASDU.Cause, "step %d request cause", i)
			assert.Positive(t, m.Latency(), "step %d latency", i)
			assert.Equal(t, m.Time-m.RequestTime, m.Latency())
		} else {
			assert.Nil(t, m.Request.Raw, "step %d request", i)
			assert.Zero(t, m.Latency())
		}
	}
}

// TestConnPairing drives exchanges of real APDUs (capture and frame in each
// comment; others are built from them) through a Conn.
func TestConnPairing(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
		stats ConnStats
	}{
		{"single command select, execute, termination", []step{
			// iti-iec104-090813_diverse.pcap frames 25, 27, 29, 31, 33
			{hex: hexSelectSCO, up: true},
			{hex: "680ea2002e002d010700030094110081", paired: true, req: C_SC_NA_1, reqCause: CauseActivation},
			{hex: hexExecuteSCO, up: true, selected: true},
			{hex: "680ea40030002d010700030094110001", paired: true, req: C_SC_NA_1, reqCause: CauseActivation},
			{hex: "680ea60030002d010a00030094110001", paired: true, req: C_SC_NA_1, reqCause: CauseActivation},
		}, ConnStats{Requests: 2, Responses: 3, Paired: 3}},
		{"set point float with time tag, select and execute", []step{
			// iti-iec104-090813_diverse.pcap frames 39..47
			{hex: hexSetpointCP56, up: true},
			{hex: "6819aa0032003f01070003009d13000000f64280080018130d0809", paired: true, req: C_SE_TC_1, reqCause: CauseActivation},
			{hex: "68193200ac003f01060003009d13000000f64200080018130d086d", up: true, selected: true},
			{hex: "6819ac0034003f01070003009d13000000f64200080018130d0809", paired: true, req: C_SE_TC_1, reqCause: CauseActivation},
			{hex: "6819ae0034003f010a0003009d13000000f64200080018130d0809", paired: true, req: C_SE_TC_1, reqCause: CauseActivation},
		}, ConnStats{Requests: 2, Responses: 3, Paired: 3}},
		{"interrogation sent twice, each answered", []step{
			// fkie-iec104.pcap frames 7..18, in part
			{hex: hexStartDTAct, up: true},
			{hex: hexStartDTCon, paired: true},
			{hex: hexInterrogate, up: true},
			{hex: "680e00000000460104000a0000000000"},
			{hex: "680e02000200640106000a0000000014", up: true, anom: AnomalyDuplicateRequest},
			{hex: "680e02000200640107000a0000000014", paired: true, req: C_IC_NA_1, reqCause: CauseActivation},
			{hex: hexSinglePoints, paired: true, req: C_IC_NA_1, reqCause: CauseActivation},
			// The rest renumbered to follow on: frames 16 and 18.
			{hex: "680e0600040064010a000a0000000014", paired: true, req: C_IC_NA_1, reqCause: CauseActivation},
			{hex: "680e08000400640107000a0000000014", paired: true, req: C_IC_NA_1, reqCause: CauseActivation},
			{hex: "681a0a000400010414000a0001000000020000000300000004000000", paired: true, req: C_IC_NA_1, reqCause: CauseActivation},
			{hex: "680e0c00040064010a000a0000000014", paired: true, req: C_IC_NA_1, reqCause: CauseActivation},
			{hex: "681a0e000400010414000a0001000000020000000300000004000000"},
		}, ConnStats{Requests: 3, Responses: 5, Paired: 5, Duplicates: 1, Attributed: 2}},
		{"confirmation without activation", []step{
			{hex: "680ea2002e002d010700030094110081", anom: AnomalyUnmatchedResponse},
			{hex: "680ea40030002d010a00030094110001", anom: AnomalyUnmatchedResponse},
		}, ConnStats{Responses: 2, Unmatched: 2}},
		{"confirmation of another type at the address", []step{
			{hex: hexSelectSCO, up: true},
			// A double command confirmed at the single command's address.
			{hex: "680ea2002e002e010700030094110081", anom: AnomalyMismatchedResponse},
			{hex: "680ea4002e002d010700030094110081", paired: true, req: C_SC_NA_1, reqCause: CauseActivation},
		}, ConnStats{Requests: 1, Responses: 2, Paired: 1, Mismatched: 1}},
		{"confirmation from the same side is no answer", []step{
			{hex: hexSelectSCO, up: true},
			{hex: "680e2e00a2002d010700030094110081", up: true, anom: AnomalyUnmatchedResponse},
		}, ConnStats{Requests: 1, Responses: 1, Unmatched: 1, Pending: 1}},
		{"negative confirmation ends the activation", []step{
			{hex: hexExecuteSCO, up: true},
			{hex: "680ea40030002d014700030094110001", paired: true, req: C_SC_NA_1, reqCause: CauseActivation},
			{hex: "680ea60030002d010a00030094110001", anom: AnomalyUnmatchedResponse},
		}, ConnStats{Requests: 1, Responses: 2, Paired: 1, Unmatched: 1}},
		{"deactivation cancels a select", []step{
			{hex: hexSelectSCO, up: true},
			{hex: "680ea2002e002d010700030094110081", paired: true, req: C_SC_NA_1, reqCause: CauseActivation},
			{hex: "680e2e00a4002d010800030094110081", up: true},
			{hex: "680ea4003000 2d010900030094110081", paired: true, req: C_SC_NA_1, reqCause: CauseDeactivation},
			{hex: "680e3000a6002d010600030094110001", up: true},
		}, ConnStats{Requests: 3, Responses: 2, Paired: 2, Pending: 1}},
		{"execute of another command than selected", []step{
			{hex: hexSelectSCO, up: true},
			{hex: "680ea2002e002d010700030094110081", paired: true, req: C_SC_NA_1, reqCause: CauseActivation},
			// Select was ON (0x81), execute is OFF (0x00).
			{hex: "680e2e00a4002d010600030094110000", up: true, selected: true, anom: AnomalySelectMismatch},
		}, ConnStats{Requests: 2, Responses: 1, Paired: 1, Pending: 1}},
		{"read command and its reply", []step{
			// C_RD_NA_1 of IOA 1300, the float measured value with cause 5.
			{hex: "680d00000000660105000300140500", up: true},
			{hex: "6812000002000d0105000300140500 0000f04100", paired: true, req: C_RD_NA_1, reqCause: CauseRequest},
			{hex: "6812020002000d0105000300140500 0000f04100", anom: AnomalyUnmatchedResponse},
		}, ConnStats{Requests: 1, Responses: 2, Paired: 1, Unmatched: 1}},
		{"read of an unknown address refused", []step{
			{hex: "680d00000000660105000300140500", up: true},
			{hex: "680d000002006601 6f000300140500", paired: true, req: C_RD_NA_1, reqCause: CauseRequest},
		}, ConnStats{Requests: 1, Responses: 1, Paired: 1}},
		{"counter interrogation", []step{
			// C_CI_NA_1 QCC 5 (general), con, M_IT_NA_1 cause 37, term.
			{hex: "680e00000000650106000a0000000005", up: true},
			{hex: "680e00000200650107000a0000000005", paired: true, req: C_CI_NA_1, reqCause: CauseActivation},
			{hex: "6812020002000f0125000a000100000a00000001", paired: true, req: C_CI_NA_1, reqCause: CauseActivation},
			// Data for group 1 answers no pending request.
			{hex: "6812040002000f0126000a000100000a00000001"},
			{hex: "680e06000200650 10a000a0000000005", paired: true, req: C_CI_NA_1, reqCause: CauseActivation},
		}, ConnStats{Requests: 1, Responses: 2, Paired: 2, Attributed: 1}},
		{"group interrogation to the broadcast address", []step{
			{hex: "680e00000000640106 00 ffff 000000 15", up: true},
			{hex: "680e00000200640107 00 ffff 000000 15", paired: true, req: C_IC_NA_1, reqCause: CauseActivation},
			// Group 1 data of station 10 is attributed, station data not.
			{hex: "680e02000200 0101 1500 0a00 010000 01", paired: true, req: C_IC_NA_1, reqCause: CauseActivation},
			{hex: "680e04000200 0101 1400 0a00 010000 01"},
		}, ConnStats{Requests: 1, Responses: 1, Paired: 1, Attributed: 1}},
		{"clock synchronisation", []step{
			{hex: "681400000000670106000a00 000000 10270c0b030a0b", up: true},
			{hex: "681400000200670107000a00 000000 10270c0b030a0b", paired: true, req: C_CS_NA_1, reqCause: CauseActivation},
			{hex: "681402000200670107000a00 000000 10270c0b030a0b", anom: AnomalyUnmatchedResponse},
		}, ConnStats{Requests: 1, Responses: 2, Paired: 1, Unmatched: 1}},
		{"U-frames", []step{
			{hex: hexStartDTAct, up: true},
			{hex: hexStartDTCon, paired: true},
			{hex: hexTestFRAct, up: true},
			{hex: hexTestFRAct, up: true, anom: AnomalyDuplicateRequest},
			// STOPDT con while a TESTFR act waits.
			{hex: "680423000000", anom: AnomalyMismatchedResponse},
			{hex: "680483000000", paired: true},
			{hex: "680483000000", anom: AnomalyUnmatchedResponse},
			// The station tests the controlling station.
			{hex: hexTestFRAct},
			{hex: "680483000000", up: true, paired: true},
		}, ConnStats{Requests: 4, Responses: 5, Paired: 3, Unmatched: 1, Mismatched: 1, Duplicates: 1, Unanswered: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Conn
			runSteps(t, &c, tt.steps)
			assert.Equal(t, tt.stats, c.Stats())
		})
	}
}

// TestConnUFrameRequest checks the U-frame act that a con is paired with.
func TestConnUFrameRequest(t *testing.T) {
	var c Conn
	c.Decode(testkit.Hex(hexTestFRAct), true, 5)
	m, err := c.Decode(testkit.Hex("680483000000"), false, 9)
	require.NoError(t, err)
	require.True(t, m.Paired)
	assert.Equal(t, FormatU, m.Request.Format)
	assert.Equal(t, TestFRAct, m.Request.UFunc)
	assert.Equal(t, int64(5), m.RequestTime)
	assert.Equal(t, int64(4), m.Latency())
}

// TestConnRequestContext checks the activation a confirmation is paired
// with: its header and first object, decoded in the request's context.
func TestConnRequestContext(t *testing.T) {
	var c Conn
	c.Decode(testkit.Hex(hexSetpointCP56), true, 1)
	m, _ := c.Decode(testkit.Hex("6819aa0032003f01070003009d13000000f64280080018130d0809"), false, 2)
	require.True(t, m.Paired)
	r := &m.Request
	assert.Equal(t, uint16(0x18), r.SendSeq)
	assert.Equal(t, uint16(0x55), r.RecvSeq)
	assert.Equal(t, uint16(3), r.ASDU.CommonAddr)
	o, ok := r.ASDU.At(0)
	require.True(t, ok)
	assert.Equal(t, uint32(5021), o.IOA)
	cmd, ok := o.Command()
	require.True(t, ok)
	assert.True(t, cmd.Select)
	assert.Equal(t, float64(123), cmd.Value.Float)
	// The kept request is the one the activation carried, bytes and all.
	act := testkit.Hex(hexSetpointCP56)
	assert.Equal(t, act, r.Raw)
}

// TestConnSequence ports the sequence checks of the connection: gaps,
// duplicates, acknowledgements, windows and the data transfer state.
func TestConnSequence(t *testing.T) {
	// I-frames carry a spontaneous single point; S- and U-frames are bare.
	iFrame := func(ns, nr uint16) []byte {
		b := testkit.Hex("680e00000000 01010300 0100 010000 01")
		b[2], b[3] = byte(ns<<1), byte(ns>>7)
		b[4], b[5] = byte(nr<<1), byte(nr>>7)
		return b
	}
	sFrame := func(nr uint16) []byte { return []byte{0x68, 4, 1, 0, byte(nr << 1), byte(nr >> 7)} }
	uFrame := func(u UFunction) []byte { return []byte{0x68, 4, byte(u)<<2 | 3, 0, 0, 0} }
	type in struct {
		b  []byte
		up bool
	}
	check := func(t *testing.T, c *Conn, steps []in, want ...Anomaly) {
		t.Helper()
		for i, s := range steps {
			m, err := c.Decode(s.b, s.up, int64(i))
			require.NoError(t, err)
			w := Anomaly(0)
			if i < len(want) {
				w = want[i]
			}
			assert.Equal(t, w, m.Anomalies, "step %d: %s", i, m.Anomalies)
		}
	}
	t.Run("clean exchange", func(t *testing.T) {
		var c Conn
		check(t, &c, []in{
			{uFrame(StartDTAct), true}, {uFrame(StartDTCon), false},
			{iFrame(0, 0), true}, {iFrame(0, 1), false}, {iFrame(1, 1), false},
			{sFrame(2), true}, {uFrame(TestFRAct), true}, {uFrame(TestFRCon), false},
		})
	})
	t.Run("I before STARTDT", func(t *testing.T) {
		var c Conn
		check(t, &c, []in{{uFrame(StartDTAct), true}, {iFrame(0, 0), true}}, 0, AnomalyIBeforeStartDT)
		// Mid-connection capture: no report.
		var c2 Conn
		check(t, &c2, []in{{iFrame(5, 9), true}})
		// After STOPDT.
		var c3 Conn
		check(t, &c3, []in{{uFrame(StopDTAct), true}, {uFrame(StopDTCon), false}, {iFrame(0, 0), true}},
			0, 0, AnomalyIBeforeStartDT)
	})
	t.Run("gap and duplicate", func(t *testing.T) {
		var c Conn
		check(t, &c, []in{{iFrame(10, 0), false}, {iFrame(12, 0), false}, {iFrame(12, 0), false}, {iFrame(13, 0), false}},
			0, AnomalySeqGap, AnomalySeqDuplicate, 0)
		// Wrap-around 32767 -> 0 is not a gap.
		var w Conn
		check(t, &w, []in{{iFrame(32767, 0), false}, {iFrame(0, 0), false}})
	})
	t.Run("ack of unsent and backwards", func(t *testing.T) {
		var c Conn
		check(t, &c, []in{
			{uFrame(StartDTAct), true}, {uFrame(StartDTCon), false},
			{iFrame(0, 0), false}, {iFrame(1, 0), false},
			{sFrame(5), true}, {sFrame(2), true}, {sFrame(1), true},
		}, 0, 0, 0, 0, AnomalyAckUnsent, 0, AnomalyAckBackwards)
	})
	t.Run("k and w windows", func(t *testing.T) {
		var c Conn
		steps := []in{{uFrame(StartDTAct), true}, {uFrame(StartDTCon), false}}
		for i := range uint16(13) {
			steps = append(steps, in{iFrame(i, 0), false})
		}
		steps = append(steps, in{sFrame(13), true})
		want := make([]Anomaly, len(steps))
		want[len(want)-2] = AnomalyKWindow
		want[len(want)-1] = AnomalyWWindow
		check(t, &c, steps, want...)
		c2 := Conn{K: 2, W: 1}
		check(t, &c2, []in{{iFrame(0, 0), false}, {iFrame(1, 0), false}, {iFrame(2, 0), false}}, 0, 0, AnomalyKWindow)
	})
	t.Run("gap", func(t *testing.T) {
		// The server's I-frames 2..9 and the client's acknowledgements
		// of them were lost: without Gap, N(S) 10 is a gap and the
		// client's N(R) 11 acknowledges more than w at once.
		start := []in{
			{uFrame(StartDTAct), true}, {uFrame(StartDTCon), false},
			{iFrame(0, 0), false}, {iFrame(1, 0), false}, {sFrame(2), true},
		}
		after := []in{{iFrame(10, 0), false}, {sFrame(11), true}}
		var c Conn
		check(t, &c, append(start, after...), 0, 0, 0, 0, 0, AnomalySeqGap, AnomalyWWindow)
		var g Conn
		check(t, &g, start)
		g.Gap(false)
		g.Gap(true)
		check(t, &g, after)
		assert.Equal(t, uint64(2), g.Stats().Gaps)
		// A gap in one direction keeps the other's numbers: the
		// client's N(S) still follows on.
		var h Conn
		check(t, &h, []in{{iFrame(0, 0), true}, {iFrame(1, 0), true}})
		h.Gap(false)
		check(t, &h, []in{{iFrame(30, 2), false}, {iFrame(3, 31), true}}, 0, AnomalySeqGap)
		// The data transfer state becomes unknown: the STARTDT con may
		// have been lost in the gap.
		var d Conn
		check(t, &d, []in{{uFrame(StartDTAct), true}})
		d.Gap(false)
		check(t, &d, []in{{iFrame(0, 0), false}})
	})
}

// TestConnGapKeepsPending checks that activations pending across a stream
// gap are still paired with their confirmation, and reported by Flush when
// none comes.
func TestConnGapKeepsPending(t *testing.T) {
	var c Conn
	runSteps(t, &c, []step{
		{hex: hexSelectSCO, up: true},
		{hex: "680e2e00a200640106000a0000000014", up: true}, // interrogation
	})
	c.Gap(false)
	c.Gap(true)
	// The select's confirmation with N(S) and N(R) far on.
	m, err := c.Decode(testkit.Hex("680e40004000"+"2d010700030094110081"), false, 5000)
	require.NoError(t, err)
	assert.True(t, m.Paired)
	assert.Equal(t, int64(4000), m.Latency())
	assert.Equal(t, C_SC_NA_1, m.Request.ASDU.Type)
	assert.Zero(t, m.Anomalies, m.Anomalies.String())
	n := 0
	for m := range c.Flush {
		assert.Equal(t, C_IC_NA_1, m.Frame.ASDU.Type)
		n++
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, uint64(2), c.Stats().Gaps)
}

// TestConnFlush checks that Flush reports each activation that got no
// confirmation, oldest first, and forgets it.
func TestConnFlush(t *testing.T) {
	var c Conn
	c.Decode(testkit.Hex(hexSelectSCO), true, 10)
	c.Decode(testkit.Hex("680ea2002e002d010700030094110081"), false, 11) // answered
	c.Decode(testkit.Hex(hexTestFRAct), true, 12)
	c.Decode(testkit.Hex("680e2e00a400640106000a0000000014"), true, 13)
	assert.Equal(t, 2, c.Stats().Pending)
	var got []string
	for m := range c.Flush {
		require.True(t, m.Unanswered)
		require.False(t, m.Paired)
		assert.Equal(t, m.Frame, m.Request)
		assert.Equal(t, m.Time, m.RequestTime)
		s := m.Frame.Format.String() + " " + strconv.FormatInt(m.Time, 10)
		if m.Frame.Format == FormatI {
			s += " " + m.Frame.ASDU.Type.String()
		} else {
			s += " " + m.Frame.UFunc.String()
		}
		got = append(got, s)
	}
	assert.Equal(t, []string{"U 12 TESTFR act", "I 13 C_IC_NA_1"}, got)
	st := c.Stats()
	assert.Equal(t, 0, st.Pending)
	assert.Equal(t, uint64(2), st.Unanswered)
	for range c.Flush {
		t.Fatal("second Flush yields")
	}
	// Stopping early keeps the rest.
	c.Decode(testkit.Hex(hexTestFRAct), true, 20)
	c.Decode(testkit.Hex("680e3000a400640106000a0000000014"), true, 21)
	for range c.Flush {
		break
	}
	assert.Equal(t, 1, c.Stats().Pending)
	// Reset forgets everything but keeps the table.
	tab := c.table
	c.Reset()
	assert.Equal(t, ConnStats{}, c.Stats())
	assert.Same(t, tab, c.table)
}

// TestConnUnanswered drives 1,000,000 activations that are never answered,
// each for a new object, through one Conn: the table stays within
// MaxPending, every activation beyond it is counted as overflow and
// unanswered, and nothing allocates.
func TestConnUnanswered(t *testing.T) {
	const n = 1_000_000
	var c Conn
	act := testkit.Hex(hexSelectSCO)
	allocs := testing.AllocsPerRun(1, func() {
		c.Reset()
		for i := range n {
			ns := i & 0x7fff
			act[2], act[3] = byte(ns<<1), byte(ns>>7)
			act[12], act[13], act[14] = byte(i), byte(i>>8), byte(i>>16)
			m, err := c.Decode(act, true, int64(i))
			if err != nil || m.Anomalies.Has(AnomalyPendingOverflow) != (i >= MaxPending) {
				t.Fatalf("activation %d: %v %s", i, err, m.Anomalies)
			}
			if p := c.Stats().Pending; p > MaxPending {
				t.Fatalf("activation %d: %d pending", i, p)
			}
		}
	})
	st := c.Stats()
	assert.Equal(t, MaxPending, st.Pending)
	assert.Equal(t, uint64(n), st.Requests)
	assert.Equal(t, uint64(n-MaxPending), st.Overflow)
	assert.Equal(t, uint64(n-MaxPending), st.Unanswered)
	flushed := 0
	for range c.Flush {
		flushed++
	}
	assert.Equal(t, MaxPending, flushed)
	assert.Equal(t, uint64(n), c.Stats().Unanswered)
	if testing.CoverMode() == "" {
		// AllocsPerRun runs the function once before it counts: the
		// table is made then and kept across Reset.
		assert.Zero(t, allocs)
	}
}

// TestConnSize documents the size of a Conn: one per flow.
func TestConnSize(t *testing.T) {
	assert.LessOrEqual(t, unsafe.Sizeof(Conn{}), uintptr(512), "Conn grew")
	assert.LessOrEqual(t, unsafe.Sizeof([MaxPending]pending{}), uintptr(1024), "pending table grew")
	t.Logf("Conn %d bytes, pending table %d bytes", unsafe.Sizeof(Conn{}), unsafe.Sizeof([MaxPending]pending{}))
}

// TestConnCaptures runs one Conn per TCP connection over every APDU of the
// IEC 104 captures in order and expects exactly the connection anomalies
// that are really there.
func TestConnCaptures(t *testing.T) {
	want := map[string]string{
		// The client acknowledges 12 and then 12 more I-frames at once.
		"fkie-iec104.pcap 15": "w_window",
		"fkie-iec104.pcap 17": "w_window",
		// Frame 130 repeats frame 129's segment (a TCP retransmission
		// that testdata/apdus.tsv keeps).
		"iti-iec104-JavaRMI_and_IEC_Misc.pcap 130": "seq_duplicate",
		// Wireshark's test file of garbage between APDUs opens with
		// STARTDT act, so sequence numbers start at 0; the I-frames cut
		// from garbage carry arbitrary N(S) and N(R).
		"iti-iec104-TestDissectIec104.pcap 25": "seq_gap|ack_unsent|k_window",
		"iti-iec104-TestDissectIec104.pcap 41": "seq_gap|ack_unsent|k_window",
		"iti-iec104-TestDissectIec104.pcap 58": "seq_gap|ack_unsent|k_window",
		"iti-iec104-TestDissectIec104.pcap 71": "ack_unsent",
		"iti-iec104-TestDissectIec104.pcap 75": "ack_unsent",
		"iti-iec104-TestDissectIec104.pcap 83": "seq_gap|ack_unsent|k_window",
		"iti-iec104-TestDissectIec104.pcap 96": "seq_gap|ack_unsent|k_window",
		// The client sends its interrogation twice (N(S) 0 and 1); the
		// station answers each.
		"fkie-iec104.pcap 11": "duplicate_request",
	}
	got := map[string]string{}
	var total ConnStats
	for _, cp := range corpus(t) {
		conns := map[int]*Conn{}
		for _, p := range cp.apdus {
			c := conns[p.stream]
			if c == nil {
				c = new(Conn)
				conns[p.stream] = c
			}
			m, _ := c.Decode(p.b, p.toServer, int64(p.frame))
			if a := m.Anomalies; a != 0 {
				k := cp.name + " " + strconv.Itoa(p.frame)
				if got[k] != "" {
					got[k] += "|"
				}
				got[k] += a.String()
			}
		}
		for _, c := range conns {
			for range c.Flush {
			}
			st := c.Stats()
			total.Requests += st.Requests
			total.Responses += st.Responses
			total.Paired += st.Paired
			total.Unanswered += st.Unanswered
			total.Attributed += st.Attributed
		}
	}
	t.Logf("corpus: %+v", total)
	assert.Equal(t, want, got)
	// Every response in the captures answers an activation seen before it.
	assert.Equal(t, total.Responses, total.Paired)
}
