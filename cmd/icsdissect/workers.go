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
// one worker, lines go out at once.
type merger struct {
	w       *bufio.Writer
	n       int
	mu      sync.Mutex
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

func newMerger(w *bufio.Writer, workers int) *merger {
	m := &merger{w: w, n: workers, waiting: map[int][]*lineRun{}}
	for range workers {
		m.cur = append(m.cur, &lineRun{})
	}
	return m
}

// write adds worker i's line for frame.
func (m *merger) write(i, frame int, b []byte) {
	if m.n <= 1 {
		m.w.Write(b)
		return
	}
	r := m.cur[i]
	start := len(r.buf)
	r.buf = append(r.buf, b...)
	r.lines = append(r.lines, line{frame, start, len(r.buf)})
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
		m.w.Write(x.r.buf[x.l.start:x.l.end])
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
