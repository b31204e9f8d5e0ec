package s7comm

import (
	"math"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// step is one packet of a conversation for a Conn.
type step struct {
	sample   string
	toServer bool
}

// run decodes the steps through c and returns the message of the last one.
func run(t *testing.T, c *Conn, steps ...step) *Message {
	t.Helper()
	var m *Message
	for i, s := range steps {
		var err error
		m, err = c.Decode(sample(s.sample), s.toServer, int64(i+1)*1000)
		require.NoError(t, err, s.sample)
	}
	return m
}

func TestConnPairing(t *testing.T) {
	cases := []struct {
		name    string
		steps   []step
		paired  bool
		an      Anomaly
		reqTime int64
	}{
		{"setup", []step{{"setupJob", true}, {"setupAck", false}}, true, 0, 1000},
		{"read var", []step{{"readJob1", true}, {"readAck1", false}}, true, 0, 1000},
		{"write var", []step{{"writeJob5", true}, {"writeAck5", false}}, true, 0, 1000},
		{"error ack", []step{{"startUploadErr", true}, {"ackError", false}}, true, 0, 1000},
		{"read szl", []step{{"szl11Req", true}, {"szl11Resp", false}}, true, 0, 1000},
		{"szl follow-up", []step{{"szl1cReq", true}, {"szl1cFrag1", false}, {"szl1cNext", true}, {"szl1cFrag2", false}}, true, 0, 3000},
		{"unmatched", []step{{"readAck1", false}}, false, AnomalyUnmatchedResponse, 0},
		{"same direction", []step{{"readJob1", true}, {"readAck1", true}}, false, AnomalyUnmatchedResponse, 0},
		{"job and userdata apart", []step{{"szl11Req", true}, {"readAck1", false}}, false, AnomalyUnmatchedResponse, 0},
	}
	for _, tc := range cases {
		var c Conn
		m := run(t, &c, tc.steps...)
		assert.Equal(t, tc.paired, m.Paired, tc.name)
		assert.Equal(t, tc.an, m.Anomalies, tc.name)
		assert.Equal(t, tc.reqTime, m.RequestTime, tc.name)
		st := c.Stats()
		assert.Equal(t, st.Requests, st.Paired+st.Mismatched+st.Unanswered+uint64(st.Pending), tc.name)
		if tc.paired {
			assert.Equal(t, m.Frame.PDU.PDURef, m.Request.PDURef, tc.name)
		}
	}
}

func TestConnMismatched(t *testing.T) {
	var c Conn
	run(t, &c, step{"readJob1", true})
	// A write var ack-data with the read job's PDU reference.
	ack := sample("writeAck5")
	ack[11], ack[12] = 0x19, 0x00
	m, err := c.Decode(ack, false, 5)
	require.NoError(t, err)
	assert.False(t, m.Paired)
	assert.Equal(t, AnomalyMismatchedResponse, m.Anomalies)
	r := m.VarResults()
	assert.False(t, r.Next(), "not decoded in the request's context")
	st := c.Stats()
	assert.Equal(t, uint64(1), st.Mismatched)
	assert.Equal(t, 0, st.Pending)

	// A userdata response of another subfunction.
	run(t, &c, step{"szl11Req", true})
	resp := sample("clockResp")
	resp[11], resp[12] = 0x06, 0x00
	m, err = c.Decode(resp, false, 6)
	require.NoError(t, err)
	assert.Equal(t, AnomalyMismatchedResponse, m.Anomalies)
	_, ok := m.SZLRequest()
	assert.False(t, ok)
}

func TestConnBounds(t *testing.T) {
	var c Conn
	job := sample("readJob1")
	m, _ := c.Decode(job, true, 1)
	assert.Zero(t, m.Anomalies)
	m, _ = c.Decode(job, true, 2)
	assert.Equal(t, AnomalyDuplicateRequest, m.Anomalies)
	for i := 0; i < MaxPending; i++ {
		job[12] = byte(i + 1)
		m, _ = c.Decode(job, true, int64(3+i))
	}
	assert.Equal(t, AnomalyPendingOverflow, m.Anomalies)
	st := c.Stats()
	assert.Equal(t, MaxPending, st.Pending)
	assert.Equal(t, uint64(1), st.Overflow)
	assert.Equal(t, uint64(2), st.Unanswered, "the duplicate's first and the dropped oldest")
	// The oldest (time 2) was dropped: its response no longer pairs.
	ack := sample("readAck1")
	m, _ = c.Decode(ack, false, 100)
	assert.Equal(t, AnomalyUnmatchedResponse, m.Anomalies)

	var times []int64
	c.Flush(func(m *Message) bool {
		assert.True(t, m.Unanswered)
		assert.Equal(t, KindS7, m.Frame.Kind)
		assert.Equal(t, m.Time, m.RequestTime)
		fn, _ := m.Request.Function()
		assert.Equal(t, FuncReadVar, fn)
		times = append(times, m.Time)
		return len(times) < 3
	})
	assert.Equal(t, []int64{3, 4, 5}, times, "oldest first, stopping when asked")
	st = c.Stats()
	assert.Equal(t, 0, st.Pending, "Flush empties the table")
	assert.Equal(t, st.Requests, st.Paired+st.Mismatched+st.Unanswered)
}

// TestConnUnanswered drives a million requests that are never answered
// through one Conn: the table stays within its bound, every request is
// counted, nothing is allocated.
func TestConnUnanswered(t *testing.T) {
	var c Conn
	job := sample("readJob1")
	const n = 1_000_000
	c.Decode(job, true, 0) // first use allocates the request store
	// AllocsPerRun runs the loop twice (a warm-up, then the measured run),
	// n/2 requests each, with GOMAXPROCS 1, so that other goroutines'
	// allocations are not counted.
	i := 0
	allocs := testing.AllocsPerRun(1, func() {
		for range n / 2 {
			i++
			job[11], job[12] = byte(i>>8), byte(i)
			c.Decode(job, true, int64(i))
			if c.stats.Pending > MaxPending {
				t.Fatalf("%d pending", c.stats.Pending)
			}
		}
	})
	st := c.Stats()
	assert.Equal(t, uint64(n+1), st.Requests)
	assert.Equal(t, MaxPending, st.Pending)
	assert.Equal(t, uint64(n+1-MaxPending), st.Overflow)
	assert.Equal(t, uint64(n+1-MaxPending), st.Unanswered)
	if testing.CoverMode() == "" {
		assert.Zero(t, allocs, "allocations over a million requests")
	}
	c.Flush(func(*Message) bool { return true })
	assert.Equal(t, uint64(n+1), c.Stats().Unanswered)
}

func TestConnReadContext(t *testing.T) {
	var c Conn
	m := run(t, &c, step{"readTC", true}, step{"readTCAck", false})
	require.True(t, m.Paired)
	type row struct {
		area   Area
		ts     TransportSize
		number int // -1: byte address
		count  uint16
	}
	want := []row{{AreaFlags, TSByte, -1, 16}, {AreaInputs, TSByte, -1, 16}, {AreaOutputs, TSByte, -1, 16},
		{AreaTimer, TSTimer, 0, 8}, {AreaCounter, TSCounter, 0, 8}}
	r := m.VarResults()
	i := 0
	for r.Next() {
		v := r.VarResult()
		require.Less(t, i, len(want))
		assert.Equal(t, want[i].area, v.Item.Area)
		assert.Equal(t, want[i].ts, v.Item.TransportSize)
		assert.Equal(t, want[i].count, v.Item.Count)
		num, isNum := v.Item.Number()
		_, isByte := v.Item.Byte()
		assert.Equal(t, want[i].number >= 0, isNum)
		assert.Equal(t, want[i].number < 0, isByte)
		if isNum {
			assert.Equal(t, uint16(want[i].number), num)
		}
		assert.Equal(t, ReturnSuccess, v.ReturnCode)
		vals := v.Values()
		k := 0
		for vals.Next() {
			x := vals.Value()
			switch v.Item.Area {
			case AreaCounter:
				assert.Equal(t, ValueCounter, x.Kind)
				if k == 0 {
					assert.Equal(t, int64(11), x.Int, "C0 holds BCD 011")
				}
			case AreaTimer:
				assert.Equal(t, ValueTimer, x.Kind)
				d, ok := x.Duration()
				assert.True(t, ok)
				assert.Zero(t, d)
			default:
				assert.Equal(t, ValueByte, x.Kind)
			}
			k++
		}
		assert.NoError(t, vals.Err())
		assert.Equal(t, int(v.Item.Count), k)
		i++
	}
	assert.Equal(t, len(want), i)
	assert.NoError(t, r.Err())
	assert.Zero(t, r.Anomalies())

	// Four typed values: BIT, REAL, DWORD, WORD.
	m = run(t, &c, step{"readJob4", true}, step{"readAck4", false})
	r = m.VarResults()
	var got []Value
	for r.Next() {
		vals := r.VarResult().Values()
		for vals.Next() {
			got = append(got, vals.Value())
		}
	}
	require.Len(t, got, 4)
	assert.Equal(t, ValueBool, got[0].Kind)
	assert.Equal(t, int64(1), got[0].Int)
	assert.Equal(t, ValueReal, got[1].Kind)
	assert.Equal(t, float64(math.Float32frombits(0xaabbccdd)), got[1].Float)
	assert.Equal(t, ValueDWord, got[2].Kind)
	assert.Equal(t, int64(0xfeadbeef), got[2].Int)
	assert.Equal(t, ValueWord, got[3].Kind)
	assert.Equal(t, int64(0xbabe), got[3].Int)
}

func TestConnWriteContext(t *testing.T) {
	var c Conn
	m := run(t, &c, step{"writeReal", true}, step{"writeRealAck", false})
	r := m.VarResults()
	require.True(t, r.Next())
	v := r.VarResult()
	assert.True(t, v.Answered)
	assert.Equal(t, ReturnSuccess, v.ReturnCode)
	assert.Equal(t, AreaFlags, v.Item.Area)
	off, _ := v.Item.Byte()
	assert.Equal(t, uint32(16), off)
	vals := v.Values()
	require.True(t, vals.Next())
	assert.Equal(t, ValueReal, vals.Value().Kind)
	assert.Equal(t, float64(math.Float32frombits(0x79e9f642)), vals.Value().Float)
	assert.False(t, r.Next())

	m = run(t, &c, step{"writeJob5", true}, step{"writeAck5", false})
	r = m.VarResults()
	var codes []ReturnCode
	var areas []Area
	for r.Next() {
		v := r.VarResult()
		codes = append(codes, v.ReturnCode)
		areas = append(areas, v.Item.Area)
		assert.NotEmpty(t, v.Data.Value)
	}
	assert.Equal(t, []ReturnCode{0xff, 0xff, 0xff, 0x03, 0x03}, codes)
	assert.Equal(t, []Area{AreaFlags, AreaInputs, AreaOutputs, AreaTimer, AreaCounter}, areas)

	// An unanswered write still says what it wrote.
	run(t, &c, step{"writeReal", true})
	n := 0
	c.Flush(func(m *Message) bool {
		r := m.VarResults()
		for r.Next() {
			assert.False(t, r.VarResult().Answered)
			n++
		}
		return true
	})
	assert.Equal(t, 1, n)
}

func TestConnSZL(t *testing.T) {
	var c Conn
	m := run(t, &c, step{"szl424Req", true}, step{"szl424Resp", false})
	req, ok := m.SZLRequest()
	require.True(t, ok)
	assert.Equal(t, SZLRequest{ID: SZLCPUMode, Index: 0}, req)
	class, _ := m.Request.Class()
	assert.Equal(t, ClassDiagnostics, class)
	_, resp, _, ok := m.Frame.PDU.ReadSZL()
	require.True(t, ok)
	rec, ok := resp.Records().At(0)
	require.True(t, ok)
	mode, ok := ParseCPUMode(rec)
	require.True(t, ok)
	assert.Equal(t, CPURun, mode.Requested)
	assert.True(t, mode.Requested.Running())
	assert.Equal(t, CPUState(0), mode.Previous)
	assert.Equal(t, uint16(0x5144), mode.Event)

	// A component identification in two data units: the follow-up request
	// carries the first request's SZL id to the last data unit.
	m = run(t, &c, step{"szl1cReq", true}, step{"szl1cFrag1", false})
	assert.True(t, m.Paired)
	ud, _ := m.Frame.PDU.UserdataData()
	assert.True(t, ud.Fragment)
	_, _, _, ok = m.Frame.PDU.ReadSZL()
	assert.False(t, ok, "a first data unit is not decoded")
	m = run(t, &c, step{"szl1cNext", true}, step{"szl1cFrag2", false})
	require.True(t, m.Paired)
	req, ok = m.SZLRequest()
	require.True(t, ok)
	assert.Equal(t, SZLRequest{ID: SZLComponentID}, req)
	ud, ok = m.Frame.PDU.UserdataData()
	require.True(t, ok)
	assert.True(t, ud.Reassembled)
	assert.Equal(t, 2, ud.Fragments)
	assert.Len(t, ud.Payload, 348)
	_, resp, isResp, ok := m.Frame.PDU.ReadSZL()
	require.True(t, ok)
	assert.True(t, isResp)
	assert.Equal(t, SZLComponentID, resp.ID)
	texts := map[uint16]string{}
	for _, rec := range resp.Records().All {
		c, ok := ParseComponentID(rec)
		require.True(t, ok)
		texts[c.Index] = string(c.Text)
		if c.Index == CompManufacturer {
			assert.Equal(t, uint16(0x002a), c.Manufacturer)
		}
	}
	assert.Equal(t, "S7300/ET200M station_1", texts[CompPLCName])
	assert.Equal(t, "PLC_1", texts[CompModuleName])
	assert.Equal(t, "Original Siemens Equipment", texts[CompCopyright])
	assert.Equal(t, "S C-B1U393142011", texts[CompSerialNumber])
	assert.Equal(t, "CPU 315-2 PN/DP", texts[CompModuleTypeName])
	assert.Equal(t, "MMC 4A1AC019", texts[CompMemCardSerial])
	assert.Len(t, texts, 10)
	assert.Equal(t, uint64(1), c.Stats().Reassembled)

	// Without a Conn the last data unit alone is not reassembled.
	f, _, err := Parse(sample("szl1cFrag2"))
	require.NoError(t, err)
	ud, _ = f.PDU.UserdataData()
	assert.False(t, ud.Reassembled)
}

func TestConnProgrammerJob(t *testing.T) {
	var c Conn
	m := run(t, &c, step{"varStatReq", true}, step{"varStatResp", false}, step{"enableJob", true},
		step{"enableJobResp", false}, step{"varStatPush", false})
	require.True(t, m.JobResult)
	assert.False(t, m.Paired)
	assert.Equal(t, int64(1000), m.RequestTime, "the job's request")
	r := m.TISResults()
	var got []TISResult
	for r.Next() {
		got = append(got, r.TISResult())
	}
	assert.NoError(t, r.Err())
	require.Len(t, got, 2)
	assert.Equal(t, VarAddr{Area: 1, Repetition: 6, DB: 0, Start: 0}, got[0].Addr)
	assert.Equal(t, []byte{0x41, 0x33, 0x85, 0x1f, 0xde, 0xad}, got[0].Data.Value)
	assert.Equal(t, VarAddr{Area: 0x11, Repetition: 1, DB: 0, Start: 8}, got[1].Addr)
	assert.Equal(t, []byte{0x02}, got[1].Data.Value)
	st := c.Stats()
	assert.Equal(t, uint64(1), st.Pushes)
	assert.Equal(t, uint64(1), st.JobResults)

	// Modify variable: the push's return codes with the job's values.
	m = run(t, &c, step{"modifyVar", true}, step{"modifyVarResp", false}, step{"modifyVarPush", false})
	require.True(t, m.JobResult)
	r = m.TISResults()
	n := 0
	for r.Next() {
		v := r.TISResult()
		assert.True(t, v.Answered)
		assert.Equal(t, ReturnSuccess, v.ReturnCode)
		assert.NotEmpty(t, v.Data.Value)
		n++
	}
	assert.Equal(t, 3, n)
	op, _ := m.Request.Operation()
	assert.Equal(t, OpProgrammerWrite, op)
	assert.Equal(t, ClassWrite, op.Class())

	// A push whose job is not known stays alone.
	var d Conn
	m = run(t, &d, step{"varStatPush", false})
	assert.False(t, m.JobResult)
	r = m.TISResults()
	assert.False(t, r.Next())
}

func TestConnCyclic(t *testing.T) {
	var c Conn
	m := run(t, &c, step{"cyclicSub", true}, step{"cyclicSubResp", false})
	require.True(t, m.Paired)
	r := m.VarResults()
	require.True(t, r.Next())
	assert.Equal(t, SyntaxDBRead, r.VarResult().Item.Syntax)
	vals := r.VarResult().Values()
	require.True(t, vals.Next())
	assert.Equal(t, ValueRaw, vals.Value().Kind, "a DBREAD item states no type")
	assert.Zero(t, vals.Anomalies())

	m = run(t, &c, step{"cyclicPush", false})
	require.True(t, m.JobResult)
	r = m.VarResults()
	require.True(t, r.Next())
	assert.Equal(t, ReturnSuccess, r.VarResult().ReturnCode)
	assert.False(t, r.Next())
}

func TestConnSession(t *testing.T) {
	var c Conn
	_, ok := c.Setup()
	assert.False(t, ok)
	_, _, ok = c.RackSlot()
	assert.False(t, ok)
	run(t, &c, step{"cotpCR", true}, step{"cotpCC", false}, step{"setupJob", true}, step{"setupAck", false})
	s, ok := c.Setup()
	require.True(t, ok)
	assert.Equal(t, uint16(240), s.PDULength)
	assert.Equal(t, uint16(1), s.MaxAmQCalling)
	calling, called, ok := c.TSAPs()
	require.True(t, ok)
	assert.Equal(t, TSAP{1, 0}, calling)
	assert.Equal(t, TSAP{1, 2}, called)
	rack, slot, ok := c.RackSlot()
	assert.True(t, ok)
	assert.Equal(t, [2]uint8{0, 2}, [2]uint8{rack, slot})
	_, ok = c.Plus()
	assert.False(t, ok)

	run(t, &c, step{"plusReq", true}, step{"plusResp", false}, step{"plusV3", true})
	p, ok := c.Plus()
	require.True(t, ok)
	assert.Equal(t, PlusInfo{Version: PlusV3, PDUs: 3, Digest: true}, p)

	// Reset forgets all of it and keeps the buffers.
	store := c.store
	c.Reset()
	assert.Equal(t, ConnStats{}, c.Stats())
	_, ok = c.Setup()
	assert.False(t, ok)
	_, _, ok = c.TSAPs()
	assert.False(t, ok)
	assert.Same(t, store, c.store)

	// The fixed part stays small.
	assert.Less(t, int(unsafe.Sizeof(Conn{})), 2600)
	t.Logf("unsafe.Sizeof(Conn{}) = %d", unsafe.Sizeof(Conn{}))
}

func TestConnCOTPReassembly(t *testing.T) {
	// Cut a real read var response into three DT TPDUs; the second piece
	// starts with 0x32 so that it parses as a (bad) S7 PDU on its own.
	whole := sample("readAck4")
	s7 := whole[7:]
	var c Conn
	run(t, &c, step{"readJob4", true})
	parts := [][]byte{s7[:10], s7[10:30], s7[30:]}
	for i, p := range parts {
		eot := byte(0)
		if i == len(parts)-1 {
			eot = 0x80
		}
		n := 7 + len(p)
		pkt := append([]byte{3, 0, byte(n >> 8), byte(n), 2, 0xf0, eot}, p...)
		m, err := c.Decode(pkt, false, 9)
		require.NoError(t, err)
		if i < len(parts)-1 {
			assert.Equal(t, KindFragment, m.Frame.Kind)
			continue
		}
		require.Equal(t, KindS7, m.Frame.Kind)
		assert.True(t, m.Paired)
		r := m.VarResults()
		cnt := 0
		for r.Next() {
			cnt++
		}
		assert.Equal(t, 4, cnt)
	}
	// A last piece that alone looks like a short S7 PDU.
	run(t, &c, step{"readJob4", true})
	parts = [][]byte{s7[:40], s7[40:]}
	parts[1] = append([]byte{}, parts[1]...)
	for i, p := range parts {
		eot := byte(0)
		if i == 1 {
			eot = 0x80
			p[0] = 0x32
		}
		n := 7 + len(p)
		pkt := append([]byte{3, 0, byte(n >> 8), byte(n), 2, 0xf0, eot}, p...)
		m, err := c.Decode(pkt, false, 9)
		if i == 1 {
			require.NoError(t, err, "the piece's own error is not the message's")
			assert.Equal(t, KindS7, m.Frame.Kind)
		}
	}

	// Overflow is reported and drops the message.
	big := make([]byte, 7+4000)
	copy(big, []byte{3, 0, byte(len(big) >> 8), byte(len(big)), 2, 0xf0, 0, ProtocolS7})
	for i := 0; i < 3; i++ {
		_, err := c.Decode(big, true, 0)
		require.NoError(t, err)
	}
	big[6] = 0x80
	m, err := c.Decode(big, true, 0)
	assert.ErrorIs(t, err, ErrOverflow)
	assert.Equal(t, KindNone, m.Frame.Kind)

	// A gap drops a partial message.
	big[6] = 0
	c.Decode(big, true, 0)
	dropped := c.Stats().Dropped
	c.Gap(true)
	assert.Equal(t, dropped+1, c.Stats().Dropped)
	m, err = c.Decode(sample("readJob1"), true, 0)
	assert.NoError(t, err)
	assert.Equal(t, KindS7, m.Frame.Kind)
}

// TestConnCOTPContinuation: after a gap (or at a capture that starts in the
// middle of a message), DT fragments that continue a message whose start
// was not seen are not joined into one: each is dropped and flagged, the
// last one is decoded alone, and the next message is joined whole.
func TestConnCOTPContinuation(t *testing.T) {
	s7 := sample("readJob4")[7:]
	dt := func(p []byte, eot bool) []byte {
		n := 7 + len(p)
		pkt := []byte{3, 0, byte(n >> 8), byte(n), 2, 0xf0, 0}
		if eot {
			pkt[6] = 0x80
		}
		return append(pkt, p...)
	}
	var c Conn
	c.Gap(true)
	for _, p := range [][]byte{s7[10:30], s7[30:50]} {
		m, err := c.Decode(dt(p, false), true, 0)
		require.NoError(t, err)
		assert.Equal(t, KindFragment, m.Frame.Kind)
		assert.True(t, m.Anomalies.Has(AnomalyFragment))
	}
	m, err := c.Decode(dt(s7[50:], true), true, 0)
	require.NoError(t, err)
	assert.Equal(t, KindOther, m.Frame.Kind, "the tail alone is no S7 PDU")
	assert.Equal(t, uint64(2), c.Stats().Dropped)
	assert.Zero(t, c.Stats().Reassembled)

	// The next message, in three fragments, is joined.
	for i, p := range [][]byte{s7[:10], s7[10:30], s7[30:]} {
		m, err := c.Decode(dt(p, i == 2), true, 0)
		require.NoError(t, err)
		assert.False(t, m.Anomalies.Has(AnomalyFragment))
		if i == 2 {
			assert.Equal(t, KindS7, m.Frame.Kind)
			n, _ := m.Frame.PDU.ItemCount()
			assert.Equal(t, 4, n)
		}
	}
	assert.Equal(t, uint64(1), c.Stats().Reassembled)
}

func TestMessageClone(t *testing.T) {
	var c Conn
	m := run(t, &c, step{"readTC", true}, step{"readTCAck", false})
	k := m.Clone()
	run(t, &c, step{"szl11Req", true}, step{"szl11Resp", false})
	assert.True(t, k.Paired)
	r := k.VarResults()
	n := 0
	for r.Next() {
		n++
	}
	assert.Equal(t, 5, n)
}
