package modbus

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// step is one ADU fed to a Conn and what the Conn must make of it.
type step struct {
	adu       []byte
	toServer  bool
	paired    bool
	anomalies Anomaly
}

// TestConnPairing feeds sequences of real ADUs (and variations of them) to
// a Conn and checks pairing and the connection-level flags.
func TestConnPairing(t *testing.T) {
	fc1req := h("000100000006040100010001")  // icsnpp-modbus_example.pcap #4
	fc1resp := h("0001000000040401010d")     // #6
	fc3req := h("000600000006050300010008")  // #24
	fc3resp := adu(t, "fc3 resp 8 regs").adu // #26
	fc8req := adu(t, "fc8 req").adu          // arkime-modbus.pcap #8, tid 0 unit 10
	fc8ex := adu(t, "fc8 exception").adu     // suricata-modbus-modbus.pcap #9, same ids
	umasReq := adu(t, "fc90 umas take reservation").adu
	umasResp := adu(t, "fc90 umas ok").adu
	otherUnit := h("000100000004050101 0d") // fc1resp's tid, unit 5
	fc3RespTid1 := h("0001000000070403040009 0018")

	tests := []struct {
		name  string
		steps []step
		stats ConnStats
	}{
		{"read coils", []step{{fc1req, true, false, 0}, {fc1resp, false, true, 0}},
			ConnStats{Requests: 1, Responses: 1, Paired: 1}},
		{"exception answers its request", []step{{fc8req, true, false, 0}, {fc8ex, false, true, 0}},
			ConnStats{Requests: 1, Responses: 1, Paired: 1}},
		{"umas", []step{{umasReq, true, false, 0}, {umasResp, false, true, 0}},
			ConnStats{Requests: 1, Responses: 1, Paired: 1}},
		{"response without request", []step{{fc1resp, false, false, AnomalyUnmatchedResponse}},
			ConnStats{Responses: 1, Unmatched: 1}},
		{"answered twice", []step{{fc1req, true, false, 0}, {fc1resp, false, true, 0}, {fc1resp, false, false, AnomalyUnmatchedResponse}},
			ConnStats{Requests: 1, Responses: 2, Paired: 1, Unmatched: 1}},
		{"other unit", []step{{fc1req, true, false, 0}, {otherUnit, false, false, AnomalyUnmatchedResponse}},
			ConnStats{Requests: 1, Responses: 1, Unmatched: 1, Pending: 1}},
		{"function does not answer", []step{{fc1req, true, false, 0}, {fc3RespTid1, false, false, AnomalyMismatchedResponse}, {fc1resp, false, true, 0}},
			ConnStats{Requests: 1, Responses: 2, Paired: 1, Mismatched: 1}},
		{"two in flight", []step{{fc1req, true, false, 0}, {fc3req, true, false, 0}, {fc3resp, false, true, 0}, {fc1resp, false, true, 0}},
			ConnStats{Requests: 2, Responses: 2, Paired: 2}},
		{"duplicate request", []step{{fc1req, true, false, 0}, {fc1req, true, false, AnomalyDuplicateRequest}, {fc1resp, false, true, 0}},
			ConnStats{Requests: 2, Responses: 1, Paired: 1, Duplicate: 1, Pending: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Conn
			for i, s := range tt.steps {
				m, err := c.Decode(s.adu, s.toServer, int64(i))
				require.NoError(t, err)
				assert.Equal(t, s.paired, m.Paired, "step %d", i)
				assert.Equal(t, s.anomalies, m.Anomalies, "step %d: %s", i, m.Anomalies)
				if m.Paired {
					assert.Equal(t, m.Frame.TransactionID, m.Request.TransactionID)
					assert.Equal(t, m.Frame.UnitID, m.Request.UnitID)
					assert.Equal(t, m.Frame.Function, m.Request.Function)
					assert.Equal(t, Request, m.Request.Dir)
					assert.Less(t, m.RequestTime, m.Time)
				} else {
					assert.Zero(t, m.Request)
				}
			}
			assert.Equal(t, tt.stats, c.Stats())
		})
	}
}

// TestConnContext: a paired response is decoded in its request's context
// (bits cut to the quantity and numbered from the start, registers numbered
// from the start, file records named), an unpaired or mismatched one is not.
func TestConnContext(t *testing.T) {
	var c Conn
	// icsnpp-modbus_example.pcap frames 4 and 6: Read Coils for 1 coil at 1.
	c.Decode(h("000100000006040100010001"), true, 0)
	m, _ := c.Decode(h("0001000000040401010d"), false, 1)
	bits, ok := m.Bits()
	require.True(t, ok)
	assert.Equal(t, 1, bits.Len())
	assert.Equal(t, uint16(1), bits.Start())
	r, ok := m.Range()
	assert.True(t, ok)
	assert.Equal(t, Range{Start: 1, Quantity: 1}, r)

	// Frames 24 and 26: Read Holding Registers, 8 at address 1.
	c.Decode(h("000600000006050300010008"), true, 2)
	m, _ = c.Decode(adu(t, "fc3 resp 8 regs").adu, false, 3)
	regs, ok := m.Registers()
	require.True(t, ok)
	assert.Equal(t, 8, regs.Len())
	assert.Equal(t, uint16(1), regs.Start())

	// Read/Write Multiple Registers (frames 84 and 86): numbered from the
	// read start; the request's writes from the write start.
	m, _ = c.Decode(adu(t, "fc23 req").adu, true, 4)
	regs, _ = m.Registers()
	assert.Equal(t, uint16(2), regs.Start())
	m, _ = c.Decode(adu(t, "fc23 resp").adu, false, 5)
	regs, _ = m.Registers()
	assert.Equal(t, uint16(1), regs.Start())

	// Unpaired: every bit of the byte, from 0.
	m, _ = c.Decode(h("0001000000040401010d"), false, 6)
	bits, _ = m.Bits()
	assert.Equal(t, 8, bits.Len())
	assert.Equal(t, uint16(0), bits.Start())
	_, ok = m.Range()
	assert.False(t, ok)

	// Mismatched: a Read Holding Registers request answered by a Read
	// Input Registers response is not read in its context.
	c.Decode(h("000700000006050300100002"), true, 7)
	m, _ = c.Decode(h("000700000007050404 00010002"), false, 8)
	assert.True(t, m.Anomalies.Has(AnomalyMismatchedResponse))
	regs, _ = m.Registers()
	assert.Equal(t, uint16(0), regs.Start())
	assert.Equal(t, 1, c.Stats().Pending)

	// Read File Record: the response's records take file and record from
	// the request's sub-requests (the specification's example).
	c.Reset()
	c.Decode(h("0001000000110114 0e 06000400010002 06000300090002"), true, 0)
	m, _ = c.Decode(h("000100000 00f0114 0c 05060dfe0020 050633cd0040"), false, 1)
	recs, ok := m.FileRecords()
	require.True(t, ok)
	var got []FileRecord
	for recs.Next() {
		got = append(got, recs.FileRecord())
	}
	require.NoError(t, recs.Err())
	assert.Equal(t, []FileRecord{
		{RefType: 6, File: 4, Record: 1, Length: 2, Data: h("0dfe0020")},
		{RefType: 6, File: 3, Record: 9, Length: 2, Data: h("33cd0040")},
	}, got)
}

// TestConnLongRequest: a request longer than an entry's inline bytes is
// kept whole in the overflow table and gives its context to the response.
func TestConnLongRequest(t *testing.T) {
	var c Conn
	// Write Multiple Registers of 40 registers.
	req := h("000e00000057" + "07100001002850" + repeat("00aa", 40))
	m, err := c.Decode(req, true, 0)
	require.NoError(t, err)
	regs, _ := m.Registers()
	assert.Equal(t, 40, regs.Len())
	resp := h("000e00000006071000010028")
	m, err = c.Decode(resp, false, 1)
	require.NoError(t, err)
	require.True(t, m.Paired)
	w, ok := m.Request.WriteMultipleRegisters()
	require.True(t, ok)
	assert.Equal(t, 40, w.Values.Len())
	assert.Equal(t, req[7:], m.Request.PDU)
	c.Reset()
	assert.NotNil(t, c.long, "Reset keeps the overflow table")
	assert.Equal(t, ConnStats{}, c.Stats())
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

// TestConnFlush: Flush yields the pending requests oldest first, marks
// them unanswered and counts them, also when yield stops early.
func TestConnFlush(t *testing.T) {
	var c Conn
	for tid := range 5 {
		b := h("000000000006010300000001")
		b[1] = byte(tid)
		c.Decode(b, true, int64(tid))
	}
	var tids []uint16
	c.Flush(func(m *Message) bool {
		assert.True(t, m.Unanswered)
		assert.True(t, m.ToServer)
		assert.Equal(t, int64(m.Frame.TransactionID), m.Time)
		r, ok := m.Frame.ReadRequest()
		assert.True(t, ok)
		assert.Equal(t, Range{Start: 0, Quantity: 1}, r)
		tids = append(tids, m.Frame.TransactionID)
		return len(tids) < 3
	})
	assert.Equal(t, []uint16{0, 1, 2}, tids)
	s := c.Stats()
	assert.Equal(t, 0, s.Pending)
	assert.Equal(t, uint64(5), s.Unanswered)
}

// TestConnOverflow: a seventeenth request drops the oldest.
func TestConnOverflow(t *testing.T) {
	var c Conn
	var last *Message
	for tid := range MaxPending + 1 {
		b := h("000000000006010300000001")
		b[0], b[1] = byte(tid>>8), byte(tid)
		last, _ = c.Decode(b, true, int64(tid))
	}
	assert.Equal(t, AnomalyPendingOverflow, last.Anomalies)
	s := c.Stats()
	assert.Equal(t, MaxPending, s.Pending)
	assert.Equal(t, uint64(1), s.Overflow)
	assert.Equal(t, uint64(1), s.Unanswered)
	// The oldest (tid 0) is gone: its response is unmatched.
	m, _ := c.Decode(h("00000000000501030200 01"), false, 100)
	assert.Equal(t, AnomalyUnmatchedResponse, m.Anomalies)
	// tid 1 is still there.
	m, _ = c.Decode(h("00010000000501030200 01"), false, 101)
	assert.True(t, m.Paired)
}

// TestConnMillionUnanswered drives 1,000,000 requests that never get an
// answer through one Conn: the table stays within MaxPending, every
// dropped request is counted as overflow and unanswered, and nothing is
// allocated.
func TestConnMillionUnanswered(t *testing.T) {
	const n = 1_000_000
	var c Conn
	b := h("000000000006010300000001")
	long := h("000e00000057" + "07100001002850" + repeat("00aa", 40))
	c.Decode(long, true, 0) // the overflow table exists from here on
	c.Reset()
	allocs := testing.AllocsPerRun(1, func() {
		for i := range n {
			p := b
			if i%7 == 0 {
				p = long
			}
			p[0], p[1] = byte(i>>8), byte(i)
			p[6] = byte(i >> 16)
			if _, err := c.Decode(p, true, int64(i)); err != nil {
				t.Fatal(err)
			}
			if c.Stats().Pending > MaxPending {
				t.Fatalf("request %d: %d pending", i, c.Stats().Pending)
			}
		}
	})
	// AllocsPerRun runs the function twice (a warm-up and the measured
	// run): 2,000,000 requests in all.
	s := c.Stats()
	assert.Zero(t, allocs)
	assert.Equal(t, MaxPending, s.Pending)
	assert.Equal(t, uint64(2*n), s.Requests)
	assert.Equal(t, uint64(2*n-MaxPending), s.Overflow)
	assert.Equal(t, s.Overflow, s.Unanswered)
	c.Flush(nil)
	assert.Equal(t, uint64(2*n), c.Stats().Unanswered)
	assert.Zero(t, c.Stats().Pending)
}

// TestConnSize documents the size of a Conn (see the package doc).
func TestConnSize(t *testing.T) {
	size := unsafe.Sizeof(Conn{})
	t.Logf("unsafe.Sizeof(Conn{}) = %d", size)
	if unsafe.Sizeof(uintptr(0)) == 8 {
		assert.Equal(t, uintptr(1328), size, "update the Conn and package docs")
	}
}

// TestConnErrors: malformed ADUs still go through the Conn: a request
// with a function code is remembered, the error is returned with the
// Message, and a truncated ADU is counted.
func TestConnErrors(t *testing.T) {
	var c Conn
	m, err := c.Decode(h("0001000000040a030005"), true, 0) // no quantity
	assert.Equal(t, ErrLength, err)
	assert.Equal(t, ReadHoldingRegisters, m.Frame.Function)
	m, err = c.Decode(h("0001000000030a8302"), false, 1) // its exception
	assert.NoError(t, err)
	assert.True(t, m.Paired)
	m, err = c.Decode(h("0002000000060a"), true, 2) // cut short
	assert.Equal(t, ErrTruncated, err)
	assert.Equal(t, uint16(2), m.Frame.TransactionID)
	m, _ = c.Decode(append(h("000300000006 0a 03 0000 0001"), 0xff), true, 3) // a byte after the ADU
	assert.True(t, m.Frame.Anomalies.Has(AnomalyLength))
	assert.Equal(t, uint64(2), c.Stats().Errors)
}

// TestMessageClone: a clone survives the Conn's next call.
func TestMessageClone(t *testing.T) {
	var c Conn
	c.Decode(h("000600000006050300010008"), true, 0)
	m, _ := c.Decode(adu(t, "fc3 resp 8 regs").adu, false, 1)
	k := m.Clone()
	c.Decode(h("000700000006050300090001"), true, 2)
	c.Decode(h("0007000000050503020001"), false, 3)
	regs, _ := k.Registers()
	assert.Equal(t, 8, regs.Len())
	assert.Equal(t, uint16(1), regs.Start())
}
