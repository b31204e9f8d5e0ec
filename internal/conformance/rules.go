package conformance

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A Rule explains a systematic divergence from Wireshark: for every PDU of
// its protocol that meets its conditions, the differences it names in the
// fields it names. Rules are written in testdata/divergences/<protocol>.rules
// (see the README there):
//
//	rule: iec104-types-wireshark-4.0-does-not-decode
//	when: iec60870_asdu.typeid in 17-20 38-40 102 104 106 107 113 120-127
//	field: iec60870_asdu.ioa prefix
//	field: iec60870_asdu.rawdata ours-absent
//	field: iec60870_asdu.cp24time* tshark-absent
//	evidence: Wireshark 4.0's packet-iec104.c has no case for ...
type Rule struct {
	// Name identifies the rule in reports.
	Name string
	// Proto is the protocol, from the file name.
	Proto string
	// When are the conditions on the frame, all of which must hold.
	When []Cond
	// Fields says, per field (or field prefix ending in "*"), which
	// difference the rule explains.
	Fields []FieldMode
	// Frames lists the one-sided frames the rule explains when its
	// conditions hold: "tshark-only" (evaluated on tshark's fields),
	// "ours-only" (on ours).
	Frames []string
	// Evidence is the specification clause, Wireshark source or changelog
	// that shows the divergence is Wireshark's.
	Evidence string
	// Where is the file and line of the rule.
	Where string
}

// Cond is one condition of a rule: some value of Field, on Side, is in Set
// (or, with Outside, some value is not in Set).
type Cond struct {
	// Side is "ours", "tshark", or "" for ours when we decoded the frame
	// and tshark's otherwise.
	Side    string
	Field   string
	Outside bool
	Set     []Value
}

// Value is a number, a range of numbers (Lo..Hi) or a text.
type Value struct {
	Lo, Hi  int64
	Text    string
	Numeric bool
}

// FieldMode is the difference a rule explains in the fields matching
// Pattern.
type FieldMode struct {
	// Pattern is a field name, or a prefix ending in "*".
	Pattern string
	// Mode is one of:
	//	tshark-absent  tshark shows no value, we show some
	//	ours-absent    we show no value, tshark shows some
	//	prefix         tshark's values are the first of ours, and fewer
	//	ours-prefix    our values are the first of tshark's, and fewer
	//	subsequence    tshark's values are ours with some left out
	//	ours-subsequence our values are tshark's with some left out
	//	value-prefix   as many values, each of ours begins tshark's at
	//	               its place, and one is shorter
	//	any            any difference
	Mode string
}

var ruleModes = map[string]bool{"tshark-absent": true, "ours-absent": true, "prefix": true, "ours-prefix": true,
	"subsequence": true, "ours-subsequence": true, "value-prefix": true, "any": true}

// ParseRules reads the rules of protocol proto from r; name is the file
// name used in errors and in Rule.Where. Every rule needs a name, at least
// one condition, at least one field or frames line, and evidence.
func ParseRules(proto, name string, r io.Reader) ([]*Rule, error) {
	var rules []*Rule
	var cur *Rule
	finish := func() error {
		if cur == nil {
			return nil
		}
		switch {
		case len(cur.When) == 0:
			return fmt.Errorf("%s: rule %s has no condition", cur.Where, cur.Name)
		case len(cur.Fields) == 0 && len(cur.Frames) == 0:
			return fmt.Errorf("%s: rule %s explains no field and no frame", cur.Where, cur.Name)
		case strings.TrimSpace(cur.Evidence) == "":
			return fmt.Errorf("%s: rule %s has no evidence", cur.Where, cur.Name)
		}
		for _, r := range rules {
			if r.Name == cur.Name {
				return fmt.Errorf("%s: rule %s defined twice", cur.Where, cur.Name)
			}
		}
		rules = append(rules, cur)
		cur = nil
		return nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			if err := finish(); err != nil {
				return nil, err
			}
			continue
		}
		if strings.HasPrefix(text, "#") {
			continue
		}
		where := name + ":" + strconv.Itoa(line)
		key, val, ok := strings.Cut(text, ":")
		if !ok {
			return nil, fmt.Errorf("%s: want key: value", where)
		}
		val = strings.TrimSpace(val)
		if key != "rule" && cur == nil {
			return nil, fmt.Errorf("%s: %s outside a rule", where, key)
		}
		switch key {
		case "rule":
			if err := finish(); err != nil {
				return nil, err
			}
			if val == "" {
				return nil, fmt.Errorf("%s: rule without a name", where)
			}
			cur = &Rule{Name: val, Proto: proto, Where: where}
		case "when":
			c, err := parseCond(val)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", where, err)
			}
			cur.When = append(cur.When, c)
		case "field":
			f := strings.Fields(val)
			if len(f) != 2 || !ruleModes[f[1]] {
				return nil, fmt.Errorf("%s: want field: <name or prefix*> tshark-absent|ours-absent|prefix|ours-prefix|subsequence|ours-subsequence|value-prefix|any", where)
			}
			cur.Fields = append(cur.Fields, FieldMode{Pattern: f[0], Mode: f[1]})
		case "frames":
			for _, f := range strings.Fields(val) {
				if f != "tshark-only" && f != "ours-only" {
					return nil, fmt.Errorf("%s: want frames: tshark-only and/or ours-only", where)
				}
				cur.Frames = append(cur.Frames, f)
			}
		case "evidence":
			if cur.Evidence != "" {
				cur.Evidence += " "
			}
			cur.Evidence += val
		default:
			return nil, fmt.Errorf("%s: unknown key %q", where, key)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := finish(); err != nil {
		return nil, err
	}
	return rules, nil
}

// parseCond parses "[tshark:|ours:]field in|outside values".
func parseCond(s string) (Cond, error) {
	f := strings.Fields(s)
	if len(f) < 3 || (f[1] != "in" && f[1] != "outside") {
		return Cond{}, fmt.Errorf("want when: [tshark:|ours:]<field> in|outside <values>")
	}
	c := Cond{Field: f[0], Outside: f[1] == "outside"}
	if side, field, ok := strings.Cut(c.Field, ":"); ok {
		if side != "tshark" && side != "ours" {
			return Cond{}, fmt.Errorf("side %q: want tshark or ours", side)
		}
		c.Side, c.Field = side, field
	}
	for _, v := range f[2:] {
		for _, v := range strings.Split(v, ",") {
			if v == "" {
				continue
			}
			c.Set = append(c.Set, parseValue(v))
		}
	}
	return c, nil
}

// parseValue parses a number (decimal or 0x hex), a range "a-b" of them, or
// a text.
func parseValue(s string) Value {
	if n, ok := parseInt64(s); ok {
		return Value{Lo: n, Hi: n, Numeric: true}
	}
	if a, b, ok := strings.Cut(s, "-"); ok && a != "" {
		lo, ok1 := parseInt64(a)
		hi, ok2 := parseInt64(b)
		if ok1 && ok2 && lo <= hi {
			return Value{Lo: lo, Hi: hi, Numeric: true}
		}
	}
	return Value{Text: s}
}

func parseInt64(s string) (int64, bool) {
	switch s {
	case "True":
		return 1, true
	case "False":
		return 0, true
	}
	n, err := strconv.ParseInt(s, 0, 64)
	return n, err == nil
}

// has reports whether v is in the set.
func (c *Cond) has(v string) bool {
	n, numeric := parseInt64(v)
	for _, x := range c.Set {
		if x.Numeric && numeric && n >= x.Lo && n <= x.Hi || !x.Numeric && x.Text == v {
			return true
		}
	}
	return false
}

// holds reports whether the condition holds for the frame's fields.
func (c *Cond) holds(theirs, ours frameFields) bool {
	ff := ours
	switch {
	case c.Side == "tshark" || c.Side == "" && ours == nil:
		ff = theirs
	}
	for _, v := range ff[c.Field] {
		if c.has(v) != c.Outside {
			return true
		}
	}
	return false
}

// applies reports whether every condition of r holds for the frame; a nil
// side is a frame that side did not decode.
func (r *Rule) applies(theirs, ours frameFields) bool {
	for i := range r.When {
		if !r.When[i].holds(theirs, ours) {
			return false
		}
	}
	return true
}

// mode returns the mode r gives field, "" if r does not name it.
func (r *Rule) mode(field string) string {
	for _, f := range r.Fields {
		if f.Pattern == field || strings.HasSuffix(f.Pattern, "*") && strings.HasPrefix(field, strings.TrimSuffix(f.Pattern, "*")) {
			return f.Mode
		}
	}
	return ""
}

// explains reports whether r explains the difference between tshark's
// values t and ours o of field in a frame where r applies.
func (r *Rule) explains(field string, t, o []string) bool {
	switch r.mode(field) {
	case "tshark-absent":
		return len(t) == 0 && len(o) > 0
	case "ours-absent":
		return len(o) == 0 && len(t) > 0
	case "prefix":
		return len(t) < len(o) && listsEqual(t, o[:len(t)])
	case "ours-prefix":
		return len(o) < len(t) && listsEqual(t[:len(o)], o)
	case "subsequence":
		return len(t) < len(o) && subsequence(t, o)
	case "ours-subsequence":
		return len(o) < len(t) && subsequence(o, t)
	case "value-prefix":
		return len(t) == len(o) && valuePrefixes(t, o)
	case "any":
		return true
	}
	return false
}

// subsequence reports whether the values of short appear in long in the
// same order (long with some values left out), comparing a tshark value
// with ours whichever side each list is.
func subsequence(short, long []string) bool {
	i := 0
	for _, v := range long {
		if i < len(short) && (valuesEqual(short[i], v) || valuesEqual(v, short[i])) {
			i++
		}
	}
	return i == len(short)
}

// valuePrefixes reports whether each of our values o begins tshark's value
// at the same place in t (as text, or as hex bytes ignoring ':'), and one
// is shorter.
func valuePrefixes(t, o []string) bool {
	shorter := false
	for i := range t {
		tv, ov := t[i], o[i]
		if strings.Contains(tv, ":") && isHex(strings.ReplaceAll(tv, ":", "")) {
			tv, ov = strings.ToLower(strings.ReplaceAll(tv, ":", "")), strings.ToLower(ov)
		}
		if !strings.HasPrefix(tv, ov) {
			return false
		}
		shorter = shorter || len(ov) < len(tv)
	}
	return shorter
}

// explainsFrames reports whether r explains a frame decoded by one side
// only: side is "tshark-only" or "ours-only".
func (r *Rule) explainsFrames(side string) bool {
	for _, f := range r.Frames {
		if f == side {
			return true
		}
	}
	return false
}

// condFields returns the fields r's conditions read on our side.
func (r *Rule) condFields() []string {
	var out []string
	for _, c := range r.When {
		if c.Side != "tshark" {
			out = append(out, c.Field)
		}
	}
	return out
}
