package pcapx

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/gopacket/gopacket"
)

// PacketSource is what the read loop needs from a packet reader. pcapgo's
// Reader and NgReader and gopacket's afpacket and pcap handles have it.
type PacketSource interface {
	ZeroCopyReadPacketData() (data []byte, ci gopacket.CaptureInfo, err error)
}

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
// from the Decoder's. See ReadFile for the errors.
//
// Reading allocates per file, not per packet, except where pcapgo does (see
// Reader).
func (d *Decoder) ReadCapture(r io.Reader) error {
	cr, err := NewReader(r)
	if err != nil {
		return err
	}
	for {
		data, ci, lt, err := cr.ReadPacket()
		if err != nil {
			if ferr := d.Flush(); ferr != nil {
				return ferr
			}
			if err == io.EOF {
				return nil
			}
			return err
		}
		if err := d.packet(lt, ci.Timestamp, data); err != nil {
			return err
		}
	}
}

// ReadSource decodes every packet src returns, as the Decoder's current link
// type, until src returns an error, then calls Flush. io.EOF ends the input
// normally; io.ErrUnexpectedEOF is reported as ErrTruncatedFile.
func (d *Decoder) ReadSource(src PacketSource) error {
	return d.loop(src)
}

func (d *Decoder) loop(src PacketSource) error {
	for {
		data, ci, err := src.ZeroCopyReadPacketData()
		if err != nil {
			ferr := d.Flush()
			switch {
			case ferr != nil:
				return ferr
			case err == io.EOF:
				return nil
			case errors.Is(err, io.ErrUnexpectedEOF):
				return fmt.Errorf("%w after frame %d", ErrTruncatedFile, d.frame)
			}
			return fmt.Errorf("%w after frame %d: %v", ErrCorruptFile, d.frame, err)
		}
		if err := d.packet(d.linkType, ci.Timestamp, data); err != nil {
			return err
		}
	}
}
