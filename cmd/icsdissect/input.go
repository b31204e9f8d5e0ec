package main

import (
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/icsdissect/icsdissect/internal/dissect"
	"github.com/icsdissect/icsdissect/pcapx"
)

// input is what the commands read: a capture file or, with live set, a
// network interface.
type input struct {
	name     string // file or interface
	live     bool
	ports    portFlags
	filter   *pcapx.Filter    // nil: every packet
	progress io.Writer        // where to draw the progress line (a terminal), or nil
	now      func() time.Time // the progress line's clock; nil: time.Now
	stop     <-chan struct{}
}

// progressMin is the smallest file that gets a progress line.
const progressMin = 4 << 20

// read decodes the input through pcapx and internal/dissect, calling before
// (when not nil) ahead of dissecting each PDU into sink, and each with its
// result.
func (in input) read(sink dissect.Sink, before func(p *pcapx.PDU), each func(p *pcapx.PDU, r dissect.Result) error) (pcapx.Stats, error) {
	var d dissect.Dissector
	cfg := pcapx.Config{
		Ports:  in.ports,
		OnFlow: d.OnFlow,
		Handler: func(p *pcapx.PDU) error {
			if before != nil {
				before(p)
			}
			r := d.PDU(sink, p)
			if err := each(p, r); err != nil {
				return outputError{err}
			}
			return r.Err
		},
	}
	if in.live {
		return in.readLive(cfg)
	}
	return in.readFile(cfg)
}

// readLive captures from the interface until in.stop is closed, or until
// SIGINT or SIGTERM when it is nil.
func (in input) readLive(cfg pcapx.Config) (pcapx.Stats, error) {
	stop := in.stop
	if stop == nil {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(sig)
		ch := make(chan struct{})
		go func() {
			<-sig
			close(ch)
		}()
		stop = ch
	}
	expr := ""
	if in.filter != nil {
		expr = in.filter.String()
	}
	return readLiveFilter(in.name, expr, cfg, stop)
}

// outputError is a failure to write the output (a full disk, a closed
// pipe): it stops decoding.
type outputError struct{ err error }

func (e outputError) Error() string   { return "writing output: " + e.err.Error() }
func (e outputError) Unwrap() []error { return []error{pcapx.ErrStop, e.err} }

// errIsDir is the error for a directory given as a capture file.
var errIsDir = errors.New("is a directory, not a capture file")

// readFile decodes the capture file ("-" is standard input), keeping the
// packets that pass the filter, and draws the progress line.
func (in input) readFile(cfg pcapx.Config) (pcapx.Stats, error) {
	if in.name == "-" {
		d := pcapx.NewDecoder(cfg)
		err := readCapture(d, os.Stdin, in.filter, nil)
		return d.Stats(), err
	}
	f, err := os.Open(in.name)
	if err != nil {
		return pcapx.Stats{}, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return pcapx.Stats{}, errIsDir
	}
	var r io.Reader = f
	var prog *progress
	if in.progress != nil {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() >= progressMin {
			now := in.now
			if now == nil {
				now = time.Now
			}
			prog = newProgress(in.progress, in.name, fi.Size(), now)
			defer prog.clear()
			r = &countingReader{r: f, n: &prog.bytes}
		}
	}
	d := pcapx.NewDecoder(cfg)
	err = readCapture(d, r, in.filter, prog)
	return d.Stats(), err
}

// readCapture is pcapx's Decoder.ReadCapture with a filter and a progress
// line: it decodes the packets of r that pass filter (nil: every packet),
// then flushes the decoder.
func readCapture(d *pcapx.Decoder, r io.Reader, filter *pcapx.Filter, prog *progress) error {
	cr, err := pcapx.NewReader(r)
	if err != nil {
		return err
	}
	var packets uint64
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
		packets++
		if prog != nil && packets&1023 == 0 {
			prog.update(packets)
		}
		if filter != nil {
			ok, err := filter.Match(lt, data)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
		}
		if err := d.PacketLinkType(lt, ci, data); err != nil {
			return err
		}
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n *int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	*c.n += int64(n)
	return n, err
}
