package testkit

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHex(t *testing.T) {
	require.Equal(t, []byte{0x01, 0xab, 0xff, 0x00}, Hex("01 ab:0xff\n00"))
}

func TestInside(t *testing.T) {
	b := make([]byte, 10)
	require.True(t, Inside(b[2:5], b))
	require.True(t, Inside(nil, b))
	require.False(t, Inside(make([]byte, 2), b))
	require.False(t, Inside(b[5:], b[:6]))
}

func TestZeroAllocs(t *testing.T) {
	var sink []byte
	ZeroAllocs(t, []AllocCase{{"nothing", func() { sink = sink[:0] }}})
}
