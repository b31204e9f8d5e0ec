package pcapx

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pduLine is a PDU as text, for comparing decodes.
func pduLine(p *PDU) string {
	return fmt.Sprintf("%d %v %v %v>%v gap=%v vlans=%d %x %x", p.Frame, p.Proto, p.Transport, p.Src, p.Dst, p.Gap, p.VLANs, p.SrcMAC, p.Data)
}

// parallelRun decodes file with n workers and returns each flow's PDUs in
// order, the flow events per flow, and the counts.
func parallelRun(t *testing.T, file []byte, n int) (map[FlowKey][]string, map[FlowKey]string, Stats) {
	var mu sync.Mutex
	pdus := map[FlowKey][]string{}
	events := map[FlowKey]string{}
	cfg := Config{
		Workers: n,
		Handler: func(p *PDU) error {
			mu.Lock()
			pdus[p.Flow] = append(pdus[p.Flow], pduLine(p))
			mu.Unlock()
			return nil
		},
		OnFlow: func(e *FlowEvent) {
			mu.Lock()
			events[e.Flow] += e.Kind.String()[:1]
			mu.Unlock()
		},
	}
	st, err := Read(bytes.NewReader(file), cfg)
	if err != nil && !errors.Is(err, ErrTruncatedFile) && !errors.Is(err, ErrCorruptFile) {
		t.Fatal(err)
	}
	return pdus, events, st
}

// TestParallelSame: over the corpus (or the synthetic capture when it is
// absent), decoding with 2 and 3 workers gives every flow the same PDUs in
// the same order, the same flow events and the same counts as one Decoder.
func TestParallelSame(t *testing.T) {
	files := map[string][]byte{"synthetic": syntheticCapture()}
	names, _ := filepath.Glob(filepath.Join(capturesDir, "*", "*"))
	if len(names) == 0 {
		t.Log("the shared corpus is absent: synthetic capture only")
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		files[filepath.Base(name)] = b
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range files {
			if !yield(k) {
				return
			}
		}
	})
	for _, name := range keys {
		file := files[name]
		want, wantEv, wantSt := parallelRun(t, file, 1)
		for _, n := range []int{2, 3} {
			got, gotEv, gotSt := parallelRun(t, file, n)
			if !assert.Equal(t, want, got, "%s: PDUs with %d workers", name, n) {
				continue
			}
			assert.Equal(t, wantEv, gotEv, "%s: flow events with %d workers", name, n)
			// The bounds, memory and peaks are per worker, summed.
			gotSt.MaxFlows, gotSt.MemoryBudget, gotSt.TableBytes, gotSt.BufferedPeak, gotSt.Pooled, gotSt.PeakFlows = wantSt.MaxFlows, wantSt.MemoryBudget, wantSt.TableBytes, wantSt.BufferedPeak, wantSt.Pooled, wantSt.PeakFlows
			assert.Equal(t, wantSt, gotSt, "%s: counts with %d workers", name, n)
		}
	}
}

// TestParallelSync: with Sync, what the workers deliver can be merged into
// an output that is the same on every run, whichever worker decodes which
// flow (the hash seed differs from run to run), and the same as one
// Decoder's.
func TestParallelSync(t *testing.T) {
	// Many frames, so that Sync comes several times.
	one, _ := loadBytes(t, syntheticCapture())
	var raw [][]byte
	for range 16 {
		for _, p := range one {
			raw = append(raw, p.data)
		}
	}
	pkts := pcapFile(1, raw...)
	run := func() []string {
		const n = 3
		var mu sync.Mutex
		pending := make([][]string, n) // each worker's lines since its last Sync
		done := map[int][][]string{}   // frame: the lines of each worker
		var out []string
		cfg := Config{Workers: n}
		cfg.Worker = func(w int) (Handler, func(*FlowEvent)) {
			return func(p *PDU) error {
				pending[w] = append(pending[w], pduLine(p))
				return nil
			}, nil
		}
		cfg.Sync = func(w, frame int) {
			mu.Lock()
			defer mu.Unlock()
			done[frame] = append(done[frame], append([]string{fmt.Sprint(w)}, pending[w]...))
			pending[w] = nil
			if len(done[frame]) == n {
				// Every worker is past frame: merge by frame. PDUs of
				// one frame come from one worker, in its order.
				var lines []string
				for _, l := range done[frame] {
					lines = append(lines, l[1:]...)
				}
				sort.SliceStable(lines, func(i, j int) bool { return lineFrame(lines[i]) < lineFrame(lines[j]) })
				out = append(out, lines...)
				delete(done, frame)
			}
		}
		st, err := Read(bytes.NewReader(pkts), cfg)
		require.NoError(t, err)
		require.Greater(t, st.Frames, uint64(3*syncEvery))
		return out
	}
	first := run()
	require.NotEmpty(t, first)
	for range 3 {
		assert.Equal(t, first, run())
	}
	var single []string
	_, err := Read(bytes.NewReader(pkts), Config{Handler: func(p *PDU) error {
		single = append(single, pduLine(p))
		return nil
	}})
	require.NoError(t, err)
	assert.Equal(t, single, first)
}

func lineFrame(l string) int {
	var f int
	fmt.Sscan(l, &f)
	return f
}

// TestParallelStop: a handler's ErrStop stops a parallel read and is
// returned.
func TestParallelStop(t *testing.T) {
	var mu sync.Mutex
	n := 0
	cfg := Config{Workers: 2, Handler: func(p *PDU) error {
		mu.Lock()
		defer mu.Unlock()
		n++
		if n == 10 {
			return fmt.Errorf("enough: %w", ErrStop)
		}
		return nil
	}}
	_, err := Read(bytes.NewReader(syntheticCapture()), cfg)
	require.ErrorIs(t, err, ErrStop)
}

// TestMergeStats: merging counts adds every field (so that a new field
// cannot be forgotten).
func TestMergeStats(t *testing.T) {
	var one Stats
	fill(&one)
	var sum Stats
	mergeStats(&sum, &one)
	mergeStats(&sum, &one)
	var two Stats
	fill(&two)
	double(&two)
	assert.Equal(t, two, sum)
}

// fill sets every number in v (a pointer to a struct) to a distinct value.
func fill(v any) {
	n := 1
	var walk func(r reflect.Value)
	walk = func(r reflect.Value) {
		switch r.Kind() {
		case reflect.Struct:
			for i := range r.NumField() {
				walk(r.Field(i))
			}
		case reflect.Array:
			for i := range r.Len() {
				walk(r.Index(i))
			}
		case reflect.Int, reflect.Int64:
			r.SetInt(int64(n))
			n++
		case reflect.Uint64:
			r.SetUint(uint64(n))
			n++
		}
	}
	walk(reflect.ValueOf(v).Elem())
}

// double doubles every number in v.
func double(v any) {
	var walk func(r reflect.Value)
	walk = func(r reflect.Value) {
		switch r.Kind() {
		case reflect.Struct:
			for i := range r.NumField() {
				walk(r.Field(i))
			}
		case reflect.Array:
			for i := range r.Len() {
				walk(r.Index(i))
			}
		case reflect.Int, reflect.Int64:
			r.SetInt(2 * r.Int())
		case reflect.Uint64:
			r.SetUint(2 * r.Uint())
		}
	}
	walk(reflect.ValueOf(v).Elem())
}
