package pcapx

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Errors returned by Reader and the reader functions. Test with errors.Is:
// the returned errors wrap these with the frame number reached.
var (
	// ErrNotCapture: the input is not a pcap or pcapng file (nor a gzip of
	// one), or its file or section header is one pcapgo does not read.
	ErrNotCapture = errors.New("pcapx: not a pcap or pcapng capture file")
	// ErrTruncatedFile: the input ended in the middle of a record. The
	// frames before it were decoded and counted; the partial record was not.
	ErrTruncatedFile = errors.New("pcapx: capture file is cut short in the middle of a record")
	// ErrCorruptFile: a record could not be read (a record longer than any
	// snap length or than its packet, a packet on an unknown interface, a
	// bad option, a bad gzip stream). The frames before it were decoded and
	// counted.
	ErrCorruptFile = errors.New("pcapx: corrupt capture file")
)

// File format magic numbers, as the first four bytes read little-endian.
const (
	magicMicros   = 0xa1b2c3d4
	magicNanos    = 0xa1b23c4d
	magicMicrosBE = 0xd4c3b2a1
	magicNanosBE  = 0x4d3cb2a1
	magicPcapng   = 0x0a0d0d0a
)

// bufSize is the read buffer under pcapgo. pcapgo wraps its input in a
// bufio.Reader of 4 KiB unless it already is a larger one.
const bufSize = 64 << 10

// Reader reads packet records from a pcap or pcapng stream, plain or
// gzipped, with gopacket's pcapgo: the magic number picks pcapgo.Reader or
// pcapgo.NgReader. It reads pcapng files whose interfaces have different
// link types, giving each packet's. Its results alias pcapgo's buffer and
// are valid until the next call.
//
// Allocation: reading a pcap file allocates nothing per packet once the
// buffer has grown to the snap length (or the largest record). Reading
// pcapng allocates nothing per packet for link types below 256 (Ethernet,
// raw IP, Linux SLL, NULL, LOOP) and enhanced packet blocks without options;
// pcapgo allocates once per packet on an interface whose link type is 256 or
// more (Linux SLL2 is 276: it boxes the link type into
// CaptureInfo.AncillaryData), and for each comment, flags, hash, drop
// count, packet id, queue or verdict option of an enhanced packet block.
type Reader struct {
	pcap     *pcapReader
	ng       *pcapgo.NgReader
	filter   *recordFilter
	frames   int
	oversize bool
}

// NewReader reads the file header from r (and, for pcapng, the section
// header) and returns a Reader for the records that follow. A gzipped input
// is decompressed here rather than by pcapgo, which could do it too, because
// the decompressed magic number picks pcapgo's reader. Its error wraps
// ErrNotCapture or ErrTruncatedFile.
//
// Records longer than DefaultMaxRecord (or than their link type allows, for
// the few whose packets are larger) are skipped unread: see NewReaderMax.
func NewReader(r io.Reader) (*Reader, error) { return NewReaderMax(r, 0) }

// NewReaderMax is NewReader with a bound on records: a packet record whose
// captured length exceeds maxRecord (DefaultMaxRecord, 256 KiB, when zero
// or less) or the largest snap length its link type allows (as much, for
// every link type pcapx decodes) is skipped without reading its bytes into
// memory, and returned with no data; Oversize reports it. So no capture,
// however its records lie about their lengths, makes the reader allocate
// more than its fixed buffers.
func NewReaderMax(r io.Reader, maxRecord int) (*Reader, error) {
	if maxRecord <= 0 {
		maxRecord = DefaultMaxRecord
	}
	br := bufio.NewReaderSize(r, bufSize)
	magic, _ := br.Peek(4)
	if len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%w: bad gzip header: %v", ErrNotCapture, err)
		}
		br = bufio.NewReaderSize(zr, bufSize)
		magic, _ = br.Peek(4)
	}
	if len(magic) < 4 {
		if len(magic) == 0 {
			return nil, fmt.Errorf("%w: empty input", ErrNotCapture)
		}
		return nil, fmt.Errorf("%w: only %d bytes of input", ErrNotCapture, len(magic))
	}
	cr := &Reader{}
	m := binary.LittleEndian.Uint32(magic)
	var err error
	switch m {
	case magicPcapng:
		// pcapgo reads pcapng files, through the record filter.
		cr.filter = &recordFilter{src: br, max: maxRecord}
		br = bufio.NewReaderSize(cr.filter, bufSize)
		// WantMixedLinkType: otherwise pcapgo drops the packets of
		// interfaces whose link type differs from the first one's, and
		// frame numbers would no longer be tshark's.
		cr.ng, err = pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{WantMixedLinkType: true})
	case magicMicros, magicNanos, magicMicrosBE, magicNanosBE:
		cr.pcap, err = newPcapReader(br, maxRecord)
	default:
		return nil, fmt.Errorf("%w: unknown magic number %#08x", ErrNotCapture, binary.BigEndian.Uint32(magic))
	}
	if err != nil {
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w: in the file header", ErrTruncatedFile)
		}
		return nil, fmt.Errorf("%w: %v", ErrNotCapture, err)
	}
	return cr, nil
}

// LinkType returns the link type of a pcap file, or of the first interface
// of the current pcapng section (Ethernet if none has been read).
func (r *Reader) LinkType() layers.LinkType {
	if r.ng == nil {
		return r.pcap.linkType
	}
	if ifc, err := r.ng.Interface(0); err == nil {
		return ifc.LinkType
	}
	return layers.LinkTypeEthernet
}

// IsPcapng reports whether the input is pcapng.
func (r *Reader) IsPcapng() bool { return r.ng != nil }

// ZeroCopyReadPacketData returns the next packet; it makes Reader a
// [PacketSource]. The link type is lost: use ReadPacket for pcapng files
// with mixed link types. Errors are as ReadPacket's.
func (r *Reader) ZeroCopyReadPacketData() (data []byte, ci gopacket.CaptureInfo, err error) {
	data, ci, _, err = r.ReadPacket()
	return data, ci, err
}

// ReadPacket returns the next packet record, its capture information and
// its link type. data is valid until the next call. At the end of the input
// the error is io.EOF; a record cut short gives an error wrapping
// ErrTruncatedFile, a bad one ErrCorruptFile. See Reader for allocation.
func (r *Reader) ReadPacket() (data []byte, ci gopacket.CaptureInfo, lt layers.LinkType, err error) {
	if r.ng == nil {
		data, ci, r.oversize, err = r.pcap.next()
		if err != nil {
			return nil, ci, 0, r.fail(err, ci)
		}
		r.frames++
		return data, ci, r.pcap.linkType, nil
	}
	data, ci, err = r.ng.ZeroCopyReadPacketData()
	if err != nil {
		return nil, ci, 0, r.fail(err, ci)
	}
	// pcapgo checked the index against the section's interfaces.
	ifc, _ := r.ng.Interface(ci.InterfaceIndex)
	r.frames++
	r.oversize = r.filter.took(r.frames)
	return data, ci, ifc.LinkType, nil
}

// fill reads the next packet into s, as ReadPacket does.
func (r *Reader) fill(s *source) error {
	if r.ng != nil {
		data, ci, lt, err := r.ReadPacket()
		*s = source{data: data, ts: ci.Timestamp, lt: lt, oversize: r.oversize}
		return err
	}
	var n int
	var err error
	s.data, s.ts, n, _, s.oversize, err = r.pcap.record()
	if err != nil {
		return r.fail(err, gopacket.CaptureInfo{CaptureLength: n})
	}
	r.oversize = s.oversize
	r.frames++
	s.lt = r.pcap.linkType
	return nil
}

// Oversize reports whether the record just read was longer than the limit
// (see NewReaderMax): its bytes were skipped and it came with no data.
func (r *Reader) Oversize() bool { return r.oversize }

// fail turns a pcapgo error into io.EOF or one wrapping ErrTruncatedFile or
// ErrCorruptFile.
func (r *Reader) fail(err error, ci gopacket.CaptureInfo) error {
	switch {
	case err == io.EOF && ci.CaptureLength == 0:
		// The input ended between records. (pcapgo's pcap reader also
		// gives io.EOF for a record header followed by no data at all; its
		// capture length tells the two apart.)
		return io.EOF
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w after frame %d", ErrTruncatedFile, r.frames)
	}
	return fmt.Errorf("%w after frame %d: %w", ErrCorruptFile, r.frames, err)
}
