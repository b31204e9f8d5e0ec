package s7comm

import (
	"math"

	"github.com/icsdissect/icsdissect/internal/wire"
)

// Item is one variable specification of a read or write var job (or of a
// cyclic-data subscription). Fields beyond Syntax are set for the syntax
// ids that carry them; Spec always holds the address bytes after the syntax
// id.
type Item struct {
	VarSpec uint8
	AddrLen uint8
	Syntax  SyntaxID
	// S7ANY.
	TransportSize TransportSize
	Count         uint16
	DB            uint16
	Area          Area
	// Address is the 24-bit S7ANY address: byte<<3 | bit.
	Address uint32
	// NumAreas is the DBREAD area count; walk them with DBReadAreas.
	NumAreas uint8
	// Spec holds the address bytes after the syntax id (for 1200SYM, NCK,
	// DRIVEESANY and unknown syntaxes, the whole address).
	Spec []byte
}

// Byte returns the byte offset of an S7ANY address (Address>>3). ok is
// false for other syntaxes and for the areas addressed by number (timers
// and counters, see [Area.Numbered] and Number).
func (it Item) Byte() (offset uint32, ok bool) {
	if it.Syntax != SyntaxS7Any || it.Area.Numbered() {
		return 0, false
	}
	return it.Address >> 3, true
}

// Bit returns the bit number of an S7ANY address (Address&7), with the
// same ok as Byte.
func (it Item) Bit() (bit uint8, ok bool) {
	if it.Syntax != SyntaxS7Any || it.Area.Numbered() {
		return 0, false
	}
	return uint8(it.Address & 7), true
}

// Number returns the timer or counter number of an S7ANY item in a
// numbered area (T, C and the S7-200 IEC timers and counters, see
// [Area.Numbered]): the address is a number there, not a byte and bit
// offset, so T6 reads as number 6. It is the low 16 bits of the address,
// as Wireshark's s7comm.param.item.address.number shows it.
func (it Item) Number() (n uint16, ok bool) {
	if it.Syntax != SyntaxS7Any || !it.Area.Numbered() {
		return 0, false
	}
	return uint16(it.Address), true
}

// NCK is the address of an NCK item.
type NCK struct {
	Area, Unit uint8
	Column     uint16
	Line       uint16
	Module     uint8
	LineCount  uint8
}

// NCK decodes the address of an NCK item (syntax 0x82-0x84).
func (it Item) NCK() (NCK, bool) {
	var n NCK
	if (it.Syntax != SyntaxNCK && it.Syntax != SyntaxNCKMetric && it.Syntax != SyntaxNCKInch) || len(it.Spec) < 7 {
		return n, false
	}
	b := it.Spec
	n.Area, n.Unit = b[0]>>5, b[0]&0x1f
	n.Column, n.Line = wire.BE16(b[1:]), wire.BE16(b[3:])
	n.Module, n.LineCount = b[5], b[6]
	return n, true
}

// DriveESAny is the address of a DRIVEESANY item.
type DriveESAny struct {
	Unknown1  uint8
	Unknown2  uint16
	Unknown3  uint16
	Parameter uint16
	Index     uint16
}

// DriveESAny decodes a DRIVEESANY address (syntax 0xa2).
func (it Item) DriveESAny() (DriveESAny, bool) {
	var d DriveESAny
	r := wire.Reader(it.Spec)
	if it.Syntax != SyntaxDriveESAny {
		return d, false
	}
	ok := r.U8(&d.Unknown1) && r.U16(&d.Unknown2) && r.U16(&d.Unknown3) && r.U16(&d.Parameter) && r.U16(&d.Index)
	return d, ok
}

// Sym1200 is the head of a 1200SYM (TIA symbolic) address.
type Sym1200 struct {
	Reserved uint8
	Area1    uint16
	Area2    uint16
	CRC      uint32
	// LIDs holds the access sub-ids, four bytes each.
	LIDs []byte
}

// Sym1200 decodes a 1200SYM address (syntax 0xb2).
func (it Item) Sym1200() (Sym1200, bool) {
	var s Sym1200
	r := wire.Reader(it.Spec)
	if it.Syntax != Syntax1200Sym {
		return s, false
	}
	if !(r.U8(&s.Reserved) && r.U16(&s.Area1) && r.U16(&s.Area2) && r.U32(&s.CRC)) {
		return s, false
	}
	s.LIDs = r.Rest()
	return s, true
}

// DBReadArea is one area of a DBREAD item.
type DBReadArea struct {
	Length uint8
	DB     uint16
	Start  uint16
}

// DBReadAreas walks the areas of a DBREAD item.
type DBReadAreas struct {
	r    wire.Reader
	left int
	cur  DBReadArea
	err  error
}

// DBReadAreas returns a cursor over a DBREAD item's areas.
func (it Item) DBReadAreas() DBReadAreas {
	if it.Syntax != SyntaxDBRead || len(it.Spec) < 1 {
		return DBReadAreas{}
	}
	return DBReadAreas{r: it.Spec[1:], left: int(it.NumAreas)}
}

// Next advances to the next area.
func (d *DBReadAreas) Next() bool {
	if d.left <= 0 || d.err != nil {
		return false
	}
	if !(d.r.U8(&d.cur.Length) && d.r.U16(&d.cur.DB) && d.r.U16(&d.cur.Start)) {
		d.err = ErrTruncated
		return false
	}
	d.left--
	return true
}

// DBReadArea returns the current area.
func (d *DBReadAreas) DBReadArea() DBReadArea { return d.cur }

// Err reports a truncated area list.
func (d *DBReadAreas) Err() error { return d.err }

// Items walks variable specifications.
type Items struct {
	r    wire.Reader
	left int
	cur  Item
	err  Error
	done bool
	an   Anomaly
}

// Next decodes the next item and reports whether there is one. It stops at
// the item count or at the end of the parameter, whichever comes first.
// The check for a finished walk is small enough to be inlined.
func (it *Items) Next() bool {
	if it.done {
		return false
	}
	return it.next()
}

// next is Next on a walk not yet finished.
func (it *Items) next() bool {
	r := []byte(it.r)
	if it.err != 0 || it.left <= 0 || len(r) == 0 {
		if it.err == 0 && (len(r) == 0) != (it.left <= 0) {
			it.an |= AnomalyItemCount
		}
		it.done = true
		return false
	}
	if len(r) < 3 || len(r) < 2+int(r[1]) || r[1] == 0 {
		it.err = ErrTruncated
		return false
	}
	end := 2 + int(r[1])
	spec := r[3:end:end]
	it.r = r[end:]
	// The item is checked before it is stored: a cut-short item leaves
	// the one before current.
	switch syn := SyntaxID(r[2]); syn {
	case SyntaxS7Any:
		if len(spec) < 9 {
			it.err = ErrTruncated
			return false
		}
		ts, area := TransportSize(spec[0]), Area(spec[5])
		if !ts.Known() {
			it.an |= AnomalyTransportSize
		}
		if !area.Known() {
			it.an |= AnomalyArea
		}
		it.cur = Item{
			VarSpec: r[0], AddrLen: r[1], Syntax: syn,
			TransportSize: ts, Count: wire.BE16(spec[1:]), DB: wire.BE16(spec[3:]), Area: area,
			Address: uint32(spec[6])<<16 | uint32(spec[7])<<8 | uint32(spec[8]),
			Spec:    spec,
		}
	case SyntaxDBRead:
		if len(spec) < 1 {
			it.err = ErrTruncated
			return false
		}
		it.cur = Item{VarSpec: r[0], AddrLen: r[1], Syntax: syn, NumAreas: spec[0], Spec: spec}
	default:
		if !syn.Known() {
			it.an |= AnomalySyntaxID
		}
		it.cur = Item{VarSpec: r[0], AddrLen: r[1], Syntax: syn, Spec: spec}
	}
	it.left--
	return true
}

// Item returns the current item.
func (it *Items) Item() Item { return it.cur }

// Err returns ErrTruncated when an item was cut short.
func (it *Items) Err() error {
	if it.err == 0 {
		return nil
	}
	return it.err
}

// Anomalies returns the anomalies seen so far (unknown syntax ids, areas,
// transport sizes, count mismatch).
func (it *Items) Anomalies() Anomaly { return it.an }

// DataItem is one data item: a return code, a transport size and the value
// bytes. Length is the raw length field (bits or bytes, see Size).
type DataItem struct {
	ReturnCode ReturnCode
	Size       DataSize
	Length     uint16
	// Value is a view of the value bytes.
	Value []byte
	// Fill is true when a fill byte followed the value.
	Fill bool
}

// Bool returns the value of a one-bit item.
func (d DataItem) Bool() (bool, bool) {
	if len(d.Value) < 1 {
		return false, false
	}
	return d.Value[0]&1 != 0, true
}

// Uint returns a big-endian unsigned value of 1, 2, 4 or 8 bytes.
func (d DataItem) Uint() (uint64, bool) {
	b := d.Value
	switch len(b) {
	case 1:
		return uint64(b[0]), true
	case 2:
		return uint64(wire.BE16(b)), true
	case 4:
		return uint64(wire.BE32(b)), true
	case 8:
		return uint64(wire.BE32(b))<<32 | uint64(wire.BE32(b[4:])), true
	}
	return 0, false
}

// Int returns a big-endian two's complement value of 1, 2, 4 or 8 bytes.
func (d DataItem) Int() (int64, bool) {
	v, ok := d.Uint()
	if !ok {
		return 0, false
	}
	switch len(d.Value) {
	case 1:
		return int64(int8(v)), true
	case 2:
		return int64(int16(v)), true
	case 4:
		return int64(int32(v)), true
	}
	return int64(v), true
}

// Float32 returns a four-byte REAL value.
func (d DataItem) Float32() (float32, bool) {
	if len(d.Value) != 4 {
		return 0, false
	}
	return math.Float32frombits(wire.BE32(d.Value)), true
}

// DataItems walks data items.
type DataItems struct {
	r     wire.Reader
	left  int
	count int
	// The current item, kept field by field so that Item is a cheap
	// inlined copy.
	val    []byte
	length uint16
	rc     ReturnCode
	size   DataSize
	fill   bool
	done   bool
	trunc  bool
	an     Anomaly
}

// NewDataItems returns a cursor over count data items in b, the layout of
// read var responses, write var requests, cyclic data and alarm associated
// values. It does not allocate.
func NewDataItems(b []byte, count int) DataItems { return DataItems{r: b, left: count, count: count} }

// Next decodes the next data item. The check for a finished walk is small
// enough to be inlined.
func (it *DataItems) Next() bool {
	if it.done {
		return false
	}
	return it.next()
}

// next is Next on a walk not yet finished.
func (it *DataItems) next() bool {
	r := []byte(it.r)
	if it.left <= 0 || len(r) < 4 || it.trunc {
		return it.stop()
	}
	rc, size := ReturnCode(r[0]), DataSize(r[1])
	length := uint16(r[2])<<8 | uint16(r[3])
	r = r[4:]
	n := 0
	if rc == ReturnSuccess || rc == ReturnReserved {
		n = int(length)
		if size.lengthInBits() {
			n = (n + 7) >> 3
		}
		if !size.Known() {
			it.an |= AnomalyTransportSize
		}
	} else if !rc.Known() {
		it.an |= AnomalyReturnCode
	}
	it.left--
	it.rc, it.size, it.length = rc, size, length
	if n > len(r) {
		it.val = r
		it.r = r[len(r):]
		it.fill = false
		it.trunc = true
		return true
	}
	it.val = r[:n:n]
	r = r[n:]
	fill := n&1 == 1 && it.left > 0 && len(r) > 0
	if fill {
		r = r[1:]
	}
	it.fill = fill
	it.r = r
	return true
}

// stop ends the walk, noting a truncated head or a count mismatch.
func (it *DataItems) stop() bool {
	if !it.done && !it.trunc {
		switch {
		case it.left > 0 && len(it.r) > 0:
			it.trunc = true
		case it.left > 0:
			it.an |= AnomalyItemCount
		}
	}
	it.done = true
	return false
}

// DataItem returns the current data item.
func (it *DataItems) DataItem() DataItem {
	return DataItem{ReturnCode: it.rc, Size: it.size, Length: it.length, Value: it.val, Fill: it.fill}
}

// Count returns the number of items the cursor was told to expect.
func (it *DataItems) Count() int { return it.count }

// Err returns ErrTruncated when the last item was cut short; that item is
// still returned with the bytes present.
func (it *DataItems) Err() error {
	if it.trunc {
		return ErrTruncated
	}
	return nil
}

// Anomalies returns anomalies seen so far.
func (it *DataItems) Anomalies() Anomaly { return it.an }
