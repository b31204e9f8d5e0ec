package pcapx

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// PacketSource is what the read loop needs from a packet reader. pcapgo's
// Reader and NgReader and gopacket's afpacket and pcap handles have it.
type PacketSource interface {
	ZeroCopyReadPacketData() (data []byte, ci gopacket.CaptureInfo, err error)
}

// idleSource is a PacketSource that can say that no packet came for a
// while (a live capture): readOrIdle returns errIdle then. The Decoder
// then decodes the packets it holds in batches (ReadCapture's read-ahead
// batch, the workers' partial batches) instead of waiting for more, so
// that a quiet network does not hold PDUs back.
type idleSource interface {
	readOrIdle() ([]byte, gopacket.CaptureInfo, error)
}

// errIdle is readOrIdle's report that no packet came.
var errIdle = errors.New("pcapx: no packet for a while")

// ReadFile decodes the pcap or pcapng file at path with a new Decoder for
// cfg and returns its counts. The error is nil, a file system error, or
// wraps ErrNotCapture, ErrTruncatedFile, ErrCorruptFile or the handler's
// ErrStop error; the counts are valid in every case.
func ReadFile(path string, cfg Config) (Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stats{}, err
	}
	defer f.Close()
	return Read(f, cfg)
}

// Read is ReadFile for a capture read from r.
func Read(r io.Reader, cfg Config) (Stats, error) {
	d := NewDecoder(cfg)
	err := d.ReadCapture(r)
	return d.Stats(), err
}

// ReadCapture decodes a whole pcap or pcapng stream (plain or gzipped,
// detected by its magic number) from r, then calls Flush. Frame numbers go on
// from the Decoder's. See ReadFile for the errors. A record longer than
// Config.MaxRecord or than its link type allows is skipped unread and its
// frame counted malformed (RecordTooLarge). With Config.Workers above 1 the
// packets are decoded in parallel (see Config.Workers).
//
// When the flow table is large, packets are read in batches and decoded as
// by Packets, so that the cache misses of their flows overlap.
//
// Reading allocates per file, not per packet, except where pcapgo does (see
// Reader).
func (d *Decoder) ReadCapture(r io.Reader) error {
	cr, err := NewReaderMax(r, d.cfg.MaxRecord)
	if err != nil {
		return err
	}
	return d.read(cr.fill)
}

// source is a packet as a reader loop gets it.
type source struct {
	data     []byte
	ts       time.Time
	lt       layers.LinkType
	oversize bool
	idle     bool // no packet: the source has been quiet for a while
}

// read decodes the packets next reads until it returns an error, then
// flushes: io.EOF ends the input normally. It returns the first error of
// the handler's (ErrStop), of Flush, or of next other than io.EOF.
func (d *Decoder) read(next func(*source) error) error {
	if d.cfg.Workers > 1 {
		return d.readParallel(next)
	}
	var src source
	for {
		err := next(&src)
		if err != nil {
			if berr := d.readBatch(); berr != nil {
				return berr
			}
			if ferr := d.Flush(); ferr != nil {
				return ferr
			}
			if err == io.EOF {
				return nil
			}
			return err
		}
		if src.idle {
			// Decode what waits in the read-ahead batch.
			if err := d.readBatch(); err != nil {
				return err
			}
			continue
		}
		if d.cfg.Accept != nil && !src.oversize && !d.cfg.Accept(src.lt, src.data) {
			continue
		}
		switch {
		case src.oversize:
			if err := d.readBatch(); err != nil {
				return err
			}
			err = d.oversize(src.ts)
		case len(d.rb.pkts) > 0 || d.flows.n >= prefetchFlows:
			err = d.queue(src.lt, src.ts, src.data)
		default:
			err = d.packet(src.lt, src.ts, src.data)
		}
		if err != nil {
			return err
		}
	}
}

// readBatch is the batch of packets ReadCapture reads ahead: copies of
// their bytes in an arena.
type readBatch struct {
	pkts  []Packet
	arena []byte
}

// Sizes of ReadCapture's batches.
const (
	readBatchLen   = 64
	readBatchBytes = 512 << 10
)

// queue adds a packet to the read batch, decoding the batch when it is
// full.
func (d *Decoder) queue(lt layers.LinkType, ts time.Time, data []byte) error {
	rb := &d.rb
	if rb.arena == nil {
		rb.arena = make([]byte, 0, readBatchBytes)
		rb.pkts = make([]Packet, 0, readBatchLen)
	}
	if len(data) > cap(rb.arena)-len(rb.arena) {
		if err := d.readBatch(); err != nil {
			return err
		}
		if len(data) > cap(rb.arena) {
			return d.packet(lt, ts, data)
		}
	}
	off := len(rb.arena)
	rb.arena = append(rb.arena, data...)
	rb.pkts = append(rb.pkts, Packet{Data: rb.arena[off:len(rb.arena):len(rb.arena)], Time: ts, LinkType: lt})
	if len(rb.pkts) == readBatchLen {
		return d.readBatch()
	}
	return nil
}

// readBatch decodes the packets queued in the read batch.
func (d *Decoder) readBatch() error {
	rb := &d.rb
	if len(rb.pkts) == 0 {
		return nil
	}
	err := d.Packets(rb.pkts)
	clear(rb.pkts)
	rb.pkts = rb.pkts[:0]
	rb.arena = rb.arena[:0]
	return err
}

// oversize counts a frame whose record was too long to read.
func (d *Decoder) oversize(ts time.Time) error {
	d.frame++
	d.begin(ts)
	d.malformed(RecordTooLarge)
	return d.end()
}

// ReadSource decodes every packet src returns, as the Decoder's current link
// type, until src returns an error, then calls Flush. io.EOF ends the input
// normally; io.ErrUnexpectedEOF is reported as ErrTruncatedFile. With
// Config.Workers above 1 the packets are decoded in parallel.
func (d *Decoder) ReadSource(src PacketSource) error {
	readPkt := src.ZeroCopyReadPacketData
	if is, ok := src.(idleSource); ok {
		readPkt = is.readOrIdle
	}
	err := d.read(func(s *source) error {
		data, ci, err := readPkt()
		if err == errIdle {
			*s = source{idle: true}
			return nil
		}
		*s = source{data: data, ts: ci.Timestamp, lt: d.linkType}
		return err
	})
	switch {
	case err == nil || errors.Is(err, ErrStop):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w after frame %d", ErrTruncatedFile, d.frame)
	case errors.Is(err, ErrTruncatedFile) || errors.Is(err, ErrCorruptFile) || errors.Is(err, ErrNotCapture):
		return err
	}
	return fmt.Errorf("%w after frame %d: %v", ErrCorruptFile, d.frame, err)
}
