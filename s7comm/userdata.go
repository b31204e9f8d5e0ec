package s7comm

import (
	"time"

	"github.com/icsdissect/icsdissect/internal/wire"
)

// UserdataParam is the parameter head of a userdata PDU.
type UserdataParam struct {
	// Head is the three-byte parameter head (0x000112).
	Head uint32
	// Len is the length of the rest of the parameter (4 or 8).
	Len uint8
	// Method is 0x11 (request) or 0x12 (response, with the data unit
	// fields).
	Method  uint8
	Type    UDType
	Group   FuncGroup
	Subfunc uint8
	Seq     uint8
	// HasDataUnit is true when Method is 0x12: DataUnitRef, LastDataUnit
	// and ErrorCode are present.
	HasDataUnit  bool
	DataUnitRef  uint8
	LastDataUnit uint8
	ErrorCode    uint16
}

// More reports whether more fragments follow (LastDataUnit is not 0).
func (u UserdataParam) More() bool { return u.HasDataUnit && u.LastDataUnit != 0 }

// Userdata returns the userdata parameter head. It does not allocate.
func (p *PDU) Userdata() (UserdataParam, bool) {
	var u UserdataParam
	if p.ROSCTR != Userdata {
		return u, false
	}
	b := p.Param
	if len(b) < 8 {
		// The fields read before the head ran out.
		if len(b) >= 4 {
			u.Len = b[3]
		}
		if len(b) >= 5 {
			u.Method = b[4]
		}
		if len(b) >= 7 {
			u.Subfunc = b[6]
		}
		return u, false
	}
	u.Head = uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2])
	u.Len, u.Method, u.Subfunc, u.Seq = b[3], b[4], b[6], b[7]
	u.Type, u.Group = UDType(b[5]>>4), FuncGroup(b[5]&0x0f)
	if u.Method == 0x12 {
		if len(b) >= 12 {
			u.DataUnitRef, u.LastDataUnit, u.ErrorCode = b[8], b[9], wire.BE16(b[10:])
			u.HasDataUnit = true
		} else {
			if len(b) >= 9 {
				u.DataUnitRef = b[8]
			}
			if len(b) >= 10 {
				u.LastDataUnit = b[9]
			}
		}
	}
	return u, true
}

// UserdataData is the data part of a userdata PDU: a return code, a
// transport size, a length and the payload.
type UserdataData struct {
	ReturnCode ReturnCode
	Size       DataSize
	Length     uint16
	// Payload is the data after the four-byte head, cut to Length. After
	// reassembly by a [Conn] it is the whole reassembled payload.
	Payload []byte
	// Fragment is true for a non-final fragment: the payload is only a
	// piece and is not decoded further.
	Fragment bool
	// Reassembled is true when Payload joins several fragments; Fragments
	// counts them.
	Reassembled bool
	Fragments   int
}

// UserdataData returns the userdata data part. It does not allocate.
func (p *PDU) UserdataData() (UserdataData, bool) {
	var d UserdataData
	if p.ROSCTR != Userdata {
		return d, false
	}
	b := p.Data
	if len(b) < 4 {
		return d, false
	}
	d.ReturnCode, d.Size, d.Length = ReturnCode(b[0]), DataSize(b[1]), wire.BE16(b[2:])
	if rest, n := b[4:], int(d.Length); n <= len(rest) {
		d.Payload = rest[:n:n]
	} else {
		d.Payload = rest
	}
	switch p.udState {
	case udFragment:
		d.Fragment = true
	case udReassembled:
		d.Payload = p.ud
		d.Reassembled = true
		d.Fragments = int(p.udFrags)
	}
	return d, true
}

// decodable reports whether Wireshark would decode the payload further:
// the last data unit of a message with at least two payload bytes.
func (d UserdataData) decodable(u UserdataParam) bool {
	return !d.Fragment && !u.More() && d.Length >= 2 && len(d.Payload) > 0
}

// SZLRequest is the SZL id and index of a read-SZL request.
type SZLRequest struct {
	ID    uint16
	Index uint16
}

// SZL is a read-SZL response: the list id and index, record length and
// count, and the records. Walk them with Records.
type SZL struct {
	ID          uint16
	Index       uint16
	RecordLen   uint16
	RecordCount uint16
	// HasCounts is false when the response ends after the id and index.
	HasCounts bool
	// Data holds the records, RecordLen bytes each.
	Data []byte
}

// ReadSZL returns the SZL request (Type request) or the response head
// and records of a CPU-functions read-SZL userdata PDU. For a request only
// req is set. It does not allocate.
func (p *PDU) ReadSZL() (req SZLRequest, resp SZL, isResp bool, ok bool) {
	u, ok1 := p.Userdata()
	d, ok2 := p.UserdataData()
	if !ok1 || !ok2 || u.Group != GroupCPU || u.Subfunc != SubReadSZL || !d.decodable(u) {
		return req, resp, false, false
	}
	r := wire.Reader(d.Payload)
	if !(r.U16(&req.ID) && r.U16(&req.Index)) {
		return req, resp, false, false
	}
	if u.Type == UDRequest || u.Type == UDNCRequest {
		return req, resp, false, true
	}
	resp.ID, resp.Index = req.ID, req.Index
	if !(r.U16(&resp.RecordLen) && r.U16(&resp.RecordCount)) {
		return req, resp, true, true
	}
	resp.HasCounts = true
	resp.Data = r.Rest()
	return req, resp, true, true
}

// Records returns the SZL records, RecordLen bytes each: RecordCount of
// them, or fewer when the data holds fewer whole records (see Complete).
func (s SZL) Records() SZLRecords {
	size := int(s.RecordLen)
	if size == 0 {
		return SZLRecords{}
	}
	return SZLRecords{data: s.Data, size: size, n: min(int(s.RecordCount), len(s.Data)/size)}
}

// Complete reports whether the data holds exactly RecordCount records of
// RecordLen bytes.
func (s SZL) Complete() bool {
	return s.HasCounts && int(s.RecordLen)*int(s.RecordCount) == len(s.Data)
}

// PartialList returns the partial list number of the SZL id (its low
// byte): records of ids with the same partial list share a layout.
func (s SZL) PartialList() uint8 { return uint8(s.ID) }

// SZLRecords is the fixed-stride list of an SZL response's records.
type SZLRecords struct {
	data []byte
	size int
	n    int
}

// Len returns the number of whole records.
func (r SZLRecords) Len() int { return r.n }

// At returns the i-th record's bytes; ok is false when i is out of range.
func (r SZLRecords) At(i int) (rec []byte, ok bool) {
	if i < 0 || i >= r.n {
		return nil, false
	}
	off := i * r.size
	return r.data[off : off+r.size : off+r.size], true
}

// All yields each record with its index:
//
//	for i, rec := range szl.Records().All { ... }
func (r SZLRecords) All(yield func(int, []byte) bool) {
	for i := 0; i < r.n; i++ {
		off := i * r.size
		if !yield(i, r.data[off:off+r.size:off+r.size]) {
			return
		}
	}
}

// Timestamp is an S7 BCD timestamp (DATE_AND_TIME).
type Timestamp struct {
	// Reserved and Year1 are only in the 10-byte form of the clock
	// functions; Year1 is the century (decoded from BCD).
	Reserved    uint8
	Year1       uint8
	HasYear1    bool
	Year        uint16
	Month, Day  uint8
	Hour        uint8
	Minute      uint8
	Second      uint8
	Millisecond uint16
	Weekday     uint8
}

func bcd(b uint8) uint8 { return (b>>4)*10 + b&0x0f }

// bcdOK reports whether both digits of b are decimal.
func bcdOK(b uint8) bool { return b>>4 <= 9 && b&0x0f <= 9 }

// Time returns the timestamp as a time.Time in UTC; ok is false when a
// field is out of its range (month 13, second 61, ...), which time.Date
// would silently normalise. It does not allocate.
func (t Timestamp) Time() (time.Time, bool) {
	if t.Month < 1 || t.Month > 12 || t.Day < 1 || t.Day > 31 || t.Hour > 23 || t.Minute > 59 ||
		t.Second > 59 || t.Millisecond > 999 {
		return time.Time{}, false
	}
	tm := time.Date(int(t.Year), time.Month(t.Month), int(t.Day), int(t.Hour), int(t.Minute), int(t.Second),
		int(t.Millisecond)*int(time.Millisecond), time.UTC)
	if tm.Day() != int(t.Day) {
		return time.Time{}, false // 31 April and the like
	}
	return tm, true
}

// ParseTimestamp decodes an 8-byte S7 timestamp; years below 90 are 20xx.
func ParseTimestamp(b []byte) (Timestamp, bool) {
	var t Timestamp
	if len(b) < 8 {
		return t, false
	}
	y := uint16(bcd(b[0]))
	if y < 90 {
		t.Year = 2000 + y
	} else {
		t.Year = 1900 + y
	}
	t.Month, t.Day, t.Hour, t.Minute, t.Second = bcd(b[1]), bcd(b[2]), bcd(b[3]), bcd(b[4]), bcd(b[5])
	t.Millisecond = uint16(bcd(b[6]))*10 + uint16(b[7]>>4)
	t.Weekday = b[7] & 0x0f
	return t, true
}

// parseClock decodes the 10-byte clock form: reserved, BCD century, then
// the 8-byte timestamp.
func parseClock(b []byte) (Timestamp, bool) {
	if len(b) < 10 {
		return Timestamp{}, false
	}
	t, _ := ParseTimestamp(b[2:])
	// Year1 (19 or 20) is not reliable; the year follows the two-digit
	// rule of the 8-byte form, as Wireshark reads it.
	t.Reserved, t.Year1, t.HasYear1 = b[0], bcd(b[1]), true
	return t, true
}

// Clock returns the timestamp of a read-clock response or a set-clock
// request.
func (p *PDU) Clock() (Timestamp, bool) {
	u, ok1 := p.Userdata()
	d, ok2 := p.UserdataData()
	if !ok1 || !ok2 || u.Group != GroupTime || !d.decodable(u) {
		return Timestamp{}, false
	}
	isReq := u.Type == UDRequest
	switch u.Subfunc {
	case SubReadClock, SubReadClockFollowing:
		if isReq {
			return Timestamp{}, false
		}
	case SubSetClock, SubSetClock2:
		if !isReq {
			return Timestamp{}, false
		}
	default:
		return Timestamp{}, false
	}
	return parseClock(d.Payload)
}

// BlockCount is one entry of a list-blocks response: a block type and how
// many blocks of it exist.
type BlockCount struct {
	Type  BlockType
	Count uint16
}

// BlockType is the two-character ASCII block type of the block functions
// ("08" OB, "0A" DB, "0B" SDB, "0C" FC, "0D" SFC, "0E" FB, "0F" SFB), as a
// big-endian uint16.
type BlockType uint16

// Block types.
const (
	BlockOB  BlockType = 0x3038
	BlockDB  BlockType = 0x3041
	BlockSDB BlockType = 0x3042
	BlockFC  BlockType = 0x3043
	BlockSFC BlockType = 0x3044
	BlockFB  BlockType = 0x3045
	BlockSFB BlockType = 0x3046
)

func (t BlockType) name() string {
	switch t {
	case BlockOB:
		return "OB"
	case BlockDB:
		return "DB"
	case BlockSDB:
		return "SDB"
	case BlockFC:
		return "FC"
	case BlockSFC:
		return "SFC"
	case BlockFB:
		return "FB"
	case BlockSFB:
		return "SFB"
	}
	return ""
}

// Known reports whether t is one of the block types above.
func (t BlockType) Known() bool { return t.name() != "" }

// String returns the block type's name ("DB"), or "block type 0x3039".
func (t BlockType) String() string { return enumText(t.name(), "block type", uint32(t), 4) }

// AppendText appends String's text to b. It does not allocate.
func (t BlockType) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, t.name(), "block type", uint32(t), 4), nil
}

// BlockEntry is one entry of a list-blocks-of-type response.
type BlockEntry struct {
	Number   uint16
	Flags    uint8
	Language uint8
}

// BlockCounts is the fixed-stride list of a list-blocks response: four
// bytes per block type.
type BlockCounts []byte

// Len returns the number of entries.
func (l BlockCounts) Len() int { return len(l) / 4 }

// At returns the i-th entry; ok is false when i is out of range.
func (l BlockCounts) At(i int) (c BlockCount, ok bool) {
	if i < 0 || i >= l.Len() {
		return c, false
	}
	r := l[4*i:]
	return BlockCount{Type: BlockType(wire.BE16(r)), Count: wire.BE16(r[2:])}, true
}

// All yields each entry with its index.
func (l BlockCounts) All(yield func(int, BlockCount) bool) {
	for i := 0; i < l.Len(); i++ {
		c, _ := l.At(i)
		if !yield(i, c) {
			return
		}
	}
}

// BlockEntries is the fixed-stride list of a list-blocks-of-type response:
// four bytes per block.
type BlockEntries []byte

// Len returns the number of entries.
func (l BlockEntries) Len() int { return len(l) / 4 }

// At returns the i-th entry; ok is false when i is out of range.
func (l BlockEntries) At(i int) (e BlockEntry, ok bool) {
	if i < 0 || i >= l.Len() {
		return e, false
	}
	r := l[4*i:]
	return BlockEntry{Number: wire.BE16(r), Flags: r[2], Language: r[3]}, true
}

// All yields each entry with its index.
func (l BlockEntries) All(yield func(int, BlockEntry) bool) {
	for i := 0; i < l.Len(); i++ {
		e, _ := l.At(i)
		if !yield(i, e) {
			return
		}
	}
}

// blockList returns the payload of a block-functions response of subfunction sub.
func (p *PDU) blockList(sub uint8) ([]byte, bool) {
	u, ok1 := p.Userdata()
	d, ok2 := p.UserdataData()
	if !ok1 || !ok2 || u.Group != GroupBlock || u.Type != UDResponse || !d.decodable(u) || u.Subfunc != sub {
		return nil, false
	}
	return d.Payload, true
}

// BlockCounts returns the entries of a list-blocks response. It does not
// allocate.
func (p *PDU) BlockCounts() (BlockCounts, bool) {
	b, ok := p.blockList(SubListBlocks)
	return BlockCounts(b), ok
}

// BlockEntries returns the entries of a list-blocks-of-type response. It
// does not allocate.
func (p *PDU) BlockEntries() (BlockEntries, bool) {
	b, ok := p.blockList(SubListBlocksOfType)
	return BlockEntries(b), ok
}

// BlockRequest is the block named in a list-blocks-of-type or
// get-block-info request.
type BlockRequest struct {
	Type BlockType
	// Number is the five ASCII digits of get-block-info (nil otherwise).
	Number []byte
	// FileSystem is the ASCII file system letter of get-block-info.
	FileSystem uint8
}

// BlockRequest returns the block type (and number) of a list-blocks-of-type
// or get-block-info request.
func (p *PDU) BlockRequest() (BlockRequest, bool) {
	var b BlockRequest
	u, ok1 := p.Userdata()
	d, ok2 := p.UserdataData()
	if !ok1 || !ok2 || u.Group != GroupBlock || u.Type != UDRequest || !d.decodable(u) {
		return b, false
	}
	r := wire.Reader(d.Payload)
	var t uint16
	if !r.U16(&t) {
		return b, false
	}
	b.Type = BlockType(t)
	if u.Subfunc == SubGetBlockInfo {
		if !(r.Bytes(&b.Number, 5) && r.U8(&b.FileSystem)) {
			return b, false
		}
	}
	return b, true
}

// CyclicRequest is the head of a cyclic-data subscription request; its
// variable specifications follow as items.
type CyclicRequest struct {
	ItemCount  uint16
	TimeBase   uint8
	TimeFactor uint8
	items      []byte
}

// Items returns a cursor over the subscription's variable specifications.
func (c CyclicRequest) Items() Items {
	return Items{r: c.items, left: int(c.ItemCount)}
}

// Cyclic returns the head of a cyclic-data request (memory or
// change-driven subscription). It does not allocate.
func (p *PDU) Cyclic() (CyclicRequest, bool) {
	var c CyclicRequest
	u, ok1 := p.Userdata()
	d, ok2 := p.UserdataData()
	if !ok1 || !ok2 || u.Group != GroupCyclic || u.Type != UDRequest || !d.decodable(u) || !cyclicSub(u.Subfunc) {
		return c, false
	}
	r := wire.Reader(d.Payload)
	if !(r.U16(&c.ItemCount) && r.U8(&c.TimeBase) && r.U8(&c.TimeFactor)) {
		return c, false
	}
	c.items = r.Rest()
	return c, true
}

// cyclicSub reports whether sub is a subscription subfunction (memory,
// change driven, change driven modify).
func cyclicSub(sub uint8) bool {
	return sub == SubCyclicMemory || sub == SubCyclicChangeDriven || sub == SubCyclicChangeModify
}

// CyclicData returns the item count and a cursor over the data items of a
// cyclic-data response or push. It does not allocate.
func (p *PDU) CyclicData() (DataItems, bool) {
	u, ok1 := p.Userdata()
	d, ok2 := p.UserdataData()
	if !ok1 || !ok2 || u.Group != GroupCyclic || u.Type == UDRequest || !d.decodable(u) || !cyclicSub(u.Subfunc) {
		return DataItems{done: true}, false
	}
	r := wire.Reader(d.Payload)
	var n uint16
	if !r.U16(&n) {
		return DataItems{done: true}, false
	}
	return NewDataItems(r.Rest(), int(n)), true
}

// Password returns the (obfuscated) password bytes of a security
// PLC-password request.
func (p *PDU) Password() ([]byte, bool) {
	u, ok1 := p.Userdata()
	d, ok2 := p.UserdataData()
	if !ok1 || !ok2 || u.Group != GroupSecurity || u.Subfunc != SubPLCPassword || u.Type != UDRequest || !d.decodable(u) {
		return nil, false
	}
	return d.Payload, true
}

// MessageService is a CPU message-service request: the events subscribed
// and the subscriber's name.
type MessageService struct {
	Events    uint8
	Reserved  uint8
	Username  []byte
	AlarmType uint8
	HasAlarm  bool
}

// Message-service event bits.
const (
	EventModeTransition uint8 = 0x01
	EventSystem         uint8 = 0x02
	EventUserDefined    uint8 = 0x04
	EventAlarms         uint8 = 0x80
)

// MessageService decodes a CPU message-service request.
func (p *PDU) MessageService() (MessageService, bool) {
	var m MessageService
	u, ok1 := p.Userdata()
	d, ok2 := p.UserdataData()
	if !ok1 || !ok2 || u.Group != GroupCPU || u.Subfunc != SubMessageService || u.Type != UDRequest || !d.decodable(u) {
		return m, false
	}
	r := wire.Reader(d.Payload)
	if !(r.U8(&m.Events) && r.U8(&m.Reserved) && r.Bytes(&m.Username, 8)) {
		return m, false
	}
	if m.Events&EventAlarms != 0 && r.U8(&m.AlarmType) {
		m.HasAlarm = true
	}
	return m, true
}

// AlarmMessage is the head of a CPU alarm or notification message
// (ALARM_8, NOTIFY, ALARM_S/SQ, acknowledgements, ALARM query requests).
type AlarmMessage struct {
	// Timestamp is set for the indications that carry one.
	Timestamp    Timestamp
	HasTimestamp bool
	Function     uint8
	NumObjects   uint8
	// Response is true for a response: each object is a return code.
	Response bool
	objects  []byte
}

// AlarmObject is one message object of an alarm message.
type AlarmObject struct {
	VarSpec uint8
	AddrLen uint8
	Syntax  SyntaxID
	// NumValues is the number of associated values (ALARM_IND, NOTIFY_IND,
	// ALARM_LOCKFREE and ALARM_ACK syntaxes).
	NumValues uint8
	EventID   uint32
	// EventState, State, AckGoing and AckComing are the signal bit sets.
	EventState, State, AckGoing, AckComing uint8
	// QueryType is set for ALARM_QUERYREQ objects.
	QueryType uint8
	// ReturnCode is the object's result in a response.
	ReturnCode ReturnCode
	// Spec is the object's bytes after the syntax id.
	Spec   []byte
	values []byte
	nvals  uint8
}

// AssociatedValues returns a cursor over the object's associated values.
func (o AlarmObject) AssociatedValues() DataItems {
	return DataItems{r: o.values, left: int(o.nvals), count: int(o.nvals)}
}

// isAlarmSubfunc reports whether sub carries an alarm message.
func isAlarmSubfunc(sub uint8) bool {
	switch sub {
	case SubAlarm8Ind, SubNotifyInd, SubAlarm8Lock, SubAlarm8Unlock, SubScanInd,
		SubAlarmAck, SubAlarmAckInd, SubAlarm8LockInd, SubAlarm8UnlockInd,
		SubAlarmSQInd, SubAlarmSInd, SubAlarmQuery, SubNotify8Ind:
		return true
	}
	return false
}

// Alarm decodes the head of a CPU alarm message (not an ALARM query
// response, see AlarmQuery). It does not allocate.
func (p *PDU) Alarm() (AlarmMessage, bool) {
	var a AlarmMessage
	u, ok1 := p.Userdata()
	d, ok2 := p.UserdataData()
	if !ok1 || !ok2 || u.Group != GroupCPU || !isAlarmSubfunc(u.Subfunc) || !d.decodable(u) {
		return a, false
	}
	if u.Subfunc == SubAlarmQuery && u.Type == UDResponse {
		return a, false
	}
	r := wire.Reader(d.Payload)
	switch u.Subfunc {
	case SubAlarm8Ind, SubNotifyInd, SubAlarmSQInd, SubAlarmSInd, SubNotify8Ind, SubAlarmAckInd:
		var ts []byte
		if !r.Bytes(&ts, 8) {
			return a, false
		}
		a.Timestamp, a.HasTimestamp = ParseTimestamp(ts)
	}
	if !(r.U8(&a.Function) && r.U8(&a.NumObjects)) {
		return a, false
	}
	a.Response = u.Type == UDResponse
	if u.Type != UDRequest && u.Type != UDPush && !a.Response {
		a.NumObjects = 0
	}
	a.objects = r.Rest()
	return a, true
}

// AlarmObjects walks the message objects of an alarm message.
type AlarmObjects struct {
	r    wire.Reader
	left int
	resp bool
	cur  AlarmObject
	err  error
}

// Objects returns a cursor over the message objects.
func (a AlarmMessage) Objects() AlarmObjects {
	return AlarmObjects{r: a.objects, left: int(a.NumObjects), resp: a.Response}
}

// Next decodes the next message object with its associated values.
func (it *AlarmObjects) Next() bool {
	if it.left <= 0 || it.err != nil || it.r.Empty() {
		return false
	}
	var o AlarmObject
	if it.resp {
		var rc uint8
		it.r.U8(&rc)
		o.ReturnCode = ReturnCode(rc)
		it.left--
		it.cur = o
		return true
	}
	var syn uint8
	if !(it.r.U8(&o.VarSpec) && it.r.U8(&o.AddrLen) && it.r.U8(&syn)) {
		it.err = ErrTruncated
		return false
	}
	o.Syntax = SyntaxID(syn)
	o.Spec = []byte(it.r)
	ok := true
	switch o.Syntax {
	case SyntaxAlarmLockFree, SyntaxAlarmInd, SyntaxNotifyInd, SyntaxAlarmAck:
		ok = it.r.U8(&o.NumValues) && it.r.U32(&o.EventID)
		if o.Syntax == SyntaxAlarmInd || o.Syntax == SyntaxNotifyInd {
			ok = ok && it.r.U8(&o.EventState) && it.r.U8(&o.State)
		}
		if o.Syntax != SyntaxAlarmLockFree {
			ok = ok && it.r.U8(&o.AckGoing) && it.r.U8(&o.AckComing)
		}
		if o.Syntax == SyntaxNotifyInd {
			ok = ok && it.r.Skip(4)
		}
		if ok && o.NumValues > 0 && (o.Syntax == SyntaxAlarmInd || o.Syntax == SyntaxNotifyInd) {
			start := it.r
			vi := DataItems{r: it.r, left: int(o.NumValues)}
			for vi.Next() {
			}
			used := len(start) - len(vi.r)
			o.values, o.nvals = start[:used:used], o.NumValues
			it.r = vi.r
		}
	case SyntaxAlarmQueryReq:
		var qt uint8
		ok = it.r.Skip(1) && it.r.U8(&qt) && it.r.Skip(1) && it.r.U32(&o.EventID)
		o.QueryType = qt
	default:
		if o.AddrLen == 0 || !it.r.Skip(int(o.AddrLen)-1) {
			ok = false
		}
	}
	used := len(o.Spec) - len(it.r)
	o.Spec = o.Spec[:used:used]
	if !ok {
		it.err = ErrTruncated
	}
	it.left--
	it.cur = o
	return true
}

// AlarmObject returns the current object.
func (it *AlarmObjects) AlarmObject() AlarmObject { return it.cur }

// Err reports an object cut short.
func (it *AlarmObjects) Err() error { return it.err }

// AlarmQuery is the head of an ALARM query response.
type AlarmQuery struct {
	Function   uint8
	NumObjects uint8
	// Continuation is true when the function byte is not zero: a follow-up
	// fragment without a head.
	Continuation bool
	ReturnCode   ReturnCode
	Size         DataSize
	CompleteLen  uint16
	HasHead      bool
	datasets     []byte
}

// Alarm types of ALARM query datasets.
const (
	AlarmTypeScan uint8 = 1
	AlarmType8    uint8 = 2
	AlarmTypeS    uint8 = 4
)

// AlarmDataset is one dataset of an ALARM query response.
type AlarmDataset struct {
	Length     uint8
	AlarmType  uint8
	EventID    uint32
	EventState uint8
	AckGoing   uint8
	AckComing  uint8
	// For ALARM_S datasets: coming and going timestamps, each followed by
	// one associated value.
	Coming, Going Timestamp
	values        [2][]byte
	hasValues     bool
}

// AssociatedValues returns the coming and going associated values of an
// ALARM_S dataset.
func (d AlarmDataset) AssociatedValues() (coming, going DataItems, ok bool) {
	if !d.hasValues {
		return DataItems{done: true}, DataItems{done: true}, false
	}
	return DataItems{r: d.values[0], left: 1, count: 1}, DataItems{r: d.values[1], left: 1, count: 1}, true
}

// AlarmQuery decodes an ALARM query response. It does not allocate.
func (p *PDU) AlarmQuery() (AlarmQuery, bool) {
	var q AlarmQuery
	u, ok1 := p.Userdata()
	d, ok2 := p.UserdataData()
	if !ok1 || !ok2 || u.Group != GroupCPU || u.Subfunc != SubAlarmQuery || u.Type != UDResponse || !d.decodable(u) {
		return q, false
	}
	r := wire.Reader(d.Payload)
	if len(r) < 2 {
		return q, false
	}
	q.Function, q.NumObjects = r[0], r[1]
	if q.Function != 0 {
		q.Continuation = true
		q.CompleteLen = uint16(q.Function)
		q.ReturnCode = ReturnSuccess
		q.datasets = r
		return q, true
	}
	r.Skip(2)
	if q.NumObjects == 0 {
		return q, true
	}
	var rc, ts uint8
	if !(r.U8(&rc) && r.U8(&ts) && r.U16(&q.CompleteLen)) {
		return q, true
	}
	q.ReturnCode, q.Size, q.HasHead = ReturnCode(rc), DataSize(ts), true
	if q.ReturnCode == ReturnSuccess {
		q.datasets = r
	}
	return q, true
}

// AlarmDatasets walks the datasets of an ALARM query response.
type AlarmDatasets struct {
	r      wire.Reader
	remain int
	cur    AlarmDataset
	err    error
}

// Datasets returns a cursor over the response's datasets.
func (q AlarmQuery) Datasets() AlarmDatasets {
	n := int(q.CompleteLen)
	if n == 0xffff {
		n = 0
	}
	if q.datasets == nil {
		return AlarmDatasets{}
	}
	// Wireshark decodes at least one dataset whatever the length says.
	if n <= 0 {
		n = 1
	}
	return AlarmDatasets{r: q.datasets, remain: n}
}

// Next decodes the next dataset.
func (it *AlarmDatasets) Next() bool {
	if it.remain <= 0 || it.err != nil || it.r.Empty() {
		return false
	}
	start := len(it.r)
	var d AlarmDataset
	ok := it.r.U8(&d.Length) && it.r.Skip(2) && it.r.U8(&d.AlarmType) && it.r.U32(&d.EventID) &&
		it.r.Skip(1) && it.r.U8(&d.EventState) && it.r.U8(&d.AckGoing) && it.r.U8(&d.AckComing)
	if ok && d.AlarmType == AlarmTypeS {
		var ts []byte
		for i := 0; i < 2 && ok; i++ {
			if !it.r.Bytes(&ts, 8) {
				ok = false
				break
			}
			t, _ := ParseTimestamp(ts)
			if i == 0 {
				d.Coming = t
			} else {
				d.Going = t
			}
			before := it.r
			vi := DataItems{r: it.r, left: 1}
			vi.Next()
			used := len(before) - len(vi.r)
			d.values[i] = before[:used:used]
			it.r = vi.r
		}
		d.hasValues = ok
	}
	if !ok {
		it.err = ErrTruncated
		return false
	}
	it.remain -= start - len(it.r)
	it.cur = d
	return true
}

// AlarmDataset returns the current dataset.
func (it *AlarmDatasets) AlarmDataset() AlarmDataset { return it.cur }

// Err reports a dataset cut short.
func (it *AlarmDatasets) Err() error { return it.err }

// BlockInfo is a get-block-info response.
type BlockInfo struct {
	BlockType     uint16
	InfoLen       uint16
	Unknown2      uint16
	Const3        uint16
	Unknown       uint8
	Flags         uint8
	Language      uint8
	SubblockType  uint8
	Number        uint16
	LoadMemLen    uint32
	Security      uint32
	CodeTime      []byte
	InterfaceTime []byte
	SSBLen        uint16
	AddLen        uint16
	LocalDataLen  uint16
	MC7Len        uint16
	Author        []byte
	Family        []byte
	Name          []byte
	Version       uint8
	Unknown3      uint8
	Checksum      uint16
	Reserved1     uint32
	Reserved2     uint32
}

// BlockInfo decodes a get-block-info response. It does not allocate.
func (p *PDU) BlockInfo() (BlockInfo, bool) {
	var b BlockInfo
	u, ok1 := p.Userdata()
	d, ok2 := p.UserdataData()
	if !ok1 || !ok2 || u.Group != GroupBlock || u.Subfunc != SubGetBlockInfo || u.Type != UDResponse ||
		!d.decodable(u) || d.ReturnCode != ReturnSuccess {
		return b, false
	}
	r := wire.Reader(d.Payload)
	ok := r.U16(&b.BlockType) && r.U16(&b.InfoLen) && r.U16(&b.Unknown2) && r.U16(&b.Const3) &&
		r.U8(&b.Unknown) && r.U8(&b.Flags) && r.U8(&b.Language) && r.U8(&b.SubblockType) &&
		r.U16(&b.Number) && r.U32(&b.LoadMemLen) && r.U32(&b.Security) &&
		r.Bytes(&b.CodeTime, 6) && r.Bytes(&b.InterfaceTime, 6) && r.U16(&b.SSBLen) && r.U16(&b.AddLen) &&
		r.U16(&b.LocalDataLen) && r.U16(&b.MC7Len) && r.Bytes(&b.Author, 8) && r.Bytes(&b.Family, 8) &&
		r.Bytes(&b.Name, 8) && r.U8(&b.Version) && r.U8(&b.Unknown3) && r.U16(&b.Checksum) &&
		r.U32(&b.Reserved1) && r.U32(&b.Reserved2)
	return b, ok
}

// DiagMessage decodes a CPU diagnostic message push (subfunction 3): one
// 20-byte diagnostic buffer entry. It does not allocate.
func (p *PDU) DiagMessage() (DiagEntry, bool) {
	u, ok1 := p.Userdata()
	d, ok2 := p.UserdataData()
	if !ok1 || !ok2 || u.Group != GroupCPU || u.Subfunc != SubDiagMessage || u.Type != UDPush || !d.decodable(u) {
		return DiagEntry{}, false
	}
	return ParseDiagEntry(d.Payload)
}
