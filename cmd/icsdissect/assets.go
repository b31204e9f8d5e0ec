package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/icsdissect/icsdissect/asset"
	"github.com/icsdissect/icsdissect/pcapx"
)

const assetUsage = `usage: icsdissect assets [-json] [-brief] [-port proto:tcp|udp:N]... [-f FILTER] FILE...|-i IFACE
       icsdissect events [-kinds access,operation,identity,change] [-port ...] [-f FILTER] FILE...|-i IFACE

assets prints the devices of the captures (taken together): roles,
protocols, peers, identity and tag table; -json prints one ECS JSON
object per device. events prints one ECS JSON object per access,
operation, identity and change, in capture order. With -i they read a
network interface until interrupted ("-" reads a capture from standard
input).
`

// runAsset runs the assets and events commands and returns the exit
// status. stop ends a live capture when closed (nil: on SIGINT or SIGTERM).
func runAsset(cmd string, args []string, stdout, stderr io.Writer, stop <-chan struct{}) int {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, assetUsage) }
	var ports portFlags
	fs.Var(&ports, "port", "proto:tcp|udp:N, decode proto on that port (repeatable)")
	jsonOut := fs.Bool("json", false, "assets: one JSON object per device")
	brief := fs.Bool("brief", false, "assets: the device table only")
	kinds := fs.String("kinds", "access,operation,identity,change", "events: the kinds of event to print")
	expr := fs.String("f", "", "capture filter (pcap-filter syntax)")
	iface := fs.String("i", "", "network interface to capture from")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var in input
	in.ports = ports
	if *expr != "" {
		f, err := pcapx.CompileFilter(*expr)
		if err != nil {
			fmt.Fprintf(stderr, "icsdissect %s: %v\n", cmd, err)
			return 2
		}
		in.filter = f
	}
	names := fs.Args()
	switch {
	case *iface != "" && len(names) > 0:
		fmt.Fprintf(stderr, "icsdissect %s: -i reads an interface; no capture file is read with it\n", cmd)
		return 2
	case *iface != "":
		in.live, names = true, []string{*iface}
	case len(names) == 0:
		fmt.Fprintf(stderr, "icsdissect %s: no capture file given\n", cmd)
		return 2
	}
	if isTerminal(stderr) && !in.live {
		in.progress = stderr
	}
	out := bufio.NewWriterSize(stdout, 64<<10)
	defer out.Flush()

	var next asset.Observer = asset.NopObserver{}
	var lines *asset.JSONLines
	if cmd == "events" {
		lines = asset.NewJSONLines(out)
		lines.Accesses, lines.Ops, lines.Identities, lines.Changes = false, false, false, false
		for _, k := range strings.Split(*kinds, ",") {
			switch strings.TrimSpace(k) {
			case "access":
				lines.Accesses = true
			case "operation":
				lines.Ops = true
			case "identity":
				lines.Identities = true
			case "change":
				lines.Changes = true
			default:
				fmt.Fprintf(stderr, "icsdissect events: unknown kind %q (access, operation, identity, change)\n", k)
				return 2
			}
		}
		next = lines
	}
	inv := asset.NewInventory(asset.InventoryConfig{Next: next})
	status := 0
	for _, name := range names {
		eng := asset.New(asset.Config{Observer: inv})
		cfg := pcapx.Config{Ports: ports}
		eng.Attach(&cfg)
		if lines != nil {
			// Stop when the output cannot be written.
			pdu := cfg.Handler
			cfg.Handler = func(p *pcapx.PDU) error {
				pdu(p)
				if err := lines.Err(); err != nil {
					return outputError{err}
				}
				return nil
			}
		}
		in.name = name
		var err error
		if in.live {
			in.stop = stop
			_, err = in.readLive(cfg)
		} else {
			_, err = in.readFile(cfg)
		}
		eng.Flush()
		if err != nil {
			out.Flush()
			if errors.Is(err, pcapx.ErrTruncatedFile) {
				fmt.Fprintf(stderr, "icsdissect: %s: capture is cut short; decoded the frames before the cut\n", name)
				continue
			}
			fmt.Fprintf(stderr, "icsdissect: %s: %v\n", name, oneLine(err))
			status = 1
			if errors.As(err, new(outputError)) {
				return status
			}
		}
	}
	if lines != nil && lines.Err() != nil {
		fmt.Fprintf(stderr, "icsdissect: writing output: %v\n", lines.Err())
		return 1
	}
	if cmd == "assets" {
		if *jsonOut {
			var enc asset.Encoder
			var buf []byte
			for _, d := range inv.Devices() {
				buf = append(enc.AppendDevice(buf[:0], d), '\n')
				out.Write(buf)
			}
		} else {
			writeAssets(out, inv, *brief)
		}
	}
	if err := flushOutput(out); err != nil {
		fmt.Fprintf(stderr, "icsdissect: %v\n", err)
		return 1
	}
	return status
}

func fmtTime(ns int64) string {
	if ns == 0 {
		return "-"
	}
	return time.Unix(0, ns).UTC().Format("2006-01-02T15:04:05.000Z")
}

// roles returns the device's roles as "modbus server, dnp3 outstation".
func roles(d *asset.Device) string {
	var out []string
	for _, p := range d.Protocols() {
		for _, r := range []asset.Role{asset.RoleClient, asset.RoleServer} {
			if d.Roles(p).Has(r) {
				out = append(out, p.String()+" "+asset.RoleName(p, r))
			}
		}
	}
	return strings.Join(out, ", ")
}

func get(d *asset.Device, f asset.Field) string {
	v, _ := d.Get(f)
	return v
}

// writeAssets prints the inventory as a table of devices, then, per device
// with an identity, peers or tags, its details.
func writeAssets(w io.Writer, inv *asset.Inventory, brief bool) {
	devs := inv.Devices()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ADDRESS\tMAC\tROLES\tVENDOR\tPRODUCT\tFIRMWARE\tSERIAL\tNAME")
	for _, d := range devs {
		mac := "-"
		if len(d.MACs) > 0 {
			mac = d.MACs[0].String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Addr, mac, dash(roles(d)),
			dash(get(d, asset.FieldVendor)), dash(firstOf(d, asset.FieldProduct, asset.FieldModel)),
			dash(get(d, asset.FieldFirmware)), dash(get(d, asset.FieldSerial)), dash(get(d, asset.FieldName)))
	}
	tw.Flush()
	if brief {
		return
	}
	for _, d := range devs {
		ids := d.Identity()
		tags := d.Tags()
		fmt.Fprintf(w, "\n%s  %s  seen %s .. %s", d.Addr, dash(roles(d)), fmtTime(d.First), fmtTime(d.Last))
		if d.Mode != "" {
			fmt.Fprintf(w, "  mode %s", d.Mode)
		}
		fmt.Fprintln(w)
		if len(ids) > 0 {
			fmt.Fprintln(w, "  identity:")
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			for _, v := range ids {
				module := ""
				if v.Module != "" {
					module = " [" + v.Module + "]"
				}
				val := v.Value
				if v.Raw != nil && val == "" {
					val = fmt.Sprintf("% x", v.Raw)
				}
				fmt.Fprintf(tw, "    %s%s\t%q\t%s %s, frame %d\n", v.Field, module, val, v.Proto, v.Name, v.Frame)
			}
			tw.Flush()
		}
		if peers := d.Peers(); len(peers) > 0 {
			var ps []string
			for _, p := range peers {
				ps = append(ps, fmt.Sprintf("%s (%s %s, %d events)", p.Addr, p.Proto, asset.RoleName(p.Proto, p.Role), p.Events))
			}
			fmt.Fprintf(w, "  peers: %s\n", strings.Join(ps, ", "))
		}
		var ops []string
		for k, n := range d.Ops {
			if n > 0 {
				ops = append(ops, fmt.Sprintf("%s %d", asset.Operation(k), n))
			}
		}
		if d.Reads+d.Writes > 0 || len(ops) > 0 {
			fmt.Fprintf(w, "  reads %d, writes %d", d.Reads, d.Writes)
			if len(ops) > 0 {
				fmt.Fprintf(w, "; operations: %s", strings.Join(ops, ", "))
			}
			fmt.Fprintln(w)
		}
		if len(tags) > 0 {
			fmt.Fprintf(w, "  tags (%d):\n", len(tags))
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "    TAG\tREADS\tWRITES\tVALUE\tTYPE\tLAST WRITER\tLAST WRITE")
			for _, t := range tags {
				val := "-"
				if t.HasValue {
					val = t.Value.String()
					if t.Value.Kind == asset.KindText {
						val = fmt.Sprintf("%q", val)
					}
				}
				writer, when := "-", "-"
				if t.Writes > 0 {
					writer, when = t.LastWriter.Addr.String(), fmtTime(t.LastWrite)
				}
				fmt.Fprintf(tw, "    %s\t%d\t%d\t%s\t%s\t%s\t%s\n", t.Name(), t.Reads, t.Writes, val, dash(t.TypeName), writer, when)
			}
			tw.Flush()
		}
	}
}

func firstOf(d *asset.Device, fs ...asset.Field) string {
	for _, f := range fs {
		if v, ok := d.Get(f); ok {
			return v
		}
	}
	return ""
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
