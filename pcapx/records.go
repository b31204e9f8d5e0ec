package pcapx

import (
	"bufio"
	"encoding/binary"
	"io"

	"github.com/gopacket/gopacket/layers"
)

// DefaultMaxRecord is the longest packet record the readers take by
// default: libpcap's and Wireshark's largest snap length (262144 bytes),
// which is also the most any link type pcapx decodes allows.
const DefaultMaxRecord = 262144

// maxRecordFor returns the longest record a link type allows, as Wireshark
// has it: 256 KiB, and more for the few link types whose packets are
// larger (D-Bus, USBPcap, EBHSCR).
func maxRecordFor(lt layers.LinkType) int {
	switch lt {
	case 231, 249: // D-Bus, USBPcap
		return 128 << 20
	case 279: // EBHSCR
		return 8 << 20
	}
	return DefaultMaxRecord
}

// recordFilter sits between a capture's bytes and pcapgo. It passes the
// stream through unchanged except for packet records whose captured length
// exceeds the limit (the link type's largest, or the configured maximum,
// whichever is smaller): those it replaces with a record of the same kind
// that holds no bytes, and it skips their bytes without reading them into
// memory, so that no record can make the reader allocate its size. It
// notes the position of each record it emptied, for the Reader to count.
// pcapng blocks other than packets, section and interface headers that
// exceed the limit are left out, so that pcapgo reads none of them.
type recordFilter struct {
	src *bufio.Reader
	max int // the configured maximum

	started bool
	ng      bool
	order   binary.ByteOrder
	lt      layers.LinkType   // pcap: the file's link type
	ifLT    []layers.LinkType // pcapng: the interfaces of the section

	pend    [32]byte // a header to emit, pend[pendOff:pendLen]
	pendOff int
	pendLen int
	pass    int64 // bytes to pass through unchanged

	records int   // packet records emitted so far
	skipped []int // ordinals of emptied records the Reader has not seen
	err     error
}

func (f *recordFilter) limit(lt layers.LinkType) int {
	return min(maxRecordFor(lt), f.max)
}

func (f *recordFilter) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		switch {
		case f.pendOff < f.pendLen:
			c := copy(p[n:], f.pend[f.pendOff:f.pendLen])
			f.pendOff += c
			n += c
		case f.pass > 0:
			m := int(min(int64(len(p)-n), f.pass))
			c, err := f.src.Read(p[n : n+m])
			f.pass -= int64(c)
			n += c
			if err != nil {
				return n, f.fail(err)
			}
		case n > 0:
			// Hand over what there is before reading the next header.
			return n, nil
		default:
			if err := f.next(); err != nil {
				return n, f.fail(err)
			}
		}
	}
	return n, nil
}

// fail records err (io.EOF stays io.EOF) and returns it.
func (f *recordFilter) fail(err error) error {
	if f.err == nil {
		f.err = err
	}
	return f.err
}

// next reads the next header and decides what to emit.
func (f *recordFilter) next() error {
	if f.err != nil {
		return f.err
	}
	if !f.started {
		return f.fileHeader()
	}
	if f.ng {
		return f.block()
	}
	return f.record()
}

// header emits the n bytes at the front of src as they are.
func (f *recordFilter) header(n int) error {
	b, err := f.src.Peek(n)
	if len(b) < n {
		// Cut short: pass what is there, and pcapgo will see the end.
		f.pass = int64(len(b))
		if len(b) == 0 {
			if err == nil {
				err = io.EOF
			}
			return err
		}
		return nil
	}
	f.pass = int64(n)
	return nil
}

func (f *recordFilter) fileHeader() error {
	f.started = true
	b, _ := f.src.Peek(24)
	if len(b) < 4 {
		return f.header(len(b))
	}
	switch binary.LittleEndian.Uint32(b) {
	case magicPcapng:
		f.ng = true
		return f.block()
	case magicMicros, magicNanos:
		f.order = binary.LittleEndian
	default:
		f.order = binary.BigEndian
	}
	if len(b) == 24 {
		f.lt = layers.LinkType(f.order.Uint32(b[20:24]))
	}
	return f.header(len(b))
}

// record handles one pcap record.
func (f *recordFilter) record() error {
	b, err := f.src.Peek(16)
	if len(b) < 16 {
		if len(b) == 0 {
			if err == nil {
				err = io.EOF
			}
			return err
		}
		f.pass = int64(len(b))
		return nil
	}
	f.records++
	caplen := int64(f.order.Uint32(b[8:12]))
	if caplen <= int64(f.limit(f.lt)) {
		f.pass = 16 + caplen
		return nil
	}
	f.pendLen = copy(f.pend[:], b)
	f.pendOff = 0
	if f.skip(16 + caplen) {
		f.order.PutUint32(f.pend[8:12], 0)
	}
	return nil
}

// skip drops the n bytes of a record (its header included), whose header
// the caller copied to pend, and reports whether they were all there. If
// so, the caller turns pend into the record's empty replacement; if not,
// pend goes out as it is, followed by the end of the input, so that pcapgo
// reports the record cut short as it would have.
func (f *recordFilter) skip(n int64) bool {
	if !f.discard(n) {
		return false
	}
	f.skipped = append(f.skipped, f.records)
	return true
}

// discard drops n bytes of input, reporting whether they were all there;
// if not, the input ends.
func (f *recordFilter) discard(n int64) bool {
	for n > 0 {
		c, err := f.src.Discard(int(min(n, 1<<20)))
		n -= int64(c)
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			f.err = err
			return false
		}
	}
	return true
}

// pcapng block types.
const (
	ngSHB = 0x0a0d0d0a
	ngIDB = 1
	ngOPB = 2
	ngSPB = 3
	ngEPB = 6
)

// block handles one pcapng block.
func (f *recordFilter) block() error {
	b, err := f.src.Peek(12)
	if len(b) < 12 {
		if len(b) == 0 {
			if err == nil {
				err = io.EOF
			}
			return err
		}
		f.pass = int64(len(b))
		return nil
	}
	typ := binary.LittleEndian.Uint32(b)
	if typ == ngSHB {
		if binary.BigEndian.Uint32(b[8:12]) == 0x1a2b3c4d {
			f.order = binary.BigEndian
		} else {
			f.order = binary.LittleEndian
		}
		f.ifLT = f.ifLT[:0]
		f.pass = int64(f.order.Uint32(b[4:8]))
		if f.pass < 12 {
			f.pass = 12
		}
		return nil
	}
	if f.order == nil {
		f.order = binary.LittleEndian
	}
	typ = f.order.Uint32(b)
	length := int64(f.order.Uint32(b[4:8]))
	if length < 12 {
		// Corrupt: pass the header and let pcapgo report it.
		f.pass = 8
		return nil
	}
	switch typ {
	case ngIDB:
		f.ifLT = append(f.ifLT, layers.LinkType(f.order.Uint16(b[8:10])))
	case ngEPB, ngOPB:
		h, _ := f.src.Peek(28)
		if len(h) < 28 || length < 28 {
			break
		}
		f.records++
		var iface int
		if typ == ngEPB {
			iface = int(f.order.Uint32(h[8:12]))
		} else {
			iface = int(f.order.Uint16(h[8:10]))
		}
		lt := layers.LinkTypeEthernet
		if iface < len(f.ifLT) {
			lt = f.ifLT[iface]
		}
		if int64(f.order.Uint32(h[20:24])) <= int64(f.limit(lt)) {
			break
		}
		// An empty block of the same kind, with the same interface,
		// time and original length.
		f.pendOff, f.pendLen = 0, copy(f.pend[:28], h)
		if f.skip(length) {
			f.order.PutUint32(f.pend[4:8], 32)
			f.order.PutUint32(f.pend[20:24], 0)
			f.order.PutUint32(f.pend[28:32], 32)
			f.pendLen = 32
		}
		return nil
	case ngSPB:
		f.records++
		lt := layers.LinkTypeEthernet
		if len(f.ifLT) > 0 {
			lt = f.ifLT[0]
		}
		if length-16 <= int64(f.limit(lt)) {
			break
		}
		// An empty simple packet: original length 0, so that pcapgo
		// reads no bytes.
		f.pendOff, f.pendLen = 0, copy(f.pend[:12], b)
		if f.skip(length) {
			f.order.PutUint32(f.pend[4:8], 16)
			f.order.PutUint32(f.pend[8:12], 0)
			f.order.PutUint32(f.pend[12:16], 16)
			f.pendLen = 16
		}
		return nil
	default:
		if length > int64(f.limit(layers.LinkTypeEthernet))+65536 {
			// A huge block that is not a packet (decryption secrets,
			// say): leave it out, unless it is cut short.
			f.pendOff, f.pendLen = 0, copy(f.pend[:12], b)
			if f.discard(length) {
				f.pendLen = 0
			}
			return nil
		}
	}
	f.pass = length
	return nil
}

// took reports whether the packet record numbered n (from 1) was emptied,
// and forgets the records before it.
func (f *recordFilter) took(n int) bool {
	for len(f.skipped) > 0 && f.skipped[0] < n {
		f.skipped = f.skipped[1:]
	}
	if len(f.skipped) > 0 && f.skipped[0] == n {
		f.skipped = f.skipped[1:]
		return true
	}
	return false
}
