package conformance

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Options tunes a comparison.
type Options struct {
	// CacheDir caches tshark's output; empty disables the cache.
	CacheDir string
	// Divergences explains known Wireshark errors; nil uses the embedded
	// files under testdata/divergences.
	Divergences *Divergences
}

// Mismatch is one field of one frame on which tshark and icsdissect differ.
type Mismatch struct {
	File   string
	Frame  int
	Field  string
	Tshark []string
	Ours   []string
	// Evidence is set when the mismatch is a known Wireshark divergence.
	Evidence string
	// Rule names the rule that explains the mismatch; "" when a per-frame
	// entry does, or nothing.
	Rule string
	// PerFrame is the evidence of a per-frame entry for the mismatch, set
	// also when a rule explains it (the entry is then redundant).
	PerFrame string
}

// Explained reports whether the mismatch is a known divergence.
func (m Mismatch) Explained() bool { return m.Evidence != "" }

// OneSided is a frame that one side only decodes, explained by a rule.
type OneSided struct {
	Frame int
	Rule  string
}

// Report is the outcome of comparing one capture for one protocol.
type Report struct {
	File  string
	Proto string
	// Frames counts frames both sides decoded as the protocol.
	Frames int
	// Fields counts the (frame, field) pairs compared: fields either side
	// has in a frame both decoded.
	Fields     int
	Mismatches []Mismatch
	// TsharkOnly and OursOnly list frames decoded by one side only that no
	// rule explains.
	TsharkOnly []int
	OursOnly   []int
	// TsharkOnlyExplained and OursOnlyExplained list frames decoded by
	// one side only that a rule explains.
	TsharkOnlyExplained []OneSided
	OursOnlyExplained   []OneSided
	// OursErr is an error our decoder reported for the file as a whole
	// (a truncated capture, for instance); decoding went as far as it could.
	OursErr error
}

// Unexplained counts the mismatches not covered by a known divergence.
func (r Report) Unexplained() int {
	n := 0
	for _, m := range r.Mismatches {
		if !m.Explained() {
			n++
		}
	}
	return n
}

// RuleBased counts the divergences that rules explain: mismatches and
// one-sided frames.
func (r Report) RuleBased() int {
	n := len(r.TsharkOnlyExplained) + len(r.OursOnlyExplained)
	for _, m := range r.Mismatches {
		if m.Rule != "" {
			n++
		}
	}
	return n
}

// PerFrame counts the mismatches that per-frame entries explain.
func (r Report) PerFrame() int {
	n := 0
	for _, m := range r.Mismatches {
		if m.Explained() && m.Rule == "" {
			n++
		}
	}
	return n
}

// Compare decodes file with tshark and with icsdissect and compares spec's
// fields frame by frame.
func Compare(ctx context.Context, file string, spec Spec, opt Options) (Report, error) {
	r := Report{File: file, Proto: spec.Proto.String()}
	theirs, err := tsharkFrames(ctx, file, spec, opt.CacheDir)
	if err != nil {
		return r, err
	}
	div := opt.Divergences
	if div == nil {
		div = Embedded()
	}
	proto := spec.Proto.String()
	ours, oursErr := ourFrames(file, spec, div.ruleFields(proto))
	r.OursErr = oursErr
	base := filepath.Base(file)
	for _, n := range sortedKeys(theirs) {
		of, ok := ours[n]
		if !ok {
			if rule := div.FrameRule(proto, "tshark-only", theirs[n]); rule != nil {
				r.TsharkOnlyExplained = append(r.TsharkOnlyExplained, OneSided{Frame: n, Rule: rule.Name})
			} else {
				r.TsharkOnly = append(r.TsharkOnly, n)
			}
			continue
		}
		r.Frames++
		tf := theirs[n]
		for _, field := range spec.Fields {
			t, o := tf[field], of[field]
			if len(t) == 0 && len(o) == 0 {
				continue
			}
			r.Fields++
			if listsEqual(t, o) {
				continue
			}
			m := Mismatch{File: base, Frame: n, Field: field, Tshark: t, Ours: o}
			m.PerFrame = div.Lookup(proto, base, n, field)
			m.Evidence = m.PerFrame
			if rule := div.FieldRule(proto, field, tf, of); rule != nil {
				m.Rule = rule.Name
				m.Evidence = rule.Evidence
			}
			r.Mismatches = append(r.Mismatches, m)
		}
	}
	for _, n := range sortedKeys(ours) {
		if _, ok := theirs[n]; ok {
			continue
		}
		if rule := div.FrameRule(proto, "ours-only", ours[n]); rule != nil {
			r.OursOnlyExplained = append(r.OursOnlyExplained, OneSided{Frame: n, Rule: rule.Name})
		} else {
			r.OursOnly = append(r.OursOnly, n)
		}
	}
	return r, nil
}

func sortedKeys(m map[int]frameFields) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func listsEqual(t, o []string) bool {
	if len(t) != len(o) {
		return false
	}
	for i := range t {
		if !valuesEqual(t[i], o[i]) {
			return false
		}
	}
	return true
}

// valuesEqual compares a tshark value with ours: as integers when both are
// integers (decimal or 0x-hex), as floats within a relative 1e-6, as hex
// bytes ignoring ':' separators and case, and as text otherwise.
func valuesEqual(t, o string) bool {
	if t == o {
		return true
	}
	switch t {
	case "True":
		t = "1"
	case "False":
		t = "0"
	}
	if ti, ok := parseInt(t); ok {
		if oi, ok := parseInt(o); ok {
			return ti == oi
		}
	}
	if tf, err := strconv.ParseFloat(t, 64); err == nil {
		if of, err := strconv.ParseFloat(o, 64); err == nil {
			return floatsClose(tf, of) || floatShownAs(t, tf, of)
		}
	}
	if strings.Contains(t, ":") && isHex(strings.ReplaceAll(t, ":", "")) {
		return strings.EqualFold(strings.ReplaceAll(t, ":", ""), o)
	}
	return false
}

func floatsClose(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if a == b {
		return true
	}
	d := math.Abs(a - b)
	return d <= 1e-6*math.Max(math.Abs(a), math.Abs(b)) || d < 1e-12
}

// floatShownAs reports whether ours, rounded to the significant digits
// tshark printed (6 for single-precision fields, %.6g), reads as tshark's
// value.
func floatShownAs(t string, tf, of float64) bool {
	digits := 0
	leading := true
	mant, _, _ := strings.Cut(strings.ToLower(t), "e")
	for _, c := range mant {
		if c < '0' || c > '9' {
			continue
		}
		if leading && c == '0' {
			continue
		}
		leading = false
		digits++
	}
	if digits == 0 || digits >= 15 {
		return false
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(of, 'g', digits, 64), 64)
	return err == nil && floatsClose(tf, r)
}

// bigInt is an integer of either sign that fits 64 bits of magnitude.
type bigInt struct {
	neg bool
	mag uint64
}

func parseInt(s string) (bigInt, bool) {
	if len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X") {
		v, err := strconv.ParseUint(s[2:], 16, 64)
		return bigInt{mag: v}, err == nil
	}
	neg := strings.HasPrefix(s, "-")
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "-"), 10, 64)
	if err != nil {
		return bigInt{}, false
	}
	return bigInt{neg: neg && v != 0, mag: v}, true
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
