package dnp3

// DefaultFragmentSize is the standard maximum application fragment size,
// and the default size of a Reassembler's buffer.
const DefaultFragmentSize = 2048

// Reassembler joins the transport segments of one link direction into
// application fragments, checking FIR, FIN and the 6-bit sequence number.
// Its buffer is bounded: a fragment that would grow past it is dropped with
// AnomalyOverflow. A Reassembler is not safe for concurrent use.
type Reassembler struct {
	buf    []byte
	n      int
	seq    uint8
	active bool
}

// NewReassembler returns a Reassembler whose fragments may reach max bytes
// (DefaultFragmentSize when max <= 0). It allocates the buffer once; Add
// never allocates.
func NewReassembler(max int) *Reassembler {
	r := &Reassembler{}
	r.Init(max)
	return r
}

// Init sets up r with a buffer of max bytes (DefaultFragmentSize when max
// <= 0), allocating it once, and resets it.
func (r *Reassembler) Init(max int) {
	if max <= 0 {
		max = DefaultFragmentSize
	}
	if cap(r.buf) != max {
		r.buf = make([]byte, max)
	}
	r.buf = r.buf[:max]
	r.Reset()
}

// Reset drops any fragment in progress.
func (r *Reassembler) Reset() {
	r.n = 0
	r.active = false
}

// InProgress reports whether a fragment has begun and not yet finished.
func (r *Reassembler) InProgress() bool { return r.active }

// Add takes one transport segment (the user data of a link frame: the
// transport header octet and its payload). When the segment completes a
// fragment, Add returns it with done set; the fragment is a view of the
// Reassembler's buffer, valid until the next call to Add or Reset, or, for
// a fragment of a single segment (FIR and FIN), a view of seg itself,
// valid as long as seg is. An
// uninitialised Reassembler initialises itself with the default size on first
// use (the only allocation). Anomalies report dropped or odd segments.
func (r *Reassembler) Add(seg []byte) (frag []byte, done bool, an Anomaly) {
	if len(seg) == 0 {
		return nil, false, 0
	}
	if r.buf == nil {
		r.Init(0)
	}
	t := TransportHeader(seg[0])
	payload := seg[1:]
	switch {
	case t.FIR():
		if r.active {
			an |= AnomalyRestart
		}
		r.n = 0
		r.active = true
	case !r.active:
		return nil, false, an | AnomalyMissingFIR
	case t.Seq() == r.seq:
		return nil, false, an | AnomalyDuplicate
	case t.Seq() != (r.seq+1)&0x3F:
		r.Reset()
		return nil, false, an | AnomalyOutOfSequence
	}
	r.seq = t.Seq()
	if t.FIN() && r.n == 0 && len(payload) <= len(r.buf) {
		// A fragment of one segment: a view of seg, no copy.
		r.active = false
		return payload[:len(payload):len(payload)], true, an
	}
	if len(payload) > len(r.buf)-r.n {
		r.Reset()
		return nil, false, an | AnomalyOverflow
	}
	r.n += copy(r.buf[r.n:], payload)
	if t.FIN() {
		r.active = false
		return r.buf[:r.n:r.n], true, an
	}
	return nil, false, an
}

// LinkKey identifies one direction of one link: source, destination and
// the DIR bit.
type LinkKey struct {
	Src, Dst uint16
	Dir      bool
}

// Key returns the link key of the header.
func (h LinkHeader) Key() LinkKey { return LinkKey{Src: h.Src, Dst: h.Dst, Dir: h.Control.Dir()} }

// transportSlots is how many links a Transport follows at once.
const transportSlots = 4

// Transport reassembles fragments for several links at once, keeping one
// Reassembler per link (source, destination, direction) in a fixed table of
// four; a fifth link takes the least recently used slot. The zero value is
// ready to use with DefaultFragmentSize buffers; Init sets another size. It
// allocates only the first time each slot is used.
type Transport struct {
	max   int
	tick  uint64
	last  uint8 // the slot of the previous call to For
	slots [transportSlots]struct {
		key  LinkKey
		used uint64
		r    Reassembler
	}
}

// Init sets the fragment size limit for every link (DefaultFragmentSize
// when max <= 0) and forgets all state.
func (t *Transport) Init(max int) {
	*t = Transport{max: max}
}

// Reset drops every fragment in progress.
func (t *Transport) Reset() {
	for i := range t.slots {
		t.slots[i].r.Reset()
		t.slots[i].used = 0
	}
}

// Add passes the user data of a decoded link frame to the reassembler of
// its link. It returns a completed fragment as Reassembler.Add does, valid
// until the next call to Add on that link; a fragment of a single segment
// is a view of f.UserData, valid until the Decoder's next call.
func (t *Transport) Add(f *LinkFrame) (frag []byte, done bool, an Anomaly) {
	k := LinkKey{Src: f.Src, Dst: f.Dst, Dir: f.Control&0x80 != 0}
	seg := f.UserData
	if s := &t.slots[t.last]; len(seg) > 0 && seg[0]&0xC0 == 0xC0 && s.used != 0 && s.key == k &&
		!s.r.active && len(seg)-1 <= len(s.r.buf) {
		// The common case: a fragment of one segment (FIR and FIN) on
		// the link of the previous frame, with nothing in progress. This
		// is what For and Reassembler.Add do for it, without the calls.
		t.tick++
		s.used = t.tick
		s.r.n, s.r.seq = 0, seg[0]&0x3F
		return seg[1:len(seg):len(seg)], true, 0
	}
	return t.For(k).Add(seg)
}

// For returns the Reassembler of link k, taking the least recently used
// slot when k is new.
func (t *Transport) For(k LinkKey) *Reassembler {
	t.tick++
	if s := &t.slots[t.last]; s.used != 0 && s.key == k {
		// The link of the previous frame: the common case.
		s.used = t.tick
		return &s.r
	}
	victim := 0
	for i := range t.slots {
		s := &t.slots[i]
		if s.used != 0 && s.key == k {
			s.used = t.tick
			t.last = uint8(i)
			return &s.r
		}
		if s.used < t.slots[victim].used {
			victim = i
		}
	}
	s := &t.slots[victim]
	t.last = uint8(victim)
	s.key = k
	s.used = t.tick
	if s.r.buf == nil || (t.max > 0 && len(s.r.buf) != t.max) {
		s.r.Init(t.max)
	} else {
		s.r.Reset()
	}
	return &s.r
}
