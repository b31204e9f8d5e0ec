package conformance

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRules(t *testing.T) {
	rules, err := ParseRules("x", "x.rules", strings.NewReader(`# comment
rule: one
when: x.type in 1-3 0x10 text
when: tshark:x.code outside 0,5
field: x.a prefix
field: x.b* any
frames: tshark-only ours-only
evidence: first line
evidence: second line

rule: two
when: ours:x.type in 7
field: x.c tshark-absent
evidence: e
`))
	require.NoError(t, err)
	require.Len(t, rules, 2)
	r := rules[0]
	assert.Equal(t, "one", r.Name)
	assert.Equal(t, "x", r.Proto)
	assert.Equal(t, "x.rules:2", r.Where)
	assert.Equal(t, "first line second line", r.Evidence)
	assert.Equal(t, []string{"tshark-only", "ours-only"}, r.Frames)
	require.Len(t, r.When, 2)
	assert.Equal(t, Cond{Field: "x.type", Set: []Value{{Lo: 1, Hi: 3, Numeric: true}, {Lo: 16, Hi: 16, Numeric: true}, {Text: "text"}}}, r.When[0])
	assert.Equal(t, Cond{Side: "tshark", Field: "x.code", Outside: true, Set: []Value{{Lo: 0, Hi: 0, Numeric: true}, {Lo: 5, Hi: 5, Numeric: true}}}, r.When[1])
	assert.Equal(t, []string{"x.type"}, r.condFields())
	assert.Equal(t, "ours", rules[1].When[0].Side)

	for _, bad := range []string{
		"when: x in 1\n", // outside a rule
		"rule: a\nfield: x prefix\nevidence: e\n",                                                                // no condition
		"rule: a\nwhen: x in 1\nevidence: e\n",                                                                   // nothing explained
		"rule: a\nwhen: x in 1\nfield: x prefix\n",                                                               // no evidence
		"rule: a\nwhen: x is 1\nfield: x prefix\nevidence: e\n",                                                  // bad operator
		"rule: a\nwhen: y:x in 1\nfield: x prefix\nevidence: e\n",                                                // bad side
		"rule: a\nwhen: x in 1\nfield: x sometimes\nevidence: e\n",                                               // bad mode
		"rule: a\nwhen: x in 1\nframes: both\nevidence: e\n",                                                     // bad frames
		"rule: a\nwhen: x in 1\nfield: x prefix\nevidence: e\nnote: n\n",                                         // unknown key
		"rule: a\nwhen: x in 1\nfield: x any\nevidence: e\n\nrule: a\nwhen: x in 1\nfield: x any\nevidence: e\n", // twice
		"rule:\n",
		"rule: a\nwhen x in 1\n",
	} {
		_, err := ParseRules("x", "x.rules", strings.NewReader(bad))
		assert.Error(t, err, bad)
	}
}

func TestRuleModes(t *testing.T) {
	r := &Rule{Fields: []FieldMode{
		{"a", "tshark-absent"}, {"b", "ours-absent"}, {"c", "prefix"}, {"d", "ours-prefix"}, {"e*", "any"},
		{"s", "subsequence"}, {"u", "ours-subsequence"}, {"v", "value-prefix"},
	}}
	l := func(v ...string) []string { return v }
	for _, c := range []struct {
		field string
		t, o  []string
		want  bool
	}{
		{"a", nil, l("1"), true},
		{"a", l("1"), l("2"), false},
		{"b", l("1"), nil, true},
		{"b", l("1"), l("2"), false},
		{"c", l("0x01"), l("1", "2"), true},
		{"c", l("3"), l("1", "2"), false},
		{"c", l("1", "2"), l("1", "2", "3"), true},
		{"c", l("1", "2"), l("1"), false},
		{"d", l("1", "2"), l("1"), true},
		{"d", l("1"), l("1", "2"), false},
		{"d", l("9", "2"), l("1"), false},
		{"e", l("1"), l("2"), true},
		{"e.f", nil, l("2"), true},
		{"f", l("1"), l("2"), false},
		{"s", l("1", "3"), l("1", "2", "3"), true},
		{"s", l("0x03"), l("1", "2", "3"), true},
		{"s", l("3", "1"), l("1", "2", "3"), false},
		{"s", l("1", "2", "3"), l("1", "2", "3"), false},
		{"s", l("1", "2", "3"), l("1", "3"), false},
		{"u", l("5859", "0a:0b"), l("0a0b"), true},
		{"u", l("1", "2"), l("3"), false},
		{"u", l("1"), l("1", "2"), false},
		{"v", l("0d:fe:00:20:05:06", "05:06"), l("0dfe0020", "0506"), true},
		{"v", l("abcd", "ef"), l("ab", "ef"), true},
		{"v", l("abcd", "ef"), l("abcd", "ef"), false},
		{"v", l("abcd"), l("ac"), false},
		{"v", l("abcd", "ef"), l("ab"), false},
		{"v", l("ab"), l("abcd"), false},
	} {
		assert.Equal(t, c.want, r.explains(c.field, c.t, c.o), "%s %v %v", c.field, c.t, c.o)
	}
}

// valueIn returns a value that is in c's set (in true) or not (in false).
func valueIn(c Cond, in bool) string {
	for _, v := range c.Set {
		if in {
			if v.Numeric {
				return strconv.FormatInt(v.Lo, 10)
			}
			return v.Text
		}
	}
	for n := int64(0); ; n++ {
		if s := strconv.FormatInt(n, 10); !c.has(s) {
			return s
		}
	}
}

// ruleFrame builds the fields of a frame decoded by both sides for which
// r's conditions hold, except condition flip (-1: none), which fails.
func ruleFrame(r *Rule, flip int) (theirs, ours frameFields) {
	theirs, ours = frameFields{}, frameFields{}
	for i, c := range r.When {
		hold := i != flip
		v := valueIn(c, hold != c.Outside)
		if c.Side == "tshark" {
			theirs[c.Field] = append(theirs[c.Field], v)
		} else {
			ours[c.Field] = append(ours[c.Field], v)
		}
	}
	return theirs, ours
}

// mismatchFor sets in theirs and ours a difference in field that mode
// explains, keeping the values the conditions put there.
func mismatchFor(field, mode string, theirs, ours frameFields) {
	base := theirs[field]
	if len(base) == 0 {
		base = ours[field]
	}
	base = append([]string(nil), base...)
	with := func(v ...string) []string { return append(append([]string(nil), base...), v...) }
	switch mode {
	case "tshark-absent":
		theirs[field], ours[field] = nil, with("1")
	case "ours-absent":
		theirs[field], ours[field] = with("1"), nil
	case "prefix":
		theirs[field], ours[field] = base, with("1")
	case "ours-prefix":
		theirs[field], ours[field] = with("1"), base
	case "subsequence":
		theirs[field], ours[field] = base, append(with("1"), base...)
	case "ours-subsequence":
		theirs[field], ours[field] = append(with("1"), base...), base
	case "value-prefix":
		theirs[field], ours[field] = with("1234"), with("12")
	case "any":
		theirs[field], ours[field] = with("1"), with("2")
	}
}

// concrete names a field that pattern matches.
func concrete(pattern string) string {
	if p, ok := strings.CutSuffix(pattern, "*"); ok {
		return p + "zz_test"
	}
	return pattern
}

// TestEveryRuleStaysInItsCondition checks each rule of every protocol: it
// explains the difference its fields name in a frame that meets its
// conditions, and never when one condition fails, in a field it does not
// name, or a difference of another kind.
func TestEveryRuleStaysInItsCondition(t *testing.T) {
	d := Embedded()
	require.NoError(t, d.Err)
	n := 0
	for _, spec := range Specs() {
		proto := spec.Proto.String()
		for _, r := range d.Rules(proto) {
			n++
			t.Run(r.Name, func(t *testing.T) {
				assert.NotEmpty(t, r.Evidence)
				for _, fm := range r.Fields {
					field := concrete(fm.Pattern)
					theirs, ours := ruleFrame(r, -1)
					mismatchFor(field, fm.Mode, theirs, ours)
					require.True(t, r.applies(theirs, ours), "%s: conditions of the inside frame", field)
					assert.True(t, r.explains(field, theirs[field], ours[field]), "%s inside", field)
					assert.NotNil(t, d.FieldRule(proto, field, theirs, ours), "%s inside", field)
					// One condition failing: not explained by r.
					for flip := range r.When {
						theirs, ours := ruleFrame(r, flip)
						mismatchFor(field, fm.Mode, theirs, ours)
						if r.applies(theirs, ours) && r.explains(field, theirs[field], ours[field]) {
							t.Errorf("%s explained with condition %d (%s) failing: tshark %v ours %v",
								field, flip, r.When[flip].Field, theirs[field], ours[field])
						}
					}
					// A difference of another kind in the same field.
					theirs, ours = ruleFrame(r, -1)
					other := map[string]string{"tshark-absent": "ours-absent", "ours-absent": "tshark-absent",
						"prefix": "ours-prefix", "ours-prefix": "prefix",
						"subsequence": "ours-subsequence", "ours-subsequence": "subsequence",
						"value-prefix": "ours-prefix"}[fm.Mode]
					if other != "" && r.mode(field) == fm.Mode {
						mismatchFor(field, other, theirs, ours)
						assert.False(t, r.explains(field, theirs[field], ours[field]), "%s: %s explained as %s", field, other, fm.Mode)
					}
				}
				// A field the rule does not name.
				theirs, ours := ruleFrame(r, -1)
				mismatchFor("zz.not_named", "any", theirs, ours)
				assert.False(t, r.explains("zz.not_named", theirs["zz.not_named"], ours["zz.not_named"]))
				// One-sided frames.
				for _, side := range []string{"tshark-only", "ours-only"} {
					theirs, ours := ruleFrame(r, -1)
					fields := ours
					if side == "tshark-only" {
						for k, v := range ours {
							theirs[k] = v
						}
						fields = theirs
					} else {
						for k, v := range theirs {
							ours[k] = v
						}
					}
					assert.Equal(t, r.explainsFrames(side), d.FrameRule(proto, side, fields) == r, "%s inside", side)
					for flip := range r.When {
						theirs, ours := ruleFrame(r, flip)
						fields := ours
						if side == "tshark-only" {
							for k, v := range ours {
								theirs[k] = v
							}
							fields = theirs
						} else {
							for k, v := range theirs {
								ours[k] = v
							}
						}
						assert.NotEqual(t, r, d.FrameRule(proto, side, fields), "%s with condition %d failing", side, flip)
					}
				}
			})
		}
	}
	assert.Positive(t, n, "no rules")
}

// TestIEC104RuleOnRealFields checks the IEC 104 rule on the fields of a
// frame of types.pcap and of the same frame with another type id.
func TestIEC104RuleOnRealFields(t *testing.T) {
	d := Embedded()
	require.NoError(t, d.Err)
	// types.pcap frame 63: M_PS_NA_1, two objects.
	theirs := frameFields{
		"iec60870_asdu.typeid":  {"20"},
		"iec60870_asdu.ioa":     {"1001"},
		"iec60870_asdu.rawdata": {"ff:00:0f:0f:00:ea:03:00:ff:00:0f:0f:40"},
	}
	ours := frameFields{
		"iec60870_asdu.typeid": {"20"},
		"iec60870_asdu.ioa":    {"1001", "1002"},
		"iec60870_asdu.qds":    {"0", "64"},
	}
	for _, f := range []string{"iec60870_asdu.ioa", "iec60870_asdu.rawdata", "iec60870_asdu.qds"} {
		r := d.FieldRule("iec104", f, theirs, ours)
		require.NotNil(t, r, f)
		assert.Equal(t, "iec104-types-wireshark-4.0-does-not-decode", r.Name)
	}
	// A first address that differs is ours to explain.
	theirs["iec60870_asdu.ioa"] = []string{"1000"}
	assert.Nil(t, d.FieldRule("iec104", "iec60870_asdu.ioa", theirs, ours))
	theirs["iec60870_asdu.ioa"] = []string{"1001"}
	// The same differences on M_ME_NC_1 (13), which Wireshark decodes.
	theirs["iec60870_asdu.typeid"] = []string{"13"}
	ours["iec60870_asdu.typeid"] = []string{"13"}
	for _, f := range []string{"iec60870_asdu.ioa", "iec60870_asdu.rawdata", "iec60870_asdu.qds"} {
		assert.Nil(t, d.FieldRule("iec104", f, theirs, ours), f)
	}
	// The rule names no other protocol's frames.
	assert.Nil(t, d.FieldRule("dnp3", "iec60870_asdu.qds", theirs, ours))
}

// TestFrameRules checks rules that explain frames one side only decodes:
// the condition is read on the side that has the frame.
func TestFrameRules(t *testing.T) {
	var d Divergences
	require.NoError(t, d.AddRules("x", "x.rules", strings.NewReader(`rule: plus
when: x.version in 3
frames: ours-only
evidence: tshark has no dissector for version 3

rule: theirs
when: tshark:x.kind in 9
frames: tshark-only
evidence: e
`)))
	assert.Equal(t, "plus", d.FrameRule("x", "ours-only", frameFields{"x.version": {"3"}}).Name)
	assert.Nil(t, d.FrameRule("x", "ours-only", frameFields{"x.version": {"2"}}))
	assert.Nil(t, d.FrameRule("x", "tshark-only", frameFields{"x.version": {"3"}}))
	assert.Equal(t, "theirs", d.FrameRule("x", "tshark-only", frameFields{"x.kind": {"9"}}).Name)
	assert.Nil(t, d.FrameRule("x", "ours-only", frameFields{"x.kind": {"9"}}))
	assert.Nil(t, d.FrameRule("y", "ours-only", frameFields{"x.version": {"3"}}))
	assert.Equal(t, []string{"x.version"}, d.ruleFields("x"))
}
