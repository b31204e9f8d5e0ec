package pcapx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/bpf"

	"github.com/icsdissect/icsdissect/internal/testkit"
)

// filterExprs are compared with tcpdump over the corpus, on every link type.
// The addresses are those of the corpus (and their IPv6 forms made by
// toIPv6).
var filterExprs = []string{
	"",
	"ip", "ip6", "tcp", "udp", "not tcp", "tcp or udp", "ip and not udp", "! tcp && ! udp",
	"port 502", "tcp port 502", "udp port 502", "src port 502", "dst port 502",
	"port 502 or 102", "tcp dst port 44818 or 2222", "udp port 2222 or 20000",
	"portrange 100-2000", "tcp portrange 20000-20010", "udp src portrange 1-3000",
	"host 192.168.10.105", "src host 192.168.10.105", "dst host 192.168.10.120",
	"host 192.168.10.105 or 10.10.20.8", "ip host 127.0.0.1", "host 10.0.0.10",
	"net 192.168.0.0/16", "net 10.0.0.0 mask 255.0.0.0", "net 10", "src net 172.16.0.0/12",
	"dst net 192.168.10", "src or dst host 192.168.10.105", "src and dst net 127.0.0.0/8",
	"vlan", "vlan 100", "vlan and tcp", "vlan 100 and udp port 2222", "vlan 5 and vlan 100 and tcp",
	"not vlan", "vlan and host 192.168.10.105", "tcp port 502 or vlan and tcp port 502",
	"host 2001:db8::c0a8:a69", "net 2001:db8::/32", "ip6 and tcp port 502",
	"ip6 net 2001:db8::c0a8:a00/120", "src host 2001:db8::a0a:1408",
	"(tcp port 502 or udp port 502) and not host 10.0.0.1",
	"not (port 502 or port 102)", "tcp and (port 20000 or port 2404) and net 10.0.0.0/8",
	"tcp or udp and port 502", "host 192.168.10.105 and port 44818 or port 502",
	"not host 192.168.10.105 and 192.168.10.120",
}

// TestFilterTcpdump runs every expression of filterExprs in x/net/bpf's VM
// over the packets of the corpus, converted to every supported link type
// and varied (VLAN tags, IPv6, fragments, cut packets), and compares each
// packet's fate with tcpdump's, and Match's with the VM's.
func TestFilterTcpdump(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	tcpdump, err := exec.LookPath("tcpdump")
	if err != nil {
		t.Skip("tcpdump is not installed (apt-get install tcpdump)")
	}
	files, _ := filepath.Glob("../../shared/captures/*/*.pcap*")
	if len(files) == 0 {
		t.Skip("no corpus in ../../shared/captures")
	}
	sets := filterSets(t, files)
	dir := t.TempDir()
	type job struct {
		set  *packetSet
		expr string
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	var matched sync.Map // set name + " " + expr: packets both accept
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				matched.Store(j.set.name+" "+j.expr, compareTcpdump(t, tcpdump, j.set, j.expr))
			}
		}()
	}
	for _, s := range sets {
		s.file = filepath.Join(dir, s.name+".pcap")
		require.NoError(t, os.WriteFile(s.file, s.pcap(t), 0o644))
		t.Logf("%s: %d packets", s.name, len(s.pkts))
	}
	for _, s := range sets {
		for _, e := range filterExprs {
			jobs <- job{s, e}
		}
	}
	close(jobs)
	wg.Wait()
	// The comparison means something only if the primitives match some
	// packets.
	for _, k := range []string{
		"ethernet-variants vlan 100 and udp port 2222", "ethernet-variants vlan 5 and vlan 100 and tcp",
		"ethernet-variants host 2001:db8::c0a8:a69", "ethernet-variants ip6 and tcp port 502",
		"corpus-Ethernet host 10.0.0.10", "corpus-Ethernet net 10", "corpus-Ethernet port 502 or 102",
		"corpus-Null tcp portrange 20000-20010", "sll2 ip6 net 2001:db8::c0a8:a00/120", "loop src host 2001:db8::a0a:1408",
		"null udp port 2222 or 20000", "raw dst net 192.168.10", "ipv6 tcp port 502", "ipv4 tcp portrange 20000-20010",
		"ethernet-variants tcp port 502 or vlan and tcp port 502", "sll host 192.168.10.105",
	} {
		n, _ := matched.Load(k)
		assert.Positive(t, n, k)
	}
}

// packetSet is packets of one link type, written to file for tcpdump.
type packetSet struct {
	name string
	lt   layers.LinkType
	pkts [][]byte
	cut  map[int]bool // packets cut short on purpose
	file string
}

func (s *packetSet) pcap(t testing.TB) []byte {
	var b bytes.Buffer
	w := pcapgo.NewWriter(&b)
	require.NoError(t, w.WriteFileHeader(SnapLen, s.lt))
	ts := time.Unix(1600000000, 0)
	for i, p := range s.pkts {
		// The original length is one more than the captured one for cut
		// packets: it does not change a filter's decision.
		require.NoError(t, w.WritePacket(gopacket.CaptureInfo{Timestamp: ts.Add(time.Duration(i) * time.Millisecond), CaptureLength: len(p), Length: len(p)}, p))
	}
	return b.Bytes()
}

// compareTcpdump runs tcpdump over s for expr and checks that the packets
// it writes are those Match accepts, in order.
func compareTcpdump(t *testing.T, tcpdump string, s *packetSet, expr string) (both int) {
	cmd := exec.Command(tcpdump, "-r", s.file, "-w", "-", expr)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	f, ferr := CompileFilter(expr)
	require.NoError(t, ferr, expr)
	prog, perr := f.Program(s.lt)
	if err != nil {
		msg := stderr.String()
		switch {
		case strings.Contains(msg, "rejects all packets"):
			out = nil
		case strings.Contains(msg, "no VLAN support"):
			var fe *FilterError
			assert.ErrorAs(t, perr, &fe, "%s on %s: tcpdump: %s", expr, s.name, msg)
			return 0
		default:
			t.Errorf("%s on %s: tcpdump: %v %s", expr, s.name, err, msg)
			return 0
		}
	}
	if !assert.NoError(t, perr, "%s on %s", expr, s.name) {
		return 0
	}
	var theirs [][]byte
	if len(out) > 0 {
		r, err := pcapgo.NewReader(bytes.NewReader(out))
		require.NoError(t, err)
		for {
			data, _, err := r.ReadPacketData()
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			theirs = append(theirs, data)
		}
	}
	vm, err := bpf.NewVM(prog)
	require.NoError(t, err)
	k, bad, cutDiffer := 0, 0, 0
	for i, p := range s.pkts {
		n, err := vm.Run(p)
		require.NoError(t, err)
		ok := n > 0
		if fast, _ := f.Match(s.lt, p); fast != ok {
			t.Fatalf("%q on %s, packet %d: Match %v, x/net/bpf's VM %v", expr, s.name, i, fast, ok)
		}
		theirsOK := k < len(theirs) && bytes.Equal(theirs[k], p)
		if theirsOK {
			k++
		}
		if ok && theirsOK {
			both++
		}
		if ok != theirsOK && s.cut[i] {
			// libpcap's optimizer reorders and merges loads, so a packet
			// that ends inside the fields a filter reads may reach a load
			// beyond its end (which rejects it) in one program and not in
			// the other.
			cutDiffer++
			continue
		}
		if ok != theirsOK {
			if bad++; bad <= 3 {
				t.Errorf("%q on %s, packet %d: ours %v, tcpdump %v\n% x\nprogram:\n%s", expr, s.name, i, ok, theirsOK, p[:min(len(p), 80)], disasm(prog))
			}
		}
	}
	if bad > 3 {
		t.Errorf("%q on %s: %d packets differ", expr, s.name, bad)
	}
	if cutDiffer > 0 {
		t.Logf("%q on %s: %d of the packets cut inside their headers differ", expr, s.name, cutDiffer)
	}
	assert.Equal(t, len(theirs), k, "%q on %s: tcpdump packets left unmatched", expr, s.name)
	return both
}

func disasm(prog []bpf.Instruction) string {
	var b strings.Builder
	for i, ins := range prog {
		fmt.Fprintf(&b, "%03d %v\n", i, ins)
	}
	return b.String()
}

// perFile bounds the packets taken from each capture.
const perFile = 400

// filterSets reads the corpus and builds the packet sets: each link type
// of the corpus as it is, Ethernet packets with VLAN tags, as IPv6, as IPv4
// fragments and cut short, and the IP packets under every other link type.
func filterSets(t testing.TB, files []string) []*packetSet {
	byLT := map[layers.LinkType]*packetSet{}
	var order []layers.LinkType
	for _, file := range files {
		f, err := os.Open(file)
		require.NoError(t, err)
		r, err := NewReader(f)
		require.NoError(t, err, file)
		for n := 0; n < perFile; n++ {
			data, _, lt, err := r.ReadPacket()
			if err != nil {
				break
			}
			s := byLT[lt]
			if s == nil {
				s = &packetSet{name: "corpus-" + strings.ReplaceAll(lt.String(), " ", ""), lt: lt}
				byLT[lt] = s
				order = append(order, lt)
			}
			s.pkts = append(s.pkts, append([]byte(nil), data...))
		}
		f.Close()
	}
	var sets []*packetSet
	for _, lt := range order {
		sets = append(sets, byLT[lt])
	}
	ether := byLT[layers.LinkTypeEthernet]
	require.NotNil(t, ether)

	// Ethernet variations of every third Ethernet packet.
	v := &packetSet{name: "ethernet-variants", lt: layers.LinkTypeEthernet, cut: map[int]bool{}}
	var ipPkts [][]byte // network layer packets, with their Ethernet type
	var ipTypes []uint16
	for i, p := range ether.pkts {
		if len(p) < 14 {
			continue
		}
		et := binary.BigEndian.Uint16(p[12:])
		if et == 0x0800 || et == 0x86dd || et == 0x0806 {
			ipPkts = append(ipPkts, p[14:])
			ipTypes = append(ipTypes, et)
		}
		if i%3 != 0 {
			continue
		}
		v.pkts = append(v.pkts, vlanTag(p, 0x8100, uint16(i%2*100)), vlanTag(vlanTag(p, 0x8100, 100), 0x88a8, 5),
			vlanTag(p, 0x9100, 7))
		if et == 0x0800 {
			if v6 := toIPv6(p[14:], i%4 == 0); v6 != nil {
				v.pkts = append(v.pkts, ethFrame(0x86dd, v6))
			}
			if fr := fragment(p[14:]); fr != nil {
				v.pkts = append(v.pkts, ethFrame(0x0800, fr))
			}
		}
		for _, cut := range []int{13, 20, 30, 40, 55} {
			if cut < len(p) {
				v.cut[len(v.pkts)] = true
				v.pkts = append(v.pkts, p[:cut])
			}
		}
	}
	sets = append(sets, v)

	// The IP packets (and ARP, where the link type has an Ethernet type)
	// under the other link types, IPv6 forms included.
	var v6Pkts [][]byte
	for i, ip := range ipPkts {
		if ipTypes[i] == 0x0800 && i%5 == 0 {
			if v6 := toIPv6(ip, i%2 == 0); v6 != nil {
				v6Pkts = append(v6Pkts, v6)
			}
		}
	}
	mk := func(name string, lt layers.LinkType, wrap func(et uint16, ip []byte) []byte) {
		s := &packetSet{name: name, lt: lt}
		add := func(et uint16, ip []byte) {
			if p := wrap(et, ip); p != nil {
				s.pkts = append(s.pkts, p)
			}
		}
		for i, ip := range ipPkts {
			if i%2 == 0 {
				add(ipTypes[i], ip)
			}
		}
		for _, ip := range v6Pkts {
			add(0x86dd, ip)
		}
		sets = append(sets, s)
	}
	mk("sll", layers.LinkTypeLinuxSLL, func(et uint16, ip []byte) []byte {
		h := []byte{0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, byte(et >> 8), byte(et)}
		return append(h, ip...)
	})
	mk("sll2", 276, func(et uint16, ip []byte) []byte {
		h := []byte{byte(et >> 8), byte(et), 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0}
		return append(h, ip...)
	})
	family := func(et uint16, n int) uint32 {
		if et == 0x0800 {
			return 2
		}
		return []uint32{30, 24, 28}[n%3]
	}
	n := 0
	mk("null", layers.LinkTypeNull, func(et uint16, ip []byte) []byte {
		if et == 0x0806 {
			return nil
		}
		n++
		return append(binary.LittleEndian.AppendUint32(nil, family(et, n)), ip...)
	})
	mk("loop", layers.LinkTypeLoop, func(et uint16, ip []byte) []byte {
		if et == 0x0806 {
			return nil
		}
		n++
		return append(binary.BigEndian.AppendUint32(nil, family(et, n)), ip...)
	})
	raw := func(want uint16) func(et uint16, ip []byte) []byte {
		return func(et uint16, ip []byte) []byte {
			if et == 0x0806 || (want != 0 && et != want) {
				return nil
			}
			return append([]byte(nil), ip...)
		}
	}
	mk("raw", layers.LinkTypeRaw, raw(0))
	mk("raw-dlt12", 12, raw(0))
	mk("ipv4", layers.LinkTypeIPv4, raw(0x0800))
	mk("ipv6", layers.LinkTypeIPv6, raw(0x86dd))
	return sets
}

func ethFrame(et uint16, payload []byte) []byte {
	h := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, byte(et >> 8), byte(et)}
	return append(h, payload...)
}

// vlanTag inserts a tag with TPID tpid and VLAN id after the MAC addresses.
func vlanTag(p []byte, tpid, id uint16) []byte {
	out := append([]byte(nil), p[:12]...)
	out = binary.BigEndian.AppendUint16(out, tpid)
	out = binary.BigEndian.AppendUint16(out, 0x2000|id) // priority 1
	return append(out, p[12:]...)
}

// toIPv6 rewrites an IPv4 packet as IPv6, addresses 2001:db8::a.b.c.d, with
// a fragment header before the transport header when frag is set.
func toIPv6(p []byte, frag bool) []byte {
	if len(p) < 20 || p[0]>>4 != 4 {
		return nil
	}
	ihl := int(p[0]&15) * 4
	total := int(binary.BigEndian.Uint16(p[2:]))
	if ihl < 20 || total < ihl || total > len(p) {
		return nil
	}
	body := p[ihl:total]
	next := p[9]
	if frag {
		body = append([]byte{next, 0, 0, 0, 0, 0, 0x12, 0x34}, body...)
		next = 44
	}
	h := make([]byte, 40, 40+len(body))
	h[0] = 0x60
	binary.BigEndian.PutUint16(h[4:], uint16(len(body)))
	h[6], h[7] = next, 64
	h[8], h[9], h[10], h[11] = 0x20, 0x01, 0x0d, 0xb8
	copy(h[20:24], p[12:16])
	h[24], h[25], h[26], h[27] = 0x20, 0x01, 0x0d, 0xb8
	copy(h[36:40], p[16:20])
	return append(h, body...)
}

// fragment marks a copy of an IPv4 packet as a later fragment.
func fragment(p []byte) []byte {
	if len(p) < 20 {
		return nil
	}
	q := append([]byte(nil), p...)
	binary.BigEndian.PutUint16(q[6:], 0x2000|185)
	return q
}

// TestFilterCases checks decisions on hand-made packets, without tcpdump.
func TestFilterCases(t *testing.T) {
	mb := tcpHeader(tcpSeg{sport: 40000, dport: 502, payload: []byte{1}})
	v4 := ethIP(ipv4(cli4, srv4, 6, mb))
	v6 := ethIP(ipv6(cli6, srv6, 6, mb))
	v6frag := ethIP(ipv6(cli6, srv6, 6, mb, []byte{6, 0, 0, 0, 0, 0, 0, 1}))
	udp := ethIP(ipv4(cli4, srv4, 17, udpDatagram(2222, 2222, []byte{0})))
	tagged := eth(0x0800, ipv4(cli4, srv4, 6, mb), 0x8100)
	arp := eth(0x0806, append([]byte{0, 1, 8, 0, 6, 4, 0, 1, 1, 2, 3, 4, 5, 6}, append(cli4.AsSlice(), 0, 0, 0, 0, 0, 0, 10, 0, 0, 2)...))
	frag := ethIP(ipv4(cli4, srv4, 6, mb))
	binary.BigEndian.PutUint16(frag[14+6:], 100)
	cases := []struct {
		expr string
		pkt  []byte
		want bool
	}{
		{"", v4, true},
		{"tcp port 502", v4, true},
		{"tcp port 502", v6, true},
		{"tcp", v6frag, true},
		{"tcp port 502", v6frag, false}, // libpcap reads ports right after the IPv6 header only
		{"tcp", frag, true},
		{"tcp port 502", frag, false},
		{"udp port 2222", udp, true},
		{"tcp port 502", tagged, false},
		{"vlan 100 and tcp port 502", tagged, true},
		{"vlan 101", tagged, false},
		{"host 10.0.0.1", arp, true},
		{"ip host 10.0.0.1", arp, false},
		{"dst host 10.0.0.2", arp, true},
		{"src host 10.0.0.2", arp, false},
		{"net 10.0.0.0/24", v4, true},
		{"net 2001:db8::/32", v6, true},
		{"src net 2001:db8::2/128", v6, false},
		{"portrange 500-502", v4, true},
		{"portrange 503-600", v4, false},
		{"src port 40000 and dst port 502", v4, true},
		{"tcp or udp and port 502", udp, false}, // (tcp or udp) and port 502
		{"not tcp", v4, false},
		{"tcp", v4[:20], false}, // a load beyond the packet rejects it
		{"not tcp", v4[:20], false},
	}
	for _, c := range cases {
		f, err := CompileFilter(c.expr)
		require.NoError(t, err, c.expr)
		got, err := f.Match(layers.LinkTypeEthernet, c.pkt)
		require.NoError(t, err, c.expr)
		assert.Equal(t, c.want, got, "%q", c.expr)
		assert.Equal(t, c.want, vmMatch(t, f, layers.LinkTypeEthernet, c.pkt), "%q in x/net/bpf's VM", c.expr)
	}
}

// vmMatch runs f in x/net/bpf's VM.
func vmMatch(t testing.TB, f *Filter, lt layers.LinkType, p []byte) bool {
	prog, err := f.Program(lt)
	require.NoError(t, err)
	vm, err := bpf.NewVM(prog)
	require.NoError(t, err)
	n, err := vm.Run(p)
	require.NoError(t, err)
	return n > 0
}

// TestFilterErrors: unsupported expressions name the token.
func TestFilterErrors(t *testing.T) {
	cases := []struct{ expr, token, msg string }{
		{"icmp", "icmp", "unsupported keyword"},
		{"tcp and arp", "arp", "unsupported keyword"},
		{"port http", "http", "not a port number"},
		{"host example.com", "example.com", "not a numeric"},
		{"tcp[13] & 2 != 0", "tcp[13]", "packet data accessors"},
		{"tcp and tcp[13] & 2 != 0", "tcp[13]", "packet data accessors"},
		{"tcp & udp", "&", "unsupported operator"},
		{"(tcp", "", "missing )"},
		{"tcp and", "", "expression ends"},
		{"tcp )", ")", "unexpected token"},
		{"net 10.0.0.1/8", "10.0.0.1/8", "non-network bits set"},
		{"net 10.0.0.0 mask 255.0.255.0", "255.0.255.0", "not contiguous"},
		{"vlan 5000", "5000", "VLAN id out of range"},
		{"tcp host 10.0.0.1", "10.0.0.1", "do not qualify 'host'"},
		{"ip6 host 10.0.0.1", "10.0.0.1", "other IP version"},
		{"portrange 10", "10", "not a port range"},
		{"port 70000", "70000", "not a port number"},
		{"10.0.0.1", "10.0.0.1", "without a qualifier"},
		{"less 100", "less", "unsupported keyword"},
	}
	for _, c := range cases {
		_, err := CompileFilter(c.expr)
		var fe *FilterError
		if !assert.ErrorAs(t, err, &fe, c.expr) {
			continue
		}
		assert.Equal(t, c.token, fe.Token, c.expr)
		assert.Contains(t, fe.Msg, c.msg, c.expr)
		if c.token != "" {
			assert.Equal(t, c.token, c.expr[fe.Offset:fe.Offset+len(c.token)], c.expr)
			assert.Contains(t, err.Error(), fmt.Sprintf("%q at offset %d", c.token, fe.Offset))
		}
	}
	f, err := CompileFilter("vlan and tcp")
	require.NoError(t, err)
	_, err = f.Program(layers.LinkTypeNull)
	var fe *FilterError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "vlan", fe.Token)
	_, err = f.Match(layers.LinkTypeNull, []byte{2, 0, 0, 0})
	assert.True(t, errors.As(err, &fe))
	_, err = f.Program(layers.LinkType(147))
	assert.ErrorContains(t, err, "not supported")
}

// TestFilterLongProgram: jumps farther than a conditional jump reaches go
// through unconditional ones.
func TestFilterLongProgram(t *testing.T) {
	var parts []string
	for i := 1; i <= 60; i++ {
		parts = append(parts, fmt.Sprintf("port %d", 1000+i))
	}
	expr := "(" + strings.Join(parts, " or ") + ") and tcp"
	f, err := CompileFilter(expr)
	require.NoError(t, err)
	prog, err := f.Program(layers.LinkTypeEthernet)
	require.NoError(t, err)
	require.Greater(t, len(prog), 600)
	_, err = bpf.Assemble(prog)
	require.NoError(t, err)
	for _, port := range []uint16{1001, 1030, 1060} {
		p := ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: port})))
		ok, err := f.Match(layers.LinkTypeEthernet, p)
		require.NoError(t, err)
		assert.True(t, ok, "port %d", port)
		assert.True(t, vmMatch(t, f, layers.LinkTypeEthernet, p), "port %d in x/net/bpf's VM", port)
	}
	p := ethIP(ipv4(cli4, srv4, 17, udpDatagram(1001, 1001, nil)))
	ok, _ := f.Match(layers.LinkTypeEthernet, p)
	assert.False(t, ok)
}

// TestFilterDropReloads: a load whose value A or X holds on every path to
// it is dropped: "port 502 or 102" reads the IPv4 protocol once per port,
// not once per protocol tested (57 instructions without dropping).
func TestFilterDropReloads(t *testing.T) {
	f, err := CompileFilter("port 502 or 102")
	require.NoError(t, err)
	prog, err := f.Program(layers.LinkTypeEthernet)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(prog), 48, disasm(prog))
	protoLoads := 0
	for _, ins := range prog {
		if ins == (bpf.LoadAbsolute{Off: 23, Size: 1}) {
			protoLoads++
		}
	}
	assert.Equal(t, 2, protoLoads, disasm(prog))
}

// TestFilterZeroAllocs: Match allocates nothing once its program exists.
func TestFilterZeroAllocs(t *testing.T) {
	f, err := CompileFilter("tcp port 502 or udp portrange 2000-3000 or host 2001:db8::1")
	require.NoError(t, err)
	v4 := ethIP(ipv4(cli4, srv4, 6, tcpHeader(tcpSeg{sport: 40000, dport: 502})))
	v6 := ethIP(ipv6(cli6, srv6, 17, udpDatagram(1, 2, nil)))
	testkit.ZeroAllocs(t, []testkit.AllocCase{
		{Name: "match ipv4", Fn: func() { f.Match(layers.LinkTypeEthernet, v4) }},
		{Name: "match ipv6", Fn: func() { f.Match(layers.LinkTypeEthernet, v6) }},
		{Name: "other link type", Fn: func() { f.Match(layers.LinkTypeRaw, v4[14:]) }},
	})
}

// FuzzFilter: any expression either fails with a *FilterError or compiles,
// for every link type, to a program the kernel's rules accept (x/net/bpf's
// assembler and VM), which runs over any packet without panicking, and
// Match decides as x/net/bpf's VM does.
func FuzzFilter(f *testing.F) {
	for _, e := range filterExprs {
		f.Add(e, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 8, 0, 0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6})
	}
	f.Add("vlan 1 and vlan 2 and vlan 3 and net 1.2.3.4/31 or not portrange 1-65535", []byte{})
	lts := []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, 276, layers.LinkTypeNull,
		layers.LinkTypeLoop, layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6}
	f.Fuzz(func(t *testing.T, expr string, pkt []byte) {
		flt, err := CompileFilter(expr)
		if err != nil {
			var fe *FilterError
			if !errors.As(err, &fe) || fe.Offset < 0 || fe.Offset > len(expr) ||
				(fe.Token != "" && expr[fe.Offset:fe.Offset+len(fe.Token)] != fe.Token) {
				t.Fatalf("%q: bad error %#v", expr, err)
			}
			return
		}
		for _, lt := range lts {
			prog, err := flt.Program(lt)
			if err != nil {
				var fe *FilterError
				if !errors.As(err, &fe) {
					t.Fatalf("%q on %v: %v", expr, lt, err)
				}
				continue
			}
			if _, err := bpf.Assemble(prog); err != nil {
				t.Fatalf("%q on %v: %v", expr, lt, err)
			}
			ok, err := flt.Match(lt, pkt)
			if err != nil {
				t.Fatal(err)
			}
			if vm := vmMatch(t, flt, lt, pkt); vm != ok {
				t.Fatalf("%q on %v: Match %v, x/net/bpf's VM %v", expr, lt, ok, vm)
			}
		}
	})
}
