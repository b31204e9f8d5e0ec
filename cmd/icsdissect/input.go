package main

import (
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gopacket/gopacket/layers"

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
	workers  int // decoding goroutines; 0 or 1: one
}

// progressMin is the smallest file that gets a progress line.
const progressMin = 4 << 20

// consumer takes the PDUs that one decoding goroutine dissects: before
// (when not nil) is called ahead of dissecting each PDU into sink, and each
// with its result; an error from each stops decoding.
type consumer struct {
	sink   dissect.Sink
	before func(p *pcapx.PDU)
	each   func(p *pcapx.PDU, r dissect.Result) error
}

// handlers returns a pcapx handler that dissects PDUs into c, and the flow
// hook of its Dissector, which keeps per-flow state in the flow slot.
func (c consumer) handlers() (pcapx.Handler, func(*pcapx.FlowEvent)) {
	d := new(dissect.Dissector)
	return func(p *pcapx.PDU) error {
		if c.before != nil {
			c.before(p)
		}
		r := d.PDU(c.sink, p)
		if err := c.each(p, r); err != nil {
			return outputError{err}
		}
		return r.Err
	}, d.OnFlow
}

// read decodes the input through pcapx and internal/dissect with in.workers
// goroutines, each with the consumer newConsumer makes for it; sync, when
// not nil, is pcapx's Config.Sync (used with more than one worker).
func (in input) read(newConsumer func(w int) consumer, sync func(w, frame int)) (pcapx.Stats, error) {
	cfg := pcapx.Config{Ports: in.ports}
	if in.workers <= 1 {
		cfg.Handler, cfg.OnFlow = newConsumer(0).handlers()
	} else {
		cfg.Workers = in.workers
		cfg.Worker = func(w int) (pcapx.Handler, func(*pcapx.FlowEvent)) { return newConsumer(w).handlers() }
		cfg.Sync = sync
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
		return readCapture(cfg, os.Stdin, in.filter, nil)
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
	return readCapture(cfg, r, in.filter, prog)
}

// readCapture decodes r with pcapx's Decoder.ReadCapture for cfg, keeping
// the packets that pass filter (nil: every packet) and drawing the progress
// line as packets are read. A link type the filter cannot be compiled for
// is an error, after the read.
func readCapture(cfg pcapx.Config, r io.Reader, filter *pcapx.Filter, prog *progress) (pcapx.Stats, error) {
	var packets uint64
	var ferr error
	cfg.Accept = func(lt layers.LinkType, data []byte) bool {
		packets++
		if prog != nil && packets&1023 == 0 {
			prog.update(packets)
		}
		if filter == nil {
			return true
		}
		ok, err := filter.Match(lt, data)
		if err != nil && ferr == nil {
			ferr = err
		}
		return ok
	}
	d := pcapx.NewDecoder(cfg)
	err := d.ReadCapture(r)
	if err == nil {
		err = ferr
	}
	return d.Stats(), err
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
