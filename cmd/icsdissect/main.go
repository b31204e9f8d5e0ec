// Command icsdissect decodes industrial protocol traffic in pcap and pcapng
// captures: Modbus/TCP, S7comm, EtherNet/IP with CIP, DNP3 and IEC 104.
//
// Usage:
//
//	icsdissect decode  [-port proto:tcp|udp:N]... [-f FILTER] [-workers N] FILE...   one JSON object per PDU
//	icsdissect summary [-port proto:tcp|udp:N]... [-f FILTER] [-workers N] FILE...   counts per protocol, function and error
//	icsdissect decode|summary [-port ...] [-f FILTER] [-workers N] -i IFACE          live capture until interrupted
//	icsdissect assets  [-json] [-brief] [-port ...] [-f FILTER] FILE...|-i IFACE   devices, identities, peers and tags
//	icsdissect events  [-kinds ...] [-port ...] [-f FILTER] FILE...|-i IFACE       accesses, operations, identities and changes as ECS JSON lines
//
// decode prints, per PDU, the frame number (equal to Wireshark's
// frame.number), timestamp, addresses and ports, protocol, direction,
// function, error and the decoded fields under Wireshark's field names.
// FILE "-" reads standard input. An unreadable or non-capture file, a
// directory, or output that cannot be written is a one-line error and exit
// status 1; a capture cut short is decoded as far as it goes, with a note on
// stderr.
//
// -f takes a capture filter in pcap-filter syntax (the common subset that
// package pcapx compiles: tcp, udp, ip, ip6, vlan, host, net, port,
// portrange, and, or, not, parentheses). On files it is applied to each
// packet as it is read, and frame numbers then count the packets that pass,
// as tcpdump's would; with -i it is attached to the socket in the kernel.
// -i reads a network interface (Linux, as root) until SIGINT or SIGTERM.
//
// Reading a file of more than a few megabytes shows a progress line on
// stderr (bytes read, packets per second, time left) when stderr is a
// terminal, and nothing otherwise.
//
// -workers N decodes with N goroutines (one reads, N decode, each flow on
// one of them). decode's lines then come in frame order within each run of
// 4096 frames, the same on every run; from a live capture they come out a
// run at a time, and whenever the interface has been quiet for 200 ms.
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

	"github.com/icsdissect/icsdissect/pcapx"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: icsdissect <command> [flags] FILE...   (FILE - is standard input)
       icsdissect <command> [flags] -i IFACE

commands:
  decode    print one JSON object per PDU (JSON lines)
  summary   print counts per protocol, function, error and anomaly
  assets    print the devices: identity, roles, peers, tags (-json: ECS JSON)
  events    print accesses with values, operations and changes (ECS JSON lines)

flags:
  -port proto:tcp|udp:N   also decode proto on that port (repeatable),
                          e.g. -port dnp3:tcp:20001
  -f FILTER               read only the packets that pass a capture filter
                          (pcap-filter syntax: tcp, udp, ip, ip6, vlan, host,
                          net, port, portrange, and, or, not, parentheses),
                          e.g. -f 'tcp port 502 and net 10.0.0.0/8'
  -i IFACE                capture live from a network interface (Linux, as
                          root) until interrupted
  -workers N              decode with N goroutines (default 1)
`

// run is main without the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	return runStop(args, stdout, stderr, nil)
}

// runStop is run with a channel that ends a live capture when closed; nil
// ends it on SIGINT or SIGTERM.
func runStop(args []string, stdout, stderr io.Writer, stop <-chan struct{}) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd := args[0]
	if cmd == "assets" || cmd == "events" {
		return runAsset(cmd, args[1:], stdout, stderr, stop)
	}
	if cmd != "decode" && cmd != "summary" {
		fmt.Fprintf(stderr, "icsdissect: unknown command %q\n%s", cmd, usage)
		return 2
	}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var in input
	fs.Var(&in.ports, "port", "proto:tcp|udp:N, decode proto on that port (repeatable)")
	expr := fs.String("f", "", "capture filter (pcap-filter syntax)")
	iface := fs.String("i", "", "network interface to capture from")
	fs.IntVar(&in.workers, "workers", 1, "decode with N goroutines")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if in.workers < 1 || in.workers > 256 {
		fmt.Fprintf(stderr, "icsdissect %s: -workers must be between 1 and 256\n", cmd)
		return 2
	}
	if *expr != "" {
		f, err := pcapx.CompileFilter(*expr)
		if err != nil {
			fmt.Fprintf(stderr, "icsdissect %s: %v\n", cmd, err)
			return 2
		}
		in.filter = f
	}
	out := bufio.NewWriterSize(stdout, 64<<10)
	defer out.Flush()
	if *iface != "" {
		if fs.NArg() > 0 {
			fmt.Fprintf(stderr, "icsdissect %s: -i reads an interface; no capture file is read with it\n", cmd)
			return 2
		}
		in.name, in.live, in.stop = *iface, true, stop
		if err := command(cmd, out, in); err != nil {
			out.Flush()
			fmt.Fprintf(stderr, "icsdissect: %s: %v\n", *iface, oneLine(err))
			return 1
		}
		return 0
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "icsdissect %s: no capture file given\n", cmd)
		return 2
	}
	if isTerminal(stderr) {
		in.progress = stderr
	}
	status := 0
	for _, file := range fs.Args() {
		in.name = file
		err := command(cmd, out, in)
		if err != nil {
			out.Flush()
			if errors.Is(err, pcapx.ErrTruncatedFile) {
				fmt.Fprintf(stderr, "icsdissect: %s: capture is cut short; decoded the frames before the cut\n", file)
				continue
			}
			fmt.Fprintf(stderr, "icsdissect: %s: %v\n", file, oneLine(err))
			status = 1
			if errors.As(err, new(outputError)) {
				return status // the output is gone: the next files cannot be written either
			}
		}
	}
	return status
}

// command runs cmd over one input.
func command(cmd string, out *bufio.Writer, in input) error {
	if cmd == "decode" {
		return decode(out, in)
	}
	return summary(out, in)
}

// flushOutput writes out what w holds, and says so when the output cannot be
// written.
func flushOutput(w *bufio.Writer) error {
	if err := w.Flush(); err != nil {
		return outputError{err}
	}
	return nil
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
