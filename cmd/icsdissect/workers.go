package main

import (
	"bufio"
	"slices"
	"sync"
)

// merger puts the lines that several workers write into one output that
// does not depend on timing: each worker's lines wait until every worker
// has reached the same Sync frame, then that run's lines go out sorted by
// frame (the lines of one frame come from one worker, in its order). With
// one worker, lines go out at once (and, live, are flushed at once).
type merger struct {
	w       *bufio.Writer
	n       int
	live    bool
	mu      sync.Mutex
	werr    error              // the first write error
	cur     []*lineRun         // each worker's lines since its last Sync
	waiting map[int][]*lineRun // Sync frame: the runs of the workers there
	free    []*lineRun
}

// lineRun is a worker's lines between two Syncs.
type lineRun struct {
	buf   []byte
	lines []line
}

type line struct {
	frame      int
	start, end int
}

func newMerger(w *bufio.Writer, workers int, live bool) *merger {
	m := &merger{w: w, n: workers, live: live, waiting: map[int][]*lineRun{}}
	for range workers {
		m.cur = append(m.cur, &lineRun{})
	}
	return m
}

// write adds worker i's line for frame. Its error is the first error in
// writing the output, which stops decoding.
func (m *merger) write(i, frame int, b []byte) error {
	if m.n <= 1 {
		_, err := m.w.Write(b)
		if m.live && err == nil {
			err = m.w.Flush()
		}
		return err
	}
	r := m.cur[i]
	start := len(r.buf)
	r.buf = append(r.buf, b...)
	r.lines = append(r.lines, line{frame, start, len(r.buf)})
	return m.err()
}

// err returns the first error in writing the output.
func (m *merger) err() error {
	if m.n <= 1 {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.werr
}

// sync is pcapx's Config.Sync: worker i is past frame.
func (m *merger) sync(i, frame int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.waiting[frame] = append(m.waiting[frame], m.cur[i])
	m.cur[i] = m.take()
	runs := m.waiting[frame]
	if len(runs) < m.n {
		return
	}
	delete(m.waiting, frame)
	type ref struct {
		r *lineRun
		l line
	}
	var all []ref
	for _, r := range runs {
		for _, l := range r.lines {
			all = append(all, ref{r, l})
		}
	}
	slices.SortStableFunc(all, func(a, b ref) int { return a.l.frame - b.l.frame })
	for _, x := range all {
		if m.werr != nil {
			break
		}
		_, m.werr = m.w.Write(x.r.buf[x.l.start:x.l.end])
	}
	if m.live && m.werr == nil {
		m.werr = m.w.Flush()
	}
	for _, r := range runs {
		r.buf, r.lines = r.buf[:0], r.lines[:0]
		m.free = append(m.free, r)
	}
}

func (m *merger) take() *lineRun {
	if n := len(m.free); n > 0 {
		r := m.free[n-1]
		m.free = m.free[:n-1]
		return r
	}
	return &lineRun{}
}
