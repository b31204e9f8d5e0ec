package dissect

import (
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
)

// recordSink records fields as "name=value" strings, in order.
type recordSink struct{ fields []string }

func (s *recordSink) add(name, v string)           { s.fields = append(s.fields, name+"="+v) }
func (s *recordSink) Uint(name string, v uint64)   { s.add(name, strconv.FormatUint(v, 10)) }
func (s *recordSink) Int(name string, v int64)     { s.add(name, strconv.FormatInt(v, 10)) }
func (s *recordSink) Float(name string, v float64) { s.add(name, strconv.FormatFloat(v, 'g', -1, 64)) }
func (s *recordSink) Bool(name string, v bool)     { s.add(name, strconv.FormatBool(v)) }
func (s *recordSink) Text(name string, v []byte)   { s.add(name, string(v)) }
func (s *recordSink) Bytes(name string, v []byte)  { s.add(name, hex.EncodeToString(v)) }

// values returns the values of field name, in order.
func (s *recordSink) values(name string) []string {
	var out []string
	for _, f := range s.fields {
		if v, ok := strings.CutPrefix(f, name+"="); ok {
			out = append(out, v)
		}
	}
	return out
}

// only returns the recorded "name=value" strings that start with prefix.
func (s *recordSink) only(prefix string) []string {
	var out []string
	for _, f := range s.fields {
		if strings.HasPrefix(f, prefix) {
			out = append(out, f)
		}
	}
	return out
}

// has reports an error for each "name=value" in want that was not recorded.
func (s *recordSink) has(t *testing.T, want ...string) {
	t.Helper()
	all := "\n" + strings.Join(s.fields, "\n") + "\n"
	for _, w := range want {
		if !strings.Contains(all, "\n"+w+"\n") {
			t.Errorf("missing %q in:%s", w, all)
		}
	}
}

// nopSink drops every field.
type nopSink struct{}

func (nopSink) Uint(string, uint64)   {}
func (nopSink) Int(string, int64)     {}
func (nopSink) Float(string, float64) {}
func (nopSink) Bool(string, bool)     {}
func (nopSink) Text(string, []byte)   {}
func (nopSink) Bytes(string, []byte)  {}

// discard counts fields without keeping them or allocating.
type discard struct{ n int }

func (d *discard) Uint(string, uint64)   { d.n++ }
func (d *discard) Int(string, int64)     { d.n++ }
func (d *discard) Float(string, float64) { d.n++ }
func (d *discard) Bool(string, bool)     { d.n++ }
func (d *discard) Text(string, []byte)   { d.n++ }
func (d *discard) Bytes(string, []byte)  { d.n++ }
