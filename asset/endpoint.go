package asset

import (
	"net/netip"
	"strconv"
)

// MAC is a 48-bit hardware address. The zero value means "not seen": the
// link layer had none (raw IP captures) or the source did not give it.
type MAC [6]byte

// IsZero reports whether m is the zero address (not seen).
func (m MAC) IsZero() bool { return m == MAC{} }

// String returns m as "00:1d:9c:c7:b0:70", or "" for the zero address. It
// allocates the string.
func (m MAC) String() string {
	if m.IsZero() {
		return ""
	}
	b, _ := m.AppendText(make([]byte, 0, 17))
	return string(b)
}

// AppendText appends m as six lower-case hex pairs joined by ':' (nothing for
// the zero address). It never allocates beyond growing b.
func (m MAC) AppendText(b []byte) ([]byte, error) {
	return m.appendSep(b, ':', "0123456789abcdef"), nil
}

// appendECS appends m in ECS form: upper case, pairs joined by '-'.
func (m MAC) appendECS(b []byte) []byte { return m.appendSep(b, '-', "0123456789ABCDEF") }

func (m MAC) appendSep(b []byte, sep byte, hex string) []byte {
	if m.IsZero() {
		return b
	}
	for i, x := range m {
		if i > 0 {
			b = append(b, sep)
		}
		b = append(b, hex[x>>4], hex[x&0xf])
	}
	return b
}

// Endpoint is one side of a conversation: address, port and, when the link
// layer showed it, MAC address. It is comparable.
type Endpoint struct {
	Addr netip.Addr
	Port uint16
	MAC  MAC
}

// AddrPort returns the address and port.
func (e Endpoint) AddrPort() netip.AddrPort { return netip.AddrPortFrom(e.Addr, e.Port) }

// String returns "10.0.0.1:502" ("[fe80::1]:502" for IPv6). It allocates.
func (e Endpoint) String() string {
	b, _ := e.AppendText(nil)
	return string(b)
}

// AppendText appends the address and port as AddrPort prints them. It never
// allocates beyond growing b.
func (e Endpoint) AppendText(b []byte) ([]byte, error) {
	if e.Addr.Is6() && !e.Addr.Is4In6() {
		b = append(b, '[')
		b = e.Addr.AppendTo(b)
		b = append(b, ']')
	} else {
		b = e.Addr.AppendTo(b)
	}
	b = append(b, ':')
	return strconv.AppendUint(b, uint64(e.Port), 10), nil
}
