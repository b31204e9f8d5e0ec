package pcapx

// Stream buffers live out of line: a stream direction holds a buffer only
// while it has bytes waiting (a partial PDU, or segments waiting for a hole
// to fill), takes it from the Decoder's pool when it needs one and gives it
// back as soon as it is empty or the flow ends. Buffers come in size
// classes, doubling from minBufClass up to the largest size a stream may
// need, so that a buffer taken for n bytes always holds n bytes and the pool
// reaches a steady state: once it holds as many buffers of each class as
// were ever in use at once, nothing more is allocated.
const minBufClass = 512

// bufPool keeps free stream buffers by size class.
type bufPool struct {
	free [][][]byte // free[c] holds buffers of capacity classSize(c)
	max  int        // the largest buffer, the size of the last class
}

func (p *bufPool) init(largest int) {
	p.max = max(largest, minBufClass)
	n := 1
	for minBufClass<<(n-1) < p.max {
		n++
	}
	if len(p.free) != n {
		p.free = make([][][]byte, n)
	}
}

// class returns the smallest class whose buffers hold n bytes.
func (p *bufPool) class(n int) int {
	c := 0
	for minBufClass<<c < n && c < len(p.free)-1 {
		c++
	}
	return c
}

func (p *bufPool) classSize(c int) int { return min(minBufClass<<c, p.max) }

// get returns an empty buffer with room for n bytes (at most p.max).
func (p *bufPool) get(n int) []byte {
	c := p.class(n)
	if l := len(p.free[c]); l > 0 {
		b := p.free[c][l-1]
		p.free[c] = p.free[c][:l-1]
		return b
	}
	return make([]byte, 0, p.classSize(c))
}

// put returns a buffer to the pool. Buffers that did not come from it
// (another capacity) are left to the garbage collector.
func (p *bufPool) put(b []byte) {
	if cap(b) == 0 {
		return
	}
	c := p.class(cap(b))
	if p.classSize(c) != cap(b) {
		return
	}
	p.free[c] = append(p.free[c], b[:0])
}

// grow returns b with room for n more bytes, moving its contents to a
// buffer of a larger class when it has not.
func (p *bufPool) grow(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b
	}
	nb := append(p.get(len(b)+n), b...)
	p.put(b)
	return nb
}
