package pcapx

import (
	"encoding/binary"
	"unsafe"
)

// The history keeps the bytes most recently taken into the TCP streams, so
// that a segment that carries bytes again (a retransmission, an overlap)
// can be compared with the copy pcapx took first. It is one ring per
// Decoder, whatever the number of flows: each segment's bytes are appended
// as a record (a 24-byte header, then the bytes, rounded up to 8) that
// names its stream direction and links to that direction's previous
// record, and each stream direction keeps the position of its last record
// (stream.hist). Records are overwritten as the ring goes round, so bytes
// can be compared as long as less than the ring's size of stream bytes has
// been taken since (across all flows); older bytes sent again are counted
// as duplicates without a comparison. Writing a record costs a copy of the
// segment's bytes; nothing is allocated after the ring itself.
type history struct {
	buf  []byte
	mask uint32 // len(buf)-1; len(buf) is a power of two
	head uint32 // where the next record goes, counted from the start, modulo 2^32
}

// Bounds of the ring's size: Config.MemoryBudget/histShare, rounded down to
// a power of two, within [minHistory, maxHistory].
const (
	histShare  = 64
	minHistory = 64 << 10
	maxHistory = 8 << 20
	histHeader = 24
	// maxRecord bounds the bytes of one record; longer runs take several.
	histMaxRecord = 8 << 10
	// histSteps bounds the records one comparison walks.
	histSteps = 64
)

// init makes the ring, of size bytes (a power of two).
func (h *history) init(size int) {
	h.buf = make([]byte, size)
	h.mask = uint32(size - 1)
	h.head = 0
}

// historySize returns the ring's size for a memory budget.
func historySize(budget int) int {
	n := minHistory
	for n*2 <= budget/histShare && n*2 <= maxHistory {
		n *= 2
	}
	return n
}

// A stream direction's reference to its last record (stream.hist) is the
// record's position plus one, so one more than a multiple of 8; the other
// values say why there is none: histNone, no byte since the stream
// started; histSynOK, no byte since a SYN that the other side's
// acknowledgment confirmed (a SYN-ACK answering its SYN); or histCut, the
// stream moved since (a gap before any byte, or a relocation) and the
// records before, if any, are no longer its own. A gap
// after bytes were taken leaves the reference as it is: the records on
// both sides of the hole stay comparable.
const (
	histNone  = 0
	histCut   = 2
	histSynOK = 4
)

// owner names a stream direction in the records: its flow's record id and
// the direction.
func owner(f *flow, dir int) uint32 { return f.id<<1 | uint32(dir) }

// add appends the bytes b, at sequence number seq, of the stream direction
// named own, whose last record is at prev (0: none), and returns the new
// record's reference (its position plus one).
func (h *history) add(own, prev, seq uint32, b []byte) uint32 {
	for len(b) > histMaxRecord {
		prev = h.add(own, prev, seq, b[:histMaxRecord])
		seq += histMaxRecord
		b = b[histMaxRecord:]
	}
	size := h.mask + 1
	need := (histHeader + uint32(len(b)) + 7) &^ 7
	off := h.head & h.mask
	if off+need > size {
		// Records do not wrap: the rest of the ring is left as it is.
		h.head += size - off
		off = 0
	}
	// The ring holds every record whole (off+need <= size), and a record
	// starts at most size-histHeader into it: the header and the bytes
	// below are within buf.
	ring := unsafe.Pointer(unsafe.SliceData(h.buf))
	// The chain's base: the first byte of its first record that a walk
	// from here can reach, read from the last record while it is intact;
	// unknown (more than maxWindow/2 before) once the chain spans more.
	base := seq
	if q := prev - 1; prev&7 == 1 && h.head-q-histHeader <= size-histHeader && q&h.mask <= size-histHeader {
		pr := (*[histHeader]byte)(unsafe.Add(ring, q&h.mask))
		if binary.LittleEndian.Uint32(pr[0:]) == own {
			base = binary.LittleEndian.Uint32(pr[16:])
			if seq-base > maxWindow/2 {
				base = seq - 1<<31
			}
		}
	}
	p := h.head
	r := unsafe.Add(ring, off)
	hd := (*[histHeader]byte)(r)
	binary.LittleEndian.PutUint32(hd[0:], own)
	binary.LittleEndian.PutUint32(hd[4:], prev)
	binary.LittleEndian.PutUint32(hd[8:], seq)
	binary.LittleEndian.PutUint32(hd[12:], uint32(len(b)))
	binary.LittleEndian.PutUint32(hd[16:], base)
	copy(unsafe.Slice((*byte)(unsafe.Add(r, histHeader)), len(b)), b)
	h.head += need
	return p + 1
}

// differs compares b, the bytes at sequence number seq of the stream
// direction named own whose last record is at ref and ends at or before
// end (the stream's next sequence number), with the bytes the history
// holds for the same sequence numbers. The records of a direction follow
// each other in sequence space, with holes where the stream went over a
// gap. Each record also holds the base of its chain, the first byte of
// the first record a walk from it can reach: bytes that end at or before
// the base have nothing to be compared with, however far back they lie,
// and are found so without a walk. It reports whether any differ, and how
// many bytes it could compare.
func (h *history) differs(own, ref, end, seq uint32, b []byte) (diff bool, compared int) {
	if len(h.buf) == 0 {
		return false, 0
	}
	size := uint32(len(h.buf))
	lo, hi := seq, seq+uint32(len(b))
	if ref&7 == 1 && h.head-(ref-1) <= size && h.head-(ref-1) >= histHeader {
		r := (*[histHeader]byte)(h.buf[(ref-1)&h.mask:])
		base := binary.LittleEndian.Uint32(r[16:])
		if binary.LittleEndian.Uint32(r[0:]) == own && end-base <= maxWindow/2 && end-lo <= maxWindow && int32(end-hi) >= 0 && end-hi >= end-base {
			// The records lie in [base, end), the bytes before base.
			return false, 0
		}
	}
	for range histSteps {
		if ref&7 != 1 {
			break
		}
		p := ref - 1
		if h.head-p > size || h.head-p < histHeader {
			break // overwritten
		}
		r := (*[histHeader]byte)(h.buf[p&h.mask:])
		rseq := binary.LittleEndian.Uint32(r[8:])
		n := binary.LittleEndian.Uint32(r[12:])
		if binary.LittleEndian.Uint32(r[0:]) != own || n > size || int32(end-(rseq+n)) < 0 || end-(rseq+n) > maxWindow {
			break // not this stream's record, or not one before
		}
		if int32(rseq-lo) <= 0 || int32(hi-rseq) > 0 {
			// The overlap of [rseq, rseq+n) and [lo, hi), in sequence
			// space (a record wholly after the bytes has none).
			a, z := rseq, rseq+n
			if int32(lo-a) > 0 {
				a = lo
			}
			if int32(hi-z) < 0 {
				z = hi
			}
			if int32(z-a) > 0 {
				at := (p & h.mask) + histHeader
				kept := h.buf[at+(a-rseq) : at+(z-rseq)]
				sent := b[a-lo : z-lo]
				compared += len(sent)
				if string(kept) != string(sent) {
					return true, compared
				}
			}
			if int32(rseq-lo) <= 0 {
				break
			}
		}
		end = rseq
		ref = binary.LittleEndian.Uint32(r[4:])
	}
	return false, compared
}
