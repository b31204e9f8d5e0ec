package conformance

import (
	"bufio"
	"embed"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"sync"
)

//go:embed testdata/divergences
var divergenceFiles embed.FS

// Divergences is the set of known cases where Wireshark decodes a field
// wrongly or not at all, each with its evidence: rules, which explain a
// systematic divergence wherever its condition holds, and per-frame entries
// for the one-off cases.
type Divergences struct {
	// m maps "proto\x00file\x00frame\x00field" to the evidence. A frame of
	// "*" covers every frame of the file.
	m map[string]string
	// rules holds each protocol's rules, in file order.
	rules map[string][]*Rule
	// Err is the first problem met loading the files (a malformed rule);
	// the rest still loads.
	Err error
}

var embedded struct {
	sync.Once
	d *Divergences
}

// Embedded returns the divergences under testdata/divergences: per
// protocol, <protocol>.tsv with one per-frame entry a line (columns file,
// frame, field, tshark value, our value, evidence; '#' starts a comment)
// and <protocol>.rules with rules (see [Rule]). Check its Err.
func Embedded() *Divergences {
	embedded.Do(func() {
		d := &Divergences{m: map[string]string{}, rules: map[string][]*Rule{}}
		entries, _ := fs.ReadDir(divergenceFiles, "testdata/divergences")
		for _, e := range entries {
			name := e.Name()
			proto, tsv := strings.CutSuffix(name, ".tsv")
			if !tsv {
				var ok bool
				if proto, ok = strings.CutSuffix(name, ".rules"); !ok {
					continue
				}
			}
			f, err := divergenceFiles.Open("testdata/divergences/" + name)
			if err != nil {
				continue
			}
			if tsv {
				d.load(proto, f)
			} else if err := d.AddRules(proto, name, f); err != nil && d.Err == nil {
				d.Err = err
			}
			f.Close()
		}
		embedded.d = d
	})
	return embedded.d
}

// AddRules parses the rules of protocol proto from r (see [ParseRules]) and
// adds them to d.
func (d *Divergences) AddRules(proto, name string, r io.Reader) error {
	rules, err := ParseRules(proto, name, r)
	if err != nil {
		return err
	}
	if d.rules == nil {
		d.rules = map[string][]*Rule{}
	}
	d.rules[proto] = append(d.rules[proto], rules...)
	return nil
}

// Rules returns the rules of protocol proto.
func (d *Divergences) Rules(proto string) []*Rule {
	if d == nil {
		return nil
	}
	return d.rules[proto]
}

// FieldRule returns the first rule of proto that applies to the frame
// (tshark's fields theirs, ours ours) and explains the difference in
// field, or nil.
func (d *Divergences) FieldRule(proto, field string, theirs, ours frameFields) *Rule {
	for _, r := range d.Rules(proto) {
		if r.applies(theirs, ours) && r.explains(field, theirs[field], ours[field]) {
			return r
		}
	}
	return nil
}

// FrameRule returns the first rule of proto that explains a frame decoded
// by one side only, side "tshark-only" (fields are tshark's) or "ours-only"
// (fields are ours), or nil.
func (d *Divergences) FrameRule(proto, side string, fields frameFields) *Rule {
	for _, r := range d.Rules(proto) {
		if !r.explainsFrames(side) {
			continue
		}
		theirs, ours := fields, frameFields(nil)
		if side == "ours-only" {
			theirs, ours = nil, fields
		}
		if r.applies(theirs, ours) {
			return r
		}
	}
	return nil
}

// ruleFields returns the fields proto's rule conditions read on our side,
// which our decode must keep even when they are not compared.
func (d *Divergences) ruleFields(proto string) []string {
	var out []string
	for _, r := range d.Rules(proto) {
		out = append(out, r.condFields()...)
	}
	return out
}

func (d *Divergences) load(proto string, r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 6 || strings.TrimSpace(cols[5]) == "" {
			continue // an entry without evidence explains nothing
		}
		d.m[proto+"\x00"+cols[0]+"\x00"+cols[1]+"\x00"+cols[2]] = cols[5]
	}
}

// Lookup returns the evidence for a known divergence, or "".
func (d *Divergences) Lookup(proto, file string, frame int, field string) string {
	if d == nil {
		return ""
	}
	if ev, ok := d.m[proto+"\x00"+file+"\x00"+strconv.Itoa(frame)+"\x00"+field]; ok {
		return ev
	}
	return d.m[proto+"\x00"+file+"\x00*\x00"+field]
}
