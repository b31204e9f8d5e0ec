package fuzz

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// readSeed returns the direction and bytes of a PDU target's corpus file.
func readSeed(t *testing.T, path string) (bool, []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	require.Len(t, lines, 3, path)
	toServer := lines[1] == "bool(true)"
	s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[2], "[]byte("), ")"))
	require.NoError(t, err, path)
	return toServer, []byte(s)
}

// TestTruncatedEveryCut cuts every seed PDU of every protocol at every
// length and checks the parse result: ErrTruncated always with n == 0
// (doc/grammar.md), n within the input, no error only with n > 0.
func TestTruncatedEveryCut(t *testing.T) {
	targets := [NumProtocols]string{"FuzzModbusPDU", "FuzzS7commPDU", "FuzzENIPPDU", "FuzzDNP3PDU", "FuzzIEC104PDU"}
	for i, p := range Protocols() {
		t.Run(p.Proto.String(), func(t *testing.T) {
			files, err := filepath.Glob(filepath.Join("testdata", "fuzz", targets[i], "*"))
			require.NoError(t, err)
			require.NotEmpty(t, files)
			for _, f := range files {
				toServer, b := readSeed(t, f)
				for cut := 0; cut <= len(b); cut++ {
					n, err := p.parse(b[:cut], toServer)
					if e := parseResult(p.Proto.String(), b[:cut], n, err, p.truncated); e != nil {
						t.Fatalf("%s cut at %d of %d: %v", filepath.Base(f), cut, len(b), e)
					}
				}
			}
		})
	}
}
