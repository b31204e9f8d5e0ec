package pcapx

import (
	"net/netip"
	"strconv"
	"strings"
)

// This file parses the subset of pcap-filter(7) syntax that Filter supports
// into a tree of primitives. Code generation is in bpf.go.

// FilterError is the error CompileFilter and Filter.Program return for an
// expression they cannot compile: the token where compiling stopped, its
// byte offset in the expression, and why.
type FilterError struct {
	Expr   string
	Offset int    // byte offset of Token in Expr; len(Expr) at the end
	Token  string // "" at the end of the expression
	Msg    string
}

func (e *FilterError) Error() string {
	var b strings.Builder
	b.WriteString("pcapx: filter ")
	b.WriteString(strconv.Quote(e.Expr))
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Token != "" {
		b.WriteString(": ")
		b.WriteString(strconv.Quote(e.Token))
		b.WriteString(" at offset ")
		b.WriteString(strconv.Itoa(e.Offset))
	} else if e.Offset >= len(e.Expr) {
		b.WriteString(" at the end")
	}
	return b.String()
}

type token struct {
	s   string
	off int
}

// tokenize splits expr into words, parentheses and the operators !, &&
// and ||. Words are runs of anything else but spaces.
func tokenize(expr string) ([]token, *FilterError) {
	var toks []token
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == '!':
			toks = append(toks, token{expr[i : i+1], i})
			i++
		case c == '&' || c == '|':
			if i+1 < len(expr) && expr[i+1] == c {
				toks = append(toks, token{expr[i : i+2], i})
				i += 2
				continue
			}
			toks = append(toks, token{expr[i : i+1], i}) // the parser names it
			i++
		default:
			j := i
			for j < len(expr) && !strings.ContainsRune(" \t\n\r()!&|", rune(expr[j])) {
				j++
			}
			toks = append(toks, token{expr[i:j], i})
			i = j
		}
	}
	return toks, nil
}

// Node kinds of the expression tree.
type nodeKind uint8

const (
	nAnd nodeKind = iota
	nOr
	nNot
	nPrim
)

type node struct {
	kind nodeKind
	a, b *node
	p    prim
}

// Qualifiers of a primitive.
type protoQ uint8

const (
	qNone protoQ = iota
	qIP
	qIP6
	qTCP
	qUDP
)

type dirQ uint8

const (
	dirAny  dirQ = iota // src or dst
	dirSrc              // src
	dirDst              // dst
	dirBoth             // src and dst
)

type typeQ uint8

const (
	tNone typeQ = iota // a protocol alone: tcp, udp, ip, ip6
	tHost
	tNet
	tPort
	tPortRange
	tVLAN
)

// prim is one primitive, with the number of vlan primitives parsed before
// it (each shifts the link-layer offsets of what follows by 4 bytes, as in
// libpcap).
type prim struct {
	proto protoQ
	dir   dirQ
	typ   typeQ
	vlans int
	// host and net: addr, with bits significant bits (net).
	addr netip.Addr
	bits int
	// port, portrange: lo..hi. vlan: id, hasID.
	lo, hi uint16
	id     uint16
	hasID  bool
	tok    token // the primitive's value token, for errors
}

type parser struct {
	expr  string
	toks  []token
	i     int
	vlans int
	last  *prim // qualifiers of the last primitive with an id, for "port 1 or 2"
}

func (p *parser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i].s
	}
	return ""
}

func (p *parser) errAt(msg string) *FilterError {
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		return &FilterError{Expr: p.expr, Offset: t.off, Token: t.s, Msg: msg}
	}
	return &FilterError{Expr: p.expr, Offset: len(p.expr), Msg: msg}
}

func errTok(expr string, t token, msg string) *FilterError {
	return &FilterError{Expr: expr, Offset: t.off, Token: t.s, Msg: msg}
}

// parseFilter parses expr. An empty expression is nil: it matches every
// packet.
func parseFilter(expr string) (*node, *FilterError) {
	toks, ferr := tokenize(expr)
	if ferr != nil {
		return nil, ferr
	}
	if len(toks) == 0 {
		return nil, nil
	}
	p := &parser{expr: expr, toks: toks}
	n, ferr := p.expr0()
	if ferr != nil {
		return nil, ferr
	}
	if p.i < len(p.toks) {
		if s := p.peek(); s == "&" || s == "|" || strings.ContainsAny(s, "<>=+-*/%^[]") {
			return nil, p.errAt("unsupported operator")
		}
		return nil, p.errAt("unexpected token")
	}
	return n, nil
}

func isAnd(s string) bool { return s == "and" || s == "&&" }
func isOr(s string) bool  { return s == "or" || s == "||" }
func isNot(s string) bool { return s == "not" || s == "!" }

// expr0: terms joined by and/or, which have equal precedence and group
// left to right, as in pcap-filter.
func (p *parser) expr0() (*node, *FilterError) {
	n, err := p.term()
	if err != nil {
		return nil, err
	}
	for {
		op := p.peek()
		var k nodeKind
		switch {
		case isAnd(op):
			k = nAnd
		case isOr(op):
			k = nOr
		default:
			return n, nil
		}
		p.i++
		m, err := p.term()
		if err != nil {
			return nil, err
		}
		n = &node{kind: k, a: n, b: m}
	}
}

func (p *parser) term() (*node, *FilterError) {
	s := p.peek()
	switch {
	case s == "":
		return nil, p.errAt("expression ends where a primitive was expected")
	case isNot(s):
		p.i++
		n, err := p.term()
		if err != nil {
			return nil, err
		}
		return &node{kind: nNot, a: n}, nil
	case s == "(":
		p.i++
		n, err := p.expr0()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, p.errAt("missing )")
		}
		p.i++
		return n, nil
	case s == ")" || isAnd(s) || isOr(s):
		return nil, p.errAt("unexpected token")
	case s == "&" || s == "|":
		return nil, p.errAt("unsupported operator")
	case strings.ContainsAny(s, "[]"):
		return nil, p.errAt("packet data accessors (proto[offset]) are not supported")
	}
	return p.primitive()
}

// unsupportedKeyword reports whether s is a pcap-filter keyword outside
// the supported subset, which errors name as such.
func unsupportedKeyword(s string) bool {
	switch s {
	case "ether", "arp", "rarp", "icmp", "icmp6", "igmp", "igrp", "pim", "vrrp", "carp", "sctp",
		"proto", "protochain", "gateway", "less", "greater", "broadcast", "multicast", "len",
		"mpls", "pppoed", "pppoes", "geneve", "vxlan", "inbound", "outbound", "ifname", "on", "rnr",
		"rulenum", "reason", "rset", "ruleset", "srnr", "subrulenum", "action", "wlan", "type",
		"subtype", "dir", "addr1", "addr2", "addr3", "addr4", "ra", "ta", "fddi", "tr", "decnet",
		"lat", "sca", "moprc", "mopdl", "iso", "esis", "isis", "clnp", "stp", "ipx", "netbeui",
		"atalk", "aarp", "llc", "ah", "esp", "mask", "link", "slip", "radio", "hdlc":
		return true
	}
	return false
}

// primitive parses one primitive: [proto] [dir] [type] id, a protocol
// alone, "vlan [id]", or a bare id that takes the previous primitive's
// qualifiers.
func (p *parser) primitive() (*node, *FilterError) {
	var q prim
	q.vlans = p.vlans
	explicit := false
	switch p.peek() {
	case "ip":
		q.proto, explicit = qIP, true
		p.i++
	case "ip6":
		q.proto, explicit = qIP6, true
		p.i++
	case "tcp":
		q.proto, explicit = qTCP, true
		p.i++
	case "udp":
		q.proto, explicit = qUDP, true
		p.i++
	case "vlan":
		p.i++
		q.typ = tVLAN
		if s := p.peek(); s != "" && isNumber(s) {
			id, ok := parseUint(s, 4095)
			if !ok {
				return nil, p.errAt("VLAN id out of range (0-4095)")
			}
			q.id, q.hasID = uint16(id), true
			q.tok = p.toks[p.i]
			p.i++
		}
		p.vlans++ // what follows is inside the tag
		return &node{kind: nPrim, p: q}, nil
	}
	switch p.peek() {
	case "src":
		q.dir, explicit = dirSrc, true
		p.i++
		if (isOr(p.peek()) || isAnd(p.peek())) && p.i+1 < len(p.toks) && p.toks[p.i+1].s == "dst" {
			if isAnd(p.peek()) {
				q.dir = dirBoth
			} else {
				q.dir = dirAny
			}
			p.i += 2
		}
	case "dst":
		q.dir, explicit = dirDst, true
		p.i++
		if (isOr(p.peek()) || isAnd(p.peek())) && p.i+1 < len(p.toks) && p.toks[p.i+1].s == "src" {
			if isAnd(p.peek()) {
				q.dir = dirBoth
			} else {
				q.dir = dirAny
			}
			p.i += 2
		}
	}
	switch p.peek() {
	case "host":
		q.typ, explicit = tHost, true
		p.i++
	case "net":
		q.typ, explicit = tNet, true
		p.i++
	case "port":
		q.typ, explicit = tPort, true
		p.i++
	case "portrange":
		q.typ, explicit = tPortRange, true
		p.i++
	}
	s := p.peek()
	idFollows := s != "" && s != ")" && s != "(" && s != "&" && s != "|" && !isAnd(s) && !isOr(s) && !isNot(s)
	if !explicit {
		// A bare id: the qualifiers of the previous primitive, as in
		// "port 502 or 102" and "host a or b".
		if unsupportedKeyword(s) {
			return nil, p.errAt("unsupported keyword")
		}
		if p.last == nil || !idFollows {
			return nil, p.errAt("unknown keyword or value without a qualifier")
		}
		q.proto, q.dir, q.typ = p.last.proto, p.last.dir, p.last.typ
	}
	if q.typ == tNone && q.dir == dirAny && !idFollows {
		// A protocol alone: ip, ip6, tcp, udp.
		if q.proto == qNone {
			return nil, p.errAt("expected a primitive")
		}
		return &node{kind: nPrim, p: q}, nil
	}
	if !idFollows {
		return nil, p.errAt("expected a value")
	}
	if unsupportedKeyword(s) {
		return nil, p.errAt("unsupported keyword")
	}
	if q.typ == tNone {
		q.typ = tHost // "src 10.0.0.1" is "src host 10.0.0.1"
	}
	q.tok = p.toks[p.i]
	p.i++
	if err := p.value(&q); err != nil {
		return nil, err
	}
	last := q
	p.last = &last
	return &node{kind: nPrim, p: q}, nil
}

// value reads q.tok as the value of q's type and checks the qualifiers.
func (p *parser) value(q *prim) *FilterError {
	s := q.tok.s
	switch q.typ {
	case tHost:
		if q.proto == qTCP || q.proto == qUDP {
			return errTok(p.expr, q.tok, "'tcp' and 'udp' do not qualify 'host'")
		}
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return errTok(p.expr, q.tok, "not a numeric IPv4 or IPv6 address (host names are not resolved)")
		}
		a = a.Unmap()
		if (a.Is4() && q.proto == qIP6) || (a.Is6() && q.proto == qIP) {
			return errTok(p.expr, q.tok, "address of the other IP version")
		}
		q.addr, q.bits = a, a.BitLen()
	case tNet:
		if q.proto == qTCP || q.proto == qUDP {
			return errTok(p.expr, q.tok, "'tcp' and 'udp' do not qualify 'net'")
		}
		if err := p.netValue(q); err != nil {
			return err
		}
		if (q.addr.Is4() && q.proto == qIP6) || (q.addr.Is6() && q.proto == qIP) {
			return errTok(p.expr, q.tok, "address of the other IP version")
		}
	case tPort:
		if q.proto == qIP || q.proto == qIP6 {
			return errTok(p.expr, q.tok, "only 'tcp' and 'udp' qualify 'port' here")
		}
		n, ok := parseUint(s, 65535)
		if !ok {
			return errTok(p.expr, q.tok, "not a port number (service names are not resolved)")
		}
		q.lo, q.hi = uint16(n), uint16(n)
	case tPortRange:
		if q.proto == qIP || q.proto == qIP6 {
			return errTok(p.expr, q.tok, "only 'tcp' and 'udp' qualify 'portrange' here")
		}
		a, b, found := strings.Cut(s, "-")
		lo, ok1 := parseUint(a, 65535)
		hi, ok2 := parseUint(b, 65535)
		if !found || !ok1 || !ok2 {
			return errTok(p.expr, q.tok, "not a port range (N-M)")
		}
		if lo > hi {
			lo, hi = hi, lo
		}
		q.lo, q.hi = uint16(lo), uint16(hi)
	}
	return nil
}

// netValue reads a network: addr/len, addr mask m (IPv4), or an IPv4
// address of 1 to 4 octets whose length is its octets' (net 10 is 10/8).
func (p *parser) netValue(q *prim) *FilterError {
	s := q.tok.s
	if a, l, found := strings.Cut(s, "/"); found {
		addr, err := netip.ParseAddr(a)
		if err != nil {
			addr, err = partialIPv4(a)
		}
		bits, ok := parseUint(l, 128)
		if err != nil || !ok || addr.Zone() != "" || int(bits) > addr.Unmap().BitLen() {
			return errTok(p.expr, q.tok, "not a network (address/length)")
		}
		q.addr, q.bits = addr.Unmap(), int(bits)
	} else if addr, err := netip.ParseAddr(s); err == nil && addr.Zone() == "" {
		q.addr, q.bits = addr.Unmap(), addr.Unmap().BitLen()
	} else if addr, err := partialIPv4(s); err == nil {
		q.addr, q.bits = addr, 8*(strings.Count(s, ".")+1)
	} else {
		return errTok(p.expr, q.tok, "not a network")
	}
	if p.peek() == "mask" {
		p.i++
		if p.i >= len(p.toks) {
			return p.errAt("mask without a value")
		}
		mt := p.toks[p.i]
		p.i++
		m, err := netip.ParseAddr(mt.s)
		if err != nil || !m.Is4() || !q.addr.Is4() || strings.Contains(s, "/") {
			return errTok(p.expr, mt, "not an IPv4 mask for an IPv4 network")
		}
		mb := m.As4()
		mv := uint32(mb[0])<<24 | uint32(mb[1])<<16 | uint32(mb[2])<<8 | uint32(mb[3])
		bits := 0
		for bits < 32 && mv&(1<<(31-bits)) != 0 {
			bits++
		}
		if bits < 32 && mv<<bits != 0 {
			return errTok(p.expr, mt, "mask is not contiguous")
		}
		q.bits = bits
	}
	if q.addr != netipPrefixMasked(q.addr, q.bits) {
		return errTok(p.expr, q.tok, "non-network bits set")
	}
	return nil
}

func netipPrefixMasked(a netip.Addr, bits int) netip.Addr {
	pf, err := a.Prefix(bits)
	if err != nil {
		return netip.Addr{}
	}
	return pf.Addr()
}

// partialIPv4 reads 1 to 3 dotted decimal octets as the leading octets of
// an IPv4 address.
func partialIPv4(s string) (netip.Addr, error) {
	var b [4]byte
	parts := strings.Split(s, ".")
	if len(parts) > 3 {
		return netip.Addr{}, errBadAddr
	}
	for i, part := range parts {
		n, ok := parseUint(part, 255)
		if !ok {
			return netip.Addr{}, errBadAddr
		}
		b[i] = byte(n)
	}
	return netip.AddrFrom4(b), nil
}

type filterErr string

func (e filterErr) Error() string { return string(e) }

const errBadAddr = filterErr("pcapx: bad address")

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// parseUint reads a decimal (or 0x hexadecimal) number up to max.
func parseUint(s string, max uint64) (uint64, bool) {
	n, err := strconv.ParseUint(s, 0, 32)
	if err != nil || n > max {
		return 0, false
	}
	return n, true
}
