package conformance

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// capturesDir finds the shared capture corpus: $ICSDISSECT_CAPTURES, or
// ../shared/captures beside the repository.
func capturesDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ICSDISSECT_CAPTURES")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "captures")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("capture corpus not found at %s (set ICSDISSECT_CAPTURES or put shared/ beside the repository); skipping the Wireshark comparison", dir)
	}
	return dir
}

func requireTshark(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark not on PATH (Debian package tshark); skipping the Wireshark comparison")
	}
}

func corpusFiles(t *testing.T, dir string, spec Spec) []string {
	t.Helper()
	var files []string
	for _, sub := range []string{spec.Dir, "mixed"} {
		m, err := filepath.Glob(filepath.Join(dir, sub, "*.pcap*"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	return files
}

// packageCaptures are captures the protocol packages keep in their
// testdata, compared with the corpus: made to hold every type or function
// the package decodes (see their testdata/README.md).
var packageCaptures = map[string][]string{
	"iec104": {filepath.Join("..", "..", "iec104", "testdata", "types.pcap")},
}

// TestCorpus compares every capture of the corpus with tshark, protocol by
// protocol: no unexplained mismatch and no frame that only tshark decodes.
func TestCorpus(t *testing.T) {
	dir := capturesDir(t)
	requireTshark(t)
	if testing.Short() {
		t.Skip("-short: skipping the Wireshark comparison over the corpus")
	}
	var jobs []Job
	for _, spec := range Specs() {
		for _, f := range corpusFiles(t, dir, spec) {
			jobs = append(jobs, Job{File: f, Spec: spec})
		}
		for _, f := range packageCaptures[spec.Dir] {
			jobs = append(jobs, Job{File: f, Spec: spec})
		}
	}
	results := RunAll(context.Background(), jobs, Options{CacheDir: DefaultCacheDir()}, 0)
	byProto := map[string][]Result{}
	for _, r := range results {
		byProto[r.Proto] = append(byProto[r.Proto], r)
	}
	for _, spec := range Specs() {
		name := spec.Proto.String()
		t.Run(name, func(t *testing.T) {
			var tot Totals
			for _, r := range byProto[name] {
				if r.Err != nil {
					t.Errorf("%s: %v", filepath.Base(r.File), r.Err)
					continue
				}
				tot.Add(r.Report)
				for _, m := range r.Mismatches {
					if !m.Explained() {
						t.Errorf("%s frame %d %s: tshark [%s] ours [%s]", m.File, m.Frame, m.Field,
							strings.Join(m.Tshark, " "), strings.Join(m.Ours, " "))
					}
					if m.Rule != "" && m.PerFrame != "" {
						t.Errorf("%s frame %d %s: the per-frame entry says what rule %s says; remove it",
							m.File, m.Frame, m.Field, m.Rule)
					}
				}
				if len(r.TsharkOnly) > 0 {
					t.Errorf("%s: %d frames only tshark decodes as %s, first %d", filepath.Base(r.File), len(r.TsharkOnly), name, r.TsharkOnly[0])
				}
			}
			t.Logf("divergences: %d rule-based, %d per-frame", tot.RuleBased, tot.PerFrame)
			t.Logf("conformance: %d frames, %d fields, %d mismatches, %d unexplained, %d tshark-only, %d ours-only",
				tot.Frames, tot.Fields, tot.Mismatches, tot.Unexplained, tot.TsharkOnly, tot.OursOnly)
		})
	}
}

// TestIEC104Types compares iec104/testdata/types.pcap, every type id the
// package decodes: the types Wireshark 4.0 leaves out are explained by the
// rule that says so, and nothing else differs.
func TestIEC104Types(t *testing.T) {
	requireTshark(t)
	spec, _ := SpecFor("iec104")
	r, err := Compare(context.Background(), packageCaptures["iec104"][0], spec, Options{CacheDir: DefaultCacheDir()})
	if err != nil {
		t.Fatal(err)
	}
	if r.Frames < 190 || len(r.TsharkOnly)+len(r.OursOnly) != 0 {
		t.Errorf("%d frames, tshark-only %v, ours-only %v", r.Frames, r.TsharkOnly, r.OursOnly)
	}
	for _, m := range r.Mismatches {
		if m.Rule != "iec104-types-wireshark-4.0-does-not-decode" {
			t.Errorf("frame %d %s: tshark [%s] ours [%s] rule %q", m.Frame, m.Field,
				strings.Join(m.Tshark, " "), strings.Join(m.Ours, " "), m.Rule)
		}
	}
	if r.RuleBased() == 0 || r.PerFrame() != 0 {
		t.Errorf("%d rule-based, %d per-frame", r.RuleBased(), r.PerFrame())
	}
}
