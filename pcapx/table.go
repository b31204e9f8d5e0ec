package pcapx

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"net/netip"
	"unsafe"
)

// flowKey is a flow's key in canonical order, client first, so that both
// directions of a conversation have one key, in five words: the client's
// and the server's address as read from the packet (an IPv4 address in the
// low half of the first word), and the ports, transport and address family.
type flowKey struct {
	cli, srv [2]uint64
	ports    uint64 // client port<<32 | server port<<16 | transport<<8 | 1 for IPv6
}

func makePorts(cport, sport uint16, tr Transport, v6 bool) uint64 {
	p := uint64(cport)<<32 | uint64(sport)<<16 | uint64(tr)<<8
	if v6 {
		p |= 1
	}
	return p
}

func (k *flowKey) v6() bool      { return k.ports&1 != 0 }
func (k *flowKey) tr() Transport { return Transport(k.ports >> 8) }
func (k *flowKey) cport() uint16 { return uint16(k.ports >> 32) }
func (k *flowKey) sport() uint16 { return uint16(k.ports >> 16) }
func (k *flowKey) eq(o *flowKey) bool {
	return k.ports == o.ports && k.cli[0] == o.cli[0] && k.srv[0] == o.srv[0] && k.cli[1] == o.cli[1] && k.srv[1] == o.srv[1]
}

// setAddr stores an address of 4 or 16 bytes into two words.
func setAddr(w *[2]uint64, a []byte) {
	if len(a) == 16 {
		w[0], w[1] = binary.LittleEndian.Uint64(a[0:8]), binary.LittleEndian.Uint64(a[8:16])
		return
	}
	w[0], w[1] = uint64(binary.LittleEndian.Uint32(a)), 0
}

func addrOf(w *[2]uint64, v6 bool) netip.Addr {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[0:8], w[0])
	if v6 {
		binary.LittleEndian.PutUint64(b[8:16], w[1])
		return netip.AddrFrom16(b)
	}
	return netip.AddrFrom4([4]byte(b[:4]))
}

// public returns the key as a FlowKey.
func (k *flowKey) public() FlowKey {
	v6 := k.v6()
	return FlowKey{
		Client:    netip.AddrPortFrom(addrOf(&k.cli, v6), k.cport()),
		Server:    netip.AddrPortFrom(addrOf(&k.srv, v6), k.sport()),
		Transport: k.tr(),
	}
}

// hashSeed keys the flow hash. Each Decoder draws one at random, so that
// traffic cannot be made to collide in its table without knowing it; the
// workers of a parallel read share one, so that the reader's hash also
// picks the worker.
type hashSeed [4]uint64

func newHashSeed() hashSeed {
	return hashSeed{rand.Uint64(), rand.Uint64(), rand.Uint64(), rand.Uint64() | 1}
}

// mum multiplies and folds the 128-bit product, the mixing step of wyhash.
func mum(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// hash hashes the key once into 64 bits: the low bits place the flow in
// the table, the high bits pick a worker.
func (k *flowKey) hash(s *hashSeed) uint64 {
	h := mum(k.cli[0]^s[0], k.srv[0]^s[1])
	if k.ports&1 != 0 {
		h ^= mum(k.cli[1]^s[2], k.srv[1]^s[0])
	}
	return mum(h^k.ports, s[3])
}

// flow is one record of the flow table: a TCP connection (or a run of
// connections on the same ports) or a UDP exchange. Stream buffers and
// out-of-order segments live out of line and are taken only when needed,
// so an idle flow costs its record alone.
type flow struct {
	hash   uint64
	key    flowKey
	proto  Protocol
	live   bool
	seen   uint8  // 1: a packet toward the server was seen, 2: toward the client
	id     uint32 // the record's index in the table
	lastNS int64  // capture time of the last packet, ns since 1970
	// The fields above fill the record's first 64 bytes, the stream
	// directions and the slot the next 64: a record is two cache lines,
	// which processors fetch together.
	dirs  [2]stream
	state any // the caller's slot
}

// established reports whether the flow saw packets in both directions.
func (f *flow) established() bool { return f.seen == 3 }

// chunkBits sets the size of the table's chunks of records (1024 records,
// 128 KiB). The records of a chunk never move, so a *flow stays valid while
// the flow is in the table.
const (
	chunkBits = 10
	chunkLen  = 1 << chunkBits
)

// flowTable is the flow table: records in chunks, allocated as the table
// grows and reused as flows end, and an open-addressing index (linear
// probing, at most half full, deletion by backward shift) whose entries
// hold 32 bits of the hash and the record's id. A lookup hashes the key
// once and reads the index, then the record.
type flowTable struct {
	chunks []*[chunkLen]flow
	free   []uint32 // ids of free records below hi
	hi     uint32   // records [0, hi) have been used
	n, max int
	peak   int // the most flows at once

	idx  []uint64 // 0: empty; else hash>>32<<32 | id+1
	mask uint64

	hand uint32 // the next record the idle sweep and the eviction look at
	seed hashSeed
	// last is the flow the last lookup found: packets of one flow often
	// follow each other (a request and its answer), and such a packet is
	// matched against it before the index is read. A record that has
	// ended since, or holds another flow, does not match.
	last *flow
	keep bool // a record keeps its slot's value when its flow ends (Config.KeepState)
}

func (t *flowTable) init(max int, seed hashSeed) {
	t.max = max
	t.seed = seed
	if t.idx == nil {
		t.idx = make([]uint64, 64)
		t.mask = 63
	}
}

func (t *flowTable) rec(id uint32) *flow { return &t.chunks[id>>chunkBits][id&(chunkLen-1)] }

// lookup returns the live flow with key k and hash h, or nil.
func (t *flowTable) lookup(h uint64, k *flowKey) *flow {
	if f := t.last; f != nil && f.hash == h && f.live && f.key.eq(k) {
		return f
	}
	tag := h >> 32 << 32
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		e := t.idx[i]
		if e == 0 {
			return nil
		}
		if e&^0xffffffff == tag {
			f := t.rec(uint32(e) - 1)
			if f.hash == h && f.key.eq(k) {
				t.last = f
				return f
			}
		}
	}
}

// warmProbes bounds the index entries warm looks at for a flow.
const warmProbes = 4

// warm asks the processor to load, without waiting, the index entry of
// the flow with hash *idx and both cache lines of the record that the
// index entry of the flow with hash *rec names (that entry was requested
// earlier). Either may be nil. The loads are hints: the entry is found by
// the 32 bits of hash it holds, and one that is not the flow's only warms
// another record.
func (t *flowTable) warm(idx, rec *uint64) {
	var a [3]uintptr
	n := 0
	if idx != nil {
		a[0] = uintptr(unsafe.Pointer(&t.idx[*idx&t.mask]))
		n = 1
	}
	if rec != nil {
		// The entry with the flow's tag, among the first of its probe run.
		tag := *rec >> 32 << 32
		i := *rec & t.mask
		for range warmProbes {
			e := t.idx[i]
			if e == 0 {
				break
			}
			if e&^0xffffffff == tag && uint32(e)-1 < t.hi {
				p := uintptr(unsafe.Pointer(t.rec(uint32(e) - 1)))
				a[n], a[n+1] = p, p+64
				n += 2
				break
			}
			i = (i + 1) & t.mask
		}
	}
	prefetchLines(&a[0], n)
}

// warmAhead is the read-ahead of Packets and the workers, for the packet at
// j of n about to be decoded: it requests the index entry of packet
// j+idxAhead and the record of packet j+recAhead, and at j = 0 first those
// of the packets before them, to start the pipeline. hash(k) is packet k's
// flow hash, or nil if it has none.
func (t *flowTable) warmAhead(j, n int, hash func(k int) *uint64) {
	if j == 0 {
		for k := range min(idxAhead, n) {
			t.warm(hash(k), nil)
		}
		for k := range min(recAhead, n) {
			t.warm(nil, hash(k))
		}
	}
	var idx, rec *uint64
	if k := j + idxAhead; k < n {
		idx = hash(k)
	}
	if k := j + recAhead; k < n {
		rec = hash(k)
	}
	t.warm(idx, rec)
}

// add makes a record for a new flow, growing the table if needed. The
// caller has made room: t.n < t.max.
func (t *flowTable) add(h uint64, k *flowKey, p Protocol) *flow {
	if 2*(t.n+1) > len(t.idx) {
		t.grow()
	}
	var id uint32
	if n := len(t.free); n > 0 {
		id = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		id = t.hi
		if int(id>>chunkBits) == len(t.chunks) {
			t.addChunks()
		}
		t.hi++
	}
	f := t.rec(id)
	// The slot is empty unless the table keeps what the last flow of the
	// record left in it.
	*f = flow{hash: h, key: *k, proto: p, live: true, id: id, state: f.state}
	t.insert(h, id)
	t.n++
	t.peak = max(t.peak, t.n)
	return f
}

func (t *flowTable) insert(h uint64, id uint32) {
	i := h & t.mask
	for t.idx[i] != 0 {
		i = (i + 1) & t.mask
	}
	t.idx[i] = h>>32<<32 | uint64(id+1)
}

// A large table takes its chunks of records slabChunks at a time (8 MiB)
// once it has slabFrom chunks (65,536 flows), and asks for huge pages for
// its slabs and for an index of hugeIndex entries or more (see hugePages).
const (
	slabFrom   = 64
	slabChunks = 64
	hugeIndex  = 1 << 19
)

// addChunks adds room for more records: one chunk, or a slab of chunks.
func (t *flowTable) addChunks() {
	if len(t.chunks) < slabFrom {
		t.chunks = append(t.chunks, new([chunkLen]flow))
		return
	}
	s := new([slabChunks][chunkLen]flow)
	hugePages(unsafe.Pointer(s), unsafe.Sizeof(*s))
	for i := range s {
		t.chunks = append(t.chunks, &s[i])
	}
}

// grow doubles the index.
func (t *flowTable) grow() {
	old := t.idx
	t.idx = make([]uint64, 2*len(old))
	if len(t.idx) >= hugeIndex {
		hugePages(unsafe.Pointer(&t.idx[0]), uintptr(len(t.idx))*8)
	}
	t.mask = uint64(len(t.idx) - 1)
	for _, e := range old {
		if e != 0 {
			id := uint32(e) - 1
			t.insert(t.rec(id).hash, id)
		}
	}
}

// remove takes a flow out of the index and frees its record. Its streams
// must have given their buffers back.
func (t *flowTable) remove(f *flow) {
	id := f.id
	i := f.hash & t.mask
	for uint32(t.idx[i]) != id+1 {
		i = (i + 1) & t.mask
	}
	// Backward shift: move later entries of the probe run into the hole
	// unless their home slot lies (cyclically) after the hole.
	for j := (i + 1) & t.mask; t.idx[j] != 0; j = (j + 1) & t.mask {
		home := t.rec(uint32(t.idx[j])-1).hash & t.mask
		if (j-home)&t.mask >= (j-i)&t.mask {
			t.idx[i] = t.idx[j]
			i = j
		}
	}
	t.idx[i] = 0
	if t.keep {
		*f = flow{state: f.state}
	} else {
		*f = flow{}
	}
	t.free = append(t.free, id)
	t.n--
}

// restart makes an empty table give out its records in the order a new one
// would: from the first up.
func (t *flowTable) restart() {
	t.free = t.free[:0]
	for id := t.hi; id > 0; id-- {
		t.free = append(t.free, id-1)
	}
	t.hand = 0
	t.peak = 0
}

// next returns the live flow at or after the hand, advancing it, or nil
// when the table is empty; it looks at no more than limit records.
func (t *flowTable) next(limit int) *flow {
	if t.n == 0 || t.hi == 0 {
		return nil
	}
	for range limit {
		if t.hand >= t.hi {
			t.hand = 0
		}
		f := t.rec(t.hand)
		t.hand++
		if f.live {
			return f
		}
	}
	return nil
}

// each calls fn for every live flow, in record order. fn may end the flow
// it is given.
func (t *flowTable) each(fn func(f *flow)) {
	for id := uint32(0); id < t.hi && t.n > 0; id++ {
		if f := t.rec(id); f.live {
			fn(f)
		}
	}
}

// flowSize is the size of a flow record.
const flowSize = int(unsafe.Sizeof(flow{}))

// bytes returns the memory the table holds: records and index.
func (t *flowTable) bytes() int {
	return len(t.chunks)*chunkLen*flowSize + 8*len(t.idx) + 4*cap(t.free) + 8*cap(t.chunks)
}
