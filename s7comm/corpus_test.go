package s7comm_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/icsdissect/icsdissect/internal/streamtest"
	"github.com/icsdissect/icsdissect/pcapx"
	"github.com/icsdissect/icsdissect/s7comm"
)

// corpusStreams returns every clean S7 stream of the capture corpus, or
// skips the test without it.
func corpusStreams(t *testing.T) []streamtest.Stream {
	t.Helper()
	root, _ := filepath.Abs("..")
	dir, ok := streamtest.CapturesDir(root)
	if !ok {
		t.Skipf("capture corpus not found at %s", dir)
	}
	streams, err := streamtest.Load(dir, pcapx.S7comm, 1)
	require.NoError(t, err)
	require.NotEmpty(t, streams)
	return streams
}

// TestResyncCorpus: every packet of every S7 stream of the corpus passes
// Resync's full check where it starts (no false negatives on real
// traffic: the first packet after a gap is found), and Split cuts each
// stream into exactly its packets, in one buffer and packet by packet.
func TestResyncCorpus(t *testing.T) {
	packets := 0
	for _, s := range corpusStreams(t) {
		for i := range s.Starts {
			a, e := s.PDU(i)
			for _, atEOF := range []bool{false, true} {
				if atEOF && e != len(s.Data) {
					continue
				}
				adv, tok, err := s7comm.Resync(s.Data[a:], atEOF)
				require.NoError(t, err)
				if !assert.Equal(t, e-a, adv, "%s packet %d [%d,%d) of %d, at EOF %v: % x", s.File, i, a, e, len(s.Data), atEOF, s.Data[a:min(len(s.Data), e+8)]) ||
					!assert.Equal(t, s.Data[a:e], tok, "%s packet %d", s.File, i) {
					return
				}
			}
			// Split in sync, with the bytes of this packet only (the next
			// one not arrived yet) and with the rest of the stream behind.
			for _, rest := range [][]byte{s.Data[a:e], s.Data[a:]} {
				adv, tok, _ := s7comm.Split(rest, false)
				if !assert.Equal(t, e-a, adv, "%s packet %d", s.File, i) || !assert.Equal(t, s.Data[a:e], tok) {
					return
				}
			}
			packets++
		}
	}
	t.Logf("%d packets", packets)
}
