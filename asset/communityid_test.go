package asset

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCommunityID(t *testing.T) {
	// Vectors of the Community ID specification (corelight/community-id-spec).
	for _, c := range []struct {
		t    Transport
		a, b string
		want string
	}{
		{TCP, "128.232.110.120:34855", "66.35.250.204:80", "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
		{TCP, "66.35.250.204:80", "128.232.110.120:34855", "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
		{UDP, "192.168.1.52:54585", "8.8.8.8:53", "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
		{TCP, "[fe80::200:86ff:fe05:80da]:1", "[fe80::260:97ff:fe07:69ea]:2", ""},
	} {
		got := string(appendCommunityID(nil, c.t, netip.MustParseAddrPort(c.a), netip.MustParseAddrPort(c.b)))
		if c.want == "" {
			assert.Regexp(t, `^1:[A-Za-z0-9+/]{27}=$`, got)
			continue
		}
		assert.Equal(t, c.want, got, "%s %s", c.a, c.b)
	}
	a, b := netip.MustParseAddrPort("10.0.0.1:1"), netip.MustParseAddrPort("10.0.0.2:502")
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf = appendCommunityID(buf[:0], TCP, a, b) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
