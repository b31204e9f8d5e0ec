package pcapx

import (
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// Filter is a capture filter: an expression in the common subset of
// pcap-filter(7) syntax, compiled to classic BPF for each link type without
// libpcap or cgo. The subset:
//
//   - protocols: ip, ip6, tcp, udp
//   - vlan and vlan ID: an 802.1Q or 802.1ad tag (TPID 0x8100, 0x88a8 or
//     0x9100), with that VLAN id; as in libpcap, each vlan primitive moves
//     the decoding offsets of everything that follows it in the expression
//     4 bytes further, so "vlan and tcp" is TCP inside a tag
//   - host ADDR, src host ADDR, dst host ADDR (IPv4 or IPv6, numeric); an IPv4
//     host also matches the sender and target addresses of ARP and RARP on
//     link types that carry an Ethernet type, as in libpcap
//   - net NET/LEN, net NET mask MASK, net 10 or net 192.168.1 (classful
//     shorthand: as many octets as written), with src or dst
//   - port N, portrange N-M, with src or dst and tcp or udp; without tcp or
//     udp, SCTP ports match too, as in libpcap
//   - the qualifiers ip and ip6 before host and net, and "src or dst",
//     "src and dst"
//   - and (&&), or (||), not (!), parentheses; and and or have equal
//     precedence and group left to right, not binds tightest
//   - a bare value takes the qualifiers of the primitive before it:
//     "port 502 or 102" is "port 502 or port 102"
//
// Each primitive compiles to the tests libpcap generates for it, so that a
// packet passes the same filters as with tcpdump (the tests compare the
// two over the corpus): IPv4 ports only in the first fragment and past IP
// options, an IPv6 tcp or udp also behind a fragment header but ports only
// right after the IPv6 header, loads beyond the packet rejecting it. Host
// names, service names and every other keyword give a *FilterError naming
// the token.
//
// Link types: Ethernet, Linux SLL and SLL2, raw IP (101, DLT 12 and 14,
// LINKTYPE_IPV4 228, LINKTYPE_IPV6 229), BSD loopback NULL (0, the address
// family in little-endian order, as written by the little-endian hosts that
// write nearly every capture; libpcap uses the host's order) and LOOP (108).
// vlan is for Ethernet only.
//
// A Filter is not safe for concurrent use: Match keeps a compiled program
// per link type.
type Filter struct {
	expr  string
	root  *node
	progs []linkProgram
}

type linkProgram struct {
	lt   layers.LinkType
	prog []bpf.Instruction
	raw  []bpf.RawInstruction
	err  error
}

// SnapLen is what a compiled filter returns for a packet it accepts: the
// number of bytes to keep, as in libpcap's default. It is 0 for a packet
// the filter rejects.
const SnapLen = 262144

// maxInstructions is the kernel's limit on a classic BPF program.
const maxInstructions = 4096

// CompileFilter parses expr. The empty expression matches every packet.
// Errors are *FilterError. The program for each link type is generated on
// first use (Program, Match).
func CompileFilter(expr string) (*Filter, error) {
	root, err := parseFilter(expr)
	if err != nil {
		return nil, err
	}
	return &Filter{expr: expr, root: root}, nil
}

// String returns the expression.
func (f *Filter) String() string { return f.expr }

// Program returns the classic BPF program of the filter for packets of link
// type lt: it returns SnapLen for a packet that passes and 0 for one that
// does not. The error is a *FilterError when the expression has no meaning
// for lt (vlan on a link type without Ethernet headers), or names an
// unsupported link type.
func (f *Filter) Program(lt layers.LinkType) ([]bpf.Instruction, error) {
	p := f.program(lt)
	return p.prog, p.err
}

func (f *Filter) program(lt layers.LinkType) *linkProgram {
	for i := range f.progs {
		if f.progs[i].lt == lt {
			return &f.progs[i]
		}
	}
	p := linkProgram{lt: lt}
	p.prog, p.err = compile(f.expr, f.root, lt)
	if p.err == nil {
		p.raw, p.err = bpf.Assemble(p.prog)
	}
	f.progs = append(f.progs, p)
	return &f.progs[len(f.progs)-1]
}

// Match runs the filter's program for link type lt over a packet and
// reports whether the packet passes. The error is Program's. It runs the
// program in an interpreter of the few instructions the compiler emits,
// several times faster than x/net/bpf's general virtual machine, whose
// decisions the tests hold it to. It does not allocate once lt's program
// exists.
func (f *Filter) Match(lt layers.LinkType, data []byte) (bool, error) {
	if f.root == nil {
		return true, nil
	}
	var p *linkProgram
	if len(f.progs) > 0 && f.progs[0].lt == lt {
		p = &f.progs[0]
	} else {
		p = f.program(lt)
	}
	if p.err != nil {
		return false, p.err
	}
	return runFilter(p.raw, data) > 0, nil
}

// link describes where a link type keeps the network protocol and the
// network layer.
type link struct {
	name    string
	kind    linkKind
	typeOff uint32 // Ethernet type (linkEthertype)
	nl      uint32 // network layer
}

type linkKind uint8

const (
	linkEthertype linkKind = iota // a 16-bit Ethernet type at typeOff
	linkNullLE                    // a 32-bit address family, little-endian
	linkLoopBE                    // a 32-bit address family, big-endian
	linkRaw                       // the IP version nibble
	linkIPv4                      // IPv4 only
	linkIPv6                      // IPv6 only
)

func linkOf(lt layers.LinkType) (link, bool) {
	switch lt {
	case layers.LinkTypeEthernet:
		return link{"Ethernet", linkEthertype, 12, 14}, true
	case layers.LinkTypeLinuxSLL:
		return link{"Linux cooked v1", linkEthertype, 14, 16}, true
	case 276: // LINKTYPE_LINUX_SLL2
		return link{"Linux cooked v2", linkEthertype, 0, 20}, true
	case layers.LinkTypeNull:
		return link{"BSD loopback", linkNullLE, 0, 4}, true
	case layers.LinkTypeLoop:
		return link{"OpenBSD loopback", linkLoopBE, 0, 4}, true
	case layers.LinkTypeRaw, 12, 14:
		return link{"raw IP", linkRaw, 0, 0}, true
	case layers.LinkTypeIPv4:
		return link{"raw IPv4", linkIPv4, 0, 0}, true
	case layers.LinkTypeIPv6:
		return link{"raw IPv6", linkIPv6, 0, 0}, true
	}
	return link{}, false
}

// cond is a condition tree: tests joined by and, or, not.
type cond struct {
	op   condOp
	a, b *cond
	t    test
}

type condOp uint8

const (
	cTrue condOp = iota
	cFalse
	cAnd
	cOr
	cNot
	cTest
)

// test loads size bytes at off (past the IPv4 header whose first byte is
// at xoff, when indirect), masks them when masked, and compares with val.
type test struct {
	size     int
	off      uint32
	indirect bool
	xoff     uint32
	masked   bool
	mask     uint32
	jump     bpf.JumpTest
	val      uint32
}

var (
	condTrue  = &cond{op: cTrue}
	condFalse = &cond{op: cFalse}
)

func and(cs ...*cond) *cond {
	r := condTrue
	for _, c := range cs {
		switch {
		case c.op == cFalse || r.op == cFalse:
			r = condFalse
		case c.op == cTrue:
		case r.op == cTrue:
			r = c
		default:
			r = &cond{op: cAnd, a: r, b: c}
		}
	}
	return r
}

func or(cs ...*cond) *cond {
	r := condFalse
	for _, c := range cs {
		switch {
		case c.op == cTrue || r.op == cTrue:
			r = condTrue
		case c.op == cFalse:
		case r.op == cFalse:
			r = c
		default:
			r = &cond{op: cOr, a: r, b: c}
		}
	}
	return r
}

func not(c *cond) *cond {
	switch c.op {
	case cTrue:
		return condFalse
	case cFalse:
		return condTrue
	}
	return &cond{op: cNot, a: c}
}

func eq(size int, off, val uint32) *cond {
	return &cond{op: cTest, t: test{size: size, off: off, jump: bpf.JumpEqual, val: val}}
}

func maskedEq(size int, off, mask, val uint32) *cond {
	return &cond{op: cTest, t: test{size: size, off: off, masked: true, mask: mask, jump: bpf.JumpEqual, val: val}}
}

func bitsSet(size int, off, mask uint32) *cond {
	return &cond{op: cTest, t: test{size: size, off: off, jump: bpf.JumpBitsSet, val: mask}}
}

// gen builds the condition of the primitives for one link type.
type gen struct {
	expr string
	l    link
}

func (g *gen) errAt(t token, msg string) *FilterError {
	return &FilterError{Expr: g.expr, Offset: t.off, Token: t.s, Msg: msg}
}

// offsets returns the Ethernet type and network layer offsets after vlans
// tags.
func (g *gen) offsets(vlans int) (typeOff, nl uint32) {
	return g.l.typeOff + 4*uint32(vlans), g.l.nl + 4*uint32(vlans)
}

func (g *gen) ethertype(vlans int, t uint32) *cond {
	if g.l.kind != linkEthertype {
		return condFalse
	}
	typeOff, _ := g.offsets(vlans)
	return eq(2, typeOff, t)
}

func (g *gen) isIPv4(vlans int) *cond {
	switch g.l.kind {
	case linkEthertype:
		return g.ethertype(vlans, 0x0800)
	case linkNullLE:
		return eq(4, 0, 0x02000000)
	case linkLoopBE:
		return eq(4, 0, 2)
	case linkRaw:
		return maskedEq(1, 0, 0xf0, 0x40)
	case linkIPv4:
		return condTrue
	}
	return condFalse
}

func (g *gen) isIPv6(vlans int) *cond {
	switch g.l.kind {
	case linkEthertype:
		return g.ethertype(vlans, 0x86dd)
	case linkNullLE: // AF_INET6 of FreeBSD, OpenBSD/NetBSD/Linux, Darwin
		return or(eq(4, 0, 0x1e000000), eq(4, 0, 0x18000000), eq(4, 0, 0x1c000000))
	case linkLoopBE:
		return or(eq(4, 0, 0x1e), eq(4, 0, 0x18), eq(4, 0, 0x1c))
	case linkRaw:
		return maskedEq(1, 0, 0xf0, 0x60)
	case linkIPv6:
		return condTrue
	}
	return condFalse
}

const (
	protoTCP      = 6
	protoUDP      = 17
	protoSCTP     = 132
	ip6Fragment   = 44
	ip4FragOffset = 0x1fff
)

// transport is a tcp or udp primitive: the IPv4 protocol, or the IPv6 next
// header, also behind a fragment header.
func (g *gen) transport(vlans int, proto uint32) *cond {
	_, nl := g.offsets(vlans)
	v4 := and(g.isIPv4(vlans), eq(1, nl+9, proto))
	v6 := and(g.isIPv6(vlans), or(eq(1, nl+6, proto), and(eq(1, nl+6, ip6Fragment), eq(1, nl+40, proto))))
	return or(v4, v6)
}

func protocols(p protoQ) []uint32 {
	switch p {
	case qTCP:
		return []uint32{protoTCP}
	case qUDP:
		return []uint32{protoUDP}
	}
	return []uint32{protoSCTP, protoTCP, protoUDP}
}

// byDir joins the source and destination tests as the direction says.
func byDir(d dirQ, src, dst *cond) *cond {
	switch d {
	case dirSrc:
		return src
	case dirDst:
		return dst
	case dirBoth:
		return and(src, dst)
	}
	return or(src, dst)
}

// port is a port or portrange primitive.
func (g *gen) port(q *prim) *cond {
	_, nl := g.offsets(q.vlans)
	portTest := func(off uint32, indirect bool) *cond {
		ld := func(j bpf.JumpTest, v uint32) *cond {
			return &cond{op: cTest, t: test{size: 2, off: off, indirect: indirect, xoff: nl, jump: j, val: v}}
		}
		if q.lo == q.hi {
			return ld(bpf.JumpEqual, uint32(q.lo))
		}
		return and(ld(bpf.JumpGreaterOrEqual, uint32(q.lo)), not(ld(bpf.JumpGreaterThan, uint32(q.hi))))
	}
	var p4, p6 []*cond
	for _, p := range protocols(q.proto) {
		p4 = append(p4, eq(1, nl+9, p))
		p6 = append(p6, eq(1, nl+6, p))
	}
	v4 := and(g.isIPv4(q.vlans), or(p4...), not(bitsSet(2, nl+6, ip4FragOffset)),
		byDir(q.dir, portTest(nl, true), portTest(nl+2, true)))
	v6 := and(g.isIPv6(q.vlans), or(p6...), byDir(q.dir, portTest(nl+40, false), portTest(nl+42, false)))
	return or(v4, v6)
}

// addrTest compares the bits leading bits of the address at off with a.
func addrTest(off uint32, a []byte, bits int) *cond {
	c := condTrue
	for w := 0; w*32 < bits && w*4 < len(a); w++ {
		v := uint32(a[4*w])<<24 | uint32(a[4*w+1])<<16 | uint32(a[4*w+2])<<8 | uint32(a[4*w+3])
		n := min(bits-32*w, 32)
		if n == 32 {
			c = and(c, eq(4, off+uint32(4*w), v))
		} else {
			m := ^uint32(0) << (32 - n)
			c = and(c, maskedEq(4, off+uint32(4*w), m, v&m))
		}
	}
	return c
}

// host is a host or net primitive.
func (g *gen) host(q *prim) *cond {
	_, nl := g.offsets(q.vlans)
	if q.addr.Is6() {
		a := q.addr.As16()
		return and(g.isIPv6(q.vlans), byDir(q.dir, addrTest(nl+8, a[:], q.bits), addrTest(nl+24, a[:], q.bits)))
	}
	a := q.addr.As4()
	c := and(g.isIPv4(q.vlans), byDir(q.dir, addrTest(nl+12, a[:], q.bits), addrTest(nl+16, a[:], q.bits)))
	if q.proto == qNone {
		// ARP and RARP sender and target protocol addresses.
		arp := and(or(g.ethertype(q.vlans, 0x0806), g.ethertype(q.vlans, 0x8035)),
			byDir(q.dir, addrTest(nl+14, a[:], q.bits), addrTest(nl+24, a[:], q.bits)))
		c = or(c, arp)
	}
	return c
}

func (g *gen) prim(q *prim) (*cond, *FilterError) {
	switch q.typ {
	case tVLAN:
		if g.l.kind != linkEthertype || g.l.name != "Ethernet" {
			return nil, &FilterError{Expr: g.expr, Offset: 0, Token: "vlan", Msg: "no VLAN support for " + g.l.name}
		}
		typeOff, _ := g.offsets(q.vlans)
		c := or(eq(2, typeOff, 0x8100), eq(2, typeOff, 0x88a8), eq(2, typeOff, 0x9100))
		if q.hasID {
			c = and(c, maskedEq(2, typeOff+2, 0x0fff, uint32(q.id)))
		}
		return c, nil
	case tNone:
		switch q.proto {
		case qIP:
			return g.isIPv4(q.vlans), nil
		case qIP6:
			return g.isIPv6(q.vlans), nil
		case qTCP:
			return g.transport(q.vlans, protoTCP), nil
		case qUDP:
			return g.transport(q.vlans, protoUDP), nil
		}
	case tHost, tNet:
		return g.host(q), nil
	case tPort, tPortRange:
		return g.port(q), nil
	}
	return nil, g.errAt(q.tok, "unsupported primitive")
}

func (g *gen) cond(n *node) (*cond, *FilterError) {
	switch n.kind {
	case nPrim:
		return g.prim(&n.p)
	case nNot:
		a, err := g.cond(n.a)
		if err != nil {
			return nil, err
		}
		return not(a), nil
	}
	a, err := g.cond(n.a)
	if err != nil {
		return nil, err
	}
	b, err := g.cond(n.b)
	if err != nil {
		return nil, err
	}
	if n.kind == nAnd {
		return and(a, b), nil
	}
	return or(a, b), nil
}

// compile generates the program of root for link type lt.
func compile(expr string, root *node, lt layers.LinkType) ([]bpf.Instruction, error) {
	l, ok := linkOf(lt)
	if !ok {
		return nil, &FilterError{Expr: expr, Msg: "link type " + lt.String() + " is not supported by filters"}
	}
	c := condTrue
	if root != nil {
		g := gen{expr: expr, l: l}
		var ferr *FilterError
		if c, ferr = g.cond(root); ferr != nil {
			return nil, ferr
		}
	}
	var e emitter
	e.emit(bpf.RetConstant{Val: 0})       // reverse index 0: reject
	e.emit(bpf.RetConstant{Val: SnapLen}) // 1: accept
	entry := e.gen(c, 1, 0)
	if entry != len(e.rev)-1 {
		e.emit(bpf.Jump{Skip: uint32(len(e.rev) - entry - 1)})
	}
	prog := make([]bpf.Instruction, len(e.rev))
	for i, ins := range e.rev {
		prog[len(prog)-1-i] = ins
	}
	prog = dropReloads(prog)
	if len(prog) > maxInstructions {
		return nil, &FilterError{Expr: expr, Offset: len(expr), Msg: "program longer than 4096 instructions"}
	}
	return prog, nil
}

// emitter builds a program backwards, from its last instruction, so that
// every jump's target is known when the jump is emitted. rev[0] is the last
// instruction; an instruction at reverse index r reaches reverse index t
// with a skip of r-t-1.
type emitter struct {
	rev []bpf.Instruction
}

func (e *emitter) emit(ins bpf.Instruction) int {
	e.rev = append(e.rev, ins)
	return len(e.rev) - 1
}

// near returns a target that a conditional jump emitted after extra more
// instructions reaches with a skip below 256: t itself, or a jump to it.
func (e *emitter) near(t, extra int) int {
	if len(e.rev)+extra-t-1 > 255 {
		return e.emit(bpf.Jump{Skip: uint32(len(e.rev) - t - 1)})
	}
	return t
}

// gen emits c with the jumps to t when it holds and to f when it does not,
// and returns the reverse index of its first instruction.
func (e *emitter) gen(c *cond, t, f int) int {
	switch c.op {
	case cTrue:
		return t
	case cFalse:
		return f
	case cNot:
		return e.gen(c.a, f, t)
	case cAnd:
		return e.gen(c.a, e.gen(c.b, t, f), f)
	case cOr:
		return e.gen(c.a, t, e.gen(c.b, t, f))
	}
	t = e.near(t, 1)
	f = e.near(f, 0)
	r := len(e.rev)
	e.emit(bpf.JumpIf{Cond: c.t.jump, Val: c.t.val, SkipTrue: uint8(r - t - 1), SkipFalse: uint8(r - f - 1)})
	if c.t.masked {
		e.emit(bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: c.t.mask})
	}
	if c.t.indirect {
		e.emit(bpf.LoadIndirect{Off: c.t.off, Size: c.t.size})
		return e.emit(bpf.LoadMemShift{Off: c.t.xoff})
	}
	return e.emit(bpf.LoadAbsolute{Off: c.t.off, Size: c.t.size})
}
