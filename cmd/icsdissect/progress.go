package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// progress draws a one-line progress report over itself on a terminal:
// bytes read of the file, packets per second and the time left.
type progress struct {
	w      io.Writer
	name   string
	total  int64
	bytes  int64 // read so far, counted by a countingReader
	now    func() time.Time
	start  time.Time
	last   time.Time
	width  int // of the line on screen
	redraw time.Duration
}

func newProgress(w io.Writer, name string, total int64, now func() time.Time) *progress {
	t := now()
	return &progress{w: w, name: filepath.Base(name), total: total, now: now, start: t, last: t, redraw: 250 * time.Millisecond}
}

// update redraws the line when the last drawing is old enough (the first
// time a quarter of a second after the start, so that files read faster
// than that show nothing).
func (p *progress) update(packets uint64) {
	t := p.now()
	if t.Sub(p.last) < p.redraw {
		return
	}
	p.last = t
	line := formatProgress(p.name, p.bytes, p.total, packets, t.Sub(p.start))
	pad := max(p.width-len(line), 0)
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
	p.width = len(line)
}

// clear erases the line, if one was drawn.
func (p *progress) clear() {
	if p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
		p.width = 0
	}
}

// formatProgress is the progress line: "plant.pcap: 45.2 of 190.0 MiB
// (23%), 812345 packets, 1.25 M packets/s, 0:12 left".
func formatProgress(name string, done, total int64, packets uint64, elapsed time.Duration) string {
	done = min(done, total)
	pct := 0
	if total > 0 {
		pct = int(done * 100 / total)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s of %s MiB (%d%%), %d packets", name, mib(done), mib(total), pct, packets)
	if elapsed > 0 {
		fmt.Fprintf(&b, ", %s packets/s", rate(float64(packets)/elapsed.Seconds()))
		if done > 0 {
			left := time.Duration(float64(elapsed) * float64(total-done) / float64(done))
			fmt.Fprintf(&b, ", %s left", clock(left))
		}
	}
	return b.String()
}

func mib(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
}

func rate(r float64) string {
	switch {
	case r >= 1e6:
		return strconv.FormatFloat(r/1e6, 'f', 2, 64) + " M"
	case r >= 1e3:
		return strconv.FormatFloat(r/1e3, 'f', 1, 64) + " k"
	}
	return strconv.FormatFloat(r, 'f', 0, 64)
}

// clock formats d as m:ss, or h:mm:ss from an hour.
func clock(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
