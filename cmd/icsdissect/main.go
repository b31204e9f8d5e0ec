// Command icsdissect decodes industrial protocol traffic in pcap and pcapng
// captures: Modbus/TCP, S7comm, EtherNet/IP with CIP, DNP3 and IEC 104.
//
// Usage:
//
//	icsdissect decode  [-port proto:tcp|udp:N]... [-workers N] FILE...   one JSON object per PDU
//	icsdissect summary [-port proto:tcp|udp:N]... [-workers N] FILE...   counts per protocol, function and error
//
// decode prints, per PDU, the frame number (equal to Wireshark's
// frame.number), timestamp, addresses and ports, protocol, direction,
// function, error and the decoded fields under Wireshark's field names.
// An unreadable or non-capture file is a one-line error and exit status 1; a
// capture cut short is decoded as far as it goes, with a note on stderr.
//
// -workers N decodes with N goroutines (one reads, N decode, each flow on
// one of them). decode's lines then come in frame order within each run of
// 4096 frames, the same on every run.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/icsdissect/icsdissect/internal/dissect"
	"github.com/icsdissect/icsdissect/pcapx"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: icsdissect <command> [flags] FILE...

commands:
  decode    print one JSON object per PDU (JSON lines)
  summary   print counts per protocol, function, error and anomaly

flags:
  -port proto:tcp|udp:N   also decode proto on that port (repeatable),
                          e.g. -port dnp3:tcp:20001
  -workers N              decode with N goroutines (default 1)
`

// run is main without the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd := args[0]
	if cmd != "decode" && cmd != "summary" {
		fmt.Fprintf(stderr, "icsdissect: unknown command %q\n%s", cmd, usage)
		return 2
	}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var ports portFlags
	fs.Var(&ports, "port", "proto:tcp|udp:N, decode proto on that port (repeatable)")
	workers := fs.Int("workers", 1, "decode with N goroutines")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *workers < 1 || *workers > 256 {
		fmt.Fprintf(stderr, "icsdissect %s: -workers must be between 1 and 256\n", cmd)
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "icsdissect %s: no capture file given\n", cmd)
		return 2
	}
	out := bufio.NewWriterSize(stdout, 64<<10)
	defer out.Flush()
	status := 0
	for _, file := range fs.Args() {
		var err error
		if cmd == "decode" {
			err = decode(out, file, ports, *workers)
		} else {
			err = summary(out, file, ports, *workers)
		}
		if err != nil {
			out.Flush()
			if errors.Is(err, pcapx.ErrTruncatedFile) {
				fmt.Fprintf(stderr, "icsdissect: %s: capture is cut short; decoded the frames before the cut\n", file)
				continue
			}
			fmt.Fprintf(stderr, "icsdissect: %s: %v\n", file, oneLine(err))
			status = 1
		}
	}
	return status
}

func oneLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// portFlags collects -port flags.
type portFlags []pcapx.Port

func (p *portFlags) String() string { return "" }

func (p *portFlags) Set(v string) error {
	parts := strings.Split(v, ":")
	if len(parts) != 3 {
		return fmt.Errorf("want proto:tcp|udp:N, got %q", v)
	}
	var port pcapx.Port
	for i := pcapx.Protocol(1); i < pcapx.Protocol(pcapx.NumProtocols); i++ {
		if i.String() == parts[0] {
			port.Proto = i
		}
	}
	if port.Proto == pcapx.Unknown {
		return fmt.Errorf("unknown protocol %q (modbus, s7comm, enip, dnp3, iec104)", parts[0])
	}
	switch parts[1] {
	case "tcp":
		port.Transport = pcapx.TCP
	case "udp":
		port.Transport = pcapx.UDP
	default:
		return fmt.Errorf("unknown transport %q (tcp, udp)", parts[1])
	}
	n, err := strconv.ParseUint(parts[2], 10, 16)
	if err != nil || n == 0 {
		return fmt.Errorf("bad port %q", parts[2])
	}
	port.Port = uint16(n)
	*p = append(*p, port)
	return nil
}

// consumer takes the PDUs that one decoding goroutine dissects: before
// (when not nil) is called ahead of dissecting each PDU into sink, and each
// with its result.
type consumer struct {
	sink   dissect.Sink
	before func(p *pcapx.PDU)
	each   func(p *pcapx.PDU, r dissect.Result)
}

// handler returns a pcapx handler that dissects PDUs into c with a
// Dissector of its own.
func (c consumer) handler() pcapx.Handler {
	var d dissect.Dissector
	return func(p *pcapx.PDU) error {
		if c.before != nil {
			c.before(p)
		}
		r := d.PDU(c.sink, p)
		c.each(p, r)
		return r.Err
	}
}

// readFile decodes file through pcapx and internal/dissect with the given
// number of workers, each with the consumer newConsumer makes for it;
// sync, when not nil, is pcapx's Config.Sync (used when workers > 1).
func readFile(file string, ports portFlags, workers int, newConsumer func(w int) consumer, sync func(w, frame int)) (pcapx.Stats, error) {
	cfg := pcapx.Config{Ports: ports}
	if workers <= 1 {
		cfg.Handler = newConsumer(0).handler()
	} else {
		cfg.Workers = workers
		cfg.Worker = func(w int) (pcapx.Handler, func(*pcapx.FlowEvent)) { return newConsumer(w).handler(), nil }
		cfg.Sync = sync
	}
	return pcapx.ReadFile(file, cfg)
}
