//go:build linux

package pcapx

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// Live reads packets from a network interface through a Linux AF_PACKET
// socket, without cgo or libpcap. It is a [PacketSource] for
// [Decoder.ReadSource]. Opening one needs CAP_NET_RAW (root).
//
// Timestamps are taken when the packet is read, not by the kernel. As
// libpcap does, packets the host sends on the loopback interface are read
// once, not twice. Without a filter every packet on the interface is read,
// and pcapx counts the ones that are not ours; [OpenLiveFilter] has the
// kernel drop the packets a capture filter rejects before they are copied
// to the process.
//
// Reading allocates nothing per packet. Close may be called from another
// goroutine; a read in progress then returns io.EOF within the poll
// interval (200 ms).
type Live struct {
	fd       int
	ifindex  int
	loopback bool
	linkType layers.LinkType
	buf      []byte
	sa       syscall.RawSockaddrLinklayer
	salen    uint32
	frames   int

	mu       sync.Mutex
	closed   bool // Close was called
	reading  bool // a read is in progress; it closes fd when it sees closed
	fdClosed bool
}

// Linux ARPHRD values for the link types Live supports.
const (
	arphrdEther    = 1
	arphrdLoopback = 772
	arphrdNone     = 65534 // tun devices: raw IP
	packetOutgoing = 4     // PACKET_OUTGOING
	liveSnaplen    = 256 << 10
	livePoll       = 200 * time.Millisecond
)

func htons(v uint16) uint16 { return v<<8 | v>>8 }

// OpenLive opens interface name for reading every packet on it.
func OpenLive(name string) (*Live, error) {
	return OpenLiveFilter(name, "")
}

// OpenLiveFilter opens interface name for reading the packets that pass
// the capture filter expr (see [Filter]; "" passes every packet). The filter
// is compiled to classic BPF for the interface's link type and attached to
// the socket (SO_ATTACH_FILTER) before the socket is bound to the interface,
// so that no packet reaches the process unfiltered. An expression that does
// not compile gives a *FilterError.
//
// Linux hands packet sockets VLAN-tagged frames with the tag removed when
// the network card strips it (VLAN offload, the common case); the filter
// then sees the frame without its tag, so "vlan" matches only tags that are
// still in the frame, and pcapx decodes the untagged frame.
func OpenLiveFilter(name, expr string) (*Live, error) {
	var prog []bpf.RawInstruction
	var filter *Filter
	if expr != "" {
		var err error
		if filter, err = CompileFilter(expr); err != nil {
			return nil, err
		}
	}
	ifc, err := net.InterfaceByName(name)
	if err != nil {
		return nil, err
	}
	l := &Live{ifindex: ifc.Index, buf: make([]byte, liveSnaplen)}
	typ, err := os.ReadFile("/sys/class/net/" + name + "/type")
	if err != nil {
		return nil, err
	}
	hw, err := strconv.Atoi(strings.TrimSpace(string(typ)))
	if err != nil {
		return nil, fmt.Errorf("pcapx: interface %s: link type %q", name, typ)
	}
	switch hw {
	case arphrdEther:
		l.linkType = layers.LinkTypeEthernet
	case arphrdLoopback:
		l.linkType = layers.LinkTypeEthernet
		l.loopback = true
	case arphrdNone:
		l.linkType = layers.LinkTypeRaw
	default:
		return nil, fmt.Errorf("pcapx: interface %s: unsupported link type (ARPHRD %d)", name, hw)
	}
	if filter != nil {
		ins, err := filter.Program(l.linkType)
		if err != nil {
			return nil, err
		}
		if prog, err = bpf.Assemble(ins); err != nil {
			return nil, fmt.Errorf("pcapx: filter %q: %w", expr, err)
		}
	}
	// Protocol 0: the socket receives nothing until it is bound, after its
	// filter is in place.
	fd, err := syscall.Socket(syscall.AF_PACKET, syscall.SOCK_RAW|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("pcapx: packet socket: %w", err)
	}
	l.fd = fd
	if prog != nil {
		if err := attachFilter(fd, prog); err != nil {
			syscall.Close(fd)
			return nil, fmt.Errorf("pcapx: attaching filter %q to %s: %w", expr, name, err)
		}
	}
	sa := &syscall.SockaddrLinklayer{Protocol: htons(syscall.ETH_P_ALL), Ifindex: ifc.Index}
	if err := syscall.Bind(fd, sa); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("pcapx: bind to %s: %w", name, err)
	}
	tv := syscall.NsecToTimeval(int64(livePoll))
	if err := syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_RCVTIMEO, &tv); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("pcapx: socket timeout: %w", err)
	}
	return l, nil
}

// attachFilter attaches a classic BPF program to socket fd.
func attachFilter(fd int, prog []bpf.RawInstruction) error {
	f := make([]unix.SockFilter, len(prog))
	for i, ins := range prog {
		f[i] = unix.SockFilter{Code: ins.Op, Jt: ins.Jt, Jf: ins.Jf, K: ins.K}
	}
	return unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &unix.SockFprog{Len: uint16(len(f)), Filter: &f[0]})
}

// LinkType returns the link type of the interface's packets.
func (l *Live) LinkType() layers.LinkType { return l.linkType }

// Close closes the socket; reads then return io.EOF. A read in progress
// closes it when its poll interval ends, so that the descriptor is never
// reused under it.
func (l *Live) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	return l.closeFD()
}

// closeFD closes the descriptor unless a read is using it; l.mu is held.
func (l *Live) closeFD() error {
	if l.reading || l.fdClosed {
		return nil
	}
	l.fdClosed = true
	return syscall.Close(l.fd)
}

// ZeroCopyReadPacketData waits for the next packet. data is valid until the
// next call. After Close it returns io.EOF. It is not safe to call from
// several goroutines at once.
func (l *Live) ZeroCopyReadPacketData() (data []byte, ci gopacket.CaptureInfo, err error) {
	return l.read(false)
}

// readOrIdle is ZeroCopyReadPacketData, except that it returns errIdle
// when no packet came for livePoll, so that a Decoder can decode what it
// holds in batches (see idleSource).
func (l *Live) readOrIdle() ([]byte, gopacket.CaptureInfo, error) { return l.read(true) }

// read waits for the next packet; with idle set, for at most livePoll.
func (l *Live) read(idle bool) (data []byte, ci gopacket.CaptureInfo, err error) {
	for {
		l.mu.Lock()
		if l.closed {
			l.closeFD()
			l.mu.Unlock()
			return nil, ci, io.EOF
		}
		l.reading = true
		l.mu.Unlock()
		l.salen = uint32(unsafe.Sizeof(l.sa))
		n, errno := recvfrom(l.fd, l.buf, syscall.MSG_TRUNC, unsafe.Pointer(&l.sa), &l.salen)
		l.mu.Lock()
		l.reading = false
		l.mu.Unlock()
		if errno != 0 {
			if errno == syscall.EAGAIN && idle {
				return nil, ci, errIdle
			}
			if errno == syscall.EAGAIN || errno == syscall.EINTR {
				continue
			}
			return nil, ci, fmt.Errorf("pcapx: reading interface: %w", error(errno))
		}
		if l.loopback && l.sa.Pkttype == packetOutgoing {
			continue
		}
		ci.Timestamp = time.Now()
		ci.Length = int(n)
		ci.CaptureLength = min(int(n), len(l.buf))
		ci.InterfaceIndex = l.ifindex
		l.frames++
		return l.buf[:ci.CaptureLength], ci, nil
	}
}

// ReadLive decodes packets from the interface name with a new Decoder for
// cfg until stop is closed (or the handler returns ErrStop), then flushes
// and returns the counts. It needs CAP_NET_RAW.
func ReadLive(name string, cfg Config, stop <-chan struct{}) (Stats, error) {
	return ReadLiveFilter(name, "", cfg, stop)
}

// ReadLiveFilter is ReadLive for the packets that pass the capture filter
// expr, applied in the kernel (see OpenLiveFilter).
func ReadLiveFilter(name, expr string, cfg Config, stop <-chan struct{}) (Stats, error) {
	l, err := OpenLiveFilter(name, expr)
	if err != nil {
		return Stats{}, err
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-stop:
		case <-done:
		}
		l.Close()
	}()
	cfg.LinkType, cfg.LinkTypeSet = l.LinkType(), true
	d := NewDecoder(cfg)
	err = d.ReadSource(l)
	l.Close()
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return d.Stats(), err
}
