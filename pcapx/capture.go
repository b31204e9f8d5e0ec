package pcapx

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Errors returned by Reader and the reader functions. Test with errors.Is:
// the returned errors wrap these with the frame number reached.
var (
	// ErrNotCapture: the input is not a pcap or pcapng file (nor a gzip of
	// one).
	ErrNotCapture = errors.New("pcapx: not a pcap or pcapng capture file")
	// ErrTruncatedFile: the input ended in the middle of a record. The
	// frames before it were decoded and counted; the partial record was not.
	ErrTruncatedFile = errors.New("pcapx: capture file is cut short in the middle of a record")
	// ErrCorruptFile: a record could not be read (bad block length, a
	// record longer than any snap length, an unknown interface). The frames
	// before it were decoded and counted.
	ErrCorruptFile = errors.New("pcapx: corrupt capture file")
)

// File format magic numbers.
const (
	magicMicros   = 0xa1b2c3d4
	magicNanos    = 0xa1b23c4d
	magicModified = 0xa1b2cd34 // Kuznetzov's modified libpcap format
	magicPcapng   = 0x0a0d0d0a
	magicNgBOM    = 0x1a2b3c4d
)

// pcapng block types.
const (
	ngSHB = 0x0a0d0d0a
	ngIDB = 0x00000001
	ngPB  = 0x00000002 // obsolete packet block
	ngSPB = 0x00000003
	ngEPB = 0x00000006
)

// Bounds on records, as Wireshark's: a record longer than these is corrupt.
const (
	maxRecord = 256 << 10 // largest packet record (WTAP_MAX_PACKET_SIZE_STANDARD)
	maxBlock  = 16 << 20  // largest pcapng block
)

// ngIface is what a pcapng interface description tells about its packets.
type ngIface struct {
	linkType layers.LinkType
	snaplen  uint32
	// timestamps are in units of 1/unitsPerSec seconds, or of 2^-pow2 if
	// pow2 is set, after adding offset seconds.
	unitsPerSec uint64
	pow2        uint8
	offset      int64
}

// Reader reads packet records from a pcap or pcapng stream, plain or
// gzipped, detected by magic number. It reads pcapng files whose interfaces
// have different link types, giving each packet's. Its results alias an
// internal buffer valid until the next call; reading allocates nothing per
// packet once the buffer has grown to the largest record.
//
// Reader is a small reader of its own rather than gopacket's pcapgo, whose
// package brings live-capture dependencies and boxes each pcapng packet's
// link type into an interface.
type Reader struct {
	r        *bufio.Reader
	ng       bool
	order    binary.ByteOrder
	nanos    bool // pcap: nanosecond timestamps
	modified bool // pcap: 24-byte record headers
	linkType layers.LinkType
	snaplen  uint32
	ifaces   []ngIface
	hdr      [24]byte
	buf      []byte
	frames   int
}

// NewReader reads the file header from r and returns a Reader for the
// records that follow. Its error wraps ErrNotCapture or ErrTruncatedFile.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(4)
	if len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%w: bad gzip header: %v", ErrNotCapture, err)
		}
		br = bufio.NewReaderSize(zr, 64<<10)
		magic, _ = br.Peek(4)
	}
	if len(magic) < 4 {
		if len(magic) == 0 {
			return nil, fmt.Errorf("%w: empty input", ErrNotCapture)
		}
		return nil, fmt.Errorf("%w: only %d bytes of input", ErrNotCapture, len(magic))
	}
	cr := &Reader{r: br}
	le, be := binary.LittleEndian.Uint32(magic), binary.BigEndian.Uint32(magic)
	switch {
	case le == magicPcapng:
		cr.ng = true
		// The first block must be a section header; read it now so that
		// a file with the right first 4 bytes but no section is rejected.
		if _, err := cr.readBlockHeader(); err != nil {
			if errors.Is(err, io.EOF) {
				err = fmt.Errorf("%w: in the section header", ErrTruncatedFile)
			}
			return nil, err
		}
		return cr, nil
	case le == magicMicros || le == magicNanos || le == magicModified:
		cr.order = binary.LittleEndian
	case be == magicMicros || be == magicNanos || be == magicModified:
		cr.order = binary.BigEndian
	default:
		return nil, fmt.Errorf("%w: unknown magic number %#08x", ErrNotCapture, be)
	}
	m := cr.order.Uint32(magic)
	cr.nanos = m == magicNanos
	cr.modified = m == magicModified
	var h [24]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		return nil, fmt.Errorf("%w: in the file header", ErrTruncatedFile)
	}
	if major := cr.order.Uint16(h[4:6]); major != 2 {
		return nil, fmt.Errorf("%w: pcap version %d", ErrNotCapture, major)
	}
	cr.snaplen = cr.order.Uint32(h[16:20])
	// The low 16 bits are the link type; higher bits carry FCS flags.
	cr.linkType = layers.LinkType(cr.order.Uint32(h[20:24]) & 0xffff)
	return cr, nil
}

// LinkType returns the link type of a pcap file, or of the first interface
// of a pcapng file seen so far (Ethernet if none).
func (r *Reader) LinkType() layers.LinkType {
	if r.ng {
		if len(r.ifaces) > 0 {
			return r.ifaces[0].linkType
		}
		return layers.LinkTypeEthernet
	}
	return r.linkType
}

// IsPcapng reports whether the input is pcapng.
func (r *Reader) IsPcapng() bool { return r.ng }

// ZeroCopyReadPacketData returns the next packet; it makes Reader a
// [PacketSource]. The link type is lost: use ReadPacket for pcapng files
// with mixed link types.
func (r *Reader) ZeroCopyReadPacketData() (data []byte, ci gopacket.CaptureInfo, err error) {
	data, ci, _, err = r.ReadPacket()
	return data, ci, err
}

// ReadPacket returns the next packet record, its capture information and
// its link type. data is valid until the next call. At the end of the input
// the error is io.EOF; a record cut short gives an error wrapping
// ErrTruncatedFile, a bad one ErrCorruptFile.
func (r *Reader) ReadPacket() (data []byte, ci gopacket.CaptureInfo, lt layers.LinkType, err error) {
	if r.ng {
		data, ci, lt, err = r.readNg()
	} else {
		data, ci, lt, err = r.readPcap()
	}
	if err == nil {
		r.frames++
	}
	return data, ci, lt, err
}

func (r *Reader) truncated() error {
	return fmt.Errorf("%w after frame %d", ErrTruncatedFile, r.frames)
}

func (r *Reader) corrupt(what string, v uint32) error {
	return fmt.Errorf("%w after frame %d: %s %d", ErrCorruptFile, r.frames, what, v)
}

// grow returns r.buf resized to n bytes.
func (r *Reader) grow(n int) []byte {
	if cap(r.buf) < n {
		r.buf = make([]byte, n, max(n, 2*cap(r.buf), 2048))
	}
	return r.buf[:n]
}

func (r *Reader) readPcap() ([]byte, gopacket.CaptureInfo, layers.LinkType, error) {
	var ci gopacket.CaptureInfo
	hl := 16
	if r.modified {
		hl = 24
	}
	h := r.hdr[:hl]
	if n, err := io.ReadFull(r.r, h); err != nil {
		if n == 0 && err == io.EOF {
			return nil, ci, 0, io.EOF
		}
		return nil, ci, 0, r.truncated()
	}
	sec := r.order.Uint32(h[0:4])
	frac := r.order.Uint32(h[4:8])
	caplen := r.order.Uint32(h[8:12])
	origlen := r.order.Uint32(h[12:16])
	if caplen > maxRecord && caplen > r.snaplen {
		return nil, ci, 0, r.corrupt("record length", caplen)
	}
	data := r.grow(int(caplen))
	if _, err := io.ReadFull(r.r, data); err != nil {
		return nil, ci, 0, r.truncated()
	}
	nsec := int64(frac)
	if !r.nanos {
		nsec *= 1000
	}
	ci.Timestamp = time.Unix(int64(sec), nsec).UTC()
	ci.CaptureLength = int(caplen)
	ci.Length = int(origlen)
	return data, ci, r.linkType, nil
}

// readBlockHeader reads the next pcapng block into r.buf (body only,
// without the type, the two lengths and, for a section header, the byte
// order magic) and returns its type. A section header is handled here.
func (r *Reader) readBlockHeader() (uint32, error) {
	h := r.hdr[:8]
	if n, err := io.ReadFull(r.r, h); err != nil {
		if n == 0 && err == io.EOF {
			return 0, io.EOF
		}
		return 0, r.truncated()
	}
	typ := binary.LittleEndian.Uint32(h[0:4])
	if typ == ngSHB {
		if _, err := io.ReadFull(r.r, r.hdr[8:12]); err != nil {
			return 0, r.truncated()
		}
		switch binary.LittleEndian.Uint32(r.hdr[8:12]) {
		case magicNgBOM:
			r.order = binary.LittleEndian
		case 0x4d3c2b1a:
			r.order = binary.BigEndian
		default:
			return 0, fmt.Errorf("%w: bad pcapng byte-order magic", ErrNotCapture)
		}
		r.ifaces = r.ifaces[:0]
		total := r.order.Uint32(h[4:8])
		if total < 28 || total%4 != 0 || total > maxBlock {
			return 0, r.corrupt("section header length", total)
		}
		// Skip the rest: version, section length, options, trailer.
		if _, err := io.CopyN(io.Discard, r.r, int64(total-12)); err != nil {
			return 0, r.truncated()
		}
		return ngSHB, nil
	}
	if r.order == nil {
		return 0, fmt.Errorf("%w: no pcapng section header", ErrNotCapture)
	}
	typ = r.order.Uint32(h[0:4])
	total := r.order.Uint32(h[4:8])
	if total < 12 || total%4 != 0 || total > maxBlock {
		return 0, r.corrupt("block length", total)
	}
	body := r.grow(int(total - 8))
	if _, err := io.ReadFull(r.r, body); err != nil {
		return 0, r.truncated()
	}
	r.buf = body[:total-12]
	return typ, nil
}

func (r *Reader) readNg() ([]byte, gopacket.CaptureInfo, layers.LinkType, error) {
	var ci gopacket.CaptureInfo
	for {
		typ, err := r.readBlockHeader()
		if err != nil {
			return nil, ci, 0, err
		}
		b := r.buf
		switch typ {
		case ngIDB:
			if len(b) < 8 {
				return nil, ci, 0, r.corrupt("interface block length", uint32(len(b)))
			}
			r.ifaces = append(r.ifaces, r.parseIDB(b))
		case ngEPB, ngPB:
			if len(b) < 20 {
				return nil, ci, 0, r.corrupt("packet block length", uint32(len(b)))
			}
			var id uint32
			if typ == ngEPB {
				id = r.order.Uint32(b[0:4])
			} else {
				id = uint32(r.order.Uint16(b[0:2]))
			}
			if id >= uint32(len(r.ifaces)) {
				return nil, ci, 0, r.corrupt("packet on unknown interface", id)
			}
			ifc := &r.ifaces[id]
			ts := uint64(r.order.Uint32(b[4:8]))<<32 | uint64(r.order.Uint32(b[8:12]))
			caplen := r.order.Uint32(b[12:16])
			if int64(caplen) > int64(len(b)-20) {
				return nil, ci, 0, r.corrupt("packet length", caplen)
			}
			ci.Timestamp = ifc.time(ts)
			ci.CaptureLength = int(caplen)
			ci.Length = int(r.order.Uint32(b[16:20]))
			ci.InterfaceIndex = int(id)
			return b[20 : 20+caplen], ci, ifc.linkType, nil
		case ngSPB:
			if len(b) < 4 {
				return nil, ci, 0, r.corrupt("simple packet block length", uint32(len(b)))
			}
			if len(r.ifaces) == 0 {
				return nil, ci, 0, r.corrupt("packet on unknown interface", 0)
			}
			ifc := &r.ifaces[0]
			orig := r.order.Uint32(b[0:4])
			n := int64(orig)
			if ifc.snaplen != 0 && n > int64(ifc.snaplen) {
				n = int64(ifc.snaplen)
			}
			n = min(n, int64(len(b)-4))
			ci.CaptureLength = int(n)
			ci.Length = int(orig)
			return b[4 : 4+n], ci, ifc.linkType, nil
		}
		// Section headers, statistics, name resolution, secrets and
		// unknown blocks are not packets.
	}
}

// parseIDB reads an interface description block's link type, snap length
// and timestamp options.
func (r *Reader) parseIDB(b []byte) ngIface {
	ifc := ngIface{
		linkType:    layers.LinkType(r.order.Uint16(b[0:2])),
		snaplen:     r.order.Uint32(b[4:8]),
		unitsPerSec: 1e6,
	}
	opts := b[8:]
	for len(opts) >= 4 {
		code := r.order.Uint16(opts[0:2])
		n := int(r.order.Uint16(opts[2:4]))
		opts = opts[4:]
		if code == 0 || n > len(opts) {
			break
		}
		v := opts[:n]
		switch {
		case code == 9 && n >= 1: // if_tsresol
			if v[0]&0x80 != 0 {
				ifc.pow2 = v[0] & 0x7f
				if ifc.pow2 > 63 {
					ifc.pow2 = 63
				}
				ifc.unitsPerSec = 0
			} else {
				u := uint64(1)
				for i := 0; i < int(v[0]) && i < 19; i++ {
					u *= 10
				}
				ifc.unitsPerSec = u
			}
		case code == 14 && n >= 8: // if_tsoffset
			ifc.offset = int64(r.order.Uint64(v[0:8]))
		}
		pad := (n + 3) &^ 3
		if pad > len(opts) {
			break
		}
		opts = opts[pad:]
	}
	return ifc
}

// time converts a pcapng timestamp.
func (ifc *ngIface) time(ts uint64) time.Time {
	var sec, nsec int64
	if ifc.unitsPerSec == 0 {
		sec = int64(ts >> ifc.pow2)
		rem := ts & (1<<ifc.pow2 - 1)
		nsec = int64((rem * 1e9) >> ifc.pow2)
		if ifc.pow2 > 30 {
			nsec = int64(float64(rem) / float64(uint64(1)<<ifc.pow2) * 1e9)
		}
	} else {
		sec = int64(ts / ifc.unitsPerSec)
		rem := ts % ifc.unitsPerSec
		switch {
		case ifc.unitsPerSec <= 1e9:
			nsec = int64(rem * (1e9 / ifc.unitsPerSec))
		default:
			nsec = int64(rem / (ifc.unitsPerSec / 1e9))
		}
	}
	return time.Unix(sec+ifc.offset, nsec).UTC()
}
