// Package good is a tiny protocol package that follows the grammar, for the
// grammar checker's own test.
package good

import "strconv"

// Port is the protocol's port.
const Port = 1

// MaxSkip bounds what Split skips per call.
const MaxSkip = 16

// MaxPending bounds the pending requests of a Conn.
const MaxPending = 4

// Error is a sentinel error.
type Error uint8

// Sentinels.
const (
	ErrTruncated Error = iota + 1
	ErrLength
)

func (e Error) Error() string {
	switch e {
	case ErrTruncated:
		return "good: truncated"
	case ErrLength:
		return "good: length"
	}
	return "good: error"
}

// FieldError is the rich error.
type FieldError struct {
	Err    Error
	Field  string
	Offset int
}

func (e *FieldError) Error() string { return e.Err.Error() + " at " + e.Field }

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

// Explain reports where b stops decoding.
func Explain(b []byte) error {
	if _, _, err := Parse(b); err != nil {
		return &FieldError{Err: err.(Error), Field: "len", Offset: 0}
	}
	return nil
}

// Anomaly is a flag set.
type Anomaly uint32

// Flags.
const (
	AnomalyOdd Anomaly = 1 << iota
	AnomalyUnmatchedResponse
	AnomalyMismatchedResponse
	AnomalyPendingOverflow
	AnomalyDuplicateRequest
)

// Has reports whether every flag of x is set.
func (a Anomaly) Has(x Anomaly) bool { return a&x == x }

// All yields each flag.
func (a Anomaly) All(yield func(Anomaly) bool) {
	for a != 0 {
		f := a & -a
		if !yield(f) {
			return
		}
		a &^= f
	}
}

// String names the flags.
func (a Anomaly) String() string { return string(appendAnomaly(nil, a)) }

// AppendText appends the names.
func (a Anomaly) AppendText(b []byte) ([]byte, error) { return appendAnomaly(b, a), nil }

func appendAnomaly(b []byte, a Anomaly) []byte {
	for f := range a.All {
		b = strconv.AppendUint(b, uint64(f), 10)
	}
	return b
}

// Kind is an enum.
type Kind uint8

// Kinds.
const KindA Kind = 1

// Known reports whether k is defined.
func (k Kind) Known() bool { return k == KindA }

// String names k.
func (k Kind) String() string { b, _ := k.AppendText(nil); return string(b) }

// AppendText appends k's name.
func (k Kind) AppendText(b []byte) ([]byte, error) {
	if k == KindA {
		return append(b, "a"...), nil
	}
	return strconv.AppendUint(append(b, "kind 0x"...), uint64(k), 16), nil
}

// Frame is one PDU.
type Frame struct {
	Len  int
	data []byte
}

// Split cuts PDUs.
func Split(data []byte, atEOF bool) (int, []byte, error) {
	if len(data) == 0 {
		return 0, nil, nil
	}
	n := int(data[0])
	if n > len(data) {
		if atEOF {
			return len(data), data, nil
		}
		return 0, nil, nil
	}
	return n, data[:n], nil
}

// Resync is Split after a gap: a zero length byte is never a header.
func Resync(data []byte, atEOF bool) (int, []byte, error) {
	if len(data) > 0 && data[0] == 0 {
		return 1, nil, nil
	}
	return Split(data, atEOF)
}

// Parse decodes one PDU.
func Parse(b []byte) (f Frame, n int, err error) {
	n, err = f.Decode(b)
	return f, n, err
}

// Decode decodes in place.
func (f *Frame) Decode(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, ErrTruncated
	}
	if b[0] == 0 {
		return 1, ErrLength
	}
	f.Len, f.data = int(b[0]), b
	return f.Len, nil
}

// Registers is a fixed-stride repeat.
type Registers struct{ b []byte }

// Len is the count.
func (r Registers) Len() int { return len(r.b) / 2 }

// At returns register i.
func (r Registers) At(i int) (uint16, bool) {
	if i < 0 || i >= r.Len() {
		return 0, false
	}
	return uint16(r.b[2*i])<<8 | uint16(r.b[2*i+1]), true
}

// All yields every register.
func (r Registers) All(yield func(int, uint16) bool) {
	for i := 0; i < r.Len(); i++ {
		v, _ := r.At(i)
		if !yield(i, v) {
			return
		}
	}
}

// Item is one item.
type Item struct{ V byte }

// Items walks items.
type Items struct {
	b   []byte
	cur Item
}

// Next advances.
func (it *Items) Next() bool {
	if len(it.b) == 0 {
		return false
	}
	it.cur, it.b = Item{it.b[0]}, it.b[1:]
	return true
}

// Item is the current item.
func (it *Items) Item() Item { return it.cur }

// Err reports a cut item.
func (it *Items) Err() error { return nil }

// Message is a Conn result.
type Message struct {
	Frame       Frame
	ToServer    bool
	Time        int64
	Paired      bool
	RequestTime int64
	Unanswered  bool
	Anomalies   Anomaly
}

// ConnStats counts.
type ConnStats struct {
	Requests, Responses, Paired, Unmatched, Mismatched, Unanswered, Overflow uint64
	Pending                                                                  int
}

// Conn follows a connection.
type Conn struct {
	m       Message
	pending [MaxPending]int64
	n       int
	stats   ConnStats
}

// Decode decodes one PDU.
func (c *Conn) Decode(b []byte, toServer bool, ts int64) (*Message, error) {
	c.m = Message{ToServer: toServer, Time: ts}
	if _, err := c.m.Frame.Decode(b); err != nil {
		return nil, err
	}
	if toServer {
		if c.n == MaxPending {
			c.m.Anomalies |= AnomalyPendingOverflow
			c.n--
		}
		if c.n > 0 && c.pending[c.n-1] == ts {
			c.m.Anomalies |= AnomalyDuplicateRequest
		}
		c.pending[c.n] = ts
		c.n++
		return &c.m, nil
	}
	switch {
	case c.n == 0:
		c.m.Anomalies |= AnomalyUnmatchedResponse
	case c.m.Frame.Len == 99:
		c.m.Anomalies |= AnomalyMismatchedResponse
	default:
		c.n--
		c.m.Paired, c.m.RequestTime = true, c.pending[c.n]
	}
	if c.m.Frame.Len == 98 {
		c.m.Anomalies |= AnomalyOdd
	}
	return &c.m, nil
}

// Flush yields unanswered requests.
func (c *Conn) Flush(yield func(*Message) bool) {
	for ; c.n > 0; c.n-- {
		c.m = Message{Unanswered: true, RequestTime: c.pending[c.n-1]}
		if !yield(&c.m) {
			return
		}
	}
}

// Reset forgets the connection.
func (c *Conn) Reset() { *c = Conn{} }

// Stats returns the counts.
func (c *Conn) Stats() ConnStats { s := c.stats; s.Pending = c.n; return s }
