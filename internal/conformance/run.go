package conformance

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// Job is one capture to compare for one protocol.
type Job struct {
	File string
	Spec Spec
}

// Result is a Job's report, or the error that stopped it.
type Result struct {
	Report
	Err error
}

// Jobs pairs each file with the specs that apply to it: the spec whose Dir is
// the file's folder name, or every spec when none matches (as for a folder
// of mixed captures). A non-empty only restricts the specs to that protocol.
func Jobs(files []string, only string) []Job {
	var jobs []Job
	for _, f := range files {
		dir := filepath.Base(filepath.Dir(f))
		var matched []Spec
		for _, s := range Specs() {
			if only != "" && s.Proto.String() != only {
				continue
			}
			matched = append(matched, s)
		}
		if only == "" {
			for _, s := range matched {
				if s.Dir == dir {
					matched = []Spec{s}
					break
				}
			}
		}
		for _, s := range matched {
			jobs = append(jobs, Job{File: f, Spec: s})
		}
	}
	return jobs
}

// RunAll runs jobs on up to workers goroutines (GOMAXPROCS when workers <= 0)
// and returns their results in the order of jobs.
func RunAll(ctx context.Context, jobs []Job, opt Options, workers int) []Result {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	results := make([]Result, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r, err := Compare(ctx, jobs[i].File, jobs[i].Spec, opt)
				results[i] = Result{Report: r, Err: err}
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// DefaultCacheDir is where tshark's output is cached between runs: the user's
// cache directory, or "" (no cache) when there is none.
func DefaultCacheDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "icsdissect", "tsharkdiff")
}

// Totals sums a set of results.
type Totals struct {
	Frames, Fields, Mismatches, Unexplained, TsharkOnly, OursOnly int
	// RuleBased counts the divergences rules explain (mismatches and
	// one-sided frames), PerFrame the mismatches per-frame entries explain.
	RuleBased, PerFrame int
	// ByRule counts the divergences each rule explains.
	ByRule map[string]int
}

// Add adds r to t.
func (t *Totals) Add(r Report) {
	t.Frames += r.Frames
	t.Fields += r.Fields
	t.Mismatches += len(r.Mismatches)
	t.Unexplained += r.Unexplained()
	t.TsharkOnly += len(r.TsharkOnly)
	t.OursOnly += len(r.OursOnly)
	t.RuleBased += r.RuleBased()
	t.PerFrame += r.PerFrame()
	count := func(rule string) {
		if t.ByRule == nil {
			t.ByRule = map[string]int{}
		}
		t.ByRule[rule]++
	}
	for _, m := range r.Mismatches {
		if m.Rule != "" {
			count(m.Rule)
		}
	}
	for _, o := range r.TsharkOnlyExplained {
		count(o.Rule)
	}
	for _, o := range r.OursOnlyExplained {
		count(o.Rule)
	}
}
