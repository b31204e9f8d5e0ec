package asset

// frameRing remembers the frame numbers of a flow's recent requests by
// capture time, so that an event built from a paired response (whose Conn
// reports the request's time) can name the request's frame. Requests of one
// packet share its time and its frame, so the time is a sound key.
type frameRing struct {
	ts    [32]int64
	frame [32]uint64
	mark  [32]bool // a fact of the request its response does not repeat
	next  uint8
}

// put records the frame of a request seen at ts.
func (r *frameRing) put(ts int64, frame uint64) { r.putMark(ts, frame, false) }

// putMark records the frame of a request seen at ts, with a mark.
func (r *frameRing) putMark(ts int64, frame uint64, mark bool) {
	i := r.next % uint8(len(r.ts))
	r.ts[i], r.frame[i], r.mark[i] = ts, frame, mark
	r.next++
}

// get returns the frame of the most recent request seen at ts, or 0.
func (r *frameRing) get(ts int64) uint64 {
	f, _ := r.getMark(ts)
	return f
}

// getMark returns the frame and mark of the most recent request seen at ts.
func (r *frameRing) getMark(ts int64) (uint64, bool) {
	for k := range uint8(len(r.ts)) {
		i := (r.next - 1 - k) % uint8(len(r.ts))
		if r.ts[i] == ts && r.frame[i] != 0 {
			return r.frame[i], r.mark[i]
		}
	}
	return 0, false
}

// reset forgets every frame.
func (r *frameRing) reset() { *r = frameRing{} }

// printable returns b as text for an identity value: trailing NULs and
// blanks removed, bytes outside printable ASCII as '.', as tshark shows
// strings it does not know to be UTF-8. It allocates.
func printable(b []byte) string {
	for len(b) > 0 && (b[len(b)-1] == 0 || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	out := make([]byte, len(b))
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			c = '.'
		}
		out[i] = c
	}
	return string(out)
}
