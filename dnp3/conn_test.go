package dnp3

import (
	"bytes"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// More real frames (see testdata/README.md).
const (
	// iti-dnp3-direct_operate_no_ack_crob.pcap frame 1.
	hexDirectNoAck = "05641ac404000300c2e6d0ce060c012801000100030164000000e0966400000000005b"
	// iti-dnp3-auth_control_challenge_response.pcap frames 1-4: a direct
	// operate (seq 6), the outstation's challenge (g120v1, authenticate
	// response), the master's reply (g120v2, authenticate request) and
	// the response to the direct operate.
	hexAuthOperate   = "05641ac404000300c2e6c7c6050c0128010001000301640000003b7f6400000000005b"
	hexAuthChallenge = "05641c440300040064bdc7c683900078015b010c0003000000009287000401737465768d5c"
	hexAuthReply     = "056424c404000300849ec8c62078025b01160003000000010006c295fae1911a2cce2dda8abfece1cac8c414f5"
	hexAuthResp      = "05641c440300040064bdc8c68190000c01280100010003016400550a00006400000000005b"
)

// appFrame builds a link frame from master 1 to outstation 10 (or back,
// when !toServer) carrying one transport segment: tr is the transport
// octet, app the application bytes.
func appFrame(toServer bool, tr byte, app ...byte) []byte {
	ctl, dst, src := Control(0xC4), uint16(10), uint16(1)
	if !toServer {
		ctl, dst, src = 0x44, 1, 10
	}
	return AppendLinkFrame(nil, ctl, dst, src, append([]byte{tr}, app...))
}

// step is one frame given to a Conn and what its Message must say.
type step struct {
	hex      string
	b        []byte
	toServer bool
	complete bool
	fn       FunctionCode
	paired   bool
	reqFunc  FunctionCode
	selected bool
	an       Anomaly
}

// stepBytes returns the frame of a step.
func stepBytes(t *testing.T, s step) []byte {
	if s.b != nil {
		return s.b
	}
	return unhex(t, s.hex)
}

func runSteps(t *testing.T, c *Conn, steps []step) {
	t.Helper()
	for i, s := range steps {
		b := stepBytes(t, s)
		m, err := c.Decode(b, s.toServer, int64(i+1))
		require.NoError(t, err, "step %d", i)
		assert.Equal(t, s.complete, m.Complete, "step %d complete", i)
		assert.Equal(t, s.an, m.Anomalies, "step %d anomalies %s", i, m.Anomalies)
		assert.Equal(t, s.toServer, m.ToServer)
		assert.Equal(t, int64(i+1), m.Time)
		if !m.Complete {
			continue
		}
		assert.Equal(t, s.fn, m.Fragment.Func, "step %d function", i)
		assert.Equal(t, s.paired, m.Paired, "step %d paired", i)
		assert.Equal(t, s.selected, m.Selected, "step %d selected", i)
		if s.paired {
			require.NotNil(t, m.Request)
			assert.Equal(t, s.reqFunc, m.Request.Func, "step %d request", i)
			assert.Less(t, m.RequestTime, m.Time)
		} else {
			assert.Nil(t, m.Request)
		}
	}
}

func TestConnPairing(t *testing.T) {
	// A select whose operate changes the on-time of the CROB.
	badOperate := unhex(t, hexOperate)
	f, _, err := Parse(badOperate)
	require.NoError(t, err)
	ud := bytes.Clone(f.UserData())
	ud[12]++ // the on-time
	badOperate = AppendLinkFrame(nil, f.Control, f.Dst, f.Src, ud)

	tests := []struct {
		name  string
		steps []step
		stats ConnStats
	}{
		{"read and a response in two segments", []step{
			{hex: hexReadClass, toServer: true, complete: true, fn: FuncRead},
			{hex: hexResp1},
			{hex: hexResp2, complete: true, fn: FuncResponse, paired: true, reqFunc: FuncRead},
		}, ConnStats{Frames: 3, Fragments: 2, Requests: 1, Responses: 1, Paired: 1}},
		{"select before operate", []step{
			{hex: hexSelect, toServer: true, complete: true, fn: FuncSelect},
			{hex: hexSelectResp, complete: true, fn: FuncResponse, paired: true, reqFunc: FuncSelect},
			{hex: hexOperate, toServer: true, complete: true, fn: FuncOperate, selected: true},
			{hex: hexOperResp, complete: true, fn: FuncResponse, paired: true, reqFunc: FuncOperate},
		}, ConnStats{Frames: 4, Fragments: 4, Requests: 2, Responses: 2, Paired: 2}},
		{"operate without select", []step{
			{hex: hexOperate, toServer: true, complete: true, fn: FuncOperate, an: AnomalyOperateWithoutSelect},
		}, ConnStats{Frames: 1, Fragments: 1, Requests: 1, Pending: 1}},
		{"operate with other objects than its select", []step{
			{hex: hexSelect, toServer: true, complete: true, fn: FuncSelect},
			{b: badOperate, toServer: true, complete: true, fn: FuncOperate, an: AnomalyOperateMismatch},
		}, ConnStats{Frames: 2, Fragments: 2, Requests: 2, Pending: 2}},
		{"unsolicited response and its confirm", []step{
			{hex: hexUnsol, complete: true, fn: FuncUnsolicitedResponse},
			{hex: hexConfirm, toServer: true, complete: true, fn: FuncConfirm},
		}, ConnStats{Frames: 2, Fragments: 2, Unsolicited: 1, Confirms: 1}},
		{"confirm of nothing", []step{
			{hex: hexConfirm, toServer: true, complete: true, fn: FuncConfirm, an: AnomalyUnmatchedConfirm},
		}, ConnStats{Frames: 1, Fragments: 1, Confirms: 1}},
		{"time synchronisation", []step{
			{hex: hexRecordTime, toServer: true, complete: true, fn: FuncRecordCurrentTime},
			{hex: hexRecordTimeResp, complete: true, fn: FuncResponse, paired: true, reqFunc: FuncRecordCurrentTime},
			{hex: hexWriteTime, toServer: true, complete: true, fn: FuncWrite},
			{hex: hexWriteTimeResp, complete: true, fn: FuncResponse, paired: true, reqFunc: FuncWrite},
		}, ConnStats{Frames: 4, Fragments: 4, Requests: 2, Responses: 2, Paired: 2}},
		{"direct operate no ack takes no response", []step{
			{hex: hexDirectNoAck, toServer: true, complete: true, fn: FuncDirectOperateNoAck},
		}, ConnStats{Frames: 1, Fragments: 1, Requests: 1}},
		{"response to a request that takes none", []step{
			{b: appFrame(true, 0xC0, 0xC2, 0x08, 0x14, 0x00, 0x06), toServer: true, complete: true, fn: FuncImmediateFreezeNoAck},
			{b: appFrame(false, 0xC0, 0xC2, 0x81, 0x00, 0x00), complete: true, fn: FuncResponse, an: AnomalyMismatchedResponse},
		}, ConnStats{Frames: 2, Fragments: 2, Requests: 1, Responses: 1, Mismatched: 1}},
		{"challenge of a critical request", []step{
			{hex: hexAuthOperate, toServer: true, complete: true, fn: FuncDirectOperate},
			{hex: hexAuthChallenge, complete: true, fn: FuncAuthenticateResponse, paired: true, reqFunc: FuncDirectOperate},
			{hex: hexAuthReply, toServer: true, complete: true, fn: FuncAuthenticateRequest},
			{hex: hexAuthResp, complete: true, fn: FuncResponse, paired: true, reqFunc: FuncDirectOperate},
		}, ConnStats{Frames: 4, Fragments: 4, Requests: 2, Responses: 2, Paired: 2}},
		{"response without request", []step{
			{hex: hexAnalog, complete: true, fn: FuncResponse, an: AnomalyUnmatchedResponse},
		}, ConnStats{Frames: 1, Fragments: 1, Responses: 1, Unmatched: 1}},
		{"plain response to an authentication request", []step{
			{b: appFrame(true, 0xC0, 0xC3, 0x20, 0x78, 0x04, 0x07, 0x01, 0x01, 0x00), toServer: true, complete: true, fn: FuncAuthenticateRequest},
			{b: appFrame(false, 0xC0, 0xC3, 0x81, 0x00, 0x00), complete: true, fn: FuncResponse, an: AnomalyMismatchedResponse},
		}, ConnStats{Frames: 2, Fragments: 2, Requests: 1, Responses: 1, Mismatched: 1}},
		{"request repeated while pending", []step{
			{hex: hexReadClass, toServer: true, complete: true, fn: FuncRead},
			{hex: hexReadClass, toServer: true, complete: true, fn: FuncRead, an: AnomalyDuplicateRequest},
		}, ConnStats{Frames: 2, Fragments: 2, Requests: 2, Unanswered: 1, Pending: 1}},
		{"sequence numbers jump", []step{
			{b: appFrame(true, 0xC0, 0xC0, 0x01, 0x3C, 0x01, 0x06), toServer: true, complete: true, fn: FuncRead},
			{b: appFrame(true, 0xC1, 0xC1, 0x01, 0x3C, 0x01, 0x06), toServer: true, complete: true, fn: FuncRead},
			{b: appFrame(true, 0xC2, 0xC5, 0x01, 0x3C, 0x01, 0x06), toServer: true, complete: true, fn: FuncRead, an: AnomalyAppSequence},
			{b: appFrame(false, 0xC0, 0xF3, 0x82, 0x00, 0x00), complete: true, fn: FuncUnsolicitedResponse},
			{b: appFrame(false, 0xC1, 0xF9, 0x82, 0x00, 0x00), complete: true, fn: FuncUnsolicitedResponse, an: AnomalyAppSequence},
		}, ConnStats{Frames: 5, Fragments: 5, Requests: 3, Unsolicited: 2, Pending: 3}},
		{"response in two fragments", []step{
			{b: appFrame(true, 0xC0, 0xC4, 0x01, 0x3C, 0x01, 0x06), toServer: true, complete: true, fn: FuncRead},
			// FIR, CON, seq 4; then FIN, seq 5.
			{b: appFrame(false, 0xC0, 0xA4, 0x81, 0x00, 0x00), complete: true, fn: FuncResponse, paired: true, reqFunc: FuncRead},
			{b: appFrame(true, 0xC1, 0xC4, 0x00), toServer: true, complete: true, fn: FuncConfirm},
			{b: appFrame(false, 0xC1, 0x45, 0x81, 0x00, 0x00), complete: true, fn: FuncResponse, paired: true, reqFunc: FuncRead},
		}, ConnStats{Frames: 4, Fragments: 4, Requests: 1, Responses: 2, Confirms: 1, Paired: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c Conn
			runSteps(t, &c, tc.steps)
			assert.Equal(t, tc.stats, c.Stats())
		})
	}
}

// TestConnRequestContext checks what a response gets from its request.
func TestConnRequestContext(t *testing.T) {
	var c Conn
	_, err := c.Decode(unhex(t, hexReadClass), true, 100)
	require.NoError(t, err)
	c.Decode(unhex(t, hexResp1), false, 150)
	m, err := c.Decode(unhex(t, hexResp2), false, 200)
	require.NoError(t, err)
	require.True(t, m.Paired)
	r := m.Request
	assert.Equal(t, int64(100), m.RequestTime)
	assert.Equal(t, uint16(1), r.Master)
	assert.Equal(t, uint16(10), r.Outstation)
	assert.Equal(t, uint8(0), r.Seq())
	assert.Equal(t, OpRead, r.Operation())
	assert.False(t, r.Truncated())
	var types []ObjectType
	objs := r.Objects()
	for objs.Next() {
		h := objs.Object()
		types = append(types, h.Type())
	}
	require.NoError(t, objs.Err())
	assert.Equal(t, []ObjectType{0x3c02, 0x3c03, 0x3c04, 0x3c01}, types)
	// The response, reassembled from two segments, as Wireshark does.
	assert.Len(t, m.Fragment.Body, 265)
	var points int
	objs = m.Fragment.Objects()
	for objs.Next() {
		pts := objs.Points()
		for pts.Next() {
			points++
		}
	}
	require.NoError(t, objs.Err())
	assert.Equal(t, 70, points)

	// A request longer than MaxRequestBody keeps its first octets.
	long := []byte{0xC0, 0x02, 0x6E, 0x3C, 0x07, 0x01}
	long = append(long, bytes.Repeat([]byte{'x'}, 60)...)
	m, err = c.Decode(appFrame(true, 0xC0, long...), true, 300)
	require.NoError(t, err)
	require.True(t, m.Complete)
	m, err = c.Decode(appFrame(false, 0xC0, 0xC0, 0x81, 0x00, 0x00), false, 400)
	require.NoError(t, err)
	require.True(t, m.Paired)
	assert.True(t, m.Request.Truncated())
	assert.Len(t, m.Request.Body(), MaxRequestBody)
	objs = m.Request.Objects()
	require.True(t, objs.Next())
	assert.Equal(t, ObjectType(0x6e3c), objs.Object().Type())
	assert.True(t, objs.Object().Truncated)
}

func TestConnTransport(t *testing.T) {
	seg := func(tr byte, toServer bool, app ...byte) []byte { return appFrame(toServer, tr, app...) }
	tests := []struct {
		name  string
		steps []step
	}{
		{"segment without FIR", []step{
			{b: seg(0x81, false, 1, 2)},
			{b: seg(0x42, false, 0xC0, 0x81), an: 0}, // FIR, seq 2
			{b: seg(0x82, false, 0x00, 0x00), an: AnomalyDuplicateSegment},
			{b: seg(0x83, false, 0x00, 0x00), complete: true, fn: FuncResponse, an: AnomalyUnmatchedResponse},
		}},
		{"sequence gap", []step{
			{b: seg(0x45, false, 0xC0, 0x81)},
			{b: seg(0x87, false, 0x00, 0x00), an: AnomalySegmentSequence},
		}},
		{"FIR while in progress", []step{
			{b: seg(0x45, false, 0xC0, 0x81)},
			{b: seg(0xC9, false, 0xC0, 0x81, 0x00, 0x00), complete: true, fn: FuncResponse, an: AnomalyFragmentRestart | AnomalyUnmatchedResponse},
		}},
		{"sequence wraps from 63 to 0", []step{
			{b: seg(0x7F, false, 0xC0, 0x81)},
			{b: seg(0x80, false, 0x00, 0x00), complete: true, fn: FuncResponse, an: AnomalyUnmatchedResponse},
		}},
	}
	tests[0].steps[0].an = AnomalyMissingFIR
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c Conn
			runSteps(t, &c, tc.steps)
		})
	}

	// A fragment past MaxFragmentLen is dropped.
	var c Conn
	payload := bytes.Repeat([]byte{0}, MaxUserData-1)
	m, _ := c.Decode(seg(0x40, false, payload...), false, 0)
	require.False(t, m.Complete)
	var an Anomaly
	for i := 1; an == 0 && i < 100; i++ {
		m, _ = c.Decode(seg(byte(i&0x3F), false, payload...), false, 0)
		an = m.Anomalies
	}
	assert.Equal(t, AnomalyFragmentOverflow, an)

	// A gap drops the fragment in progress of its direction only; the
	// rest of that fragment is dropped without an anomaly.
	c.Reset()
	c.Decode(unhex(t, hexResp1), false, 0)
	c.Decode(seg(0x45, true, 0xC0, 0x01), true, 0)
	c.Gap(false)
	m, _ = c.Decode(unhex(t, hexResp2), false, 0)
	assert.False(t, m.Complete)
	assert.Zero(t, m.Anomalies)
	m, _ = c.Decode(seg(0x86, true, 0x3C, 0x01, 0x06), true, 0)
	assert.True(t, m.Complete)
}

// TestConnGap checks what a Conn makes of the frames after a gap: each case
// runs with and without the gap, and the anomalies the lost bytes explain
// are flagged only without it.
func TestConnGap(t *testing.T) {
	read := func(seq byte) []byte { return appFrame(true, 0xC0, 0xC0|seq, 0x01, 0x3C, 0x01, 0x06) }
	resp := func(seq byte) []byte { return appFrame(false, 0xC0, 0xC0|seq, 0x81, 0x00, 0x00) }
	tests := []struct {
		name string
		// steps run in order; the gap, when set, comes before step at.
		steps []step
		at    int
		// without are the anomalies of step at without the gap.
		without Anomaly
	}{
		{"a request lost: the next one's sequence number", []step{
			{b: read(0), toServer: true, complete: true, fn: FuncRead},
			{b: resp(0), complete: true, fn: FuncResponse, paired: true, reqFunc: FuncRead},
			{b: read(2), toServer: true, complete: true, fn: FuncRead},
			{b: resp(2), complete: true, fn: FuncResponse, paired: true, reqFunc: FuncRead},
			{b: read(4), toServer: true, complete: true, fn: FuncRead, an: AnomalyAppSequence},
		}, 2, AnomalyAppSequence},
		{"a select lost: its operate", []step{
			{b: read(15), toServer: true, complete: true, fn: FuncRead},
			{b: resp(15), complete: true, fn: FuncResponse, paired: true, reqFunc: FuncRead},
			{hex: hexOperate, toServer: true, complete: true, fn: FuncOperate},
		}, 2, AnomalyAppSequence | AnomalyOperateWithoutSelect},
		{"a select before the gap: its operate is checked", []step{
			{hex: hexSelect, toServer: true, complete: true, fn: FuncSelect},
			{hex: hexSelectResp, complete: true, fn: FuncResponse, paired: true, reqFunc: FuncSelect},
			{hex: hexOperate, toServer: true, complete: true, fn: FuncOperate, selected: true},
		}, 2, 0},
		{"an unsolicited response lost: the next one's sequence number", []step{
			{b: appFrame(false, 0xC0, 0xD0, 0x82, 0x00, 0x00), complete: true, fn: FuncUnsolicitedResponse},
			{b: appFrame(false, 0xC1, 0xD2, 0x82, 0x00, 0x00), complete: true, fn: FuncUnsolicitedResponse},
			{b: appFrame(false, 0xC2, 0xD3, 0x82, 0x00, 0x00), complete: true, fn: FuncUnsolicitedResponse},
		}, 1, AnomalyAppSequence},
		{"a gap from the outstation does not excuse the master", []step{
			{b: read(0), toServer: true, complete: true, fn: FuncRead},
			{b: resp(0), complete: true, fn: FuncResponse, paired: true, reqFunc: FuncRead},
			{b: resp(1), complete: true, fn: FuncResponse, an: AnomalyUnmatchedResponse},
			{b: read(3), toServer: true, complete: true, fn: FuncRead, an: AnomalyAppSequence},
		}, 2, AnomalyUnmatchedResponse},
		{"the first segment of a fragment lost", []step{
			{b: appFrame(false, 0xC0, 0xC0, 0x81, 0x00, 0x00), complete: true, fn: FuncResponse, an: AnomalyUnmatchedResponse},
			// Lost: 0x41, FIR and sequence number 1.
			{b: appFrame(false, 0x02, 0x01, 0x02)},
			{b: appFrame(false, 0x83, 0x01, 0x02)},
			{b: appFrame(false, 0xC4, 0xC1, 0x81, 0x00, 0x00), complete: true, fn: FuncResponse, an: AnomalyUnmatchedResponse},
			{b: appFrame(false, 0x85, 0x01, 0x02), an: AnomalyMissingFIR},
		}, 1, AnomalyMissingFIR},
		{"a pair first seen after the gap", []step{
			{hex: hexOperate, toServer: true, complete: true, fn: FuncOperate, an: AnomalyOperateWithoutSelect},
		}, 0, AnomalyOperateWithoutSelect},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c Conn
			runSteps(t, &c, tc.steps[:tc.at])
			c.Gap(tc.steps[tc.at].toServer)
			runSteps(t, &c, tc.steps[tc.at:])

			c.Reset()
			runSteps(t, &c, tc.steps[:tc.at])
			m, err := c.Decode(stepBytes(t, tc.steps[tc.at]), tc.steps[tc.at].toServer, 0)
			require.NoError(t, err)
			assert.Equal(t, tc.without, m.Anomalies, "without the gap: %s", m.Anomalies)
		})
	}
}

// TestConnLinks checks that fragments of several links reassemble at once,
// and that a fifth link takes the least recently used slot.
func TestConnLinks(t *testing.T) {
	var c Conn
	fr := func(src uint16, tr byte, app ...byte) []byte {
		return AppendLinkFrame(nil, 0x44, 1, src, append([]byte{tr}, app...))
	}
	for src := range uint16(5) {
		m, _ := c.Decode(fr(src+10, 0x40, 0xC0, 0x81), false, 0)
		assert.Zero(t, m.Anomalies)
	}
	m, _ := c.Decode(fr(10, 0x81, 0, 0), false, 0)
	assert.Equal(t, AnomalyMissingFIR, m.Anomalies)
	m, _ = c.Decode(fr(14, 0x81, 0, 0), false, 0)
	assert.True(t, m.Complete)
	assert.Equal(t, FuncResponse, m.Fragment.Func)
}

func TestConnErrors(t *testing.T) {
	var c Conn
	bad := unhex(t, hexReadClass)
	bad[12] ^= 0xFF
	m, err := c.Decode(bad, true, 0)
	assert.Equal(t, ErrCRC, err)
	require.NotNil(t, m)
	assert.Equal(t, uint16(1), m.Frame.Src)
	assert.False(t, m.Complete)
	m, err = c.Decode(appFrame(true, 0xC0, 0xC0), true, 0)
	assert.Equal(t, ErrLength, err)
	assert.True(t, m.Complete)
	m, err = c.Decode(appFrame(false, 0xC0, 0xC0, 0x81, 0x00), false, 0)
	assert.Equal(t, ErrTruncated, err)
	assert.Equal(t, FuncResponse, m.Fragment.Func)
	// Link frames without user data.
	m, err = c.Decode(unhex(t, "056405c903000400bd71"), true, 0)
	assert.NoError(t, err)
	assert.False(t, m.Complete)
	assert.Equal(t, ConnStats{Frames: 4, Errors: 3, Fragments: 2}, c.Stats())
}

func TestConnFlushAndReset(t *testing.T) {
	var c Conn
	for i := range 3 {
		seq := byte(i)
		_, err := c.Decode(appFrame(true, 0xC0|seq, 0xC0|seq, 0x01, 0x3C, 0x02, 0x06), true, int64(10+i))
		require.NoError(t, err)
	}
	assert.Equal(t, 3, c.Stats().Pending)
	var times []int64
	for m := range c.Flush {
		assert.True(t, m.Unanswered)
		assert.Equal(t, FuncRead, m.Request.Func)
		times = append(times, m.RequestTime)
	}
	assert.Equal(t, []int64{10, 11, 12}, times)
	s := c.Stats()
	assert.Equal(t, uint64(3), s.Unanswered)
	assert.Zero(t, s.Pending)

	// Reset forgets all but the reassembly buffers.
	c.Decode(unhex(t, hexResp1), false, 0)
	c.Decode(unhex(t, hexResp2), false, 0)
	buf := c.links[0].buf
	require.NotNil(t, buf)
	c.Reset()
	assert.Equal(t, ConnStats{}, c.Stats())
	assert.Equal(t, &buf[0], &c.links[0].buf[0])
	for range c.Flush {
		t.Fatal("flush after reset")
	}
}

// TestConnUnanswered drives a million requests that nobody answers through
// a Conn: the pending table stays within its bound, every request dropped
// is counted, and nothing is allocated.
func TestConnUnanswered(t *testing.T) {
	// Reads from three masters to two outstations, each pair's requests
	// counting its sequence numbers up.
	var frames [6][16][]byte
	for p := range frames {
		for seq := range frames[p] {
			app := []byte{0xC0 | byte(seq), 0xC0 | byte(seq), 0x01, 0x3C, 0x01, 0x06}
			frames[p][seq] = AppendLinkFrame(nil, 0xC4, uint16(10+p%2), uint16(1+p/2), app)
		}
	}
	const n = 1_000_000
	var c Conn
	var pendingMax int
	var anomalies Anomaly
	i := 0
	run := func(count int) {
		for range count {
			p := i % len(frames)
			m, err := c.Decode(frames[p][(i/len(frames))%16], true, int64(i))
			if err != nil || !m.Complete {
				t.Fatalf("request %d: %v", i, err)
			}
			anomalies |= m.Anomalies
			if s := c.Stats(); s.Pending > pendingMax {
				pendingMax = s.Pending
			}
			i++
		}
	}
	run(n)
	s := c.Stats()
	assert.LessOrEqual(t, pendingMax, MaxPending)
	assert.Equal(t, MaxPending, s.Pending)
	assert.Equal(t, uint64(n), s.Requests)
	assert.Equal(t, uint64(n-MaxPending), s.Unanswered)
	assert.Equal(t, uint64(n-MaxPending), s.Overflow)
	assert.Equal(t, AnomalyPendingOverflow, anomalies)
	// And on, without allocating.
	testkit.ZeroAllocs(t, []testkit.AllocCase{{Name: "10,000 more unanswered requests", Fn: func() { run(10_000) }}})
	total := uint64(i)
	assert.Equal(t, total-MaxPending, c.Stats().Unanswered)
	flushed := 0
	for range c.Flush {
		flushed++
	}
	assert.Equal(t, MaxPending, flushed)
	assert.Equal(t, total, c.Stats().Unanswered)
}

// TestConnSize keeps the size of a Conn, which a monitor keeps per flow,
// in check.
func TestConnSize(t *testing.T) {
	size := unsafe.Sizeof(Conn{})
	t.Logf("unsafe.Sizeof(Conn{}) = %d", size)
	assert.LessOrEqual(t, size, uintptr(1024))
}
