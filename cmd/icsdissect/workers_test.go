package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWorkers: with -workers, decode gives the same lines as with one
// worker (in frame order within each run of frames) and the same on every
// run, and summary the same counts.
func TestWorkers(t *testing.T) {
	files := []string{sample}
	more, _ := filepath.Glob("../../../shared/captures/mixed/*.pcap")
	files = append(files, more...)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			code, one, _ := runCmd(t, "decode", f)
			require.Equal(t, 0, code)
			code, two, _ := runCmd(t, "decode", "-workers", "2", f)
			require.Equal(t, 0, code)
			_, twoAgain, _ := runCmd(t, "decode", "-workers", "2", f)
			_, three, _ := runCmd(t, "decode", "-workers", "3", f)
			assert.Equal(t, two, twoAgain, "the same on every run")
			assert.Equal(t, two, three, "the same whatever the number of workers")
			assert.Equal(t, sortedLines(one), sortedLines(two), "the same lines as one worker")

			_, s1, _ := runCmd(t, "summary", f)
			_, s2, _ := runCmd(t, "summary", "-workers", "2", f)
			assert.Equal(t, withoutMemory(s1), withoutMemory(s2))
		})
	}
	if code, _, _ := runCmd(t, "decode", "-workers", "0", sample); code != 2 {
		t.Errorf("-workers 0: exit %d", code)
	}
	if _, err := os.Stat(sample); err != nil {
		t.Fatal(err)
	}
}

func sortedLines(s string) []string {
	l := strings.Split(s, "\n")
	sort.Strings(l)
	return l
}

// withoutMemory drops the summary lines about the flow table and buffers,
// whose sizes are per worker.
func withoutMemory(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "flow table:") && !strings.HasPrefix(l, "stream buffers:") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
