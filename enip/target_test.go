package enip

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTargetInPlace checks Target's and AppendTag's in-place reading of the common
// segments against the Segments cursor, on paths it reads itself and on
// paths it hands to the cursor.
func TestTargetInPlace(t *testing.T) {
	cases := []struct {
		hex string
		// want: class, instance, attribute, member, connection point
		// (-1: absent), and the first symbol.
		class, inst, attr, member, cp int
		symbol                        string
	}{
		{"20022401", 2, 1, -1, -1, -1, ""},
		{"200124013007", 1, 1, 7, -1, -1, ""},
		{"21000600250001002c0131000300", 6, 1, 3, -1, 1, ""},
		{"20f52401300220ff24ff30ff", 0xf5, 1, 2, -1, -1, ""},    // first ones win
		{"91035461670028052803", -1, -1, -1, 5, -1, "Tag"},      // odd symbol, padded
		{"91045461677328022903000a", -1, -1, -1, 2, -1, "Tags"}, // even symbol, 16-bit member
		{"910454616773910341626300", -1, -1, -1, -1, -1, "Tags"},
		{"9103546167", -1, -1, -1, -1, -1, "Tag"}, // odd symbol without its pad at the end
		{"9100", -1, -1, -1, -1, -1, ""},
		// Handed to the cursor: 32-bit, port, special, symbolic, cut.
		{"2200000100002401", 0x100, 1, -1, -1, -1, ""},
		{"01002002240130", 2, 1, -1, -1, -1, ""},
		{"34040100020003000480", -1, -1, -1, -1, -1, ""},
		{"6354616720012401", 1, 1, -1, -1, -1, "Tag"},
		{"200124", 1, -1, -1, -1, -1, ""},
		{"2100", -1, -1, -1, -1, -1, ""},
		{"9105546167", -1, -1, -1, -1, -1, ""},
	}
	for _, c := range cases {
		p := Path(mustHex(c.hex))
		tg, slow := p.Target(), p.target()
		require.True(t, sameTarget(tg, slow), "%s: %+v, cursor %+v", c.hex, tg, slow)
		get := func(has bool, v uint32) int {
			if !has {
				return -1
			}
			return int(v)
		}
		require.Equal(t, c.class, get(tg.HasClass, uint32(tg.Class)), c.hex)
		require.Equal(t, c.inst, get(tg.HasInstance, tg.Instance), c.hex)
		require.Equal(t, c.attr, get(tg.HasAttribute, tg.Attribute), c.hex)
		require.Equal(t, c.member, get(tg.HasMember, tg.Member), c.hex)
		require.Equal(t, c.cp, get(tg.HasConnPoint, tg.ConnPoint), c.hex)
		require.Equal(t, c.symbol, string(tg.Symbol), c.hex)
	}
	// AppendTag reads the same paths in place.
	tags := map[string]string{
		"91035461670028052803":                     "Tag[5,3]",
		"91045461677328022903000a":                 "Tags[2,2560]",
		"910454616773910341626300":                 "Tags.Abc",
		"20022401910141002801":                     "A[1]",
		"9103546167002801910141002902000191014200": "Tag[1].A[256].B",
		"91035461670028":                           "",       // cut: the cursor stops at the member
		"9103546167003405":                         "Tag",    // a key segment is the cursor's
		"91035461670060c60700":                     "Tag[7]", // numeric symbol: the cursor's
	}
	for h, want := range tags {
		p := Path(mustHex(h))
		got := p.AppendTag(nil)
		require.Equal(t, string(p.appendTag(nil)), string(got), h)
		if want != "" {
			require.Equal(t, want, string(got), h)
		}
	}
	for _, c := range cases {
		p := Path(mustHex(c.hex))
		require.Equal(t, string(p.appendTag([]byte("x"))), string(p.AppendTag([]byte("x"))), c.hex)
	}
	// Every path of the test vectors, top-level and embedded.
	for _, v := range allVectors() {
		f, _, _ := Parse(v)
		cd, ok := f.CIP()
		if !ok {
			continue
		}
		m, err := ParseCIP(cd.Msg)
		if err != nil {
			continue
		}
		require.True(t, sameTarget(m.Path.Target(), m.Path.target()))
		require.Equal(t, m.Path.appendTag(nil), m.Path.AppendTag(nil))
		for msgs := m.Multiple(); msgs.Next(); {
			e := msgs.CIPMessage()
			require.True(t, sameTarget(e.Path.Target(), e.Path.target()))
			require.Equal(t, e.Path.appendTag(nil), e.Path.AppendTag(nil))
		}
	}
}
