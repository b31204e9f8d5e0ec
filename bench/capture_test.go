package bench

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/icsdissect/icsdissect/pcapx"
)

// corpusDir is the capture corpus, beside the worktree.
const corpusDir = "../../shared/captures"

// defaultMixedPackets is the size the mixed capture is built to; the
// environment variable ICSBENCH_PACKETS sets another. ICSBENCH_CAPTURE
// names a file that holds the capture: it is read from there when the file
// exists, and written there when it is built (scripts/instructions.sh builds
// it once, so that each run under valgrind only reads it).
const defaultMixedPackets = 1_000_000

// mixedCapture is a pcap file held in memory and its packets, which view
// it. Every packet is Ethernet.
type mixedCapture struct {
	file  []byte
	pkts  []packet
	bytes int // packet bytes
}

type packet struct {
	data []byte
	ci   gopacket.CaptureInfo
}

var mixed struct {
	once sync.Once
	c    *mixedCapture
	err  error
}

// loadMixed returns the mixed capture, built on first use; it skips the
// benchmark when the corpus is absent.
func loadMixed(b *testing.B) *mixedCapture {
	b.Helper()
	mixed.once.Do(func() {
		target := defaultMixedPackets
		if s := os.Getenv("ICSBENCH_PACKETS"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n <= 0 {
				mixed.err = fmt.Errorf("ICSBENCH_PACKETS=%q: want a positive number", s)
				return
			}
			target = n
		}
		path := os.Getenv("ICSBENCH_CAPTURE")
		if path != "" {
			if file, err := os.ReadFile(path); err == nil {
				mixed.c, mixed.err = indexMixed(file)
				return
			}
		}
		mixed.c, mixed.err = buildMixed(corpusDir, target)
		if mixed.err == nil && path != "" {
			mixed.err = os.WriteFile(path, mixed.c.file, 0o644)
		}
	})
	if mixed.err != nil {
		b.Skip(mixed.err)
	}
	return mixed.c
}

// buildMixed builds a capture of at least target packets from every
// capture of the corpus: all their packets, as Ethernet frames (other link
// types get an Ethernet header for the network protocol they carry), the
// corpus over and over in the order of its file names until there are
// enough. Each copy after the first moves the IP addresses (the second
// octet of IPv4 addresses, the fourth of IPv6, XORed with the copy number,
// checksums updated), so that each copy's flows are new flows, as a sensor
// sees new connections, rather than retransmissions of the first copy's.
// Packets are 20 µs apart.
func buildMixed(dir string, target int) (*mixedCapture, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.pcap*"))
	if len(files) == 0 {
		return nil, fmt.Errorf("no corpus in %s: the pipeline benchmarks need it", dir)
	}
	sort.Strings(files)
	var corpus [][]byte
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		r, err := pcapx.NewReader(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for {
			data, _, lt, err := r.ReadPacket()
			if err != nil {
				if err != io.EOF {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				break
			}
			if eth := toEthernet(lt, data); eth != nil {
				corpus = append(corpus, eth)
			}
		}
		f.Close()
	}
	copies := (target + len(corpus) - 1) / len(corpus)
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		return nil, err
	}
	ts := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	scratch := make([]byte, 0, 65536)
	n := 0
	for c := 0; c < copies; c++ {
		for _, p := range corpus {
			scratch = append(scratch[:0], p...)
			moveAddresses(scratch, byte(c))
			ci := gopacket.CaptureInfo{Timestamp: ts.Add(time.Duration(n) * 20 * time.Microsecond), CaptureLength: len(scratch), Length: len(scratch)}
			if err := w.WritePacket(ci, scratch); err != nil {
				return nil, err
			}
			n++
		}
	}
	return indexMixed(buf.Bytes())
}

// indexMixed finds the records of a little-endian, microsecond pcap file of
// Ethernet frames, as buildMixed writes: the packets view the file.
func indexMixed(file []byte) (*mixedCapture, error) {
	if len(file) < 24 || binary.LittleEndian.Uint32(file) != 0xa1b2c3d4 || binary.LittleEndian.Uint32(file[20:]) != uint32(layers.LinkTypeEthernet) {
		return nil, fmt.Errorf("not a capture buildMixed wrote")
	}
	m := &mixedCapture{file: file}
	m.pkts = make([]packet, 0, len(file)/100)
	for off := 24; off+16 <= len(m.file); {
		sec := binary.LittleEndian.Uint32(m.file[off:])
		usec := binary.LittleEndian.Uint32(m.file[off+4:])
		incl := int(binary.LittleEndian.Uint32(m.file[off+8:]))
		orig := int(binary.LittleEndian.Uint32(m.file[off+12:]))
		if off+16+incl > len(m.file) {
			return nil, fmt.Errorf("capture cut short")
		}
		data := m.file[off+16 : off+16+incl : off+16+incl]
		m.pkts = append(m.pkts, packet{data, gopacket.CaptureInfo{Timestamp: time.Unix(int64(sec), int64(usec)*1000), CaptureLength: incl, Length: orig}})
		m.bytes += incl
		off += 16 + incl
	}
	return m, nil
}

// toEthernet returns the packet as an Ethernet frame, or nil for a link
// type or network protocol it does not convert.
func toEthernet(lt layers.LinkType, data []byte) []byte {
	var et uint16
	var payload []byte
	switch lt {
	case layers.LinkTypeEthernet:
		return append([]byte(nil), data...)
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		if len(data) < 4 {
			return nil
		}
		fam := binary.LittleEndian.Uint32(data)
		if fam > 0xffff {
			fam = binary.BigEndian.Uint32(data)
		}
		switch fam {
		case 2:
			et = 0x0800
		case 24, 28, 30:
			et = 0x86dd
		default:
			return nil
		}
		payload = data[4:]
	case layers.LinkTypeLinuxSLL:
		if len(data) < 16 {
			return nil
		}
		et, payload = binary.BigEndian.Uint16(data[14:]), data[16:]
	case 276: // Linux SLL2
		if len(data) < 20 {
			return nil
		}
		et, payload = binary.BigEndian.Uint16(data), data[20:]
	case layers.LinkTypeRaw, 12, 14, layers.LinkTypeIPv4, layers.LinkTypeIPv6:
		if len(data) == 0 {
			return nil
		}
		switch data[0] >> 4 {
		case 4:
			et = 0x0800
		case 6:
			et = 0x86dd
		default:
			return nil
		}
		payload = data
	default:
		return nil
	}
	h := []byte{0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, byte(et >> 8), byte(et)}
	return append(h, payload...)
}

// moveAddresses XORs the second octet of both IPv4 addresses (the fourth of
// IPv6 addresses) of an Ethernet frame with c, and updates the IPv4 header
// checksum and the TCP or UDP checksum (RFC 1624).
func moveAddresses(p []byte, c byte) {
	if c == 0 || len(p) < 14 {
		return
	}
	off := 12
	et := binary.BigEndian.Uint16(p[off:])
	for (et == 0x8100 || et == 0x88a8 || et == 0x9100) && off+6 <= len(p) {
		off += 4
		et = binary.BigEndian.Uint16(p[off:])
	}
	ip := p[off+2:]
	switch {
	case et == 0x0800 && len(ip) >= 20 && ip[0]>>4 == 4:
		ihl := int(ip[0]&15) * 4
		l4 := l4Checksum(ip, ihl, ip[9], binary.BigEndian.Uint16(ip[6:])&0x1fff == 0)
		for _, w := range []int{12, 16} { // the words holding the second octets
			old := binary.BigEndian.Uint16(ip[w:])
			ip[w+1] ^= c
			nw := binary.BigEndian.Uint16(ip[w:])
			adjust(ip[10:12], old, nw)
			if l4 != nil {
				adjust(l4, old, nw)
			}
		}
	case et == 0x86dd && len(ip) >= 40 && ip[0]>>4 == 6:
		l4 := l4Checksum(ip, 40, ip[6], true)
		for _, w := range []int{8 + 2, 24 + 2} {
			old := binary.BigEndian.Uint16(ip[w:])
			ip[w+1] ^= c
			if l4 != nil {
				adjust(l4, old, binary.BigEndian.Uint16(ip[w:]))
			}
		}
	}
}

// l4Checksum returns the TCP or UDP checksum field after an IP header of
// hl bytes, when it is present and in use.
func l4Checksum(ip []byte, hl int, proto byte, first bool) []byte {
	if !first {
		return nil
	}
	switch {
	case proto == 6 && len(ip) >= hl+18:
		return ip[hl+16 : hl+18]
	case proto == 17 && len(ip) >= hl+8 && binary.BigEndian.Uint16(ip[hl+6:]) != 0:
		return ip[hl+6 : hl+8]
	}
	return nil
}

// adjust updates the one's complement checksum at sum for a 16-bit word
// changed from old to nw: HC' = ~(~HC + ~m + m') (RFC 1624, eqn. 3).
func adjust(sum []byte, old, nw uint16) {
	hc := binary.BigEndian.Uint16(sum)
	s := uint32(^hc) + uint32(^old) + uint32(nw)
	s = (s & 0xffff) + s>>16
	s = (s & 0xffff) + s>>16
	binary.BigEndian.PutUint16(sum, ^uint16(s))
}
