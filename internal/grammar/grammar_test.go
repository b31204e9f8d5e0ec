package grammar

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Protocols are the packages held to the grammar, with their documented
// exceptions.
var Protocols = map[string]Options{
	"modbus": {ParseParams: []string{"Direction"}}, // a Modbus PDU's layout depends on its direction
	"s7comm": {},
	"enip":   {},
	"dnp3":   {},
	"iec104": {},
}

func root(t *testing.T) string {
	t.Helper()
	r, err := FindRoot(".")
	require.NoError(t, err)
	return r
}

// TestProtocolPackages holds every protocol package to the grammar.
func TestProtocolPackages(t *testing.T) {
	r := root(t)
	for name, opt := range Protocols {
		t.Run(name, func(t *testing.T) {
			p, err := Load(filepath.Join(r, name), r)
			require.NoError(t, err)
			for _, v := range Check(p, opt) {
				t.Error(v)
			}
		})
	}
}

// TestBrokenCopy shows that the check fails on a copy of a package that
// drifts: a method renamed, a cursor accessor returning a pointer, a
// sentinel nothing returns.
func TestBrokenCopy(t *testing.T) {
	r := root(t)
	src := filepath.Join("testdata", "good")
	p, err := Load(src, r)
	require.NoError(t, err)
	require.Empty(t, Check(p, Options{}), "the good sample must pass")

	dir := t.TempDir()
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		require.NoError(t, err)
		s := string(b)
		for _, edit := range [][2]string{
			{"func (a Anomaly) AppendText(", "func (a Anomaly) Text("},
			{"ErrTruncated Error = iota + 1", "ErrTruncated Error = iota + 1\n\tErrUnused"},
			{"func (c *Conn) Decode(b []byte, toServer bool, ts int64) (*Message, error) {", "func (c *Conn) Decode(b []byte, toServer bool) (*Message, error) {\n\tvar ts int64"},
		} {
			s = strings.Replace(s, edit[0], edit[1], 1)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, e.Name()), []byte(s), 0o644))
	}
	// Drift in new declarations: a cursor handing out pointers, an At that
	// cannot say "out of range", an old-style iterator and a Decoder.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "drift.go"), []byte(`package good

// Records walks records.
type Records struct{ cur Item }

func (r *Records) Next() bool     { return false }
func (r *Records) Record() *Item  { return &r.cur }
func (r *Records) Err() error     { return nil }

// Values is a fixed-stride repeat.
type Values struct{ b []byte }

func (v Values) Len() int          { return len(v.b) }
func (v Values) At(i int) byte     { return v.b[i] }

// BlockIter is an old-style cursor.
type BlockIter struct{}

func (BlockIter) Next() ([]byte, bool) { return nil, false }

// Decoder is an old name.
type Decoder struct{}
`), 0o644))
	p, err = Load(dir, r)
	require.NoError(t, err)
	var rules []string
	for _, v := range Check(p, Options{}) {
		t.Log(v)
		rules = append(rules, v.Rule+": "+v.Msg)
	}
	all := strings.Join(rules, "\n")
	for _, want := range []string{
		"anomaly: Anomaly has no method AppendText",
		"anomaly: flag set Anomaly has extra method Text",
		"cursor: Records.Record returns a pointer",
		"cursor: BlockIter.Next has signature () ([]byte, bool), want () bool",
		"names: cursor BlockIter: cursors are named for the plural",
		"names: a protocol package has no type named Decoder",
		"produced: ErrUnused is never produced",
		"conn: Conn.Decode has signature ([]byte, bool) (*Message, error)",
		"repeat: Values.At has signature (int) byte",
	} {
		require.Contains(t, all, want)
	}
}
