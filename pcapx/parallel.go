package pcapx

import (
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Parallel decoding (Config.Workers). The reading goroutine parses each
// packet's headers with the Decoder's port table and hash seed, decodes
// itself what belongs to no flow (foreign, malformed) and the IPv4
// fragments (reassembly), and appends the rest, parsed, to the batch of the
// worker its flow's hash picks. A worker is a Decoder of its own, fed by a
// channel of batches. Each worker has 16 batches in flight (about 6 MB:
// 1,024 parsed packets and 256 KiB of payload each), so that the reader
// can run far ahead of a worker whose flows fill a stretch of the capture
// while the other workers' flows are quiet; with 4, such stretches held the
// reader back and left the other workers idle. A full worker holds the
// reader back.

const (
	parBatchLen   = 1024    // packets per batch
	parBatchBytes = 1 << 18 // bytes of packets per batch
	parBatches    = 16      // batches per worker
	syncEvery     = 4096    // frames between Sync calls
)

// parEnt is a packet for a worker: its frame, time and parsed headers, its
// payload in the batch's arena. It holds no pointer, so that filling a
// batch is plain copying.
type parEnt struct {
	frame  int
	sec    int64
	nsec   int32
	off, n int32 // the payload: arena[off:off+n]
	head   parsedHead
	seq    uint32
	ack    uint32
	hash   uint64
	key    flowKey
}

// parBatch is a batch of packets for one worker. After decoding them the
// worker flushes (end of input) and calls Sync, if asked.
type parBatch struct {
	ents  []parEnt
	arena []byte
	loc   *time.Location // of the times of its packets
	sync  int
	flush bool
	last  time.Time // with flush: the time of the capture's last packet
}

// parWorker is one worker: its Decoder and its batches.
type parWorker struct {
	d    *Decoder
	in   chan *parBatch
	free chan *parBatch
	cur  *parBatch
}

// workers returns the workers, making them on the first parallel read.
func (d *Decoder) workers() []*parWorker {
	n := d.cfg.Workers
	if len(d.par) == n {
		return d.par
	}
	d.par = make([]*parWorker, n)
	for i := range d.par {
		c := d.cfg
		c.Workers, c.Worker, c.Sync, c.Accept = 0, nil, nil, nil
		c.MaxFlows = (d.cfg.MaxFlows + n - 1) / n
		c.MemoryBudget = d.cfg.MemoryBudget / n
		if d.cfg.Worker != nil {
			h, on := d.cfg.Worker(i)
			if h != nil {
				c.Handler = h
			}
			if on != nil {
				c.OnFlow = on
			}
		}
		wd := NewDecoder(c)
		wd.ports = d.ports
		wd.flows.seed = d.flows.seed
		w := &parWorker{d: wd, free: make(chan *parBatch, parBatches)}
		for range parBatches {
			w.free <- &parBatch{ents: make([]parEnt, 0, parBatchLen), arena: make([]byte, 0, parBatchBytes)}
		}
		d.par[i] = w
	}
	return d.par
}

// readParallel is read with workers.
func (d *Decoder) readParallel(next func(*source) error) error {
	ws := d.workers()
	var stopped atomic.Bool
	var wg sync.WaitGroup
	for i, w := range ws {
		w.in = make(chan *parBatch, parBatches)
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.run(i, d.cfg.Sync, &stopped)
		}()
	}
	err := d.dispatch(ws, next, &stopped)
	// The end: every worker flushes and syncs once more.
	for _, w := range ws {
		b := w.batch()
		b.flush = true
		b.sync = d.frame
		b.last = d.curTS
		w.in <- b
		w.cur = nil
		close(w.in)
	}
	wg.Wait()
	ferr := d.Flush() // the reader's own: fragments left over
	for _, w := range ws {
		if w.d.stopErr != nil {
			return w.d.stopErr
		}
	}
	if ferr != nil {
		return ferr
	}
	if err == io.EOF {
		return nil
	}
	return err
}

// dispatch reads the packets and hands them to the workers until next
// fails or a worker's handler stops decoding.
func (d *Decoder) dispatch(ws []*parWorker, next func(*source) error, stopped *atomic.Bool) error {
	n := uint64(len(ws))
	var src source
	var last time.Time // the time of the last packet
	synced := 0        // the frame of the last Sync
	defer func() { d.curTS = last }()
	for !stopped.Load() {
		err := next(&src)
		if err != nil {
			return err
		}
		if src.idle {
			// Hand the workers their partial batches and, if the
			// caller merges, a Sync for the frames since the last.
			if d.cfg.Sync != nil && d.frame > synced {
				synced = d.syncWorkers(ws)
				continue
			}
			for _, w := range ws {
				if w.cur != nil && len(w.cur.ents) > 0 {
					w.send()
				}
			}
			continue
		}
		last = src.ts
		if d.cfg.Accept != nil && !src.oversize && !d.cfg.Accept(src.lt, src.data) {
			continue
		}
		d.frame++
		pk := &d.pk
		switch {
		case src.oversize:
			d.begin(src.ts)
			d.malformed(RecordTooLarge)
			d.end()
			pk = nil
		default:
			d.parse(pk, src.lt, src.data)
			if pk.frag && pk.reason == ReasonNone {
				d.begin(src.ts)
				d.cur.link = pk.link
				if pk.cut {
					d.stats.IPTruncated++
				}
				d.curSkip = SkipFragment
				if pk.fragOff == 0 && pk.skip != SkipNone {
					d.curSkip = pk.skip
				}
				res, dg := d.frags.add(pk, d.cur.ns, &d.mem, &d.stats, d.dropHolder)
				if res != fragComplete {
					d.end()
					pk = nil
					break
				}
				// The datagram is the frame's: a worker decodes it.
				d.stats.Frames--
				q := &d.pk2
				*q = parsed{parsedHead: parsedHead{link: pk.link}}
				d.parseIPv4(q, dg)
				pk = q
			}
			if pk.flow {
				break
			}
			d.begin(src.ts)
			d.process(pk)
			d.end()
			pk = nil
		}
		if pk != nil {
			w := ws[(pk.hash>>32)*n>>32]
			w.add(d.frame, src.ts, pk)
		}
		if d.cfg.Sync != nil && d.frame%syncEvery == 0 {
			synced = d.syncWorkers(ws)
		}
	}
	return nil
}

// syncWorkers hands every worker its batch with a Sync for the frames
// read so far, and returns that frame.
func (d *Decoder) syncWorkers(ws []*parWorker) int {
	for _, w := range ws {
		w.batch().sync = d.frame
		w.send()
	}
	return d.frame
}

// batch returns the worker's current batch, taking a free one if needed.
func (w *parWorker) batch() *parBatch {
	if w.cur == nil {
		w.cur = <-w.free
	}
	return w.cur
}

// send hands the current batch to the worker.
func (w *parWorker) send() {
	if w.cur != nil {
		w.in <- w.cur
		w.cur = nil
	}
}

// add appends a parsed packet to the worker's batch: the fields of its
// headers, and its payload copied into the arena.
func (w *parWorker) add(frame int, ts time.Time, pk *parsed) {
	b := w.batch()
	loc := ts.Location()
	if len(b.ents) > 0 && loc != b.loc || len(pk.payload) > cap(b.arena)-len(b.arena) {
		w.send()
		b = w.batch()
		if len(pk.payload) > cap(b.arena) {
			// A payload larger than the arena (a large MaxRecord).
			b.arena = make([]byte, 0, len(pk.payload))
		}
	}
	b.loc = loc
	off := len(b.arena)
	b.arena = append(b.arena, pk.payload...)
	b.ents = b.ents[:len(b.ents)+1]
	e := &b.ents[len(b.ents)-1]
	e.frame = frame
	e.sec, e.nsec = ts.Unix(), int32(ts.Nanosecond())
	e.off, e.n = int32(off), int32(len(pk.payload))
	e.head = pk.parsedHead
	e.seq, e.ack, e.hash, e.key = pk.seq, pk.ack, pk.hash, pk.key
	if len(b.ents) == cap(b.ents) {
		w.send()
	}
}

// run decodes the batches given to worker i until its channel closes.
func (w *parWorker) run(i int, syncFn func(int, int), stopped *atomic.Bool) {
	d := w.d
	pk := &d.pk
	for b := range w.in {
		if !stopped.Load() {
			es := b.ents
			t := &d.flows
			hash := func(k int) *uint64 { return &es[k].hash }
			for j := range es {
				if t.n >= prefetchFlows {
					t.warmAhead(j, len(es), hash) // as in Packets
				}
				e := &es[j]
				pk.parsedHead = e.head
				pk.seq, pk.ack, pk.hash, pk.key = e.seq, e.ack, e.hash, e.key
				pk.payload = b.arena[e.off : e.off+e.n : e.off+e.n]
				d.frame = e.frame
				d.begin(time.Unix(e.sec, int64(e.nsec)).In(b.loc))
				d.process(pk)
				if d.end() != nil {
					stopped.Store(true)
					break
				}
			}
			if b.flush {
				// Idle time counts up to the capture's last packet.
				if b.last.After(d.curTS) {
					d.curTS, d.cur.ns = b.last, b.last.UnixNano()
				}
				if d.Flush() != nil {
					stopped.Store(true)
				}
			}
		}
		if b.sync > 0 && syncFn != nil {
			syncFn(i, b.sync)
		}
		b.ents = b.ents[:0] // parEnt holds no pointer: nothing to clear
		b.arena = b.arena[:0]
		b.sync, b.flush, b.last, b.loc = 0, false, time.Time{}, nil
		w.free <- b
	}
}

// mergeStats adds the counts of s to t.
func mergeStats(t *Stats, s *Stats) {
	t.Frames += s.Frames
	t.Decoded += s.Decoded
	t.Malformed += s.Malformed
	t.NotOurs += s.NotOurs
	for i := range t.MalformedBy {
		t.MalformedBy[i] += s.MalformedBy[i]
	}
	for i := range t.NotOursBy {
		t.NotOursBy[i] += s.NotOursBy[i]
	}
	t.IPTruncated += s.IPTruncated
	t.Reassembled += s.Reassembled
	t.FragmentDrops += s.FragmentDrops
	for i := range t.Protocols {
		t.Protocols[i].add(&s.Protocols[i])
	}
	t.ActiveFlows += s.ActiveFlows
	t.MaxFlows += s.MaxFlows
	t.PeakFlows += s.PeakFlows
	t.TableBytes += s.TableBytes
	t.Buffered += s.Buffered
	t.Pooled += s.Pooled
	t.BufferedPeak += s.BufferedPeak
	t.History += s.History
	t.MemoryBudget += s.MemoryBudget
}
