package pcapx

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// pcapReader reads the records of a pcap file (not pcapng) straight from
// the read buffer: a record's bytes are returned where they lie in the
// buffer, not copied, and a record longer than the limit is skipped without
// being read. It behaves as pcapgo.Reader does otherwise (the same records,
// times, errors and ends), which FuzzRead checks; reading pcap files is the
// common case for large captures, and pcapgo under the record filter cost
// about twice the instructions per packet of decoding it.
type pcapReader struct {
	br       *bufio.Reader
	order    binary.ByteOrder
	be       bool   // big-endian
	nanos    uint32 // 1 for nanosecond files, 1000 for microseconds
	snaplen  uint32
	linkType layers.LinkType
	max      int    // the configured record limit, or 0
	big      []byte // records longer than the read buffer
}

// errPcapHeader says the file header is not one pcapgo reads.
var errPcapHeader = errors.New("unknown pcap version")

func newPcapReader(br *bufio.Reader, maxRecord int) (*pcapReader, error) {
	h, err := br.Peek(24)
	if len(h) < 24 {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	r := &pcapReader{br: br, max: maxRecord}
	if r.max <= 0 {
		r.max = DefaultMaxRecord
	}
	switch binary.LittleEndian.Uint32(h) {
	case magicMicros:
		r.order, r.nanos = binary.LittleEndian, 1000
	case magicNanos:
		r.order, r.nanos = binary.LittleEndian, 1
	case magicMicrosBE:
		r.order, r.nanos = binary.BigEndian, 1000
	default:
		r.order, r.nanos = binary.BigEndian, 1
	}
	if r.order.Uint16(h[4:6]) != 2 || r.order.Uint16(h[6:8]) != 4 {
		return nil, errPcapHeader
	}
	r.be = r.order == binary.BigEndian
	r.snaplen = r.order.Uint32(h[16:20])
	r.linkType = layers.LinkType(r.order.Uint32(h[20:24]))
	br.Discard(24)
	return r, nil
}

// next returns the next record: its bytes (valid until the next call), its
// capture information, and whether it was longer than the limit (then its
// bytes were skipped and data is empty). Errors are pcapgo's: io.EOF at the
// end (also for a record header with no data at all, which the capture
// length tells apart), io.ErrUnexpectedEOF for a record cut short, others
// for a bad record.
func (r *pcapReader) next() (data []byte, ci gopacket.CaptureInfo, oversize bool, err error) {
	data, ci.Timestamp, ci.CaptureLength, ci.Length, oversize, err = r.record()
	return data, ci, oversize, err
}

// record is next with the capture information as values.
func (r *pcapReader) record() (data []byte, ts time.Time, n, length int, oversize bool, err error) {
	h, _ := r.br.Peek(r.br.Buffered())
	if len(h) < 16 {
		if h, _ = r.br.Peek(16); len(h) < 16 {
			if len(h) == 0 {
				return nil, ts, 0, 0, false, io.EOF
			}
			r.br.Discard(len(h))
			return nil, ts, 0, 0, false, io.ErrUnexpectedEOF
		}
	}
	sec, frac := r.u32(h[0:4]), r.u32(h[4:8])
	ts = time.Unix(int64(sec), int64(frac*r.nanos)).UTC()
	n = int(r.u32(h[8:12]))
	length = int(r.u32(h[12:16]))
	if n <= length && n <= eagerReadMax && n <= r.max && 16+n <= len(h) {
		// The whole record is in the buffer: the common case.
		r.br.Discard(16 + n)
		return h[16 : 16+n : 16+n], ts, n, length, false, nil
	}
	r.br.Discard(16)
	maxCapture := max(int(r.snaplen), eagerReadMax)
	limit := min(maxRecordFor(r.linkType), r.max)
	if n > limit {
		// Skip it unread, if it is all there; if not, report what pcapgo
		// would have.
		if m, _ := r.br.Discard(n); m == n {
			return nil, ts, n, length, true, nil
		}
		if n > maxCapture {
			return nil, ts, n, length, false, errPcapSnaplen
		}
		return nil, ts, n, length, false, io.ErrUnexpectedEOF
	}
	switch {
	case n > maxCapture:
		return nil, ts, n, length, false, errPcapSnaplen
	case n > length:
		return nil, ts, n, length, false, errPcapLength
	case n <= r.br.Size():
		data, err = r.br.Peek(n)
		r.br.Discard(len(data))
	default:
		if cap(r.big) < n {
			r.big = make([]byte, n)
		}
		var m int
		m, err = io.ReadFull(r.br, r.big[:n])
		data = r.big[:m]
	}
	if len(data) < n {
		if len(data) == 0 {
			return nil, ts, n, length, false, io.EOF
		}
		return nil, ts, n, length, false, io.ErrUnexpectedEOF
	}
	return data, ts, n, length, false, err
}

func (r *pcapReader) u32(b []byte) uint32 {
	if r.be {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

// eagerReadMax is pcapgo's: records up to this size are taken whatever the
// snap length says.
const eagerReadMax = 262144

var (
	errPcapSnaplen = errors.New("capture length exceeds snap length")
	errPcapLength  = errors.New("capture length exceeds original packet length")
)
