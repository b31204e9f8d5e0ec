// Command tsharkdiff compares icsdissect's decode of captures with Wireshark's
// tshark, field by field.
//
//	go run ./internal/cmd/tsharkdiff [-v] [-proto modbus|s7comm|enip|dnp3|iec104] FILE...
//
// It prints one line per file and protocol, the mismatches and one-sided
// frames under -v, and last a line
//
//	conformance: F frames, N fields, M mismatches, U unexplained, T tshark-only, O ours-only
//
// where U counts mismatches not explained by a known divergence, and T and O
// the frames one side only decodes that no rule explains. The line before it
//
//	divergences: R rule-based, P per-frame
//
// counts the known divergences: R those explained by rules (mismatches and
// one-sided frames), P the mismatches explained by per-frame entries; under
// -v each rule's count follows. The exit status is 1 when U or T is not
// zero, 2 on errors (including a malformed rule). tshark's output is cached
// by the capture's hash and tshark's version (-cache "" disables the cache).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/icsdissect/icsdissect/internal/conformance"
)

func main() {
	verbose := flag.Bool("v", false, "print each mismatch and one-sided frame")
	proto := flag.String("proto", "", "compare only this protocol (modbus, s7comm, enip, dnp3, iec104); default: by the capture's folder, or all")
	cache := flag.String("cache", conformance.DefaultCacheDir(), "folder caching tshark's output (empty: no cache)")
	workers := flag.Int("j", 0, "captures compared at once (default GOMAXPROCS)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: tsharkdiff [-v] [-proto name] FILE...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if *proto != "" {
		if _, ok := conformance.SpecFor(*proto); !ok {
			fmt.Fprintf(os.Stderr, "tsharkdiff: unknown protocol %q\n", *proto)
			os.Exit(2)
		}
	}
	if _, err := conformance.TsharkVersion(); err != nil {
		fmt.Fprintln(os.Stderr, "tsharkdiff:", err)
		os.Exit(2)
	}
	if err := conformance.Embedded().Err; err != nil {
		fmt.Fprintln(os.Stderr, "tsharkdiff: known divergences:", err)
		os.Exit(2)
	}
	jobs := conformance.Jobs(flag.Args(), *proto)
	results := conformance.RunAll(context.Background(), jobs, conformance.Options{CacheDir: *cache}, *workers)
	var tot conformance.Totals
	failed := false
	for _, r := range results {
		name := filepath.Base(r.File)
		if r.Err != nil {
			fmt.Printf("%-7s %s: error: %v\n", r.Proto, name, r.Err)
			failed = true
			continue
		}
		tot.Add(r.Report)
		fmt.Printf("%-7s %s: %d frames, %d fields, %d mismatches, %d unexplained, %d tshark-only, %d ours-only\n",
			r.Proto, name, r.Frames, r.Fields, len(r.Mismatches), r.Unexplained(), len(r.TsharkOnly), len(r.OursOnly))
		if r.OursErr != nil {
			fmt.Printf("        note: %v\n", r.OursErr)
		}
		if !*verbose {
			continue
		}
		for _, m := range r.Mismatches {
			tag := "MISMATCH"
			switch {
			case m.Rule != "":
				tag = "rule " + m.Rule
			case m.Explained():
				tag = "known"
			}
			fmt.Printf("        %s frame %d %s: tshark [%s] ours [%s]\n", tag, m.Frame, m.Field,
				strings.Join(m.Tshark, " "), strings.Join(m.Ours, " "))
		}
		if len(r.TsharkOnly) > 0 {
			fmt.Printf("        tshark-only frames: %s\n", ints(r.TsharkOnly))
		}
		if len(r.OursOnly) > 0 {
			fmt.Printf("        ours-only frames: %s\n", ints(r.OursOnly))
		}
		for _, o := range r.TsharkOnlyExplained {
			fmt.Printf("        rule %s frame %d: tshark only\n", o.Rule, o.Frame)
		}
		for _, o := range r.OursOnlyExplained {
			fmt.Printf("        rule %s frame %d: ours only\n", o.Rule, o.Frame)
		}
	}
	if *verbose {
		rules := make([]string, 0, len(tot.ByRule))
		for name := range tot.ByRule {
			rules = append(rules, name)
		}
		sort.Strings(rules)
		for _, name := range rules {
			fmt.Printf("rule %s: %d\n", name, tot.ByRule[name])
		}
	}
	fmt.Printf("divergences: %d rule-based, %d per-frame\n", tot.RuleBased, tot.PerFrame)
	fmt.Printf("conformance: %d frames, %d fields, %d mismatches, %d unexplained, %d tshark-only, %d ours-only\n",
		tot.Frames, tot.Fields, tot.Mismatches, tot.Unexplained, tot.TsharkOnly, tot.OursOnly)
	switch {
	case failed:
		os.Exit(2)
	case tot.Unexplained > 0 || tot.TsharkOnly > 0:
		os.Exit(1)
	}
}

func ints(v []int) string {
	const max = 40
	var b strings.Builder
	for i, n := range v {
		if i == max {
			fmt.Fprintf(&b, " ... (%d more)", len(v)-max)
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, n)
	}
	return b.String()
}
