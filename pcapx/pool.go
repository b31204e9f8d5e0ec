package pcapx

// Stream buffers live out of line: a stream direction holds a buffer only
// while it has bytes waiting (a partial PDU, or segments waiting for a hole
// to fill), takes it from the Decoder's pool when it needs one and gives it
// back as soon as it is empty or the flow ends. Buffers come in size
// classes, doubling from minBufClass up to the largest size a stream may
// need, so that a buffer taken for n bytes always holds n bytes and the pool
// reaches a steady state: once it holds as many buffers of each class as
// were ever in use at once, nothing more is allocated.
//
// Every buffer, held by a stream or free in the pool, counts against one
// budget (Config.MemoryBudget). A stream that needs more room than the
// budget has left first makes the pool give up free buffers (to the garbage
// collector), then drops the bytes of the holders that have gone longest
// without adding any (oldest first): their partial PDUs or waiting segments
// are lost, counted in ProtoStats.BudgetDrops and BudgetDropBytes, and the
// next PDU of each is marked as after a gap.
const minBufClass = 512

// holder is a stream direction that holds a buffer: its place in the list
// of holders, oldest first.
type holder struct {
	prev, next *holder
	f          *flow
	dir        uint8
	ooo        bool // the out-of-order buffer, not the Split buffer
}

// sbuf is the out-of-line state of a stream direction that has bytes
// waiting: its Split buffer (the bytes waiting for Split are b[off:], and
// in is the segment that added the last of them) and the segments waiting
// for a hole to fill. The embedded holder holds b.
type sbuf struct {
	holder
	b   []byte
	off int
	in  segInfo
	// last is where in b the bytes of the segment in begin; the bytes
	// before came with the segment before, inPrev (a token that ends there
	// was held back by a Resync that looks at the byte after a PDU).
	last   int
	inPrev segInfo
	ooo    *oooState
	// The stream's candidate (see Decoder.candidate), if candOK: where an
	// ignored SYN (candSYN, with its window scale option candWS) or an
	// out-of-window segment says the stream may have moved.
	cand    uint32
	candOK  bool
	candSYN bool
	candWS  uint8
	// After a differing overlap (see Decoder.overlap), if framedOK: the
	// bytes before framed, the first byte sent again, precede it, so a
	// PDU that Split cuts ending there is taken as Split cuts it; framing
	// re-checks with Resync from the first PDU that does not.
	framed   uint32
	framedOK bool
}

// segInfo is what a PDU tells of the segment that completed it: its frame,
// capture time and link-layer facts.
type segInfo struct {
	frame int
	ns    int64
	link  linkInfo
}

// oooState holds the segments of a stream direction that arrived ahead of
// the next expected sequence number; their bytes are in buf.
type oooState struct {
	holder
	segs [maxOOO]oooSeg
	n    int
	buf  []byte
}

// memory is a Decoder's stream memory: free buffers by size class, free
// sbuf and oooState values, the holders and the budget.
type memory struct {
	free   [][][]byte // free[c] holds buffers of capacity classSize(c)
	max    int        // the largest buffer, the size of the last class
	budget int

	held   int // bytes in buffers that streams hold
	pooled int // bytes in free buffers
	peak   int // the most held + pooled so far

	oldest, newest *holder

	sbufs []*sbuf
	ooos  []*oooState
}

func (m *memory) init(largest, budget int) {
	m.max = max(largest, minBufClass)
	m.budget = budget
	n := 1
	for minBufClass<<(n-1) < m.max {
		n++
	}
	if len(m.free) != n {
		m.free = make([][][]byte, n)
	}
	m.trim()
}

// class returns the smallest class whose buffers hold n bytes.
func (m *memory) class(n int) int {
	c := 0
	for minBufClass<<c < n && c < len(m.free)-1 {
		c++
	}
	return c
}

func (m *memory) classSize(c int) int { return min(minBufClass<<c, m.max) }

// take returns an empty buffer with room for n bytes (at most m.max) for
// holder h, from the pool if it has one, else new if the budget allows
// after freeing room. It returns nil when the budget cannot make room even
// by dropping every other holder. drop is called for each holder dropped.
func (m *memory) take(n int, h *holder, drop func(*holder)) []byte {
	c := m.class(n)
	size := m.classSize(c)
	for {
		if l := len(m.free[c]); l > 0 {
			b := m.free[c][l-1]
			m.free[c][l-1] = nil
			m.free[c] = m.free[c][:l-1]
			m.pooled -= size
			m.held += size
			return b
		}
		if m.held+m.pooled+size <= m.budget {
			m.held += size
			m.peak = max(m.peak, m.held+m.pooled)
			return make([]byte, 0, size)
		}
		if m.pooled > 0 {
			m.shed(size)
			continue
		}
		// Drop the oldest holder, other than the stream direction
		// asking (whose other buffer may be the bytes being added).
		v := m.oldest
		for v != nil && v.f == h.f && v.dir == h.dir {
			v = v.next
		}
		if v == nil {
			return nil
		}
		drop(v)
	}
}

// shed gives free buffers to the garbage collector, largest first, until
// size bytes more fit in the budget or the pool is empty.
func (m *memory) shed(size int) {
	for c := len(m.free) - 1; c >= 0 && m.held+m.pooled+size > m.budget; c-- {
		for len(m.free[c]) > 0 && m.held+m.pooled+size > m.budget {
			l := len(m.free[c])
			m.free[c][l-1] = nil
			m.free[c] = m.free[c][:l-1]
			m.pooled -= m.classSize(c)
		}
	}
}

// give returns a buffer a holder held to the pool.
func (m *memory) give(b []byte) {
	if cap(b) == 0 {
		return
	}
	c := m.class(cap(b))
	if m.classSize(c) != cap(b) {
		return
	}
	m.held -= cap(b)
	m.pooled += cap(b)
	m.free[c] = append(m.free[c], b[:0])
}

// trim sheds free buffers beyond the budget (after it shrank).
func (m *memory) trim() { m.shed(0) }

// link puts h at the newest end of the holders.
func (m *memory) link(h *holder) {
	h.prev, h.next = m.newest, nil
	if m.newest != nil {
		m.newest.next = h
	} else {
		m.oldest = h
	}
	m.newest = h
}

func (m *memory) unlink(h *holder) {
	if h.prev != nil {
		h.prev.next = h.next
	} else if m.oldest == h {
		m.oldest = h.next
	}
	if h.next != nil {
		h.next.prev = h.prev
	} else if m.newest == h {
		m.newest = h.prev
	}
	h.prev, h.next = nil, nil
}

// touch makes h the newest holder.
func (m *memory) touch(h *holder) {
	if m.newest != h {
		m.unlink(h)
		m.link(h)
	}
}

func (m *memory) newSbuf() *sbuf {
	if n := len(m.sbufs); n > 0 {
		b := m.sbufs[n-1]
		m.sbufs = m.sbufs[:n-1]
		return b
	}
	return new(sbuf)
}

// freeSbuf takes back an sbuf whose buffer and out-of-order state have
// been given back.
func (m *memory) freeSbuf(b *sbuf) {
	*b = sbuf{}
	m.sbufs = append(m.sbufs, b)
}

func (m *memory) newOOO() *oooState {
	if n := len(m.ooos); n > 0 {
		o := m.ooos[n-1]
		m.ooos = m.ooos[:n-1]
		return o
	}
	return new(oooState)
}

func (m *memory) freeOOO(o *oooState) {
	m.give(o.buf)
	m.unlink(&o.holder)
	*o = oooState{}
	m.ooos = append(m.ooos, o)
}
