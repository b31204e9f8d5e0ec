package asset

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"net/netip"
)

// appendCommunityID appends the Community ID (version 1, seed 0) of the
// conversation between a and b over transport t: "1:" and the base64 of a
// SHA-1 over the seed, the two addresses and ports (the smaller endpoint
// first), the IP protocol number and a pad byte. It is the flow id Zeek,
// Suricata and Elastic share (ECS network.community_id). It does not
// allocate.
func appendCommunityID(b []byte, t Transport, a, c netip.AddrPort) []byte {
	a1, c1 := a.Addr().Unmap(), c.Addr().Unmap()
	if a1.Is4() != c1.Is4() {
		return b
	}
	var in [2 + 16 + 16 + 1 + 1 + 2 + 2]byte
	as, cs := a1.As16(), c1.As16()
	ab, cb := as[:], cs[:]
	if a1.Is4() {
		ab, cb = ab[12:], cb[12:]
	}
	ap, cp := a.Port(), c.Port()
	if r := bytes.Compare(ab, cb); r > 0 || r == 0 && ap > cp {
		ab, cb = cb, ab
		ap, cp = cp, ap
	}
	n := 2
	n += copy(in[n:], ab)
	n += copy(in[n:], cb)
	in[n] = byte(t)
	n += 2
	in[n], in[n+1], in[n+2], in[n+3] = byte(ap>>8), byte(ap), byte(cp>>8), byte(cp)
	n += 4
	sum := sha1.Sum(in[:n])
	b = append(b, "1:"...)
	return base64.StdEncoding.AppendEncode(b, sum[:])
}
